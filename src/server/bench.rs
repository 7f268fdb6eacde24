//! Tools for the benchmark (scripts/bench.py), run through the server binary:
//!
//!   portal bench-seed --articles 100000     fills an empty database with generated articles
//!   portal bench-search                     times live-search queries in-process (server side)

use super::db::{self, articles::ArticleInput};
use super::seed::content::{self, DESKS};
use super::{config::Config, dates, markdown, search, slug};
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
        let svg = super::seed::art_for(desk.slug, 7);
        tokio::fs::write(dir.join(format!("bench-{}.svg", desk.slug)), svg)
            .await
            .map_err(|e| e.to_string())?;
    }
    let now = dates::now();
    let mut rng = Rng::with_seed(100_000);
    let started = Instant::now();
    let mut tx = pool.begin().await.map_err(|e| e.to_string())?;
    for i in 0..count {
        let desk = &DESKS[i % DESKS.len()];
        let headline = desk.headlines[(i / DESKS.len()) % desk.headlines.len()];
        let category_id = categories
            .iter()
            .find(|c| c.slug == desk.slug)
            .map(|c| c.id)
            .ok_or("missing section")?;
        let w = content::write(
            desk,
            headline,
            &mut rng,
            &format!("/media/demo/bench-{}.svg", desk.slug),
            "Meridian Archive",
        );
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
            category_id,
            author_name: content::AUTHORS[i % content::AUTHORS.len()].to_string(),
            status: "published".into(),
            published_at: Some(published_at),
            image_id: None,
            image_url: Some(format!("/media/demo/bench-{}.svg", desk.slug)),
            image_srcset: String::new(),
            image_alt: super::seed::describe_art(desk.slug).to_string(),
            image_caption: String::new(),
            image_credit: "Meridian Archive".into(),
            image_width: Some(1200),
            image_height: Some(675),
            editors_pick: i % 997 == 0 && i + 20_000 > count,
            pick_order: ((count - i) / 997) as i64,
        };
        db::articles::insert_article(&mut *tx, &input, published_at)
            .await
            .map_err(|e| e.to_string())?;
        if (i + 1) % 20_000 == 0 {
            eprintln!(
                "  {} articles ({:.1} s)",
                i + 1,
                started.elapsed().as_secs_f64()
            );
        }
    }
    tx.commit().await.map_err(|e| e.to_string())?;
    sqlx::query("INSERT INTO articles_fts (articles_fts) VALUES ('optimize')")
        .execute(pool)
        .await
        .map_err(|e| e.to_string())?;
    sqlx::query("ANALYZE")
        .execute(pool)
        .await
        .map_err(|e| e.to_string())?;
    eprintln!(
        "  done: {count} articles in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Times the live-search query in-process (no HTTP): what the server spends per keystroke.
/// Prints `p50_ms p95_ms max_ms` over every query, `rounds` times each.
pub async fn time_search(pool: &db::Pool, rounds: usize) -> Result<(f64, f64, f64), String> {
    let mut times = Vec::new();
    for _ in 0..rounds {
        for q in SEARCH_QUERIES {
            let Some(fts) = search::fts_query(q) else {
                continue;
            };
            let t = Instant::now();
            db::search::suggest(pool, &fts, 6)
                .await
                .map_err(|e| e.to_string())?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    times.sort_by(|a, b| a.total_cmp(b));
    let at = |p: f64| times[((times.len() as f64 - 1.0) * p).round() as usize];
    Ok((at(0.5), at(0.95), *times.last().unwrap_or(&0.0)))
}

pub async fn run(command: &str, args: &[String]) -> Result<(), String> {
    let config = Config::from_env()?;
    if let Some(parent) = config
        .database_url
        .strip_prefix("sqlite://")
        .and_then(|p| std::path::Path::new(p).parent())
    {
        std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
    }
    let pool = db::connect(&config.database_url)
        .await
        .map_err(|e| e.to_string())?;
    db::migrate(&pool).await.map_err(|e| e.to_string())?;
    match command {
        "bench-seed" => {
            let count = args
                .iter()
                .position(|a| a == "--articles")
                .and_then(|i| args.get(i + 1))
                .and_then(|n| n.parse().ok())
                .unwrap_or(100_000);
            seed(&pool, &config.media_dir(), count).await
        }
        "bench-search" => {
            // Warm the page cache of SQLite first, as a running server would have it.
            time_search(&pool, 1).await?;
            let (p50, p95, max) = time_search(&pool, 20).await?;
            println!("{p50:.3} {p95:.3} {max:.3}");
            Ok(())
        }
        _ => Err(format!("unknown command {command}")),
    }
}
