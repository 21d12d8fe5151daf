//! The SQLite backend: one file, WAL journal, foreign keys on, migrations applied when opened.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use inforce_core::{CodeId, Record};
use inforce_store::StoreError;
use inforce_store::rows::RecordRow;
use inforce_store::sql::SqlBackend;
use sqlx::ConnectOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};

/// How long to wait for another process's write before reporting the database as locked.
const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// A register store in one SQLite file. Its SQL uses `$n` parameters and types PostgreSQL also accepts, so the
/// statements read the same in both backends.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    location: String,
}

/// Options for opening a SQLite store.
#[derive(Debug, Clone)]
pub struct OpenOptions {
    /// How long a write waits for another process before giving up with [`StoreError::Locked`].
    pub busy_timeout: Duration,
}

impl Default for OpenOptions {
    fn default() -> Self {
        Self { busy_timeout: DEFAULT_BUSY_TIMEOUT }
    }
}

impl SqliteStore {
    /// Opens (creating if needed) the database file, applies pending migrations and gives a digest to every
    /// publication made before the publication log existed ([`inforce_store::complete_log`]).
    pub async fn open(path: &Path, options: OpenOptions) -> Result<Self, StoreError> {
        let location = path.display().to_string();
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| StoreError::Unavailable {
                location: location.clone(),
                reason: format!("cannot create folder {}: {e}", parent.display()),
            })?;
        }
        let connect = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .foreign_keys(true)
            .busy_timeout(options.busy_timeout)
            .disable_statement_logging();
        match Self::connect(connect, location.clone()).await {
            Err(StoreError::ReadOnly { .. } | StoreError::Unavailable { .. }) if path.is_file() => {
                Self::open_read_only(path, location).await
            }
            Ok(store) => {
                // Publications made before the publication log existed get their digests once, here; a
                // read-only database cannot keep them, and `verify` computes them as it goes.
                inforce_store::complete_log(&store, jiff::Timestamp::now()).await?;
                Ok(store)
            }
            Err(e) => Err(e),
        }
    }

    /// Opens a database this process cannot write (file or folder read-only) for reading only. Without write
    /// access SQLite cannot share locks, so the file is read as immutable; writes fail with a clear message.
    async fn open_read_only(path: &Path, location: String) -> Result<Self, StoreError> {
        let connect =
            SqliteConnectOptions::new().filename(path).read_only(true).immutable(true).disable_statement_logging();
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(connect)
            .await
            .map_err(|e| classify(&location, e))?;
        // Refuse a read-only file that was never migrated rather than failing later on a missing table.
        sqlx::query("SELECT COUNT(*) FROM publications")
            .fetch_one(&pool)
            .await
            .map_err(|_| StoreError::ReadOnly { location: location.clone() })?;
        Ok(Self { pool, location })
    }

    /// Opens an in-memory database, for tests.
    pub async fn in_memory() -> Result<Self, StoreError> {
        let connect = SqliteConnectOptions::from_str("sqlite::memory:")
            .map_err(|e| StoreError::Unavailable { location: ":memory:".into(), reason: e.to_string() })?
            .foreign_keys(true);
        Self::connect(connect, ":memory:".into()).await
    }

    async fn connect(connect: SqliteConnectOptions, location: String) -> Result<Self, StoreError> {
        // One connection for an in-memory database (each would otherwise get its own); a few for a file.
        let max = if location == ":memory:" { 1 } else { 4 };
        let pool = SqlitePoolOptions::new()
            .max_connections(max)
            .connect_with(connect)
            .await
            .map_err(|e| classify(&location, e))?;
        sqlx::migrate!("./migrations").run(&pool).await.map_err(|e| match e {
            sqlx::migrate::MigrateError::Execute(e) => classify(&location, e),
            other => StoreError::Unavailable { location: location.clone(), reason: other.to_string() },
        })?;
        Ok(Self { pool, location })
    }

    /// The database file this store writes to.
    pub fn location(&self) -> &str {
        &self.location
    }
}

/// Turns driver errors into the store's errors, recognising SQLite's locked and read-only codes.
fn classify(location: &str, error: sqlx::Error) -> StoreError {
    let location = location.to_string();
    if let sqlx::Error::Database(db) = &error {
        // Primary result codes: 5 SQLITE_BUSY, 6 SQLITE_LOCKED, 8 SQLITE_READONLY, 14 SQLITE_CANTOPEN.
        let primary = db.code().and_then(|c| c.parse::<i32>().ok()).map(|c| c & 0xff);
        match primary {
            Some(5 | 6) => return StoreError::Locked { location },
            Some(8) => return StoreError::ReadOnly { location },
            Some(14) => return StoreError::Unavailable { location, reason: db.message().to_string() },
            _ => {}
        }
    }
    StoreError::Database { location, reason: error.to_string() }
}

