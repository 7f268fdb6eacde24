//! Sending the newsletter's mail over SMTP (`PORTAL_SMTP_URL`, `PORTAL_SMTP_FROM`): STARTTLS or
//! TLS except to a relay on loopback, pooled connections, at most `PORTAL_SMTP_RATE` mails a
//! second, temporary failures retried with backoff.

use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, Message, MultiPart};
use lettre::transport::smtp::client::Tls;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::time::Duration;

/// Tries of one mail before a temporary failure is given up on (for this run).
const TRIES: u32 = 4;

/// Why a mail was not sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// The server refused the address for good (550, 551, 553): it is not mailed again.
    #[error("the mail server refused the address: {0}")]
    Address(String),
    /// Anything else that did not go away after a few tries (the server down or busy, the
    /// credentials refused, a network failure): the mail is tried again in a later run.
    #[error("the mail server did not take the mail: {0}")]
    Temporary(String),
}

/// A mail to send: the recipient, the subject, both parts, and the address of the one-click
/// unsubscribe (RFC 8058).
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub unsubscribe: String,
}

#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The domain of message ids.
    domain: String,
    /// The least time between two mails.
    gap: Duration,
    next: std::sync::Arc<tokio::sync::Mutex<tokio::time::Instant>>,
    backoff: Duration,
}

/// Whether `host` is this machine (where plain SMTP to a local relay is fine).
fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

impl Mailer {
    /// The mailer for `url` (checked by the configuration's parser) sending as `from`, at most
    /// `rate` mails a second, saying `domain` in its greeting and message ids.
    pub fn new(url: &str, from: &str, rate: u32, domain: &str) -> Result<Self, String> {
        let parsed = url::Url::parse(url).map_err(|e| e.to_string())?;
        let host = parsed.host_str().unwrap_or_default().to_string();
        // Plain SMTP only to this machine: anywhere else `smtp://` means STARTTLS, required.
        let mut url = url.to_string();
        if parsed.scheme() == "smtp"
            && !parsed.query_pairs().any(|(k, _)| k == "tls")
            && !is_loopback(&host)
        {
            url.push_str(if parsed.query().is_some() { "&" } else { "?" });
            url.push_str("tls=required");
        }
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(&url)
            .map_err(|e| format!("PORTAL_SMTP_URL: {e}"))?
            .timeout(Some(Duration::from_secs(30)));
        if parsed.path().len() <= 1 {
            builder = builder.hello_name(lettre::transport::smtp::extension::ClientId::Domain(
                domain.to_string(),
            ));
        }
        if parsed.scheme() == "smtp" && is_loopback(&host) && parsed.query().is_none() {
            builder = builder.tls(Tls::None);
        }
        let from = from
            .parse::<Mailbox>()
            .map_err(|e| format!("PORTAL_SMTP_FROM: {e}"))?;
        Ok(Mailer {
            transport: builder.build(),
            from,
            domain: domain.to_string(),
            gap: Duration::from_secs_f64(1.0 / f64::from(rate.max(1))),
            next: std::sync::Arc::new(tokio::sync::Mutex::new(tokio::time::Instant::now())),
            backoff: Duration::from_millis(500),
        })
    }

    /// Waits between temporary failures start at `backoff` and double (tests shorten them).
    pub fn with_backoff(mut self, backoff: Duration) -> Self {
        self.backoff = backoff;
        self
    }

    /// Waits for this mail's turn under the rate.
    async fn pace(&self) {
        let at = {
            let mut next = self.next.lock().await;
            let now = tokio::time::Instant::now();
            let at = (*next).max(now);
            *next = at + self.gap;
            at
        };
        tokio::time::sleep_until(at).await;
    }

    fn message(&self, mail: &Mail) -> Result<Message, SendError> {
        let to = mail
            .to
            .parse::<Mailbox>()
            .map_err(|e| SendError::Address(e.to_string()))?;
        let header = |name: &'static str, value: String| {
            HeaderValue::new(HeaderName::new_from_ascii_str(name), value)
        };
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .date_now()
            .message_id(Some(format!(
                "<{:016x}{:016x}@{}>",
                fastrand::u64(..),
                fastrand::u64(..),
                self.domain
            )))
            .raw_header(header(
                "List-Unsubscribe",
                format!("<{}>", mail.unsubscribe),
            ))
            .raw_header(header(
                "List-Unsubscribe-Post",
                "List-Unsubscribe=One-Click".into(),
            ))
            .raw_header(header("Auto-Submitted", "auto-generated".into()))
            .multipart(MultiPart::alternative_plain_html(
                mail.text.clone(),
                mail.html.clone(),
            ))
            .map_err(|e| SendError::Address(e.to_string()))
    }

    /// Sends `mail`, trying again with backoff while the failure is temporary.
    pub async fn send(&self, mail: &Mail) -> Result<(), SendError> {
        let message = self.message(mail)?;
        let mut wait = self.backoff;
        let mut tries = 0;
        loop {
            self.pace().await;
            tries += 1;
            match self.transport.send(message.clone()).await {
                Ok(_) => {
                    metrics::counter!("portal_mail_sent_total").increment(1);
                    return Ok(());
                }
                Err(e) => {
                    let code = e.status().map(|c| c.to_string()).unwrap_or_default();
                    if e.is_permanent() && matches!(code.as_str(), "550" | "551" | "553") {
                        metrics::counter!("portal_mail_refused_total").increment(1);
                        return Err(SendError::Address(e.to_string()));
                    }
                    if tries >= TRIES || e.is_permanent() {
                        metrics::counter!("portal_mail_failed_total").increment(1);
                        return Err(SendError::Temporary(e.to_string()));
                    }
                    tracing::info!(error = %e, tries, "the mail server did not take a mail; trying again");
                    tokio::time::sleep(wait).await;
                    wait *= 2;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_smtp_only_to_this_machine() {
        assert!(is_loopback("127.0.0.1"));
        assert!(is_loopback("[::1]"));
        assert!(is_loopback("localhost"));
        assert!(!is_loopback("mail.example.org"));
        assert!(!is_loopback("10.0.0.5"));
    }
}
