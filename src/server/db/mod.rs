//! All SQL lives below this module. Functions take a pool or a connection, return plain rows
//! or model types, and never know about views.
//!
//! Two backends: SQLite (the embedded default) and PostgreSQL (several servers on one
//! database). Most statements are the same text on both (`$1` parameters, `TRUE`/`FALSE`,
//! `CASE` instead of two-argument `max`); `on!`/`on_conn!` compile a statement's code once per
//! backend. What differs (search, dates, locks, catalogue queries, bulk loads) is the contract
//! `dialect::Dialect`, which each backend implements in its own file. Nothing outside `db/`
//! looks at which backend it is on.

/// Runs `$body` with `$db` bound to the backend's own pool (`&SqlitePool` or `&PgPool`): the
/// same code, compiled for each.
macro_rules! on {
    ($pool:expr, $db:ident => $body:expr) => {
        match $pool {
            $crate::server::db::Pool::Sqlite($db) => $body,
            $crate::server::db::Pool::Postgres($db) => $body,
        }
    };
}

/// As `on!`, for a connection (`Conn`): `$db` is `&mut SqliteConnection` or `&mut PgConnection`
/// (reborrow it as `&mut *$db` to run more than one statement). With `as $dialect`, `$dialect`
/// names the backend's type (`sqlx::Sqlite` or `sqlx::Postgres`) for calling the `Dialect`
/// functions that take a connection (the compiler cannot tell the backend from a connection's
/// type).
macro_rules! on_conn {
    ($conn:expr, $db:ident => $body:expr) => {
        match $conn {
            $crate::server::db::Conn::Sqlite($db) => $body,
            $crate::server::db::Conn::Postgres($db) => $body,
        }
    };
    ($conn:expr, $db:ident as $dialect:ident => $body:expr) => {
        match $conn {
            $crate::server::db::Conn::Sqlite($db) => {
                type $dialect = sqlx::Sqlite;
                $body
            }
            $crate::server::db::Conn::Postgres($db) => {
                type $dialect = sqlx::Postgres;
                $body
            }
        }
    };
}

pub mod articles;
pub mod audit;
pub mod authors;
pub mod bulk;
pub mod dialect;
pub mod feeds;
pub mod imports;
pub mod labels;
pub mod live;
pub mod media;
pub mod navigation;
pub mod newsletter;
pub mod newsroom;
pub mod pages;
pub mod query;
pub mod rows;
pub mod search;
pub mod sessions;
pub mod users;
pub mod views;

use crate::server::config::Durability;
use dialect::{Dialect, Words};
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions,
    SqliteSynchronous,
};
use std::collections::HashMap;
use std::str::FromStr;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;

/// The database of the portal: one SQLite file, or a PostgreSQL database shared by servers.
#[derive(Clone, Debug)]
pub enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// How the backend spells what the two say differently.
    pub fn words(self) -> &'static Words {
        match self {
            Backend::Sqlite => &<sqlx::Sqlite as Dialect>::WORDS,
            Backend::Postgres => &<sqlx::Postgres as Dialect>::WORDS,
        }
    }

    fn migrations(self) -> &'static Migrator {
        match self {
            Backend::Sqlite => <sqlx::Sqlite as Dialect>::migrations(),
            Backend::Postgres => <sqlx::Postgres as Dialect>::migrations(),
        }
    }
}

/// Lists read as one row: a statement that returns the rows of `from` (a subquery with its
/// alias) as one JSON text, an array holding each row as an array of `row`'s values (build it
/// with `json_array`), decoded by `from_json_rows`.
///
/// sqlx's SQLite driver hands each row of a result from the connection's worker thread to the
/// task on its own, and that costs more than SQLite's own work: read in a loop on the
/// 100,000-article database (2 cores), the article page's 14 links took ~250 µs of CPU as 14
/// rows, ~60 µs of it SQLite's, and ~85 µs as this one row. The order of the array's elements
/// is not defined: callers sort what they decode.
pub(crate) fn json_rows_sql(backend: Backend, row: &str, from: &str) -> String {
    let (before, after) = backend.words().json_rows;
    format!("SELECT {before}{row}{after} FROM {from}")
}

