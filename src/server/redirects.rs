//! Old addresses that answer 301 (Moved Permanently) to new ones: the permalinks of an
//! imported WordPress site (`/2024/05/03/harbour-plan/`, `/?p=42`, `/category/local/`,
//! `/feed/`), or any an operator adds with `portal redirect add`. The table is data
//! (`redirects`), looked up only when the portal has nothing at an address (a 404) — or for
//! WordPress's query forms on the front page — so pages that exist cost nothing more.

use crate::routes::RouteKind;
use crate::server::db::{imports, Pool};
use axum::{
    body::Body,
    extract::State,
    http::{header, HeaderValue, Method, Request, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// Longest address looked up: anything longer is nobody's old permalink.
const MAX_KEY: usize = 1_000;

/// How long browsers and proxies may keep a redirect: the table is editable, so not forever.
const REDIRECT_MAX_AGE: &str = "public, max-age=3600";

/// WordPress's query forms on the front page (`/?p=42`, `/?page_id=7`, `/?cat=3`, `/?feed=rss2`).
const QUERY_FORMS: &[&str] = &["p", "page_id", "cat", "tag", "author", "feed"];

/// `%xx` decoded to UTF-8; `None` for a malformed escape or bytes that are not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    if !s.contains('%') {
        return Some(s.to_string());
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The form an address is stored and looked up in: the path percent-decoded, in lower case,
/// without a trailing slash; on the front page, WordPress's query form alone (`/?p=42`); other
/// queries dropped. `None` for what cannot be an old address.
pub fn key(path_and_query: &str) -> Option<String> {
    if path_and_query.len() > MAX_KEY || !path_and_query.starts_with('/') {
        return None;
    }
    let (path, query) = match path_and_query.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (path_and_query, None),
    };
    let path = percent_decode(path)?.to_lowercase();
    let path = path.trim_end_matches('/');
    if path.is_empty() {
        let query = query?;
        let (name, value) = form_urlencoded::parse(query.as_bytes())
            .find(|(k, v)| QUERY_FORMS.contains(&k.as_ref()) && !v.is_empty())?;
        return Some(format!("/?{name}={}", value.to_lowercase()));
    }
    if path.contains("//") || path.chars().any(char::is_control) {
        return None;
    }
    Some(path.to_string())
}

/// Where a redirect may send readers, normalised as a browser reads it (`weburl`): a page of
/// this site, or an http(s) address elsewhere written out whole. `None` for anything else —
/// `/\\evil.example` and `/\t/evil.example` start with one `/` but leave the site.
pub fn target(to: &str) -> Option<String> {
    use crate::server::weburl::{resolve, Target};
    match resolve(to.trim())? {
        Target::Local(path) => Some(path),
        Target::Elsewhere(url) if matches!(url.scheme(), "https" | "http") => {
            (url.username().is_empty() && url.password().is_none()).then(|| url.to_string())
        }
        Target::Elsewhere(_) => None,
    }
}

/// Where a link someone typed may go: a path of this site (`/about-us`) or a whole https://
/// address, as a browser reads it. `None` for anything else: a relative address (`about`),
/// another site by a trick of spelling (`//host`, `/\host`), another scheme.
pub fn typed_target(to: &str) -> Option<String> {
    let to = to.trim();
    let resolved = target(to)?;
    let typed = to.to_ascii_lowercase();
    ((resolved.starts_with('/') && to.starts_with('/') && !to.starts_with("//"))
        || (resolved.starts_with("https://") && typed.starts_with("https://")))
    .then_some(resolved)
}

/// A new redirect as someone typed it (the newsroom's form, `portal redirect add`): the
/// address in its stored form and where it sends readers — a page of this site or a whole
/// `https://` address, nothing else — or what is wrong, said plainly.
pub fn checked(from: &str, to: &str) -> Result<(String, String), String> {
    let from = from.trim();
    let key = key(from).ok_or_else(|| {
        format!(
            "“{}” is not an address of this site: it starts with / (like /old-page/).",
            from.chars().take(80).collect::<String>()
        )
    })?;
    if key.starts_with("/?") && !from.starts_with("/?") {
        return Err("Give the whole address, with its path.".into());
    }
    let to = to.trim();
    let target = typed_target(to).ok_or_else(|| {
        format!(
            "“{}”: give an address of this site (/article/…) or a whole https:// address.",
            to.chars().take(80).collect::<String>()
        )
    })?;
    if key.eq_ignore_ascii_case(target.trim_end_matches('/')) {
        return Err("An address cannot lead to itself.".into());
    }
    Ok((key, target))
}

/// The 301 to `to`; `None` when `to` is not a place a redirect may send readers.
pub fn moved(to: &str) -> Option<Response> {
    // Checked again on the way out: a row written before the rule (or by hand) cannot send
    // a reader off the site by a trick of spelling.
    let location = target(to).and_then(|to| HeaderValue::from_str(&to).ok())?;
    Some(
        (
            StatusCode::MOVED_PERMANENTLY,
            [
                (header::LOCATION, location),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static(REDIRECT_MAX_AGE),
                ),
            ],
        )
            .into_response(),
    )
}

