//! Demo content for a new database: about 130 articles over the eight sections and the
//! last four months, each with a generated illustration, READ ALSO links and editor's picks,
//! and three demo accounts with published passwords. A developer tool (the `demo` feature and
//! the `portal-demo` binary): the production server cannot create any of it.

mod art;
pub mod bench;
pub mod content;
pub mod live_bench;
pub mod traffic;
pub mod wxr;

use crate::model::validate::messages;
use crate::server::accounts::Accounts;
use crate::server::config::Config;
use crate::server::db::{self, articles::ArticleInput, Pool};
use crate::server::media::MediaStore;
use crate::server::{dates, newsroom::markdown, newsroom::slug};
use content::{Desk, DESKS};
use fastrand::Rng;
use std::collections::HashSet;

/// Articles per section. 8 × 16 = 128.
const PER_SECTION: usize = 16;
/// The paper's archive reaches back this many days.
const SPAN_DAYS: i64 = 120;
const EDITORS_PICKS: usize = 12;
const SEED: u64 = 20_251_109;

pub use crate::server::accounts::DEMO_USERS;

/// Creates the demo accounts when there are no users at all; true when it did.
pub async fn seed_demo_users(pool: &Pool) -> Result<bool, String> {
    if db::users::count(pool).await.map_err(|e| e.to_string())? > 0 {
        return Ok(false);
    }
    let accounts = Accounts::new(pool.clone(), chrono_tz::UTC, dates::Clock::system());
    for (email, name, role, password) in DEMO_USERS {
        let errors = accounts
            .add_user(email, name, role, password.to_string())
            .await
            .map_err(|e| e.to_string())?;
        if !errors.is_empty() {
            return Err(messages(&errors));
        }
    }
    Ok(true)
}

/// Fills the configured database with the demo content and accounts, if it has none yet.
/// Returns how many articles were added.
pub async fn seed_database(config: &Config) -> Result<usize, String> {
    let pool = crate::server::open_database(config)
        .await
        .map_err(|e| e.to_string())?;
    let media = crate::server::media::open_store(config).map_err(|e| e.to_string())?;
    let added = seed_if_empty(&pool, media.as_ref()).await?;
    seed_demo_users(&pool).await?;
    pool.close().await;
    Ok(added)
}

/// Seeds only a database without articles; returns how many were added.
pub async fn seed_if_empty(pool: &Pool, media: &dyn MediaStore) -> Result<usize, String> {
    let existing = db::articles::count_all(pool)
        .await
        .map_err(|e| e.to_string())?;
    if existing > 0 {
        return Ok(0);
    }
    seed(pool, media, dates::now()).await
}

struct Planned {
    desk: &'static Desk,
    headline: &'static str,
    published_at: i64,
}

