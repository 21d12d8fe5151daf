//! Storage behind one interface. The store is the source of truth: an append-only ledger of records per code,
//! written in atomic publications. Every backend implements [`Store`] and must pass [`conformance::run`].

pub mod conformance;
mod copy;
pub mod crash_test;
mod import;
pub mod log;
mod registry;
pub mod rows;
pub mod sql;

use async_trait::async_trait;
use std::collections::HashMap;
use std::sync::Arc;

use inforce_core::log::Digest;
use inforce_core::text::{TextHash, TextRecord, TextWrite};
use inforce_core::{CodeId, Record, RecordWrite};
use jiff::Timestamp;

pub use copy::{CopyError, CopySummary, copy};
pub use import::{ImportError, ImportedTexts, TextImportRequest, VersionDetails, import_texts};
pub use log::{LogEntry, LogSources, Tampered, Verdict, Verified, complete_log, verify};
pub use registry::{
    Base, Loaded, PublishOutcome, Publishing, code_description, corrections, load_register, load_texts, publish,
    publish_edit, publish_register, record_times_for, register_from_origin, texts_for,
};

/// What went wrong in storage, in words a person can act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Another process holds the database and did not let go in time.
    #[error("the database {location} is locked by another process; try again when it has finished")]
    Locked {
        /// The database path or URL.
        location: String,
    },
    /// The database cannot be written.
    #[error("the database {location} is read-only: check the file's permissions or choose another with --db")]
    ReadOnly {
        /// The database path or URL.
        location: String,
    },
    /// The database cannot be opened or reached.
    #[error("cannot open the database {location}: {reason}")]
    Unavailable {
        /// The database path or URL.
        location: String,
        /// Why.
        reason: String,
    },
    /// Someone else published to the same code since this publication was prepared; nothing was written.
    #[error("the register of '{code}' changed while this publication was prepared; nothing was written, try again")]
    Conflict {
        /// The code.
        code: String,
    },
    /// A register file would withdraw or overwrite records published after the publication it is based on (or
    /// withdraw records, when it names no base); nothing was written.
    #[error(
        "{} would undo what was published after it; nothing was written. Export the register again and redo the \
         edit on it, or import with --replace if the file is meant to replace these:\n{}",
        match .base { Some(base) => format!("this file, exported from publication {base},"), None => "this file, which names no base publication,".to_string() },
        .records.iter().map(|(what, publication)| format!("  {what} (publication {publication})")).collect::<Vec<_>>().join("\n")
    )]
    Stale {
        /// The code.
        code: String,
        /// The publication the file was based on.
        base: Option<i64>,
        /// Each record it would withdraw or overwrite ("withdraw proposal MP600"), with the publication that last
        /// wrote it.
        records: Vec<(String, i64)>,
    },
    /// A document names a file the database does not hold and the publication does not bring.
    #[error(
        "document '{document}' of '{code}' names a file (sha256 {sha256}) this database does not hold; add the file \
         with `inforce doc add`; nothing was written"
    )]
    MissingFile {
        /// The code.
        code: String,
        /// The document's id.
        document: String,
        /// The file's SHA-256.
        sha256: String,
    },
    /// What would be written breaks the register's string rules (a control character, a field past its length
    /// limit); nothing was written.
    #[error(
        "the register of '{code}' was refused, nothing was written:\n{}",
        .problems.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n")
    )]
    Refused {
        /// The code.
        code: String,
        /// Each problem, as "provision H15: `title` holds the control character U+0007: …".
        problems: Vec<String>,
    },
    /// A code's stored history does not match its publication log: something was altered after it was
    /// published ([`verify`]).
    #[error(
        "the stored history of '{}' does not match its publication log from publication {} (number {} in the \
         log): {}",
        .0.code, .0.publication, .0.sequence, .0.reason
    )]
    Tampered(Tampered),
    /// A stored record could not be read back.
    #[error("stored record {seq} of '{code}' is unreadable: {reason}")]
    Corrupt {
        /// The code.
        code: String,
        /// The record's sequence number.
        seq: i64,
        /// What is wrong with it.
        reason: String,
    },
    /// Any other database failure.
    #[error("database error on {location}: {reason}")]
    Database {
        /// The database path or URL.
        location: String,
        /// The driver's message.
        reason: String,
    },
}

impl StoreError {
    /// What may be said of this error to anyone (a served page, an API answer): the stored data's own problems
    /// as they are, but for the database itself only that it cannot be reached. Its path or URL (user, host,
    /// port, database) and the driver's words stay in the operator's log ([`Display`](std::fmt::Display)).
    pub fn public(&self) -> String {
        match self {
            Self::Locked { .. } | Self::ReadOnly { .. } | Self::Unavailable { .. } | Self::Database { .. } => {
                "the store cannot be reached".to_string()
            }
            _ => self.to_string(),
        }
    }
}

