//! The newsroom's server functions. Every one of them finds out who is asking from the
//! session (never from the request) and refuses with 401/403 before touching anything.
//! Endpoints live under /api/admin/, which is always `Cache-Control: private, no-store`.

use crate::error::AppError;
use crate::model::admin::*;
use crate::model::Paged;
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

#[cfg(feature = "ssr")]
pub(crate) mod guard {
    use crate::error::AppError;
    use crate::server::{auth, db::users::UserRecord, newsroom::Actor, state::AppState};

    pub async fn session() -> Result<tower_sessions::Session, AppError> {
        leptos_axum::extract::<tower_sessions::Session>()
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "no session layer");
                AppError::Internal
            })
    }

    pub async fn user() -> Result<(AppState, Option<UserRecord>), AppError> {
        let state = super::super::ssr::state()?;
        let session = session().await?;
        let user = auth::session_user(&session, &state.pool).await?;
        Ok((state, user))
    }

    /// The logged-in user whose role passes `allowed`, or 401 / 403.
    pub async fn require(
        allowed: impl Fn(crate::model::admin::Role) -> bool,
    ) -> Result<(AppState, Actor), AppError> {
        let (state, user) = user().await?;
        let Some(user) = user else {
            return super::super::ssr::fail(AppError::Unauthorized(
                "Your session has ended. Log in again; your text is kept in this browser.".into(),
            ));
        };
        if !allowed(user.role()) {
            return super::super::ssr::fail(AppError::Forbidden(
                "Your role does not allow this.".into(),
            ));
        }
        Ok((state, Actor::from_user(&user)))
    }

    pub async fn anyone() -> Result<(AppState, Actor), AppError> {
        require(|_| true).await
    }

    /// Maps a service error onto the HTTP status too.
    pub fn status<T>(r: Result<T, AppError>) -> Result<T, AppError> {
        match r {
            Ok(v) => Ok(v),
            Err(e) => super::super::ssr::fail(e),
        }
    }

    pub fn client_address() -> String {
        use axum::extract::ConnectInfo;
        use std::net::SocketAddr;
        leptos::prelude::use_context::<axum::http::request::Parts>()
            .and_then(|p| {
                p.extensions
                    .get::<ConnectInfo<SocketAddr>>()
                    .map(|c| c.0.ip().to_string())
            })
            .unwrap_or_else(|| "unknown".into())
    }
}

/// Only local paths after login: never an open redirect to another site.
#[cfg(any(feature = "ssr", test))]
fn safe_next(next: Option<String>) -> String {
    match next {
        Some(n) if n.starts_with("/admin") && !n.starts_with("//") && !n.contains('\\') => n,
        _ => "/admin".to_string(),
    }
}

#[server(prefix = "/api", endpoint = "admin/login")]
pub async fn login(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<CurrentUser, AppError> {
    use crate::server::{auth, dates};
    let state = super::ssr::state()?;
    let session = guard::session().await?;
    let client = guard::client_address();
    let user = guard::status(
        auth::authenticate(&state.pool, &email, &password, &client, dates::now()).await,
    )?;
    auth::start_session(&session, &user).await?;
    leptos_axum::redirect(&safe_next(next));
    Ok(user.to_current())
}

#[server(prefix = "/api", endpoint = "admin/logout")]
pub async fn logout() -> Result<(), AppError> {
    let session = guard::session().await?;
    crate::server::auth::end_session(&session).await?;
    leptos_axum::redirect("/admin/login");
    Ok(())
}

#[server(prefix = "/api", endpoint = "admin/whoami", input = GetUrl)]
pub async fn whoami() -> Result<Option<CurrentUser>, AppError> {
    let (_, user) = guard::user().await?;
    Ok(user.map(|u| u.to_current()))
}

pub const ADMIN_PAGE_SIZE: u32 = 20;

#[server(prefix = "/api", endpoint = "admin/articles", input = GetUrl)]
pub async fn admin_articles(
    status: Option<String>,
    category: Option<String>,
    q: Option<String>,
    page: Option<String>,
) -> Result<Paged<AdminRow>, AppError> {
    use crate::server::dates;
    use crate::server::db::{
        articles as reader_db,
        editor::{self, AdminFilter},
    };
    let (state, actor) = guard::anyone().await?;
    let tz = state.config.timezone;
    let page = super::ssr::page_number(page)?;
    let status = status.filter(|s| !s.is_empty());
    if let Some(s) = &status {
        if Status::parse(s).is_none() {
            return super::ssr::fail(AppError::bad_request("Unknown status."));
        }
    }
    let category_id = match category.as_deref().filter(|c| !c.is_empty()) {
        Some(slug) => match reader_db::category_by_slug(&state.pool, slug).await? {
            Some(c) => Some(c.id),
            None => return super::ssr::fail(AppError::bad_request("Unknown section.")),
        },
        None => None,
    };
    let filter = AdminFilter {
        status,
        category_id,
        title: q,
        author_id: (!actor.role.is_editor()).then_some(actor.id),
    };
    let offset = (page as u64 - 1) * ADMIN_PAGE_SIZE as u64;
    let (rows, total) = editor::list(&state.pool, &filter, ADMIN_PAGE_SIZE, offset).await?;
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
                    updated: format!("{}, {}", dates::label(r.updated_at, &tz).text, {
                        use chrono::TimeZone;
                        tz.timestamp_opt(r.updated_at, 0)
                            .single()
                            .map(|d| d.format("%H:%M").to_string())
                            .unwrap_or_default()
                    }),
                    public_url: (status == Status::Published)
                        .then(|| crate::model::article_href(&r.slug)),
                }
            })
            .collect(),
        page,
        total_pages: super::ssr::total_pages(total, ADMIN_PAGE_SIZE),
        total_items: total,
    })
}

