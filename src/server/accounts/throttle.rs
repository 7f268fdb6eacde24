//! The log-in throttle: failures counted per account and address, pair and browser, with
//! waits that grow; browsers that logged in before are remembered by a device cookie.

use crate::server::db::users::ThrottleKey;

/// A key of the login throttle forgets its failures after this many seconds without one.
pub const THROTTLE_WINDOW: i64 = 15 * 60;
/// Wrong passwords one address may try for one account before each further attempt waits
/// (2 s, 4 s, 8 s ... up to 15 minutes). The owner, from another address, is not held up.
pub const FREE_TRIES_PER_PAIR: i64 = 5;
/// Failures from one address over all accounts before its attempts wait the same way.
pub const FREE_TRIES_PER_CLIENT: i64 = 30;
/// Failures for one account from everywhere before every attempt for it waits; the wait
/// stays short (a minute at most) so that this brakes a spread-out attack without ever
/// locking the owner out.
pub const FREE_TRIES_PER_ACCOUNT: i64 = 100;
/// Wrong passwords a browser that logged in to the account before may try before its attempts
/// wait (2 s, 4 s ... up to 15 minutes). Such a browser meets only this brake: strangers'
/// failures, which hold the account and their addresses back, never hold up the owner's own
/// browser (a device cookie, as OWASP's guidance against lock-outs describes).
pub const FREE_TRIES_PER_DEVICE: i64 = 5;
/// A browser is remembered this long after it last logged in.
pub const DEVICE_LIFETIME: i64 = 180 * 86_400;
/// Browsers remembered per account (the most recently used).
pub(super) const DEVICES_PER_ACCOUNT: i64 = 20;
pub(super) fn normal_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// The throttle's keys for an attempt on `email` from `client`: the pair, the address, the
/// account.
pub(super) fn throttle_keys(email: &str, client: &str) -> [ThrottleKey; 3] {
    let email = normal_email(email);
    let key = |key: String, free: i64, max_delay: i64| ThrottleKey {
        key,
        free,
        max_delay,
    };
    [
        key(
            format!("pair:{client} {email}"),
            FREE_TRIES_PER_PAIR,
            THROTTLE_WINDOW,
        ),
        key(
            format!("client:{client}"),
            FREE_TRIES_PER_CLIENT,
            THROTTLE_WINDOW,
        ),
        key(format!("account:{email}"), FREE_TRIES_PER_ACCOUNT, 60),
    ]
}

/// The throttle's one key for a browser that logged in to the account before.
pub(super) fn device_key(device_hash: &str) -> ThrottleKey {
    ThrottleKey {
        key: format!("device:{device_hash}"),
        free: FREE_TRIES_PER_DEVICE,
        max_delay: THROTTLE_WINDOW,
    }
}

/// A device token as the store keeps it: hashed, like session ids.
pub(super) fn device_hash(token: &str) -> String {
    use blake2::{Blake2s256, Digest};
    Blake2s256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether a cookie's value can be a device token at all (what `new_device_token` makes).
pub fn plausible_token(token: &str) -> bool {
    (32..=64).contains(&token.len())
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// 256 random bits (two session ids' worth: the same generator), URL-safe.
pub fn new_device_token() -> String {
    use tower_sessions::session::Id;
    format!("{}{}", Id::default(), Id::default())
}

pub(super) fn wait_message(seconds: i64) -> String {
    let (n, unit) = if seconds >= 90 {
        ((seconds as f64 / 60.0).ceil() as i64, "minute")
    } else {
        (seconds.max(1), "second")
    };
    format!(
        "Too many failed log-in attempts. Try again in {n} {unit}{}.",
        if n == 1 { "" } else { "s" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_are_said_in_words() {
        assert_eq!(
            wait_message(1),
            "Too many failed log-in attempts. Try again in 1 second."
        );
        assert!(wait_message(30).contains("30 seconds"));
        assert!(wait_message(900).contains("15 minutes"));
    }
}
