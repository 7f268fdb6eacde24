//! The newsletter: double opt-in signups, the digests of new articles, unsubscribing.
//!
//! - A signup stores the address as pending and sends one mail with a link to a page with a
//!   "Confirm" button (a POST: mail scanners open links, they do not press buttons). Nothing
//!   else is ever sent to a pending address, and it is forgotten after `PENDING_DAYS`.
//! - Digests go out at the hour the newsroom set (daily, or weekly on its day), one per
//!   subscriber and period (`period_of`): a row in `digest_sends` is inserted by whoever sends
//!   it, so several servers, or a restart mid-run, never send one twice. A server that dies
//!   mid-run leaves its rows `sending`; after `LEASE` another run takes them over.
//! - A digest with nothing new is skipped. A permanent refusal of the address marks it
//!   bounced; a temporary failure stops the run (tried again after the lease).
//! - Every mail has a one-click unsubscribe (RFC 8058) and a link to manage the subscription.

mod compose;
pub mod mail;

use crate::error::AppError;
use crate::model::newsletter::{
    email_is_plausible, Frequency, NewsletterOverview, Outcome, SendLine, Subscription,
};
use crate::model::policy::{require, Action, Actor};
use crate::server::dates::{self, Clock};
use crate::server::db::{self, newsletter as db_nl, Pool};
use chrono::{Datelike, Timelike};
use chrono_tz::Tz;
use mail::{Mailer, SendError};
use std::sync::Arc;
use std::time::Duration;

/// Pending addresses are forgotten after this many days.
pub const PENDING_DAYS: i64 = 7;
/// A digest left `sending` this long by a server that stopped is taken over by another run.
pub const LEASE: i64 = 600;
/// Digests taken at once by a run.
const BATCH: u32 = 100;
/// A digest lists at most this many articles (the newest), and looks back at most
/// `LOOKBACK` (a subscriber back after a long bounce gets the last week, not a year).
const DIGEST_MAX: usize = 30;
const LOOKBACK: i64 = 8 * 24 * 3600;
/// How often the schedule looks whether digests are due.
pub const SCHEDULE_EVERY: Duration = Duration::from_secs(60);

/// What a run of digests did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RunReport {
    pub sent: u64,
    pub skipped: u64,
    pub bounced: u64,
    /// Stopped by a temporary failure (the rest waits for the next run).
    pub stopped: Option<String>,
}

impl std::fmt::Display for RunReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} digests sent, {} skipped (nothing new), {} addresses refused by the mail server",
            self.sent, self.skipped, self.bounced
        )?;
        if let Some(why) = &self.stopped {
            write!(
                f,
                "; stopped early: {why} (the rest is sent by the next run)"
            )?;
        }
        Ok(())
    }
}

/// What the newsletter needs from the server's configuration.
#[derive(Clone)]
pub struct Newsletter {
    pool: Pool,
    mailer: Result<Mailer, String>,
    tz: Tz,
    public_url: Arc<str>,
    site_name: Arc<str>,
    clock: Clock,
    /// Set when the server stops: a run ends after the mail it is sending.
    stop: Option<tokio::sync::watch::Receiver<bool>>,
}

/// The mailer the configuration asks for, or why the newsletter is off.
pub fn mailer_of(config: &crate::server::config::Config) -> Result<Mailer, String> {
    let (Some(url), Some(from)) = (&config.smtp_url, &config.smtp_from) else {
        return Err(
            "The newsletter is switched off: the server has no mail settings (PORTAL_SMTP_URL \
             and PORTAL_SMTP_FROM)."
                .into(),
        );
    };
    let domain = url::Url::parse(&config.public_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| "localhost".into());
    Mailer::new(url.expose(), from, config.smtp_rate, &domain)
}

/// The period a digest of `frequency` sent at local time `at` belongs to: the day
/// ("2026-12-08") or the ISO week ("2026-W50").
pub fn period_of(frequency: Frequency, at: &chrono::DateTime<Tz>) -> String {
    match frequency {
        Frequency::Daily => at.format("%Y-%m-%d").to_string(),
        Frequency::Weekly => {
            let week = at.iso_week();
            format!("{}-W{:02}", week.year(), week.week())
        }
    }
}

