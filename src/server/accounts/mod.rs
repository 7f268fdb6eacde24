//! Newsroom accounts: log-ins, with the rules for managing users. Who may manage users is
//! `model::policy`'s answer; what must stay true of the accounts (an address is used once,
//! there is always an active admin, nobody locks themselves out) is kept here.
//!
//! - passwords (Argon2id through `password-auth`), hashed a few at a time: `hashing`;
//! - the log-in throttle and remembered browsers: `throttle`;
//! - sessions (tower-sessions, stored in the database, ids stored hashed): `sessions`;
//! - managing users and the audit log: `users`.

mod hashing;
mod sessions;
mod throttle;
mod users;

pub use hashing::hash_password;
pub use sessions::{
    end_session, session_actor, session_user, start_session, stored_session_id, HashedIds,
    SESSION_LIFETIME,
};
/// 256 random bits, URL-safe (device cookies, newsletter links), and whether a string can be
/// one.
pub use throttle::{new_device_token as random_token, plausible_token};
pub use throttle::{
    DEVICE_LIFETIME, FREE_TRIES_PER_ACCOUNT, FREE_TRIES_PER_CLIENT, FREE_TRIES_PER_DEVICE,
    FREE_TRIES_PER_PAIR, THROTTLE_WINDOW,
};
pub use users::DEMO_USERS;

use crate::error::AppError;
use crate::model::policy::Actor;
use crate::model::validate::{Field, FieldError};
use crate::server::dates::Clock;
use crate::server::db::users::ThrottleKey;
use crate::server::db::{self, audit, users as user_rows, users::UserRecord, Pool};
use chrono_tz::Tz;
use hashing::{dummy_hash, verify};
use throttle::*;
use tower_sessions::Session;

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
        if let Err(until) = user_rows::throttle_reserve(pool, &keys, now, THROTTLE_WINDOW).await? {
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
        let user = user_rows::by_email(pool, email).await?;
        let hash = user
            .as_ref()
            .map(|u| u.password_hash.clone())
            .unwrap_or_else(dummy_hash);
        let password_ok = verify(password.to_string(), hash).await?;
        match user {
            Some(user) if password_ok && !user.disabled => {
                match &keys[..] {
                    [pair, client_key, account] => {
                        user_rows::throttle_succeeded(
                            pool,
                            &pair.key,
                            &[&client_key.key, &account.key],
                        )
                        .await?
                    }
                    keys => {
                        for key in keys {
                            user_rows::throttle_succeeded(pool, &key.key, &[]).await?;
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
        let Some(owner) = user_rows::device_user(&self.pool, &hash, since).await? else {
            return Ok(None);
        };
        let user = user_rows::by_email(&self.pool, email).await?;
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
        user_rows::remember_device(
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
        let Some(me) = user_rows::by_id(self.pool.acquire().await?.conn(), actor.id).await? else {
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
            if let Some(me) = user_rows::by_id(self.pool.acquire().await?.conn(), actor.id).await? {
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
        user_rows::end_sessions(tx.conn(), actor.id, self.clock.now()).await?;
        // The browsers that logged in before are strangers again.
        user_rows::forget_devices(tx.conn(), actor.id).await?;
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
