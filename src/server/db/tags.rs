//! Tags: their rows, an article's tags, a tag's page (in date order, through the index
//! `article_tags_page`), the newsroom's list, renaming and merging (with the old addresses
//! kept as redirects).

use super::articles::summaries_as_json;
use super::rows::{SummaryRow, SUMMARY_COLUMNS};
use super::{Conn, Pool};
use crate::model::Tag;
use sqlx::FromRow;

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct TagRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

impl TagRow {
    pub fn to_model(&self) -> Tag {
        Tag {
            slug: self.slug.clone(),
            name: self.name.clone(),
        }
    }
}

/// A tag in the newsroom's list: how many articles carry it, how many of them are published.
#[derive(Debug, Clone, FromRow)]
pub struct TagListRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub articles: i64,
    pub published: i64,
}

pub async fn by_slug(pool: &Pool, slug: &str) -> Result<Option<TagRow>, sqlx::Error> {
    on!(pool, pool => {
    sqlx::query_as("SELECT id, slug, name FROM tags WHERE slug = $1")
        .bind(slug)
        .fetch_optional(pool)
        .await
    })
}

pub async fn by_slug_in(conn: Conn<'_>, slug: &str) -> Result<Option<TagRow>, sqlx::Error> {
    on_conn!(conn, conn => {
    sqlx::query_as("SELECT id, slug, name FROM tags WHERE slug = $1")
        .bind(slug)
        .fetch_optional(conn)
        .await
    })
}

