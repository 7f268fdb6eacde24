//! Live coverage: an article's state (`articles.live_*`) and its updates (`live_updates`).
//! Every change moves the article's `live_rev` in the same transaction and stamps the rows it
//! changed with it, so "what changed after revision N" is one indexed read; on PostgreSQL a
//! trigger announces the article to every server at commit (`portal_live`).

use super::{Conn, Pool};
use sqlx::FromRow;

/// An article's coverage as the stream and the newsroom read it.
#[derive(Debug, Clone, FromRow)]
pub struct CoverageRow {
    pub id: i64,
    pub slug: String,
    pub status: String,
    pub is_page: bool,
    pub live_state: i64,
    pub live_started_at: Option<i64>,
    pub live_ended_at: Option<i64>,
    pub live_rev: i64,
    pub live_state_rev: i64,
}

pub async fn coverage(pool: &Pool, article_id: i64) -> Result<Option<CoverageRow>, sqlx::Error> {
    on!(pool, pool => {
    sqlx::query_as(
        "SELECT id, slug, status, page_path IS NOT NULL AS is_page, live_state, live_started_at, \
                live_ended_at, live_rev, live_state_rev \
         FROM articles WHERE id = $1",
    )
    .bind(article_id)
    .fetch_optional(pool)
    .await
    })
}

/// A published article as its coverage's readers need it.
#[derive(Debug, Clone, FromRow)]
pub struct PublishedRow {
    pub id: i64,
    pub title: String,
    pub live_state: i64,
    pub live_started_at: Option<i64>,
}

/// Published article `slug`, with its coverage's state.
pub async fn published(pool: &Pool, slug: &str) -> Result<Option<PublishedRow>, sqlx::Error> {
    on!(pool, pool => {
    sqlx::query_as(
        "SELECT id, title, live_state, live_started_at FROM articles \
         WHERE slug = $1 AND status = 'published' AND page_path IS NULL",
    )
    .bind(slug)
    .fetch_optional(pool)
    .await
    })
}

/// The article's byline profiles, in order: (id, name).
pub async fn byline(pool: &Pool, article_id: i64) -> Result<Vec<(i64, String)>, sqlx::Error> {
    on!(pool, pool => {
    sqlx::query_as(
        "SELECT p.id, p.name FROM article_authors x JOIN authors p ON p.id = x.author_id \
         WHERE x.article_id = $1 ORDER BY x.position",
    )
    .bind(article_id)
    .fetch_all(pool)
    .await
    })
}

/// One update, with its profile's name and address.
#[derive(Debug, Clone, FromRow)]
pub struct UpdateRow {
    pub id: i64,
    pub article_id: i64,
    pub rev: i64,
    pub author_id: Option<i64>,
    pub author_slug: Option<String>,
    pub author_name: Option<String>,
    pub posted_by: Option<i64>,
    pub body_md: String,
    pub body_html: String,
    pub key_title: String,
    pub pinned: bool,
    pub deleted: bool,
    pub created_at: i64,
    pub edited_at: Option<i64>,
}

const UPDATE_COLUMNS: &str = "u.id, u.article_id, u.rev, u.author_id, p.slug AS author_slug, \
    p.name AS author_name, u.posted_by, u.body_md, u.body_html, u.key_title, u.pinned, \
    u.deleted, u.created_at, u.edited_at";
const UPDATE_FROM: &str = "live_updates u LEFT JOIN authors p ON p.id = u.author_id";

pub async fn update(pool: &Pool, id: i64) -> Result<Option<UpdateRow>, sqlx::Error> {
    on!(pool, pool => {
    sqlx::query_as(&format!("SELECT {UPDATE_COLUMNS} FROM {UPDATE_FROM} WHERE u.id = $1"))
    .bind(id)
    .fetch_optional(pool)
    .await
    })
}

/// The pinned update, if any.
pub async fn pinned(pool: &Pool, article_id: i64) -> Result<Option<UpdateRow>, sqlx::Error> {
    on!(pool, pool => {
    sqlx::query_as(&format!(
        "SELECT {UPDATE_COLUMNS} FROM {UPDATE_FROM} \
         WHERE u.article_id = $1 AND u.pinned AND NOT u.deleted"
    ))
    .bind(article_id)
    .fetch_optional(pool)
    .await
    })
}