/// Whether this period's digests of `frequency` are due at local time `at`: from the hour
/// set (on the weekday set, for weekly ones, or any later day of that week).
pub fn is_due(frequency: Frequency, at: &chrono::DateTime<Tz>, hour: i64, weekly_day: i64) -> bool {
    let hour_reached = i64::from(at.hour()) >= hour;
    match frequency {
        Frequency::Daily => hour_reached,
        Frequency::Weekly => {
            let day = i64::from(at.weekday().number_from_monday());
            day > weekly_day || day == weekly_day && hour_reached
        }
    }
}

fn sections_of(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

impl Newsletter {
    pub fn new(
        pool: Pool,
        mailer: Result<Mailer, String>,
        tz: Tz,
        public_url: &str,
        site_name: &str,
        clock: Clock,
    ) -> Self {
        Newsletter {
            pool,
            mailer,
            tz,
            public_url: public_url.trim_end_matches('/').into(),
            site_name: site_name.into(),
            clock,
            stop: None,
        }
    }

    fn stopping(&self) -> bool {
        self.stop.as_ref().is_some_and(|s| *s.borrow())
    }

    /// Whether mail can be sent at all.
    pub fn is_on(&self) -> bool {
        self.mailer.is_ok()
    }

    fn mailer(&self) -> Result<&Mailer, AppError> {
        self.mailer
            .as_ref()
            .map_err(|why| AppError::Unavailable(why.clone()))
    }

    fn links(&self, token: &str) -> compose::Links {
        compose::Links {
            site: self.public_url.to_string(),
            confirm: format!("{}/newsletter/confirm?token={token}", self.public_url),
            manage: format!("{}/newsletter/manage?token={token}", self.public_url),
            unsubscribe: format!(
                "{}/newsletter/api/unsubscribe?token={token}",
                self.public_url
            ),
        }
    }

    /// The sections a reader chose, checked against the site's.
    async fn checked_sections(&self, chosen: &[String]) -> Result<String, AppError> {
        if chosen.is_empty() {
            return Ok(String::new());
        }
        let known = db::articles::categories(&self.pool).await?;
        let mut slugs = Vec::new();
        for slug in chosen.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            if !known.iter().any(|c| c.slug == slug) {
                return Err(AppError::bad_request(Outcome::BadSection.message()));
            }
            if !slugs.contains(&slug) {
                slugs.push(slug);
            }
        }
        Ok(slugs.join(","))
    }

    /// A reader asks for the newsletter. Whatever was known about the address, the answer is
    /// the same (nobody learns who subscribed); a new address gets the one confirmation mail.
    pub async fn subscribe(
        &self,
        email: &str,
        frequency: &str,
        sections: &[String],
    ) -> Result<(), AppError> {
        let mailer = self.mailer()?;
        let email = email.trim().to_lowercase();
        if !email_is_plausible(&email) || email.parse::<lettre::Address>().is_err() {
            return Err(AppError::bad_request(Outcome::BadEmail.message()));
        }
        let frequency = Frequency::parse(frequency.trim())
            .ok_or_else(|| AppError::bad_request(Outcome::BadFrequency.message()))?;
        let sections = self.checked_sections(sections).await?;
        let now = self.clock.now();
        let token = crate::server::accounts::random_token();
        let id = match db_nl::insert_pending(
            &self.pool,
            &email,
            &token,
            frequency.as_str(),
            &sections,
            now,
        )
        .await?
        {
            Some(id) => id,
            None => {
                // Known: only a bounced address asked for again gets a new confirmation.
                let Some(known) = db_nl::by_email(&self.pool, &email).await? else {
                    return Ok(());
                };
                if !db_nl::renew_bounced(
                    &self.pool,
                    known.id,
                    &token,
                    frequency.as_str(),
                    &sections,
                    now,
                )
                .await?
                {
                    return Ok(());
                }
                known.id
            }
        };
        let letter = compose::confirmation(&self.site_name, &email, &self.links(&token));
        match mailer.send(&letter).await {
            Ok(()) => Ok(()),
            Err(e) => {
                // Nothing was sent: nothing is kept, and the reader can try again.
                db_nl::delete_pending(&self.pool, id).await?;
                tracing::warn!(error = %e, "the newsletter's confirmation mail was not sent");
                Err(match e {
                    SendError::Address(_) => {
                        AppError::Unprocessable(Outcome::Refused.message().into())
                    }
                    SendError::Temporary(_) => {
                        AppError::Unavailable(Outcome::Unavailable.message().into())
                    }
                })
            }
        }
    }

    fn expired() -> AppError {
        AppError::not_found(
            "This link is no longer valid: the subscription was confirmed elsewhere, ended, or \
             never confirmed within 7 days. You can subscribe again on the newsletter page.",
        )
    }

    /// The subscription a link's token names.
    pub async fn subscription(&self, token: &str) -> Result<Subscription, AppError> {
        let row = match token.trim() {
            t if crate::server::accounts::plausible_token(t) => {
                db_nl::by_token(&self.pool, t).await?
            }
            _ => None,
        };
        let row = row
            .filter(|r| r.status != "bounced")
            .ok_or_else(Self::expired)?;
        Ok(Subscription {
            email: row.email,
            confirmed: row.status == "confirmed",
            frequency: Frequency::parse(&row.frequency).unwrap_or_default(),
            sections: sections_of(&row.sections),
        })
    }

    /// The "Confirm" button: the address starts getting digests of what is published from now.
    pub async fn confirm(&self, token: &str) -> Result<Subscription, AppError> {
        let current = self.subscription(token).await?;
        if !current.confirmed {
            db_nl::confirm(&self.pool, token.trim(), self.clock.now()).await?;
        }
        self.subscription(token).await
    }

    pub async fn set_preferences(
        &self,
        token: &str,
        frequency: &str,
        sections: &[String],
    ) -> Result<Subscription, AppError> {
        self.subscription(token).await?;
        let frequency = Frequency::parse(frequency.trim())
            .ok_or_else(|| AppError::bad_request(Outcome::BadFrequency.message()))?;
        let sections = self.checked_sections(sections).await?;
        db_nl::set_preferences(&self.pool, token.trim(), frequency.as_str(), &sections).await?;
        self.subscription(token).await
    }

    /// Ends the subscription and forgets the address. Unknown tokens are not an error (a
    /// second press, or a mail program's one-click after the reader's own).
    pub async fn unsubscribe(&self, token: &str) -> Result<bool, AppError> {
        let token = token.trim();
        if !crate::server::accounts::plausible_token(token) {
            return Ok(false);
        }
        Ok(db_nl::delete_by_token(&self.pool, token).await?)
    }

    /// Forgets the addresses never confirmed within `PENDING_DAYS`.
    pub async fn forget_unconfirmed(&self) -> Result<u64, sqlx::Error> {
        db_nl::forget_pending(&self.pool, self.clock.now() - PENDING_DAYS * 24 * 3600).await
    }

    /// The digests due now (`all_now`: every frequency's current period, due or not, and
    /// digests skipped earlier in it if news arrived since: `portal newsletter send`).
    pub async fn run(&self, all_now: bool) -> Result<RunReport, AppError> {
        let mailer = self.mailer()?.clone();
        let now = self.clock.now();
        let local = dates::at(now, &self.tz);
        let (hour, weekly_day) = db_nl::schedule(&self.pool).await?;
        let mut report = RunReport::default();
        for frequency in Frequency::ALL {
            if !all_now && !is_due(frequency, &local, hour, weekly_day) {
                continue;
            }
            let period = period_of(frequency, &local);
            self.run_period(&mailer, frequency, &period, now, all_now, &mut report)
                .await?;
            if report.stopped.is_some() {
                break;
            }
        }
        if report.sent + report.skipped + report.bounced > 0 || report.stopped.is_some() {
            tracing::info!(%report, "newsletter digests");
        }
        Ok(report)
    }

    async fn run_period(
        &self,
        mailer: &Mailer,
        frequency: Frequency,
        period: &str,
        now: i64,
        skipped_too: bool,
        report: &mut RunReport,
    ) -> Result<(), AppError> {
        // Hex: the claims of this run are found by their prefix.
        let run = format!("{:016x}", fastrand::u64(..));
        let mut batch_no = 0;
        loop {
            batch_no += 1;
            let claim = format!("{run}-{batch_no}");
            let batch = db_nl::claim(
                &self.pool,
                period,
                frequency.as_str(),
                &claim,
                now,
                now - LEASE,
                skipped_too,
                BATCH,
            )
            .await?;
            if batch.is_empty() {
                return Ok(());
            }
            let since_all = batch
                .iter()
                .map(|s| s.last_digest_at.or(s.confirmed_at).unwrap_or(now))
                .min()
                .unwrap_or(now)
                .max(now - LOOKBACK);
            let news = db_nl::published_between(&self.pool, since_all, now, 500).await?;
            for subscriber in batch {
                if self.stopping() {
                    // The rest of the batch stays `sending`: taken over after the lease.
                    report.stopped = Some("the server is stopping".into());
                    return Ok(());
                }
                let since = subscriber
                    .last_digest_at
                    .or(subscriber.confirmed_at)
                    .unwrap_or(now)
                    .max(now - LOOKBACK);
                let sections = sections_of(&subscriber.sections);
                let theirs: Vec<_> = news
                    .iter()
                    .filter(|a| a.published_at > since)
                    .filter(|a| sections.is_empty() || sections.contains(&a.cat_slug))
                    .take(DIGEST_MAX)
                    .cloned()
                    .collect();
                let count = theirs.len() as i64;
                if theirs.is_empty() {
                    db_nl::finish(
                        &self.pool,
                        subscriber.id,
                        period,
                        "skipped",
                        0,
                        None,
                        now,
                        None,
                    )
                    .await?;
                    report.skipped += 1;
                    continue;
                }
                let letter = compose::digest(
                    &self.site_name,
                    frequency,
                    &subscriber.email,
                    &db::rows::into_models(theirs, &self.tz),
                    &self.links(&subscriber.token),
                );
                match mailer.send(&letter).await {
                    Ok(()) => {
                        db_nl::finish(
                            &self.pool,
                            subscriber.id,
                            period,
                            "sent",
                            count,
                            None,
                            self.clock.now(),
                            Some(now),
                        )
                        .await?;
                        report.sent += 1;
                    }
                    Err(SendError::Address(why)) => {
                        db_nl::mark_bounced(&self.pool, subscriber.id, &why).await?;
                        db_nl::finish(
                            &self.pool,
                            subscriber.id,
                            period,
                            "failed",
                            0,
                            Some(&why),
                            self.clock.now(),
                            None,
                        )
                        .await?;
                        report.bounced += 1;
                    }
                    Err(SendError::Temporary(why)) => {
                        // This one and the rest of the batch stay `sending`: the next run
                        // after the lease takes them over.
                        tracing::warn!(error = %why, "the mail server did not take a digest; the run stops here");
                        report.stopped = Some(why);
                        return Ok(());
                    }
                }
            }
        }
    }

    /// Runs due digests every `SCHEDULE_EVERY` and forgets stale pending addresses, until
    /// `stop`. A run under way when `stop` comes finishes the mail it is sending and stops
    /// (never cut off between a mail accepted and its row marked sent).
    pub fn spawn_schedule(
        mut self,
        mut stop: tokio::sync::watch::Receiver<bool>,
    ) -> tokio::task::JoinHandle<()> {
        self.stop = Some(stop.clone());
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(SCHEDULE_EVERY);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = tick.tick() => {}
                    _ = async { let _ = stop.wait_for(|s| *s).await; } => break,
                }
                if let Err(e) = self.forget_unconfirmed().await {
                    tracing::warn!(error = %e, "forgetting unconfirmed newsletter addresses failed");
                }
                if !self.is_on() {
                    continue;
                }
                if let Err(e) = self.run(false).await {
                    tracing::warn!(error = %e, "the newsletter's digests failed; the next run tries again");
                }
            }
        })
    }

    /// The newsroom's figures.
    pub async fn overview(&self, actor: &Actor) -> Result<NewsletterOverview, AppError> {
        require(actor, Action::ViewNewsletter)?;
        let mut o = NewsletterOverview {
            off_because: self.mailer.as_ref().err().cloned(),
            confirmed_daily: 0,
            confirmed_weekly: 0,
            pending: 0,
            bounced: 0,
            send_hour: 7,
            weekly_day: 1,
            timezone: self.tz.name().to_string(),
            last_sends: Vec::new(),
        };
        for (status, frequency, n) in db_nl::counts(&self.pool).await? {
            match (status.as_str(), frequency.as_str()) {
                ("confirmed", "daily") => o.confirmed_daily += n,
                ("confirmed", _) => o.confirmed_weekly += n,
                ("pending", _) => o.pending += n,
                _ => o.bounced += n,
            }
        }
        (o.send_hour, o.weekly_day) = db_nl::schedule(&self.pool).await?;
        o.last_sends = db_nl::last_sends(&self.pool, 14)
            .await?
            .into_iter()
            .map(|r| SendLine {
                period: r.period,
                sent: r.sent,
                skipped: r.skipped,
                failed: r.failed,
                sending: r.sending,
                articles: r.articles,
                last: format!(
                    "{}, {}",
                    dates::label(r.last_at, &self.tz).text,
                    dates::clock_time(r.last_at, &self.tz)
                ),
            })
            .collect();
        Ok(o)
    }

    pub async fn set_schedule(
        &self,
        actor: &Actor,
        hour: i64,
        weekly_day: i64,
    ) -> Result<(), AppError> {
        require(actor, Action::ManageNewsletter)?;
        if !(0..=23).contains(&hour) || !(1..=7).contains(&weekly_day) {
            return Err(AppError::bad_request(
                "Choose an hour from 0 to 23 and a day of the week.",
            ));
        }
        Ok(db_nl::set_schedule(&self.pool, hour, weekly_day).await?)
    }

    /// Every subscriber as CSV (address, status, digest, sections, dates in UTC).
    pub async fn export(&self, actor: &Actor) -> Result<String, AppError> {
        require(actor, Action::ManageNewsletter)?;
        let rows = db_nl::all(&self.pool).await?;
        let mut out =
            String::from("email,status,digest,sections,subscribed,confirmed,last_digest\r\n");
        let time = |t: Option<i64>| {
            t.map(|t| dates::utc(t).format("%Y-%m-%dT%H:%M:%SZ").to_string())
                .unwrap_or_default()
        };
        for r in rows {
            let cells = [
                r.email,
                r.status,
                r.frequency,
                r.sections,
                time(Some(r.created_at)),
                time(r.confirmed_at),
                time(r.last_digest_at),
            ];
            let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
            out.push_str(&line.join(","));
            out.push_str("\r\n");
        }
        Ok(out)
    }
}

