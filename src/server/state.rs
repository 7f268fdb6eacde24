use super::accounts::Accounts;
use super::config::Config;
use super::dates::Clock;
use super::db::Pool;
use super::media::MediaStore;
use super::newsroom::Newsroom;
use super::reader::Reader;
use crate::server::page_cache::PageCache;
use crate::server::reader::blocks::SharedBlocks;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use std::sync::Arc;

/// Everything a request handler or server function may need. One pointer to clone: every
/// request clones it for each layer that holds it (a clone of the fields themselves, with the
/// Leptos options' strings, took a tenth of a cache hit's time when hits went down the stack).
#[derive(Clone)]
pub struct AppState(Arc<State>);

/// What `AppState` points to.
pub struct State {
    pub leptos_options: LeptosOptions,
    pub pool: Pool,
    pub config: Arc<Config>,
    pub media: Arc<dyn MediaStore>,
    pub cache: Arc<PageCache>,
    /// The sections and the sidebar, read once per content version.
    pub blocks: Arc<SharedBlocks>,
    pub clock: Clock,
    /// The readers of live coverage on this server.
    pub live: Arc<crate::server::live::Hub>,
    /// Readers' views, summed until the next batch is written.
    pub views: Arc<crate::server::views::Views>,
    /// The newsletter's mail (pooled SMTP connections, the rate), or why it is off.
    pub mailer: Result<crate::server::newsletter::mail::Mailer, String>,
}

impl AppState {
    /// Panics if the media store cannot be set up; servers call `with_media` with the store
    /// they opened (and reported on) at start.
    pub fn new(leptos_options: LeptosOptions, pool: Pool, config: Config) -> Self {
        let media = super::media::open_store(&config).expect("the media store");
        Self::with_media(leptos_options, pool, config, media)
    }

    pub fn with_media(
        leptos_options: LeptosOptions,
        pool: Pool,
        config: Config,
        media: Arc<dyn MediaStore>,
    ) -> Self {
        // Before anything is counted.
        crate::server::metrics::metrics_handle();
        let cache = PageCache::new(
            config.page_cache_mib * 1024 * 1024,
            config.page_cache,
            config.timezone,
        );
        let live = crate::server::live::Hub::new(
            pool.clone(),
            config.timezone,
            crate::server::live::Limits {
                per_client: config.live_streams_per_client as usize,
                total: config.live_streams as usize,
                retry: std::time::Duration::from_secs(config.live_retry),
            },
        );
        let mailer = crate::server::newsletter::mailer_of(&config);
        AppState(Arc::new(State {
            mailer,
            leptos_options,
            pool,
            config: Arc::new(config),
            media,
            cache,
            blocks: Arc::default(),
            clock: Clock::system(),
            live,
            views: crate::server::views::Views::new(),
        }))
    }
}

impl AppState {
    /// The reader's service.
    pub fn reader(&self) -> Reader {
        Reader::new(
            self.pool.clone(),
            self.config.clone(),
            self.cache.clone(),
            self.blocks.clone(),
        )
    }

    /// The newsroom's service.
    pub fn newsroom(&self) -> Newsroom {
        Newsroom::new(self.pool.clone(), self.config.timezone, self.clock.clone())
            .with_image_hosts(self.config.image_hosts.clone())
            .with_store(self.media.clone())
            .with_live(self.live.clone())
    }

    /// The newsletter's service.
    pub fn newsletter(&self) -> crate::server::newsletter::Newsletter {
        crate::server::newsletter::Newsletter::new(
            self.pool.clone(),
            self.mailer.clone(),
            self.config.timezone,
            &self.config.public_url,
            &self.config.site_name,
            self.clock.clone(),
        )
    }

    /// The account rules.
    pub fn accounts(&self) -> Accounts {
        Accounts::new(self.pool.clone(), self.config.timezone, self.clock.clone())
    }
}

impl std::ops::Deref for AppState {
    type Target = State;

    fn deref(&self) -> &State {
        &self.0
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
