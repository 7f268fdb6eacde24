//! Accounts and the login throttle.

use super::{Conn, Pool};
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
    on!(pool, pool => {
    sqlx::query_as(&format!(
        "SELECT {USER_COLUMNS} FROM users WHERE email = $1"
    ))
    .bind(email.trim())
    .fetch_optional(pool)
    .await
    })
}

pub async fn by_id(db: Conn<'_>, id: i64) -> Result<Option<UserRecord>, sqlx::Error> {
    on_conn!(db, db => {
    sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await
    })
}

pub async fn list(pool: &Pool) -> Result<Vec<UserRecord>, sqlx::Error> {
    on!(pool, pool => {
    sqlx::query_as(&format!(
        "SELECT {USER_COLUMNS} FROM users ORDER BY disabled, role, display_name"
    ))
    .fetch_all(pool)
    .await
    })
}

pub async fn count(pool: &Pool) -> Result<i64, sqlx::Error> {
    on!(pool, pool => {
    sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(pool)
        .await
    })
}

/// Inserts a user; `Ok(None)` when the e-mail address is taken.
pub async fn insert(
    db: Conn<'_>,
    email: &str,
    display_name: &str,
    role: Role,
    password_hash: &str,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    on_conn!(db, db => {
    let res = sqlx::query_scalar(
        "INSERT INTO users (email, display_name, role, password_hash, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (email) DO NOTHING RETURNING id",
    )
    // Lowercased, so that "Ana@…" and "ana@…" are one account on both backends (SQLite's
    // column also compares without case; PostgreSQL's cannot).
    .bind(email.trim().to_lowercase())
    .bind(display_name.trim())
    .bind(role.as_str())
    .bind(password_hash)
    .bind(now)
    .fetch_optional(db)
    .await?;
    Ok(res)
    })
}

/// Changes role, name or the disabled flag. Disabling ends every session of the user.
pub async fn update(
    db: Conn<'_>,
    id: i64,
    display_name: &str,
    role: Role,
    disabled: bool,
    now: i64,
) -> Result<bool, sqlx::Error> {
    on_conn!(db, db => {
    let done = sqlx::query(
        "UPDATE users SET display_name = $2, role = $3, \
             session_epoch = session_epoch + (CASE WHEN $4 AND NOT disabled THEN 1 ELSE 0 END), \
             disabled = $4, updated_at = $5 WHERE id = $1",
    )
    .bind(id)
    .bind(display_name.trim())
    .bind(role.as_str())
    .bind(disabled)
    .bind(now)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
    })
}

/// Sets a new password hash; every existing session of the user ends.
pub async fn set_password(
    db: Conn<'_>,
    id: i64,
    hash: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    on_conn!(db, db => {
    let done = sqlx::query(
        "UPDATE users SET password_hash = $2, session_epoch = session_epoch + 1, updated_at = $3 WHERE id = $1",
    )
    .bind(id)
    .bind(hash)
    .bind(now)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
    })
}

pub async fn active_admins(db: Conn<'_>) -> Result<i64, sqlx::Error> {
    on_conn!(db, db => {
    sqlx::query_scalar("SELECT count(*) FROM users WHERE role = 'admin' AND NOT disabled")
        .fetch_one(db)
        .await
    })
}

/// One key of the login throttle: after `free` failures in a row, each further attempt must
/// wait a delay that doubles from 2 s up to `max_delay` seconds.
#[derive(Debug, Clone)]
pub struct ThrottleKey {
    pub key: String,
    pub free: i64,
    pub max_delay: i64,
}

/// Counts a login attempt as a failure in advance against every key, all or none, in one
/// write transaction, so parallel attempts cannot all pass a check that none has yet counted.
/// `Err(until)`: a key is blocked until that second, and nothing was counted. A key's count
/// restarts after `window` seconds without a failure; keys idle that long are deleted.
pub async fn throttle_reserve(
    pool: &Pool,
    keys: &[ThrottleKey],
    now: i64,
    window: i64,
) -> Result<Result<(), i64>, sqlx::Error> {
    let mut tx = super::begin_write(pool).await?;
    let counted = on_conn!(tx.conn(), tx => {
    sqlx::query("DELETE FROM login_throttle WHERE last_failure <= $1 - $2 AND blocked_until <= $1")
        .bind(now)
        .bind(window)
        .execute(&mut *tx)
        .await?;
    for k in keys {
        let counted: Option<i64> = sqlx::query_scalar(
            "INSERT INTO login_throttle (key, last_failure, failures, blocked_until) \
             VALUES ($1, $2, 1, 0) \
             ON CONFLICT (key) DO UPDATE SET \
                 failures = CASE WHEN login_throttle.last_failure > $2 - $3 \
                                 THEN login_throttle.failures + 1 ELSE 1 END, \
                 last_failure = $2 \
             WHERE login_throttle.blocked_until <= $2 \
             RETURNING failures",
        )
        .bind(&k.key)
        .bind(now)
        .bind(window)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(failures) = counted else {
            let until: i64 =
                sqlx::query_scalar("SELECT blocked_until FROM login_throttle WHERE key = $1")
                    .bind(&k.key)
                    .fetch_one(&mut *tx)
                    .await?;
            return Ok(Err(until));
        };
        if failures >= k.free {
            // 2, 4, 8 ... seconds (the exponent bounded so the shift cannot overflow).
            let steps = (failures - k.free + 1).min(30);
            let delay = (1_i64 << steps).min(k.max_delay);
            sqlx::query("UPDATE login_throttle SET blocked_until = $2 WHERE key = $1")
                .bind(&k.key)
                .bind(now + delay)
                .execute(&mut *tx)
                .await?;
        }
    }
    Ok::<_, sqlx::Error>(Ok(()))
    });
    match counted {
        Ok(Ok(())) => tx.commit().await?,
        _ => tx.rollback().await?,
    }
    counted
}

