//! All SQL lives below this module. Functions take a pool or a connection, return plain rows
//! or model types, and never know about views.

pub mod articles;
pub mod audit;
pub mod bulk;
pub mod feeds;
pub mod newsroom;
pub mod search;
pub mod users;

use crate::server::config::Durability;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::collections::HashMap;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;

pub type Pool = sqlx::SqlitePool;

/// How long a write waits for SQLite's one writer before it gives up ("database is locked").
/// Writers queue for it; a save takes a few milliseconds, so only a stuck database waits this
/// long (then the editor keeps the text and tries again).
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Opens (creating if needed) the database, every commit durable on disk.
pub async fn connect(url: &str) -> Result<Pool, sqlx::Error> {
    connect_with(url, Durability::Full).await
}

/// Opens (creating if needed) the database with the settings a web server wants: WAL so
/// readers never wait for a writer, foreign keys on, a busy timeout instead of errors, and
/// commits as durable as `durability` says.
pub async fn connect_with(url: &str, durability: Durability) -> Result<Pool, sqlx::Error> {
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
    SqlitePoolOptions::new()
        .max_connections(6)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(options)
        .await
}

/// A transaction that writes, holding this process's turn at SQLite's one writer.
///
/// Writers queue here, first come first served, before they take a connection: a queue of
/// writers never occupies the pool that readers need, and never polls SQLite's lock. The
/// transaction then takes the write lock when it begins (`BEGIN IMMEDIATE`), waiting up to
/// the busy timeout for a writer in another process. A plain `BEGIN` would take it only at the
/// first write, and if another connection wrote since this one's first read, SQLite cannot
/// wait (the reads would be stale) and fails at once with "database is locked".
pub struct WriteTx {
    tx: sqlx::Transaction<'static, sqlx::Sqlite>,
    _turn: tokio::sync::OwnedSemaphorePermit,
}

impl WriteTx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.tx.rollback().await
    }
}

/// `&mut *tx` is the transaction's connection, as with sqlx's own transactions.
impl std::ops::Deref for WriteTx {
    type Target = sqlx::SqliteConnection;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

/// One turn at a time per database file (every pool of the process on that file queues at
/// the same place; tests with many databases side by side do not wait for each other).
fn writer_turns(pool: &Pool) -> Arc<tokio::sync::Semaphore> {
    static TURNS: LazyLock<Mutex<HashMap<PathBuf, Arc<tokio::sync::Semaphore>>>> =
        LazyLock::new(Default::default);
    let file = pool.connect_options().get_filename().to_path_buf();
    let mut turns = TURNS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    turns
        .entry(file)
        .or_insert_with(|| Arc::new(tokio::sync::Semaphore::new(1)))
        .clone()
}

pub async fn begin_write(pool: &Pool) -> Result<WriteTx, sqlx::Error> {
    let queued = std::time::Instant::now();
    let turn = tokio::time::timeout(BUSY_TIMEOUT, writer_turns(pool).acquire_owned())
        .await
        .map_err(|_| sqlx::Error::PoolTimedOut)?
        .map_err(|_| sqlx::Error::PoolClosed)?;
    let tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    metrics::histogram!("portal_db_write_wait_seconds").record(queued.elapsed().as_secs_f64());
    Ok(WriteTx { tx, _turn: turn })
}

/// The newest migration this build knows; a database at it is ready.
pub fn latest_migration() -> i64 {
    sqlx::migrate!("./migrations")
        .iter()
        .map(|m| m.version)
        .max()
        .unwrap_or(0)
}

/// The newest migration applied to the database.
pub async fn applied_migration(pool: &Pool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT coalesce(max(version), 0) FROM _sqlx_migrations WHERE success")
        .fetch_one(pool)
        .await
}

/// How late the scheduler is: seconds since the oldest scheduled article came due (0 when
/// nothing is overdue).
pub async fn scheduler_lag(pool: &Pool, now: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT coalesce(?1 - min(published_at), 0) FROM articles \
         WHERE status = 'scheduled' AND published_at <= ?1",
    )
    .bind(now)
    .fetch_one(pool)
    .await
}

/// Moves whenever anything readers can see changes (kept by triggers).
pub async fn content_version(pool: &Pool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT value FROM site_state WHERE key = 'content_version'")
        .fetch_one(pool)
        .await
}

pub async fn migrate(pool: &Pool) -> Result<(), sqlx::migrate::MigrateError> {
    sqlx::migrate!("./migrations").run(pool).await
}

/// SQLite's primary result code of a database error (the low byte of the extended code).
fn primary_code(err: &sqlx::Error) -> Option<i64> {
    match err {
        sqlx::Error::Database(e) => e.code()?.parse::<i64>().ok().map(|c| c & 0xff),
        _ => None,
    }
}

/// Whether the error is the database being busy (another writer, a long checkpoint, recovery
/// of a big WAL after a crash, a long queue for the writer): a condition that passes, unlike a
/// broken query.
pub fn is_busy(err: &sqlx::Error) -> bool {
    const BUSY: i64 = 5;
    const LOCKED: i64 = 6;
    matches!(err, sqlx::Error::PoolTimedOut) || matches!(primary_code(err), Some(BUSY | LOCKED))
}

/// Whether the database could not grow (disk full, or its size limit).
pub fn is_full(err: &sqlx::Error) -> bool {
    const FULL: i64 = 13;
    primary_code(err) == Some(FULL)
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
}

#[cfg(test)]
mod tests;
