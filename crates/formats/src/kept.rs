//! The kept register: a code's register and texts as they stood at one publication, in a binary form that loads in
//! a few milliseconds, where replaying the ledger (decoding every record, inflating and hashing every text) takes
//! tens. It is only ever a copy: it names the publication it reflects, and a reader uses it only when that is still
//! the code's latest publication and every section matches its checksum; otherwise the ledger is read again.
//!
//! Layout: magic, format number, then sections, each a length, a CRC-32 (but the stamp's) and its bytes: the
//! stamp, the register and the text assignments (postcard-encoded), the table of texts (each one's hash and
//! length), and last the texts themselves, one after another. A reader stops after the stamp when it is stale,
//! after the register when no text is asked for, and reads the texts straight into one string.

use std::collections::HashMap;
use std::io::Read;
use std::sync::Arc;

use inforce_core::text::{TextAssignment, TextBodies, TextHash, Texts};
use inforce_core::{CodeId, Register};

/// Opens every kept register file.
const MAGIC: &[u8; 16] = b"inforce:kept-reg";

/// The layout and encoding version. Bump it whenever a type the register holds changes shape: postcard carries no
/// field names, so an old file would otherwise be misread. `format_is_pinned` fails until it is bumped.
pub const FORMAT: u32 = 6;

/// Which publication a kept register reflects, and the log it was verified against. A kept register is used only
/// when its stamp names the code's latest publication (the record time and count tell apart two databases that
/// reuse an id) and the digest the log now holds for it is the one it was made with.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Stamp {
    /// The code.
    pub code: CodeId,
    /// The latest publication included.
    pub publication: i64,
    /// Its record time, microseconds since the epoch.
    pub recorded_at: i64,
    /// How many records it wrote.
    pub record_count: i64,
    /// The digest the code's log held for it when the register was read from a ledger verified against that log
    /// (`None` when it had none: made before the log, in a database not opened writable since). The digest
    /// chains every earlier one, so it stands for the whole history the copy was made from.
    pub digest: Option<[u8; 32]>,
}

/// Why a kept register cannot be used; every case means "read the ledger instead".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeptError {
    /// Not a kept register of this format.
    #[error("not a kept register of format {FORMAT}")]
    Format,
    /// It reflects another publication (or another code).
    #[error("it reflects publication {0} and the register has moved on")]
    Stale(i64),
    /// Cut short, or a section does not match its checksum.
    #[error("it is damaged ({0})")]
    Damaged(&'static str),
    /// It names the latest publication, but the log's digest of it is not the one it was made with: the log was
    /// rewritten since (or the copy altered). Not "read the ledger instead": the ledger is what is in doubt.
    #[error("the log's digest of publication {0} is not the one this copy was verified against")]
    Diverged(i64),
}

/// The register and its texts, ready to keep.
pub fn encode(stamp: &Stamp, register: &Register, texts: &Texts) -> Vec<u8> {
    let mut out = Vec::with_capacity(1 << 20);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT.to_le_bytes());
    put_section(&mut out, &to_bytes(stamp), false);
    put_section(&mut out, &to_bytes(register), true);
    put_section(&mut out, &to_bytes(&texts.assignments), true);
    // Texts sorted by hash: the same texts always give the same bytes.
    let mut bodies: Vec<(&TextHash, &Arc<str>)> = texts.bodies.iter().collect();
    bodies.sort_unstable_by_key(|(hash, _)| **hash);
    let mut table = Vec::with_capacity(4 + bodies.len() * 36);
    table.extend_from_slice(&count(bodies.len()).to_le_bytes());
    for (hash, text) in &bodies {
        table.extend_from_slice(hash.as_bytes());
        table.extend_from_slice(&count(text.len()).to_le_bytes());
    }
    put_section(&mut out, &table, true);
    let all: String = bodies.iter().map(|(_, text)| &***text).collect();
    put_section(&mut out, all.as_bytes(), true);
    out
}

/// A kept register's texts: the assignments, and the texts packed in one string.
#[derive(Debug, Clone)]
pub struct KeptTexts {
    /// Every text assignment.
    pub assignments: Vec<TextAssignment>,
    /// The texts they name.
    pub bodies: TextBodies,
}

