//! Working on articles: the dashboard, opening one, creating, saving, moving it along the
//! workflow, correction notes, the preview and the READ ALSO picker.

use super::form::Prepared;
use super::revisions::Revision;
use super::{facts, status_of, Newsroom};
use crate::error::AppError;
use crate::model::newsroom::*;
use crate::model::policy::{require, Action, Actor};
use crate::model::validate::{check_note, check_ready, Field, FieldError};
use crate::model::{article_href, Paged};
use crate::server::db::articles::{ArticleInput, NewRow};
use crate::server::db::{
    articles as articles_db, authors as authors_db, newsroom as db, search as search_db,
};
use crate::server::{dates, db::query as search, newsroom::markdown};

/// A scheduled time must be at least this far ahead.
const SCHEDULE_LEAD: i64 = 60;
/// Lines of the dashboard per page.
pub const DASHBOARD_PAGE_SIZE: u32 = 20;

/// The dashboard's filters, as the address gives them.
#[derive(Debug, Clone, Default)]
pub struct DashboardFilter {
    pub status: Option<String>,
    pub category: Option<String>,
    pub title: Option<String>,
    pub page: u32,
    pub sort: Option<String>,
}

impl Newsroom {
    /// The dashboard: most recently updated first; authors see their own articles only.
    pub async fn dashboard(
        &self,
        actor: &Actor,
        filter: DashboardFilter,
    ) -> Result<Paged<AdminRow>, AppError> {
        require(actor, Action::UseNewsroom)?;
        let status = filter.status.filter(|s| !s.is_empty());
        if status
            .as_deref()
            .is_some_and(|s| Status::parse(s).is_none())
        {
            return Err(AppError::bad_request("Unknown status."));
        }
        let category_id = match filter.category.as_deref().filter(|c| !c.is_empty()) {
            Some(slug) => match articles_db::category_by_slug(&self.pool, slug).await? {
                Some(c) => Some(c.id),
                None => return Err(AppError::bad_request("Unknown section.")),
            },
            None => None,
        };
        let sort = DashboardSort::parse(filter.sort.as_deref().map(str::trim).unwrap_or_default())
            .ok_or_else(|| AppError::bad_request("Unknown order of the list."))?;
        let now_hour = self.clock.now().div_euclid(3600);
        let query = db::AdminFilter {
            status,
            category_id,
            title: filter.title,
            author_id: (!crate::model::policy::may(actor, Action::ListEveryArticle))
                .then_some(actor.id),
            views_since: sort
                .hours()
                .map(|span| span.map_or(i64::MIN, |h| now_hour - h + 1)),
        };
        let page = filter.page.max(1);
        let offset = (page as u64 - 1) * DASHBOARD_PAGE_SIZE as u64;
        let (rows, total) = db::list(&self.pool, &query, DASHBOARD_PAGE_SIZE, offset).await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let figures: std::collections::HashMap<i64, ViewFigures> =
            crate::server::db::views::figures(&self.pool, &ids, now_hour)
                .await?
                .into_iter()
                .map(|(id, day, week, total)| (id, ViewFigures { day, week, total }))
                .collect();
        Ok(Paged {
            items: rows
                .into_iter()
                .map(|r| {
                    let status = Status::parse(&r.status).unwrap_or(Status::Draft);
                    AdminRow {
                        id: r.id,
                        title: if r.title.is_empty() {
                            "(untitled draft)".into()
                        } else {
                            r.title
                        },
                        status,
                        category: r.cat_name,
                        author: r.author_name,
                        updated: format!(
                            "{}, {}",
                            dates::label(r.updated_at, &self.tz).text,
                            dates::clock_time(r.updated_at, &self.tz)
                        ),
                        public_url: (status == Status::Published).then(|| article_href(&r.slug)),
                        path: None,
                        views: Some(figures.get(&r.id).copied().unwrap_or_default()),
                    }
                })
                .collect(),
            page,
            total_pages: (total.div_ceil(DASHBOARD_PAGE_SIZE as u64)).max(1) as u32,
            total_items: total,
        })
    }