pub async fn by_id(conn: Conn<'_>, id: i64) -> Result<Option<TagRow>, sqlx::Error> {
    on_conn!(conn, conn => {
    sqlx::query_as("SELECT id, slug, name FROM tags WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
    })
}

/// An article's tags in the editor's order.
pub async fn of_article(conn: Conn<'_>, article_id: i64) -> Result<Vec<TagRow>, sqlx::Error> {
    on_conn!(conn, conn => {
    sqlx::query_as(
        "SELECT t.id, t.slug, t.name FROM article_tags x JOIN tags t ON t.id = x.tag_id \
         WHERE x.article_id = $1 ORDER BY x.position",
    )
    .bind(article_id)
    .fetch_all(conn)
    .await
    })
}

/// Gives an article exactly these tags, `(slug, name)` in order. A name that a tag has
/// already (whatever its case) is that tag; otherwise the tag at `slug`, created if there is
/// none. Nothing is written when they are the article's already, so a save that did not touch
/// them does not move the content version twice.
pub async fn set_for_article(
    conn: Conn<'_>,
    article_id: i64,
    tags: &[(String, String)],
    now: i64,
) -> Result<(), sqlx::Error> {
    on_conn!(conn, conn => {
    let mut ids: Vec<i64> = Vec::with_capacity(tags.len());
    for (slug, name) in tags {
        let named: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM tags WHERE lower(name) = lower($1) ORDER BY id LIMIT 1",
        )
        .bind(name)
        .fetch_optional(&mut *conn)
        .await?;
        let id = match named {
            Some(id) => id,
            None => {
                sqlx::query(
                    "INSERT INTO tags (slug, name, created_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (slug) DO NOTHING",
                )
                .bind(slug)
                .bind(name)
                .bind(now)
                .execute(&mut *conn)
                .await?;
                sqlx::query_scalar("SELECT id FROM tags WHERE slug = $1")
                    .bind(slug)
                    .fetch_one(&mut *conn)
                    .await?
            }
        };
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    let current: Vec<i64> = sqlx::query_scalar(
        "SELECT tag_id FROM article_tags WHERE article_id = $1 ORDER BY position",
    )
    .bind(article_id)
    .fetch_all(&mut *conn)
    .await?;
    if current == ids {
        return Ok(());
    }
    sqlx::query("DELETE FROM article_tags WHERE article_id = $1")
        .bind(article_id)
        .execute(&mut *conn)
        .await?;
    for (position, id) in ids.iter().enumerate() {
        sqlx::query(
            "INSERT INTO article_tags (article_id, tag_id, position, published_at, live) \
             SELECT a.id, $2, $3, a.published_at, a.status = 'published' \
             FROM articles a WHERE a.id = $1",
        )
        .bind(article_id)
        .bind(id)
        .bind(position as i64 + 1)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
    })
}

/// The address of the tag `set_for_article` gives an article for `(slug, name)`, if it exists.
pub async fn resolve(
    conn: Conn<'_>,
    slug: &str,
    name: &str,
) -> Result<Option<String>, sqlx::Error> {
    on_conn!(conn, conn => {
    sqlx::query_scalar(
        "SELECT slug FROM (SELECT slug, 0 AS pref, id FROM tags WHERE lower(name) = lower($2) \
         UNION ALL SELECT slug, 1 AS pref, id FROM tags WHERE slug = $1) AS found \
         ORDER BY pref, id LIMIT 1",
    )
    .bind(slug)
    .bind(name)
    .fetch_optional(conn)
    .await
    })
}

/// Page of a tag's published articles, newest first: the row where the page starts is found
/// in the index alone, then `limit` rows are read from there (as `articles::latest`).
pub async fn page(
    pool: &Pool,
    tag_id: i64,
    limit: u32,
    offset: u64,
) -> Result<Vec<SummaryRow>, sqlx::Error> {
    let backend = pool.backend();
    let start = if offset > 0 {
        "AND (x.published_at, x.article_id) <= (SELECT y.published_at, y.article_id \
         FROM article_tags y WHERE y.tag_id = $3 AND y.live \
         ORDER BY y.published_at DESC, y.article_id DESC LIMIT 1 OFFSET $2)"
    } else {
        "AND $2 = 0"
    };
    let select = format!(
        "SELECT {SUMMARY_COLUMNS} FROM article_tags x JOIN articles a ON a.id = x.article_id \
         JOIN categories c ON c.id = a.category_id \
         WHERE x.tag_id = $3 AND x.live {start} \
         ORDER BY x.published_at DESC, x.article_id DESC LIMIT $1"
    );
    let sql = summaries_as_json(backend, &select);
    let json: String = on!(pool, pool => {
        sqlx::query_scalar(&sql)
            .bind(i64::from(limit))
            .bind(offset as i64)
            .bind(tag_id)
            .fetch_one(pool)
            .await
    })?;
    let mut rows: Vec<SummaryRow> = super::from_json_rows(&json)?;
    rows.sort_unstable_by_key(|r| std::cmp::Reverse((r.published_at, r.id)));
    Ok(rows)
}

/// How many published articles carry the tag.
pub async fn count_published(pool: &Pool, tag_id: i64) -> Result<u64, sqlx::Error> {
    let n: i64 = on!(pool, pool => {
        sqlx::query_scalar("SELECT count(*) FROM article_tags WHERE tag_id = $1 AND live")
            .bind(tag_id)
            .fetch_one(pool)
            .await
    })?;
    Ok(n as u64)
}

/// Tags whose name starts with `prefix` (case-insensitive) or whose address starts with
/// `slug_prefix`, the most used first, for the editor's suggestions.
pub async fn suggest(
    pool: &Pool,
    prefix: &str,
    slug_prefix: &str,
    limit: u32,
) -> Result<Vec<String>, sqlx::Error> {
    let pattern = format!("{}%", like_escaped(&prefix.to_lowercase()));
    let slug_pattern = format!("{}%", like_escaped(slug_prefix));
    on!(pool, pool => {
    sqlx::query_scalar(
        "SELECT t.name FROM tags t \
         WHERE lower(t.name) LIKE $1 ESCAPE '\\' OR t.slug LIKE $2 ESCAPE '\\' \
         ORDER BY (SELECT count(*) FROM article_tags x WHERE x.tag_id = t.id) DESC, t.name \
         LIMIT $3",
    )
    .bind(pattern)
    .bind(slug_pattern)
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await
    })
}

fn like_escaped(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// The newsroom's list of tags, by name, optionally only those whose name contains `q`, and
/// how many there are.
pub async fn list(
    pool: &Pool,
    q: &str,
    limit: u32,
    offset: u64,
) -> Result<(Vec<TagListRow>, u64), sqlx::Error> {
    let pattern = format!("%{}%", like_escaped(&q.trim().to_lowercase()));
    on!(pool, pool => {
    let rows: Vec<TagListRow> = sqlx::query_as(
        "SELECT t.id, t.slug, t.name, \
                (SELECT count(*) FROM article_tags x WHERE x.tag_id = t.id) AS articles, \
                (SELECT count(*) FROM article_tags x WHERE x.tag_id = t.id AND x.live) AS published \
         FROM tags t WHERE lower(t.name) LIKE $1 ESCAPE '\\' \
         ORDER BY lower(t.name), t.id LIMIT $2 OFFSET $3",
    )
    .bind(&pattern)
    .bind(i64::from(limit))
    .bind(offset as i64)
    .fetch_all(pool)
    .await?;
    let total: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM tags t WHERE lower(t.name) LIKE $1 ESCAPE '\\'",
    )
    .bind(&pattern)
    .fetch_one(pool)
    .await?;
    Ok((rows, total as u64))
    })
}

/// Renames a tag (its address changes with its name).
pub async fn rename(conn: Conn<'_>, id: i64, slug: &str, name: &str) -> Result<(), sqlx::Error> {
    on_conn!(conn, conn => {
    sqlx::query("UPDATE tags SET slug = $2, name = $3 WHERE id = $1")
        .bind(id)
        .bind(slug)
        .bind(name)
        .execute(conn)
        .await?;
    Ok(())
    })
}

/// Moves every article of tag `from` to tag `into` (keeping its place among the article's
/// tags) and deletes `from`.
pub async fn merge(conn: Conn<'_>, from: i64, into: i64) -> Result<(), sqlx::Error> {
    on_conn!(conn, conn => {
    sqlx::query(
        "INSERT INTO article_tags (article_id, tag_id, position, published_at, live) \
         SELECT article_id, $2, position, published_at, live FROM article_tags WHERE tag_id = $1 \
         ON CONFLICT (article_id, tag_id) DO NOTHING",
    )
    .bind(from)
    .bind(into)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM tags WHERE id = $1")
        .bind(from)
        .execute(&mut *conn)
        .await?;
    Ok(())
    })
}

/// The addresses under `old` (a tag's page, its pages, its feeds) now live under `new`: one
/// redirect from `old` (and its feeds), redirects that led to `old` lead to `new` (one hop,
/// never a chain), and none is left at `new` itself.
pub async fn move_addresses(
    conn: Conn<'_>,
    old: &str,
    new: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    let below = |p: &str| format!("{}/%", like_escaped(p));
    on_conn!(conn, conn => {
    sqlx::query(
        "UPDATE redirects SET to_path = $2 || substr(to_path, length($1) + 1) \
         WHERE to_path = $1 OR to_path LIKE $3 ESCAPE '\\'",
    )
    .bind(old)
    .bind(new)
    .bind(below(old))
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM redirects WHERE from_path = $1 OR from_path LIKE $2 ESCAPE '\\'")
        .bind(new)
        .bind(below(new))
        .execute(&mut *conn)
        .await?;
    for (from, to) in [
        (old.to_string(), new.to_string()),
        (format!("{old}/feed.xml"), format!("{new}/feed.xml")),
        (format!("{old}/atom.xml"), format!("{new}/atom.xml")),
    ] {
        sqlx::query(
            "INSERT INTO redirects (from_path, to_path, source, created_at) \
             VALUES ($1, $2, 'tag', $3) \
             ON CONFLICT (from_path) DO UPDATE SET to_path = excluded.to_path",
        )
        .bind(from)
        .bind(to)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
    })
}

/// Tags with published articles and when the newest change among those happened, for the
/// sitemap.
pub async fn sitemap(pool: &Pool) -> Result<Vec<(String, i64)>, sqlx::Error> {
    on!(pool, pool => {
    sqlx::query_as(
        "SELECT t.slug, max(a.updated_at) FROM tags t \
         JOIN article_tags x ON x.tag_id = t.id AND x.live \
         JOIN articles a ON a.id = x.article_id \
         GROUP BY t.slug ORDER BY t.slug",
    )
    .fetch_all(pool)
    .await
    })
}
