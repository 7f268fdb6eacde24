//! The test server the integration suites use: the real router on a fresh database filled
//! with the demo content (by the demo tool, as `portal-demo seed` would), driven in-process;
//! and, for the suites that run the binaries, a clean command line.
#![allow(dead_code)]

use axum::{
    body::Body,
    http::{header, HeaderMap, Request, StatusCode},
};
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use portal::server::{config::Config, db, edge::http::router, prepare, state::AppState};
use std::path::Path;
use std::time::Duration;
use tower::ServiceExt;

pub struct TestApp {
    pub router: portal::server::edge::http::App,
    /// What the router serves from (its live coverage hub, for tests of shutdown).
    pub state: AppState,
    pub cache: std::sync::Arc<portal::server::page_cache::PageCache>,
    pub pool: db::Pool,
    pub config: Config,
    _dir: tempfile::TempDir,
}

pub struct Res {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Res {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

fn config(data_dir: &Path, extra: &[(&str, &str)]) -> Config {
    let data_dir = data_dir.to_string_lossy().to_string();
    Config::from_lookup(|k| {
        if k == "PORTAL_DATA_DIR" {
            return Some(data_dir.clone());
        }
        extra
            .iter()
            .find(|(key, _)| *key == k)
            .map(|(_, v)| v.to_string())
    })
    .unwrap()
}

/// A data folder filled by the demo tool, once per test binary; every test server starts on
/// a copy of it (the same database a fresh `portal-demo seed` writes, in a fraction of the time).
async fn template() -> &'static Path {
    static TEMPLATE: tokio::sync::OnceCell<(tempfile::TempDir, tempfile::TempDir)> =
        tokio::sync::OnceCell::const_new();
    let (_, template) = TEMPLATE
        .get_or_init(|| async {
            // Under target/tmp: statics are never dropped, so these outlive the run there.
            let seeded = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
            let seeded_config = config(seeded.path(), &[]);
            let added = portal::demo::seed_database(&seeded_config)
                .await
                .expect("demo content");
            assert!(added > 100, "demo articles");
            // A snapshot in one self-contained file (no WAL beside it that a closing
            // connection could still be writing), and the media files.
            let template = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
            let pool = db::connect(&seeded_config.database_url()).await.unwrap();
            sqlx::query("VACUUM INTO ?1")
                .bind(
                    template
                        .path()
                        .join("portal.db")
                        .to_string_lossy()
                        .to_string(),
                )
                .execute(pool.as_sqlite().unwrap())
                .await
                .unwrap();
            pool.close().await;
            copy_dir(&seeded_config.media_dir(), &template.path().join("media"));
            (seeded, template)
        })
        .await;
    template.path()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap_or_else(|e| {
                panic!(
                    "copying {} to {}: {e}",
                    entry.path().display(),
                    target.display()
                )
            });
        }
    }
}

/// The PostgreSQL server the suites run on instead of SQLite, when the test command asks
/// (`PORTAL_TEST_BACKEND=postgres`, with `PORTAL_TEST_POSTGRES_URL` naming the server).
pub fn postgres_server() -> Option<String> {
    if std::env::var("PORTAL_TEST_BACKEND").ok()?.as_str() != "postgres" {
        return None;
    }
    Some(
        std::env::var("PORTAL_TEST_POSTGRES_URL")
            .expect("PORTAL_TEST_POSTGRES_URL with PORTAL_TEST_BACKEND=postgres"),
    )
}

/// Whether the suite runs on PostgreSQL: tests of what only a SQLite file has (its pragmas,
/// `portal backup`) say they are skipped and return.
pub fn on_postgres(test: &str) -> bool {
    let yes = postgres_server().is_some();
    if yes {
        eprintln!("{test}: skipped on PostgreSQL (it tests the SQLite file)");
    }
    yes
}

/// The demo content in a PostgreSQL database, once per test binary; every test server
/// starts on a copy of it (CREATE DATABASE … TEMPLATE).
async fn postgres_template(admin: &str) -> &'static str {
    static TEMPLATE: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    TEMPLATE
        .get_or_init(|| async {
            let url = db::create_postgres_database(admin, "seeded").await.unwrap();
            let media = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
            let seeded_config = config(media.path(), &[("PORTAL_DATABASE_URL", &url)]);
            let added = portal::demo::seed_database(&seeded_config)
                .await
                .expect("demo content");
            assert!(added > 100, "demo articles");
            url.rsplit('/').next().unwrap().to_string()
        })
        .await
}

pub async fn app_with(extra: &[(&str, &str)]) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(template().await, dir.path());
    let postgres_url;
    let mut extra = extra.to_vec();
    if let Some(admin) = postgres_server() {
        let template = postgres_template(&admin).await;
        postgres_url = db::copy_postgres_database(&admin, "app", Some(template))
            .await
            .unwrap();
        extra.push(("PORTAL_DATABASE_URL", &postgres_url));
    }
    let config = config(dir.path(), &extra);
    let pool = prepare(&config).await.expect("prepare database");
    let options = LeptosOptions::builder()
        .output_name("portal")
        .site_root("target/site")
        .build();
    let state = AppState::new(options, pool.clone(), config.clone());
    TestApp {
        cache: state.cache.clone(),
        router: router(state.clone()),
        state,
        pool,
        config,
        _dir: dir,
    }
}

