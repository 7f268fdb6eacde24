//! `POST /api/admin/media`: image upload (multipart, field `file`). A plain axum route rather
//! than a server function so the browser can report upload progress.

use super::{auth, dates, db::editor, media, state::AppState};
use crate::model::admin::MediaRef;
use crate::model::validate::UPLOAD_MAX_BYTES;
use axum::{
    extract::{Multipart, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    Json,
};
use serde::Serialize;
use tower_sessions::Session;

#[derive(Serialize)]
struct UploadFailure {
    error: String,
}

fn fail(status: u16, message: impl Into<String>) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    (
        status,
        Json(UploadFailure {
            error: message.into(),
        }),
    )
        .into_response()
}

pub async fn upload(
    State(state): State<AppState>,
    session: Session,
    mut multipart: Multipart,
) -> Response {
    let user = match auth::session_user(&session, &state.pool).await {
        Ok(Some(u)) => u,
        Ok(None) => return fail(401, "Log in to upload images."),
        Err(_) => return fail(500, "Something went wrong on our side."),
    };
    let too_large = || fail(413, media::UploadError::TooLarge.message());
    let mut data: Vec<u8> = Vec::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return too_large(),
            Err(_) => return fail(400, "The upload was interrupted. Try again."),
        };
        if field.name() != Some("file") {
            continue;
        }
        let mut field = field;
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    if data.len() + chunk.len() > UPLOAD_MAX_BYTES {
                        return too_large();
                    }
                    data.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return too_large(),
                Err(_) => return fail(400, "The upload was interrupted. Try again."),
            }
        }
    }
    if data.is_empty() {
        return fail(400, "Choose an image file to upload.");
    }
    let size = data.len();
    let processed = match tokio::task::spawn_blocking(move || media::process(&data)).await {
        Ok(Ok(p)) => p,
        Ok(Err(e)) => return fail(e.status(), e.message()),
        Err(_) => return fail(500, "Something went wrong on our side."),
    };

    let now = dates::now();
    let stamp = chrono::DateTime::from_timestamp(now, 0).unwrap_or_default();
    let base = format!("{}/{:016x}", stamp.format("%Y/%m"), fastrand::u64(..));
    #[derive(Serialize)]
    struct Stored {
        width: u32,
        height: u32,
        url: String,
    }
    let mut stored = Vec::new();
    for v in &processed.variants {
        // The size is in the name, so a figure in an article body gets width and height too.
        let key = format!("{base}-{}x{}.webp", v.width, v.height);
        if let Err(e) = state.media.put(&key, &v.webp).await {
            tracing::error!(error = %e, "storing media");
            return fail(500, "The image could not be stored.");
        }
        stored.push(Stored {
            width: v.width,
            height: v.height,
            url: state.media.url(&key),
        });
    }
    let variants = serde_json::to_string(&stored).unwrap_or_default();
    let id = match editor::insert_media(
        &state.pool,
        &variants,
        processed.width,
        processed.height,
        processed.source_type,
        size,
        user.id,
        now,
    )
    .await
    {
        Ok(id) => id,
        Err(e) => {
            tracing::error!(error = %e, "media row");
            return fail(500, "Something went wrong on our side.");
        }
    };
    let main = stored
        .iter()
        .rfind(|v| v.width <= 800)
        .unwrap_or(&stored[0]);
    let large = stored.last().unwrap_or(main);
    Json(MediaRef {
        id,
        url: main.url.clone(),
        width: main.width,
        height: main.height,
        srcset: stored
            .iter()
            .map(|v| format!("{} {}w", v.url, v.width))
            .collect::<Vec<_>>()
            .join(", "),
        large_url: large.url.clone(),
    })
    .into_response()
}
