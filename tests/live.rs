//! Live coverage through the real router: the newsroom's writes and their rules, the event
//! stream (each change once, in order; catching up by `Last-Event-ID`; edits and deletions;
//! the bound on streams per client; ending cleanly at shutdown), the reader's page with and
//! without the stream, and, on PostgreSQL, an update posted through one server reaching the
//! readers of another.
#![cfg(feature = "ssr")]

mod common;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Request, StatusCode};
use common::{app_with, TestApp, AUTHOR, EDITOR};
use http_body_util::BodyExt;
use portal::model::live::{EditorCoverage, LiveEvent, LiveState};
use serde_json::json;
use std::time::Duration;

/// An event of the stream: its id and its data.
#[derive(Debug)]
struct Sse {
    id: Option<i64>,
    event: LiveEvent,
}

/// Reads an event stream's body a frame at a time.
struct Stream {
    body: Body,
    buf: String,
    /// Everything read, comments and retry lines included.
    raw: String,
}

impl Stream {
    fn new(res: axum::response::Response) -> Self {
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()[header::CONTENT_TYPE], "text/event-stream");
        Stream {
            body: res.into_body(),
            buf: String::new(),
            raw: String::new(),
        }
    }

    /// The next event with data, within `patience`; `None` if the stream ended or stayed
    /// quiet.
    async fn next(&mut self, patience: Duration) -> Option<Sse> {
        let deadline = tokio::time::Instant::now() + patience;
        loop {
            while let Some(end) = self.buf.find("\n\n") {
                let block: String = self.buf.drain(..end + 2).collect();
                let mut id = None;
                let mut data = None;
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("id:") {
                        id = v.trim().parse().ok();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data = Some(v.trim().to_string());
                    }
                }
                if let Some(data) = data {
                    let event = serde_json::from_str(&data)
                        .unwrap_or_else(|e| panic!("not an event ({e}): {data}"));
                    return Some(Sse { id, event });
                }
            }
            let frame = tokio::time::timeout_at(deadline, self.body.frame())
                .await
                .ok()??;
            if let Ok(bytes) = frame.unwrap().into_data() {
                let text = String::from_utf8_lossy(&bytes).replace("\r\n", "\n");
                self.raw.push_str(&text);
                self.buf.push_str(&text);
            }
        }
    }

    /// Every event that arrives within `patience`.
    async fn drain(&mut self, patience: Duration) -> Vec<Sse> {
        let mut all = Vec::new();
        while let Some(e) = self.next(patience).await {
            all.push(e);
        }
        all
    }
}

const QUICK: Duration = Duration::from_millis(400);
const SOON: Duration = Duration::from_secs(5);

/// A published article's id and slug.
async fn published(app: &TestApp) -> (i64, String) {
    // The newest: it leads the home page.
    let id = app
        .count(
            "SELECT id FROM articles WHERE status = 'published' AND page_path IS NULL \
             ORDER BY published_at DESC, id DESC LIMIT 1",
        )
        .await;
    let slug = app
        .texts(&format!("SELECT slug FROM articles WHERE id = {id}"))
        .await
        .remove(0);
    (id, slug)
}

fn coverage(res: &common::Res) -> EditorCoverage {
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    serde_json::from_value(res.json()).unwrap_or_else(|e| panic!("{e}: {}", res.body))
}

async fn switch(app: &TestApp, id: i64, live: bool, cookie: &str) -> common::Res {
    app.post_json(
        "/api/admin/live-switch",
        json!({ "id": id, "live": live }),
        Some(cookie),
    )
    .await
}

async fn post(app: &TestApp, id: i64, body: &str, key: Option<&str>, cookie: &str) -> common::Res {
    app.post_json(
        "/api/admin/live-post",
        json!({ "id": id, "form": { "body": body, "author_id": null, "key_title": key } }),
        Some(cookie),
    )
    .await
}

/// Posts an update and returns its id.
async fn post_ok(app: &TestApp, id: i64, body: &str, cookie: &str) -> i64 {
    let res = post(app, id, body, None, cookie).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let answer = res.json();
    let c: EditorCoverage = serde_json::from_value(answer["Ok"].clone())
        .unwrap_or_else(|e| panic!("{e}: {}", res.body));
    c.updates
        .iter()
        .find(|u| u.body_md == body)
        .map(|u| u.update.id)
        .expect("the new update is listed")
}

