//! Bulk loading (the benchmark's generated archive). Indexing row by row for search is the
//! slowest part of a big load where the index is kept by triggers (SQLite), so the backend
//! stops that for the load, builds the index in one pass, and indexes row by row again, all in
//! the caller's one transaction (`Dialect::lift_search_triggers`, `rebuild_search_index`).

use super::dialect::Dialect;
use super::{Conn, Pool};

/// What `lift_search_triggers` took off, for `rebuild_search_index`.
pub struct Lifted(LiftedOn);

enum LiftedOn {
    Sqlite(<sqlx::Sqlite as Dialect>::Lifted),
    Postgres(<sqlx::Postgres as Dialect>::Lifted),
}

pub async fn lift_search_triggers(conn: Conn<'_>) -> Result<Lifted, sqlx::Error> {
    Ok(Lifted(match conn {
        Conn::Sqlite(c) => LiftedOn::Sqlite(sqlx::Sqlite::lift_search_triggers(c).await?),
        Conn::Postgres(c) => LiftedOn::Postgres(sqlx::Postgres::lift_search_triggers(c).await?),
    }))
}

/// Indexes every row of `articles` (call it when every row is to be searchable), then indexes
/// row by row again.
pub async fn rebuild_search_index(conn: Conn<'_>, lifted: Lifted) -> Result<(), sqlx::Error> {
    match (conn, lifted.0) {
        (Conn::Sqlite(c), LiftedOn::Sqlite(l)) => sqlx::Sqlite::rebuild_search_index(c, l).await,
        (Conn::Postgres(c), LiftedOn::Postgres(l)) => {
            sqlx::Postgres::rebuild_search_index(c, l).await
        }
        _ => Err(sqlx::Error::Protocol(
            "a bulk load's search index rebuilt on another database than it was lifted on".into(),
        )),
    }
}

/// After a big load: merge the index's segments and refresh the planner's statistics.
pub async fn optimize(pool: &Pool) -> Result<(), sqlx::Error> {
    on!(pool, p => Dialect::optimize(p).await)
}