/// The register (and, when `with_texts`, its texts) if the kept register read from `from` reflects exactly
/// `expected`. Reads no further than it needs.
pub fn decode(from: impl Read, expected: &Stamp, with_texts: bool) -> Result<(Register, Option<KeptTexts>), KeptError> {
    let mut reader = Reader::after_magic(from)?;
    let stamp: Stamp = from_bytes(&reader.section(false)?)?;
    let names = |s: &Stamp| (s.code.clone(), s.publication, s.recorded_at, s.record_count);
    if names(&stamp) != names(expected) {
        return Err(KeptError::Stale(stamp.publication));
    }
    match (&stamp.digest, &expected.digest) {
        // In constant time: how much of a digest matches says nothing to whoever can time the reads.
        (Some(kept), Some(now)) if !bool::from(subtle::ConstantTimeEq::ct_eq(&kept[..], &now[..])) => {
            return Err(KeptError::Diverged(stamp.publication));
        }
        (Some(_), Some(_)) | (None, None) => {}
        // A digest written since (the log completed) or gone: made again from the ledger, verified.
        _ => return Err(KeptError::Stale(stamp.publication)),
    }
    let register: Register = from_bytes(&reader.section(true)?)?;
    if !with_texts {
        return Ok((register, None));
    }
    let assignments: Vec<TextAssignment> = from_bytes(&reader.section(true)?)?;
    let places = places(&reader.section(true)?)?;
    let bodies = TextBodies::packed(reader.text()?, places).ok_or(KeptError::Damaged("a text is out of place"))?;
    if !assignments.iter().filter_map(|a| a.text).all(|hash| bodies.contains(&hash)) {
        return Err(KeptError::Damaged("an assignment names a text it does not hold"));
    }
    Ok((register, Some(KeptTexts { assignments, bodies })))
}

/// Where each text is in the packed string, from the table of texts.
fn places(table: &[u8]) -> Result<HashMap<TextHash, (usize, usize)>, KeptError> {
    const SHORT: KeptError = KeptError::Damaged("the table of texts is cut short");
    let (number, rows) = table.split_at_checked(4).ok_or(SHORT)?;
    let number = u32::from_le_bytes(number.try_into().map_err(|_| SHORT)?) as usize;
    if rows.len() != number.checked_mul(36).ok_or(SHORT)? {
        return Err(SHORT);
    }
    let mut places = HashMap::with_capacity(number);
    let mut start = 0;
    for row in rows.chunks_exact(36) {
        let (hash, length) = row.split_at(32);
        let hash = TextHash::from_bytes(hash).ok_or(SHORT)?;
        let length = u32::from_le_bytes(length.try_into().map_err(|_| SHORT)?) as usize;
        places.insert(hash, (start, length));
        start += length;
    }
    Ok(places)
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn to_bytes<T: serde::Serialize>(value: &T) -> Vec<u8> {
    // Encoding plain data into a Vec cannot fail.
    postcard::to_stdvec(value).unwrap_or_default()
}

fn from_bytes<'a, T: serde::Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, KeptError> {
    postcard::from_bytes(bytes).map_err(|_| KeptError::Damaged("a section does not decode"))
}

/// A section: its length, its CRC-32 when `checked` (the stamp is compared whole instead), its bytes.
fn put_section(out: &mut Vec<u8>, bytes: &[u8], checked: bool) {
    out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
    if checked {
        out.extend_from_slice(&crc32fast::hash(bytes).to_le_bytes());
    }
    out.extend_from_slice(bytes);
}

/// Reads sections one after another.
struct Reader<R> {
    from: R,
}

const SHORT: KeptError = KeptError::Damaged("cut short");

impl<R: Read> Reader<R> {
    fn after_magic(mut from: R) -> Result<Self, KeptError> {
        let mut head = [0u8; MAGIC.len() + 4];
        from.read_exact(&mut head).map_err(|_| KeptError::Format)?;
        if head[..MAGIC.len()] != MAGIC[..] || head[MAGIC.len()..] != FORMAT.to_le_bytes() {
            return Err(KeptError::Format);
        }
        Ok(Self { from })
    }

    /// A section's length and checksum.
    fn header(&mut self, checked: bool) -> Result<(usize, Option<u32>), KeptError> {
        let mut length = [0u8; 8];
        self.from.read_exact(&mut length).map_err(|_| SHORT)?;
        let length = usize::try_from(u64::from_le_bytes(length)).map_err(|_| SHORT)?;
        if !checked {
            return Ok((length, None));
        }
        let mut crc = [0u8; 4];
        self.from.read_exact(&mut crc).map_err(|_| SHORT)?;
        Ok((length, Some(u32::from_le_bytes(crc))))
    }

