//! The publication log in the store: every publication's digest ([`inforce_core::log`]) is written in the
//! publication's own transaction; publications made before the log existed are given theirs when the store is
//! first opened ([`complete_log`]); [`verify`] recomputes every digest from the stored rows and names the first
//! publication whose content no longer matches.

use std::collections::HashMap;

use inforce_core::CodeId;
use inforce_core::ledger::RecordKind;
use inforce_core::log::{Digest, Logged, LoggedFile, LoggedRecord};
use inforce_core::merkle;
use inforce_core::{RecordWrite, text::TextHash};
use inforce_formats::pack;
use inforce_formats::{decode_record, encode_record};
use jiff::Timestamp;
use sha2::{Digest as _, Sha256};

use crate::rows::{ChangesRow, FileRow, PackRow, RecordRow};
use crate::{NewPublication, Publication, Store, StoreError};

/// One publication's place in its code's log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    /// The publication's id.
    pub publication: i64,
    /// Its place in the code's log, from 1.
    pub sequence: u64,
    /// Its digest.
    pub digest: Digest,
    /// When its digest was computed, if after the fact (the publication predates the log); `None` when it was
    /// written with the publication.
    pub computed_at: Option<Timestamp>,
}

/// Everything a code's digests cover, as stored, read at one point of the log.
#[derive(Debug)]
pub struct LogSources {
    /// The code's publications, in append order.
    pub publications: Vec<Publication>,
    /// Its register records, in append order, not yet decoded.
    pub records: Vec<RecordRow>,
    /// Its text packs, in publication order.
    pub packs: Vec<PackRow>,
    /// Its text change lists, in publication order.
    pub changes: Vec<ChangesRow>,
    /// Its document files, described (their content is read piece by piece when verified).
    pub files: Vec<FileRow>,
    /// Its log, in sequence order.
    pub log: Vec<LogEntry>,
    /// The last publication (of any code) made before the log existed; 0 when there was none.
    pub log_start: i64,
}

/// A stored log row as an entry; [`StoreError::Corrupt`] when its digest is not 32 bytes.
pub fn entry(
    code: &CodeId,
    publication: i64,
    sequence: i64,
    digest: &[u8],
    computed_at: Option<i64>,
) -> Result<LogEntry, StoreError> {
    let corrupt = |reason: String| StoreError::Corrupt { code: code.to_string(), seq: publication, reason };
    Ok(LogEntry {
        publication,
        sequence: u64::try_from(sequence).map_err(|_| corrupt(format!("log sequence {sequence}")))?,
        digest: Digest::from_bytes(digest).ok_or_else(|| corrupt(format!("a digest of {} bytes", digest.len())))?,
        computed_at: computed_at
            .map(Timestamp::from_microsecond)
            .transpose()
            .map_err(|e| corrupt(format!("log time: {e}")))?,
    })
}

/// A record as the log covers it, given its stored body text.
pub fn logged_record(write: &RecordWrite, body: Option<String>) -> LoggedRecord {
    LoggedRecord { kind: write.kind, key: write.key.clone(), ordinal: write.ordinal, body }
}

/// A document file as the log covers it.
pub fn logged_file(sha256: &str, size: usize) -> LoggedFile {
    LoggedFile { sha256: sha256.to_string(), size: size as u64 }
}

/// What a publication being written adds to its log entry, gathered in its transaction.
#[derive(Debug)]
pub struct LoggedParts {
    /// The new publication's id.
    pub publication: i64,
    /// Its place in the code's log.
    pub sequence: i64,
    /// Its base publication's id, and that publication's place in the log (`None` if not in it).
    pub base: (Option<i64>, Option<i64>),
    /// The code's last log entry so far: sequence and digest.
    pub tip: Option<(i64, Vec<u8>)>,
    /// Its records.
    pub records: Vec<LoggedRecord>,
    /// The texts it adds to the code.
    pub texts: Vec<TextHash>,
    /// The files it adds to the code.
    pub files: Vec<LoggedFile>,
}

