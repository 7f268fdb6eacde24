//! Pages (About us, Imprint, Privacy, Our team…): rows of `articles` with a `page_path`, their
//! address below the root made of their parents' slugs and their own. Readers' lists never
//! see them (`status = 'published' AND page_path IS NULL` everywhere else); they are found
//! here by their address.

use super::{Conn, Pool};
use sqlx::FromRow;

/// A published page as its reader's page shows it.
#[derive(Debug, Clone, FromRow)]
pub struct PageRow {
    pub id: i64,
    pub page_path: String,
    pub title: String,
    pub excerpt: String,
    pub body_html: String,
    pub published_at: i64,
    pub updated_at: i64,
}

/// The published page at `path` ("about-us/our-team", no slashes around it).
pub async fn published(pool: &Pool, path: &str) -> Result<Option<PageRow>, sqlx::Error> {
    on!(pool, pool => {
    sqlx::query_as(
        "SELECT id, page_path, title, excerpt, body_html, published_at, updated_at \
         FROM articles WHERE page_path = $1 AND status = 'published'",
    )
    .bind(path)
    .fetch_optional(pool)
    .await
    })
}

/// Of `paths`, the published pages' (path, title), for a breadcrumb.
pub async fn titles(pool: &Pool, paths: &[String]) -> Result<Vec<(String, String)>, sqlx::Error> {
    if paths.is_empty() {
        return Ok(Vec::new());
    }
    let marks: Vec<String> = (1..=paths.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT page_path, title FROM articles \
         WHERE page_path IN ({}) AND status = 'published'",
        marks.join(", ")
    );
    on!(pool, pool => {
    let mut q = sqlx::query_as(&sql);
    for p in paths {
        q = q.bind(p);
    }
    q.fetch_all(pool).await
    })
}

/// The published pages right under page `id`: (path, title), by title.
pub async fn children(pool: &Pool, id: i64) -> Result<Vec<(String, String)>, sqlx::Error> {
    on!(pool, pool => {
    sqlx::query_as(
        "SELECT page_path, title FROM articles \
         WHERE parent_id = $1 AND page_path IS NOT NULL AND status = 'published' \
         ORDER BY title, id",
    )
    .bind(id)
    .fetch_all(pool)
    .await
    })
}

/// A page as the newsroom lists it.
#[derive(Debug, Clone, FromRow)]
pub struct ListedPage {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub status: String,
    pub page_path: String,
    pub updated_at: i64,
}

/// Every page but those in the trash (unless `trash`), in the order of their addresses (a
/// parent before the pages under it).
pub async fn list(pool: &Pool, trash: bool) -> Result<Vec<ListedPage>, sqlx::Error> {
    on!(pool, pool => {
    sqlx::query_as(
        "SELECT id, slug, title, status, page_path, updated_at FROM articles \
         WHERE page_path IS NOT NULL AND (status = 'trash') = $1 ORDER BY page_path",
    )
    .bind(trash)
    .fetch_all(pool)
    .await
    })
}

/// The page with this slug: (id, path).
pub async fn by_slug(conn: Conn<'_>, slug: &str) -> Result<Option<(i64, String)>, sqlx::Error> {
    on_conn!(conn, conn => {
    sqlx::query_as("SELECT id, page_path FROM articles WHERE slug = $1 AND page_path IS NOT NULL")
        .bind(slug)
        .fetch_optional(conn)
        .await
    })
}

/// The page with this id: (slug, path).
pub async fn by_id(conn: Conn<'_>, id: i64) -> Result<Option<(String, String)>, sqlx::Error> {
    on_conn!(conn, conn => {
    sqlx::query_as("SELECT slug, page_path FROM articles WHERE id = $1 AND page_path IS NOT NULL")
        .bind(id)
        .fetch_optional(conn)
        .await
    })
}

/// Every page's address made again from its parents' slugs and its own (after a page moved
/// or changed its slug, the pages under it move with it). A parent missing or in a circle
/// counts as none. Returns the addresses that changed: (old, new).
pub async fn rebuild_paths(conn: Conn<'_>) -> Result<Vec<(String, String)>, sqlx::Error> {
    on_conn!(conn, conn => {
    let rows: Vec<(i64, String, Option<i64>, String)> = sqlx::query_as(
        "SELECT id, slug, parent_id, page_path FROM articles WHERE page_path IS NOT NULL",
    )
    .fetch_all(&mut *conn)
    .await?;
    let changed = paths_of(&rows);
    for (id, _, new) in &changed {
        sqlx::query("UPDATE articles SET page_path = $2 WHERE id = $1")
            .bind(id)
            .bind(new)
            .execute(&mut *conn)
            .await?;
    }
    Ok(changed.into_iter().map(|(_, old, new)| (old, new)).collect())
    })
}

/// The addresses `rows` (id, slug, parent, stored path) should have, where they differ from
/// the stored ones: (id, old, new).
fn paths_of(rows: &[(i64, String, Option<i64>, String)]) -> Vec<(i64, String, String)> {
    use std::collections::HashMap;
    let by_id: HashMap<i64, (&str, Option<i64>)> = rows
        .iter()
        .map(|(id, slug, parent, _)| (*id, (slug.as_str(), *parent)))
        .collect();
    let mut changed = Vec::new();
    for (id, slug, parent, stored) in rows {
        let mut parts = vec![slug.as_str()];
        let mut seen = vec![*id];
        let mut next = *parent;
        while let Some(p) = next {
            let Some((parent_slug, grand)) = by_id.get(&p) else {
                break;
            };
            if seen.contains(&p) {
                // A circle: the page stands at the top.
                parts.truncate(1);
                break;
            }
            seen.push(p);
            parts.push(parent_slug);
            next = *grand;
        }
        parts.reverse();
        let path = parts.join("/");
        if &path != stored {
            changed.push((*id, stored.clone(), path));
        }
    }
    changed
}

/// Published pages for the sitemap: (path, last change), in address order.
pub async fn sitemap(pool: &Pool) -> Result<Vec<(String, i64)>, sqlx::Error> {
    on!(pool, pool => {
    sqlx::query_as(
        "SELECT page_path, updated_at FROM articles \
         WHERE page_path IS NOT NULL AND status = 'published' ORDER BY page_path",
    )
    .fetch_all(pool)
    .await
    })
}

#[cfg(test)]
mod tests {
    use super::paths_of;

    #[test]
    fn addresses_follow_the_parents_and_survive_circles() {
        let rows = vec![
            (1, "about-us".to_string(), None, "about-us".to_string()),
            (2, "our-team".to_string(), Some(1), "our-team".to_string()),
            (3, "editors".to_string(), Some(2), "x".to_string()),
            (4, "gone".to_string(), Some(99), "gone".to_string()),
            (5, "a".to_string(), Some(6), "a".to_string()),
            (6, "b".to_string(), Some(5), "b".to_string()),
        ];
        let changed = paths_of(&rows);
        assert_eq!(
            changed,
            vec![
                (2, "our-team".into(), "about-us/our-team".into()),
                (3, "x".into(), "about-us/our-team/editors".into()),
            ]
        );
    }
}
