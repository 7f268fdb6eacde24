//! Time: the clock, and every way a timestamp is written, in the newsroom's timezone. Every
//! conversion from a timestamp goes through `at` (or `utc`).

use crate::model::DateLabel;
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use std::sync::Arc;

pub fn now() -> i64 {
    Utc::now().timestamp()
}

/// Where the newsroom's services read the time: the system clock, or a fixed one in tests.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> i64 + Send + Sync>);

impl Clock {
    pub fn system() -> Self {
        Clock(Arc::new(now))
    }

    pub fn fixed(ts: i64) -> Self {
        Clock(Arc::new(move || ts))
    }

    pub fn now(&self) -> i64 {
        (self.0)()
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Clock({})", self.now())
    }
}

/// A timestamp in `tz`. Out-of-range timestamps read as the epoch rather than failing a page.
pub fn at(ts: i64, tz: &Tz) -> DateTime<Tz> {
    tz.timestamp_opt(ts, 0)
        .single()
        .unwrap_or_else(|| tz.timestamp_opt(0, 0).unwrap())
}

pub fn utc(ts: i64) -> DateTime<Utc> {
    at(ts, &chrono_tz::UTC).with_timezone(&Utc)
}

/// "November 8, 2025", plus the RFC 3339 form for `<time datetime>`.
pub fn label(ts: i64, tz: &Tz) -> DateLabel {
    let d = at(ts, tz);
    DateLabel {
        text: d.format("%B %-d, %Y").to_string(),
        iso: d.to_rfc3339(),
    }
}

/// "Sunday, November 9, 2025" for the top bar.
pub fn long_day(ts: i64, tz: &Tz) -> String {
    at(ts, tz).format("%A, %B %-d, %Y").to_string()
}

pub fn year(ts: i64, tz: &Tz) -> i32 {
    use chrono::Datelike;
    at(ts, tz).year()
}

/// "14:02": when something was saved today.
pub fn clock_time(ts: i64, tz: &Tz) -> String {
    at(ts, tz).format("%H:%M").to_string()
}

/// "November 8, 2025, 14:02".
pub fn date_time(ts: i64, tz: &Tz) -> String {
    at(ts, tz).format("%B %-d, %Y, %H:%M").to_string()
}

/// "2026-11-28T14:30", as a `datetime-local` input shows it.
pub fn local_input(ts: i64, tz: &Tz) -> String {
    at(ts, tz).format("%Y-%m-%dT%H:%M").to_string()
}

/// "2026-11-28T14:30" in the site's timezone to a timestamp.
pub fn parse_local(input: &str, tz: &Tz) -> Option<i64> {
    let naive = NaiveDateTime::parse_from_str(input.trim(), "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(input.trim(), "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    // In a DST gap the time does not exist; take the earliest valid reading of an overlap.
    tz.from_local_datetime(&naive)
        .earliest()
        .map(|d| d.timestamp())
}

/// A month ("2026-12") in the site's timezone as `[start, end)` timestamps.
pub fn month_range(month: &str, tz: &Tz) -> Option<(i64, i64)> {
    let first =
        chrono::NaiveDate::parse_from_str(&format!("{}-01", month.trim()), "%Y-%m-%d").ok()?;
    let next = first.checked_add_months(chrono::Months::new(1))?;
    let start = |d: chrono::NaiveDate| {
        tz.from_local_datetime(&d.and_hms_opt(0, 0, 0)?)
            .earliest()
            .map(|t| t.timestamp())
    };
    Some((start(first)?, start(next)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_in_the_site_timezone() {
        let tz: Tz = "Europe/Berlin".parse().unwrap();
        let (a, b) = month_range("2026-12", &tz).unwrap();
        assert_eq!(b - a, 31 * 86_400);
        assert_eq!(
            a, 1_796_079_600,
            "midnight in Berlin is 23:00 UTC the day before"
        );
        assert_eq!(month_range("2026-13", &tz), None);
        assert_eq!(month_range("x", &tz), None);
    }

    #[test]
    fn formats_in_the_site_timezone() {
        // 2025-11-09 23:30 UTC is already the 10th in Berlin.
        let ts = Utc
            .with_ymd_and_hms(2025, 11, 9, 23, 30, 0)
            .unwrap()
            .timestamp();
        assert_eq!(long_day(ts, &chrono_tz::UTC), "Sunday, November 9, 2025");
        assert_eq!(
            long_day(ts, &chrono_tz::Europe::Berlin),
            "Monday, November 10, 2025"
        );
        let l = label(ts, &chrono_tz::UTC);
        assert_eq!(l.text, "November 9, 2025");
        assert_eq!(l.iso, "2025-11-09T23:30:00+00:00");
        assert_eq!(
            label(ts, &chrono_tz::Europe::Berlin).text,
            "November 10, 2025"
        );
        assert_eq!(year(ts, &chrono_tz::UTC), 2025);
        assert_eq!(clock_time(ts, &chrono_tz::Europe::Berlin), "00:30");
        assert_eq!(date_time(ts, &chrono_tz::UTC), "November 9, 2025, 23:30");
        assert_eq!(utc(ts).to_rfc3339(), "2025-11-09T23:30:00+00:00");
    }

    #[test]
    fn single_digit_days_have_no_padding() {
        let ts = Utc
            .with_ymd_and_hms(2025, 3, 4, 12, 0, 0)
            .unwrap()
            .timestamp();
        assert_eq!(label(ts, &chrono_tz::UTC).text, "March 4, 2025");
    }

    #[test]
    fn local_times_in_the_site_timezone() {
        let tz: Tz = "Europe/Berlin".parse().unwrap();
        let ts = parse_local("2026-07-01T12:30", &tz).unwrap();
        assert_eq!(
            ts,
            Utc.with_ymd_and_hms(2026, 7, 1, 10, 30, 0)
                .unwrap()
                .timestamp()
        );
        assert_eq!(local_input(ts, &tz), "2026-07-01T12:30");
        assert!(parse_local("tomorrow", &tz).is_none());
        assert!(parse_local("2026-13-01T00:00", &tz).is_none());
        // 02:30 does not exist on the spring-forward night.
        assert!(parse_local("2026-03-29T02:30", &tz).is_none());
    }

    #[test]
    fn clocks() {
        assert_eq!(Clock::fixed(42).now(), 42);
        assert!(Clock::system().now() > 1_700_000_000);
    }
}
