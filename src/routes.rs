//! What kind of address a path is. One answer, used by the router (which pages need a
//! session), the page cache (what may be stored), the `Cache-Control` headers and the pages
//! themselves (the newsroom has its own chrome and hydrates at once; the masthead marks the
//! section a page belongs to).

/// The kinds of address the portal serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteKind {
    /// Reader pages (and any unknown address, which is a reader's 404 page).
    Page,
    /// The newsroom's pages, `/admin` and below: only with a session.
    NewsroomPage,
    /// `/admin/login`: part of the newsroom, but open to everyone.
    NewsroomLogin,
    /// Public read functions under `/api/`.
    Api,
    /// The newsroom's functions, `/api/admin/` and below.
    NewsroomApi,
    /// Live coverage's event streams, `/api/live/<article id>`: open for as long as the page
    /// is, never cached or compressed.
    Stream,
    /// Build output with content hashes in its names, `/pkg/`.
    Asset,
    /// Images, `/media/`.
    Media,
    /// Feeds, sitemaps and robots.txt.
    Feed,
    /// The newsletter's pages and forms, `/newsletter` and below: a reader's page, but its
    /// links carry a subscriber's secret, so it is never cached or indexed.
    Subscriber,
    /// For load balancers and monitoring: `/healthz`, `/readyz`, `/metrics`.
    Operator,
}

/// Where a reader's page sits in the paper, for the navigation's mark: a section's pages name
/// their section, an article names itself (its section is looked up), any other address
/// belongs to none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    Nowhere,
    Section(String),
    Article(String),
}

/// First segments of the portal's own addresses: a page at the top may not take one (its
/// address would shadow a route, or a route would shadow the page). "page" and "feed" are
/// kept for archive pages and the old WordPress feed addresses the redirects answer.
pub const RESERVED_SEGMENTS: &[&str] = &[
    "admin",
    "api",
    "article",
    "atom",
    "author",
    "category",
    "comments",
    "feed",
    "healthz",
    "media",
    "metrics",
    "newsletter",
    "page",
    "pkg",
    "readyz",
    "robots",
    "search",
    "sitemap",
    "sitemaps",
    "tag",
    "wp-admin",
    "wp-content",
    "wp-json",
];

/// A page at the top may use this slug (it is none of the portal's own first segments).
pub fn is_free_for_a_page(slug: &str) -> bool {
    !RESERVED_SEGMENTS.contains(&slug)
}

/// `path` could be a page of the site's address: slugs below the root, the first none of the
/// portal's own, no slash at the end (`/about-us/our-team`). Anything else the router did not
/// answer is a 404 whatever renders there (`/tag/x/` is the redirects' to answer).
pub fn is_page_address(path: &str) -> bool {
    let Some(rest) = path.strip_prefix('/') else {
        return false;
    };
    let mut segments = rest.split('/');
    segments.next().is_some_and(|first| {
        is_free_for_a_page(first) && crate::model::validate::slug_is_valid(first)
    }) && segments.all(crate::model::validate::slug_is_valid)
}

/// `path` is `prefix` itself or lies below it (`/admin/x` but not `/administrator`).
/// Where live coverage's event streams are: `/api/live/<article id>`.
pub const LIVE_STREAMS: &str = "/api/live";

/// The event stream of article `id`'s live coverage.
pub fn live_stream(id: i64) -> String {
    format!("{LIVE_STREAMS}/{id}")
}

/// The newsletter's addresses: its pages, and the forms' targets under `api/`.
pub mod newsletter {
    use crate::model::encode_query_value;
    use crate::model::newsletter::Outcome;

    pub const ROOT: &str = "/newsletter";
    pub const CONFIRM: &str = "/newsletter/confirm";
    pub const MANAGE: &str = "/newsletter/manage";
    pub const SUBSCRIBE: &str = "/newsletter/api/subscribe";
    pub const CONFIRM_FORM: &str = "/newsletter/api/confirm";
    pub const MANAGE_FORM: &str = "/newsletter/api/manage";
    pub const UNSUBSCRIBE: &str = "/newsletter/api/unsubscribe";

    fn said(outcome: Outcome) -> String {
        let key = if outcome.is_error() { "error" } else { "done" };
        format!("{key}={}", outcome.as_str())
    }

    /// The signup page, saying what a form did.
    pub fn signup_page(outcome: Outcome) -> String {
        format!("{ROOT}?{}", said(outcome))
    }

    pub fn confirm_page(token: &str) -> String {
        format!("{CONFIRM}?token={}", encode_query_value(token))
    }