/// Up to `limit` updates, newest first, the pinned one not among them: the newest, or those
/// older than update `before` (keyset paging: the hundredth page as quick as the first).
pub async fn page(
    pool: &Pool,
    article_id: i64,
    before: Option<i64>,
    limit: usize,
) -> Result<Vec<UpdateRow>, sqlx::Error> {
    let after = match before {
        Some(_) => {
            "AND (u.created_at, u.id) < (SELECT b.created_at, b.id FROM live_updates b \
                 WHERE b.id = $3 AND b.article_id = $1)"
        }
        None => "AND $3 = 0",
    };
    let sql = format!(
        "SELECT {UPDATE_COLUMNS} FROM {UPDATE_FROM} \
         WHERE u.article_id = $1 AND NOT u.deleted AND NOT u.pinned {after} \
         ORDER BY u.created_at DESC, u.id DESC LIMIT $2"
    );
    on!(pool, pool => {
    sqlx::query_as(&sql)
    .bind(article_id)
    .bind(limit as i64)
    .bind(before.unwrap_or(0))
    .fetch_all(pool)
    .await
    })
}

/// Every key event (its update), newest first, up to `limit`.
pub async fn key_events(
    pool: &Pool,
    article_id: i64,
    limit: usize,
) -> Result<Vec<UpdateRow>, sqlx::Error> {
    on!(pool, pool => {
    sqlx::query_as(&format!(
        "SELECT {UPDATE_COLUMNS} FROM {UPDATE_FROM} \
         WHERE u.article_id = $1 AND NOT u.deleted AND u.key_title <> '' \
         ORDER BY u.created_at DESC, u.id DESC LIMIT $2"
    ))
    .bind(article_id)
    .bind(limit as i64)
    .fetch_all(pool)
    .await
    })
}

/// The updates changed after revision `rev` (posted, edited, pinned, deleted), in the order of
/// their changes, up to `limit`.
pub async fn changed_since(
    pool: &Pool,
    article_id: i64,
    rev: i64,
    limit: usize,
) -> Result<Vec<UpdateRow>, sqlx::Error> {
    on!(pool, pool => {
    sqlx::query_as(&format!(
        "SELECT {UPDATE_COLUMNS} FROM {UPDATE_FROM} \
         WHERE u.article_id = $1 AND u.rev > $2 ORDER BY u.rev LIMIT $3"
    ))
    .bind(article_id)
    .bind(rev)
    .bind(limit as i64)
    .fetch_all(pool)
    .await
    })
}

/// Moves the article's coverage revision on: the revision of the change being written.
async fn next_rev(conn: Conn<'_>, article_id: i64) -> Result<i64, sqlx::Error> {
    on_conn!(conn, conn => {
    sqlx::query_scalar(
        "UPDATE articles SET live_rev = live_rev + 1 WHERE id = $1 RETURNING live_rev",
    )
    .bind(article_id)
    .fetch_one(conn)
    .await
    })
}

/// Starts (`state` 1) or ends (2) the coverage at `now`; returns the change's revision.
pub async fn set_state(
    conn: Conn<'_>,
    article_id: i64,
    state: i64,
    now: i64,
) -> Result<i64, sqlx::Error> {
    on_conn!(conn, conn => {
    sqlx::query_scalar(
        "UPDATE articles SET live_state = $2, live_rev = live_rev + 1, \
             live_state_rev = live_rev + 1, \
             live_started_at = CASE WHEN $2 = 1 THEN coalesce(live_started_at, $3) \
                                    ELSE live_started_at END, \
             live_ended_at = CASE WHEN $2 = 2 THEN $3 ELSE NULL END \
         WHERE id = $1 RETURNING live_rev",
    )
    .bind(article_id)
    .bind(state)
    .bind(now)
    .fetch_one(conn)
    .await
    })
}

