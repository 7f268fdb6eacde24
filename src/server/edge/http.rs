//! The HTTP application: every route, and the middleware around them. The order of the
//! middleware matters and is written once, in `router`, outermost first, each with its reason.

use super::{cache, upload};
use crate::app::{shell, NewsroomApp, ReaderApp};
use crate::error::AppError;
use crate::model::seo::SiteName;
use crate::routes::RouteKind;
use crate::server::config::MediaStoreKind;
use crate::server::state::AppState;
use crate::server::{accounts, db, edge::feeds, media};
use axum::{
    body::Body,
    extract::{DefaultBodyLimit, State},
    http::{header, HeaderMap, HeaderValue, Method, Request, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::{get, post},
    Router,
};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use std::time::Duration;
use tower::ServiceBuilder;
use tower_http::{
    compression::CompressionLayer,
    request_id::{PropagateRequestIdLayer, SetRequestIdLayer},
    services::ServeDir,
    set_header::SetResponseHeaderLayer,
    trace::TraceLayer,
};
use tower_sessions::{
    cookie::time::Duration as CookieDuration, cookie::SameSite, Expiry, Session,
    SessionManagerLayer,
};

/// Where readers' pages report a view (`edge::views`).
const VIEW_BEACON: &str = "/api/view";

/// Sessions last this long without use.
const SESSION_IDLE_DAYS: i64 = 7;
/// A page that takes this long is broken: answer instead of holding the reader.
const PAGE_TIMEOUT: Duration = Duration::from_secs(30);
/// Requests slower than this are logged as a warning with their request id.
const SLOW_REQUEST: Duration = Duration::from_millis(500);
/// A page render that has not finished after this long has stalled, not slowed down: normal
/// renders take milliseconds, even at 100,000 articles under load.
const RENDER_STALLED_AFTER: Duration = Duration::from_secs(5);

/// The sessions, with their ids stored hashed.
pub fn session_store(pool: &db::Pool) -> accounts::HashedIds<db::sessions::SessionTable> {
    accounts::HashedIds(db::sessions::SessionTable::new(pool))
}

/// The whole HTTP application. Tests drive exactly this router.
/// What a server serves: the page cache's hits first (`cache::FastHit`), the router for the rest.
pub type App = cache::FastHit<Router>;

pub fn router(state: AppState) -> App {
    let sessions = SessionManagerLayer::new(session_store(&state.pool))
        .with_name("portal_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.config.secure_cookies())
        .with_expiry(Expiry::OnInactivity(CookieDuration::days(
            SESSION_IDLE_DAYS,
        )));
    let cache_layer = cache::CacheLayer {
        cache: state.cache.clone(),
        sessions: Some(state.pool.clone()),
        https: state.config.secure_cookies(),
        hosts: crate::server::edge::hosts::AllowedHosts::new(&state.config),
    };
    let stack = ServiceBuilder::new()
        // 0. Every request is counted and timed (`/metrics`), whoever answers it.
        .layer(middleware::from_fn(crate::server::edge::operator::observe))
        // 1. Every answer gets a request id, cached ones included, and the log names it.
        .layer(SetRequestIdLayer::x_request_id(
            crate::server::headers::RequestIds,
        ))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_request(())
                .on_response(log_response),
        )
        // 2. Headers that make browsers stricter, on every answer (cached ones included).
        .layer(middleware::from_fn_with_state(
            state.config.secure_cookies(),
            security_headers,
        ))
        // 2b. Only the site's own host names (no DNS rebinding).
        .layer(middleware::from_fn_with_state(
            crate::server::edge::hosts::AllowedHosts::new(&state.config),
            crate::server::edge::hosts::layer,
        ))
        // 3. An address the portal has nothing at may be an old one (a WordPress permalink):
        //    answered with its 301 from the redirect table, cached 404s included.
        .layer(middleware::from_fn_with_state(
            state.pool.clone(),
            crate::server::redirects::layer,
        ))
        // 3b. A write another site asked for, or a body of a type the server function does not
        //    take, is refused before anything reads it.
        .layer(middleware::from_fn_with_state(
            WriteGuard::new(&state),
            writes_from_this_site,
        ))
        // 4. The page cache answers a hit with a lookup and nothing else (no session, no
        //    compression: it keeps its own compressed copies), and stores only what the
        //    layers below produced for an anonymous reader.
        .layer(middleware::from_fn_with_state(
            cache_layer.clone(),
            cache::layer,
        ))
        .layer(CompressionLayer::new())
        // 5. Cache-Control for every answer below, the newsroom's redirects included; it sees
        //    any cookie the session layer sets.
        .layer(middleware::from_fn(cache_headers))
        .layer(sessions)
        // 6. Needs the session: a private page without one is redirected before it renders.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            newsroom_needs_a_session,
        ))
        // 7. After a write, the cache is purged before the answer leaves.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            purge_after_writes,
        ));
    let router = Router::new()
        .merge(crate::server::edge::operator::routes())
        .nest("/media", media(&state))
        .merge(pages(&state))
        .route(VIEW_BEACON, post(crate::server::edge::views::view))
        .merge(newsletter_forms())
        // Open as long as the reader's page is: outside the pages' time limit.
        .route(
            &format!("{}/{{id}}", crate::routes::LIVE_STREAMS),
            get(crate::server::edge::live::stream),
        )
        .route(
            "/api/admin/import",
            post(crate::server::wordpress::web::upload).layer(DefaultBodyLimit::max(
                crate::server::wordpress::web::IMPORT_MAX_BYTES + 64 * 1024,
            )),
        )
        .route(
            "/api/admin/media",
            post(upload::upload).layer(DefaultBodyLimit::max(
                crate::model::validate::UPLOAD_MAX_BYTES + 64 * 1024,
            )),
        )
        .layer(stack)
        .with_state(state);
    // Before all of it, even routing, a page the cache holds for an anonymous reader is
    // answered with what a hit needs and nothing else (`cache::FastHit`): the same headers,
    // counted in `/metrics`, with a request id; anything else goes to the router.
    cache::FastHit::new(cache_layer, router)
}

