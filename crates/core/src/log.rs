//! The publication log: each code's publications chained by digests, so that no published content can be altered,
//! dropped, reordered or back-dated without the change being seen.
//!
//! A publication's digest is SHA-256 over a canonical encoding of its logical content (what it says, not how a
//! database lays it out) and the digest of the publication before it in the same code. Row ids, pack layout and
//! compression are not part of it, so a register copied to another database keeps every digest. The digests are
//! the leaves of the code's Merkle tree ([`crate::merkle`]), whose head a server signs and outsiders keep.
//!
//! # The encoding (version 1)
//!
//! Integers are big-endian: `u64`/`i64` 8 bytes. A string is its UTF-8 length as a `u64` and its bytes. An
//! optional value is the byte 0 (absent) or 1 followed by the value. A list is its length as a `u64` and its
//! items. In order:
//!
//! 1. the 23 bytes `inforce-publication-v1\n`;
//! 2. the code id (string); the publication's sequence number within the code (`u64`, 1 for the first);
//!    its record time (`i64`, microseconds since 1970-01-01T00:00:00Z); its origin, author and command
//!    (strings); its base (optional `u64`: the sequence number of the publication it was computed against);
//! 3. its register records in append order, each: kind (string: `code`, `provision`, …), key (string), ordinal
//!    (`i64`), body (optional string: the record as a canonical register-file fragment; absent for a withdrawal);
//! 4. the texts it added to the code: their SHA-256 hashes (32 bytes each), in ascending order;
//! 5. its text records in append order, each: entry id, provision id (strings), text (optional 32-byte hash;
//!    absent when the entry removed the provision), withdrawn (one byte, 0 or 1);
//! 6. the document files it added to the code, each: SHA-256 (string, 64 lower-case hex digits) and size in bytes
//!    (`u64`), in ascending order of hash;
//! 7. the digest of the code's previous publication (optional, 32 bytes; absent for the first).
//!
//! # Version 2: a correction's reason
//!
//! A publication that carries a reason (a correction, `--replace --reason TEXT`) is encoded as version 1 with two
//! differences: its first bytes are `inforce-publication-v2\n` ([`DOMAIN_V2`]), and the reason (string) follows
//! the command. Every other publication, before version 2 existed or after, is encoded as version 1, so those
//! made earlier verify as they are; adding, changing or dropping a reason changes the digest.

use std::fmt;

use jiff::Timestamp;
use sha2::{Digest as _, Sha256};

use crate::ledger::RecordKind;
use crate::text::{TextHash, TextWrite};

/// The first bytes of an encoded publication without a reason: the encoding's name and version.
pub const DOMAIN: &[u8] = b"inforce-publication-v1\n";
/// The first bytes of an encoded publication with a reason (a correction).
pub const DOMAIN_V2: &[u8] = b"inforce-publication-v2\n";

/// A publication's digest: SHA-256 of its encoding, 32 bytes; shown as 64 lower-case hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Digest(pub [u8; 32]);

impl Digest {
    /// Reads 64 hex digits (either case); `None` otherwise.
    pub fn parse(hex: &str) -> Option<Self> {
        TextHash::parse(&hex.to_ascii_lowercase()).map(|hash| Self(*hash.as_bytes()))
    }

    /// A digest from its 32 bytes; `None` for any other length.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        bytes.try_into().ok().map(Self)
    }

    /// Its 32 bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Its leaf hash in the code's Merkle tree (RFC 6962: SHA-256 of 0x00 and the digest).
    pub fn leaf(&self) -> crate::merkle::Hash {
        crate::merkle::leaf_hash(&self.0)
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for byte in self.0 {
            write!(f, "{byte:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Digest({self})")
    }
}

/// A register record as the log covers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedRecord {
    /// Its table.
    pub kind: RecordKind,
    /// Its key within the table.
    pub key: String,
    /// Its position in reading order within the table.
    pub ordinal: i64,
    /// The record as a canonical register-file fragment; `None` for a withdrawal.
    pub body: Option<String>,
}

/// A document file as the log covers it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct LoggedFile {
    /// Its SHA-256, 64 lower-case hex digits.
    pub sha256: String,
    /// Its size in bytes.
    pub size: u64,
}

