//! The command lines, run as an operator runs them: `portal --help` documents every setting
//! and starts nothing, `portal user ...` manages accounts, the server never creates any, and
//! malformed commands are refused with a message.
#![cfg(feature = "ssr")]

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn run(bin: &str, data_dir: &Path, args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Output {
    let mut command = common::clean_command(bin);
    let mut child = command
        .args(args)
        .env("PORTAL_DATA_DIR", data_dir)
        .env("RUST_LOG", "warn")
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    // A command that starts a server instead of answering is a failure, not a hang.
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("{bin} {args:?} did not finish");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn portal(data_dir: &Path, args: &[&str], stdin: &str) -> Output {
    run(env!("CARGO_BIN_EXE_portal"), data_dir, args, stdin, &[])
}

fn text(out: &[u8]) -> String {
    String::from_utf8_lossy(out).into_owned()
}

#[test]
fn help_documents_every_setting_and_starts_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = portal(dir.path(), &["--help"], "");
    assert!(out.status.success());
    let help = text(&out.stdout);
    for variable in [
        "PORTAL_DATA_DIR",
        "PORTAL_DATABASE_URL",
        "PORTAL_SITE_NAME",
        "PORTAL_TIMEZONE",
        "PORTAL_PUBLIC_URL",
        "PORTAL_PAGE_CACHE",
        "PORTAL_PAGE_CACHE_MIB",
        "PORTAL_SQLITE_SYNCHRONOUS",
        "PORTAL_RENDER_RETRY",
        "PORTAL_METRICS_TOKEN",
        "LEPTOS_SITE_ADDR",
        "RUST_LOG",
    ] {
        assert!(
            help.contains(variable),
            "--help does not mention {variable}"
        );
    }
    assert!(
        std::fs::read_dir(dir.path()).unwrap().next().is_none(),
        "--help touched the data folder"
    );
}

#[test]
fn accounts_from_the_command_line_and_none_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let list = portal(dir.path(), &["user", "list"], "");
    assert!(list.status.success(), "{}", text(&list.stderr));
    assert_eq!(text(&list.stdout), "", "a new database has no accounts");

    let add = [
        "user",
        "add",
        "--email",
        "ed@example.org",
        "--name",
        "Ed Itor",
        "--role",
        "editor",
        "--password-stdin",
    ];
    let out = portal(dir.path(), &add, "a long password\n");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("created editor user ed@example.org"));
    let list = text(&portal(dir.path(), &["user", "list"], "").stdout);
    assert!(
        list.contains("ed@example.org") && list.contains("Ed Itor"),
        "{list}"
    );

    let again = portal(dir.path(), &add, "a long password\n");
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again.stderr).contains("exists already"));

    let weak = portal(
        dir.path(),
        &[
            "user",
            "password",
            "--email",
            "ed@example.org",
            "--password-stdin",
        ],
        "short\n",
    );
    assert_eq!(weak.status.code(), Some(1));
    assert!(text(&weak.stderr).contains("Passwords need"));

    // A flag where a value belongs is refused, not taken as the value.
    let swallowed = portal(
        dir.path(),
        &["user", "add", "--email", "--name", "X", "--role", "editor"],
        "",
    );
    assert_eq!(swallowed.status.code(), Some(2));
    assert!(
        text(&swallowed.stderr).contains("--email"),
        "{}",
        text(&swallowed.stderr)
    );
    let role = portal(
        dir.path(),
        &[
            "user", "add", "--email", "a@b.org", "--name", "A", "--role", "boss",
        ],
        "",
    );
    assert_eq!(role.status.code(), Some(2));
    assert!(text(&role.stderr).contains("admin, editor or author"));
}

#[test]
fn bad_settings_stop_the_start_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        env!("CARGO_BIN_EXE_portal"),
        dir.path(),
        &["user", "list"],
        "",
        &[("PORTAL_TIMEZONE", "Mars/Olympus")],
    );
    assert_eq!(out.status.code(), Some(2));
    let message = text(&out.stderr);
    assert!(
        message.contains("IANA timezone") && message.contains("--timezone"),
        "{message}"
    );
}

