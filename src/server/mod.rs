//! The server: configuration, database, router. Never compiled into the browser's WASM.

pub mod config;
pub mod dates;
pub mod db;
pub mod markdown;
pub mod search;
pub mod seed;
pub mod slug;
pub mod state;

use crate::app::{shell, App};
use axum::{
    body::Body,
    http::{header, HeaderValue, Request, StatusCode},
    middleware::{self, Next},
    response::Response,
    Router,
};
use config::Config;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use state::AppState;
use std::sync::Arc;
use tower_http::{services::ServeDir, set_header::SetResponseHeaderLayer};

/// Opens the database, applies migrations (failing loudly), seeds demo content if asked.
pub async fn prepare(config: &Config) -> Result<db::Pool, String> {
    if let Some(path) = config.database_url.strip_prefix("sqlite://") {
        let path = path.split('?').next().unwrap_or(path);
        if let Some(parent) = std::path::Path::new(path).parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
            }
        }
    }
    let pool = db::connect(&config.database_url)
        .await
        .map_err(|e| format!("cannot open database {}: {e}", config.database_url))?;
    db::migrate(&pool)
        .await
        .map_err(|e| format!("database migration failed: {e}"))?;
    if config.seed_demo {
        let added = seed::seed_if_empty(&pool, &config.media_dir())
            .await
            .map_err(|e| format!("seeding demo content failed: {e}"))?;
        if added > 0 {
            tracing::info!(articles = added, "seeded demo content");
        }
    }
    Ok(pool)
}

/// The whole HTTP application. Tests drive exactly this router.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let media = ServeDir::new(state.config.media_dir());
    let media = Router::new()
        .fallback_service(media)
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        ));
    Router::new()
        .nest("/media", media)
        .leptos_routes_with_context(
            &state,
            routes,
            {
                let state = state.clone();
                move || provide_context(state.clone())
            },
            {
                let options = state.leptos_options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(middleware::from_fn(client_errors_are_4xx))
        .with_state(state)
}

/// Server functions answer every error with 500. When the error is the caller's fault
/// (malformed arguments, unknown things), say so with the right status.
async fn client_errors_are_4xx(req: Request<Body>, next: Next) -> Response {
    let is_api = req.uri().path().starts_with("/api/");
    let res = next.run(req).await;
    if !is_api || res.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024)
        .await
        .unwrap_or_default();
    if let Ok(err) = serde_json::from_slice::<crate::error::AppError>(&bytes) {
        if let Ok(status) = StatusCode::from_u16(err.status()) {
            parts.status = status;
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Starts the server: config from the environment, then serve until Ctrl-C / SIGTERM.
pub async fn run() -> Result<(), String> {
    use axum::serve::ListenerExt;

    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();

    let config = Config::from_env()?;
    let conf = get_configuration(None).map_err(|e| format!("leptos configuration: {e}"))?;
    let leptos_options = conf.leptos_options;
    let addr = leptos_options.site_addr;
    let pool = prepare(&config).await?;
    let state = AppState {
        leptos_options,
        pool: pool.clone(),
        config: Arc::new(config),
    };
    let app = router(state);

    // Without TCP_NODELAY, responses written in pieces wait for the client's delayed ACK.
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?
        .tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
    tracing::info!("listening on http://{addr}");
    axum::serve(listener, app.into_make_service())
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| format!("server error: {e}"))?;
    pool.close().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
