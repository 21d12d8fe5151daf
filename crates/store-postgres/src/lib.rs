//! The PostgreSQL backend: one database shared by many instances. Publications to one code are serialised by a
//! transaction-scoped advisory lock, so concurrent publishers conflict cleanly instead of interleaving.

pub mod scratch;

use std::time::Duration;

use async_trait::async_trait;
use inforce_core::{CodeId, Record};
use inforce_store::rows::{self, RecordRow};
use inforce_store::sql::SqlBackend;
use inforce_store::{StoreError, Wakeup};
use sqlx::postgres::{PgConnectOptions, PgListener, PgPool, PgPoolOptions};
use sqlx::{Connection, PgConnection};

/// A register store in a PostgreSQL database.
#[derive(Debug)]
pub struct PostgresStore {
    pool: PgPool,
    location: String,
    /// The connection that hears publications announced by any instance; made on first use.
    listener: tokio::sync::Mutex<Option<PgListener>>,
}

/// The channel every publication is announced on (payload: the code id).
const PUBLICATIONS_CHANNEL: &str = "inforce_publications";

impl PostgresStore {
    /// Connects to `url` (`postgres://user@host:port/database`), applies pending migrations and gives a digest
    /// to every publication made before the publication log existed ([`inforce_store::complete_log`]).
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let store = Self::open_without_completing(url).await?;
        inforce_store::complete_log(&store, jiff::Timestamp::now()).await?;
        Ok(store)
    }

    /// [`PostgresStore::open`] without completing the log (tests of that step).
    pub async fn open_without_completing(url: &str) -> Result<Self, StoreError> {
        let location = redact(url);
        let options: PgConnectOptions = url
            .parse()
            .map_err(|e| StoreError::Unavailable { location: location.clone(), reason: format!("bad URL: {e}") })?;
        let unavailable = |e: sqlx::Error| StoreError::Unavailable { location: location.clone(), reason: one_line(&e) };
        // One direct attempt first: a pool would retry until its timeout before reporting a refused connection.
        PgConnection::connect_with(&options).await.map_err(unavailable)?.close().await.map_err(unavailable)?;
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .map_err(unavailable)?;
        sqlx::migrate!("./migrations").run(&pool).await.map_err(|e| StoreError::Unavailable {
            location: location.clone(),
            reason: format!("cannot apply migrations: {e}"),
        })?;
        Ok(Self { pool, location, listener: tokio::sync::Mutex::new(None) })
    }

    /// The database URL, without its password.
    pub fn location(&self) -> &str {
        &self.location
    }
}

fn one_line(error: &sqlx::Error) -> String {
    error.to_string().lines().next().unwrap_or_default().to_string()
}