/// A JSON array of `items` (comma-separated SQL expressions), in the backend's words.
pub(crate) fn json_array(backend: Backend, items: &str) -> String {
    let f = backend.words().json_array;
    format!("{f}({items})")
}

/// Decodes what a `json_rows_sql` statement returned: anything whose serde form is a sequence
/// (tuples; structs, field by field in their declared order).
pub(crate) fn from_json_rows<T: serde::de::DeserializeOwned>(
    text: &str,
) -> Result<Vec<T>, sqlx::Error> {
    serde_json::from_str(text).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// `s` with LIKE's wildcards escaped (`\` is the escape: statements say `ESCAPE '\'`), so
/// that "50%" typed means the text "50%".
pub(crate) fn like_escaped(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

pub use crate::server::config::is_postgres_url;

/// The URL with its password replaced, for logs and messages.
pub fn redacted_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.split_once('@') {
        Some((user, host)) if user.contains(':') => {
            let name = user.split(':').next().unwrap_or_default();
            format!("{scheme}://{name}:***@{host}")
        }
        _ => url.to_string(),
    }
}

impl Pool {
    pub fn backend(&self) -> Backend {
        match self {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// The SQLite pool, for what only a file database has (backups, the session table).
    pub fn as_sqlite(&self) -> Option<&SqlitePool> {
        match self {
            Pool::Sqlite(p) => Some(p),
            Pool::Postgres(_) => None,
        }
    }

    pub async fn close(&self) {
        on!(self, p => p.close().await)
    }

    /// Connections open, and how many of them idle.
    pub fn connections(&self) -> (u32, usize) {
        on!(self, p => (p.size(), p.num_idle()))
    }

    /// Tells `seen` each content version that other servers announce as they commit (`None`:
    /// forget what was cached), until the process ends; returns at once on a backend where
    /// nothing is announced (`Dialect::follow`).
    pub async fn follow_announcements(&self, seen: impl Fn(Option<u64>) + Send + Sync + 'static) {
        let seen = move |payload: Option<&str>| seen(payload.and_then(|p| p.parse().ok()));
        on!(self, p => Dialect::follow(p.clone(), dialect::CONTENT_CHANNEL, seen).await)
    }

    /// Tells `seen` each article whose live coverage other servers changed (`None`: any may
    /// have), until the process ends; returns at once where nothing is announced.
    pub async fn follow_live(&self, seen: impl Fn(Option<i64>) + Send + Sync + 'static) {
        let seen = move |payload: Option<&str>| match payload {
            Some(p) => {
                if let Ok(id) = p.parse() {
                    seen(Some(id))
                }
            }
            None => seen(None),
        };
        on!(self, p => Dialect::follow(p.clone(), dialect::LIVE_CHANNEL, seen).await)
    }

    /// A connection of the pool, for functions that take a `Conn`.
    pub async fn acquire(&self) -> Result<PoolConn, sqlx::Error> {
        Ok(match self {
            Pool::Sqlite(p) => PoolConn::Sqlite(p.acquire().await?),
            Pool::Postgres(p) => PoolConn::Postgres(p.acquire().await?),
        })
    }
}

/// A connection borrowed for a few statements (a transaction's, or one from the pool).
pub enum Conn<'a> {
    Sqlite(&'a mut SqliteConnection),
    Postgres(&'a mut PgConnection),
}

impl Conn<'_> {
    /// The same connection for one more statement (a function that runs several).
    pub fn reborrow(&mut self) -> Conn<'_> {
        match self {
            Conn::Sqlite(c) => Conn::Sqlite(c),
            Conn::Postgres(c) => Conn::Postgres(c),
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            Conn::Sqlite(_) => Backend::Sqlite,
            Conn::Postgres(_) => Backend::Postgres,
        }
    }
}

impl<'a> From<&'a mut SqliteConnection> for Conn<'a> {
    fn from(c: &'a mut SqliteConnection) -> Self {
        Conn::Sqlite(c)
    }
}

impl<'a> From<&'a mut PgConnection> for Conn<'a> {
    fn from(c: &'a mut PgConnection) -> Self {
        Conn::Postgres(c)
    }
}