#[server(prefix = "/api", endpoint = "admin/article", input = GetUrl)]
pub async fn admin_article(id: i64) -> Result<EditorArticle, AppError> {
    let (state, actor) = guard::anyone().await?;
    guard::status(
        crate::server::newsroom::load(&state.pool, &actor, id, &state.config.timezone).await,
    )
}

#[server(prefix = "/api", endpoint = "admin/new")]
pub async fn new_article() -> Result<i64, AppError> {
    let (state, actor) = guard::anyone().await?;
    let id = guard::status(
        crate::server::newsroom::create(&state.pool, &actor, crate::server::dates::now()).await,
    )?;
    leptos_axum::redirect(&format!("/admin/articles/{id}"));
    Ok(id)
}

#[server(prefix = "/api", endpoint = "admin/save", input = Json)]
pub async fn save_article(
    id: i64,
    base_version: i64,
    form: ArticleForm,
    autosave: bool,
) -> Result<SaveResult, AppError> {
    use crate::server::{dates, newsroom};
    let (state, actor) = guard::anyone().await?;
    guard::status(
        newsroom::save(
            &state.pool,
            &actor,
            id,
            base_version,
            &form,
            autosave,
            "save",
            &state.config.timezone,
            dates::now(),
        )
        .await,
    )
}

#[server(prefix = "/api", endpoint = "admin/status", input = Json)]
pub async fn change_status(
    id: i64,
    base_version: i64,
    action: StatusAction,
) -> Result<SaveResult, AppError> {
    use crate::server::{dates, newsroom};
    let (state, actor) = guard::anyone().await?;
    guard::status(
        newsroom::change_status(
            &state.pool,
            &actor,
            id,
            base_version,
            &action,
            &state.config.timezone,
            dates::now(),
        )
        .await,
    )
}

#[server(prefix = "/api", endpoint = "admin/note", input = Json)]
pub async fn add_note(id: i64, text: String) -> Result<Option<FieldError>, AppError> {
    use crate::server::{dates, newsroom};
    let (state, actor) = guard::require(Role::is_editor).await?;
    guard::status(newsroom::add_note(&state.pool, &actor, id, &text, dates::now()).await)
}

#[server(prefix = "/api", endpoint = "admin/revisions", input = GetUrl)]
pub async fn article_revisions(id: i64) -> Result<Vec<RevisionInfo>, AppError> {
    let (state, actor) = guard::anyone().await?;
    guard::status(
        crate::server::newsroom::revisions(&state.pool, &actor, id, &state.config.timezone).await,
    )
}

#[server(prefix = "/api", endpoint = "admin/revision", input = GetUrl)]
pub async fn article_revision(id: i64, revision_id: i64) -> Result<ArticleForm, AppError> {
    let (state, actor) = guard::anyone().await?;
    guard::status(
        crate::server::newsroom::revision_form(&state.pool, &actor, id, revision_id).await,
    )
}

#[server(prefix = "/api", endpoint = "admin/restore", input = Json)]
pub async fn restore_revision(
    id: i64,
    revision_id: i64,
    base_version: i64,
) -> Result<SaveResult, AppError> {
    use crate::server::{dates, newsroom};
    let (state, actor) = guard::anyone().await?;
    guard::status(
        newsroom::restore(
            &state.pool,
            &actor,
            id,
            revision_id,
            base_version,
            &state.config.timezone,
            dates::now(),
        )
        .await,
    )
}

