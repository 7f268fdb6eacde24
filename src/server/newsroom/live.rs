//! Live coverage in the newsroom: switching an article to live coverage and ending it, posting,
//! editing, pinning and deleting its updates. Each change is one transaction that moves the
//! coverage's revision; after it commits, this server's readers hear of it (`live::Hub::poke`)
//! and, on PostgreSQL, every other server's (the trigger's announcement).

use super::{facts, markdown, status_of, Newsroom};
use crate::error::AppError;
use crate::model::live::{
    check_update, EditorCoverage, EditorUpdate, LiveState, UpdateForm, LIVE_PAGE_SIZE,
};
use crate::model::newsroom::Status;
use crate::model::policy::{may, require, Action, Actor};
use crate::model::validate::FieldError;
use crate::server::db::{authors as authors_db, live as db};
use crate::server::live;

/// What a write to the coverage answers: the problems with the form (nothing written), or the
/// coverage as it is now.
pub type LiveAnswer = Result<EditorCoverage, Vec<FieldError>>;

impl Newsroom {
    /// The coverage as the article's newsroom page shows it (newest updates first; `before`:
    /// the updates older than that one).
    pub async fn live_coverage(
        &self,
        actor: &Actor,
        article_id: i64,
        before: Option<i64>,
    ) -> Result<EditorCoverage, AppError> {
        let row = self.row_or_404(article_id).await?;
        let facts = facts(&row);
        require(actor, Action::ViewArticle(facts))?;
        let c = db::coverage(&self.pool, article_id)
            .await?
            .ok_or_else(|| AppError::not_found("There is no article with that number."))?;
        let state = LiveState::from_code(c.live_state);
        let now = self.clock.now();
        let mut rows = Vec::new();
        if before.is_none() {
            rows.extend(db::pinned(&self.pool, article_id).await?);
        }
        let mut page = db::page(&self.pool, article_id, before, LIVE_PAGE_SIZE + 1).await?;
        let more = page.len() > LIVE_PAGE_SIZE;
        page.truncate(LIVE_PAGE_SIZE);
        let older = more.then(|| page.last().map(|r| r.id)).flatten();
        rows.extend(page);
        let own_profile = authors_db::of_user(&self.pool, actor.id)
            .await?
            .map(|p| p.id);
        let authors = db::byline(&self.pool, article_id).await?;
        let updates = rows
            .iter()
            .map(|r| EditorUpdate {
                update: live::to_update(r, now, &self.tz),
                body_md: r.body_md.clone(),
                author_id: r.author_id,
                posted_by: r.posted_by,
                may_edit: may(actor, Action::ChangeUpdate(r.posted_by)),
                may_pin: may(actor, Action::PinUpdate),
            })
            .collect();
        Ok(EditorCoverage {
            article_id,
            state,
            published: status_of(&row) == Status::Published,
            own_author: own_profile.filter(|p| authors.iter().any(|(id, _)| id == p)),
            authors,
            updates,
            older,
            may_switch: !row.is_page() && may(actor, Action::SwitchLive(facts)),
            may_post: state == LiveState::Live && may(actor, Action::PostUpdate(facts)),
        })
    }

    /// Switches the article to live coverage (`live`) or ends it.
    pub async fn set_live(
        &self,
        actor: &Actor,
        article_id: i64,
        live: bool,
    ) -> Result<EditorCoverage, AppError> {
        let row = self.row_or_404(article_id).await?;
        require(actor, Action::SwitchLive(facts(&row)))?;
        if row.is_page() {
            return Err(AppError::bad_request(
                "A page cannot have live coverage: only articles can.",
            ));
        }
        let state = if live {
            LiveState::Live
        } else {
            LiveState::Ended
        };
        let current = db::coverage(&self.pool, article_id)
            .await?
            .map(|c| LiveState::from_code(c.live_state));
        if current == Some(LiveState::Off) && !live {
            return Err(AppError::bad_request(
                "This article has no live coverage to end.",
            ));
        }
        if current != Some(state) {
            let mut tx = crate::server::db::begin_write(&self.pool).await?;
            db::set_state(tx.conn(), article_id, state.code(), self.clock.now()).await?;
            let what = if live { "live.start" } else { "live.end" };
            self.audit(&mut tx, actor, what, &format!("article {article_id}"))
                .await?;
            tx.commit().await?;
            self.announce_live(article_id).await;
        }
        self.live_coverage(actor, article_id, None).await
    }

