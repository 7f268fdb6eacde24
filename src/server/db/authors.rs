//! Authors' profiles beyond what every label has (`labels`, with `labels::AUTHORS`): the
//! role, the bio, the photo, links and the linked account; and profiles for the articles
//! written before there were any.

use super::labels::{self, AUTHORS};
use super::{Conn, Pool};
use sqlx::FromRow;

#[derive(Debug, Clone, FromRow)]
pub struct ProfileRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub role_title: String,
    pub bio: String,
    pub photo_id: Option<i64>,
    /// The photo's media reference as JSON, '' for none.
    pub photo: String,
    pub links: String,
    pub user_id: Option<i64>,
}

const COLUMNS: &str = "id, slug, name, role_title, bio, photo_id, photo, links, user_id";

pub async fn by_slug(pool: &Pool, slug: &str) -> Result<Option<ProfileRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM authors WHERE slug = $1");
    on!(pool, pool => sqlx::query_as(&sql).bind(slug).fetch_optional(pool).await)
}

pub async fn by_id(conn: Conn<'_>, id: i64) -> Result<Option<ProfileRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM authors WHERE id = $1");
    on_conn!(conn, conn => sqlx::query_as(&sql).bind(id).fetch_optional(conn).await)
}

/// The profile linked to an account.
pub async fn of_user(pool: &Pool, user_id: i64) -> Result<Option<ProfileRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM authors WHERE user_id = $1");
    on!(pool, pool => sqlx::query_as(&sql).bind(user_id).fetch_optional(pool).await)
}

/// What a profile is changed to.
pub struct ProfileUpdate<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub role_title: &'a str,
    pub bio: &'a str,
    pub photo_id: Option<i64>,
    pub photo: &'a str,
    pub links: &'a str,
    pub user_id: Option<i64>,
}

pub async fn update(
    conn: Conn<'_>,
    id: i64,
    p: &ProfileUpdate<'_>,
    now: i64,
) -> Result<(), sqlx::Error> {
    on_conn!(conn, conn => {
    sqlx::query(
        "UPDATE authors SET slug = $2, name = $3, role_title = $4, bio = $5, photo_id = $6, \
         photo = $7, links = $8, user_id = $9, updated_at = $10 WHERE id = $1",
    )
    .bind(id)
    .bind(p.slug)
    .bind(p.name)
    .bind(p.role_title)
    .bind(p.bio)
    .bind(p.photo_id)
    .bind(p.photo)
    .bind(p.links)
    .bind(p.user_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
    })
}

/// A new profile (for someone who has not written yet); its id. `None` when the address is
/// taken.
pub async fn create(
    conn: Conn<'_>,
    slug: &str,
    name: &str,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    on_conn!(conn, conn => {
    sqlx::query_scalar(
        "INSERT INTO authors (slug, name, created_at, updated_at) VALUES ($1, $2, $3, $3) \
         ON CONFLICT (slug) DO NOTHING RETURNING id",
    )
    .bind(slug)
    .bind(name)
    .bind(now)
    .fetch_optional(conn)
    .await
    })
}

/// The accounts a profile may be linked to: (id, name), by name.
pub async fn accounts(pool: &Pool) -> Result<Vec<(i64, String)>, sqlx::Error> {
    on!(pool, pool => {
    sqlx::query_as("SELECT id, display_name FROM users ORDER BY lower(display_name), id")
        .fetch_all(pool)
        .await
    })
}

/// Gives every article without profiles one from its byline text (`slug_of` makes the
/// address from a name): the articles written before there were profiles. Once: later calls
/// find it done (`site_state`) and return at once. Returns how many articles it gave one.
pub async fn backfill(
    conn: Conn<'_>,
    slug_of: impl Fn(&str) -> String,
    now: i64,
) -> Result<u64, sqlx::Error> {
    on_conn!(conn, c => {
    let given: i64 = sqlx::query_scalar(
        "SELECT COALESCE((SELECT value FROM site_state WHERE key = 'author_profiles_given'), 0)",
    )
    .fetch_one(&mut *c)
    .await?;
    if given != 0 {
        return Ok(0);
    }
    sqlx::query(
        "INSERT INTO site_state (key, value) VALUES ('author_profiles_given', 1) \
         ON CONFLICT (key) DO UPDATE SET value = 1",
    )
    .execute(&mut *c)
    .await?;
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT author_name FROM articles a WHERE author_name <> '' \
         AND NOT EXISTS (SELECT 1 FROM article_authors x WHERE x.article_id = a.id)",
    )
    .fetch_all(&mut *c)
    .await?;
    let mut done = 0;
    for name in names {
        let first: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM articles a WHERE author_name = $1 \
             AND NOT EXISTS (SELECT 1 FROM article_authors x WHERE x.article_id = a.id) \
             ORDER BY id LIMIT 1",
        )
        .bind(&name)
        .fetch_optional(&mut *c)
        .await?;
        let Some(first) = first else { continue };
        // The first article gets its profile the one way labels are given (made if needed);
        // the others with the same byline join it in one statement.
        let pair = [(slug_of(&name), name.clone())];
        labels::set_for_article(AUTHORS, Conn::from(&mut *c), first, &pair, now).await?;
        let linked = sqlx::query(
            "INSERT INTO article_authors (article_id, author_id, position, published_at, live) \
             SELECT a.id, x.author_id, 1, a.published_at, a.status = 'published' \
             FROM articles a JOIN article_authors x ON x.article_id = $2 \
             WHERE a.author_name = $1 AND a.id <> $2 \
             AND NOT EXISTS (SELECT 1 FROM article_authors y WHERE y.article_id = a.id)",
        )
        .bind(&name)
        .bind(first)
        .execute(&mut *c)
        .await?;
        done += linked.rows_affected() + 1;
    }
    Ok(done)
    })
}

/// Writes the byline text of every article of profile `author_id` again from its profiles'
/// names (`byline` joins them), after a profile's name changed.
pub async fn rewrite_bylines(
    conn: Conn<'_>,
    author_id: i64,
    byline: impl Fn(&[String]) -> String,
) -> Result<(), sqlx::Error> {
    on_conn!(conn, c => {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT x.article_id, t.name FROM article_authors x JOIN authors t ON t.id = x.author_id \
         WHERE x.article_id IN (SELECT article_id FROM article_authors WHERE author_id = $1) \
         ORDER BY x.article_id, x.position",
    )
    .bind(author_id)
    .fetch_all(&mut *c)
    .await?;
    let mut at = 0;
    while at < rows.len() {
        let article = rows[at].0;
        let names: Vec<String> = rows[at..]
            .iter()
            .take_while(|(id, _)| *id == article)
            .map(|(_, name)| name.clone())
            .collect();
        at += names.len();
        sqlx::query("UPDATE articles SET author_name = $2 WHERE id = $1")
            .bind(article)
            .bind(byline(&names))
            .execute(&mut *c)
            .await?;
    }
    Ok(())
    })
}

/// Gives the profile named `name` a role and a bio (the demo tool's writers).
pub async fn describe(
    conn: Conn<'_>,
    name: &str,
    role: &str,
    bio: &str,
) -> Result<(), sqlx::Error> {
    on_conn!(conn, conn => {
    sqlx::query("UPDATE authors SET role_title = $2, bio = $3 WHERE name = $1")
        .bind(name)
        .bind(role)
        .bind(bio)
        .execute(conn)
        .await?;
    Ok(())
    })
}
