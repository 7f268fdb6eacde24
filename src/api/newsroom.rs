//! The newsroom's server functions: decode, find out who is asking (from the session, 401
//! without one), call `server::newsroom::Newsroom`, which checks the policy and every rule.
//! Endpoints live under /api/admin/, which is always `Cache-Control: private, no-store`.

use crate::error::AppError;
use crate::model::newsroom::*;
use crate::model::validate::FieldError;
use crate::model::Paged;
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

#[cfg(feature = "ssr")]
async fn newsroom() -> Result<
    (
        crate::server::newsroom::Newsroom,
        crate::model::policy::Actor,
    ),
    AppError,
> {
    let (state, actor) = super::ssr::actor().await?;
    Ok((state.newsroom(), actor))
}

#[server(prefix = "/api", endpoint = "admin/articles", input = GetUrl)]
pub async fn admin_articles(
    status: Option<String>,
    category: Option<String>,
    q: Option<String>,
    page: Option<String>,
    sort: Option<String>,
) -> Result<Paged<AdminRow>, AppError> {
    let (newsroom, actor) = newsroom().await?;
    let page = super::ssr::page_number(page)?;
    let filter = crate::server::newsroom::DashboardFilter {
        status,
        category,
        title: q,
        page,
        sort,
    };
    newsroom.dashboard(&actor, filter).await
}

#[server(prefix = "/api", endpoint = "admin/article", input = GetUrl)]
pub async fn admin_article(id: i64) -> Result<EditorArticle, AppError> {
    let (newsroom, actor) = newsroom().await?;
    newsroom.load(&actor, id).await
}

#[server(prefix = "/api", endpoint = "admin/new")]
pub async fn new_article() -> Result<i64, AppError> {
    let (newsroom, actor) = newsroom().await?;
    let id = newsroom.create(&actor).await?;
    super::accounts::redirect_after_post(&format!("/admin/articles/{id}"));
    Ok(id)
}

/// Every page (About us, Imprint…) in the order of their addresses; the trash when asked.
#[server(prefix = "/api", endpoint = "admin/pages", input = GetUrl)]
pub async fn admin_pages(trash: Option<bool>) -> Result<Vec<AdminRow>, AppError> {
    let (newsroom, actor) = newsroom().await?;
    newsroom.pages(&actor, trash.unwrap_or(false)).await
}

#[server(prefix = "/api", endpoint = "admin/new-page")]
pub async fn new_page() -> Result<i64, AppError> {
    let (newsroom, actor) = newsroom().await?;
    let id = newsroom.create_page(&actor).await?;
    super::accounts::redirect_after_post(&format!("/admin/articles/{id}"));
    Ok(id)
}

#[server(prefix = "/api", endpoint = "admin/save", input = Json)]
pub async fn save_article(
    id: i64,
    base_version: i64,
    form: ArticleForm,
    autosave: bool,
) -> Result<SaveResult, AppError> {
    let (newsroom, actor) = newsroom().await?;
    let request = SaveRequest {
        id,
        base_version,
        form,
        autosave,
    };
    newsroom.save(&actor, request).await
}

#[server(prefix = "/api", endpoint = "admin/status", input = Json)]
pub async fn change_status(
    id: i64,
    base_version: i64,
    action: StatusAction,
) -> Result<SaveResult, AppError> {
    let (newsroom, actor) = newsroom().await?;
    newsroom
        .change_status(&actor, id, base_version, &action)
        .await
}

#[server(prefix = "/api", endpoint = "admin/note", input = Json)]
pub async fn add_note(id: i64, text: String) -> Result<Vec<FieldError>, AppError> {
    let (newsroom, actor) = newsroom().await?;
    newsroom.add_note(&actor, id, &text).await
}

/// An article's live coverage as its newsroom page shows it.
#[server(prefix = "/api", endpoint = "admin/live", input = GetUrl)]
pub async fn live_coverage(
    id: i64,
    before: Option<i64>,
) -> Result<crate::model::live::EditorCoverage, AppError> {
    let (newsroom, actor) = newsroom().await?;
    newsroom.live_coverage(&actor, id, before).await
}

/// Starts (`live`) or ends an article's live coverage.
#[server(prefix = "/api", endpoint = "admin/live-switch", input = Json)]
pub async fn switch_live(
    id: i64,
    live: bool,
) -> Result<crate::model::live::EditorCoverage, AppError> {
    let (newsroom, actor) = newsroom().await?;
    newsroom.set_live(&actor, id, live).await
}

#[server(prefix = "/api", endpoint = "admin/live-post", input = Json)]
pub async fn post_update(
    id: i64,
    form: crate::model::live::UpdateForm,
) -> Result<Result<crate::model::live::EditorCoverage, Vec<FieldError>>, AppError> {
    let (newsroom, actor) = newsroom().await?;
    newsroom.post_update(&actor, id, form).await
}

