//! Scheduled articles go live on time: a background round every few seconds, and one at start
//! for whatever came due while the server was down.

use super::revisions::Revision;
use super::Newsroom;
use crate::error::AppError;
use crate::model::newsroom::Status;
use crate::server::db::{self, newsroom as newsroom_db};
use crate::server::page_cache::PageCache;
use std::sync::Arc;
use std::time::Duration;

/// Seconds after which an import's unindexed articles are taken for a run that died.
const ABANDONED_IMPORT_AFTER: i64 = 15 * 60;

impl Newsroom {
    /// Publishes every scheduled article whose time has come, each with its revision and its
    /// audit entry, in one transaction (the writer's lock is held from the start, so the
    /// snapshots read beside it see exactly what is being published). Safe to run on several servers at once: the UPDATE claims each article
    /// exactly once.
    pub async fn publish_due(&self) -> Result<usize, AppError> {
        let now = self.clock.now();
        let mut tx = crate::server::db::begin_write(&self.pool).await?;
        let published = newsroom_db::publish_due(tx.conn(), now).await?;
        for (id, version) in &published {
            // The text did not change: the snapshot is read as it stands.
            if let Some(row) = newsroom_db::article(&self.pool, *id).await? {
                let form = self.form_of(&row).await?;
                Revision::Status
                    .record(&mut tx, *id, *version, Status::Published, None, now, &form)
                    .await?;
                let what = format!("“{}” (#{id})", form.title.trim());
                db::audit::record(
                    tx.conn(),
                    &db::audit::Entry {
                        at: now,
                        actor_id: None,
                        actor: "the scheduler",
                        action: "published (scheduled)",
                        target: &what,
                        client: "",
                    },
                )
                .await?;
            }
        }
        tx.commit().await?;
        Ok(published.len())
    }

    /// Indexes for search the articles an import left unindexed for a quarter of an hour (it
    /// indexes its own at its end: such rows are a run that died).
    async fn index_abandoned_imports(&self) -> Result<u64, AppError> {
        let cutoff = self.clock.now() - ABANDONED_IMPORT_AFTER;
        let n = db::imports::index_pending(&self.pool, cutoff).await?;
        if n > 0 {
            tracing::warn!(
                articles = n,
                "indexed for search the articles of an import that stopped before its end"
            );
        }
        Ok(n)
    }

    /// One scheduler round: publish what is due, and drop cached pages at once if anything
    /// went live (other servers follow through the content version).
    pub async fn run_scheduler_once(&self, cache: &PageCache) -> Result<usize, AppError> {
        let indexed = self.index_abandoned_imports().await?;
        let n = self.publish_due().await?;
        if n > 0 || indexed > 0 {
            cache.observe_version(db::content_version(&self.pool).await? as u64);
        }
        Ok(n)
    }

    /// Runs the scheduler every `every` (the first round at once: catching up after downtime)
    /// until `stop` turns true; a round that has begun is finished first.
    pub fn spawn_scheduler(
        self,
        cache: Arc<PageCache>,
        every: Duration,
        mut stop: tokio::sync::watch::Receiver<bool>,
    ) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = tick.tick() => {}
                    _ = stop.wait_for(|stopped| *stopped) => return,
                }
                match self.run_scheduler_once(&cache).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(articles = n, "published scheduled articles"),
                    Err(e) => tracing::error!(error = %e, "scheduler"),
                }
            }
        })
    }
}