fn stream_request(
    id: i64,
    since: Option<i64>,
    last_event: Option<i64>,
    client: [u8; 4],
) -> Request<Body> {
    let uri = match since {
        Some(s) => format!("/api/live/{id}?since={s}"),
        None => format!("/api/live/{id}"),
    };
    let mut req = Request::get(uri);
    if let Some(l) = last_event {
        req = req.header("last-event-id", l.to_string());
    }
    let mut req = req.body(Body::empty()).unwrap();
    req.extensions_mut()
        .insert(ConnectInfo(std::net::SocketAddr::from((client, 40000))));
    req
}

async fn live_article(app: &TestApp, editor: &str) -> (i64, String) {
    let (id, slug) = published(app).await;
    let c = coverage(&switch(app, id, true, editor).await);
    assert_eq!(c.state, LiveState::Live);
    (id, slug)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_hears_each_change_once_and_a_page_that_comes_back_catches_up() {
    let app = app_with(&[]).await;
    let editor = app.login(EDITOR).await;
    let (id, slug) = live_article(&app, &editor).await;
    let mut stream = Stream::new(
        app.open(stream_request(id, None, None, [10, 0, 0, 1]))
            .await,
    );
    assert!(stream.next(QUICK).await.is_none(), "nothing happened yet");
    assert!(
        stream.raw.contains("retry:"),
        "the server says when to reconnect: {}",
        stream.raw
    );

    let first = post_ok(&app, id, "Polls have **closed**.", &editor).await;
    let got = stream.next(SOON).await.expect("the new update");
    let first_rev = got.id.expect("events carry their revision");
    match &got.event {
        LiveEvent::Update { update } => {
            assert_eq!(update.id, first);
            assert!(
                update.html.contains("<strong>closed</strong>"),
                "{}",
                update.html
            );
        }
        other => panic!("{other:?}"),
    }
    // An edit and a deletion, in order, each once.
    let res = app
        .post_json(
            "/api/admin/live-edit",
            json!({ "update_id": first, "form": { "body": "Polls have closed at 22:00.", "author_id": null, "key_title": "Polls close" } }),
            Some(&editor),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let second = post_ok(&app, id, "Counting has begun.", &editor).await;
    let res = app
        .post_json(
            "/api/admin/live-delete",
            json!({ "update_id": second }),
            Some(&editor),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let events = stream.drain(QUICK * 2).await;
    let kinds: Vec<String> = events
        .iter()
        .map(|e| match &e.event {
            LiveEvent::Update { update } => format!("update {} {}", update.id, update.key_title),
            LiveEvent::Remove { id } => format!("remove {id}"),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            format!("update {first} Polls close"),
            format!("update {second} "),
            format!("remove {second}")
        ]
    );
    let revs: Vec<i64> = events.iter().map(|e| e.id.unwrap()).collect();
    assert!(
        revs.windows(2).all(|w| w[0] < w[1]) && revs[0] > first_rev,
        "{revs:?}"
    );

    // A page that slept after the first event: it hears the state of each update that moved
    // since, once (the second update's post and deletion are one removal), and what comes
    // later.
    let mut back = Stream::new(
        app.open(stream_request(id, Some(0), Some(first_rev), [10, 0, 0, 2]))
            .await,
    );
    let caught = back.drain(QUICK).await;
    let seen: Vec<String> = caught
        .iter()
        .map(|e| match &e.event {
            LiveEvent::Update { update } => format!("update {}", update.id),
            LiveEvent::Remove { id } => format!("remove {id}"),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        seen,
        [format!("update {first}"), format!("remove {second}")]
    );
    // A cached page from before the coverage (revision 0) asks with `since` and misses
    // nothing either: the coverage began, then the two updates' states.
    let mut cached = Stream::new(
        app.open(stream_request(id, Some(0), None, [10, 0, 0, 3]))
            .await,
    );
    let states: Vec<String> = cached
        .drain(QUICK)
        .await
        .iter()
        .map(|e| match &e.event {
            LiveEvent::Update { update } => format!("update {}", update.id),
            LiveEvent::Remove { id } => format!("remove {id}"),
            LiveEvent::State { state, .. } => format!("{state:?}"),
            LiveEvent::Reload => "reload".into(),
        })
        .collect();
    assert_eq!(
        states,
        [
            "Live".to_string(),
            format!("update {first}"),
            format!("remove {second}")
        ]
    );

    // Ending the coverage reaches the open pages.
    coverage(&switch(&app, id, false, &editor).await);
    match back.next(SOON).await.map(|e| e.event) {
        Some(LiveEvent::State { state, ended }) => {
            assert_eq!(state, LiveState::Ended);
            assert!(ended.is_some());
        }
        other => panic!("{other:?}"),
    }

    // The page itself: every update without JavaScript, the banner, the structured data.
    let page = app.get(&format!("/article/{slug}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Polls have closed at 22:00."));
    assert!(
        !page.body.contains("Counting has begun."),
        "a deleted update is gone"
    );
    assert!(page.body.contains("This live coverage has ended"));
    assert!(
        page.body.contains(r#""@type":"LiveBlogPosting""#),
        "JSON-LD"
    );
    assert!(page.body.contains("coverageEndTime"));
    assert!(page.body.contains("liveBlogUpdate"));
    assert!(page.body.contains(r#"role="feed""#));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_coverage_pages_back_and_the_page_cache_stays_right() {
    let app = app_with(&[]).await;
    let editor = app.login(EDITOR).await;
    let (id, slug) = live_article(&app, &editor).await;
    let page = app.get(&format!("/article/{slug}")).await;
    assert!(page.body.contains("The first updates are on their way."));
    for n in 1..=23 {
        post_ok(&app, id, &format!("Update number {n}."), &editor).await;
    }
    // Cached before, and the update purges it: the newest is there at once.
    let page = app.get(&format!("/article/{slug}")).await;
    assert!(page.body.contains("Update number 23."));
    assert!(page.body.contains("Update number 4."));
    assert!(!page.body.contains("Update number 3."), "20 to a page");
    let older = page
        .body
        .split("href=\"?before=")
        .nth(1)
        .and_then(|rest| rest.split('#').next())
        .expect("an Older updates link")
        .to_string();
    let back = app.get(&format!("/article/{slug}?before={older}")).await;
    assert_eq!(back.status, StatusCode::OK);
    for n in 1..=3 {
        assert!(back.body.contains(&format!("Update number {n}.")), "{n}");
    }
    assert!(!back.body.contains("Update number 4."));
    assert!(back.body.contains("Latest updates"));
    // The same through the island's read function.
    let res = app
        .get(&format!("/api/older_updates?slug={slug}&before={older}"))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json()["updates"].as_array().unwrap().len(), 3);
    // Its feed carries the updates, newest first, each linking to its place on the page.
    assert!(
        page.body.contains(&format!("/article/{slug}/feed.xml")),
        "the feed is linked from <head>"
    );
    let feed = app.get(&format!("/article/{slug}/feed.xml")).await;
    assert_eq!(feed.status, StatusCode::OK);
    let parsed = feed_rs::parser::parse(feed.body.as_bytes()).expect("a valid feed");
    assert_eq!(parsed.entries.len(), 23);
    assert!(parsed.entries[0]
        .title
        .as_ref()
        .unwrap()
        .content
        .contains("Update number 23."));
    assert!(parsed.entries[0].links[0].href.contains("#update-"));
    assert_eq!(
        app.get("/article/no-such-article/feed.xml").await.status,
        StatusCode::NOT_FOUND
    );
    // The home page marks the article as live.
    let home = app.get("/").await;
    assert!(home.body.contains("live-badge"), "LIVE in the lists");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn who_may_run_live_coverage_and_what_is_refused() {
    let app = app_with(&[]).await;
    let editor = app.login(EDITOR).await;
    let author = app.login(AUTHOR).await;
    let (id, _) = published(&app).await;
    // No stream for an article without coverage, nor for nonsense.
    for uri in [
        format!("/api/live/{id}"),
        "/api/live/abc".into(),
        "/api/live/99999999".into(),
    ] {
        let res = app.get(&uri).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{uri}");
    }
    // Authors do not start coverage; anonymous readers write nothing.
    assert_eq!(
        switch(&app, id, true, &author).await.status,
        StatusCode::FORBIDDEN
    );
    let res = app
        .post_json(
            "/api/admin/live-switch",
            json!({ "id": id, "live": true }),
            None,
        )
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    // Posting to an article that is not live says so.
    let res = post(&app, id, "Too early.", None, &editor).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    coverage(&switch(&app, id, true, &editor).await);
    // An author may not post to someone else's article, pin, or change another's update.
    assert_eq!(
        post(&app, id, "Mine.", None, &author).await.status,
        StatusCode::FORBIDDEN
    );
    let update = post_ok(&app, id, "From the desk.", &editor).await;
    for (uri, body) in [
        (
            "/api/admin/live-pin",
            json!({ "update_id": update, "pin": true }),
        ),
        ("/api/admin/live-delete", json!({ "update_id": update })),
    ] {
        let res = app.post_json(uri, body, Some(&author)).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{uri}");
    }
    // Problems with the form are data, field by field; nothing is posted.
    let res = post(&app, id, "  ", Some(""), &editor).await;
    assert_eq!(res.status, StatusCode::OK);
    let fields: Vec<String> = res.json()["Err"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fields, ["LiveUpdate", "KeyEvent"]);
    // A profile outside the byline is refused.
    let res = app
        .post_json(
            "/api/admin/live-post",
            json!({ "id": id, "form": { "body": "x", "author_id": 987654, "key_title": null } }),
            Some(&editor),
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST, "{}", res.body);
    // Editors pin; the pinned update comes first in the newsroom and above the stream.
    let res = app
        .post_json(
            "/api/admin/live-pin",
            json!({ "update_id": update, "pin": true }),
            Some(&editor),
        )
        .await;
    let c = coverage(&res);
    assert!(c.updates[0].update.pinned);
    // A page cannot go live.
    let page_id = app
        .count("SELECT min(id) FROM articles WHERE page_path IS NOT NULL")
        .await;
    let res = switch(&app, page_id, true, &editor).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM live_updates WHERE article_id = {id}"
        ))
        .await,
        1,
        "one update posted"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streams_are_bounded_per_client_and_end_with_a_retry_hint_at_shutdown() {
    let app = app_with(&[
        ("PORTAL_LIVE_STREAMS_PER_CLIENT", "2"),
        ("PORTAL_LIVE_RETRY", "7"),
    ])
    .await;
    let editor = app.login(EDITOR).await;
    let (id, _) = live_article(&app, &editor).await;
    let one = app
        .open(stream_request(id, None, None, [192, 0, 2, 1]))
        .await;
    let two = app
        .open(stream_request(id, None, None, [192, 0, 2, 1]))
        .await;
    let three = app
        .open(stream_request(id, None, None, [192, 0, 2, 1]))
        .await;
    assert_eq!(three.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(three.headers().contains_key(header::RETRY_AFTER));
    // Another address is not counted against this one.
    let other = app
        .open(stream_request(id, None, None, [192, 0, 2, 2]))
        .await;
    assert_eq!(other.status(), StatusCode::OK);
    // A stream that ends gives its place back.
    drop(one);
    let again = app
        .open(stream_request(id, None, None, [192, 0, 2, 1]))
        .await;
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(app.state.live.open_streams(), 3);

    let mut two = Stream::new(two);
    assert!(two.next(QUICK).await.is_none());
    assert!(
        two.raw.contains("retry: 7000") || two.raw.contains("retry:7000"),
        "{}",
        two.raw
    );
    // Shutdown: each stream ends, with a hint to come back a little later.
    app.state.live.close();
    assert!(two.next(SOON).await.is_none(), "the stream ended");
    let last = two
        .raw
        .rsplit("\n\n")
        .find(|b| !b.trim().is_empty())
        .unwrap_or_default()
        .to_string();
    assert!(last.contains("retry:"), "a retry hint last: {:?}", two.raw);
    drop((two, again, other));
    assert_eq!(app.state.live.open_streams(), 0);
    let refused = app
        .open(stream_request(id, None, None, [192, 0, 2, 9]))
        .await;
    assert_eq!(refused.status(), StatusCode::SERVICE_UNAVAILABLE);
}

/// PostgreSQL: an update posted through one server reaches a page listening on another
/// (the database announces it; each server reads it once for all its readers).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_update_posted_on_one_server_reaches_the_readers_of_another() {
    let app = app_with(&[]).await;
    if matches!(app.pool, portal::server::db::Pool::Sqlite(_)) {
        eprintln!("skipped: several servers share a PostgreSQL database, not a SQLite file");
        return;
    }
    let editor = app.login(EDITOR).await;
    let (id, _) = live_article(&app, &editor).await;
    let other_state = app.another_server();
    let follower = other_state.live.spawn_follower();
    let other = portal::server::edge::http::router(other_state);
    let open = tower::ServiceExt::oneshot(other, stream_request(id, None, None, [10, 9, 9, 9]));
    let mut stream = Stream::new(open.await.unwrap());
    // The listener may still be connecting: post until the other server hears one.
    let mut heard = None;
    for round in 0..10 {
        let update = post_ok(&app, id, &format!("Across servers {round}."), &editor).await;
        if let Some(e) = stream.next(Duration::from_secs(2)).await {
            heard = Some((update, e));
            break;
        }
    }
    let (update, event) = heard.expect("the other server's reader heard an update");
    match event.event {
        LiveEvent::Update { update: u } => assert!(u.id <= update),
        other => panic!("{other:?}"),
    }
    follower.abort();
}
