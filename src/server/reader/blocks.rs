//! What many pages show and only a content change alters: the sections (every page's chrome,
//! every section page's lookup) with how many articles each has (a section page's pager), the
//! sidebar (Editor's Pick, the latest headlines, "Most read": its changes purge the cache too,
//! `server::views`), and the front page's own blocks (the lead
//! story, the latest list, the newest of each section: read on the first home page of a
//! version). They are read once per content version and shared by every render until the next
//! change, instead of three queries on every page a reader opens.
//!
//! The version is the page cache's generation (`PageCache::generation`): it moves the moment
//! this server writes, when another server's change is announced or seen, when the scheduler
//! publishes, and at midnight; whether or not pages themselves are cached. Blocks read while
//! the generation moved are tagged with the one before, so the next render reads them again.

use crate::model::{ArticleSummary, CategorySection, RenderedOnce, Sidebar};
use crate::server::db::{self, articles::CategoryRow, Pool};
use crate::server::page_cache::PageCache;
use std::sync::{Arc, RwLock};

/// How many Editor's Pick and latest headlines the sidebar lists.
pub const SIDEBAR_PICKS: u32 = 10;
pub const SIDEBAR_HEADLINES: u32 = 8;
/// How many of the newest articles of each section the front page shows.
const FRONT_SECTION_SIZE: u32 = 4;

/// The front page's blocks (all of it but the sidebar).
pub struct Front {
    /// The newest article, above everything.
    pub lead: Option<ArticleSummary>,
    /// The unfiltered "Latest" list: the articles after the lead.
    pub latest: Vec<ArticleSummary>,
    /// The newest of each section that has any, in the sections' order.
    pub sections: Vec<CategorySection>,
}

pub struct Blocks {
    generation: u64,
    pub categories: Vec<CategoryRow>,
    /// The footer's links besides the sections.
    pub footer_links: Vec<crate::model::FooterLink>,
    /// Published articles per section id.
    published: std::collections::HashMap<i64, u64>,
    pub sidebar: std::sync::Arc<Sidebar>,
    /// The header's HTML, rendered by the first page of each day and marked section.
    pub header: RenderedOnce,
    /// Read when a home page first needs it (most pages never do).
    front: tokio::sync::OnceCell<Front>,
    /// Published articles per tag or author, counted by the first page of each that asks
    /// (counting on every page read 8,000 index entries for a big tag: 0.8 ms a page).
    label_counts: std::sync::Mutex<std::collections::HashMap<(&'static str, i64), u64>>,
}

impl Blocks {
    /// The front page's blocks of this version, read by the first render that needs them.
    /// (Read after the version moved on, they are newer than it: never older.)
    pub async fn front(&self, pool: &Pool, tz: &chrono_tz::Tz) -> Result<&Front, sqlx::Error> {
        self.front
            .get_or_try_init(|| read_front(&self.categories, pool, tz))
            .await
    }

    pub fn category(&self, slug: &str) -> Option<&CategoryRow> {
        self.categories.iter().find(|c| c.slug == slug)
    }

    /// How many published articles the tag or author `id` has, as counted in this version.
    pub fn label_count(&self, kind: db::labels::Kind, id: i64) -> Option<u64> {
        let counts = self.label_counts.lock().ok()?;
        counts.get(&(kind.name(), id)).copied()
    }

    pub fn remember_label_count(&self, kind: db::labels::Kind, id: i64, n: u64) {
        if let Ok(mut counts) = self.label_counts.lock() {
            // Bounded: a crawler walking every tag cannot grow it without end.
            if counts.len() >= 10_000 {
                counts.clear();
            }
            counts.insert((kind.name(), id), n);
        }
    }

