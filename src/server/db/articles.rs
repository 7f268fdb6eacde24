//! Articles and sections: the reader's lists and pages, and the writes behind them.

pub(crate) use super::rows::summaries_as_json;
pub use super::rows::{into_models, SummaryRow};
use super::rows::{
    LeadImageRow, LEAD_IMAGE_COLUMNS, SUMMARY_COLUMNS, SUMMARY_FIELDS, SUMMARY_FROM,
};
use super::{Conn, Pool};
use crate::model::Category;
use sqlx::FromRow;

pub const PUBLISHED: &str = "published";

#[derive(Debug, Clone, FromRow)]
pub struct CategoryRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub in_nav: bool,
}

impl CategoryRow {
    pub fn to_model(&self) -> Category {
        Category {
            slug: self.slug.clone(),
            name: self.name.clone(),
            in_nav: self.in_nav,
        }
    }
}

/// A published article with everything its page shows.
#[derive(Debug, Clone, FromRow)]
pub struct ArticleRow {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub excerpt: String,
    pub body_html: String,
    pub reading_minutes: i64,
    pub category_id: i64,
    pub cat_slug: String,
    pub cat_name: String,
    pub cat_in_nav: bool,
    pub author_name: String,
    pub published_at: i64,
    pub updated_at: i64,
    #[sqlx(flatten)]
    pub lead: LeadImageRow,
    /// Whether the article has corrections or updates (read only when it has: most have none).
    pub has_notes: bool,
    /// Its tags, `[[position, slug, name], …]` (`ArticleRow::tags`).
    pub tags_json: String,
    /// Its authors' profiles, the same way (`ArticleRow::authors`).
    pub authors_json: String,
    /// Its live coverage (`model::live::LiveState`), read only when it has some.
    pub live_state: i64,
}

impl ArticleRow {
    /// Its tags in the editor's order.
    pub fn tags(&self) -> Vec<crate::model::Tag> {
        ordered(&self.tags_json)
            .map(|(slug, name)| crate::model::Tag { slug, name })
            .collect()
    }

    /// Its authors in byline order.
    pub fn authors(&self) -> Vec<crate::model::AuthorRef> {
        ordered(&self.authors_json)
            .map(|(slug, name)| crate::model::AuthorRef { slug, name })
            .collect()
    }
}

/// `[[position, slug, name], …]` as (slug, name) in position order.
fn ordered(json: &str) -> impl Iterator<Item = (String, String)> {
    let mut rows: Vec<(i64, String, String)> = serde_json::from_str(json).unwrap_or_default();
    rows.sort_by_key(|t| t.0);
    rows.into_iter().map(|(_, slug, name)| (slug, name))
}

pub async fn categories(pool: &Pool) -> Result<Vec<CategoryRow>, sqlx::Error> {
    on!(pool, pool => {
    sqlx::query_as("SELECT id, slug, name, in_nav FROM categories ORDER BY position")
        .fetch_all(pool)
        .await
    })
}

pub async fn category_by_slug(pool: &Pool, slug: &str) -> Result<Option<CategoryRow>, sqlx::Error> {
    on!(pool, pool => {
    sqlx::query_as("SELECT id, slug, name, in_nav FROM categories WHERE slug = $1")
        .bind(slug)
        .fetch_optional(pool)
        .await
    })
}