/// The newsletter's form targets (its pages are the app's), and the admins' export.
fn newsletter_forms() -> Router<AppState> {
    use crate::routes::newsletter as at;
    use crate::server::edge::newsletter as nl;
    Router::new()
        .route(at::SUBSCRIBE, post(nl::subscribe))
        .route(at::CONFIRM_FORM, post(nl::confirm))
        .route(at::MANAGE_FORM, post(nl::manage))
        .route(
            at::UNSUBSCRIBE,
            post(nl::unsubscribe).get(nl::unsubscribe_page),
        )
        .route("/api/admin/newsletter.csv", get(nl::export))
}

/// What every answer carries: no MIME sniffing, no framing by other sites, no full
/// addresses leaked to other sites, and, when the site is served over HTTPS, HSTS.
async fn security_headers(State(https): State<bool>, req: Request<Body>, next: Next) -> Response {
    let mut res = next.run(req).await;
    let status = res.status();
    crate::server::headers::add_security_headers(res.headers_mut(), status, https);
    res
}

/// What the write guard compares requests with.
#[derive(Clone)]
struct WriteGuard {
    public_origin: std::sync::Arc<str>,
    body_types: std::sync::Arc<Vec<(&'static str, &'static str)>>,
}

impl WriteGuard {
    fn new(state: &AppState) -> Self {
        WriteGuard {
            public_origin: crate::server::edge::csrf::origin_of(&state.config.public_url).into(),
            body_types: crate::api::body_types().into(),
        }
    }
}

