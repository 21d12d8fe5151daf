//! The one body of the SQL backends. Both run the statements of [`crate::rows`] in the same order; a backend adds
//! only what is its own, through [`SqlBackend`]: its pool, its error classification, its locking before a
//! publication and its announcement after one, and its reading of records and its closing.
//!
//! The shared body is a macro, [`sql_store!`](crate::sql_store), which implements [`Store`](crate::Store) for a
//! backend type with the sqlx types of that backend. A function generic over the sqlx database would need a bound
//! for every type bound or read, and higher-ranked bounds on the executor; expanded, the body is plain code.

use std::time::Duration;

use async_trait::async_trait;
use inforce_core::{CodeId, Record};

use crate::{StoreError, Wakeup};

/// What a SQL backend provides beyond the shared statements. [`sql_store!`](crate::sql_store) builds the rest of
/// the [`Store`](crate::Store) from it; every method's errors are [`StoreError`]s (or sqlx errors the backend
/// classifies with [`SqlBackend::error`]).
#[async_trait]
pub trait SqlBackend: Send + Sync {
    /// The sqlx database (`sqlx::Sqlite`, `sqlx::Postgres`).
    type Db: sqlx::Database;

    /// The connection pool the shared statements run on.
    fn pool(&self) -> &sqlx::Pool<Self::Db>;

    /// The store's error for a driver error: locked, read-only and the like are the backend's to recognise.
    fn error(&self, error: sqlx::Error) -> StoreError;

    /// Runs first in a publication's transaction, before anything is read or written (a lock, say).
    // The default does nothing (SQLite needs no lock); PostgreSQL's own, its advisory lock, is tested by
    // crates/cli/tests/postgres.rs. Replacing this default by Ok(()) changes nothing.
    #[mutants::skip]
    async fn before_publish(
        &self,
        transaction: &mut <Self::Db as sqlx::Database>::Connection,
        code: &str,
    ) -> Result<(), sqlx::Error> {
        let _ = (transaction, code);
        Ok(())
    }

    /// Runs last in a publication's transaction, after every row is written and before the commit.
    // The default does nothing; PostgreSQL's own (NOTIFY) is tested by crates/cli/tests/postgres.rs.
    #[mutants::skip]
    async fn after_publish(
        &self,
        transaction: &mut <Self::Db as sqlx::Database>::Connection,
        code: &str,
    ) -> Result<(), sqlx::Error> {
        let _ = (transaction, code);
        Ok(())
    }

    /// Runs first in a transaction that reads several tables, so that they are read at one point of the log.
    // The default does nothing: SQLite's read transaction already sees one snapshot throughout.
    #[mutants::skip]
    async fn begin_snapshot(
        &self,
        transaction: &mut <Self::Db as sqlx::Database>::Connection,
    ) -> Result<(), sqlx::Error> {
        let _ = transaction;
        Ok(())
    }

    /// [`Store::records`](crate::Store::records): every record of the code in append order (backends read them
    /// their fastest way).
    async fn read_records(&self, code: &CodeId) -> Result<Vec<Record>, StoreError>;

    /// [`Store::await_publication`](crate::Store::await_publication); by default [`Wakeup::Unsupported`] at once.
    async fn await_announcement(&self, within: Duration) -> Result<Wakeup, StoreError> {
        let _ = within;
        Ok(Wakeup::Unsupported)
    }

    /// [`Store::close`](crate::Store::close): closes the connections cleanly.
    async fn shut_down(&self);
}

/// What the expansion of [`sql_store!`](crate::sql_store) names, so a backend needs no imports for it.
#[doc(hidden)]
pub mod expand {
    pub use async_trait::async_trait;
    pub use inforce_core::log::Digest;
    pub use inforce_core::{CodeId, Record};
    pub use sqlx;
}