/// Published articles, newest first, site-wide or in one section.
///
/// Deep pages cost what page 1 costs: the row where the page starts is found by walking the
/// index alone (no table rows), then exactly `limit` rows are read from there. The page is
/// read as one JSON row (`super::json_rows_sql`): as 12 rows a section's page cost ~14 % more
/// CPU per request.
pub async fn latest(
    pool: &Pool,
    category_id: Option<i64>,
    limit: u32,
    offset: u64,
) -> Result<Vec<SummaryRow>, sqlx::Error> {
    let backend = pool.backend();
    on!(pool, pool => {
    let (filter, inner_filter) = if category_id.is_some() {
        ("a.category_id = $3 AND", "x.category_id = $3 AND")
    } else {
        ("", "")
    };
    let start = if offset > 0 {
        format!(
            "AND (a.published_at, a.id) <= (SELECT x.published_at, x.id FROM articles x \
             WHERE {inner_filter} x.status = 'published' AND x.page_path IS NULL \
             ORDER BY x.published_at DESC, x.id DESC LIMIT 1 OFFSET $2)"
        )
    } else {
        // Keeps $2 bound in both shapes of the statement.
        "AND $2 = 0".to_string()
    };
    let select = format!(
        "SELECT {SUMMARY_COLUMNS} FROM {SUMMARY_FROM} \
         WHERE {filter} a.status = 'published' AND a.page_path IS NULL {start} \
         ORDER BY a.published_at DESC, a.id DESC LIMIT $1"
    );
    let sql = summaries_as_json(backend, &select);
    let mut query = sqlx::query_scalar(&sql).bind(i64::from(limit)).bind(offset as i64);
    if let Some(id) = category_id {
        query = query.bind(id);
    }
    let json: String = query.fetch_one(pool).await?;
    let mut rows: Vec<SummaryRow> = super::from_json_rows(&json)?;
    rows.sort_unstable_by_key(|r| std::cmp::Reverse((r.published_at, r.id)));
    Ok(rows)
    })
}

/// How many published articles each section has (sections without any are absent).
pub async fn count_published_by_section(
    pool: &Pool,
) -> Result<std::collections::HashMap<i64, u64>, sqlx::Error> {
    let sql = pool.backend().words().count_published_by_section;
    let rows: Vec<(i64, i64)> = on!(pool, pool => sqlx::query_as(sql).fetch_all(pool).await)?;
    Ok(rows.into_iter().map(|(id, n)| (id, n as u64)).collect())
}

pub async fn count_published(pool: &Pool, category_id: Option<i64>) -> Result<u64, sqlx::Error> {
    let words = pool.backend().words();
    let n: i64 = match category_id {
        Some(id) => {
            let sql = words.count_published_in;
            on!(pool, pool => sqlx::query_scalar(sql).bind(id).fetch_one(pool).await)?
        }
        None => {
            let sql = words.count_published;
            on!(pool, pool => sqlx::query_scalar(sql).fetch_one(pool).await)?
        }
    };
    Ok(n as u64)
}

/// "EDITOR'S PICK": the hand-picked articles in the editors' order.
pub async fn editors_pick(pool: &Pool, limit: u32) -> Result<Vec<SummaryRow>, sqlx::Error> {
    let picked = pool.backend().words().picked;
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM {SUMMARY_FROM} \
         WHERE {picked} AND a.status = 'published' AND a.page_path IS NULL \
         ORDER BY a.pick_order, a.published_at DESC LIMIT $1"
    );
    on!(pool, pool => sqlx::query_as(&sql).bind(i64::from(limit)).fetch_all(pool).await)
}

/// The newest `per_section` articles of every section, in navigation order, in one query.
pub async fn sections(pool: &Pool, per_section: u32) -> Result<Vec<SummaryRow>, sqlx::Error> {
    let newest = pool.backend().words().newest_of_each_section;
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM {newest} \
         ORDER BY c.position, a.published_at DESC, a.id DESC"
    );
    on!(pool, pool => sqlx::query_as(&sql).bind(i64::from(per_section)).fetch_all(pool).await)
}

