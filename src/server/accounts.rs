//! Newsroom accounts: passwords (Argon2id through `password-auth`), sessions (tower-sessions,
//! stored in the database), the login throttle, and the rules for managing users. Who may
//! manage users is `model::policy`'s answer; what must stay true of the accounts (an address
//! is used once, there is always an active admin, nobody locks themselves out) is kept here.

use super::cookies::stored_session_id;
use super::dates::Clock;
use super::db::{self, audit, users, users::ThrottleKey, users::UserRecord, Pool};
use super::slots::Slots;
use super::state::AppState;
use crate::error::AppError;
use crate::model::accounts::{AuditEntry, AuditPage, Role, UserRow};
use crate::model::policy::{require, Action, Actor};
use crate::model::validate::{check_account, check_password, Field, FieldError};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use tower_sessions::Session;

const SESSION_KEY: &str = "user";
/// A key of the login throttle forgets its failures after this many seconds without one.
pub const THROTTLE_WINDOW: i64 = 15 * 60;
/// Wrong passwords one address may try for one account before each further attempt waits
/// (2 s, 4 s, 8 s ... up to 15 minutes). The owner, from another address, is not held up.
pub const FREE_TRIES_PER_PAIR: i64 = 5;
/// Failures from one address over all accounts before its attempts wait the same way.
pub const FREE_TRIES_PER_CLIENT: i64 = 30;
/// Failures for one account from everywhere before every attempt for it waits; the wait
/// stays short (a minute at most) so that this brakes a spread-out attack without ever
/// locking the owner out.
pub const FREE_TRIES_PER_ACCOUNT: i64 = 100;
/// Wrong passwords a browser that logged in to the account before may try before its attempts
/// wait (2 s, 4 s ... up to 15 minutes). Such a browser meets only this brake: strangers'
/// failures, which hold the account and their addresses back, never hold up the owner's own
/// browser (a device cookie, as OWASP's guidance against lock-outs describes).
pub const FREE_TRIES_PER_DEVICE: i64 = 5;
/// A browser is remembered this long after it last logged in.
pub const DEVICE_LIFETIME: i64 = 180 * 86_400;
/// Browsers remembered per account (the most recently used).
const DEVICES_PER_ACCOUNT: i64 = 20;
/// Longest a log-in waits for a turn at password hashing before it is told to retry.
const HASHING_QUEUE_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// The demo tool's accounts: e-mail, name, role, password. The passwords are public (the
/// README prints them), so a server reachable from other machines refuses to start while
/// any of these accounts still has its demo password.
pub const DEMO_USERS: [(&str, &str, Role, &str); 3] = [
    (
        "editor@meridian.example",
        "Demo Editor",
        Role::Editor,
        "meridian-editor-demo",
    ),
    (
        "author@meridian.example",
        "Demo Author",
        Role::Author,
        "meridian-author-demo",
    ),
    (
        "admin@meridian.example",
        "Demo Admin",
        Role::Admin,
        "meridian-admin-demo",
    ),
];

/// A session ends this long after its log-in, however busy (it also ends after a week unused).
pub const SESSION_LIFETIME: i64 = 30 * 86_400;

/// What the session cookie stands for. The epoch lets a password change, a disabled account
/// or "log out everywhere" end every session at once; `since` is when the log-in happened.
#[derive(Serialize, Deserialize)]
struct SessionUser {
    id: i64,
    epoch: i64,
    #[serde(default)]
    since: i64,
}

/// Each password hash takes 19 MiB and a core's worth of work for a while: one per core at
/// once (`slots`), the rest queue for a turn. Four at once held 76 MiB under the load test.
static HASHING: Slots = Slots::per_core();

/// Runs a hashing job when a turn is free; 429 when none frees up in time.
async fn hashing<T: Send + 'static>(
    job: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    HASHING
        .spawn(Some(HASHING_QUEUE_WAIT), job)
        .await
        .map_err(|_| {
            AppError::TooManyRequests(
                "The newsroom is busy checking other log-ins. Try again in a few seconds.".into(),
            )
        })?
        .await
        .map_err(|e| AppError::internal("hashing a password", e))
}

pub async fn hash_password(password: String) -> Result<String, AppError> {
    hashing(move || password_auth::generate_hash(password)).await
}

async fn verify(password: String, hash: String) -> Result<bool, AppError> {
    hashing(move || password_auth::verify_password(password, &hash).is_ok()).await
}

