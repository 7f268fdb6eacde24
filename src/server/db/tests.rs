//! Database tests, written once and run on both backends: each on a fresh, migrated SQLite
//! file, and on a fresh PostgreSQL database when the test command started a server
//! (`PORTAL_TEST_POSTGRES_URL`). A few look at what only one backend has (FTS5's integrity
//! check, SQLite's query plans).

use super::articles::{self as db, ArticleInput};
use super::newsroom as editor;
use super::search as sdb;
use super::testing::{fresh, fresh_on};
use super::{dialect, Backend, Pool};
use crate::server::{db::query::fts_query, newsroom::markdown};
use sqlx::ConnectOptions;

const DAY: i64 = 86_400;
const NOW: i64 = 1_762_700_000;

async fn exec(pool: &Pool, sql: &str) {
    on!(pool, p => sqlx::query(sql).execute(p).await.map(|_| ())).unwrap();
}

async fn scalar(pool: &Pool, sql: &str) -> i64 {
    on!(pool, p => sqlx::query_scalar(sql).fetch_one(p).await).unwrap()
}

/// The search index agrees with the articles table: FTS5's own check on SQLite (its index is
/// kept by triggers); on PostgreSQL (kept by a trigger too) every published article's terms
/// are compared with what they should be.
async fn index_consistent(pool: &Pool) {
    match pool {
        Pool::Sqlite(p) => {
            sqlx::query(
                "INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)",
            )
            .execute(p)
            .await
            .expect("FTS index consistent with articles");
        }
        Pool::Postgres(_) => {
            // Exactly the published articles are indexed, with their current text, and the
            // counts kept beside them agree.
            let stale = scalar(
                pool,
                "SELECT count(*) FROM articles a FULL JOIN article_search s ON s.id = a.id \
                 WHERE (a.status = 'published') IS DISTINCT FROM (s.id IS NOT NULL) \
                    OR (a.status = 'published' AND s.doc IS DISTINCT FROM \
                        setweight(to_tsvector('portal', a.title), 'A') \
                        || setweight(to_tsvector('portal', a.excerpt), 'B') \
                        || setweight(to_tsvector('portal', a.body_text), 'C') \
                        || portal_recency(a.id))",
            )
            .await;
            assert_eq!(stale, 0, "search index out of step");
            let miscounted = scalar(
                pool,
                "SELECT count(*) FROM categories c LEFT JOIN published_counts p ON p.category_id = c.id \
                 WHERE coalesce(p.n, 0) <> (SELECT count(*) FROM articles a \
                     WHERE a.category_id = c.id AND a.status = 'published')",
            )
            .await;
            assert_eq!(miscounted, 0, "published counts out of step");
        }
    }
}

async fn category_id(pool: &Pool, slug: &str) -> i64 {
    db::category_by_slug(pool, slug).await.unwrap().unwrap().id
}

fn input(slug: &str, title: &str, body: &str, category_id: i64, published_at: i64) -> ArticleInput {
    let r = markdown::render(body);
    ArticleInput {
        slug: slug.into(),
        title: title.into(),
        excerpt: format!("About {title}"),
        body_md: body.into(),
        body_html: r.html,
        body_text: r.text,
        reading_minutes: r.reading_minutes,
        category_id,
        author_name: "Test Writer".into(),
        status: "published".into(),
        published_at: Some(published_at),
        ..Default::default()
    }
}

async fn add(pool: &Pool, slug: &str, title: &str, body: &str, cat: &str, days_ago: i64) -> i64 {
    let c = category_id(pool, cat).await;
    db::insert_article(
        pool.acquire().await.unwrap().conn(),
        &input(slug, title, body, c, NOW - days_ago * DAY),
        db::NewRow::at(NOW),
    )
    .await
    .unwrap()
}

fn slugs(rows: &[db::SummaryRow]) -> Vec<&str> {
    rows.iter().map(|r| r.slug.as_str()).collect()
}

/// The hits of a page of results (`sdb::page` without its count).
async fn search(
    pool: &Pool,
    q: &crate::server::db::query::Query,
    limit: u32,
    offset: u64,
) -> Result<Vec<sdb::HitRow>, sqlx::Error> {
    Ok(sdb::page(pool, q, limit, offset).await?.1)
}

/// The count of the results page (`sdb::page` asked for no hits).
async fn count(pool: &Pool, q: &crate::server::db::query::Query) -> Result<u64, sqlx::Error> {
    Ok(sdb::page(pool, q, 0, 0).await?.0)
}

async fn search_slugs(pool: &Pool, q: &str) -> Vec<String> {
    let fts = fts_query(q).unwrap();
    search(pool, &fts, 50, 0)
        .await
        .unwrap()
        .into_iter()
        .map(|h| h.summary.slug)
        .collect()
}

async fn migrations_create_the_sections_in_order(pool: Pool, dir: std::path::PathBuf) {
    let _ = &dir;
    let cats = db::categories(&pool).await.unwrap();
    let names: Vec<_> = cats.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Politics",
            "World",
            "Business",
            "Lifestyle",
            "Opinion",
            "Tech",
            "Travel",
            "Press release"
        ]
    );
    assert!(
        !cats.last().unwrap().in_nav,
        "Press release lives in the top bar"
    );
}

async fn lists_by_category_newest_first_and_pages(pool: Pool, dir: std::path::PathBuf) {
    let _ = &dir;
    for i in 0..15 {
        add(
            &pool,
            &format!("tech-{i}"),
            &format!("Tech story {i}"),
            "Body.",
            "tech",
            i,
        )
        .await;
    }
    add(&pool, "world-1", "World story", "Body.", "world", 0).await;
    let tech = category_id(&pool, "tech").await;
    let page1 = db::latest(&pool, Some(tech), 6, 0).await.unwrap();
    assert_eq!(
        slugs(&page1),
        ["tech-0", "tech-1", "tech-2", "tech-3", "tech-4", "tech-5"]
    );
    let page3 = db::latest(&pool, Some(tech), 6, 12).await.unwrap();
    assert_eq!(slugs(&page3), ["tech-12", "tech-13", "tech-14"]);
    let beyond = db::latest(&pool, Some(tech), 6, 600).await.unwrap();
    assert!(beyond.is_empty());
    assert_eq!(db::count_published(&pool, Some(tech)).await.unwrap(), 15);
    assert_eq!(
        db::count_published_by_section(&pool)
            .await
            .unwrap()
            .get(&tech),
        Some(&15)
    );
    assert_eq!(db::count_published(&pool, None).await.unwrap(), 16);
    let all = db::latest(&pool, None, 2, 0).await.unwrap();
    assert_eq!(
        slugs(&all),
        ["world-1", "tech-0"],
        "same day: the later insert wins the tie"
    );
}

async fn drafts_never_show(pool: Pool, dir: std::path::PathBuf) {
    let _ = &dir;
    let c = category_id(&pool, "politics").await;
    let mut draft = input(
        "secret-draft",
        "Secret draft plan",
        "Hidden words zanzibar.",
        c,
        NOW,
    );
    draft.status = "draft".into();
    draft.published_at = None;
    db::insert_article(
        pool.acquire().await.unwrap().conn(),
        &draft,
        db::NewRow::at(NOW),
    )
    .await
    .unwrap();
    assert!(db::latest(&pool, None, 10, 0).await.unwrap().is_empty());
    assert!(db::article_page(&pool, "secret-draft", 6)
        .await
        .unwrap()
        .is_none());
    assert!(search_slugs(&pool, "zanzibar").await.is_empty());
    assert_eq!(db::count_published(&pool, None).await.unwrap(), 0);
}

