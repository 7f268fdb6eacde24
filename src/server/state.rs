use super::config::Config;
use super::db::Pool;
use super::media::MediaStore;
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
    pub cache: Arc<super::cache::PageCache>,
}

impl AppState {
    pub fn new(leptos_options: LeptosOptions, pool: Pool, config: Config) -> Self {
        let media = Arc::new(super::media::DiskStore {
            root: config.media_dir(),
        });
        let cache =
            super::cache::PageCache::new(config.page_cache_mib * 1024 * 1024, config.page_cache);
        AppState {
            leptos_options,
            pool,
            config: Arc::new(config),
            media,
            cache,
        }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl FromRef<AppState> for Pool {
    fn from_ref(state: &AppState) -> Self {
        state.pool.clone()
    }
}
