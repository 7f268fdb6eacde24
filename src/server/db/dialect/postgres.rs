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
pub const COUNT_PUBLISHED_BY_SECTION: &str =
    "SELECT category_id, coalesce(sum(n), 0)::BIGINT FROM published_counts GROUP BY category_id";

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

/// The recency levels: every article's terms hold `~<bits>.<id >> bits>` for each (the
/// migration `…_search_recency` explains why). Each level is four times wider than the one
/// before.
const RECENCY_LEVELS: [u32; 5] = [10, 12, 14, 16, 18];

/// A query the planner expects in at least this share of articles is answered by testing
/// the newest articles one by one: the index would go through its whole list.
const SCAN_SHARE: f64 = 0.5;

/// The ids of the newest `wanted` published articles matching `q`, newest first.
///
/// How depends on how common the words are (the planner's estimate, from ANALYZE's
/// statistics): words in most articles ("the", "a", a two-letter prefix) are found by
/// testing the newest articles one by one; rarer ones through the index, in the narrowest
/// window of newest ids expected to hold enough of them, widened four times over while it
/// holds too few, and finally everywhere. Each pass visits about as many rows as it keeps.
pub async fn newest_matches(
    pool: &PgPool,
    q: &Query,
    wanted: u32,
) -> Result<Vec<i64>, sqlx::Error> {
    let words = q.tsquery(None);
    let (newest, share): (Option<i64>, f64) = sqlx::query_as(
        "SELECT (SELECT max(id) FROM article_search), \
                portal_estimated_share(to_tsquery('portal', $1))",
    )
    .bind(&words)
    .fetch_one(pool)
    .await?;
    let Some(newest) = newest else {
        return Ok(Vec::new());
    };
    let share = share.max(1e-6);
    if share >= SCAN_SHARE {
        let scanned = (f64::from(wanted) / share * 1.5).ceil() as i32;
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT portal_newest_matches_among(to_tsquery('portal', $1), $2, $3)",
        )
        .bind(&words)
        .bind(wanted as i32)
        .bind(scanned)
        .fetch_all(pool)
        .await?;
        if ids.len() >= wanted as usize {
            return Ok(ids);
        }
    }
    // Ids in a window of level `bits`: at least 2^bits (the newest bucket may have just begun).
    let expected = |bits: u32| (1u64 << bits) as f64 * share;
    for bits in RECENCY_LEVELS {
        let top = newest >> bits;
        if top <= 1 {
            break; // the window would be everything
        }
        if expected(bits) < f64::from(wanted) {
            continue; // too narrow to hold enough, going by the estimate
        }
        // The newest bucket and the one before.
        let window = format!("'~{bits}.{top}' | '~{bits}.{}'", top - 1);
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT portal_newest_matches(to_tsquery('portal', $1) && $2::tsquery, $3)",
        )
        .bind(&words)
        .bind(window)
        .bind(wanted as i32)
        .fetch_all(pool)
        .await?;
        if ids.len() >= wanted as usize {
            return Ok(ids);
        }
    }
    sqlx::query_scalar("SELECT portal_newest_matches(to_tsquery('portal', $1), $2)")
        .bind(&words)
        .bind(wanted as i32)
        .fetch_all(pool)
        .await
}

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
    let candidates = newest_matches(pool, q, RESULTS_WINDOW).await?;
    let sql = format!(
        "WITH q AS (SELECT to_tsquery('portal', $1) AS q), \
         candidates AS (SELECT unnest($4::BIGINT[]) AS id), \
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
        .bind(candidates)
        .fetch_all(pool)
        .await
}

pub async fn search_count(pool: &PgPool, q: &Query) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT portal_count_matches(to_tsquery('portal', $1))")
        .bind(q.tsquery(None))
        .fetch_one(pool)
        .await
}

/// The tiers come from the weight labels: every word with label A is "in the title".
pub async fn suggest(pool: &PgPool, q: &Query, limit: u32) -> Result<Vec<SummaryRow>, sqlx::Error> {
    let candidates = newest_matches(pool, q, SUGGEST_WINDOW).await?;
    let sql = format!(
        "WITH q AS (SELECT to_tsquery('portal', $1) AS title, to_tsquery('portal', $2) AS excerpt), \
         candidates AS (SELECT unnest($4::BIGINT[]) AS id), \
         hits AS ( \
             SELECT s.id, CASE WHEN s.head @@ q.title THEN 0 \
                               WHEN s.head @@ q.excerpt THEN 1 ELSE 2 END AS tier \
             FROM candidates JOIN article_search s USING (id), q \
             ORDER BY tier, s.id DESC LIMIT $3) \
         SELECT {SUMMARY_COLUMNS} \
         FROM hits JOIN articles a ON a.id = hits.id JOIN categories c ON c.id = a.category_id \
         WHERE a.status = 'published' \
         ORDER BY hits.tier, hits.id DESC"
    );
    sqlx::query_as(&sql)
        .bind(q.tsquery(Some('A')))
        .bind(q.tsquery(Some('B')))
        .bind(i64::from(limit))
        .bind(candidates)
        .fetch_all(pool)
        .await
}

/// After a big load: refresh the planner's statistics (the search column and its index are
/// kept by the database itself).
pub async fn optimize(pool: &PgPool) -> Result<(), sqlx::Error> {
    sqlx::query("ANALYZE").execute(pool).await?;
    Ok(())
}
