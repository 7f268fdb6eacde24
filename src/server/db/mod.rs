//! All SQL lives below this module. Functions take a pool or a connection, return plain rows
//! or model types, and never know about views.

pub mod articles;
pub mod audit;
pub mod bulk;
pub mod feeds;
pub mod newsroom;
pub mod search;
pub mod users;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::time::Duration;

pub type Pool = sqlx::SqlitePool;

/// Opens (creating if needed) the database with the settings a web server wants: WAL so
/// readers never wait for a writer, foreign keys on, a busy timeout instead of errors.
pub async fn connect(url: &str) -> Result<Pool, sqlx::Error> {
    let options = SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5))
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

/// Moves whenever anything readers can see changes (kept by triggers).
pub async fn content_version(pool: &Pool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT value FROM site_state WHERE key = 'content_version'")
        .fetch_one(pool)
        .await
}

pub async fn migrate(pool: &Pool) -> Result<(), sqlx::migrate::MigrateError> {
    sqlx::migrate!("./migrations").run(pool).await
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