/// [`inforce_store::rows::SELECT_RECORDS`] as one JSON array of
/// `[seq, publication, recorded_at, kind, key, ordinal, body]`.
const SELECT_RECORDS_AS_JSON: &str = "SELECT json_group_array(json_array(r.seq, r.publication_id, p.recorded_at, \
     r.kind, r.record_key, r.ordinal, r.body) ORDER BY r.seq) FROM records r JOIN publications p \
     ON p.id = r.publication_id WHERE r.code = $1";

inforce_store::sql_store!(SqliteStore);

/// SQLite's own part: no lock before a publication (its first insert takes the write lock, waiting up to the
/// busy timeout, so the head read next is final), no announcement after one.
#[async_trait]
impl SqlBackend for SqliteStore {
    type Db = sqlx::Sqlite;

    fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    fn error(&self, error: sqlx::Error) -> StoreError {
        classify(&self.location, error)
    }

    async fn read_records(&self, code: &CodeId) -> Result<Vec<Record>, StoreError> {
        // One row holding every record as JSON: sqlx hands each SQLite row across threads, which for thousands
        // of records costs more than reading them.
        let all: Option<String> = sqlx::query_scalar(SELECT_RECORDS_AS_JSON)
            .bind(code.as_str())
            .fetch_one(&self.pool)
            .await
            .map_err(|e| self.error(e))?;
        type Row = (i64, i64, i64, String, String, i64, Option<String>);
        let rows: Vec<Row> = serde_json::from_str(all.as_deref().unwrap_or("[]")).map_err(|e| StoreError::Corrupt {
            code: code.to_string(),
            seq: 0,
            reason: format!("the records could not be read back: {e}"),
        })?;
        let decode = |rows: Vec<Row>| {
            rows.into_iter()
                .map(|(seq, publication, recorded_at, kind, key, ordinal, body)| {
                    RecordRow { seq, publication, recorded_at, kind, key, ordinal, body }.into_record(code)
                })
                .collect::<Result<Vec<_>, _>>()
        };
        // Decoding record bodies is most of the work for a large code: share it among the cores.
        let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get).min(8);
        let mut records = if threads > 1 && rows.len() >= 2000 {
            let size = rows.len().div_ceil(threads);
            let mut rest = rows;
            let mut slices = Vec::new();
            while rest.len() > size {
                let tail = rest.split_off(size);
                slices.push(rest);
                rest = tail;
            }
            slices.push(rest);
            let decoded: Vec<Result<Vec<Record>, StoreError>> = std::thread::scope(|scope| {
                let workers: Vec<_> = slices.into_iter().map(|slice| scope.spawn(move || decode(slice))).collect();
                workers
                    .into_iter()
                    .map(|worker| worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
                    .collect()
            });
            let mut all = Vec::new();
            for slice in decoded {
                all.extend(slice?);
            }
            all
        } else {
            decode(rows)?
        };
        records.sort_by_key(|r| r.seq);
        Ok(records)
    }

    async fn shut_down(&self) {
        // Fold the write-ahead log into the database file, so that a reader without write access (which must
        // read the file as immutable) sees everything. Best effort: a busy database keeps its log for later.
        let _ = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&self.pool).await;
        self.pool.close().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use inforce_store::Store;

    #[tokio::test]
    async fn passes_the_conformance_suite_in_memory() {
        let store = SqliteStore::in_memory().await.expect("open");
        inforce_store::conformance::run(&store).await;
    }

    #[tokio::test]
    async fn retries_a_publication_that_lost_the_race_in_memory() {
        let store = SqliteStore::in_memory().await.expect("open");
        inforce_store::conformance::run_retries(&store).await;
    }

    #[tokio::test]
    async fn imports_texts_in_memory() {
        let store = SqliteStore::in_memory().await.expect("open");
        inforce_store::conformance::run_import(&store).await;
    }

    #[tokio::test]
    async fn copies_every_publication_in_memory() {
        let (from, to) = (SqliteStore::in_memory().await.expect("open"), SqliteStore::in_memory().await.expect("open"));
        inforce_store::conformance::run_copy(&from, &to).await;
    }

