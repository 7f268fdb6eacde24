//! Sessions: what the session cookie stands for, starting and ending one, who is asking, and
//! the store wrapper that keeps only hashes of session ids.

use crate::error::AppError;
use crate::model::policy::Actor;
use crate::server::db::{users, users::UserRecord, Pool};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

const SESSION_KEY: &str = "user";
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
    if outlived(su.since, crate::server::dates::now()) {
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

/// Session ids as the store keeps them: hashed, so a copy of the database (a backup) holds no
/// id that could be sent as a cookie.
pub fn stored_session_id(id: &tower_sessions::session::Id) -> tower_sessions::session::Id {
    use blake2::{Blake2s256, Digest};
    let digest = Blake2s256::digest(id.0.to_le_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    tower_sessions::session::Id(i128::from_le_bytes(bytes))
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
}
