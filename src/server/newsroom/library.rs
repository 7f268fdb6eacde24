//! The media library: every image, found by its texts, file name, uploader or month; its alt
//! text, caption and credit edited in one place; which articles use it; deleting one nobody
//! uses (one in use is refused with the list).

use super::Newsroom;
use crate::error::AppError;
use crate::model::newsroom::{LibraryItem, MediaTexts, MediaUse, Status};
use crate::model::policy::{may, require, Action, Actor};
use crate::model::validate::{Field, FieldError, ALT_MAX, CAPTION_MAX, CREDIT_MAX};
use crate::model::Paged;
use crate::server::db::media as db;
use crate::server::media::{media_ref, StoredVariant};

/// Images per page of the library.
pub const LIBRARY_PAGE_SIZE: u32 = 24;

impl Newsroom {
    /// A page of the library, newest first: matching `q` (texts, file name, uploader) and, when
    /// given, uploaded in `month` ("2026-12").
    pub async fn library(
        &self,
        actor: &Actor,
        q: &str,
        month: &str,
        page: u32,
    ) -> Result<Paged<LibraryItem>, AppError> {
        require(actor, Action::UseNewsroom)?;
        let range = match month.trim() {
            "" => (i64::MIN, i64::MAX),
            m => crate::server::dates::month_range(m, &self.tz)
                .ok_or_else(|| AppError::bad_request("Give the month as YYYY-MM (2026-12)."))?,
        };
        let page = page.max(1);
        let offset = (page as u64 - 1) * LIBRARY_PAGE_SIZE as u64;
        let (rows, total) = db::page(&self.pool, q, range, LIBRARY_PAGE_SIZE, offset).await?;
        Ok(Paged {
            items: rows
                .into_iter()
                .filter_map(|r| self.item(actor, r))
                .collect(),
            page,
            total_pages: total.div_ceil(LIBRARY_PAGE_SIZE as u64).max(1) as u32,
            total_items: total,
        })
    }

    fn item(&self, actor: &Actor, r: db::LibraryRow) -> Option<LibraryItem> {
        let variants: Vec<StoredVariant> = serde_json::from_str(&r.variants).ok()?;
        Some(LibraryItem {
            media: media_ref(r.id, &variants)?,
            name: r.name,
            alt: r.alt,
            caption: r.caption,
            credit: r.credit,
            uploader: r.uploader,
            date: crate::server::dates::label(r.created_at, &self.tz).text,
            editable: may(actor, Action::EditMedia(r.uploaded_by)),
        })
    }

    async fn media_or_404(&self, id: i64) -> Result<db::LibraryRow, AppError> {
        db::by_id(self.pool.acquire().await?.conn(), id)
            .await?
            .ok_or_else(|| AppError::not_found("That image is not in the library any more."))
    }

    /// The articles using an image, as lead image or in their text.
    pub async fn media_uses(&self, actor: &Actor, id: i64) -> Result<Vec<MediaUse>, AppError> {
        require(actor, Action::UseNewsroom)?;
        let row = self.media_or_404(id).await?;
        self.uses_of(&row).await
    }

    async fn uses_of(&self, row: &db::LibraryRow) -> Result<Vec<MediaUse>, AppError> {
        let variants: Vec<StoredVariant> = serde_json::from_str(&row.variants).unwrap_or_default();
        let urls: Vec<String> = variants.into_iter().map(|v| v.url).collect();
        Ok(db::uses(self.pool.acquire().await?.conn(), row.id, &urls)
            .await?
            .into_iter()
            .map(|(id, title, status)| MediaUse {
                id,
                title: if title.is_empty() {
                    "(untitled draft)".into()
                } else {
                    title
                },
                status: Status::parse(&status).unwrap_or(Status::Draft),
            })
            .collect())
    }

    /// Saves an image's alt text, caption and credit.
    pub async fn save_media_texts(
        &self,
        actor: &Actor,
        id: i64,
        texts: &MediaTexts,
    ) -> Result<Vec<FieldError>, AppError> {
        let row = self.media_or_404(id).await?;
        require(actor, Action::EditMedia(row.uploaded_by))?;
        let mut errors = Vec::new();
        for (label, value, max) in [
            ("alt text", &texts.alt, ALT_MAX),
            ("caption", &texts.caption, CAPTION_MAX),
            ("credit", &texts.credit, CREDIT_MAX),
        ] {
            if value.trim().chars().count() > max {
                errors.push(FieldError::new(
                    Field::Image,
                    format!("Keep the {label} under {max} characters."),
                ));
            }
        }
        if !errors.is_empty() {
            return Ok(errors);
        }
        let mut tx = crate::server::db::begin_write(&self.pool).await?;
        db::set_texts(
            tx.conn(),
            id,
            texts.alt.trim(),
            texts.caption.trim(),
            texts.credit.trim(),
        )
        .await?;
        tx.commit().await?;
        Ok(vec![])
    }

    /// Deletes an image nobody uses, and its files. One in use is not deleted: the answer is
    /// the list of articles using it.
    pub async fn delete_media(&self, actor: &Actor, id: i64) -> Result<Vec<MediaUse>, AppError> {
        let row = self.media_or_404(id).await?;
        require(actor, Action::EditMedia(row.uploaded_by))?;
        let mut tx = crate::server::db::begin_write(&self.pool).await?;
        // Checked inside the write: a save that starts using it now waits for this.
        let uses = self.uses_of(&row).await?;
        if !uses.is_empty() {
            return Ok(uses);
        }
        db::delete(tx.conn(), id).await?;
        self.audit(
            &mut tx,
            actor,
            "deleted an image",
            &format!("#{id} {}", row.name),
        )
        .await?;
        tx.commit().await?;
        // The row is gone: the files follow (a file left behind is only disk space).
        if let Some(store) = &self.store {
            let variants: Vec<StoredVariant> =
                serde_json::from_str(&row.variants).unwrap_or_default();
            for v in variants {
                if let Some(key) = crate::server::media::key_of(&v.url) {
                    if let Err(e) = store.delete(key).await {
                        tracing::warn!(error = %e, key, "deleting an image's file failed; it stays");
                    }
                }
            }
        }
        Ok(vec![])
    }
}
