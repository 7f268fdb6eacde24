//! What editors do to articles, with every rule enforced here on the server: who may do
//! what, validation, slugs, optimistic concurrency, revisions, scheduling.
//!
//! The server functions in `api::admin` only find out who is asking and call these.

use super::db::{articles as reader_db, articles::ArticleInput, editor as db, Pool};
use super::{dates, markdown, slug};
use crate::error::AppError;
use crate::model::admin::*;
use crate::model::validate::{self, changed_fields, check_form, check_note, check_ready};
use chrono::{NaiveDateTime, TimeZone};
use chrono_tz::Tz;

/// Autosaves by the same person within this many seconds share one revision.
const AUTOSAVE_COALESCE: i64 = 10 * 60;
/// A scheduled time must be at least this far ahead.
const SCHEDULE_LEAD: i64 = 60;

/// Who is acting: from the session, never from the request body.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: i64,
    pub name: String,
    pub role: Role,
}

impl Actor {
    pub fn from_user(user: &super::db::users::UserRecord) -> Self {
        Actor {
            id: user.id,
            name: user.display_name.clone(),
            role: user.role(),
        }
    }
}

fn status_of(row: &db::EditorRow) -> Status {
    Status::parse(&row.status).unwrap_or(Status::Draft)
}

/// Editors and admins edit everything; authors their own drafts and articles in review.
fn may_edit(actor: &Actor, row: &db::EditorRow) -> bool {
    actor.role.is_editor()
        || (row.author_id == Some(actor.id)
            && matches!(status_of(row), Status::Draft | Status::Review))
}

fn may_view(actor: &Actor, row: &db::EditorRow) -> bool {
    actor.role.is_editor() || row.author_id == Some(actor.id)
}

fn forbidden() -> AppError {
    AppError::Forbidden("Your role does not allow this.".into())
}

async fn row_or_404(pool: &Pool, id: i64) -> Result<db::EditorRow, AppError> {
    db::article(pool, id)
        .await?
        .ok_or_else(|| AppError::not_found("There is no article with that number."))
}

fn media_ref(row: &db::MediaRow) -> Option<MediaRef> {
    #[derive(serde::Deserialize)]
    struct Variant {
        width: u32,
        height: u32,
        url: String,
    }
    let variants: Vec<Variant> = serde_json::from_str(&row.variants).ok()?;
    let main = variants
        .iter()
        .rfind(|v| v.width <= 800)
        .or(variants.first())?;
    let large = variants.last()?;
    Some(MediaRef {
        id: row.id,
        url: main.url.clone(),
        width: main.width,
        height: main.height,
        srcset: variants
            .iter()
            .map(|v| format!("{} {}w", v.url, v.width))
            .collect::<Vec<_>>()
            .join(", "),
        large_url: large.url.clone(),
    })
}

/// The form as stored in the article row.
pub async fn form_of(pool: &Pool, row: &db::EditorRow) -> Result<ArticleForm, AppError> {
    let picks = db::read_also_picks(pool, row.id).await?;
    let image = match row.image_id {
        Some(id) => db::media(pool, id).await?.as_ref().and_then(media_ref),
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
        image,
        image_alt: row.image_alt.clone(),
        image_caption: row.image_caption.clone(),
        image_credit: row.image_credit.clone(),
        read_also: picks
            .into_iter()
            .map(|(slug, title)| Pick { slug, title })
            .collect(),
        editors_pick: row.editors_pick,
        pick_order: row.pick_order,
    })
}

fn local_input(ts: i64, tz: &Tz) -> String {
    tz.timestamp_opt(ts, 0)
        .single()
        .map(|d| d.format("%Y-%m-%dT%H:%M").to_string())
        .unwrap_or_default()
}

