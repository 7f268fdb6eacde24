//! The server: configuration, database, router. Never compiled into the browser's WASM.

pub mod auth;
pub mod bench;
pub mod cache;
pub mod cli;
pub mod config;
pub mod dates;
pub mod db;
pub mod feeds;
pub mod markdown;
pub mod media;
pub mod newsroom;
pub mod search;
pub mod seed;
pub mod slug;
pub mod state;
pub mod upload;

use crate::app::{shell, App};
use axum::{
    body::Body,
    extract::DefaultBodyLimit,
    http::{header, HeaderValue, Request, StatusCode},
    middleware::{self, Next},
    response::Response,
    routing::{get, post},
    Router,
};
use config::Config;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use state::AppState;
use tower_http::{services::ServeDir, set_header::SetResponseHeaderLayer};
use tower_sessions::{
    cookie::time::Duration as CookieDuration, cookie::SameSite, Expiry, SessionManagerLayer,
};
use tower_sessions_sqlx_store::SqliteStore;

/// Sessions last this long without use.
const SESSION_IDLE_DAYS: i64 = 7;

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
    session_store(&pool)
        .migrate()
        .await
        .map_err(|e| format!("session table migration failed: {e}"))?;
    if config.seed_demo {
        let added = seed::seed_if_empty(&pool, &config.media_dir())
            .await
            .map_err(|e| format!("seeding demo content failed: {e}"))?;
        if added > 0 {
            tracing::info!(articles = added, "seeded demo content");
        }
        if seed::seed_demo_users(&pool)
            .await
            .map_err(|e| format!("creating demo accounts failed: {e}"))?
        {
            tracing::info!("created the demo accounts (see README)");
        }
    }
    // Articles that came due while the server was down go out now, before the first request.
    let caught_up = newsroom::publish_due(&pool, dates::now())
        .await
        .map_err(|e| format!("publishing due articles failed: {e}"))?;
    if caught_up > 0 {
        tracing::info!(
            articles = caught_up,
            "published scheduled articles that came due while stopped"
        );
    }
    Ok(pool)
}

fn session_store(pool: &db::Pool) -> SqliteStore {
    SqliteStore::new(pool.clone())
        .with_table_name("sessions")
        .expect("a valid table name")
}

/// The whole HTTP application. Tests drive exactly this router.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let media = ServeDir::new(state.config.media_dir());
    let media = Router::new()
        .fallback_service(media)
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static(cache::IMMUTABLE),
        ));
    let sessions = SessionManagerLayer::new(session_store(&state.pool))
        .with_name("portal_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.config.secure_cookies())
        .with_expiry(Expiry::OnInactivity(CookieDuration::days(
            SESSION_IDLE_DAYS,
        )));
    Router::new()
        .nest("/media", media)
        .route("/feed.xml", get(feeds::site_rss))
        .route("/atom.xml", get(feeds::site_atom))
        .route("/category/{slug}/feed.xml", get(feeds::section_rss))
        .route("/category/{slug}/atom.xml", get(feeds::section_atom))
        .route("/sitemap.xml", get(feeds::sitemap))
        .route("/sitemaps/{name}", get(feeds::sitemap_part))
        .route("/robots.txt", get(feeds::robots))
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
        .layer(middleware::from_fn(render_again_if_stalled))
        // A page that takes this long is broken: answer instead of holding the reader.
        // (Uploads, added below, may take longer on slow connections.)
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            std::time::Duration::from_secs(30),
        ))
        .route(
            "/api/admin/media",
            post(upload::upload).layer(DefaultBodyLimit::max(
                crate::model::validate::UPLOAD_MAX_BYTES + 64 * 1024,
            )),
        )
        .layer(middleware::from_fn(client_errors_are_4xx))
        .layer(middleware::from_fn(cache_headers))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            purge_after_writes,
        ))
        .layer(sessions)
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(middleware::from_fn_with_state(
            state.cache.clone(),
            cache::layer,
        ))
        .with_state(state)
}

