//! The newsroom through the real router: logins and sessions, who may do what (every write
//! function, refused for anonymous and under-privileged users, with nothing changed), the
//! conflict rule, revisions, scheduling, uploads and sanitising.
#![cfg(feature = "ssr")]

mod common;

use axum::{
    body::Body,
    http::{header, Request, StatusCode},
};
use common::{app_as, app_with, cookie_of, Res, TestApp, ADMIN, AUTHOR, EDITOR};
use portal::demo::DEMO_USERS;
use portal::model::newsroom::*;
use portal::model::validate::Field;
use portal::server::{dates::Clock, newsroom::Newsroom as NewsroomService, prepare};
use serde_json::{json, Value};

async fn app() -> TestApp {
    app_with(&[]).await
}

trait Newsroom {
    async fn new_article(&self, cookie: &str) -> i64;
    async fn article(&self, id: i64, cookie: &str) -> EditorArticle;
    async fn save(&self, id: i64, base: i64, form: &ArticleForm, cookie: Option<&str>) -> Res;
    async fn action(&self, id: i64, base: i64, action: StatusAction, cookie: Option<&str>) -> Res;
    async fn state(&self) -> Vec<i64>;
    async fn draft(&self, cookie: &str, form: &ArticleForm) -> (i64, Saved);
}

impl Newsroom for TestApp {
    async fn new_article(&self, cookie: &str) -> i64 {
        let res = self.post_form("/api/admin/new", "", Some(cookie)).await;
        assert!(
            res.status.is_success() || res.status.is_redirection(),
            "{} {}",
            res.status,
            res.body
        );
        res.body
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("id expected: {}", res.body))
    }

    async fn article(&self, id: i64, cookie: &str) -> EditorArticle {
        let res = self
            .get_as(&format!("/api/admin/article?id={id}"), Some(cookie))
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        serde_json::from_str(&res.body).unwrap()
    }

    async fn save(&self, id: i64, base: i64, form: &ArticleForm, cookie: Option<&str>) -> Res {
        self.post_json(
            "/api/admin/save",
            json!({"id": id, "base_version": base, "form": form, "autosave": false}),
            cookie,
        )
        .await
    }

    async fn action(&self, id: i64, base: i64, action: StatusAction, cookie: Option<&str>) -> Res {
        self.post_json(
            "/api/admin/status",
            json!({"id": id, "base_version": base, "action": action}),
            cookie,
        )
        .await
    }

    /// A new article saved once with `form`: its id and what the save answered.
    async fn draft(&self, cookie: &str, form: &ArticleForm) -> (i64, Saved) {
        let id = self.new_article(cookie).await;
        let s = saved(&self.save(id, 1, form, Some(cookie)).await);
        (id, s)
    }

    /// A fingerprint of every table a write could touch.
    async fn state(&self) -> Vec<i64> {
        let mut out = Vec::new();
        for sql in [
            "SELECT count(*) FROM articles",
            "SELECT coalesce(sum(version), 0) FROM articles",
            "SELECT count(*) FROM article_revisions",
            "SELECT count(*) FROM article_notes",
            "SELECT count(*) FROM users",
            "SELECT coalesce(sum(session_epoch), 0) FROM users",
            "SELECT count(*) FROM media",
            "SELECT count(*) FROM articles WHERE status = 'published'",
        ] {
            out.push(self.count(sql).await);
        }
        out
    }
}

fn good_form(title: &str) -> ArticleForm {
    ArticleForm {
        title: title.into(),
        category: "tech".into(),
        excerpt: "A short summary of the story.".into(),
        body_md: "First paragraph.\n\nSecond paragraph.\n\n## More\n\nThird.".into(),
        author_name: "Demo Writer".into(),
        ..Default::default()
    }
}