async fn related_posts_are_the_closest_in_time_in_the_same_section(
    pool: Pool,
    dir: std::path::PathBuf,
) {
    let _ = &dir;
    for d in 0..12 {
        add(
            &pool,
            &format!("p{d}"),
            &format!("Politics {d}"),
            "Body.",
            "politics",
            d * 2,
        )
        .await;
    }
    add(&pool, "w", "World nearby", "Body.", "world", 10).await;
    let related = around(&pool, "p5").await.related;
    // p5 is 10 days old; its neighbours 2, 4 and 6 days away on each side, newest first.
    assert_eq!(slugs(&related), ["p2", "p3", "p4", "p6", "p7", "p8"]);
    // At the edge of the archive it takes from one side only.
    assert_eq!(
        slugs(&around(&pool, "p0").await.related),
        ["p1", "p2", "p3", "p4", "p5", "p6"]
    );
}

async fn next_and_previous_follow_publication_order(pool: Pool, dir: std::path::PathBuf) {
    let _ = &dir;
    add(&pool, "oldest", "Oldest", "B.", "tech", 3).await;
    add(&pool, "middle", "Middle", "B.", "world", 2).await;
    add(&pool, "newest", "Newest", "B.", "travel", 1).await;
    let middle = around(&pool, "middle").await;
    assert_eq!(middle.next.unwrap().slug, "newest");
    assert_eq!(middle.previous.unwrap().slug, "oldest");
    let newest = around(&pool, "newest").await;
    assert!(newest.next.is_none());
    assert_eq!(newest.previous.unwrap().slug, "middle");
}

/// What a published article's page links to (six related posts, as the page asks).
async fn around(pool: &Pool, slug: &str) -> db::Around {
    db::article_page(pool, slug, 6)
        .await
        .unwrap()
        .expect("a published article")
        .around
}

async fn read_also(pool: &Pool, slug: &str) -> Vec<db::SummaryRow> {
    around(pool, slug).await.read_also
}

/// A list read as one JSON row (`summaries_as_json`, what `latest` reads with; `around` builds
/// its row from the same parts) is the list read as rows, value for value:
/// text that JSON must escape, NULLs, both booleans, large numbers, an empty list.
async fn lists_read_as_json_are_the_rows_themselves(pool: Pool, dir: std::path::PathBuf) {
    let _ = &dir;
    add(&pool, "plain", "Plain", "B.", "tech", 1).await;
    let odd = add(
        &pool,
        "odd",
        "Quotes \" and \\ back, tab\there, line\nbreak, \u{1F4F0} and <b>&amp;</b>",
        "B.",
        "press-release",
        2,
    )
    .await;
    exec(
        &pool,
        &format!(
            "UPDATE articles SET image_url = '/media/a.webp', image_alt = 'Ünïcode \u{2014} alt', \
         image_width = 1600, image_height = NULL, image_srcset = '/a 400w, /b 800w', \
         published_at = 9007199254740993 WHERE id = {odd}"
        ),
    )
    .await;
    let select = format!(
        "SELECT {} FROM {} ORDER BY a.id",
        super::rows::SUMMARY_COLUMNS,
        super::rows::SUMMARY_FROM
    );
    let rows: Vec<db::SummaryRow> =
        on!(&pool, p => sqlx::query_as(&select).fetch_all(p).await).unwrap();
    assert_eq!(rows.len(), 2);
    assert_ne!(
        rows[0].cat_in_nav, rows[1].cat_in_nav,
        "both booleans are read"
    );
    let b = pool.backend();
    let read = |filter: &'static str| {
        let sql = db::summaries_as_json(
            b,
            &format!(
                "SELECT {} FROM {} WHERE {filter}",
                super::rows::SUMMARY_COLUMNS,
                super::rows::SUMMARY_FROM
            ),
        );
        let pool = pool.clone();
        async move {
            let json: String =
                on!(&pool, p => sqlx::query_scalar(&sql).fetch_one(p).await).unwrap();
            super::from_json_rows::<db::SummaryRow>(&json).unwrap()
        }
    };
    let mut from_json = read("TRUE").await;
    from_json.sort_by_key(|r| r.id);
    assert_eq!(from_json, rows);
    assert!(read("FALSE").await.is_empty(), "no rows: an empty list");
}

async fn read_also_and_editors_pick(pool: Pool, dir: std::path::PathBuf) {
    let _ = &dir;
    let a = add(&pool, "a", "A", "B.", "tech", 1).await;
    let b = add(&pool, "b", "B", "B.", "tech", 2).await;
    let c = add(&pool, "c", "C", "B.", "world", 3).await;
    let mut conn = pool.acquire().await.unwrap();
    db::set_read_also(conn.conn(), a, &[c, b]).await.unwrap();
    drop(conn);
    assert_eq!(slugs(&read_also(&pool, "a").await), ["c", "b"]);
    exec(&pool, "UPDATE articles SET editors_pick = TRUE, pick_order = CASE slug WHEN 'c' THEN 1 ELSE 2 END WHERE slug IN ('b', 'c')").await;
    assert_eq!(
        slugs(&db::editors_pick(&pool, 10).await.unwrap()),
        ["c", "b"]
    );
    // Deleting a target removes it from READ ALSO (no dangling links).
    db::delete_article(pool.acquire().await.unwrap().conn(), c)
        .await
        .unwrap();
    assert_eq!(slugs(&read_also(&pool, "a").await), ["b"]);
}

async fn sections_bring_the_newest_few_of_every_section_in_one_query(
    pool: Pool,
    dir: std::path::PathBuf,
) {
    let _ = &dir;
    for i in 0..6 {
        add(&pool, &format!("t{i}"), "T", "B.", "tech", i).await;
        add(&pool, &format!("w{i}"), "W", "B.", "world", i).await;
    }
    let rows = db::sections(&pool, 4).await.unwrap();
    assert_eq!(
        slugs(&rows),
        ["w0", "w1", "w2", "w3", "t0", "t1", "t2", "t3"],
        "nav order, newest first"
    );
}