    pub fn manage_page(token: &str, outcome: Option<Outcome>) -> String {
        let mut to = format!("{MANAGE}?token={}", encode_query_value(token));
        if let Some(o) = outcome {
            to.push('&');
            to.push_str(&said(o));
        }
        to
    }
}

fn under(path: &str, prefix: &str) -> bool {
    path.strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

fn is_feed(path: &str) -> bool {
    matches!(
        path,
        "/feed.xml" | "/atom.xml" | "/sitemap.xml" | "/robots.txt"
    ) || under(path, "/sitemaps")
        || ["/category/", "/tag/", "/author/"].iter().any(|prefix| {
            path.strip_prefix(prefix).is_some_and(|rest| {
                rest.split_once('/')
                    .is_some_and(|(_, file)| file == "feed.xml" || file == "atom.xml")
            })
        })
        // A live article's updates.
        || path
            .strip_prefix("/article/")
            .and_then(|rest| rest.split_once('/'))
            .is_some_and(|(_, file)| file == "feed.xml")
}

impl RouteKind {
    pub fn of(path: &str) -> Self {
        if under(path, "/api/admin") {
            RouteKind::NewsroomApi
        } else if under(path, LIVE_STREAMS) {
            RouteKind::Stream
        } else if under(path, "/api") {
            RouteKind::Api
        } else if path == "/admin/login" {
            RouteKind::NewsroomLogin
        } else if under(path, "/admin") {
            RouteKind::NewsroomPage
        } else if under(path, newsletter::ROOT) {
            RouteKind::Subscriber
        } else if under(path, "/pkg") {
            RouteKind::Asset
        } else if under(path, "/media") {
            RouteKind::Media
        } else if is_feed(path) {
            RouteKind::Feed
        } else if matches!(path, "/healthz" | "/readyz" | "/metrics") {
            RouteKind::Operator
        } else {
            RouteKind::Page
        }
    }

    /// Where the page at `path` sits in the paper (`Place::Nowhere` for anything that is not a
    /// reader's page: a section's feed is not its page).
    pub fn place(path: &str) -> Place {
        if RouteKind::of(path) != RouteKind::Page {
            return Place::Nowhere;
        }
        let segment = |rest: &str| {
            let s = rest.split('/').next().unwrap_or_default().to_string();
            (!s.is_empty()).then_some(s)
        };
        if let Some(slug) = path.strip_prefix("/category/").and_then(segment) {
            Place::Section(slug)
        } else if let Some(slug) = path.strip_prefix("/article/").and_then(segment) {
            Place::Article(slug)
        } else {
            Place::Nowhere
        }
    }

    /// The newsroom: never stored by any cache, `private, no-store`.
    pub fn is_private(self) -> bool {
        matches!(
            self,
            RouteKind::NewsroomPage
                | RouteKind::NewsroomLogin
                | RouteKind::NewsroomApi
                | RouteKind::Operator
                | RouteKind::Subscriber
        )
    }

    /// The label requests of this kind are counted under in `/metrics`.
    pub fn name(self) -> &'static str {
        match self {
            RouteKind::Page => "page",
            RouteKind::NewsroomPage => "newsroom_page",
            RouteKind::NewsroomLogin => "newsroom_login",
            RouteKind::Api => "api",
            RouteKind::NewsroomApi => "newsroom_api",
            RouteKind::Stream => "stream",
            RouteKind::Asset => "asset",
            RouteKind::Media => "media",
            RouteKind::Feed => "feed",
            RouteKind::Operator => "operator",
            RouteKind::Subscriber => "subscriber",
        }
    }

    /// A page of the newsroom app: its own chrome instead of the reader's, hydrated at once.
    pub fn is_newsroom_page(self) -> bool {
        matches!(self, RouteKind::NewsroomPage | RouteKind::NewsroomLogin)
    }

    /// Decided before anything renders: without a session, a redirect to the login page.
    pub fn needs_session(self) -> bool {
        self == RouteKind::NewsroomPage
    }

    /// What the in-process page cache may keep for anonymous readers.
    pub fn is_cacheable(self) -> bool {
        matches!(self, RouteKind::Page | RouteKind::Api | RouteKind::Feed)
    }
}

#[cfg(test)]
mod tests {
    use super::Place;
    use super::RouteKind::{self, *};

