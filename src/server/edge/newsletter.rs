//! The newsletter's forms, which work without JavaScript: each posts here and is answered
//! with `303 See Other` to the page that says what happened (the page answers with the
//! right status: 422 for an address refused, 503 while mail cannot be sent…). And the
//! one-click unsubscribe of RFC 8058 that mail programs post to, and the admins' CSV export.
//!
//! `GET` never changes anything (mail scanners open every link): the unsubscribe link opened
//! in a browser leads to the page with the button.

use crate::error::AppError;
use crate::model::newsletter::Outcome;
use crate::routes::newsletter as paths;
use crate::server::{accounts, state::AppState};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

/// A form's fields (`section` may come several times).
struct Fields(Vec<(String, String)>);

impl Fields {
    fn of(body: &Bytes) -> Self {
        Fields(
            form_urlencoded::parse(body)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    fn get(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

/// Forms are small; anything longer is not one of ours.
const FORM_MAX: usize = 16 * 1024;

fn see(to: String) -> Response {
    Redirect::to(&to).into_response()
}

/// The page's word for what the service answered (its messages are the outcomes').
fn outcome_of(e: &AppError) -> Outcome {
    if matches!(e, AppError::Unavailable(_)) {
        return Outcome::Unavailable;
    }
    let said = e.to_string();
    Outcome::ALL
        .into_iter()
        .find(|o| o.is_error() && o.message() == said)
        .unwrap_or(Outcome::Failed)
}

#[derive(serde::Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

/// `POST /newsletter/api/subscribe`: email, frequency, section…
pub async fn subscribe(State(state): State<AppState>, body: Bytes) -> Response {
    if body.len() > FORM_MAX {
        return AppError::PayloadTooLarge("This form is too long.".into()).into_response();
    }
    let form = Fields::of(&body);
    let frequency = Some(form.get("frequency"))
        .filter(|f| !f.is_empty())
        .unwrap_or_else(|| "daily".into());
    let outcome = match state
        .newsletter()
        .subscribe(&form.get("email"), &frequency, &form.all("section"))
        .await
    {
        Ok(()) => Outcome::CheckInbox,
        Err(e) => {
            if matches!(e, AppError::Internal) {
                tracing::error!("the newsletter signup failed");
            }
            outcome_of(&e)
        }
    };
    see(paths::signup_page(outcome))
}

/// `POST /newsletter/api/confirm`: the "Confirm" button (token).
pub async fn confirm(State(state): State<AppState>, body: Bytes) -> Response {
    let form = Fields::of(&body);
    let token = form.get("token");
    match state.newsletter().confirm(&token).await {
        Ok(_) => see(paths::manage_page(&token, Some(Outcome::Confirmed))),
        // The page says the link is no longer valid (404).
        Err(AppError::NotFound(_)) => see(paths::confirm_page(&token)),
        Err(e) => e.into_response(),
    }
}

/// `POST /newsletter/api/manage`: token, frequency, section…
pub async fn manage(State(state): State<AppState>, body: Bytes) -> Response {
    if body.len() > FORM_MAX {
        return AppError::PayloadTooLarge("This form is too long.".into()).into_response();
    }
    let form = Fields::of(&body);
    let token = form.get("token");
    match state
        .newsletter()
        .set_preferences(&token, &form.get("frequency"), &form.all("section"))
        .await
    {
        Ok(_) => see(paths::manage_page(&token, Some(Outcome::Saved))),
        Err(AppError::NotFound(_)) => see(paths::manage_page(&token, None)),
        Err(e) => see(paths::manage_page(&token, Some(outcome_of(&e)))),
    }
}

/// `POST /newsletter/api/unsubscribe`: a mail program's one-click (`?token=…`, body
/// `List-Unsubscribe=One-Click`: 200, nothing to follow) or the manage page's button (token
/// in the form: on to the signup page, which says it is done).
pub async fn unsubscribe(
    State(state): State<AppState>,
    Query(query): Query<TokenQuery>,
    body: Bytes,
) -> Response {
    let form = Fields::of(&body);
    let one_click = form.get("List-Unsubscribe") == "One-Click";
    let token = if query.token.is_empty() {
        form.get("token")
    } else {
        query.token
    };
    if let Err(e) = state.newsletter().unsubscribe(&token).await {
        return e.into_response();
    }
    if one_click {
        (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Unsubscribed: the address is deleted and gets nothing more.\n",
        )
            .into_response()
    } else {
        see(paths::signup_page(Outcome::Unsubscribed))
    }
}

/// `GET /newsletter/api/unsubscribe?token=…`: the link opened in a browser leads to the page
/// with the button (a mail scanner following it changes nothing).
pub async fn unsubscribe_page(Query(query): Query<TokenQuery>) -> Response {
    see(paths::manage_page(&query.token, None))
}

/// `GET /api/admin/newsletter.csv`: every subscriber, for admins.
pub async fn export(State(state): State<AppState>, session: Session) -> Response {
    let result = async {
        let actor = accounts::session_actor(&session, &state.pool).await?;
        state.newsletter().export(&actor).await
    }
    .await;
    match result {
        Ok(csv) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"newsletter-subscribers.csv\"",
                ),
            ],
            csv,
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}
