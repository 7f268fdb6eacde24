//! The newsroom's queries: the dashboard, the editor's article, revisions, notes, media and
//! the scheduler. Writes that must agree with each other take a connection, so the caller
//! runs them in one transaction.

use super::rows::{LeadImageRow, LEAD_IMAGE_COLUMNS, SUMMARY_FROM};
use super::Conn;
use super::Pool;
use sqlx::FromRow;

/// Everything the editor shows about one article, whatever its status.
#[derive(Debug, Clone, FromRow)]
pub struct EditorRow {
    pub id: i64,
    pub version: i64,
    pub status: String,
    pub slug: String,
    pub title: String,
    pub excerpt: String,
    pub body_md: String,
    pub category_id: i64,
    pub cat_slug: String,
    pub author_name: String,
    pub author_id: Option<i64>,
    pub published_at: Option<i64>,
    pub updated_at: i64,
    pub image_id: Option<i64>,
    #[sqlx(flatten)]
    pub lead: LeadImageRow,
    pub editors_pick: bool,
    pub pick_order: i64,
    /// Set for a page: its address below the root.
    pub page_path: Option<String>,
    pub parent_id: Option<i64>,
}

impl EditorRow {
    pub fn is_page(&self) -> bool {
        self.page_path.is_some()
    }
}

pub async fn article(pool: &Pool, id: i64) -> Result<Option<EditorRow>, sqlx::Error> {
    on!(pool, pool => {
    static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!(
            "SELECT a.id, a.version, a.status, a.slug, a.title, a.excerpt, a.body_md, \
                    a.category_id, c.slug AS cat_slug, a.author_name, a.author_id, \
                    a.published_at, a.updated_at, a.image_id, {LEAD_IMAGE_COLUMNS}, \
                    a.editors_pick, a.pick_order, a.page_path, a.parent_id \
             FROM {SUMMARY_FROM} WHERE a.id = $1"
        )
    });
    sqlx::query_as(SQL.as_str())
    .bind(id)
    .fetch_optional(pool)
    .await
    })
}

#[derive(Debug, Clone, FromRow)]
pub struct AdminListRow {
    pub id: i64,
    pub title: String,
    pub status: String,
    pub slug: String,
    pub cat_name: String,
    pub author_name: String,
    pub updated_at: i64,
}

#[derive(Debug, Clone, Default)]
pub struct AdminFilter {
    pub status: Option<String>,
    pub category_id: Option<i64>,
    pub title: Option<String>,
    /// Authors see only their own articles.
    pub author_id: Option<i64>,
    /// Most viewed first, counting the views from this hour on (`i64::MIN`: all of them);
    /// `None`: most recently updated first.
    pub views_since: Option<i64>,
}

/// Escapes LIKE wildcards so a title search for "50%" means the text "50%".
fn like_pattern(s: &str) -> String {
    format!("%{}%", super::like_escaped(s))
}

