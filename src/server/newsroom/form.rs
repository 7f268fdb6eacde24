//! The article form both ways: from the stored row (to open it in the editor) and to the
//! columns to store, with the checks only the server can make (the section exists, the
//! address is free, READ ALSO points at published articles, the image is still there).

use super::{status_of, Newsroom};
use crate::error::AppError;
use crate::model::newsroom::{ArticleForm, MediaRef, Pick, Status};
use crate::model::policy::{may, Action, Actor};
use crate::model::validate::{self, check_form, check_ready, Field, FieldError};
use crate::server::db::{articles as articles_db, articles::ArticleInput, labels, newsroom as db};
use crate::server::media::{media_ref, StoredVariant};
use crate::server::{newsroom::markdown, newsroom::slug};

pub(super) fn stored_media_ref(row: &db::MediaRow) -> Option<MediaRef> {
    let variants: Vec<StoredVariant> = serde_json::from_str(&row.variants).ok()?;
    media_ref(row.id, &variants)
}

/// What a checked form becomes: the columns to store, or what stops it.
pub enum Prepared {
    Ready(Box<ArticleInput>),
    Invalid(Vec<FieldError>),
}

impl Newsroom {
    /// The form as stored in the article row.
    pub(super) async fn form_of(&self, row: &db::EditorRow) -> Result<ArticleForm, AppError> {
        let picks = db::read_also_picks(&self.pool, row.id).await?;
        let mut conn = self.pool.acquire().await?;
        let tags = labels::of_article(labels::TAGS, conn.conn(), row.id).await?;
        let authors = labels::of_article(labels::AUTHORS, conn.conn(), row.id).await?;
        drop(conn);
        let image = match row.image_id {
            Some(id) => db::media(&self.pool, id)
                .await?
                .as_ref()
                .and_then(stored_media_ref),
            None => None,
        };
        Ok(ArticleForm {
            title: row.title.clone(),
            // A placeholder slug (new draft) shows as empty: the title will decide it.
            slug: if row.slug.starts_with("draft-") && row.title.is_empty() {
                String::new()
            } else {
                row.slug.clone()
            },
            category: row.cat_slug.clone(),
            excerpt: row.excerpt.clone(),
            body_md: row.body_md.clone(),
            author_name: row.author_name.clone(),
            authors: authors.into_iter().map(|a| a.name).collect(),
            image,
            image_alt: row.lead.image_alt.clone(),
            image_caption: row.lead.image_caption.clone(),
            image_credit: row.lead.image_credit.clone(),
            read_also: picks
                .into_iter()
                .map(|(slug, title)| Pick { slug, title })
                .collect(),
            tags: tags.into_iter().map(|t| t.name).collect(),
            editors_pick: row.editors_pick,
            pick_order: row.pick_order,
            parent: self.parent_slug(row).await?,
            is_page: row.is_page(),
        })
    }

    /// The form's body rendered and sanitised, or what is wrong with it (said beside the
    /// body, like anything else wrong with it).
    pub(super) async fn render_body(
        &self,
        form: &ArticleForm,
    ) -> Result<Result<markdown::Rendered, Prepared>, AppError> {
        match markdown::render_checked(form.body_md.clone(), (*self.image_hosts).clone()).await {
            Ok(rendered) => Ok(Ok(rendered)),
            Err(AppError::BadRequest(message)) => {
                Ok(Err(Prepared::Invalid(vec![FieldError::new(
                    Field::Body,
                    message,
                )])))
            }
            Err(other) => Err(other),
        }
    }

    /// The address an article gets: an empty slug keeps a saved article's address, or is made
    /// from the title (moving aside from taken ones); a chosen one must be free.
    pub(super) async fn slug_for(
        &self,
        row: &db::EditorRow,
        form: &ArticleForm,
        errors: &mut Vec<FieldError>,
    ) -> Result<String, AppError> {
        let chosen = form.slug.trim();
        if chosen.is_empty() && !row.title.is_empty() {
            return Ok(row.slug.clone());
        }
        if chosen.is_empty() {
            let base = slug::slugify(form.title.trim());
            let mut candidate = base.clone();
            let mut n = 2;
            while db::slug_taken(&self.pool, &candidate, row.id).await? {
                candidate = format!("{base}-{n}");
                n += 1;
            }
            return Ok(candidate);
        }
        if validate::slug_is_valid(chosen) && db::slug_taken(&self.pool, chosen, row.id).await? {
            errors.push(FieldError::new(
                Field::Slug,
                "Another article already uses this address.",
            ));
        }
        Ok(chosen.to_string())
    }

