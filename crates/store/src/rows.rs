//! What SQL backends share: the statements (written once, in SQL both SQLite and PostgreSQL run) and the
//! conversion between rows and records. A backend adds only its connection handling and error mapping.

use std::collections::HashMap;
use std::sync::Arc;

use inforce_core::ledger::RecordKind;
use inforce_core::text::{TextHash, TextRecord, TextWrite};
use inforce_core::{CodeId, Record, RecordWrite};
use inforce_formats::pack;
use inforce_formats::{decode_record, encode_record};
use jiff::Timestamp;

use crate::{Publication, StoreError, TextLedger};

/// Codes with at least one publication.
pub const SELECT_CODES: &str = "SELECT DISTINCT code FROM publications ORDER BY code";
/// A code's publications: id, recorded_at, origin, record_count, author, command, base, reason.
pub const SELECT_PUBLICATIONS: &str = "SELECT id, recorded_at, origin, record_count, author, command, base, reason \
     FROM publications WHERE code = $1 ORDER BY id";
/// A code's records in append order, with their record time.
pub const SELECT_RECORDS: &str = "SELECT r.seq, r.publication_id, p.recorded_at, r.kind, r.record_key, r.ordinal, \
     r.body FROM records r JOIN publications p ON p.id = r.publication_id WHERE r.code = $1 ORDER BY r.seq";
/// Appends a publication and returns its id.
pub const INSERT_PUBLICATION: &str = "INSERT INTO publications (code, recorded_at, origin, record_count, author, \
     command, base, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
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
    /// The row as [`SELECT_RECORDS`] gives it, column by column in that order, from any backend. Panics (as
    /// `sqlx::Row::get` does) when a column does not decode as its type: the schema guarantees the types.
    pub fn from_row<'r, R>(row: &'r R) -> Self
    where
        R: sqlx::Row,
        usize: sqlx::ColumnIndex<R>,
        i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
        String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
        Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    {
        Self {
            seq: row.get(0),
            publication: row.get(1),
            recorded_at: row.get(2),
            kind: row.get(3),
            key: row.get(4),
            ordinal: row.get(5),
            body: row.get(6),
        }
    }

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

/// The columns of a row of [`SELECT_PUBLICATIONS`], in order.
pub type PublicationRow = (i64, i64, String, i64, String, String, Option<i64>, Option<String>);

