#!/usr/bin/env python3
"""The benchmark: the release server on a 100,000-article database, measured with wrk on
loopback, next to nginx serving the same article page as a static file (the physical limit).

Prints one table (figure, budget, PASS/FAIL) and writes the same to target/bench/results.json.
Figures are medians of several runs. Run it through scripts/bench.sh (which installs what is
missing and builds the release first).

Environment: BENCH_ARTICLES (100000), BENCH_RUNS (3), BENCH_SECONDS (4), BENCH_SKIP_LIGHTHOUSE=1,
BENCH_LOAD_SECONDS (60: the load test), BENCH_SOAK_SECONDS (600: the soak after it; 0 skips it),
BENCH_DB=postgres: the same table from two servers on PostgreSQL behind nginx round-robin (a
throwaway PostgreSQL from scripts/postgres.sh), plus how long a change takes to reach the other
server's page cache. BENCH_ONLY=readers-return: only the view beacons and the newsletter digest
(on the database a full run made).
"""

import gzip
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "target" / "bench"
POSTGRES = os.environ.get("BENCH_DB", "sqlite") == "postgres"
DATA = BENCH / ("data-postgres" if POSTGRES else "data")
SITE = ROOT / "target" / "site"
BINARY = ROOT / "target" / "release" / "portal"
# The data generator is a developer tool, built beside the server by scripts/build.sh.
DEMO_TOOL = ROOT / "target" / "release" / "portal-demo"
ARTICLES = int(os.environ.get("BENCH_ARTICLES", "100000"))
# Raised whenever `portal-demo bench-data` writes something new that the benchmark reads.
BENCH_DATA_FORMAT = 2
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "4"))
# The load test: readers and editors together on 32 connections (portal-demo traffic).
LOAD_SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "60"))
# The soak: the same load for ten minutes, the server's RSS printed every 30 s (0: none).
SOAK_SECONDS = int(os.environ.get("BENCH_SOAK_SECONDS", "600"))
# Live coverage: readers' event streams open at once, and updates posted to them.
LIVE_STREAMS = int(os.environ.get("BENCH_LIVE_STREAMS", "2000"))
LIVE_ROUNDS = int(os.environ.get("BENCH_LIVE_ROUNDS", "20"))
SOAK_SAMPLE_EVERY = 30
# Readers coming back: view beacons for this long, a digest to this many subscribers.
BEACON_SECONDS = int(os.environ.get("BENCH_BEACON_SECONDS", "25"))
DIGEST_SUBSCRIBERS = int(os.environ.get("BENCH_DIGEST_SUBSCRIBERS", "10000"))
ONLY = os.environ.get("BENCH_ONLY", "")
PORT = 3100
NGINX_PORT = 3200
# BENCH_DB=postgres: the servers behind the balancer on PORT.
CLUSTER_PORTS = (3101, 3102)
DATABASE_URL = None
BASE = f"http://127.0.0.1:{PORT}"
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --disable-sync --no-first-run")


def log(msg):
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def fetch(url, headers=None, timeout=10):
    req = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.status, dict(r.headers), r.read()


# ---------------------------------------------------------------- database

def start_postgres():
    """A fresh PostgreSQL server and an empty `bench` database in it."""
    global DATABASE_URL
    admin = subprocess.run([str(ROOT / "scripts" / "postgres.sh"), "start"], capture_output=True, text=True,
                           check=True).stdout.strip()
    subprocess.run(["psql", admin, "-qc", "CREATE DATABASE bench"], check=True)
    DATABASE_URL = admin.rsplit("/", 1)[0] + "/bench"
    shutil.rmtree(DATA, ignore_errors=True)


def seed():
    # The generated archive's shape: a database made by an older generator (before tags and
    # author profiles: the tag and author pages answer 404) is made again.
    marker = DATA / f"seeded-{ARTICLES}-v{BENCH_DATA_FORMAT}"
    if marker.exists():
        log(f"reusing the {ARTICLES}-article database in {DATA}")
        return None
    shutil.rmtree(DATA, ignore_errors=True)
    DATA.mkdir(parents=True)
    log(f"generating {ARTICLES} articles ...")
    t = time.monotonic()
    subprocess.run([str(DEMO_TOOL), "bench-data", "--articles", str(ARTICLES)], env=server_env(True), check=True)
    took = time.monotonic() - t
    marker.write_text(f"{took:.1f}\n")
    return took


# ---------------------------------------------------------------- server

def server_env(cache, port=PORT):
    env = dict(os.environ)
    if DATABASE_URL:
        env["PORTAL_DATABASE_URL"] = DATABASE_URL
    env.update({
        "PORTAL_DATA_DIR": str(DATA),
        "PORTAL_PAGE_CACHE": "on" if cache else "off",
        "LEPTOS_OUTPUT_NAME": "portal",
        "LEPTOS_SITE_ROOT": str(SITE),
        "LEPTOS_SITE_PKG_DIR": "pkg",
        "LEPTOS_SITE_ADDR": f"127.0.0.1:{port}",
        "LEPTOS_ENV": "PROD",
        "LEPTOS_HASH_FILES": "true",
        "RUST_LOG": "warn",
        # The live coverage figures open 2,000 streams from one address.
        "PORTAL_LIVE_STREAMS_PER_CLIENT": str(LIVE_STREAMS + 100),
    })
    return env