async fn lookup(pool: &Pool, key: &str) -> Option<String> {
    match imports::redirect_for(pool, key).await {
        Ok(found) => found,
        Err(e) => {
            tracing::warn!(error = %e, "looking up a redirect failed; answering without it");
            None
        }
    }
}

/// The middleware: a reader's GET or HEAD that found nothing, or a WordPress query form on the
/// front page, is looked up in the table.
pub async fn layer(State(pool): State<Pool>, req: Request<Body>, next: Next) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return next.run(req).await;
    }
    let kind = RouteKind::of(req.uri().path());
    if !matches!(kind, RouteKind::Page | RouteKind::Feed) {
        return next.run(req).await;
    }
    let address = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| req.uri().path().to_string());
    if req.uri().path() == "/" {
        if let Some(key) = key(&address) {
            if let Some(moved) = lookup(&pool, &key).await.and_then(|to| moved(&to)) {
                return moved;
            }
        }
        return next.run(req).await;
    }
    let response = next.run(req).await;
    if response.status() != StatusCode::NOT_FOUND {
        return response;
    }
    let Some(key) = key(&address) else {
        return response;
    };
    let found = match lookup(&pool, &key).await {
        Some(to) => Some(to),
        // Page N of an archive that moved (`/tag/old/page/3/`): page N of where it went.
        None => match paged(&key) {
            Some((base, n)) => lookup(&pool, base)
                .await
                .filter(|to| to.starts_with('/') && !to.contains('?'))
                .map(|to| format!("{}/page/{n}", to.trim_end_matches('/'))),
            None => None,
        },
    };
    match found {
        // Never to itself (a stored "/category/tech" asked for as "/category/tech" that is
        // gone would loop).
        Some(to) if !address.eq_ignore_ascii_case(&to) => moved(&to).unwrap_or(response),
        _ => response,
    }
}

/// `/tag/x/page/3` → (`/tag/x`, 3): an archive's numbered page (not the site's own).
fn paged(key: &str) -> Option<(&str, u32)> {
    let (base, n) = key.rsplit_once("/page/")?;
    let n: u32 = n.parse().ok().filter(|n| *n >= 1)?;
    (!base.is_empty()).then_some((base, n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        assert_eq!(
            key("/2024/05/03/Harbour-Plan/"),
            Some("/2024/05/03/harbour-plan".into())
        );
        assert_eq!(
            key("/politics/harbour-plan/?utm_source=x"),
            Some("/politics/harbour-plan".into())
        );
        assert_eq!(
            key("/%D0%BF%D1%80%D0%B8%D0%B2%D0%B5%D1%82/"),
            Some("/привет".into())
        );
        assert_eq!(key("/?p=42"), Some("/?p=42".into()));
        assert_eq!(key("/?utm=1&p=42"), Some("/?p=42".into()));
        assert_eq!(key("/?feed=rss2"), Some("/?feed=rss2".into()));
        assert_eq!(key("/?s=harbour"), None);
        assert_eq!(key("/"), None);
        assert_eq!(key("/%ff%fe"), None);
        assert_eq!(key("/%zz"), None);
        assert_eq!(key(&format!("/{}", "a".repeat(2000))), None);
        assert_eq!(key("//evil.example"), None);
        assert_eq!(key("/?tag=Harbour"), Some("/?tag=harbour".into()));
        assert_eq!(paged("/tag/harbour/page/3"), Some(("/tag/harbour", 3)));
        assert_eq!(paged("/page/3"), None);
        assert_eq!(paged("/tag/harbour/page/x"), None);
        assert_eq!(paged("/tag/harbour/page/0"), None);
        assert_eq!(
            checked(" /Old-Page/ ", "/article/new"),
            Ok(("/old-page".into(), "/article/new".into()))
        );
        assert_eq!(
            checked("/old", "https://elsewhere.example/x"),
            Ok(("/old".into(), "https://elsewhere.example/x".into()))
        );
        for (from, to) in [
            ("old", "/article/new"),
            ("/old", "http://elsewhere.example/"),
            ("/old", "javascript:alert(1)"),
            ("/old", "//evil.example"),
            ("/old", "/\\evil.example"),
            ("/old", "ftp://x.example/"),
            ("/old", "/old/"),
            ("/old", ""),
        ] {
            assert!(checked(from, to).is_err(), "{from} -> {to}");
        }
    }
}