/// A real hash to verify against when the account does not exist, so that the answer takes
/// as long either way (no probing for valid addresses by timing).
fn dummy_hash() -> String {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY
        .get_or_init(|| password_auth::generate_hash("not a real password"))
        .clone()
}

fn normal_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// The throttle's keys for an attempt on `email` from `client`: the pair, the address, the
/// account.
fn throttle_keys(email: &str, client: &str) -> [ThrottleKey; 3] {
    let email = normal_email(email);
    let key = |key: String, free: i64, max_delay: i64| ThrottleKey {
        key,
        free,
        max_delay,
    };
    [
        key(
            format!("pair:{client} {email}"),
            FREE_TRIES_PER_PAIR,
            THROTTLE_WINDOW,
        ),
        key(
            format!("client:{client}"),
            FREE_TRIES_PER_CLIENT,
            THROTTLE_WINDOW,
        ),
        key(format!("account:{email}"), FREE_TRIES_PER_ACCOUNT, 60),
    ]
}

/// The throttle's one key for a browser that logged in to the account before.
fn device_key(device_hash: &str) -> ThrottleKey {
    ThrottleKey {
        key: format!("device:{device_hash}"),
        free: FREE_TRIES_PER_DEVICE,
        max_delay: THROTTLE_WINDOW,
    }
}