async fn writes_from_this_site(
    State(guard): State<WriteGuard>,
    req: Request<Body>,
    next: Next,
) -> Response {
    use crate::server::edge::csrf::{expected_body, same_origin_write};
    let checked =
        same_origin_write(req.method(), req.headers(), &guard.public_origin).and_then(|_| {
            expected_body(
                req.method(),
                req.headers(),
                req.uri().path(),
                &guard.body_types,
            )
        });
    match checked {
        Ok(()) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}

/// Uploaded and demo images: named by their content, so kept for a year (a missing one is a
/// 404 that says so, and is not kept).
fn media(state: &AppState) -> Router<AppState> {
    let missing = axum::routing::any(|| async { no_such_file() });
    let files = match state.config.media_store {
        // The file service: ranges, conditional requests, no copy through memory.
        MediaStoreKind::Disk => Router::new()
            .fallback_service(ServeDir::new(state.config.media_dir()).not_found_service(missing)),
        // Every server answers from the shared store, with the store's entity tag.
        MediaStoreKind::S3 { .. } => Router::new().route("/{*key}", get(stored_media)),
    };
    files.layer(SetResponseHeaderLayer::overriding(
        header::CACHE_CONTROL,
        |res: &Response| {
            (res.status() == StatusCode::OK || res.status() == StatusCode::NOT_MODIFIED)
                .then(|| HeaderValue::from_static(cache::IMMUTABLE))
        },
    ))
}

fn no_such_file() -> Response {
    AppError::not_found("There is no such image or file.").into_response()
}

/// `GET /media/<key>` from an object store.
async fn stored_media(
    State(state): State<AppState>,
    axum::extract::Path(key): axum::extract::Path<String>,
    headers: HeaderMap,
) -> Response {
    if !media::valid_key(&key) {
        return no_such_file();
    }
    match state.media.get(&key).await {
        Ok(Some(file)) => {
            let etag = file
                .etag
                .as_deref()
                .and_then(|e| HeaderValue::from_str(e).ok());
            let fresh = etag.as_ref().is_some_and(|e| {
                headers
                    .get(header::IF_NONE_MATCH)
                    .is_some_and(|seen| seen.as_bytes() == e.as_bytes())
            });
            let mut res = if fresh {
                StatusCode::NOT_MODIFIED.into_response()
            } else {
                (
                    [(
                        header::CONTENT_TYPE,
                        HeaderValue::from_static(media::content_type(&key)),
                    )],
                    file.bytes,
                )
                    .into_response()
            };
            if let Some(etag) = etag {
                res.headers_mut().insert(header::ETAG, etag);
            }
            res
        }
        Ok(None) => no_such_file(),
        Err(e) => {
            tracing::error!(error = %e, key, "reading from the media store failed");
            let mut res = AppError::Unavailable(
                "The image store cannot be reached right now. Please try again in a moment.".into(),
            )
            .into_response();
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
            res
        }
    }
}

/// The route table, generated once per process.
///
/// Generating it renders the app while a process-wide flag tells every resource not to load
/// (leptos_router's `RouteList::generate` holds `SuppressResourceLoad`). A resource that a
/// render on another thread polls for the first time inside that window never loads, and its
/// page never finishes (leptos-rs/leptos#4773, open): this was the "one render in several
/// hundred on a fresh server" that stalled, whenever a server (a test's, or a second one in the
/// same process) was built while another served. Generated once, before the first router
/// exists, it can overlap no render.
pub fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES
        .get_or_init(|| {
            // The two apps' routes (the shell renders the one an address belongs to).
            let mut routes = generate_route_list(ReaderApp);
            routes.extend(generate_route_list(NewsroomApp));
            // The site's pages (any other address) are the fallback's to render: as a route,
            // the catch-all would take /media, /pkg and the site's files too.
            routes.retain(|r| !r.path().contains('*'));
            routes
        })
        .clone()
}

