//! The newsletter's subscribers, who got which digest (`digest_sends`: one row per subscriber
//! and period, inserted by whoever sends it), and when digests go out.

use super::rows::{SummaryRow, SUMMARY_COLUMNS, SUMMARY_FROM};
use super::Pool;
use sqlx::FromRow;

#[derive(Debug, Clone, FromRow)]
pub struct SubscriberRow {
    pub id: i64,
    pub email: String,
    pub token: String,
    pub status: String,
    pub frequency: String,
    pub sections: String,
    pub created_at: i64,
    pub confirmed_at: Option<i64>,
    pub last_digest_at: Option<i64>,
}

const SUBSCRIBER_COLUMNS: &str =
    "id, email, token, status, frequency, sections, created_at, confirmed_at, last_digest_at";

pub async fn by_email(pool: &Pool, email: &str) -> Result<Option<SubscriberRow>, sqlx::Error> {
    let sql = format!("SELECT {SUBSCRIBER_COLUMNS} FROM subscribers WHERE email = $1");
    on!(pool, pool => sqlx::query_as(&sql).bind(email).fetch_optional(pool).await)
}

pub async fn by_token(pool: &Pool, token: &str) -> Result<Option<SubscriberRow>, sqlx::Error> {
    let sql = format!("SELECT {SUBSCRIBER_COLUMNS} FROM subscribers WHERE token = $1");
    on!(pool, pool => sqlx::query_as(&sql).bind(token).fetch_optional(pool).await)
}

/// A new pending address; `None` when the address is known already (nothing changed).
pub async fn insert_pending(
    pool: &Pool,
    email: &str,
    token: &str,
    frequency: &str,
    sections: &str,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    on!(pool, pool => {
    sqlx::query_scalar(
        "INSERT INTO subscribers (email, token, status, frequency, sections, created_at) \
         VALUES ($1, $2, 'pending', $3, $4, $5) ON CONFLICT (email) DO NOTHING RETURNING id",
    )
    .bind(email)
    .bind(token)
    .bind(frequency)
    .bind(sections)
    .bind(now)
    .fetch_optional(pool)
    .await
    })
}

/// An address that bounced, asked for again by its owner: pending once more, with a new
/// token. `false` when it was not (or no longer) bounced.
pub async fn renew_bounced(
    pool: &Pool,
    id: i64,
    token: &str,
    frequency: &str,
    sections: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    on!(pool, pool => {
    sqlx::query(
        "UPDATE subscribers SET status = 'pending', token = $2, frequency = $3, sections = $4, \
         created_at = $5, confirmed_at = NULL, bounce = NULL WHERE id = $1 AND status = 'bounced'",
    )
    .bind(id)
    .bind(token)
    .bind(frequency)
    .bind(sections)
    .bind(now)
    .execute(pool)
    .await
    .map(|r| r.rows_affected() == 1)
    })
}

/// Confirms the pending address of `token`; its digests count articles from `now` on.
pub async fn confirm(pool: &Pool, token: &str, now: i64) -> Result<bool, sqlx::Error> {
    on!(pool, pool => {
    sqlx::query(
        "UPDATE subscribers SET status = 'confirmed', confirmed_at = $2, last_digest_at = $2 \
         WHERE token = $1 AND status = 'pending'",
    )
    .bind(token)
    .bind(now)
    .execute(pool)
    .await
    .map(|r| r.rows_affected() == 1)
    })
}

pub async fn set_preferences(
    pool: &Pool,
    token: &str,
    frequency: &str,
    sections: &str,
) -> Result<bool, sqlx::Error> {
    on!(pool, pool => {
    sqlx::query("UPDATE subscribers SET frequency = $2, sections = $3 WHERE token = $1")
        .bind(token)
        .bind(frequency)
        .bind(sections)
        .execute(pool)
        .await
        .map(|r| r.rows_affected() == 1)
    })
}

/// Forgets the address of `token` (unsubscribing keeps nothing).
pub async fn delete_by_token(pool: &Pool, token: &str) -> Result<bool, sqlx::Error> {
    on!(pool, pool => {
    sqlx::query("DELETE FROM subscribers WHERE token = $1")
        .bind(token)
        .execute(pool)
        .await
        .map(|r| r.rows_affected() == 1)
    })
}

