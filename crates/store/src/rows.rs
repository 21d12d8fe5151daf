//! What SQL backends share: the statements (written once, in SQL both SQLite and PostgreSQL run) and the
//! conversion between rows and records. A backend adds only its connection handling and error mapping.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use flate2::Compression;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use inforce_core::ledger::RecordKind;
use inforce_core::text::{TextAssignment, TextHash, TextRecord};
use inforce_core::{CodeId, EntryId, ProvisionId, Record, RecordWrite};
use inforce_formats::{decode_record, encode_record};
use jiff::Timestamp;

use crate::{Publication, StoreError};

/// Codes with at least one publication.
pub const SELECT_CODES: &str = "SELECT DISTINCT code FROM publications ORDER BY code";
/// A code's publications: id, recorded_at, origin, record_count.
pub const SELECT_PUBLICATIONS: &str =
    "SELECT id, recorded_at, origin, record_count FROM publications WHERE code = $1 ORDER BY id";
/// A code's records in append order, with their record time.
pub const SELECT_RECORDS: &str = "SELECT r.seq, r.publication_id, p.recorded_at, r.kind, r.record_key, r.ordinal, \
     r.body FROM records r JOIN publications p ON p.id = r.publication_id WHERE r.code = $1 ORDER BY r.seq";
/// Appends a publication and returns its id.
pub const INSERT_PUBLICATION: &str =
    "INSERT INTO publications (code, recorded_at, origin, record_count) VALUES ($1, $2, $3, $4) RETURNING id";
/// The latest publication of a code other than the one being written.
pub const SELECT_HEAD: &str = "SELECT MAX(id) FROM publications WHERE code = $1 AND id <> $2";
/// Appends records, six values each: publication_id, code, kind, record_key, ordinal, body.
pub const INSERT_RECORDS: Batch = Batch {
    head: "INSERT INTO records (publication_id, code, kind, record_key, ordinal, body) VALUES ",
    columns: 6,
    tail: "",
};

/// How many rows one INSERT carries: few round trips, well under both databases' parameter limits.
pub const BATCH_ROWS: usize = 500;

/// A multi-row INSERT: one statement for many rows, because a round trip per row dominates large imports.
#[derive(Debug, Clone, Copy)]
pub struct Batch {
    /// `INSERT INTO … VALUES `
    pub head: &'static str,
    /// Values per row.
    pub columns: usize,
    /// What follows the values (`ON CONFLICT …`).
    pub tail: &'static str,
}

impl Batch {
    /// The statement for `rows` rows, with `$n` parameters numbered row by row.
    pub fn sql(&self, rows: usize) -> String {
        let mut sql = String::from(self.head);
        for row in 0..rows {
            sql.push_str(if row == 0 { "(" } else { ", (" });
            for column in 0..self.columns {
                if column > 0 {
                    sql.push_str(", ");
                }
                sql.push('$');
                sql.push_str(&(row * self.columns + column + 1).to_string());
            }
            sql.push(')');
        }
        sql.push_str(self.tail);
        sql
    }
}

/// A row of [`SELECT_RECORDS`].
#[derive(Debug)]
pub struct RecordRow {
    /// `seq`
    pub seq: i64,
    /// `publication_id`
    pub publication: i64,
    /// `recorded_at`, microseconds since the epoch
    pub recorded_at: i64,
    /// `kind`
    pub kind: String,
    /// `record_key`
    pub key: String,
    /// `ordinal`
    pub ordinal: i64,
    /// `body`
    pub body: Option<String>,
}

impl RecordRow {
    /// The record, or [`StoreError::Corrupt`] naming the row.
    pub fn into_record(self, code: &CodeId) -> Result<Record, StoreError> {
        let seq = self.seq;
        let corrupt = |reason: String| StoreError::Corrupt { code: code.to_string(), seq, reason };
        let kind = RecordKind::parse(&self.kind).ok_or_else(|| corrupt(format!("unknown kind '{}'", self.kind)))?;
        let body = self.body.map(|text| decode_record(&text)).transpose().map_err(corrupt)?;
        Ok(Record {
            seq,
            publication: self.publication,
            recorded_at: timestamp(code, self.recorded_at)?,
            write: RecordWrite { kind, key: self.key, ordinal: self.ordinal, body },
        })
    }
}

/// The `body` column of a write: its register-file fragment, or NULL for a withdrawal.
pub fn body_text(write: &RecordWrite) -> Option<String> {
    write.body.as_ref().map(encode_record)
}

/// A row of [`SELECT_PUBLICATIONS`] as a publication.
pub fn publication(
    code: &CodeId,
    id: i64,
    recorded_at: i64,
    origin: String,
    record_count: i64,
) -> Result<Publication, StoreError> {
    Ok(Publication { id, code: code.clone(), recorded_at: timestamp(code, recorded_at)?, origin, record_count })
}