async fn published_by_slug(conn: Conn<'_>, slug: &str) -> Result<Option<ArticleRow>, sqlx::Error> {
    fn build(backend: super::Backend) -> String {
        // Its tags as one JSON text ([[position, slug, name], …]).
        let label = super::json_array(backend, "x.position, t.slug, t.name");
        let tags = super::json_rows_sql(
            backend,
            &label,
            "article_tags x JOIN tags t ON t.id = x.tag_id WHERE x.article_id = a.id",
        );
        let authors = super::json_rows_sql(
            backend,
            &label,
            "article_authors x JOIN authors t ON t.id = x.author_id WHERE x.article_id = a.id",
        );
        format!(
            "SELECT a.id, a.slug, a.title, a.excerpt, a.body_html, a.reading_minutes, \
                    a.category_id, c.slug AS cat_slug, c.name AS cat_name, \
                    c.in_nav AS cat_in_nav, a.author_name, a.published_at, a.updated_at, \
                    {LEAD_IMAGE_COLUMNS}, \
                    EXISTS (SELECT 1 FROM article_notes n WHERE n.article_id = a.id) AS has_notes, \
                    ({tags}) AS tags_json, ({authors}) AS authors_json, a.live_state \
             FROM {SUMMARY_FROM} WHERE a.slug = $1 AND a.status = 'published' AND a.page_path IS NULL"
        )
    }
    static SQLITE: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| build(super::Backend::Sqlite));
    static POSTGRES: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| build(super::Backend::Postgres));
    let sql = match conn.backend() {
        super::Backend::Sqlite => SQLITE.as_str(),
        super::Backend::Postgres => POSTGRES.as_str(),
    };
    on_conn!(conn, conn => {
    sqlx::query_as(sql)
    .bind(slug)
    .fetch_optional(conn)
    .await
    })
}

/// What an article page reads: the article, what it links to and its notes.
pub struct ArticleRead {
    pub row: ArticleRow,
    pub around: Around,
    /// Corrections and updates, oldest first: (when, text).
    pub notes: Vec<(i64, String)>,
}

/// Everything an article page reads, on one connection of the pool. Each statement through the
/// pool itself takes a connection and gives it back, and sqlx checks a connection on its way
/// back (on SQLite a round trip to the connection's worker thread): one connection for the
/// reads is one check instead of three. The notes are read only when the article says it has
/// some: every statement is a round trip to that thread (two thread wake-ups), and most
/// articles have none.
pub async fn article_page(
    pool: &Pool,
    slug: &str,
    related: usize,
) -> Result<Option<ArticleRead>, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let Some(row) = published_by_slug(conn.conn(), slug).await? else {
        return Ok(None);
    };
    let around = around(conn.conn(), &row, related).await?;
    let notes = if row.has_notes {
        notes(conn.conn(), row.id).await?
    } else {
        Vec::new()
    };
    Ok(Some(ArticleRead { row, around, notes }))
}

/// An article's corrections and updates, oldest first: (when, text).
pub async fn notes(conn: Conn<'_>, article_id: i64) -> Result<Vec<(i64, String)>, sqlx::Error> {
    on_conn!(conn, conn => {
    sqlx::query_as(
        "SELECT noted_at, body FROM article_notes WHERE article_id = $1 ORDER BY noted_at, id",
    )
    .bind(article_id)
    .fetch_all(conn)
    .await
    })
}

/// The section of a published article, by its slug (for marking the navigation).
pub async fn section_of_published(pool: &Pool, slug: &str) -> Result<Option<String>, sqlx::Error> {
    on!(pool, pool => {
    sqlx::query_scalar(
        "SELECT c.slug FROM articles a JOIN categories c ON c.id = a.category_id \
         WHERE a.slug = $1 AND a.status = 'published' AND a.page_path IS NULL",
    )
    .bind(slug)
    .fetch_optional(pool)
    .await
    })
}

/// What an article page links to besides itself.
#[derive(Debug, Default)]
pub struct Around {
    /// The "READ ALSO" links chosen for the article, in their order (published targets only).
    pub read_also: Vec<SummaryRow>,
    /// "Related Posts": the articles of the same section published closest in time, newest
    /// first.
    pub related: Vec<SummaryRow>,
    /// "Next Post" (newer) and the previous (older) published articles, site-wide.
    pub next: Option<SummaryRow>,
    pub previous: Option<SummaryRow>,
}

