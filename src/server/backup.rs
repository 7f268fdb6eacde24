//! `portal backup FILE` and `portal restore FILE`.
//!
//! A backup is one self-contained SQLite file written by `VACUUM INTO`: a read transaction, so
//! it is consistent (every save committed before it began, none half) while the newsroom goes
//! on writing, and it never blocks a writer. Media files are named by their content and never
//! change: copy `<data-dir>/media` beside it with any file tool.
//!
//! A restore replaces the database only while no server uses it (servers hold a shared lock on
//! `<database>.lock`, a restore needs it alone), checks the file first, and keeps the database
//! it replaces beside it.

use super::config::Config;
use super::db;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};
use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// Why a backup or a restore did not happen (nothing was changed), each saying what to do.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(
        "`portal backup` and `portal restore` copy a SQLite database; on PostgreSQL use its \
         own tools (pg_dump and pg_restore, or a base backup with WAL archiving), and copy the \
         media store beside it"
    )]
    Postgres,
    #[error("{} already exists; choose a new name (a backup never overwrites a file)", .0.display())]
    Exists(PathBuf),
    #[error("the folder {} does not exist", .0.display())]
    NoFolder(PathBuf),
    #[error("{} is not a UTF-8 path", .0.display())]
    NotUtf8(PathBuf),
    #[error("{} is not a file", .0.display())]
    NotAFile(PathBuf),
    #[error("{} is not a portal backup ({source})", .path.display())]
    NotOurs { path: PathBuf, source: sqlx::Error },
    #[error("{} is damaged: {report}", .path.display())]
    Damaged { path: PathBuf, report: String },
    #[error(
        "{} was written by a newer portal (migration {found}; this one knows up to {known}): \
         restore it with that version",
        .path.display()
    )]
    Newer {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("writing the backup to {} failed: {source}", .path.display())]
    Write { path: PathBuf, source: sqlx::Error },
    #[error(
        "{} is being restored (`portal restore` holds {}); start the server when it is done",
        .database.display(),
        .lock.display()
    )]
    BeingRestored { database: PathBuf, lock: PathBuf },
    #[error(
        "a server is using {} (it holds {}): stop it, restore, then start it again",
        .database.display(),
        .lock.display()
    )]
    InUse { database: PathBuf, lock: PathBuf },
    /// A file operation failed: `what` names it ("cannot open", "cannot copy … to").
    #[error("{what} {}: {source}", .path.display())]
    File {
        what: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
}

fn file_error(what: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> BackupError {
    let path = path.to_path_buf();
    move |source| BackupError::File { what, path, source }
}

/// The database file a `sqlite:` URL names (none for an in-memory database).
pub fn database_file(config: &Config) -> Option<PathBuf> {
    let url = config.database_url();
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && !path.starts_with(":memory:")).then(|| PathBuf::from(path))
}

