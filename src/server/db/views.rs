//! Articles' views per hour (`article_views`): added in batches, summed for "Most read" and the
//! newsroom's figures.

use super::rows::{SummaryRow, SUMMARY_COLUMNS};
use super::{Conn, Pool};

/// Adds `views` to article `article_id`'s count of `hour`, if it is a published article (a
/// beacon may name anything).
pub async fn add(
    conn: Conn<'_>,
    article_id: i64,
    hour: i64,
    views: i64,
) -> Result<(), sqlx::Error> {
    on_conn!(conn, conn => {
    sqlx::query(
        "INSERT INTO article_views (article_id, hour, views) \
         SELECT id, $2, $3 FROM articles \
         WHERE id = $1 AND status = 'published' AND page_path IS NULL \
         ON CONFLICT (article_id, hour) DO UPDATE SET views = article_views.views + excluded.views",
    )
    .bind(article_id)
    .bind(hour)
    .bind(views)
    .execute(conn)
    .await
    .map(|_| ())
    })
}

/// The `limit` most read published articles since `hour`, most read first.
pub async fn most_read(
    pool: &Pool,
    since_hour: i64,
    limit: u32,
) -> Result<Vec<SummaryRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM \
             (SELECT article_id, sum(views) AS n FROM article_views WHERE hour >= $1 \
              GROUP BY article_id ORDER BY n DESC, article_id DESC LIMIT $2) v \
         JOIN articles a ON a.id = v.article_id JOIN categories c ON c.id = a.category_id \
         WHERE a.status = 'published' AND a.page_path IS NULL \
         ORDER BY v.n DESC, a.id DESC"
    );
    on!(pool, pool => {
    sqlx::query_as(&sql)
    .bind(since_hour)
    .bind(i64::from(limit) + 5)
    .fetch_all(pool)
    .await
    })
    .map(|mut rows: Vec<SummaryRow>| {
        rows.truncate(limit as usize);
        rows
    })
}

/// The published articles (not pages) of `ids`, in that order (a ranking's titles).
pub async fn published_in_order(pool: &Pool, ids: &[i64]) -> Result<Vec<SummaryRow>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM articles a JOIN categories c ON c.id = a.category_id \
         WHERE a.id IN ({}) AND a.status = 'published' AND a.page_path IS NULL",
        marks.join(", ")
    );
    let mut rows: Vec<SummaryRow> = on!(pool, pool => {
        let mut q = sqlx::query_as(&sql);
        for id in ids {
            q = q.bind(id);
        }
        q.fetch_all(pool).await
    })?;
    rows.sort_by_key(|r| ids.iter().position(|id| *id == r.id));
    Ok(rows)
}

/// The ids of the `limit` most read articles since `hour` (to see whether the block changed).
pub async fn most_read_ids(
    pool: &Pool,
    since_hour: i64,
    limit: u32,
) -> Result<Vec<i64>, sqlx::Error> {
    Ok(most_read(pool, since_hour, limit)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect())
}

/// Views of articles `ids`: (id, last 24 hours, last 7 days, all time), from `now_hour`.
pub async fn figures(
    pool: &Pool,
    ids: &[i64],
    now_hour: i64,
) -> Result<Vec<(i64, i64, i64, i64)>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 2)).collect();
    let sql = format!(
        "SELECT article_id, \
                CAST(coalesce(sum(CASE WHEN hour > $1 - 24 THEN views ELSE 0 END), 0) AS BIGINT), \
                CAST(coalesce(sum(CASE WHEN hour > $1 - 168 THEN views ELSE 0 END), 0) AS BIGINT), \
                CAST(coalesce(sum(views), 0) AS BIGINT) \
         FROM article_views WHERE article_id IN ({}) GROUP BY article_id",
        marks.join(", ")
    );
    on!(pool, pool => {
    let mut q = sqlx::query_as(&sql).bind(now_hour);
    for id in ids {
        q = q.bind(id);
    }
    q.fetch_all(pool).await
    })
}
