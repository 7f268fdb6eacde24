//! The page cache: rendered public pages and public read server functions, for anonymous
//! readers, in process memory (bounded by size), dropped as a whole the moment any content
//! changes. Correct before fast: a response that depends on a session is never stored, and a
//! render that started before a purge is never stored after it.
//!
//! What is stored is keyed by the path and the query parameters pages read (others are dropped,
//! and the page is rendered without them), so junk parameters cannot fill the cache; it is
//! bypassed only for a session that exists, and emptied at midnight (every page shows the date).
//!
//! Several servers: each purges its own cache when it writes, and every server also watches
//! the database's content version (bumped in the same transaction as every write), so a
//! change made through another server shows here within `WATCH_EVERY`.

use crate::routes::RouteKind;
use crate::server::page_cache::{Entry, PageCache};
use crate::server::slots::Slots;
use axum::{
    body::{Body, Bytes},
    extract::State,
    http::{header, HeaderMap, HeaderValue, Method, Request, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// Public pages: browsers keep them briefly, a CDN a little longer and serves stale while it
/// revalidates. The in-process cache is what makes them fast; these only spare round trips.
pub const PUBLIC_PAGE: &str = "public, max-age=30, s-maxage=60, stale-while-revalidate=300";
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
pub const PRIVATE: &str = "private, no-store";
pub const PRIVATE_REVALIDATE: &str = "private, no-cache";
/// Largest body worth keeping (bigger ones are served as they are rendered, each time).
const MAX_ENTRY: usize = 2 * 1024 * 1024;
/// The query parameters public pages and read functions use: `q` and `page` (search, section
/// pages), `category` (the home page's filter), `slug` (read functions), `before` (live
/// coverage's older updates). Any other parameter
/// changes nothing on a page, so it is not part of the key and the page is rendered without it.
const QUERY_PARAMS: [&str; 5] = ["q", "page", "category", "slug", "before"];

/// Requests the cache may answer: GETs of public pages and read functions.
fn cacheable(req: &Request<Body>) -> bool {
    req.method() == Method::GET && RouteKind::of(req.uri().path()).is_cacheable()
}

/// Whether the request carries a session cookie (which may be stale: see `CacheLayer`).
pub fn has_session(headers: &HeaderMap) -> bool {
    crate::server::cookies::session(headers).is_some()
}

/// The path with only the query parameters pages read, in a fixed order: the cache key, and
/// the address that is rendered. `None` when it is the request's own address already.
fn canonical(uri: &axum::http::Uri) -> (String, Option<axum::http::Uri>) {
    let path = uri.path();
    let Some(query) = uri.query() else {
        return (path.to_string(), None);
    };
    let mut kept: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .filter(|(name, _)| QUERY_PARAMS.contains(&name.as_ref()))
        .map(|(n, v)| (n.into_owned(), v.into_owned()))
        .collect();
    kept.sort_by(|a, b| a.0.cmp(&b.0));
    let key = if kept.is_empty() {
        path.to_string()
    } else {
        let query = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(kept)
            .finish();
        format!("{path}?{query}")
    };
    let rewritten = (key.as_str() != uri.path_and_query().map_or("", |p| p.as_str()))
        .then(|| key.parse().ok())
        .flatten();
    (key, rewritten)
}

/// What the cache middleware works with: the cache, and the database to tell a live session
/// from a leftover or made-up cookie (without it, any session cookie bypasses the cache).
#[derive(Clone)]
pub struct CacheLayer {
    pub cache: Arc<PageCache>,
    pub sessions: Option<crate::server::db::Pool>,
    /// Whether answers carry HSTS (the site is served over HTTPS).
    pub https: bool,
    /// The host names answered (a hit for another goes down the stack, to its 421).
    pub hosts: crate::server::edge::hosts::AllowedHosts,
}

impl CacheLayer {
    /// Someone logged in: never served from the cache, never stored for others.
    async fn logged_in(&self, headers: &HeaderMap) -> bool {
        let Some(id) = crate::server::cookies::session(headers) else {
            return false;
        };
        match &self.sessions {
            Some(pool) => match id.parse::<tower_sessions::session::Id>() {
                Ok(id) => {
                    let stored = crate::server::accounts::stored_session_id(&id).to_string();
                    crate::server::db::sessions::session_exists(pool, &stored)
                        .await
                        .unwrap_or(true)
                }
                // Not an id the server ever made: nobody is logged in with it.
                Err(_) => false,
            },
            None => true,
        }
    }
}

fn accepts(headers: &HeaderMap, coding: &str) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|part| {
            let mut it = part.trim().split(';');
            let name = it.next().unwrap_or("").trim();
            let q_zero = it.any(|p| p.trim().replace(' ', "") == "q=0");
            name.eq_ignore_ascii_case(coding) && !q_zero
        })
}