    /// An article as the editor opens it.
    pub async fn load(&self, actor: &Actor, id: i64) -> Result<EditorArticle, AppError> {
        let row = self.row_or_404(id).await?;
        require(actor, Action::ViewArticle(facts(&row)))?;
        let form = self.form_of(&row).await?;
        let notes = articles_db::notes(self.pool.acquire().await?.conn(), id)
            .await?
            .into_iter()
            .map(|(at, text)| Note {
                date: dates::label(at, &self.tz).text,
                text,
            })
            .collect();
        let pending_autosave = db::pending_autosave(&self.pool, id, actor.id, row.updated_at)
            .await?
            .and_then(|s: String| serde_json::from_str::<ArticleForm>(&s).ok())
            .filter(|pending| *pending != form);
        let status = status_of(&row);
        let page = self.page_facts(&row).await?;
        let href = href_of(row.page_path.as_deref(), &row.slug);
        Ok(EditorArticle {
            id,
            version: row.version,
            status,
            form,
            publish_at: row.published_at.map(|t| dates::local_input(t, &self.tz)),
            public_url: (status == Status::Published).then_some(href),
            updated: dates::date_time(row.updated_at, &self.tz),
            updated_by: db::last_saved_by(&self.pool, id).await?.unwrap_or_default(),
            notes,
            author_id: row.author_id,
            pending_autosave,
            page,
        })
    }