/// The preview is the article page's own renderer: what you see is what readers get.
#[server(prefix = "/api", endpoint = "admin/preview", input = Json)]
pub async fn preview_markdown(body: String) -> Result<String, AppError> {
    guard::anyone().await?;
    if body.chars().count() > crate::model::validate::BODY_MAX {
        return super::ssr::fail(AppError::bad_request("The body is too long to preview."));
    }
    Ok(crate::server::markdown::render(&body).html)
}

/// Published articles matching `q`, for the READ ALSO picker.
#[server(prefix = "/api", endpoint = "admin/picks", input = GetUrl)]
pub async fn pick_candidates(q: String) -> Result<Vec<Pick>, AppError> {
    use crate::server::{db::search as sdb, search};
    let (state, _) = guard::anyone().await?;
    let Some(fts) = search::fts_query(&q) else {
        return Ok(vec![]);
    };
    Ok(sdb::suggest(&state.pool, &fts, 8)
        .await?
        .into_iter()
        .map(|r| Pick {
            slug: r.slug,
            title: r.title,
        })
        .collect())
}

#[server(prefix = "/api", endpoint = "admin/users", input = GetUrl)]
pub async fn list_users() -> Result<Vec<UserRow>, AppError> {
    use crate::server::{dates, db::users};
    let (state, _) = guard::require(Role::manages_users).await?;
    Ok(users::list(&state.pool)
        .await?
        .into_iter()
        .map(|u| UserRow {
            id: u.id,
            role: u.role(),
            email: u.email,
            display_name: u.display_name,
            disabled: u.disabled,
            created: dates::label(u.created_at, &state.config.timezone).text,
        })
        .collect())
}

/// Creates an account; returns the problems with the input instead when there are any.
#[server(prefix = "/api", endpoint = "admin/users/create", input = Json)]
pub async fn create_user(
    email: String,
    display_name: String,
    role: Role,
    password: String,
) -> Result<Vec<String>, AppError> {
    use crate::server::{auth, dates, db::users};
    let (state, _) = guard::require(Role::manages_users).await?;
    let errors = crate::model::validate::check_account(&email, &display_name, Some(&password));
    if !errors.is_empty() {
        return Ok(errors);
    }
    let hash = auth::hash_password(password).await?;
    match users::insert(
        &state.pool,
        &email,
        &display_name,
        role,
        &hash,
        dates::now(),
    )
    .await?
    {
        Some(_) => Ok(vec![]),
        None => Ok(vec![
            "An account with this e-mail address exists already.".into()
        ]),
    }
}

#[server(prefix = "/api", endpoint = "admin/users/update", input = Json)]
pub async fn update_user(
    id: i64,
    display_name: String,
    role: Role,
    disabled: bool,
) -> Result<Vec<String>, AppError> {
    use crate::server::{dates, db::users};
    let (state, actor) = guard::require(Role::manages_users).await?;
    let Some(target) = users::by_id(&state.pool, id).await? else {
        return super::ssr::fail(AppError::not_found("There is no such user."));
    };
    let errors = crate::model::validate::check_account(&target.email, &display_name, None);
    if !errors.is_empty() {
        return Ok(errors);
    }
    let loses_admin =
        target.role() == Role::Admin && !target.disabled && (role != Role::Admin || disabled);
    if loses_admin && users::active_admins(&state.pool).await? <= 1 {
        return Ok(vec!["The site needs at least one active admin.".into()]);
    }
    if id == actor.id && disabled {
        return Ok(vec!["You cannot disable your own account.".into()]);
    }
    users::update(&state.pool, id, &display_name, role, disabled, dates::now()).await?;
    Ok(vec![])
}

#[server(prefix = "/api", endpoint = "admin/users/password", input = Json)]
pub async fn reset_password(id: i64, password: String) -> Result<Vec<String>, AppError> {
    use crate::server::{auth, dates, db::users};
    let (state, _) = guard::require(Role::manages_users).await?;
    let errors = crate::model::validate::check_account("x@y.z", "x", Some(&password));
    if !errors.is_empty() {
        return Ok(errors);
    }
    let hash = auth::hash_password(password).await?;
    if !users::set_password(&state.pool, id, &hash, dates::now()).await? {
        return super::ssr::fail(AppError::not_found("There is no such user."));
    }
    Ok(vec![])
}

#[cfg(test)]
mod tests {
    #[test]
    fn next_is_always_local() {
        use super::safe_next;
        assert_eq!(
            safe_next(Some("/admin/articles/3".into())),
            "/admin/articles/3"
        );
        for bad in [
            "https://evil.example/admin",
            "//evil.example",
            "/\\evil",
            "/search",
        ] {
            assert_eq!(safe_next(Some(bad.into())), "/admin", "{bad}");
        }
        assert_eq!(safe_next(None), "/admin");
    }
}
