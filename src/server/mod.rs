//! The server: start-up, the HTTP application, the data. Never compiled into the browser's WASM.
//!
//! - `run` / `prepare` (here): configuration, database, background tasks, graceful shutdown;
//! - `http`: the router and its middleware, in one stack;
//! - features: `newsroom` (articles, workflow, revisions, scheduler), `accounts` (logins,
//!   sessions, users), `feeds`, `upload` + `media`, `search`, `markdown`;
//! - `views`: readers' views, counted without tracking anyone, and "Most read";
//! - `live`: live coverage's readers on this server (the hub its event streams listen to);
//! - `operator`: `/healthz`, `/readyz`, `/metrics`;
//! - `backup`: `portal backup` / `portal restore`;
//! - `db`: all SQL; `cache`: the page cache; `config`, `dates`, `slug`, `cli`, `state`.

pub mod accounts;
pub mod backup;
pub mod cli;
pub mod client;
pub mod config;
pub mod cookies;
pub mod dates;
pub mod db;
pub mod edge;
pub mod headers;
pub mod live;
pub mod media;
pub mod metrics;
pub mod newsletter;
pub mod newsroom;
pub mod page_cache;
pub mod reader;
pub mod redirects;
pub mod slots;
pub mod state;
pub mod views;
pub mod weburl;
pub mod wordpress;

use config::Config;
use leptos::prelude::*;
use newsroom::Newsroom;
use state::AppState;
use std::time::Duration;

/// How often scheduled articles are looked for.
const SCHEDULER_EVERY: Duration = Duration::from_secs(15);
/// How long start-up waits for a busy database (another process writing, a big WAL being
/// checkpointed) before it gives up.
const START_PATIENCE: Duration = Duration::from_secs(120);
/// After the last request, how long background work may take to finish before exit.
const BACKGROUND_GRACE: Duration = Duration::from_secs(1);
/// Expired sessions are deleted this often.
const SESSION_SWEEP_EVERY: Duration = Duration::from_secs(3600);

/// Why the server (or a command that opens the database) could not start, each saying what
/// to do.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(
        "cannot create {}: {source}. Check PORTAL_DATA_DIR (a folder this user may write)",
        .path.display()
    )]
    DataDir {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error(
        "cannot open database {url}: {source}. Check PORTAL_DATABASE_URL (and, for PostgreSQL, \
         that the server runs, accepts this user and has the database)"
    )]
    Database { url: String, source: sqlx::Error },
    #[error(
        "database migration failed: {0}. Nothing was served; a migration that failed half-way \
         is rolled back, so fix the cause (disk space, permissions) and start again"
    )]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("session table migration failed: {0}")]
    SessionTable(sqlx::Error),
    #[error(
        "the site's settings (cargo-leptos' LEPTOS_* variables) cannot be read: {0}; start the \
         server with scripts/run.sh or from the folder scripts/build.sh wrote"
    )]
    Site(String),
    /// A restore holds the database, or its lock file cannot be used.
    #[error(transparent)]
    Lock(#[from] backup::BackupError),
    #[error(transparent)]
    MediaStore(#[from] media::StoreError),
    #[error("checking for demo accounts failed: {0}")]
    DemoCheck(crate::error::AppError),
    #[error(
        "refusing to serve on {addr}: the demo account(s) {} still have the passwords printed \
         in the README, and anyone who can reach this address could log in with them. Give \
         each a new password (`portal user password --email ADDRESS`), or serve the demo on a \
         loopback address (LEPTOS_SITE_ADDR=127.0.0.1:3000).",
        .accounts.join(", ")
    )]
    DemoPasswords {
        addr: std::net::SocketAddr,
        accounts: Vec<&'static str>,
    },
    #[error(
        "cannot listen on {addr}: {source} (is another server running? choose another address \
         with --site-addr or LEPTOS_SITE_ADDR)"
    )]
    Listen {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
}