/// A stored code id.
pub fn code(text: &str) -> Result<CodeId, StoreError> {
    CodeId::parse(text).map_err(|e| StoreError::Corrupt { code: text.to_string(), seq: 0, reason: e.to_string() })
}

fn timestamp(code: &CodeId, micros: i64) -> Result<Timestamp, StoreError> {
    Timestamp::from_microsecond(micros).map_err(|e| StoreError::Corrupt {
        code: code.to_string(),
        seq: 0,
        reason: format!("bad record time {micros}: {e}"),
    })
}

/// Lets the crash-safety tests kill a process half-way through a publication: when `INFORCE_CRASH_TEST_MARKER`
/// names a file, the publication creates it and waits, with half its records written and none committed.
pub fn pause_for_crash_test() {
    if let Some(marker) = std::env::var_os("INFORCE_CRASH_TEST_MARKER").map(PathBuf::from) {
        let _ = std::fs::write(&marker, b"paused mid-publication\n");
        std::thread::sleep(Duration::from_secs(60));
    }
}

/// A code's text records in append order, with their record time.
pub const SELECT_TEXT_RECORDS: &str = "SELECT r.seq, r.publication_id, p.recorded_at, r.entry_id, r.provision_id, \
     r.text_hash, r.withdrawn FROM text_records r JOIN publications p ON p.id = r.publication_id WHERE r.code = $1 \
     ORDER BY r.seq";
/// Every text a code's text records name.
pub const SELECT_TEXTS: &str = "SELECT t.hash, t.body FROM texts t \
     WHERE t.hash IN (SELECT r.text_hash FROM text_records r WHERE r.code = $1)";
/// Stores texts (hash, length, body) unless stored already.
pub const INSERT_TEXTS: Batch = Batch {
    head: "INSERT INTO texts (hash, length, body) VALUES ",
    columns: 3,
    tail: " ON CONFLICT (hash) DO NOTHING",
};
/// Appends text records: publication_id, code, entry_id, provision_id, text_hash, withdrawn.
pub const INSERT_TEXT_RECORDS: Batch = Batch {
    head: "INSERT INTO text_records (publication_id, code, entry_id, provision_id, text_hash, withdrawn) VALUES ",
    columns: 6,
    tail: "",
};

/// A row of [`SELECT_TEXT_RECORDS`].
#[derive(Debug)]
pub struct TextRecordRow {
    /// `seq`
    pub seq: i64,
    /// `publication_id`
    pub publication: i64,
    /// `recorded_at`, microseconds since the epoch
    pub recorded_at: i64,
    /// `entry_id`
    pub entry: String,
    /// `provision_id`
    pub provision: String,
    /// `text_hash`
    pub hash: Option<Vec<u8>>,
    /// `withdrawn`
    pub withdrawn: bool,
}

impl TextRecordRow {
    /// The text record, or [`StoreError::Corrupt`] naming the row.
    pub fn into_record(self, code: &CodeId) -> Result<TextRecord, StoreError> {
        let seq = self.seq;
        let corrupt = |reason: String| StoreError::Corrupt { code: code.to_string(), seq, reason };
        let entry = EntryId::parse(&self.entry).map_err(|e| corrupt(e.to_string()))?;
        let provision = ProvisionId::parse(&self.provision).map_err(|e| corrupt(e.to_string()))?;
        let text = self
            .hash
            .map(|bytes| TextHash::from_bytes(&bytes).ok_or_else(|| corrupt("bad text hash".into())))
            .transpose()?;
        Ok(TextRecord {
            seq,
            publication: self.publication,
            recorded_at: timestamp(code, self.recorded_at)?,
            assignment: TextAssignment { entry, provision, text },
            withdrawn: self.withdrawn,
        })
    }
}

/// A text as stored: deflate-compressed.
pub fn compress(text: &str) -> Vec<u8> {
    let mut encoder = DeflateEncoder::new(Vec::new(), Compression::best());
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(text.as_bytes());
    encoder.finish().unwrap_or_default()
}

/// A stored text, decompressed and checked against its hash: a text that does not match is refused, so a
/// published text can be shown to be unchanged.
pub fn decompress(code: &CodeId, hash: &[u8], body: &[u8]) -> Result<(TextHash, Arc<str>), StoreError> {
    let corrupt = |reason: String| StoreError::Corrupt { code: code.to_string(), seq: 0, reason };
    let expected = TextHash::from_bytes(hash).ok_or_else(|| corrupt("bad text hash".into()))?;
    let mut text = String::new();
    DeflateDecoder::new(body)
        .read_to_string(&mut text)
        .map_err(|e| corrupt(format!("text {expected} cannot be decompressed: {e}")))?;
    if TextHash::of(&text) != expected {
        return Err(corrupt(format!("text {expected} does not match its hash")));
    }
    Ok((expected, Arc::from(text)))
}