/// `portal-demo seed` on `data_dir`: what it printed.
fn seed(data_dir: &Path) -> String {
    let out = run(
        env!("CARGO_BIN_EXE_portal-demo"),
        data_dir,
        &["seed"],
        "",
        &[],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
}

const DEMO_EMAILS: [&str; 3] = [
    portal::demo::DEMO_USERS[0].0,
    portal::demo::DEMO_USERS[1].0,
    portal::demo::DEMO_USERS[2].0,
];

#[test]
fn only_the_demo_tool_writes_demo_content() {
    let dir = tempfile::tempdir().unwrap();
    assert!(seed(dir.path()).contains("128 demo articles"));
    let list = text(&portal(dir.path(), &["user", "list"], "").stdout);
    for email in DEMO_EMAILS {
        assert!(list.contains(email), "{list}");
    }
    // A second run leaves a filled database alone.
    assert!(seed(dir.path()).contains("nothing written"));
}

#[test]
fn demo_passwords_are_never_served_beyond_this_machine() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path());
    // On an address others can reach, the start is refused and says what to do.
    let public = [("LEPTOS_SITE_ADDR", "0.0.0.0:0")];
    let out = run(env!("CARGO_BIN_EXE_portal"), dir.path(), &[], "", &public);
    assert_eq!(out.status.code(), Some(1));
    let message = text(&out.stderr);
    for expected in [
        "refusing to serve",
        "admin@meridian.example",
        "portal user password",
    ] {
        assert!(message.contains(expected), "{message}");
    }
    // Once every demo account has a password of its own, the same start serves.
    for email in DEMO_EMAILS {
        let changed = portal(
            dir.path(),
            &["user", "password", "--email", email, "--password-stdin"],
            "a password only we know\n",
        );
        assert!(changed.status.success(), "{}", text(&changed.stderr));
    }
    let (mut server, _) = start_server(dir.path(), &public);
    server.kill().unwrap();
    let _ = server.wait();
}

/// Starts `portal` serving and waits until it listens; the server and its address.
fn start_server(data_dir: &Path, env: &[(&str, &str)]) -> (std::process::Child, String) {
    let mut command = common::clean_command(env!("CARGO_BIN_EXE_portal"));
    let mut server = command
        .env("PORTAL_DATA_DIR", data_dir)
        .env("RUST_LOG", "info")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let output = server.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(output)
            .lines()
            .map_while(Result::ok)
        {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut seen = vec![];
    loop {
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(line) => {
                if let Some(at) = line.find("listening on http://") {
                    let addr = line[at + "listening on http://".len()..]
                        .split(|c: char| c.is_whitespace() || c == '\u{1b}')
                        .next()
                        .unwrap_or_default()
                        .to_string();
                    return (server, addr);
                }
                seen.push(line);
            }
            Err(_) => {
                let _ = server.kill();
                let _ = server.wait();
                panic!("the server did not start: {seen:?}");
            }
        }
    }
}

