//! Logging in and out, and the admin's user management: decode, find out who is asking, call
//! `server::accounts::Accounts`, which checks the policy and the account rules.

use crate::error::AppError;
use crate::model::accounts::{CurrentUser, Role, UserRow};
use crate::model::validate::FieldError;
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

#[cfg(feature = "ssr")]
async fn accounts() -> Result<
    (
        crate::server::accounts::Accounts,
        crate::model::policy::Actor,
    ),
    AppError,
> {
    let (state, actor) = super::ssr::actor().await?;
    Ok((state.accounts(), actor))
}

/// After a form post: a browser without JavaScript gets a real `303 See Other` to `path`; the
/// WASM client gets Leptos' redirect header and navigates itself.
#[cfg(feature = "ssr")]
pub(crate) fn redirect_after_post(path: &str) {
    use axum::http::{header, request::Parts, StatusCode};
    leptos_axum::redirect(path);
    let plain_form = use_context::<Parts>().is_some_and(|p| {
        p.headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
    });
    if plain_form {
        if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
            res.set_status(StatusCode::SEE_OTHER);
        }
    }
}

/// The client's address, as the login throttle counts it (through trusted proxies, the
/// address they forwarded).
#[cfg(feature = "ssr")]
fn client_address(state: &crate::server::state::AppState) -> String {
    use_context::<axum::http::request::Parts>()
        .and_then(|p| crate::server::client::client_of(&p.extensions, &p.headers, &state.config))
        .map(|ip| ip.to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// After login, only a page of the newsroom: never an open redirect to another site.
#[cfg(any(feature = "ssr", test))]
fn safe_next(next: Option<String>) -> String {
    use crate::routes::RouteKind;
    match next {
        Some(n)
            if !n.contains('\\')
                && !n.chars().any(char::is_control)
                && RouteKind::of(n.split(['?', '#']).next().unwrap_or_default())
                    .is_newsroom_page() =>
        {
            n
        }
        _ => "/admin".to_string(),
    }
}

#[server(prefix = "/api", endpoint = "admin/login")]
pub async fn login(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<CurrentUser, AppError> {
    use crate::server::accounts::start_session;
    let state = super::ssr::state()?;
    let session = super::ssr::session().await?;
    let accounts = state.accounts();
    let device = device_cookie();
    let user = accounts
        .authenticate(
            &email,
            &password,
            &client_address(&state),
            device.as_deref(),
        )
        .await?;
    start_session(&session, &user, state.clock.now()).await?;
    let token = accounts.remember_device(&user, device.as_deref()).await?;
    set_device_cookie(&token, state.config.secure_cookies());
    redirect_after_post(&safe_next(next));
    Ok(user.to_current())
}

/// The device cookie the browser sent with this log-in, if any.
#[cfg(feature = "ssr")]
fn device_cookie() -> Option<String> {
    use_context::<axum::http::request::Parts>()
        .and_then(|p| crate::server::cookies::value(&p.headers, crate::server::cookies::DEVICE))
}

/// Remembers this browser for the account it logged in to: sent with log-ins only (its path),
/// never readable by scripts, never sent from another site.
#[cfg(feature = "ssr")]
fn set_device_cookie(token: &str, secure: bool) {
    use crate::server::{accounts::DEVICE_LIFETIME, cookies::DEVICE};
    use axum::http::{header, HeaderValue};
    let cookie = format!(
        "{DEVICE}={token}; Path=/api/admin/login; Max-Age={DEVICE_LIFETIME}; HttpOnly; \
         SameSite=Strict{}",
        if secure { "; Secure" } else { "" }
    );
    if let (Some(res), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(&cookie),
    ) {
        res.append_header(header::SET_COOKIE, value);
    }
}

/// Someone changes their own password (the current one first); their other sessions end.
#[server(prefix = "/api", endpoint = "admin/me/password", input = Json)]
pub async fn change_password(
    current: String,
    password: String,
) -> Result<Vec<FieldError>, AppError> {
    let (state, actor) = super::ssr::actor().await?;
    let session = super::ssr::session().await?;
    state
        .accounts()
        .change_own_password(
            &actor,
            &session,
            &current,
            password,
            &client_address(&state),
        )
        .await
}

/// Ends every session of the one asking, on every device.
#[server(prefix = "/api", endpoint = "admin/me/logout-everywhere")]
pub async fn logout_everywhere() -> Result<(), AppError> {
    let (state, actor) = super::ssr::actor().await?;
    let session = super::ssr::session().await?;
    state
        .accounts()
        .log_out_everywhere(&actor, &session)
        .await?;
    redirect_after_post("/admin/login");
    Ok(())
}

/// The audit log, a page at a time (admins).
#[server(prefix = "/api", endpoint = "admin/audit", input = GetUrl)]
pub async fn audit_log(before: Option<i64>) -> Result<crate::model::accounts::AuditPage, AppError> {
    let (accounts, actor) = accounts().await?;
    accounts.audit_log(&actor, before).await
}

#[server(prefix = "/api", endpoint = "admin/logout")]
pub async fn logout() -> Result<(), AppError> {
    let session = super::ssr::session().await?;
    crate::server::accounts::end_session(&session).await?;
    redirect_after_post("/admin/login");
    Ok(())
}

#[server(prefix = "/api", endpoint = "admin/whoami", input = GetUrl)]
pub async fn whoami() -> Result<Option<CurrentUser>, AppError> {
    let state = super::ssr::state()?;
    let session = super::ssr::session().await?;
    let user = crate::server::accounts::session_user(&session, &state.pool).await?;
    Ok(user.map(|u| u.to_current()))
}

#[server(prefix = "/api", endpoint = "admin/users", input = GetUrl)]
pub async fn list_users() -> Result<Vec<UserRow>, AppError> {
    let (accounts, actor) = accounts().await?;
    accounts.list(&actor).await
}

/// Creates an account; the problems with the input instead, when there are any.
#[server(prefix = "/api", endpoint = "admin/users/create", input = Json)]
pub async fn create_user(
    email: String,
    display_name: String,
    role: Role,
    password: String,
) -> Result<Vec<FieldError>, AppError> {
    let (accounts, actor) = accounts().await?;
    accounts
        .create(&actor, &email, &display_name, role, password)
        .await
}

#[server(prefix = "/api", endpoint = "admin/users/update", input = Json)]
pub async fn update_user(
    id: i64,
    display_name: String,
    role: Role,
    disabled: bool,
) -> Result<Vec<FieldError>, AppError> {
    let (accounts, actor) = accounts().await?;
    accounts
        .update(&actor, id, &display_name, role, disabled)
        .await
}

#[server(prefix = "/api", endpoint = "admin/users/password", input = Json)]
pub async fn reset_password(id: i64, password: String) -> Result<Vec<FieldError>, AppError> {
    let (accounts, actor) = accounts().await?;
    accounts.reset_password(&actor, id, password).await
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
            "/administrator",
            "/admin\\..\\evil",
        ] {
            assert_eq!(safe_next(Some(bad.into())), "/admin", "{bad}");
        }
        assert_eq!(safe_next(None), "/admin");
        assert_eq!(
            safe_next(Some("/admin?status=draft".into())),
            "/admin?status=draft"
        );
    }
}
