//! One error type for server functions, pages and plain handlers. It crosses the network as
//! JSON, `{"kind": "NotFound", "error": "…"}`, so the browser shows the message the server meant.
//!
//! Its HTTP status is decided in one place, [`AppError::status`], and applied where an error
//! leaves the server: a server function's answer (`FromServerFnError::ser` below), a page that
//! shows it (`components::error_view`), a plain handler (`IntoResponse`, server only).

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
    Bytes, Encodes,
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", content = "error")]
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
    PayloadTooLarge(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// Well-formed but unusable (an image file that cannot be decoded).
    #[error("{0}")]
    Unprocessable(String),
    #[error("{0}")]
    TooManyRequests(String),
    /// Something else is under way that this would clash with (an import already running).
    #[error("{0}")]
    Conflict(String),
    /// The database cannot take the write now (busy beyond the wait, or full). Nothing was
    /// changed; the same request can succeed later.
    #[error("{0}")]
    Unavailable(String),
    /// Something we did not expect; the details stay in the server log.
    #[error("Something went wrong on our side. Please try again in a moment.")]
    Internal,
    /// Asked of this server under a host name it does not answer to.
    #[error("{0}")]
    Misdirected(String),
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

    pub fn forbidden() -> Self {
        Self::Forbidden("Your role does not allow this.".into())
    }

    /// The HTTP status of this error: the only place it is decided.
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotFound(_) => 404,
            AppError::BadRequest(_) => 400,
            AppError::Unauthorized(_) => 401,
            AppError::Forbidden(_) => 403,
            AppError::PayloadTooLarge(_) => 413,
            AppError::UnsupportedMediaType(_) => 415,
            AppError::Unprocessable(_) => 422,
            AppError::TooManyRequests(_) => 429,
            AppError::Conflict(_) => 409,
            AppError::Misdirected(_) => 421,
            AppError::Internal => 500,
            AppError::Unavailable(_) | AppError::Transport(_) => 503,
        }
    }

    pub fn title(&self) -> &'static str {
        match self {
            AppError::NotFound(_) => "Page not found",
            AppError::BadRequest(_) => "That address is not valid",
            AppError::Unauthorized(_) => "Please log in",
            AppError::Forbidden(_) => "Not allowed",
            AppError::PayloadTooLarge(_) => "File too large",
            AppError::UnsupportedMediaType(_) | AppError::Unprocessable(_) => "File not accepted",
            AppError::TooManyRequests(_) => "Too many attempts",
            AppError::Conflict(_) => "Busy",
            AppError::Misdirected(_) => "Wrong address",
            AppError::Unavailable(_) => "Try again in a moment",
            AppError::Internal | AppError::Transport(_) => "Something went wrong",
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Malformed arguments are the caller's fault: a 4xx, never a 500.
            ServerFnErrorErr::Args(m)
            | ServerFnErrorErr::MissingArg(m)
            | ServerFnErrorErr::Deserialization(m) => {
                if m.contains("length limit") {
                    AppError::PayloadTooLarge("The request is too large.".into())
                } else {
                    AppError::BadRequest(format!("Invalid request: {m}"))
                }
            }
            ServerFnErrorErr::UnsupportedRequestMethod(m) => {
                AppError::BadRequest(format!("Not here: {m}"))
            }
            ServerFnErrorErr::Request(m) => AppError::Transport(m),
            other => {
                #[cfg(feature = "ssr")]
                tracing::error!(error = %other, "a server function failed");
                let _ = other;
                AppError::Internal
            }
        }
    }

    /// Called exactly when a server function answers with this error: the response gets the
    /// error's status instead of the blanket 500 server functions use.
    fn ser(&self) -> Bytes {
        #[cfg(feature = "ssr")]
        self.set_response_status();
        <JsonEncoding as Encodes<AppError>>::encode(self)
            .unwrap_or_else(|_| Bytes::from_static(br#"{"kind":"Internal"}"#))
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::AppError;
    use axum::{
        http::StatusCode,
        response::{IntoResponse, Response},
        Json,
    };

    impl AppError {
        pub fn http_status(&self) -> StatusCode {
            StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
        }

        /// An unexpected failure: the cause is logged here, where it is dropped; the caller
        /// only learns that something went wrong.
        pub fn internal(context: &str, cause: impl std::fmt::Display) -> Self {
            tracing::error!(error = %cause, "{context}");
            AppError::Internal
        }

        /// Gives the response being built (a page render or a server function) this error's
        /// status. Outside a request it does nothing.
        pub fn set_response_status(&self) {
            if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
                res.set_status(self.http_status());
            }
        }
    }

    /// Plain handlers (uploads, feeds) answer with the same JSON and status as server functions.
    impl IntoResponse for AppError {
        fn into_response(self) -> Response {
            (self.http_status(), Json(self)).into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crosses_the_network_with_its_message_under_error() {
        let json = serde_json::to_value(AppError::not_found("No such article.")).unwrap();
        assert_eq!(json["kind"], "NotFound");
        assert_eq!(json["error"], "No such article.");
        let back: AppError = serde_json::from_value(json).unwrap();
        assert_eq!(back, AppError::not_found("No such article."));
        let internal: AppError = serde_json::from_str(r#"{"kind":"Internal"}"#).unwrap();
        assert_eq!(internal, AppError::Internal);
    }
}