/// Opens the database (creating the file and its folder if needed) and applies migrations,
/// failing loudly.
pub async fn open_database(config: &Config) -> Result<db::Pool, StartError> {
    let url = config.database_url();
    if let Some(path) = url.strip_prefix("sqlite://") {
        let path = path.split('?').next().unwrap_or(path);
        if let Some(parent) = std::path::Path::new(path).parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent).map_err(|source| StartError::DataDir {
                    path: parent.into(),
                    source,
                })?;
            }
        }
    }
    let shown = db::redacted_url(&url);
    // A PostgreSQL server may still be starting (servers and database brought up together):
    // waiting for it is what an operator wants, each wait logged.
    let pool = db::retry_while_busy(
        "connecting to the database",
        START_PATIENCE,
        |e: &sqlx::Error| db::is_postgres_url(&url) && db::is_busy(e),
        || db::connect_with(&url, config.sqlite_synchronous, config.database_connections),
    )
    .await
    .map_err(|source| StartError::Database { url: shown, source })?;
    use sqlx::migrate::MigrateError;
    db::retry_while_busy(
        "migrations",
        START_PATIENCE,
        |e: &MigrateError| match e {
            MigrateError::Execute(e) | MigrateError::ExecuteMigration(e, _) => db::is_busy(e),
            _ => false,
        },
        || db::migrate(&pool),
    )
    .await?;
    Ok(pool)
}

/// Everything before the first request: the database, the session table, and the scheduled
/// articles that came due while the server was down.
pub async fn prepare(config: &Config) -> Result<db::Pool, StartError> {
    let pool = open_database(config).await?;
    db::retry_while_busy("session table", START_PATIENCE, db::is_busy, || async {
        db::sessions::SessionTable::new(&pool).migrate().await
    })
    .await
    .map_err(StartError::SessionTable)?;
    let newsroom = Newsroom::new(pool.clone(), config.timezone, dates::Clock::system());
    // Articles from before author profiles get theirs once (nothing to do on later starts).
    match db::retry_while_busy(
        "author profiles",
        START_PATIENCE,
        |e: &crate::error::AppError| matches!(e, crate::error::AppError::Unavailable(_)),
        || newsroom.give_bylines_profiles(),
    )
    .await
    {
        Ok(0) => {}
        Ok(n) => tracing::info!(
            articles = n,
            "gave older articles author profiles from their bylines"
        ),
        Err(e) => {
            tracing::error!(error = %e, "giving older articles author profiles failed; the next start tries again")
        }
    }
    // Catching up is not worth refusing to start over: whatever cannot be published now,
    // the scheduler publishes on its next round.
    match db::retry_while_busy(
        "publishing due articles",
        START_PATIENCE,
        |e: &crate::error::AppError| matches!(e, crate::error::AppError::Unavailable(_)),
        || newsroom.publish_due(),
    )
    .await
    {
        Ok(0) => {}
        Ok(n) => tracing::info!(
            articles = n,
            "published scheduled articles that came due while stopped"
        ),
        Err(e) => tracing::error!(
            error = %e,
            "publishing scheduled articles at start failed; the scheduler tries again every {} s",
            SCHEDULER_EVERY.as_secs()
        ),
    }
    Ok(pool)
}

/// A server other machines can reach does not start while a demo account still has the
/// password the README prints: anyone could log in to that newsroom.
async fn refuse_public_demo_accounts(
    pool: &db::Pool,
    config: &Config,
    addr: std::net::SocketAddr,
) -> Result<(), StartError> {
    if addr.ip().is_loopback() {
        return Ok(());
    }
    let accounts = accounts::Accounts::new(pool.clone(), config.timezone, dates::Clock::system());
    let known = accounts
        .with_demo_passwords()
        .await
        .map_err(StartError::DemoCheck)?;
    if known.is_empty() {
        return Ok(());
    }
    Err(StartError::DemoPasswords {
        addr,
        accounts: known,
    })
}

/// Follows the content version in the database (other servers' writes, the scheduler): as
/// other servers announce it (PostgreSQL's NOTIFY), and on every backend by polling every
/// `page_cache::WATCH_EVERY`, which also covers announcements lost with a dropped connection.
pub fn spawn_cache_watcher(
    pool: db::Pool,
    cache: std::sync::Arc<page_cache::PageCache>,
) -> tokio::task::JoinHandle<()> {
    let announced = cache.clone();
    let listener = pool.clone();
    tokio::spawn(async move {
        listener
            .follow_announcements(move |version| match version {
                Some(v) => announced.observe_version(v),
                None => announced.purge(),
            })
            .await
    });
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(page_cache::WATCH_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Ok(v) = db::content_version(&pool).await {
                cache.observe_version(v as u64);
            }
        }
    })
}

