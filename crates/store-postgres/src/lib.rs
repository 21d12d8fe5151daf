//! The PostgreSQL backend: one database shared by many instances. Publications to one code are serialised by a
//! transaction-scoped advisory lock, so concurrent publishers conflict cleanly instead of interleaving.

pub mod scratch;

use std::time::Duration;

use async_trait::async_trait;
use inforce_core::{CodeId, Record};
use inforce_store::rows::{self, ChangesRow, PackRow, RecordRow};
use inforce_store::{NewPublication, Publication, Store, StoreError, TextLedger, Wakeup};
use sqlx::postgres::{PgConnectOptions, PgListener, PgPool, PgPoolOptions};
use sqlx::{Connection, PgConnection, Row};

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
    /// Connects to `url` (`postgres://user@host:port/database`) and applies pending migrations.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
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

    /// The code's text packs, read through the pool or inside a transaction.
    async fn packs<'e, E>(&self, code: &CodeId, executor: E) -> Result<Vec<PackRow>, StoreError>
    where
        E: sqlx::Executor<'e, Database = sqlx::Postgres>,
    {
        let found =
            sqlx::query(rows::SELECT_PACKS).bind(code.as_str()).fetch_all(executor).await.map_err(|e| self.error(e))?;
        Ok(found
            .iter()
            .map(|row| PackRow { publication: row.get(0), checksum: row.get(1), body: row.get(2) })
            .collect())
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

#[async_trait]
impl Store for PostgresStore {
    async fn codes(&self) -> Result<Vec<CodeId>, StoreError> {
        let found = sqlx::query(rows::SELECT_CODES).fetch_all(&self.pool).await.map_err(|e| self.error(e))?;
        found.iter().map(|row| rows::code(row.get(0))).collect()
    }

    async fn publications(&self, code: &CodeId) -> Result<Vec<Publication>, StoreError> {
        let found = sqlx::query(rows::SELECT_PUBLICATIONS)
            .bind(code.as_str())
            .fetch_all(&self.pool)
            .await
            .map_err(|e| self.error(e))?;
        found.iter().map(|row| rows::publication(code, row.get(0), row.get(1), row.get(2), row.get(3))).collect()
    }

    async fn records(&self, code: &CodeId) -> Result<Vec<Record>, StoreError> {
        let found = sqlx::query(rows::SELECT_RECORDS)
            .bind(code.as_str())
            .fetch_all(&self.pool)
            .await
            .map_err(|e| self.error(e))?;
        found
            .iter()
            .map(|row| {
                let row = RecordRow {
                    seq: row.get(0),
                    publication: row.get(1),
                    recorded_at: row.get(2),
                    kind: row.get(3),
                    key: row.get(4),
                    ordinal: row.get(5),
                    body: row.get(6),
                };
                row.into_record(code)
            })
            .collect()
    }

    async fn file(&self, code: &CodeId, sha256: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let row = sqlx::query(rows::SELECT_FILE)
            .bind(code.as_str())
            .bind(sha256)
            .fetch_optional(&self.pool)
            .await
            .map_err(|e| self.error(e))?;
        Ok(row.map(|row| row.get::<Vec<u8>, _>(0)))
    }

    async fn has_file(&self, code: &CodeId, sha256: &str) -> Result<bool, StoreError> {
        let count: i64 = sqlx::query_scalar(rows::HAS_FILE)
            .bind(code.as_str())
            .bind(sha256)
            .fetch_one(&self.pool)
            .await
            .map_err(|e| self.error(e))?;
        Ok(count > 0)
    }

    async fn text_ledger(&self, code: &CodeId) -> Result<TextLedger, StoreError> {
        let packs = self.packs(code, &self.pool).await?;
        let changes = sqlx::query(rows::SELECT_TEXT_CHANGES)
            .bind(code.as_str())
            .fetch_all(&self.pool)
            .await
            .map_err(|e| self.error(e))?
            .iter()
            .map(|row| ChangesRow { publication: row.get(0), recorded_at: row.get(1), body: row.get(2) })
            .collect();
        rows::text_ledger(code, packs, changes)
    }

    async fn publish(&self, publication: NewPublication) -> Result<Publication, StoreError> {
        let mut tx = self.pool.begin().await.map_err(|e| self.error(e))?;
        let code = publication.code.as_str();
        // Serialise publishers of one code across every instance; released when the transaction ends.
        sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
            .bind(code)
            .execute(&mut *tx)
            .await
            .map_err(|e| self.error(e))?;
        let record_count = i64::try_from(publication.writes.len() + publication.text_writes.len()).unwrap_or(i64::MAX);
        let id: i64 = sqlx::query(rows::INSERT_PUBLICATION)
            .bind(code)
            .bind(publication.recorded_at.as_microsecond())
            .bind(&publication.origin)
            .bind(record_count)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| self.error(e))?
            .get(0);
        let head: Option<i64> = sqlx::query(rows::SELECT_HEAD)
            .bind(code)
            .bind(id)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| self.error(e))?
            .get(0);
        if head != publication.expected_head {
            return Err(StoreError::Conflict { code: code.to_string() });
        }
        // Half-way through the register records (or between a text pack and its changes, when there are no
        // register records), the crash-safety tests may kill the process.
        let half = publication.writes.len() / 2;
        let mut written = 0;
        for chunk in publication.writes.chunks(rows::BATCH_ROWS) {
            let sql = rows::INSERT_RECORDS.sql(chunk.len());
            let mut query = sqlx::query(&sql);
            for write in chunk {
                let body = rows::body_text(write);
                query =
                    query.bind(id).bind(code).bind(write.kind.as_str()).bind(&write.key).bind(write.ordinal).bind(body);
            }
            query.execute(&mut *tx).await.map_err(|e| self.error(e))?;
            written += chunk.len();
            if written >= half && written - chunk.len() < half.max(1) {
                inforce_store::crash_test::pause_mid_publication();
            }
        }
        if !publication.new_texts.is_empty() || !publication.text_writes.is_empty() {
            let packed = rows::packed_texts(&publication.code, self.packs(&publication.code, &mut *tx).await?)?;
            let text_rows =
                rows::text_rows(&publication.code, &packed, &publication.new_texts, &publication.text_writes)?;
            if let Some((count, checksum, body)) = text_rows.pack {
                sqlx::query(rows::INSERT_PACK)
                    .bind(id)
                    .bind(code)
                    .bind(count)
                    .bind(checksum)
                    .bind(body)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| self.error(e))?;
            }
            if publication.writes.is_empty() {
                inforce_store::crash_test::pause_mid_publication();
            }
            if let Some((count, body)) = text_rows.changes {
                sqlx::query(rows::INSERT_TEXT_CHANGES)
                    .bind(id)
                    .bind(code)
                    .bind(count)
                    .bind(body)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| self.error(e))?;
            }
        }
        for (sha256, bytes) in &publication.new_files {
            sqlx::query(rows::INSERT_FILE)
                .bind(code)
                .bind(sha256)
                .bind(id)
                .bind(i64::try_from(bytes.len()).unwrap_or(i64::MAX))
                .bind(bytes.as_slice())
                .execute(&mut *tx)
                .await
                .map_err(|e| self.error(e))?;
        }
        // Delivered to every listening instance when (and only if) the transaction commits.
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(PUBLICATIONS_CHANNEL)
            .bind(code)
            .execute(&mut *tx)
            .await
            .map_err(|e| self.error(e))?;
        tx.commit().await.map_err(|e| self.error(e))?;
        Ok(Publication {
            id,
            code: publication.code,
            recorded_at: publication.recorded_at,
            origin: publication.origin,
            record_count,
        })
    }

    async fn await_publication(&self, within: Duration) -> Result<Wakeup, StoreError> {
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

    async fn close(&self) {
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
