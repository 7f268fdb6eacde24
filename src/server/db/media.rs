//! The media library: every image the newsroom has (uploaded or imported), found by its texts,
//! file name, uploader or month; its alt text, caption and credit; which articles use it.

use super::{like_escaped, Conn, Pool};
use sqlx::FromRow;

#[derive(Debug, Clone, FromRow)]
pub struct LibraryRow {
    pub id: i64,
    pub variants: String,
    pub name: String,
    pub alt: String,
    pub caption: String,
    pub credit: String,
    pub uploaded_by: Option<i64>,
    /// The uploader's name ('' for an import).
    pub uploader: String,
    pub created_at: i64,
}

const COLUMNS: &str = "m.id, m.variants, m.name, m.alt, m.caption, m.credit, m.uploaded_by, \
    COALESCE(u.display_name, '') AS uploader, m.created_at";
const FROM: &str = "media m LEFT JOIN users u ON u.id = m.uploaded_by";

/// A page of the library, newest first: those whose texts, file name or uploader contain
/// `q` (all when empty), uploaded in `[from, until)`; and how many there are.
pub async fn page(
    pool: &Pool,
    q: &str,
    (from, until): (i64, i64),
    limit: u32,
    offset: u64,
) -> Result<(Vec<LibraryRow>, u64), sqlx::Error> {
    let pattern = format!("%{}%", like_escaped(&q.trim().to_lowercase()));
    let filter = "(lower(m.alt) LIKE $1 ESCAPE '\\' OR lower(m.caption) LIKE $1 ESCAPE '\\' \
        OR lower(m.credit) LIKE $1 ESCAPE '\\' OR lower(m.name) LIKE $1 ESCAPE '\\' \
        OR lower(COALESCE(u.display_name, '')) LIKE $1 ESCAPE '\\') \
        AND m.created_at >= $2 AND m.created_at < $3";
    let rows_sql = format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE {filter} \
         ORDER BY m.created_at DESC, m.id DESC LIMIT $4 OFFSET $5"
    );
    let count_sql = format!("SELECT count(*) FROM {FROM} WHERE {filter}");
    on!(pool, pool => {
    let rows = sqlx::query_as(&rows_sql)
        .bind(&pattern)
        .bind(from)
        .bind(until)
        .bind(i64::from(limit))
        .bind(offset as i64)
        .fetch_all(pool)
        .await?;
    let total: i64 = sqlx::query_scalar(&count_sql)
        .bind(&pattern)
        .bind(from)
        .bind(until)
        .fetch_one(pool)
        .await?;
    Ok((rows, total as u64))
    })
}

pub async fn by_id(conn: Conn<'_>, id: i64) -> Result<Option<LibraryRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE m.id = $1");
    on_conn!(conn, conn => sqlx::query_as(&sql).bind(id).fetch_optional(conn).await)
}

pub async fn set_texts(
    conn: Conn<'_>,
    id: i64,
    alt: &str,
    caption: &str,
    credit: &str,
) -> Result<(), sqlx::Error> {
    on_conn!(conn, conn => {
    sqlx::query("UPDATE media SET alt = $2, caption = $3, credit = $4 WHERE id = $1")
        .bind(id)
        .bind(alt)
        .bind(caption)
        .bind(credit)
        .execute(conn)
        .await?;
    Ok(())
    })
}

/// The articles using the image: as their lead image, or in their text (any of `urls`, its
/// files' addresses): (id, title, status), newest first. The text is searched, not indexed:
/// asked for one image at a time (its page, before deleting it).
pub async fn uses(
    conn: Conn<'_>,
    id: i64,
    urls: &[String],
) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    let mut sql = String::from("SELECT id, title, status FROM articles WHERE image_id = $1");
    for i in 0..urls.len() {
        sql.push_str(&format!(" OR body_md LIKE ${} ESCAPE '\\'", i + 2));
    }
    sql.push_str(" ORDER BY updated_at DESC, id DESC LIMIT 100");
    on_conn!(conn, conn => {
    let mut q = sqlx::query_as(&sql).bind(id);
    for url in urls {
        q = q.bind(format!("%{}%", like_escaped(url)));
    }
    q.fetch_all(conn).await
    })
}

/// Deletes the image's row (its files are the store's to delete).
pub async fn delete(conn: Conn<'_>, id: i64) -> Result<bool, sqlx::Error> {
    on_conn!(conn, conn => {
    let done = sqlx::query("DELETE FROM media WHERE id = $1").bind(id).execute(conn).await?;
    Ok(done.rows_affected() > 0)
    })
}

/// Gives an image the texts an article gave it as its lead image, where the library has none
/// yet (the library's own are never overwritten).
pub async fn fill_texts(
    conn: Conn<'_>,
    id: i64,
    alt: &str,
    caption: &str,
    credit: &str,
) -> Result<(), sqlx::Error> {
    on_conn!(conn, conn => {
    sqlx::query(
        "UPDATE media SET alt = CASE WHEN alt = '' THEN $2 ELSE alt END, \
         caption = CASE WHEN caption = '' THEN $3 ELSE caption END, \
         credit = CASE WHEN credit = '' THEN $4 ELSE credit END \
         WHERE id = $1 AND (alt = '' OR caption = '' OR credit = '')",
    )
    .bind(id)
    .bind(alt)
    .bind(caption)
    .bind(credit)
    .execute(conn)
    .await?;
    Ok(())
    })
}