/// A connection taken from the pool (back to it when dropped).
pub enum PoolConn {
    Sqlite(sqlx::pool::PoolConnection<sqlx::Sqlite>),
    Postgres(sqlx::pool::PoolConnection<sqlx::Postgres>),
}

impl PoolConn {
    pub fn conn(&mut self) -> Conn<'_> {
        match self {
            PoolConn::Sqlite(c) => Conn::Sqlite(c),
            PoolConn::Postgres(c) => Conn::Postgres(c),
        }
    }
}

/// How long a write waits for its turn at the writer before it gives up (then the editor
/// keeps the text and tries again). Writers queue for it; a save takes a few milliseconds, so
/// only a stuck database waits this long.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Opens (creating a SQLite file if needed) the database, every commit durable on disk.
pub async fn connect(url: &str) -> Result<Pool, sqlx::Error> {
    connect_with(url, Durability::Full, 10).await
}

/// Opens the database named by `url` with the settings a web server wants.
///
/// SQLite: WAL so readers never wait for a writer, foreign keys on, a busy timeout instead of
/// errors, commits as durable as `durability` says. PostgreSQL: a pool of `connections`;
/// durability is the database server's own.
pub async fn connect_with(
    url: &str,
    durability: Durability,
    connections: u32,
) -> Result<Pool, sqlx::Error> {
    if is_postgres_url(url) {
        return connect_postgres(url, connections).await;
    }
    let options = SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(match durability {
            Durability::Full => SqliteSynchronous::Full,
            Durability::Normal => SqliteSynchronous::Normal,
        })
        .foreign_keys(true)
        .busy_timeout(BUSY_TIMEOUT)
        .pragma("temp_store", "memory")
        // 4 MB of page cache per connection: the hot pages (indexes, the newest articles)
        // fit, the rest comes from the OS's file cache, shared by every connection.
        .pragma("cache_size", "-4000");
    // Requests run their queries one after another, so a handful of connections serve many
    // requests; waiting longer than a few seconds for one means something is wrong: fail loudly.
    // A connection to a file cannot go stale the way a network one can, so it is not pinged
    // before each use (a round trip to its worker thread per query, ~8 % of an uncached page).
    let pool = SqlitePoolOptions::new()
        .max_connections(6)
        .min_connections(1)
        .test_before_acquire(false)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(options)
        .await?;
    Ok(Pool::Sqlite(pool))
}

async fn connect_postgres(url: &str, size: u32) -> Result<Pool, sqlx::Error> {
    let options = PgConnectOptions::from_str(url)?.application_name("portal");
    let pool = PgPoolOptions::new()
        .max_connections(size)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(options)
        .await?;
    Ok(Pool::Postgres(pool))
}

/// A transaction that writes, holding the turn at the database's one writer.
///
/// Writers queue here, first come first served, before they take a connection: a queue of
/// writers never occupies the pool that readers need. Then the transaction takes the
/// database's write lock as it begins, waiting up to the busy timeout for a writer elsewhere:
/// on SQLite `BEGIN IMMEDIATE` (a plain `BEGIN` would take it only at the first write, and if
/// another connection wrote since this one's first read, SQLite cannot wait and fails at once
/// with "database is locked"); on PostgreSQL a transaction-scoped advisory lock, so that, as
/// on SQLite, the newsroom's writes happen one at a time across every server (the rules that
/// read before they write, such as "never demote the last admin", stay true; a save takes a
/// few milliseconds, and readers never wait for it).
pub struct WriteTx {
    tx: Tx,
    _turn: tokio::sync::OwnedSemaphorePermit,
}