/// The dashboard: most recently updated first. Trash only when asked for. Articles only (the
/// pages have their own list, `pages::list`).
pub async fn list(
    pool: &Pool,
    filter: &AdminFilter,
    limit: u32,
    offset: u64,
) -> Result<(Vec<AdminListRow>, u64), sqlx::Error> {
    let title_like = pool.backend().words().title_like;
    let where_sql = format!(
        "WHERE ($1 IS NULL AND a.status <> 'trash' OR a.status = $1) \
         AND ($2 IS NULL OR a.category_id = $2) \
         AND ($3 IS NULL OR {title_like}) \
         AND ($4 IS NULL OR a.author_id = $4) AND a.page_path IS NULL"
    );
    on!(pool, pool => {
    let title = filter
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(like_pattern);
    // By views: each article's sum over the span, joined (articles never viewed count 0).
    let (views_join, order) = match filter.views_since {
        Some(_) => (
            "LEFT JOIN (SELECT article_id, sum(views) AS n FROM article_views \
             WHERE hour >= $7 GROUP BY article_id) v ON v.article_id = a.id",
            "coalesce(v.n, 0) DESC, a.updated_at DESC, a.id DESC",
        ),
        None => ("", "a.updated_at DESC, a.id DESC"),
    };
    let rows_sql = format!(
        "SELECT a.id, a.title, a.status, a.slug, c.name AS cat_name, a.author_name, a.updated_at \
         FROM articles a JOIN categories c ON c.id = a.category_id {views_join} {where_sql} \
         ORDER BY {order} LIMIT $5 OFFSET $6"
    );
    let count_sql = format!("SELECT count(*) FROM articles a {where_sql}");
    let mut rows_query = sqlx::query_as(&rows_sql)
        .bind(&filter.status)
        .bind(filter.category_id)
        .bind(&title)
        .bind(filter.author_id)
        .bind(i64::from(limit))
        .bind(offset as i64);
    if let Some(since) = filter.views_since {
        rows_query = rows_query.bind(since);
    }
    let rows = rows_query.fetch_all(pool);
    let total = sqlx::query_scalar::<_, i64>(&count_sql)
        .bind(&filter.status)
        .bind(filter.category_id)
        .bind(&title)
        .bind(filter.author_id)
        .fetch_one(pool);
    let (rows, total) = (rows.await?, total.await?);
    Ok((rows, total as u64))
    })
}

pub async fn slug_taken(pool: &Pool, slug: &str, except_id: i64) -> Result<bool, sqlx::Error> {
    on!(pool, pool => {
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM articles WHERE slug = $1 AND id <> $2")
        .bind(slug)
        .bind(except_id)
        .fetch_one(pool)
        .await?;
    Ok(n > 0)
    })
}

/// Published articles by slug, for READ ALSO: (slug, id, title).
pub async fn published_ids(
    pool: &Pool,
    slugs: &[String],
) -> Result<Vec<(String, i64, String)>, sqlx::Error> {
    on!(pool, pool => {
    let mut out = Vec::with_capacity(slugs.len());
    for slug in slugs.iter().take(2) {
        let row: Option<(String, i64, String)> = sqlx::query_as(
            "SELECT slug, id, title FROM articles WHERE slug = $1 AND status = 'published' AND page_path IS NULL",
        )
        .bind(slug)
        .fetch_optional(pool)
        .await?;
        out.extend(row);
    }
    Ok(out)
    })
}

/// The READ ALSO picks of an article, whatever their status, as (slug, title).
pub async fn read_also_picks(
    pool: &Pool,
    article_id: i64,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    on!(pool, pool => {
    sqlx::query_as(
        "SELECT a.slug, a.title FROM article_read_also r JOIN articles a ON a.id = r.target_id \
         WHERE r.article_id = $1 ORDER BY r.position",
    )
    .bind(article_id)
    .fetch_all(pool)
    .await
    })
}

/// Moves an article to `status` if nobody saved since `base_version`.
pub async fn set_status(
    conn: Conn<'_>,
    id: i64,
    base_version: i64,
    status: &str,
    published_at: Option<i64>,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    on_conn!(conn, conn => {
    sqlx::query_scalar(
        "UPDATE articles SET status = $3, published_at = $4, updated_at = $5, version = version + 1 \
         WHERE id = $1 AND version = $2 RETURNING version",
    )
    .bind(id)
    .bind(base_version)
    .bind(status)
    .bind(published_at)
    .bind(now)
    .fetch_optional(conn)
    .await
    })
}

