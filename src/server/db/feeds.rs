//! What feeds and sitemaps list: published articles only, ever.

use super::Pool;
use sqlx::FromRow;

#[derive(Debug, Clone, FromRow)]
pub struct FeedRow {
    pub slug: String,
    pub title: String,
    pub excerpt: String,
    pub body_html: String,
    pub author_name: String,
    pub published_at: i64,
    pub updated_at: i64,
    pub cat_slug: String,
    pub cat_name: String,
    pub image_url: Option<String>,
}

/// Which articles a feed lists.
#[derive(Debug, Clone, Copy)]
pub enum Of {
    Site,
    Section(i64),
    /// Articles with one label (a tag, an author).
    Label(super::labels::Kind, i64),
}

/// The newest `limit` published articles, site-wide, in one section or with one label, with
/// their bodies.
pub async fn latest(pool: &Pool, of: Of, limit: u32) -> Result<Vec<FeedRow>, sqlx::Error> {
    let (from, filter, id) = match of {
        Of::Site => ("articles a".to_string(), String::new(), None),
        Of::Section(id) => (
            "articles a".to_string(),
            "a.category_id = $2 AND".to_string(),
            Some(id),
        ),
        Of::Label(kind, id) => (kind.links_join(), kind.links_filter(), Some(id)),
    };
    let sql = format!(
        "SELECT a.slug, a.title, a.excerpt, a.body_html, a.author_name, a.published_at, a.updated_at, \
                c.slug AS cat_slug, c.name AS cat_name, a.image_url \
         FROM {from} JOIN categories c ON c.id = a.category_id \
         WHERE {filter} a.status = 'published' AND a.page_path IS NULL \
         ORDER BY a.published_at DESC, a.id DESC LIMIT $1"
    );
    on!(pool, pool => {
    let mut q = sqlx::query_as(&sql).bind(i64::from(limit));
    if let Some(id) = id {
        q = q.bind(id);
    }
    q.fetch_all(pool).await
    })
}

/// Months (UTC, "2026-11") that have published articles, newest first, with the time the
/// newest change in each happened.
pub async fn months(pool: &Pool) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let month = pool.backend().words().published_month;
    let sql = format!(
        "SELECT {month} AS month, max(updated_at) \
         FROM articles WHERE status = 'published' AND page_path IS NULL GROUP BY month ORDER BY month DESC"
    );
    on!(pool, pool => {
    sqlx::query_as(&sql)
    .fetch_all(pool)
    .await
    })
}

/// The published articles of one month: (slug, last change).
pub async fn month(pool: &Pool, from: i64, until: i64) -> Result<Vec<(String, i64)>, sqlx::Error> {
    on!(pool, pool => {
    sqlx::query_as(
        "SELECT slug, updated_at FROM articles \
         WHERE status = 'published' AND page_path IS NULL AND published_at >= $1 AND published_at < $2 \
         ORDER BY published_at DESC, id DESC",
    )
    .bind(from)
    .bind(until)
    .fetch_all(pool)
    .await
    })
}

/// Articles published since `since`: (slug, title, published_at), for the news sitemap.
pub async fn since(pool: &Pool, since: i64) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
    on!(pool, pool => {
    sqlx::query_as(
        "SELECT slug, title, published_at FROM articles \
         WHERE status = 'published' AND page_path IS NULL AND published_at >= $1 \
         ORDER BY published_at DESC, id DESC LIMIT 1000",
    )
    .bind(since)
    .fetch_all(pool)
    .await
    })
}
