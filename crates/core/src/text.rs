//! Provision texts through time: normalised, hash-addressed, assigned to provisions by versions and events.
//!
//! A version's texts are stored as the changes it made (a provision given a new text, or taken out); the full
//! state at any version is the latest assignment per provision up to it, so versions share structure.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::Arc;

use jiff::Timestamp;
use sha2::{Digest, Sha256};

use crate::id::{EntryId, ProvisionId};

/// The SHA-256 of a normalised text: its address in the store.
#[derive(serde::Serialize, serde::Deserialize, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TextHash([u8; 32]);

impl TextHash {
    /// The hash of an already normalised text.
    pub fn of(normalised: &str) -> Self {
        Self(Sha256::digest(normalised.as_bytes()).into())
    }

    /// The hash of any bytes (a checksum).
    pub fn of_bytes(bytes: &[u8]) -> Self {
        Self(Sha256::digest(bytes).into())
    }

    /// The 32 bytes of the hash.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// A hash from its 32 bytes; `None` for any other length.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        bytes.try_into().ok().map(Self)
    }

    /// Reads 64 lower-case hex digits.
    pub fn parse(hex: &str) -> Option<Self> {
        if hex.len() != 64 {
            return None;
        }
        let mut bytes = [0u8; 32];
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
        }
        Some(Self(bytes))
    }
}

impl fmt::Display for TextHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for byte in self.0 {
            write!(f, "{byte:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for TextHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TextHash({self})")
    }
}

/// The one form a text is stored and compared in: Unicode Normalization Form C, LF line ends, no trailing white
/// space on a line, no blank lines at either end, one final newline. Texts that differ only in these ways are the
/// same text.
pub fn normalise(text: &str) -> String {
    let unified = crate::unicode::nfc(text).replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = unified.lines().map(str::trim_end).collect();
    let first = lines.iter().position(|l| !l.is_empty()).unwrap_or(lines.len());
    let last = lines.iter().rposition(|l| !l.is_empty()).map_or(first, |i| i + 1);
    let mut out = lines[first..last].join("\n");
    out.push('\n');
    out
}

/// The heading of a provision text: its first line without the Markdown `#` marks.
pub fn heading(text: &str) -> &str {
    text.lines().next().unwrap_or("").trim_start_matches('#').trim()
}

/// The body of a provision text: everything after the heading line and the blank lines after it.
pub fn body(text: &str) -> &str {
    match text.split_once('\n') {
        Some((_, rest)) => rest.trim_start_matches('\n'),
        None => "",
    }
}

/// What an entry did to one provision's text: gave it this text, or took it out of the text (`None`).
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq, Hash)]
pub struct TextAssignment {
    /// The version or event.
    pub entry: EntryId,
    /// The provision.
    pub provision: ProvisionId,
    /// Its text from that entry on; `None` when the entry removed it.
    pub text: Option<TextHash>,
}

/// A stored text assignment, or its withdrawal, with its record time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextRecord {
    /// Append order, unique per store.
    pub seq: i64,
    /// The publication that wrote it.
    pub publication: i64,
    /// When the register learned it.
    pub recorded_at: Timestamp,
    /// The assignment.
    pub assignment: TextAssignment,
    /// True when this record withdraws the assignment for (entry, provision) instead of making one.
    pub withdrawn: bool,
}

/// A text record to append.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextWrite {
    /// The assignment.
    pub assignment: TextAssignment,
    /// True to withdraw the assignment for (entry, provision).
    pub withdrawn: bool,
}

/// The assignments in force at a record time (`None`: the latest), from the code's text records in append order.
pub fn assignments_as_of(records: &[TextRecord], at: Option<Timestamp>) -> Vec<TextAssignment> {
    let mut latest: HashMap<(&EntryId, &ProvisionId), &TextRecord> = HashMap::new();
    let mut order = Vec::new();
    for record in records.iter().filter(|r| at.is_none_or(|at| r.recorded_at <= at)) {
        let key = (&record.assignment.entry, &record.assignment.provision);
        if latest.insert(key, record).is_none() {
            order.push(key);
        }
    }
    order
        .into_iter()
        .filter_map(|key| latest.get(&key))
        .filter(|r| !r.withdrawn)
        .map(|r| r.assignment.clone())
        .collect()
}