enum Tx {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

impl WriteTx {
    /// The transaction's connection, for the functions of this module.
    pub fn conn(&mut self) -> Conn<'_> {
        match &mut self.tx {
            Tx::Sqlite(t) => Conn::Sqlite(t),
            Tx::Postgres(t) => Conn::Postgres(t),
        }
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self.tx {
            Tx::Sqlite(t) => t.commit().await,
            Tx::Postgres(t) => t.commit().await,
        }
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        match self.tx {
            Tx::Sqlite(t) => t.rollback().await,
            Tx::Postgres(t) => t.rollback().await,
        }
    }
}

/// One turn at a time per database (every pool of the process on that database queues at
/// the same place; tests with many databases side by side do not wait for each other).
fn writer_turns(pool: &Pool) -> Arc<tokio::sync::Semaphore> {
    static TURNS: LazyLock<Mutex<HashMap<String, Arc<tokio::sync::Semaphore>>>> =
        LazyLock::new(Default::default);
    let key = on!(pool, p => Dialect::database_key(p));
    let mut turns = TURNS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    turns
        .entry(key)
        .or_insert_with(|| Arc::new(tokio::sync::Semaphore::new(1)))
        .clone()
}

pub async fn begin_write(pool: &Pool) -> Result<WriteTx, sqlx::Error> {
    let queued = std::time::Instant::now();
    let turn = tokio::time::timeout(BUSY_TIMEOUT, writer_turns(pool).acquire_owned())
        .await
        .map_err(|_| sqlx::Error::PoolTimedOut)?
        .map_err(|_| sqlx::Error::PoolClosed)?;
    let tx = match pool {
        Pool::Sqlite(p) => Tx::Sqlite(Dialect::begin_write(p, BUSY_TIMEOUT).await?),
        Pool::Postgres(p) => Tx::Postgres(Dialect::begin_write(p, BUSY_TIMEOUT).await?),
    };
    metrics::histogram!("portal_db_write_wait_seconds").record(queued.elapsed().as_secs_f64());
    Ok(WriteTx { tx, _turn: turn })
}

/// The newest migration this build knows for `backend`; a database at it is ready.
pub fn latest_migration(backend: Backend) -> i64 {
    backend
        .migrations()
        .iter()
        .map(|m| m.version)
        .max()
        .unwrap_or(0)
}

/// The newest migration applied to the database.
pub async fn applied_migration(pool: &Pool) -> Result<i64, sqlx::Error> {
    on!(pool, pool => sqlx::query_scalar("SELECT coalesce(max(version), 0) FROM _sqlx_migrations WHERE success")
        .fetch_one(pool)
        .await
    )
}

/// How late the scheduler is: seconds since the oldest scheduled article came due (0 when
/// nothing is overdue).
pub async fn scheduler_lag(pool: &Pool, now: i64) -> Result<i64, sqlx::Error> {
    on!(pool, pool => sqlx::query_scalar(
        "SELECT coalesce($1 - min(published_at), 0) FROM articles \
         WHERE status = 'scheduled' AND published_at <= $1",
    )
    .bind(now)
    .fetch_one(pool)
    .await)
}

/// Moves whenever anything readers can see changes (kept by triggers).
pub async fn content_version(pool: &Pool) -> Result<i64, sqlx::Error> {
    on!(pool, pool => sqlx::query_scalar("SELECT value FROM site_state WHERE key = 'content_version'")
        .fetch_one(pool)
        .await)
}