fn etag_of(body: &[u8]) -> HeaderValue {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    body.hash(&mut h);
    HeaderValue::from_str(&format!("\"{:016x}{:08x}\"", h.finish(), body.len())).expect("ascii")
}

/// The compressed copies a kept page is served as: brotli (quality 5) and gzip (level 6).
///
/// Memory: brotli's window is sized to the body (a 4 MiB window made an 80 KB page take 10 MiB
/// to compress, 2.4 MiB with a window that just holds it), and below 2^17 bytes it stays at 2^17:
/// brotli picks another hasher for smaller windows that takes 32 MiB. At most `cores` run at once
/// (`COMPRESSING`).
pub fn compressed_copies(body: &[u8]) -> (Option<Bytes>, Option<Bytes>) {
    (compress_brotli(body), compress_gzip(body))
}

/// The brotli window (log2 of its size) for a body: one that holds it all, 2^17..2^20 (1 MiB:
/// a bigger page compresses hardly better with a bigger window, and takes more memory).
pub fn brotli_window(len: usize) -> u32 {
    // The window holds 2^lgwin - 16 bytes.
    let needed = usize::BITS - (len + 16).saturating_sub(1).leading_zeros();
    needed.clamp(17, 20)
}

fn compress_brotli(body: &[u8]) -> Option<Bytes> {
    let mut out = Vec::with_capacity(body.len() / 4);
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 5, brotli_window(body.len()));
        w.write_all(body).ok()?;
    }
    Some(Bytes::from(out))
}

fn compress_gzip(body: &[u8]) -> Option<Bytes> {
    let mut enc = flate2::write::GzEncoder::new(
        Vec::with_capacity(body.len() / 3),
        flate2::Compression::new(6),
    );
    enc.write_all(body).ok()?;
    enc.finish().ok().map(Bytes::from)
}

/// Compression takes turns (`slots`, one per core): it only uses CPU, so more at once would
/// not finish sooner, only hold more memory (each one ~2 MiB) and start more threads. A miss
/// waits for a turn.
static COMPRESSING: Slots = Slots::per_core();

fn respond(entry: &Entry, req_headers: &HeaderMap, hit: bool) -> Response {
    let not_modified = entry.status == StatusCode::OK
        && req_headers
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.split(',')
                    .any(|t| t.trim() == entry.etag.to_str().unwrap_or(""))
            });
    let mut headers = entry.headers.clone();
    if !hit {
        headers.insert("x-cache", HeaderValue::from_static("miss"));
    }
    // On a 304 the policy goes too: the browser replaces its stored copy's headers with
    // these, and the policy must keep allowing the scripts of the body it keeps.
    let (status, body) = if not_modified {
        headers.remove(header::CONTENT_TYPE);
        (StatusCode::NOT_MODIFIED, Body::empty())
    } else {
        let (body, coding) = match (&entry.brotli, &entry.gzip) {
            (Some(br), _) if accepts(req_headers, "br") => (br.clone(), Some("br")),
            (_, Some(gz)) if accepts(req_headers, "gzip") => (gz.clone(), Some("gzip")),
            _ => (entry.identity.clone(), None),
        };
        if let Some(c) = coding {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(c));
        }
        (entry.status, Body::from(body))
    };
    let mut res = Response::new(body);
    *res.status_mut() = status;
    *res.headers_mut() = headers;
    res
}

