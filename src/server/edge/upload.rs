//! `POST /api/admin/media`: image upload (multipart, field `file`). A plain axum route rather
//! than a server function so the browser can report upload progress. Errors answer like a
//! server function's: `AppError` as JSON, with its status.

use crate::error::AppError;
use crate::model::newsroom::MediaRef;
use crate::model::policy::{require, Action};
use crate::model::validate::UPLOAD_MAX_BYTES;
use crate::server::slots::Slots;
use crate::server::{accounts, db::newsroom as db, media, state::AppState};
use axum::{
    extract::{multipart::MultipartError, Multipart, State},
    http::StatusCode,
    Json,
};
use std::time::Duration;
use tower_sessions::Session;

fn too_large() -> AppError {
    media::UploadError::TooLarge.into()
}

fn interrupted(e: MultipartError) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large()
    } else {
        AppError::bad_request("The upload was interrupted. Try again.")
    }
}

/// The bytes of the `file` field, refusing more than the limit as soon as it is passed.
/// The uploaded file's bytes and its name (as the browser gave it, for the media library's
/// search; at most 200 characters).
async fn read_file(multipart: &mut Multipart) -> Result<(Vec<u8>, String), AppError> {
    let mut data: Vec<u8> = Vec::new();
    let mut name = String::new();
    while let Some(mut field) = multipart.next_field().await.map_err(interrupted)? {
        if field.name() != Some("file") {
            continue;
        }
        name = field
            .file_name()
            .unwrap_or_default()
            .chars()
            .filter(|c| !c.is_control())
            .take(200)
            .collect();
        while let Some(chunk) = field.chunk().await.map_err(interrupted)? {
            if data.len() + chunk.len() > UPLOAD_MAX_BYTES {
                return Err(too_large());
            }
            data.extend_from_slice(&chunk);
        }
    }
    if data.is_empty() {
        return Err(AppError::bad_request("Choose an image file to upload."));
    }
    Ok((data, name))
}

/// Image jobs run one per core at once (`slots`): each can take a few hundred MB and a core for
/// seconds, so more at once would only make every one slower and the server short of memory.
static IMAGES: Slots = Slots::per_core();
/// How long an upload waits for a turn, and how long its processing may take.
const IMAGE_QUEUE_WAIT: Duration = Duration::from_secs(30);
const IMAGE_TIME_LIMIT: Duration = Duration::from_secs(60);

/// Processes an upload when a slot is free. The slot stays taken until the work has really
/// ended, even when the answer gave up waiting for it.
async fn process_in_turn(data: Vec<u8>) -> Result<media::Processed, AppError> {
    let busy = || {
        AppError::TooManyRequests(
            "The newsroom is busy processing other images. Try again in a minute.".into(),
        )
    };
    let job = IMAGES
        .spawn(Some(IMAGE_QUEUE_WAIT), move || media::process(&data))
        .await
        .map_err(|_| busy())?;
    match tokio::time::timeout(IMAGE_TIME_LIMIT, job).await {
        Ok(done) => done
            .map_err(|e| AppError::internal("image processing task", e))?
            .map_err(AppError::from),
        Err(_) => Err(AppError::Unprocessable(
            "This image took too long to process. Export a smaller version and try again.".into(),
        )),
    }
}

pub async fn upload(
    State(state): State<AppState>,
    session: Session,
    mut multipart: Multipart,
) -> Result<Json<MediaRef>, AppError> {
    let actor = accounts::session_actor(&session, &state.pool)
        .await
        .map_err(|e| match e {
            AppError::Unauthorized(_) => AppError::Unauthorized("Log in to upload images.".into()),
            other => other,
        })?;
    require(&actor, Action::UploadMedia)?;
    let (data, name) = read_file(&mut multipart).await?;
    let size = data.len();
    let processed = process_in_turn(data).await?;

    let now = state.clock.now();
    let stored = media::store_variants(state.media.as_ref(), &processed, now)
        .await
        .map_err(|e| AppError::internal("storing media", e))?;
    let variants =
        serde_json::to_string(&stored).map_err(|e| AppError::internal("media variants", e))?;
    let id = db::insert_media(
        &state.pool,
        &variants,
        processed.width,
        processed.height,
        processed.source_type,
        size,
        Some(actor.id),
        &name,
        now,
    )
    .await?;
    media::media_ref(id, &stored)
        .map(Json)
        .ok_or_else(|| AppError::internal("media", "an image without variants"))
}
