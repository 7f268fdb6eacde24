//! Password hashes (Argon2id through `password-auth`), a few at a time.

use crate::error::AppError;
use crate::server::slots::Slots;
use std::sync::OnceLock;

/// Longest a log-in waits for a turn at password hashing before it is told to retry.
const HASHING_QUEUE_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

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

pub(super) async fn verify(password: String, hash: String) -> Result<bool, AppError> {
    hashing(move || password_auth::verify_password(password, &hash).is_ok()).await
}

/// A real hash to verify against when the account does not exist, so that the answer takes
/// as long either way (no probing for valid addresses by timing).
pub(super) fn dummy_hash() -> String {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY
        .get_or_init(|| password_auth::generate_hash("not a real password"))
        .clone()
}