/// The headers kept with an entry (`Entry::headers`).
fn entry_headers(
    content_type: HeaderValue,
    csp: Option<HeaderValue>,
    etag: &HeaderValue,
    status: StatusCode,
    https: bool,
) -> HeaderMap {
    let mut headers = HeaderMap::with_capacity(12);
    headers.insert(header::CONTENT_TYPE, content_type);
    headers.insert(header::ETAG, etag.clone());
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(PUBLIC_PAGE));
    headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    headers.insert("x-cache", HeaderValue::from_static("hit"));
    if let Some(csp) = csp {
        headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    crate::server::headers::add_security_headers(&mut headers, status, https);
    headers
}

/// The first layer of all, around the whole router: a GET the cache can answer for an
/// anonymous reader (no cookie at all, a host this server answers to, the page's address in
/// its canonical form) is answered here with a lookup, the kept headers, a request id and its
/// count in `/metrics`, and nothing else: no routing, no middleware, no cloning of the stack.
/// Everything else, and a kept 404 (which may be an old address with a redirect now), goes to
/// the router, where `layer` answers the rest of the hits.
#[derive(Clone)]
pub struct FastHit<S> {
    layer: Arc<CacheLayer>,
    inner: S,
}

impl<S> FastHit<S> {
    pub fn new(layer: CacheLayer, inner: S) -> Self {
        FastHit {
            layer: Arc::new(layer),
            inner,
        }
    }
}

impl<S> tower::Service<Request<Body>> for FastHit<S>
where
    S: tower::Service<Request<Body>, Response = Response, Error = std::convert::Infallible>,
{
    type Response = Response;
    type Error = std::convert::Infallible;
    type Future = futures_util::future::Either<
        std::future::Ready<Result<Response, std::convert::Infallible>>,
        S::Future,
    >;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request<Body>) -> Self::Future {
        use futures_util::future::Either;
        match self.layer.answer_hit(&req) {
            Some(res) => Either::Left(std::future::ready(Ok(res))),
            None => Either::Right(self.inner.call(req)),
        }
    }
}

/// `portal_page_cache_hits_total`, looked up once (a lookup by name on every hit cost more
/// than the increment).
fn hits_counter() -> &'static metrics::Counter {
    static HITS: std::sync::OnceLock<metrics::Counter> = std::sync::OnceLock::new();
    HITS.get_or_init(|| metrics::counter!("portal_page_cache_hits_total"))
}

impl CacheLayer {
    /// The answer to a hit `FastHit` may give, if this request is one.
    fn answer_hit(&self, req: &Request<Body>) -> Option<Response> {
        let started = std::time::Instant::now();
        let entry = self.quick_hit(req)?;
        hits_counter().increment(1);
        let mut res = respond(&entry, req.headers(), true);
        let id = req
            .headers()
            .get("x-request-id")
            .cloned()
            .unwrap_or_else(crate::server::headers::RequestIds::next);
        res.headers_mut().insert("x-request-id", id);
        entry.requests.increment(1);
        entry.latency.record(started.elapsed().as_secs_f64());
        Some(res)
    }
}

impl CacheLayer {
    fn quick_hit(&self, req: &Request<Body>) -> Option<Arc<Entry>> {
        let cache = &self.cache;
        if !cache.enabled()
            || req.method() != Method::GET
            || req.headers().contains_key(header::COOKIE)
            || !RouteKind::of(req.uri().path()).is_cacheable()
            || req.uri().query().is_some()
        {
            return None;
        }
        if let Some(host) = req.headers().get(header::HOST) {
            if !self.hosts.answers(host.to_str().ok()?) {
                return None;
            }
        }
        cache.roll_day(crate::server::dates::now());
        let entry = cache.entries.get(req.uri().path())?;
        (entry.status == StatusCode::OK).then_some(entry)
    }
}