async fn search_ranks_titles_first_and_matches_prefixes(pool: Pool, dir: std::path::PathBuf) {
    let _ = &dir;
    add(
        &pool,
        "body-only",
        "Council meets",
        "The ferry timetable was discussed at length.",
        "politics",
        1,
    )
    .await;
    add(
        &pool,
        "title-hit",
        "New ferry route opens",
        "Boats will sail daily.",
        "travel",
        5,
    )
    .await;
    add(
        &pool,
        "unrelated",
        "Bakery opens",
        "Bread and buns.",
        "lifestyle",
        1,
    )
    .await;
    assert_eq!(
        search_slugs(&pool, "ferry").await,
        ["title-hit", "body-only"]
    );
    // The word being typed matches as a prefix.
    assert_eq!(search_slugs(&pool, "fer").await, ["title-hit", "body-only"]);
    assert_eq!(search_slugs(&pool, "ferry rou").await, ["title-hit"]);
    // Diacritics do not matter.
    assert_eq!(
        search_slugs(&pool, "férry").await,
        ["title-hit", "body-only"]
    );
    assert!(search_slugs(&pool, "submarine").await.is_empty());
    assert_eq!(count(&pool, &fts_query("opens").unwrap()).await.unwrap(), 2);

    let hits = search(&pool, &fts_query("timetable").unwrap(), 10, 0)
        .await
        .unwrap();
    let snippet = sdb::split_marks(&hits[0].snippet_marked);
    assert!(
        snippet
            .iter()
            .any(|h| h.marked && h.text.eq_ignore_ascii_case("timetable")),
        "{snippet:?}"
    );
    let title = sdb::split_marks(&search_slugs_title(&pool, "route").await);
    assert!(
        title.iter().any(|h| h.marked && h.text == "route"),
        "{title:?}"
    );

    // Every page of results is whole and marked, far pages too (the marking reads the page's
    // rows apart from the ranking).
    for i in 0..5 {
        let slug = format!("ferries-{i}");
        let body = format!("Ferryman number {i} talks about the ferry and the ferries.");
        add(&pool, &slug, "Dockside notes", &body, "world", 10 + i).await;
    }
    let q = fts_query("ferr").unwrap();
    let mut seen = Vec::new();
    for offset in [0, 3, 6] {
        let hits = search(&pool, &q, 3, offset).await.unwrap();
        assert_eq!(
            hits.len(),
            if offset < 6 { 3 } else { 1 },
            "offset {offset}"
        );
        for hit in hits {
            let marked = format!("{} {}", hit.title_marked, hit.snippet_marked);
            let marks = sdb::split_marks(&marked);
            assert!(
                marks.iter().any(|m| m.marked),
                "{}: {marks:?}",
                hit.summary.slug
            );
            seen.push(hit.summary.slug);
        }
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 7, "each match once: {seen:?}");
    // Each page of the results page is its stretch of the whole ranking, with the count;
    // past the last page, the count without hits.
    let slugs = |hits: Vec<sdb::HitRow>| -> Vec<String> {
        hits.into_iter().map(|h| h.summary.slug).collect()
    };
    let (total, all) = sdb::page(&pool, &q, 10, 0).await.unwrap();
    assert_eq!((total, all.len()), (7, 7));
    let all = slugs(all);
    for offset in [0, 3, 6, 9] {
        let (total, hits) = sdb::page(&pool, &q, 3, offset).await.unwrap();
        assert_eq!(total, 7, "offset {offset}");
        let stretch = &all[(offset as usize).min(7)..(offset as usize + 3).min(7)];
        assert_eq!(slugs(hits), stretch, "offset {offset}");
    }
    assert_eq!(count(&pool, &q).await.unwrap(), 7);
    let none = fts_query("submarine").unwrap();
    assert_eq!(sdb::page(&pool, &none, 3, 0).await.unwrap().0, 0);
}

async fn search_slugs_title(pool: &Pool, q: &str) -> String {
    search(pool, &fts_query(q).unwrap(), 1, 0)
        .await
        .unwrap()
        .remove(0)
        .title_marked
}

async fn hostile_queries_never_error(pool: Pool, dir: std::path::PathBuf) {
    let _ = &dir;
    add(&pool, "x", "Harbour plan", "Text.", "politics", 1).await;
    // Every word of the queries below, as words: the syntax is searched as text or dropped.
    add(
        &pool,
        "y",
        "Harbour col near or and not",
        "Text.",
        "world",
        2,
    )
    .await;
    // Syntax around harmless words: the words are still searched for, and found.
    for (q, expected) in [
        ("harbour\"", &["x", "y"][..]),
        ("(harbour", &["x", "y"]),
        ("-harbour", &["x", "y"]),
        ("^harbour", &["x", "y"]),
        ("\"harbour\"*", &["x", "y"]),
        ("harbour OR", &["y"]),
        ("harbour AND NOT", &["y"]),
        ("col:harbour", &["y"]),
        ("NEAR(harbour", &["y"]),
    ] {
        let fts = fts_query(q).unwrap_or_else(|| panic!("{q}: the words were dropped"));
        let mut found: Vec<String> = search(&pool, &fts, 10, 0)
            .await
            .unwrap_or_else(|e| panic!("{q}: {e}"))
            .into_iter()
            .map(|h| h.summary.slug)
            .collect();
        found.sort();
        assert_eq!(found, expected, "{q}");
        assert_eq!(
            count(&pool, &fts).await.unwrap(),
            expected.len() as u64,
            "{q}"
        );
        assert_eq!(
            sdb::suggest(&pool, &fts, 5).await.unwrap().len(),
            expected.len(),
            "{q}"
        );
    }
    // Syntax alone: nothing to search for, and nothing reaches FTS5.
    for q in ["\"", "*", "()", "^-:", "NEAR("] {
        match fts_query(q) {
            None => {}
            // "NEAR" is a word like any other: searched for, not obeyed.
            Some(fts) => {
                assert_eq!(fts.fts5(), "\"near\"*", "{q}");
                assert_eq!(search_slugs(&pool, q).await, ["y"], "{q}");
            }
        }
    }
}

async fn search_index_follows_updates_unpublishing_and_deletes(
    pool: Pool,
    dir: std::path::PathBuf,
) {
    let _ = &dir;
    let id = add(
        &pool,
        "story",
        "Lighthouse restored",
        "Keepers return to the island.",
        "travel",
        1,
    )
    .await;
    assert_eq!(search_slugs(&pool, "lighthouse").await, ["story"]);

    // Edit: old words go, new words come, shared words stay.
    let c = category_id(&pool, "travel").await;
    let edited = input(
        "story",
        "Lighthouse reopened",
        "Visitors return to the island.",
        c,
        NOW - DAY,
    );
    let mut conn = pool.acquire().await.unwrap();
    let v2 = db::update_article(conn.conn(), id, 1, &edited, NOW)
        .await
        .unwrap()
        .expect("saved on the current version");
    assert!(
        db::update_article(conn.conn(), id, 1, &edited, NOW)
            .await
            .unwrap()
            .is_none(),
        "a stale version is refused"
    );
    assert!(search_slugs(&pool, "restored").await.is_empty());
    assert!(search_slugs(&pool, "keepers").await.is_empty());
    assert_eq!(search_slugs(&pool, "reopened").await, ["story"]);
    assert_eq!(
        search_slugs(&pool, "lighthouse").await,
        ["story"],
        "shared word kept"
    );
    assert_eq!(search_slugs(&pool, "island").await, ["story"]);

    // Unpublish: gone from search; publish again: back.
    let v3 = editor::set_status(conn.conn(), id, v2, "draft", Some(NOW), NOW)
        .await
        .unwrap()
        .unwrap();
    assert!(search_slugs(&pool, "lighthouse").await.is_empty());
    editor::set_status(conn.conn(), id, v3, "published", Some(NOW), NOW)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(search_slugs(&pool, "lighthouse").await, ["story"]);
    drop(conn);

    // Delete: gone, and the index agrees with the table (FTS5 integrity check).
    db::delete_article(pool.acquire().await.unwrap().conn(), id)
        .await
        .unwrap();
    assert!(search_slugs(&pool, "lighthouse").await.is_empty());
    index_consistent(&pool).await;
}

