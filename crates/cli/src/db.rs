//! Where the register lives and how it is opened: `--db` (or `INFORCE_DB`) names a SQLite file or a
//! `postgres://` URL; without it, the per-user data folder.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use inforce_store::Store;
use inforce_store_postgres::PostgresStore;
use inforce_store_sqlite::{OpenOptions, SqliteStore};

use crate::failure::Failure;

/// Where the register lives: a PostgreSQL URL or a SQLite file.
pub enum Database {
    /// A `postgres://` URL.
    Postgres(String),
    /// A SQLite file.
    Sqlite(PathBuf),
}

/// The database: `--db`, then `INFORCE_DB` (both handled by clap), then the per-user data folder.
pub fn database(db: Option<&Path>) -> Result<Database, Failure> {
    if let Some(db) = db {
        let text = db.to_string_lossy();
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            return Ok(Database::Postgres(text.into_owned()));
        }
        let path = text.strip_prefix("sqlite://").or_else(|| text.strip_prefix("sqlite:")).unwrap_or(&text);
        return Ok(Database::Sqlite(PathBuf::from(path)));
    }
    let data_home = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local").join("share")))
        .ok_or_else(|| Failure::Usage("no --db given and neither XDG_DATA_HOME nor HOME is set".into()))?;
    Ok(Database::Sqlite(data_home.join("inforce").join("inforce.db")))
}

/// Opens the database `db` names (a SQLite file or a `postgres://` URL), applying pending migrations.
pub async fn open_store(db: Option<&Path>) -> Result<Arc<dyn Store>, Failure> {
    match database(db)? {
        Database::Postgres(url) => Ok(Arc::new(PostgresStore::open(&url).await?)),
        Database::Sqlite(path) => {
            let busy_timeout = std::env::var("INFORCE_BUSY_TIMEOUT_MS")
                .ok()
                .and_then(|ms| ms.parse().ok())
                .map_or(OpenOptions::default().busy_timeout, Duration::from_millis);
            Ok(Arc::new(SqliteStore::open(&path, OpenOptions { busy_timeout }).await?))
        }
    }
}
