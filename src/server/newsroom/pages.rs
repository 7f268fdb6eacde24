//! Pages (About us, Imprint, Privacy, Our team…): written in the article editor, with a parent
//! instead of a section, byline, tags and picks. Their address is their parents' slugs and
//! their own (`/about-us/our-team`), and a page at the top never takes one of the portal's
//! own first segments (`routes::RESERVED_SEGMENTS`).

use super::articles::write_new;
use super::form::Prepared;
use super::revisions::Revision;
use super::{status_of, Newsroom};
use crate::error::AppError;
use crate::model::newsroom::{AdminRow, ArticleForm, PageFacts, Status};
use crate::model::policy::{require, Action, Actor};
use crate::model::validate::{check_form, check_ready, Field, FieldError};
use crate::server::dates;
use crate::server::db::{
    articles as articles_db, articles::ArticleInput, articles::NewRow, newsroom as db, pages,
};

/// A page's public address from its stored path.
pub fn page_href(path: &str) -> String {
    format!("/{path}")
}

impl Newsroom {
    /// Every page in the order of their addresses (the trash only when asked for).
    pub async fn pages(&self, actor: &Actor, trash: bool) -> Result<Vec<AdminRow>, AppError> {
        require(actor, Action::CreatePage)?;
        Ok(pages::list(&self.pool, trash)
            .await?
            .into_iter()
            .map(|p| {
                let status = Status::parse(&p.status).unwrap_or(Status::Draft);
                let href = page_href(&p.page_path);
                AdminRow {
                    id: p.id,
                    title: if p.title.is_empty() {
                        "(untitled draft)".into()
                    } else {
                        p.title
                    },
                    status,
                    category: String::new(),
                    author: String::new(),
                    updated: format!(
                        "{}, {}",
                        dates::label(p.updated_at, &self.tz).text,
                        dates::clock_time(p.updated_at, &self.tz)
                    ),
                    public_url: (status == Status::Published).then(|| href.clone()),
                    path: Some(if p.slug.starts_with("draft-") {
                        "(not yet named)".into()
                    } else {
                        href
                    }),
                    views: None,
                }
            })
            .collect())
    }

    /// Opens a new, empty page.
    pub async fn create_page(&self, actor: &Actor) -> Result<i64, AppError> {
        require(actor, Action::CreatePage)?;
        let now = self.clock.now();
        // A page has no section; the column wants one, and no reader sees it.
        let first = articles_db::categories(&self.pool)
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| AppError::internal("new page", "the database has no sections"))?;
        let placeholder = format!("draft-{}", fastrand::u64(..));
        let form = ArticleForm {
            category: first.slug.clone(),
            is_page: true,
            ..Default::default()
        };
        let draft = ArticleInput {
            slug: placeholder.clone(),
            category_id: first.id,
            status: Status::Draft.as_str().into(),
            reading_minutes: 1,
            page_path: Some(placeholder),
            ..Default::default()
        };
        let row = NewRow {
            author_id: Some(actor.id),
            ..NewRow::at(now)
        };
        let mut tx = crate::server::db::begin_write(&self.pool).await?;
        let id = write_new(&mut tx, &draft, row, Revision::Create, &form).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Where a page lives and the pages it may be put under (not itself, nor one under it).
    pub(super) async fn page_facts(
        &self,
        row: &db::EditorRow,
    ) -> Result<Option<PageFacts>, AppError> {
        let Some(path) = &row.page_path else {
            return Ok(None);
        };
        let below = format!("{path}/");
        let parents = pages::list(&self.pool, false)
            .await?
            .into_iter()
            .filter(|p| p.id != row.id && !p.page_path.starts_with(&below))
            .filter(|p| !p.slug.starts_with("draft-"))
            .map(|p| (p.slug, p.title, page_href(&p.page_path)))
            .collect();
        Ok(Some(PageFacts {
            path: page_href(path),
            parents,
        }))
    }

    /// The parent page's slug as the form shows it.
    pub(super) async fn parent_slug(&self, row: &db::EditorRow) -> Result<String, AppError> {
        Ok(match row.parent_id {
            Some(id) => {
                let mut conn = self.pool.acquire().await?;
                pages::by_id(conn.conn(), id)
                    .await?
                    .map(|(slug, _)| slug)
                    .unwrap_or_default()
            }
            None => String::new(),
        })
    }

    /// `prepare` for a page: no section, byline, tags, picks or lead image; a parent instead,
    /// and an address that is free and not one of the portal's own.
    pub(super) async fn prepare_page(
        &self,
        row: &db::EditorRow,
        form: &ArticleForm,
    ) -> Result<Prepared, AppError> {
        let status = status_of(row);
        // (Checked as a page whatever the form says it is.)
        let form = &ArticleForm {
            is_page: true,
            ..form.clone()
        };
        let mut errors = if status.is_live() || status == Status::Review {
            check_ready(form)
        } else {
            check_form(form)
        };
        let slug = self.slug_for(row, form, &mut errors).await?;
        let stored_path = row.page_path.clone().unwrap_or_default();
        let own_path = stored_path.as_str();
        let parent = match form.parent.trim() {
            "" => None,
            wanted => {
                let mut conn = self.pool.acquire().await?;
                match pages::by_slug(conn.conn(), wanted).await? {
                    Some((id, path))
                        if id == row.id
                            || path == own_path
                            || path.starts_with(&format!("{own_path}/")) =>
                    {
                        errors.push(FieldError::new(
                            Field::Parent,
                            "A page cannot go under itself or under a page below it.",
                        ));
                        None
                    }
                    Some(found) => Some(found),
                    None => {
                        errors.push(FieldError::new(Field::Parent, "Choose one of the pages."));
                        None
                    }
                }
            }
        };
        if parent.is_none()
            && form.parent.trim().is_empty()
            && !crate::routes::is_free_for_a_page(&slug)
        {
            errors.push(FieldError::new(
                Field::Slug,
                format!(
                    "“/{slug}” is one of the portal's own addresses: choose another one, or put \
                     the page under another page."
                ),
            ));
        }
        let parent_id = parent.as_ref().map(|(id, _)| *id);
        if status == Status::Published && (slug != row.slug || parent_id != row.parent_id) {
            errors.push(FieldError::new(
                if slug != row.slug {
                    Field::Slug
                } else {
                    Field::Parent
                },
                "A published page keeps its address. Unpublish it first to move it.",
            ));
        }
        if !errors.is_empty() {
            return Ok(Prepared::Invalid(errors));
        }
        let rendered = match self.render_body(form).await? {
            Ok(rendered) => rendered,
            Err(invalid) => return Ok(invalid),
        };
        let page_path = match &parent {
            Some((_, path)) => format!("{path}/{slug}"),
            None => slug.clone(),
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
            category_id: row.category_id,
            page_path: Some(page_path),
            parent_id,
            ..Default::default()
        })))
    }

    /// After a page was saved: the pages under it follow its address, and the footer's links
    /// to any page that moved follow it too (in the save's transaction).
    pub(super) async fn pages_moved(
        &self,
        tx: &mut crate::server::db::WriteTx,
        own: (String, String),
    ) -> Result<(), AppError> {
        let mut moved = pages::rebuild_paths(tx.conn()).await?;
        moved.push(own);
        let links: Vec<(String, String)> = moved
            .iter()
            .filter(|(old, new)| old != new)
            .map(|(old, new)| (page_href(old), page_href(new)))
            .collect();
        crate::server::db::navigation::relink(tx.conn(), &links).await?;
        Ok(())
    }
}