fn saved(res: &Res) -> Saved {
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    match serde_json::from_str::<SaveResult>(&res.body).unwrap() {
        SaveResult::Saved(s) => s,
        other => panic!("expected Saved, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_sets_a_safe_session_cookie_and_logout_ends_it() {
    let app = app().await;
    let (email, _, _, password) = DEMO_USERS[EDITOR];
    let res = app.login_as(email, password).await;
    let set_cookie = res
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("portal_session="))
        .expect("a session cookie");
    assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
    assert!(set_cookie.contains("SameSite=Lax"), "{set_cookie}");
    assert!(
        !set_cookie.contains("Secure"),
        "plain http in tests: {set_cookie}"
    );
    let cookie = cookie_of(&res).unwrap();
    let me = app.get_as("/api/admin/whoami", Some(&cookie)).await;
    assert_eq!(me.json()["email"], email);
    assert!(me.headers[header::CACHE_CONTROL]
        .to_str()
        .unwrap()
        .contains("no-store"));
    // Dashboard: server-rendered for the logged-in user, never cacheable.
    let dash = app.get_as("/admin", Some(&cookie)).await;
    assert_eq!(dash.status, StatusCode::OK);
    assert!(
        dash.body.contains("Newsroom") && dash.body.contains("New article"),
        "{}",
        dash.body
    );
    assert_eq!(dash.headers[header::CACHE_CONTROL], "private, no-store");

    // Logging in again rotates the session id.
    let again = cookie_of(&app.login_as(email, password).await).unwrap();
    assert_ne!(again, cookie);

    app.post_form("/api/admin/logout", "", Some(&cookie)).await;
    assert_eq!(
        app.get_as("/api/admin/whoami", Some(&cookie)).await.body,
        "null"
    );
    // Logged out, the newsroom sends you to the login page before anything renders.
    let page = app
        .send(
            Request::get("/admin")
                .header(header::ACCEPT, "text/html")
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.headers[header::LOCATION], "/admin/login?next=%2Fadmin");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_passwords_are_refused_then_throttled() {
    let app = app().await;
    let (email, _, _, password) = DEMO_USERS[AUTHOR];
    for _ in 0..5 {
        let res = app.login_as(email, "not the password").await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{}", res.body);
        assert!(res.body.contains("Wrong e-mail address or password"));
        assert!(cookie_of(&res).is_none());
    }
    // Now even the right password waits, from this address: the pair is delayed.
    let res = app.login_as(email, password).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS, "{}", res.body);
    assert!(res.body.contains("Too many failed log-in attempts"));
    // The owner, from another address, is not locked out by someone else's guesses.
    let res = login_from(&app, email, password, "198.51.100.20", None).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    // Other accounts are not affected.
    app.login(EDITOR).await;
    // Unknown accounts answer exactly like wrong passwords.
    let res = app.login_as("nobody@meridian.example", "whatever123").await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
}

/// A log-in as it comes from `peer`, with these headers.
async fn login_with(
    app: &TestApp,
    email: &str,
    password: &str,
    peer: &str,
    headers: &[(&str, &str)],
) -> Res {
    use axum::extract::ConnectInfo;
    let mut req = Request::post("/api/admin/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let form = format!(
        "email={}&password={}",
        portal::model::encode_query_value(email),
        portal::model::encode_query_value(password)
    );
    let mut req = req.body(Body::from(form)).unwrap();
    let addr: std::net::SocketAddr = format!("{peer}:40000").parse().unwrap();
    req.extensions_mut().insert(ConnectInfo(addr));
    app.send(req).await
}

/// A log-in as it comes from `peer` (with what a proxy may have forwarded).
async fn login_from(
    app: &TestApp,
    email: &str,
    password: &str,
    peer: &str,
    forwarded_for: Option<&str>,
) -> Res {
    let headers: Vec<(&str, &str)> = forwarded_for
        .map(|f| ("x-forwarded-for", f))
        .into_iter()
        .collect();
    login_with(app, email, password, peer, &headers).await
}

/// A log-in from `peer` by a browser that sends `cookie` (its device cookie, say).
async fn login_with_cookie(
    app: &TestApp,
    email: &str,
    password: &str,
    peer: &str,
    cookie: Option<&str>,
) -> Res {
    let headers: Vec<(&str, &str)> = cookie.map(|c| ("cookie", c)).into_iter().collect();
    login_with(app, email, password, peer, &headers).await
}

/// The device cookie ("name=value") a log-in set, with its attributes checked.
fn device_cookie_of(res: &Res) -> String {
    let set = res
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("portal_device="))
        .unwrap_or_else(|| panic!("no device cookie: {:?}", res.headers))
        .to_string();
    for attribute in [
        "HttpOnly",
        "SameSite=Strict",
        "Path=/api/admin/login",
        "Max-Age=",
    ] {
        assert!(set.contains(attribute), "{set}");
    }
    set.split(';').next().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strangers_failures_never_hold_up_the_owners_own_browser() {
    let app = app().await;
    let (email, _, _, password) = DEMO_USERS[EDITOR];
    let home = "198.51.100.30";
    // The owner logs in from their browser, which is remembered from then on.
    let res = login_with_cookie(&app, email, password, home, None).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let device = device_cookie_of(&res);
    // A stranger guesses from the owner's own address until that address is held back...
    for _ in 0..5 {
        let res = login_with_cookie(&app, email, "a guess", home, None).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{}", res.body);
    }
    // ... and the account's brake is on, as after a hundred guesses from all over the world.
    let now = portal::server::dates::now();
    app.exec(&format!(
        "UPDATE login_throttle SET failures = 150, last_failure = {now}, blocked_until = {} \
         WHERE key = 'account:{email}'",
        now + 60
    ))
    .await;
    for (peer, cookie) in [
        (home, None),
        ("203.0.113.50", None),
        (
            home,
            Some("portal_device=made-up-token-that-is-long-enough-000"),
        ),
    ] {
        let res = login_with_cookie(&app, email, password, peer, cookie).await;
        assert_eq!(
            res.status,
            StatusCode::TOO_MANY_REQUESTS,
            "{peer} {cookie:?}: {}",
            res.body
        );
    }
    // The owner's browser is not held up, from its address or another one.
    for peer in [home, "192.0.2.80"] {
        let res = login_with_cookie(&app, email, password, peer, Some(&device)).await;
        assert_eq!(res.status, StatusCode::OK, "{peer}: {}", res.body);
        // The browser keeps its token.
        assert_eq!(device_cookie_of(&res), device);
    }
    // Its cookie is good for its own account only.
    let (other, _, _, other_password) = DEMO_USERS[AUTHOR];
    let res = login_with_cookie(&app, other, "a guess", "192.0.2.81", Some(&device)).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{}", res.body);
    let res = login_with_cookie(&app, other, other_password, "192.0.2.81", Some(&device)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_ne!(
        device_cookie_of(&res),
        device,
        "a new token for the other account"
    );
    // Guesses with a stolen device cookie meet that browser's own brake.
    for _ in 0..portal::server::accounts::FREE_TRIES_PER_DEVICE {
        let res = login_with_cookie(&app, email, "a guess", "192.0.2.82", Some(&device)).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{}", res.body);
    }
    let res = login_with_cookie(&app, email, password, "192.0.2.82", Some(&device)).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS, "{}", res.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_guesses_meet_the_limit_and_hashing_is_bounded() {
    use portal::server::accounts::FREE_TRIES_PER_PAIR;
    let app = std::sync::Arc::new(app().await);
    let (email, _, _, password) = DEMO_USERS[EDITOR];
    let guesses = (0..40).map(|i| {
        let app = app.clone();
        tokio::spawn(async move {
            login_from(
                &app,
                email,
                &format!("guess number {i}"),
                "203.0.113.7",
                None,
            )
            .await
            .status
        })
    });
    let mut statuses = vec![];
    for g in guesses {
        statuses.push(g.await.unwrap());
    }
    let checked = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert!(
        checked as i64 <= FREE_TRIES_PER_PAIR && checked >= 1,
        "{checked} of 40 parallel guesses were checked: {statuses:?}"
    );
    assert_eq!(checked + refused, 40, "{statuses:?}");
    // The owner elsewhere logs in at once.
    let res = login_from(&app, email, password, "198.51.100.21", None).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forwarded_addresses_are_believed_only_from_trusted_proxies() {
    let (email, _, _, password) = DEMO_USERS[AUTHOR];
    // Without trusted proxies a client cannot dodge the throttle with a made-up header.
    let app = app().await;
    for i in 0..5 {
        let fake = format!("192.0.2.{i}");
        let res = login_from(&app, email, "wrong password", "198.51.100.5", Some(&fake)).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    }
    let res = login_from(&app, email, password, "198.51.100.5", Some("192.0.2.99")).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS, "{}", res.body);

    // Behind a trusted proxy every reader has the proxy's address: the forwarded one counts,
    // so one person's failures do not lock out everyone behind the proxy.
    let app = app_with(&[("PORTAL_TRUSTED_PROXIES", "10.0.0.0/8")]).await;
    for _ in 0..5 {
        let res = login_from(&app, email, "wrong password", "10.0.0.1", Some("192.0.2.1")).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    }
    let res = login_from(&app, email, password, "10.0.0.1", Some("192.0.2.1")).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    let res = login_from(&app, email, password, "10.0.0.1", Some("192.0.2.2")).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_proxy_only_the_header_it_writes_names_the_client() {
    // nginx appends the real address to X-Forwarded-For and passes a client's own Forwarded
    // header through: a new made-up Forwarded per guess must not make a new client.
    let (_, _, _, password) = DEMO_USERS[AUTHOR];
    let app = app_with(&[("PORTAL_TRUSTED_PROXIES", "10.0.0.0/8")]).await;
    async fn from(app: &TestApp, i: u32, password: &str) -> Res {
        let (email, _, _, _) = DEMO_USERS[AUTHOR];
        let forwarded = format!("for=192.0.2.{i}");
        let headers = [
            ("forwarded", forwarded.as_str()),
            ("x-forwarded-for", "198.51.100.77"),
        ];
        login_with(app, email, password, "10.0.0.1", &headers).await
    }
    for i in 0..5 {
        let res = from(&app, i, "wrong password").await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{}", res.body);
    }
    let res = from(&app, 99, password).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS, "{}", res.body);
    // The audit log names the address the proxy recorded, not the client's invention.
    let clients = app
        .texts("SELECT DISTINCT client FROM audit_log WHERE action = 'failed log-in'")
        .await;
    assert_eq!(clients, vec!["198.51.100.77".to_string()]);

    // An operator whose proxy writes Forwarded chooses it: then that one counts.
    let app = app_with(&[
        ("PORTAL_TRUSTED_PROXIES", "10.0.0.0/8"),
        ("PORTAL_CLIENT_IP_HEADER", "forwarded"),
    ])
    .await;
    for i in 0..5 {
        let res = from(&app, i, "wrong password").await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{}", res.body);
    }
    let clients = app
        .texts(
            "SELECT DISTINCT client FROM audit_log WHERE action = 'failed log-in' ORDER BY client",
        )
        .await;
    assert_eq!(clients.len(), 5, "{clients:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_login_fields_are_refused_before_any_work() {
    let app = app().await;
    let rows = app.count("SELECT count(*) FROM login_throttle").await;
    let long = format!("{}@example.org", "a".repeat(10_000));
    let res = app.login_as(&long, "whatever").await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST, "{}", res.body);
    assert!(res.body.contains("at most"), "{}", res.body);
    let res = app.login_as("a@example.org", &"p".repeat(100_000)).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST, "{}", res.body);
    assert_eq!(app.count("SELECT count(*) FROM login_throttle").await, rows);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_write_refuses_anonymous_users_and_changes_nothing() {
    let (app, editor) = app_as(EDITOR).await;
    let id = app.new_article(&editor).await;
    let before = app.state().await;
    let form = good_form("Anonymous attempt");
    let writes: Vec<(&str, Value)> = vec![
        (
            "/api/admin/save",
            json!({"id": id, "base_version": 1, "form": form, "autosave": false}),
        ),
        (
            "/api/admin/status",
            json!({"id": id, "base_version": 1, "action": "Publish"}),
        ),
        ("/api/admin/note", json!({"id": id, "text": "note"})),
        (
            "/api/admin/restore",
            json!({"id": id, "revision_id": 1, "base_version": 1}),
        ),
        ("/api/admin/preview", json!({"body": "x"})),
        (
            "/api/admin/users/create",
            json!({"email": "x@y.example", "display_name": "X", "role": "Admin", "password": "0123456789ab"}),
        ),
        (
            "/api/admin/users/update",
            json!({"id": 1, "display_name": "X", "role": "Admin", "disabled": true}),
        ),
        (
            "/api/admin/users/password",
            json!({"id": 1, "password": "0123456789ab"}),
        ),
    ];
    for (uri, body) in writes {
        let res = app.post_json(uri, body, None).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{uri}: {}", res.body);
    }
    assert_eq!(
        app.post_form("/api/admin/new", "", None).await.status,
        StatusCode::UNAUTHORIZED
    );
    for uri in [
        "/api/admin/articles".to_string(),
        format!("/api/admin/article?id={id}"),
        format!("/api/admin/revisions?id={id}"),
        "/api/admin/users".to_string(),
        "/api/admin/picks?q=harbour".to_string(),
    ] {
        assert_eq!(
            app.get_as(&uri, None).await.status,
            StatusCode::UNAUTHORIZED,
            "{uri}"
        );
    }
    let upload = app.send(multipart("photo.png", &png(10, 10), None)).await;
    assert_eq!(upload.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.state().await, before, "nothing changed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authors_write_their_own_drafts_but_cannot_publish() {
    let (app, author) = app_as(AUTHOR).await;
    let editor = app.login(EDITOR).await;
    let (own, s) = app
        .draft(&author, &good_form("An author's own story"))
        .await;
    assert_eq!(s.status, Status::Draft);

    let before = app.state().await;
    for action in [
        StatusAction::Publish,
        StatusAction::Schedule("2099-01-01T10:00".into()),
    ] {
        let res = app.action(own, s.version, action, Some(&author)).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);
    }
    // Editor's Pick stays the editors' call: an author's save keeps what was there.
    let mut picked = good_form("An author's own story");
    picked.editors_pick = true;
    picked.pick_order = 1;
    let s2 = saved(&app.save(own, s.version, &picked, Some(&author)).await);
    assert!(!app.article(own, &author).await.form.editors_pick);
    let after_pick_attempt = app.state().await;
    assert_eq!(after_pick_attempt[0], before[0]);

    // Someone else's article: not even readable, let alone writable.
    let theirs = app.new_article(&editor).await;
    let snapshot = app.state().await;
    assert_eq!(
        app.get_as(&format!("/api/admin/article?id={theirs}"), Some(&author))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.save(theirs, 1, &good_form("Hijack attempt"), Some(&author))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.action(theirs, 1, StatusAction::Trash, Some(&author))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post_json(
            "/api/admin/restore",
            json!({"id": theirs, "revision_id": 1, "base_version": 1}),
            Some(&author)
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post_json(
            "/api/admin/note",
            json!({"id": own, "text": "A note"}),
            Some(&author)
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    for (uri, body) in [
        (
            "/api/admin/users/create",
            json!({"email": "x@y.example", "display_name": "X", "role": "Admin", "password": "0123456789ab"}),
        ),
        (
            "/api/admin/users/update",
            json!({"id": 2, "display_name": "X", "role": "Admin", "disabled": false}),
        ),
        (
            "/api/admin/users/password",
            json!({"id": 1, "password": "0123456789ab"}),
        ),
    ] {
        assert_eq!(
            app.post_json(uri, body.clone(), Some(&author)).await.status,
            StatusCode::FORBIDDEN,
            "author {uri}"
        );
        assert_eq!(
            app.post_json(uri, body, Some(&editor)).await.status,
            StatusCode::FORBIDDEN,
            "editor {uri}"
        );
    }
    assert_eq!(
        app.get_as("/api/admin/users", Some(&editor)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.state().await, snapshot, "nothing changed");

    // Submitting for review is the author's way forward; then the editor publishes.
    let r = saved(
        &app.action(
            own,
            s2.version,
            StatusAction::SubmitForReview,
            Some(&author),
        )
        .await,
    );
    assert_eq!(r.status, Status::Review);
    let p = saved(
        &app.action(own, r.version, StatusAction::Publish, Some(&editor))
            .await,
    );
    assert_eq!(p.status, Status::Published);
    // Published, it is out of the author's hands.
    assert_eq!(
        app.save(own, p.version, &good_form("Changed later"), Some(&author))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // Authors see only their own articles in the dashboard.
    let list = app
        .get_as("/api/admin/articles", Some(&author))
        .await
        .json();
    assert_eq!(list["total_items"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publishing_shows_on_reader_pages_at_once_and_unpublishing_removes_it() {
    let (app, editor) = app_as(EDITOR).await;
    let mut form = good_form("Zeppelin service returns to Valmere");
    form.body_md = "The airship docked at noon.\n\nPassengers cheered.".into();
    let (id, s) = app.draft(&editor, &form).await;
    assert_eq!(s.slug, "zeppelin-service-returns-to-valmere");
    // A draft is invisible to readers.
    assert_eq!(
        app.get_as("/article/zeppelin-service-returns-to-valmere", None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let p = saved(
        &app.action(id, s.version, StatusAction::Publish, Some(&editor))
            .await,
    );
    let page = app
        .get_as("/article/zeppelin-service-returns-to-valmere", None)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("The airship docked at noon."));
    assert!(app
        .get_as("/", None)
        .await
        .body
        .contains("Zeppelin service returns to Valmere"));
    assert!(app
        .get_as("/category/tech", None)
        .await
        .body
        .contains("Zeppelin service returns to Valmere"));
    assert!(app
        .get_as("/api/suggest?q=zeppel", None)
        .await
        .body
        .contains("zeppelin-service-returns-to-valmere"));

    // An update goes live on the next request; a correction note shows, dated.
    form.body_md = "The airship docked at one.\n\nPassengers cheered.".into();
    let u = saved(&app.save(id, p.version, &form, Some(&editor)).await);
    let note = app
        .post_json(
            "/api/admin/note",
            json!({"id": id, "text": "An earlier version gave the wrong time."}),
            Some(&editor),
        )
        .await;
    // No validation problems: the one shape of every form's answer, empty.
    assert_eq!(note.body, "[]");
    let page = app
        .get_as("/article/zeppelin-service-returns-to-valmere", None)
        .await;
    assert!(page.body.contains("docked at one") && !page.body.contains("docked at noon"));
    assert!(page
        .body
        .contains("An earlier version gave the wrong time."));

    saved(
        &app.action(id, u.version, StatusAction::Unpublish, Some(&editor))
            .await,
    );
    assert_eq!(
        app.get_as("/article/zeppelin-service-returns-to-valmere", None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert!(!app
        .get_as("/", None)
        .await
        .body
        .contains("Zeppelin service"));
    assert_eq!(app.get_as("/api/suggest?q=zeppel", None).await.body, "[]");
}

/// The sections and the sidebar are read once per content version and shared by every render
/// (`server::reader::blocks`): with the page cache off, a change must still show on the very next page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shared_blocks_follow_every_change_without_the_page_cache() {
    let app = app_with(&[("PORTAL_PAGE_CACHE", "off")]).await;
    let sidebar = |body: &str| {
        let from = body.find("class=\"sidebar\"").expect("a sidebar");
        let to = body[from..].find("</aside>").expect("the sidebar's end");
        body[from..from + to].to_string()
    };
    // "N articles" under the section's name.
    let count = |body: &str| -> u64 {
        let from = body.find("class=\"page-meta\">").expect("the count") + 18;
        let digits: String = body[from..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().expect("a number")
    };
    // The front page's lead story.
    let lead = |body: &str| {
        let from = body.find("class=\"lead-story\"").expect("a lead story");
        let to = body[from..].find("</article>").expect("the lead's end");
        body[from..from + to].to_string()
    };
    let title = "Lighthouse keepers vote to stay";
    let before = app.get_as("/category/politics", None).await;
    assert!(!sidebar(&before.body).contains(title));
    // The front page's blocks are read for this version now, and must not outlive it.
    let front = app.get_as("/", None).await.body;
    assert!(!front.contains(title));
    // (good_form's section is Tech.)
    let counted = count(&app.get_as("/category/tech", None).await.body);

    let editor = app.login(EDITOR).await;
    let mut form = good_form(title);
    form.editors_pick = true;
    let (id, s) = app.draft(&editor, &form).await;
    let p = saved(
        &app.action(id, s.version, StatusAction::Publish, Some(&editor))
            .await,
    );
    for page in ["/category/politics", "/"] {
        let side = sidebar(&app.get_as(page, None).await.body);
        let picks = &side[..side.find("Latest headlines").expect("headlines")];
        assert!(picks.contains(title), "{page}: Editor's Pick");
        assert!(side.contains("lighthouse-keepers-vote-to-stay"), "{page}");
    }
    let tech = app.get_as("/category/tech", None).await.body;
    assert_eq!(count(&tech), counted + 1, "the section counts it");
    let front = app.get_as("/", None).await.body;
    assert!(
        lead(&front).contains(title),
        "the newest article leads the front page"
    );
    let tech_block = &front[front.find("id=\"section-tech\"").expect("the Tech block")..];
    assert!(
        tech_block[..tech_block.find("</section>").unwrap()].contains(title),
        "and heads the front page's Tech block"
    );
    let latest = app.get_as("/api/latest", None).await.body;
    assert!(
        !latest.contains(title),
        "the Latest list starts after the lead"
    );

    saved(
        &app.action(id, p.version, StatusAction::Unpublish, Some(&editor))
            .await,
    );
    for page in ["/category/politics", "/"] {
        let side = sidebar(&app.get_as(page, None).await.body);
        assert!(!side.contains(title), "{page}: gone at once");
    }
    let tech = app.get_as("/category/tech", None).await.body;
    assert_eq!(count(&tech), counted, "and uncounted");
    let front = app.get_as("/", None).await.body;
    assert!(!front.contains(title), "the front page forgets it at once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn validation_and_slug_uniqueness() {
    let (app, editor) = app_as(EDITOR).await;
    let a = app.new_article(&editor).await;
    let b = app.new_article(&editor).await;
    let mut bad = good_form("Hi");
    bad.slug = "Not A Slug".into();
    bad.category = "astrology".into();
    bad.author_name = String::new();
    let res = app.save(a, 1, &bad, Some(&editor)).await;
    let SaveResult::Invalid(errors) = serde_json::from_str(&res.body).unwrap() else {
        panic!("{}", res.body)
    };
    let fields: Vec<Field> = errors.iter().map(|e| e.field).collect();
    for f in [
        Field::Title,
        Field::Slug,
        Field::AuthorName,
        Field::Category,
    ] {
        assert!(fields.contains(&f), "{f:?} missing from {fields:?}");
    }
    assert_eq!(app.article(a, &editor).await.version, 1, "nothing saved");

    let first = saved(
        &app.save(a, 1, &good_form("Same headline twice"), Some(&editor))
            .await,
    );
    assert_eq!(first.slug, "same-headline-twice");
    // An automatic slug moves aside...
    let second = saved(
        &app.save(b, 1, &good_form("Same headline twice"), Some(&editor))
            .await,
    );
    assert_eq!(second.slug, "same-headline-twice-2");
    // ...a chosen one is refused.
    let mut taken = good_form("Another headline");
    taken.slug = "same-headline-twice".into();
    let res = app.save(b, second.version, &taken, Some(&editor)).await;
    let SaveResult::Invalid(errors) = serde_json::from_str(&res.body).unwrap() else {
        panic!("{}", res.body)
    };
    assert_eq!(errors[0].field, Field::Slug);
    assert!(errors[0].message.contains("already uses"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_saves_from_one_version_the_second_is_refused_and_nothing_is_lost() {
    let (app, editor) = app_as(EDITOR).await;
    let admin = app.login(ADMIN).await;
    let (id, Saved { version: base, .. }) =
        app.draft(&editor, &good_form("Original headline")).await;

    let mut mine = good_form("Original headline");
    mine.body_md = "Editor's new paragraph.".into();
    let mut theirs = good_form("Original headline");
    theirs.body_md = "Admin's different paragraph.".into();
    theirs.title = "Admin changed the headline".into();

    saved(&app.save(id, base, &mine, Some(&editor)).await);
    let res = app.save(id, base, &theirs, Some(&admin)).await;
    let SaveResult::Conflict(conflict) = serde_json::from_str(&res.body).unwrap() else {
        panic!("{}", res.body)
    };
    // The refusal carries the saved version and names what differs.
    assert_eq!(conflict.current.form.body_md, "Editor's new paragraph.");
    assert!(conflict.changed.contains(&Field::Body) && conflict.changed.contains(&Field::Title));
    assert_eq!(conflict.current.updated_by, "Demo Editor");
    // The first save stands.
    let now = app.article(id, &editor).await;
    assert_eq!(now.form.body_md, "Editor's new paragraph.");
    // The second writer decides to keep their text: a save on the new base goes through.
    let kept = saved(
        &app.save(id, conflict.current.version, &theirs, Some(&admin))
            .await,
    );
    assert_eq!(
        app.article(id, &admin).await.form.body_md,
        "Admin's different paragraph."
    );
    // Both versions remain in the history.
    let revs: Vec<RevisionInfo> = serde_json::from_str::<RevisionPage>(
        &app.get_as(&format!("/api/admin/revisions?id={id}"), Some(&editor))
            .await
            .body,
    )
    .unwrap()
    .items;
    assert!(revs.iter().any(|r| r.title == "Admin changed the headline"));
    assert!(revs.len() >= 4, "{revs:?}");
    assert!(kept.version > conflict.current.version);

    // Status changes obey the same rule.
    let res = app
        .action(id, base, StatusAction::Publish, Some(&editor))
        .await;
    assert!(
        matches!(
            serde_json::from_str(&res.body).unwrap(),
            SaveResult::Conflict(_)
        ),
        "{}",
        res.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revisions_are_kept_and_any_can_be_restored() {
    let (app, editor) = app_as(EDITOR).await;
    let (id, Saved { version: v2, .. }) = app
        .draft(&editor, &good_form("First wording of the headline"))
        .await;
    let v3 = saved(
        &app.save(
            id,
            v2,
            &good_form("Second wording of the headline"),
            Some(&editor),
        )
        .await,
    )
    .version;
    let revs: Vec<RevisionInfo> = serde_json::from_str::<RevisionPage>(
        &app.get_as(&format!("/api/admin/revisions?id={id}"), Some(&editor))
            .await
            .body,
    )
    .unwrap()
    .items;
    let first = revs
        .iter()
        .find(|r| r.title == "First wording of the headline")
        .expect("revision kept");
    let restored = app
        .post_json(
            "/api/admin/restore",
            json!({"id": id, "revision_id": first.id, "base_version": v3}),
            Some(&editor),
        )
        .await;
    let s = saved(&restored);
    assert!(s.version > v3);
    assert_eq!(
        app.article(id, &editor).await.form.title,
        "First wording of the headline"
    );
    let revs: Vec<RevisionInfo> = serde_json::from_str::<RevisionPage>(
        &app.get_as(&format!("/api/admin/revisions?id={id}"), Some(&editor))
            .await
            .body,
    )
    .unwrap()
    .items;
    assert_eq!(revs[0].kind, "restore");
    assert!(
        revs.iter()
            .any(|r| r.title == "Second wording of the headline"),
        "history keeps what was replaced"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn autosave_of_a_live_article_waits_for_update() {
    let (app, editor) = app_as(EDITOR).await;
    let (id, Saved { version: v, .. }) = app
        .draft(&editor, &good_form("Live story about tides"))
        .await;
    let p = saved(
        &app.action(id, v, StatusAction::Publish, Some(&editor))
            .await,
    );
    let mut draft = good_form("Live story about tides");
    draft.body_md = "Half-written sentence".into();
    let res = app
        .post_json(
            "/api/admin/save",
            json!({"id": id, "base_version": p.version, "form": draft, "autosave": true}),
            Some(&editor),
        )
        .await;
    let s = saved(&res);
    assert!(s.pending);
    assert_eq!(s.version, p.version, "the live article did not change");
    let page = app.get_as("/article/live-story-about-tides", None).await;
    assert!(!page.body.contains("Half-written sentence"));
    // Reopening the editor offers the pending text.
    let reopened = app.article(id, &editor).await;
    assert_eq!(
        reopened.pending_autosave.unwrap().body_md,
        "Half-written sentence"
    );
    // An autosave of an invalid draft keeps the text too, without touching the article.
    let d = app.new_article(&editor).await;
    let mut short = good_form("Hm");
    short.body_md = "Precious words".into();
    let res = app
        .post_json(
            "/api/admin/save",
            json!({"id": d, "base_version": 1, "form": short, "autosave": true}),
            Some(&editor),
        )
        .await;
    assert!(saved(&res).pending);
    assert_eq!(
        app.article(d, &editor)
            .await
            .pending_autosave
            .unwrap()
            .body_md,
        "Precious words"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scheduled_articles_go_live_on_time_and_after_a_restart() {
    let (app, editor) = app_as(EDITOR).await;
    let (id, Saved { version: v, .. }) = app
        .draft(&editor, &good_form("Scheduled story for later"))
        .await;
    // In the past: refused with a field error.
    let res = app
        .action(
            id,
            v,
            StatusAction::Schedule("2020-01-01T09:00".into()),
            Some(&editor),
        )
        .await;
    let SaveResult::Invalid(e) = serde_json::from_str(&res.body).unwrap() else {
        panic!("{}", res.body)
    };
    assert_eq!(e[0].field, Field::PublishAt);
    let s = saved(
        &app.action(
            id,
            v,
            StatusAction::Schedule("2099-06-01T09:00".into()),
            Some(&editor),
        )
        .await,
    );
    assert_eq!(s.status, Status::Scheduled);
    assert_eq!(
        app.get_as("/article/scheduled-story-for-later", None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // The scheduler publishes what is due, and only that.
    let due = portal::server::dates::parse_local("2099-06-01T09:00", &app.config.timezone).unwrap();
    let round = |now| {
        let newsroom =
            NewsroomService::new(app.pool.clone(), app.config.timezone, Clock::fixed(now));
        let cache = app.cache.clone();
        async move { newsroom.run_scheduler_once(&cache).await }
    };
    assert_eq!(round(due - 1).await.unwrap(), 0);
    assert_eq!(round(due).await.unwrap(), 1);
    assert_eq!(
        app.count("SELECT count(*) FROM audit_log WHERE action = 'published (scheduled)' AND actor = 'the scheduler'")
            .await,
        1,
        "the scheduler's publication is in the audit log"
    );
    assert_eq!(
        app.get_as("/article/scheduled-story-for-later", None)
            .await
            .status,
        StatusCode::OK
    );

    // After downtime: an article that came due while the server was stopped goes out at start.
    overdue_article(&app, &editor, "Came due while the server slept").await;
    prepare(&app.config).await.expect("restart");
    // A restarted server starts with an empty page cache.
    app.cache.purge();
    assert_eq!(
        app.get_as("/article/came-due-while-the-server-slept", None)
            .await
            .status,
        StatusCode::OK
    );
}

/// An article scheduled through the API whose time then passed while no server ran (its
/// publication time moved into the past, as the clock would have).
async fn overdue_article(app: &TestApp, cookie: &str, title: &str) -> i64 {
    let (id, Saved { version: v, .. }) = app.draft(cookie, &good_form(title)).await;
    let schedule = StatusAction::Schedule("2099-06-01T09:00".into());
    saved(&app.action(id, v, schedule, Some(cookie)).await);
    app.exec(&format!(
        "UPDATE articles SET published_at = 1000 WHERE id = {id}"
    ))
    .await;
    id
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x * 7 % 256) as u8, (y * 3 % 256) as u8, 128])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

fn multipart(name: &str, bytes: &[u8], cookie: Option<&str>) -> Request<Body> {
    let boundary = "----portalboundary";
    let mut body = Vec::new();
    body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: image/png\r\n\r\n").as_bytes());
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut req = Request::post("/api/admin/media").header(
        header::CONTENT_TYPE,
        format!("multipart/form-data; boundary={boundary}"),
    );
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    req.body(Body::from(body)).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_are_checked_by_their_bytes_and_stored_as_variants() {
    let (app, author) = app_as(AUTHOR).await;
    // A PDF named like a photo and sent as image/png is still a PDF.
    let res = app
        .send(multipart(
            "holiday.png",
            b"%PDF-1.4 not an image at all",
            Some(&author),
        ))
        .await;
    assert_eq!(res.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(res.json()["error"].as_str().unwrap().contains("PDF"));
    let huge = vec![0x89u8; portal::model::validate::UPLOAD_MAX_BYTES + 10];
    let res = app.send(multipart("huge.png", &huge, Some(&author))).await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", res.body);
    assert!(res.json()["error"].as_str().unwrap().contains("10 MB"));
    assert_eq!(app.count("SELECT count(*) FROM media").await, 0);

    let res = app
        .send(multipart("photo.png", &png(1000, 600), Some(&author)))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let media: MediaRef = serde_json::from_str(&res.body).unwrap();
    assert_eq!((media.width, media.height), (800, 480));
    assert!(
        media.srcset.contains("400w") && media.srcset.contains("1000w"),
        "{}",
        media.srcset
    );
    let file = app.get_as(&media.url, None).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.headers[header::CONTENT_TYPE], "image/webp");
    assert!(file.headers[header::CACHE_CONTROL]
        .to_str()
        .unwrap()
        .contains("immutable"));

    // The featured image reaches the article page with srcset and its size.
    let editor = app.login(EDITOR).await;
    let id = app.new_article(&editor).await;
    let mut form = good_form("Pictures from the harbour festival");
    form.image = Some(media.clone());
    form.image_alt = "Boats decked with flags".into();
    form.image_credit = "Meridian Photo Desk".into();
    let v = saved(&app.save(id, 1, &form, Some(&editor)).await).version;
    saved(
        &app.action(id, v, StatusAction::Publish, Some(&editor))
            .await,
    );
    let page = app
        .get_as("/article/pictures-from-the-harbour-festival", None)
        .await;
    assert!(page.body.contains(&format!("src=\"{}\"", media.url)));
    assert!(page.body.contains("srcset=\""));
    assert!(page.body.contains("width=\"800\" height=\"480\""));
    assert!(page.body.contains("© Meridian Photo Desk"));
}

/// With `PORTAL_MEDIA_STORE=s3://…` uploads go to the object store (a real S3 server the test
/// command starts: s3s-fs), and any server of the cluster serves them with the same headers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_go_to_the_shared_object_store_and_every_server_serves_them() {
    let Ok(endpoint) = std::env::var("PORTAL_TEST_S3_ENDPOINT") else {
        eprintln!("skipped: PORTAL_TEST_S3_ENDPOINT is not set (scripts/s3.sh starts a server)");
        return;
    };
    let prefix = format!("s3://portal-media/test-{}", fastrand::u64(..));
    let settings = [
        ("PORTAL_MEDIA_STORE", prefix.as_str()),
        ("PORTAL_S3_ENDPOINT", endpoint.as_str()),
        ("PORTAL_S3_ACCESS_KEY_ID", "portal-test"),
        ("PORTAL_S3_SECRET_ACCESS_KEY", "portal-test-secret"),
    ];
    let app = app_with(&settings).await;
    let author = app.login(AUTHOR).await;
    let res = app
        .send(multipart("photo.png", &png(1000, 600), Some(&author)))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let media: MediaRef = serde_json::from_str(&res.body).unwrap();
    // Not on this server's disk: in the bucket.
    assert!(!app
        .config
        .media_dir()
        .join(media.url.trim_start_matches("/media/"))
        .exists());

    // A second server (its own router and state, the same database and store) answers alike.
    let other = portal::server::edge::http::router(app.another_server());
    let get = |router: portal::server::edge::http::App, uri: String, etag: Option<String>| async move {
        let mut req = Request::get(uri);
        if let Some(e) = etag {
            req = req.header(header::IF_NONE_MATCH, e);
        }
        tower::ServiceExt::oneshot(router, req.body(Body::empty()).unwrap())
            .await
            .unwrap()
    };
    let mine = get(app.router.clone(), media.url.clone(), None).await;
    let theirs = get(other.clone(), media.url.clone(), None).await;
    for res in [&mine, &theirs] {
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()[header::CONTENT_TYPE], "image/webp");
        assert!(res.headers()[header::CACHE_CONTROL]
            .to_str()
            .unwrap()
            .contains("immutable"));
    }
    let etag = mine.headers()[header::ETAG].to_str().unwrap().to_string();
    assert_eq!(theirs.headers()[header::ETAG], etag.as_str());
    let bytes = http_body_util::BodyExt::collect(theirs.into_body())
        .await
        .unwrap()
        .to_bytes();
    assert_eq!(&bytes[..4], b"RIFF", "a WebP file");
    let again = get(other.clone(), media.url.clone(), Some(etag)).await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    // Missing and hostile keys are 404s, never a request to the store for another bucket.
    for uri in [
        "/media/2026/01/none.webp",
        "/media/../etc/passwd",
        "/media/a//b.webp",
    ] {
        assert_eq!(
            get(other.clone(), uri.into(), None).await.status(),
            StatusCode::NOT_FOUND,
            "{uri}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_markup_in_any_field_is_neutralised() {
    let (app, editor) = app_as(EDITOR).await;
    let id = app.new_article(&editor).await;
    let form = ArticleForm {
        title: "Headline <script>alert('t')</script>".into(),
        category: "world".into(),
        excerpt: "Excerpt <img src=x onerror=alert('e')>".into(),
        body_md: "Body <script>alert('b')</script>\n\n<iframe src=\"https://evil.example\"></iframe>\n\n[click](javascript:alert('l'))".into(),
        author_name: "Name <b onmouseover=alert('a')>".into(),
        image_credit: "Credit <svg onload=alert('c')>".into(),
        image_caption: "Caption \"><script>alert('cap')</script>".into(),
        ..Default::default()
    };
    let v = saved(&app.save(id, 1, &form, Some(&editor)).await).version;
    let s = saved(
        &app.action(id, v, StatusAction::Publish, Some(&editor))
            .await,
    );
    let page = app.get_as(&format!("/article/{}", s.slug), None).await;
    assert_eq!(page.status, StatusCode::OK);
    for bad in [
        "<script>alert",
        "<img src=x",
        "<iframe",
        "javascript:alert",
        "<svg onload",
        "<b onmouseover",
        "\"><script>alert",
    ] {
        if let Some(at) = page.body.find(bad) {
            panic!(
                "{bad} reached the page: …{}…",
                &page.body[at.saturating_sub(120)..(at + 120).min(page.body.len())]
            );
        }
    }
    assert!(
        page.body.contains("Headline &lt;script&gt;"),
        "title shown as text"
    );
    let feed_like = app.get_as("/", None).await;
    assert!(!feed_like.body.contains("<script>alert"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_manage_users_and_disabling_ends_sessions() {
    let (app, admin) = app_as(ADMIN).await;
    let created = app
        .post_json(
            "/api/admin/users/create",
            json!({"email": "new.writer@meridian.example", "display_name": "New Writer", "role": "Author", "password": "a long password"}),
            Some(&admin),
        )
        .await;
    assert_eq!(created.body, "[]");
    let dup = app
        .post_json(
            "/api/admin/users/create",
            json!({"email": "NEW.writer@meridian.example", "display_name": "Again", "role": "Author", "password": "a long password"}),
            Some(&admin),
        )
        .await;
    assert!(dup.body.contains("exists already"));
    let weak = app
        .post_json(
            "/api/admin/users/create",
            json!({"email": "bad", "display_name": "", "role": "Author", "password": "short"}),
            Some(&admin),
        )
        .await;
    assert_eq!(weak.json().as_array().unwrap().len(), 3);
    let writer = cookie_of(
        &app.login_as("new.writer@meridian.example", "a long password")
            .await,
    )
    .unwrap();
    let id: i64 = app
        .count("SELECT id FROM users WHERE email = 'new.writer@meridian.example'")
        .await;
    let res = app
        .post_json(
            "/api/admin/users/update",
            json!({"id": id, "display_name": "New Writer", "role": "Author", "disabled": true}),
            Some(&admin),
        )
        .await;
    assert_eq!(res.body, "[]");
    assert_eq!(
        app.get_as("/api/admin/whoami", Some(&writer)).await.body,
        "null",
        "disabled: session over"
    );
    assert_eq!(
        app.login_as("new.writer@meridian.example", "a long password")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    // The last admin cannot be demoted.
    let admin_id: i64 = app.count("SELECT id FROM users WHERE role = 'admin'").await;
    let res = app
        .post_json("/api/admin/users/update", json!({"id": admin_id, "display_name": "Demo Admin", "role": "Editor", "disabled": false}), Some(&admin))
        .await;
    assert!(res.body.contains("at least one active admin"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hashes_never_leave_the_server() {
    let (app, admin) = app_as(ADMIN).await;
    let users = app.get_as("/api/admin/users", Some(&admin)).await;
    assert!(!users.body.contains("argon2"), "{}", users.body);
    assert!(!users.body.contains("password"));
    let hash = app
        .texts("SELECT password_hash FROM users LIMIT 1")
        .await
        .remove(0);
    assert!(hash.starts_with("$argon2id$"), "Argon2id: {hash}");
}

async fn get_with(app: &TestApp, uri: &str, headers: &[(&str, &str)]) -> Res {
    let mut req = Request::get(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    app.send(req.body(Body::empty()).unwrap()).await
}

fn cache_state(res: &Res) -> &str {
    res.headers
        .get("x-cache")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("none")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cached_pages_are_never_stale_and_never_shared_with_editors() {
    let (app, editor) = app_as(EDITOR).await;
    // A published article, and the one published just before it (its "Next Post" shows ours).
    let id = app.new_article(&editor).await;
    let mut form = good_form("Tramway extension opens in Oakridge");
    let v = saved(&app.save(id, 1, &form, Some(&editor)).await).version;
    let p = saved(
        &app.action(id, v, StatusAction::Publish, Some(&editor))
            .await,
    );
    let article = format!("/article/{}", p.slug);
    let home = app.get("/").await;
    let older = {
        let page = app.get(&article).await;
        let at = page
            .body
            .find("post-nav-link prev")
            .expect("a previous post");
        let tag = &page.body[page.body[..at].rfind("<a ").unwrap()..];
        let start = tag.find("href=\"").unwrap() + 6;
        tag[start..start + tag[start..].find('"').unwrap()].to_string()
    };
    assert!(home.body.contains("Tramway extension opens in Oakridge"));
    let pages = [
        "/".to_string(),
        "/category/tech".to_string(),
        article.clone(),
        older.clone(),
        "/search?q=tramway".to_string(),
        "/api/suggest?q=tramw".to_string(),
    ];
    for uri in &pages {
        app.get(uri).await;
        let again = app.get(uri).await;
        assert_eq!(cache_state(&again), "hit", "{uri} is cached");
        assert_eq!(
            again.headers[header::CACHE_CONTROL],
            portal::server::edge::cache::PUBLIC_PAGE
        );
    }
    // Conditional requests and compression come from the cache too.
    let first = app.get("/").await;
    let etag = first.headers[header::ETAG].to_str().unwrap().to_string();
    assert_eq!(
        get_with(&app, "/", &[("if-none-match", &etag)])
            .await
            .status,
        StatusCode::NOT_MODIFIED
    );
    let br = get_with(&app, "/", &[("accept-encoding", "gzip, br")]).await;
    assert_eq!(br.headers[header::CONTENT_ENCODING], "br");

    // The edit: every page that shows the article shows the new headline on the next request.
    form.title = "Tramway extension opens early in Oakridge".into();
    saved(&app.save(id, p.version, &form, Some(&editor)).await);
    for uri in &pages {
        let fresh = app.get(uri).await;
        assert_eq!(cache_state(&fresh), "miss", "{uri} was purged");
        // (Search results mark the query's words: "<mark>Tramway</mark> extension…".)
        assert!(
            fresh.body.contains("extension opens early in Oakridge"),
            "{uri} shows the edit"
        );
    }

    // Editors always get a fresh render, and what they get is never stored for readers.
    for uri in &pages {
        let for_editor = app.get_as(uri, Some(&editor)).await;
        assert_eq!(
            cache_state(&for_editor),
            "none",
            "{uri} bypasses the cache when logged in"
        );
    }
    let admin_page = app.get_as("/admin", Some(&editor)).await;
    assert_eq!(
        admin_page.headers[header::CACHE_CONTROL],
        "private, no-store"
    );
    assert_eq!(cache_state(&admin_page), "none");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_pages_answer_303_before_anything_renders() {
    let app = app().await;
    let private = [
        ("/admin", "%2Fadmin"),
        ("/admin/users", "%2Fadmin%2Fusers"),
        ("/admin/account", "%2Fadmin%2Faccount"),
        ("/admin/articles/1", "%2Fadmin%2Farticles%2F1"),
        ("/admin?status=draft", "%2Fadmin%3Fstatus%3Ddraft"),
    ];
    for (uri, next) in private {
        // A browser's navigation and a client that follows HTTP alike.
        for accept in ["text/html", "*/*"] {
            let res = get_with(&app, uri, &[("accept", accept)]).await;
            assert_eq!(res.status, StatusCode::SEE_OTHER, "{uri}");
            assert_eq!(
                res.headers[header::LOCATION],
                format!("/admin/login?next={next}"),
                "{uri}"
            );
            assert!(
                res.body.is_empty(),
                "{uri} rendered something: {}",
                res.body
            );
            assert_eq!(res.headers[header::CACHE_CONTROL], "private, no-store");
        }
    }
    // The login page is open to all; an address that only starts like the newsroom's is a
    // reader's page (here a 404), not a private one.
    assert_eq!(app.get("/admin/login").await.status, StatusCode::OK);
    let lookalike = app.get("/administrator").await;
    assert_eq!(lookalike.status, StatusCode::NOT_FOUND);
    assert!(lookalike.body.contains("Page not found"));

    // With a session, every private page renders; after logging out, none does.
    let editor = app.login(EDITOR).await;
    for (uri, _) in private {
        let res = app.get_as(uri, Some(&editor)).await;
        assert_eq!(res.status, StatusCode::OK, "{uri}");
        assert!(res.body.contains("Newsroom"), "{uri}");
    }
    app.post_form("/api/admin/logout", "", Some(&editor)).await;
    let res = app.get_as("/admin/articles/1", Some(&editor)).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn form_posts_without_javascript_are_answered_with_303() {
    let app = app().await;
    let form_post = |uri: &str, body: String, cookie: Option<&str>| {
        let mut req = Request::post(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "text/html");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        req.body(Body::from(body)).unwrap()
    };
    let (email, _, _, password) = DEMO_USERS[EDITOR];
    let login = app
        .send(form_post(
            "/api/admin/login",
            format!(
                "email={}&password={}&next=%2Fadmin%2Fusers",
                portal::model::encode_query_value(email),
                portal::model::encode_query_value(password)
            ),
            None,
        ))
        .await;
    assert_eq!(login.status, StatusCode::SEE_OTHER, "{}", login.body);
    assert_eq!(login.headers[header::LOCATION], "/admin/users");
    let cookie = cookie_of(&login).expect("a session");

    let new = app
        .send(form_post("/api/admin/new", String::new(), Some(&cookie)))
        .await;
    assert_eq!(new.status, StatusCode::SEE_OTHER, "{}", new.body);
    let id: i64 = new.body.trim().parse().unwrap();
    assert_eq!(
        new.headers[header::LOCATION],
        format!("/admin/articles/{id}")
    );

    let logout = app
        .send(form_post("/api/admin/logout", String::new(), Some(&cookie)))
        .await;
    assert_eq!(logout.status, StatusCode::SEE_OTHER);
    assert_eq!(logout.headers[header::LOCATION], "/admin/login");
    assert_eq!(
        app.get_as("/api/admin/whoami", Some(&cookie)).await.body,
        "null"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_from_other_sites_or_with_foreign_bodies_are_refused() {
    let (app, editor) = app_as(EDITOR).await;
    let before = app.count("SELECT count(*) FROM articles").await;
    let post = |headers: Vec<(&'static str, &'static str)>, content_type: &'static str| {
        let mut req = Request::post("/api/admin/new")
            .header(header::COOKIE, editor.as_str())
            .header(header::CONTENT_TYPE, content_type);
        for (k, v) in headers {
            req = req.header(k, v);
        }
        req.body(Body::empty()).unwrap()
    };
    // What an attacker's page sends, with the editor's cookie riding along.
    let res = app
        .send(post(
            vec![
                ("origin", "https://evil.example"),
                ("sec-fetch-site", "cross-site"),
            ],
            "text/plain",
        ))
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);
    assert!(res.body.contains("another site"), "{}", res.body);
    // A sibling subdomain is the same site, but not the same origin.
    let res = app
        .send(post(
            vec![("sec-fetch-site", "same-site")],
            "application/x-www-form-urlencoded",
        ))
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    // A body of a type the function does not take, even without the headers.
    let res = app.send(post(vec![], "text/plain")).await;
    assert_eq!(
        res.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "{}",
        res.body
    );
    assert_eq!(app.count("SELECT count(*) FROM articles").await, before);
    // The portal's own page, as a browser sends it, is served.
    let res = app
        .send(post(
            vec![
                ("origin", "http://127.0.0.1:3000"),
                ("sec-fetch-site", "same-origin"),
            ],
            "application/x-www-form-urlencoded",
        ))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(app.count("SELECT count(*) FROM articles").await, before + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_answer_carries_the_security_headers() {
    let app = app().await;
    for uri in ["/", "/admin/login", "/feed.xml", "/no/such/page"] {
        let res = app.get(uri).await;
        assert_eq!(res.headers["x-content-type-options"], "nosniff", "{uri}");
        assert_eq!(res.headers["x-frame-options"], "DENY", "{uri}");
        assert_eq!(
            res.headers["referrer-policy"], "strict-origin-when-cross-origin",
            "{uri}"
        );
        assert!(!res.headers.contains_key("strict-transport-security"));
    }
    // A reader's page allows its inline scripts by their hashes (it may be kept by the cache
    // or a CDN: a nonce would be one for everyone), the first answer and cached copies alike.
    for _ in 0..2 {
        let page = app.get("/").await;
        let policy = page.headers["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        for directive in [
            "frame-ancestors 'none'",
            "object-src 'none'",
            "'wasm-unsafe-eval'",
        ] {
            assert!(policy.contains(directive), "{policy}");
        }
        assert!(!policy.contains("'nonce-"), "{policy}");
        let scripts: Vec<&str> = portal::server::edge::cache::inline_scripts(&page.body).collect();
        assert!(
            scripts.len() >= 2,
            "{}",
            &page.body[..page.body.len().min(3000)]
        );
        for script in scripts {
            let hash = portal::server::headers::script_hash(script);
            assert!(
                policy.contains(&hash),
                "{script:.80} is not allowed by {policy}"
            );
        }
    }
    // The newsroom's pages are never kept: their scripts carry this answer's nonce.
    let login = app.get("/admin/login").await;
    let policy = login.headers["content-security-policy"].to_str().unwrap();
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the policy");
    let scripts = login.body.matches("<script").count();
    let with_nonce = login.body.matches(&format!("nonce=\"{nonce}\"")).count();
    assert!(
        with_nonce >= 2,
        "{}",
        &login.body[..login.body.len().min(3000)]
    );
    assert_eq!(scripts, with_nonce, "an inline script without the nonce");
    // A revalidated page keeps its own policy (a browser applies a 304's headers to its copy).
    let page = app.get("/").await;
    let mut req =
        Request::get("/").header(header::IF_NONE_MATCH, page.headers[header::ETAG].clone());
    req = req.header(header::ACCEPT, "text/html");
    let not_modified = app.send(req.body(Body::empty()).unwrap()).await;
    assert_eq!(not_modified.status, StatusCode::NOT_MODIFIED);
    assert_eq!(
        not_modified.headers["content-security-policy"],
        page.headers["content-security-policy"]
    );
    let feed = app.get("/feed.xml").await;
    assert!(feed.headers["content-security-policy"]
        .to_str()
        .unwrap()
        .starts_with("default-src 'none'"));
    let https = app_with(&[("PORTAL_PUBLIC_URL", "https://news.example.org")]).await;
    let res = https.get("/").await;
    assert_eq!(res.headers["strict-transport-security"], "max-age=31536000");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authors_cannot_undo_what_editors_decided_nor_sign_as_someone_else() {
    let (app, author) = app_as(AUTHOR).await;
    let editor = app.login(EDITOR).await;
    let id = app.new_article(&author).await;
    let mut form = good_form("An author's own story");
    form.author_name = "The Prime Minister".into();
    saved(&app.save(id, 1, &form, Some(&author)).await);
    let stored = app.article(id, &editor).await;
    assert_eq!(
        stored.form.author_name, DEMO_USERS[AUTHOR].1,
        "the byline stays theirs"
    );
    assert_eq!(stored.form.title, "An author's own story");

    let res = app
        .action(
            id,
            stored.version,
            StatusAction::SubmitForReview,
            Some(&author),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let version = app.article(id, &editor).await.version;
    let res = app
        .action(
            id,
            version,
            StatusAction::Schedule("2030-01-01T09:00".into()),
            Some(&editor),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let scheduled = app.article(id, &editor).await;
    assert_eq!(scheduled.status, Status::Scheduled);
    for step in [StatusAction::BackToDraft, StatusAction::Trash] {
        let res = app.action(id, scheduled.version, step, Some(&author)).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);
    }
    assert_eq!(app.article(id, &editor).await.status, Status::Scheduled);

    // An editor sets the byline.
    let mut form = scheduled.form.clone();
    form.authors = vec!["Staff reporter".into()];
    saved(&app.save(id, scheduled.version, &form, Some(&editor)).await);
    assert_eq!(
        app.article(id, &editor).await.form.author_name,
        "Staff reporter"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_history_is_bounded_paged_and_oversized_autosaves_are_not_kept() {
    use portal::server::newsroom::{HISTORY_PAGE, KEEP_AUTOSAVES, KEEP_REVISIONS};
    let (app, editor) = app_as(EDITOR).await;
    let id = app.new_article(&editor).await;
    let mut version = 1;
    // Saves and autosaves alternating: autosaves no longer coalesce into one.
    for i in 0..(KEEP_AUTOSAVES as i64 + 15) {
        let form = good_form(&format!("Headline number {i}"));
        version = saved(&app.save(id, version, &form, Some(&editor)).await).version;
        let body = json!({"id": id, "base_version": version, "form": good_form(&format!("Typing {i}")), "autosave": true});
        let res = app.post_json("/api/admin/save", body, Some(&editor)).await;
        version = saved(&res).version;
    }
    let count = |kind: &'static str| {
        let app = &app;
        async move {
            app.count(&format!(
                "SELECT count(*) FROM article_revisions WHERE article_id = {id} AND kind LIKE '{kind}'"
            ))
            .await
        }
    };
    assert_eq!(count("autosave").await, KEEP_AUTOSAVES as i64);
    assert!(count("%").await <= KEEP_REVISIONS as i64);
    // The history comes a page at a time, newest first, without overlaps.
    let page = |before: Option<i64>| {
        let app = &app;
        let editor = editor.clone();
        async move {
            let uri = match before {
                Some(b) => format!("/api/admin/revisions?id={id}&before={b}"),
                None => format!("/api/admin/revisions?id={id}"),
            };
            serde_json::from_str::<RevisionPage>(&app.get_as(&uri, Some(&editor)).await.body)
                .unwrap()
        }
    };
    let first = page(None).await;
    assert_eq!(first.items.len(), HISTORY_PAGE as usize);
    let second = page(first.older).await;
    assert!(!second.items.is_empty());
    assert!(second.items[0].id < first.items.last().unwrap().id);
    let mut seen = 0;
    let mut before = None;
    loop {
        let p = page(before).await;
        seen += p.items.len();
        match p.older {
            Some(o) => before = Some(o),
            None => break,
        }
    }
    assert_eq!(seen as i64, count("%").await);
    // An autosave past a size limit is refused, and nothing of it is stored.
    let before_rows = count("%").await;
    let mut huge = good_form("Far too long");
    huge.body_md = "x".repeat(portal::model::validate::BODY_MAX + 1);
    let res = app
        .post_json(
            "/api/admin/save",
            json!({"id": id, "base_version": version, "form": huge, "autosave": true}),
            Some(&editor),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(
        matches!(res.json(), serde_json::Value::Object(ref o) if o.contains_key("Invalid")),
        "{}",
        res.body
    );
    assert_eq!(count("%").await, before_rows);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_are_stored_hashed_and_people_manage_their_own() {
    let app = app().await;
    let (email, _, _, password) = DEMO_USERS[AUTHOR];
    let laptop = app.login(AUTHOR).await;
    let phone = app.login(AUTHOR).await;
    // The database holds no id a cookie could carry.
    let id = laptop.trim_start_matches("portal_session=");
    let stored = app.texts("SELECT id FROM sessions").await;
    assert!(!stored.is_empty());
    assert!(!stored.iter().any(|s| s == id), "a live id in the table");
    let parsed: tower_sessions::session::Id = id.parse().unwrap();
    let hashed = portal::server::accounts::stored_session_id(&parsed).to_string();
    assert!(stored.contains(&hashed));
    let me = |cookie: &str| {
        let app = &app;
        let cookie = cookie.to_string();
        async move { app.get_as("/api/admin/whoami", Some(&cookie)).await.body }
    };
    assert!(me(&laptop).await.contains(email));

    // Changing one's password needs the current one...
    let change = |cookie: &str, current: &str, new: &str| {
        let app = &app;
        let cookie = cookie.to_string();
        let body = json!({"current": current, "password": new});
        async move {
            app.post_json("/api/admin/me/password", body, Some(&cookie))
                .await
        }
    };
    let res = change(&laptop, "not my password", "a brand new password").await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let errors: Vec<portal::model::validate::FieldError> = serde_json::from_str(&res.body).unwrap();
    assert_eq!(errors[0].field, Field::CurrentPassword);
    let res = change(&laptop, password, "short").await;
    assert!(res.body.contains("Password"), "{}", res.body);
    // ...then every other session ends, and this one carries on.
    let res = change(&laptop, password, "a brand new password").await;
    assert_eq!(res.body, "[]");
    let laptop = cookie_of(&res).unwrap_or(laptop);
    assert_eq!(me(&phone).await, "null", "the other session ended");
    assert!(me(&laptop).await.contains(email), "this session goes on");
    assert_eq!(
        app.login_as(email, password).await.status,
        StatusCode::UNAUTHORIZED
    );
    let tablet = cookie_of(&app.login_as(email, "a brand new password").await).unwrap();

    // Log out everywhere: every session, this one included.
    let res = app
        .post_form("/api/admin/me/logout-everywhere", "", Some(&tablet))
        .await;
    assert!(
        res.status.is_success() || res.status.is_redirection(),
        "{}",
        res.body
    );
    assert_eq!(me(&tablet).await, "null");
    assert_eq!(me(&laptop).await, "null");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_read_who_logged_in_changed_accounts_and_published() {
    let app = app().await;
    let (email, _, _, _) = DEMO_USERS[EDITOR];
    let res = login_from(&app, email, "a wrong guess", "203.0.113.50", None).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    let editor = app.login(EDITOR).await;
    let id = app.new_article(&editor).await;
    saved(
        &app.save(id, 1, &good_form("Audited headline"), Some(&editor))
            .await,
    );
    let version = app.article(id, &editor).await.version;
    let res = app
        .action(id, version, StatusAction::Publish, Some(&editor))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let admin = app.login(ADMIN).await;
    let res = app
        .post_json(
            "/api/admin/users/create",
            json!({"email": "new.writer@example.org", "display_name": "New Writer", "role": "Author", "password": "a long enough password"}),
            Some(&admin),
        )
        .await;
    assert_eq!(res.body, "[]");

    let log: portal::model::accounts::AuditPage =
        serde_json::from_str(&app.get_as("/api/admin/audit", Some(&admin)).await.body).unwrap();
    let find = |action: &str| {
        log.items
            .iter()
            .find(|e| e.action == action)
            .unwrap_or_else(|| panic!("no {action:?} in {:?}", log.items))
    };
    let failed = find("failed log-in");
    assert_eq!(
        (failed.target.as_str(), failed.client.as_str()),
        (email, "203.0.113.50")
    );
    assert_eq!(failed.who, "");
    assert!(log
        .items
        .iter()
        .any(|e| e.action == "logged in" && e.who == DEMO_USERS[EDITOR].1));
    let published = find("publish");
    assert!(
        published.target.contains("Audited headline"),
        "{published:?}"
    );
    assert_eq!(published.who, DEMO_USERS[EDITOR].1);
    assert_eq!(
        find("created a user").target,
        "new.writer@example.org (author)"
    );
    // Newest first.
    assert_eq!(log.items[0].action, "created a user");
    // Only admins read it.
    let res = app.get_as("/api/admin/audit", Some(&editor)).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get_as("/api/admin/audit", None).await.status,
        StatusCode::UNAUTHORIZED
    );
}

/// A newsroom on deadline: many people logging in, creating, autosaving, saving, publishing
/// and uploading at the same moment. SQLite has one writer; the others must queue for it,
/// never fail ("database is locked" was 0.2–0.5% of saves with four editors).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_writers_at_once_all_succeed() {
    let app = std::sync::Arc::new(app().await);
    let image = std::sync::Arc::new(png(640, 400));
    let mut writers = Vec::new();
    for w in 0..12 {
        let app = app.clone();
        let image = image.clone();
        writers.push(tokio::spawn(async move {
            // Four sessions per account at once (the throttle counts parallel log-ins of one
            // account from one address as possible guesses beyond five).
            let who = [EDITOR, AUTHOR, ADMIN][w % 3];
            let cookie = app.login(who).await;
            let id = app.new_article(&cookie).await;
            let mut version = 1;
            let mut last = String::new();
            for round in 0..25 {
                let mut form = good_form(&format!("Deadline story {w} draft {round}"));
                form.body_md = format!("Writer {w} paragraph {round}.\n\nMore text {round}.");
                let autosave = round % 3 != 2;
                let res = app
                    .post_json(
                        "/api/admin/save",
                        json!({"id": id, "base_version": version, "form": form, "autosave": autosave}),
                        Some(&cookie),
                    )
                    .await;
                version = saved(&res).version;
                last = form.body_md.clone();
                if round % 8 == 4 {
                    let res = app.send(multipart("pic.png", &image, Some(&cookie))).await;
                    assert_eq!(res.status, StatusCode::OK, "upload: {}", res.body);
                }
                if round == 12 && who != AUTHOR {
                    version = saved(
                        &app.action(id, version, StatusAction::Publish, Some(&cookie))
                            .await,
                    )
                    .version;
                }
            }
            (id, last)
        }));
    }
    for writer in writers {
        let (id, text) = writer.await.expect("a writer failed");
        // The last acknowledged text is the article's, or its newest autosave's (a live
        // article keeps autosaves aside until an explicit save).
        // The texts are the test's own (letters, digits, spaces): safe to write in.
        assert!(!text.contains('\''));
        let found = app
            .count(&format!(
                "SELECT (SELECT count(*) FROM articles WHERE id = {id} AND body_md = '{text}') + \
                        (SELECT count(*) FROM article_revisions WHERE article_id = {id} \
                          AND {} = '{text}')",
                app.snapshot_field("body_md")
            ))
            .await;
        assert!(found > 0, "article {id} lost {text:?}");
    }
}

/// Runs `sql` on every connection the pool can hand out (per-connection settings such as
/// `max_page_count`).
async fn on_every_connection(pool: &portal::server::db::Pool, sql: &str) {
    let pool = pool.as_sqlite().expect("a SQLite database");
    let mut held = Vec::new();
    for _ in 0..pool.options().get_max_connections() {
        let mut conn = pool.acquire().await.unwrap();
        sqlx::query(sql).execute(&mut *conn).await.unwrap();
        held.push(conn);
    }
}

/// A database that cannot grow (a full disk) or is held by another writer refuses the save
/// with a clear 503, changes nothing, and takes the same save once it can again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_or_locked_database_refuses_saves_clearly_and_loses_nothing() {
    if common::on_postgres("a_full_or_locked_database_refuses_saves_clearly_and_loses_nothing") {
        return;
    }
    let (app, editor) = app_as(EDITOR).await;
    let (id, Saved { version: v1, .. }) = app.draft(&editor, &good_form("Storage report")).await;

    let pages: i64 = app.count("PRAGMA page_count").await;
    on_every_connection(&app.pool, &format!("PRAGMA max_page_count = {pages}")).await;
    let mut big = good_form("Storage report");
    big.body_md = "A long paragraph about the storage. ".repeat(4000);
    let res = app.save(id, v1, &big, Some(&editor)).await;
    assert_eq!(res.status, StatusCode::SERVICE_UNAVAILABLE, "{}", res.body);
    assert!(res.json()["error"]
        .as_str()
        .unwrap()
        .contains("storage is full"));
    let body: String = sqlx::query_scalar("SELECT body_md FROM articles WHERE id = ?1")
        .bind(id)
        .fetch_one(app.pool.as_sqlite().unwrap())
        .await
        .unwrap();
    assert_eq!(body, good_form("").body_md, "nothing half-written");

    on_every_connection(&app.pool, "PRAGMA max_page_count = 1073741823").await;
    let v2 = saved(&app.save(id, v1, &big, Some(&editor)).await).version;
    assert_eq!(v2, v1 + 1);

    // Another process holds the write lock longer than a save may wait.
    let url = app.config.database_url();
    let mut other = <sqlx::SqliteConnection as sqlx::Connection>::connect(&url)
        .await
        .unwrap();
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut other)
        .await
        .unwrap();
    let mut later = good_form("Storage report, updated");
    later.body_md = "Written while the database was locked.".into();
    let res = app.save(id, v2, &later, Some(&editor)).await;
    assert_eq!(res.status, StatusCode::SERVICE_UNAVAILABLE, "{}", res.body);
    assert!(res.json()["error"].as_str().unwrap().contains("busy"));
    sqlx::query("ROLLBACK").execute(&mut other).await.unwrap();
    let v3 = saved(&app.save(id, v2, &later, Some(&editor)).await).version;
    assert_eq!(v3, v2 + 1);
}

/// A server that starts while another process holds the database (a seeding tool, a backup,
/// the checkpoint of a big WAL) waits for it instead of exiting, and then publishes what came
/// due while it was down.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_starting_on_a_busy_database_waits_and_catches_up() {
    if common::on_postgres("a_server_starting_on_a_busy_database_waits_and_catches_up") {
        return;
    }
    let (app, editor) = app_as(EDITOR).await;
    let id = overdue_article(&app, &editor, "Due during a busy start").await;

    let mut other =
        <sqlx::SqliteConnection as sqlx::Connection>::connect(&app.config.database_url())
            .await
            .unwrap();
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut other)
        .await
        .unwrap();
    let config = app.config.clone();
    let start = tokio::spawn(async move { prepare(&config).await });
    // Longer than one write may wait for the lock: start-up has to try again.
    let held = portal::server::db::BUSY_TIMEOUT + std::time::Duration::from_secs(2);
    tokio::time::sleep(held).await;
    assert!(
        !start.is_finished(),
        "start-up gave up or went on without the database"
    );
    sqlx::query("COMMIT").execute(&mut other).await.unwrap();
    start
        .await
        .unwrap()
        .expect("start-up after the database came free");
    let status: String = sqlx::query_scalar("SELECT status FROM articles WHERE id = ?1")
        .bind(id)
        .fetch_one(app.pool.as_sqlite().unwrap())
        .await
        .unwrap();
    assert_eq!(status, "published");
}

/// `portal backup` while four editors keep saving: restored, the copy has every save that was
/// acknowledged before the backup began. A restore checks what it is given and never runs
/// under a server.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_taken_during_writes_restores_every_acknowledged_save() {
    if common::on_postgres("a_backup_taken_during_writes_restores_every_acknowledged_save") {
        return;
    }
    use portal::server::backup;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};
    use std::time::Instant;
    let app = Arc::new(app().await);
    let stop = Arc::new(AtomicBool::new(false));
    // Every acknowledged save: article, version, text, when the answer came.
    type Acks = Arc<Mutex<Vec<(i64, i64, String, Instant)>>>;
    let acks: Acks = Arc::default();
    let mut writers = Vec::new();
    for w in 0..4 {
        let (app, stop, acks) = (app.clone(), stop.clone(), acks.clone());
        writers.push(tokio::spawn(async move {
            let cookie = app.login([EDITOR, ADMIN][w % 2]).await;
            let id = app.new_article(&cookie).await;
            let mut version = 1;
            let mut n = 0;
            while !stop.load(Ordering::SeqCst) {
                let mut form = good_form(&format!("Backup desk {w}"));
                form.body_md = format!("Writer {w}, save {n}.");
                version = saved(&app.save(id, version, &form, Some(&cookie)).await).version;
                acks.lock()
                    .unwrap()
                    .push((id, version, form.body_md, Instant::now()));
                n += 1;
            }
        }));
    }
    while acks.lock().unwrap().len() < 40 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backup.db");
    let began = Instant::now();
    let done = backup::backup(&app.pool, &file).await.expect("backup");
    assert!(done.articles > 100 && done.bytes > 0, "{done:?}");
    let during = acks.lock().unwrap().len();
    while acks.lock().unwrap().len() < during + 20 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    stop.store(true, Ordering::SeqCst);
    for w in writers {
        w.await.unwrap();
    }
    let again = backup::backup(&app.pool, &file).await.unwrap_err();
    assert!(matches!(again, backup::BackupError::Exists(_)), "{again}");
    assert!(again.to_string().contains("already exists"), "{again}");

    // Restored into a new data folder.
    let mut target = app.config.clone();
    target.data_dir = dir.path().join("restored");
    let report = backup::restore(&target, &file).await.expect("restore");
    assert!(report.contains("restored"), "{report}");
    let restored = portal::server::db::connect(&target.database_url())
        .await
        .unwrap();
    let before: Vec<_> = acks
        .lock()
        .unwrap()
        .iter()
        .filter(|a| a.3 < began)
        .cloned()
        .collect();
    assert!(before.len() >= 40);
    for (id, version, body, _) in before {
        let found: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM article_revisions WHERE article_id = ?1 AND version = ?2 \
             AND json_extract(snapshot, '$.body_md') = ?3",
        )
        .bind(id)
        .bind(version)
        .bind(&body)
        .fetch_one(restored.as_sqlite().unwrap())
        .await
        .unwrap();
        assert_eq!(
            found, 1,
            "article {id} version {version} ({body}) is not in the backup"
        );
    }
    restored.close().await;

    // Never under a running server; never from something that is not a backup.
    let lock = backup::hold_server_lock(&target).unwrap();
    let refused = backup::restore(&target, &file).await.unwrap_err();
    assert!(
        matches!(refused, backup::BackupError::InUse { .. }),
        "{refused}"
    );
    assert!(
        refused.to_string().contains("stop it, restore"),
        "{refused}"
    );
    drop(lock);
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, "this is not a database, only words").unwrap();
    let refused = backup::restore(&target, &junk).await.unwrap_err();
    assert!(
        matches!(refused, backup::BackupError::NotOurs { .. }),
        "{refused}"
    );
    // The second restore kept the first restored database aside.
    let report = backup::restore(&target, &file).await.unwrap();
    assert!(report.contains("kept as"), "{report}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editors_tag_articles_and_rename_and_merge_tags_with_their_addresses_kept() {
    let (app, editor) = app_as(EDITOR).await;
    let mut form = good_form("Night ferry to Kestrel Bay returns");
    form.tags = vec![
        "Night ferries".into(),
        " night   FERRIES ".into(),
        "Kestrel Bay".into(),
    ];
    let (id, s) = app.draft(&editor, &form).await;
    // Repeats (the same address) are one tag; the editor reopens the tags it saved.
    assert_eq!(
        app.article(id, &editor).await.form.tags,
        ["Night ferries", "Kestrel Bay"]
    );
    // A draft's tags are not public yet.
    assert_eq!(
        app.get_as("/tag/night-ferries", None).await.status,
        StatusCode::OK
    );
    assert!(!app
        .get_as("/tag/night-ferries", None)
        .await
        .body
        .contains("Night ferry to Kestrel"));
    saved(
        &app.action(id, s.version, StatusAction::Publish, Some(&editor))
            .await,
    );

    let page = app
        .get_as("/article/night-ferry-to-kestrel-bay-returns", None)
        .await;
    let tags = &page.body[page
        .body
        .find("class=\"article-tags\"")
        .expect("tags shown")..];
    assert!(
        tags.contains("href=\"/tag/night-ferries\"") && tags.contains("href=\"/tag/kestrel-bay\"")
    );
    assert!(
        page.body
            .contains("\"keywords\":\"Night ferries, Kestrel Bay\""),
        "JSON-LD keywords"
    );
    let tag_page = app.get_as("/tag/night-ferries", None).await;
    assert_eq!(tag_page.status, StatusCode::OK);
    assert!(tag_page.body.contains("Tag: Night ferries"));
    assert!(tag_page
        .body
        .contains("href=\"/article/night-ferry-to-kestrel-bay-returns\""));
    let feed = app.get_as("/tag/night-ferries/feed.xml", None).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(feed
        .body
        .contains("/article/night-ferry-to-kestrel-bay-returns"));

    // Suggestions: what exists, by what is typed, for anyone in the newsroom.
    let author = app.login(AUTHOR).await;
    let hints = app
        .get_as("/api/admin/tag-suggestions?q=nig", Some(&author))
        .await;
    assert_eq!(hints.status, StatusCode::OK);
    assert_eq!(hints.json(), json!(["Night ferries"]));
    assert_eq!(
        app.get_as("/api/admin/tag-suggestions?q=nig", None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );

    let tag_id = |name: &'static str| {
        let app = &app;
        async move {
            app.count(&format!("SELECT id FROM tags WHERE name = '{name}'"))
                .await
        }
    };
    let night = tag_id("Night ferries").await;
    // Authors tag their articles but do not rename tags.
    let before = app.state().await;
    let refused = app
        .post_json(
            "/api/admin/tag",
            json!({"id": night, "change": {"Rename": "Sleepers"}}),
            Some(&author),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(app.state().await, before);
    assert_eq!(
        app.count("SELECT count(*) FROM tags WHERE name = 'Sleepers'")
            .await,
        0
    );

    // Renamed: the page moves and the old address answers one 301.
    let renamed = app
        .post_json(
            "/api/admin/tag",
            json!({"id": night, "change": {"Rename": "Night boats"}}),
            Some(&editor),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    assert_eq!(renamed.json(), json!([]));
    let old = app.get_as("/tag/night-ferries", None).await;
    assert_eq!(old.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(old.headers[header::LOCATION], "/tag/night-boats");
    let old_page = app.get_as("/tag/night-ferries/page/2", None).await;
    assert_eq!(
        old_page.headers[header::LOCATION],
        "/tag/night-boats/page/2"
    );
    assert_eq!(
        app.get_as("/tag/night-ferries/feed.xml", None)
            .await
            .headers[header::LOCATION],
        "/tag/night-boats/feed.xml"
    );
    assert!(app
        .get_as("/tag/night-boats", None)
        .await
        .body
        .contains("Night ferry to Kestrel"));
    // A name another tag has is a merge, said so.
    let taken = app
        .post_json(
            "/api/admin/tag",
            json!({"id": night, "change": {"Rename": "kestrel bay"}}),
            Some(&editor),
        )
        .await;
    assert!(
        taken.body.contains("Merge into it instead"),
        "{}",
        taken.body
    );
    let nothing = app
        .post_json(
            "/api/admin/tag",
            json!({"id": night, "change": {"Rename": "  !! "}}),
            Some(&editor),
        )
        .await;
    assert_eq!(nothing.status, StatusCode::OK);
    assert!(
        nothing.body.contains("needs a letter or a digit"),
        "{}",
        nothing.body
    );

    // Merged: the articles carry the other tag; both old addresses lead there in one hop.
    let merged = app
        .post_json(
            "/api/admin/tag",
            json!({"id": night, "change": {"MergeInto": "Kestrel Bay"}}),
            Some(&editor),
        )
        .await;
    assert_eq!(merged.json(), json!([]), "{}", merged.body);
    for old in ["/tag/night-ferries", "/tag/night-boats"] {
        let res = app.get_as(old, None).await;
        assert_eq!(res.status, StatusCode::MOVED_PERMANENTLY, "{old}");
        assert_eq!(res.headers[header::LOCATION], "/tag/kestrel-bay", "{old}");
    }
    assert_eq!(app.article(id, &editor).await.form.tags, ["Kestrel Bay"]);
    let missing = app
        .post_json(
            "/api/admin/tag",
            json!({"id": night, "change": {"Rename": "Anything"}}),
            Some(&editor),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let list = app.get_as("/api/admin/tags?q=kestrel", Some(&editor)).await;
    assert_eq!(list.json()["items"][0]["published"], json!(1));
    // Too many tags is a field error, not a 500.
    let mut crowded = good_form("A story with far too many tags");
    crowded.tags = (0..40).map(|i| format!("tag {i}")).collect();
    let res = app
        .save(
            id,
            app.article(id, &editor).await.version,
            &crowded,
            Some(&editor),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.body.contains("at most 30 tags"), "{}", res.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bylines_are_profiles_with_pages_and_people_edit_their_own() {
    let (app, editor) = app_as(EDITOR).await;
    let mut form = good_form("Two reporters follow the river survey");
    form.authors = vec!["Mira Holm".into(), "Jonas Feld".into()];
    let (id, s) = app.draft(&editor, &form).await;
    let opened = app.article(id, &editor).await.form;
    assert_eq!(opened.authors, ["Mira Holm", "Jonas Feld"]);
    assert_eq!(opened.author_name, "Mira Holm and Jonas Feld");
    saved(
        &app.action(id, s.version, StatusAction::Publish, Some(&editor))
            .await,
    );

    let page = app
        .get_as("/article/two-reporters-follow-the-river-survey", None)
        .await;
    let byline = &page.body[page.body.find("class=\"byline\"").unwrap()..];
    let byline = &byline[..byline.find("</p>").unwrap()];
    assert!(
        byline.contains("href=\"/author/mira-holm\"")
            && byline.contains("href=\"/author/jonas-feld\""),
        "{byline}"
    );
    assert!(byline.contains("</a> and <a"), "{byline}");
    assert!(
        page.body.contains("\"url\":\"http"),
        "JSON-LD names each author with their page"
    );
    let author_page = app.get_as("/author/mira-holm", None).await;
    assert_eq!(author_page.status, StatusCode::OK);
    assert!(author_page
        .body
        .contains("href=\"/article/two-reporters-follow-the-river-survey\""));
    assert!(author_page.body.contains("\"@type\":\"Person\""));
    assert!(author_page
        .body
        .contains("href=\"/author/mira-holm/feed.xml\""));
    assert_eq!(
        app.get_as("/author/mira-holm/atom.xml", None).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get_as("/author/nobody-here", None).await.status,
        StatusCode::NOT_FOUND
    );

    // An author's own profile: linked by an editor, then edited by its person, not others'.
    let author = app.login(AUTHOR).await;
    let author_id = app
        .count(&format!(
            "SELECT id FROM users WHERE email = '{}'",
            portal::demo::DEMO_USERS[AUTHOR].0
        ))
        .await;
    let mira = app
        .count("SELECT id FROM authors WHERE slug = 'mira-holm'")
        .await;
    let jonas = app
        .count("SELECT id FROM authors WHERE slug = 'jonas-feld'")
        .await;
    let profile = |name: &str, links: &str, user: Option<i64>| {
        json!({"name": name, "role_title": "River correspondent", "bio": "Writes about water.\n\nLives by it.",
               "links": links, "photo": null, "user_id": user})
    };
    let denied = app
        .post_json(
            "/api/admin/profile/save",
            json!({"id": mira, "form": profile("Mira", "", None)}),
            Some(&author),
        )
        .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    let linked = app
        .post_json(
            "/api/admin/profile/save",
            json!({"id": mira, "form": profile("Mira Holm", "", Some(author_id))}),
            Some(&editor),
        )
        .await;
    assert_eq!(linked.json(), json!([]), "{}", linked.body);
    let bad = app
        .post_json(
            "/api/admin/profile/save",
            json!({"id": mira, "form": profile("Mira Holm", "javascript:alert(1)", None)}),
            Some(&author),
        )
        .await;
    assert!(bad.body.contains("is not a web address"), "{}", bad.body);
    let own = app
        .post_json(
            "/api/admin/profile/save",
            json!({"id": mira, "form": profile("Mira Holm-Berg", "https://mira.example/", None)}),
            Some(&author),
        )
        .await;
    assert_eq!(own.json(), json!([]), "{}", own.body);
    // The person kept the link (only editors change it), the address followed the name.
    assert_eq!(
        app.count(&format!("SELECT user_id FROM authors WHERE id = {mira}"))
            .await,
        author_id
    );
    let moved = app.get_as("/author/mira-holm", None).await;
    assert_eq!(moved.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(moved.headers[header::LOCATION], "/author/mira-holm-berg");
    let renamed = app.get_as("/author/mira-holm-berg", None).await;
    assert!(renamed.body.contains("River correspondent") && renamed.body.contains("Lives by it."));
    assert!(renamed.body.contains("href=\"https://mira.example/\""));
    assert!(app
        .get_as("/article/two-reporters-follow-the-river-survey", None)
        .await
        .body
        .contains("Mira Holm-Berg"));
    assert_eq!(
        app.post_json(
            "/api/admin/profile/save",
            json!({"id": jonas, "form": profile("Jonas", "", None)}),
            Some(&author)
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    // An author's new draft carries their own profile.
    let draft = app.new_article(&author).await;
    assert_eq!(
        app.article(draft, &author).await.form.authors,
        ["Mira Holm-Berg"]
    );
    // A byline without a letter in it (only a client without profiles could send one) is
    // refused, not saved empty.
    let mut nameless = good_form("A story signed by nobody at all");
    nameless.author_name = "???".into();
    let nobody = app.new_article(&editor).await;
    let res = app.save(nobody, 1, &nameless, Some(&editor)).await;
    assert!(res.body.contains("Name the author"), "{}", res.body);
    // Someone who may not write bylines keeps the article's.
    let mut sneaky = app.article(draft, &author).await.form;
    sneaky.title = "An author's own story".into();
    sneaky.authors = vec!["Somebody Famous".into()];
    saved(&app.save(draft, 1, &sneaky, Some(&author)).await);
    assert_eq!(
        app.article(draft, &author).await.form.authors,
        ["Mira Holm-Berg"]
    );
    assert_eq!(
        app.count("SELECT count(*) FROM authors WHERE name = 'Somebody Famous'")
            .await,
        0
    );

    // Editors add a profile for someone who has not written yet.
    let made = app
        .post_form("/api/admin/profile/new", "name=Wire+Service", Some(&editor))
        .await;
    assert!(made.status.is_success(), "{} {}", made.status, made.body);
    assert_eq!(
        app.count("SELECT count(*) FROM authors WHERE slug = 'wire-service'")
            .await,
        1
    );
    assert_eq!(
        app.post_form("/api/admin/profile/new", "name=Another", Some(&author))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let list = app.get_as("/api/admin/authors?q=holm", Some(&author)).await;
    assert_eq!(list.json()[0]["items"][0]["name"], json!("Mira Holm-Berg"));
    assert_eq!(list.json()[1], json!(mira));
    let hints = app
        .get_as("/api/admin/author-suggestions?q=jon", Some(&editor))
        .await;
    assert_eq!(hints.json(), json!(["Jonas Feld"]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_manage_redirects_and_the_navigation_from_the_newsroom() {
    let (app, admin) = app_as(ADMIN).await;
    let editor = app.login(EDITOR).await;
    let add = |from: &str, to: &str| format!("from={}&to={}", urlencode(from), urlencode(to));

    // Redirects: only admins; a target on this site or a whole https:// address.
    let refused = app
        .post_form("/api/admin/redirects/add", &add("/old", "/"), Some(&editor))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get_as("/api/admin/redirects", Some(&editor))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let made = app
        .post_form(
            "/api/admin/redirects/add",
            &add("/2019/05/Old-Story/", "/category/world"),
            Some(&admin),
        )
        .await;
    assert_eq!(made.json(), json!([]), "{}", made.body);
    let old = app.get_as("/2019/05/old-story/", None).await;
    assert_eq!(old.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(old.headers[header::LOCATION], "/category/world");
    for (from, to) in [
        ("/x", "javascript:alert(1)"),
        ("/x", "http://plain.example/"),
        ("/x", "//evil.example"),
        ("no-slash", "/"),
        ("/2019/05/old-story", "/elsewhere"),
    ] {
        let res = app
            .post_form("/api/admin/redirects/add", &add(from, to), Some(&admin))
            .await;
        assert_eq!(res.status, StatusCode::OK, "{from} -> {to}");
        assert_ne!(res.json(), json!([]), "{from} -> {to} was accepted");
    }
    let out = app
        .post_form(
            "/api/admin/redirects/add",
            &add("/jobs", "https://jobs.example/apply"),
            Some(&admin),
        )
        .await;
    assert_eq!(out.json(), json!([]));
    let found = app
        .get_as("/api/admin/redirects?q=old-story", Some(&admin))
        .await;
    assert_eq!(found.json()["total_items"], json!(1));
    assert_eq!(found.json()["items"][0]["to"], json!("/category/world"));
    let gone = app
        .post_form(
            "/api/admin/redirects/remove",
            "from=%2F2019%2F05%2Fold-story%2F",
            Some(&admin),
        )
        .await;
    assert_eq!(gone.body.trim(), "true");
    assert_eq!(
        app.get_as("/2019/05/old-story/", None).await.status,
        StatusCode::NOT_FOUND
    );

    // Navigation: the masthead follows the admins' order and choice; the footer its links.
    let nav = app
        .get_as("/api/admin/navigation", Some(&admin))
        .await
        .json();
    let mut sections: Vec<Value> = nav["sections"].as_array().unwrap().clone();
    sections.reverse();
    for s in sections.iter_mut() {
        if s["slug"] == "world" {
            s["in_nav"] = json!(false);
        }
    }
    let footer = json!([{"label": "About us", "href": "/about-us"}, {"label": "Jobs", "href": "https://jobs.example/"}]);
    assert_eq!(
        app.post_json(
            "/api/admin/navigation/save",
            json!({"nav": {"sections": sections, "footer": footer}}),
            Some(&editor)
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let saved_nav = app
        .post_json(
            "/api/admin/navigation/save",
            json!({"nav": {"sections": sections, "footer": footer}}),
            Some(&admin),
        )
        .await;
    assert_eq!(saved_nav.json(), json!([]), "{}", saved_nav.body);
    let home = app.get_as("/", None).await.body;
    let masthead = &home[home.find("class=\"main-nav\"").unwrap()..];
    let masthead = &masthead[..masthead.find("</nav>").unwrap()];
    assert!(
        !masthead.contains("/category/world\""),
        "World left the masthead"
    );
    let tech = masthead.find("/category/tech\"").unwrap();
    let politics = masthead.find("/category/politics\"").unwrap();
    assert!(tech < politics, "the order is the admins'");
    let foot = &home[home.find("class=\"site-footer\"").unwrap()..];
    assert!(
        foot.contains("href=\"/about-us\">About us")
            && foot.contains("href=\"https://jobs.example/\">Jobs")
    );
    // Bad links and a list of sections that is not the whole list are refused, nothing saved.
    let bad = app
        .post_json(
            "/api/admin/navigation/save",
            json!({"nav": {"sections": sections, "footer": [{"label": "X", "href": "javascript:alert(1)"}]}}),
            Some(&admin),
        )
        .await;
    assert!(bad.body.contains("https://"), "{}", bad.body);
    let partial = app
        .post_json(
            "/api/admin/navigation/save",
            json!({"nav": {"sections": &sections[..2], "footer": []}}),
            Some(&admin),
        )
        .await;
    assert!(partial.body.contains("reload"), "{}", partial.body);
    assert!(app
        .get_as("/", None)
        .await
        .body
        .contains("href=\"/about-us\">About us"));
}

fn urlencode(s: &str) -> String {
    portal::model::encode_query_value(s)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_media_library_finds_reuses_and_keeps_images_in_use() {
    let (app, author) = app_as(AUTHOR).await;
    let editor = app.login(EDITOR).await;
    let upload = |name: &'static str, cookie: String| {
        let app = &app;
        async move {
            let res = app
                .send(multipart(name, &png(900, 500), Some(&cookie)))
                .await;
            assert_eq!(res.status, StatusCode::OK, "{}", res.body);
            serde_json::from_str::<MediaRef>(&res.body).unwrap()
        }
    };
    let quay = upload("quay-at-dawn.png", author.clone()).await;
    let market = upload("market.png", editor.clone()).await;
    let texts = |alt: &str, caption: &str, credit: &str| json!({"alt": alt, "caption": caption, "credit": credit});
    // Texts in one place: the uploader's own image, or an editor's for any.
    let mine = app
        .post_json("/api/admin/library/texts", json!({"id": quay.id, "texts": texts("Fishing boats at the quay", "Dawn at the quay", "Ana Reyes")}), Some(&author))
        .await;
    assert_eq!(mine.json(), json!([]), "{}", mine.body);
    let not_mine = app
        .post_json(
            "/api/admin/library/texts",
            json!({"id": market.id, "texts": texts("x", "", "")}),
            Some(&author),
        )
        .await;
    assert_eq!(not_mine.status, StatusCode::FORBIDDEN);
    let long = app
        .post_json(
            "/api/admin/library/texts",
            json!({"id": market.id, "texts": texts(&"a".repeat(300), "", "")}),
            Some(&editor),
        )
        .await;
    assert!(
        long.body.contains("Keep the alt text under"),
        "{}",
        long.body
    );

    // Found by alt text, file name, uploader; by month; everyone in the newsroom browses it.
    let find = |q: &str| {
        let (app, author) = (&app, author.clone());
        let uri = format!(
            "/api/admin/library?q={}",
            portal::model::encode_query_value(q)
        );
        async move {
            let res = app.get_as(&uri, Some(&author)).await;
            assert_eq!(res.status, StatusCode::OK, "{}", res.body);
            res.json()["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["media"]["id"].as_i64().unwrap())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(find("fishing boats").await, [quay.id]);
    assert_eq!(find("market.png").await, [market.id]);
    assert_eq!(find(portal::demo::DEMO_USERS[EDITOR].1).await, [market.id]);
    assert_eq!(find("").await, [market.id, quay.id], "newest first");
    let month =
        portal::server::dates::local_input(portal::server::dates::now(), &app.config.timezone)[..7]
            .to_string();
    let this_month = app
        .get_as(&format!("/api/admin/library?month={month}"), Some(&author))
        .await;
    assert_eq!(this_month.json()["total_items"], json!(2));
    assert_eq!(
        app.get_as("/api/admin/library?month=2001-01", Some(&author))
            .await
            .json()["total_items"],
        json!(0)
    );
    assert_eq!(
        app.get_as("/api/admin/library?month=soon", Some(&author))
            .await
            .status,
        StatusCode::BAD_REQUEST
    );

    // Reused without uploading again: as a lead image, and in another article's text.
    let mut lead = good_form("Boats return to the quay");
    lead.image = Some(quay.clone());
    lead.image_alt = "Fishing boats at the quay".into();
    let (lead_id, _) = app.draft(&editor, &lead).await;
    let mut inline = good_form("A morning at the market");
    inline.body_md = format!(
        "Stalls open early.\n\n![Stalls]({} \"The market\")\n\nMore.",
        market.large_url
    );
    let (inline_id, s) = app.draft(&editor, &inline).await;
    let uses = app
        .get_as(
            &format!("/api/admin/library/uses?id={}", quay.id),
            Some(&author),
        )
        .await;
    assert_eq!(uses.json()[0]["id"], json!(lead_id));
    let files_before = app.count("SELECT count(*) FROM media").await;
    // In use: refused, with the list; nothing deleted.
    let refused = app
        .post_json(
            "/api/admin/library/delete",
            json!({"id": market.id}),
            Some(&editor),
        )
        .await;
    assert_eq!(
        refused.json()[0]["id"],
        json!(inline_id),
        "{}",
        refused.body
    );
    assert_eq!(app.count("SELECT count(*) FROM media").await, files_before);
    assert_eq!(app.get_as(&market.url, None).await.status, StatusCode::OK);
    // Not in use any more: deleted, with its files.
    inline.body_md = "Stalls open early.".into();
    saved(&app.save(inline_id, s.version, &inline, Some(&editor)).await);
    let gone = app
        .post_json(
            "/api/admin/library/delete",
            json!({"id": market.id}),
            Some(&editor),
        )
        .await;
    assert_eq!(gone.json(), json!([]), "{}", gone.body);
    assert_eq!(
        app.count("SELECT count(*) FROM media").await,
        files_before - 1
    );
    assert_eq!(
        app.get_as(&market.url, None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.post_json(
            "/api/admin/library/delete",
            json!({"id": market.id}),
            Some(&editor)
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editors_write_nested_pages_at_their_own_addresses() {
    let (app, editor) = app_as(EDITOR).await;
    let author = app.login(AUTHOR).await;
    let admin = app.login(ADMIN).await;
    let new_page = |cookie: String| {
        let app = &app;
        async move {
            app.post_form("/api/admin/new-page", "", Some(&cookie))
                .await
        }
    };
    // Pages are the editors'.
    assert_eq!(new_page(author.clone()).await.status, StatusCode::FORBIDDEN);
    let page_id = |res: Res| -> i64 { res.body.trim().parse().expect("the new page's id") };
    let page = |title: &str, parent: &str, body: &str| ArticleForm {
        title: title.into(),
        body_md: body.into(),
        parent: parent.into(),
        ..Default::default()
    };
    let write = |id: i64, form: ArticleForm| {
        let (app, editor) = (&app, editor.clone());
        async move {
            let opened = app.article(id, &editor).await;
            assert!(opened.page.is_some(), "opened as a page");
            let form = ArticleForm {
                category: opened.form.category.clone(),
                ..form
            };
            let s = saved(&app.save(id, opened.version, &form, Some(&editor)).await);
            let s = saved(
                &app.action(id, s.version, StatusAction::Publish, Some(&editor))
                    .await,
            );
            assert_eq!(s.status, Status::Published);
            s
        }
    };
    let about = page_id(new_page(editor.clone()).await);
    let s = write(
        about,
        page(
            "The newsroom",
            "",
            "We are a newsroom by the zanzibarish harbour.",
        ),
    )
    .await;
    assert_eq!(s.href, "/the-newsroom");
    let team = page_id(new_page(editor.clone()).await);
    let s = write(
        team,
        page(
            "Open days",
            "the-newsroom",
            "Editors and reporters of the paper.",
        ),
    )
    .await;
    assert_eq!(s.href, "/the-newsroom/open-days");

    // Readers find them at their addresses, with the breadcrumb and the pages under them.
    let res = app.get_as("/the-newsroom/open-days", None).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res
        .body
        .contains("<h1 class=\"article-title\">Open days</h1>"));
    assert!(
        res.body
            .contains("<a href=\"/the-newsroom\">The newsroom</a>"),
        "breadcrumb"
    );
    assert!(res.body.contains("/the-newsroom/open-days\""), "canonical");
    let res = app.get_as("/the-newsroom", None).await;
    assert!(res
        .body
        .contains("<a href=\"/the-newsroom/open-days\">Open days</a>"));
    for missing in [
        "/the-newsroom/nobody",
        "/no-such-page",
        "/About-Us",
        "/the-newsroom/../x",
    ] {
        assert_eq!(
            app.get_as(missing, None).await.status,
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }
    // They are not articles: not on the home page, in search, the feeds or the article list.
    assert!(!app
        .get_as("/", None)
        .await
        .body
        .contains("The newsroom</a></h"));
    assert!(!app
        .get_as("/search?q=zanzibarish", None)
        .await
        .body
        .contains("/the-newsroom"));
    assert!(!app
        .get_as("/feed.xml", None)
        .await
        .body
        .contains("zanzibarish"));
    assert_eq!(
        app.get_as("/article/the-newsroom", None).await.status,
        StatusCode::NOT_FOUND
    );
    let dashboard = app.get_as("/api/admin/articles", Some(&editor)).await.body;
    assert!(!dashboard.contains("Open days"));
    let list = app.get_as("/api/admin/pages", Some(&editor)).await.json();
    let paths: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["path"].as_str().unwrap())
        .collect();
    let at = |p: &str| paths.iter().position(|x| *x == p).expect(p);
    assert!(
        at("/the-newsroom") < at("/the-newsroom/open-days"),
        "{paths:?}"
    );
    assert!(
        at("/about-us") < at("/about-us/our-team"),
        "the demo's pages: {paths:?}"
    );
    assert_eq!(
        app.get_as("/api/admin/pages", Some(&author)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get_as(&format!("/api/admin/article?id={team}"), Some(&author))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // The sitemap lists them with their last change.
    let sitemap = app.get_as("/sitemap.xml", None).await.body;
    assert!(sitemap.contains("/sitemaps/pages.xml"), "{sitemap}");
    let pages_xml = app.get_as("/sitemaps/pages.xml", None).await.body;
    assert!(pages_xml.contains("/the-newsroom/open-days</loc>") && pages_xml.contains("<lastmod>"));

    // What cannot be: a page at the top on one of the portal's own addresses, a page under
    // itself or a page below it, a published page moving.
    let draft = page_id(new_page(editor.clone()).await);
    let opened = app.article(draft, &editor).await;
    let mut form = page("Search", "", "Finding things.");
    form.category = opened.form.category.clone();
    let res = app.save(draft, opened.version, &form, Some(&editor)).await;
    let errors = match serde_json::from_str::<SaveResult>(&res.body).unwrap() {
        SaveResult::Invalid(errors) => errors,
        other => panic!("a reserved address was taken: {other:?}"),
    };
    assert!(errors
        .iter()
        .any(|e| e.field == Field::Slug && e.message.contains("portal's own")));
    // Under another page the same slug is fine.
    form.parent = "the-newsroom".into();
    let s = saved(&app.save(draft, opened.version, &form, Some(&editor)).await);
    assert_eq!(s.href, "/the-newsroom/search");
    let opened = app.article(about, &editor).await;
    let mut form = opened.form.clone();
    form.parent = "open-days".into();
    let res = app.save(about, opened.version, &form, Some(&editor)).await;
    assert!(res.body.contains("under itself"), "{}", res.body);
    form.parent = String::new();
    form.slug = "who-we-are".into();
    let res = app.save(about, opened.version, &form, Some(&editor)).await;
    assert!(res.body.contains("keeps its address"), "{}", res.body);

    // Admins put a page in the footer; it follows the page when the page moves.
    let nav = app
        .get_as("/api/admin/navigation", Some(&admin))
        .await
        .json();
    let footer = json!([{"label": "Open days", "href": "/the-newsroom/open-days"}]);
    let res = app
        .post_json(
            "/api/admin/navigation/save",
            json!({"nav": {"sections": nav["sections"], "footer": footer}}),
            Some(&admin),
        )
        .await;
    assert_eq!(res.json(), json!([]), "{}", res.body);
    let home = app.get_as("/", None).await.body;
    assert!(home.contains("href=\"/the-newsroom/open-days\">Open days"));
    // Unpublished, "The newsroom" may move; the page under it and the footer's link follow.
    let s = saved(
        &app.action(
            about,
            opened.version,
            StatusAction::Unpublish,
            Some(&editor),
        )
        .await,
    );
    let mut form = opened.form.clone();
    form.slug = "who-we-are".into();
    let s = saved(&app.save(about, s.version, &form, Some(&editor)).await);
    assert_eq!(s.href, "/who-we-are");
    assert_eq!(
        app.get_as("/who-we-are/open-days", None).await.status,
        StatusCode::OK
    );
    assert!(app
        .get_as("/", None)
        .await
        .body
        .contains("href=\"/who-we-are/open-days\">Open days"));
}