/// An import's articles, written the way it writes them: marked as not indexed, then inserted.
async fn add_unindexed(pool: &Pool, posts: &[(&str, &str)], marked_at: i64) -> Vec<i64> {
    use super::articles::{ArticleInput, NewRow};
    use super::imports;
    let c = category_id(pool, "travel").await;
    let mut tx = super::begin_write(pool).await.unwrap();
    let mut ids = Vec::new();
    for (slug, title) in posts {
        let r = markdown::render("Crossings resume at dawn.");
        let id = imports::reserve_unindexed_id(tx.conn(), marked_at)
            .await
            .unwrap();
        let a = ArticleInput {
            slug: slug.to_string(),
            title: title.to_string(),
            body_html: r.html,
            body_text: r.text,
            category_id: c,
            author_name: "Old Site".into(),
            status: "published".into(),
            published_at: Some(NOW - DAY),
            ..Default::default()
        };
        let row = NewRow {
            id: Some(id),
            ..NewRow::at(NOW - DAY)
        };
        super::articles::insert_article(tx.conn(), &a, row)
            .await
            .unwrap();
        ids.push(id);
    }
    tx.commit().await.unwrap();
    ids
}

async fn index_pending(pool: &Pool, since_at_most: i64) -> u64 {
    super::imports::index_pending(pool, since_at_most)
        .await
        .unwrap()
}

/// Articles marked as not indexed at `since_at_most` or earlier.
async fn marked(pool: &Pool, since_at_most: i64) -> i64 {
    scalar(
        pool,
        &format!("SELECT count(*) FROM search_pending WHERE since <= {since_at_most}"),
    )
    .await
}

async fn an_imports_articles_are_indexed_once_at_the_end_as_they_stand(
    pool: Pool,
    dir: std::path::PathBuf,
) {
    let _ = &dir;
    add(
        &pool,
        "ours",
        "Ferry fares frozen",
        "Fares stay.",
        "travel",
        2,
    )
    .await;
    let ids = add_unindexed(
        &pool,
        &[
            ("ferry", "Ferry timetable changes"),
            ("quay", "Quay repairs begin"),
            ("gone", "Harbour crane removed"),
        ],
        NOW,
    )
    .await;
    // Readers can open them; search does not know them yet.
    assert_eq!(search_slugs(&pool, "ferry").await, ["ours"]);
    assert!(search_slugs(&pool, "quay").await.is_empty());

    // Meanwhile an editor renames one and deletes another: the triggers leave their (absent)
    // terms alone instead of deleting terms the index never held.
    let c = category_id(&pool, "travel").await;
    let mut conn = pool.acquire().await.unwrap();
    db::update_article(
        conn.conn(),
        ids[1],
        1,
        &input("quay", "Quay reopened", "Boats are back.", c, NOW - DAY),
        NOW,
    )
    .await
    .unwrap()
    .expect("saved");
    db::delete_article(conn.conn(), ids[2]).await.unwrap();
    drop(conn);
    assert!(search_slugs(&pool, "reopened").await.is_empty());

    // The scheduler's rule: only marks older than its cut-off.
    assert_eq!(marked(&pool, NOW - 1).await, 0);
    assert_eq!(index_pending(&pool, NOW - 1).await, 0);
    assert_eq!(marked(&pool, NOW).await, 2);

    // The end of the import: both remaining articles, each as it stands now, in one pass.
    assert_eq!(index_pending(&pool, NOW).await, 2);
    assert_eq!(marked(&pool, i64::MAX).await, 0);
    assert_eq!(search_slugs(&pool, "ferry").await.len(), 2);
    assert_eq!(search_slugs(&pool, "reopened").await, ["quay"]);
    assert!(search_slugs(&pool, "repairs").await.is_empty());
    assert!(search_slugs(&pool, "crane").await.is_empty());
    index_consistent(&pool).await;

    // From now on the triggers keep them, like any article.
    let mut conn = pool.acquire().await.unwrap();
    db::update_article(
        conn.conn(),
        ids[1],
        2,
        &input("quay", "Quay closed again", "Storm.", c, NOW - DAY),
        NOW,
    )
    .await
    .unwrap()
    .expect("saved");
    db::delete_article(conn.conn(), ids[0]).await.unwrap();
    drop(conn);
    assert_eq!(search_slugs(&pool, "closed").await, ["quay"]);
    assert!(search_slugs(&pool, "reopened").await.is_empty());
    assert_eq!(search_slugs(&pool, "ferry").await, ["ours"]);
    index_consistent(&pool).await;
}

/// The migrations make every table, the session store's too: nothing changes the schema after
/// them. (The store made its table at the first start, while the pool's other connections were
/// open, and the first statement on one of them failed with "no such table: articles".)
#[tokio::test]
async fn after_the_migrations_the_session_store_changes_no_schema() {
    let (pool, _dir) = fresh().await;
    let version = || scalar(&pool, "PRAGMA schema_version");
    let before = version().await;
    super::sessions::SessionTable::new(&pool)
        .migrate()
        .await
        .unwrap();
    assert_eq!(version().await, before);
}

#[tokio::test]
async fn list_queries_use_their_indexes() {
    let (pool, _dir) = fresh().await;
    let plan: Vec<(i64, i64, i64, String)> = sqlx::query_as(
        "EXPLAIN QUERY PLAN SELECT id FROM articles a WHERE a.category_id = 3 \
         AND a.status = 'published' AND a.page_path IS NULL \
         ORDER BY a.published_at DESC, a.id DESC LIMIT 12",
    )
    .fetch_all(pool.as_sqlite().unwrap())
    .await
    .unwrap();
    let text: Vec<_> = plan.iter().map(|r| r.3.as_str()).collect();
    assert!(
        text.iter().any(|t| t.contains("articles_live_in")),
        "{text:?}"
    );
    assert!(
        !text.iter().any(|t| t.contains("TEMP B-TREE")),
        "no sort step: {text:?}"
    );
    // Where a deep page starts is found in an index alone (pages are not read to be skipped).
    for (filter, index) in [
        ("", "articles_live"),
        ("x.category_id = 3 AND", "articles_live_in"),
    ] {
        let plan: Vec<(i64, i64, i64, String)> = sqlx::query_as(&format!(
            "EXPLAIN QUERY PLAN SELECT x.published_at, x.id FROM articles x \
             WHERE {filter} x.status = 'published' AND x.page_path IS NULL \
             ORDER BY x.published_at DESC, x.id DESC LIMIT 1 OFFSET 600"
        ))
        .fetch_all(pool.as_sqlite().unwrap())
        .await
        .unwrap();
        let text: Vec<_> = plan.iter().map(|r| r.3.as_str()).collect();
        assert!(
            text.iter()
                .any(|t| t.contains(&format!("COVERING INDEX {index} "))),
            "{text:?}"
        );
    }
    // A tag's page walks its index in date order.
    let plan: Vec<(i64, i64, i64, String)> = sqlx::query_as(
        "EXPLAIN QUERY PLAN SELECT x.article_id FROM article_tags x \
         WHERE x.tag_id = 3 AND x.live ORDER BY x.published_at DESC, x.article_id DESC LIMIT 12",
    )
    .fetch_all(pool.as_sqlite().unwrap())
    .await
    .unwrap();
    let text: Vec<_> = plan.iter().map(|r| r.3.as_str()).collect();
    assert!(
        text.iter().any(|t| t.contains("article_tags_page")),
        "{text:?}"
    );
    assert!(
        !text.iter().any(|t| t.contains("TEMP B-TREE")),
        "no sort step: {text:?}"
    );
    // Editor's Pick can use its partial index (SQLite refuses INDEXED BY an index the
    // condition does not imply; another spelling of it scans the whole table).
    let picked = Backend::Sqlite.words().picked;
    sqlx::query(&format!(
        "SELECT a.id FROM articles a INDEXED BY articles_picks \
         WHERE {picked} AND a.status = 'published' ORDER BY a.pick_order, a.published_at DESC LIMIT 6"
    ))
    .fetch_all(pool.as_sqlite().unwrap())
    .await
    .expect("the picks condition matches the partial index");
}