#[server(prefix = "/api", endpoint = "admin/live-edit", input = Json)]
pub async fn edit_update(
    update_id: i64,
    form: crate::model::live::UpdateForm,
) -> Result<Result<crate::model::live::EditorCoverage, Vec<FieldError>>, AppError> {
    let (newsroom, actor) = newsroom().await?;
    newsroom.edit_update(&actor, update_id, form).await
}

#[server(prefix = "/api", endpoint = "admin/live-delete", input = Json)]
pub async fn delete_update(update_id: i64) -> Result<crate::model::live::EditorCoverage, AppError> {
    let (newsroom, actor) = newsroom().await?;
    newsroom.delete_update(&actor, update_id).await
}

/// Pins an update above the stream (`pin`), or unpins it.
#[server(prefix = "/api", endpoint = "admin/live-pin", input = Json)]
pub async fn pin_update(
    update_id: i64,
    pin: bool,
) -> Result<crate::model::live::EditorCoverage, AppError> {
    let (newsroom, actor) = newsroom().await?;
    newsroom.pin_update(&actor, update_id, pin).await
}

#[server(prefix = "/api", endpoint = "admin/revisions", input = GetUrl)]
pub async fn article_revisions(id: i64, before: Option<i64>) -> Result<RevisionPage, AppError> {
    let (newsroom, actor) = newsroom().await?;
    newsroom.revisions(&actor, id, before).await
}

#[server(prefix = "/api", endpoint = "admin/revision", input = GetUrl)]
pub async fn article_revision(id: i64, revision_id: i64) -> Result<ArticleForm, AppError> {
    let (newsroom, actor) = newsroom().await?;
    newsroom.revision_form(&actor, id, revision_id).await
}

#[server(prefix = "/api", endpoint = "admin/restore", input = Json)]
pub async fn restore_revision(
    id: i64,
    revision_id: i64,
    base_version: i64,
) -> Result<SaveResult, AppError> {
    let (newsroom, actor) = newsroom().await?;
    newsroom
        .restore(&actor, id, revision_id, base_version)
        .await
}

/// The preview is the article page's own renderer: what you see is what readers get.
#[server(prefix = "/api", endpoint = "admin/preview", input = Json)]
pub async fn preview_markdown(body: String) -> Result<String, AppError> {
    let (newsroom, actor) = newsroom().await?;
    newsroom.preview(&actor, body).await
}

/// Published articles matching `q`, for the READ ALSO picker.
#[server(prefix = "/api", endpoint = "admin/picks", input = GetUrl)]
pub async fn pick_candidates(q: String) -> Result<Vec<Pick>, AppError> {
    let (newsroom, actor) = newsroom().await?;
    newsroom.pick_candidates(&actor, &q).await
}

/// Existing tags starting with what is typed, for the editor's tag field.
#[server(prefix = "/api", endpoint = "admin/tag-suggestions", input = GetUrl)]
pub async fn tag_suggestions(q: String) -> Result<Vec<String>, AppError> {
    let (newsroom, actor) = newsroom().await?;
    newsroom.tag_suggestions(&actor, &q).await
}

/// The newsroom's list of tags.
#[server(prefix = "/api", endpoint = "admin/tags", input = GetUrl)]
pub async fn admin_tags(
    q: Option<String>,
    page: Option<String>,
) -> Result<Paged<LabelLine>, AppError> {
    let (newsroom, actor) = newsroom().await?;
    let page = super::ssr::page_number(page)?;
    newsroom
        .tags(&actor, q.as_deref().unwrap_or(""), page)
        .await
}

/// Renames a tag or merges it into another (editors).
#[server(prefix = "/api", endpoint = "admin/tag", input = Json)]
pub async fn change_tag(id: i64, change: TagChange) -> Result<Vec<FieldError>, AppError> {
    let (newsroom, actor) = newsroom().await?;
    newsroom.change_tag(&actor, id, &change).await
}

/// Existing authors' profiles by what is typed, for the editor's byline.
#[server(prefix = "/api", endpoint = "admin/author-suggestions", input = GetUrl)]
pub async fn author_suggestions(q: String) -> Result<Vec<String>, AppError> {
    let (newsroom, actor) = newsroom().await?;
    newsroom.author_suggestions(&actor, &q).await
}

/// The newsroom's list of authors' profiles, and the actor's own profile's id.
#[server(prefix = "/api", endpoint = "admin/authors", input = GetUrl)]
pub async fn admin_authors(
    q: Option<String>,
    page: Option<String>,
) -> Result<(Paged<LabelLine>, Option<i64>), AppError> {
    let (newsroom, actor) = newsroom().await?;
    let page = super::ssr::page_number(page)?;
    let list = newsroom
        .authors(&actor, q.as_deref().unwrap_or(""), page)
        .await?;
    Ok((list, newsroom.own_profile(&actor).await?))
}

