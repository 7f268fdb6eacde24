//! Passwords (Argon2id through `password-auth`), sessions (tower-sessions, stored in the
//! database) and the login throttle.

use super::db::{users, Pool};
use crate::error::AppError;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use tower_sessions::Session;

const SESSION_KEY: &str = "user";
/// Failed logins are counted in windows of this many seconds...
pub const THROTTLE_WINDOW: i64 = 15 * 60;
/// ...and refused after this many failures for one account...
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
/// ...or this many from one client address (many accounts tried from one place).
pub const MAX_FAILURES_PER_CLIENT: i64 = 30;

/// What the session cookie stands for. The epoch lets a password change or a disabled
/// account end every session at once.
#[derive(Serialize, Deserialize)]
struct SessionUser {
    id: i64,
    epoch: i64,
}

pub async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || password_auth::generate_hash(password))
        .await
        .map_err(|_| AppError::Internal)
}

async fn verify(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || password_auth::verify_password(password, &hash).is_ok())
        .await
        .unwrap_or(false)
}

/// A real hash to verify against when the account does not exist, so that the answer takes
/// as long either way (no probing for valid addresses by timing).
fn dummy_hash() -> String {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY
        .get_or_init(|| password_auth::generate_hash("not a real password"))
        .clone()
}

fn account_key(email: &str) -> String {
    format!("account:{}", email.trim().to_lowercase())
}

fn client_key(client: &str) -> String {
    format!("client:{client}")
}

/// Checks an e-mail address and password. Refuses (with 429) while either the account or
/// the client address has too many recent failures.
pub async fn authenticate(
    pool: &Pool,
    email: &str,
    password: &str,
    client: &str,
    now: i64,
) -> Result<users::UserRecord, AppError> {
    let since = now - THROTTLE_WINDOW;
    let (account_failures, account_start) =
        users::throttle_failures(pool, &account_key(email), since).await?;
    let (client_failures, client_start) =
        users::throttle_failures(pool, &client_key(client), since).await?;
    let blocked_until = [
        (account_failures >= MAX_FAILURES_PER_ACCOUNT).then_some(account_start),
        (client_failures >= MAX_FAILURES_PER_CLIENT).then_some(client_start),
    ]
    .into_iter()
    .flatten()
    .max();
    if let Some(start) = blocked_until {
        let minutes = ((start + THROTTLE_WINDOW - now) as f64 / 60.0)
            .ceil()
            .max(1.0) as i64;
        return Err(AppError::TooManyRequests(format!(
            "Too many failed log-in attempts. Try again in {minutes} minute{}.",
            if minutes == 1 { "" } else { "s" }
        )));
    }

    let user = users::by_email(pool, email).await?;
    let hash = user
        .as_ref()
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(dummy_hash);
    let password_ok = verify(password.to_string(), hash).await;
    match user {
        Some(user) if password_ok && !user.disabled => {
            users::throttle_clear(pool, &account_key(email)).await?;
            Ok(user)
        }
        _ => {
            users::throttle_fail(pool, &account_key(email), now, THROTTLE_WINDOW).await?;
            users::throttle_fail(pool, &client_key(client), now, THROTTLE_WINDOW).await?;
            Err(AppError::Unauthorized(
                "Wrong e-mail address or password.".into(),
            ))
        }
    }
}

fn session_error(err: tower_sessions::session::Error) -> AppError {
    tracing::error!(error = %err, "session store");
    AppError::Internal
}

/// Logs `user` in on this session: a new session id (no fixation), then the user.
pub async fn start_session(session: &Session, user: &users::UserRecord) -> Result<(), AppError> {
    session.cycle_id().await.map_err(session_error)?;
    session
        .insert(
            SESSION_KEY,
            SessionUser {
                id: user.id,
                epoch: user.session_epoch,
            },
        )
        .await
        .map_err(session_error)
}

pub async fn end_session(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(session_error)
}

/// The user this session belongs to, if it is still valid (account active, same epoch).
pub async fn session_user(
    session: &Session,
    pool: &Pool,
) -> Result<Option<users::UserRecord>, AppError> {
    let Some(su) = session
        .get::<SessionUser>(SESSION_KEY)
        .await
        .map_err(session_error)?
    else {
        return Ok(None);
    };
    let user = users::by_id(pool, su.id).await?;
    Ok(user.filter(|u| !u.disabled && u.session_epoch == su.epoch))
}
