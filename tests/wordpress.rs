//! Moving a WordPress site in: the fixture is a real WordPress 6.1's export
//! (tests/fixtures/wordpress, made by make-export.sh), imported into the demo site, then read
//! through the real router: articles, sections, images, bylines, old permalinks answering 301.
//! A second run changes nothing, an interrupted one resumes, and hostile or broken files are
//! refused with the database left as it was.
#![cfg(feature = "ssr")]

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::TestApp;
use portal::model::newsroom::ImportRun;
use portal::server::accounts::DEMO_USERS;
use portal::server::wordpress::{self, Options, Report};
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wordpress")
}

fn with_media() -> Options {
    Options {
        media_dir: Some(fixture().join("uploads")),
        ..Default::default()
    }
}

async fn import(
    app: &TestApp,
    file: &Path,
    options: &Options,
) -> Result<Report, wordpress::ImportError> {
    let store = portal::server::media::open_store(&app.config).unwrap();
    let target = wordpress::Target {
        pool: &app.pool,
        store: store.as_ref(),
        hosts: &app.config.image_hosts,
        tz: app.config.timezone,
        now: 1_800_000_000,
        by: None,
    };
    wordpress::import(&target, file, options, &|_| {}).await
}

async fn berlin() -> TestApp {
    common::app_with(&[("PORTAL_TIMEZONE", "Europe/Berlin")]).await
}

/// Rows of the tables an import writes to.
async fn counts(app: &TestApp) -> Vec<i64> {
    let mut out = Vec::new();
    for table in [
        "articles",
        "categories",
        "media",
        "redirects",
        "imported_posts",
        "tags",
        "article_tags",
    ] {
        out.push(app.count(&format!("SELECT COUNT(*) FROM {table}")).await);
    }
    out.push(
        app.count("SELECT value FROM site_state WHERE key = 'content_version'")
            .await,
    );
    out
}