#[server(prefix = "/api", endpoint = "admin/profile", input = GetUrl)]
pub async fn admin_profile(id: i64) -> Result<ProfileEdit, AppError> {
    let (newsroom, actor) = newsroom().await?;
    newsroom.profile(&actor, id).await
}

#[server(prefix = "/api", endpoint = "admin/profile/save", input = Json)]
pub async fn save_profile(id: i64, form: ProfileForm) -> Result<Vec<FieldError>, AppError> {
    let (newsroom, actor) = newsroom().await?;
    newsroom.save_profile(&actor, id, &form).await
}

/// A new profile (editors): its id, or what is wrong with the name.
#[server(prefix = "/api", endpoint = "admin/profile/new")]
pub async fn new_profile(name: String) -> Result<Result<i64, Vec<FieldError>>, AppError> {
    let (newsroom, actor) = newsroom().await?;
    newsroom.new_profile(&actor, &name).await
}

/// The redirects (admins).
#[server(prefix = "/api", endpoint = "admin/redirects", input = GetUrl)]
pub async fn admin_redirects(
    q: Option<String>,
    page: Option<String>,
) -> Result<Paged<RedirectLine>, AppError> {
    let (newsroom, actor) = newsroom().await?;
    let page = super::ssr::page_number(page)?;
    newsroom
        .redirects(&actor, q.as_deref().unwrap_or(""), page)
        .await
}

/// Adds a redirect (admins): field errors for what will not do.
#[server(prefix = "/api", endpoint = "admin/redirects/add")]
pub async fn add_redirect(from: String, to: String) -> Result<Vec<FieldError>, AppError> {
    let (newsroom, actor) = newsroom().await?;
    newsroom.add_redirect(&actor, &from, &to).await
}

/// Removes a redirect (admins); whether there was one.
#[server(prefix = "/api", endpoint = "admin/redirects/remove")]
pub async fn remove_redirect(from: String) -> Result<bool, AppError> {
    let (newsroom, actor) = newsroom().await?;
    newsroom.remove_redirect(&actor, &from).await
}

/// The masthead's sections and the footer's links (admins).
#[server(prefix = "/api", endpoint = "admin/navigation", input = GetUrl)]
pub async fn admin_navigation() -> Result<crate::model::Navigation, AppError> {
    let (newsroom, actor) = newsroom().await?;
    newsroom.navigation(&actor).await
}

#[server(prefix = "/api", endpoint = "admin/navigation/save", input = Json)]
pub async fn save_navigation(nav: crate::model::Navigation) -> Result<Vec<FieldError>, AppError> {
    let (newsroom, actor) = newsroom().await?;
    newsroom.save_navigation(&actor, &nav).await
}

/// A page of the media library.
#[server(prefix = "/api", endpoint = "admin/library", input = GetUrl)]
pub async fn media_library(
    q: Option<String>,
    month: Option<String>,
    page: Option<String>,
) -> Result<Paged<LibraryItem>, AppError> {
    let (newsroom, actor) = newsroom().await?;
    let page = super::ssr::page_number(page)?;
    newsroom
        .library(
            &actor,
            q.as_deref().unwrap_or(""),
            month.as_deref().unwrap_or(""),
            page,
        )
        .await
}

/// The articles using an image.
#[server(prefix = "/api", endpoint = "admin/library/uses", input = GetUrl)]
pub async fn media_uses(id: i64) -> Result<Vec<MediaUse>, AppError> {
    let (newsroom, actor) = newsroom().await?;
    newsroom.media_uses(&actor, id).await
}

#[server(prefix = "/api", endpoint = "admin/library/texts", input = Json)]
pub async fn save_media_texts(id: i64, texts: MediaTexts) -> Result<Vec<FieldError>, AppError> {
    let (newsroom, actor) = newsroom().await?;
    newsroom.save_media_texts(&actor, id, &texts).await
}

/// Deletes an image nobody uses; the articles using it when it is in use (nothing deleted).
#[server(prefix = "/api", endpoint = "admin/library/delete", input = Json)]
pub async fn delete_media(id: i64) -> Result<Vec<MediaUse>, AppError> {
    let (newsroom, actor) = newsroom().await?;
    newsroom.delete_media(&actor, id).await
}

/// The newest import started from the newsroom (admins only): its progress, then its report.
#[server(prefix = "/api", endpoint = "admin/import-status", input = GetUrl)]
pub async fn import_status() -> Result<Option<ImportRun>, AppError> {
    let (state, actor) = super::ssr::actor().await?;
    crate::model::policy::require(&actor, crate::model::policy::Action::ImportContent)?;
    Ok(crate::server::db::imports::latest_run(&state.pool).await?)
}
