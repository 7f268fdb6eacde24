//! The page cache's store: rendered answers for anonymous readers, in process memory (bounded
//! by size), dropped as a whole the moment any content changes (`purge`), at midnight, or when
//! the database's content version moves (another server's write). Its generation tells those
//! who read from the database whether what they read is still current (the shared blocks, a
//! render about to be stored). How answers get in and out is the HTTP layer's business
//! (`edge::cache`).

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use moka::sync::Cache;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// How often a server checks whether another server changed the content.
pub const WATCH_EVERY: Duration = Duration::from_secs(1);
pub struct Entry {
    pub(crate) status: StatusCode,
    /// Every header of the answer but its coding and request id, made once when the page is
    /// kept: type, ETag, Cache-Control, Vary, the page's Content-Security-Policy (naming the
    /// hashes of its inline scripts: `pin_scripts`) and the security headers.
    pub(crate) headers: HeaderMap,
    pub(crate) etag: HeaderValue,
    pub(crate) identity: Bytes,
    pub(crate) brotli: Option<Bytes>,
    pub(crate) gzip: Option<Bytes>,
    /// `/metrics`' count and timing of the answers of this kind and status.
    pub(crate) requests: metrics::Counter,
    pub(crate) latency: metrics::Histogram,
}

impl Entry {
    fn weight(&self) -> u32 {
        let n = self.identity.len()
            + self.brotli.as_ref().map_or(0, Bytes::len)
            + self.gzip.as_ref().map_or(0, Bytes::len)
            + 256;
        n.min(u32::MAX as usize) as u32
    }
}

pub struct PageCache {
    pub(crate) entries: Cache<String, Arc<Entry>>,
    enabled: AtomicBool,
    /// Bumped by every purge; a render that saw an older value is not stored.
    pub(crate) generation: AtomicU64,
    /// The database content version this cache was last purged for.
    seen_version: AtomicU64,
    /// The site's timezone, and the first second of the next day in it: entries made before
    /// then show today's date and are dropped when it comes.
    tz: chrono_tz::Tz,
    next_midnight: std::sync::atomic::AtomicI64,
}

impl PageCache {
    pub fn new(max_bytes: u64, enabled: bool, tz: chrono_tz::Tz) -> Arc<Self> {
        Arc::new(PageCache {
            entries: Cache::builder()
                .max_capacity(max_bytes)
                .weigher(|_k: &String, v: &Arc<Entry>| v.weight())
                .build(),
            enabled: AtomicBool::new(enabled),
            generation: AtomicU64::new(0),
            seen_version: AtomicU64::new(0),
            tz,
            next_midnight: std::sync::atomic::AtomicI64::new(i64::MIN),
        })
    }

    /// Purges when a new day has begun in the site's timezone since the last look.
    pub fn roll_day(&self, now: i64) {
        let boundary = self.next_midnight.load(Ordering::SeqCst);
        if now < boundary {
            return;
        }
        let next = next_midnight(now, &self.tz);
        if self
            .next_midnight
            .compare_exchange(boundary, next, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
        {
            self.purge();
        }
    }

    pub fn enabled(&self) -> bool {
        self.enabled.load(Ordering::Relaxed)
    }

    /// Drops every cached response. Called after every content change.
    pub fn purge(&self) {
        metrics::counter!("portal_page_cache_purges_total").increment(1);
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.entries.invalidate_all();
    }

    /// Purges if the database says content changed since we last looked.
    pub fn observe_version(&self, version: u64) {
        if self.seen_version.swap(version, Ordering::SeqCst) != version {
            self.purge();
        }
    }

    /// Moves with every purge: what was read from the database before it may be out of date.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// The content version this cache last saw.
    pub fn seen_version(&self) -> u64 {
        self.seen_version.load(Ordering::SeqCst)
    }

    pub fn len(&self) -> u64 {
        self.entries.run_pending_tasks();
        self.entries.entry_count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The first second of the day after the one `now` falls in, in `tz`.
pub(crate) fn next_midnight(now: i64, tz: &chrono_tz::Tz) -> i64 {
    use chrono::TimeZone;
    let today = crate::server::dates::at(now, tz).date_naive();
    let tomorrow = today
        .succ_opt()
        .unwrap_or(today)
        .and_time(chrono::NaiveTime::MIN);
    // A day that begins in a DST gap begins at its first real second.
    (0..4)
        .find_map(|h| {
            tz.from_local_datetime(&(tomorrow + chrono::Duration::hours(h)))
                .earliest()
        })
        .map_or(now + 3600, |t| t.timestamp())
}