    #[test]
    fn every_kind_of_address() {
        let table: &[(&str, RouteKind)] = &[
            ("/", Page),
            ("/article/harbour-plan", Page),
            ("/category/politics", Page),
            ("/category/politics/page/2", Page),
            ("/search", Page),
            ("/administrator", Page),
            ("/admins", Page),
            ("/no/such/page", Page),
            ("/admin", NewsroomPage),
            ("/admin/", NewsroomPage),
            ("/admin/users", NewsroomPage),
            ("/admin/articles/3", NewsroomPage),
            ("/admin/login", NewsroomLogin),
            ("/api/suggest", Api),
            ("/api/administer", Api),
            ("/api/admin/save", NewsroomApi),
            ("/api/live/12", Stream),
            ("/newsletter", Subscriber),
            ("/newsletter/manage", Subscriber),
            ("/newsletter/api/unsubscribe", Subscriber),
            ("/newsletters", Page),
            ("/article/harbour-plan/feed.xml", Feed),
            ("/api/older_updates", Api),
            ("/api/admin", NewsroomApi),
            ("/api/admin/media", NewsroomApi),
            ("/pkg/portal.abc123.wasm", Asset),
            ("/pkgs", Page),
            ("/media/demo/x.svg", Media),
            ("/feed.xml", Feed),
            ("/atom.xml", Feed),
            ("/sitemap.xml", Feed),
            ("/sitemaps/2026-11.xml", Feed),
            ("/robots.txt", Feed),
            ("/category/tech/feed.xml", Feed),
            ("/category/tech/atom.xml", Feed),
            ("/category/tech/feed.xml/x", Page),
            ("/tag/harbour", Page),
            ("/tag/harbour/page/2", Page),
            ("/tag/harbour/feed.xml", Feed),
            ("/tag/harbour/atom.xml", Feed),
            ("/author/ana-reyes", Page),
            ("/author/ana-reyes/page/3", Page),
            ("/author/ana-reyes/feed.xml", Feed),
            ("/healthz", Operator),
            ("/readyz", Operator),
            ("/metrics", Operator),
            ("/metrics/x", Page),
        ];
        for (path, kind) in table {
            assert_eq!(RouteKind::of(path), *kind, "{path}");
        }
    }

    #[test]
    fn the_section_a_page_belongs_to() {
        let section = |s: &str| Place::Section(s.into());
        assert_eq!(RouteKind::place("/category/tech"), section("tech"));
        assert_eq!(RouteKind::place("/category/tech/page/3"), section("tech"));
        assert_eq!(
            RouteKind::place("/article/x-y"),
            Place::Article("x-y".into())
        );
        for nowhere in [
            "/",
            "/search",
            "/category/",
            "/article/",
            "/admin",
            "/admin/category/tech",
            "/category/tech/feed.xml",
            "/api/category",
        ] {
            assert_eq!(RouteKind::place(nowhere), Place::Nowhere, "{nowhere}");
        }
    }

    #[test]
    fn what_each_kind_allows() {
        // kind, private, newsroom page, needs a session, cacheable
        let table = [
            (Page, false, false, false, true),
            (NewsroomPage, true, true, true, false),
            (NewsroomLogin, true, true, false, false),
            (Api, false, false, false, true),
            (NewsroomApi, true, false, false, false),
            (Asset, false, false, false, false),
            (Media, false, false, false, false),
            (Operator, true, false, false, false),
            (Feed, false, false, false, true),
        ];
        for (kind, private, newsroom, session, cacheable) in table {
            assert_eq!(kind.is_private(), private, "{kind:?}");
            assert_eq!(kind.is_newsroom_page(), newsroom, "{kind:?}");
            assert_eq!(kind.needs_session(), session, "{kind:?}");
            assert_eq!(kind.is_cacheable(), cacheable, "{kind:?}");
        }
    }

    /// Every first segment the router, the feeds and the newsroom answer is reserved, so a
    /// page can never shadow one of them.
    #[test]
    fn pages_cannot_take_the_portals_own_addresses() {
        for path in [
            "/admin",
            "/api/suggest",
            "/article/x",
            "/author/x",
            "/category/x",
            "/tag/x",
            "/search",
            "/pkg/x.js",
            "/media/x.png",
            "/sitemaps/x.xml",
            "/healthz",
            "/readyz",
            "/metrics",
        ] {
            let first = path.trim_start_matches('/').split('/').next().unwrap();
            assert!(!super::is_free_for_a_page(first), "{first}");
        }
        assert!(super::is_free_for_a_page("about-us"));
        assert!(super::is_free_for_a_page("imprint"));
        for (path, page) in [
            ("/about-us", true),
            ("/about-us/our-team", true),
            ("/about-us/", false),
            ("/tag/ferries", false),
            ("/About-Us", false),
            ("/a//b", false),
            ("/", false),
        ] {
            assert_eq!(super::is_page_address(path), page, "{path}");
        }
    }
}