/// A publication to append: records for one code, all written or none.
#[derive(Debug, Clone)]
pub struct NewPublication {
    /// The code the records belong to.
    pub code: CodeId,
    /// The record time given to every record (the caller's clock; the core has none).
    pub recorded_at: Timestamp,
    /// Where the records came from, such as `builtin` or `file:sec.toml`.
    pub origin: String,
    /// Who made it: a person's or a service's name (see [`Provenance`]).
    pub author: String,
    /// The command that made it, without secrets: its name and arguments, never a database URL or a password.
    pub command: String,
    /// Why it replaces what was recorded (`--replace --reason`): a correction; `None` for any other publication.
    pub reason: Option<String>,
    /// The publication the writes were computed against, recorded as its base: usually `expected_head`; a copy
    /// keeps the base the copied publication had.
    pub base: Option<i64>,
    /// The id of the latest publication the writes were computed against (`None`: the code had none). If another
    /// publication has landed since, nothing is written and [`StoreError::Conflict`] is returned.
    pub expected_head: Option<i64>,
    /// The register records.
    pub writes: Vec<RecordWrite>,
    /// The text records.
    pub text_writes: Vec<TextWrite>,
    /// Texts the text records name that may not be stored yet (stored once; already stored ones are skipped).
    pub new_texts: Vec<(TextHash, Arc<str>)>,
    /// Document files the records name, by SHA-256 (stored once per code; already stored ones are skipped).
    pub new_files: Vec<(String, Vec<u8>)>,
}

/// A code's text records and the texts they name.
#[derive(Debug, Clone, Default)]
pub struct TextLedger {
    /// The text records, in append order.
    pub records: Vec<TextRecord>,
    /// The texts, by hash.
    pub bodies: HashMap<TextHash, Arc<str>>,
}

/// A stored publication.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publication {
    /// Its id, increasing in append order.
    pub id: i64,
    /// The code.
    pub code: CodeId,
    /// Its record time.
    pub recorded_at: Timestamp,
    /// Where its records came from.
    pub origin: String,
    /// How many records (register and text records) it wrote.
    pub record_count: i64,
    /// Who made it; empty when not recorded (publications made before authors were recorded).
    pub author: String,
    /// The command that made it, without secrets; empty when not recorded.
    pub command: String,
    /// The publication its writes were computed against; `None` for a code's first publication, or when not
    /// recorded.
    pub base: Option<i64>,
    /// Why it replaces what was recorded (a correction, `--replace --reason`); `None` otherwise.
    pub reason: Option<String>,
}

impl Publication {
    /// What every face says of it.
    pub fn facts(&self) -> inforce_core::ledger::PublicationFacts<'_> {
        inforce_core::ledger::PublicationFacts {
            id: self.id,
            recorded_at: self.recorded_at,
            origin: &self.origin,
            records: self.record_count,
            author: &self.author,
            command: &self.command,
            base: self.base,
            reason: self.reason.as_deref(),
        }
    }
}

/// Who makes a publication, how and when: given with every write, recorded with the publication.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    /// Where the records come from, such as `builtin` or `file:sec.toml`.
    pub origin: String,
    /// The record time given to every record (the caller's clock).
    pub recorded_at: Timestamp,
    /// Who makes it.
    pub author: String,
    /// The command that makes it, without secrets.
    pub command: String,
    /// Why it replaces what was recorded (`--replace --reason`); `None` for any other write.
    pub reason: Option<String>,
}

impl Provenance {
    /// A provenance with no author or command recorded (tests, and writers that have none).
    pub fn anonymous(origin: &str, recorded_at: Timestamp) -> Self {
        Self { origin: origin.to_string(), recorded_at, author: String::new(), command: String::new(), reason: None }
    }

    /// The publication this provenance makes of `code`'s `writes`: computed against `base`, published only
    /// while the code's latest publication is still `expected_head` (else [`StoreError::Conflict`]). No texts
    /// or files: add them with struct update syntax where a publication carries them.
    pub fn publication(
        &self,
        code: &CodeId,
        base: Option<i64>,
        expected_head: Option<i64>,
        writes: Vec<RecordWrite>,
    ) -> NewPublication {
        NewPublication {
            code: code.clone(),
            recorded_at: self.recorded_at,
            origin: self.origin.clone(),
            author: self.author.clone(),
            command: self.command.clone(),
            reason: self.reason.clone(),
            base,
            expected_head,
            writes,
            text_writes: Vec::new(),
            new_texts: Vec::new(),
            new_files: Vec::new(),
        }
    }
}

/// The size of the pieces document files are stored, read and served in: 256 KiB.
pub const FILE_CHUNK: usize = 262_144;

/// A stored document file, described without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredFile {
    /// Its size in bytes.
    pub size: u64,
    /// The publication that first stored it.
    pub publication: i64,
}

