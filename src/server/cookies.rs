//! The request's cookies, read one way for the whole server. The session layer (tower-sessions,
//! through tower-cookies) reads every `Cookie` header, percent-decodes each pair and keeps the
//! last of a name; `value` reads exactly so, and `one_session_cookie` rewrites a request so
//! that it carries its session cookie once, plainly, before anything looks at it: the page
//! cache and the session layer cannot disagree on who is asking.

use axum::http::{header, HeaderMap, HeaderValue};
use tower_sessions::cookie::Cookie;

/// The newsroom's session.
pub const SESSION: &str = "portal_session";
/// A browser that has logged in to an account before (`accounts`' device cookie).
pub const DEVICE: &str = "portal_device";

/// The pairs of every `Cookie` header, each as (decoded name, decoded value, raw text).
fn pairs<'a>(headers: &'a HeaderMap) -> impl Iterator<Item = (String, String, &'a str)> + 'a {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| std::str::from_utf8(v.as_bytes()).ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|raw| {
            let cookie = Cookie::parse_encoded(raw.to_owned()).ok()?;
            Some((cookie.name().to_string(), cookie.value().to_string(), raw))
        })
}

/// The value of the cookie `name` (percent-decoded; the last one when sent more than once),
/// unless it is empty.
pub fn value(headers: &HeaderMap, name: &str) -> Option<String> {
    pairs(headers)
        .filter(|(n, _, _)| n == name)
        .last()
        .map(|(_, v, _)| v)
        .filter(|v| !v.is_empty())
}

/// The session cookie, when it can be a session id at all.
pub fn session(headers: &HeaderMap) -> Option<String> {
    value(headers, SESSION).filter(|v| v.parse::<tower_sessions::session::Id>().is_ok())
}

/// Rewrites the request's `Cookie` headers into one, with the session cookie once and
/// undecorated (`session` read it), or without it when it cannot be a session id. Requests
/// without a session cookie are left as they are.
pub fn one_session_cookie(headers: &mut HeaderMap) {
    let raw = headers.get_all(header::COOKIE).iter().count();
    if raw == 0 || !pairs(headers).any(|(n, _, _)| n == SESSION) {
        return;
    }
    let session = session(headers);
    let mut kept: Vec<String> = pairs(headers)
        .filter(|(n, _, _)| n != SESSION)
        .map(|(_, _, raw)| raw.trim().to_string())
        .collect();
    if let Some(id) = session {
        kept.push(format!("{SESSION}={id}"));
    }
    headers.remove(header::COOKIE);
    if let Ok(value) = HeaderValue::from_str(&kept.join("; ")) {
        if !value.is_empty() {
            headers.insert(header::COOKIE, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append(header::COOKIE, v.parse().unwrap());
        }
        h
    }

    const ID: &str = "AAAAAAAAAAAAAAAAAAAAAA";

    #[test]
    fn one_reading_of_the_session_cookie() {
        // Percent-encoded, as the session layer decodes it.
        let mut h = headers(&["theme=dark; portal_session=%41AAAAAAAAAAAAAAAAAAAAA"]);
        assert_eq!(session(&h).as_deref(), Some(ID));
        one_session_cookie(&mut h);
        assert_eq!(
            h[header::COOKIE],
            format!("theme=dark; portal_session={ID}")
        );
        // Several headers, several values: the last, as the session layer keeps it.
        let mut h = headers(&["portal_session=junk", &format!("a=1; portal_session={ID}")]);
        assert_eq!(session(&h).as_deref(), Some(ID));
        one_session_cookie(&mut h);
        assert_eq!(h.get_all(header::COOKIE).iter().count(), 1);
        assert_eq!(h[header::COOKIE], format!("a=1; portal_session={ID}"));
        // Not an id: gone, for everyone.
        let mut h = headers(&["portal_session=made-up; b=2"]);
        assert_eq!(session(&h), None);
        one_session_cookie(&mut h);
        assert_eq!(h[header::COOKIE], "b=2");
        let mut h = headers(&["portal_session=made-up"]);
        one_session_cookie(&mut h);
        assert!(h.get(header::COOKIE).is_none());
        // Without a session cookie nothing changes.
        let mut h = headers(&["a=%41", "b=2"]);
        one_session_cookie(&mut h);
        assert_eq!(h.get_all(header::COOKIE).iter().count(), 2);
    }
}
