//! What the two backends say differently, as a contract: `Dialect`, implemented by
//! `sqlx::Sqlite` (sqlite.rs) and `sqlx::Postgres` (postgres.rs). Statement fragments are the
//! fields of `Words` and the rest are the trait's functions, so a difference missing on one
//! backend does not compile. Everything else in `db/` is one text for both.

pub mod postgres;
pub mod sqlite;

use super::rows::{HitRow, SummaryRow};
use crate::server::db::query::Query;
use sqlx::migrate::Migrator;
use std::future::Future;
use std::time::Duration;

/// The pieces of SQL the backends spell differently, each used inside a statement that is
/// otherwise the same on both.
pub struct Words {
    /// `YYYY-MM` of an article's publication (UTC), for the sitemap's months.
    pub published_month: &'static str,
    /// Every section `c` joined to its newest `$1` published articles `a`.
    pub newest_of_each_section: &'static str,
    /// How many articles are published: all, in section `$1`, and per section.
    pub count_published: &'static str,
    pub count_published_in: &'static str,
    pub count_published_by_section: &'static str,
    /// `a` is an Editor's Pick, in the form its partial index is on.
    pub picked: &'static str,
    /// The title inside a revision `r`'s snapshot (JSON text).
    pub snapshot_title: &'static str,
    /// Case-insensitive match of `a`'s title with `$3`, `\` escaping LIKE's wildcards.
    pub title_like: &'static str,
    /// Whether session `$1` exists and has not expired.
    pub session_alive: &'static str,
    /// The function building a JSON array of its arguments.
    pub json_array: &'static str,
    /// What comes before and after a row expression (a `json_array`) to aggregate the rows of
    /// a statement into one JSON text, `[]` when there are none.
    pub json_rows: (&'static str, &'static str),
}

/// A backend: its `Words` and everything it does its own way. A function here is called on
/// the backend's own pool or connection (`on!`/`on_conn!` in `db/` pick it); the futures are
/// `Send` so that request handlers can await them.
pub trait Dialect: sqlx::Database {
    const WORDS: Words;

    /// Its migrations (`migrations/<backend>`).
    fn migrations() -> &'static Migrator;

    /// Names the database the pool reaches, the same for every pool on it (writers of one
    /// process take turns per database).
    fn database_key(pool: &sqlx::Pool<Self>) -> String;

    /// Begins a transaction holding the database's one writer lock, waiting up to `patience`
    /// for a writer elsewhere.
    fn begin_write(
        pool: &sqlx::Pool<Self>,
        patience: Duration,
    ) -> impl Future<Output = Result<sqlx::Transaction<'static, Self>, sqlx::Error>> + Send;

    /// A page of search results (`limit` 0: the count alone) and how many published articles
    /// match.
    fn search_page(
        pool: &sqlx::Pool<Self>,
        q: &Query,
        limit: u32,
        offset: u64,
    ) -> impl Future<Output = Result<(i64, Vec<HitRow>), sqlx::Error>> + Send;

    /// The live dropdown's top matches.
    fn suggest(
        pool: &sqlx::Pool<Self>,
        q: &Query,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<SummaryRow>, sqlx::Error>> + Send;

    /// An id for an article about to be inserted in this (write) transaction, marked already
    /// as not indexed for search.
    fn reserve_unindexed_id(
        conn: &mut Self::Connection,
        now: i64,
    ) -> impl Future<Output = Result<i64, sqlx::Error>> + Send;

    /// Indexes for search the published articles marked at `since_at_most` or earlier and
    /// clears their marks, in the caller's write transaction; when any was indexed, moves the
    /// content version (cached pages go). Returns how many were indexed.
    fn index_pending(
        conn: &mut Self::Connection,
        since_at_most: i64,
    ) -> impl Future<Output = Result<u64, sqlx::Error>> + Send;

    /// What `lift_search_triggers` took off for a bulk load.
    type Lifted: Send;

    /// Stops indexing row by row for a bulk load in the caller's transaction...
    fn lift_search_triggers(
        conn: &mut Self::Connection,
    ) -> impl Future<Output = Result<Self::Lifted, sqlx::Error>> + Send;

    /// ...then indexes every row at once and indexes row by row again.
    fn rebuild_search_index(
        conn: &mut Self::Connection,
        lifted: Self::Lifted,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// After a big load: whatever makes the next queries fast again.
    fn optimize(pool: &sqlx::Pool<Self>) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// Tells `seen` the payload of each announcement on `channel` (PostgreSQL's NOTIFY, sent
    /// by the migrations' triggers at commit; `None`: announcements may have been lost with a
    /// dropped connection, the caller catches up). Runs until the process ends; returns at
    /// once where nothing is announced (one server per SQLite file).
    fn follow(
        pool: sqlx::Pool<Self>,
        channel: &'static str,
        seen: impl Fn(Option<&str>) + Send + Sync + 'static,
    ) -> impl Future<Output = ()> + Send;
}

/// Where every change readers can see is announced, with the new content version as the
/// payload (every server listens: its page cache).
pub const CONTENT_CHANNEL: &str = "portal_content";
/// Where a change of an article's live coverage is announced, with the article's id.
pub const LIVE_CHANNEL: &str = "portal_live";