impl StoredFile {
    /// How many pieces of [`FILE_CHUNK`] bytes hold it (0 for an empty file).
    pub fn chunks(&self) -> u64 {
        self.size.div_ceil(FILE_CHUNK as u64)
    }
}

/// A stored file lacks one of its pieces: its data is damaged.
fn missing_chunk(code: &CodeId, sha256: &str, seq: u64) -> StoreError {
    StoreError::Corrupt { code: code.to_string(), seq: -1, reason: format!("file {sha256} lacks its piece {seq}") }
}

/// The storage interface every backend implements.
#[async_trait]
pub trait Store: Send + Sync {
    /// Codes that have at least one publication, in id order.
    async fn codes(&self) -> Result<Vec<CodeId>, StoreError>;

    /// The code's publications in append order.
    async fn publications(&self, code: &CodeId) -> Result<Vec<Publication>, StoreError>;

    /// Every record of the code in append order.
    async fn records(&self, code: &CodeId) -> Result<Vec<Record>, StoreError>;

    /// Every text record of the code in append order, and every text they name (checked on reading).
    async fn text_ledger(&self, code: &CodeId) -> Result<TextLedger, StoreError>;

    /// Appends a publication atomically and returns it.
    async fn publish(&self, publication: NewPublication) -> Result<Publication, StoreError>;

    /// The code's log: one entry per publication that has a digest, in sequence order.
    async fn log(&self, code: &CodeId) -> Result<Vec<LogEntry>, StoreError>;

    /// The code's latest publication and the digest its log holds for it (`None` when it has none: a publication
    /// made before the log, in a database not opened writable since), read together in one statement: what a
    /// kept copy of the register is checked against on every read. `None` when the code has no publication.
    async fn latest(&self, code: &CodeId) -> Result<Option<(Publication, Option<Digest>)>, StoreError> {
        let Some(latest) = self.publications(code).await?.pop() else { return Ok(None) };
        let digest = self.log(code).await?.into_iter().find(|e| e.publication == latest.id).map(|e| e.digest);
        Ok(Some((latest, digest)))
    }

    /// Everything the code's digests cover, as stored, read at one point of the log (see [`verify`]).
    async fn log_sources(&self, code: &CodeId) -> Result<LogSources, StoreError>;

    /// Codes with a publication made before the log existed that has no digest yet (see [`complete_log`]).
    async fn unlogged(&self) -> Result<Vec<CodeId>, StoreError>;

    /// Appends digests computed after the fact, all or none ([`complete_log`]).
    async fn add_digests(&self, code: &CodeId, entries: &[LogEntry]) -> Result<(), StoreError>;

    /// A document's file, by its SHA-256 (64 lower-case hex digits); `None` if the code holds no such file. Reads
    /// the whole file into memory: to serve one, read it piece by piece with [`Store::file_chunk`].
    async fn file(&self, code: &CodeId, sha256: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let Some(stored) = self.file_stored(code, sha256).await? else { return Ok(None) };
        let mut bytes = Vec::with_capacity(usize::try_from(stored.size).unwrap_or(0));
        for seq in 0..stored.chunks() {
            match self.file_chunk(code, sha256, seq).await? {
                Some(chunk) => bytes.extend_from_slice(&chunk),
                None => return Err(missing_chunk(code, sha256, seq)),
            }
        }
        Ok(Some(bytes))
    }

    /// A stored document file's size and the publication that first stored it, without reading it; `None` if
    /// the code holds no such file.
    async fn file_stored(&self, code: &CodeId, sha256: &str) -> Result<Option<StoredFile>, StoreError>;

    /// Piece `seq` (from 0) of a stored file: bytes `seq × FILE_CHUNK` up to [`FILE_CHUNK`] bytes on (the last
    /// piece may be shorter); `None` past the end or for a file the code does not hold.
    async fn file_chunk(&self, code: &CodeId, sha256: &str, seq: u64) -> Result<Option<Vec<u8>>, StoreError>;

    /// Whether the code holds a document file with this SHA-256, without reading it.
    async fn has_file(&self, code: &CodeId, sha256: &str) -> Result<bool, StoreError>;

    /// Waits up to `within` to be told that any process published. Stores that cannot be told (SQLite) answer
    /// [`Wakeup::Unsupported`] at once and the caller polls instead.
    async fn await_publication(&self, within: std::time::Duration) -> Result<Wakeup, StoreError> {
        let _ = within;
        Ok(Wakeup::Unsupported)
    }

    /// Closes the connections cleanly (SQLite then folds its write-ahead log back into the file).
    async fn close(&self) {}
}

/// What [`Store::await_publication`] saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wakeup {
    /// A publication was announced.
    Published,
    /// Nothing was announced in the time given.
    TimedOut,
    /// This store cannot announce publications.
    Unsupported,
}