impl LoggedParts {
    /// The new publication's digest; [`StoreError::Corrupt`] when the code's log lacks an earlier publication
    /// or its base, so that a digest is never chained to a gap.
    pub fn digest(self, publication: &NewPublication) -> Result<Digest, StoreError> {
        let code = publication.code.as_str();
        let corrupt = |reason: String| StoreError::Corrupt { code: code.to_string(), seq: self.publication, reason };
        let previous = match &self.tip {
            None if self.sequence == 1 => None,
            Some((sequence, digest)) if *sequence == self.sequence - 1 => {
                Some(Digest::from_bytes(digest).ok_or_else(|| corrupt("a stored digest is not 32 bytes".into()))?)
            }
            _ => {
                return Err(corrupt(format!(
                    "the log of '{code}' lacks the digest of an earlier publication, so this one cannot be chained \
                     to it; nothing was written; run `inforce verify --code {code}`"
                )));
            }
        };
        let base = match self.base {
            (None, _) => None,
            (Some(_), Some(sequence)) => Some(sequence as u64),
            (Some(base), None) => {
                return Err(corrupt(format!(
                    "its base, publication {base}, is not in the log of '{code}'; nothing was written"
                )));
            }
        };
        let logged = Logged {
            code: code.to_string(),
            sequence: self.sequence as u64,
            recorded_at: publication.recorded_at,
            origin: publication.origin.clone(),
            author: publication.author.clone(),
            command: publication.command.clone(),
            reason: publication.reason.clone(),
            base,
            records: self.records,
            texts: self.texts,
            text_changes: publication.text_writes.clone(),
            files: self.files,
        };
        Ok(logged.digest(previous.as_ref()))
    }
}

/// Each publication's logged content, recomputed from the stored rows, in append order (the i-th is the
/// publication with sequence number i + 1); an `Err` says what of that publication cannot be read. Record
/// bodies are decoded and encoded again, so a body altered in place reads as what it now says.
pub fn logged(code: &CodeId, sources: &LogSources) -> Vec<Result<Logged, String>> {
    let position: HashMap<i64, usize> = sources.publications.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
    let count = sources.publications.len();
    let (mut records, mut texts, mut changes, mut files) =
        (vec![Vec::new(); count], vec![Vec::new(); count], vec![Vec::new(); count], vec![Vec::new(); count]);
    let mut problems: Vec<Option<String>> = vec![None; count];
    // A row of a publication that is not the code's (its row deleted) is left out: the log's own check names it.
    let mut fail = |at: usize, reason: String| {
        problems[at].get_or_insert(reason);
    };
    for row in &sources.records {
        let Some(&at) = position.get(&row.publication) else { continue };
        match logged_row(row) {
            Ok(record) => records[at].push(record),
            Err(reason) => fail(at, format!("its record {}: {reason}", row.seq)),
        }
    }
    let mut packed = Vec::new();
    for row in &sources.packs {
        match pack::decode_pack(&row.checksum, &row.body) {
            Ok(decoded) => {
                if let Some(&at) = position.get(&row.publication) {
                    texts[at].extend(decoded.iter().map(|(hash, _)| *hash));
                }
                packed.extend(decoded);
            }
            Err(e) => {
                if let Some(&at) = position.get(&row.publication) {
                    fail(at, format!("its text pack: {e}"));
                }
            }
        }
    }
    for row in &sources.changes {
        let Some(&at) = position.get(&row.publication) else { continue };
        match pack::decode_changes(&row.body, &packed) {
            Ok(writes) => changes[at].extend(writes),
            Err(e) => fail(at, format!("its text changes: {e}")),
        }
    }
    for row in &sources.files {
        let Some(&at) = position.get(&row.publication) else { continue };
        files[at].push(LoggedFile { sha256: row.sha256.clone(), size: u64::try_from(row.size).unwrap_or(u64::MAX) });
    }
    let parts = records.into_iter().zip(texts).zip(changes).zip(files).zip(problems);
    sources
        .publications
        .iter()
        .zip(parts)
        .enumerate()
        .map(|(i, (p, ((((records, texts), text_changes), files), problem)))| {
            if let Some(problem) = problem {
                return Err(problem);
            }
            let base = match p.base {
                None => None,
                Some(base) => match position.get(&base) {
                    Some(at) => Some(*at as u64 + 1),
                    None => return Err(format!("its base, publication {base}, is not a publication of '{code}'")),
                },
            };
            Ok(Logged {
                code: code.to_string(),
                sequence: i as u64 + 1,
                recorded_at: p.recorded_at,
                origin: p.origin.clone(),
                author: p.author.clone(),
                command: p.command.clone(),
                reason: p.reason.clone(),
                base,
                records,
                texts,
                text_changes,
                files,
            })
        })
        .collect()
}

