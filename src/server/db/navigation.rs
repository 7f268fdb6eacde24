//! What the masthead and the footer link to: the sections' order and which are in the
//! masthead (the `categories` table), and the footer's other links.

use super::{Conn, Pool};

/// The footer's links besides the sections, in order: (label, address).
pub async fn footer_links(pool: &Pool) -> Result<Vec<(String, String)>, sqlx::Error> {
    on!(pool, pool => {
    sqlx::query_as("SELECT label, href FROM footer_links ORDER BY position")
        .fetch_all(pool)
        .await
    })
}

/// Points the footer's links at `(old, new)` addresses at the new ones (a page moved).
pub async fn relink(conn: Conn<'_>, moved: &[(String, String)]) -> Result<(), sqlx::Error> {
    on_conn!(conn, conn => {
    for (old, new) in moved {
        sqlx::query("UPDATE footer_links SET href = $2 WHERE href = $1")
            .bind(old)
            .bind(new)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
    })
}

/// Sets the sections' order and which are in the masthead (`sections`: (id, in the masthead),
/// in order), and the footer's links, in the caller's transaction.
pub async fn save(
    conn: Conn<'_>,
    sections: &[(i64, bool)],
    footer: &[(String, String)],
) -> Result<(), sqlx::Error> {
    on_conn!(conn, conn => {
    for (position, (id, in_nav)) in sections.iter().enumerate() {
        sqlx::query(
            "UPDATE categories SET position = $2, in_nav = $3 \
             WHERE id = $1 AND (position <> $2 OR in_nav <> $3)",
        )
        .bind(id)
        .bind(position as i64 + 1)
        .bind(in_nav)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query("DELETE FROM footer_links").execute(&mut *conn).await?;
    for (position, (label, href)) in footer.iter().enumerate() {
        sqlx::query("INSERT INTO footer_links (position, label, href) VALUES ($1, $2, $3)")
            .bind(position as i64 + 1)
            .bind(label)
            .bind(href)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
    })
}
