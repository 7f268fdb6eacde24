//! What an article is labelled with, each label with a page of its own: its tags and its
//! authors' profiles. Both are kept the same way (a table of labels, a table linking them to
//! articles in order with the article's publication copied beside each link), so one set of
//! functions serves both, given the `Kind`: an article's labels, a label's page (in date
//! order, through the links' `*_page` index), the newsroom's list, renaming and merging (with
//! the old addresses kept as redirects).

use super::rows::{summaries_as_json, SummaryRow, SUMMARY_COLUMNS};
use super::{like_escaped, Conn, Pool};
use crate::model::Tag;
use sqlx::FromRow;

/// Which labels: their table, the table linking them to articles, and its column naming them.
#[derive(Debug, Clone, Copy)]
pub struct Kind {
    labels: &'static str,
    links: &'static str,
    key: &'static str,
}

pub const TAGS: Kind = Kind {
    labels: "tags",
    links: "article_tags",
    key: "tag_id",
};

pub const AUTHORS: Kind = Kind {
    labels: "authors",
    links: "article_authors",
    key: "author_id",
};

impl Kind {
    /// Its name (its table's), to tell kinds apart.
    pub fn name(self) -> &'static str {
        self.labels
    }

    /// `FROM` for a feed of one label's articles: its links `x` joined to `articles a`.
    pub(crate) fn links_join(self) -> String {
        format!("{} x JOIN articles a ON a.id = x.article_id", self.links)
    }

    /// The condition (`$2`: the label) choosing the published articles of `links_join`.
    pub(crate) fn links_filter(self) -> String {
        format!("x.{} = $2 AND x.live AND", self.key)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct LabelRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

impl LabelRow {
    pub fn to_model(&self) -> Tag {
        Tag {
            slug: self.slug.clone(),
            name: self.name.clone(),
        }
    }
}

/// A label in the newsroom's list: how many articles carry it, how many of them are published.
#[derive(Debug, Clone, FromRow)]
pub struct LabelListRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub articles: i64,
    pub published: i64,
}

pub async fn by_slug(kind: Kind, pool: &Pool, slug: &str) -> Result<Option<LabelRow>, sqlx::Error> {
    let sql = format!("SELECT id, slug, name FROM {} WHERE slug = $1", kind.labels);
    on!(pool, pool => sqlx::query_as(&sql).bind(slug).fetch_optional(pool).await)
}

pub async fn by_slug_in(
    kind: Kind,
    conn: Conn<'_>,
    slug: &str,
) -> Result<Option<LabelRow>, sqlx::Error> {
    let sql = format!("SELECT id, slug, name FROM {} WHERE slug = $1", kind.labels);
    on_conn!(conn, conn => sqlx::query_as(&sql).bind(slug).fetch_optional(conn).await)
}

pub async fn by_id(kind: Kind, conn: Conn<'_>, id: i64) -> Result<Option<LabelRow>, sqlx::Error> {
    let sql = format!("SELECT id, slug, name FROM {} WHERE id = $1", kind.labels);
    on_conn!(conn, conn => sqlx::query_as(&sql).bind(id).fetch_optional(conn).await)
}

/// An article's labels in the editor's order.
pub async fn of_article(
    kind: Kind,
    conn: Conn<'_>,
    article_id: i64,
) -> Result<Vec<LabelRow>, sqlx::Error> {
    let Kind { labels, links, key } = kind;
    let sql = format!(
        "SELECT t.id, t.slug, t.name FROM {links} x JOIN {labels} t ON t.id = x.{key} \
         WHERE x.article_id = $1 ORDER BY x.position"
    );
    on_conn!(conn, conn => sqlx::query_as(&sql).bind(article_id).fetch_all(conn).await)
}

