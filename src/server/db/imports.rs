//! The SQL of imports (`portal import wordpress`) and of the redirect table they fill.

use super::{Conn, Pool};
use crate::model::newsroom::ImportRun;
use std::collections::HashSet;

/// An imported post, every column the import sets (dates are the original site's).
pub struct ImportedArticle {
    pub slug: String,
    pub title: String,
    pub excerpt: String,
    pub body_md: String,
    pub body_html: String,
    pub body_text: String,
    pub reading_minutes: u32,
    pub category_id: i64,
    pub author_name: String,
    pub status: &'static str,
    pub published_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub image_id: Option<i64>,
    pub image_url: Option<String>,
    pub image_srcset: String,
    pub image_alt: String,
    pub image_caption: String,
    pub image_width: Option<u32>,
    pub image_height: Option<u32>,
    pub editors_pick: bool,
}

pub async fn insert_article(db: Conn<'_>, a: &ImportedArticle) -> Result<i64, sqlx::Error> {
    on_conn!(db, db => {
    sqlx::query_scalar(
        "INSERT INTO articles (slug, title, excerpt, body_md, body_html, body_text, reading_minutes, \
             category_id, author_name, status, published_at, created_at, updated_at, image_id, \
             image_url, image_srcset, image_alt, image_caption, image_width, image_height, \
             editors_pick, pick_order) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
                 $19, $20, $21, $22) \
         RETURNING id",
    )
    .bind(&a.slug)
    .bind(&a.title)
    .bind(&a.excerpt)
    .bind(&a.body_md)
    .bind(&a.body_html)
    .bind(&a.body_text)
    .bind(i64::from(a.reading_minutes))
    .bind(a.category_id)
    .bind(&a.author_name)
    .bind(a.status)
    .bind(a.published_at)
    .bind(a.created_at)
    .bind(a.updated_at)
    .bind(a.image_id)
    .bind(&a.image_url)
    .bind(&a.image_srcset)
    .bind(&a.image_alt)
    .bind(&a.image_caption)
    .bind(a.image_width.map(i64::from))
    .bind(a.image_height.map(i64::from))
    .bind(a.editors_pick)
    // A sticky post joins the Editor's Pick after the editors' own choices.
    .bind(if a.editors_pick { crate::model::validate::PICK_ORDER_MAX } else { 0 })
    .fetch_one(db)
    .await
    })
}

/// Whether an article has this slug already.
pub async fn slug_taken(db: Conn<'_>, slug: &str) -> Result<bool, sqlx::Error> {
    on_conn!(db, db => {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM articles WHERE slug = $1")
        .bind(slug)
        .fetch_one(db)
        .await?;
    Ok(n > 0)
    })
}

/// The WordPress post ids of `site` imported before.
pub async fn imported_ids(pool: &Pool, site: &str) -> Result<HashSet<i64>, sqlx::Error> {
    on!(pool, pool => {
    let ids: Vec<i64> = sqlx::query_scalar("SELECT wp_id FROM imported_posts WHERE site = $1")
        .bind(site)
        .fetch_all(pool)
        .await?;
    Ok(ids.into_iter().collect())
    })
}

pub async fn record_post(
    db: Conn<'_>,
    site: &str,
    wp_id: i64,
    article_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    on_conn!(db, db => {
    sqlx::query(
        "INSERT INTO imported_posts (site, wp_id, article_id, imported_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(site)
    .bind(wp_id)
    .bind(article_id)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
    })
}

/// Adds a redirect unless the address has one already (an editor's is never overwritten).
/// Returns whether it was added.
pub async fn add_redirect(
    db: Conn<'_>,
    from: &str,
    to: &str,
    source: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    on_conn!(db, db => {
    let done = sqlx::query(
        "INSERT INTO redirects (from_path, to_path, source, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (from_path) DO NOTHING",
    )
    .bind(from)
    .bind(to)
    .bind(source)
    .bind(now)
    .execute(db)
    .await?;
    Ok(done.rows_affected() > 0)
    })
}

/// Where an old address goes now (`from` as `redirects::key` gives it).
pub async fn redirect_for(pool: &Pool, from: &str) -> Result<Option<String>, sqlx::Error> {
    on!(pool, pool => {
    sqlx::query_scalar("SELECT to_path FROM redirects WHERE from_path = $1")
        .bind(from)
        .fetch_optional(pool)
        .await
    })
}

/// Every redirect, for `portal redirect list`: `(from, to, source)`.
pub async fn redirects(pool: &Pool) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    on!(pool, pool => {
    sqlx::query_as("SELECT from_path, to_path, source FROM redirects ORDER BY from_path")
        .fetch_all(pool)
        .await
    })
}

/// Removes a redirect; whether there was one.
pub async fn remove_redirect(pool: &Pool, from: &str) -> Result<bool, sqlx::Error> {
    on!(pool, pool => {
    let done = sqlx::query("DELETE FROM redirects WHERE from_path = $1")
        .bind(from)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() > 0)
    })
}