/// Pages, server functions and feeds: everything rendered, with a time limit. (Uploads sit
/// outside it: they may take longer on slow connections.)
fn pages(state: &AppState) -> Router<AppState> {
    let context = {
        let state = state.clone();
        let site_name = SiteName::new(&state.config.site_name);
        move || {
            provide_context(state.clone());
            provide_context(site_name.clone());
        }
    };
    Router::new()
        .route("/feed.xml", get(feeds::site_rss))
        .route("/atom.xml", get(feeds::site_atom))
        .route("/category/{slug}/feed.xml", get(feeds::section_rss))
        .route("/category/{slug}/atom.xml", get(feeds::section_atom))
        .route("/tag/{slug}/feed.xml", get(feeds::tag_rss))
        .route("/tag/{slug}/atom.xml", get(feeds::tag_atom))
        .route("/author/{slug}/feed.xml", get(feeds::author_rss))
        .route("/author/{slug}/atom.xml", get(feeds::author_atom))
        .route("/article/{slug}/feed.xml", get(feeds::live_rss))
        .route("/sitemap.xml", get(feeds::sitemap))
        .route("/sitemaps/{name}", get(feeds::sitemap_part))
        .route("/robots.txt", get(feeds::robots))
        .leptos_routes_with_context(state, route_list(), context.clone(), {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        // Any other address: a file of the site if there is one, else the reader's app, which
        // finds a page of the site there (About us…) or answers with its 404 page (the status
        // is the page's own: leptos_axum's file-and-error handler would make every one a 404).
        .fallback_service({
            let options = state.leptos_options.clone();
            let render =
                leptos_axum::render_app_async_with_context(context, move || shell(options.clone()));
            let answer = move |req: Request<Body>| {
                let path = req.uri().path();
                let page = crate::routes::is_page_address(path);
                // `/about-us/` (WordPress's form) is one 301 from the page at `/about-us`.
                let bare = path.trim_end_matches('/');
                let slashed = (path.len() > bare.len() && crate::routes::is_page_address(bare))
                    .then(|| match req.uri().query() {
                        Some(q) => format!("{bare}?{q}"),
                        None => bare.to_string(),
                    });
                let render = render.clone();
                async move {
                    let mut res = render(req).await;
                    if res.status() == StatusCode::OK {
                        if let Some(moved) =
                            slashed.and_then(|to| crate::server::redirects::moved(&to))
                        {
                            return moved;
                        }
                        if !page {
                            *res.status_mut() = StatusCode::NOT_FOUND;
                        }
                    }
                    res
                }
            };
            ServeDir::new(&*state.leptos_options.site_root)
                .append_index_html_on_directories(false)
                .fallback(axum::handler::HandlerWithoutStateExt::into_service(answer))
        })
        .layer(middleware::from_fn_with_state(
            state.config.render_retry,
            render_again_if_stalled,
        ))
        .layer(middleware::from_fn(page_deadline))
}

/// A page not rendered within `PAGE_TIMEOUT` is answered with a 503 that says so (the render
/// is dropped).
async fn page_deadline(req: Request<Body>, next: Next) -> Response {
    match tokio::time::timeout(PAGE_TIMEOUT, next.run(req)).await {
        Ok(res) => res,
        Err(_) => AppError::Unavailable("The page took too long to make. Please try again.".into())
            .into_response(),
    }
}

/// One span per request, named by its request id, so whatever is logged while it is answered
/// can be found again.
fn request_span(req: &Request<Body>) -> tracing::Span {
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!("request", id = %id, method = %req.method(), uri = %req.uri())
}

/// Slow answers are warnings (server errors are logged as errors by the trace layer itself).
fn log_response(res: &Response, latency: Duration, _: &tracing::Span) {
    let ms = latency.as_millis() as u64;
    if latency >= SLOW_REQUEST {
        tracing::warn!(status = res.status().as_u16(), ms, "slow request");
    } else {
        tracing::debug!(status = res.status().as_u16(), ms, "answered");
    }
}

/// `Cache-Control` per kind of address: the newsroom never stored, hashed assets for a year,
/// public pages briefly (the page cache keeps them fresh on the server side).
async fn cache_headers(req: Request<Body>, next: Next) -> Response {
    let kind = RouteKind::of(req.uri().path());
    let is_get = req.method() == Method::GET;
    let logged_in = cache::has_session(req.headers());
    let mut res = next.run(req).await;
    let value = if kind.is_private() {
        Some(cache::PRIVATE)
    } else if kind == RouteKind::Asset && res.status() == StatusCode::OK {
        Some(cache::IMMUTABLE)
    } else if matches!(kind, RouteKind::Media | RouteKind::Stream) {
        // Set by the media routes and the event streams themselves.
        None
    } else if logged_in {
        // Editors see their own changes at once, never a copy their browser kept.
        Some(cache::PRIVATE_REVALIDATE)
    } else if is_get
        && matches!(res.status(), StatusCode::OK | StatusCode::NOT_FOUND)
        && !res.headers().contains_key(header::CACHE_CONTROL)
        && !res.headers().contains_key(header::SET_COOKIE)
    {
        Some(cache::PUBLIC_PAGE)
    } else {
        None
    };
    if let Some(v) = value {
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(v));
    }
    res
}

/// The newsroom's pages decide before anything renders: without a valid session, a real
/// `303 See Other` to the login page, which comes back here afterwards.
async fn newsroom_needs_a_session(
    State(state): State<AppState>,
    req: Request<Body>,
    next: Next,
) -> Response {
    let needs = RouteKind::of(req.uri().path()).needs_session()
        && matches!(*req.method(), Method::GET | Method::HEAD);
    if !needs {
        return next.run(req).await;
    }
    let user = match req.extensions().get::<Session>() {
        Some(session) => accounts::session_user(session, &state.pool).await,
        None => Ok(None),
    };
    match user {
        Ok(Some(_)) => next.run(req).await,
        Ok(None) => {
            let here = req
                .uri()
                .path_and_query()
                .map(|p| p.as_str())
                .unwrap_or("/admin");
            let login = format!(
                "/admin/login?next={}",
                crate::model::encode_query_value(here)
            );
            (StatusCode::SEE_OTHER, [(header::LOCATION, login)]).into_response()
        }
        Err(e) => e.into_response(),
    }
}

/// The last resort against a render that never finishes or panics (Leptos has had such bugs:
/// leptos-rs/leptos#4851, #4673, fixed in 0.8.23; #4773, avoided by `route_list`). Reading is
/// idempotent, so a GET whose render panics or stalls is rendered once more from scratch, in
/// its own task so a panic cannot take the connection down. Every retry is logged and counted
/// (`portal_render_retries_total`); the stress test renders 20,000 pages and requires none.
/// `PORTAL_RENDER_RETRY=off` removes it; the 30 s timeout outside stays.
async fn render_again_if_stalled(
    State(enabled): State<bool>,
    req: Request<Body>,
    next: Next,
) -> Response {
    let method = req.method().clone();
    if !enabled || (method != Method::GET && method != Method::HEAD) {
        return next.run(req).await;
    }
    let mut again = Request::new(Body::empty());
    *again.method_mut() = method;
    *again.uri_mut() = req.uri().clone();
    *again.version_mut() = req.version();
    *again.headers_mut() = req.headers().clone();
    *again.extensions_mut() = req.extensions().clone();
    let first = tokio::spawn(next.clone().run(req));
    let abort = first.abort_handle();
    let problem = match tokio::time::timeout(RENDER_STALLED_AFTER, first).await {
        Ok(Ok(res)) => return res,
        Ok(Err(_)) => "panicked",
        Err(_) => {
            abort.abort();
            "stalled"
        }
    };
    tracing::warn!(uri = %again.uri(), problem, "a render failed; rendering it again");
    metrics::counter!("portal_render_retries_total", "problem" => problem).increment(1);
    next.run(again).await
}

/// After any write, the page cache is dropped if the content version moved: the very next
/// request renders fresh.
async fn purge_after_writes(
    State(state): State<AppState>,
    req: Request<Body>,
    next: Next,
) -> Response {
    // (A view reported changes nothing readers see: no read of the version for each one.)
    let write = req.method() != Method::GET
        && req.method() != Method::HEAD
        && req.uri().path() != VIEW_BEACON;
    let res = next.run(req).await;
    if write {
        if let Ok(v) = db::content_version(&state.pool).await {
            state.cache.observe_version(v as u64);
        }
    }
    res
}