/// The middleware: hits `FastHit` left (a session cookie that is no session, a query in
/// another order), misses rendered and kept.
pub async fn layer(
    State(layer): State<CacheLayer>,
    mut req: Request<Body>,
    next: Next,
) -> Response {
    // From here on, the cache and the session layer read one session cookie alike.
    crate::server::cookies::one_session_cookie(req.headers_mut());
    let cache = &layer.cache;
    if !cache.enabled() || !cacheable(&req) || layer.logged_in(req.headers()).await {
        return next.run(req).await;
    }
    cache.roll_day(crate::server::dates::now());
    let (key, rewritten) = canonical(req.uri());
    if let Some(uri) = rewritten {
        *req.uri_mut() = uri;
    }
    if let Some(entry) = cache.entries.get(&key) {
        hits_counter().increment(1);
        return respond(&entry, req.headers(), true);
    }
    let req_headers = req.headers().clone();
    let kind = RouteKind::of(req.uri().path()).name();
    let https = layer.https;
    metrics::counter!("portal_page_cache_misses_total").increment(1);
    let generation = cache.generation.load(Ordering::SeqCst);
    // Render uncompressed: the cache keeps its own compressed copies.
    req.headers_mut().remove(header::ACCEPT_ENCODING);
    req.headers_mut().remove(header::IF_NONE_MATCH);
    let res = next.run(req).await;
    let status = res.status();
    let storable = matches!(status, StatusCode::OK | StatusCode::NOT_FOUND)
        && !res.headers().contains_key(header::SET_COOKIE)
        && !res.headers().contains_key(header::LOCATION)
        && !res.headers().contains_key(header::CONTENT_ENCODING)
        && res
            .headers()
            .get(header::CACHE_CONTROL)
            .is_none_or(|v| !v.to_str().unwrap_or("").contains("no-store"));
    if !storable {
        return res;
    }
    let content_type = res
        .headers()
        .get(header::CONTENT_TYPE)
        .cloned()
        .unwrap_or_else(|| HeaderValue::from_static("text/html; charset=utf-8"));
    let csp = res.headers().get(header::CONTENT_SECURITY_POLICY).cloned();
    let (parts, body) = res.into_parts();
    let bytes = match read_up_to(body, MAX_ENTRY).await {
        Ok(Whole(bytes)) => bytes,
        // Too big to keep: served as it comes, never stored.
        Ok(Partly(read, rest)) => {
            let stream = futures_util::stream::iter([Ok::<_, axum::Error>(read)])
                .chain(rest.into_data_stream());
            return Response::from_parts(parts, Body::from_stream(stream));
        }
        Err(e) => {
            tracing::warn!(error = %e, "a page's body failed while it was read for the cache");
            return crate::error::AppError::Internal.into_response();
        }
    };
    // The turn is held until the work ends, even when the reader has gone and this answer
    // with them.
    let entry = COMPRESSING.spawn(None, move || {
        let (identity, csp) = match csp {
            Some(csp) => {
                let (body, csp) = pin_scripts(bytes, csp);
                (body, Some(csp))
            }
            None => (bytes, None),
        };
        let etag = etag_of(&identity);
        let (brotli, gzip) = compressed_copies(&identity);
        Entry {
            status,
            headers: entry_headers(content_type, csp, &etag, status, https),
            etag,
            brotli,
            gzip,
            identity,
            requests: metrics::counter!("portal_http_requests_total",
                "kind" => kind, "status" => status.as_u16().to_string()),
            latency: metrics::histogram!("portal_http_request_duration_seconds", "kind" => kind),
        }
    });
    let failed = |why: &dyn std::fmt::Display| {
        crate::error::AppError::internal("compressing a page for the cache", why).into_response()
    };
    let entry = match entry.await {
        Ok(job) => match job.await {
            Ok(entry) => entry,
            // The job panicked: the log says how.
            Err(e) => return failed(&e),
        },
        // No wait was asked for, so a turn always comes.
        Err(_) => return failed(&"no turn to compress in"),
    };
    let entry = Arc::new(entry);
    // Only if nothing changed while we rendered: otherwise this page may already be stale.
    if cache.generation.load(Ordering::SeqCst) == generation {
        cache.entries.insert(key, entry.clone());
    }
    respond(&entry, &req_headers, false)
}

/// A page about to be kept, with its policy: the render's nonce is a secret of one response,
/// and a kept page goes to every reader (and maybe a CDN) for as long as it lives. So the
/// nonce leaves the page and its policy, and each of the page's inline scripts is allowed by
/// its hash instead, which stays true for every copy. A policy without a nonce is kept as it is.
pub fn pin_scripts(body: Bytes, csp: HeaderValue) -> (Bytes, HeaderValue) {
    let Some(nonce) = csp
        .to_str()
        .ok()
        .and_then(|p| p.split("'nonce-").nth(1))
        .and_then(|rest| rest.split('\'').next())
        .map(str::to_string)
    else {
        return (body, csp);
    };
    let Ok(html) = std::str::from_utf8(&body) else {
        return (body, csp);
    };
    let html = html.replace(&format!(" nonce=\"{nonce}\""), "");
    let hashes: Vec<String> = inline_scripts(&html)
        .map(crate::server::headers::script_hash)
        .collect();
    let policy = csp
        .to_str()
        .unwrap_or_default()
        .replace(&format!("'nonce-{nonce}'"), &hashes.join(" "));
    match HeaderValue::from_str(&policy) {
        Ok(policy) => (Bytes::from(html), policy),
        Err(_) => (body, csp),
    }
}

