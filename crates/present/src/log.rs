//! The JSON shapes of the publication log, both ways: the API writes them and `inforce verify --remote` reads
//! them back to recompute every digest as an outsider would. Hashes and digests are 64 lower-case hex digits.

use inforce_core::id::{EntryId, ProvisionId};
use inforce_core::ledger::RecordKind;
use inforce_core::log::{Digest, Logged, LoggedFile, LoggedRecord};
use inforce_core::text::{TextAssignment, TextHash, TextWrite};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// `/api/v1/{code}/log`: one page of a code's log, oldest first.
#[derive(Debug, Serialize, Deserialize)]
pub struct LogJson {
    /// The code.
    pub code: String,
    /// How many publications the log holds.
    pub size: u64,
    /// The head of its Merkle tree (RFC 6962).
    pub tree_head: String,
    /// This page, from 1.
    pub page: usize,
    /// How many pages there are (at least 1).
    pub pages: usize,
    /// Entries per page.
    pub per_page: usize,
    /// This page's entries.
    pub publications: Vec<LogEntryJson>,
}

/// One publication's place in the log.
#[derive(Debug, Serialize, Deserialize)]
pub struct LogEntryJson {
    /// Its place in the code's log, from 1.
    pub sequence: u64,
    /// Its publication id in this database (copies give other ids: the sequence is what stays).
    pub publication: i64,
    /// Its record time.
    pub recorded_at: Timestamp,
    /// Its digest.
    pub digest: String,
    /// When its digest was computed, if after the fact (a publication made before the log existed).
    pub computed_after_the_fact: Option<Timestamp>,
    /// Where to read its content (`/api/v1/{code}/log/{sequence}`).
    pub url: String,
}

/// `/api/v1/{code}/log/{n}`: one publication's content, everything its digest covers.
#[derive(Debug, Serialize, Deserialize)]
pub struct LoggedJson {
    /// The encoding its digest is computed over (`inforce-publication-v1`, or `-v2` for a publication with a
    /// reason; see docs/publication-log.md).
    pub encoding: String,
    /// The code.
    pub code: String,
    /// Its place in the code's log, from 1.
    pub sequence: u64,
    /// Its publication id in this database.
    pub publication: i64,
    /// Its record time.
    pub recorded_at: Timestamp,
    /// Its record time in microseconds since 1970-01-01T00:00:00Z, as the digest covers it.
    pub recorded_at_us: i64,
    /// Where its records came from.
    pub origin: String,
    /// Who made it (empty when not recorded).
    pub author: String,
    /// The command that made it (empty when not recorded).
    pub command: String,
    /// Why it replaces what was recorded (a correction, encoding v2); `None` otherwise (and from sites that
    /// predate reasons).
    #[serde(default)]
    pub reason: Option<String>,
    /// The sequence number of the publication it was computed against.
    pub base: Option<u64>,
    /// Its register records, in append order.
    pub records: Vec<LoggedRecordJson>,
    /// The hashes of the texts it added.
    pub texts: Vec<String>,
    /// Its text records, in append order.
    pub text_changes: Vec<TextChangeJson>,
    /// The document files it added.
    pub files: Vec<LoggedFileJson>,
    /// The digest of the code's previous publication (`None` for the first).
    pub previous_digest: Option<String>,
    /// Its digest as logged.
    pub digest: String,
    /// Its leaf hash in the code's Merkle tree (RFC 6962: SHA-256 of 0x00 and the digest).
    pub leaf_hash: String,
    /// When its digest was computed, if after the fact.
    pub computed_after_the_fact: Option<Timestamp>,
}

/// A register record.
#[derive(Debug, Serialize, Deserialize)]
pub struct LoggedRecordJson {
    /// `code`, `provision`, `entry`, `consultation`, `process`, `proposal`, `planned` or `document`.
    pub kind: String,
    /// Its key.
    pub key: String,
    /// Its position in reading order.
    pub ordinal: i64,
    /// The record as a canonical register-file fragment; `None` for a withdrawal. What the digest covers.
    pub body: Option<String>,
    /// The same record as JSON, with the register file's field names (`{"id": "H15", "parent": "H", …}`), for
    /// programs that do not read TOML; absent for a withdrawal (and from sites that predate it). Not covered by
    /// the digest: `body` is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<serde_json::Value>,
}

