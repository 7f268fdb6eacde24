//! The real axum router, driven in-process: statuses, headers and server-rendered HTML.
#![cfg(feature = "ssr")]

mod common;

use axum::http::{header, StatusCode};
use common::{app_with, TestApp};

/// A server on a fresh database filled with the demo content.
async fn app() -> TestApp {
    app_with(&[("PORTAL_SITE_NAME", "The Test Gazette")]).await
}

trait LeadArticle {
    async fn lead_article_href(&self) -> String;
}

impl LeadArticle for TestApp {
    /// The address of the newest article, read off the home page.
    async fn lead_article_href(&self) -> String {
        let home = self.get("/").await;
        let at = home.body.find("class=\"lead-title\"").expect("lead story");
        attr_after(&home.body[at..], "href=\"")
    }
}

fn attr_after(html: &str, marker: &str) -> String {
    let start = html.find(marker).unwrap() + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_string()
}

/// The part of the page between `start` and the next occurrence of `end` after it.
fn section<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("{start} not in page"));
    let rest = &html[from..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

fn head(html: &str) -> &str {
    section(html, "<head>", "</head>")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_page_has_the_chrome_and_every_block() {
    let app = app().await;
    let page = app.get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let html = &page.body;
    assert!(head(html).contains("<title>The Test Gazette</title>"));
    for expected in [
        "class=\"site-name\">The Test Gazette",
        "class=\"today\">",
        "aria-label=\"Filter by category\"",
        "EDITOR'S PICK",
        "Latest headlines",
        "class=\"lead-story\"",
        "href=\"/category/politics\"",
        "href=\"/category/press-release\"",
        "role=\"combobox\"",
        "action=\"/search\"",
        "aria-controls=\"drawer\"",
    ] {
        assert!(html.contains(expected), "home page lacks {expected}");
    }
    let year = section(html, "class=\"copyright\"", "</p>");
    assert!(
        year.contains("© 20") && year.contains("The Test Gazette"),
        "{year}"
    );
    // Main navigation in editorial order; Press release in the top bar instead.
    let nav = section(html, "class=\"main-nav\"", "</nav>");
    let order: Vec<usize> = [
        "Politics",
        "World",
        "Business",
        "Lifestyle",
        "Opinion",
        "Tech",
        "Travel",
    ]
    .iter()
    .map(|n| {
        nav.find(&format!(">{n}<"))
            .unwrap_or_else(|| panic!("{n} not in nav"))
    })
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "nav order {order:?}");
    assert!(!nav.contains("Press release"));
    // Every section has its block on the front page.
    for slug in [
        "politics",
        "world",
        "business",
        "lifestyle",
        "opinion",
        "tech",
        "travel",
        "press-release",
    ] {
        assert!(
            html.contains(&format!("id=\"section-{slug}\"")),
            "no {slug} section"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_filter_renders_the_filtered_list_on_the_server() {
    let app = app().await;
    let page = app.get("/?category=tech").await;
    assert_eq!(page.status, StatusCode::OK);
    let list = section(&page.body, "class=\"latest-list", "class=\"home-section\"");
    let labels = list.matches("class=\"cat-label\"").count();
    assert!(labels >= 5, "only {labels} articles in the filtered list");
    assert_eq!(
        list.matches(">Tech</a>").count(),
        labels,
        "only Tech articles"
    );
    let filter = section(&page.body, "aria-label=\"Filter by category\"", "</div>");
    assert!(
        filter.contains("href=\"/?category=tech\" aria-current=\"true\""),
        "{filter}"
    );

    let unknown = app.get("/?category=no-such-section").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.body.contains("There is no section called"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn category_pages_are_paged_with_real_urls() {
    let app = app().await;
    let page = app.get("/category/politics").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(head(&page.body).contains("<title>Politics – The Test Gazette</title>"));
    let crumbs = section(&page.body, "aria-label=\"Breadcrumb\"", "</nav>");
    assert!(crumbs.contains("href=\"/\">Home") && crumbs.contains("Politics"));
    let nav = section(&page.body, "class=\"main-nav\"", "</nav>");
    assert!(
        nav.contains("href=\"/category/politics\" aria-current=\"page\""),
        "current section marked"
    );
    assert!(
        page.body.contains("href=\"/category/politics/page/2\""),
        "pager links to page 2"
    );
    assert_eq!(page.body.matches("class=\"card row\"").count(), 12);

    let second = app.get("/category/politics/page/2").await;
    assert_eq!(second.status, StatusCode::OK);
    assert!(
        second
            .body
            .contains("class=\"current\" aria-current=\"page\">2<")
            || second
                .body
                .contains("aria-current=\"page\" class=\"current\">2<")
    );
    assert!(second
        .body
        .contains("rel=\"prev\" href=\"/category/politics\""));

    assert_eq!(
        app.get("/category/politics/page/999").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/category/politics/page/0").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.get("/category/politics/page/abc").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.get("/category/politics/page/99999999999999999999")
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    let unknown = app.get("/category/astrology").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.body.contains("Page not found"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn article_page_shows_every_block_with_its_head_tags() {
    let app = app().await;
    let href = app.lead_article_href().await;
    let page = app.get(&href).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = &page.body;
    let title = section(html, "<h1 class=\"article-title\">", "</h1>")
        .trim_start_matches("<h1 class=\"article-title\">")
        .to_string();
    assert!(!title.is_empty());
    let head = head(html);
    assert!(
        head.contains(&format!("<title>{title} – The Test Gazette</title>")),
        "{head}"
    );
    assert!(head.contains("<meta name=\"description\" content=\""));
    assert!(
        head.contains(&format!("<link href=\"{href}\" rel=\"canonical\">"))
            || head.contains("rel=\"canonical\"")
    );
    for expected in [
        "aria-label=\"Breadcrumb\"",
        "class=\"byline\"",
        "min read",
        "READ ALSO",
        "<h2>",
        "<figure>",
        "class=\"credit\"",
        "Related Posts",
        "Previous Post",
        "EDITOR'S PICK",
        "Latest headlines",
    ] {
        assert!(html.contains(expected), "article page lacks {expected}");
    }
    // The navigation marks the article's section, in the server's HTML already.
    let category = attr_after(section(html, "class=\"in-category\"", "</span>"), "href=\"");
    // (Press releases are linked from the top bar, not the main navigation.)
    let nav = section(html, "class=\"main-nav\"", "</nav>");
    if category != "/category/press-release" {
        assert!(
            nav.contains(&format!("href=\"{category}\" aria-current=\"page\"")),
            "{category} is not marked in {nav}"
        );
        assert_eq!(nav.matches("aria-current").count(), 1);
    }
    let read_also = section(html, "class=\"read-also\"", "</aside>");
    assert_eq!(read_also.matches("<li>").count(), 2);
    let related = section(html, "class=\"related\"", "</section>");
    assert_eq!(related.matches("class=\"card tile\"").count(), 6);
    let picks = section(html, "class=\"pick-list\"", "</ol>");
    assert_eq!(picks.matches("class=\"pick\"").count(), 10);
    // An older article has both a next and a previous post.
    let at = html.find("post-nav-link prev").expect("previous post link");
    let tag_start = html[..at].rfind("<a ").unwrap();
    let older = attr_after(&html[tag_start..], "href=\"");
    let older_page = app.get(&older).await;
    assert!(older_page.body.contains("Next Post") && older_page.body.contains("Previous Post"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_pages_and_articles_are_real_404s() {
    let app = app().await;
    for uri in [
        "/no/such/page",
        "/article/no-such-article",
        "/category",
        "/article/",
    ] {
        let page = app.get(uri).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(page.body.contains("Page not found"), "{uri}");
        assert!(head(&page.body).contains("noindex"), "{uri}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_page_counts_marks_and_pages() {
    let app = app().await;
    let page = app.get("/search?q=harbour").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(head(&page.body).contains("<meta name=\"robots\" content=\"noindex, follow\">"));
    assert!(page.body.contains("Search results for “harbour”"));
    assert!(page.body.contains(" results<") || page.body.contains("1 result<"));
    assert!(page.body.contains("<mark>"), "matches are marked");
    assert!(
        page.body.contains("value=\"harbour\""),
        "the form keeps the query"
    );

    let common = app.get("/search?q=the").await;
    assert!(
        common.body.contains("href=\"/search?q=the&amp;page=2\""),
        "paged"
    );
    let second = app.get("/search?q=the&page=2").await;
    assert_eq!(second.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn odd_search_input_is_answered_kindly() {
    let app = app().await;
    let long = "a".repeat(5000);
    for q in [
        "",
        "%22",
        "%22%28*-",
        "OR",
        "NEAR%28",
        "%29%29%29",
        "harbour%22+OR+%2A",
        "%F0%9F%93%B0",
        &long,
        "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "%3C%2Ftitle%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "%22%3E%3Cimg+src%3Dx+onerror%3Dalert(1)%3E",
    ] {
        let page = app.get(&format!("/search?q={q}")).await;
        assert_eq!(page.status, StatusCode::OK, "q={q}");
        for bad in ["<script>alert", "<img src=x"] {
            assert!(
                !page.body.contains(bad),
                "query {q} is not escaped: {}",
                head(&page.body)
            );
        }
    }
    let none = app.get("/search?q=zzzqqqxxx").await;
    assert!(none.body.contains("No Result"));
    assert_eq!(
        app.get("/search?q=harbour&page=0").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.get("/search?q=harbour&page=-1").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.get("/search?q=harbour&page=5000").await.status,
        StatusCode::NOT_FOUND
    );
    // Malformed percent-encoding is the client's fault too.
    let bad = app.get("/search?q=%E0%A4%A").await;
    assert!(
        bad.status.is_success() || bad.status.is_client_error(),
        "{}",
        bad.status
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_functions_answer_with_the_right_status() {
    let app = app().await;
    let ok = app.get("/api/suggest?q=harb").await;
    assert_eq!(ok.status, StatusCode::OK);
    assert!(
        ok.body.starts_with('[') && ok.body.contains("\"slug\""),
        "{}",
        ok.body
    );
    let short = app.get("/api/suggest?q=h").await;
    assert_eq!(short.body, "[]");
    let none = app.get("/api/suggest").await;
    assert_eq!(none.status, StatusCode::OK);
    assert_eq!(
        app.get("/api/article?slug=no-such-thing").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/api/category?slug=tech&page=abc").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.get("/api/category").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.get("/api/latest?category=nope").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn media_are_served_with_long_cache_lifetimes() {
    let app = app().await;
    let home = app.get("/").await;
    let lead = section(&home.body, "class=\"lead-story\"", "</article>");
    let src = attr_after(lead, "src=\"");
    assert!(src.starts_with("/media/demo/"), "{src}");
    let image = app.get(&src).await;
    assert_eq!(image.status, StatusCode::OK);
    assert_eq!(image.headers[header::CONTENT_TYPE], "image/svg+xml");
    assert!(image.headers[header::CACHE_CONTROL]
        .to_str()
        .unwrap()
        .contains("immutable"));
    assert!(image.body.starts_with("<svg"));
    let missing = app.get("/media/demo/nothing.svg").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(
        missing.body,
        r#"{"kind":"NotFound","error":"There is no such image or file."}"#
    );
    assert_eq!(
        app.get("/media/../portal.db").await.status,
        StatusCode::NOT_FOUND
    );
}

/// The middleware stack (server/edge/http.rs) in the order it is written, outermost first: each
/// assertion fails if two layers trade places.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_middleware_runs_in_the_order_it_is_written() {
    let app = app().await;
    let with = |uri: &str, headers: &[(&str, &str)]| {
        let mut req = axum::http::Request::get(uri);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        req.body(axum::body::Body::empty()).unwrap()
    };
    // 1. Request ids are outermost: every answer has one, a cache hit included, and the id a
    //    proxy in front set is kept.
    app.get("/").await;
    let hit = app.get("/").await;
    assert_eq!(hit.headers["x-cache"], "hit");
    assert_eq!(
        hit.headers["x-request-id"].to_str().unwrap().len(),
        36,
        "a UUID"
    );
    let proxied = app.send(with("/", &[("x-request-id", "edge-42")])).await;
    assert_eq!(proxied.headers["x-request-id"], "edge-42");
    let missing = app.get("/no/such/page").await;
    assert!(missing.headers.contains_key("x-request-id"));

    // 2. The page cache sits outside compression: it serves its own brotli copy, and the
    //    compression layer never compresses what the cache then stores twice.
    let br = app.send(with("/", &[("accept-encoding", "br")])).await;
    assert_eq!(br.headers["x-cache"], "hit");
    assert_eq!(br.headers[header::CONTENT_ENCODING], "br");
    //    What the cache does not keep (anything for a logged-in editor) is compressed below it.
    let cookie = app.login(common::EDITOR).await;
    let editor_home = app
        .send(with(
            "/",
            &[("accept-encoding", "gzip"), ("cookie", cookie.as_str())],
        ))
        .await;
    assert!(!editor_home.headers.contains_key("x-cache"));
    assert_eq!(editor_home.headers[header::CONTENT_ENCODING], "gzip");

    // 3. Cache-Control is set outside the session layer and the session guard: the guard's
    //    redirect is private, a page for a logged-in editor is never kept by a browser.
    assert_eq!(
        editor_home.headers[header::CACHE_CONTROL],
        "private, no-cache"
    );
    let redirect = app.get("/admin").await;
    assert_eq!(redirect.status, StatusCode::SEE_OTHER);
    assert_eq!(redirect.headers[header::CACHE_CONTROL], "private, no-store");
    assert_eq!(
        hit.headers[header::CACHE_CONTROL],
        portal::server::edge::cache::PUBLIC_PAGE
    );
}

/// What load balancers and monitoring ask: alive, ready (the database and its migrations),
/// and the metrics, which only this machine or the holder of the token may read.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_readiness_and_metrics_for_operators() {
    let app = app().await;
    let alive = app.get("/healthz").await;
    assert_eq!(
        (alive.status, alive.body.as_str()),
        (StatusCode::OK, "ok\n")
    );
    assert!(alive.headers[header::CACHE_CONTROL]
        .to_str()
        .unwrap()
        .contains("no-store"));
    let ready = app.get("/readyz").await;
    assert_eq!(
        (ready.status, ready.body.as_str()),
        (StatusCode::OK, "ready\n")
    );

    // Traffic shows up, counted by kind and status; cache hits and misses too.
    app.get("/").await;
    app.get("/").await;
    app.get("/no/such/page").await;
    let metrics = app.get("/metrics").await;
    assert_eq!(metrics.status, StatusCode::OK, "{}", metrics.body);
    for needle in [
        "portal_http_requests_total{kind=\"page\",status=\"200\"}",
        "portal_http_requests_total{kind=\"page\",status=\"404\"}",
        "portal_http_request_duration_seconds_bucket{kind=\"page\"",
        "portal_page_cache_hits_total",
        "portal_page_cache_misses_total",
        "portal_db_pool_connections",
        "portal_scheduler_lag_seconds 0",
    ] {
        assert!(
            metrics.body.contains(needle),
            "{needle} missing:\n{}",
            metrics.body
        );
    }
    // Hits answered before the middleware stack are counted all the same.
    let count = |body: &str, name: &str| -> f64 {
        body.lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.trim().parse().ok())
            .unwrap_or(0.0)
    };
    let pages = "portal_http_requests_total{kind=\"page\",status=\"200\"}";
    let (pages_before, hits_before) = (
        count(&metrics.body, pages),
        count(&metrics.body, "portal_page_cache_hits_total"),
    );
    for _ in 0..3 {
        assert_eq!(app.get("/").await.headers["x-cache"], "hit");
    }
    let metrics = app.get("/metrics").await;
    assert!(
        count(&metrics.body, pages) >= pages_before + 3.0,
        "{}",
        metrics.body
    );
    assert!(count(&metrics.body, "portal_page_cache_hits_total") >= hits_before + 3.0);
    // Through a proxy, everyone would look local: refused, with what to do.
    let res = common_get(&app, "/metrics", &[("x-forwarded-for", "203.0.113.9")]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(res.body.contains("PORTAL_METRICS_TOKEN"));

    let token = "a-long-monitoring-secret-2026";
    let guarded = app_with(&[("PORTAL_METRICS_TOKEN", token)]).await;
    assert_eq!(guarded.get("/metrics").await.status, StatusCode::FORBIDDEN);
    let wrong = common_get(&guarded, "/metrics", &[("authorization", "Bearer not-it")]).await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    let right = common_get(
        &guarded,
        "/metrics",
        &[("authorization", &format!("Bearer {token}"))],
    )
    .await;
    assert_eq!(right.status, StatusCode::OK);

    // A database behind this build's migrations is not ready, and says why.
    app.exec(
        "DELETE FROM _sqlx_migrations WHERE version = (SELECT max(version) FROM _sqlx_migrations)",
    )
    .await;
    let behind = app.get("/readyz").await;
    assert_eq!(behind.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(behind.body.contains("this build needs"), "{}", behind.body);
    assert!(
        behind.body.starts_with(r#"{"kind":"Unavailable""#),
        "{}",
        behind.body
    );
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
}

async fn common_get(app: &TestApp, uri: &str, headers: &[(&str, &str)]) -> common::Res {
    let mut req = axum::http::Request::get(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    app.send(req.body(axum::body::Body::empty()).unwrap()).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tags_have_pages_feeds_and_a_place_in_the_sitemap() {
    let app = app().await;
    let href = app.lead_article_href().await;
    let page = app.get(&href).await;
    let tags = section(&page.body, "class=\"article-tags\"", "</nav>");
    let tag = attr_after(tags, "href=\"");
    assert!(tag.starts_with("/tag/"), "{tag}");
    assert!(page.body.contains("\"keywords\":\""), "JSON-LD keywords");

    let listed = app.get(&tag).await;
    assert_eq!(listed.status, StatusCode::OK);
    assert!(
        listed.body.contains(&format!("href=\"{href}\"")),
        "the article is on its tag's page"
    );
    let head = head(&listed.body);
    assert!(head.contains("<title>Tag: "), "{head}");
    assert!(
        head.contains(&format!("href=\"{tag}/feed.xml\""))
            && head.contains(&format!("href=\"{tag}/atom.xml\""))
    );
    assert!(head.contains("rel=\"canonical\""));
    let crumbs = section(&listed.body, "aria-label=\"Breadcrumb\"", "</nav>");
    assert!(crumbs.contains("href=\"/\">Home"));

    for (file, kind) in [
        ("feed.xml", "application/rss+xml"),
        ("atom.xml", "application/atom+xml"),
    ] {
        let feed = app.get(&format!("{tag}/{file}")).await;
        assert_eq!(feed.status, StatusCode::OK, "{file}");
        assert!(feed.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with(kind));
        assert!(feed.body.contains(&href), "{file} lists the article");
    }
    for missing in [
        "/tag/no-such-tag",
        "/tag/no-such-tag/feed.xml",
        &format!("{tag}/page/999"),
    ] {
        assert_eq!(
            app.get(missing).await.status,
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }
    assert_eq!(
        app.get(&format!("{tag}/page/0")).await.status,
        StatusCode::BAD_REQUEST
    );

    let index = app.get("/sitemap.xml").await;
    assert!(index.body.contains("/sitemaps/tags.xml"));
    let tags_map = app.get("/sitemaps/tags.xml").await;
    assert_eq!(tags_map.status, StatusCode::OK);
    assert!(tags_map.body.contains(&format!("{tag}</loc>")) && tags_map.body.contains("<lastmod>"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bylines_lead_to_author_pages_that_page_like_sections() {
    let app = app().await;
    let href = app.lead_article_href().await;
    let page = app.get(&href).await;
    let byline = section(&page.body, "class=\"byline\"", "</p>");
    let author = attr_after(byline, "href=\"/author/");
    let author = format!("/author/{author}");
    assert!(author.starts_with("/author/"), "{byline}");
    let listed = app.get(&author).await;
    assert_eq!(listed.status, StatusCode::OK);
    assert!(listed.body.contains(&format!("href=\"{href}\"")));
    assert!(head(&listed.body).contains("rel=\"canonical\""));
    assert!(
        listed.body.contains(&format!("href=\"{author}/page/2\"")),
        "demo authors have pages of articles"
    );
    let second = app.get(&format!("{author}/page/2")).await;
    assert_eq!(second.status, StatusCode::OK);
    assert!(second
        .body
        .contains(&format!("rel=\"prev\" href=\"{author}\"")));
    assert_eq!(
        app.get(&format!("{author}/page/9999")).await.status,
        StatusCode::NOT_FOUND
    );
    let feed = app.get(&format!("{author}/feed.xml")).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(app
        .get("/sitemaps/authors.xml")
        .await
        .body
        .contains(&format!("{author}</loc>")));
}

/// A reader's view, reported by the page after it is shown: counted once per reader and hour,
/// from a cached page as from a fresh one, never for a prefetch or a bot; written in a batch,
/// then "Most read" lists the article.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn views_count_from_cached_pages_once_per_reader_and_make_most_read() {
    use axum::body::Body;
    use axum::extract::ConnectInfo;
    let app = app().await;
    let href = app.lead_article_href().await;
    // The page from the cache (second request) names its article like the first.
    let first = app.get(&href).await;
    let cached = app.get(&href).await;
    let id = attr_after(&cached.body, "data-article-id=\"");
    assert_eq!(id, attr_after(&first.body, "data-article-id=\""));
    let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
    let beacon = |ip: [u8; 4], ua: &str, extra: Option<(&str, &str)>| {
        let mut req = axum::http::Request::post("/api/view")
            .header(header::CONTENT_TYPE, "text/plain;charset=UTF-8")
            .header(header::USER_AGENT, ua);
        if let Some((k, v)) = extra {
            req = req.header(k, v);
        }
        let mut req = req.body(Body::from(id.clone())).unwrap();
        req.extensions_mut()
            .insert(ConnectInfo(std::net::SocketAddr::from((ip, 5000))));
        req
    };
    for (req, what) in [
        (beacon([198, 51, 100, 1], firefox, None), "a reader"),
        (
            beacon([198, 51, 100, 1], firefox, None),
            "the same reader again",
        ),
        (beacon([198, 51, 100, 2], firefox, None), "another reader"),
        (
            beacon(
                [198, 51, 100, 3],
                firefox,
                Some(("sec-purpose", "prefetch")),
            ),
            "a prefetch",
        ),
        (
            beacon(
                [198, 51, 100, 4],
                "Mozilla/5.0 (compatible; Googlebot/2.1)",
                None,
            ),
            "a bot",
        ),
    ] {
        let res = app.send(req).await;
        assert_eq!(res.status, StatusCode::NO_CONTENT, "{what}");
        assert!(res.body.is_empty());
    }
    let views = &app.state.views;
    assert_eq!(views.waiting(), 2, "two readers counted");
    assert_eq!(
        app.count("SELECT count(*) FROM article_views").await,
        0,
        "not written yet: batched"
    );
    // One batch: one write for the article.
    assert_eq!(
        views
            .flush(&app.pool, portal::server::dates::now())
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT sum(views) FROM article_views WHERE article_id = {id}"
        ))
        .await,
        2
    );
    assert_eq!(views.waiting(), 0);
    // "Most read" changed: the cached pages go, and the sidebar lists the article.
    assert!(views
        .refresh_most_read(
            &app.pool,
            &app.state.blocks,
            &app.cache,
            portal::server::dates::now()
        )
        .await
        .unwrap());
    let page = app.get("/category/politics").await;
    let block = page
        .body
        .split("id=\"most-read-title\"")
        .nth(1)
        .expect("a Most read block");
    assert!(block.contains(&href), "{}", &block[..block.len().min(600)]);
    // A made-up article or a page is never counted, and a body that is not a number is ignored.
    for body in ["99999999", "abc", ""] {
        let mut req = axum::http::Request::post("/api/view")
            .header(header::USER_AGENT, firefox)
            .body(Body::from(body))
            .unwrap();
        req.extensions_mut()
            .insert(ConnectInfo(std::net::SocketAddr::from((
                [198, 51, 100, 9],
                5000,
            ))));
        assert_eq!(app.send(req).await.status, StatusCode::NO_CONTENT);
    }
    views
        .flush(&app.pool, portal::server::dates::now())
        .await
        .unwrap();
    assert_eq!(app.count("SELECT count(*) FROM article_views").await, 1);

    // Editors see the views in the article list and order it by them.
    let editor = app.login(common::EDITOR).await;
    let list = app
        .get_as("/api/admin/articles?sort=views-day", Some(&editor))
        .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let first = &list.json()["items"][0];
    assert_eq!(first["id"].to_string(), id, "most viewed first");
    assert_eq!(first["views"]["day"], 2);
    assert_eq!(first["views"]["total"], 2);
    let by_date = app
        .get_as("/api/admin/articles", Some(&editor))
        .await
        .json();
    assert!(by_date["items"][0]["views"]["week"].is_i64());
    assert_eq!(
        app.get_as("/api/admin/articles?sort=loudest", Some(&editor))
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
}