    /// Turns a form into the columns to store, or the field errors that stop it.
    pub(super) async fn prepare(
        &self,
        row: &db::EditorRow,
        actor: &Actor,
        form: &ArticleForm,
    ) -> Result<Prepared, AppError> {
        if row.is_page() {
            return self.prepare_page(row, form).await;
        }
        let status = status_of(row);
        let mut errors = if status.is_live() || status == Status::Review {
            check_ready(form)
        } else {
            check_form(form)
        };
        let category = articles_db::category_by_slug(&self.pool, form.category.trim()).await?;
        if category.is_none() && !errors.iter().any(|e| e.field == Field::Category) {
            errors.push(FieldError::new(
                Field::Category,
                "Choose one of the sections.",
            ));
        }
        let slug = self.slug_for(row, form, &mut errors).await?;
        // Published articles keep their address: links to them are out in the world.
        if status == Status::Published && slug != row.slug {
            errors.push(FieldError::new(
                Field::Slug,
                "A published article keeps its address. Unpublish it first to change it.",
            ));
        }
        let wanted: Vec<String> = form.read_also.iter().map(|p| p.slug.clone()).collect();
        let found = db::published_ids(&self.pool, &wanted).await?;
        if found.len() != wanted.len().min(2) || found.iter().any(|(_, id, _)| *id == row.id) {
            errors.push(FieldError::new(
                Field::ReadAlso,
                "READ ALSO can only link to other published articles.",
            ));
        }
        let media = match &form.image {
            Some(img) => match db::media(&self.pool, img.id).await? {
                Some(m) => stored_media_ref(&m),
                None => {
                    errors.push(FieldError::new(
                        Field::Image,
                        "That image is no longer available. Upload it again.",
                    ));
                    None
                }
            },
            None => None,
        };
        // The byline's profiles: someone who may not write bylines keeps the article's; a
        // byline typed as text (an older revision, a client without profiles) becomes one.
        let byline = if may(actor, Action::SetByline) {
            let names = if form.authors.is_empty() {
                vec![form.author_name.clone()]
            } else {
                form.authors.clone()
            };
            slug::tag_pairs(&names)
        } else {
            let mut conn = self.pool.acquire().await?;
            let kept: Vec<(String, String)> =
                labels::of_article(labels::AUTHORS, conn.conn(), row.id)
                    .await?
                    .into_iter()
                    .map(|a| (a.slug, a.name))
                    .collect();
            if kept.is_empty() {
                slug::tag_pairs(std::slice::from_ref(&row.author_name))
            } else {
                kept
            }
        };
        if byline.is_empty() && !errors.iter().any(|e| e.field == Field::AuthorName) {
            errors.push(FieldError::new(
                Field::AuthorName,
                "Name the author as readers should see it (with a letter in the name).",
            ));
        }
        let Some(category) = category.filter(|_| errors.is_empty()) else {
            return Ok(Prepared::Invalid(errors));
        };
        let rendered = match self.render_body(form).await? {
            Ok(rendered) => rendered,
            Err(invalid) => return Ok(invalid),
        };
        // Someone who may not set Editor's Pick keeps what was there.
        let (editors_pick, pick_order) = if may(actor, Action::SetEditorsPick) {
            (form.editors_pick, form.pick_order)
        } else {
            (row.editors_pick, row.pick_order)
        };
        Ok(Prepared::Ready(Box::new(ArticleInput {
            status: row.status.clone(),
            published_at: row.published_at,
            slug,
            title: form.title.trim().to_string(),
            excerpt: form.excerpt.trim().to_string(),
            body_md: form.body_md.clone(),
            body_html: rendered.html,
            body_text: rendered.text,
            reading_minutes: rendered.reading_minutes,
            category_id: category.id,
            author_name: crate::model::byline_text(
                &byline
                    .iter()
                    .map(|(_, name)| name.clone())
                    .collect::<Vec<_>>(),
            ),
            image_id: media.as_ref().map(|m| m.id),
            image_url: media.as_ref().map(|m| m.url.clone()),
            image_srcset: media.as_ref().map(|m| m.srcset.clone()).unwrap_or_default(),
            image_width: media.as_ref().map(|m| m.width),
            image_height: media.as_ref().map(|m| m.height),
            image_alt: form.image_alt.trim().to_string(),
            image_caption: form.image_caption.trim().to_string(),
            image_credit: form.image_credit.trim().to_string(),
            editors_pick,
            pick_order,
            tags: slug::tag_pairs(&form.tags),
            authors: byline,
            page_path: None,
            parent_id: None,
        })))
    }
}