/// A stored record row as the log covers it: its body decoded and encoded again.
fn logged_row(row: &RecordRow) -> Result<LoggedRecord, String> {
    let kind = RecordKind::parse(&row.kind).ok_or_else(|| format!("unknown kind '{}'", row.kind))?;
    let body = row.body.as_deref().map(decode_record).transpose()?.map(|body| encode_record(&body));
    Ok(LoggedRecord { kind, key: row.key.clone(), ordinal: row.ordinal, body })
}

/// What [`verify`] found for one code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every publication matches its digest and every file its hash.
    Intact(Verified),
    /// The first publication that does not.
    Tampered(Tampered),
}

/// A code whose stored history matches its log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The code.
    pub code: CodeId,
    /// How many publications its log holds.
    pub size: u64,
    /// The head of its Merkle tree (RFC 6962).
    pub head: merkle::Hash,
    /// How many of its digests were computed after the fact (for publications made before the log existed).
    pub computed_after: u64,
    /// How many digests this verification computed that are not stored (a read-only database made before the
    /// log existed).
    pub not_stored: u64,
}

/// The first publication of a code that does not match its log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tampered {
    /// The code.
    pub code: CodeId,
    /// The publication's id.
    pub publication: i64,
    /// Its place in the code's log.
    pub sequence: u64,
    /// What does not match.
    pub reason: String,
}

/// Recomputes every digest of the code from its stored rows, chains them, and rehashes every text, pack, change
/// list and document file; the first publication (in log order) that does not match is named. Errors are the
/// store's own failures (the database cannot be read), not mismatches.
pub async fn verify(store: &dyn Store, code: &CodeId) -> Result<Verdict, StoreError> {
    let sources = store.log_sources(code).await?;
    let logged = logged(code, &sources);
    let mut problems: Vec<(u64, i64, String)> = Vec::new();
    let mut digests: Vec<Digest> = Vec::new();
    let (mut computed_after, mut not_stored) = (0, 0);
    let count = sources.publications.len().max(sources.log.len());
    for i in 0..count {
        let sequence = i as u64 + 1;
        let (publication, entry) = (sources.publications.get(i), sources.log.get(i));
        if let Some(entry) = entry
            && entry.sequence != sequence
        {
            problems.push((sequence, entry.publication, format!("the log's entry {sequence} says {}", entry.sequence)));
            break;
        }
        let publication = match (publication, entry) {
            (None, Some(entry)) => {
                problems.push((sequence, entry.publication, gone(entry.publication)));
                break;
            }
            (Some(p), Some(entry)) if entry.publication < p.id => {
                problems.push((sequence, entry.publication, gone(entry.publication)));
                break;
            }
            (Some(p), Some(entry)) if entry.publication > p.id => {
                problems.push((sequence, p.id, not_logged()));
                break;
            }
            (Some(p), None) if p.id > sources.log_start => {
                problems.push((sequence, p.id, not_logged()));
                break;
            }
            (Some(p), _) => p,
            (None, None) => break,
        };
        let content = match logged.get(i) {
            Some(Ok(content)) => content,
            Some(Err(reason)) => {
                problems.push((sequence, publication.id, reason.clone()));
                break;
            }
            None => break,
        };
        let digest = content.digest(digests.last());
        match entry {
            Some(entry) if entry.digest != digest => {
                problems.push((sequence, publication.id, mismatch(&entry.digest)));
                break;
            }
            Some(entry) => computed_after += u64::from(entry.computed_at.is_some()),
            None => not_stored += 1,
        }
        digests.push(digest);
    }
    // Each file's content against its hash and size, piece by piece.
    for file in &sources.files {
        if let Some(reason) = file_problem(store, code, file).await?
            && let Some(at) = sources.publications.iter().position(|p| p.id == file.publication)
        {
            problems.push((at as u64 + 1, file.publication, reason));
        }
    }
    Ok(match problems.into_iter().min_by_key(|(sequence, ..)| *sequence) {
        Some((sequence, publication, reason)) => {
            Verdict::Tampered(Tampered { code: code.clone(), publication, sequence, reason })
        }
        None => Verdict::Intact(Verified {
            code: code.clone(),
            size: digests.len() as u64,
            head: inforce_core::log::tree_head(&digests),
            computed_after,
            not_stored,
        }),
    })
}