/// The records that turn the stored assignments into `next`: new or changed assignments, and withdrawals of
/// those `next` no longer has. Empty when nothing changed.
pub fn text_writes_for(current: &[TextAssignment], next: &[TextAssignment]) -> Vec<TextWrite> {
    let existing: HashMap<(&EntryId, &ProvisionId), &Option<TextHash>> =
        current.iter().map(|a| ((&a.entry, &a.provision), &a.text)).collect();
    let mut writes: Vec<TextWrite> = next
        .iter()
        .filter(|a| existing.get(&(&a.entry, &a.provision)) != Some(&&a.text))
        .map(|a| TextWrite { assignment: a.clone(), withdrawn: false })
        .collect();
    let wanted: HashSet<(&EntryId, &ProvisionId)> = next.iter().map(|a| (&a.entry, &a.provision)).collect();
    writes.extend(
        current
            .iter()
            .filter(|a| !wanted.contains(&(&a.entry, &a.provision)))
            .map(|a| TextWrite { assignment: a.clone(), withdrawn: true }),
    );
    writes
}

/// The texts of a code: which text each provision had from each entry on, and the texts themselves.
#[derive(Debug, Clone, Default)]
pub struct Texts {
    /// The assignments, in any order.
    pub assignments: Vec<TextAssignment>,
    /// Every text the assignments name, by hash.
    pub bodies: HashMap<TextHash, Arc<str>>,
}

impl Texts {
    /// True when no text at all is recorded.
    pub fn is_empty(&self) -> bool {
        self.assignments.is_empty()
    }
}

/// Every text a history holds, by hash: each in its own allocation (as the ledger gives them), or all in one
/// string with each text's place in it (as a kept register holds them), which loads without an allocation per
/// text.
#[derive(Debug, Clone, Default)]
pub struct TextBodies {
    each: HashMap<TextHash, Arc<str>>,
    packed: Arc<String>,
    places: HashMap<TextHash, (usize, usize)>,
}

impl TextBodies {
    /// Texts packed in one string: `places` gives each one's start and length in bytes. `None` when a place
    /// falls outside the string or splits a character.
    pub fn packed(packed: String, places: HashMap<TextHash, (usize, usize)>) -> Option<Self> {
        let fits = places
            .values()
            .all(|&(start, length)| start.checked_add(length).is_some_and(|end| packed.get(start..end).is_some()));
        fits.then(|| Self { each: HashMap::new(), packed: Arc::new(packed), places })
    }

    /// The text with this hash.
    #[inline] // asked once per provision per question, often from other crates
    pub fn get(&self, hash: &TextHash) -> Option<&str> {
        if let Some(text) = self.each.get(hash) {
            return Some(text);
        }
        let &(start, length) = self.places.get(hash)?;
        self.packed.get(start..start + length)
    }

    /// Whether the text with this hash is held.
    pub fn contains(&self, hash: &TextHash) -> bool {
        self.each.contains_key(hash) || self.places.contains_key(hash)
    }

    /// How many texts are held.
    pub fn len(&self) -> usize {
        self.each.len() + self.places.len()
    }

    /// True when no text is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// About how many bytes the texts hold: their bytes and, for each, its map entry and allocation.
    pub fn approximate_bytes(&self) -> usize {
        const PER_TEXT: usize = 64;
        let each: usize = self.each.values().map(|t| t.len() + PER_TEXT).sum();
        each + self.packed.len() + self.places.len() * PER_TEXT
    }
}