fn location(res: &common::Res) -> String {
    res.headers
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_wordpress_export_becomes_articles_sections_images_and_redirects() {
    let app = berlin().await;
    let report = import(&app, &fixture().join("export.xml"), &with_media())
        .await
        .unwrap();
    let text = report.to_string();
    assert_eq!(
        (report.published, report.scheduled, report.drafts),
        (4, 1, 2),
        "{text}"
    );
    assert_eq!(report.comments, 2, "{text}");
    assert!(
        text.contains("Comments: 2 in the export, not imported"),
        "{text}"
    );
    assert_eq!(
        report
            .not_imported
            .get("private posts (readers could not see them)"),
        Some(&1),
        "{text}"
    );
    assert_eq!((report.pages, report.page_drafts), (3, 1), "{text}");
    assert!(
        text.contains("Pages: 4 (3 published, 1 as drafts)"),
        "{text}"
    );
    assert!(
        !report.not_imported.keys().any(|k| k.contains("page")),
        "{text}"
    );
    assert_eq!(report.images_imported, 2, "{text}");
    // Every imported article has its first revision, written the newsroom's way, and the run
    // is in the audit log.
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM articles a WHERE (SELECT COUNT(*) FROM article_revisions r \
             WHERE r.article_id = a.id AND r.kind = 'import' AND r.version = 1 \
             AND r.user_id IS NULL AND r.snapshot LIKE '%' || a.title || '%') = 1 \
             AND a.id IN (SELECT article_id FROM imported_posts)"
        )
        .await,
        11,
        "7 posts and 4 pages"
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'imported from WordPress' \
             AND actor = 'portal import (command line)' AND actor_id IS NULL \
             AND target LIKE '7 posts from %'"
        )
        .await,
        1
    );
    assert!(
        report
            .images_missing
            .iter()
            .any(|m| m.contains("lost-harbour.jpg")),
        "{text}"
    );
    assert!(
        report
            .sections_created
            .iter()
            .any(|s| s == "Local news (local-news)"),
        "{text}"
    );
    assert!(
        report
            .sections_created
            .iter()
            .any(|s| s == "Food & Drink (food-drink)"),
        "{text}"
    );
    for dropped in [
        "script",
        "iframe from ads.example",
        "dynamic block latest-posts",
    ] {
        assert!(text.contains(dropped), "{dropped} missing from\n{text}");
    }

    // The lead post: Gutenberg blocks, a featured image, sticky, in Politics (matched by slug).
    let slug = "harbour-council-backs-new-ferry-timetable";
    let page = app.get(&format!("/article/{slug}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page
        .body
        .contains("Harbour council backs a new ferry timetable"));
    assert!(page.body.contains("Desk Editor"), "byline");
    assert!(page.body.contains("<h2"), "the heading block");
    assert!(
        page.body.contains("<li>First crossing at 05:40"),
        "the list block"
    );
    assert!(page.body.contains("<blockquote"), "the quote block");
    assert!(page
        .body
        .contains("<figcaption>The north quay before the first ferry"));
    assert!(page
        .body
        .contains("alt=\"Fishing boats tied up along the quay at dawn\""));
    let row = app
        .texts(&format!(
            "SELECT CAST(published_at AS TEXT) || ' ' || c.slug || ' ' || CAST(editors_pick AS TEXT) \
             || ' ' || COALESCE(image_url, '-') FROM articles a JOIN categories c ON c.id = a.category_id \
             WHERE a.slug = '{slug}'"
        ))
        .await;
    // 10:15 in Berlin (summer time) is 08:15 UTC.
    assert!(row[0].starts_with("1714724100 politics "), "{row:?}");
    assert!(
        row[0].contains(" /media/"),
        "the featured image is stored: {row:?}"
    );
    assert!(
        row[0].split(' ').nth(2) == Some("1") || row[0].split(' ').nth(2) == Some("true"),
        "sticky is an Editor's Pick: {row:?}"
    );

    // Old addresses answer 301 to the new one: the permalink, ?p=, category and date forms.
    let new = format!("/article/{slug}");
    let ferry_id = app
        .texts("SELECT CAST(wp_id AS TEXT) FROM imported_posts ip JOIN articles a ON a.id = ip.article_id \
                WHERE a.slug = 'harbour-council-backs-new-ferry-timetable'")
        .await;
    for old in [
        format!("/2024/05/03/{slug}"),
        format!("/2024/05/03/{slug}/"),
        format!("/2024/05/{slug}/"),
        format!("/politics/{slug}/"),
        format!("/local-news/{slug}/"),
        format!("/{slug}/"),
        format!("/?p={}", ferry_id[0]),
    ] {
        let res = app.get(&old).await;
        assert_eq!(res.status, StatusCode::MOVED_PERMANENTLY, "{old}");
        assert_eq!(location(&res), new, "{old}");
    }
    // A section's WordPress address (with its trailing slash) reaches the section.
    let section = app.get("/category/food-drink/").await;
    match section.status {
        StatusCode::OK => assert!(section.body.contains("Food &amp; Drink")),
        StatusCode::MOVED_PERMANENTLY => assert_eq!(location(&section), "/category/food-drink"),
        other => panic!("/category/food-drink/ answered {other}"),
    }
    let feed = app.get("/feed/").await;
    assert_eq!(feed.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(location(&feed), "/feed.xml");
    // Tags arrive with their WordPress addresses, and every old form of those answers 301.
    let ferries = app.get("/tag/ferries").await;
    assert_eq!(ferries.status, StatusCode::OK);
    assert!(ferries.body.contains(&new) && ferries.body.contains("/article/rynok-u-prichala"));
    let ferry = app.get(&new).await;
    assert!(ferry.body.contains("href=\"/tag/harbour-council\""));
    for (old, to) in [
        ("/tag/ferries/", "/tag/ferries"),
        ("/?tag=ferries", "/tag/ferries"),
        ("/tag/ferries/feed/", "/tag/ferries/feed.xml"),
        (
            "/tag/harbour-council/page/2/",
            "/tag/harbour-council/page/2",
        ),
        ("/tag/Markets/", "/tag/markets"),
    ] {
        let res = app.get(old).await;
        assert_eq!(res.status, StatusCode::MOVED_PERMANENTLY, "{old}");
        assert_eq!(location(&res), to, "{old}");
    }
    // Authors become profiles (no accounts, no e-mail addresses) with their old addresses.
    let ana = app.get("/author/ana/").await;
    assert_eq!(ana.status, StatusCode::MOVED_PERMANENTLY);
    let ana_page = location(&ana);
    assert!(ana_page.starts_with("/author/"), "{ana_page}");
    let profile = app.get(&ana_page).await;
    assert_eq!(profile.status, StatusCode::OK);
    assert!(
        profile.body.contains("Ana Reyes") && profile.body.contains("/article/rynok-u-prichala")
    );
    assert_eq!(location(&app.get("/?author=2").await), ana_page);
    assert_eq!(
        location(&app.get("/author/ana/feed/").await),
        format!("{ana_page}/feed.xml")
    );
    assert_eq!(
        app.count("SELECT count(*) FROM authors WHERE bio LIKE '%@%' OR name LIKE '%@%'")
            .await,
        0
    );
    assert_eq!(
        app.count("SELECT count(*) FROM users WHERE email LIKE '%gazette.example'")
            .await,
        0
    );
    assert!(
        ferry.body.contains("rel=\"author\""),
        "the byline links to the profile"
    );
    assert_eq!(
        app.texts(
            "SELECT t.name FROM article_tags x JOIN tags t ON t.id = x.tag_id \
                   JOIN articles a ON a.id = x.article_id \
                   WHERE a.slug = 'harbour-council-backs-new-ferry-timetable' ORDER BY x.position"
        )
        .await,
        ["Ferries", "Harbour council"]
    );
    // Pages arrive as pages, each under its parent (the child came first in the export), at
    // the address their slugs make; every old address of them answers 301; drafts stay out.
    let about = app.get("/about-the-gazette").await;
    assert_eq!(about.status, StatusCode::OK);
    assert!(about
        .body
        .contains("A weekly paper for the harbour towns since 1911."));
    assert!(about.body.contains("href=\"/about-the-gazette/reporters\""));
    let team = app.get("/about-the-gazette/reporters").await;
    assert_eq!(team.status, StatusCode::OK);
    assert!(team.body.contains("<strong>local</strong>"));
    for (old, to) in [
        ("/?page_id=15", "/about-the-gazette"),
        ("/about-the-gazette/", "/about-the-gazette"),
        ("/?page_id=16", "/about-the-gazette/reporters"),
        (
            "/about-the-gazette/reporters/",
            "/about-the-gazette/reporters",
        ),
        ("/?page_id=2", "/sample-page"),
    ] {
        let res = app.get(old).await;
        assert_eq!(res.status, StatusCode::MOVED_PERMANENTLY, "{old}");
        assert_eq!(location(&res), to, "{old}");
    }
    assert_eq!(
        app.get("/privacy-policy").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.count(
            "SELECT count(*) FROM articles WHERE slug = 'privacy-policy' \
             AND status = 'draft' AND page_path = 'privacy-policy'"
        )
        .await,
        1
    );
    // The portal's own pages are never redirected, and unknown addresses stay 404s.
    assert_eq!(app.get("/").await.status, StatusCode::OK);
    assert_eq!(
        app.get("/2024/05/03/no-such-post/").await.status,
        StatusCode::NOT_FOUND
    );

    // Classic editor content with a [caption], a non-ASCII title, a created section.
    let cafe = app
        .get("/article/cafe-culture-returns-to-the-old-quarter-facades-and-all")
        .await;
    assert_eq!(cafe.status, StatusCode::OK);
    assert!(cafe
        .body
        .contains("Café culture returns to the old quarter — façades and all"));
    assert!(cafe.body.contains("Ana Reyes"));
    assert!(cafe
        .body
        .contains("<figcaption>Saturday market, Harbour Square"));
    assert!(
        cafe.body.contains("The owners share a bakery.<br"),
        "{}",
        cafe.body
    );
    let cyrillic = app.get("/article/rynok-u-prichala").await;
    assert_eq!(cyrillic.status, StatusCode::OK);
    assert!(cyrillic.body.contains("Рынок у причала открывается снова"));
    assert_eq!(
        location(&app.get("/2024/05/05/rynok-u-prichala/").await),
        "/article/rynok-u-prichala"
    );

    // Hostile content reaches readers as text at most, never as live markup.
    let strike = app.get("/article/ferry-strike-live-updates").await;
    assert_eq!(strike.status, StatusCode::OK);
    let body = strike
        .body
        .split("<main")
        .nth(1)
        .unwrap_or_default()
        .to_lowercase();
    for bad in [
        "tracker.example",
        "ads.example",
        "phish.example",
        "javascript:",
        "onmouseover",
        "alert(",
        "<iframe",
        "<form",
        "[gallery",
    ] {
        assert!(!body.contains(bad), "{bad} reached readers");
    }
    assert!(
        body.contains("https://www.youtube.com/watch?v=harbour123"),
        "the embed is a link"
    );

    // Drafts stay in the newsroom (no public address), the scheduled post waits for its time.
    let statuses = app
        .texts(
            "SELECT a.status || ' ' || a.title FROM imported_posts ip JOIN articles a ON a.id = ip.article_id \
             WHERE a.status <> 'published' AND a.page_path IS NULL ORDER BY a.title",
        )
        .await;
    assert_eq!(
        statuses,
        vec![
            "draft Budget notes (draft)",
            "draft Lighthouse keepers to get a museum",
            "scheduled Summer timetable starts on Monday",
        ]
    );
    assert_eq!(
        app.get("/article/summer-timetable-starts").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_second_run_changes_nothing_and_an_interrupted_one_resumes() {
    let app = berlin().await;
    let file = fixture().join("export.xml");
    import(&app, &file, &with_media()).await.unwrap();
    let after_first = counts(&app).await;

    let again = import(&app, &file, &with_media()).await.unwrap();
    assert_eq!(again.imported(), 0, "{again}");
    assert_eq!(again.already_imported, 11, "7 posts and 4 pages: {again}");
    assert_eq!((again.pages, again.page_drafts), (0, 0), "{again}");
    assert_eq!(
        counts(&app).await,
        after_first,
        "a second run wrote something"
    );

    // As if the import had stopped after its first posts: two are gone, with their records.
    app.exec(
        "DELETE FROM articles WHERE id IN (SELECT article_id FROM imported_posts \
         WHERE article_id IN (SELECT id FROM articles WHERE slug IN \
         ('rynok-u-prichala', 'ferry-strike-live-updates')))",
    )
    .await;
    app.exec("DELETE FROM imported_posts WHERE article_id IS NULL")
        .await;
    let resumed = import(&app, &file, &with_media()).await.unwrap();
    assert_eq!(resumed.imported(), 2, "{resumed}");
    assert_eq!(
        resumed.already_imported, 9,
        "5 posts and 4 pages: {resumed}"
    );
    assert_eq!(
        app.get("/article/rynok-u-prichala").await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM articles WHERE slug LIKE 'rynok-u-prichala%'")
            .await,
        1
    );
}

/// Whether the search page lists the article.
async fn found(app: &TestApp, q: &str, slug: &str) -> bool {
    let page = app.get(&format!("/search?q={q}")).await;
    assert_eq!(page.status, StatusCode::OK);
    page.body.contains(&format!("/article/{slug}\""))
}

/// An article as a run that died before its end left it: written, not indexed for search.
async fn left_unindexed(app: &TestApp, slug: &str, title: &str, marked_at: i64) {
    use portal::server::db::{self, imports};
    let category_id = app
        .count("SELECT id FROM categories WHERE slug = 'travel'")
        .await;
    let mut tx = db::begin_write(&app.pool).await.unwrap();
    let id = imports::reserve_unindexed_id(tx.conn(), marked_at)
        .await
        .unwrap();
    let article = db::articles::ArticleInput {
        slug: slug.into(),
        title: title.into(),
        body_text: title.into(),
        body_html: format!("<p>{title}</p>"),
        category_id,
        author_name: "Old Site".into(),
        status: "published".into(),
        published_at: Some(marked_at),
        ..Default::default()
    };
    let row = db::articles::NewRow {
        id: Some(id),
        ..db::articles::NewRow::at(marked_at)
    };
    db::articles::insert_article(tx.conn(), &article, row)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn the_search_index_is_built_at_the_end_and_a_dead_runs_share_later() {
    let app = berlin().await;
    let file = fixture().join("export.xml");
    import(&app, &file, &with_media()).await.unwrap();
    // Every imported post readers can see is found, and nothing waits to be indexed.
    assert!(
        found(
            &app,
            "timetable",
            "harbour-council-backs-new-ferry-timetable"
        )
        .await
    );
    assert!(
        found(
            &app,
            "fa%C3%A7ades",
            "cafe-culture-returns-to-the-old-quarter-facades-and-all"
        )
        .await
    );
    // "Рынок"
    assert!(found(&app, "%D0%A0%D1%8B%D0%BD%D0%BE%D0%BA", "rynok-u-prichala").await);
    assert_eq!(app.count("SELECT COUNT(*) FROM search_pending").await, 0);

    // A run that died after a batch: its posts are read but not found...
    let now = 1_800_000_000;
    left_unindexed(
        &app,
        "lighthouse-keepers-return",
        "Lighthouse keepers return",
        now,
    )
    .await;
    assert!(!found(&app, "lighthouse", "lighthouse-keepers-return").await);
    // ...until the same import runs again (nothing left to import, the index is completed).
    let again = import(&app, &file, &with_media()).await.unwrap();
    assert_eq!(again.imported(), 0, "{again}");
    app.cache.purge(); // as the server does after an import (the content version moved)
    assert!(found(&app, "lighthouse", "lighthouse-keepers-return").await);

    // Nobody runs it again: the scheduler takes rows left for a quarter of an hour.
    left_unindexed(&app, "breakwater-extended", "Breakwater extended", now).await;
    let round = |at: i64| {
        let newsroom = portal::server::newsroom::Newsroom::new(
            app.pool.clone(),
            app.config.timezone,
            portal::server::dates::Clock::fixed(at),
        );
        let cache = app.cache.clone();
        async move { newsroom.run_scheduler_once(&cache).await.unwrap() }
    };
    round(now + 60).await;
    assert!(
        !found(&app, "breakwater", "breakwater-extended").await,
        "an import may still be running"
    );
    round(now + 15 * 60).await;
    assert!(found(&app, "breakwater", "breakwater-extended").await);
    assert_eq!(app.count("SELECT COUNT(*) FROM search_pending").await, 0);
}

#[tokio::test]
async fn a_dry_run_reports_and_writes_nothing() {
    let app = berlin().await;
    let before = counts(&app).await;
    let media_before = files_under(&app.config.media_dir());
    let options = Options {
        dry_run: true,
        ..with_media()
    };
    let report = import(&app, &fixture().join("export.xml"), &options)
        .await
        .unwrap();
    assert_eq!(report.imported(), 7, "{report}");
    assert!(report.to_string().starts_with("Would import"), "{report}");
    assert_eq!(counts(&app).await, before);
    assert_eq!(
        files_under(&app.config.media_dir()),
        media_before,
        "a dry run stored images"
    );
}

/// Every file below `dir`.
fn files_under(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| {
                    let p = e.path();
                    if p.is_dir() {
                        files_under(&p)
                    } else {
                        1
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

#[tokio::test]
async fn mapped_categories_and_a_map_to_nowhere() {
    let app = berlin().await;
    let options = Options {
        map: vec![
            ("local-news".into(), "world".into()),
            ("Food & Drink".into(), "lifestyle".into()),
        ],
        ..with_media()
    };
    let report = import(&app, &fixture().join("export.xml"), &options)
        .await
        .unwrap();
    assert!(report.sections_created.is_empty(), "{report}");
    let section = app
        .texts("SELECT c.slug FROM articles a JOIN categories c ON c.id = a.category_id WHERE a.slug = 'ferry-strike-live-updates'")
        .await;
    assert_eq!(section, vec!["world"]);
    let res = app.get("/category/local-news/").await;
    assert_eq!(res.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(location(&res), "/category/world");

    let wrong = Options {
        map: vec![("local-news".into(), "nowhere".into())],
        ..Default::default()
    };
    let before = counts(&app).await;
    let err = import(&app, &fixture().join("export.xml"), &wrong)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, wordpress::ImportError::NoSection { to, .. } if to == "nowhere"),
        "{err}"
    );
    assert!(err.to_string().contains("no section \"nowhere\""), "{err}");
    assert_eq!(counts(&app).await, before);
}

#[tokio::test]
async fn hostile_and_broken_files_leave_the_database_as_it_was() {
    let app = berlin().await;
    let dir = tempfile::tempdir().unwrap();
    let real = std::fs::read(fixture().join("export.xml")).unwrap();
    let head =
        String::from_utf8_lossy(&real[..real.windows(6).position(|w| w == b"<item>").unwrap()])
            .into_owned();
    let item = |title: &str| {
        format!(
            "<item><title>{title}</title><link>https://gazette.example/x/</link><wp:post_id>900</wp:post_id>\
             <wp:status>publish</wp:status><wp:post_type>post</wp:post_type><content:encoded>x</content:encoded></item>"
        )
    };
    let mut invalid_utf8 = format!("{head}{}", item("Bad bytes")).into_bytes();
    let at = invalid_utf8.len() - 40;
    invalid_utf8.splice(at..at, [0xc3, 0x28, 0xff]);
    invalid_utf8.extend_from_slice(b"</channel></rss>");
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "billion laughs",
            format!(
                "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\
                 <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>{}",
                &head[head.find("<rss").unwrap()..]
            )
            .replace("<channel>", "<channel><title>&c;</title>")
            .into_bytes(),
            "document type",
        ),
        (
            "external entity",
            format!(
                "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>{}{}</channel></rss>",
                &head[head.find("<rss").unwrap()..],
                item("&x;")
            )
            .into_bytes(),
            "document type",
        ),
        ("truncated", real[..real.len() * 2 / 3].to_vec(), "truncated"),
        ("invalid UTF-8", invalid_utf8, "UTF-8"),
        (
            "a 10 MB title",
            format!("{head}{}</channel></rss>", item(&"A".repeat(10 * 1024 * 1024))).into_bytes(),
            "longer than",
        ),
        (
            // Read and refused before it is whole in memory, though nobody reads comments.
            "a 12 MB comment",
            format!(
                "{head}<item><title>T</title><wp:post_id>901</wp:post_id><wp:comment><wp:comment_content><![CDATA[{}]]></wp:comment_content></wp:comment></item></channel></rss>",
                "c".repeat(12 * 1024 * 1024)
            )
            .into_bytes(),
            "longer than",
        ),
        ("not an export", b"<html><body>Hello</body></html>".to_vec(), "not a WordPress export"),
        ("empty", Vec::new(), "not a WordPress export"),
    ];
    let before = counts(&app).await;
    for (name, bytes, expected) in cases {
        let file = dir.path().join(format!("{}.xml", name.replace(' ', "-")));
        std::fs::write(&file, bytes).unwrap();
        let err = import(&app, &file, &with_media()).await.unwrap_err();
        assert!(
            matches!(err, wordpress::ImportError::Unreadable { .. }),
            "{name}: {err}"
        );
        let err = err.to_string();
        assert!(err.contains(expected), "{name}: {err}");
        assert!(err.contains("Nothing was imported"), "{name}: {err}");
        assert_eq!(counts(&app).await, before, "{name} changed the database");
    }
    let missing = import(&app, &dir.path().join("no-such.xml"), &with_media())
        .await
        .unwrap_err();
    assert!(
        matches!(missing, wordpress::ImportError::Open { .. }),
        "{missing}"
    );
    assert!(missing.to_string().contains("cannot open"), "{missing}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deep_markup_and_repeated_ids_are_imported_without_harm() {
    let app = berlin().await;
    let dir = tempfile::tempdir().unwrap();
    let real = std::fs::read_to_string(fixture().join("export.xml")).unwrap();
    let head = &real[..real.find("<item>").unwrap()];
    let post = |id: i64, slug: &str, title: &str, content: &str| {
        format!(
            "<item><title>{title}</title><link>https://gazette.example/{slug}/</link>\
             <wp:post_id>{id}</wp:post_id><wp:post_name>{slug}</wp:post_name>\
             <wp:post_date_gmt>2024-05-03 10:00:00</wp:post_date_gmt>\
             <wp:status>publish</wp:status><wp:post_type>post</wp:post_type>\
             <content:encoded><![CDATA[{content}]]></content:encoded></item>"
        )
    };
    // Nested far past what the converter's recursion (and a thread's stack) could take.
    let deep = format!(
        "{}Deep inside{}",
        "<div>".repeat(30_000),
        "</div>".repeat(30_000)
    );
    // Nested as deep as real posts may go: still converted as HTML.
    let fair = format!(
        "{}<em>Fairly deep</em>{}",
        "<div>".repeat(90),
        "</div>".repeat(90)
    );
    let file = dir.path().join("hostile.xml");
    std::fs::write(
        &file,
        format!(
            "{head}{}{}{}{}</channel></rss>",
            post(9001, "deep-post", "A deep post", &deep),
            post(9002, "twice", "The first copy", "First."),
            post(9002, "twice-again", "The second copy", "Second."),
            post(9003, "fair-post", "A fair post", &fair),
        ),
    )
    .unwrap();
    let dry = Options {
        dry_run: true,
        ..Default::default()
    };
    let report = import(&app, &file, &dry).await.unwrap();
    assert_eq!(report.imported(), 3, "{report}");
    let report = import(&app, &file, &Options::default()).await.unwrap();
    assert_eq!(report.imported(), 3, "{report}");
    assert!(report.to_string().contains("lists twice"), "{report}");
    let body = |slug: &str| {
        let slug = slug.to_string();
        let app = &app;
        async move {
            app.texts(&format!(
                "SELECT body_md FROM articles WHERE slug = '{slug}'"
            ))
            .await
            .join("")
        }
    };
    assert!(body("deep-post").await.contains("Deep inside"));
    assert_eq!(
        app.texts("SELECT title FROM articles WHERE title LIKE 'The % copy'")
            .await,
        vec!["The first copy".to_string()]
    );
    assert!(
        body("fair-post").await.contains("*Fairly deep*"),
        "{}",
        body("fair-post").await
    );
    let page = app.get("/").await;
    assert_eq!(page.status, axum::http::StatusCode::OK);
    // The next run finds them imported, and fails on nothing.
    let again = import(&app, &file, &Options::default()).await.unwrap();
    assert_eq!(again.imported(), 0, "{again}");
    assert_eq!(again.already_imported, 3, "{again}");
}

/// `POST /api/admin/import` as the newsroom's page sends it (multipart, field `file`).
async fn upload(
    app: &TestApp,
    cookie: Option<&str>,
    query: &str,
    file: Option<&[u8]>,
) -> common::Res {
    let mut body = Vec::new();
    if let Some(bytes) = file {
        body.extend_from_slice(
            b"--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"export.xml\"\r\nContent-Type: text/xml\r\n\r\n",
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(b"--b0undary--\r\n");
    let mut req = Request::post(format!("/api/admin/import{query}")).header(
        header::CONTENT_TYPE,
        "multipart/form-data; boundary=b0undary",
    );
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    app.send(req.body(Body::from(body)).unwrap()).await
}

/// The newest import, polled until it has ended.
async fn finished(app: &TestApp, cookie: &str) -> ImportRun {
    for _ in 0..600 {
        let res = app.get_as("/api/admin/import-status", Some(cookie)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let run: Option<ImportRun> = serde_json::from_str(&res.body).unwrap();
        let run = run.expect("an import was started");
        if run.status != "running" {
            return run;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the import did not finish within 30 s");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_import_from_the_newsroom_in_the_background() {
    let app = berlin().await;
    // Where an operator copies wp-content/uploads for the newsroom's imports.
    let uploads = app.config.data_dir.join("import/uploads/2024/05");
    std::fs::create_dir_all(&uploads).unwrap();
    for name in ["quay.jpg", "market.jpg"] {
        std::fs::copy(
            fixture().join("uploads/2024/05").join(name),
            uploads.join(name),
        )
        .unwrap();
    }
    let xml = std::fs::read(fixture().join("export.xml")).unwrap();
    let editor = app.login(common::EDITOR).await;
    let admin = app.login(common::ADMIN).await;

    assert_eq!(
        upload(&app, None, "", Some(&xml)).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        upload(&app, Some(&editor), "", Some(&xml)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get_as("/api/admin/import-status", Some(&editor))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let empty = upload(&app, Some(&admin), "", None).await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    assert!(
        empty.body.contains("Choose the export file"),
        "{}",
        empty.body
    );

    // A dry run first: a report, nothing changed.
    let before = counts(&app).await;
    let started = upload(&app, Some(&admin), "?dry_run=1", Some(&xml)).await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    let run = finished(&app, &admin).await;
    assert_eq!(
        (run.status.as_str(), run.dry_run),
        ("done", true),
        "{}",
        run.report
    );
    assert!(
        run.report
            .starts_with("Would import from https://gazette.example"),
        "{}",
        run.report
    );
    assert_eq!(counts(&app).await[..5], before[..5]);

    // A mapping to a section the portal does not have is refused before anything runs.
    let wrong = upload(&app, Some(&admin), "?map=local-news%3Dnowhere", Some(&xml)).await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(
        wrong.body.contains("the portal has no section") && wrong.body.contains("nowhere"),
        "{}",
        wrong.body
    );
    let wrong = upload(&app, Some(&admin), "?map=local-news", Some(&xml)).await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(wrong.body.contains("OLD=NEW"), "{}", wrong.body);

    let started = upload(
        &app,
        Some(&admin),
        "?dry_run=0&map=local-news%3Dworld%0A",
        Some(&xml),
    )
    .await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    let run = finished(&app, &admin).await;
    assert_eq!(run.status, "done", "{}", run.report);
    assert!(run.report.contains("world ← local-news"), "{}", run.report);
    assert!(
        !run.report.contains("Local news (local-news)"),
        "{}",
        run.report
    );
    assert_eq!((run.posts_done, run.posts_total), (8, 8));
    assert!(
        run.report
            .contains("7 posts (4 published, 1 scheduled, 2 as drafts)"),
        "{}",
        run.report
    );
    assert!(run.report.contains("Images: 2 imported"), "{}", run.report);
    let page = app
        .get("/article/harbour-council-backs-new-ferry-timetable")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page
        .body
        .contains("<figcaption>The north quay before the first ferry"));
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'imported from WordPress' \
             AND actor = '{}' AND actor_id IS NOT NULL",
            DEMO_USERS[2].1
        ))
        .await,
        1
    );
    // Its history starts with the import, and that revision can be restored like any other.
    let id = app
        .count("SELECT id FROM articles WHERE slug = 'harbour-council-backs-new-ferry-timetable'")
        .await;
    let revs: portal::model::newsroom::RevisionPage = serde_json::from_str(
        &app.get_as(&format!("/api/admin/revisions?id={id}"), Some(&admin))
            .await
            .body,
    )
    .unwrap();
    assert_eq!(revs.items.len(), 1);
    assert_eq!(revs.items[0].kind_label(), "Imported from WordPress");
    assert_eq!(revs.items[0].by, "WordPress import");
    let editor_article = |res: common::Res| -> portal::model::newsroom::EditorArticle {
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        serde_json::from_str(&res.body).unwrap()
    };
    let open = format!("/api/admin/article?id={id}");
    let version = editor_article(app.get_as(&open, Some(&admin)).await).version;
    let restored = app
        .post_json(
            "/api/admin/restore",
            serde_json::json!({"id": id, "revision_id": revs.items[0].id, "base_version": version}),
            Some(&admin),
        )
        .await;
    assert_eq!(restored.status, StatusCode::OK, "{}", restored.body);
    let after = editor_article(app.get_as(&open, Some(&admin)).await);
    assert!(after.version > version);
    assert_eq!(
        after.form.title,
        "Harbour council backs a new ferry timetable"
    );
    assert!(
        after.form.image.is_some(),
        "the featured image comes back with it"
    );

    // What is not an export fails with the reason, and changes nothing.
    let before = counts(&app).await;
    let started = upload(&app, Some(&admin), "", Some(b"<html>not an export</html>")).await;
    assert_eq!(started.status, StatusCode::OK);
    let run = finished(&app, &admin).await;
    assert_eq!(run.status, "failed");
    assert!(
        run.report.contains("not a WordPress export"),
        "{}",
        run.report
    );
    assert_eq!(counts(&app).await[..5], before[..5]);
    // The uploads do not pile up on the server.
    let left: Vec<_> = std::fs::read_dir(app.config.data_dir.join("import"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "xml"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[tokio::test]
async fn one_newsroom_import_at_a_time() {
    let app = berlin().await;
    let now = 1_800_000_000;
    let first = portal::server::db::imports::start_run(&app.pool, 3, "a.xml", false, now)
        .await
        .unwrap();
    assert!(first.is_some());
    let second = portal::server::db::imports::start_run(&app.pool, 3, "b.xml", false, now + 10)
        .await
        .unwrap();
    assert_eq!(second, None, "a second import while one runs");
    // One whose server died (no progress for minutes) no longer blocks, and is marked failed.
    let later = now + portal::server::db::imports::RUN_STALE_AFTER + 1;
    let third = portal::server::db::imports::start_run(&app.pool, 3, "c.xml", false, later)
        .await
        .unwrap();
    assert!(third.is_some());
    let statuses = app
        .texts("SELECT status FROM import_runs ORDER BY id")
        .await;
    assert_eq!(statuses, vec!["failed", "running"]);
}