/// A text record.
#[derive(Debug, Serialize, Deserialize)]
pub struct TextChangeJson {
    /// The version or event.
    pub entry: String,
    /// The provision.
    pub provision: String,
    /// The text's hash; `None` when the entry removed the provision.
    pub text: Option<String>,
    /// Whether this withdraws the assignment.
    pub withdrawn: bool,
}

/// A document file.
#[derive(Debug, Serialize, Deserialize)]
pub struct LoggedFileJson {
    /// Its SHA-256.
    pub sha256: String,
    /// Its size in bytes.
    pub size: u64,
}

/// 64 lower-case hex digits.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl LoggedJson {
    /// A publication's content as sent, with its logged digest and the previous one.
    pub fn new(
        logged: &Logged,
        publication: i64,
        digest: &Digest,
        previous: Option<&Digest>,
        computed_after_the_fact: Option<Timestamp>,
    ) -> Self {
        Self {
            encoding: logged.encoding_name().into(),
            code: logged.code.clone(),
            sequence: logged.sequence,
            publication,
            recorded_at: logged.recorded_at,
            recorded_at_us: logged.recorded_at.as_microsecond(),
            origin: logged.origin.clone(),
            author: logged.author.clone(),
            command: logged.command.clone(),
            reason: logged.reason.clone(),
            base: logged.base,
            records: logged
                .records
                .iter()
                .map(|r| LoggedRecordJson {
                    kind: r.kind.as_str().into(),
                    key: r.key.clone(),
                    ordinal: r.ordinal,
                    body: r.body.clone(),
                    record: None,
                })
                .collect(),
            texts: logged.texts.iter().map(ToString::to_string).collect(),
            text_changes: logged
                .text_changes
                .iter()
                .map(|c| TextChangeJson {
                    entry: c.assignment.entry.to_string(),
                    provision: c.assignment.provision.to_string(),
                    text: c.assignment.text.map(|t| t.to_string()),
                    withdrawn: c.withdrawn,
                })
                .collect(),
            files: logged.files.iter().map(|f| LoggedFileJson { sha256: f.sha256.clone(), size: f.size }).collect(),
            previous_digest: previous.map(ToString::to_string),
            digest: digest.to_string(),
            leaf_hash: hex(&digest.leaf()),
            computed_after_the_fact,
        }
    }

    /// The content as the core covers it, to recompute its digest; the error names the field that cannot be
    /// read.
    pub fn logged(&self) -> Result<Logged, String> {
        let bad = |what: &str, value: &str| format!("publication {}: {what} {value:?} cannot be read", self.sequence);
        // Version 2 exactly when there is a reason: a reason under version 1, or none under version 2, is content
        // that no digest could have covered as sent.
        let expected = if self.reason.is_some() { "inforce-publication-v2" } else { "inforce-publication-v1" };
        if self.encoding != expected {
            return Err(bad("the encoding", &self.encoding));
        }
        let hash = |text: &str| TextHash::parse(text).ok_or_else(|| bad("the text hash", text));
        let mut records = Vec::new();
        for r in &self.records {
            let kind = RecordKind::parse(&r.kind).ok_or_else(|| bad("the record kind", &r.kind))?;
            records.push(LoggedRecord { kind, key: r.key.clone(), ordinal: r.ordinal, body: r.body.clone() });
        }
        let mut text_changes = Vec::new();
        for c in &self.text_changes {
            text_changes.push(TextWrite {
                assignment: TextAssignment {
                    entry: EntryId::parse(&c.entry).map_err(|_| bad("the entry", &c.entry))?,
                    provision: ProvisionId::parse(&c.provision).map_err(|_| bad("the provision", &c.provision))?,
                    text: c.text.as_deref().map(hash).transpose()?,
                },
                withdrawn: c.withdrawn,
            });
        }
        Ok(Logged {
            code: self.code.clone(),
            sequence: self.sequence,
            recorded_at: Timestamp::from_microsecond(self.recorded_at_us)
                .map_err(|_| bad("the record time", &self.recorded_at_us.to_string()))?,
            origin: self.origin.clone(),
            author: self.author.clone(),
            command: self.command.clone(),
            reason: self.reason.clone(),
            base: self.base,
            records,
            texts: self.texts.iter().map(|t| hash(t)).collect::<Result<_, _>>()?,
            text_changes,
            files: self.files.iter().map(|f| LoggedFile { sha256: f.sha256.clone(), size: f.size }).collect(),
        })
    }
}

