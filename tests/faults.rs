//! The server killed with SIGKILL, three times, while readers read and four editors save every
//! 200 ms and upload images through the real HTTP API. Nothing the server acknowledged may be
//! lost, the database and its search index stay intact, a scheduled article whose time came
//! while the server was down is published when it is back, and the only failures readers and
//! editors see are refused connections while it is down.
//!
//! `FAULT_SECONDS` (default 4) is roughly how long the server runs between kills; the figures
//! are printed (`cargo test --test faults -- --nocapture`, or scripts/faults.sh).
#![cfg(feature = "ssr")]

mod common;

use portal::demo::traffic::{self, Outcome, Plan, Shared};
use std::io::BufRead;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts the server and returns once it listens.
fn start(data_dir: &Path, port: u16) -> Child {
    let mut child = common::clean_command(env!("CARGO_BIN_EXE_portal"))
        .env("PORTAL_DATA_DIR", data_dir)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("PORTAL_PUBLIC_URL", format!("http://127.0.0.1:{port}"))
        .env("RUST_LOG", "warn,portal=info")
        .env("LEPTOS_OUTPUT_NAME", "portal")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let out = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut lines = out.lines();
    let started = Instant::now();
    loop {
        match lines.next() {
            Some(Ok(line)) if line.contains("listening on") => break,
            Some(Ok(_)) => {}
            _ => panic!("the server exited before it listened"),
        }
        assert!(started.elapsed() < Duration::from_secs(60), "no start");
    }
    // Keep reading its output so it never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines.by_ref() {});
    child
}

fn pause(min_ms: u64, max_ms: u64) -> Duration {
    Duration::from_millis(fastrand::u64(min_ms..max_ms))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killed_three_times_under_traffic_nothing_acknowledged_is_lost() {
    let run_for: u64 = std::env::var("FAULT_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(4);
    let dir = tempfile::tempdir().unwrap();
    let seeded = common::clean_command(env!("CARGO_BIN_EXE_portal-demo"))
        .env("PORTAL_DATA_DIR", dir.path())
        .env("RUST_LOG", "warn")
        .arg("seed")
        .output()
        .unwrap();
    assert!(seeded.status.success(), "{seeded:?}");
    let port = free_port();
    let mut server = start(dir.path(), port);
    let base = format!("http://127.0.0.1:{port}");
    let plan = Plan {
        origin: base.clone(),
        base,
        readers: 6,
        editors: 4,
        save_every: Duration::from_millis(200),
        upload_every: 5,
    };
    let scheduled = traffic::schedule_article(&plan, "Due while the presses were down")
        .await
        .expect("a scheduled article");

    let record = Shared::default();
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let tasks = traffic::start(&plan, &record, &stopped);
    let db_url = format!("sqlite://{}", dir.path().join("portal.db").display());
    let mut down_windows = Vec::new();
    for kill in 0..3 {
        tokio::time::sleep(pause(run_for * 500, run_for * 1500)).await;
        let down = Instant::now();
        server.kill().unwrap(); // SIGKILL
        server.wait().unwrap();
        if kill == 0 {
            // While nobody serves, the scheduled article's time comes.
            let mut db = <sqlx::SqliteConnection as sqlx::Connection>::connect(&db_url)
                .await
                .unwrap();
            sqlx::query("UPDATE articles SET published_at = ?1 WHERE id = ?2")
                .bind(portal::server::dates::now() - 1)
                .bind(scheduled)
                .execute(&mut db)
                .await
                .unwrap();
            sqlx::Connection::close(db).await.unwrap();
        }
        tokio::time::sleep(pause(200, 1000)).await;
        server = start(dir.path(), port);
        down_windows.push((down, Instant::now()));
    }
    tokio::time::sleep(Duration::from_secs(run_for)).await;
    let _ = stop.send(true);
    for t in tasks {
        t.await.expect("a reader or editor panicked");
    }
    // The server is stopped the way a deploy stops it, then the files are examined.
    Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(server.wait().unwrap().success());

    let record = std::mem::take(&mut *record.lock().unwrap());
    let pool = portal::server::db::connect(&db_url).await.unwrap();
    let db = pool.as_sqlite().unwrap().clone();
    let mut found = 0;
    for ack in &record.acks {
        let n: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM article_revisions WHERE article_id = ?1 AND version = ?2 \
             AND json_extract(snapshot, '$.body_md') = ?3",
        )
        .bind(ack.article)
        .bind(ack.version)
        .bind(&ack.body)
        .fetch_one(&db)
        .await
        .unwrap();
        found += n;
    }
    let mut images_found = 0;
    for url in &record.uploads {
        let file = dir
            .path()
            .join("media")
            .join(url.trim_start_matches("/media/"));
        images_found += file.is_file() as usize;
    }
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&db)
        .await
        .unwrap();
    let fts = sqlx::query("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")
        .execute(&db)
        .await;
    // The index holds exactly the published articles, no pages (one size row per indexed one).
    let unindexed: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM articles WHERE status = 'published' AND page_path IS NULL \
         AND id NOT IN (SELECT id FROM articles_fts_docsize)",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    let stray: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM articles_fts_docsize WHERE id NOT IN \
         (SELECT id FROM articles WHERE status = 'published' AND page_path IS NULL)",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    let status: String = sqlx::query_scalar("SELECT status FROM articles WHERE id = ?1")
        .bind(scheduled)
        .fetch_one(&db)
        .await
        .unwrap();

    // A failure is allowed only as a refused or cut connection while the server was down
    // (or on its way down: the request was in flight when it died).
    let slack = Duration::from_millis(50);
    let unexpected: Vec<_> = record
        .requests
        .iter()
        .filter(|r| r.outcome != Outcome::Ok)
        .filter(|r| {
            let overlaps = down_windows
                .iter()
                .any(|(down, up)| r.started <= *up + slack && r.started + r.took + slack >= *down);
            !(r.outcome == Outcome::Connection && overlaps)
        })
        .collect();
    println!(
        "fault test: 3 SIGKILLs, down {:?}",
        down_windows
            .iter()
            .map(|(d, u)| format!("{} ms", (*u - *d).as_millis()))
            .collect::<Vec<_>>()
    );
    print!("{}", traffic::print_table(&record.requests));
    println!(
        "requests {}, saves acknowledged {}, saves found {found}, reloads after a lost answer {}, \
         images acknowledged {}, images found {images_found}, errors by kind {:?}, \
         unexpected {}",
        record.requests.len(),
        record.acks.len(),
        record.reloads,
        record.uploads.len(),
        traffic::errors_by_kind(&record.requests),
        unexpected.len()
    );
    assert!(record.acks.len() > 20, "too few saves to mean anything");
    assert_eq!(
        found as usize,
        record.acks.len(),
        "acknowledged saves were lost"
    );
    assert_eq!(
        images_found,
        record.uploads.len(),
        "acknowledged images were lost"
    );
    assert_eq!(integrity, "ok");
    assert!(fts.is_ok(), "search index damaged: {fts:?}");
    assert_eq!((unindexed, stray), (0, 0), "search index out of step");
    assert_eq!(status, "published", "the article that came due while down");
    assert!(
        unexpected.is_empty(),
        "failures outside the down windows: {unexpected:#?}"
    );
}
