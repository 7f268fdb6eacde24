//! Being found: feeds, sitemaps, robots.txt, social and structured metadata. Every document
//! is read back with an independent parser (feed-rs, roxmltree, serde_json).
#![cfg(feature = "ssr")]

mod common;

use axum::http::{header, StatusCode};
use common::{app_with, TestApp};
use portal::server::{dates, db, newsroom::markdown};

const BASE: &str = "https://news.example.org";

async fn app() -> TestApp {
    app_with(&[
        ("PORTAL_PUBLIC_URL", BASE),
        ("PORTAL_SITE_NAME", "The Test Gazette"),
    ])
    .await
}

/// Inserts an article straight into the database, in any status.
async fn insert(
    app: &TestApp,
    slug: &str,
    title: &str,
    status: &str,
    section: &str,
    published_at: Option<i64>,
) {
    let c = db::articles::category_by_slug(&app.pool, section)
        .await
        .unwrap()
        .unwrap();
    let body = format!("Body of {title}.\n\n## More\n\nText & more <text>.");
    let r = markdown::render(&body);
    let input = db::articles::ArticleInput {
        slug: slug.into(),
        title: title.into(),
        excerpt: format!("About: {title}"),
        body_md: body,
        body_html: r.html,
        body_text: r.text,
        reading_minutes: 1,
        category_id: c.id,
        author_name: "Test Writer".into(),
        status: status.into(),
        published_at,
        ..Default::default()
    };
    db::articles::insert_article(
        app.pool.acquire().await.unwrap().conn(),
        &input,
        db::articles::NewRow::at(dates::now()),
    )
    .await
    .unwrap();
    app.cache.purge();
}

async fn hidden_articles(app: &TestApp) {
    let now = dates::now();
    insert(
        app,
        "secret-draft",
        "Secret draft zebra",
        "draft",
        "politics",
        None,
    )
    .await;
    insert(
        app,
        "secret-review",
        "Secret review zebra",
        "review",
        "politics",
        None,
    )
    .await;
    insert(
        app,
        "secret-scheduled",
        "Secret scheduled zebra",
        "scheduled",
        "politics",
        Some(now + 86_400),
    )
    .await;
    insert(
        app,
        "secret-trash",
        "Secret trash zebra",
        "trash",
        "politics",
        Some(now - 100),
    )
    .await;
}