/// A new section after the existing ones, outside the main navigation (an editor decides
/// whether it belongs there).
pub async fn create_section(db: Conn<'_>, slug: &str, name: &str) -> Result<i64, sqlx::Error> {
    on_conn!(db, db => {
    sqlx::query_scalar(
        "INSERT INTO categories (slug, name, position, in_nav) \
         VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM categories), FALSE) \
         RETURNING id",
    )
    .bind(slug)
    .bind(name)
    .fetch_one(db)
    .await
    })
}

/// The media row an earlier import made of a file, with its variants' JSON.
pub async fn imported_file(
    pool: &Pool,
    site: &str,
    path: &str,
) -> Result<Option<(i64, String)>, sqlx::Error> {
    on!(pool, pool => {
    sqlx::query_as(
        "SELECT m.id, m.variants FROM imported_files f JOIN media m ON m.id = f.media_id \
         WHERE f.site = $1 AND f.path = $2",
    )
    .bind(site)
    .bind(path)
    .fetch_optional(pool)
    .await
    })
}

pub async fn record_file(
    pool: &Pool,
    site: &str,
    path: &str,
    media_id: i64,
) -> Result<(), sqlx::Error> {
    on!(pool, pool => {
    sqlx::query(
        "INSERT INTO imported_files (site, path, media_id) VALUES ($1, $2, $3) \
         ON CONFLICT (site, path) DO NOTHING",
    )
    .bind(site)
    .bind(path)
    .bind(media_id)
    .execute(pool)
    .await?;
    Ok(())
    })
}

/// How long a running import may go without progress before another may start (its server
/// died): generous, a batch of big images takes a while.
pub const RUN_STALE_AFTER: i64 = 300;

/// Records a newsroom import as running; `None` while another one runs.
pub async fn start_run(
    pool: &Pool,
    user_id: i64,
    file_name: &str,
    dry_run: bool,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let mut tx = super::begin_write(pool).await?;
    let id = on_conn!(tx.conn(), db => {
        let busy: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM import_runs WHERE status = 'running' AND updated_at >= $1",
        )
        .bind(now - RUN_STALE_AFTER)
        .fetch_one(&mut *db)
        .await?;
        if busy > 0 {
            None
        } else {
            sqlx::query(
                "UPDATE import_runs SET status = 'failed', updated_at = $1, \
                 report = 'The server running this import stopped. Start it again: what was \
                 imported stays, the rest is resumed.' WHERE status = 'running'",
            )
            .bind(now)
            .execute(&mut *db)
            .await?;
            Some(
                sqlx::query_scalar::<_, i64>(
                    "INSERT INTO import_runs (user_id, file_name, dry_run, status, started_at, updated_at) \
                     VALUES ($1, $2, $3, 'running', $4, $4) RETURNING id",
                )
                .bind(user_id)
                .bind(file_name)
                .bind(dry_run)
                .bind(now)
                .fetch_one(&mut *db)
                .await?,
            )
        }
    });
    tx.commit().await?;
    Ok(id)
}

pub async fn run_progress(
    pool: &Pool,
    id: i64,
    done: usize,
    total: usize,
    now: i64,
) -> Result<(), sqlx::Error> {
    on!(pool, pool => {
    sqlx::query("UPDATE import_runs SET posts_done = $1, posts_total = $2, updated_at = $3 WHERE id = $4")
        .bind(done as i64)
        .bind(total as i64)
        .bind(now)
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
    })
}

pub async fn finish_run(
    pool: &Pool,
    id: i64,
    ok: bool,
    report: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    on!(pool, pool => {
    sqlx::query("UPDATE import_runs SET status = $1, report = $2, updated_at = $3 WHERE id = $4")
        .bind(if ok { "done" } else { "failed" })
        .bind(report)
        .bind(now)
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
    })
}

#[derive(sqlx::FromRow)]
struct RunRow {
    id: i64,
    file_name: String,
    dry_run: bool,
    status: String,
    posts_done: i64,
    posts_total: i64,
    report: String,
}

/// The newest newsroom import.
pub async fn latest_run(pool: &Pool) -> Result<Option<ImportRun>, sqlx::Error> {
    let row: Option<RunRow> = on!(pool, pool => {
        sqlx::query_as(
            "SELECT id, file_name, dry_run, status, posts_done, posts_total, report \
             FROM import_runs ORDER BY id DESC LIMIT 1",
        )
        .fetch_optional(pool)
        .await?
    });
    Ok(row.map(|r| ImportRun {
        id: r.id,
        file_name: r.file_name,
        dry_run: r.dry_run,
        status: r.status,
        posts_done: r.posts_done,
        posts_total: r.posts_total,
        report: r.report,
    }))
}