/// `/api/v1/{code}/log/proof/inclusion`: the audit path of one publication in a tree (RFC 6962 §2.1.1).
#[derive(Debug, Serialize, Deserialize)]
pub struct InclusionJson {
    /// The code.
    pub code: String,
    /// The publication's place in the log, from 1 (its leaf index is one less).
    pub sequence: u64,
    /// Its leaf index, from 0.
    pub leaf_index: u64,
    /// The tree size the path leads up to.
    pub tree_size: u64,
    /// The publication's digest.
    pub digest: String,
    /// The sibling hashes from the leaf up.
    pub audit_path: Vec<String>,
    /// The head of that tree.
    pub tree_head: String,
}

/// `/api/v1/{code}/log/proof/consistency`: that a tree of `second` publications extends the tree of its first
/// `first` (RFC 6962 §2.1.2).
#[derive(Debug, Serialize, Deserialize)]
pub struct ConsistencyJson {
    /// The code.
    pub code: String,
    /// The earlier tree size.
    pub first: u64,
    /// The later tree size.
    pub second: u64,
    /// The earlier tree's head.
    pub first_tree_head: String,
    /// The later tree's head.
    pub second_tree_head: String,
    /// The proof's hashes.
    pub consistency_path: Vec<String>,
}

/// Reads 64 hex digits as 32 bytes.
pub fn unhex(text: &str) -> Option<[u8; 32]> {
    Digest::parse(text).map(|d| d.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn logged(reason: Option<&str>) -> Logged {
        Logged {
            code: "sec".into(),
            sequence: 2,
            recorded_at: Timestamp::from_microsecond(1_700_000_000_000_001).expect("time"),
            origin: "docx:D-v2.docx sha256:00".into(),
            author: "ana".into(),
            command: "import-docx D-v2.docx --replace --reason x".into(),
            reason: reason.map(str::to_string),
            base: Some(1),
            records: Vec::new(),
            texts: vec![TextHash::of("a")],
            text_changes: Vec::new(),
            files: Vec::new(),
        }
    }

    /// What the site sends reads back as the same content, under the encoding its reason calls for; a reason
    /// sent under version 1 (or none under version 2) is refused, as no digest could have covered it so.
    #[test]
    fn a_correction_is_sent_and_read_back_under_version_2() {
        for reason in [None, Some("the signed copy")] {
            let content = logged(reason);
            let digest = content.digest(None);
            let sent = LoggedJson::new(&content, 2, &digest, None, None);
            let expected = if reason.is_some() { "inforce-publication-v2" } else { "inforce-publication-v1" };
            assert_eq!(sent.encoding, expected);
            let json = serde_json::to_string(&sent).expect("json");
            let back: LoggedJson = serde_json::from_str(&json).expect("read");
            let read = back.logged().expect("readable");
            assert_eq!(read, content);
            assert_eq!(read.digest(None), digest);
        }
        let mut forged = LoggedJson::new(&logged(Some("why")), 2, &Digest([0; 32]), None, None);
        forged.encoding = "inforce-publication-v1".into();
        assert!(forged.logged().is_err(), "a reason under version 1");
        let mut dropped = LoggedJson::new(&logged(Some("why")), 2, &Digest([0; 32]), None, None);
        dropped.reason = None;
        assert!(dropped.logged().is_err(), "version 2 without its reason");
        // A site that predates reasons sends no `reason` field: version 1, as it was.
        let old = serde_json::to_value(LoggedJson::new(&logged(None), 2, &Digest([0; 32]), None, None)).expect("json");
        let mut old = old.as_object().expect("object").clone();
        old.remove("reason");
        let back: LoggedJson = serde_json::from_value(serde_json::Value::Object(old)).expect("read");
        assert_eq!(back.logged().expect("readable"), logged(None));
    }
}
