//! Writes come from the portal's own pages only. A browser says where a request comes from
//! (`Sec-Fetch-Site`, `Origin`); a state-changing request that another site made — including
//! a sibling subdomain, which `SameSite=Lax` cookies do not stop — is refused with 403 before
//! anything reads it. And each server function takes only the body type it was written for:
//! a `text/plain` body (which any page may send cross-origin without asking) never reaches one.

use crate::error::AppError;
use axum::http::{header, HeaderMap, Method};

/// The origin ("scheme://host[:port]") of a URL such as the configured public address.
pub fn origin_of(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    match url[after_scheme..].find('/') {
        Some(i) => &url[..after_scheme + i],
        None => url,
    }
}

fn is_write(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Refuses a write another site asked for. Requests without either header (not from a
/// browser: scripts, the tests) cannot carry a reader's cookies against their will and pass.
pub fn same_origin_write(
    method: &Method,
    headers: &HeaderMap,
    public_origin: &str,
) -> Result<(), AppError> {
    if !is_write(method) {
        return Ok(());
    }
    let refused = || {
        AppError::Forbidden(
            "This request came from another site; the newsroom only takes changes from its own \
             pages."
                .into(),
        )
    };
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text("sec-fetch-site") {
        if !matches!(site, "same-origin" | "none") {
            return Err(refused());
        }
    }
    if let Some(origin) = text(header::ORIGIN.as_str()) {
        let own_host = text(header::HOST.as_str());
        let matches_host = |o: &str| {
            let authority = o.split_once("://").map(|(_, a)| a);
            own_host.is_some() && authority == own_host
        };
        if !(origin.eq_ignore_ascii_case(public_origin) || matches_host(origin)) {
            return Err(refused());
        }
    }
    Ok(())
}

/// Refuses a write to a server function whose body is not of the type it takes.
pub fn expected_body(
    method: &Method,
    headers: &HeaderMap,
    path: &str,
    body_types: &[(&'static str, &'static str)],
) -> Result<(), AppError> {
    if !is_write(method) {
        return Ok(());
    }
    let Some((_, expected)) = body_types.iter().find(|(p, _)| *p == path) else {
        return Ok(());
    };
    let given = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if given == *expected {
        Ok(())
    } else {
        Err(AppError::UnsupportedMediaType(format!(
            "This address takes {expected} bodies."
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(
                axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        h
    }

    const OWN: &str = "https://news.example.org";

    #[test]
    fn origins() {
        assert_eq!(origin_of("https://news.example.org"), OWN);
        assert_eq!(origin_of("https://news.example.org/paper"), OWN);
        assert_eq!(origin_of("http://127.0.0.1:3000"), "http://127.0.0.1:3000");
    }

    #[test]
    fn only_the_sites_own_pages_may_write() {
        let post = Method::POST;
        let ok = |h: &[(&str, &str)]| same_origin_write(&post, &headers(h), OWN).is_ok();
        assert!(ok(&[]), "no browser, no cookies taken along");
        assert!(ok(&[("sec-fetch-site", "same-origin"), ("origin", OWN)]));
        assert!(ok(&[
            ("origin", "http://127.0.0.1:3000"),
            ("host", "127.0.0.1:3000")
        ]));
        assert!(!ok(&[("sec-fetch-site", "cross-site")]));
        // A sibling subdomain is the same *site* but not the same origin.
        assert!(!ok(&[("sec-fetch-site", "same-site")]));
        assert!(!ok(&[("origin", "https://evil.example")]));
        assert!(!ok(&[("origin", "https://blog.news.example.org")]));
        assert!(!ok(&[("origin", "null")]));
        assert!(!ok(&[
            ("origin", "https://evil.example"),
            ("host", "news.example.org")
        ]));
        // Reading is never refused.
        let get = headers(&[
            ("sec-fetch-site", "cross-site"),
            ("origin", "https://evil.example"),
        ]);
        assert!(same_origin_write(&Method::GET, &get, OWN).is_ok());
    }

    #[test]
    fn server_functions_take_only_their_body_type() {
        let table = [("/api/admin/new", "application/json")];
        let check = |ct: Option<&str>| {
            let h = ct.map_or_else(HeaderMap::new, |ct| headers(&[("content-type", ct)]));
            expected_body(&Method::POST, &h, "/api/admin/new", &table)
        };
        assert!(check(Some("application/json")).is_ok());
        assert!(check(Some("Application/JSON; charset=utf-8")).is_ok());
        let e = check(Some("text/plain")).unwrap_err();
        assert_eq!(e.status(), 415);
        assert!(check(None).is_err());
        assert!(check(Some("application/x-www-form-urlencoded")).is_err());
        // Addresses that are not server functions are left to their handlers.
        let other = expected_body(&Method::POST, &HeaderMap::new(), "/api/admin/media", &table);
        assert!(other.is_ok());
    }
}