pub async fn seed(pool: &Pool, media: &dyn MediaStore, now: i64) -> Result<usize, String> {
    let mut rng = Rng::with_seed(SEED);
    let categories = db::articles::categories(pool)
        .await
        .map_err(|e| e.to_string())?;

    // Plan: which headline, in which section, when. Newest first gets the lowest index.
    let mut plan = Vec::new();
    for desk in DESKS {
        let mut headlines: Vec<&'static str> = desk.headlines.to_vec();
        rng.shuffle(&mut headlines);
        for headline in headlines.into_iter().cycle().take(PER_SECTION) {
            // Spread over the span, denser towards today (as a real archive is), never in the
            // future.
            let spread = rng.f64() * rng.f64();
            let age = 600 + (spread * (SPAN_DAYS * 86_400) as f64) as i64;
            plan.push(Planned {
                desk,
                headline,
                published_at: now - age,
            });
        }
    }
    // Oldest first: ids then follow publication order, as they do in a real newsroom (search
    // ranks within the newest matches by id).
    plan.sort_by_key(|p| p.published_at);

    let mut tx = crate::server::db::begin_write(pool)
        .await
        .map_err(|e| e.to_string())?;
    let mut slugs = HashSet::new();
    let mut ids = Vec::with_capacity(plan.len());
    let pick_every = plan.len() / EDITORS_PICKS;
    for (i, item) in plan.iter().enumerate() {
        let category_id = categories
            .iter()
            .find(|c| c.slug == item.desk.slug)
            .map(|c| c.id)
            .ok_or_else(|| format!("section {} is missing", item.desk.slug))?;
        let picture_seed = rng.u64(..);
        let figure_seed = rng.u64(..);
        let credit = content::PHOTO_CREDITS[rng.usize(..content::PHOTO_CREDITS.len())];
        let figure_name = format!("{}-{i}-figure.svg", item.desk.slug);
        let figure_url = format!("/media/demo/{figure_name}");
        let written = content::write(item.desk, item.headline, &mut rng, &figure_url, credit);
        let slug = slug::unique(&slug::slugify(&written.title), |s| slugs.contains(s));
        slugs.insert(slug.clone());

        let picture_name = format!("{slug}.svg");
        write_file(
            media,
            &format!("demo/{picture_name}"),
            &art::draw(item.desk.slug, picture_seed),
        )
        .await?;
        write_file(
            media,
            &format!("demo/{figure_name}"),
            &art::draw(item.desk.slug, figure_seed),
        )
        .await?;

        let rendered = markdown::render(&written.body_md);
        let caption = written.figure_alt_caption();
        let is_pick = i % pick_every == 1 && i / pick_every < EDITORS_PICKS;
        let author = content::AUTHORS[rng.usize(..content::AUTHORS.len())];
        let input = ArticleInput {
            slug,
            title: written.title,
            excerpt: written.excerpt,
            body_md: written.body_md,
            body_html: rendered.html,
            body_text: rendered.text,
            reading_minutes: rendered.reading_minutes,
            category_id,
            author_name: author.to_string(),
            authors: slug::tag_pairs(&[author.to_string()]),
            status: db::articles::PUBLISHED.to_string(),
            published_at: Some(item.published_at),
            image_id: None,
            image_srcset: String::new(),
            image_url: Some(format!("/media/demo/{picture_name}")),
            image_caption: caption,
            image_alt: art::describe(item.desk.slug).to_string(),
            image_credit: credit.to_string(),
            image_width: Some(art::WIDTH),
            image_height: Some(art::HEIGHT),
            tags: crate::server::newsroom::slug::tag_pairs(&content::tags(item.desk.slug, i)),
            editors_pick: is_pick,
            // Newest picks first.
            pick_order: if is_pick {
                (EDITORS_PICKS - i / pick_every) as i64
            } else {
                0
            },
            ..Default::default()
        };
        // Some articles were corrected after publication: their update time moves on.
        let saved_at = if rng.u8(..6) == 0 {
            (item.published_at + rng.i64(7_200..172_800)).min(now)
        } else {
            item.published_at
        };
        let id =
            db::articles::insert_article(tx.conn(), &input, db::articles::NewRow::at(saved_at))
                .await
                .map_err(|e| e.to_string())?;
        ids.push(id);
    }
    // The writers' profiles say who they are.
    for (i, (name, (role, beat))) in content::AUTHORS
        .iter()
        .zip(content::AUTHOR_ROLES)
        .enumerate()
    {
        let bio = content::author_bio(name, beat, 2009 + i as i32 * 2);
        db::authors::describe(tx.conn(), name, role, &bio)
            .await
            .map_err(|e| e.to_string())?;
    }
    // The paper's own pages, and the footer's links to them.
    let mut footer = Vec::new();
    for (slug, title, parent, in_footer, body) in content::PAGES {
        let parent = match parent {
            Some(p) => db::pages::by_slug(tx.conn(), p)
                .await
                .map_err(|e| e.to_string())?,
            None => None,
        };
        let path = match &parent {
            Some((_, path)) => format!("{path}/{slug}"),
            None => slug.to_string(),
        };
        let rendered = markdown::render(body);
        let page = ArticleInput {
            slug: slug.to_string(),
            title: title.to_string(),
            body_md: body.to_string(),
            body_html: rendered.html,
            body_text: rendered.text,
            reading_minutes: rendered.reading_minutes,
            category_id: categories[0].id,
            status: db::articles::PUBLISHED.to_string(),
            published_at: Some(now - 400 * 86_400),
            page_path: Some(path.clone()),
            parent_id: parent.map(|(id, _)| id),
            ..Default::default()
        };
        db::articles::insert_article(
            tx.conn(),
            &page,
            db::articles::NewRow::at(now - 30 * 86_400),
        )
        .await
        .map_err(|e| e.to_string())?;
        if *in_footer {
            footer.push((title.to_string(), format!("/{path}")));
        }
    }
    db::navigation::save(tx.conn(), &[], &footer)
        .await
        .map_err(|e| e.to_string())?;
    // READ ALSO: two other articles, one from the same section and one from another.
    for (i, id) in ids.iter().enumerate() {
        let same: Vec<usize> = (0..plan.len())
            .filter(|&j| j != i && plan[j].desk.slug == plan[i].desk.slug)
            .collect();
        let other: Vec<usize> = (0..plan.len())
            .filter(|&j| plan[j].desk.slug != plan[i].desk.slug)
            .collect();
        let targets = [
            ids[same[rng.usize(..same.len())]],
            ids[other[rng.usize(..other.len())]],
        ];
        db::articles::set_read_also(tx.conn(), *id, &targets)
            .await
            .map_err(|e| e.to_string())?;
    }
    tx.commit().await.map_err(|e| e.to_string())?;
    Ok(ids.len())
}

async fn write_file(media: &dyn MediaStore, key: &str, contents: &str) -> Result<(), String> {
    media
        .put(key, contents.as_bytes())
        .await
        .map_err(|e| format!("cannot store the demo image {key}: {e}"))
}
