//! Data for the benchmark (scripts/bench.py), through `portal-demo`:
//!
//!   portal-demo bench-data --articles 100000   fills an empty database with generated articles
//!   portal-demo bench-search                   times live-search queries in-process

use super::content::{self, DESKS};
use crate::server::db::{self, articles::ArticleInput};
use crate::server::{
    dates, db::query as search, media::DEMO_ART_SIZE, newsroom::markdown, newsroom::slug,
};
use fastrand::Rng;
use std::time::Instant;

/// Queries of one to three words, whole and half-typed, rare and very common.
pub const SEARCH_QUERIES: &[&str] = &[
    "harbour",
    "harb",
    "the",
    "council",
    "parliament vote",
    "rail",
    "ferry service",
    "new",
    "central bank",
    "cent",
    "lanterns",
    "the city",
    "market",
    "tech lab",
    "a",
    "water supply",
    "festival",
    "budget talks",
    "open",
    "port of",
    "sum",
    "mountain huts season",
    "energy",
    "said the",
    "year",
    "island hopp",
    "bread",
    "school",
    "weather station network",
    "cycling",
];

/// Writes `count` generated articles in one transaction, with every statement prepared once.
pub async fn seed(
    pool: &db::Pool,
    media_dir: &std::path::Path,
    count: usize,
) -> Result<(), String> {
    if db::articles::count_all(pool)
        .await
        .map_err(|e| e.to_string())?
        > 0
    {
        return Err(
            "the database already has articles: point PORTAL_DATA_DIR at an empty folder".into(),
        );
    }
    let categories = db::articles::categories(pool)
        .await
        .map_err(|e| e.to_string())?;
    // One illustration per section: 100,000 files would only measure the disk.
    let dir = media_dir.join("demo");
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(|e| e.to_string())?;
    for desk in DESKS {
        let svg = super::art::draw(desk.slug, 7);
        tokio::fs::write(dir.join(format!("bench-{}.svg", desk.slug)), svg)
            .await
            .map_err(|e| e.to_string())?;
    }
    let now = dates::now();
    let mut section_ids = Vec::with_capacity(DESKS.len());
    for desk in DESKS {
        let id = categories
            .iter()
            .find(|c| c.slug == desk.slug)
            .map(|c| c.id)
            .ok_or("missing section")?;
        section_ids.push(id);
    }
    let started = Instant::now();
    // Writing and rendering the articles runs on its own thread while this task inserts them:
    // on two cores that is twice as fast as taking turns.
    let (sender, mut articles) = tokio::sync::mpsc::channel::<ArticleInput>(1024);
    let writer = std::thread::spawn(move || {
        let mut rng = Rng::with_seed(100_000);
        for i in 0..count {
            let desk = &DESKS[i % DESKS.len()];
            let headline = desk.headlines[(i / DESKS.len()) % desk.headlines.len()];
            let image = format!("/media/demo/bench-{}.svg", desk.slug);
            let w = content::write(desk, headline, &mut rng, &image, "Meridian Archive");
            let rendered = markdown::render(&w.body_md);
            // One article about every ten minutes, oldest first (ids follow publication order).
            let published_at = now - 600 * (count - i) as i64 - rng.i64(0..600);
            let input = ArticleInput {
                slug: format!("{}-{i}", slug::slugify(&w.title)),
                title: w.title,
                excerpt: w.excerpt,
                body_md: w.body_md,
                body_html: rendered.html,
                body_text: rendered.text,
                reading_minutes: rendered.reading_minutes,
                category_id: section_ids[i % DESKS.len()],
                author_name: content::AUTHORS[i % content::AUTHORS.len()].to_string(),
                authors: slug::tag_pairs(&[
                    content::AUTHORS[i % content::AUTHORS.len()].to_string()
                ]),
                status: "published".into(),
                published_at: Some(published_at),
                image_id: None,
                image_url: Some(image),
                image_srcset: String::new(),
                image_alt: super::art::describe(desk.slug).to_string(),
                image_caption: String::new(),
                image_credit: "Meridian Archive".into(),
                image_width: Some(DEMO_ART_SIZE.0),
                image_height: Some(DEMO_ART_SIZE.1),
                tags: slug::tag_pairs(&content::tags(desk.slug, i / DESKS.len())),
                editors_pick: i % 997 == 0 && i + 20_000 > count,
                pick_order: ((count - i) / 997) as i64,
                ..Default::default()
            };
            if sender.blocking_send(input).is_err() {
                return;
            }
        }
    });
    let mut tx = crate::server::db::begin_write(pool)
        .await
        .map_err(|e| e.to_string())?;
    let triggers = db::bulk::lift_search_triggers(tx.conn())
        .await
        .map_err(|e| e.to_string())?;
    let mut written = 0;
    while let Some(input) = articles.recv().await {
        let published_at = input.published_at.unwrap_or(now);
        db::articles::insert_article(tx.conn(), &input, db::articles::NewRow::at(published_at))
            .await
            .map_err(|e| e.to_string())?;
        written += 1;
        if written % 20_000 == 0 {
            eprintln!(
                "  {written} articles ({:.1} s)",
                started.elapsed().as_secs_f64()
            );
        }
    }
    writer
        .join()
        .map_err(|_| "generating the articles failed".to_string())?;
    if written != count {
        return Err(format!("only {written} of {count} articles were generated"));
    }
    // Every row is published: all of them go into the index.
    db::bulk::rebuild_search_index(tx.conn(), triggers)
        .await
        .map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())?;
    eprintln!(
        "  search index built ({:.1} s)",
        started.elapsed().as_secs_f64()
    );
    db::bulk::optimize(pool).await.map_err(|e| e.to_string())?;
    eprintln!(
        "  done: {count} articles in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Times the live-search query in-process (no HTTP): what the server spends per keystroke.
/// Returns `p50_ms p95_ms max_ms` over every query, `rounds` times each; the slowest queries
/// (by their median) go to stderr, to show where the time goes.
pub async fn time_search(pool: &db::Pool, rounds: usize) -> Result<(f64, f64, f64), String> {
    let mut times = Vec::new();
    let mut per_query: Vec<(&str, Vec<f64>)> =
        SEARCH_QUERIES.iter().map(|q| (*q, Vec::new())).collect();
    for _ in 0..rounds {
        for (q, mine) in per_query.iter_mut() {
            let Some(fts) = search::fts_query(q) else {
                continue;
            };
            let t = Instant::now();
            db::search::suggest(pool, &fts, 6)
                .await
                .map_err(|e| e.to_string())?;
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            times.push(ms);
            mine.push(ms);
        }
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(|a, b| a.total_cmp(b));
        v.get(v.len() / 2).copied().unwrap_or(0.0)
    };
    let mut medians: Vec<(&str, f64)> =
        per_query.iter_mut().map(|(q, v)| (*q, median(v))).collect();
    medians.sort_by(|a, b| b.1.total_cmp(&a.1));
    let slowest: Vec<String> = medians
        .iter()
        .take(5)
        .map(|(q, ms)| format!("{q:?} {ms:.1} ms"))
        .collect();
    eprintln!("slowest live searches (median): {}", slowest.join(", "));
    times.sort_by(|a, b| a.total_cmp(b));
    let at = |p: f64| times[((times.len() as f64 - 1.0) * p).round() as usize];
    Ok((at(0.5), at(0.95), *times.last().unwrap_or(&0.0)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::db::{search as sdb, testing::fresh};

    #[tokio::test]
    async fn bulk_seed_indexes_everything_and_puts_the_triggers_back() {
        let (pool, dir) = fresh().await;
        let sqlite = pool.as_sqlite().unwrap().clone();
        let triggers = || async {
            sqlx::query_scalar::<_, String>(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name",
            )
            .fetch_all(&sqlite)
            .await
            .unwrap()
        };
        let before = triggers().await;
        seed(&pool, dir.path(), 240).await.unwrap();
        assert_eq!(triggers().await, before, "the same triggers afterwards");
        assert_eq!(db::articles::count_all(&pool).await.unwrap(), 240);
        // One size row per indexed article (the table itself would read `articles`).
        let indexed: i64 = sqlx::query_scalar("SELECT count(*) FROM articles_fts_docsize")
            .fetch_one(&sqlite)
            .await
            .unwrap();
        assert_eq!(indexed, 240);
        // The triggers work again: a title change is searchable at once.
        sqlx::query("UPDATE articles SET title = 'Zeppelin festival returns' WHERE id = 7")
            .execute(&sqlite)
            .await
            .unwrap();
        let found = sdb::suggest(&pool, &search::fts_query("zeppelin").unwrap(), 6)
            .await
            .unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].title, "Zeppelin festival returns");
        // A second run refuses to write into a filled database.
        assert!(seed(&pool, dir.path(), 10).await.is_err());
    }
}
