//! The newsroom's import page, server side: an admin uploads an export
//! (`POST /api/admin/import`, multipart field `file`, `?dry_run=1` to only check it); it is kept
//! under `<data dir>/import/` and imported by a background task whose progress and report the
//! page reads back (`import_status`, from `import_runs`, so any server can answer). Images come
//! from `<data dir>/import/uploads` when an operator copied the site's wp-content/uploads there.

use super::{import, Options, Progress, Target};
use crate::error::AppError;
use crate::model::newsroom::ImportRun;
use crate::model::policy::{require, Action};
use crate::server::db::imports;
use crate::server::{accounts, state::AppState};
use axum::extract::{multipart::MultipartError, Multipart, Query, State};
use axum::http::StatusCode;
use axum::Json;
use std::io::Write;
use std::path::PathBuf;
use tower_sessions::Session;

/// The largest export the newsroom takes (a ten-year site's is a few hundred MB; bigger ones
/// go through `portal import wordpress`).
pub const IMPORT_MAX_BYTES: usize = 1024 * 1024 * 1024;

const CRASHED: &str = "The import stopped on an unexpected error (the server's log has it). \
What was imported stays; start the same import again to finish it.";

#[derive(serde::Deserialize, Default)]
pub struct ImportQuery {
    #[serde(default)]
    dry_run: Option<String>,
    /// Category mappings, one `old=new` per line.
    #[serde(default)]
    map: Option<String>,
}

/// Where uploaded exports wait for their import, and where an operator puts the images.
pub fn import_dir(state: &AppState) -> PathBuf {
    state.config.data_dir.join("import")
}

/// A mapping the portal cannot follow is the request's fault; a database that cannot be read
/// is not.
fn refused(e: super::ImportError) -> AppError {
    match e {
        super::ImportError::Read(e) => e.into(),
        other => AppError::BadRequest(other.to_string()),
    }
}

fn interrupted(e: MultipartError) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        interrupted_too_large()
    } else {
        AppError::bad_request("The upload was interrupted. Try again.")
    }
}

pub async fn upload(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<ImportQuery>,
    mut multipart: Multipart,
) -> Result<Json<ImportRun>, AppError> {
    let actor = accounts::session_actor(&session, &state.pool).await?;
    require(&actor, Action::ImportContent)?;
    let dry_run = query
        .dry_run
        .as_deref()
        .is_some_and(|v| v == "1" || v == "true");
    // Checked before a byte is stored: a mistyped section is a message, not a failed run.
    let map = super::parse_mappings(query.map.as_deref().unwrap_or_default()).map_err(refused)?;
    super::check_mappings(&state.pool, &map)
        .await
        .map_err(refused)?;
    let dir = import_dir(&state);
    std::fs::create_dir_all(&dir).map_err(|e| AppError::internal("the import folder", e))?;
    let path = dir.join(format!("upload-{:016x}.xml", fastrand::u64(..)));
    let mut name = String::new();
    let mut size = 0usize;
    {
        let mut file =
            std::fs::File::create(&path).map_err(|e| AppError::internal("the upload", e))?;
        let result: Result<(), AppError> = async {
            while let Some(mut field) = multipart.next_field().await.map_err(interrupted)? {
                if field.name() != Some("file") {
                    continue;
                }
                name = field
                    .file_name()
                    .unwrap_or("export.xml")
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(200)
                    .collect();
                while let Some(chunk) = field.chunk().await.map_err(interrupted)? {
                    size += chunk.len();
                    if size > IMPORT_MAX_BYTES {
                        return Err(interrupted_too_large());
                    }
                    file.write_all(&chunk)
                        .map_err(|e| AppError::internal("writing the upload", e))?;
                }
            }
            Ok(())
        }
        .await;
        if let Err(e) = result {
            let _ = std::fs::remove_file(&path);
            return Err(e);
        }
    }
    if size == 0 {
        let _ = std::fs::remove_file(&path);
        return Err(AppError::bad_request(
            "Choose the export file (WordPress: Tools → Export → All content) to import.",
        ));
    }
    let now = state.clock.now();
    let Some(id) = imports::start_run(&state.pool, actor.id, &name, dry_run, now).await? else {
        let _ = std::fs::remove_file(&path);
        return Err(AppError::Conflict(
            "An import is running already. Wait for it to finish, then start this one.".into(),
        ));
    };
    tracing::info!(run = id, file = %name, bytes = size, dry_run, by = actor.id, "import started");
    let task_state = state.clone();
    let by: By = (actor.id, actor.name.clone());
    // Reading, converting and image work are CPU-bound: they run on a thread of their own, so
    // readers' requests keep both of the runtime's workers.
    let handle = tokio::runtime::Handle::current();
    let (pool, clock) = (state.pool.clone(), state.clock.clone());
    tokio::task::spawn_blocking(move || {
        let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            handle.block_on(run(task_state, id, by, path.clone(), dry_run, map))
        }));
        // A bug must not leave the page saying "Importing…" for ever.
        if ran.is_err() {
            let _ = std::fs::remove_file(&path);
            let ended = imports::finish_run(&pool, id, false, CRASHED, clock.now());
            if let Err(e) = handle.block_on(ended) {
                tracing::error!(run = id, error = %e, "recording the end of an import failed");
            }
        }
    });
    imports::latest_run(&state.pool)
        .await?
        .map(Json)
        .ok_or_else(|| AppError::internal("import", "the run just started is not there"))
}

fn interrupted_too_large() -> AppError {
    AppError::PayloadTooLarge(
        "The export is larger than 1 GB: import it with `portal import wordpress` on the server."
            .into(),
    )
}

/// Who started the run: the admin's account id and name.
type By = (i64, String);

async fn run(
    state: AppState,
    id: i64,
    by: By,
    path: PathBuf,
    dry_run: bool,
    map: Vec<(String, String)>,
) {
    let uploads = import_dir(&state).join("uploads");
    let options = Options {
        media_dir: uploads.is_dir().then_some(uploads),
        dry_run,
        map,
    };
    let (progress, mut seen) = tokio::sync::watch::channel(Progress::default());
    let pool = state.pool.clone();
    let clock = state.clock.clone();
    let writer = tokio::spawn(async move {
        while seen.changed().await.is_ok() {
            let p = *seen.borrow_and_update();
            if let Err(e) =
                imports::run_progress(&pool, id, p.posts_done, p.posts_total, clock.now()).await
            {
                tracing::warn!(run = id, error = %e, "recording the import's progress failed");
            }
        }
    });
    let target = Target {
        pool: &state.pool,
        store: state.media.as_ref(),
        hosts: &state.config.image_hosts,
        tz: state.config.timezone,
        now: state.clock.now(),
        by: Some((by.0, &by.1)),
    };
    let result = import(&target, &path, &options, &move |p| {
        let _ = progress.send(p);
    })
    .await;
    let _ = writer.await;
    let (ok, report) = match &result {
        Ok(report) => (true, report.to_string()),
        Err(error) => (false, error.to_string()),
    };
    match &result {
        Ok(r) => tracing::info!(
            run = id,
            posts = r.imported(),
            seconds = r.seconds,
            "import finished"
        ),
        Err(e) => tracing::warn!(run = id, error = %e, "import failed"),
    }
    // The upload goes, and the cache is purged, before the run is recorded as ended: whoever
    // sees it ended (the page, a test) finds nothing left behind and no page from before.
    let _ = std::fs::remove_file(&path);
    state.cache.purge();
    if let Err(e) = imports::finish_run(&state.pool, id, ok, &report, state.clock.now()).await {
        tracing::error!(run = id, error = %e, "recording the end of an import failed");
    }
}