/// The article page's links in one query (one round trip to the database instead of five),
/// read as one JSON row (`super::json_rows_sql`; as 14 rows they cost three times as much):
/// READ ALSO, the `related` articles of the section closest in time (two index range scans,
/// before and after, never a scan of the whole section; the closest of both sides chosen
/// here), next and previous.
async fn around(
    conn: Conn<'_>,
    article: &ArticleRow,
    related: usize,
) -> Result<Around, sqlx::Error> {
    let sql = around_sql(conn.backend());
    let json: String = on_conn!(conn, conn => {
        sqlx::query_scalar(sql)
            .bind(article.id)
            .bind(article.category_id)
            .bind(article.published_at)
            .bind(related as i64)
            .fetch_one(conn)
            .await
    })?;
    let rows: Vec<(i64, i64, SummaryRow)> = super::from_json_rows(&json)?;
    let mut around = Around::default();
    let mut read_also = Vec::new();
    for (part, ord, summary) in rows {
        match part {
            READ_ALSO => read_also.push((ord, summary)),
            OLDER | NEWER => around.related.push(summary),
            NEXT => around.next = Some(summary),
            _ => around.previous = Some(summary),
        }
    }
    read_also.sort_by_key(|(ord, _)| *ord);
    around.read_also = read_also.into_iter().map(|(_, s)| s).collect();
    let rel = &mut around.related;
    rel.sort_by_key(|r| ((r.published_at - article.published_at).abs(), -r.id));
    rel.truncate(related);
    rel.sort_by_key(|r| (std::cmp::Reverse(r.published_at), std::cmp::Reverse(r.id)));
    Ok(around)
}

const READ_ALSO: i64 = 0;
const OLDER: i64 = 1;
const NEWER: i64 = 2;
const NEXT: i64 = 3;
const PREVIOUS: i64 = 4;

/// `around`'s statement for a backend (built once). Its parameters: the article's id, its
/// section, its publication time, how many related posts.
fn around_sql(backend: super::Backend) -> &'static str {
    static SQLITE: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| build_around_sql(super::Backend::Sqlite));
    static POSTGRES: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| build_around_sql(super::Backend::Postgres));
    match backend {
        super::Backend::Sqlite => &SQLITE,
        super::Backend::Postgres => &POSTGRES,
    }
}

fn build_around_sql(backend: super::Backend) -> String {
    // Either side of the article in its section, the `related` closest.
    let in_section = |part: i64, cmp: &str, dir: &str| {
        format!(
            "SELECT * FROM (SELECT CAST({part} AS BIGINT) AS part, CAST(0 AS BIGINT) AS ord, \
             {SUMMARY_COLUMNS} FROM {SUMMARY_FROM} WHERE a.status = 'published' AND a.page_path IS NULL \
             AND a.category_id = $2 AND (a.published_at, a.id) {cmp} ($3, $1) \
             ORDER BY a.published_at {dir}, a.id {dir} LIMIT $4) AS p{part}"
        )
    };
    // Site-wide, the id is found in the date index alone, then joined: joined first, the
    // planner walks every section's index and sorts what is newer than an old article.
    let neighbour = |part: i64, cmp: &str, dir: &str| {
        format!(
            "SELECT * FROM (SELECT CAST({part} AS BIGINT) AS part, CAST(0 AS BIGINT) AS ord, \
             {SUMMARY_COLUMNS} FROM (SELECT id FROM articles WHERE status = 'published' AND page_path IS NULL \
             AND (published_at, id) {cmp} ($3, $1) ORDER BY published_at {dir}, id {dir} LIMIT 1) n \
             JOIN articles a ON a.id = n.id JOIN categories c ON c.id = a.category_id) AS p{part}"
        )
    };
    let links = [
        format!(
            "SELECT * FROM (SELECT CAST({READ_ALSO} AS BIGINT) AS part, \
             CAST(r.position AS BIGINT) AS ord, {SUMMARY_COLUMNS} FROM article_read_also r \
             JOIN articles a ON a.id = r.target_id JOIN categories c ON c.id = a.category_id \
             WHERE r.article_id = $1 AND a.status = 'published' AND a.page_path IS NULL) AS p{READ_ALSO}"
        ),
        in_section(OLDER, "<", "DESC"),
        in_section(NEWER, ">", "ASC"),
        neighbour(NEXT, ">", "ASC"),
        neighbour(PREVIOUS, "<", "DESC"),
    ]
    .join(" UNION ALL ");
    let summary = super::json_array(backend, &SUMMARY_FIELDS);
    let row = super::json_array(backend, &format!("part, ord, {summary}"));
    super::json_rows_sql(backend, &row, &format!("({links}) AS links"))
}

