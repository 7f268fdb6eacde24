//! The audit log: who logged in (or failed to) and from where, who changed which account,
//! who published, scheduled or took down what. Admins read it in the newsroom; entries older
//! than a year are deleted as new ones come.

use super::{Conn, Pool};
use sqlx::FromRow;

/// How long entries are kept.
const KEEP_FOR: i64 = 365 * 86_400;
/// The longest a target or client text is stored.
const TEXT_MAX: usize = 300;

/// One thing that happened.
pub struct Entry<'a> {
    pub at: i64,
    pub actor_id: Option<i64>,
    /// The actor's name as it was then ("" for someone not logged in).
    pub actor: &'a str,
    pub action: &'a str,
    pub target: &'a str,
    pub client: &'a str,
}

#[derive(Debug, Clone, FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub client: String,
}

fn clipped(s: &str) -> &str {
    match s.char_indices().nth(TEXT_MAX) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// Records an entry (inside the caller's transaction when it is one).
pub async fn record(executor: Conn<'_>, e: &Entry<'_>) -> Result<(), sqlx::Error> {
    on_conn!(executor, executor => {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, actor, action, target, client) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(e.at)
    .bind(e.actor_id)
    .bind(clipped(e.actor))
    .bind(e.action)
    .bind(clipped(e.target))
    .bind(clipped(e.client))
    .execute(executor)
    .await?;
    Ok(())
    })
}

/// Records an entry on its own and forgets what is older than a year.
pub async fn record_now(pool: &Pool, e: &Entry<'_>) -> Result<(), sqlx::Error> {
    let mut tx = super::begin_write(pool).await?;
    record(tx.conn(), e).await?;
    on_conn!(tx.conn(), tx => sqlx::query("DELETE FROM audit_log WHERE at < $1")
        .bind(e.at - KEEP_FOR)
        .execute(tx)
        .await
        .map(|_| ()))?;
    tx.commit().await
}

/// Up to `limit` entries older than entry `before` (the newest without it), newest first.
pub async fn page(
    pool: &Pool,
    before: Option<i64>,
    limit: u32,
) -> Result<Vec<AuditRow>, sqlx::Error> {
    on!(pool, pool => {
    sqlx::query_as(
        "SELECT id, at, actor, action, target, client FROM audit_log \
         WHERE id < $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(before.unwrap_or(i64::MAX))
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await
    })
}
