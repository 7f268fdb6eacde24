//! SQLite: FTS5 for search (external content, kept by triggers), `strftime` for dates.

use super::{Dialect, Words};
use crate::server::db::query::Query;
use crate::server::db::rows::{
    HitRow, SummaryRow, RESULTS_WINDOW, SUGGEST_WINDOW, SUMMARY_COLUMNS,
};
use sqlx::migrate::Migrator;
use sqlx::{Sqlite, SqliteConnection, SqlitePool};
use std::time::Duration;

static MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");

impl Dialect for Sqlite {
    const WORDS: Words = Words {
        published_month: "strftime('%Y-%m', published_at, 'unixepoch')",
        // An index range per section.
        newest_of_each_section: "categories c JOIN articles a ON a.id IN ( \
             SELECT x.id FROM articles x WHERE x.category_id = c.id AND x.status = 'published' AND x.page_path IS NULL \
             ORDER BY x.published_at DESC, x.id DESC LIMIT $1)",
        // Index-only: a narrow index range.
        count_published: "SELECT count(*) FROM articles WHERE status = 'published' AND page_path IS NULL",
        count_published_in:
            "SELECT count(*) FROM articles WHERE category_id = $1 AND status = 'published' AND page_path IS NULL",
        count_published_by_section: "SELECT category_id, count(*) FROM articles \
             WHERE status = 'published' AND page_path IS NULL GROUP BY category_id",
        // The very form of the partial index `articles_picks` (`= 1`): any other spelling
        // (`a.editors_pick`, `= TRUE`) makes SQLite scan the whole table (126 ms at 100k).
        picked: "a.editors_pick = 1",
        snapshot_title: "json_extract(r.snapshot, '$.title')",
        // (ASCII case only.)
        title_like: "a.title LIKE $3 ESCAPE '\\'",
        // The store keeps expiry as text.
        session_alive: "SELECT EXISTS (SELECT 1 FROM sessions WHERE id = $1 \
             AND datetime(expiry_date) > datetime('now'))",
        json_array: "json_array",
        json_rows: ("json_group_array(", ")"),
    };

    fn migrations() -> &'static Migrator {
        &MIGRATIONS
    }

    fn database_key(pool: &SqlitePool) -> String {
        pool.connect_options().get_filename().display().to_string()
    }

    /// `BEGIN IMMEDIATE` (a plain `BEGIN` would take the lock only at the first write, and if
    /// another connection wrote since this one's first read, SQLite cannot wait and fails at
    /// once with "database is locked"); the connection's busy timeout is the patience.
    async fn begin_write(
        pool: &SqlitePool,
        _patience: Duration,
    ) -> Result<sqlx::Transaction<'static, Sqlite>, sqlx::Error> {
        pool.begin_with("BEGIN IMMEDIATE").await
    }

    async fn search_page(
        pool: &SqlitePool,
        q: &Query,
        limit: u32,
        offset: u64,
    ) -> Result<(i64, Vec<HitRow>), sqlx::Error> {
        search_page(pool, q, limit, offset).await
    }

    async fn suggest(
        pool: &SqlitePool,
        q: &Query,
        limit: u32,
    ) -> Result<Vec<SummaryRow>, sqlx::Error> {
        suggest(pool, q, limit).await
    }

    /// The writer's lock is held: nobody else takes the next id before the insert.
    async fn reserve_unindexed_id(
        conn: &mut SqliteConnection,
        now: i64,
    ) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar(
            "INSERT INTO search_pending (article_id, since) \
             SELECT coalesce(max(id), 0) + 1, $1 FROM articles RETURNING article_id",
        )
        .bind(now)
        .fetch_one(conn)
        .await
    }

    async fn index_pending(
        conn: &mut SqliteConnection,
        since_at_most: i64,
    ) -> Result<u64, sqlx::Error> {
        let done = sqlx::query(
            "INSERT INTO articles_fts (rowid, title, excerpt, body_text) \
             SELECT a.id, a.title, a.excerpt, a.body_text \
             FROM search_pending p JOIN articles a ON a.id = p.article_id \
             WHERE p.since <= $1 AND a.status = 'published' AND a.page_path IS NULL ORDER BY a.id",
        )
        .bind(since_at_most)
        .execute(&mut *conn)
        .await?;
        sqlx::query("DELETE FROM search_pending WHERE since <= $1")
            .bind(since_at_most)
            .execute(&mut *conn)
            .await?;
        if done.rows_affected() > 0 {
            sqlx::query("UPDATE site_state SET value = value + 1 WHERE key = 'content_version'")
                .execute(&mut *conn)
                .await?;
        }
        Ok(done.rows_affected())
    }

    type Lifted = LiftedTriggers;

    async fn lift_search_triggers(
        conn: &mut SqliteConnection,
    ) -> Result<LiftedTriggers, sqlx::Error> {
        lift_search_triggers(conn).await
    }

    async fn rebuild_search_index(
        conn: &mut SqliteConnection,
        lifted: LiftedTriggers,
    ) -> Result<(), sqlx::Error> {
        rebuild_search_index(conn, lifted).await
    }

    async fn optimize(pool: &SqlitePool) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO articles_fts (articles_fts) VALUES ('optimize')")
            .execute(pool)
            .await?;
        sqlx::query("ANALYZE").execute(pool).await?;
        Ok(())
    }

    /// One server per file: nobody else announces anything.
    async fn follow(
        _pool: SqlitePool,
        _channel: &'static str,
        _seen: impl Fn(Option<&str>) + Send + Sync + 'static,
    ) {
    }
}