#[test]
fn a_client_that_sends_its_headers_too_slowly_is_cut_off() {
    use std::io::Read;
    use std::net::TcpStream;
    let dir = tempfile::tempdir().unwrap();
    let (mut server, addr) = start_server(
        dir.path(),
        &[
            ("LEPTOS_SITE_ADDR", "127.0.0.1:0"),
            ("PORTAL_HEADER_TIMEOUT", "1"),
        ],
    );
    let read_all = |stream: &mut TcpStream| {
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut answer = Vec::new();
        let started = Instant::now();
        let _ = stream.read_to_end(&mut answer);
        (
            String::from_utf8_lossy(&answer).into_owned(),
            started.elapsed(),
        )
    };
    // Half a request, then nothing: the server closes the connection after about a second.
    let mut slow = TcpStream::connect(&addr).unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: 1")
        .unwrap();
    let (answer, waited) = read_all(&mut slow);
    assert!(
        waited < Duration::from_secs(5),
        "the connection was held {waited:?}"
    );
    assert!(!answer.contains("200 OK"), "{answer}");
    // A whole request is answered as usual.
    let mut normal = TcpStream::connect(&addr).unwrap();
    normal
        .write_all(b"GET /robots.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .unwrap();
    let (answer, _) = read_all(&mut normal);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    // Cleartext HTTP/2 (prior knowledge) is not spoken: no time limit would guard it.
    let mut h2 = TcpStream::connect(&addr).unwrap();
    h2.write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00")
        .unwrap();
    h2.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut first = Vec::new();
    let _ = h2.read_to_end(&mut first);
    // An HTTP/2 server's first frame is SETTINGS: length (3 bytes), then type 4.
    let settings = first.len() >= 9 && first[3] == 4;
    assert!(
        !settings,
        "answered HTTP/2: {:?}",
        &first[..first.len().min(32)]
    );
    server.kill().unwrap();
    let _ = server.wait();
}

#[test]
fn backup_and_restore_from_the_command_line() {
    let live = tempfile::tempdir().unwrap();
    seed(live.path());
    let (mut server, _) = start_server(live.path(), &[("LEPTOS_SITE_ADDR", "127.0.0.1:0")]);
    // Online: the server keeps running while the copy is written.
    let file = live.path().join("nightly.db");
    let out = portal(live.path(), &["backup", file.to_str().unwrap()], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(
        said.contains("134 articles and pages") && said.contains("media"),
        "{said}"
    );
    // Not over a database a server is using, with a message that says what to do.
    let out = portal(live.path(), &["restore", file.to_str().unwrap()], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("stop it"),
        "{}",
        text(&out.stderr)
    );
    server.kill().unwrap();
    let _ = server.wait();

    let other = tempfile::tempdir().unwrap();
    let out = portal(other.path(), &["restore", file.to_str().unwrap()], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let list = text(&portal(other.path(), &["user", "list"], "").stdout);
    assert!(list.contains(DEMO_EMAILS[0]), "{list}");
    let out = portal(other.path(), &["backup", "/no/such/folder/x.db"], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("does not exist"),
        "{}",
        text(&out.stderr)
    );
}

/// One number from the database in `data_dir`.
fn number(data_dir: &Path, sql: &str) -> i64 {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let url = format!("sqlite://{}?mode=ro", data_dir.join("portal.db").display());
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        let n = sqlx::query_scalar(sql).fetch_one(&pool).await.unwrap();
        pool.close().await;
        n
    })
}

/// The newest published article of the database in `data_dir`.
fn a_published_article(data_dir: &Path) -> i64 {
    number(
        data_dir,
        "SELECT max(id) FROM articles WHERE status = 'published' AND page_path IS NULL",
    )
}

/// Logs in on a running server over plain HTTP; the session cookie.
fn login_over_http(addr: &str, email: &str, password: &str) -> String {
    use std::io::Read;
    let body = format!(
        "email={}&password={}",
        portal::model::encode_query_value(email),
        portal::model::encode_query_value(password)
    );
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "POST /api/admin/login HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://127.0.0.1:3000\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let at = answer.find("portal_session=").expect(&answer);
    answer[at..at + answer[at..].find(';').unwrap()].to_string()
}

#[test]
fn sigterm_finishes_the_requests_in_progress_and_exits_within_ten_seconds() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path());
    let (mut server, addr) = start_server(dir.path(), &[("LEPTOS_SITE_ADDR", "127.0.0.1:0")]);
    let (email, _, _, password) = portal::demo::DEMO_USERS[0];
    let cookie = login_over_http(&addr, email, password);

    // A reader follows an article's live coverage.
    let article = a_published_article(dir.path());
    let switch = format!("{{\"id\":{article},\"live\":true}}");
    let mut editor = std::net::TcpStream::connect(&addr).unwrap();
    write!(
        editor,
        "POST /api/admin/live-switch HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://127.0.0.1:3000\r\n\
         Cookie: {cookie}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{switch}",
        switch.len()
    )
    .unwrap();
    let mut answer = String::new();
    editor.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let mut reader = std::net::TcpStream::connect(&addr).unwrap();
    write!(
        reader,
        "GET /api/live/{article} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    reader
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut opening = [0u8; 4096];
    let n = reader.read(&mut opening).unwrap();
    let opening = String::from_utf8_lossy(&opening[..n]).to_string();
    assert!(opening.starts_with("HTTP/1.1 200"), "{opening}");
    // And reports having seen it (counted in memory; batches are written every 10 s).
    let view = article.to_string();
    let mut beacon = std::net::TcpStream::connect(&addr).unwrap();
    write!(
        beacon,
        "POST /api/view HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://127.0.0.1:3000\r\n\
         User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0\r\n\
         Content-Type: text/plain;charset=UTF-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{view}",
        view.len()
    )
    .unwrap();
    let mut answer = String::new();
    beacon.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 204"), "{answer}");

    // An upload is on its way: headers and half the body sent...
    let mut png = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(900, 600, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, 90])
    }))
    .write_to(&mut png, image::ImageFormat::Png)
    .unwrap();
    let boundary = "----shutdownboundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"late.png\"\r\n\
         Content-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(png.get_ref());
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut upload = std::net::TcpStream::connect(&addr).unwrap();
    write!(
        upload,
        "POST /api/admin/media HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://127.0.0.1:3000\r\n\
         Cookie: {cookie}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    let half = body.len() / 2;
    upload.write_all(&body[..half]).unwrap();
    std::thread::sleep(Duration::from_millis(200));

    // ...when the deploy tells the server to stop.
    let asked = Instant::now();
    let term = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    std::thread::sleep(Duration::from_millis(300));
    // No new connections are taken...
    let refused = std::net::TcpStream::connect(&addr);
    assert!(
        refused.is_err(),
        "a new connection was accepted after SIGTERM"
    );
    // The live stream ends at once, telling the browser when to come back (it would
    // otherwise hold its connection until the drain time runs out).
    let mut rest = String::new();
    reader.read_to_string(&mut rest).unwrap();
    let ended_after = asked.elapsed();
    assert!(
        rest.contains("retry:"),
        "a retry hint before the end: {rest:?}"
    );
    assert!(
        ended_after < Duration::from_secs(3),
        "the live stream ended {ended_after:?} after SIGTERM"
    );
    // ...but the upload that had started is finished and answered.
    upload.write_all(&body[half..]).unwrap();
    upload
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut answer = String::new();
    upload.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"url\":\"/media/"), "{answer}");
    // And the process is gone well within ten seconds, cleanly.
    let status = loop {
        if let Some(status) = server.try_wait().unwrap() {
            break status;
        }
        assert!(
            asked.elapsed() < Duration::from_secs(10),
            "still running 10 s after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
    // The view counted before the stop was written on the way out.
    assert_eq!(
        number(
            dir.path(),
            &format!(
                "SELECT coalesce(sum(views), 0) FROM article_views WHERE article_id = {article}"
            )
        ),
        1
    );
}

#[test]
fn wordpress_import_and_redirects_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wordpress");
    let export = fixture.join("export.xml");
    let uploads = fixture.join("uploads");
    let args = |extra: &[&str]| -> Vec<String> {
        let mut a = vec![
            "import".to_string(),
            "wordpress".into(),
            export.display().to_string(),
        ];
        a.extend(["--media-dir".to_string(), uploads.display().to_string()]);
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    };
    let call = |a: Vec<String>| {
        let refs: Vec<&str> = a.iter().map(String::as_str).collect();
        portal(dir.path(), &refs, "")
    };

    let dry = call(args(&["--dry-run"]));
    assert!(dry.status.success(), "{}", text(&dry.stderr));
    assert!(
        text(&dry.stdout).starts_with("Would import from https://gazette.example"),
        "{}",
        text(&dry.stdout)
    );

    let out = call(args(&["--map", "local-news=world"]));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report = text(&out.stdout);
    assert!(
        report.contains("7 posts (4 published, 1 scheduled, 2 as drafts)"),
        "{report}"
    );
    assert!(
        report.contains("not found: post"),
        "the lost image is reported: {report}"
    );
    assert!(
        text(&out.stderr).contains("8 of 8 posts"),
        "progress: {}",
        text(&out.stderr)
    );

    let again = call(args(&[]));
    assert!(again.status.success());
    assert!(
        text(&again.stdout).contains("0 posts"),
        "{}",
        text(&again.stdout)
    );
    assert!(
        text(&again.stdout).contains("11 imported before"),
        "{}",
        text(&again.stdout)
    );

    let bad_map = call(args(&["--map", "local-news"]));
    assert!(!bad_map.status.success());
    assert!(
        text(&bad_map.stderr).contains("OLD=NEW"),
        "{}",
        text(&bad_map.stderr)
    );
    let no_dir = portal(
        dir.path(),
        &[
            "import",
            "wordpress",
            "x.xml",
            "--media-dir",
            "/no/such/dir",
        ],
        "",
    );
    assert!(!no_dir.status.success());
    assert!(
        text(&no_dir.stderr).contains("not a folder"),
        "{}",
        text(&no_dir.stderr)
    );

    let list = portal(dir.path(), &["redirect", "list"], "");
    assert!(text(&list.stdout).contains(
        "/2024/05/03/harbour-council-backs-new-ferry-timetable  ->  /article/harbour-council-backs-new-ferry-timetable  (wordpress)"
    ), "{}", text(&list.stdout));
    let add = portal(
        dir.path(),
        &["redirect", "add", "/Old-Page/", "/category/world"],
        "",
    );
    assert!(add.status.success(), "{}", text(&add.stderr));
    assert!(text(&add.stdout).contains("/old-page now answers 301 to /category/world"));
    let twice = portal(dir.path(), &["redirect", "add", "/old-page", "/"], "");
    assert!(!twice.status.success());
    for to in [
        "//evil.example",
        "/\\evil.example",
        "/\t/evil.example",
        "javascript:alert(1)",
    ] {
        let hostile = portal(dir.path(), &["redirect", "add", "/x", to], "");
        assert!(!hostile.status.success(), "{to:?} was stored");
        assert!(
            text(&hostile.stderr).contains("give an address of this site"),
            "{to:?}"
        );
    }
    let removed = portal(dir.path(), &["redirect", "remove", "/old-page/"], "");
    assert!(removed.status.success(), "{}", text(&removed.stderr));
}

/// Demo content belongs to the developer tool: the server binary carries none of it. (The demo
/// module is part of the library, so that the server, the tool and the tests share one build;
/// the linker keeps only what a binary reaches, and nothing in `portal` reaches `portal::demo`.)
#[test]
fn the_server_binary_carries_no_demo_content() {
    // Read as text (invalid bytes replaced) for str's fast substring search.
    let read = |path: &str| String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
    let server = read(env!("CARGO_BIN_EXE_portal"));
    let tool = read(env!("CARGO_BIN_EXE_portal-demo"));
    for city in portal::demo::content::CITIES {
        assert!(tool.contains(city), "the probe finds {city} in portal-demo");
        assert!(!server.contains(city), "{city} is in the server binary");
    }
}
