//! Counting readers' views so that no page cache can break it and nobody is tracked. A reader's
//! page reports a view after it is shown (`POST /api/view` from `navigator.sendBeacon`, also
//! after the reader pages' in-place navigation), never on render: a page from the cache, a 304
//! or a CDN's copy counts like any other. Nothing about the reader is kept: a repeat view within
//! the hour is recognised by a hash of the address, the browser's name and the article under
//! a key made at random each hour and held only in memory, then forgotten. Bots and prefetches
//! do not count. Counts are summed here and added to the database in one batch every
//! `FLUSH_EVERY` (one write per article at most), and once more when the server stops.
//!
//! "Most read" is recomputed from the database every `MOST_READ_EVERY`; when its list changed,
//! this server's cached pages go (they show the sidebar) and the next render reads it anew.

use crate::server::db::{self, Pool};
use crate::server::page_cache::PageCache;
use crate::server::reader::blocks::SharedBlocks;
use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How often counts reach the database (at most one write per article each time).
pub const FLUSH_EVERY: Duration = Duration::from_secs(10);
/// How often "Most read" is recomputed.
pub const MOST_READ_EVERY: Duration = Duration::from_secs(300);
/// The hours "Most read" looks back.
pub const MOST_READ_HOURS: i64 = 24;
/// How many articles "Most read" lists.
pub const MOST_READ_SIZE: u32 = 5;
/// Repeat views remembered per hour at most (a flood cannot grow memory without end; past it,
/// views of the hour are no longer damped).
const SEEN_MAX: usize = 400_000;
/// Articles with counts waiting at most (ids a beacon made up are dropped at the flush).
const PENDING_MAX: usize = 50_000;

/// Whether a view was counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    Yes,
    /// The same reader saw the same article this hour already.
    Repeat,
    /// A bot, a prefetch, or too much at once.
    Ignored,
}

struct Seen {
    hour: i64,
    key: std::hash::RandomState,
    views: HashSet<u64>,
}

pub struct Views {
    pending: Mutex<HashMap<i64, i64>>,
    seen: Mutex<Seen>,
    most_read: Mutex<Vec<i64>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Default for Views {
    fn default() -> Self {
        Views {
            pending: Mutex::default(),
            seen: Mutex::new(Seen {
                hour: -1,
                key: std::hash::RandomState::new(),
                views: HashSet::new(),
            }),
            most_read: Mutex::default(),
        }
    }
}

/// Clients that say they are not a person reading: crawlers, link previews, monitors, tools.
pub fn is_bot(user_agent: &str) -> bool {
    const WORDS: [&str; 16] = [
        "bot",
        "crawl",
        "spider",
        "slurp",
        "headless",
        "preview",
        "fetch",
        "monitor",
        "curl",
        "wget",
        "python",
        "httpclient",
        "http-client",
        "scrapy",
        "lighthouse",
        "facebookexternalhit",
    ];
    let ua = user_agent.to_ascii_lowercase();
    ua.trim().is_empty() || WORDS.iter().any(|w| ua.contains(w))
}

impl Views {
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// A view of `article_id` by the reader at `client` with `user_agent`, at Unix time `now`.
    pub fn count(&self, article_id: i64, client: IpAddr, user_agent: &str, now: i64) -> Counted {
        if article_id <= 0 || is_bot(user_agent) {
            return Counted::Ignored;
        }
        {
            let mut seen = lock(&self.seen);
            let hour = now.div_euclid(3600);
            if seen.hour != hour {
                // A new hour: a new key, and the old hour's hashes are gone for good.
                seen.hour = hour;
                seen.key = std::hash::RandomState::new();
                seen.views = HashSet::new();
            }
            let h = seen.key.hash_one((client, user_agent, article_id));
            if seen.views.len() < SEEN_MAX && !seen.views.insert(h) {
                return Counted::Repeat;
            }
        }
        let mut pending = lock(&self.pending);
        if pending.len() >= PENDING_MAX && !pending.contains_key(&article_id) {
            return Counted::Ignored;
        }
        *pending.entry(article_id).or_insert(0) += 1;
        Counted::Yes
    }

    /// Views counted and not yet written.
    pub fn waiting(&self) -> i64 {
        lock(&self.pending).values().sum()
    }

