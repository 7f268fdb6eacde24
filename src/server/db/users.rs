//! Accounts and the login throttle.

use super::Pool;
use crate::model::accounts::{CurrentUser, Role};

/// A user row with its secret. Deliberately not `Serialize`: the hash never leaves the server.
#[derive(Clone, sqlx::FromRow)]
pub struct UserRecord {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub password_hash: String,
    pub disabled: bool,
    pub session_epoch: i64,
    pub created_at: i64,
}

impl std::fmt::Debug for UserRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserRecord")
            .field("id", &self.id)
            .field("email", &self.email)
            .field("role", &self.role)
            .field("password_hash", &"<redacted>")
            .finish()
    }
}

impl UserRecord {
    pub fn role(&self) -> Role {
        // The CHECK constraint admits only known roles; an unknown one gets the least power.
        Role::parse(&self.role).unwrap_or(Role::Author)
    }

    pub fn actor(&self) -> crate::model::policy::Actor {
        crate::model::policy::Actor {
            id: self.id,
            name: self.display_name.clone(),
            role: self.role(),
        }
    }

    pub fn to_current(&self) -> CurrentUser {
        CurrentUser {
            id: self.id,
            email: self.email.clone(),
            display_name: self.display_name.clone(),
            role: self.role(),
        }
    }
}

const USER_COLUMNS: &str =
    "id, email, display_name, role, password_hash, disabled, session_epoch, created_at";

pub async fn by_email(pool: &Pool, email: &str) -> Result<Option<UserRecord>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {USER_COLUMNS} FROM users WHERE email = ?1"
    ))
    .bind(email.trim())
    .fetch_optional(pool)
    .await
}

pub async fn by_id(pool: &Pool, id: i64) -> Result<Option<UserRecord>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1"))
        .bind(id)
        .fetch_optional(pool)
        .await
}

pub async fn list(pool: &Pool) -> Result<Vec<UserRecord>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {USER_COLUMNS} FROM users ORDER BY disabled, role, display_name"
    ))
    .fetch_all(pool)
    .await
}

pub async fn count(pool: &Pool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(pool)
        .await
}

/// Inserts a user; `Ok(None)` when the e-mail address is taken.
pub async fn insert(
    pool: &Pool,
    email: &str,
    display_name: &str,
    role: Role,
    password_hash: &str,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let res = sqlx::query_scalar(
        "INSERT INTO users (email, display_name, role, password_hash, created_at, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT (email) DO NOTHING RETURNING id",
    )
    .bind(email.trim())
    .bind(display_name.trim())
    .bind(role.as_str())
    .bind(password_hash)
    .bind(now)
    .fetch_optional(pool)
    .await?;
    Ok(res)
}

/// Changes role, name or the disabled flag. Disabling ends every session of the user.
pub async fn update(
    pool: &Pool,
    id: i64,
    display_name: &str,
    role: Role,
    disabled: bool,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE users SET display_name = ?2, role = ?3, \
             session_epoch = session_epoch + (CASE WHEN ?4 = 1 AND disabled = 0 THEN 1 ELSE 0 END), \
             disabled = ?4, updated_at = ?5 WHERE id = ?1",
    )
    .bind(id)
    .bind(display_name.trim())
    .bind(role.as_str())
    .bind(disabled)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Sets a new password hash; every existing session of the user ends.
pub async fn set_password(pool: &Pool, id: i64, hash: &str, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE users SET password_hash = ?2, session_epoch = session_epoch + 1, updated_at = ?3 WHERE id = ?1",
    )
    .bind(id)
    .bind(hash)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn active_admins(pool: &Pool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0")
        .fetch_one(pool)
        .await
}

/// Failures counted in one window for `key`, if the window is still open.
pub async fn throttle_failures(
    pool: &Pool,
    key: &str,
    window_start_after: i64,
) -> Result<(i64, i64), sqlx::Error> {
    let row: Option<(i64, i64)> = sqlx::query_as(
        "SELECT failures, window_start FROM login_throttle WHERE key = ?1 AND window_start > ?2",
    )
    .bind(key)
    .bind(window_start_after)
    .fetch_optional(pool)
    .await?;
    Ok(row.unwrap_or((0, 0)))
}

/// Counts one failure for `key`, opening a new window when the old one has passed.
pub async fn throttle_fail(
    pool: &Pool,
    key: &str,
    now: i64,
    window: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO login_throttle (key, window_start, failures) VALUES (?1, ?2, 1) \
         ON CONFLICT (key) DO UPDATE SET \
             failures = CASE WHEN window_start > ?2 - ?3 THEN failures + 1 ELSE 1 END, \
             window_start = CASE WHEN window_start > ?2 - ?3 THEN window_start ELSE ?2 END",
    )
    .bind(key)
    .bind(now)
    .bind(window)
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn throttle_clear(pool: &Pool, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM login_throttle WHERE key = ?1")
        .bind(key)
        .execute(pool)
        .await?;
    Ok(())
}