/// The text of every inline script (a `<script>` without `src`) of a page, exactly as written.
pub fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|rest| {
        let tag_end = rest.find('>')?;
        let tag = &rest[..tag_end];
        // `<scripts>` or the like is not a script element; one with a source is not inline.
        if !(tag.is_empty() || tag.starts_with([' ', '\t', '\n', '/'])) || tag.contains(" src=") {
            return None;
        }
        // Data (JSON-LD) is not run: nothing to allow.
        if tag.contains("type=\"application/") {
            return None;
        }
        let text = &rest[tag_end + 1..];
        Some(&text[..text.find("</script>")?])
    })
}

use futures_util::StreamExt;
use Read::{Partly, Whole};

/// A body read whole, or, past the limit, what was read and the rest still to come.
enum Read {
    Whole(Bytes),
    Partly(Bytes, Body),
}

async fn read_up_to(body: Body, limit: usize) -> Result<Read, axum::Error> {
    let mut stream = body.into_data_stream();
    let mut buf = Vec::new();
    while let Some(chunk) = stream.next().await {
        buf.extend_from_slice(&chunk?);
        if buf.len() > limit {
            let rest = Body::from_stream(stream);
            return Ok(Partly(Bytes::from(buf), rest));
        }
    }
    Ok(Whole(Bytes::from(buf)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::page_cache::next_midnight;
    use std::sync::atomic::AtomicU64;

    #[test]
    fn accept_encoding_parsing() {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("gzip, deflate, br;q=1.0"),
        );
        assert!(accepts(&h, "br") && accepts(&h, "gzip"));
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("br;q=0, gzip"),
        );
        assert!(!accepts(&h, "br"));
        assert!(!accepts(&HeaderMap::new(), "gzip"));
    }

    #[test]
    fn compressed_copies_round_trip() {
        let body = "<p>news</p>".repeat(500);
        let gz = compress_gzip(body.as_bytes()).unwrap();
        let mut out = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut out)
            .unwrap();
        assert_eq!(out, body);
        let br = compress_brotli(body.as_bytes()).unwrap();
        let mut out = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut out).unwrap();
        assert_eq!(out, body.as_bytes());
        assert!(br.len() < body.len() / 10);
    }

    /// A page behind the cache whose first render waits until it is let go.
    fn slow_page(
        cache: Arc<PageCache>,
        started: Arc<tokio::sync::Notify>,
        go: Arc<tokio::sync::Notify>,
    ) -> axum::Router {
        let renders = Arc::new(AtomicU64::new(0));
        let page = move || {
            let (started, go, renders) = (started.clone(), go.clone(), renders.clone());
            async move {
                if renders.fetch_add(1, Ordering::SeqCst) == 0 {
                    started.notify_one();
                    go.notified().await;
                }
                axum::response::Html("<p>the page as it was</p>")
            }
        };
        axum::Router::new()
            .route("/page", axum::routing::get(page))
            .layer(axum::middleware::from_fn_with_state(
                CacheLayer {
                    cache,
                    sessions: None,
                    https: false,
                    hosts: crate::server::edge::hosts::AllowedHosts::for_tests(),
                },
                layer,
            ))
    }

    async fn get(app: &axum::Router) -> String {
        use tower::ServiceExt;
        let res = app
            .clone()
            .oneshot(Request::get("/page").body(Body::empty()).unwrap())
            .await
            .unwrap();
        res.headers()["x-cache"].to_str().unwrap().to_string()
    }

    #[tokio::test]
    async fn purge_stops_a_render_that_started_before_it() {
        let cache = PageCache::new(1 << 20, true, chrono_tz::UTC);
        let (started, go) = (
            Arc::new(tokio::sync::Notify::new()),
            Arc::new(tokio::sync::Notify::new()),
        );
        let app = slow_page(cache.clone(), started.clone(), go.clone());
        let first = tokio::spawn({
            let app = app.clone();
            async move { get(&app).await }
        });
        started.notified().await;
        // The content changes while the page is being rendered from the old content...
        cache.purge();
        go.notify_one();
        assert_eq!(first.await.unwrap(), "miss");
        // ...so that render is not kept: the next reader gets a fresh one.
        assert!(
            cache.is_empty(),
            "a render begun before the purge was stored"
        );
        assert_eq!(get(&app).await, "miss");
        // Without a purge in between, a render is kept and served.
        assert_eq!(get(&app).await, "hit");
    }

    #[test]
    fn a_new_content_version_purges_and_the_same_one_does_not() {
        let cache = PageCache::new(1 << 20, true, chrono_tz::UTC);
        let before = cache.generation.load(Ordering::SeqCst);
        cache.observe_version(5);
        let g = cache.generation.load(Ordering::SeqCst);
        assert_ne!(before, g, "a new version purges");
        cache.observe_version(5);
        assert_eq!(
            g,
            cache.generation.load(Ordering::SeqCst),
            "same version, no purge"
        );
    }

    #[test]
    fn the_key_keeps_only_the_parameters_pages_read() {
        let key = |u: &str| canonical(&u.parse().unwrap());
        assert_eq!(key("/"), ("/".to_string(), None));
        let (k, rewritten) = key("/?x=1&utm_source=feed");
        assert_eq!(k, "/");
        assert_eq!(rewritten.unwrap(), "/");
        assert_eq!(key("/?category=tech&x=2").0, "/?category=tech");
        // Order does not matter; encoding is made canonical, so an encoded name is still read.
        assert_eq!(key("/search?page=2&q=rain").0, "/search?page=2&q=rain");
        assert_eq!(key("/search?q=rain&page=2").0, "/search?page=2&q=rain");
        assert_eq!(key("/search?%71=rain").0, "/search?q=rain");
        assert_eq!(key("/search?q=a+b%26c").0, "/search?q=a+b%26c");
        assert_eq!(key("/search?page=2&q=rain").1, None, "already canonical");
    }

    #[test]
    fn entries_do_not_outlive_midnight_in_the_sites_timezone() {
        use chrono::TimeZone;
        let tz = chrono_tz::Europe::Berlin;
        let cache = PageCache::new(1 << 20, true, tz);
        let evening = tz
            .with_ymd_and_hms(2026, 11, 29, 23, 59, 0)
            .unwrap()
            .timestamp();
        cache.roll_day(evening);
        let g = cache.generation.load(Ordering::SeqCst);
        cache.roll_day(evening + 59);
        assert_eq!(cache.generation.load(Ordering::SeqCst), g, "same day");
        cache.roll_day(evening + 60);
        assert_ne!(
            cache.generation.load(Ordering::SeqCst),
            g,
            "midnight purges"
        );
        // A day that starts at a DST change still ends.
        let spring = tz
            .with_ymd_and_hms(2026, 3, 28, 12, 0, 0)
            .unwrap()
            .timestamp();
        assert_eq!(next_midnight(spring, &tz) - spring, 12 * 3600);
    }

    #[tokio::test]
    async fn a_body_too_large_to_keep_is_served_whole_and_not_kept() {
        use tower::ServiceExt;
        let cache = PageCache::new(64 << 20, true, chrono_tz::UTC);
        let big = "x".repeat(MAX_ENTRY + 10);
        let app = axum::Router::new()
            .route(
                "/big",
                axum::routing::get(move || async move { big.clone() }),
            )
            .layer(axum::middleware::from_fn_with_state(
                CacheLayer {
                    cache: cache.clone(),
                    sessions: None,
                    https: false,
                    hosts: crate::server::edge::hosts::AllowedHosts::for_tests(),
                },
                layer,
            ));
        let res = app
            .oneshot(Request::get("/big").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let body = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .unwrap();
        assert_eq!(body.len(), MAX_ENTRY + 10);
        assert!(cache.is_empty());
    }
}
