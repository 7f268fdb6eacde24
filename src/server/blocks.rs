//! What many pages show and only a content change alters: the sections (every page's chrome,
//! every section page's lookup) with how many articles each has (a section page's pager), and
//! the sidebar (Editor's Pick, the latest headlines). They are
//! read once per content version and shared by every render until the next change, instead of
//! three queries on every page a reader opens.
//!
//! The version is the page cache's generation (`PageCache::generation`): it moves the moment
//! this server writes, when another server's change is announced or seen, when the scheduler
//! publishes, and at midnight; whether or not pages themselves are cached. Blocks read while
//! the generation moved are tagged with the one before, so the next render reads them again.

use super::cache::PageCache;
use super::db::{self, articles::CategoryRow, Pool};
use crate::model::Sidebar;
use std::sync::{Arc, RwLock};

/// How many Editor's Pick and latest headlines the sidebar lists.
pub const SIDEBAR_PICKS: u32 = 10;
pub const SIDEBAR_HEADLINES: u32 = 8;

pub struct Blocks {
    generation: u64,
    pub categories: Vec<CategoryRow>,
    /// Published articles per section id.
    published: std::collections::HashMap<i64, u64>,
    pub sidebar: Sidebar,
}

impl Blocks {
    pub fn category(&self, slug: &str) -> Option<&CategoryRow> {
        self.categories.iter().find(|c| c.slug == slug)
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
}

impl SharedBlocks {
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
        let blocks = Arc::new(read(generation, pool, tz).await?);
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

async fn read(generation: u64, pool: &Pool, tz: &chrono_tz::Tz) -> Result<Blocks, sqlx::Error> {
    use db::articles as a;
    let categories = a::categories(pool).await?;
    let published = a::count_published_by_section(pool).await?;
    let picks = a::editors_pick(pool, SIDEBAR_PICKS).await?;
    let headlines = a::latest(pool, None, SIDEBAR_HEADLINES, 0).await?;
    Ok(Blocks {
        generation,
        categories,
        published,
        sidebar: Sidebar {
            editors_pick: a::into_models(picks, tz),
            latest_headlines: a::into_models(headlines, tz),
        },
    })
}
