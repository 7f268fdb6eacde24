//! Newsroom accounts: passwords (Argon2id through `password-auth`), sessions (tower-sessions,
//! stored in the database), the login throttle, and the rules for managing users. Who may
//! manage users is `model::policy`'s answer; what must stay true of the accounts (an address
//! is used once, there is always an active admin, nobody locks themselves out) is kept here.

use super::dates::Clock;
use super::db::{users, users::UserRecord, Pool};
use super::state::AppState;
use crate::error::AppError;
use crate::model::accounts::{Role, UserRow};
use crate::model::policy::{require, Action, Actor};
use crate::model::validate::{check_account, check_password, Field, FieldError};
use chrono_tz::Tz;
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
        .map_err(|e| AppError::internal("hashing a password", e))
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

fn session_error(err: tower_sessions::session::Error) -> AppError {
    AppError::internal("session store", err)
}

/// Logs `user` in on this session: a new session id (no fixation), then the user.
pub async fn start_session(session: &Session, user: &UserRecord) -> Result<(), AppError> {
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
pub async fn session_user(session: &Session, pool: &Pool) -> Result<Option<UserRecord>, AppError> {
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

/// Who this session belongs to, or 401.
pub async fn session_actor(session: &Session, pool: &Pool) -> Result<Actor, AppError> {
    match session_user(session, pool).await? {
        Some(user) => Ok(user.actor()),
        None => Err(AppError::Unauthorized(
            "Your session has ended. Log in again; your text is kept in this browser.".into(),
        )),
    }
}

/// The account rules, with what they need at hand.
#[derive(Clone)]
pub struct Accounts {
    pool: Pool,
    tz: Tz,
    clock: Clock,
}

impl Accounts {
    pub fn new(pool: Pool, tz: Tz, clock: Clock) -> Self {
        Accounts { pool, tz, clock }
    }

    pub fn from_state(state: &AppState) -> Self {
        Self::new(
            state.pool.clone(),
            state.config.timezone,
            state.clock.clone(),
        )
    }

    /// Checks an e-mail address and password. Refuses (with 429) while either the account or
    /// the client address has too many recent failures.
    pub async fn authenticate(
        &self,
        email: &str,
        password: &str,
        client: &str,
    ) -> Result<UserRecord, AppError> {
        let pool = &self.pool;
        let now = self.clock.now();
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

    pub async fn list(&self, actor: &Actor) -> Result<Vec<UserRow>, AppError> {
        require(actor, Action::ManageUsers)?;
        Ok(users::list(&self.pool)
            .await?
            .into_iter()
            .map(|u| UserRow {
                id: u.id,
                role: u.role(),
                email: u.email,
                display_name: u.display_name,
                disabled: u.disabled,
                created: super::dates::label(u.created_at, &self.tz).text,
            })
            .collect())
    }

    /// An admin creates an account.
    pub async fn create(
        &self,
        actor: &Actor,
        email: &str,
        display_name: &str,
        role: Role,
        password: String,
    ) -> Result<Vec<FieldError>, AppError> {
        require(actor, Action::ManageUsers)?;
        self.add_user(email, display_name, role, password).await
    }

    /// Creates an account (for an admin, the command line, the demo tool); the problems with
    /// the input instead, when there are any.
    pub async fn add_user(
        &self,
        email: &str,
        display_name: &str,
        role: Role,
        password: String,
    ) -> Result<Vec<FieldError>, AppError> {
        let mut errors = check_account(email, display_name);
        errors.extend(check_password(&password));
        if !errors.is_empty() {
            return Ok(errors);
        }
        let hash = hash_password(password).await?;
        let inserted = users::insert(
            &self.pool,
            email,
            display_name,
            role,
            &hash,
            self.clock.now(),
        )
        .await?;
        Ok(match inserted {
            Some(_) => vec![],
            None => vec![FieldError::new(
                Field::Email,
                "An account with this e-mail address exists already.",
            )],
        })
    }

    /// Changes an account's name, role or whether it may log in.
    pub async fn update(
        &self,
        actor: &Actor,
        id: i64,
        display_name: &str,
        role: Role,
        disabled: bool,
    ) -> Result<Vec<FieldError>, AppError> {
        require(actor, Action::ManageUsers)?;
        let Some(target) = users::by_id(&self.pool, id).await? else {
            return Err(AppError::not_found("There is no such user."));
        };
        let errors = check_account(&target.email, display_name);
        if !errors.is_empty() {
            return Ok(errors);
        }
        let loses_admin =
            target.role() == Role::Admin && !target.disabled && (role != Role::Admin || disabled);
        if loses_admin && users::active_admins(&self.pool).await? <= 1 {
            return Ok(vec![FieldError::new(
                Field::Account,
                "The site needs at least one active admin.",
            )]);
        }
        if id == actor.id && disabled {
            return Ok(vec![FieldError::new(
                Field::Account,
                "You cannot disable your own account.",
            )]);
        }
        users::update(
            &self.pool,
            id,
            display_name,
            role,
            disabled,
            self.clock.now(),
        )
        .await?;
        Ok(vec![])
    }

    /// An admin sets someone's password; every session of theirs ends.
    pub async fn reset_password(
        &self,
        actor: &Actor,
        id: i64,
        password: String,
    ) -> Result<Vec<FieldError>, AppError> {
        require(actor, Action::ManageUsers)?;
        self.set_password(id, password).await
    }

    /// Sets a password (for an admin or the command line); every session of the user ends.
    pub async fn set_password(
        &self,
        id: i64,
        password: String,
    ) -> Result<Vec<FieldError>, AppError> {
        let errors = check_password(&password);
        if !errors.is_empty() {
            return Ok(errors);
        }
        let hash = hash_password(password).await?;
        if !users::set_password(&self.pool, id, &hash, self.clock.now()).await? {
            return Err(AppError::not_found("There is no such user."));
        }
        Ok(vec![])
    }
}