impl From<HashMap<TextHash, Arc<str>>> for TextBodies {
    fn from(each: HashMap<TextHash, Arc<str>>) -> Self {
        Self { each, ..Self::default() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalising_forgets_line_ends_trailing_space_and_blank_edges() {
        assert_eq!(normalise("\n\n# Article 1 \r\n\r\nText.  \r\n\n\n"), "# Article 1\n\nText.\n");
        assert_eq!(normalise("a\rb"), "a\nb\n");
        assert_eq!(TextHash::of(&normalise("x\r\n")), TextHash::of(&normalise("x\n")));
        // Canonically equivalent spellings are one text: decomposed accents are composed.
        assert_eq!(normalise("# Cre\u{301}ance\n\nE\u{301}te\u{301}.\n"), "# Créance\n\nÉté.\n");
    }

    #[test]
    fn packed_bodies_give_each_text_and_never_a_place_outside_or_splitting_a_character() {
        let (one, two) = (TextHash::of("un\n"), TextHash::of("été\n"));
        let places = HashMap::from([(one, (1, 3)), (two, (4, 6))]);
        let bodies = TextBodies::packed("-un\nété\n".to_string(), places).expect("places fit");
        assert_eq!((bodies.get(&one), bodies.get(&two), bodies.len()), (Some("un\n"), Some("été\n"), 2));
        assert_eq!(bodies.get(&TextHash::of("other")), None);
        assert!(TextBodies::packed("un\n".to_string(), HashMap::from([(one, (0, 4))])).is_none());
        assert!(TextBodies::packed("été".to_string(), HashMap::from([(one, (0, 1))])).is_none());
    }

    #[test]
    fn hashes_read_back_from_hex() {
        let hash = TextHash::of("text\n");
        assert_eq!(TextHash::parse(&hash.to_string()), Some(hash));
        assert_eq!(TextHash::parse("zz"), None);
    }

    #[test]
    fn heading_and_body() {
        let text = "# Article 1240\n\nLe paiement.\n\nSecond.\n";
        assert_eq!(heading(text), "Article 1240");
        assert_eq!(body(text), "Le paiement.\n\nSecond.\n");
    }

    #[test]
    fn text_writes_are_only_the_differences() {
        let a = |entry: &str, p: &str, text: Option<&str>| TextAssignment {
            entry: EntryId::parse(entry).expect("id"),
            provision: ProvisionId::parse(p).expect("id"),
            text: text.map(TextHash::of),
        };
        let current = vec![a("v1", "1", Some("one")), a("v1", "2", Some("two")), a("v2", "2", None)];
        let next = vec![a("v1", "1", Some("one")), a("v1", "2", Some("deux")), a("v3", "1", None)];
        let writes = text_writes_for(&current, &next);
        let summary: Vec<(String, String, bool)> = writes
            .iter()
            .map(|w| (w.assignment.entry.to_string(), w.assignment.provision.to_string(), w.withdrawn))
            .collect();
        assert_eq!(
            summary,
            vec![("v1".into(), "2".into(), false), ("v3".into(), "1".into(), false), ("v2".into(), "2".into(), true)]
        );
        assert!(text_writes_for(&next, &next).is_empty());
    }

    fn assignment(entry: &str, provision: &str, text: &str) -> TextAssignment {
        TextAssignment {
            entry: EntryId::parse(entry).expect("id"),
            provision: ProvisionId::parse(provision).expect("id"),
            text: Some(TextHash::of(text)),
        }
    }

    #[test]
    fn the_text_ledger_answers_as_of_any_record_time() {
        let record = |seq: i64, at: &str, assignment: TextAssignment, withdrawn: bool| TextRecord {
            seq,
            publication: seq,
            recorded_at: at.parse().expect("time"),
            assignment,
            withdrawn,
        };
        let records = vec![
            record(1, "2026-01-01T00:00:00Z", assignment("v1", "1", "un"), false),
            record(2, "2026-01-01T00:00:00Z", assignment("v1", "2", "deux"), false),
            record(3, "2026-02-01T00:00:00Z", assignment("v1", "1", "un corrigé"), false),
            record(4, "2026-03-01T00:00:00Z", assignment("v1", "2", "deux"), true),
        ];
        let at = |t: &str| assignments_as_of(&records, Some(t.parse().expect("time")));
        assert!(at("2025-12-31T00:00:00Z").is_empty(), "before anything was recorded");
        assert_eq!(at("2026-01-01T00:00:00Z"), [assignment("v1", "1", "un"), assignment("v1", "2", "deux")]);
        assert_eq!(at("2026-02-15T00:00:00Z"), [assignment("v1", "1", "un corrigé"), assignment("v1", "2", "deux")]);
        assert_eq!(assignments_as_of(&records, None), [assignment("v1", "1", "un corrigé")], "2 withdrawn");
    }

    #[test]
    fn texts_and_bodies_say_what_they_hold() {
        assert!(Texts::default().is_empty());
        let texts = Texts { assignments: vec![assignment("v1", "1", "un")], bodies: HashMap::new() };
        assert!(!texts.is_empty());
        let (one, two) = (TextHash::of("un"), TextHash::of("deux"));
        let each = TextBodies::from(HashMap::from([(one, Arc::from("un"))]));
        assert!(each.contains(&one) && !each.contains(&two));
        assert!(!each.is_empty() && TextBodies::default().is_empty());
        let packed = TextBodies::packed("deux".to_string(), HashMap::from([(two, (0, 4))])).expect("fits");
        assert!(packed.contains(&two) && !packed.contains(&one));
        assert_eq!(packed.get(&two), Some("deux"));
        assert!(!packed.is_empty());
        assert_eq!(format!("{one:?}"), format!("TextHash({one})"));
    }
}
