use super::cache::PageCache;
use super::config::Config;
use super::dates::Clock;
use super::db::Pool;
use super::media::{DiskStore, MediaStore};
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use std::sync::Arc;

/// Everything a request handler or server function may need. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: Pool,
    pub config: Arc<Config>,
    pub media: Arc<dyn MediaStore>,
    pub cache: Arc<PageCache>,
    pub clock: Clock,
}

impl AppState {
    pub fn new(leptos_options: LeptosOptions, pool: Pool, config: Config) -> Self {
        // Before anything is counted.
        super::operator::metrics_handle();
        let media = Arc::new(DiskStore {
            root: config.media_dir(),
        });
        let cache = PageCache::new(
            config.page_cache_mib * 1024 * 1024,
            config.page_cache,
            config.timezone,
        );
        AppState {
            leptos_options,
            pool,
            config: Arc::new(config),
            media,
            cache,
            clock: Clock::system(),
        }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