/// A CSV cell: quoted when it must be, and never read as a formula by a spreadsheet.
fn csv_cell(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(s: &str) -> chrono::DateTime<Tz> {
        use chrono::TimeZone;
        chrono_tz::Europe::Berlin
            .from_local_datetime(
                &chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap(),
            )
            .single()
            .unwrap()
    }

    #[test]
    fn periods_and_when_they_are_due() {
        // Tuesday, 8 December 2026.
        let morning = local("2026-12-08 06:59");
        let later = local("2026-12-08 07:00");
        assert_eq!(period_of(Frequency::Daily, &later), "2026-12-08");
        assert_eq!(period_of(Frequency::Weekly, &later), "2026-W50");
        assert!(!is_due(Frequency::Daily, &morning, 7, 1));
        assert!(is_due(Frequency::Daily, &later, 7, 1));
        // Weekly on Monday: Tuesday is later in the week, so due whatever the hour.
        assert!(is_due(Frequency::Weekly, &morning, 7, 1));
        // Weekly on Tuesday from 7: not before.
        assert!(!is_due(Frequency::Weekly, &morning, 7, 2));
        assert!(is_due(Frequency::Weekly, &later, 7, 2));
        // Weekly on Friday: not yet this week.
        assert!(!is_due(Frequency::Weekly, &later, 7, 5));
        // The ISO week of 1 January 2027 (a Friday) is 2026's 53rd.
        assert_eq!(
            period_of(Frequency::Weekly, &local("2027-01-01 08:00")),
            "2026-W53"
        );
    }

    #[test]
    fn csv_cells_are_quoted_and_never_formulas() {
        assert_eq!(csv_cell("reader@example.org"), "reader@example.org");
        assert_eq!(csv_cell("politics,world"), "\"politics,world\"");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
    }
}