async fn demo_seed_fills_every_section(pool: Pool, dir: std::path::PathBuf) {
    let _ = &dir;
    let media = crate::server::media::DiskStore {
        root: dir.join("media"),
    };
    let n = crate::demo::seed_if_empty(&pool, &media).await.unwrap();
    assert!(n >= 120, "{n} articles");
    assert_eq!(
        crate::demo::seed_if_empty(&pool, &media).await.unwrap(),
        0,
        "only once"
    );
    for c in db::categories(&pool).await.unwrap() {
        assert!(
            db::count_published(&pool, Some(c.id)).await.unwrap() >= 10,
            "{}",
            c.slug
        );
    }
    let picks = db::editors_pick(&pool, 20).await.unwrap();
    assert!(picks.len() >= 10, "{} picks", picks.len());
    let first = db::latest(&pool, None, 1, 0).await.unwrap().remove(0);
    let image = first.image_url.clone().unwrap();
    assert!(dir
        .join("media")
        .join(image.trim_start_matches("/media/"))
        .exists());
    let article = db::article_page(&pool, &first.slug, 6)
        .await
        .unwrap()
        .unwrap();
    let body = &article.row.body_html;
    assert!(body.contains("<h2>") && body.contains("<figure>"));
    assert_eq!(article.around.read_also.len(), 2);
}

/// Ranking at scale: 10,000 articles, a few planted ones, edits and deletes.
async fn ranking_holds_at_ten_thousand_articles(pool: Pool, dir: std::path::PathBuf) {
    let _ = &dir;
    let tech = category_id(&pool, "tech").await;
    let mut tx = super::begin_write(&pool).await.unwrap();
    for i in 0..10_000 {
        let body = format!(
            "Routine report number {i} about the council and the market. The weather was mild."
        );
        let a = input(
            &format!("filler-{i}"),
            &format!("Routine report {i}"),
            &body,
            tech,
            NOW - i * 60,
        );
        db::insert_article(tx.conn(), &a, db::NewRow::at(NOW))
            .await
            .unwrap();
    }
    // Planted: the word in a title beats the word in a body, whatever their dates.
    let body_hit = db::insert_article(
        tx.conn(),
        &input(
            "body-hit",
            "Quiet day at the port",
            "A zeppelin was seen over the port.",
            tech,
            NOW - 5 * DAY,
        ),
        db::NewRow::at(NOW),
    )
    .await
    .unwrap();
    db::insert_article(
        tx.conn(),
        &input(
            "title-hit",
            "Zeppelin returns to the skies",
            "Crowds gathered.",
            tech,
            NOW - 30 * DAY,
        ),
        db::NewRow::at(NOW),
    )
    .await
    .unwrap();
    db::insert_article(
        tx.conn(),
        &input(
            "excerpt-only",
            "Air show",
            "Planes and more.",
            tech,
            NOW - 2 * DAY,
        ),
        db::NewRow::at(NOW),
    )
    .await
    .unwrap();
    on_conn!(tx.conn(), c => sqlx::query(
        "UPDATE articles SET excerpt = 'A zeppelin among the planes' WHERE slug = 'excerpt-only'",
    )
    .execute(c)
    .await
    .map(|_| ()))
    .unwrap();
    tx.commit().await.unwrap();

    assert_eq!(
        search_slugs(&pool, "zeppelin").await,
        ["title-hit", "excerpt-only", "body-hit"]
    );
    assert_eq!(
        search_slugs(&pool, "zepp").await,
        ["title-hit", "excerpt-only", "body-hit"],
        "prefix"
    );
    let suggested: Vec<String> = sdb::suggest(&pool, &fts_query("zeppel").unwrap(), 6)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.slug)
        .collect();
    assert_eq!(suggested, ["title-hit", "excerpt-only", "body-hit"]);
    // A word in every article: ranked over the newest matches, counted over all.
    let common = fts_query("council").unwrap();
    assert_eq!(count(&pool, &common).await.unwrap(), 10_000);
    let top = search(&pool, &common, 10, 0).await.unwrap();
    assert_eq!(top.len(), 10);
    assert!(top.iter().all(|h| h.summary.slug.starts_with("filler-")));

    // Edits and deletes are reflected at once.
    let mut conn = pool.acquire().await.unwrap();
    let mut changed = input(
        "body-hit",
        "Quiet day at the port",
        "Nothing flew today.",
        tech,
        NOW - 5 * DAY,
    );
    changed.status = "published".into();
    db::update_article(conn.conn(), body_hit, 1, &changed, NOW)
        .await
        .unwrap()
        .unwrap();
    drop(conn);
    assert_eq!(
        search_slugs(&pool, "zeppelin").await,
        ["title-hit", "excerpt-only"]
    );
    let title_id = scalar(&pool, "SELECT id FROM articles WHERE slug = 'title-hit'").await;
    db::delete_article(pool.acquire().await.unwrap().conn(), title_id)
        .await
        .unwrap();
    assert_eq!(search_slugs(&pool, "zeppelin").await, ["excerpt-only"]);
    index_consistent(&pool).await;
}

async fn the_login_throttle_delays_grow_count_all_or_none_and_are_pruned(
    pool: Pool,
    dir: std::path::PathBuf,
) {
    use super::users::{throttle_reserve, throttle_rows, throttle_succeeded, ThrottleKey};
    let _ = &dir;
    let key = |k: &str, free: i64| ThrottleKey {
        key: k.into(),
        free,
        max_delay: 60,
    };
    let pair = [key("pair", 3), key("wide", 100)];
    let window = 900;
    // Three free tries; the third already blocks the next one for 2 s.
    for _ in 0..3 {
        assert_eq!(
            throttle_reserve(&pool, &pair, NOW, window).await.unwrap(),
            Ok(())
        );
    }
    assert_eq!(
        throttle_reserve(&pool, &pair, NOW, window).await.unwrap(),
        Err(NOW + 2)
    );
    // A refused attempt counted nowhere, not even on the key that had room.
    let wide = scalar(
        &pool,
        "SELECT failures FROM login_throttle WHERE key = 'wide'",
    )
    .await;
    assert_eq!(wide, 3);
    // Then 4 s, 8 s ... up to the ceiling.
    assert_eq!(
        throttle_reserve(&pool, &pair, NOW + 2, window)
            .await
            .unwrap(),
        Ok(())
    );
    assert_eq!(
        throttle_reserve(&pool, &pair, NOW + 3, window)
            .await
            .unwrap(),
        Err(NOW + 6)
    );
    let mut t = NOW + 6;
    for _ in 0..6 {
        assert_eq!(
            throttle_reserve(&pool, &pair, t, window).await.unwrap(),
            Ok(())
        );
        let Err(until) = throttle_reserve(&pool, &pair, t, window).await.unwrap() else {
            panic!("not blocked")
        };
        assert!(until - t <= 60);
        t = until;
    }
    // A success forgets the pair and takes the attempt back from the wide key.
    throttle_succeeded(&pool, "pair", &["wide"]).await.unwrap();
    assert_eq!(
        throttle_reserve(&pool, &pair, t, window).await.unwrap(),
        Ok(())
    );
    let wide = scalar(
        &pool,
        "SELECT failures FROM login_throttle WHERE key = 'wide'",
    )
    .await;
    assert_eq!(wide, 10, "3 + 1 + 6 counted, 1 taken back, 1 more");
    // Keys idle for a whole window are deleted by the next attempt of anyone.
    for i in 0..50 {
        let k = [key(&format!("someone-{i}"), 5)];
        throttle_reserve(&pool, &k, t, window)
            .await
            .unwrap()
            .unwrap();
    }
    assert_eq!(throttle_rows(&pool).await.unwrap(), 52);
    let later = t + window + 1;
    throttle_reserve(&pool, &[key("late", 5)], later, window)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(throttle_rows(&pool).await.unwrap(), 1);
}

