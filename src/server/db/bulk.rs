//! Bulk loading (the benchmark's generated archive): indexing row by row through the search
//! triggers is the slowest part of a big load, so the triggers are lifted for the load, the
//! index is built in one pass, and the very same triggers (their SQL as the migrations wrote
//! it) are put back, all in the caller's one transaction.

use sqlx::SqliteConnection;

/// The search-index triggers taken off `articles`, to be put back by `restore`.
pub struct LiftedTriggers(Vec<(String, String)>);

pub async fn lift_search_triggers(
    tx: &mut SqliteConnection,
) -> Result<LiftedTriggers, sqlx::Error> {
    let triggers: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_master \
         WHERE type = 'trigger' AND tbl_name = 'articles' AND sql LIKE '%articles_fts%'",
    )
    .fetch_all(&mut *tx)
    .await?;
    for (name, _) in &triggers {
        sqlx::query(&format!("DROP TRIGGER \"{}\"", name.replace('"', "\"\"")))
            .execute(&mut *tx)
            .await?;
    }
    Ok(LiftedTriggers(triggers))
}

/// Indexes every row of `articles` ('rebuild'; call it when every row is to be searchable),
/// then puts the triggers back.
pub async fn rebuild_search_index(
    tx: &mut SqliteConnection,
    lifted: LiftedTriggers,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")
        .execute(&mut *tx)
        .await?;
    for (_, sql) in &lifted.0 {
        sqlx::query(sql).execute(&mut *tx).await?;
    }
    Ok(())
}

/// After a big load: merge the index's segments and refresh the planner's statistics.
pub async fn optimize(pool: &super::Pool) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO articles_fts (articles_fts) VALUES ('optimize')")
        .execute(pool)
        .await?;
    sqlx::query("ANALYZE").execute(pool).await?;
    Ok(())
}