/// Gives an article exactly these labels, `(slug, name)` in order. A name that a label has
/// already (whatever its case) is that label; otherwise the label at `slug`, created if there
/// is none. Nothing is written when they are the article's already, so a save that did not
/// touch them does not move the content version twice.
pub async fn set_for_article(
    kind: Kind,
    conn: Conn<'_>,
    article_id: i64,
    pairs: &[(String, String)],
    now: i64,
) -> Result<(), sqlx::Error> {
    let Kind { labels, links, key } = kind;
    let named =
        format!("SELECT id FROM {labels} WHERE lower(name) = lower($1) ORDER BY id LIMIT 1");
    let create = format!(
        "INSERT INTO {labels} (slug, name, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (slug) DO NOTHING"
    );
    let at_slug = format!("SELECT id FROM {labels} WHERE slug = $1");
    let current = format!("SELECT {key} FROM {links} WHERE article_id = $1 ORDER BY position");
    let clear = format!("DELETE FROM {links} WHERE article_id = $1");
    let link = format!(
        "INSERT INTO {links} (article_id, {key}, position, published_at, live) \
         SELECT a.id, $2, $3, a.published_at, a.status = 'published' \
         FROM articles a WHERE a.id = $1"
    );
    on_conn!(conn, conn => {
    let mut ids: Vec<i64> = Vec::with_capacity(pairs.len());
    for (slug, name) in pairs {
        let found: Option<i64> = sqlx::query_scalar(&named)
            .bind(name)
            .fetch_optional(&mut *conn)
            .await?;
        let id = match found {
            Some(id) => id,
            None => {
                sqlx::query(&create)
                    .bind(slug)
                    .bind(name)
                    .bind(now)
                    .execute(&mut *conn)
                    .await?;
                sqlx::query_scalar(&at_slug).bind(slug).fetch_one(&mut *conn).await?
            }
        };
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    let now_linked: Vec<i64> = sqlx::query_scalar(&current)
        .bind(article_id)
        .fetch_all(&mut *conn)
        .await?;
    if now_linked == ids {
        return Ok(());
    }
    sqlx::query(&clear).bind(article_id).execute(&mut *conn).await?;
    for (position, id) in ids.iter().enumerate() {
        sqlx::query(&link)
            .bind(article_id)
            .bind(id)
            .bind(position as i64 + 1)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
    })
}

/// The address of the label `set_for_article` gives an article for `(slug, name)`, if it
/// exists.
pub async fn resolve(
    kind: Kind,
    conn: Conn<'_>,
    slug: &str,
    name: &str,
) -> Result<Option<String>, sqlx::Error> {
    let labels = kind.labels;
    let sql = format!(
        "SELECT slug FROM (SELECT slug, 0 AS pref, id FROM {labels} WHERE lower(name) = lower($2) \
         UNION ALL SELECT slug, 1 AS pref, id FROM {labels} WHERE slug = $1) AS found \
         ORDER BY pref, id LIMIT 1"
    );
    on_conn!(conn, conn => sqlx::query_scalar(&sql).bind(slug).bind(name).fetch_optional(conn).await)
}

/// Page of a label's published articles, newest first: the row where the page starts is found
/// in the index alone, then `limit` rows are read from there (as `articles::latest`).
pub async fn page(
    kind: Kind,
    pool: &Pool,
    id: i64,
    limit: u32,
    offset: u64,
) -> Result<Vec<SummaryRow>, sqlx::Error> {
    let Kind { links, key, .. } = kind;
    let backend = pool.backend();
    let start = if offset > 0 {
        format!(
            "AND (x.published_at, x.article_id) <= (SELECT y.published_at, y.article_id \
             FROM {links} y WHERE y.{key} = $3 AND y.live \
             ORDER BY y.published_at DESC, y.article_id DESC LIMIT 1 OFFSET $2)"
        )
    } else {
        "AND $2 = 0".to_string()
    };
    let select = format!(
        "SELECT {SUMMARY_COLUMNS} FROM {links} x JOIN articles a ON a.id = x.article_id \
         JOIN categories c ON c.id = a.category_id \
         WHERE x.{key} = $3 AND x.live {start} \
         ORDER BY x.published_at DESC, x.article_id DESC LIMIT $1"
    );
    let sql = summaries_as_json(backend, &select);
    let json: String = on!(pool, pool => {
        sqlx::query_scalar(&sql)
            .bind(i64::from(limit))
            .bind(offset as i64)
            .bind(id)
            .fetch_one(pool)
            .await
    })?;
    let mut rows: Vec<SummaryRow> = super::from_json_rows(&json)?;
    rows.sort_unstable_by_key(|r| std::cmp::Reverse((r.published_at, r.id)));
    Ok(rows)
}

/// How many published articles carry the label.
pub async fn count_published(kind: Kind, pool: &Pool, id: i64) -> Result<u64, sqlx::Error> {
    let sql = format!(
        "SELECT count(*) FROM {} WHERE {} = $1 AND live",
        kind.links, kind.key
    );
    let n: i64 = on!(pool, pool => sqlx::query_scalar(&sql).bind(id).fetch_one(pool).await)?;
    Ok(n as u64)
}

/// Labels whose name starts with `prefix` (case-insensitive) or whose address starts with
/// `slug_prefix`, the most used first, for the editor's suggestions.
pub async fn suggest(
    kind: Kind,
    pool: &Pool,
    prefix: &str,
    slug_prefix: &str,
    limit: u32,
) -> Result<Vec<String>, sqlx::Error> {
    let Kind { labels, links, key } = kind;
    let pattern = format!("{}%", like_escaped(&prefix.to_lowercase()));
    let slug_pattern = format!("{}%", like_escaped(slug_prefix));
    let sql = format!(
        "SELECT t.name FROM {labels} t \
         WHERE lower(t.name) LIKE $1 ESCAPE '\\' OR t.slug LIKE $2 ESCAPE '\\' \
         ORDER BY (SELECT count(*) FROM {links} x WHERE x.{key} = t.id) DESC, t.name \
         LIMIT $3"
    );
    on!(pool, pool => {
    sqlx::query_scalar(&sql)
        .bind(pattern)
        .bind(slug_pattern)
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await
    })
}

/// The newsroom's list of labels, by name, optionally only those whose name contains `q`,
/// and how many there are.
pub async fn list(
    kind: Kind,
    pool: &Pool,
    q: &str,
    limit: u32,
    offset: u64,
) -> Result<(Vec<LabelListRow>, u64), sqlx::Error> {
    let Kind { labels, links, key } = kind;
    let pattern = format!("%{}%", like_escaped(&q.trim().to_lowercase()));
    let rows_sql = format!(
        "SELECT t.id, t.slug, t.name, \
                (SELECT count(*) FROM {links} x WHERE x.{key} = t.id) AS articles, \
                (SELECT count(*) FROM {links} x WHERE x.{key} = t.id AND x.live) AS published \
         FROM {labels} t WHERE lower(t.name) LIKE $1 ESCAPE '\\' \
         ORDER BY lower(t.name), t.id LIMIT $2 OFFSET $3"
    );
    let total_sql =
        format!("SELECT count(*) FROM {labels} t WHERE lower(t.name) LIKE $1 ESCAPE '\\'");
    on!(pool, pool => {
    let rows: Vec<LabelListRow> = sqlx::query_as(&rows_sql)
        .bind(&pattern)
        .bind(i64::from(limit))
        .bind(offset as i64)
        .fetch_all(pool)
        .await?;
    let total: i64 = sqlx::query_scalar(&total_sql).bind(&pattern).fetch_one(pool).await?;
    Ok((rows, total as u64))
    })
}

/// Renames a label (its address changes with its name).
pub async fn rename(
    kind: Kind,
    conn: Conn<'_>,
    id: i64,
    slug: &str,
    name: &str,
) -> Result<(), sqlx::Error> {
    let sql = format!(
        "UPDATE {} SET slug = $2, name = $3 WHERE id = $1",
        kind.labels
    );
    on_conn!(conn, conn => {
    sqlx::query(&sql).bind(id).bind(slug).bind(name).execute(conn).await?;
    Ok(())
    })
}

/// Moves every article of label `from` to label `into` (keeping its place among the
/// article's labels) and deletes `from`.
pub async fn merge(kind: Kind, conn: Conn<'_>, from: i64, into: i64) -> Result<(), sqlx::Error> {
    let Kind { labels, links, key } = kind;
    let relink = format!(
        "INSERT INTO {links} (article_id, {key}, position, published_at, live) \
         SELECT article_id, $2, position, published_at, live FROM {links} WHERE {key} = $1 \
         ON CONFLICT (article_id, {key}) DO NOTHING"
    );
    let delete = format!("DELETE FROM {labels} WHERE id = $1");
    on_conn!(conn, conn => {
    sqlx::query(&relink).bind(from).bind(into).execute(&mut *conn).await?;
    sqlx::query(&delete).bind(from).execute(&mut *conn).await?;
    Ok(())
    })
}

/// The addresses under `old` (a label's page, its pages, its feeds) now live under `new`: one
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
             VALUES ($1, $2, 'label', $3) \
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

/// Labels with published articles and when the newest change among those happened, for the
/// sitemap.
pub async fn sitemap(kind: Kind, pool: &Pool) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let Kind { labels, links, key } = kind;
    let sql = format!(
        "SELECT t.slug, max(a.updated_at) FROM {labels} t \
         JOIN {links} x ON x.{key} = t.id AND x.live \
         JOIN articles a ON a.id = x.article_id \
         GROUP BY t.slug ORDER BY t.slug"
    );
    on!(pool, pool => sqlx::query_as(&sql).fetch_all(pool).await)
}
