//! Dates as readers read them, in the newsroom's timezone.

use crate::model::DateLabel;
use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Tz;

pub fn now() -> i64 {
    Utc::now().timestamp()
}

fn at(ts: i64, tz: &Tz) -> DateTime<Tz> {
    tz.timestamp_opt(ts, 0)
        .single()
        .unwrap_or_else(|| tz.timestamp_opt(0, 0).unwrap())
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

#[cfg(test)]
mod tests {
    use super::*;

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
    }

    #[test]
    fn single_digit_days_have_no_padding() {
        let ts = Utc
            .with_ymd_and_hms(2025, 3, 4, 12, 0, 0)
            .unwrap()
            .timestamp();
        assert_eq!(label(ts, &chrono_tz::UTC).text, "March 4, 2025");
    }
}
