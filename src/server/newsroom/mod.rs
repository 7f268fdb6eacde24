//! The newsroom: what editors do to articles, with every rule enforced here, on the server.
//! `api::newsroom` only finds out who is asking and calls a method of [`Newsroom`].
//!
//! - who may do what: `model::policy::may`, asked before every action (403 otherwise);
//! - writing: `articles` (open, create, save, change status, notes, the dashboard);
//! - the article form both ways, stored row to form and form to columns (with the checks only
//!   the server can make): `form`;
//! - revisions, restoring one, and the conflict answer: `revisions`;
//! - publishing scheduled articles on time: `scheduler`;
//! - tags and authors as labels (suggestions, lists, renaming and merging tags): `labels`;
//!   authors' profiles: `authors`; redirects (admins): `redirects`; the masthead and the
//!   footer (admins): `navigation`; the media library: `library`; pages (About us, Imprint…,
//!   written in the article editor): `pages`; live coverage and its updates: `live`;
//! - Markdown to sanitised HTML at save time: `markdown`; addresses from titles: `slug`.

mod articles;
mod authors;
mod form;
mod labels;
mod library;
mod live;
pub mod markdown;
mod navigation;
mod pages;
mod redirects;
mod revisions;
mod scheduler;
pub mod slug;

pub use articles::{write_imported, DashboardFilter, DASHBOARD_PAGE_SIZE};
pub use labels::LABELS_PAGE_SIZE;
pub use library::LIBRARY_PAGE_SIZE;
pub use pages::page_href;
pub use redirects::REDIRECTS_PAGE_SIZE;
pub use revisions::{diff_lines, HISTORY_PAGE, KEEP_AUTOSAVES, KEEP_REVISIONS};

use super::dates::Clock;
use super::db::{newsroom as db, Pool};
use crate::error::AppError;
use crate::model::newsroom::Status;
use crate::model::policy::ArticleFacts;
use crate::server::newsroom::markdown::ImageHosts;
use chrono_tz::Tz;

/// The newsroom's rules, with what they need at hand: the database, the site's timezone (for
/// every date an editor reads or types) and the clock.
#[derive(Clone)]
pub struct Newsroom {
    pool: Pool,
    tz: Tz,
    clock: Clock,
    /// Hosts article bodies may show images from, besides the portal's own media.
    image_hosts: std::sync::Arc<ImageHosts>,
    /// Where media files are (for deleting an image's files); none in tests that need none.
    store: Option<std::sync::Arc<dyn crate::server::media::MediaStore>>,
    /// This server's readers of live coverage, told of each change; none in tests without.
    live: Option<std::sync::Arc<crate::server::live::Hub>>,
}

impl Newsroom {
    pub fn new(pool: Pool, tz: Tz, clock: Clock) -> Self {
        Newsroom {
            pool,
            tz,
            clock,
            image_hosts: Default::default(),
            store: None,
            live: None,
        }
    }

    /// Changes to live coverage are sent to `hub`'s readers as they commit.
    pub fn with_live(mut self, hub: std::sync::Arc<crate::server::live::Hub>) -> Self {
        self.live = Some(hub);
        self
    }

    /// Deleting an image deletes its files from `store`.
    pub fn with_store(
        mut self,
        store: std::sync::Arc<dyn crate::server::media::MediaStore>,
    ) -> Self {
        self.store = Some(store);
        self
    }

    /// Bodies may show images from these hosts besides the portal's own media.
    pub fn with_image_hosts(mut self, hosts: ImageHosts) -> Self {
        self.image_hosts = std::sync::Arc::new(hosts);
        self
    }

    /// Writes `actor`'s `action` on `target` into the audit log, in the caller's transaction.
    async fn audit(
        &self,
        tx: &mut crate::server::db::WriteTx,
        actor: &crate::model::policy::Actor,
        action: &str,
        target: &str,
    ) -> Result<(), AppError> {
        crate::server::db::audit::record(
            tx.conn(),
            &crate::server::db::audit::Entry {
                at: self.clock.now(),
                actor_id: Some(actor.id),
                actor: &actor.name,
                action,
                target,
                client: "",
            },
        )
        .await?;
        Ok(())
    }

    async fn row_or_404(&self, id: i64) -> Result<db::EditorRow, AppError> {
        db::article(&self.pool, id)
            .await?
            .ok_or_else(|| AppError::not_found("There is no article with that number."))
    }
}

fn status_of(row: &db::EditorRow) -> Status {
    Status::parse(&row.status).unwrap_or(Status::Draft)
}

fn facts(row: &db::EditorRow) -> ArticleFacts {
    ArticleFacts {
        author_id: row.author_id,
        status: status_of(row),
        is_page: row.is_page(),
    }
}
