//! One error type for server functions and pages. It crosses the network as JSON, so the
//! browser can show the same message the server meant.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    BadRequest(String),
    /// Not logged in (or the session ended).
    #[error("{0}")]
    Unauthorized(String),
    /// Logged in, but the role does not allow it.
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    TooManyRequests(String),
    /// Something we did not expect; the details stay in the server log.
    #[error("Something went wrong on our side. Please try again in a moment.")]
    Internal,
    /// The request never reached our code (network down, server restarting...).
    #[error("The server could not be reached: {0}")]
    Transport(String),
}

impl AppError {
    pub fn not_found(what: impl Into<String>) -> Self {
        Self::NotFound(what.into())
    }

    pub fn bad_request(what: impl Into<String>) -> Self {
        Self::BadRequest(what.into())
    }

    pub fn status(&self) -> u16 {
        match self {
            AppError::NotFound(_) => 404,
            AppError::BadRequest(_) => 400,
            AppError::Unauthorized(_) => 401,
            AppError::Forbidden(_) => 403,
            AppError::TooManyRequests(_) => 429,
            AppError::Internal => 500,
            AppError::Transport(_) => 503,
        }
    }

    pub fn title(&self) -> &'static str {
        match self {
            AppError::NotFound(_) => "Page not found",
            AppError::BadRequest(_) => "That address is not valid",
            AppError::Unauthorized(_) => "Please log in",
            AppError::Forbidden(_) => "Not allowed",
            AppError::TooManyRequests(_) => "Too many attempts",
            AppError::Internal | AppError::Transport(_) => "Something went wrong",
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Malformed arguments are the caller's fault: a 4xx, never a 500.
            ServerFnErrorErr::Args(m) | ServerFnErrorErr::MissingArg(m) => {
                AppError::BadRequest(format!("Invalid request: {m}"))
            }
            ServerFnErrorErr::Request(m) => AppError::Transport(m),
            _ => AppError::Internal,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        tracing::error!(error = %err, "database error");
        AppError::Internal
    }
}
