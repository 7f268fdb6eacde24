//! PostgreSQL: weighted `tsvector`s (title A, excerpt B, body C) in `article_search`, kept by a
//! trigger, with a GIN index for search; counts of published articles kept by a trigger; `to_char` for dates,
//! an advisory lock for the newsroom's one writer, NOTIFY for the page caches.

use crate::server::db::articles::{SummaryRow, SUMMARY_COLUMNS};
use crate::server::db::search::{HitRow, RESULTS_WINDOW, SUGGEST_WINDOW};
use crate::server::search::Query;
use sqlx::{PgConnection, PgPool};
use std::time::Duration;

/// `YYYY-MM` of an article's publication (UTC), for the sitemap's months.
pub const PUBLISHED_MONTH: &str =
    "to_char(to_timestamp(published_at) AT TIME ZONE 'UTC', 'YYYY-MM')";

/// Every section `c` joined to its newest `$1` published articles `a`: a LATERAL join (an
/// index range per section; PostgreSQL would run the `IN (… LIMIT)` form once per article).
pub const NEWEST_OF_EACH_SECTION: &str = "categories c CROSS JOIN LATERAL ( \
     SELECT * FROM articles x WHERE x.category_id = c.id AND x.status = 'published' \
     ORDER BY x.published_at DESC, x.id DESC LIMIT $1) a";

/// Published articles, all or in section `$1` (kept by a trigger).
pub const COUNT_PUBLISHED: &str = "SELECT coalesce(sum(n), 0)::BIGINT FROM published_counts";
pub const COUNT_PUBLISHED_IN: &str =
    "SELECT coalesce(sum(n), 0)::BIGINT FROM published_counts WHERE category_id = $1";

/// An Editor's Pick (the partial index `articles_picks` is on this condition).
pub const PICKED: &str = "a.editors_pick";

/// The title inside a revision's snapshot (JSON text).
pub const SNAPSHOT_TITLE: &str = "(r.snapshot::jsonb ->> 'title')";

/// Case-insensitive title match with `\` escaping LIKE's wildcards.
pub const TITLE_LIKE: &str = "a.title ILIKE $3 ESCAPE '\\'";

/// Whether a session row exists and has not expired.
pub const SESSION_ALIVE: &str =
    "SELECT EXISTS (SELECT 1 FROM sessions WHERE id = $1 AND expiry_date > now())";

/// The channel on which every change readers can see is announced, with the new content
/// version as the payload (the migrations' triggers send it; every server listens).
pub const CONTENT_CHANNEL: &str = "portal_content";

/// The advisory lock every newsroom write holds until its transaction ends ("portal").
const WRITER_LOCK: i64 = 0x706f_7274_616c;

/// Waits (up to `patience`) for the one writer's lock, held until the transaction ends.
pub async fn take_writer_lock(
    tx: &mut PgConnection,
    patience: Duration,
) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "SET LOCAL lock_timeout = {}",
        patience.as_millis()
    ))
    .execute(&mut *tx)
    .await?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(WRITER_LOCK)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// `ts_headline` options: matches marked with the private-use characters of `db::search`.
const MARKS: &str = "'StartSel=\"' || chr(57344) || '\", StopSel=\"' || chr(57345) || '\"'";

/// The matching ids through the GIN index, always (MATERIALIZED): walking ids downwards and
/// testing each row's terms instead, which the planner prefers for middling words, reads the
/// body's terms of thousands of rows.
const MATCHES: &str = "matches AS MATERIALIZED ( \
     SELECT s.id FROM article_search s, q WHERE s.doc @@ q.q)";

/// `ts_rank` weighted 10:4:1 like SQLite's bm25 (labels D, C, B, A: body is C, excerpt B,
/// title A) over the newest matches. Ranking reads each candidate's terms; to keep that to a
/// page's worth, the newest `RESULTS_WINDOW` are first ordered by their title and excerpt
/// alone (small, in the row), and the best of those are ranked on everything.
pub async fn search(
    pool: &PgPool,
    q: &Query,
    limit: u32,
    offset: u64,
) -> Result<Vec<HitRow>, sqlx::Error> {
    let sql = format!(
        "WITH q AS (SELECT to_tsquery('portal', $1) AS q), {MATCHES}, \
         candidates AS (SELECT id FROM matches ORDER BY id DESC LIMIT {RESULTS_WINDOW}), \
         shortlist AS ( \
             SELECT s.id FROM candidates JOIN article_search s USING (id), q \
             ORDER BY ts_rank('{{0.1, 0.1, 0.4, 1.0}}', s.head, q.q) DESC, s.id DESC \
             LIMIT greatest(100, $2 + $3)), \
         page AS ( \
             SELECT s.id, ts_rank('{{0.1, 0.1, 0.4, 1.0}}', s.doc, q.q) AS score \
             FROM shortlist JOIN article_search s USING (id), q \
             ORDER BY score DESC, s.id DESC LIMIT $2 OFFSET $3) \
         SELECT {SUMMARY_COLUMNS}, \
             ts_headline('portal', a.title, q.q, {MARKS} || ', HighlightAll=true') AS title_marked, \
             ts_headline('portal', a.body_text, q.q, \
                 {MARKS} || ', MaxFragments=1, MaxWords=28, MinWords=12, FragmentDelimiter=\"…\"') \
                 AS snippet_marked \
         FROM page JOIN articles a ON a.id = page.id JOIN categories c ON c.id = a.category_id, q \
         WHERE a.status = 'published' \
         ORDER BY page.score DESC, page.id DESC"
    );
    sqlx::query_as(&sql)
        .bind(q.tsquery(None))
        .bind(i64::from(limit))
        .bind(offset as i64)
        .fetch_all(pool)
        .await
}

pub async fn search_count(pool: &PgPool, q: &Query) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT count(*) FROM article_search WHERE doc @@ to_tsquery('portal', $1)")
        .bind(q.tsquery(None))
        .fetch_one(pool)
        .await
}

/// The tiers come from the weight labels: every word with label A is "in the title".
pub async fn suggest(pool: &PgPool, q: &Query, limit: u32) -> Result<Vec<SummaryRow>, sqlx::Error> {
    let sql = format!(
        "WITH q AS (SELECT to_tsquery('portal', $1) AS q, to_tsquery('portal', $2) AS title, \
                           to_tsquery('portal', $3) AS excerpt), {MATCHES}, \
         candidates AS (SELECT id FROM matches ORDER BY id DESC LIMIT {SUGGEST_WINDOW}), \
         hits AS ( \
             SELECT s.id, CASE WHEN s.head @@ q.title THEN 0 \
                               WHEN s.head @@ q.excerpt THEN 1 ELSE 2 END AS tier \
             FROM candidates JOIN article_search s USING (id), q \
             ORDER BY tier, s.id DESC LIMIT $4) \
         SELECT {SUMMARY_COLUMNS} \
         FROM hits JOIN articles a ON a.id = hits.id JOIN categories c ON c.id = a.category_id \
         WHERE a.status = 'published' \
         ORDER BY hits.tier, hits.id DESC"
    );
    sqlx::query_as(&sql)
        .bind(q.tsquery(None))
        .bind(q.tsquery(Some('A')))
        .bind(q.tsquery(Some('B')))
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await
}

/// After a big load: refresh the planner's statistics (the search column and its index are
/// kept by the database itself).
pub async fn optimize(pool: &PgPool) -> Result<(), sqlx::Error> {
    sqlx::query("ANALYZE").execute(pool).await?;
    Ok(())
}