/// A row of [`SELECT_PUBLICATIONS`] as a publication.
pub fn publication(code: &CodeId, row: PublicationRow) -> Result<Publication, StoreError> {
    let (id, recorded_at, origin, record_count, author, command, base, reason) = row;
    Ok(Publication {
        id,
        code: code.clone(),
        recorded_at: timestamp(code, recorded_at)?,
        origin,
        record_count,
        author,
        command,
        base,
        reason,
    })
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

/// A code's text packs, in the order they were written.
pub const SELECT_PACKS: &str =
    "SELECT publication_id, checksum, body FROM text_packs WHERE code = $1 ORDER BY publication_id";
/// A code's text changes, per publication, with their record time.
pub const SELECT_TEXT_CHANGES: &str = "SELECT c.publication_id, p.recorded_at, c.body FROM text_changes c \
     JOIN publications p ON p.id = c.publication_id WHERE c.code = $1 ORDER BY c.publication_id";
/// Stores a publication's pack of new texts.
pub const INSERT_PACK: &str =
    "INSERT INTO text_packs (publication_id, code, text_count, checksum, body) VALUES ($1, $2, $3, $4, $5)";
/// Stores a publication's text changes.
pub const INSERT_TEXT_CHANGES: &str =
    "INSERT INTO text_changes (publication_id, code, change_count, body) VALUES ($1, $2, $3, $4)";

/// Stores a document's file unless the code already holds the same content.
pub const INSERT_FILE: &str = "INSERT INTO files (code, sha256, publication_id, size, body) VALUES ($1, $2, $3, $4, $5) \
     ON CONFLICT (code, sha256) DO NOTHING";
/// One piece of a document's file (the pieces are its content; `files.body` is empty since migration 6).
pub const INSERT_FILE_CHUNK: &str = "INSERT INTO file_chunks (code, sha256, seq, body) VALUES ($1, $2, $3, $4) \
     ON CONFLICT (code, sha256, seq) DO NOTHING";
/// A document file's size and the publication that first stored it, by code and SHA-256.
pub const SELECT_FILE: &str = "SELECT size, publication_id FROM files WHERE code = $1 AND sha256 = $2";
/// One piece of a document's file, by code, SHA-256 and number.
pub const SELECT_FILE_CHUNK: &str = "SELECT body FROM file_chunks WHERE code = $1 AND sha256 = $2 AND seq = $3";
/// Whether a document's file is held, by code and SHA-256.
pub const HAS_FILE: &str = "SELECT COUNT(*) FROM files WHERE code = $1 AND sha256 = $2";

/// A code's log: publication_id, sequence, digest, computed_at, in sequence order.
pub const SELECT_LOG: &str = "SELECT publication_id, sequence, digest, computed_at FROM publication_digests \
     WHERE code = $1 ORDER BY sequence";
/// A code's latest publication (the columns of [`SELECT_PUBLICATIONS`]) and the digest its log holds for it.
pub const SELECT_LATEST: &str = "SELECT p.id, p.recorded_at, p.origin, p.record_count, p.author, p.command, p.base, \
     p.reason, d.digest FROM publications p LEFT JOIN publication_digests d ON d.publication_id = p.id WHERE p.code = $1 \
     ORDER BY p.id DESC LIMIT 1";
/// The last digest of a code's log: sequence, digest.
pub const SELECT_LOG_TIP: &str =
    "SELECT sequence, digest FROM publication_digests WHERE code = $1 ORDER BY sequence DESC LIMIT 1";
/// A publication's place in its code's log.
pub const SELECT_SEQUENCE_OF: &str = "SELECT sequence FROM publication_digests WHERE code = $1 AND publication_id = $2";
/// Appends a digest: publication_id, code, sequence, digest, computed_at.
pub const INSERT_DIGEST: &str = "INSERT INTO publication_digests (publication_id, code, sequence, digest, \
     computed_at) VALUES ($1, $2, $3, $4, $5)";
/// How many publications of a code there are up to and including one: its place in the code's log.
pub const COUNT_UP_TO: &str = "SELECT COUNT(*) FROM publications WHERE code = $1 AND id <= $2";
/// Codes with a publication made before the log existed that has no digest yet.
pub const SELECT_UNLOGGED_CODES: &str = "SELECT DISTINCT p.code FROM publications p LEFT JOIN publication_digests d \
     ON d.publication_id = p.id WHERE d.publication_id IS NULL \
     AND p.id <= (SELECT MAX(before_publication) FROM log_start) ORDER BY p.code";
/// The last publication made before the log existed (0 when there was none).
pub const SELECT_LOG_START: &str = "SELECT COALESCE(MAX(before_publication), 0) FROM log_start";
/// A code's document files: sha256, size, publication_id, in the order they were stored.
pub const SELECT_FILES: &str =
    "SELECT sha256, size, publication_id FROM files WHERE code = $1 ORDER BY publication_id, sha256";

/// A row of [`SELECT_FILES`].
#[derive(Debug, Clone)]
pub struct FileRow {
    /// `sha256`
    pub sha256: String,
    /// `size`
    pub size: i64,
    /// `publication_id`: the publication that first stored it
    pub publication: i64,
}

/// A row of [`SELECT_PACKS`].
#[derive(Debug)]
pub struct PackRow {
    /// `publication_id`
    pub publication: i64,
    /// `checksum`
    pub checksum: Vec<u8>,
    /// `body`
    pub body: Vec<u8>,
}

/// A row of [`SELECT_TEXT_CHANGES`].
#[derive(Debug)]
pub struct ChangesRow {
    /// `publication_id`
    pub publication: i64,
    /// `recorded_at`, microseconds since the epoch
    pub recorded_at: i64,
    /// `body`
    pub body: Vec<u8>,
}

/// Every text of a code's packs, in order, each with its hash, checked against the packs' checksums
/// ([`pack::decode_pack`]); [`StoreError::Corrupt`] naming the pack's publication otherwise.
pub fn packed_texts(code: &CodeId, packs: Vec<PackRow>) -> Result<Vec<(TextHash, Arc<str>)>, StoreError> {
    let mut texts = Vec::new();
    for row in packs {
        texts.extend(pack::decode_pack(&row.checksum, &row.body).map_err(|e| corrupt(code, row.publication, e))?);
    }
    Ok(texts)
}

/// Every text record of a code, from its change lists, naming texts through `texts` (the code's packed texts);
/// [`StoreError::Corrupt`] naming the change list's publication if one cannot be read.
pub fn text_records(
    code: &CodeId,
    rows: Vec<ChangesRow>,
    texts: &[(TextHash, Arc<str>)],
) -> Result<Vec<TextRecord>, StoreError> {
    let mut records = Vec::new();
    for row in rows {
        let writes = pack::decode_changes(&row.body, texts).map_err(|e| corrupt(code, row.publication, e))?;
        let recorded_at = timestamp(code, row.recorded_at)?;
        for TextWrite { assignment, withdrawn } in writes {
            records.push(TextRecord {
                seq: i64::try_from(records.len()).unwrap_or(i64::MAX),
                publication: row.publication,
                recorded_at,
                assignment,
                withdrawn,
            });
        }
    }
    Ok(records)
}

fn corrupt(code: &CodeId, seq: i64, error: pack::PackError) -> StoreError {
    StoreError::Corrupt { code: code.to_string(), seq, reason: error.to_string() }
}

/// The code's whole text ledger from its stored rows.
pub fn text_ledger(code: &CodeId, packs: Vec<PackRow>, changes: Vec<ChangesRow>) -> Result<TextLedger, StoreError> {
    let texts = packed_texts(code, packs)?;
    let records = text_records(code, changes, &texts)?;
    Ok(TextLedger { records, bodies: texts.into_iter().collect() })
}

/// What a publication stores for texts: its pack of new texts (if any) and its change list (if any), given the
/// code's packed texts so far.
pub struct TextRows {
    /// The hashes of the texts the pack holds, in its order (the texts this publication adds to the code).
    pub fresh: Vec<TextHash>,
    /// (text count, checksum, body) of the pack.
    pub pack: Option<(i64, Vec<u8>, Vec<u8>)>,
    /// (change count, body) of the change list.
    pub changes: Option<(i64, Vec<u8>)>,
}

/// Builds a publication's text rows: the texts not yet packed for the code go into a new pack, in the order
/// given, and the changes name every text by its position.
pub fn text_rows(
    code: &CodeId,
    packed: &[(TextHash, Arc<str>)],
    new_texts: &[(TextHash, Arc<str>)],
    writes: &[TextWrite],
) -> Result<TextRows, StoreError> {
    let mut position: HashMap<TextHash, usize> = HashMap::new();
    for (index, (hash, _)) in packed.iter().enumerate() {
        position.entry(*hash).or_insert(index);
    }
    let mut fresh = Vec::new();
    for (hash, text) in new_texts {
        if !position.contains_key(hash) {
            position.insert(*hash, packed.len() + fresh.len());
            fresh.push((*hash, text.clone()));
        }
    }
    let pack = (!fresh.is_empty()).then(|| {
        let (checksum, body) = pack::encode_pack(&fresh);
        (i64::try_from(fresh.len()).unwrap_or(i64::MAX), checksum, body)
    });
    let changes = if writes.is_empty() {
        None
    } else {
        let body = pack::encode_changes(writes, &position).map_err(|e| corrupt(code, 0, e))?;
        Some((i64::try_from(writes.len()).unwrap_or(i64::MAX), body))
    };
    Ok(TextRows { fresh: fresh.into_iter().map(|(hash, _)| hash).collect(), pack, changes })
}