/// The leptos options, with the asset names cargo-leptos hashed when it built this binary.
fn leptos_options(config: &Config) -> Result<LeptosOptions, StartError> {
    let conf = get_configuration(None).map_err(|e| StartError::Site(e.to_string()))?;
    let mut options = conf.leptos_options;
    options.site_addr = config.site_addr;
    // cargo-leptos writes the asset hashes next to the binary; use them whenever they are
    // there, so a release binary started by hand links the right files.
    if !options.hash_files {
        let beside_binary = std::env::current_exe()
            .ok()
            .and_then(|p| p.parent().map(|d| d.join(options.hash_file.as_ref())));
        if beside_binary.is_some_and(|p| p.exists()) {
            options.hash_files = true;
        }
    }
    Ok(options)
}

/// Serves until Ctrl-C / SIGTERM.
pub async fn run(config: Config) -> Result<(), StartError> {
    let options = leptos_options(&config)?;
    let addr = options.site_addr;
    // Held until the server exits: `portal restore` waits for no server to use the file.
    let _lock = backup::hold_server_lock(&config)?;
    let media = media::open_store(&config)?;
    let pool = prepare(&config).await?;
    refuse_public_demo_accounts(&pool, &config, addr).await?;
    let state = AppState::with_media(options, pool.clone(), config, media);
    let watcher = spawn_cache_watcher(pool.clone(), state.cache.clone());
    // Live coverage changed on other servers reaches this one's readers.
    let live_follower = state.live.spawn_follower();
    let live = state.live.clone();
    let upkeep = edge::operator::spawn_metrics_upkeep(
        self::metrics::metrics_handle().clone(),
        edge::operator::METRICS_UPKEEP_EVERY,
    );
    let (stop, stopped) = tokio::sync::watch::channel(false);
    // Readers' views: written in batches, the last ones when the server stops.
    let counting = state.views.spawn(
        pool.clone(),
        state.cache.clone(),
        state.blocks.clone(),
        stopped.clone(),
    );
    // The newsletter's digests at the newsroom's hour (off without mail settings: said once).
    if let Err(why) = &state.mailer {
        tracing::info!("{why}");
    }
    let digests = state.newsletter().spawn_schedule(stopped.clone());
    let scheduler = state
        .newsroom()
        .spawn_scheduler(state.cache.clone(), SCHEDULER_EVERY, stopped);
    let sweeper = {
        use tower_sessions::session_store::ExpiredDeletion;
        tokio::spawn(
            db::sessions::SessionTable::new(&pool).continuously_delete_expired(SESSION_SWEEP_EVERY),
        )
    };
    let header_timeout = std::time::Duration::from_secs(state.config.header_timeout);
    let app = edge::http::router(state);

    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .map_err(|source| StartError::Listen { addr, source })?;
    let bound = listener.local_addr().unwrap_or(addr);
    tracing::info!("listening on http://{bound}");
    let shutdown = async move {
        shutdown_signal().await;
        // Live streams end now, each with a hint when to come back: an open stream would
        // otherwise hold its connection until the drain time runs out.
        live.close();
    };
    edge::listen::serve(listener, app, header_timeout, shutdown).await;
    // Requests are done (or cut off after the drain time); the scheduler finishes the round
    // it is in (each is one transaction, so even a cut-off one leaves nothing half-done).
    let _ = stop.send(true);
    if tokio::time::timeout(BACKGROUND_GRACE, scheduler)
        .await
        .is_err()
    {
        tracing::warn!("the scheduler did not finish its round in time; it is rolled back");
    }
    // A digest run stops after the mail it is sending (the rest waits for the next run).
    if tokio::time::timeout(BACKGROUND_GRACE, digests)
        .await
        .is_err()
    {
        tracing::warn!(
            "the newsletter's run did not stop in time; its digests left are sent by the next run"
        );
    }
    // The views counted since the last batch are written before the pool closes.
    if tokio::time::timeout(BACKGROUND_GRACE, counting)
        .await
        .is_err()
    {
        tracing::warn!("writing the last views took too long; they are lost");
    }
    watcher.abort();
    live_follower.abort();
    upkeep.abort();
    sweeper.abort();
    pool.close().await;
    tracing::info!("stopped");
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