    /// How many articles the section has published (counting them on every section page was
    /// a scan of the section's index: a fifth of an uncached section page at 100k articles).
    pub fn published_in(&self, category_id: i64) -> u64 {
        self.published.get(&category_id).copied().unwrap_or(0)
    }
}

#[derive(Default)]
pub struct SharedBlocks {
    current: RwLock<Option<Arc<Blocks>>>,
    /// One render reads the blocks after a change; the others wait for it.
    refill: tokio::sync::Mutex<()>,
    /// "Most read" as `server::views` last ranked it (every few minutes): the articles' ids,
    /// most read first. Each read of the blocks looks up their titles, nothing more.
    most_read: std::sync::Mutex<Vec<i64>>,
}

impl SharedBlocks {
    /// A new "Most read" ranking (the caller purges the cache, so pages show it).
    pub fn set_most_read(&self, ids: Vec<i64>) {
        if let Ok(mut most_read) = self.most_read.lock() {
            *most_read = ids;
        }
    }

    pub async fn get(
        &self,
        cache: &PageCache,
        pool: &Pool,
        tz: &chrono_tz::Tz,
    ) -> Result<Arc<Blocks>, sqlx::Error> {
        let generation = cache.generation();
        if let Some(blocks) = self.fresh(generation) {
            return Ok(blocks);
        }
        let _turn = self.refill.lock().await;
        if let Some(blocks) = self.fresh(generation) {
            return Ok(blocks);
        }
        let most_read = self
            .most_read
            .lock()
            .map(|ids| ids.clone())
            .unwrap_or_default();
        let blocks = Arc::new(read(generation, pool, tz, &most_read).await?);
        if let Ok(mut current) = self.current.write() {
            *current = Some(blocks.clone());
        }
        Ok(blocks)
    }

    fn fresh(&self, generation: u64) -> Option<Arc<Blocks>> {
        let current = self.current.read().ok()?;
        current
            .as_ref()
            .filter(|b| b.generation == generation)
            .cloned()
    }
}

async fn read(
    generation: u64,
    pool: &Pool,
    tz: &chrono_tz::Tz,
    most_read: &[i64],
) -> Result<Blocks, sqlx::Error> {
    use db::articles as a;
    let categories = a::categories(pool).await?;
    let footer_links = db::navigation::footer_links(pool)
        .await?
        .into_iter()
        .map(|(label, href)| crate::model::FooterLink { label, href })
        .collect();
    let published = a::count_published_by_section(pool).await?;
    let picks = a::editors_pick(pool, SIDEBAR_PICKS).await?;
    let headlines = a::latest(pool, None, SIDEBAR_HEADLINES, 0).await?;
    Ok(Blocks {
        generation,
        categories,
        footer_links,
        published,
        sidebar: std::sync::Arc::new(Sidebar {
            editors_pick: a::into_models(picks, tz),
            latest_headlines: a::into_models(headlines, tz),
            most_read: a::into_models(db::views::published_in_order(pool, most_read).await?, tz),
            rendered: RenderedOnce::default(),
        }),
        header: RenderedOnce::default(),
        front: tokio::sync::OnceCell::new(),
        label_counts: Default::default(),
    })
}

async fn read_front(
    categories: &[CategoryRow],
    pool: &Pool,
    tz: &chrono_tz::Tz,
) -> Result<Front, sqlx::Error> {
    use crate::model::limits::LATEST_ON_HOME;
    use db::articles as a;
    let mut newest = a::into_models(a::latest(pool, None, LATEST_ON_HOME + 1, 0).await?, tz);
    let lead = (!newest.is_empty()).then(|| newest.remove(0));
    let mut sections: Vec<CategorySection> = categories
        .iter()
        .map(|c| CategorySection {
            category: c.to_model(),
            articles: Vec::new(),
        })
        .collect();
    for row in a::sections(pool, FRONT_SECTION_SIZE).await? {
        if let Some(section) = sections
            .iter_mut()
            .find(|s| s.category.slug == row.cat_slug)
        {
            section.articles.push(row.into_model(tz));
        }
    }
    sections.retain(|s| !s.articles.is_empty());
    Ok(Front {
        lead,
        latest: newest,
        sections,
    })
}