fn gone(publication: i64) -> String {
    format!("publication {publication} is in the log but no longer in the store: its row was deleted")
}

fn not_logged() -> String {
    "it has no digest: it was not published through inforce (it was written into the database directly)".into()
}

fn mismatch(logged: &Digest) -> String {
    format!(
        "its stored content does not match its digest {logged}: its records, texts, text changes, files, record \
         time, origin, author, command, reason or base were changed after it was published"
    )
}

/// Why a stored file does not match its hash or size, if it does not.
async fn file_problem(store: &dyn Store, code: &CodeId, file: &FileRow) -> Result<Option<String>, StoreError> {
    let mut hasher = Sha256::new();
    let mut size: u64 = 0;
    let mut seq = 0;
    while let Some(piece) = store.file_chunk(code, &file.sha256, seq).await? {
        size += piece.len() as u64;
        hasher.update(&piece);
        seq += 1;
    }
    let actual = TextHash::from_bytes(&hasher.finalize()).map(|h| h.to_string()).unwrap_or_default();
    Ok(if actual != file.sha256 {
        Some(format!("its document file {} now holds content whose SHA-256 is {actual}", file.sha256))
    } else if i64::try_from(size).ok() != Some(file.size) {
        Some(format!("its document file {} is {size} bytes but was recorded as {}", file.sha256, file.size))
    } else {
        None
    })
}

/// Gives a digest to every publication made before the log existed that has none, for every code, chained to
/// the code's log, recording `now` as when it was computed. Stops at the first publication of a code whose
/// content cannot be read or that was made after the log began without a digest: [`verify`] reports those.
/// Cheap when there is nothing to do (one query). Returns how many digests were written.
pub async fn complete_log(store: &dyn Store, now: Timestamp) -> Result<usize, StoreError> {
    let mut written = 0;
    for code in store.unlogged().await? {
        let sources = store.log_sources(&code).await?;
        let logged = logged(&code, &sources);
        let mut previous: Option<Digest> = None;
        let mut entries = Vec::new();
        for (i, publication) in sources.publications.iter().enumerate() {
            if let Some(entry) = sources.log.get(i) {
                if entry.publication != publication.id {
                    break;
                }
                previous = Some(entry.digest);
                continue;
            }
            let Some(Ok(content)) = logged.get(i).filter(|_| publication.id <= sources.log_start) else { break };
            let digest = content.digest(previous.as_ref());
            entries.push(LogEntry {
                publication: publication.id,
                sequence: i as u64 + 1,
                digest,
                computed_at: Some(now),
            });
            previous = Some(digest);
        }
        written += entries.len();
        if !entries.is_empty() {
            store.add_digests(&code, &entries).await?;
        }
    }
    Ok(written)
}
