//! The benchmark's live coverage figures (`portal-demo live-bench`): many readers' event
//! streams open on one server, updates posted through the newsroom's API, and each update's
//! way from the editor's request to every open stream timed. Each stream is a plain
//! connection reading the server-sent events as a browser's `EventSource` would.
//!
//! Prints one JSON line while the streams are still open (so the benchmark can measure the
//! server under them), then holds them until its standard input closes.

use crate::demo::DEMO_USERS;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;

pub struct LivePlan {
    /// `http://host:port`, no trailing slash.
    pub base: String,
    /// The server's public origin (its check of writes).
    pub origin: String,
    pub streams: usize,
    pub rounds: usize,
    pub server_pid: Option<u32>,
}

/// Opens the streams, posts `rounds` updates to article `article_id` (switched to live
/// coverage first) and reports the delivery times.
pub async fn run(plan: &LivePlan, article_id: i64) -> Result<(), String> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| e.to_string())?;
    let (email, _, _, password) = DEMO_USERS[0];
    let res = client
        .post(format!("{}/api/admin/login", plan.base))
        .header("origin", &plan.origin)
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .map_err(|e| format!("logging in: {e}"))?;
    let cookie =
        crate::demo::traffic::session_cookie(&res).ok_or("the demo editor could not log in")?;
    let post = |path: &str, body: serde_json::Value| {
        client
            .post(format!("{}{path}", plan.base))
            .header("origin", &plan.origin)
            .header("cookie", &cookie)
            .json(&body)
            .send()
    };
    let res = post(
        "/api/admin/live-switch",
        serde_json::json!({ "id": article_id, "live": true }),
    )
    .await
    .map_err(|e| e.to_string())?;
    if !res.status().is_success() {
        return Err(format!("starting live coverage: {}", res.status()));
    }

    let rss_before = plan.server_pid.and_then(crate::demo::traffic::rss_mib);
    let addr = plan.base.trim_start_matches("http://").to_string();
    let connected = Arc::new(AtomicUsize::new(0));
    let (arrivals, mut arrived) = mpsc::unbounded_channel::<(usize, Instant)>();
    let mut holders = Vec::new();
    for _ in 0..plan.streams {
        let addr = addr.clone();
        let connected = connected.clone();
        let arrivals = arrivals.clone();
        holders.push(tokio::spawn(async move {
            if let Err(e) = listen(&addr, article_id, connected, arrivals).await {
                eprintln!("a stream failed: {e}");
            }
        }));
        // Not all at once: the listen backlog is finite.
        if holders.len() % 200 == 0 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    drop(arrivals);
    let start = Instant::now();
    while connected.load(Ordering::Relaxed) < plan.streams
        && start.elapsed() < Duration::from_secs(60)
    {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let open = connected.load(Ordering::Relaxed);
    let rss_open = plan.server_pid.and_then(crate::demo::traffic::rss_mib);

    let mut latencies = Vec::new();
    let mut missing = 0usize;
    for round in 0..plan.rounds {
        let sent = Instant::now();
        let res = post(
            "/api/admin/live-post",
            serde_json::json!({ "id": article_id, "form": {
                "body": format!("Benchmark update {round}: the harbour wall holds."),
                "author_id": null, "key_title": null } }),
        )
        .await
        .map_err(|e| e.to_string())?;
        if !res.status().is_success() {
            return Err(format!("posting an update: {}", res.status()));
        }
        let mut got = 0;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while got < open {
            match tokio::time::timeout_at(deadline, arrived.recv()).await {
                Ok(Some((r, at))) if r == round => {
                    latencies.push(at.saturating_duration_since(sent).as_secs_f64() * 1000.0);
                    got += 1;
                }
                Ok(Some(_)) => {}
                _ => break,
            }
        }
        missing += open - got;
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    latencies.sort_by(f64::total_cmp);
    let at = |q: f64| {
        latencies
            .get(((latencies.len() as f64 * q).ceil() as usize).saturating_sub(1))
            .copied()
            .unwrap_or(0.0)
    };
    println!(
        "{}",
        serde_json::json!({
            "streams": plan.streams, "open": open, "rounds": plan.rounds,
            "deliveries": latencies.len(), "missing": missing,
            "p50_ms": round1(at(0.50)), "p95_ms": round1(at(0.95)),
            "max_ms": round1(latencies.last().copied().unwrap_or(0.0)),
            "rss_before_mb": rss_before.map(round1), "rss_open_mb": rss_open.map(round1),
        })
    );
    // Held open while the benchmark measures the server under them.
    let _ = tokio::task::spawn_blocking(|| std::io::stdin().read_line(&mut String::new())).await;
    for h in holders {
        h.abort();
    }
    Ok(())
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// One reader's stream: counts itself connected once the server answered, then reports each
/// benchmark update's arrival (its round).
async fn listen(
    addr: &str,
    article_id: i64,
    connected: Arc<AtomicUsize>,
    arrivals: mpsc::UnboundedSender<(usize, Instant)>,
) -> Result<(), String> {
    let stream = tokio::net::TcpStream::connect(addr)
        .await
        .map_err(|e| e.to_string())?;
    let (read, mut write) = stream.into_split();
    write
        .write_all(
            format!(
                "GET /api/live/{article_id} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
            )
            .as_bytes(),
        )
        .await
        .map_err(|e| e.to_string())?;
    let mut lines = BufReader::new(read).lines();
    let status = lines
        .next_line()
        .await
        .map_err(|e| e.to_string())?
        .unwrap_or_default();
    if !status.contains(" 200 ") {
        return Err(format!("the server answered {status}"));
    }
    connected.fetch_add(1, Ordering::Relaxed);
    while let Some(line) = lines.next_line().await.map_err(|e| e.to_string())? {
        if let Some(rest) = line.split("Benchmark update ").nth(1) {
            if let Some(round) = rest.split(':').next().and_then(|r| r.parse().ok()) {
                let _ = arrivals.send((round, Instant::now()));
            }
        }
    }
    Ok(())
}