/// `Cache-Control` per kind of address: the newsroom never stored, hashed assets for a year,
/// public pages briefly (the page cache keeps them fresh on the server side).
async fn cache_headers(req: Request<Body>, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let is_get = req.method() == axum::http::Method::GET;
    let logged_in = cache::has_session(req.headers());
    let mut res = next.run(req).await;
    let value =
        if path == "/admin" || path.starts_with("/admin/") || path.starts_with("/api/admin/") {
            Some(cache::PRIVATE)
        } else if path.starts_with("/pkg/") && res.status() == StatusCode::OK {
            Some(cache::IMMUTABLE)
        } else if logged_in && !path.starts_with("/media/") {
            // Editors see their own changes at once, never a copy their browser kept.
            Some(cache::PRIVATE_REVALIDATE)
        } else if is_get
            && matches!(res.status(), StatusCode::OK | StatusCode::NOT_FOUND)
            && !res.headers().contains_key(header::CACHE_CONTROL)
            && !res.headers().contains_key(header::SET_COOKIE)
            && !path.starts_with("/media/")
        {
            Some(cache::PUBLIC_PAGE)
        } else {
            None
        };
    if let Some(v) = value {
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(v));
    }
    res
}

/// A page render that has not finished after this long has stalled, not slowed down: normal
/// renders take milliseconds, even at 100,000 articles under load.
const RENDER_STALLED_AFTER: std::time::Duration = std::time::Duration::from_secs(5);

/// Leptos 0.8 server rendering has rare races (seen with 0.8.23 on fresh servers, about one
/// render in several hundred): a wake-up lost between Suspense boundaries that share a resource
/// leaves the response waiting forever without using any CPU (leptos-rs/leptos#4851, #4673), and
/// an owner disposed while its view is still being written makes a signal read panic. Reading is
/// idempotent, so a GET whose render panics or stalls is rendered once more from scratch, in its
/// own task so a panic cannot take the connection down; the 30 s timeout outside stays the last
/// resort.
async fn render_again_if_stalled(req: Request<Body>, next: Next) -> Response {
    let method = req.method().clone();
    if method != axum::http::Method::GET && method != axum::http::Method::HEAD {
        return next.run(req).await;
    }
    let mut again = Request::new(Body::empty());
    *again.method_mut() = method;
    *again.uri_mut() = req.uri().clone();
    *again.version_mut() = req.version();
    *again.headers_mut() = req.headers().clone();
    *again.extensions_mut() = req.extensions().clone();
    let first = tokio::spawn(next.clone().run(req));
    let abort = first.abort_handle();
    let problem = match tokio::time::timeout(RENDER_STALLED_AFTER, first).await {
        Ok(Ok(res)) => return res,
        Ok(Err(_)) => "panicked",
        Err(_) => {
            abort.abort();
            "stalled"
        }
    };
    tracing::warn!(uri = %again.uri(), problem, "a render failed; rendering it again");
    next.run(again).await
}

/// After any write, the page cache is dropped if the content version moved: the very next
/// request renders fresh.
async fn purge_after_writes(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: Request<Body>,
    next: Next,
) -> Response {
    let write = req.method() != axum::http::Method::GET && req.method() != axum::http::Method::HEAD;
    let res = next.run(req).await;
    if write {
        if let Ok(v) = db::content_version(&state.pool).await {
            state.cache.observe_version(v as u64);
        }
    }
    res
}

/// Follows the content version in the database (other servers' writes, the scheduler).
pub fn spawn_cache_watcher(
    pool: db::Pool,
    cache: std::sync::Arc<cache::PageCache>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(cache::WATCH_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Ok(v) = db::content_version(&pool).await {
                cache.observe_version(v as u64);
            }
        }
    })
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
    let mut leptos_options = conf.leptos_options;
    // cargo-leptos writes the asset hashes next to the binary; use them whenever they are
    // there, so a release binary started by hand links the right files.
    if !leptos_options.hash_files {
        let beside_binary = std::env::current_exe().ok().and_then(|p| {
            p.parent()
                .map(|d| d.join(leptos_options.hash_file.as_ref()))
        });
        if beside_binary.is_some_and(|p| p.exists()) {
            leptos_options.hash_files = true;
        }
    }
    let addr = leptos_options.site_addr;
    let pool = prepare(&config).await?;
    let state = AppState::new(leptos_options, pool.clone(), config);
    let watcher = spawn_cache_watcher(pool.clone(), state.cache.clone());
    let scheduler = newsroom::spawn_scheduler(
        pool.clone(),
        state.cache.clone(),
        std::time::Duration::from_secs(15),
    );
    let app = router(state);
    let sweeper = {
        use tower_sessions::session_store::ExpiredDeletion;
        tokio::spawn(
            session_store(&pool).continuously_delete_expired(std::time::Duration::from_secs(3600)),
        )
    };

    // Without TCP_NODELAY, responses written in pieces wait for the client's delayed ACK.
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?
        .tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
    tracing::info!("listening on http://{addr}");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(|e| format!("server error: {e}"))?;
    scheduler.abort();
    watcher.abort();
    sweeper.abort();
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
