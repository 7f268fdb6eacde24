//! PostgreSQL: weighted `tsvector`s (title A, excerpt B, body C) in `article_search`, kept by a
//! trigger, with a GIN index for search; counts of published articles kept by a trigger; `to_char` for dates,
//! an advisory lock for the newsroom's one writer, NOTIFY for the page caches.

use super::{Dialect, Words};
use crate::server::db::query::Query;
use crate::server::db::rows::{
    HitRow, SummaryRow, RESULTS_WINDOW, SUGGEST_WINDOW, SUMMARY_COLUMNS,
};
use sqlx::migrate::Migrator;
use sqlx::{PgConnection, PgPool, Postgres};
use std::time::Duration;

static MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

impl Dialect for Postgres {
    const WORDS: Words = Words {
        published_month: "to_char(to_timestamp(published_at) AT TIME ZONE 'UTC', 'YYYY-MM')",
        // A LATERAL join (an index range per section; PostgreSQL would run the `IN (… LIMIT)`
        // form once per article).
        newest_of_each_section: "categories c CROSS JOIN LATERAL ( \
             SELECT * FROM articles x WHERE x.category_id = c.id AND x.status = 'published' AND x.page_path IS NULL \
             ORDER BY x.published_at DESC, x.id DESC LIMIT $1) a",
        // Kept by a trigger.
        count_published: "SELECT coalesce(sum(n), 0)::BIGINT FROM published_counts",
        count_published_in:
            "SELECT coalesce(sum(n), 0)::BIGINT FROM published_counts WHERE category_id = $1",
        count_published_by_section: "SELECT category_id, coalesce(sum(n), 0)::BIGINT \
             FROM published_counts GROUP BY category_id",
        picked: "a.editors_pick",
        snapshot_title: "(r.snapshot::jsonb ->> 'title')",
        title_like: "a.title ILIKE $3 ESCAPE '\\'",
        session_alive:
            "SELECT EXISTS (SELECT 1 FROM sessions WHERE id = $1 AND expiry_date > now())",
        json_array: "json_build_array",
        json_rows: ("coalesce(json_agg(", ")::text, '[]')"),
    };

    fn migrations() -> &'static Migrator {
        &MIGRATIONS
    }

    fn database_key(pool: &PgPool) -> String {
        let o = pool.connect_options();
        format!(
            "{}:{}/{}",
            o.get_host(),
            o.get_port(),
            o.get_database().unwrap_or("")
        )
    }

    /// A transaction-scoped advisory lock, so that, as on SQLite, the newsroom's writes happen
    /// one at a time across every server.
    async fn begin_write(
        pool: &PgPool,
        patience: Duration,
    ) -> Result<sqlx::Transaction<'static, Postgres>, sqlx::Error> {
        let mut tx = pool.begin().await?;
        take_writer_lock(&mut tx, patience).await?;
        Ok(tx)
    }

    async fn search_page(
        pool: &PgPool,
        q: &Query,
        limit: u32,
        offset: u64,
    ) -> Result<(i64, Vec<HitRow>), sqlx::Error> {
        let total = search_count(pool, q).await?;
        let hits = if limit == 0 {
            Vec::new()
        } else {
            search(pool, q, limit, offset).await?
        };
        Ok((total, hits))
    }

    async fn suggest(pool: &PgPool, q: &Query, limit: u32) -> Result<Vec<SummaryRow>, sqlx::Error> {
        suggest(pool, q, limit).await
    }

    async fn reserve_unindexed_id(conn: &mut PgConnection, now: i64) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar(
            "INSERT INTO search_pending (article_id, since) \
             VALUES (nextval(pg_get_serial_sequence('articles', 'id')), $1) \
             RETURNING article_id",
        )
        .bind(now)
        .fetch_one(conn)
        .await
    }

    async fn index_pending(
        conn: &mut PgConnection,
        since_at_most: i64,
    ) -> Result<u64, sqlx::Error> {
        let indexed: i64 = sqlx::query_scalar(
            "WITH done AS (DELETE FROM search_pending WHERE since <= $1 RETURNING article_id) \
             SELECT portal_index_articles(coalesce(array_agg(article_id), '{}')) FROM done",
        )
        .bind(since_at_most)
        .fetch_one(&mut *conn)
        .await?;
        if indexed > 0 {
            // As portal_content_changed() does: every server drops its cached pages.
            sqlx::query(
                "WITH v AS (UPDATE site_state SET value = value + 1 \
                     WHERE key = 'content_version' RETURNING value) \
                 SELECT pg_notify('portal_content', value::text) FROM v",
            )
            .execute(&mut *conn)
            .await?;
        }
        Ok(indexed as u64)
    }

    /// The search column is kept by the database itself: nothing to lift.
    type Lifted = ();

    async fn lift_search_triggers(_conn: &mut PgConnection) -> Result<(), sqlx::Error> {
        Ok(())
    }

    async fn rebuild_search_index(
        _conn: &mut PgConnection,
        _lifted: (),
    ) -> Result<(), sqlx::Error> {
        Ok(())
    }

    /// Refreshes the planner's statistics.
    async fn optimize(pool: &PgPool) -> Result<(), sqlx::Error> {
        sqlx::query("ANALYZE").execute(pool).await?;
        Ok(())
    }

    /// LISTENs on `channel` (the migrations' triggers NOTIFY at commit), reconnecting with a
    /// growing pause when the connection drops.
    async fn follow(
        pool: PgPool,
        channel: &'static str,
        seen: impl Fn(Option<&str>) + Send + Sync + 'static,
    ) {
        let mut pause = Duration::from_millis(200);
        loop {
            let listener = async {
                let mut listener = sqlx::postgres::PgListener::connect_with(&pool).await?;
                listener.listen(channel).await?;
                Ok::<_, sqlx::Error>(listener)
            };
            let mut listener = match listener.await {
                Ok(l) => l,
                Err(e) => {
                    tracing::warn!(error = %e, channel, "cannot listen for announcements; polling meanwhile");
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(Duration::from_secs(10));
                    continue;
                }
            };
            pause = Duration::from_millis(200);
            loop {
                match listener.try_recv().await {
                    Ok(Some(note)) => seen(Some(note.payload())),
                    // The connection dropped (announcements may have been lost): the caller
                    // catches up now; the next call reconnects.
                    Ok(None) => {
                        tracing::warn!(
                            channel,
                            "the announcements' connection dropped; reconnecting"
                        );
                        seen(None);
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, channel, "listening for announcements failed; starting again");
                        break;
                    }
                }
            }
            tokio::time::sleep(pause).await;
        }
    }
}

/// The advisory lock every newsroom write holds until its transaction ends ("portal").
const WRITER_LOCK: i64 = 0x706f_7274_616c;

/// Waits (up to `patience`) for the one writer's lock, held until the transaction ends.
async fn take_writer_lock(tx: &mut PgConnection, patience: Duration) -> Result<(), sqlx::Error> {
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
async fn search(
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

async fn search_count(pool: &PgPool, q: &Query) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT portal_count_matches(to_tsquery('portal', $1))")
        .bind(q.tsquery(None))
        .fetch_one(pool)
        .await
}

/// The tiers come from the weight labels: every word with label A is "in the title".
async fn suggest(pool: &PgPool, q: &Query, limit: u32) -> Result<Vec<SummaryRow>, sqlx::Error> {
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
