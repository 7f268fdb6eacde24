//! Redirects in the newsroom (admins): the list with a search, adding one, removing one. The
//! rules for what an address and a target may be are `server::redirects::checked`, the same
//! as `portal redirect add`'s.

use super::Newsroom;
use crate::error::AppError;
use crate::model::newsroom::RedirectLine;
use crate::model::policy::{require, Action, Actor};
use crate::model::validate::{Field, FieldError};
use crate::model::Paged;
use crate::server::db::imports as db;

/// Redirects per page of the newsroom's list.
pub const REDIRECTS_PAGE_SIZE: u32 = 50;

impl Newsroom {
    pub async fn redirects(
        &self,
        actor: &Actor,
        q: &str,
        page: u32,
    ) -> Result<Paged<RedirectLine>, AppError> {
        require(actor, Action::ManageRedirects)?;
        let page = page.max(1);
        let offset = (page as u64 - 1) * REDIRECTS_PAGE_SIZE as u64;
        let (rows, total) = db::redirects_page(&self.pool, q, REDIRECTS_PAGE_SIZE, offset).await?;
        Ok(Paged {
            items: rows
                .into_iter()
                .map(|(from, to, source)| RedirectLine { from, to, source })
                .collect(),
            page,
            total_pages: total.div_ceil(REDIRECTS_PAGE_SIZE as u64).max(1) as u32,
            total_items: total,
        })
    }

    /// Adds a redirect; field errors for an address or target that will not do, or an
    /// address that has one already.
    pub async fn add_redirect(
        &self,
        actor: &Actor,
        from: &str,
        to: &str,
    ) -> Result<Vec<FieldError>, AppError> {
        require(actor, Action::ManageRedirects)?;
        let (key, target) = match crate::server::redirects::checked(from, to) {
            Ok(pair) => pair,
            Err(why) => return Ok(vec![FieldError::new(Field::Redirect, why)]),
        };
        let now = self.clock.now();
        let mut tx = crate::server::db::begin_write(&self.pool).await?;
        if !db::add_redirect(tx.conn(), &key, &target, "manual", now).await? {
            return Ok(vec![FieldError::new(
                Field::Redirect,
                format!("{key} has a redirect already: remove it first."),
            )]);
        }
        self.audit(
            &mut tx,
            actor,
            "added a redirect",
            &format!("{key} → {target}"),
        )
        .await?;
        tx.commit().await?;
        Ok(vec![])
    }

    /// Removes the redirect of `from`; whether there was one.
    pub async fn remove_redirect(&self, actor: &Actor, from: &str) -> Result<bool, AppError> {
        require(actor, Action::ManageRedirects)?;
        let key = crate::server::redirects::key(from).unwrap_or_else(|| from.to_string());
        let mut tx = crate::server::db::begin_write(&self.pool).await?;
        let removed = db::remove_redirect_in(tx.conn(), &key).await?;
        if removed {
            self.audit(&mut tx, actor, "removed a redirect", &key)
                .await?;
        }
        tx.commit().await?;
        Ok(removed)
    }
}