fn assert_no_secrets(what: &str, body: &str) {
    for bad in [
        "secret-draft",
        "secret-review",
        "secret-scheduled",
        "secret-trash",
        "Secret ",
    ] {
        if let Some(at) = body.find(bad) {
            panic!(
                "{what} leaks an unpublished article: {}",
                &body[at.saturating_sub(200)..(at + 100).min(body.len())]
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feeds_parse_and_list_the_latest_published_articles() {
    let app = app().await;
    hidden_articles(&app).await;
    let hostile = "Tom & Jerry's \"big\" <day> — 東京 🚀 ]]> &amp;";
    insert(
        &app,
        "hostile-title",
        hostile,
        "published",
        "tech",
        Some(dates::now() - 10),
    )
    .await;

    for (uri, kind) in [("/feed.xml", "rss"), ("/atom.xml", "atom")] {
        let res = app.get(uri).await;
        assert_eq!(res.status, StatusCode::OK, "{uri}");
        let ct = res.headers[header::CONTENT_TYPE].to_str().unwrap();
        assert!(ct.contains(kind), "{uri}: {ct}");
        assert_no_secrets(uri, &res.body);
        let feed =
            feed_rs::parser::parse(res.body.as_bytes()).unwrap_or_else(|e| panic!("{uri}: {e}"));
        assert_eq!(feed.entries.len(), 50, "{uri}");
        let first = &feed.entries[0];
        assert_eq!(
            first.title.as_ref().unwrap().content,
            hostile,
            "{uri} keeps the title exactly"
        );
        assert_eq!(first.links[0].href, format!("{BASE}/article/hostile-title"));
        assert!(first.published.is_some(), "{uri}");
        let content = first
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .unwrap_or_default();
        assert!(
            content.contains("<h2>More</h2>") && content.contains("&amp; more &lt;text&gt;"),
            "{uri}: {content}"
        );
        assert!(first.summary.is_some(), "{uri}: excerpt");
        // Newest first.
        let dates: Vec<_> = feed.entries.iter().map(|e| e.published.unwrap()).collect();
        assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{uri}");
    }

    let section = app.get("/category/world/feed.xml").await;
    let feed = feed_rs::parser::parse(section.body.as_bytes()).unwrap();
    assert!(!feed.entries.is_empty());
    assert!(
        feed.entries
            .iter()
            .all(|e| e.categories.iter().any(|c| c.term == "World")),
        "only World"
    );
    let atom = app.get("/category/world/atom.xml").await;
    assert_eq!(
        feed_rs::parser::parse(atom.body.as_bytes())
            .unwrap()
            .entries
            .len(),
        feed.entries.len()
    );
    assert_eq!(
        app.get("/category/astrology/feed.xml").await.status,
        StatusCode::NOT_FOUND
    );

    // Every page links its feeds.
    let home = app.get("/").await;
    assert!(
        home.body
            .contains(r#"<link rel="alternate" type="application/rss+xml""#)
            || home.body.contains("application/rss+xml")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sitemaps_index_months_and_news() {
    let app = app().await;
    hidden_articles(&app).await;
    insert(
        &app,
        "fresh-today",
        "Fresh & new",
        "published",
        "world",
        Some(dates::now() - 60),
    )
    .await;

    let index = app.get("/sitemap.xml").await;
    assert_eq!(index.status, StatusCode::OK);
    let doc = roxmltree::Document::parse(&index.body).expect("well-formed XML");
    assert_eq!(doc.root_element().tag_name().name(), "sitemapindex");
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert!(locs.contains(&format!("{BASE}/sitemaps/news.xml").as_str()));
    assert!(locs.contains(&format!("{BASE}/sitemaps/tags.xml").as_str()));
    assert!(locs.contains(&format!("{BASE}/sitemaps/authors.xml").as_str()));
    let months: Vec<&&str> = locs
        .iter()
        .filter(|l| {
            let name = l.rsplit('/').next().unwrap_or_default();
            name.len() == "2026-11.xml".len() && name.as_bytes()[4] == b'-'
        })
        .collect();
    assert!(months.len() >= 4, "four months of archive: {months:?}");
    assert!(
        doc.descendants()
            .filter(|n| n.has_tag_name("lastmod"))
            .count()
            >= months.len()
    );

    let mut seen = 0;
    for loc in months {
        let path = loc.strip_prefix(BASE).unwrap();
        let part = app.get(path).await;
        assert_eq!(part.status, StatusCode::OK, "{path}");
        assert_no_secrets(path, &part.body);
        let doc = roxmltree::Document::parse(&part.body).expect("well-formed");
        let urls = doc.descendants().filter(|n| n.has_tag_name("url")).count();
        assert_eq!(
            urls,
            doc.descendants()
                .filter(|n| n.has_tag_name("lastmod"))
                .count()
        );
        seen += urls;
    }
    let published: i64 = app
        .count("SELECT count(*) FROM articles WHERE status = 'published' AND page_path IS NULL")
        .await;
    assert_eq!(
        seen as i64, published,
        "every published article is in exactly one month"
    );
    // The site's pages have their own sitemap, and only there.
    assert!(locs.contains(&format!("{BASE}/sitemaps/pages.xml").as_str()));
    let pages = app.get("/sitemaps/pages.xml").await.body;
    assert!(
        pages.contains(&format!("<loc>{BASE}/about-us/our-team</loc>")),
        "{pages}"
    );
    let pages_published: i64 = app
        .count("SELECT count(*) FROM articles WHERE status = 'published' AND page_path IS NOT NULL")
        .await;
    assert_eq!(pages.matches("<url>").count() as i64, pages_published);

    let news = app.get("/sitemaps/news.xml").await;
    assert_no_secrets("news sitemap", &news.body);
    let doc = roxmltree::Document::parse(&news.body).expect("well-formed");
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "title")
        .filter_map(|n| n.text())
        .collect();
    assert!(titles.contains(&"Fresh & new"), "{titles:?}");
    assert!(doc
        .descendants()
        .any(|n| n.tag_name().name() == "publication_date"));
    assert_eq!(
        app.get("/sitemaps/1999-01.xml").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/sitemaps/nonsense.xml").await.status,
        StatusCode::NOT_FOUND
    );

    let robots = app.get("/robots.txt").await;
    assert!(robots
        .body
        .contains(&format!("Sitemap: {BASE}/sitemap.xml")));
    assert!(robots.body.contains("Disallow: /admin"));
}

fn json_ld(body: &str) -> Vec<serde_json::Value> {
    body.split(r#"<script type="application/ld+json">"#)
        .skip(1)
        .map(|rest| rest.split("</script>").next().unwrap())
        .map(|json| serde_json::from_str(json).unwrap_or_else(|e| panic!("JSON-LD: {e}: {json}")))
        .collect()
}

fn meta<'a>(body: &'a str, attr: &str, name: &str) -> Option<&'a str> {
    let needle = format!(r#"{attr}="{name}" content=""#);
    let at = body.find(&needle)?;
    let rest = &body[at + needle.len()..];
    Some(&rest[..rest.find('"')?])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_carry_social_and_structured_metadata() {
    let app = app().await;
    insert(
        &app,
        "meta-check",
        "Harbour & \"hope\": a new quay",
        "published",
        "politics",
        Some(dates::now() - 30),
    )
    .await;
    let page = app.get("/article/meta-check").await;
    let head = &page.body[..page.body.find("</head>").unwrap()];
    assert!(
        head.contains(&format!(
            r#"<link href="{BASE}/article/meta-check" rel="canonical">"#
        )),
        "{head}"
    );
    assert_eq!(meta(head, "property", "og:type"), Some("article"));
    assert_eq!(
        meta(head, "property", "og:url"),
        Some(format!("{BASE}/article/meta-check").as_str())
    );
    assert_eq!(
        meta(head, "property", "og:site_name"),
        Some("The Test Gazette")
    );
    assert_eq!(
        meta(head, "property", "og:title"),
        Some("Harbour &amp; &quot;hope&quot;: a new quay")
    );
    assert!(meta(head, "property", "og:image")
        .unwrap()
        .starts_with("https://"));
    assert!(meta(head, "property", "og:image:width").is_some());
    assert!(meta(head, "property", "article:published_time").is_some());
    assert!(meta(head, "property", "article:modified_time").is_some());
    assert_eq!(meta(head, "property", "article:section"), Some("Politics"));
    assert_eq!(
        meta(head, "name", "twitter:card"),
        Some("summary_large_image")
    );

    let ld = json_ld(&page.body);
    let article = ld
        .iter()
        .find(|v| v["@type"] == "NewsArticle")
        .expect("NewsArticle");
    assert_eq!(article["@context"], "https://schema.org");
    assert_eq!(article["headline"], "Harbour & \"hope\": a new quay");
    for key in [
        "image",
        "datePublished",
        "dateModified",
        "author",
        "publisher",
        "articleSection",
        "mainEntityOfPage",
    ] {
        assert!(!article[key].is_null(), "NewsArticle.{key}");
    }
    assert_eq!(
        article["publisher"]["logo"]["url"],
        format!("{BASE}/logo.png")
    );
    assert_eq!(
        article["mainEntityOfPage"]["@id"],
        format!("{BASE}/article/meta-check")
    );
    let crumbs = ld
        .iter()
        .find(|v| v["@type"] == "BreadcrumbList")
        .expect("BreadcrumbList");
    assert_eq!(crumbs["itemListElement"][1]["name"], "Politics");

    let home = app.get("/").await;
    let site = json_ld(&home.body)
        .into_iter()
        .find(|v| v["@type"] == "WebSite")
        .expect("WebSite");
    assert_eq!(site["potentialAction"]["@type"], "SearchAction");

    let category = app.get("/category/politics/page/2").await;
    assert!(category.body.contains(&format!(
        r#"<link href="{BASE}/category/politics/page/2" rel="canonical">"#
    )));
    assert!(json_ld(&category.body)
        .iter()
        .any(|v| v["@type"] == "BreadcrumbList"));

    let search = app.get("/search?q=harbour").await;
    assert_eq!(
        meta(&search.body, "name", "robots"),
        Some("noindex, follow")
    );
    let logo = app.get("/logo.png").await;
    assert!(
        logo.status == StatusCode::OK || logo.status == StatusCode::NOT_FOUND,
        "served from the site root in real runs"
    );
}