/// Forgets a pending address (its confirmation mail could not be sent).
pub async fn delete_pending(pool: &Pool, id: i64) -> Result<(), sqlx::Error> {
    on!(pool, pool => {
    sqlx::query("DELETE FROM subscribers WHERE id = $1 AND status = 'pending'")
        .bind(id)
        .execute(pool)
        .await
        .map(|_| ())
    })
}

/// Forgets addresses never confirmed that were left before `before`.
pub async fn forget_pending(pool: &Pool, before: i64) -> Result<u64, sqlx::Error> {
    on!(pool, pool => {
    sqlx::query("DELETE FROM subscribers WHERE status = 'pending' AND created_at < $1")
        .bind(before)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })
}

/// A permanent failure: the address is not mailed again.
pub async fn mark_bounced(pool: &Pool, id: i64, reason: &str) -> Result<(), sqlx::Error> {
    on!(pool, pool => {
    sqlx::query("UPDATE subscribers SET status = 'bounced', bounce = $2 WHERE id = $1")
        .bind(id)
        .bind(reason)
        .execute(pool)
        .await
        .map(|_| ())
    })
}

/// Takes up to `limit` digests of `period` for confirmed subscribers of `frequency`, marked
/// with `claim` ("<run>-<batch>", new each time): new ones (a row inserted here, so no other
/// server takes them), ones a server left `sending` before `lease_before` (it died mid-run),
/// and with `skipped_too` ones an earlier run skipped for want of news (never this run's
/// own). Returns the subscribers taken.
#[allow(clippy::too_many_arguments)]
pub async fn claim(
    pool: &Pool,
    period: &str,
    frequency: &str,
    claim: &str,
    now: i64,
    lease_before: i64,
    skipped_too: bool,
    limit: u32,
) -> Result<Vec<SubscriberRow>, sqlx::Error> {
    // This run's claims ("<run>-…"; hex, so nothing in it is a LIKE wildcard).
    let this_run = format!("{}-%", claim.split('-').next().unwrap_or(claim));
    let sql = format!(
        "SELECT {} FROM subscribers s JOIN digest_sends d ON d.subscriber_id = s.id \
         WHERE d.period = $1 AND d.claimed_by = $2 AND d.state = 'sending' ORDER BY s.id",
        SUBSCRIBER_COLUMNS
            .split(", ")
            .map(|c| format!("s.{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    on!(pool, pool => {
    let new = sqlx::query(
        "INSERT INTO digest_sends (subscriber_id, period, state, claimed_at, claimed_by) \
         SELECT s.id, $1, 'sending', $2, $5 FROM subscribers s \
         WHERE s.status = 'confirmed' AND s.frequency = $3 AND NOT EXISTS \
             (SELECT 1 FROM digest_sends d WHERE d.subscriber_id = s.id AND d.period = $1) \
         ORDER BY s.id LIMIT $4 \
         ON CONFLICT (subscriber_id, period) DO NOTHING",
    )
    .bind(period)
    .bind(now)
    .bind(frequency)
    .bind(i64::from(limit))
    .bind(claim)
    .execute(pool)
    .await?
    .rows_affected();
    if new < u64::from(limit) {
        sqlx::query(
            "UPDATE digest_sends SET state = 'sending', claimed_at = $2, claimed_by = $7 \
             WHERE period = $1 AND subscriber_id IN \
                 (SELECT d.subscriber_id FROM digest_sends d JOIN subscribers s ON s.id = d.subscriber_id \
                  WHERE d.period = $1 AND s.status = 'confirmed' AND s.frequency = $3 \
                  AND (d.state = 'sending' AND d.claimed_at < $4 OR d.state = 'skipped' AND $5) \
                  AND d.claimed_by NOT LIKE $8 \
                  ORDER BY d.subscriber_id LIMIT $6) \
             AND (state = 'sending' AND claimed_at < $4 OR state = 'skipped' AND $5) \
             AND claimed_by NOT LIKE $8",
        )
        .bind(period)
        .bind(now)
        .bind(frequency)
        .bind(lease_before)
        .bind(skipped_too)
        .bind(i64::from(limit) - new as i64)
        .bind(claim)
        .bind(&this_run)
        .execute(pool)
        .await?;
    }
    sqlx::query_as(&sql).bind(period).bind(claim).fetch_all(pool).await
    })
}

/// How a digest ended: sent (with how many articles, and the time its news reached: the next
/// one starts there), skipped (nothing new), or failed for good.
#[allow(clippy::too_many_arguments)]
pub async fn finish(
    pool: &Pool,
    subscriber_id: i64,
    period: &str,
    state: &str,
    articles: i64,
    error: Option<&str>,
    now: i64,
    news_until: Option<i64>,
) -> Result<(), sqlx::Error> {
    let mut tx = super::begin_write(pool).await?;
    on_conn!(tx.conn(), conn => {
    sqlx::query(
        "UPDATE digest_sends SET state = $3, sent_at = $4, articles = $5, error = $6 \
         WHERE subscriber_id = $1 AND period = $2",
    )
    .bind(subscriber_id)
    .bind(period)
    .bind(state)
    .bind(now)
    .bind(articles)
    .bind(error)
    .execute(&mut *conn)
    .await?;
    if let Some(until) = news_until {
        sqlx::query("UPDATE subscribers SET last_digest_at = $2 WHERE id = $1")
            .bind(subscriber_id)
            .bind(until)
            .execute(&mut *conn)
            .await?;
    }
    });
    tx.commit().await
}

/// Published articles (not pages) from after `since` up to `until`, newest first.
pub async fn published_between(
    pool: &Pool,
    since: i64,
    until: i64,
    limit: u32,
) -> Result<Vec<SummaryRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM {SUMMARY_FROM} \
         WHERE a.status = 'published' AND a.page_path IS NULL \
         AND a.published_at > $1 AND a.published_at <= $2 \
         ORDER BY a.published_at DESC, a.id DESC LIMIT $3"
    );
    on!(pool, pool => {
    sqlx::query_as(&sql)
        .bind(since)
        .bind(until)
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await
    })
}

