//! The session table (the `tower-sessions` store of the backend, in the portal's database:
//! every server behind a load balancer sees every session).

use super::Pool;
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

/// The session table as it is (migrations, sweeping expired rows), in the portal's database:
/// every server behind a load balancer sees every session.
#[derive(Clone, Debug)]
pub enum SessionTable {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl SessionTable {
    pub fn new(pool: &Pool) -> SessionTable {
        match pool {
            Pool::Sqlite(p) => SessionTable::Sqlite(
                SqliteStore::new(p.clone())
                    .with_table_name("sessions")
                    .expect("a valid table name"),
            ),
            // public.sessions, created by the PostgreSQL migrations (so servers starting at once
            // never race to create it).
            Pool::Postgres(p) => SessionTable::Postgres(
                PostgresStore::new(p.clone())
                    .with_schema_name("public")
                    .and_then(|s| s.with_table_name("sessions"))
                    .expect("a valid table name"),
            ),
        }
    }

    /// Creates the table if missing (SQLite; on PostgreSQL the migrations made it).
    pub async fn migrate(&self) -> sqlx::Result<()> {
        match self {
            SessionTable::Sqlite(s) => s.migrate().await,
            SessionTable::Postgres(_) => Ok(()),
        }
    }
}

/// Whether a session with this id exists and has not expired (the session store's table).
pub async fn session_exists(pool: &Pool, id: &str) -> Result<bool, sqlx::Error> {
    let sql = pool.backend().words().session_alive;
    on!(pool, pool => {
    sqlx::query_scalar(sql)
    .bind(id)
    .fetch_one(pool)
    .await
    })
}

macro_rules! on_table {
    ($table:expr, $s:ident => $body:expr) => {
        match $table {
            SessionTable::Sqlite($s) => $body,
            SessionTable::Postgres($s) => $body,
        }
    };
}

#[async_trait::async_trait]
impl tower_sessions::SessionStore for SessionTable {
    async fn create(
        &self,
        record: &mut tower_sessions::session::Record,
    ) -> tower_sessions::session_store::Result<()> {
        on_table!(self, s => s.create(record).await)
    }
    async fn save(
        &self,
        record: &tower_sessions::session::Record,
    ) -> tower_sessions::session_store::Result<()> {
        on_table!(self, s => s.save(record).await)
    }
    async fn load(
        &self,
        id: &tower_sessions::session::Id,
    ) -> tower_sessions::session_store::Result<Option<tower_sessions::session::Record>> {
        on_table!(self, s => s.load(id).await)
    }
    async fn delete(
        &self,
        id: &tower_sessions::session::Id,
    ) -> tower_sessions::session_store::Result<()> {
        on_table!(self, s => s.delete(id).await)
    }
}

#[async_trait::async_trait]
impl tower_sessions::session_store::ExpiredDeletion for SessionTable {
    async fn delete_expired(&self) -> tower_sessions::session_store::Result<()> {
        on_table!(self, s => s.delete_expired().await)
    }
}
