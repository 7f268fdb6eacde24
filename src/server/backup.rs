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
fn open_lock(db_file: &Path) -> Result<(File, PathBuf), String> {
    let path = beside(db_file, ".lock");
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    Ok((file, path))
}

/// Held by a serving process for as long as it runs (several servers may share it).
pub struct ServerLock(#[allow(dead_code)] File);

pub fn hold_server_lock(config: &Config) -> Result<Option<ServerLock>, String> {
    let Some(db_file) = database_file(config) else {
        return Ok(None);
    };
    let (file, path) = open_lock(&db_file)?;
    match file.try_lock_shared() {
        Ok(()) => Ok(Some(ServerLock(file))),
        Err(TryLockError::WouldBlock) => Err(format!(
            "{} is being restored (`portal restore` holds {}); start the server when it is done",
            db_file.display(),
            path.display()
        )),
        Err(TryLockError::Error(e)) => Err(format!("cannot lock {}: {e}", path.display())),
    }
}

/// What a backup wrote.
#[derive(Debug)]
pub struct Backup {
    pub bytes: u64,
    pub articles: i64,
    pub migration: i64,
}

/// What `portal backup`/`restore` say when the database is PostgreSQL.
pub const POSTGRES_BACKUPS: &str = "`portal backup` and `portal restore` copy a SQLite database; \
    on PostgreSQL use its own tools (pg_dump and pg_restore, or a base backup with WAL \
    archiving), and copy the media store beside it";

/// Writes a consistent copy of the live database to `to` (which must not exist yet).
pub async fn backup(pool: &db::Pool, to: &Path) -> Result<Backup, String> {
    let Some(pool) = pool.as_sqlite() else {
        return Err(POSTGRES_BACKUPS.into());
    };
    if to.exists() {
        return Err(format!(
            "{} already exists; choose a new name (a backup never overwrites a file)",
            to.display()
        ));
    }
    if let Some(parent) = to.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.is_dir() {
            return Err(format!("the folder {} does not exist", parent.display()));
        }
    }
    let target = to
        .to_str()
        .ok_or_else(|| format!("{} is not a UTF-8 path", to.display()))?;
    sqlx::query("VACUUM INTO ?1")
        .bind(target)
        .execute(pool)
        .await
        .map_err(|e| format!("writing the backup to {} failed: {e}", to.display()))?;
    File::open(to)
        .and_then(|f| f.sync_all())
        .map_err(|e| format!("cannot flush {} to disk: {e}", to.display()))?;
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
async fn check_backup(file: &Path) -> Result<Checked, String> {
    let name = file.display();
    if !file.is_file() {
        return Err(format!("{name} is not a file"));
    }
    let not_ours = |e: sqlx::Error| format!("{name} is not a portal backup ({e})");
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
        return Err(format!("{name} is damaged: {integrity}"));
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
        return Err(format!(
            "{name} was written by a newer portal (migration {migration}; this one knows up to \
             {}): restore it with that version",
            db::latest_migration(db::Backend::Sqlite)
        ));
    }
    Ok(Checked {
        articles,
        migration,
    })
}

/// Replaces the database with the backup in `from`; the replaced one is kept beside it.
/// Returns what was done, for the operator.
pub async fn restore(config: &Config, from: &Path) -> Result<String, String> {
    let db_file = database_file(config).ok_or_else(|| POSTGRES_BACKUPS.to_string())?;
    let checked = check_backup(from).await?;
    if let Some(parent) = db_file.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    let (guard, lock) = open_lock(&db_file)?;
    match guard.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            return Err(format!(
                "a server is using {} (it holds {}): stop it, restore, then start it again",
                db_file.display(),
                lock.display()
            ))
        }
        Err(TryLockError::Error(e)) => return Err(format!("cannot lock {}: {e}", lock.display())),
    }
    let mut kept = None;
    if db_file.exists() {
        // Whatever the last server left in the WAL goes into the file it belongs to first.
        let url = format!("sqlite://{}", db_file.display());
        if let Ok(mut conn) = SqliteConnectOptions::from_str(&url)
            .map_err(|e| e.to_string())?
            .connect()
            .await
        {
            let _ = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&mut conn)
                .await;
            let _ = conn.close().await;
        }
        let aside = beside(
            &db_file,
            &format!(".before-restore-{}", super::dates::now()),
        );
        std::fs::rename(&db_file, &aside)
            .map_err(|e| format!("cannot move {} aside: {e}", db_file.display()))?;
        kept = Some(aside);
    }
    for leftover in [beside(&db_file, "-wal"), beside(&db_file, "-shm")] {
        if leftover.exists() {
            std::fs::remove_file(&leftover)
                .map_err(|e| format!("cannot remove {}: {e}", leftover.display()))?;
        }
    }
    let incoming = beside(&db_file, ".restoring");
    std::fs::copy(from, &incoming)
        .and_then(|_| File::open(&incoming)?.sync_all())
        .map_err(|e| {
            format!(
                "cannot copy {} to {}: {e}",
                from.display(),
                incoming.display()
            )
        })?;
    std::fs::rename(&incoming, &db_file)
        .map_err(|e| format!("cannot put the backup in place: {e}"))?;
    if let Some(dir) = db_file.parent().filter(|p| !p.as_os_str().is_empty()) {
        let _ = File::open(dir).and_then(|d| d.sync_all());
    }
    drop(guard);
    let mut report = format!(
        "restored {} from {} ({} articles, migration {})",
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