/// What a writer hands over: the body already rendered and sanitised by `server::markdown`.
#[derive(Debug, Clone, Default)]
pub struct ArticleInput {
    pub slug: String,
    pub title: String,
    pub excerpt: String,
    pub body_md: String,
    pub body_html: String,
    pub body_text: String,
    pub reading_minutes: u32,
    pub category_id: i64,
    pub author_name: String,
    pub status: String,
    pub published_at: Option<i64>,
    pub image_id: Option<i64>,
    pub image_url: Option<String>,
    pub image_srcset: String,
    pub image_alt: String,
    pub image_caption: String,
    pub image_credit: String,
    pub image_width: Option<u32>,
    pub image_height: Option<u32>,
    pub editors_pick: bool,
    pub pick_order: i64,
    /// Its tags as (address, name), in order (`newsroom::slug::tag_pairs`).
    pub tags: Vec<(String, String)>,
    /// Its authors' profiles as (address, name), in byline order.
    pub authors: Vec<(String, String)>,
    /// A page's address below the root (its parents' slugs and its own); `None`: an article.
    pub page_path: Option<String>,
    /// A page's parent page.
    pub parent_id: Option<i64>,
}

/// When a new article row was written, and under which id.
#[derive(Debug, Clone, Copy)]
pub struct NewRow {
    /// An id reserved before (the WordPress import's, `imports::reserve_unindexed_id`), or
    /// `None`: the next one.
    pub id: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    /// The newsroom account the article belongs to (none: imported, demo content).
    pub author_id: Option<i64>,
}

impl NewRow {
    /// Written now, under the next id.
    pub fn at(now: i64) -> Self {
        NewRow {
            id: None,
            created_at: now,
            updated_at: now,
            author_id: None,
        }
    }
}

macro_rules! insert_article_sql {
    ($id_column:literal, $id_value:literal) => {
        concat!(
            "INSERT INTO articles (",
            $id_column,
            "slug, title, excerpt, body_md, body_html, body_text, reading_minutes, category_id, \
             author_name, status, published_at, created_at, updated_at, image_id, image_url, \
             image_srcset, image_alt, image_caption, image_credit, image_width, image_height, \
             editors_pick, pick_order, author_id, page_path, parent_id) VALUES (",
            $id_value,
            "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
             $19, $20, $21, $22, $23, $24, $25, $26) RETURNING id"
        )
    };
}

/// The one way an article row is written: the editor's new drafts, the WordPress import and
/// the demo tool all come here (the newsroom's `write_new` adds the first revision).
pub async fn insert_article(
    db: Conn<'_>,
    a: &ArticleInput,
    row: NewRow,
) -> Result<i64, sqlx::Error> {
    let sql = match row.id {
        Some(_) => insert_article_sql!("id, ", "$27, "),
        None => insert_article_sql!("", ""),
    };
    on_conn!(db, db => {
    let mut q = sqlx::query_scalar(sql)
        .bind(&a.slug)
        .bind(&a.title)
        .bind(&a.excerpt)
        .bind(&a.body_md)
        .bind(&a.body_html)
        .bind(&a.body_text)
        .bind(i64::from(a.reading_minutes))
        .bind(a.category_id)
        .bind(&a.author_name)
        .bind(&a.status)
        .bind(a.published_at)
        .bind(row.created_at)
        .bind(row.updated_at)
        .bind(a.image_id)
        .bind(&a.image_url)
        .bind(&a.image_srcset)
        .bind(&a.image_alt)
        .bind(&a.image_caption)
        .bind(&a.image_credit)
        .bind(a.image_width.map(i64::from))
        .bind(a.image_height.map(i64::from))
        .bind(a.editors_pick)
        .bind(a.pick_order)
        .bind(row.author_id)
        .bind(&a.page_path)
        .bind(a.parent_id);
    if let Some(id) = row.id {
        q = q.bind(id);
    }
    let id: i64 = q.fetch_one(&mut *db).await?;
    use super::labels::{set_for_article, AUTHORS, TAGS};
    for (kind, pairs) in [(TAGS, &a.tags), (AUTHORS, &a.authors)] {
        if !pairs.is_empty() {
            set_for_article(kind, super::Conn::from(&mut *db), id, pairs, row.created_at).await?;
        }
    }
    Ok(id)
    })
}