/// A device token as the store keeps it: hashed, like session ids.
fn device_hash(token: &str) -> String {
    use blake2::{Blake2s256, Digest};
    Blake2s256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether a cookie's value can be a device token at all (what `new_device_token` makes).
fn plausible_token(token: &str) -> bool {
    (32..=64).contains(&token.len())
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// 256 random bits (two session ids' worth: the same generator), URL-safe.
fn new_device_token() -> String {
    use tower_sessions::session::Id;
    format!("{}{}", Id::default(), Id::default())
}

fn wait_message(seconds: i64) -> String {
    let (n, unit) = if seconds >= 90 {
        ((seconds as f64 / 60.0).ceil() as i64, "minute")
    } else {
        (seconds.max(1), "second")
    };
    format!(
        "Too many failed log-in attempts. Try again in {n} {unit}{}.",
        if n == 1 { "" } else { "s" }
    )
}

fn session_error(err: tower_sessions::session::Error) -> AppError {
    AppError::internal("session store", err)
}

/// Logs `user` in on this session at `now`: a new session id (no fixation), then the user.
pub async fn start_session(session: &Session, user: &UserRecord, now: i64) -> Result<(), AppError> {
    session.cycle_id().await.map_err(session_error)?;
    session
        .insert(
            SESSION_KEY,
            SessionUser {
                id: user.id,
                epoch: user.session_epoch,
                since: now,
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
    if outlived(su.since, super::dates::now()) {
        end_session(session).await?;
        return Ok(None);
    }
    let user = users::by_id(pool.acquire().await?.conn(), su.id).await?;
    Ok(user.filter(|u| !u.disabled && u.session_epoch == su.epoch))
}

/// Whether a session that began at `since` has passed its absolute lifetime at `now`.
fn outlived(since: i64, now: i64) -> bool {
    now - since > SESSION_LIFETIME
}

/// A session store that keeps every id hashed (`stored_session_id`); the cookie carries the
/// id itself.
#[derive(Debug, Clone)]
pub struct HashedIds<S>(pub S);

#[async_trait::async_trait]
impl<S: tower_sessions::SessionStore> tower_sessions::SessionStore for HashedIds<S> {
    async fn create(
        &self,
        record: &mut tower_sessions::session::Record,
    ) -> tower_sessions::session_store::Result<()> {
        // A new id whose hash is not taken (as the inner store would check its own ids).
        loop {
            let stored = stored_session_id(&record.id);
            if self.0.load(&stored).await?.is_none() {
                let mut hashed = record.clone();
                hashed.id = stored;
                return self.0.save(&hashed).await;
            }
            record.id = tower_sessions::session::Id::default();
        }
    }

    async fn save(
        &self,
        record: &tower_sessions::session::Record,
    ) -> tower_sessions::session_store::Result<()> {
        let mut hashed = record.clone();
        hashed.id = stored_session_id(&record.id);
        self.0.save(&hashed).await
    }

    async fn load(
        &self,
        id: &tower_sessions::session::Id,
    ) -> tower_sessions::session_store::Result<Option<tower_sessions::session::Record>> {
        Ok(self
            .0
            .load(&stored_session_id(id))
            .await?
            .map(|mut record| {
                record.id = *id;
                record
            }))
    }

    async fn delete(
        &self,
        id: &tower_sessions::session::Id,
    ) -> tower_sessions::session_store::Result<()> {
        self.0.delete(&stored_session_id(id)).await
    }
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

    /// Checks an e-mail address and password from a client address. Every attempt is counted
    /// as a failure before the password is checked (and taken back when it was right), so
    /// parallel guesses meet the limits as surely as sequential ones; while a limit holds,
    /// the answer is 429 with the wait, without checking anything.
    ///
    /// `device` is the device cookie of the browser, if it sent one: a browser that logged in
    /// to this account before is held back only by its own failures (`FREE_TRIES_PER_DEVICE`),
    /// never by the account's or its address's.
    pub async fn authenticate(
        &self,
        email: &str,
        password: &str,
        client: &str,
        device: Option<&str>,
    ) -> Result<UserRecord, AppError> {
        // Longer input is refused before any hashing or counting (no password set here is
        // longer, and every distinct address would otherwise be a row of the throttle).
        use crate::model::validate::{EMAIL_MAX, PASSWORD_MAX};
        if email.len() > EMAIL_MAX || password.len() > 4 * PASSWORD_MAX {
            return Err(AppError::BadRequest(format!(
                "An e-mail address has at most {EMAIL_MAX} characters and a password at most \
                 {PASSWORD_MAX}."
            )));
        }
        let pool = &self.pool;
        let now = self.clock.now();
        let device = match device.filter(|t| plausible_token(t)) {
            Some(token) => self.known_device(token, email).await?,
            None => None,
        };
        let keys: Vec<ThrottleKey> = match &device {
            Some(hash) => vec![device_key(hash)],
            None => throttle_keys(email, client).into(),
        };
        if let Err(until) = users::throttle_reserve(pool, &keys, now, THROTTLE_WINDOW).await? {
            self.note(
                None,
                "",
                "log-in refused (too many attempts)",
                email,
                client,
            )
            .await;
            return Err(AppError::TooManyRequests(wait_message(until - now)));
        }
        let user = users::by_email(pool, email).await?;
        let hash = user
            .as_ref()
            .map(|u| u.password_hash.clone())
            .unwrap_or_else(dummy_hash);
        let password_ok = verify(password.to_string(), hash).await?;
        match user {
            Some(user) if password_ok && !user.disabled => {
                match &keys[..] {
                    [pair, client_key, account] => {
                        users::throttle_succeeded(pool, &pair.key, &[&client_key.key, &account.key])
                            .await?
                    }
                    keys => {
                        for key in keys {
                            users::throttle_succeeded(pool, &key.key, &[]).await?;
                        }
                    }
                }
                self.note(
                    Some(user.id),
                    &user.display_name,
                    "logged in",
                    email,
                    client,
                )
                .await;
                Ok(user)
            }
            _ => {
                self.note(None, "", "failed log-in", email, client).await;
                Err(AppError::Unauthorized(
                    "Wrong e-mail address or password.".into(),
                ))
            }
        }
    }

    /// The device token's hash when it belongs to a browser that logged in to `email`'s
    /// account before (and recently enough).
    async fn known_device(&self, token: &str, email: &str) -> Result<Option<String>, AppError> {
        let hash = device_hash(token);
        let since = self.clock.now() - DEVICE_LIFETIME;
        let Some(owner) = users::device_user(&self.pool, &hash, since).await? else {
            return Ok(None);
        };
        let user = users::by_email(&self.pool, email).await?;
        Ok(user.filter(|u| u.id == owner).map(|_| hash))
    }

    /// After a log-in: the browser's device token, remembered for the account (the one it
    /// sent when that is still good for this account, else a new one). The caller sets it as
    /// the device cookie.
    pub async fn remember_device(
        &self,
        user: &UserRecord,
        sent: Option<&str>,
    ) -> Result<String, AppError> {
        let known = match sent.filter(|t| plausible_token(t)) {
            Some(token) => self.known_device(token, &user.email).await?.map(|_| token),
            None => None,
        };
        let token = known.map_or_else(new_device_token, str::to_string);
        let now = self.clock.now();
        users::remember_device(
            &self.pool,
            &device_hash(&token),
            user.id,
            now,
            now - DEVICE_LIFETIME,
            DEVICES_PER_ACCOUNT,
        )
        .await?;
        Ok(token)
    }

    /// Someone changes their own password, proving the current one first (through the log-in
    /// throttle, so a session left open is no way to guess it). Every session of theirs ends;
    /// the one they are using is started again.
    pub async fn change_own_password(
        &self,
        actor: &Actor,
        session: &Session,
        current: &str,
        new: String,
        client: &str,
    ) -> Result<Vec<FieldError>, AppError> {
        let Some(me) = users::by_id(self.pool.acquire().await?.conn(), actor.id).await? else {
            return Err(AppError::not_found("There is no such user."));
        };
        match self.authenticate(&me.email, current, client, None).await {
            Ok(_) => {}
            Err(AppError::Unauthorized(_)) => {
                return Ok(vec![FieldError::new(
                    Field::CurrentPassword,
                    "That is not your current password.",
                )])
            }
            Err(other) => return Err(other),
        }
        let note = Note {
            actor_id: Some(me.id),
            actor: &me.display_name,
            action: "changed their password",
            target: me.email.clone(),
        };
        let errors = self.store_password(me.id, new, Some(note)).await?;
        if errors.is_empty() {
            if let Some(me) = users::by_id(self.pool.acquire().await?.conn(), actor.id).await? {
                start_session(session, &me, self.clock.now()).await?;
            }
        }
        Ok(errors)
    }

    /// Ends every session of `actor`, on every device, this one included.
    pub async fn log_out_everywhere(
        &self,
        actor: &Actor,
        session: &Session,
    ) -> Result<(), AppError> {
        let mut tx = db::begin_write(&self.pool).await?;
        users::end_sessions(tx.conn(), actor.id, self.clock.now()).await?;
        // The browsers that logged in before are strangers again.
        users::forget_devices(tx.conn(), actor.id).await?;
        let note = Note {
            actor_id: Some(actor.id),
            actor: &actor.name,
            action: "logged out everywhere",
            target: String::new(),
        };
        self.record(&mut tx, Some(note)).await?;
        tx.commit().await?;
        end_session(session).await
    }

    /// The demo accounts that still have their published passwords (and are not disabled).
    pub async fn with_demo_passwords(&self) -> Result<Vec<&'static str>, AppError> {
        let mut found = vec![];
        for (email, _, _, password) in DEMO_USERS {
            let Some(user) = users::by_email(&self.pool, email).await? else {
                continue;
            };
            if !user.disabled && verify(password.to_string(), user.password_hash).await? {
                found.push(email);
            }
        }
        Ok(found)
    }

    /// Writes an audit entry on its own (log-ins). A failure to write one is logged, never the
    /// end of the log-in.
    async fn note(
        &self,
        actor_id: Option<i64>,
        actor: &str,
        action: &str,
        target: &str,
        client: &str,
    ) {
        let entry = audit::Entry {
            at: self.clock.now(),
            actor_id,
            actor,
            action,
            target,
            client,
        };
        if let Err(e) = audit::record_now(&self.pool, &entry).await {
            tracing::error!(error = %e, action, "writing the audit log failed");
        }
    }

    /// A page of the audit log (admins only).
    pub async fn audit_log(
        &self,
        actor: &Actor,
        before: Option<i64>,
    ) -> Result<AuditPage, AppError> {
        require(actor, Action::ManageUsers)?;
        const PAGE: u32 = 50;
        let rows = audit::page(&self.pool, before, PAGE + 1).await?;
        let (rows, older) = super::db::older_page(rows, PAGE, |r| r.id);
        let items = rows
            .into_iter()
            .map(|r| AuditEntry {
                at: super::dates::date_time(r.at, &self.tz),
                who: r.actor,
                action: r.action,
                target: r.target,
                client: r.client,
            })
            .collect();
        Ok(AuditPage { items, older })
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
        let note = Note {
            actor_id: Some(actor.id),
            actor: &actor.name,
            action: "created a user",
            target: format!("{email} ({})", role.as_str()),
        };
        self.insert_user(email, display_name, role, password, Some(note))
            .await
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
        self.insert_user(email, display_name, role, password, None)
            .await
    }

    /// Creates an account and writes `note` with it, in one transaction.
    async fn insert_user(
        &self,
        email: &str,
        display_name: &str,
        role: Role,
        password: String,
        note: Option<Note<'_>>,
    ) -> Result<Vec<FieldError>, AppError> {
        let mut errors = check_account(email, display_name);
        errors.extend(check_password(&password));
        if !errors.is_empty() {
            return Ok(errors);
        }
        let hash = hash_password(password).await?;
        let mut tx = db::begin_write(&self.pool).await?;
        let inserted = users::insert(
            tx.conn(),
            email,
            display_name,
            role,
            &hash,
            self.clock.now(),
        )
        .await?;
        if inserted.is_none() {
            return Ok(vec![FieldError::new(
                Field::Email,
                "An account with this e-mail address exists already.",
            )]);
        }
        self.record(&mut tx, note).await?;
        tx.commit().await?;
        Ok(vec![])
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
        // Read, check and write under the writer's lock: two admins demoting each other at
        // the same moment cannot leave the site without one.
        let mut tx = db::begin_write(&self.pool).await?;
        let Some(target) = users::by_id(tx.conn(), id).await? else {
            return Err(AppError::not_found("There is no such user."));
        };
        let errors = check_account(&target.email, display_name);
        if !errors.is_empty() {
            return Ok(errors);
        }
        let loses_admin =
            target.role() == Role::Admin && !target.disabled && (role != Role::Admin || disabled);
        if loses_admin && users::active_admins(tx.conn()).await? <= 1 {
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
            tx.conn(),
            id,
            display_name,
            role,
            disabled,
            self.clock.now(),
        )
        .await?;
        let note = Note {
            actor_id: Some(actor.id),
            actor: &actor.name,
            action: "changed a user",
            target: format!(
                "{}: {}{}",
                target.email,
                role.as_str(),
                if disabled { ", disabled" } else { "" }
            ),
        };
        self.record(&mut tx, Some(note)).await?;
        tx.commit().await?;
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
        let email = users::by_id(self.pool.acquire().await?.conn(), id)
            .await?
            .map(|u| u.email)
            .unwrap_or_default();
        let note = Note {
            actor_id: Some(actor.id),
            actor: &actor.name,
            action: "set a password",
            target: email,
        };
        self.store_password(id, password, Some(note)).await
    }

    /// Sets a password (for an admin or the command line); every session of the user ends.
    pub async fn set_password(
        &self,
        id: i64,
        password: String,
    ) -> Result<Vec<FieldError>, AppError> {
        self.store_password(id, password, None).await
    }

    /// Hashes the password (before taking the writer: hashing is slow), then stores it and
    /// writes `note` in one transaction.
    async fn store_password(
        &self,
        id: i64,
        password: String,
        note: Option<Note<'_>>,
    ) -> Result<Vec<FieldError>, AppError> {
        let errors = check_password(&password);
        if !errors.is_empty() {
            return Ok(errors);
        }
        let hash = hash_password(password).await?;
        let mut tx = db::begin_write(&self.pool).await?;
        if !users::set_password(tx.conn(), id, &hash, self.clock.now()).await? {
            return Err(AppError::not_found("There is no such user."));
        }
        self.record(&mut tx, note).await?;
        tx.commit().await?;
        Ok(vec![])
    }

    /// Writes `note` to the audit log inside the transaction of the change it describes.
    async fn record(&self, tx: &mut db::WriteTx, note: Option<Note<'_>>) -> Result<(), AppError> {
        if let Some(n) = note {
            let entry = audit::Entry {
                at: self.clock.now(),
                actor_id: n.actor_id,
                actor: n.actor,
                action: n.action,
                target: &n.target,
                client: "",
            };
            audit::record(tx.conn(), &entry).await?;
        }
        Ok(())
    }
}

/// An audit entry that goes into the same transaction as the change it records.
struct Note<'a> {
    actor_id: Option<i64>,
    actor: &'a str,
    action: &'a str,
    target: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_end_thirty_days_after_the_log_in_and_old_ones_at_once() {
        let login = 1_800_000_000;
        assert!(!outlived(login, login + 29 * 86_400));
        assert!(outlived(login, login + 30 * 86_400 + 1));
        // Sessions from before the lifetime was recorded have none: they end.
        assert!(outlived(0, login));
    }

    #[test]
    fn stored_ids_are_not_the_ids() {
        let id = tower_sessions::session::Id::default();
        let stored = stored_session_id(&id);
        assert_ne!(stored, id);
        assert_eq!(
            stored,
            stored_session_id(&id),
            "the same id always hashes alike"
        );
        assert_ne!(
            stored,
            stored_session_id(&tower_sessions::session::Id::default())
        );
    }

    #[test]
    fn waits_are_said_in_words() {
        assert_eq!(
            wait_message(1),
            "Too many failed log-in attempts. Try again in 1 second."
        );
        assert!(wait_message(30).contains("30 seconds"));
        assert!(wait_message(900).contains("15 minutes"));
    }
}