/// The URL with any password replaced, for messages and logs.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.find(':') {
                Some(colon) => format!("{}{}:***{}", &url[..scheme + 3], &credentials[..colon], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

inforce_store::sql_store!(PostgresStore);

/// PostgreSQL's own part: an advisory lock per code around a publication, an announcement after it.
#[async_trait]
impl SqlBackend for PostgresStore {
    type Db = sqlx::Postgres;

    fn pool(&self) -> &PgPool {
        &self.pool
    }

    fn error(&self, error: sqlx::Error) -> StoreError {
        if let sqlx::Error::Database(db) = &error {
            // 25006 read_only_sql_transaction; 55P03 lock_not_available.
            match db.code().as_deref() {
                Some("25006") => return StoreError::ReadOnly { location: self.location.clone() },
                Some("55P03") => return StoreError::Locked { location: self.location.clone() },
                _ => {}
            }
        }
        StoreError::Database { location: self.location.clone(), reason: one_line(&error) }
    }

    async fn before_publish(&self, transaction: &mut PgConnection, code: &str) -> Result<(), sqlx::Error> {
        // Serialise publishers of one code across every instance; released when the transaction ends.
        sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))").bind(code).execute(transaction).await?;
        Ok(())
    }

    async fn begin_snapshot(&self, transaction: &mut PgConnection) -> Result<(), sqlx::Error> {
        // Every statement of the transaction sees the same snapshot (READ COMMITTED would give each its own).
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute(transaction).await?;
        Ok(())
    }

    async fn after_publish(&self, transaction: &mut PgConnection, code: &str) -> Result<(), sqlx::Error> {
        // Delivered to every listening instance when (and only if) the transaction commits.
        sqlx::query("SELECT pg_notify($1, $2)").bind(PUBLICATIONS_CHANNEL).bind(code).execute(transaction).await?;
        Ok(())
    }

    async fn read_records(&self, code: &CodeId) -> Result<Vec<Record>, StoreError> {
        let found = sqlx::query(rows::SELECT_RECORDS)
            .bind(code.as_str())
            .fetch_all(&self.pool)
            .await
            .map_err(|e| self.error(e))?;
        found.iter().map(|row| RecordRow::from_row(row).into_record(code)).collect()
    }

    async fn await_announcement(&self, within: Duration) -> Result<Wakeup, StoreError> {
        let mut slot = self.listener.lock().await;
        if slot.is_none() {
            let mut listener = PgListener::connect_with(&self.pool).await.map_err(|e| self.error(e))?;
            listener.listen(PUBLICATIONS_CHANNEL).await.map_err(|e| self.error(e))?;
            *slot = Some(listener);
        }
        let Some(listener) = slot.as_mut() else { return Ok(Wakeup::TimedOut) };
        match tokio::time::timeout(within, listener.recv()).await {
            Ok(Ok(_)) => Ok(Wakeup::Published),
            Ok(Err(error)) => {
                // A fresh listener is made on the next call; publications missed meanwhile are found by polling.
                *slot = None;
                Err(self.error(error))
            }
            Err(_) => Ok(Wakeup::TimedOut),
        }
    }

    async fn shut_down(&self) {
        self.pool.close().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scratch::ScratchDatabase;

    #[tokio::test]
    async fn passes_the_conformance_suite() {
        let Some(database) = ScratchDatabase::create("conformance").await else { return };
        let store = PostgresStore::open(&database.url).await.expect("open");
        inforce_store::conformance::run(&store).await;
        let update = sqlx::query("UPDATE records SET body = NULL").execute(&store.pool).await;
        assert!(update.is_err_and(|e| e.to_string().contains("append-only")));
        store.pool.close().await;
        database.drop_now().await;
    }

    #[tokio::test]
    async fn files_stored_whole_by_an_earlier_build_move_into_pieces_byte_for_byte() {
        let Some(database) = ScratchDatabase::create("filechunks").await else { return };
        let pool = sqlx::postgres::PgPoolOptions::new().max_connections(1).connect(&database.url).await.expect("open");
        let all = sqlx::migrate!("./migrations");
        let earlier = sqlx::migrate::Migrator {
            migrations: std::borrow::Cow::Owned(all.migrations[..5].to_vec()),
            ..sqlx::migrate!("./migrations")
        };
        earlier.run(&pool).await.expect("the schema of five migrations");
        let files = inforce_store::conformance::files_stored_whole();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO publications (code, recorded_at, origin, record_count) VALUES ('c', 0, 'x', 0) RETURNING id",
        )
        .fetch_one(&pool)
        .await
        .expect("publication");
        for (sha, bytes) in &files {
            sqlx::query("INSERT INTO files (code, sha256, publication_id, size, body) VALUES ('c', $1, $2, $3, $4)")
                .bind(sha)
                .bind(id)
                .bind(bytes.len() as i64)
                .bind(bytes.as_slice())
                .execute(&pool)
                .await
                .expect("file");
        }
        pool.close().await;
        let store = PostgresStore::open(&database.url).await.expect("migrated");
        inforce_store::conformance::check_files_in_pieces(&store, &files).await;
        let left: i64 = sqlx::query_scalar("SELECT COALESCE(SUM(length(body)), 0)::BIGINT FROM files")
            .fetch_one(&store.pool)
            .await
            .expect("sum");
        assert_eq!(left, 0, "the whole bodies are not kept twice");
        let update = sqlx::query("UPDATE file_chunks SET body = '\\x00'::bytea").execute(&store.pool).await;
        assert!(update.is_err_and(|e| e.to_string().contains("append-only")), "the pieces never change");
        store.pool.close().await;
        database.drop_now().await;
    }

    #[tokio::test]
    async fn publications_made_before_the_log_are_given_their_digests_once() {
        let Some(database) = ScratchDatabase::create("beforelog").await else { return };
        let pool = sqlx::postgres::PgPoolOptions::new().max_connections(1).connect(&database.url).await.expect("open");
        let all = sqlx::migrate!("./migrations");
        let earlier = sqlx::migrate::Migrator {
            migrations: std::borrow::Cow::Owned(all.migrations[..6].to_vec()),
            ..sqlx::migrate!("./migrations")
        };
        earlier.run(&pool).await.expect("the schema of six migrations");
        for statement in inforce_store::conformance::publications_before_the_log() {
            sqlx::query(&statement).execute(&pool).await.expect(&statement);
        }
        all.run(&pool).await.expect("migrated");
        pool.close().await;
        let store = PostgresStore::open_without_completing(&database.url).await.expect("open");
        inforce_store::conformance::check_log_completed(&store).await;
        store.pool.close().await;
        database.drop_now().await;
    }

    #[tokio::test]
    async fn retries_a_publication_that_lost_the_race() {
        let Some(database) = ScratchDatabase::create("retries").await else { return };
        let store = PostgresStore::open(&database.url).await.expect("open");
        inforce_store::conformance::run_retries(&store).await;
        store.pool.close().await;
        database.drop_now().await;
    }

    #[tokio::test]
    async fn imports_texts() {
        let Some(database) = ScratchDatabase::create("import").await else { return };
        let store = PostgresStore::open(&database.url).await.expect("open");
        inforce_store::conformance::run_import(&store).await;
        store.pool.close().await;
        database.drop_now().await;
    }

    #[tokio::test]
    async fn copies_every_publication() {
        let Some(source) = ScratchDatabase::create("copyfrom").await else { return };
        let Some(target) = ScratchDatabase::create("copyto").await else { return };
        let (from, to) =
            (PostgresStore::open(&source.url).await.expect("open"), PostgresStore::open(&target.url).await);
        let to = to.expect("open");
        inforce_store::conformance::run_copy(&from, &to).await;
        from.pool.close().await;
        to.pool.close().await;
        source.drop_now().await;
        target.drop_now().await;
    }

    #[tokio::test]
    async fn an_unreachable_server_is_one_clear_line() {
        let error = PostgresStore::open("postgres://nobody:pw@127.0.0.1:1/none").await.expect_err("no server");
        let message = error.to_string();
        assert!(message.starts_with("cannot open the database postgres://nobody:***@127.0.0.1:1/none: "), "{message}");
        assert!(!message.contains('\n'));
    }

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(redact("postgres://u:secret@host/db"), "postgres://u:***@host/db");
        assert_eq!(redact("postgres://u@host/db"), "postgres://u@host/db");
    }
}