/// Brings the schema up to date. On PostgreSQL the migrator holds an advisory lock while it
/// runs, so servers starting at once apply each migration exactly once.
///
/// An existing database with migrations to apply is announced first: some rebuild an index
/// (the search index's took 43 s at 100,000 articles), and an operator watching the log
/// should see why the server is not ready yet.
pub async fn migrate(pool: &Pool) -> Result<(), sqlx::migrate::MigrateError> {
    // (No table of migrations yet: a new database, nothing to announce.)
    let applied = applied_migration(pool).await.unwrap_or(0);
    let pending: Vec<String> = pool
        .backend()
        .migrations()
        .iter()
        .filter(|m| m.version > applied)
        .map(|m| format!("{} {}", m.version, m.description))
        .collect();
    if applied > 0 && !pending.is_empty() {
        tracing::info!(
            pending = %pending.join(", "),
            "updating the database (a migration that rebuilds an index can take a minute or \
             more on a large site)"
        );
    }
    on!(pool, p => pool.backend().migrations().run(p).await)
}

/// What the database's refusal means for the person who asked. Busy and full are
/// conditions an operator fixes and a retry survives: a 503 that says so (the editor
/// keeps the text and tries again); anything else is a bug, logged as an error.
impl From<sqlx::Error> for crate::error::AppError {
    fn from(err: sqlx::Error) -> Self {
        use crate::error::AppError;
        if is_busy(&err) {
            tracing::warn!(error = %err, "database busy: a request was refused");
            AppError::Unavailable(
                "The database is busy; nothing was changed. Please try again in a moment.".into(),
            )
        } else if is_full(&err) {
            tracing::error!(error = %err, "database full: free disk space (writes are refused until then)");
            AppError::Unavailable(
                "The server's storage is full; nothing was changed. Please try again later.".into(),
            )
        } else if is_unstorable_text(&err) {
            AppError::BadRequest(
                "The text contains a character that cannot be stored (a NUL byte); \
                 nothing was changed."
                    .into(),
            )
        } else {
            AppError::internal("database error", err)
        }
    }
}

/// SQLite's primary result code of a database error (the low byte of the extended code).
fn sqlite_code(err: &sqlx::Error) -> Option<i64> {
    let sqlx::Error::Database(e) = err else {
        return None;
    };
    sqlx::error::DatabaseError::code(e.try_downcast_ref::<sqlx::sqlite::SqliteError>()?)?
        .parse::<i64>()
        .ok()
        .map(|c| c & 0xff)
}

/// PostgreSQL's SQLSTATE of a database error.
fn postgres_state(err: &sqlx::Error) -> Option<String> {
    let sqlx::Error::Database(e) = err else {
        return None;
    };
    Some(
        e.try_downcast_ref::<sqlx::postgres::PgDatabaseError>()?
            .code()
            .to_string(),
    )
}

/// Whether the error is the database being busy (another writer, a long checkpoint, recovery
/// of a big WAL after a crash, a long queue for the writer, a PostgreSQL server restarting or
/// out of connections): a condition that passes, unlike a broken query.
pub fn is_busy(err: &sqlx::Error) -> bool {
    const BUSY: i64 = 5;
    const LOCKED: i64 = 6;
    // lock_not_available, serialization_failure, deadlock_detected, cannot_connect_now,
    // admin_shutdown, too_many_connections
    const PG_BUSY: [&str; 6] = ["55P03", "40001", "40P01", "57P03", "57P01", "53300"];
    matches!(err, sqlx::Error::PoolTimedOut | sqlx::Error::Io(_))
        || matches!(sqlite_code(err), Some(BUSY | LOCKED))
        || postgres_state(err).is_some_and(|s| PG_BUSY.contains(&s.as_str()))
}

/// Whether the database could not grow (disk full, or its size limit).
pub fn is_full(err: &sqlx::Error) -> bool {
    const FULL: i64 = 13;
    sqlite_code(err) == Some(FULL) || postgres_state(err).as_deref() == Some("53100")
}

/// Whether the input held text the database cannot store (PostgreSQL refuses NUL bytes in
/// text, where SQLite keeps them): the request's fault, not the server's.
pub fn is_unstorable_text(err: &sqlx::Error) -> bool {
    // character_not_in_repertoire, untranslatable_character
    postgres_state(err).is_some_and(|s| s == "22021" || s == "22P05")
}