/// A new update's columns.
pub struct NewUpdate<'a> {
    pub article_id: i64,
    pub author_id: Option<i64>,
    pub posted_by: i64,
    pub body_md: &'a str,
    pub body_html: &'a str,
    pub key_title: &'a str,
    pub now: i64,
}

/// Inserts an update; returns its id.
pub async fn insert(mut conn: Conn<'_>, new: &NewUpdate<'_>) -> Result<i64, sqlx::Error> {
    let rev = next_rev(conn.reborrow(), new.article_id).await?;
    on_conn!(conn, conn => {
    sqlx::query_scalar(
        "INSERT INTO live_updates (article_id, rev, author_id, posted_by, body_md, body_html, \
                                   key_title, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(new.article_id)
    .bind(rev)
    .bind(new.author_id)
    .bind(new.posted_by)
    .bind(new.body_md)
    .bind(new.body_html)
    .bind(new.key_title)
    .bind(new.now)
    .fetch_one(conn)
    .await
    })
}

/// What an edit changes of an update.
pub struct UpdateText<'a> {
    pub author_id: Option<i64>,
    pub body_md: &'a str,
    pub body_html: &'a str,
    pub key_title: &'a str,
}

/// Changes an update's text, profile and key event title.
pub async fn edit(
    mut conn: Conn<'_>,
    id: i64,
    article_id: i64,
    text: &UpdateText<'_>,
    now: i64,
) -> Result<(), sqlx::Error> {
    let rev = next_rev(conn.reborrow(), article_id).await?;
    on_conn!(conn, conn => {
    sqlx::query(
        "UPDATE live_updates SET rev = $3, author_id = $4, body_md = $5, body_html = $6, \
             key_title = $7, edited_at = $8 \
         WHERE id = $1 AND article_id = $2",
    )
    .bind(id)
    .bind(article_id)
    .bind(rev)
    .bind(text.author_id)
    .bind(text.body_md)
    .bind(text.body_html)
    .bind(text.key_title)
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ())
    })?;
    Ok(())
}

/// Deletes an update: its text goes, its row stays (readers who were away learn it went).
pub async fn delete(mut conn: Conn<'_>, id: i64, article_id: i64) -> Result<(), sqlx::Error> {
    let rev = next_rev(conn.reborrow(), article_id).await?;
    on_conn!(conn, conn => {
    sqlx::query(
        "UPDATE live_updates SET rev = $3, deleted = TRUE, pinned = FALSE, body_md = '', \
             body_html = '', key_title = '' \
         WHERE id = $1 AND article_id = $2",
    )
    .bind(id)
    .bind(article_id)
    .bind(rev)
    .execute(conn)
    .await
    .map(|_| ())
    })?;
    Ok(())
}

/// Pins update `id` (unpinning the one pinned before), or unpins it when `pin` is false.
pub async fn pin(
    mut conn: Conn<'_>,
    id: i64,
    article_id: i64,
    pin: bool,
) -> Result<(), sqlx::Error> {
    let current: Option<i64> = on_conn!(conn.reborrow(), conn => {
        sqlx::query_scalar(
            "SELECT id FROM live_updates WHERE article_id = $1 AND pinned AND NOT deleted",
        )
        .bind(article_id)
        .fetch_optional(conn)
        .await
    })?;
    if let Some(old) = current.filter(|old| *old != id || !pin) {
        set_pinned(conn.reborrow(), article_id, old, false).await?;
    }
    if pin && current != Some(id) {
        set_pinned(conn.reborrow(), article_id, id, true).await?;
    }
    Ok(())
}

async fn set_pinned(
    mut conn: Conn<'_>,
    article_id: i64,
    id: i64,
    pinned: bool,
) -> Result<(), sqlx::Error> {
    let rev = next_rev(conn.reborrow(), article_id).await?;
    on_conn!(conn, conn => {
    sqlx::query("UPDATE live_updates SET rev = $2, pinned = $3 WHERE id = $1")
        .bind(id)
        .bind(rev)
        .bind(pinned)
        .execute(conn)
        .await
        .map(|_| ())
    })?;
    Ok(())
}