#[allow(clippy::too_many_arguments)]
pub async fn add_revision(
    conn: Conn<'_>,
    article_id: i64,
    version: i64,
    kind: &str,
    status: &str,
    user_id: Option<i64>,
    now: i64,
    snapshot: &str,
) -> Result<i64, sqlx::Error> {
    on_conn!(conn, conn => {
    sqlx::query_scalar(
        "INSERT INTO article_revisions (article_id, version, kind, status, user_id, saved_at, snapshot) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(article_id)
    .bind(version)
    .bind(kind)
    .bind(status)
    .bind(user_id)
    .bind(now)
    .bind(snapshot)
    .fetch_one(conn)
    .await
    })
}

/// Autosaves coalesce: a user's autosave within `window` seconds of their previous one
/// replaces it, so a morning of typing is a handful of revisions, not thousands.
#[allow(clippy::too_many_arguments)]
pub async fn upsert_autosave(
    conn: Conn<'_>,
    article_id: i64,
    version: i64,
    status: &str,
    user_id: i64,
    now: i64,
    window: i64,
    snapshot: &str,
) -> Result<(), sqlx::Error> {
    on_conn!(conn, conn => {
    let latest: Option<(i64, String, Option<i64>, i64)> = sqlx::query_as(
        "SELECT id, kind, user_id, saved_at FROM article_revisions WHERE article_id = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(article_id)
    .fetch_optional(&mut *conn)
    .await?;
    match latest {
        Some((rev, kind, Some(uid), at))
            if kind == "autosave" && uid == user_id && now - at < window =>
        {
            sqlx::query("UPDATE article_revisions SET version = $2, status = $3, saved_at = $4, snapshot = $5 WHERE id = $1")
                .bind(rev)
                .bind(version)
                .bind(status)
                .bind(now)
                .bind(snapshot)
                .execute(&mut *conn)
                .await?;
        }
        _ => {
            add_revision(
                conn.into(),
                article_id,
                version,
                "autosave",
                status,
                Some(user_id),
                now,
                snapshot,
            )
            .await?;
        }
    }
    Ok(())
    })
}

#[derive(Debug, Clone, FromRow)]
pub struct RevisionRow {
    pub id: i64,
    pub version: i64,
    pub kind: String,
    pub status: String,
    pub user_id: Option<i64>,
    pub user_name: Option<String>,
    pub saved_at: i64,
    pub snapshot: String,
}

/// A line of the history: what a revision is, without its snapshot (only the title from it).
#[derive(Debug, Clone, FromRow)]
pub struct RevisionMeta {
    pub id: i64,
    pub version: i64,
    pub kind: String,
    pub status: String,
    pub user_name: Option<String>,
    pub saved_at: i64,
    pub title: Option<String>,
}

/// Up to `limit` revisions older than revision `before` (the newest without it), newest first.
pub async fn revisions(
    pool: &Pool,
    article_id: i64,
    before: Option<i64>,
    limit: u32,
) -> Result<Vec<RevisionMeta>, sqlx::Error> {
    let title = pool.backend().words().snapshot_title;
    let sql = format!(
        "SELECT r.id, r.version, r.kind, r.status, u.display_name AS user_name, r.saved_at, \
                {title} AS title \
         FROM article_revisions r LEFT JOIN users u ON u.id = r.user_id \
         WHERE r.article_id = $1 AND r.id < $2 ORDER BY r.id DESC LIMIT $3"
    );
    on!(pool, pool => {
    sqlx::query_as(&sql)
    .bind(article_id)
    .bind(before.unwrap_or(i64::MAX))
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await
    })
}

/// Keeps an article's history bounded: the newest `autosaves` autosaves, and the newest
/// `total` revisions of any kind.
pub async fn prune_revisions(
    conn: Conn<'_>,
    article_id: i64,
    autosaves: u32,
    total: u32,
) -> Result<(), sqlx::Error> {
    on_conn!(conn, conn => {
    sqlx::query(
        "DELETE FROM article_revisions WHERE article_id = $1 AND kind = 'autosave' AND id NOT IN \
         (SELECT id FROM article_revisions WHERE article_id = $1 AND kind = 'autosave' \
          ORDER BY id DESC LIMIT $2)",
    )
    .bind(article_id)
    .bind(i64::from(autosaves))
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "DELETE FROM article_revisions WHERE article_id = $1 AND id NOT IN \
         (SELECT id FROM article_revisions WHERE article_id = $1 ORDER BY id DESC LIMIT $2)",
    )
    .bind(article_id)
    .bind(i64::from(total))
    .execute(&mut *conn)
    .await?;
    Ok(())
    })
}

pub async fn revision(
    pool: &Pool,
    article_id: i64,
    revision_id: i64,
) -> Result<Option<RevisionRow>, sqlx::Error> {
    on!(pool, pool => {
    sqlx::query_as(
        "SELECT r.id, r.version, r.kind, r.status, r.user_id, u.display_name AS user_name, r.saved_at, r.snapshot \
         FROM article_revisions r LEFT JOIN users u ON u.id = r.user_id \
         WHERE r.article_id = $1 AND r.id = $2",
    )
    .bind(article_id)
    .bind(revision_id)
    .fetch_optional(pool)
    .await
    })
}

pub async fn add_note(
    conn: Conn<'_>,
    article_id: i64,
    text: &str,
    user_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    on_conn!(conn, conn => {
    sqlx::query(
        "INSERT INTO article_notes (article_id, noted_at, body, user_id) VALUES ($1, $2, $3, $4)",
    )
    .bind(article_id)
    .bind(now)
    .bind(text)
    .bind(user_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE articles SET updated_at = $2 WHERE id = $1")
        .bind(article_id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(())
    })
}

/// Scheduled articles whose time has come: (id, version after publishing).
pub async fn publish_due(conn: Conn<'_>, now: i64) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    on_conn!(conn, conn => {
    sqlx::query_as(
        "UPDATE articles SET status = 'published', version = version + 1, updated_at = CASE WHEN published_at > updated_at THEN published_at ELSE updated_at END \
         WHERE status = 'scheduled' AND published_at <= $1 RETURNING id, version",
    )
    .bind(now)
    .fetch_all(conn)
    .await
    })
}

#[derive(Debug, Clone, FromRow)]
pub struct MediaRow {
    pub id: i64,
    pub variants: String,
    pub width: i64,
    pub height: i64,
}

pub async fn media(pool: &Pool, id: i64) -> Result<Option<MediaRow>, sqlx::Error> {
    on!(pool, pool => {
    sqlx::query_as("SELECT id, variants, width, height FROM media WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
    })
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_media(
    pool: &Pool,
    variants_json: &str,
    width: u32,
    height: u32,
    source_type: &str,
    bytes: usize,
    user_id: Option<i64>,
    name: &str,
    now: i64,
) -> Result<i64, sqlx::Error> {
    on!(pool, pool => {
    sqlx::query_scalar(
        "INSERT INTO media (variants, width, height, source_type, bytes, uploaded_by, created_at, name) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(variants_json)
    .bind(i64::from(width))
    .bind(i64::from(height))
    .bind(source_type)
    .bind(bytes as i64)
    .bind(user_id)
    .bind(now)
    .bind(name)
    .fetch_one(pool)
    .await
    })
}

/// Who saved an article last (for "Saved by ... at ..." and the conflict message).
pub async fn last_saved_by(pool: &Pool, article_id: i64) -> Result<Option<String>, sqlx::Error> {
    on!(pool, pool => {
    sqlx::query_scalar(
        "SELECT u.display_name FROM article_revisions r JOIN users u ON u.id = r.user_id \
         WHERE r.article_id = $1 AND r.kind <> 'autosave' ORDER BY r.id DESC LIMIT 1",
    )
    .bind(article_id)
    .fetch_optional(pool)
    .await
    })
}

/// This user's autosave that is newer than the article itself (text not applied yet).
pub async fn pending_autosave(
    pool: &Pool,
    article_id: i64,
    user_id: i64,
    after: i64,
) -> Result<Option<String>, sqlx::Error> {
    on!(pool, pool => {
    sqlx::query_scalar(
        "SELECT snapshot FROM article_revisions WHERE article_id = $1 AND user_id = $2 \
         AND kind = 'autosave' AND saved_at >= $3 ORDER BY id DESC LIMIT 1",
    )
    .bind(article_id)
    .bind(user_id)
    .bind(after)
    .fetch_optional(pool)
    .await
    })
}