/// bm25 weighted 10:4:1 (title, excerpt, body) over the newest matches; FTS5's highlight()
/// and snippet() mark the page's rows.
///
/// Each evaluation of a MATCH costs the same whatever follows it (for a prefix word, FTS5
/// merges the doclists of every term it begins: most of a search's time at 100k articles), so
/// the query runs it twice, not once per row of the page: the marking is MATERIALIZED (else
/// it is evaluated inside the join, for every row of the page), it scans the page's rowid
/// range in one pass, and `+rowid IN` keeps the page's ids from becoming a constraint FTS5
/// would look up one at a time (each one a full evaluation again). 30 ms → 3.6 ms for
/// "harbour" in the sqlite3 shell on the benchmark's database.
///
/// The count rides in the same statement (one trip to the connection's thread instead of
/// two): every row carries it. A page past the last has no row to carry it, so then the count
/// is asked for alone.
async fn search_page(
    pool: &SqlitePool,
    q: &Query,
    limit: u32,
    offset: u64,
) -> Result<(i64, Vec<HitRow>), sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Counted {
        #[sqlx(flatten)]
        hit: HitRow,
        total: i64,
    }
    let rows: Vec<Counted> = sqlx::query_as(SEARCH_PAGE.as_str())
        .bind(q.fts5())
        .bind(i64::from(limit))
        .bind(offset as i64)
        .fetch_all(pool)
        .await?;
    let total = match rows.first() {
        Some(row) => row.total,
        None => search_count(pool, q).await?,
    };
    Ok((total, rows.into_iter().map(|r| r.hit).collect()))
}

/// The results page's statement (`search_page`), the same for every search.
static SEARCH_PAGE: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "WITH candidates AS ( \
             SELECT rowid AS id, bm25(articles_fts, 10.0, 4.0, 1.0) AS score \
             FROM articles_fts WHERE articles_fts MATCH $1 \
             ORDER BY rowid DESC LIMIT {RESULTS_WINDOW}), \
         page AS MATERIALIZED (SELECT id, score FROM candidates ORDER BY score, id DESC LIMIT $2 OFFSET $3), \
         marked AS MATERIALIZED ( \
             SELECT rowid AS id, \
                    highlight(articles_fts, 0, char(57344), char(57345)) AS title_marked, \
                    snippet(articles_fts, 2, char(57344), char(57345), '…', 28) AS snippet_marked \
             FROM articles_fts WHERE articles_fts MATCH $1 \
             AND rowid >= (SELECT min(id) FROM page) AND rowid <= (SELECT max(id) FROM page) \
             AND +rowid IN (SELECT id FROM page)) \
         SELECT {SUMMARY_COLUMNS}, marked.title_marked, marked.snippet_marked, ({COUNT}) AS total \
         FROM page JOIN marked ON marked.id = page.id \
         JOIN articles a ON a.id = page.id JOIN categories c ON c.id = a.category_id \
         WHERE a.status = 'published' \
         ORDER BY page.score, page.id DESC"
    )
});

/// Matching published articles (an uncorrelated subquery: SQLite runs it once per statement).
const COUNT: &str = "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH $1";

async fn search_count(pool: &SqlitePool, q: &Query) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(COUNT)
        .bind(q.fts5())
        .fetch_one(pool)
        .await
}

/// bm25 needs each word's document count over the whole index, which for a common word at
/// 100,000 articles costs more than the rest of the query; the column checks only look at
/// rows from the oldest candidate on.
async fn suggest(pool: &SqlitePool, q: &Query, limit: u32) -> Result<Vec<SummaryRow>, sqlx::Error> {
    let sql = format!(
        "WITH candidates AS ( \
             SELECT rowid AS id FROM articles_fts WHERE articles_fts MATCH $1 \
             ORDER BY rowid DESC LIMIT {SUGGEST_WINDOW}), \
         oldest AS (SELECT min(id) AS id FROM candidates), \
         in_title AS (SELECT rowid AS id FROM articles_fts \
             WHERE articles_fts MATCH '{{title}} : (' || $1 || ')' \
             AND rowid >= (SELECT id FROM oldest)), \
         in_excerpt AS (SELECT rowid AS id FROM articles_fts \
             WHERE articles_fts MATCH '{{excerpt}} : (' || $1 || ')' \
             AND rowid >= (SELECT id FROM oldest)), \
         hits AS (SELECT id, CASE WHEN id IN (SELECT id FROM in_title) THEN 0 \
                                  WHEN id IN (SELECT id FROM in_excerpt) THEN 1 ELSE 2 END AS tier \
             FROM candidates ORDER BY tier, id DESC LIMIT $2) \
         SELECT {SUMMARY_COLUMNS} \
         FROM hits JOIN articles a ON a.id = hits.id JOIN categories c ON c.id = a.category_id \
         WHERE a.status = 'published' \
         ORDER BY hits.tier, hits.id DESC"
    );
    sqlx::query_as(&sql)
        .bind(q.fts5())
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await
}

/// The search-index triggers taken off `articles` for a bulk load, to be put back by
/// `rebuild_search_index`.
pub struct LiftedTriggers(Vec<(String, String)>);

async fn lift_search_triggers(tx: &mut SqliteConnection) -> Result<LiftedTriggers, sqlx::Error> {
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
async fn rebuild_search_index(
    tx: &mut SqliteConnection,
    lifted: LiftedTriggers,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")
        .execute(&mut *tx)
        .await?;
    // Every published row is indexed now, an import's unindexed ones too.
    sqlx::query("DELETE FROM search_pending")
        .execute(&mut *tx)
        .await?;
    for (_, sql) in &lifted.0 {
        sqlx::query(sql).execute(&mut *tx).await?;
    }
    Ok(())
}