/// Runs `attempt` again while the database is busy, for up to `patience`, logging each
/// wait with its cause; any other error, or the last busy one, is returned.
pub async fn retry_while_busy<T, E, F, Fut>(
    what: &str,
    patience: Duration,
    busy: impl Fn(&E) -> bool,
    mut attempt: F,
) -> Result<T, E>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, E>>,
    E: std::fmt::Display,
{
    let started = std::time::Instant::now();
    let mut pause = Duration::from_millis(200);
    loop {
        match attempt().await {
            Err(e) if busy(&e) && started.elapsed() + pause < patience => {
                tracing::warn!(error = %e, wait_ms = pause.as_millis() as u64, "{what}: the database is busy, trying again");
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_secs(5));
            }
            other => return other,
        }
    }
}

/// Rows fetched as one more than a `page` (newest first): the page, and the id the next older
/// page starts before, if there is one.
pub fn older_page<T>(mut rows: Vec<T>, page: u32, id: impl Fn(&T) -> i64) -> (Vec<T>, Option<i64>) {
    let more = rows.len() > page as usize;
    rows.truncate(page as usize);
    let older = more.then(|| rows.last().map(id)).flatten();
    (rows, older)
}

#[cfg(test)]
pub mod testing {
    //! Fresh databases for tests: a SQLite file always, a PostgreSQL database when the test
    //! command started a server (`PORTAL_TEST_POSTGRES_URL`, the server's maintenance database).
    use super::*;

    /// A fresh, migrated database in its own temporary file (not in memory: the same code
    /// path as production, WAL included). Keep the `TempDir` alive as long as the pool.
    pub async fn fresh() -> (Pool, tempfile::TempDir) {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        let pool = connect(&url).await.expect("connect");
        migrate(&pool).await.expect("migrate");
        (pool, dir)
    }

    /// A fresh, migrated database on `backend`; `None` for PostgreSQL when no server was
    /// started for the tests. The folder is for what lives beside the database (media).
    pub async fn fresh_on(backend: Backend) -> Option<(Pool, tempfile::TempDir)> {
        match backend {
            Backend::Sqlite => Some(fresh().await),
            Backend::Postgres => {
                let admin = std::env::var("PORTAL_TEST_POSTGRES_URL").ok()?;
                let url = create_postgres_database(&admin, "test")
                    .await
                    .expect("create a test database");
                let pool = connect(&url).await.expect("connect");
                migrate(&pool).await.expect("migrate");
                Some((pool, tempfile::tempdir().expect("temp dir")))
            }
        }
    }
}

/// Creates an empty database with a new name on the PostgreSQL server that `admin_url` reaches
/// (its maintenance database, e.g. postgres://portal@127.0.0.1:5432/postgres) and returns
/// the new database's URL. For tests and benchmarks: servers are given their database.
pub async fn create_postgres_database(
    admin_url: &str,
    prefix: &str,
) -> Result<String, sqlx::Error> {
    copy_postgres_database(admin_url, prefix, None).await
}

/// As `create_postgres_database`, a copy of the database named `template` if given (which
/// nobody may be connected to meanwhile).
pub async fn copy_postgres_database(
    admin_url: &str,
    prefix: &str,
    template: Option<&str>,
) -> Result<String, sqlx::Error> {
    use sqlx::Connection;
    static CREATED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let name = format!(
        "{prefix}_{}_{}_{}",
        std::process::id(),
        CREATED.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        fastrand::u32(..)
    );
    let mut admin = PgConnection::connect(admin_url).await?;
    let from = template
        .map(|t| format!(" TEMPLATE \"{}\"", t.replace('"', "")))
        .unwrap_or_default();
    sqlx::query(&format!("CREATE DATABASE \"{name}\"{from}"))
        .execute(&mut admin)
        .await?;
    admin.close().await?;
    let (base, query) = match admin_url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (admin_url, String::new()),
    };
    let server = base.rsplit_once('/').map_or(base, |(server, _)| server);
    Ok(format!("{server}/{name}{query}"))
}

#[cfg(test)]
mod tests;