    /// Writes the counts waiting, one statement per article in one transaction; on failure
    /// they wait for the next flush. Returns how many articles were written.
    pub async fn flush(&self, pool: &Pool, now: i64) -> Result<usize, sqlx::Error> {
        let batch = std::mem::take(&mut *lock(&self.pending));
        if batch.is_empty() {
            return Ok(0);
        }
        let hour = now.div_euclid(3600);
        let written = async {
            let mut tx = db::begin_write(pool).await?;
            for (&article, &views) in &batch {
                db::views::add(tx.conn(), article, hour, views).await?;
            }
            tx.commit().await
        }
        .await;
        match written {
            Ok(()) => {
                metrics::counter!("portal_views_total")
                    .increment(batch.values().sum::<i64>() as u64);
                Ok(batch.len())
            }
            Err(e) => {
                let mut pending = lock(&self.pending);
                for (article, views) in batch {
                    *pending.entry(article).or_insert(0) += views;
                }
                Err(e)
            }
        }
    }

    /// Ranks "Most read" anew; when its list changed, the shared blocks get it and this
    /// server's cached pages go (they show it). True when it changed.
    pub async fn refresh_most_read(
        &self,
        pool: &Pool,
        blocks: &SharedBlocks,
        cache: &PageCache,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        let since = now.div_euclid(3600) - MOST_READ_HOURS + 1;
        let ids = db::views::most_read_ids(pool, since, MOST_READ_SIZE).await?;
        let changed = {
            let mut last = lock(&self.most_read);
            let changed = *last != ids;
            last.clone_from(&ids);
            changed
        };
        if changed {
            blocks.set_most_read(ids);
            cache.purge();
        }
        Ok(changed)
    }

    /// Flushes every `FLUSH_EVERY` and refreshes "Most read" every `MOST_READ_EVERY` until
    /// `stop`; then flushes what is left (a SIGTERM loses no view).
    pub fn spawn(
        self: &Arc<Self>,
        pool: Pool,
        cache: Arc<PageCache>,
        blocks: Arc<SharedBlocks>,
        mut stop: tokio::sync::watch::Receiver<bool>,
    ) -> tokio::task::JoinHandle<()> {
        let views = self.clone();
        tokio::spawn(async move {
            let mut flush = tokio::time::interval(FLUSH_EVERY);
            flush.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let mut ranking = tokio::time::interval(MOST_READ_EVERY);
            ranking.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = flush.tick() => {
                        if let Err(e) = views.flush(&pool, crate::server::dates::now()).await {
                            tracing::warn!(error = %e, "writing views failed; they are kept for the next try");
                        }
                    }
                    _ = ranking.tick() => {
                        if let Err(e) = views
                            .refresh_most_read(&pool, &blocks, &cache, crate::server::dates::now())
                            .await
                        {
                            tracing::warn!(error = %e, "ranking the most read articles failed");
                        }
                    }
                    // (The watch's guard must not live on past the loop's end.)
                    _ = async { let _ = stop.wait_for(|s| *s).await; } => break,
                }
            }
            match views.flush(&pool, crate::server::dates::now()).await {
                Ok(_) => {}
                Err(e) => {
                    tracing::error!(error = %e, lost = views.waiting(), "writing the last views at shutdown failed")
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reader_counts_once_an_hour_and_bots_never() {
        let views = Views::default();
        let me: IpAddr = "203.0.113.7".parse().unwrap();
        let other: IpAddr = "203.0.113.8".parse().unwrap();
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
        let t = 1_796_735_220;
        assert_eq!(views.count(4, me, firefox, t), Counted::Yes);
        assert_eq!(views.count(4, me, firefox, t + 60), Counted::Repeat);
        assert_eq!(views.count(4, other, firefox, t + 60), Counted::Yes);
        assert_eq!(views.count(5, me, firefox, t + 60), Counted::Yes);
        // The next hour, a new key: the same reader counts again.
        assert_eq!(views.count(4, me, firefox, t + 3600), Counted::Yes);
        for bot in [
            "Googlebot/2.1",
            "curl/8.5.0",
            "",
            "Mozilla/5.0 HeadlessChrome/131.0",
        ] {
            assert_eq!(views.count(4, me, bot, t), Counted::Ignored, "{bot}");
        }
        assert_eq!(views.waiting(), 4);
    }
}