/// Subscribers per status and frequency.
pub async fn counts(pool: &Pool) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
    on!(pool, pool => {
    sqlx::query_as(
        "SELECT status, frequency, count(*) FROM subscribers GROUP BY status, frequency \
         ORDER BY status, frequency",
    )
    .fetch_all(pool)
    .await
    })
}

#[derive(Debug, Clone, FromRow)]
pub struct SendsRow {
    pub period: String,
    pub sent: i64,
    pub skipped: i64,
    pub failed: i64,
    pub sending: i64,
    pub articles: i64,
    pub last_at: i64,
}

/// The latest periods digests went out for, with what happened to them.
pub async fn last_sends(pool: &Pool, limit: u32) -> Result<Vec<SendsRow>, sqlx::Error> {
    on!(pool, pool => {
    sqlx::query_as(
        "SELECT period, \
            CAST(sum(CASE WHEN state = 'sent' THEN 1 ELSE 0 END) AS BIGINT) AS sent, \
            CAST(sum(CASE WHEN state = 'skipped' THEN 1 ELSE 0 END) AS BIGINT) AS skipped, \
            CAST(sum(CASE WHEN state = 'failed' THEN 1 ELSE 0 END) AS BIGINT) AS failed, \
            CAST(sum(CASE WHEN state = 'sending' THEN 1 ELSE 0 END) AS BIGINT) AS sending, \
            CAST(sum(articles) AS BIGINT) AS articles, \
            CAST(max(coalesce(sent_at, claimed_at)) AS BIGINT) AS last_at \
         FROM digest_sends GROUP BY period ORDER BY max(claimed_at) DESC LIMIT $1",
    )
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await
    })
}

/// Every subscriber, for the admins' export.
pub async fn all(pool: &Pool) -> Result<Vec<SubscriberRow>, sqlx::Error> {
    let sql = format!("SELECT {SUBSCRIBER_COLUMNS} FROM subscribers ORDER BY id");
    on!(pool, pool => sqlx::query_as(&sql).fetch_all(pool).await)
}

/// When digests go out: (hour of the day, day of the week 1-7 for weekly ones).
pub async fn schedule(pool: &Pool) -> Result<(i64, i64), sqlx::Error> {
    on!(pool, pool => {
    sqlx::query_as("SELECT send_hour, weekly_day FROM newsletter_settings WHERE id = 1")
        .fetch_optional(pool)
        .await
        .map(|r| r.unwrap_or((7, 1)))
    })
}

pub async fn set_schedule(pool: &Pool, hour: i64, weekly_day: i64) -> Result<(), sqlx::Error> {
    on!(pool, pool => {
    sqlx::query("UPDATE newsletter_settings SET send_hour = $1, weekly_day = $2 WHERE id = 1")
        .bind(hour)
        .bind(weekly_day)
        .execute(pool)
        .await
        .map(|_| ())
    })
}