/// Implements [`Store`](crate::Store) for a type that implements [`SqlBackend`]: the readers `codes`,
/// `publications`, `file`, `has_file` and `text_ledger`, and `publish`, once for every SQL backend.
///
/// `publish` runs in one transaction: [`SqlBackend::before_publish`], the publication row (which, on SQLite,
/// takes the write lock so the head read next is final), the head check ([`StoreError::Conflict`]), the records
/// in batches, the text pack and change list, the document files, [`SqlBackend::after_publish`], the commit.
#[macro_export]
macro_rules! sql_store {
    ($store:ty) => {
        impl $store {
            /// The rows of a query of one code's records (its one parameter is the code), read through the pool or
            /// inside a transaction.
            async fn sql_rows<'e, E>(
                &self,
                sql: &'static str,
                code: &$crate::sql::expand::CodeId,
                executor: E,
            ) -> Result<
                Vec<<<$store as $crate::sql::SqlBackend>::Db as $crate::sql::expand::sqlx::Database>::Row>,
                $crate::StoreError,
            >
            where
                E: $crate::sql::expand::sqlx::Executor<'e, Database = <$store as $crate::sql::SqlBackend>::Db>,
            {
                use $crate::sql::SqlBackend as _;
                $crate::sql::expand::sqlx::query(sql)
                    .bind(code.as_str())
                    .fetch_all(executor)
                    .await
                    .map_err(|e| self.error(e))
            }

            /// The code's text packs, read through the pool or inside a transaction.
            async fn sql_packs<'e, E>(
                &self,
                code: &$crate::sql::expand::CodeId,
                executor: E,
            ) -> Result<Vec<$crate::rows::PackRow>, $crate::StoreError>
            where
                E: $crate::sql::expand::sqlx::Executor<'e, Database = <$store as $crate::sql::SqlBackend>::Db>,
            {
                use $crate::sql::expand::sqlx::Row as _;
                let found = self.sql_rows($crate::rows::SELECT_PACKS, code, executor).await?;
                Ok(found
                    .iter()
                    .map(|row| $crate::rows::PackRow {
                        publication: row.get(0),
                        checksum: row.get(1),
                        body: row.get(2),
                    })
                    .collect())
            }

            /// The code's publications, read through the pool or inside a transaction.
            async fn sql_publications<'e, E>(
                &self,
                code: &$crate::sql::expand::CodeId,
                executor: E,
            ) -> Result<Vec<$crate::Publication>, $crate::StoreError>
            where
                E: $crate::sql::expand::sqlx::Executor<'e, Database = <$store as $crate::sql::SqlBackend>::Db>,
            {
                use $crate::sql::expand::sqlx::Row as _;
                let found = self.sql_rows($crate::rows::SELECT_PUBLICATIONS, code, executor).await?;
                found
                    .iter()
                    .map(|row| {
                        let columns = (
                            row.get(0),
                            row.get(1),
                            row.get(2),
                            row.get(3),
                            row.get(4),
                            row.get(5),
                            row.get(6),
                            row.get(7),
                        );
                        $crate::rows::publication(code, columns)
                    })
                    .collect()
            }

            /// The code's text change lists, read through the pool or inside a transaction.
            async fn sql_changes<'e, E>(
                &self,
                code: &$crate::sql::expand::CodeId,
                executor: E,
            ) -> Result<Vec<$crate::rows::ChangesRow>, $crate::StoreError>
            where
                E: $crate::sql::expand::sqlx::Executor<'e, Database = <$store as $crate::sql::SqlBackend>::Db>,
            {
                use $crate::sql::expand::sqlx::Row as _;
                let found = self.sql_rows($crate::rows::SELECT_TEXT_CHANGES, code, executor).await?;
                Ok(found
                    .iter()
                    .map(|row| $crate::rows::ChangesRow {
                        publication: row.get(0),
                        recorded_at: row.get(1),
                        body: row.get(2),
                    })
                    .collect())
            }

            /// The code's log, read through the pool or inside a transaction.
            async fn sql_log<'e, E>(
                &self,
                code: &$crate::sql::expand::CodeId,
                executor: E,
            ) -> Result<Vec<$crate::LogEntry>, $crate::StoreError>
            where
                E: $crate::sql::expand::sqlx::Executor<'e, Database = <$store as $crate::sql::SqlBackend>::Db>,
            {
                use $crate::sql::expand::sqlx::Row as _;
                let found = self.sql_rows($crate::rows::SELECT_LOG, code, executor).await?;
                found
                    .iter()
                    .map(|row| $crate::log::entry(code, row.get(0), row.get(1), &row.get::<Vec<u8>, _>(2), row.get(3)))
                    .collect()
            }
        }

        #[$crate::sql::expand::async_trait]
        impl $crate::Store for $store {
            async fn codes(&self) -> Result<Vec<$crate::sql::expand::CodeId>, $crate::StoreError> {
                use $crate::sql::SqlBackend as _;
                use $crate::sql::expand::sqlx::Row as _;
                let found = $crate::sql::expand::sqlx::query($crate::rows::SELECT_CODES)
                    .fetch_all(self.pool())
                    .await
                    .map_err(|e| self.error(e))?;
                found.iter().map(|row| $crate::rows::code(row.get(0))).collect()
            }

            async fn publications(
                &self,
                code: &$crate::sql::expand::CodeId,
            ) -> Result<Vec<$crate::Publication>, $crate::StoreError> {
                use $crate::sql::SqlBackend as _;
                self.sql_publications(code, self.pool()).await
            }

            async fn records(
                &self,
                code: &$crate::sql::expand::CodeId,
            ) -> Result<Vec<$crate::sql::expand::Record>, $crate::StoreError> {
                $crate::sql::SqlBackend::read_records(self, code).await
            }

            async fn text_ledger(
                &self,
                code: &$crate::sql::expand::CodeId,
            ) -> Result<$crate::TextLedger, $crate::StoreError> {
                use $crate::sql::SqlBackend as _;
                // Change lists first: a publication landing between the two reads then adds a pack nothing read
                // names yet, rather than a change list naming a text in a pack not read (packs only grow, and a
                // text keeps its place in them).
                let changes = self.sql_changes(code, self.pool()).await?;
                let packs = self.sql_packs(code, self.pool()).await?;
                $crate::rows::text_ledger(code, packs, changes)
            }

            async fn publish(
                &self,
                publication: $crate::NewPublication,
            ) -> Result<$crate::Publication, $crate::StoreError> {
                use $crate::sql::SqlBackend as _;
                use $crate::sql::expand::sqlx::Row as _;
                use $crate::sql::expand::sqlx::query;
                let mut tx = self.pool().begin().await.map_err(|e| self.error(e))?;
                let code = publication.code.as_str();
                self.before_publish(&mut *tx, code).await.map_err(|e| self.error(e))?;
                let record_count =
                    i64::try_from(publication.writes.len() + publication.text_writes.len()).unwrap_or(i64::MAX);
                // Insert first: on SQLite it takes the write lock (waiting up to the busy timeout), so the head
                // read next is final.
                let id: i64 = query($crate::rows::INSERT_PUBLICATION)
                    .bind(code)
                    .bind(publication.recorded_at.as_microsecond())
                    .bind(&publication.origin)
                    .bind(record_count)
                    .bind(&publication.author)
                    .bind(&publication.command)
                    .bind(publication.base)
                    .bind(&publication.reason)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| self.error(e))?
                    .get(0);
                let head: Option<i64> = query($crate::rows::SELECT_HEAD)
                    .bind(code)
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| self.error(e))?
                    .get(0);
                if head != publication.expected_head {
                    return Err($crate::StoreError::Conflict { code: code.to_string() });
                }
                // Half-way through the register records (or between a text pack and its changes, when there are
                // no register records), the crash-safety tests may kill the process.
                let half = publication.writes.len() / 2;
                let mut written = 0;
                let mut logged_records = Vec::with_capacity(publication.writes.len());
                for chunk in publication.writes.chunks($crate::rows::BATCH_ROWS) {
                    let sql = $crate::rows::INSERT_RECORDS.sql(chunk.len());
                    let mut batch = query(&sql);
                    for write in chunk {
                        let body = $crate::rows::body_text(write);
                        logged_records.push($crate::log::logged_record(write, body.clone()));
                        batch = batch
                            .bind(id)
                            .bind(code)
                            .bind(write.kind.as_str())
                            .bind(&write.key)
                            .bind(write.ordinal)
                            .bind(body);
                    }
                    batch.execute(&mut *tx).await.map_err(|e| self.error(e))?;
                    written += chunk.len();
                    if written >= half && written - chunk.len() < half.max(1) {
                        $crate::crash_test::pause_mid_publication();
                    }
                }
                let mut logged_texts = Vec::new();
                if !publication.new_texts.is_empty() || !publication.text_writes.is_empty() {
                    let packs = self.sql_packs(&publication.code, &mut *tx).await?;
                    let packed = $crate::rows::packed_texts(&publication.code, packs)?;
                    let text_rows = $crate::rows::text_rows(
                        &publication.code,
                        &packed,
                        &publication.new_texts,
                        &publication.text_writes,
                    )?;
                    logged_texts = text_rows.fresh;
                    if let Some((count, checksum, body)) = text_rows.pack {
                        query($crate::rows::INSERT_PACK)
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
                        $crate::crash_test::pause_mid_publication();
                    }
                    if let Some((count, body)) = text_rows.changes {
                        query($crate::rows::INSERT_TEXT_CHANGES)
                            .bind(id)
                            .bind(code)
                            .bind(count)
                            .bind(body)
                            .execute(&mut *tx)
                            .await
                            .map_err(|e| self.error(e))?;
                    }
                }
                let mut logged_files = Vec::new();
                for (sha256, bytes) in &publication.new_files {
                    let empty: &[u8] = &[];
                    let added = query($crate::rows::INSERT_FILE)
                        .bind(code)
                        .bind(sha256)
                        .bind(id)
                        .bind(i64::try_from(bytes.len()).unwrap_or(i64::MAX))
                        .bind(empty)
                        .execute(&mut *tx)
                        .await
                        .map_err(|e| self.error(e))?
                        .rows_affected();
                    // A file the code already holds belongs to the publication that first stored it.
                    if added == 1 {
                        logged_files.push($crate::log::logged_file(sha256, bytes.len()));
                    }
                    for (seq, chunk) in bytes.chunks($crate::FILE_CHUNK).enumerate() {
                        query($crate::rows::INSERT_FILE_CHUNK)
                            .bind(code)
                            .bind(sha256)
                            .bind(i64::try_from(seq).unwrap_or(i64::MAX))
                            .bind(chunk)
                            .execute(&mut *tx)
                            .await
                            .map_err(|e| self.error(e))?;
                    }
                }
                // The publication's digest, chained to the code's previous one, in the same transaction.
                let sequence: i64 = query($crate::rows::COUNT_UP_TO)
                    .bind(code)
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| self.error(e))?
                    .get(0);
                let tip = query($crate::rows::SELECT_LOG_TIP)
                    .bind(code)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(|e| self.error(e))?
                    .map(|row| (row.get::<i64, _>(0), row.get::<Vec<u8>, _>(1)));
                let base = match publication.base {
                    None => None,
                    Some(base) => query($crate::rows::SELECT_SEQUENCE_OF)
                        .bind(code)
                        .bind(base)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(|e| self.error(e))?
                        .map(|row| row.get::<i64, _>(0)),
                };
                let logged = $crate::log::LoggedParts {
                    publication: id,
                    sequence,
                    base: (publication.base, base),
                    tip,
                    records: logged_records,
                    texts: logged_texts,
                    files: logged_files,
                };
                let digest = logged.digest(&publication)?;
                query($crate::rows::INSERT_DIGEST)
                    .bind(id)
                    .bind(code)
                    .bind(sequence)
                    .bind(digest.as_bytes().as_slice())
                    .bind(None::<i64>)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| self.error(e))?;
                self.after_publish(&mut *tx, code).await.map_err(|e| self.error(e))?;
                tx.commit().await.map_err(|e| self.error(e))?;
                Ok($crate::Publication {
                    id,
                    code: publication.code,
                    recorded_at: publication.recorded_at,
                    origin: publication.origin,
                    record_count,
                    author: publication.author,
                    command: publication.command,
                    base: publication.base,
                    reason: publication.reason,
                })
            }

            async fn latest(
                &self,
                code: &$crate::sql::expand::CodeId,
            ) -> Result<Option<($crate::Publication, Option<$crate::sql::expand::Digest>)>, $crate::StoreError> {
                use $crate::sql::SqlBackend as _;
                use $crate::sql::expand::sqlx::Row as _;
                let found = self.sql_rows($crate::rows::SELECT_LATEST, code, self.pool()).await?;
                let Some(row) = found.first() else { return Ok(None) };
                let columns =
                    (row.get(0), row.get(1), row.get(2), row.get(3), row.get(4), row.get(5), row.get(6), row.get(7));
                let publication = $crate::rows::publication(code, columns)?;
                let digest = match row.get::<Option<Vec<u8>>, _>(8) {
                    Some(bytes) => Some($crate::sql::expand::Digest::from_bytes(&bytes).ok_or_else(|| {
                        $crate::StoreError::Corrupt {
                            code: code.to_string(),
                            seq: publication.id,
                            reason: format!("a digest of {} bytes", bytes.len()),
                        }
                    })?),
                    None => None,
                };
                Ok(Some((publication, digest)))
            }

            async fn log(
                &self,
                code: &$crate::sql::expand::CodeId,
            ) -> Result<Vec<$crate::LogEntry>, $crate::StoreError> {
                use $crate::sql::SqlBackend as _;
                self.sql_log(code, self.pool()).await
            }

            async fn log_sources(
                &self,
                code: &$crate::sql::expand::CodeId,
            ) -> Result<$crate::LogSources, $crate::StoreError> {
                use $crate::sql::SqlBackend as _;
                use $crate::sql::expand::sqlx::Row as _;
                // One read transaction, so every table is read at the same point of the log.
                let mut tx = self.pool().begin().await.map_err(|e| self.error(e))?;
                self.begin_snapshot(&mut *tx).await.map_err(|e| self.error(e))?;
                let publications = self.sql_publications(code, &mut *tx).await?;
                let records = $crate::sql::expand::sqlx::query($crate::rows::SELECT_RECORDS)
                    .bind(code.as_str())
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(|e| self.error(e))?
                    .iter()
                    .map($crate::rows::RecordRow::from_row)
                    .collect();
                let packs = self.sql_packs(code, &mut *tx).await?;
                let changes = self.sql_changes(code, &mut *tx).await?;
                let files = $crate::sql::expand::sqlx::query($crate::rows::SELECT_FILES)
                    .bind(code.as_str())
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(|e| self.error(e))?
                    .iter()
                    .map(|row| $crate::rows::FileRow { sha256: row.get(0), size: row.get(1), publication: row.get(2) })
                    .collect();
                let log = self.sql_log(code, &mut *tx).await?;
                let log_start: i64 = $crate::sql::expand::sqlx::query($crate::rows::SELECT_LOG_START)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| self.error(e))?
                    .get(0);
                tx.rollback().await.map_err(|e| self.error(e))?;
                Ok($crate::LogSources { publications, records, packs, changes, files, log, log_start })
            }

            async fn unlogged(&self) -> Result<Vec<$crate::sql::expand::CodeId>, $crate::StoreError> {
                use $crate::sql::SqlBackend as _;
                use $crate::sql::expand::sqlx::Row as _;
                let found = $crate::sql::expand::sqlx::query($crate::rows::SELECT_UNLOGGED_CODES)
                    .fetch_all(self.pool())
                    .await
                    .map_err(|e| self.error(e))?;
                found.iter().map(|row| $crate::rows::code(row.get(0))).collect()
            }

            async fn add_digests(
                &self,
                code: &$crate::sql::expand::CodeId,
                entries: &[$crate::LogEntry],
            ) -> Result<(), $crate::StoreError> {
                use $crate::sql::SqlBackend as _;
                let mut tx = self.pool().begin().await.map_err(|e| self.error(e))?;
                self.before_publish(&mut *tx, code.as_str()).await.map_err(|e| self.error(e))?;
                for entry in entries {
                    $crate::sql::expand::sqlx::query($crate::rows::INSERT_DIGEST)
                        .bind(entry.publication)
                        .bind(code.as_str())
                        .bind(i64::try_from(entry.sequence).unwrap_or(i64::MAX))
                        .bind(entry.digest.as_bytes().as_slice())
                        .bind(entry.computed_at.map(|t| t.as_microsecond()))
                        .execute(&mut *tx)
                        .await
                        .map_err(|e| self.error(e))?;
                }
                tx.commit().await.map_err(|e| self.error(e))
            }

            async fn file_stored(
                &self,
                code: &$crate::sql::expand::CodeId,
                sha256: &str,
            ) -> Result<Option<$crate::StoredFile>, $crate::StoreError> {
                use $crate::sql::SqlBackend as _;
                use $crate::sql::expand::sqlx::Row as _;
                let row = $crate::sql::expand::sqlx::query($crate::rows::SELECT_FILE)
                    .bind(code.as_str())
                    .bind(sha256)
                    .fetch_optional(self.pool())
                    .await
                    .map_err(|e| self.error(e))?;
                Ok(row.map(|row| $crate::StoredFile {
                    size: u64::try_from(row.get::<i64, _>(0)).unwrap_or(0),
                    publication: row.get::<i64, _>(1),
                }))
            }

            async fn file_chunk(
                &self,
                code: &$crate::sql::expand::CodeId,
                sha256: &str,
                seq: u64,
            ) -> Result<Option<Vec<u8>>, $crate::StoreError> {
                use $crate::sql::SqlBackend as _;
                use $crate::sql::expand::sqlx::Row as _;
                let row = $crate::sql::expand::sqlx::query($crate::rows::SELECT_FILE_CHUNK)
                    .bind(code.as_str())
                    .bind(sha256)
                    .bind(i64::try_from(seq).unwrap_or(i64::MAX))
                    .fetch_optional(self.pool())
                    .await
                    .map_err(|e| self.error(e))?;
                Ok(row.map(|row| row.get::<Vec<u8>, _>(0)))
            }

            async fn has_file(
                &self,
                code: &$crate::sql::expand::CodeId,
                sha256: &str,
            ) -> Result<bool, $crate::StoreError> {
                use $crate::sql::SqlBackend as _;
                let count: i64 = $crate::sql::expand::sqlx::query_scalar($crate::rows::HAS_FILE)
                    .bind(code.as_str())
                    .bind(sha256)
                    .fetch_one(self.pool())
                    .await
                    .map_err(|e| self.error(e))?;
                Ok(count > 0)
            }

            async fn await_publication(
                &self,
                within: std::time::Duration,
            ) -> Result<$crate::Wakeup, $crate::StoreError> {
                $crate::sql::SqlBackend::await_announcement(self, within).await
            }

            async fn close(&self) {
                $crate::sql::SqlBackend::shut_down(self).await;
            }
        }
    };
}
