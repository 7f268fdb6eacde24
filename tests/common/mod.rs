//! The test server both integration suites use: the real router on a fresh database filled
//! with the demo content, driven in-process.
#![allow(dead_code)]

use axum::{
    body::Body,
    http::{header, HeaderMap, Request, StatusCode},
    Router,
};
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use portal::server::{config::Config, db, prepare, router, state::AppState};
use std::time::Duration;
use tower::ServiceExt;

pub struct TestApp {
    pub router: Router,
    pub cache: std::sync::Arc<portal::server::cache::PageCache>,
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

pub async fn app_with(extra: &[(&str, &str)]) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().to_string_lossy().to_string();
    let extra: Vec<(String, String)> = extra
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let config = Config::from_lookup(|k| {
        if k == "PORTAL_DATA_DIR" {
            return Some(data_dir.clone());
        }
        extra
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    })
    .unwrap();
    let pool = prepare(&config).await.expect("prepare database");
    let options = LeptosOptions::builder()
        .output_name("portal")
        .site_root("target/site")
        .build();
    let state = AppState::new(options, pool.clone(), config.clone());
    TestApp {
        cache: state.cache.clone(),
        router: router(state),
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

    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql).fetch_one(&self.pool).await.unwrap()
    }
}