/// Several servers run the scheduler at once (each its own pool, as on separate machines): a
/// scheduled article comes due and is published exactly once, with one revision.
async fn a_due_article_is_published_once_by_many_schedulers(pool: Pool, dir: std::path::PathBuf) {
    let _ = &dir;
    let c = category_id(&pool, "world").await;
    let mut due = input("due", "Due", "Body.", c, NOW - 10);
    due.status = "scheduled".into();
    let id = db::insert_article(
        pool.acquire().await.unwrap().conn(),
        &due,
        db::NewRow::at(NOW - 100),
    )
    .await
    .unwrap();
    let url = on!(&pool, p => p.connect_options().to_url_lossy().to_string());
    let mut servers = Vec::new();
    for _ in 0..6 {
        let server = super::connect(&url).await.unwrap();
        servers.push(tokio::spawn(async move {
            let mut tx = super::begin_write(&server).await.unwrap();
            let published = editor::publish_due(tx.conn(), NOW).await.unwrap();
            for (id, version) in &published {
                editor::add_revision(
                    tx.conn(),
                    *id,
                    *version,
                    "status",
                    "published",
                    None,
                    NOW,
                    "{}",
                )
                .await
                .unwrap();
            }
            tx.commit().await.unwrap();
            published.len()
        }));
    }
    let mut total = 0;
    for s in servers {
        total += s.await.unwrap();
    }
    assert_eq!(total, 1, "published by exactly one scheduler");
    assert_eq!(
        scalar(
            &pool,
            &format!("SELECT count(*) FROM article_revisions WHERE article_id = {id}")
        )
        .await,
        1
    );
    assert_eq!(
        slugs(&db::latest(&pool, None, 5, 0).await.unwrap()),
        ["due"]
    );
}

/// PostgreSQL: the newest matches of a query, however they are found (testing the newest
/// articles one by one, windows of recency buckets, the whole index), are exactly the newest
/// matches: for words in every article, in half, a tenth, a few and none, before and after
/// the planner has statistics, and for articles added after them.
#[tokio::test]
async fn postgres_newest_matches_are_exactly_the_newest() {
    let Some((pool, _dir)) = fresh_on(Backend::Postgres).await else {
        eprintln!("skipped: PORTAL_TEST_POSTGRES_URL is not set");
        return;
    };
    let Pool::Postgres(pg) = &pool else {
        unreachable!()
    };
    let tech = category_id(&pool, "tech").await;
    let add_many = |from: i64, to: i64| {
        let pool = pool.clone();
        async move {
            let mut tx = super::begin_write(&pool).await.unwrap();
            for i in from..to {
                let mut words = vec!["every"];
                if i % 2 == 0 {
                    words.push("half");
                }
                if i % 10 == 0 {
                    words.push("tenth");
                }
                if i % 397 == 0 {
                    words.push("scarce");
                }
                let body = format!("Report {i}: {}.", words.join(" "));
                let a = input(
                    &format!("r-{i}"),
                    &format!("Report {i}"),
                    &body,
                    tech,
                    NOW - i,
                );
                db::insert_article(tx.conn(), &a, db::NewRow::at(NOW))
                    .await
                    .unwrap();
            }
            tx.commit().await.unwrap();
        }
    };
    let check = |when: &'static str| {
        let pg = pg.clone();
        async move {
            for query in [
                "every",
                "half",
                "tenth",
                "scarce",
                "half tenth",
                "ev",
                "nowhere",
            ] {
                let q = fts_query(query).unwrap();
                for wanted in [200, 1000] {
                    let found = dialect::postgres::newest_matches(&pg, &q, wanted)
                        .await
                        .unwrap();
                    let all: Vec<i64> = sqlx::query_scalar(
                        "SELECT id FROM article_search WHERE doc @@ to_tsquery('portal', $1) \
                         ORDER BY id DESC LIMIT $2",
                    )
                    .bind(q.tsquery(None))
                    .bind(i64::from(wanted))
                    .fetch_all(&pg)
                    .await
                    .unwrap();
                    assert_eq!(found, all, "{query:?}, newest {wanted}, {when}");
                }
            }
        }
    };
    add_many(0, 6000).await;
    check("without statistics").await;
    sqlx::query("ANALYZE").execute(pg).await.unwrap();
    check("with statistics").await;
    add_many(6000, 9000).await;
    check("after more articles").await;
    index_consistent(&pool).await;
}