    #[tokio::test]
    async fn passes_the_conformance_suite_on_a_file_and_reopens() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("nested").join("register.db");
        let store = SqliteStore::open(&path, OpenOptions::default()).await.expect("open");
        inforce_store::conformance::run(&store).await;
        drop(store);
        let reopened = SqliteStore::open(&path, OpenOptions::default()).await.expect("reopen");
        let code = CodeId::parse("conformance").expect("id");
        assert_eq!(reopened.records(&code).await.expect("records").len(), 16);
    }

    #[tokio::test]
    async fn stored_rows_cannot_be_rewritten() {
        let store = SqliteStore::in_memory().await.expect("open");
        inforce_store::conformance::run(&store).await;
        let update = sqlx::query("UPDATE records SET body = NULL").execute(&store.pool).await;
        assert!(update.is_err_and(|e| e.to_string().contains("append-only")));
        let delete = sqlx::query("DELETE FROM publications").execute(&store.pool).await;
        assert!(delete.is_err_and(|e| e.to_string().contains("append-only")));
        let file = sqlx::query("UPDATE files SET body = x'00'").execute(&store.pool).await;
        assert!(file.is_err_and(|e| e.to_string().contains("append-only")), "a stored document never changes");
        let chunk = sqlx::query("UPDATE file_chunks SET body = x'00'").execute(&store.pool).await;
        assert!(chunk.is_err_and(|e| e.to_string().contains("append-only")), "nor does any piece of it");
        let chunk = sqlx::query("DELETE FROM file_chunks").execute(&store.pool).await;
        assert!(chunk.is_err_and(|e| e.to_string().contains("append-only")));
    }

    /// The conformance story in a fresh store, then `sql` run on it as whoever holds the file could (every
    /// trigger dropped, foreign keys off), and the verdict on the story's code.
    async fn tampered(sql: &[&str]) -> (SqliteStore, Vec<i64>, inforce_store::Verdict) {
        let (store, ids, verdict) = tampered_store(sql).await;
        (store, ids, verdict.expect("verify"))
    }

    /// [`tampered`], with verification's own error when the log itself cannot be read.
    async fn tampered_store(
        sql: &[&str],
    ) -> (SqliteStore, Vec<i64>, Result<inforce_store::Verdict, inforce_store::StoreError>) {
        let store = SqliteStore::in_memory().await.expect("open");
        inforce_store::conformance::run(&store).await;
        let code = CodeId::parse("conformance").expect("id");
        let ids = store.publications(&code).await.expect("publications").iter().map(|p| p.id).collect();
        let triggers: Vec<String> = sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            .fetch_all(&store.pool)
            .await
            .expect("triggers");
        for trigger in triggers {
            sqlx::query(&format!("DROP TRIGGER {trigger}")).execute(&store.pool).await.expect("drop");
        }
        sqlx::query("PRAGMA foreign_keys = OFF").execute(&store.pool).await.expect("pragma");
        for statement in sql {
            sqlx::query(statement).execute(&store.pool).await.unwrap_or_else(|e| panic!("{statement}: {e}"));
        }
        let verdict = inforce_store::verify(&store, &code).await;
        (store, ids, verdict)
    }

    /// The verdict names `publication` at `sequence`, for a reason that says `because`.
    fn names(verdict: &inforce_store::Verdict, publication: i64, sequence: u64, because: &str) {
        match verdict {
            inforce_store::Verdict::Tampered(t) => {
                assert_eq!((t.publication, t.sequence), (publication, sequence), "{t:?}");
                assert!(t.reason.contains(because), "{t:?}");
            }
            inforce_store::Verdict::Intact(v) => panic!("not detected: {v:?}"),
        }
    }

    #[tokio::test]
    async fn verify_names_the_first_publication_that_does_not_match_its_log() {
        // Content altered in place, in each part a digest covers.
        let (_, ids, verdict) =
            tampered(&["UPDATE records SET body = replace(body, '2014-03-31', '2014-03-30') WHERE kind = 'entry'"])
                .await;
        names(&verdict, ids[1], 2, "does not match its digest");
        let (_, ids, verdict) = tampered(&["UPDATE records SET ordinal = ordinal + 1 WHERE seq = (SELECT MIN(seq) \
             FROM records)"])
        .await;
        names(&verdict, ids[0], 1, "does not match its digest");
        let (_, ids, verdict) = tampered(&["UPDATE publications SET recorded_at = recorded_at - 1 WHERE id = \
             (SELECT MAX(id) FROM publications)"])
        .await;
        names(&verdict, *ids.last().expect("ids"), ids.len() as u64, "does not match its digest");
        let (_, ids, verdict) = tampered(&["UPDATE publications SET author = 'someone else' WHERE id = \
             (SELECT MIN(id) FROM publications)"])
        .await;
        names(&verdict, ids[0], 1, "does not match its digest");
        // A record that can no longer be read, a pack that no longer inflates.
        let (_, ids, verdict) =
            tampered(&["UPDATE records SET body = 'not = [toml' WHERE seq = (SELECT MIN(seq) FROM records)"]).await;
        names(&verdict, ids[0], 1, "its record");
        let (_, _, verdict) = tampered(&["UPDATE text_packs SET body = x'00'"]).await;
        assert!(matches!(verdict, inforce_store::Verdict::Tampered(t) if t.reason.contains("its text pack")));
        let (_, _, verdict) = tampered(&["UPDATE text_changes SET body = x'00'"]).await;
        assert!(matches!(verdict, inforce_store::Verdict::Tampered(t) if t.reason.contains("its text changes")));
        // A base re-pointed at a publication the code does not have.
        let (_, ids, verdict) = tampered(&["UPDATE publications SET base = 999 WHERE id = (SELECT MAX(id) FROM \
             publications)"])
        .await;
        names(&verdict, *ids.last().expect("ids"), ids.len() as u64, "its base, publication 999");
    }

    #[tokio::test]
    async fn verify_finds_rows_deleted_inserted_and_files_changed() {
        // A publication in the middle deleted: named, though its row is gone.
        let (_, ids, verdict) = tampered(&["DELETE FROM publications WHERE id = (SELECT MIN(id) + 1 FROM \
             publications)"])
        .await;
        names(&verdict, ids[1], 2, "no longer in the store");
        // The newest one deleted with its digest: the stored log is consistent (an outsider's checkpoint is what
        // remembers it).
        let (_, ids, verdict) = tampered(&[
            "DELETE FROM publication_digests WHERE publication_id = (SELECT MAX(id) FROM publications)",
            "DELETE FROM publications WHERE id = (SELECT MAX(id) FROM publications)",
        ])
        .await;
        assert!(matches!(verdict, inforce_store::Verdict::Intact(v) if v.size == ids.len() as u64 - 1));
        // A publication written in directly, after the log began: it has no digest, and opening the store does
        // not give it one.
        let (store, ids, verdict) = tampered(&[
            "INSERT INTO publications (id, code, recorded_at, origin, record_count) VALUES (900, 'conformance', \
             1, 'forged', 0)",
        ])
        .await;
        names(&verdict, 900, ids.len() as u64 + 1, "has no digest");
        assert_eq!(inforce_store::complete_log(&store, jiff::Timestamp::UNIX_EPOCH).await.expect("complete"), 0);
        // A digest re-pointed at a publication the store does not hold: the one it belonged to is not logged.
        let (_, _, verdict) =
            tampered(&["UPDATE publication_digests SET publication_id = 901 WHERE sequence = 2"]).await;
        assert!(matches!(verdict, inforce_store::Verdict::Tampered(t) if t.sequence == 2));
        let (_, ids, verdict) = tampered(&["UPDATE publication_digests SET sequence = sequence + 10 WHERE \
             sequence = 1"])
        .await;
        // The log is read in sequence order: its first entry is now the one numbered 2.
        names(&verdict, ids[1], 1, "the log's entry 1 says 2");
        // A document file: its content, or its recorded size.
        let (_, _, verdict) = tampered(&["UPDATE file_chunks SET body = x'00'"]).await;
        assert!(matches!(&verdict, inforce_store::Verdict::Tampered(t) if t.reason.contains("now holds content")));
        let (_, _, verdict) = tampered(&["UPDATE files SET size = size + 1"]).await;
        // (The size is part of the digest too, which is found first.)
        assert!(matches!(&verdict, inforce_store::Verdict::Tampered(t) if t.reason.contains("does not match")));
        // A digest altered.
        let (_, ids, verdict) =
            tampered(&["UPDATE publication_digests SET digest = zeroblob(32) WHERE sequence = 1"]).await;
        names(&verdict, ids[0], 1, "does not match its digest");
        // A digest that is not one: the log itself cannot be read.
        let (_, _, verdict) =
            tampered_store(&["UPDATE publication_digests SET digest = x'00' WHERE sequence = 1"]).await;
        assert!(verdict.is_err_and(|e| e.to_string().contains("a digest of 1 bytes")));
    }

    #[tokio::test]
    async fn a_publication_is_never_chained_to_a_gap_in_the_log() {
        let code = CodeId::parse("conformance").expect("id");
        for missing in ["sequence = (SELECT MAX(sequence) FROM publication_digests)", "1 = 1"] {
            let (store, _, _) = tampered(&[&format!("DELETE FROM publication_digests WHERE {missing}")]).await;
            let loaded = inforce_store::load_register(&store, &code, None).await.expect("load").expect("register");
            let mut changed = loaded.register.clone();
            changed.code.title = "Another title".into();
            let by = inforce_store::Provenance::anonymous("test:gap", jiff::Timestamp::UNIX_EPOCH);
            let refused = inforce_store::publish_register(&store, &changed, &by).await.expect_err(missing);
            assert!(refused.to_string().contains("lacks the digest of an earlier publication"), "{refused}");
            let after = inforce_store::load_register(&store, &code, None).await.expect("load").expect("register");
            assert_eq!(after.publication.id, loaded.publication.id, "nothing was written");
        }
    }

    /// A store migrated from a build before the log, holding
    /// [`inforce_store::conformance::publications_before_the_log`] and no digest yet.
    async fn before_the_log() -> SqliteStore {
        let pool = SqlitePoolOptions::new().max_connections(1).connect("sqlite::memory:").await.expect("open");
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
        SqliteStore { pool, location: ":memory:".into() }
    }

    #[tokio::test]
    async fn publications_made_before_the_log_are_given_their_digests_once() {
        inforce_store::conformance::check_log_completed(&before_the_log().await).await;
    }

    #[tokio::test]
    async fn a_log_that_does_not_line_up_with_the_publications_is_not_completed() {
        let store = before_the_log().await;
        // A digest row for the second publication where the first's belongs.
        sqlx::query(
            "INSERT INTO publication_digests (publication_id, code, sequence, digest) VALUES \
             ((SELECT MAX(id) FROM publications), 'c', 1, zeroblob(32))",
        )
        .execute(&store.pool)
        .await
        .expect("insert");
        assert_eq!(inforce_store::complete_log(&store, jiff::Timestamp::UNIX_EPOCH).await.expect("complete"), 0);
        let code = CodeId::parse("c").expect("id");
        assert!(matches!(
            inforce_store::verify(&store, &code).await.expect("verify"),
            inforce_store::Verdict::Tampered(_)
        ));
    }

    #[tokio::test]
    async fn files_stored_whole_by_an_earlier_build_move_into_pieces_byte_for_byte() {
        let pool = SqlitePoolOptions::new().max_connections(1).connect("sqlite::memory:").await.expect("open");
        let all = sqlx::migrate!("./migrations");
        let earlier = sqlx::migrate::Migrator {
            migrations: std::borrow::Cow::Owned(all.migrations[..5].to_vec()),
            ..sqlx::migrate!("./migrations")
        };
        earlier.run(&pool).await.expect("the schema of five migrations");
        // Three files as the earlier build stored them: empty, one piece and a bit, and exactly two pieces.
        let files = inforce_store::conformance::files_stored_whole();
        sqlx::query(
            "INSERT INTO publications (id, code, recorded_at, origin, record_count) VALUES (1, 'c', 0, 'x', 0)",
        )
        .execute(&pool)
        .await
        .expect("publication");
        for (sha, bytes) in &files {
            sqlx::query("INSERT INTO files (code, sha256, publication_id, size, body) VALUES ('c', $1, 1, $2, $3)")
                .bind(sha)
                .bind(bytes.len() as i64)
                .bind(bytes.as_slice())
                .execute(&pool)
                .await
                .expect("file");
        }
        all.run(&pool).await.expect("migrated");
        let store = SqliteStore { pool, location: ":memory:".into() };
        inforce_store::conformance::check_files_in_pieces(&store, &files).await;
        let left: i64 =
            sqlx::query_scalar("SELECT SUM(length(body)) FROM files").fetch_one(&store.pool).await.expect("sum");
        assert_eq!(left, 0, "the whole bodies are not kept twice");
    }
}
