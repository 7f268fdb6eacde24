//! The SQL of imports (`portal import wordpress`) and of the redirect table they fill.

use super::dialect::Dialect;
use super::{Conn, Pool};
use crate::model::newsroom::ImportRun;
use std::collections::HashSet;

/// An id for an article about to be inserted in this (write) transaction, marked already as
/// not indexed for search: the triggers leave it to `index_pending`. One statement.
pub async fn reserve_unindexed_id(db: Conn<'_>, now: i64) -> Result<i64, sqlx::Error> {
    on_conn!(db, c as D => D::reserve_unindexed_id(c, now).await)
}

/// Indexes for search, in one statement, the published articles marked at `since_at_most`
/// or earlier, as they stand now, and clears their marks, in a write transaction of its own;
/// returns how many were indexed. When there are none it only looks (no lock taken).
pub async fn index_pending(pool: &Pool, since_at_most: i64) -> Result<u64, sqlx::Error> {
    let any: bool = on!(pool, p => {
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM search_pending WHERE since <= $1)")
            .bind(since_at_most)
            .fetch_one(p)
            .await
    })?;
    if !any {
        return Ok(0);
    }
    let mut tx = super::begin_write(pool).await?;
    let indexed = on_conn!(tx.conn(), c as D => D::index_pending(c, since_at_most).await?);
    tx.commit().await?;
    Ok(indexed)
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

/// The pages `site`'s WordPress pages became before, by their WordPress id: (id here, path).
pub async fn imported_pages(
    db: Conn<'_>,
    site: &str,
) -> Result<std::collections::HashMap<i64, (i64, String)>, sqlx::Error> {
    on_conn!(db, db => {
    let rows: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT i.wp_id, a.id, a.page_path FROM imported_posts i \
         JOIN articles a ON a.id = i.article_id \
         WHERE i.site = $1 AND a.page_path IS NOT NULL",
    )
    .bind(site)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|(wp, id, path)| (wp, (id, path))).collect())
    })
}

/// Rows per multi-row INSERT (SQLite allows 32,766 parameters in a statement).
const ROWS_PER_INSERT: usize = 500;

/// Which of these slugs articles have already.
pub async fn taken_slugs(db: Conn<'_>, slugs: &[String]) -> Result<HashSet<String>, sqlx::Error> {
    let mut taken = HashSet::new();
    on_conn!(db, db => {
    for chunk in slugs.chunks(ROWS_PER_INSERT) {
        let mut q = sqlx::QueryBuilder::new("SELECT slug FROM articles WHERE slug IN (");
        let mut list = q.separated(", ");
        for slug in chunk {
            list.push_bind(slug);
        }
        q.push(")");
        let found: Vec<String> = q.build_query_scalar().fetch_all(&mut *db).await?;
        taken.extend(found);
    }
    Ok(taken)
    })
}

/// Records a batch's posts as imported: (WordPress id, article id).
pub async fn record_posts(
    db: Conn<'_>,
    site: &str,
    posts: &[(i64, i64)],
    now: i64,
) -> Result<(), sqlx::Error> {
    on_conn!(db, db => {
    for chunk in posts.chunks(ROWS_PER_INSERT) {
        let mut q = sqlx::QueryBuilder::new(
            "INSERT INTO imported_posts (site, wp_id, article_id, imported_at) ",
        );
        q.push_values(chunk, |mut row, (wp_id, article_id)| {
            row.push_bind(site)
                .push_bind(*wp_id)
                .push_bind(*article_id)
                .push_bind(now);
        });
        q.build().execute(&mut *db).await?;
    }
    Ok(())
    })
}

/// Adds redirects (from, to), each unless its address has one already (an editor's is never
/// overwritten). Returns how many were added.
pub async fn add_redirects(
    db: Conn<'_>,
    redirects: &[(String, String)],
    source: &str,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let mut added = 0;
    on_conn!(db, db => {
    for chunk in redirects.chunks(ROWS_PER_INSERT) {
        let mut q = sqlx::QueryBuilder::new(
            "INSERT INTO redirects (from_path, to_path, source, created_at) ",
        );
        q.push_values(chunk, |mut row, (from, to)| {
            row.push_bind(from).push_bind(to).push_bind(source).push_bind(now);
        });
        q.push(" ON CONFLICT (from_path) DO NOTHING");
        added += q.build().execute(&mut *db).await?.rows_affected();
    }
    Ok(added)
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
    let one = [(from.to_string(), to.to_string())];
    Ok(add_redirects(db, &one, source, now).await? > 0)
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

/// A page of the redirects, by address, those whose address or target contains `q` only
/// (when given): `(from, to, source)`, and how many there are.
pub async fn redirects_page(
    pool: &Pool,
    q: &str,
    limit: u32,
    offset: u64,
) -> Result<(Vec<(String, String, String)>, u64), sqlx::Error> {
    let pattern = format!("%{}%", super::like_escaped(&q.trim().to_lowercase()));
    on!(pool, pool => {
    let rows = sqlx::query_as(
        "SELECT from_path, to_path, source FROM redirects \
         WHERE lower(from_path) LIKE $1 ESCAPE '\\' OR lower(to_path) LIKE $1 ESCAPE '\\' \
         ORDER BY from_path LIMIT $2 OFFSET $3",
    )
    .bind(&pattern)
    .bind(i64::from(limit))
    .bind(offset as i64)
    .fetch_all(pool)
    .await?;
    let total: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM redirects \
         WHERE lower(from_path) LIKE $1 ESCAPE '\\' OR lower(to_path) LIKE $1 ESCAPE '\\'",
    )
    .bind(&pattern)
    .fetch_one(pool)
    .await?;
    Ok((rows, total as u64))
    })
}

/// Removes a redirect; whether there was one.
pub async fn remove_redirect(pool: &Pool, from: &str) -> Result<bool, sqlx::Error> {
    remove_redirect_in(pool.acquire().await?.conn(), from).await
}

/// `remove_redirect`, in the caller's transaction.
pub async fn remove_redirect_in(db: Conn<'_>, from: &str) -> Result<bool, sqlx::Error> {
    on_conn!(db, db => {
    let done = sqlx::query("DELETE FROM redirects WHERE from_path = $1")
        .bind(from)
        .execute(db)
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