/// PostgreSQL: a change committed through one server reaches another server's page cache as
/// it commits (NOTIFY), without waiting for the polled version.
#[tokio::test]
async fn postgres_announces_changes_to_every_server() {
    let Some((pool, _dir)) = fresh_on(Backend::Postgres).await else {
        eprintln!("skipped: PORTAL_TEST_POSTGRES_URL is not set");
        return;
    };
    let other = super::connect(&on!(&pool, p => p.connect_options().to_url_lossy().to_string()))
        .await
        .unwrap();
    let cache = crate::server::page_cache::PageCache::new(1 << 20, true, chrono_tz::UTC);
    // Only the listener: the polling watcher would also notice, a second later.
    let announced = cache.clone();
    let listening = tokio::spawn(async move {
        other
            .follow_announcements(move |v| match v {
                Some(v) => announced.observe_version(v),
                None => announced.purge(),
            })
            .await
    });
    let before = super::content_version(&pool).await.unwrap() as u64;
    let mut latencies = Vec::new();
    for round in 0..5 {
        // The listener may still be connecting: a first change it misses is retried.
        let started = std::time::Instant::now();
        add(&pool, &format!("news-{round}"), "News", "Body.", "tech", 0).await;
        let wanted = super::content_version(&pool).await.unwrap() as u64;
        assert!(wanted > before);
        let mut seen = false;
        for _ in 0..200 {
            if cache.seen_version() == wanted {
                seen = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        if seen {
            latencies.push(started.elapsed());
        } else {
            assert!(round == 0, "change {round} was not announced");
        }
    }
    listening.abort();
    assert!(latencies.len() >= 4, "{latencies:?}");
    eprintln!("change announced to the other server after {latencies:?}");
}

/// PostgreSQL: servers starting at the same moment on an empty database apply each migration
/// exactly once (the migrator's advisory lock), and all of them start.
#[tokio::test]
async fn postgres_migrations_run_once_however_many_servers_start_together() {
    let Ok(admin) = std::env::var("PORTAL_TEST_POSTGRES_URL") else {
        eprintln!("skipped: PORTAL_TEST_POSTGRES_URL is not set");
        return;
    };
    let url = super::create_postgres_database(&admin, "migrate")
        .await
        .unwrap();
    let mut servers = Vec::new();
    for _ in 0..6 {
        let url = url.clone();
        servers.push(tokio::spawn(async move {
            let pool = super::connect(&url).await.unwrap();
            super::migrate(&pool).await.unwrap();
            pool
        }));
    }
    let mut pools = Vec::new();
    for s in servers {
        pools.push(s.await.unwrap());
    }
    let pool = &pools[0];
    assert_eq!(
        scalar(pool, "SELECT count(*) FROM _sqlx_migrations").await,
        scalar(pool, "SELECT count(DISTINCT version) FROM _sqlx_migrations").await
    );
    assert_eq!(
        super::applied_migration(pool).await.unwrap(),
        super::latest_migration(Backend::Postgres)
    );
    assert_eq!(slugs(&db::latest(pool, None, 5, 0).await.unwrap()).len(), 0);
    assert_eq!(db::categories(pool).await.unwrap().len(), 8, "seeded once");
}

fn tag_pairs(names: &[&str]) -> Vec<(String, String)> {
    let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    crate::server::newsroom::slug::tag_pairs(&names)
}

async fn tagged(pool: &Pool, slug: &str, days_ago: i64, tags: &[&str]) -> i64 {
    let c = category_id(pool, "world").await;
    let mut a = input(
        slug,
        &format!("Story {slug}"),
        "Body.",
        c,
        NOW - days_ago * DAY,
    );
    a.tags = tag_pairs(tags);
    db::insert_article(
        pool.acquire().await.unwrap().conn(),
        &a,
        db::NewRow::at(NOW),
    )
    .await
    .unwrap()
}

async fn tag_slugs(pool: &Pool, tag: &str, limit: u32, offset: u64) -> Vec<String> {
    let t = super::labels::by_slug(super::labels::TAGS, pool, tag)
        .await
        .unwrap()
        .unwrap();
    super::labels::page(super::labels::TAGS, pool, t.id, limit, offset)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.slug)
        .collect()
}

async fn content_version(pool: &Pool) -> i64 {
    super::content_version(pool).await.unwrap()
}

async fn tags_follow_their_articles_and_page_like_sections(pool: Pool, dir: std::path::PathBuf) {
    let _ = &dir;
    use super::labels;
    let mut ids = Vec::new();
    for i in 0..15 {
        ids.push(tagged(&pool, &format!("h-{i}"), i, &["Harbour", "Ferries"]).await);
    }
    tagged(&pool, "other", 0, &["Markets"]).await;
    let harbour = labels::by_slug(labels::TAGS, &pool, "harbour")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(harbour.name, "Harbour");
    assert_eq!(
        tag_slugs(&pool, "harbour", 6, 0).await,
        ["h-0", "h-1", "h-2", "h-3", "h-4", "h-5"]
    );
    assert_eq!(
        tag_slugs(&pool, "harbour", 6, 12).await,
        ["h-12", "h-13", "h-14"]
    );
    assert!(tag_slugs(&pool, "harbour", 6, 600).await.is_empty());
    assert_eq!(
        labels::count_published(labels::TAGS, &pool, harbour.id)
            .await
            .unwrap(),
        15
    );
    // The editor's order, and "harbour" typed again is the same tag.
    let of = labels::of_article(labels::TAGS, pool.acquire().await.unwrap().conn(), ids[0])
        .await
        .unwrap();
    assert_eq!(
        of.iter().map(|t| t.slug.as_str()).collect::<Vec<_>>(),
        ["harbour", "ferries"]
    );

    // Unpublished, an article leaves its tags' pages; published again, it is back.
    exec(
        &pool,
        &format!("UPDATE articles SET status = 'draft' WHERE id = {}", ids[0]),
    )
    .await;
    assert_eq!(
        labels::count_published(labels::TAGS, &pool, harbour.id)
            .await
            .unwrap(),
        14
    );
    assert_eq!(tag_slugs(&pool, "harbour", 2, 0).await, ["h-1", "h-2"]);
    exec(
        &pool,
        &format!(
            "UPDATE articles SET status = 'published' WHERE id = {}",
            ids[0]
        ),
    )
    .await;
    assert_eq!(tag_slugs(&pool, "harbour", 1, 0).await, ["h-0"]);

    // Setting the same tags writes nothing (the content version stays); new ones move it.
    let before = content_version(&pool).await;
    let mut conn = pool.acquire().await.unwrap();
    labels::set_for_article(
        labels::TAGS,
        conn.conn(),
        ids[1],
        &tag_pairs(&["harbour", "Ferries"]),
        NOW,
    )
    .await
    .unwrap();
    assert_eq!(content_version(&pool).await, before);
    labels::set_for_article(
        labels::TAGS,
        conn.conn(),
        ids[1],
        &tag_pairs(&["Ferries", "Night trains"]),
        NOW,
    )
    .await
    .unwrap();
    assert!(content_version(&pool).await > before);
    drop(conn);
    assert_eq!(
        labels::count_published(labels::TAGS, &pool, harbour.id)
            .await
            .unwrap(),
        14
    );
    let suggested = labels::suggest(labels::TAGS, &pool, "ni", "ni", 8)
        .await
        .unwrap();
    assert_eq!(suggested, ["Night trains"]);
    let suggested = labels::suggest(labels::TAGS, &pool, "f", "f", 8)
        .await
        .unwrap();
    assert_eq!(suggested, ["Ferries"]);
    let suggested = labels::suggest(labels::TAGS, &pool, "%", "%", 8)
        .await
        .unwrap();
    assert!(
        suggested.is_empty(),
        "a wildcard typed is a character: {suggested:?}"
    );

    // Renamed: the old address leads to the new one, in one hop even after a second rename,
    // and renaming back leaves no redirect at the tag's own address.
    let ferries = labels::by_slug(labels::TAGS, &pool, "ferries")
        .await
        .unwrap()
        .unwrap();
    let mut tx = super::begin_write(&pool).await.unwrap();
    labels::rename(labels::TAGS, tx.conn(), ferries.id, "boats", "Boats")
        .await
        .unwrap();
    labels::move_addresses(tx.conn(), "/tag/ferries", "/tag/boats", NOW)
        .await
        .unwrap();
    labels::rename(
        labels::TAGS,
        tx.conn(),
        ferries.id,
        "sea-crossings",
        "Sea crossings",
    )
    .await
    .unwrap();
    labels::move_addresses(tx.conn(), "/tag/boats", "/tag/sea-crossings", NOW)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let to = |from: &'static str| {
        let pool = pool.clone();
        async move { super::imports::redirect_for(&pool, from).await.unwrap() }
    };
    assert_eq!(
        to("/tag/ferries").await.as_deref(),
        Some("/tag/sea-crossings")
    );
    assert_eq!(
        to("/tag/boats").await.as_deref(),
        Some("/tag/sea-crossings")
    );
    assert_eq!(
        to("/tag/ferries/feed.xml").await.as_deref(),
        Some("/tag/sea-crossings/feed.xml")
    );
    let mut tx = super::begin_write(&pool).await.unwrap();
    labels::rename(labels::TAGS, tx.conn(), ferries.id, "ferries", "Ferries")
        .await
        .unwrap();
    labels::move_addresses(tx.conn(), "/tag/sea-crossings", "/tag/ferries", NOW)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(to("/tag/ferries").await, None);
    assert_eq!(to("/tag/boats").await.as_deref(), Some("/tag/ferries"));

    // Merged: every article of both carries the one left, once; the other tag is gone.
    let markets = labels::by_slug(labels::TAGS, &pool, "markets")
        .await
        .unwrap()
        .unwrap();
    let mut conn = pool.acquire().await.unwrap();
    labels::set_for_article(
        labels::TAGS,
        conn.conn(),
        ids[2],
        &tag_pairs(&["Harbour", "Ferries", "Markets"]),
        NOW,
    )
    .await
    .unwrap();
    drop(conn);
    let mut tx = super::begin_write(&pool).await.unwrap();
    labels::merge(labels::TAGS, tx.conn(), markets.id, harbour.id)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert!(labels::by_slug(labels::TAGS, &pool, "markets")
        .await
        .unwrap()
        .is_none());
    assert_eq!(
        labels::count_published(labels::TAGS, &pool, harbour.id)
            .await
            .unwrap(),
        15
    );
    assert!(tag_slugs(&pool, "harbour", 20, 0)
        .await
        .contains(&"other".to_string()));
    assert_eq!(
        labels::sitemap(labels::TAGS, &pool)
            .await
            .unwrap()
            .iter()
            .map(|(s, _)| s.as_str())
            .collect::<Vec<_>>(),
        ["ferries", "harbour", "night-trains"]
    );
}

