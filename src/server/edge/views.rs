//! `POST /api/view`: a reader's page reports that it was shown (`navigator.sendBeacon`, its
//! body the article's number). Always answered 204 with nothing in it: whether it counted is
//! nobody's business but "Most read"'s. Prefetches (`Sec-Purpose`/`Purpose: prefetch`) and
//! clients that say they are bots are not counted (`server::views`).

use crate::server::state::AppState;
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use std::net::{IpAddr, Ipv4Addr};

pub async fn view(State(state): State<AppState>, req: Request<Body>) -> Response {
    let headers = req.headers();
    let prefetch = ["sec-purpose", "purpose", "x-moz", "x-purpose"]
        .iter()
        .any(|h| {
            headers
                .get(*h)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| {
                    v.to_ascii_lowercase().contains("prefetch") || v.contains("preview")
                })
        });
    let user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let client = crate::server::client::client_of(req.extensions(), headers, &state.config)
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    if !prefetch {
        // A number and nothing else; anything longer is not a beacon of ours.
        if let Ok(body) = axum::body::to_bytes(req.into_body(), 32).await {
            if let Some(id) = std::str::from_utf8(&body)
                .ok()
                .and_then(|s| s.trim().parse::<i64>().ok())
            {
                state
                    .views
                    .count(id, client, &user_agent, crate::server::dates::now());
            }
        }
    }
    StatusCode::NO_CONTENT.into_response()
}