def wordpress_import(posts=5000):
    """Times `portal import wordpress` of a generated export (portal-demo wxr) into an empty
    SQLite database: the whole import, the search index and its final merge included."""
    export = BENCH / f"wordpress-{posts}.xml"
    with open(export, "wb") as out:
        subprocess.run([str(DEMO_TOOL), "wxr", "--posts", str(posts)], stdout=out, check=True)
    data = BENCH / "import-data"
    shutil.rmtree(data, ignore_errors=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env.update(PORTAL_DATA_DIR=str(data), RUST_LOG="warn")
    log(f"importing a generated WordPress export of {posts} posts ({export.stat().st_size // 1024} KB)")
    started = time.monotonic()
    done = subprocess.run(["/usr/bin/time", "-f", "%M", str(BINARY), "import", "wordpress", str(export)],
                          env=env, capture_output=True, text=True, check=True)
    seconds = time.monotonic() - started
    shutil.rmtree(data, ignore_errors=True)
    return {"posts": posts, "seconds": round(seconds, 1),
            "peak_rss_mb": round(int(done.stderr.strip().splitlines()[-1]) / 1024),
            "report": done.stdout.splitlines()[0]}


def start_server(cache, port):
    """The release server on `port`, once it answers its home page."""
    proc = subprocess.Popen([str(BINARY)], env=server_env(cache, port), cwd=ROOT / "target" / "release",
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    while True:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {proc.stderr.read().decode()}")
        try:
            if fetch(f"http://127.0.0.1:{port}/", timeout=1)[0] == 200:
                return proc
        except Exception:
            time.sleep(0.005)


class Server:
    def __init__(self, cache):
        self.cache = cache

    def __enter__(self):
        try:
            fetch(BASE + "/", timeout=1)
            raise SystemExit(f"something already answers on {BASE}: stop it first")
        except OSError:
            pass
        t0 = time.monotonic()
        self.proc = start_server(self.cache, PORT)
        self.cold_start = time.monotonic() - t0
        return self

    def rss_mb(self):
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def __exit__(self, *exc):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def nginx_conf(root, http_body):
    """nginx.conf in `root` (logs and temporary files there too), the part inside `http {}` given."""
    (root / "logs").mkdir(parents=True, exist_ok=True)
    conf = root / "nginx.conf"
    temp = "".join(f"    {kind}_temp_path {root}/tmp;\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    conf.write_text(f"""
worker_processes 2;
daemon off;
pid {root}/nginx.pid;
error_log {root}/logs/error.log;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    keepalive_requests 100000;
{temp}{http_body}
}}
""")
    return conf


def start_nginx(conf, root, url):
    proc = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(root)], stderr=subprocess.PIPE)
    for _ in range(200):
        try:
            if fetch(url)[0] == 200:
                break
        except Exception:
            time.sleep(0.02)
    return proc


def balancer_conf(root, port, upstreams):
    servers = "".join(f"server 127.0.0.1:{p}; " for p in upstreams)
    return nginx_conf(root, f"""
    client_max_body_size 12m;
    upstream portal {{ {servers} keepalive 64; }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://portal;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
        }}
    }}""")


class Cluster:
    """BENCH_DB=postgres: two servers on the database, nginx round-robin on PORT in front.
    Same interface as Server (proc: the first server; rss_mb: both servers together)."""

    def __init__(self, cache):
        self.cache = cache

    def __enter__(self):
        t0 = time.monotonic()
        self.procs = [start_server(self.cache, port) for port in CLUSTER_PORTS]
        self.cold_start = time.monotonic() - t0
        self.proc = self.procs[0]
        root = BENCH / "balancer"
        shutil.rmtree(root, ignore_errors=True)
        conf = balancer_conf(root, PORT, CLUSTER_PORTS)
        self.nginx = start_nginx(conf, root, BASE + "/healthz")
        return self

    def rss_mb(self):
        total = 0.0
        for proc in self.procs:
            for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
        return total

    def __exit__(self, *exc):
        self.nginx.send_signal(signal.SIGQUIT)
        self.nginx.wait(timeout=10)
        for proc in self.procs:
            proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def live_coverage(srv, article_path):
    """LIVE_STREAMS readers' event streams open on the server; updates posted, each timed from
    the editor's request to every stream; the server's memory with them open, and the
    article's warm req/s while they are."""
    slug = article_path.rsplit("/", 1)[-1]
    tool = subprocess.Popen([str(DEMO_TOOL), "live-bench", "--base", BASE, "--slug", slug,
                             "--streams", str(LIVE_STREAMS), "--rounds", str(LIVE_ROUNDS),
                             "--server-pid", str(srv.proc.pid)],
                            env=server_env(True), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        line = tool.stdout.readline()
        if not line.startswith("{"):
            raise SystemExit(f"live-bench failed: {line}")
        figures = json.loads(line)
        figures["rss_open_sampled_mb"] = round(srv.rss_mb(), 1)
        fetch(BASE + article_path)
        figures["article_warm_with_streams"] = measure(BASE + article_path, 32)
    finally:
        tool.stdin.close()
        tool.wait(timeout=30)
    return figures


def purge_latency(article_path, rounds=20):
    """A change committed in the database (as any server's write would) until the other
    server's cached page shows it: LISTEN/NOTIFY at work. Milliseconds, per round."""
    other = f"http://127.0.0.1:{CLUSTER_PORTS[1]}"
    slug = article_path.rsplit("/", 1)[-1]
    took = []
    for i in range(rounds):
        fetch(other + article_path)  # in the cache
        marker = f"Purge check {i} {time.time_ns()}"
        subprocess.run(["psql", DATABASE_URL, "-qc",
                        f"UPDATE articles SET excerpt = '{marker}' WHERE slug = '{slug}'"], check=True)
        committed = time.monotonic()
        while marker.encode() not in fetch(other + article_path)[2]:
            if time.monotonic() - committed > 5:
                raise SystemExit("the change never reached the other server")
            time.sleep(0.001)
        took.append((time.monotonic() - committed) * 1000)
    took.sort()
    return {"p50_ms": round(statistics.median(took), 1), "max_ms": round(took[-1], 1), "rounds": rounds}


# ---------------------------------------------------------------- load

def to_ms(text):
    m = re.match(r"([\d.]+)(us|ms|s)", text)
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def wrk(url, conns, seconds=SECONDS):
    threads = 1 if conns == 1 else 2
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{conns}", f"-d{seconds}s", "--latency", "--timeout", "5s", url],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = to_ms(re.search(r"\s50%\s+([\d.]+\w+)", out).group(1))
    p99 = to_ms(re.search(r"\s99%\s+([\d.]+\w+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors and "/page/" not in url:
        raise SystemExit(f"{url}: {errors.group(1)} error responses\n{out}")
    return rps, p50, p99


def measure(url, conns, sample_rss=None):
    results = []
    peak = [0.0]
    for _ in range(RUNS):
        stop = threading.Event()
        if sample_rss:
            def sampler():
                while not stop.is_set():
                    peak[0] = max(peak[0], sample_rss())
                    time.sleep(0.1)
            th = threading.Thread(target=sampler)
            th.start()
        results.append(wrk(url, conns))
        stop.set()
        if sample_rss:
            th.join()
    rps = statistics.median(r[0] for r in results)
    p50 = statistics.median(r[1] for r in results)
    p99 = statistics.median(r[2] for r in results)
    return {"rps": round(rps), "p50_ms": round(p50, 2), "p99_ms": round(p99, 2), "peak_rss_mb": round(peak[0], 1)}


def measure_routes(results, mode, urls, srv):
    """Every route at 1 and 32 connections (RSS sampled at 32) into results[mode]."""
    results[mode] = {}
    for name, path in urls.items():
        log(f"{mode} {name}")
        results[mode][name] = {
            "c1": measure(BASE + path, 1),
            "c32": measure(BASE + path, 32, sample_rss=srv.rss_mb),
        }
    results[f"rss_under_load_{mode}_mb"] = max(v["c32"]["peak_rss_mb"] for v in results[mode].values())


def nginx_limit(html, balanced=False):
    """nginx serving the article as a static file: the physical limit. With `balanced`, two
    such "servers" behind the same nginx balancer as the cluster's, measured through it: the
    limit for anything behind a balancer on this machine."""
    root = BENCH / "nginx"
    shutil.rmtree(root, ignore_errors=True)
    (root / "www").mkdir(parents=True)
    (root / "www" / "article.html").write_bytes(html)
    ports = [NGINX_PORT, NGINX_PORT + 1] if balanced else [NGINX_PORT]
    listens = "".join(f"listen 127.0.0.1:{p}; " for p in ports)
    conf = nginx_conf(root, f"""
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    default_type text/html;
    server {{
        {listens}
        root {root}/www;
    }}""")
    url = f"http://127.0.0.1:{NGINX_PORT}/article.html"
    procs = [start_nginx(conf, root, url)]
    try:
        if balanced:
            lb_root = BENCH / "nginx-balancer"
            shutil.rmtree(lb_root, ignore_errors=True)
            url = f"http://127.0.0.1:{NGINX_PORT + 2}/article.html"
            procs.append(start_nginx(balancer_conf(lb_root, NGINX_PORT + 2, ports), lb_root, url))
        return measure(url, 32)
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGQUIT)
            proc.wait(timeout=10)


# ---------------------------------------------------------------- sizes

def asset_sizes(home_html):
    names = re.findall(r'/pkg/([\w.\-]+\.(?:js|wasm|css))', home_html)
    sizes = {}
    for name in sorted(set(names)):
        path = SITE / "pkg" / name
        raw = path.read_bytes()
        br = Path(str(path) + ".br")
        gz = Path(str(path) + ".gz")
        sizes[name] = {
            "raw": len(raw),
            "gzip": gz.stat().st_size if gz.exists() else len(gzip.compress(raw, 9)),
            "brotli": br.stat().st_size if br.exists() else None,
        }
    return sizes


LIGHTHOUSE_RUNS = 3
LIGHTHOUSE_PAGES = ("home", "category", "article")


def lighthouse_once(url):
    out = BENCH / "lighthouse.json"
    env = dict(os.environ, CHROME_PATH="/usr/bin/chromium")
    subprocess.run(["npx", "lighthouse", url, "--quiet", "--output=json", f"--output-path={out}",
                    f"--chrome-flags={CHROME_FLAGS}"], cwd=ROOT / "bench", env=env, check=True,
                   stdout=subprocess.DEVNULL)
    report = json.loads(out.read_text())
    cats = {k: round(v["score"] * 100) for k, v in report["categories"].items()}
    audits = report["audits"]
    return {
        "scores": cats,
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "total_bytes": round(audits["total-byte-weight"]["numericValue"]),
    }


def lighthouse(url):
    """Lighthouse's mobile preset LIGHTHOUSE_RUNS times; each figure is the median of the runs
    (scores vary by a few points from run to run), and every run is kept for the report."""
    runs = [lighthouse_once(url) for _ in range(LIGHTHOUSE_RUNS)]
    med = lambda xs: sorted(xs)[len(xs) // 2]
    return {
        "runs": runs,
        "scores": {k: med([r["scores"][k] for r in runs]) for k in runs[0]["scores"]},
        "lcp_ms": med([r["lcp_ms"] for r in runs]),
        "tbt_ms": med([r["tbt_ms"] for r in runs]),
        "cls": med([r["cls"] for r in runs]),
        "total_bytes": med([r["total_bytes"] for r in runs]),
    }


# ---------------------------------------------------------------- main

def main():
    BENCH.mkdir(parents=True, exist_ok=True)
    if POSTGRES:
        start_postgres()
    try:
        run_readers_return() if ONLY == "readers-return" else run()
    finally:
        if POSTGRES:
            subprocess.run([str(ROOT / "scripts" / "postgres.sh"), "stop"])


BEACON_LUA = """
-- Readers' pages reporting views: 1,000 articles, 5,000 readers (user agents), one beacon each
-- request, as navigator.sendBeacon sends it.
local n = 0
request = function()
  n = n + 1
  local headers = {}
  headers["Content-Type"] = "text/plain;charset=UTF-8"
  headers["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) Reader/" .. (n % 5000)
  return wrk.format("POST", "/api/view", headers, tostring(n % 1000 + 1))
end
"""


def metric(name):
    """A counter of the server's /metrics (local clients may read it)."""
    text = fetch(BASE + "/metrics")[2].decode()
    m = re.search(rf"^{name}(?:{{[^}}]*}})? ([\d.e+]+)$", text, re.M)
    return float(m.group(1)) if m else 0.0


def beacons():
    """View beacons on 32 connections for BEACON_SECONDS: how many one server takes a second,
    and how many database writes they caused (at most one per article per 10 s flush)."""
    script = BENCH / "beacon.lua"
    script.write_text(BEACON_LUA)
    written_before = metric("portal_view_writes_total")
    out = subprocess.run(["wrk", "-t2", "-c32", f"-d{BEACON_SECONDS}s", "--latency", "-s", str(script),
                          BASE + "/api/view"], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = to_ms(re.search(r"\s99%\s+([\d.]+\w+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    # The last batch is written within one flush (10 s).
    time.sleep(11)
    writes = metric("portal_view_writes_total") - written_before
    flushes = BEACON_SECONDS / 10 + 1
    return {"rps": round(rps), "p99_ms": round(p99, 2), "errors": int(errors.group(1)) if errors else 0,
            "writes": int(writes), "articles": 1000,
            "writes_per_article_per_flush": round(writes / 1000 / flushes, 2)}


def run_sql(sql):
    if POSTGRES:
        subprocess.run(["psql", DATABASE_URL, "-qc", sql], check=True)
    else:
        import sqlite3
        con = sqlite3.connect(DATA / "portal.db", timeout=30)
        con.executescript(sql)
        con.close()


def digest():
    """`portal newsletter send` to DIGEST_SUBSCRIBERS confirmed subscribers (each with news:
    the last hour's articles), against the SMTP server on loopback (scripts/smtp-sink.py): the
    time, the sending process's peak RSS, the mails received."""
    maildir = BENCH / "mail"
    shutil.rmtree(maildir, ignore_errors=True)
    sink = subprocess.Popen(["/usr/bin/python3", str(ROOT / "scripts" / "smtp-sink.py"), str(maildir)],
                            stdout=subprocess.PIPE, text=True)
    try:
        port = int(sink.stdout.readline().strip().rsplit(":", 1)[1])
        now = int(time.time())
        run_sql("DELETE FROM digest_sends; DELETE FROM subscribers; "
                f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {DIGEST_SUBSCRIBERS}) "
                "INSERT INTO subscribers (email, token, status, frequency, created_at, confirmed_at, last_digest_at) "
                "SELECT 'reader' || i || '@example.org', 'benchtoken' || i || 'benchtokenbenchtokenbenchtoken', "
                f"'confirmed', 'daily', 0, 0, (SELECT min(max(published_at), {now}) - 3600 FROM articles "
                "WHERE status = 'published') FROM n;"
                .replace("min(max(published_at)", "least(max(published_at)" if POSTGRES else "min(max(published_at)"))
        env = server_env(True)
        env.update(PORTAL_SMTP_URL=f"smtp://127.0.0.1:{port}", PORTAL_SMTP_FROM="news@meridian.example",
                   PORTAL_SMTP_RATE="10000")
        log(f"newsletter: a digest to {DIGEST_SUBSCRIBERS} subscribers")
        started = time.monotonic()
        done = subprocess.run(["/usr/bin/time", "-f", "%M", str(BINARY), "newsletter", "send"],
                              env=env, capture_output=True, text=True)
        seconds = time.monotonic() - started
        if done.returncode != 0:
            raise SystemExit(f"portal newsletter send failed: {done.stdout}{done.stderr}")
        received = len(list(maildir.glob("*.eml")))
    finally:
        sink.terminate()
        sink.wait(timeout=10)
        run_sql("DELETE FROM digest_sends; DELETE FROM subscribers;")
        shutil.rmtree(maildir, ignore_errors=True)
    return {"subscribers": DIGEST_SUBSCRIBERS, "seconds": round(seconds, 1), "received": received,
            "per_second": round(received / seconds), "peak_rss_mb": round(int(done.stderr.strip().splitlines()[-1]) / 1024),
            "report": done.stdout.strip()}


def readers_return_rows(r, line):
    if "beacons" in r:
        b = r["beacons"]
        line("view beacons, one server (32 conn)", f"{b['rps']} /s, p99 {b['p99_ms']} ms, {b['errors']} errors",
             ">= 5000 /s", b["rps"] >= 5000 and b["errors"] == 0)
        line("  database writes per article per 10 s", f"{b['writes_per_article_per_flush']} ({b['writes']} writes)",
             "<= 1", b["writes_per_article_per_flush"] <= 1)
    if "digest" in r:
        d = r["digest"]
        line(f"digest to {d['subscribers']} subscribers (loopback SMTP)",
             f"{d['seconds']} s ({d['per_second']} /s), peak RSS {d['peak_rss_mb']} MB, {d['received']} received",
             "all received", d["received"] == d["subscribers"])


def run_readers_return():
    """BENCH_ONLY=readers-return: the beacons and the digest alone."""
    seed()
    results = {"articles": ARTICLES, "database": "PostgreSQL" if POSTGRES else "SQLite, 1 server"}
    with Server(cache=True) as srv:
        log(f"view beacons for {BEACON_SECONDS} s")
        results["beacons"] = beacons()
        results["beacons"]["rss_mb"] = round(srv.rss_mb(), 1)
    results["digest"] = digest()
    rows = []
    readers_return_rows(results, lambda name, figure, budget, ok: rows.append(
        {"figure": name, "value": figure, "budget": budget, "pass": ok}))
    results["budgets"] = rows
    print()
    for row in rows:
        print(f"{row['figure']:48} {row['value']:60} {row['budget']:16} {'-' if row['pass'] is None else 'PASS' if row['pass'] else 'FAIL'}")
    out = BENCH / "results-readers-return.json"
    out.write_text(json.dumps(results, indent=2))
    print(f"\nJSON: {out}")


def run():
    serving = Cluster if POSTGRES else Server
    seed_seconds = seed()
    results = {"articles": ARTICLES, "runs": RUNS, "seconds_per_run": SECONDS,
               "database": "PostgreSQL, 2 servers behind nginx" if POSTGRES else "SQLite, 1 server"}
    if seed_seconds is not None:
        results["seed_seconds"] = round(seed_seconds, 1)

    search = subprocess.run([str(DEMO_TOOL), "bench-search"], env=server_env(False), capture_output=True,
                            text=True, check=True).stdout.split()
    results["live_search_server_ms"] = {"p50": float(search[0]), "p95": float(search[1]), "max": float(search[2])}
    results["wordpress_import"] = wordpress_import()

    with serving(cache=False) as srv:
        results["cold_start_s"] = round(srv.cold_start, 3)
        home = fetch(BASE + "/")[2].decode()
        article_path = re.search(r'class="lead-title"><a href="([^"]+)"', home).group(1)
        css = re.search(r'href="(/pkg/[^"]+\.css)"', home).group(1)
        urls = {
            "home": "/",
            "category": "/category/politics",
            "category page 50": "/category/politics/page/50",
            "tag": "/tag/housing",
            "tag page 50": "/tag/housing/page/50",
            "author": "/author/maren-holt",
            "author page 50": "/author/maren-holt/page/50",
            "article": article_path,
            "search page": "/search?q=harbour",
            "live search (server fn)": "/api/suggest?q=harb",
            "hashed static asset": css,
        }
        results["urls"] = urls
        time.sleep(0.5)
        results["rss_idle_mb"] = round(srv.rss_mb(), 1)
        article_html = fetch(BASE + article_path)[2]
        measure_routes(results, "uncached", urls, srv)

    with serving(cache=True) as srv:
        results["cold_start_cached_server_s"] = round(srv.cold_start, 3)
        for path in urls.values():
            fetch(BASE + path)
        measure_routes(results, "warm", urls, srv)
        article_transfer = fetch(BASE + article_path, {"Accept-Encoding": "br"})
        if POSTGRES:
            log("cache purge: a change reaching the other server")
            results["purge_ms"] = purge_latency(article_path)
        results["article_html_bytes"] = {"raw": len(article_html), "brotli": len(article_transfer[2])}
        if os.environ.get("BENCH_SKIP_LIGHTHOUSE") != "1":
            results["lighthouse"] = {}
            for page in LIGHTHOUSE_PAGES:
                log(f"lighthouse (mobile preset) on the {page} page, {LIGHTHOUSE_RUNS} runs")
                results["lighthouse"][page] = lighthouse(BASE + urls[page])
        log(f"load test: 28 readers and 4 editors (saving every 200 ms, uploading) for {LOAD_SECONDS} s")
        load = subprocess.run([str(DEMO_TOOL), "traffic", "--base", BASE, "--seconds", str(LOAD_SECONDS),
                               "--server-pid", str(srv.proc.pid)],
                              env=server_env(True), capture_output=True, text=True)
        results["load_test"] = {"output": load.stdout + load.stderr, "passed": load.returncode == 0}
        time.sleep(1)
        results["rss_after_load_mb"] = round(srv.rss_mb(), 1)
        if SOAK_SECONDS > 0:
            results["soak"] = soak(srv)

    # Live coverage and view beacons on a server of their own, its pages warm: the load test's
    # image uploads leave the allocator holding memory that would be counted against the streams.
    with serving(cache=True) as srv:
        for path in urls.values():
            fetch(BASE + path)
        log(f"live coverage: {LIVE_STREAMS} open streams, {LIVE_ROUNDS} updates posted")
        results["live"] = live_coverage(srv, article_path)
        log(f"view beacons for {BEACON_SECONDS} s")
        results["beacons"] = beacons()

    results["digest"] = digest()

    log("nginx serving the same article HTML")
    results["nginx_article"] = nginx_limit(article_html)
    if POSTGRES:
        log("nginx serving it from two static servers behind the same balancer")
        results["nginx_article_balanced"] = nginx_limit(article_html, balanced=True)

    sizes = asset_sizes(article_html.decode())
    results["assets"] = sizes
    wasm = [v for k, v in sizes.items() if k.endswith(".wasm")]
    first_load_br = sum((v["brotli"] or v["gzip"]) for v in sizes.values())
    results["reader_wasm_brotli"] = sum((v["brotli"] or 0) for v in wasm)
    results["first_load_js_wasm_css_brotli"] = first_load_br
    results["first_load_total_brotli"] = first_load_br + len(article_transfer[2])
    # The newsroom's own bundle (scripts/build.sh), its routes in split chunks.
    newsroom = SITE / "pkg" / "newsroom"
    split = list(newsroom.glob("*_split_*")) + list(newsroom.glob("chunk_*.wasm"))
    results["editor_split_chunks"] = len(split)
    results["newsroom_wasm_brotli"] = sum(p.stat().st_size for p in newsroom.glob("newsroom.*.wasm.br"))

    report(results)


def soak(srv):
    """The load test's traffic for SOAK_SECONDS, the server's RSS sampled every 30 s: it must
    level off (the last half's highest no more than 10% above the first half's), not climb."""
    log(f"soak: the same load for {SOAK_SECONDS} s, the server's RSS every {SOAK_SAMPLE_EVERY} s")
    samples = [(0, round(srv.rss_mb(), 1))]
    stop = threading.Event()

    def sample():
        t0 = time.monotonic()
        while not stop.wait(SOAK_SAMPLE_EVERY):
            samples.append((round(time.monotonic() - t0), round(srv.rss_mb(), 1)))
            log(f"soak: {samples[-1][0]:>4} s  RSS {samples[-1][1]} MB")

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    done = subprocess.run([str(DEMO_TOOL), "traffic", "--base", BASE, "--seconds", str(SOAK_SECONDS),
                           "--server-pid", str(srv.proc.pid)],
                          env=server_env(True), capture_output=True, text=True)
    stop.set()
    sampler.join()
    under_load = [rss for t, rss in samples[1:]]
    half = max(1, len(under_load) // 2)
    first, last = max(under_load[:half], default=0), max(under_load[half:], default=0)
    return {"samples": samples, "first_half_max_mb": first, "last_half_max_mb": last,
            "flat": bool(under_load) and last <= first * 1.10, "passed": done.returncode == 0,
            "output": done.stdout + done.stderr}


def report(r):
    u, w, n = r["uncached"], r["warm"], r["nginx_article"]
    ratio = w["article"]["c32"]["rps"] / n["rps"]
    deep = u["category page 50"]["c32"]["rps"] / u["category"]["c32"]["rps"]
    rows = []

    def line(name, figure, budget, ok):
        rows.append({"figure": name, "value": figure, "budget": budget, "pass": ok})

    line("article, cache warm vs nginx (32 conn)", f"{w['article']['c32']['rps']} vs {n['rps']} req/s = {ratio:.2f}x",
         ">= 0.75x", ratio >= 0.75)
    if "nginx_article_balanced" in r:
        b = r["nginx_article_balanced"]
        line("  the same, both behind the balancer", f"{w['article']['c32']['rps']} vs {b['rps']} req/s = "
             f"{w['article']['c32']['rps'] / b['rps']:.2f}x", "(like for like)", None)
    line("article, uncached (32 conn)", f"{u['article']['c32']['rps']} req/s, p99 {u['article']['c32']['p99_ms']} ms",
         ">= 3000 req/s, p99 <= 20 ms", u["article"]["c32"]["rps"] >= 3000 and u["article"]["c32"]["p99_ms"] <= 20)
    s = r["live_search_server_ms"]
    search_budget = 10 if POSTGRES else 5
    line("live search at 100k, server side", f"p50 {s['p50']} ms, p95 {s['p95']} ms", f"p95 <= {search_budget} ms",
         s["p95"] <= search_budget)
    line("category page 50 vs page 1 (uncached, 32 conn)",
         f"{u['category page 50']['c32']['rps']} vs {u['category']['c32']['rps']} req/s = {deep:.2f}x", ">= 0.90x", deep >= 0.9)
    tag_deep = u["tag page 50"]["c32"]["rps"] / u["tag"]["c32"]["rps"]
    line("tag page 50 vs page 1 (uncached, 32 conn)",
         f"{u['tag page 50']['c32']['rps']} vs {u['tag']['c32']['rps']} req/s = {tag_deep:.2f}x", ">= 0.90x",
         tag_deep >= 0.9)
    author_deep = u["author page 50"]["c32"]["rps"] / u["author"]["c32"]["rps"]
    line("author page 50 vs page 1 (uncached, 32 conn)",
         f"{u['author page 50']['c32']['rps']} vs {u['author']['c32']['rps']} req/s = {author_deep:.2f}x", ">= 0.90x",
         author_deep >= 0.9)
    for page, floor in (("home", 2000), ("category", 2000), ("tag", 2000), ("author", 2000), ("search page", 1000)):
        line(f"{page}, uncached (32 conn)", f"{u[page]['c32']['rps']} req/s", f">= {floor} req/s",
             u[page]["c32"]["rps"] >= floor)
    line("reader WASM, brotli", f"{r['reader_wasm_brotli'] / 1024:.0f} KB", "<= 150 KB", r["reader_wasm_brotli"] <= 150 * 1024)
    line("first load JS + WASM + CSS, brotli", f"{r['first_load_js_wasm_css_brotli'] / 1024:.0f} KB", "<= 200 KB",
         r["first_load_js_wasm_css_brotli"] <= 200 * 1024)
    line("newsroom: its own bundle, routes split", f"{r['newsroom_wasm_brotli'] / 1024:.0f} KB + {r['editor_split_chunks']} chunks",
         "not in the reader's", r["newsroom_wasm_brotli"] > 0 and r["editor_split_chunks"] >= 1)
    rss = max(r["rss_under_load_uncached_mb"], r["rss_under_load_warm_mb"])
    line("server RSS under wrk (100k db)", f"{rss} MB (idle {r['rss_idle_mb']} MB)", "(for comparison)", None)
    if "rss_after_load_mb" in r:
        line("server RSS after the load test", f"{r['rss_after_load_mb']} MB", "<= 150 MB", r["rss_after_load_mb"] <= 150)
    if "soak" in r:
        sk = r["soak"]
        line(f"soak, {SOAK_SECONDS} s of the load test: RSS", f"max {sk['first_half_max_mb']} MB in the first half, "
             f"{sk['last_half_max_mb']} MB in the last", "levels off (<= +10%)", sk["flat"])
        line("soak, readers + editors", "0 errors" if sk["passed"] else "errors (see above)", "0 errors", sk["passed"])
    line("cold start to first 200", f"{r['cold_start_s']} s", "<= 1 s", r["cold_start_s"] <= 1)
    for page, lh in r.get("lighthouse", {}).items():
        sc = lh["scores"]
        line(f"Lighthouse mobile, {page} (median of {len(lh['runs'])})",
             f"{sc['performance']}, LCP {lh['lcp_ms']} ms, TBT {lh['tbt_ms']} ms, CLS {lh['cls']}",
             ">= 95, LCP <= 2000, TBT <= 100, CLS <= 0.02",
             sc["performance"] >= 95 and lh["lcp_ms"] <= 2000 and lh["tbt_ms"] <= 100 and lh["cls"] <= 0.02)
    if "purge_ms" in r:
        p = r["purge_ms"]
        line("cache purge reaching the other server", f"p50 {p['p50_ms']} ms, max {p['max_ms']} ms ({p['rounds']} changes)",
             "<= 100 ms", p["max_ms"] <= 100)
    if "wordpress_import" in r:
        wp = r["wordpress_import"]
        line(f"WordPress import, {wp['posts']} posts", f"{wp['seconds']} s, peak RSS {wp['peak_rss_mb']} MB",
             "<= 30 s", wp["seconds"] <= 30)
    if "live" in r:
        lv = r["live"]
        line(f"live update -> {lv['open']} open streams", f"p50 {lv['p50_ms']} ms, p95 {lv['p95_ms']} ms, "
             f"max {lv['max_ms']} ms ({lv['missing']} missing)", "p95 <= 1000 ms, none missing",
             lv["p95_ms"] <= 1000 and lv["missing"] == 0 and lv["open"] == LIVE_STREAMS)
        rss_open = max(lv["rss_open_mb"] or 0, lv["rss_open_sampled_mb"])
        line(f"server RSS with {lv['open']} streams open", f"{rss_open} MB (before {lv['rss_before_mb']} MB)",
             "<= 150 MB", rss_open <= 150)
        line(f"article, warm, {lv['open']} streams open (32 conn)",
             f"{lv['article_warm_with_streams']['rps']} req/s, p99 {lv['article_warm_with_streams']['p99_ms']} ms",
             "(for comparison)", None)
    readers_return_rows(r, line)
    if "load_test" in r:
        line("load test, readers + editors (32 conn)", "0 errors" if r["load_test"]["passed"] else "errors (see above)",
             "0 errors", r["load_test"]["passed"])
    r["budgets"] = rows

    print()
    print(f"Benchmark: {r['articles']} articles on {r['database']}, median of {r['runs']} runs of "
          f"{r['seconds_per_run']} s, wrk on loopback")
    if "seed_seconds" in r:
        print(f"Database generated in {r['seed_seconds']} s")
    print()
    print(f"{'route':32} {'mode':9} {'1 conn req/s':>13} {'p50 ms':>8} {'p99 ms':>8} {'32 conn req/s':>14} {'p50 ms':>8} {'p99 ms':>8}")
    for mode, table in (("uncached", u), ("warm", w)):
        for name, m in table.items():
            print(f"{name:32} {mode:9} {m['c1']['rps']:>13} {m['c1']['p50_ms']:>8} {m['c1']['p99_ms']:>8} "
                  f"{m['c32']['rps']:>14} {m['c32']['p50_ms']:>8} {m['c32']['p99_ms']:>8}")
    print(f"{'article as static file (nginx)':32} {'limit':9} {'':>13} {'':>8} {'':>8} {n['rps']:>14} {n['p50_ms']:>8} {n['p99_ms']:>8}")
    if "nginx_article_balanced" in r:
        b = r["nginx_article_balanced"]
        print(f"{'  ... 2 static nginx + balancer':32} {'limit':9} {'':>13} {'':>8} {'':>8} {b['rps']:>14} {b['p50_ms']:>8} {b['p99_ms']:>8}")
    print()
    print("asset                                   raw        gzip      brotli")
    for name, s in r["assets"].items():
        print(f"{name:36} {s['raw']:>9} {s['gzip']:>11} {s['brotli'] or '-':>11}")
    print(f"article HTML                         {r['article_html_bytes']['raw']:>9} {'':>11} {r['article_html_bytes']['brotli']:>11}")
    print(f"first load of an article (HTML + CSS + JS + WASM, brotli): {r['first_load_total_brotli'] / 1024:.0f} KB")
    for page, lh in r.get("lighthouse", {}).items():
        for i, run in enumerate(lh["runs"], 1):
            print(f"Lighthouse {page} run {i}: {run['scores']}, LCP {run['lcp_ms']} ms, TBT {run['tbt_ms']} ms, "
                  f"CLS {run['cls']}, total transfer {run['total_bytes'] / 1024:.0f} KB")
    if "load_test" in r:
        print()
        print(r["load_test"]["output"].rstrip())
    if "soak" in r:
        print()
        print(f"soak ({SOAK_SECONDS} s): server RSS every {SOAK_SAMPLE_EVERY} s, MB: "
              + ", ".join(f"{t} s {rss}" for t, rss in r["soak"]["samples"]))
        print(r["soak"]["output"].rstrip())
    print()
    print(f"{'budget':48} {'figure':52} {'budget':28} result")
    for row in rows:
        print(f"{row['figure']:48} {row['value']:52} {row['budget']:28} {'-' if row['pass'] is None else 'PASS' if row['pass'] else 'FAIL'}")
    out = BENCH / "results.json"
    out.write_text(json.dumps(r, indent=2))
    print(f"\nJSON: {out}")


if __name__ == "__main__":
    main()