async fn authors_are_profiles_and_older_bylines_get_theirs(pool: Pool, dir: std::path::PathBuf) {
    let _ = &dir;
    use super::{authors, labels};
    let c = category_id(&pool, "world").await;
    // As before the profiles came: nothing given yet.
    exec(
        &pool,
        "UPDATE site_state SET value = 0 WHERE key = 'author_profiles_given'",
    )
    .await;
    // Two articles from before profiles (a byline as text only), one with two profiles.
    for (slug, byline) in [
        ("old-1", "Ana Reyes"),
        ("old-2", "Ana Reyes"),
        ("old-3", "Tom Okafor"),
    ] {
        let a = input(slug, &format!("Story {slug}"), "Body.", c, NOW - DAY);
        db::insert_article(
            pool.acquire().await.unwrap().conn(),
            &ArticleInput {
                author_name: byline.into(),
                ..a
            },
            db::NewRow::at(NOW),
        )
        .await
        .unwrap();
    }
    let mut two = input("pair", "A pair", "Body.", c, NOW);
    two.authors = tag_pairs(&["Tom Okafor", "Lena Park"]);
    two.author_name = "Tom Okafor and Lena Park".into();
    let pair = db::insert_article(
        pool.acquire().await.unwrap().conn(),
        &two,
        db::NewRow::at(NOW),
    )
    .await
    .unwrap();
    let mut tx = super::begin_write(&pool).await.unwrap();
    let given = authors::backfill(tx.conn(), crate::server::newsroom::slug::slugify, NOW)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(given, 3, "the three articles without profiles");
    let mut tx = super::begin_write(&pool).await.unwrap();
    assert_eq!(
        authors::backfill(tx.conn(), crate::server::newsroom::slug::slugify, NOW)
            .await
            .unwrap(),
        0,
        "once"
    );
    tx.commit().await.unwrap();
    let ana = labels::by_slug(labels::AUTHORS, &pool, "ana-reyes")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        labels::count_published(labels::AUTHORS, &pool, ana.id)
            .await
            .unwrap(),
        2
    );
    let tom = labels::by_slug(labels::AUTHORS, &pool, "tom-okafor")
        .await
        .unwrap()
        .unwrap();
    let toms: Vec<String> = labels::page(labels::AUTHORS, &pool, tom.id, 10, 0)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.slug)
        .collect();
    assert_eq!(
        toms,
        ["pair", "old-3"],
        "the typed byline found the profile the other made"
    );
    let byline = labels::of_article(labels::AUTHORS, pool.acquire().await.unwrap().conn(), pair)
        .await
        .unwrap();
    assert_eq!(
        byline.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(),
        ["Tom Okafor", "Lena Park"]
    );

    // Renamed, a profile's articles carry the new name in their byline text.
    let mut tx = super::begin_write(&pool).await.unwrap();
    let row = authors::by_id(tx.conn(), tom.id).await.unwrap().unwrap();
    authors::update(
        tx.conn(),
        tom.id,
        &authors::ProfileUpdate {
            slug: "tomas-okafor",
            name: "Tomás Okafor",
            role_title: "Foreign desk",
            bio: &row.bio,
            photo_id: None,
            photo: "",
            links: "",
            user_id: None,
        },
        NOW,
    )
    .await
    .unwrap();
    authors::rewrite_bylines(tx.conn(), tom.id, crate::model::byline_text)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let bylines: Vec<i64> = vec![scalar(&pool, &format!(
        "SELECT count(*) FROM articles WHERE author_name IN ('Tomás Okafor and Lena Park', 'Tomás Okafor') AND id IN (SELECT article_id FROM article_authors WHERE author_id = {})",
        tom.id
    )).await];
    assert_eq!(bylines, [2]);
}

/// Each test above, once per backend: `sqlite::name` always, `postgres::name` when a server
/// is there (and a line saying it was skipped when not).
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let (pool, dir) = super::fresh().await;
                    super::$name(pool, dir.path().to_path_buf()).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    let Some((pool, dir)) = super::fresh_on(super::Backend::Postgres).await else {
                        eprintln!("skipped: PORTAL_TEST_POSTGRES_URL is not set");
                        return;
                    };
                    super::$name(pool, dir.path().to_path_buf()).await;
                }
            )*
        }
    };
}

on_both_backends!(
    a_due_article_is_published_once_by_many_schedulers,
    migrations_create_the_sections_in_order,
    lists_by_category_newest_first_and_pages,
    drafts_never_show,
    related_posts_are_the_closest_in_time_in_the_same_section,
    next_and_previous_follow_publication_order,
    read_also_and_editors_pick,
    lists_read_as_json_are_the_rows_themselves,
    sections_bring_the_newest_few_of_every_section_in_one_query,
    search_ranks_titles_first_and_matches_prefixes,
    hostile_queries_never_error,
    search_index_follows_updates_unpublishing_and_deletes,
    an_imports_articles_are_indexed_once_at_the_end_as_they_stand,
    demo_seed_fills_every_section,
    ranking_holds_at_ten_thousand_articles,
    the_login_throttle_delays_grow_count_all_or_none_and_are_pruned,
    tags_follow_their_articles_and_page_like_sections,
    authors_are_profiles_and_older_bylines_get_theirs,
);