impl TestApp {
    pub async fn send(&self, req: Request<Body>) -> Res {
        let what = format!("{} {}", req.method(), req.uri());
        // A hang is a failure with a name, not a stuck test run.
        let res = tokio::time::timeout(Duration::from_secs(30), self.router.clone().oneshot(req))
            .await
            .unwrap_or_else(|_| panic!("{what} did not answer within 30 s"))
            .unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let body = res.into_body().collect().await.unwrap().to_bytes();
        Res {
            status,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        }
    }

    /// The answer's head, its body still streaming (an event stream).
    pub async fn open(&self, req: Request<Body>) -> axum::response::Response {
        let what = format!("{} {}", req.method(), req.uri());
        tokio::time::timeout(Duration::from_secs(30), self.router.clone().oneshot(req))
            .await
            .unwrap_or_else(|_| panic!("{what} did not answer within 30 s"))
            .unwrap()
    }

    pub async fn get(&self, uri: &str) -> Res {
        self.get_as(uri, None).await
    }

    pub async fn get_as(&self, uri: &str, cookie: Option<&str>) -> Res {
        let mut req = Request::get(uri);
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::empty()).unwrap()).await
    }

    pub async fn post_json(&self, uri: &str, body: serde_json::Value, cookie: Option<&str>) -> Res {
        let mut req = Request::post(uri).header(header::CONTENT_TYPE, "application/json");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::from(body.to_string())).unwrap())
            .await
    }

    pub async fn post_form(&self, uri: &str, body: &str, cookie: Option<&str>) -> Res {
        let mut req =
            Request::post(uri).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::from(body.to_string())).unwrap())
            .await
    }

    /// A second server on the same database and settings (its own state, hub and caches), as
    /// a balancer's second upstream would be.
    pub fn another_server(&self) -> AppState {
        AppState::new(
            LeptosOptions::builder()
                .output_name("portal")
                .site_root("target/site")
                .build(),
            self.pool.clone(),
            self.config.clone(),
        )
    }

    /// Runs a statement (values written into it: tests only).
    pub async fn exec(&self, sql: &str) {
        match &self.pool {
            db::Pool::Sqlite(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
            db::Pool::Postgres(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
        }
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// The text column of every row of `sql`.
    pub async fn texts(&self, sql: &str) -> Vec<String> {
        match &self.pool {
            db::Pool::Sqlite(p) => sqlx::query_scalar(sql).fetch_all(p).await,
            db::Pool::Postgres(p) => sqlx::query_scalar(sql).fetch_all(p).await,
        }
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// A JSON field of a revision's snapshot, as each backend reads it.
    pub fn snapshot_field(&self, field: &str) -> String {
        match &self.pool {
            db::Pool::Sqlite(_) => format!("json_extract(snapshot, '$.{field}')"),
            db::Pool::Postgres(_) => format!("(snapshot::jsonb ->> '{field}')"),
        }
    }

    /// One number from `sql` (a count or a sum: PostgreSQL's sums are NUMERIC, made BIGINT).
    pub async fn count(&self, sql: &str) -> i64 {
        match &self.pool {
            db::Pool::Sqlite(p) => sqlx::query_scalar(sql).fetch_one(p).await.unwrap(),
            db::Pool::Postgres(p) => sqlx::query_scalar(&format!("SELECT CAST(({sql}) AS BIGINT)"))
                .fetch_one(p)
                .await
                .unwrap(),
        }
    }
}

/// The session cookie ("name=value") a response sets, if any.
/// The demo accounts by role, as indexes of `portal::demo::DEMO_USERS`.
pub const EDITOR: usize = 0;
pub const AUTHOR: usize = 1;
pub const ADMIN: usize = 2;

impl TestApp {
    /// `POST /api/admin/login` with these credentials, as the login form sends it.
    pub async fn login_as(&self, email: &str, password: &str) -> Res {
        let body = format!(
            "email={}&password={}",
            portal::model::encode_query_value(email),
            portal::model::encode_query_value(password)
        );
        self.post_form("/api/admin/login", &body, None).await
    }

    /// Logs in as a demo account (`EDITOR`, `AUTHOR`, `ADMIN`) and returns the session cookie
    /// ("name=value").
    pub async fn login(&self, who: usize) -> String {
        let (email, _, _, password) = portal::demo::DEMO_USERS[who];
        let res = self.login_as(email, password).await;
        assert!(
            res.status.is_success() || res.status.is_redirection(),
            "login {email}: {} {}",
            res.status,
            res.body
        );
        cookie_of(&res).expect("a session cookie")
    }
}

/// A fresh app and a session of one of its demo accounts.
pub async fn app_as(who: usize) -> (TestApp, String) {
    let app = app_with(&[]).await;
    let cookie = app.login(who).await;
    (app, cookie)
}

pub fn cookie_of(res: &Res) -> Option<String> {
    res.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("portal_session="))
        .map(|c| c.split(';').next().unwrap().to_string())
}

/// `bin` as a command that sees none of this shell's `PORTAL_*` / `LEPTOS_*` settings: each
/// test says exactly what it sets.
pub fn clean_command(bin: &str) -> std::process::Command {
    let mut command = std::process::Command::new(bin);
    for (key, _) in std::env::vars() {
        if key.starts_with("PORTAL_") || key.starts_with("LEPTOS_") {
            command.env_remove(key);
        }
    }
    command
}
