//! What operators and load balancers ask the server: `/healthz` (the process answers),
//! `/readyz` (it can serve: the database answers and has every migration this build needs),
//! `/metrics` (Prometheus text). Counters and histograms are recorded where things happen
//! (requests here, the page cache, render retries, waits for the writer); gauges that are
//! cheaper to read than to track (pool use, scheduler lag) are read when scraped.

use crate::error::AppError;
use crate::routes::RouteKind;
use crate::server::metrics::metrics_handle;
use crate::server::state::AppState;
use crate::server::{dates, db};
use axum::{
    body::Body,
    extract::{ConnectInfo, State},
    http::{header, HeaderMap, Request, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use metrics_exporter_prometheus::PrometheusHandle;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

/// How often the histograms' samples are folded into their buckets.
pub const METRICS_UPKEEP_EVERY: Duration = Duration::from_secs(5);

/// Histograms keep every sample they are given until the recorder's upkeep folds them into
/// their buckets; without it that happened only when /metrics was read, and a server nobody
/// scraped grew by 8 bytes a request (~100 MB in ten minutes of load). Runs until aborted.
pub fn spawn_metrics_upkeep(
    handle: PrometheusHandle,
    every: Duration,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            handle.run_upkeep();
        }
    })
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics_text))
}

/// Counts every request by kind of address and status, and times it.
pub async fn observe(req: Request<Body>, next: Next) -> Response {
    let kind = RouteKind::of(req.uri().path()).name();
    let started = Instant::now();
    let res = next.run(req).await;
    let status = res.status().as_u16().to_string();
    metrics::counter!("portal_http_requests_total", "kind" => kind, "status" => status)
        .increment(1);
    metrics::histogram!("portal_http_request_duration_seconds", "kind" => kind)
        .record(started.elapsed().as_secs_f64());
    res
}

const PLAIN: (header::HeaderName, &str) = (header::CONTENT_TYPE, "text/plain; charset=utf-8");

async fn healthz() -> Response {
    (StatusCode::OK, [PLAIN], "ok\n").into_response()
}

/// Ready when the database answers within two seconds and has every migration.
async fn readyz(State(state): State<AppState>) -> Response {
    let check = db::applied_migration(&state.pool);
    let answer = match tokio::time::timeout(Duration::from_secs(2), check).await {
        Err(_) => Err("the database did not answer within 2 s".to_string()),
        Ok(Err(e)) => Err(format!("the database is not reachable: {e}")),
        Ok(Ok(applied)) if applied < db::latest_migration(state.pool.backend()) => Err(format!(
            "the database is at migration {applied}, this build needs {}",
            db::latest_migration(state.pool.backend())
        )),
        Ok(Ok(_)) => Ok(()),
    };
    match answer {
        Ok(()) => (StatusCode::OK, [PLAIN], "ready\n").into_response(),
        Err(why) => {
            tracing::warn!(%why, "not ready");
            AppError::Unavailable(format!("not ready: {why}")).into_response()
        }
    }
}

/// Who may read the metrics: with `PORTAL_METRICS_TOKEN` set, whoever sends it as a bearer
/// token; without it, only a client on this machine that no proxy forwarded (behind a proxy
/// on the same machine, every reader would otherwise look local).
fn may_read_metrics(state: &AppState, peer: Option<SocketAddr>, headers: &HeaderMap) -> bool {
    if let Some(token) = state.config.metrics_token.as_deref() {
        let sent = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        return sent.is_some_and(|s| constant_time_eq(s.as_bytes(), token.as_bytes()));
    }
    let forwarded = headers.contains_key("forwarded") || headers.contains_key("x-forwarded-for");
    // No peer: a request handed to the router in-process (the tests), never from a socket.
    !forwarded && peer.is_none_or(|p| p.ip().is_loopback())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn metrics_text(State(state): State<AppState>, req: Request<Body>) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    if !may_read_metrics(&state, peer, req.headers()) {
        return AppError::Forbidden(
            "Metrics are served to this machine only. To read them from elsewhere, set \
             PORTAL_METRICS_TOKEN and send it as `Authorization: Bearer <token>`."
                .into(),
        )
        .into_response();
    }
    let (open, idle) = state.pool.connections();
    metrics::gauge!("portal_db_pool_connections").set(open as f64);
    metrics::gauge!("portal_db_pool_idle_connections").set(idle as f64);
    metrics::gauge!("portal_page_cache_entries").set(state.cache.len() as f64);
    match db::scheduler_lag(&state.pool, dates::now()).await {
        Ok(lag) => metrics::gauge!("portal_scheduler_lag_seconds").set(lag as f64),
        Err(e) => tracing::warn!(error = %e, "reading the scheduler lag for /metrics"),
    }
    let handle = metrics_handle();
    handle.run_upkeep();
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        handle.render(),
    )
        .into_response()
}