    /// Posts an update to a live article.
    pub async fn post_update(
        &self,
        actor: &Actor,
        article_id: i64,
        form: UpdateForm,
    ) -> Result<LiveAnswer, AppError> {
        let row = self.row_or_404(article_id).await?;
        require(actor, Action::PostUpdate(facts(&row)))?;
        let c = db::coverage(&self.pool, article_id)
            .await?
            .ok_or_else(|| AppError::not_found("There is no article with that number."))?;
        if LiveState::from_code(c.live_state) != LiveState::Live {
            return Err(AppError::Conflict(
                "This article is not live: switch it to live coverage first.".into(),
            ));
        }
        let Some((body_md, body_html, key_title)) = self.prepare_update(article_id, &form).await?
        else {
            return Ok(Err(check_update(&form)));
        };
        let mut tx = crate::server::db::begin_write(&self.pool).await?;
        let id = db::insert(
            tx.conn(),
            &db::NewUpdate {
                article_id,
                author_id: form.author_id,
                posted_by: actor.id,
                body_md: &body_md,
                body_html: &body_html,
                key_title: &key_title,
                now: self.clock.now(),
            },
        )
        .await?;
        self.audit(
            &mut tx,
            actor,
            "live.post",
            &format!("update {id} of article {article_id}"),
        )
        .await?;
        tx.commit().await?;
        self.announce_live(article_id).await;
        Ok(Ok(self.live_coverage(actor, article_id, None).await?))
    }

    /// Changes an update's text, profile or key event title.
    pub async fn edit_update(
        &self,
        actor: &Actor,
        update_id: i64,
        form: UpdateForm,
    ) -> Result<LiveAnswer, AppError> {
        let update = self.update_or_404(update_id).await?;
        require(actor, Action::ChangeUpdate(update.posted_by))?;
        let Some((body_md, body_html, key_title)) =
            self.prepare_update(update.article_id, &form).await?
        else {
            return Ok(Err(check_update(&form)));
        };
        let mut tx = crate::server::db::begin_write(&self.pool).await?;
        db::edit(
            tx.conn(),
            update_id,
            update.article_id,
            &db::UpdateText {
                author_id: form.author_id,
                body_md: &body_md,
                body_html: &body_html,
                key_title: &key_title,
            },
            self.clock.now(),
        )
        .await?;
        self.audit(&mut tx, actor, "live.edit", &format!("update {update_id}"))
            .await?;
        tx.commit().await?;
        self.announce_live(update.article_id).await;
        Ok(Ok(self
            .live_coverage(actor, update.article_id, None)
            .await?))
    }

    /// Deletes an update (readers' pages drop it).
    pub async fn delete_update(
        &self,
        actor: &Actor,
        update_id: i64,
    ) -> Result<EditorCoverage, AppError> {
        let update = self.update_or_404(update_id).await?;
        require(actor, Action::ChangeUpdate(update.posted_by))?;
        let mut tx = crate::server::db::begin_write(&self.pool).await?;
        db::delete(tx.conn(), update_id, update.article_id).await?;
        self.audit(
            &mut tx,
            actor,
            "live.delete",
            &format!("update {update_id}"),
        )
        .await?;
        tx.commit().await?;
        self.announce_live(update.article_id).await;
        self.live_coverage(actor, update.article_id, None).await
    }

    /// Pins an update above the stream (the one pinned before goes back into it), or unpins it.
    pub async fn pin_update(
        &self,
        actor: &Actor,
        update_id: i64,
        pin: bool,
    ) -> Result<EditorCoverage, AppError> {
        let update = self.update_or_404(update_id).await?;
        require(actor, Action::PinUpdate)?;
        if update.pinned != pin {
            let mut tx = crate::server::db::begin_write(&self.pool).await?;
            db::pin(tx.conn(), update_id, update.article_id, pin).await?;
            let what = if pin { "live.pin" } else { "live.unpin" };
            self.audit(&mut tx, actor, what, &format!("update {update_id}"))
                .await?;
            tx.commit().await?;
            self.announce_live(update.article_id).await;
        }
        self.live_coverage(actor, update.article_id, None).await
    }

    async fn update_or_404(&self, id: i64) -> Result<db::UpdateRow, AppError> {
        db::update(&self.pool, id)
            .await?
            .filter(|u| !u.deleted)
            .ok_or_else(|| {
                AppError::not_found("There is no such update (it may have been deleted).")
            })
    }

    /// The form's Markdown rendered and its profile checked against the byline: (source,
    /// HTML, key event title), or `None` when the form has problems.
    async fn prepare_update(
        &self,
        article_id: i64,
        form: &UpdateForm,
    ) -> Result<Option<(String, String, String)>, AppError> {
        if !check_update(form).is_empty() {
            return Ok(None);
        }
        if let Some(author) = form.author_id {
            let byline = db::byline(&self.pool, article_id).await?;
            if !byline.iter().any(|(id, _)| *id == author) {
                return Err(AppError::bad_request(
                    "Post updates under one of the article's authors.",
                ));
            }
        }
        let body = form.body.trim().to_string();
        let html = markdown::render_checked(body.clone(), (*self.image_hosts).clone())
            .await?
            .html;
        let key = form
            .key_title
            .as_deref()
            .map(str::trim)
            .unwrap_or_default()
            .to_string();
        Ok(Some((body, html, key)))
    }

    /// Tells this server's readers of the article (others hear it from the database).
    async fn announce_live(&self, article_id: i64) {
        if let Some(hub) = &self.live {
            hub.poke(article_id).await;
        }
    }
}