/// After a successful login: the pair's record is forgotten, and the attempt counted in
/// advance is taken back from the wider keys.
pub async fn throttle_succeeded(
    pool: &Pool,
    forget: &str,
    take_back: &[&str],
) -> Result<(), sqlx::Error> {
    let mut tx = super::begin_write(pool).await?;
    on_conn!(tx.conn(), tx => {
    sqlx::query("DELETE FROM login_throttle WHERE key = $1")
        .bind(forget)
        .execute(&mut *tx)
        .await?;
    for key in take_back {
        sqlx::query("UPDATE login_throttle SET failures = CASE WHEN failures > 1 THEN failures - 1 ELSE 0 END WHERE key = $1")
            .bind(key)
            .execute(&mut *tx)
            .await?;
    }
    Ok::<_, sqlx::Error>(())
    })?;
    tx.commit().await
}

/// The account a remembered browser logged in to, if its token (hashed) is known and was
/// used since `since`.
pub async fn device_user(
    pool: &Pool,
    token_hash: &str,
    since: i64,
) -> Result<Option<i64>, sqlx::Error> {
    on!(pool, pool => {
    sqlx::query_scalar("SELECT user_id FROM login_devices WHERE token_hash = $1 AND last_used > $2")
        .bind(token_hash)
        .bind(since)
        .fetch_optional(pool)
        .await
    })
}

/// Remembers a browser that logged in to `user_id` (or notes that it did again), keeping the
/// `keep` most recently used of the account's browsers and none unused since `since`.
pub async fn remember_device(
    pool: &Pool,
    token_hash: &str,
    user_id: i64,
    now: i64,
    since: i64,
    keep: i64,
) -> Result<(), sqlx::Error> {
    let mut tx = super::begin_write(pool).await?;
    on_conn!(tx.conn(), tx => {
    sqlx::query(
        "INSERT INTO login_devices (token_hash, user_id, created_at, last_used) \
         VALUES ($1, $2, $3, $3) \
         ON CONFLICT (token_hash) DO UPDATE SET last_used = $3 \
         WHERE login_devices.user_id = $2",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "DELETE FROM login_devices WHERE last_used <= $1 OR (user_id = $2 AND token_hash NOT IN \
         (SELECT token_hash FROM login_devices WHERE user_id = $2 \
          ORDER BY last_used DESC LIMIT $3))",
    )
    .bind(since)
    .bind(user_id)
    .bind(keep)
    .execute(&mut *tx)
    .await?;
    Ok::<_, sqlx::Error>(())
    })?;
    tx.commit().await
}

/// Forgets every browser that logged in to `user_id` ("log out everywhere").
pub async fn forget_devices(db: Conn<'_>, user_id: i64) -> Result<(), sqlx::Error> {
    on_conn!(db, db => {
    sqlx::query("DELETE FROM login_devices WHERE user_id = $1")
        .bind(user_id)
        .execute(db)
        .await?;
    Ok(())
    })
}

/// How many keys the throttle holds (tests and the operator's curiosity).
pub async fn throttle_rows(pool: &Pool) -> Result<i64, sqlx::Error> {
    on!(pool, pool => {
    sqlx::query_scalar("SELECT count(*) FROM login_throttle")
        .fetch_one(pool)
        .await
    })
}

/// Moves the user's session epoch: every session of theirs ends.
pub async fn end_sessions(db: Conn<'_>, id: i64, now: i64) -> Result<(), sqlx::Error> {
    on_conn!(db, db => {
    sqlx::query(
        "UPDATE users SET session_epoch = session_epoch + 1, updated_at = $2 WHERE id = $1",
    )
    .bind(id)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
    })
}