pub async fn delete_article(db: Conn<'_>, id: i64) -> Result<bool, sqlx::Error> {
    on_conn!(db, db => {
    let done = sqlx::query("DELETE FROM articles WHERE id = $1")
        .bind(id)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
    })
}

/// Sets the two "READ ALSO" links of an article (replacing any earlier choice).
pub async fn set_read_also(
    tx: Conn<'_>,
    article_id: i64,
    targets: &[i64],
) -> Result<(), sqlx::Error> {
    on_conn!(tx, tx => {
    sqlx::query("DELETE FROM article_read_also WHERE article_id = $1")
        .bind(article_id)
        .execute(&mut *tx)
        .await?;
    for (i, target) in targets.iter().take(2).enumerate() {
        sqlx::query(
            "INSERT INTO article_read_also (article_id, position, target_id) VALUES ($1, $2, $3)",
        )
        .bind(article_id)
        .bind(i as i64 + 1)
        .bind(target)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
    })
}

pub async fn count_all(pool: &Pool) -> Result<i64, sqlx::Error> {
    on!(pool, pool => {
    sqlx::query_scalar("SELECT count(*) FROM articles")
        .fetch_one(pool)
        .await
    })
}

/// Writes the editable columns if nobody saved since `base_version` (status and dates are
/// left alone); returns the new version, or `None` when the base is stale (the caller shows
/// the conflict).
pub async fn update_article(
    conn: Conn<'_>,
    id: i64,
    base_version: i64,
    s: &ArticleInput,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    on_conn!(conn, conn => {
    let version: Option<i64> = sqlx::query_scalar(
        "UPDATE articles SET slug = $3, title = $4, excerpt = $5, body_md = $6, body_html = $7, \
             body_text = $8, reading_minutes = $9, category_id = $10, author_name = $11, \
             image_id = $12, image_url = $13, image_srcset = $14, image_width = $15, \
             image_height = $16, image_alt = $17, image_caption = $18, image_credit = $19, \
             editors_pick = $20, pick_order = $21, updated_at = $22, page_path = $23, \
             parent_id = $24, version = version + 1 \
         WHERE id = $1 AND version = $2 RETURNING version",
    )
    .bind(id)
    .bind(base_version)
    .bind(&s.slug)
    .bind(&s.title)
    .bind(&s.excerpt)
    .bind(&s.body_md)
    .bind(&s.body_html)
    .bind(&s.body_text)
    .bind(i64::from(s.reading_minutes))
    .bind(s.category_id)
    .bind(&s.author_name)
    .bind(s.image_id)
    .bind(&s.image_url)
    .bind(&s.image_srcset)
    .bind(s.image_width.map(i64::from))
    .bind(s.image_height.map(i64::from))
    .bind(&s.image_alt)
    .bind(&s.image_caption)
    .bind(&s.image_credit)
    .bind(s.editors_pick)
    .bind(s.pick_order)
    .bind(now)
    .bind(&s.page_path)
    .bind(s.parent_id)
    .fetch_optional(&mut *conn)
    .await?;
    if version.is_some() {
        use super::labels::{set_for_article, AUTHORS, TAGS};
        set_for_article(TAGS, super::Conn::from(&mut *conn), id, &s.tags, now).await?;
        set_for_article(AUTHORS, super::Conn::from(&mut *conn), id, &s.authors, now).await?;
    }
    Ok(version)
    })
}