/// "2026-11-28T14:30" in the site's timezone to a timestamp.
pub fn parse_local(input: &str, tz: &Tz) -> Option<i64> {
    let naive = NaiveDateTime::parse_from_str(input.trim(), "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(input.trim(), "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    // In a DST gap the time does not exist; take the earliest valid reading of an overlap.
    tz.from_local_datetime(&naive)
        .earliest()
        .map(|d| d.timestamp())
}

fn clock(ts: i64, tz: &Tz) -> String {
    tz.timestamp_opt(ts, 0)
        .single()
        .map(|d| d.format("%H:%M").to_string())
        .unwrap_or_default()
}

fn when(ts: i64, tz: &Tz) -> String {
    tz.timestamp_opt(ts, 0)
        .single()
        .map(|d| d.format("%B %-d, %Y, %H:%M").to_string())
        .unwrap_or_default()
}

pub async fn load(pool: &Pool, actor: &Actor, id: i64, tz: &Tz) -> Result<EditorArticle, AppError> {
    let row = row_or_404(pool, id).await?;
    if !may_view(actor, &row) {
        return Err(forbidden());
    }
    let form = form_of(pool, &row).await?;
    let notes = db::notes(pool, id)
        .await?
        .into_iter()
        .map(|(at, text)| Note {
            date: dates::label(at, tz).text,
            text,
        })
        .collect();
    let pending_autosave = db::pending_autosave(pool, id, actor.id, row.updated_at)
        .await?
        .and_then(|s: String| serde_json::from_str::<ArticleForm>(&s).ok())
        .filter(|pending| *pending != form);
    let status = status_of(&row);
    Ok(EditorArticle {
        id,
        version: row.version,
        status,
        form,
        publish_at: row.published_at.map(|t| local_input(t, tz)),
        public_url: (status == Status::Published).then(|| crate::model::article_href(&row.slug)),
        updated: when(row.updated_at, tz),
        updated_by: db::last_saved_by(pool, id).await?.unwrap_or_default(),
        notes,
        author_id: row.author_id,
        pending_autosave,
    })
}

/// Opens a new, empty draft for the actor.
pub async fn create(pool: &Pool, actor: &Actor, now: i64) -> Result<i64, AppError> {
    let categories = reader_db::categories(pool).await?;
    let first = categories.first().ok_or(AppError::Internal)?;
    let placeholder = format!("draft-{}", fastrand::u64(..));
    let mut tx = pool.begin().await?;
    let id = db::create_draft(&mut tx, &placeholder, first.id, actor.id, &actor.name, now).await?;
    let form = ArticleForm {
        category: first.slug.clone(),
        author_name: actor.name.clone(),
        ..Default::default()
    };
    let snapshot = serde_json::to_string(&form).map_err(|_| AppError::Internal)?;
    db::add_revision(
        &mut tx,
        id,
        1,
        "create",
        "draft",
        Some(actor.id),
        now,
        &snapshot,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

async fn conflict(
    pool: &Pool,
    actor: &Actor,
    id: i64,
    mine: &ArticleForm,
    tz: &Tz,
) -> Result<SaveResult, AppError> {
    let current = load(pool, actor, id, tz).await?;
    let changed = changed_fields(&current.form, mine);
    Ok(SaveResult::Conflict(Box::new(Conflict {
        current,
        changed,
    })))
}

/// Turns a valid form into the columns to store, or the field errors that stop it.
async fn prepare(
    pool: &Pool,
    row: &db::EditorRow,
    actor: &Actor,
    form: &ArticleForm,
    status: Status,
) -> Result<Result<ArticleInput, Vec<FieldError>>, AppError> {
    let mut errors = if status.is_live() || status == Status::Review {
        check_ready(form)
    } else {
        check_form(form)
    };
    let field_error = |field, message: &str| FieldError {
        field,
        message: message.to_string(),
    };
    let category = reader_db::category_by_slug(pool, form.category.trim()).await?;
    if category.is_none() && !errors.iter().any(|e| e.field == Field::Category) {
        errors.push(field_error(Field::Category, "Choose one of the sections."));
    }
    let slug = if form.slug.trim().is_empty() && !row.title.is_empty() {
        // Left empty on an article that has been saved before: it keeps its address.
        row.slug.clone()
    } else if form.slug.trim().is_empty() {
        let base = slug::slugify(form.title.trim());
        let mut candidate = base.clone();
        let mut n = 2;
        while db::slug_taken(pool, &candidate, row.id).await? {
            candidate = format!("{base}-{n}");
            n += 1;
        }
        candidate
    } else {
        let s = form.slug.trim().to_string();
        if validate::slug_is_valid(&s) && db::slug_taken(pool, &s, row.id).await? {
            errors.push(field_error(
                Field::Slug,
                "Another article already uses this address.",
            ));
        }
        s
    };
    // Published articles keep their address: links to them are out in the world.
    if status == Status::Published && slug != row.slug {
        errors.push(field_error(
            Field::Slug,
            "A published article keeps its address. Unpublish it first to change it.",
        ));
    }
    let wanted: Vec<String> = form.read_also.iter().map(|p| p.slug.clone()).collect();
    let found = db::published_ids(pool, &wanted).await?;
    if found.len() != wanted.len().min(2) || found.iter().any(|(_, id, _)| *id == row.id) {
        errors.push(field_error(
            Field::ReadAlso,
            "READ ALSO can only link to other published articles.",
        ));
    }
    let media = match &form.image {
        Some(img) => match db::media(pool, img.id).await? {
            Some(m) => media_ref(&m),
            None => {
                errors.push(field_error(
                    Field::Image,
                    "That image is no longer available. Upload it again.",
                ));
                None
            }
        },
        None => None,
    };
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let rendered = markdown::render(&form.body_md);
    let (editors_pick, pick_order) = if validate::may_set_pick(actor.role) {
        (form.editors_pick, form.pick_order)
    } else {
        (row.editors_pick, row.pick_order)
    };
    Ok(Ok(ArticleInput {
        status: row.status.clone(),
        published_at: row.published_at,
        slug,
        title: form.title.trim().to_string(),
        excerpt: form.excerpt.trim().to_string(),
        body_md: form.body_md.clone(),
        body_html: rendered.html,
        body_text: rendered.text,
        reading_minutes: rendered.reading_minutes,
        category_id: category.map(|c| c.id).ok_or(AppError::Internal)?,
        author_name: form.author_name.trim().to_string(),
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
    }))
}

/// Saves the form. `autosave`: a background save while typing. An autosave never changes
/// what readers see: for a live article (or an invalid form) it is kept as a revision only.
#[allow(clippy::too_many_arguments)]
pub async fn save(
    pool: &Pool,
    actor: &Actor,
    id: i64,
    base_version: i64,
    form: &ArticleForm,
    autosave: bool,
    kind: &str,
    tz: &Tz,
    now: i64,
) -> Result<SaveResult, AppError> {
    let row = row_or_404(pool, id).await?;
    if !may_edit(actor, &row) {
        return Err(forbidden());
    }
    if row.version != base_version {
        return conflict(pool, actor, id, form, tz).await;
    }
    let status = status_of(&row);
    let snapshot = serde_json::to_string(form).map_err(|_| AppError::Internal)?;
    let prepared = prepare(pool, &row, actor, form, status).await?;
    let keep_pending = |version| {
        SaveResult::Saved(Saved {
            version,
            status,
            slug: row.slug.clone(),
            at: clock(now, tz),
            pending: true,
        })
    };
    match prepared {
        Err(errors) if autosave => {
            // Nothing typed is lost: the text waits in a revision until it is valid.
            let mut tx = pool.begin().await?;
            db::upsert_autosave(
                &mut tx,
                id,
                row.version,
                status.as_str(),
                actor.id,
                now,
                AUTOSAVE_COALESCE,
                &snapshot,
            )
            .await?;
            tx.commit().await?;
            let _ = errors;
            Ok(keep_pending(row.version))
        }
        Err(errors) => Ok(SaveResult::Invalid(errors)),
        Ok(_) if autosave && status.is_live() => {
            let mut tx = pool.begin().await?;
            db::upsert_autosave(
                &mut tx,
                id,
                row.version,
                status.as_str(),
                actor.id,
                now,
                AUTOSAVE_COALESCE,
                &snapshot,
            )
            .await?;
            tx.commit().await?;
            Ok(keep_pending(row.version))
        }
        Ok(input) => {
            let picks: Vec<String> = form.read_also.iter().map(|p| p.slug.clone()).collect();
            let targets: Vec<i64> = db::published_ids(pool, &picks)
                .await?
                .into_iter()
                .map(|(_, id, _)| id)
                .collect();
            let mut tx = pool.begin().await?;
            let Some(version) = db::save(&mut tx, id, base_version, &input, now).await? else {
                drop(tx);
                return conflict(pool, actor, id, form, tz).await;
            };
            reader_db::set_read_also(&mut tx, id, &targets).await?;
            if autosave {
                db::upsert_autosave(
                    &mut tx,
                    id,
                    version,
                    status.as_str(),
                    actor.id,
                    now,
                    AUTOSAVE_COALESCE,
                    &snapshot,
                )
                .await?;
            } else {
                db::add_revision(
                    &mut tx,
                    id,
                    version,
                    kind,
                    status.as_str(),
                    Some(actor.id),
                    now,
                    &snapshot,
                )
                .await?;
            }
            tx.commit().await?;
            Ok(SaveResult::Saved(Saved {
                version,
                status,
                slug: input.slug,
                at: clock(now, tz),
                pending: false,
            }))
        }
    }
}

/// Moves an article along the workflow: review, schedule, publish, unpublish, trash, restore.
pub async fn change_status(
    pool: &Pool,
    actor: &Actor,
    id: i64,
    base_version: i64,
    action: &StatusAction,
    tz: &Tz,
    now: i64,
) -> Result<SaveResult, AppError> {
    let row = row_or_404(pool, id).await?;
    let status = status_of(&row);
    let own = row.author_id == Some(actor.id);
    let allowed = if action.needs_editor() {
        actor.role.is_editor()
    } else {
        actor.role.is_editor() || own
    };
    if !allowed {
        return Err(forbidden());
    }
    let form = form_of(pool, &row).await?;
    if row.version != base_version {
        return conflict(pool, actor, id, &form, tz).await;
    }
    let Some(target) = action.target(status) else {
        return Err(AppError::bad_request(format!(
            "“{}” is not possible for an article that is {}.",
            action.label(),
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
    let published_at = match action {
        StatusAction::Schedule(at) => match parse_local(at, tz) {
            Some(ts) if ts >= now + SCHEDULE_LEAD => Some(ts),
            Some(_) => {
                return Ok(SaveResult::Invalid(vec![FieldError {
                    field: Field::PublishAt,
                    message: "Choose a time in the future (at least a minute from now).".into(),
                }]))
            }
            None => {
                return Ok(SaveResult::Invalid(vec![FieldError {
                    field: Field::PublishAt,
                    message: "Enter a date and time.".into(),
                }]))
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
    let snapshot = serde_json::to_string(&form).map_err(|_| AppError::Internal)?;
    let mut tx = pool.begin().await?;
    let Some(version) = db::set_status(
        &mut tx,
        id,
        base_version,
        target.as_str(),
        published_at,
        now,
    )
    .await?
    else {
        drop(tx);
        return conflict(pool, actor, id, &form, tz).await;
    };
    let kind = if matches!(action, StatusAction::Schedule(_)) {
        "schedule"
    } else {
        "status"
    };
    db::add_revision(
        &mut tx,
        id,
        version,
        kind,
        target.as_str(),
        Some(actor.id),
        now,
        &snapshot,
    )
    .await?;
    tx.commit().await?;
    Ok(SaveResult::Saved(Saved {
        version,
        status: target,
        slug: row.slug,
        at: clock(now, tz),
        pending: false,
    }))
}

/// Adds a dated correction or update note (shown on the article page).
pub async fn add_note(
    pool: &Pool,
    actor: &Actor,
    id: i64,
    text: &str,
    now: i64,
) -> Result<Option<FieldError>, AppError> {
    if !actor.role.is_editor() {
        return Err(forbidden());
    }
    row_or_404(pool, id).await?;
    if let Some(error) = check_note(text) {
        return Ok(Some(error));
    }
    let mut tx = pool.begin().await?;
    db::add_note(&mut tx, id, text.trim(), actor.id, now).await?;
    tx.commit().await?;
    Ok(None)
}

pub async fn revisions(
    pool: &Pool,
    actor: &Actor,
    id: i64,
    tz: &Tz,
) -> Result<Vec<RevisionInfo>, AppError> {
    let row = row_or_404(pool, id).await?;
    if !may_view(actor, &row) {
        return Err(forbidden());
    }
    Ok(db::revisions(pool, id, 200)
        .await?
        .into_iter()
        .map(|r| RevisionInfo {
            id: r.id,
            version: r.version,
            kind: r.kind,
            status: Status::parse(&r.status).unwrap_or(Status::Draft),
            by: r.user_name.unwrap_or_else(|| "Scheduler".into()),
            at: when(r.saved_at, tz),
            title: serde_json::from_str::<ArticleForm>(&r.snapshot)
                .map(|f| f.title)
                .unwrap_or_default(),
        })
        .collect())
}

pub async fn revision_form(
    pool: &Pool,
    actor: &Actor,
    id: i64,
    revision_id: i64,
) -> Result<ArticleForm, AppError> {
    let row = row_or_404(pool, id).await?;
    if !may_view(actor, &row) {
        return Err(forbidden());
    }
    let rev = db::revision(pool, id, revision_id)
        .await?
        .ok_or_else(|| AppError::not_found("There is no such revision."))?;
    serde_json::from_str(&rev.snapshot).map_err(|_| AppError::Internal)
}

/// Restores a revision as a new save (the history keeps everything in between).
pub async fn restore(
    pool: &Pool,
    actor: &Actor,
    id: i64,
    revision_id: i64,
    base_version: i64,
    tz: &Tz,
    now: i64,
) -> Result<SaveResult, AppError> {
    let form = revision_form(pool, actor, id, revision_id).await?;
    save(
        pool,
        actor,
        id,
        base_version,
        &form,
        false,
        "restore",
        tz,
        now,
    )
    .await
}

/// Publishes every scheduled article whose time has come. Safe to run on several servers
/// at once: the UPDATE claims each article exactly once.
pub async fn publish_due(pool: &Pool, now: i64) -> Result<usize, AppError> {
    let mut tx = pool.begin().await?;
    let published = db::publish_due(&mut tx, now).await?;
    tx.commit().await?;
    for (id, version) in &published {
        if let Some(row) = db::article(pool, *id).await? {
            let snapshot = serde_json::to_string(&form_of(pool, &row).await?)
                .map_err(|_| AppError::Internal)?;
            let mut conn = pool.acquire().await?;
            db::add_revision(
                &mut conn,
                *id,
                *version,
                "status",
                "published",
                None,
                now,
                &snapshot,
            )
            .await?;
        }
    }
    Ok(published.len())
}

/// One scheduler round: publish what is due, and drop cached pages at once if anything went
/// live (other servers follow through the content version).
pub async fn run_scheduler_once(
    pool: &Pool,
    cache: &super::cache::PageCache,
    now: i64,
) -> Result<usize, AppError> {
    let n = publish_due(pool, now).await?;
    if n > 0 {
        cache.observe_version(super::db::content_version(pool).await? as u64);
    }
    Ok(n)
}

/// Runs the scheduler every `every` (the first round at once: catching up after downtime).
pub fn spawn_scheduler(
    pool: Pool,
    cache: std::sync::Arc<super::cache::PageCache>,
    every: std::time::Duration,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match run_scheduler_once(&pool, &cache, dates::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(articles = n, "published scheduled articles"),
                Err(e) => tracing::error!(error = %e, "scheduler"),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_times_in_the_site_timezone() {
        let tz: Tz = "Europe/Berlin".parse().unwrap();
        let ts = parse_local("2026-07-01T12:30", &tz).unwrap();
        assert_eq!(
            ts,
            chrono::Utc
                .with_ymd_and_hms(2026, 7, 1, 10, 30, 0)
                .unwrap()
                .timestamp()
        );
        assert_eq!(local_input(ts, &tz), "2026-07-01T12:30");
        assert!(parse_local("tomorrow", &tz).is_none());
        assert!(parse_local("2026-13-01T00:00", &tz).is_none());
        // 02:30 does not exist on the spring-forward night.
        assert!(parse_local("2026-03-29T02:30", &tz).is_none());
    }
}
