//! The newsletter as its pages show it: a reader's subscription (found by the secret in their
//! links) and the newsroom's overview.

use super::validate::EMAIL_MAX;
use serde::{Deserialize, Serialize};

/// How often a subscriber gets the digest of new articles.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Frequency {
    #[default]
    Daily,
    Weekly,
}

impl Frequency {
    pub const ALL: [Frequency; 2] = [Frequency::Daily, Frequency::Weekly];

    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Daily => "daily",
            Frequency::Weekly => "weekly",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == s)
    }

    /// As the form says it.
    pub fn label(self) -> &'static str {
        match self {
            Frequency::Daily => "Daily: the day's new articles, every morning",
            Frequency::Weekly => "Weekly: the week's new articles, once a week",
        }
    }
}

/// Whether `email` looks like an address mail can be sent to: one `@`, a local part, a domain
/// with a dot, no spaces or angle brackets (the mail server has the last word).
pub fn email_is_plausible(email: &str) -> bool {
    let Some((local, domain)) = email.rsplit_once('@') else {
        return false;
    };
    email.len() <= EMAIL_MAX
        && !local.is_empty()
        && local.len() <= 64
        && !local.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
        && !email
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>()[],;:\\\"".contains(c))
}

/// A reader's subscription, for the page their links open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    pub email: String,
    /// Confirmed (else still waiting for the "Confirm" button).
    pub confirmed: bool,
    pub frequency: Frequency,
    /// Section slugs; empty: every section.
    pub sections: Vec<String>,
}

/// One period's digests, for the newsroom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendLine {
    /// "2026-12-08" (daily) or "2026-W50" (weekly).
    pub period: String,
    pub sent: i64,
    pub skipped: i64,
    pub failed: i64,
    /// Being sent, or left by a server that stopped (taken over after a few minutes).
    pub sending: i64,
    pub articles: i64,
    pub last: String,
}

/// The newsroom's view of the newsletter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewsletterOverview {
    /// Without `PORTAL_SMTP_URL` and `PORTAL_SMTP_FROM` the newsletter is off; this says so.
    pub off_because: Option<String>,
    pub confirmed_daily: i64,
    pub confirmed_weekly: i64,
    pub pending: i64,
    pub bounced: i64,
    /// The hour digests go out (the newsroom's timezone).
    pub send_hour: i64,
    /// The day weekly ones go out (1 Monday … 7 Sunday).
    pub weekly_day: i64,
    pub timezone: String,
    pub last_sends: Vec<SendLine>,
}

pub const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// What a newsletter form did, as the page it leads to says it (`?done=…` or `?error=…`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    /// Subscribed: the confirmation mail is on its way.
    CheckInbox,
    Confirmed,
    Saved,
    Unsubscribed,
    BadEmail,
    BadFrequency,
    BadSection,
    /// The mail server refused the address.
    Refused,
    /// Mail cannot be sent just now (or the newsletter is off).
    Unavailable,
    Failed,
}

impl Outcome {
    pub const ALL: [Outcome; 10] = [
        Outcome::CheckInbox,
        Outcome::Confirmed,
        Outcome::Saved,
        Outcome::Unsubscribed,
        Outcome::BadEmail,
        Outcome::BadFrequency,
        Outcome::BadSection,
        Outcome::Refused,
        Outcome::Unavailable,
        Outcome::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::CheckInbox => "check-inbox",
            Outcome::Confirmed => "confirmed",
            Outcome::Saved => "saved",
            Outcome::Unsubscribed => "unsubscribed",
            Outcome::BadEmail => "email",
            Outcome::BadFrequency => "frequency",
            Outcome::BadSection => "section",
            Outcome::Refused => "refused",
            Outcome::Unavailable => "unavailable",
            Outcome::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == s)
    }

    /// Good news (`?done=`) or a problem (`?error=`).
    pub fn is_error(self) -> bool {
        !matches!(
            self,
            Outcome::CheckInbox | Outcome::Confirmed | Outcome::Saved | Outcome::Unsubscribed
        )
    }

    /// The page's status when it shows this.
    pub fn status(self) -> u16 {
        match self {
            Outcome::BadEmail | Outcome::BadFrequency | Outcome::BadSection => 400,
            Outcome::Refused => 422,
            Outcome::Unavailable => 503,
            Outcome::Failed => 500,
            _ => 200,
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            Outcome::CheckInbox => {
                "Almost done: we sent a mail with a link to confirm. Nothing is sent to the \
                 address until you press \"Confirm\" on that page (the link works for 7 days)."
            }
            Outcome::Confirmed => "Confirmed: your first digest comes with the next new articles.",
            Outcome::Saved => "Saved.",
            Outcome::Unsubscribed => {
                "You are unsubscribed: the address is deleted and gets nothing more."
            }
            Outcome::BadEmail => "Enter an e-mail address like name@example.org.",
            Outcome::BadFrequency => "Choose a daily or a weekly digest.",
            Outcome::BadSection => "One of the sections chosen does not exist (any more).",
            Outcome::Refused => "The mail server refused this address. Check it and try again.",
            Outcome::Unavailable => {
                "We could not send mail just now. Please try again in a few minutes."
            }
            Outcome::Failed => "Something went wrong on our side. Please try again in a moment.",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plausible_addresses() {
        for ok in [
            "reader@example.org",
            "a.b+news@mail.example.co.uk",
            "jörg@bücher.example",
        ] {
            assert!(email_is_plausible(ok), "{ok}");
        }
        for bad in [
            "",
            "reader",
            "reader@",
            "@example.org",
            "reader@localhost",
            "two words@example.org",
            "reader@example.org\r\nBcc: x@example.org",
            "<reader@example.org>",
            "reader@example..org",
            "reader@.example.org",
        ] {
            assert!(!email_is_plausible(bad), "{bad:?}");
        }
        assert!(!email_is_plausible(&format!(
            "{}@example.org",
            "a".repeat(65)
        )));
    }
}