/// One publication's logical content: everything its digest covers but the previous digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logged {
    /// The code's id.
    pub code: String,
    /// Its place in the code's log, from 1.
    pub sequence: u64,
    /// Its record time.
    pub recorded_at: Timestamp,
    /// Where its records came from.
    pub origin: String,
    /// Who made it (empty when not recorded).
    pub author: String,
    /// The command that made it (empty when not recorded).
    pub command: String,
    /// Why it replaces what was recorded (a correction); `Some` makes it encoded as version 2.
    pub reason: Option<String>,
    /// The sequence number of the publication its writes were computed against.
    pub base: Option<u64>,
    /// Its register records, in append order.
    pub records: Vec<LoggedRecord>,
    /// The hashes of the texts it added to the code (any order: they are encoded sorted).
    pub texts: Vec<TextHash>,
    /// Its text records, in append order.
    pub text_changes: Vec<TextWrite>,
    /// The document files it added to the code (any order: they are encoded sorted).
    pub files: Vec<LoggedFile>,
}

impl Logged {
    /// Its digest, chained to the previous publication's (`None` for a code's first).
    pub fn digest(&self, previous: Option<&Digest>) -> Digest {
        let mut hasher = Sha256::new();
        self.encode(previous, &mut |bytes| hasher.update(bytes));
        Digest(hasher.finalize().into())
    }

    /// The name of the encoding its digest is computed over: `inforce-publication-v2` when it has a reason,
    /// else `inforce-publication-v1`.
    pub fn encoding_name(&self) -> &'static str {
        if self.reason.is_some() { "inforce-publication-v2" } else { "inforce-publication-v1" }
    }

    /// Its encoding (see the module's documentation), the bytes [`Logged::digest`] hashes.
    pub fn encoding(&self, previous: Option<&Digest>) -> Vec<u8> {
        let mut out = Vec::new();
        self.encode(previous, &mut |bytes| out.extend_from_slice(bytes));
        out
    }

    fn encode(&self, previous: Option<&Digest>, out: &mut dyn FnMut(&[u8])) {
        let mut e = Encoder(out);
        e.bytes(if self.reason.is_some() { DOMAIN_V2 } else { DOMAIN });
        e.str(&self.code);
        e.u64(self.sequence);
        e.i64(self.recorded_at.as_microsecond());
        e.str(&self.origin);
        e.str(&self.author);
        e.str(&self.command);
        if let Some(reason) = &self.reason {
            e.str(reason);
        }
        e.option(self.base.as_ref(), |e, base| e.u64(*base));
        e.len(self.records.len());
        for record in &self.records {
            e.str(record.kind.as_str());
            e.str(&record.key);
            e.i64(record.ordinal);
            e.option(record.body.as_ref(), |e, body| e.str(body));
        }
        let mut texts = self.texts.clone();
        texts.sort_unstable();
        e.len(texts.len());
        for text in &texts {
            e.bytes(text.as_bytes());
        }
        e.len(self.text_changes.len());
        for change in &self.text_changes {
            e.str(change.assignment.entry.as_str());
            e.str(change.assignment.provision.as_str());
            e.option(change.assignment.text.as_ref(), |e, text| e.bytes(text.as_bytes()));
            e.bytes(&[u8::from(change.withdrawn)]);
        }
        let mut files: Vec<&LoggedFile> = self.files.iter().collect();
        files.sort_unstable();
        e.len(files.len());
        for file in files {
            e.str(&file.sha256);
            e.u64(file.size);
        }
        e.option(previous, |e, digest| e.bytes(digest.as_bytes()));
    }
}

/// Writes the encoding's primitives to a sink.
struct Encoder<'a>(&'a mut dyn FnMut(&[u8]));

impl Encoder<'_> {
    fn bytes(&mut self, bytes: &[u8]) {
        (self.0)(bytes);
    }

    fn u64(&mut self, n: u64) {
        self.bytes(&n.to_be_bytes());
    }

    fn i64(&mut self, n: i64) {
        self.bytes(&n.to_be_bytes());
    }

    fn len(&mut self, n: usize) {
        self.u64(n as u64);
    }

    fn str(&mut self, s: &str) {
        self.len(s.len());
        self.bytes(s.as_bytes());
    }

    fn option<T>(&mut self, value: Option<&T>, write: impl FnOnce(&mut Self, &T)) {
        match value {
            None => self.bytes(&[0]),
            Some(value) => {
                self.bytes(&[1]);
                write(self, value);
            }
        }
    }
}

/// The digests of a code's publications in order, each chained to the one before: `logged[i]` must be the
/// publication with sequence number `i + 1`.
pub fn chain(logged: &[Logged]) -> Vec<Digest> {
    let mut digests: Vec<Digest> = Vec::with_capacity(logged.len());
    for publication in logged {
        let digest = publication.digest(digests.last());
        digests.push(digest);
    }
    digests
}