    fn section(&mut self, checked: bool) -> Result<Vec<u8>, KeptError> {
        let (length, crc) = self.header(checked)?;
        let mut bytes = Vec::new();
        // A damaged length must not ask for more memory than there is: refused, not aborted on.
        bytes.try_reserve_exact(length).map_err(|_| SHORT)?;
        (&mut self.from).take(length as u64).read_to_end(&mut bytes).map_err(|_| SHORT)?;
        check(bytes.len() == length, crc, &bytes)?;
        Ok(bytes)
    }

    /// The last section, the texts: read straight into one string (checked to be UTF-8 once, here).
    fn text(&mut self) -> Result<String, KeptError> {
        let (length, crc) = self.header(true)?;
        let mut text = String::new();
        text.try_reserve_exact(length).map_err(|_| SHORT)?;
        (&mut self.from)
            .take(length as u64)
            .read_to_string(&mut text)
            .map_err(|_| KeptError::Damaged("the texts are not UTF-8"))?;
        check(text.len() == length, crc, text.as_bytes())?;
        if self.from.read(&mut [0u8; 1]).map_err(|_| SHORT)? != 0 {
            return Err(KeptError::Damaged("bytes follow the texts"));
        }
        Ok(text)
    }
}

fn check(whole: bool, crc: Option<u32>, bytes: &[u8]) -> Result<(), KeptError> {
    if !whole {
        return Err(SHORT);
    }
    if crc.is_some_and(|crc| crc != crc32fast::hash(bytes)) {
        return Err(KeptError::Damaged("a section does not match its checksum"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use inforce_core::text::TextAssignment;
    use inforce_core::{EntryId, ProvisionId};

    fn register() -> Register {
        crate::parse_register("kept.toml", include_str!("../../../data/sec.toml")).expect("the built-in register")
    }

    fn texts() -> Texts {
        let body: Arc<str> = Arc::from("# A\n\nThe text.\n");
        let hash = TextHash::of(&body);
        Texts {
            assignments: vec![TextAssignment {
                entry: EntryId::parse("4.2").expect("id"),
                provision: ProvisionId::parse("A").expect("id"),
                text: Some(hash),
            }],
            bodies: HashMap::from([(hash, body)]),
        }
    }

    fn stamp_of(publication: i64) -> Stamp {
        Stamp {
            code: CodeId::parse("sec").expect("id"),
            publication,
            recorded_at: 1_700_000_000_000_000,
            record_count: 9,
            digest: Some([publication as u8; 32]),
        }
    }

    #[test]
    fn is_used_only_while_the_log_holds_the_digest_it_was_made_with() {
        let bytes = encode(&stamp_of(7), &register(), &texts());
        let with = |digest: Option<[u8; 32]>| decode(bytes.as_slice(), &Stamp { digest, ..stamp_of(7) }, false).err();
        assert_eq!(with(Some([7; 32])), None);
        let mut rewritten = [7; 32];
        rewritten[31] = 0;
        assert_eq!(with(Some(rewritten)), Some(KeptError::Diverged(7)), "one byte of the digest differs");
        assert_eq!(with(None), Some(KeptError::Stale(7)), "the digest is gone: the ledger is read (and verified)");
        let before_the_log = encode(&Stamp { digest: None, ..stamp_of(7) }, &register(), &texts());
        let read = |digest| decode(before_the_log.as_slice(), &Stamp { digest, ..stamp_of(7) }, false).err();
        assert_eq!(read(None), None);
        assert_eq!(read(Some([7; 32])), Some(KeptError::Stale(7)), "the log completed since: read again");
    }

    #[test]
    fn reads_back_what_it_kept() {
        let (register, texts) = (register(), texts());
        let bytes = encode(&stamp_of(7), &register, &texts);
        let (read, read_texts) = decode(bytes.as_slice(), &stamp_of(7), true).expect("decodes");
        assert_eq!(read, register);
        let read_texts = read_texts.expect("texts asked for");
        assert_eq!(read_texts.assignments, texts.assignments);
        assert_eq!(read_texts.bodies.len(), texts.bodies.len());
        for (hash, text) in &texts.bodies {
            assert_eq!(read_texts.bodies.get(hash), Some(&**text));
        }
        let (only, none) = decode(bytes.as_slice(), &stamp_of(7), false).expect("decodes");
        assert_eq!((only, none.is_none()), (register, true));
    }

    #[test]
    fn refuses_another_publication_another_format_and_any_damage() {
        let bytes = encode(&stamp_of(7), &register(), &texts());
        assert_eq!(decode(bytes.as_slice(), &stamp_of(8), true).err(), Some(KeptError::Stale(7)));
        assert_eq!(decode(&b"something else"[..], &stamp_of(7), true).err(), Some(KeptError::Format));
        let mut other_format = bytes.clone();
        other_format[MAGIC.len()] ^= 0xff;
        assert_eq!(decode(other_format.as_slice(), &stamp_of(7), true).err(), Some(KeptError::Format));
        // Every single flipped byte after the stamp, and every cut, is noticed.
        let after_stamp = MAGIC.len() + 4 + 8 + to_bytes(&stamp_of(7)).len();
        for at in (after_stamp..bytes.len()).step_by(97) {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x20;
            assert!(decode(damaged.as_slice(), &stamp_of(7), true).is_err(), "flipped byte {at} went unnoticed");
            assert!(decode(&bytes[..at], &stamp_of(7), true).is_err(), "cut at {at} went unnoticed");
        }
    }

    /// Every kind of thing a register holds, once.
    const PINNED: &str = r#"
[code]
id = "pin"
title = "Pinned"
description = "A register holding one of everything."
sources = ["here"]
time_zone = "Europe/London"
versions_complete_until = "2017-01-01"
first_version = "baseline"

[[provision]]
id = "H"
kind = "section"
title = "Services"
initially = "inactive"

[[provision]]
id = "H15"
kind = "subsection"
parent = "H"
added = "unknown"
present_by = "1.0"
confidence = "high"
note = "a note"

[[version]]
id = "1.0"
effective = "2015-01-26"
made = "2015-01"
instrument = "designation"
summary = "Switched H15 on."
amended = ["H15"]
amended_complete = false
amended_note = "some"
activated = ["H15"]
notes = ["two sources disagree"]

[[version]]
id = "2.0"
effective = "2016-06-01"
instrument = "modification"

[[gap]]
after = "1.0"
before = "2.0"
note = "versions between are not recorded"

[[event]]
id = "direction"
effective = "2016"
instrument = "sos_direction"

[[consultation]]
id = "C1"
title = "Stage 1"
published = "2014-06-30"
closes = "2014-08-25"
topics = ["hubs"]
led_to = ["1.0"]
concerns = ["version:1.0"]
responses = ["2014-10: government response"]

[process]
name = "Process"

[[process.stage]]
id = "raised"
label = "Raised"
initial = true
state = "open"

[[process.stage]]
id = "done"
label = "Done"
state = "closed"
outcome = "approved"
implements = true

[[process.path]]
id = "3"
label = "Path 3"

[[process.flag]]
id = "fast"
label = "Fast"

[[process.move]]
from = ["raised"]
to = "done"
paths = ["3"]
flags = ["fast"]
decided_by = "Board"

[[proposal]]
reference = "MP1"
title = "A change"
raised = "2015-01-01"
path = "3"
flags = ["fast"]
affects = ["H15"]
proposer = "A party"

[[proposal.history]]
stage = "raised"
date = "2015-01-01"

[[proposal.history]]
stage = "done"
date = "2016-02-01"
decided_by = "Board"
version = "direction"
note = "done"

[[planned]]
id = "next"
title = "Next"
announced = "2014"
expected = "2017-03"
consultation = "C1"
affects = ["H"]

[[document]]
id = "guide"
title = "Guide"
kind = "guidance"
date = "2015-02-01"
file_name = "guide.md"
media_type = "text/markdown; charset=utf-8"
sha256 = "0000000000000000000000000000000000000000000000000000000000000000"
size = 10
attached_to = ["version:1.0", "provision:H15"]
"#;

    /// Postcard carries no field names: a change to the shape of a kept type must come with a new [`FORMAT`].
    /// This digest of a register holding one of everything changes when any type's shape does; update it
    /// together with [`FORMAT`].
    #[test]
    fn format_is_pinned() {
        let register = crate::parse_register("pinned.toml", PINNED).expect("the pinned register reads");
        let digest = TextHash::of_bytes(&encode(&stamp_of(1), &register, &texts())).to_string();
        assert_eq!((FORMAT, &digest[..16]), (6, "a79beb6ca69e360b"), "bump FORMAT and update the digest");
    }
}