    /// Opens a new, empty draft for the actor.
    pub async fn create(&self, actor: &Actor) -> Result<i64, AppError> {
        require(actor, Action::CreateArticle)?;
        let now = self.clock.now();
        let categories = articles_db::categories(&self.pool).await?;
        let first = categories
            .first()
            .ok_or_else(|| AppError::internal("new article", "the database has no sections"))?;
        let placeholder = format!("draft-{}", fastrand::u64(..));
        // The byline starts as the writer's own profile (the one linked to the account), or
        // their name.
        let byline = match authors_db::of_user(&self.pool, actor.id).await? {
            Some(profile) => profile.name,
            None => actor.name.clone(),
        };
        let form = ArticleForm {
            category: first.slug.clone(),
            author_name: byline.clone(),
            authors: vec![byline.clone()],
            ..Default::default()
        };
        let mut tx = crate::server::db::begin_write(&self.pool).await?;
        let draft = ArticleInput {
            slug: placeholder,
            category_id: first.id,
            author_name: byline.clone(),
            authors: super::slug::tag_pairs(std::slice::from_ref(&byline)),
            status: Status::Draft.as_str().into(),
            reading_minutes: 1,
            ..Default::default()
        };
        let row = NewRow {
            author_id: Some(actor.id),
            ..NewRow::at(now)
        };
        let id = write_new(&mut tx, &draft, row, Revision::Create, &form).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Saves the form. An autosave never changes what readers see: for a live article (or an
    /// invalid form) it is kept as a revision only.
    pub async fn save(&self, actor: &Actor, req: SaveRequest) -> Result<SaveResult, AppError> {
        self.write(actor, req, Revision::Save).await
    }

    /// A save, recorded in the history as `kind`.
    pub(super) async fn write(
        &self,
        actor: &Actor,
        req: SaveRequest,
        kind: Revision,
    ) -> Result<SaveResult, AppError> {
        let SaveRequest {
            id,
            base_version,
            form,
            autosave,
        } = req;
        let now = self.clock.now();
        let row = self.row_or_404(id).await?;
        require(actor, Action::EditArticle(facts(&row)))?;
        // Past a size limit nothing is stored, not even as an autosave.
        let too_big = crate::model::validate::check_sizes(&form);
        if !too_big.is_empty() {
            return Ok(SaveResult::Invalid(too_big));
        }
        if row.version != base_version {
            return self.conflict(actor, id, &form).await;
        }
        let status = status_of(&row);
        let saved = |version, slug: String, path: Option<&str>, pending| {
            SaveResult::Saved(Saved {
                version,
                status,
                href: href_of(path, &slug),
                slug,
                at: dates::clock_time(now, &self.tz),
                pending,
            })
        };
        let input = match self.prepare(&row, actor, &form).await? {
            Prepared::Invalid(errors) if !autosave => return Ok(SaveResult::Invalid(errors)),
            Prepared::Ready(input) if !(autosave && status.is_live()) => input,
            // An autosave of a live article, or of a form not valid yet: nothing typed is lost,
            // the text waits in a revision.
            _ => {
                let mut tx = crate::server::db::begin_write(&self.pool).await?;
                Revision::Autosave
                    .record(&mut tx, id, row.version, status, Some(actor.id), now, &form)
                    .await?;
                tx.commit().await?;
                return Ok(saved(
                    row.version,
                    row.slug.clone(),
                    row.page_path.as_deref(),
                    true,
                ));
            }
        };
        let picks: Vec<String> = form.read_also.iter().map(|p| p.slug.clone()).collect();
        let targets: Vec<i64> = db::published_ids(&self.pool, &picks)
            .await?
            .into_iter()
            .map(|(_, id, _)| id)
            .collect();
        let mut tx = crate::server::db::begin_write(&self.pool).await?;
        let Some(version) =
            articles_db::update_article(tx.conn(), id, base_version, &input, now).await?
        else {
            drop(tx);
            return self.conflict(actor, id, &form).await;
        };
        articles_db::set_read_also(tx.conn(), id, &targets).await?;
        if let (Some(old), Some(new)) = (&row.page_path, &input.page_path) {
            self.pages_moved(&mut tx, (old.clone(), new.clone()))
                .await?;
        }
        // The library learns the lead image's texts where it has none of its own.
        if let Some(image) = input.image_id {
            crate::server::db::media::fill_texts(
                tx.conn(),
                image,
                &input.image_alt,
                &input.image_caption,
                &input.image_credit,
            )
            .await?;
        }
        let kind = if autosave { Revision::Autosave } else { kind };
        kind.record(&mut tx, id, version, status, Some(actor.id), now, &form)
            .await?;
        tx.commit().await?;
        let path = input.page_path.clone();
        Ok(saved(version, input.slug, path.as_deref(), false))
    }

    /// Moves an article along the workflow: review, schedule, publish, unpublish, trash, restore.
    pub async fn change_status(
        &self,
        actor: &Actor,
        id: i64,
        base_version: i64,
        step: &StatusAction,
    ) -> Result<SaveResult, AppError> {
        let now = self.clock.now();
        let row = self.row_or_404(id).await?;
        let status = status_of(&row);
        require(actor, Action::ChangeStatus(facts(&row), step))?;
        let form = self.form_of(&row).await?;
        if row.version != base_version {
            return self.conflict(actor, id, &form).await;
        }
        let Some(target) = step.target(status) else {
            return Err(AppError::bad_request(format!(
                "“{}” is not possible for an article that is {}.",
                step.label(),
                status.label().to_lowercase()
            )));
        };
        if matches!(
            target,
            Status::Review | Status::Scheduled | Status::Published
        ) {
            let errors = check_ready(&form);
            if !errors.is_empty() {
                return Ok(SaveResult::Invalid(errors));
            }
        }
        let published_at = match step {
            StatusAction::Schedule(at) => match dates::parse_local(at, &self.tz) {
                Some(ts) if ts >= now + SCHEDULE_LEAD => Some(ts),
                Some(_) => {
                    return Ok(SaveResult::Invalid(vec![FieldError::new(
                        Field::PublishAt,
                        "Choose a time in the future (at least a minute from now).",
                    )]))
                }
                None => {
                    return Ok(SaveResult::Invalid(vec![FieldError::new(
                        Field::PublishAt,
                        "Enter a date and time.",
                    )]))
                }
            },
            // Re-publishing keeps the original date; a first publication is dated now.
            StatusAction::Publish => Some(
                row.published_at
                    .filter(|t| *t <= now && status != Status::Scheduled)
                    .unwrap_or(now),
            ),
            StatusAction::BackToDraft if status == Status::Scheduled => None,
            _ => row.published_at,
        };
        let mut tx = crate::server::db::begin_write(&self.pool).await?;
        let Some(version) = db::set_status(
            tx.conn(),
            id,
            base_version,
            target.as_str(),
            published_at,
            now,
        )
        .await?
        else {
            drop(tx);
            return self.conflict(actor, id, &form).await;
        };
        let kind = if matches!(step, StatusAction::Schedule(_)) {
            Revision::Schedule
        } else {
            Revision::Status
        };
        kind.record(&mut tx, id, version, target, Some(actor.id), now, &form)
            .await?;
        let what = format!("“{}” (#{id})", form.title.trim());
        self.audit(&mut tx, actor, &step.label().to_lowercase(), &what)
            .await?;
        tx.commit().await?;
        Ok(SaveResult::Saved(Saved {
            version,
            status: target,
            href: href_of(row.page_path.as_deref(), &row.slug),
            slug: row.slug,
            at: dates::clock_time(now, &self.tz),
            pending: false,
        }))
    }

    /// Adds a dated correction or update note (shown on the article page).
    pub async fn add_note(
        &self,
        actor: &Actor,
        id: i64,
        text: &str,
    ) -> Result<Vec<FieldError>, AppError> {
        let row = self.row_or_404(id).await?;
        require(actor, Action::AddNote(facts(&row)))?;
        let errors = check_note(text);
        if !errors.is_empty() {
            return Ok(errors);
        }
        let mut tx = crate::server::db::begin_write(&self.pool).await?;
        db::add_note(tx.conn(), id, text.trim(), actor.id, self.clock.now()).await?;
        tx.commit().await?;
        Ok(vec![])
    }

    /// The body as readers will see it: the article page's own renderer.
    pub async fn preview(&self, actor: &Actor, body: String) -> Result<String, AppError> {
        require(actor, Action::UseNewsroom)?;
        if body.chars().count() > crate::model::validate::BODY_MAX {
            return Err(AppError::bad_request("The body is too long to preview."));
        }
        Ok(markdown::render_checked(body, (*self.image_hosts).clone())
            .await?
            .html)
    }

    /// Published articles matching `q`, for the READ ALSO picker.
    pub async fn pick_candidates(&self, actor: &Actor, q: &str) -> Result<Vec<Pick>, AppError> {
        require(actor, Action::UseNewsroom)?;
        let Some(fts) = search::fts_query(q) else {
            return Ok(vec![]);
        };
        Ok(search_db::suggest(&self.pool, &fts, 8)
            .await?
            .into_iter()
            .map(|r| Pick {
                slug: r.slug,
                title: r.title,
            })
            .collect())
    }
}

/// The public address of an article (`page_path` none) or a page.
fn href_of(page_path: Option<&str>, slug: &str) -> String {
    match page_path {
        Some(path) => super::page_href(path),
        None => article_href(slug),
    }
}

/// A new article row and its first revision, in the caller's transaction: the one way a new
/// article comes into the newsroom (a new draft, the WordPress import). `form` is what the
/// revision keeps: the article as the editor would open it.
pub(super) async fn write_new(
    tx: &mut crate::server::db::WriteTx,
    input: &ArticleInput,
    row: NewRow,
    first: Revision,
    form: &ArticleForm,
) -> Result<i64, AppError> {
    let id = articles_db::insert_article(tx.conn(), input, row).await?;
    let status = Status::parse(&input.status).unwrap_or(Status::Draft);
    first
        .record(tx, id, 1, status, row.author_id, row.updated_at, form)
        .await?;
    Ok(id)
}

/// Writes an article the WordPress import brought, with its first revision ("Imported from
/// WordPress" in its history), in the import's transaction.
pub async fn write_imported(
    tx: &mut crate::server::db::WriteTx,
    input: &ArticleInput,
    row: NewRow,
    form: &ArticleForm,
) -> Result<i64, AppError> {
    write_new(tx, input, row, Revision::Import, form).await
}