/// The head of the code's Merkle tree over its digests (RFC 6962 MTH of their leaf hashes).
pub fn tree_head(digests: &[Digest]) -> crate::merkle::Hash {
    let leaves: Vec<_> = digests.iter().map(Digest::leaf).collect();
    crate::merkle::root(&leaves)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::id::{EntryId, ProvisionId};
    use crate::text::TextAssignment;

    fn publication() -> Logged {
        Logged {
            code: "sec".into(),
            sequence: 2,
            recorded_at: Timestamp::from_microsecond(1_700_000_000_000_001).expect("time"),
            origin: "file:sec.toml".into(),
            author: "ana".into(),
            command: "inforce import sec.toml".into(),
            reason: None,
            base: Some(1),
            records: vec![
                LoggedRecord {
                    kind: RecordKind::Entry,
                    key: "4.1".into(),
                    ordinal: 3,
                    body: Some("[[version]]\nid = \"4.1\"\neffective = \"2015-01-26\"\n".into()),
                },
                LoggedRecord { kind: RecordKind::Provision, key: "H15".into(), ordinal: 7, body: None },
            ],
            texts: vec![TextHash::of("b"), TextHash::of("a")],
            text_changes: vec![TextWrite {
                assignment: TextAssignment {
                    entry: EntryId::parse("4.1").expect("id"),
                    provision: ProvisionId::parse("H15").expect("id"),
                    text: Some(TextHash::of("a")),
                },
                withdrawn: false,
            }],
            files: vec![LoggedFile { sha256: "b".repeat(64), size: 2 }, LoggedFile { sha256: "a".repeat(64), size: 1 }],
        }
    }

    #[test]
    fn the_encoding_is_the_documented_one() {
        let p = publication();
        let previous = Digest([7; 32]);
        let mut want = Vec::new();
        let str = |out: &mut Vec<u8>, s: &str| {
            out.extend((s.len() as u64).to_be_bytes());
            out.extend(s.as_bytes());
        };
        want.extend(b"inforce-publication-v1\n");
        str(&mut want, "sec");
        want.extend(2u64.to_be_bytes());
        want.extend(1_700_000_000_000_001i64.to_be_bytes());
        for s in ["file:sec.toml", "ana", "inforce import sec.toml"] {
            str(&mut want, s);
        }
        want.push(1);
        want.extend(1u64.to_be_bytes());
        want.extend(2u64.to_be_bytes());
        str(&mut want, "entry");
        str(&mut want, "4.1");
        want.extend(3i64.to_be_bytes());
        want.push(1);
        str(&mut want, "[[version]]\nid = \"4.1\"\neffective = \"2015-01-26\"\n");
        str(&mut want, "provision");
        str(&mut want, "H15");
        want.extend(7i64.to_be_bytes());
        want.push(0);
        want.extend(2u64.to_be_bytes());
        let (a, b) = (TextHash::of("a"), TextHash::of("b"));
        let (low, high) = if a < b { (a, b) } else { (b, a) };
        want.extend(low.as_bytes());
        want.extend(high.as_bytes());
        want.extend(1u64.to_be_bytes());
        str(&mut want, "4.1");
        str(&mut want, "H15");
        want.push(1);
        want.extend(a.as_bytes());
        want.push(0);
        want.extend(2u64.to_be_bytes());
        str(&mut want, &"a".repeat(64));
        want.extend(1u64.to_be_bytes());
        str(&mut want, &"b".repeat(64));
        want.extend(2u64.to_be_bytes());
        want.push(1);
        want.extend([7; 32]);
        assert_eq!(p.encoding(Some(&previous)), want);
        assert_eq!(p.digest(Some(&previous)).0, <[u8; 32]>::from(Sha256::digest(&want)));
        // The first publication of a code has no previous digest: one byte 0 ends it.
        let first = p.encoding(None);
        assert_eq!(first.last(), Some(&0));
        assert_eq!(first.len(), want.len() - 32);
        // Version 2, for a correction: its own first bytes, and the reason after the command; the rest as before.
        let corrected = Logged { reason: Some("Clause D1.2 misread".into()), ..p.clone() };
        let header = 23 + (8 + 3) + 8 + 8 + (8 + 13) + (8 + 3) + (8 + 23);
        let mut v2 = b"inforce-publication-v2\n".to_vec();
        v2.extend(&want[23..header]);
        str(&mut v2, "Clause D1.2 misread");
        v2.extend(&want[header..]);
        assert_eq!(corrected.encoding(Some(&previous)), v2);
    }

    /// A publication made before version 2 keeps its digest: the one version 1 gave it, byte for byte.
    #[test]
    fn a_publication_without_a_reason_keeps_its_version_1_digest() {
        let p = publication();
        assert_eq!(p.digest(None).to_string(), V1_DIGEST);
        assert_eq!(&p.encoding(None)[..23], b"inforce-publication-v1\n");
        assert_eq!(p.encoding_name(), "inforce-publication-v1");
        let corrected = Logged { reason: Some("a typo".into()), ..publication() };
        assert_eq!(corrected.encoding_name(), "inforce-publication-v2");
        assert!(corrected.encoding(None).starts_with(b"inforce-publication-v2\n"), "the name is the encoding's own");
    }

    /// The digest of [`publication`] under version 1, as builds before version 2 computed it.
    const V1_DIGEST: &str = "c4fe9fcabda6148cd059cc886119f2c3af6b2c7c2867c434d064ef53d5829792";

    #[test]
    fn every_part_of_a_publication_changes_its_digest() {
        let p = publication();
        let base = p.digest(None);
        type Change = Box<dyn Fn(&mut Logged)>;
        let changed: Vec<(&str, Change)> = vec![
            ("code", Box::new(|p| p.code = "sed".into())),
            ("sequence", Box::new(|p| p.sequence = 3)),
            ("record time", Box::new(|p| p.recorded_at = Timestamp::from_microsecond(1).expect("time"))),
            ("origin", Box::new(|p| p.origin.push('x'))),
            ("author", Box::new(|p| p.author.clear())),
            ("command", Box::new(|p| p.command.push(' '))),
            ("base", Box::new(|p| p.base = None)),
            ("a reason", Box::new(|p| p.reason = Some("a correction".into()))),
            ("an empty reason", Box::new(|p| p.reason = Some(String::new()))),
            ("a body", Box::new(|p| p.records[0].body = Some("[[version]]\n".into()))),
            ("a withdrawal", Box::new(|p| p.records[1].body = Some(String::new()))),
            ("a key", Box::new(|p| p.records[0].key = "4.2".into())),
            ("a kind", Box::new(|p| p.records[1].kind = RecordKind::Entry)),
            ("an ordinal", Box::new(|p| p.records[0].ordinal = 4)),
            ("record order", Box::new(|p| p.records.swap(0, 1))),
            ("a dropped record", Box::new(|p| drop(p.records.pop()))),
            ("a text", Box::new(|p| p.texts[0] = TextHash::of("c"))),
            ("a text change", Box::new(|p| p.text_changes[0].assignment.text = Some(TextHash::of("b")))),
            ("a removal", Box::new(|p| p.text_changes[0].assignment.text = None)),
            ("a withdrawal mark", Box::new(|p| p.text_changes[0].withdrawn = true)),
            ("a file", Box::new(|p| p.files[0].size = 3)),
            ("a file's hash", Box::new(|p| p.files[1].sha256 = "c".repeat(64))),
            ("a dropped file", Box::new(|p| drop(p.files.pop()))),
        ];
        for (what, change) in changed {
            let mut q = p.clone();
            change(&mut q);
            assert_ne!(q.digest(None), base, "{what}");
        }
        assert_ne!(p.digest(Some(&Digest([0; 32]))), base, "a previous digest");
        // Texts and files are sets: their order is not content.
        let mut q = p.clone();
        q.texts.reverse();
        q.files.reverse();
        assert_eq!(q.digest(None), base);
    }

    #[test]
    fn strings_are_length_prefixed_so_fields_cannot_trade_bytes() {
        let mut p = publication();
        let mut q = publication();
        p.origin = "ab".into();
        p.author = "c".into();
        q.origin = "a".into();
        q.author = "bc".into();
        assert_ne!(p.digest(None), q.digest(None));
    }

    #[test]
    fn the_chain_links_each_digest_to_the_one_before() {
        let first = Logged { sequence: 1, base: None, ..publication() };
        let second = publication();
        let digests = chain(&[first.clone(), second.clone()]);
        assert_eq!(digests, vec![first.digest(None), second.digest(Some(&first.digest(None)))]);
        let mut altered = first.clone();
        altered.author = "someone else".into();
        assert_ne!(chain(&[altered, second])[1], digests[1], "a change reaches every later digest");
        assert_eq!(tree_head(&digests), crate::merkle::root(&[digests[0].leaf(), digests[1].leaf()]));
    }

    #[test]
    fn digests_read_back_from_hex() {
        let d = publication().digest(None);
        assert_eq!(Digest::parse(&d.to_string()), Some(d));
        assert_eq!(Digest::parse(&d.to_string().to_uppercase()), Some(d));
        assert_eq!(Digest::parse("00"), None);
        assert_eq!(Digest::from_bytes(d.as_bytes()), Some(d));
        assert_eq!(Digest::from_bytes(&[0; 31]), None);
        assert_eq!(d.leaf(), crate::merkle::leaf_hash(d.as_bytes()));
        // Assertion messages show a digest as it is written everywhere else.
        assert_eq!(format!("{d:?}"), format!("Digest({d})"));
    }
}