/// A file next to the database: `<database><suffix>`.
fn beside(db_file: &Path, suffix: &str) -> PathBuf {
    let mut name = db_file.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The lock file servers share and a restore takes alone (created if missing), and its path.
fn open_lock(db_file: &Path) -> Result<(File, PathBuf), BackupError> {
    let path = beside(db_file, ".lock");
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(file_error("cannot open", &path))?;
    Ok((file, path))
}

/// Held by a serving process for as long as it runs (several servers may share it).
pub struct ServerLock(#[allow(dead_code)] File);

pub fn hold_server_lock(config: &Config) -> Result<Option<ServerLock>, BackupError> {
    let Some(db_file) = database_file(config) else {
        return Ok(None);
    };
    let (file, path) = open_lock(&db_file)?;
    match file.try_lock_shared() {
        Ok(()) => Ok(Some(ServerLock(file))),
        Err(TryLockError::WouldBlock) => Err(BackupError::BeingRestored {
            database: db_file,
            lock: path,
        }),
        Err(TryLockError::Error(e)) => Err(file_error("cannot lock", &path)(e)),
    }
}

/// What a backup wrote.
#[derive(Debug)]
pub struct Backup {
    pub bytes: u64,
    pub articles: i64,
    pub migration: i64,
}

/// Writes a consistent copy of the live database to `to` (which must not exist yet).
pub async fn backup(pool: &db::Pool, to: &Path) -> Result<Backup, BackupError> {
    let Some(pool) = pool.as_sqlite() else {
        return Err(BackupError::Postgres);
    };
    if to.exists() {
        return Err(BackupError::Exists(to.into()));
    }
    if let Some(parent) = to.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.is_dir() {
            return Err(BackupError::NoFolder(parent.into()));
        }
    }
    let target = to.to_str().ok_or_else(|| BackupError::NotUtf8(to.into()))?;
    sqlx::query("VACUUM INTO ?1")
        .bind(target)
        .execute(pool)
        .await
        .map_err(|source| BackupError::Write {
            path: to.into(),
            source,
        })?;
    File::open(to)
        .and_then(|f| f.sync_all())
        .map_err(file_error("cannot flush to disk", to))?;
    let checked = check_backup(to).await?;
    Ok(Backup {
        bytes: std::fs::metadata(to).map(|m| m.len()).unwrap_or(0),
        articles: checked.articles,
        migration: checked.migration,
    })
}

struct Checked {
    articles: i64,
    migration: i64,
}

/// Opens `file` read-only and makes sure it is an intact portal database this build can run.
async fn check_backup(file: &Path) -> Result<Checked, BackupError> {
    if !file.is_file() {
        return Err(BackupError::NotAFile(file.into()));
    }
    let not_ours = |source: sqlx::Error| BackupError::NotOurs {
        path: file.into(),
        source,
    };
    let mut conn = SqliteConnectOptions::from_str(&format!("sqlite://{}", file.display()))
        .map_err(not_ours)?
        .read_only(true)
        .connect()
        .await
        .map_err(not_ours)?;
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .map_err(not_ours)?;
    if integrity != "ok" {
        return Err(BackupError::Damaged {
            path: file.into(),
            report: integrity,
        });
    }
    let migration: i64 =
        sqlx::query_scalar("SELECT coalesce(max(version), 0) FROM _sqlx_migrations WHERE success")
            .fetch_one(&mut conn)
            .await
            .map_err(not_ours)?;
    let articles: i64 = sqlx::query_scalar("SELECT count(*) FROM articles")
        .fetch_one(&mut conn)
        .await
        .map_err(not_ours)?;
    let _ = conn.close().await;
    if migration > db::latest_migration(db::Backend::Sqlite) {
        return Err(BackupError::Newer {
            path: file.into(),
            found: migration,
            known: db::latest_migration(db::Backend::Sqlite),
        });
    }
    Ok(Checked {
        articles,
        migration,
    })
}

/// Replaces the database with the backup in `from`; the replaced one is kept beside it.
/// Returns what was done, for the operator.
pub async fn restore(config: &Config, from: &Path) -> Result<String, BackupError> {
    let db_file = database_file(config).ok_or(BackupError::Postgres)?;
    let checked = check_backup(from).await?;
    if let Some(parent) = db_file.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(file_error("cannot create", parent))?;
    }
    let (guard, lock) = open_lock(&db_file)?;
    match guard.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            return Err(BackupError::InUse {
                database: db_file,
                lock,
            })
        }
        Err(TryLockError::Error(e)) => return Err(file_error("cannot lock", &lock)(e)),
    }
    let mut kept = None;
    if db_file.exists() {
        // Whatever the last server left in the WAL goes into the file it belongs to first.
        let url = format!("sqlite://{}", db_file.display());
        let options =
            SqliteConnectOptions::from_str(&url).map_err(|source| BackupError::NotOurs {
                path: db_file.clone(),
                source,
            })?;
        if let Ok(mut conn) = options.connect().await {
            let _ = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&mut conn)
                .await;
            let _ = conn.close().await;
        }
        let aside = beside(
            &db_file,
            &format!(".before-restore-{}", super::dates::now()),
        );
        std::fs::rename(&db_file, &aside).map_err(file_error("cannot move aside", &db_file))?;
        kept = Some(aside);
    }
    for leftover in [beside(&db_file, "-wal"), beside(&db_file, "-shm")] {
        if leftover.exists() {
            std::fs::remove_file(&leftover).map_err(file_error("cannot remove", &leftover))?;
        }
    }
    let incoming = beside(&db_file, ".restoring");
    std::fs::copy(from, &incoming)
        .and_then(|_| File::open(&incoming)?.sync_all())
        .map_err(file_error("cannot copy the backup to", &incoming))?;
    std::fs::rename(&incoming, &db_file)
        .map_err(file_error("cannot put the backup in place at", &db_file))?;
    if let Some(dir) = db_file.parent().filter(|p| !p.as_os_str().is_empty()) {
        let _ = File::open(dir).and_then(|d| d.sync_all());
    }
    drop(guard);
    let mut report = format!(
        "restored {} from {} ({} articles and pages, migration {})",
        db_file.display(),
        from.display(),
        checked.articles,
        checked.migration
    );
    if let Some(aside) = kept {
        report.push_str(&format!(
            "; the database it replaced is kept as {}",
            aside.display()
        ));
    }
    Ok(report)
}
