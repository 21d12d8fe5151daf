//! The append-only ledger behind a register: every record ever written, each with the time it was recorded.
//!
//! A register is never edited in place. Publishing a corrected register appends a record for each thing that
//! changed (and a retraction for each thing withdrawn); the register as it stood at any record time is the latest
//! record per key up to that time. This is how "what did the register say on day X" stays answerable.

use std::collections::HashMap;

use jiff::Timestamp;

use crate::change::{PlannedChange, Process, Proposal};
use crate::document::Document;
use crate::model::{Code, Consultation, Entry, Gap, Provision, Register};

/// Which table of the register a record belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RecordKind {
    /// The code's own description.
    Code,
    /// A provision of the tree.
    Provision,
    /// A version or event.
    Entry,
    /// A consultation.
    Consultation,
    /// The code's change process.
    Process,
    /// A proposal to change the code.
    Proposal,
    /// A planned change.
    Planned,
    /// A document's description (its file is stored apart, by hash).
    Document,
    /// A stretch where versions are missing from the record.
    Gap,
}

impl RecordKind {
    /// Every kind.
    pub const ALL: [Self; 9] = [
        Self::Code,
        Self::Provision,
        Self::Entry,
        Self::Consultation,
        Self::Process,
        Self::Proposal,
        Self::Planned,
        Self::Document,
        Self::Gap,
    ];

    /// The stored name: `code`, `provision`, `entry`, `consultation`, `process`, `proposal`, `planned`,
    /// `document`, `gap`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Code => "code",
            Self::Provision => "provision",
            Self::Entry => "entry",
            Self::Consultation => "consultation",
            Self::Process => "process",
            Self::Proposal => "proposal",
            Self::Planned => "planned",
            Self::Document => "document",
            Self::Gap => "gap",
        }
    }

    /// Reads a stored name.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// The content of one record.
// Entries are larger than the rest, but records are few and short-lived; boxing would only add noise.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordBody {
    /// The code's description.
    Code(Code),
    /// A provision.
    Provision(Provision),
    /// A version or event.
    Entry(Entry),
    /// A consultation.
    Consultation(Consultation),
    /// The change process.
    Process(Process),
    /// A proposal.
    Proposal(Proposal),
    /// A planned change.
    Planned(PlannedChange),
    /// A document's description.
    Document(Document),
    /// A gap in the record of versions.
    Gap(Gap),
}

impl RecordBody {
    /// The table it belongs to.
    pub fn kind(&self) -> RecordKind {
        match self {
            Self::Code(_) => RecordKind::Code,
            Self::Provision(_) => RecordKind::Provision,
            Self::Entry(_) => RecordKind::Entry,
            Self::Consultation(_) => RecordKind::Consultation,
            Self::Process(_) => RecordKind::Process,
            Self::Proposal(_) => RecordKind::Proposal,
            Self::Planned(_) => RecordKind::Planned,
            Self::Document(_) => RecordKind::Document,
            Self::Gap(_) => RecordKind::Gap,
        }
    }

    /// Its key within that table.
    pub fn key(&self) -> String {
        match self {
            Self::Code(code) => code.id.to_string(),
            Self::Provision(provision) => provision.id.to_string(),
            Self::Entry(entry) => entry.id.to_string(),
            Self::Consultation(consultation) => consultation.id.clone(),
            Self::Process(_) => "process".to_string(),
            Self::Proposal(proposal) => proposal.reference.clone(),
            Self::Planned(planned) => planned.id.clone(),
            Self::Document(document) => document.id.clone(),
            Self::Gap(gap) => gap.key(),
        }
    }
}

/// A record to append: new content for a key, or its retraction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordWrite {
    /// The table.
    pub kind: RecordKind,
    /// The key within the table.
    pub key: String,
    /// Position in reading order within the table.
    pub ordinal: i64,
    /// The content; `None` withdraws the key from the register.
    pub body: Option<RecordBody>,
}

/// A stored record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Append order, unique per store.
    pub seq: i64,
    /// The publication that wrote it.
    pub publication: i64,
    /// When the register learned it (record time).
    pub recorded_at: Timestamp,
    /// What was written.
    pub write: RecordWrite,
}

/// The register as it stood at a record time (`None`: the latest), from the code's records in append order.
/// `None` when the code had not been recorded yet or had been withdrawn by then.
pub fn register_as_of(records: &[Record], at: Option<Timestamp>) -> Option<Register> {
    let mut latest: HashMap<(RecordKind, &str), &RecordWrite> = HashMap::new();
    for record in records {
        if at.is_some_and(|at| record.recorded_at > at) {
            continue;
        }
        latest.insert((record.write.kind, record.write.key.as_str()), &record.write);
    }
    register_from_writes(latest.into_values())
}

/// The register the live writes describe, in each table's order.
fn register_from_writes<'a>(writes: impl Iterator<Item = &'a RecordWrite>) -> Option<Register> {
    let mut live: Vec<&RecordWrite> = writes.filter(|w| w.body.is_some()).collect();
    live.sort_by(|a, b| (a.kind, a.ordinal, &a.key).cmp(&(b.kind, b.ordinal, &b.key)));
    let mut code = None;
    let (mut provisions, mut entries, mut consultations) = (Vec::new(), Vec::new(), Vec::new());
    let (mut process, mut proposals, mut planned, mut documents) = (None, Vec::new(), Vec::new(), Vec::new());
    let mut gaps = Vec::new();
    for write in live {
        match write.body.clone() {
            Some(RecordBody::Code(c)) => code = Some(c),
            Some(RecordBody::Provision(p)) => provisions.push(p),
            Some(RecordBody::Entry(e)) => entries.push(e),
            Some(RecordBody::Consultation(c)) => consultations.push(c),
            Some(RecordBody::Process(p)) => process = Some(p),
            Some(RecordBody::Proposal(p)) => proposals.push(p),
            Some(RecordBody::Planned(p)) => planned.push(p),
            Some(RecordBody::Document(d)) => documents.push(d),
            Some(RecordBody::Gap(g)) => gaps.push(g),
            None => {}
        }
    }
    code.map(|code| Register { code, provisions, entries, consultations, process, proposals, planned, documents, gaps })
}

/// The records to append so that the stored register becomes `next`: one per new or changed item (content or
/// position), one retraction per item `next` no longer has. Empty when nothing changed.
pub fn writes_for(current: Option<&Register>, next: &Register) -> Vec<RecordWrite> {
    let existing: HashMap<(RecordKind, String), RecordWrite> =
        current.map(as_writes).unwrap_or_default().into_iter().map(|w| ((w.kind, w.key.clone()), w)).collect();
    let wanted = as_writes(next);
    let mut writes: Vec<RecordWrite> =
        wanted.iter().filter(|w| existing.get(&(w.kind, w.key.clone())) != Some(*w)).cloned().collect();
    let still_there: std::collections::HashSet<(RecordKind, &str)> =
        wanted.iter().map(|w| (w.kind, w.key.as_str())).collect();
    let mut retractions: Vec<RecordWrite> = existing
        .values()
        .filter(|w| !still_there.contains(&(w.kind, w.key.as_str())))
        .map(|w| RecordWrite { kind: w.kind, key: w.key.clone(), ordinal: w.ordinal, body: None })
        .collect();
    retractions.sort_by_key(|w| (w.kind, w.ordinal));
    writes.extend(retractions);
    writes
}

/// A newer edition of a register (such as the built-in one) brought onto a register others may have edited:
/// what the edition changed since the earlier edition, applied where the current register still has what that
/// earlier edition said.
#[derive(Debug, Clone, PartialEq)]
pub struct Upgrade {
    /// The current register with those changes.
    pub merged: Register,
    /// The items the newer edition changes and the merge takes over, as (table, key, what it does).
    pub applied: Vec<(RecordKind, String, UpgradeChange)>,
    /// The items the newer edition changes but someone else changed too: kept as they are.
    pub kept: Vec<(RecordKind, String)>,
}

/// What an upgrade does to one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpgradeChange {
    /// The newer edition adds it.
    New,
    /// The newer edition says something else about it.
    Changed,
    /// The newer edition no longer has it.
    Withdrawn,
}

impl UpgradeChange {
    /// `new`, `changed` or `withdrawn`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Changed => "changed",
            Self::Withdrawn => "withdrawn",
        }
    }
}

/// Three-way merge of register editions: `base` is what the earlier edition said, `current` the register as
/// it stands (the earlier edition plus anyone's edits), `next` the newer edition. An item the newer edition
/// changes is taken over only where `current` still holds what `base` held for it (or already holds what `next`
/// says); otherwise it is kept and listed. Position changes alone are taken over with the content. `None` when
/// the merge leaves no code description.
pub fn upgrade(base: Option<&Register>, current: &Register, next: &Register) -> Option<Upgrade> {
    let keyed = |r: Option<&Register>| -> HashMap<(RecordKind, String), RecordWrite> {
        r.map(as_writes).unwrap_or_default().into_iter().map(|w| ((w.kind, w.key.clone()), w)).collect()
    };
    let before = keyed(base);
    let mut merged = keyed(Some(current));
    let mut applied = Vec::new();
    let mut kept = Vec::new();
    for write in writes_for(base, next) {
        let key = (write.kind, write.key.clone());
        let earlier = before.get(&key).and_then(|w| w.body.as_ref());
        let now = merged.get(&key).and_then(|w| w.body.as_ref());
        if now == write.body.as_ref() {
            // Already what the newer edition says (its position may still move).
            if let Some(existing) = merged.get_mut(&key) {
                existing.ordinal = write.ordinal;
            }
            continue;
        }
        if now != earlier {
            kept.push(key);
            continue;
        }
        let change = match (earlier, &write.body) {
            (None, _) => UpgradeChange::New,
            (Some(_), Some(_)) => UpgradeChange::Changed,
            (Some(_), None) => UpgradeChange::Withdrawn,
        };
        applied.push((write.kind, write.key.clone(), change));
        match write.body {
            Some(_) => {
                merged.insert(key, write);
            }
            None => {
                merged.remove(&key);
            }
        }
    }
    let merged = register_from_writes(merged.values())?;
    Some(Upgrade { merged, applied, kept })
}

fn as_writes(register: &Register) -> Vec<RecordWrite> {
    let write = |ordinal: usize, body: RecordBody| RecordWrite {
        kind: body.kind(),
        key: body.key(),
        ordinal: i64::try_from(ordinal).unwrap_or(i64::MAX),
        body: Some(body),
    };
    let mut writes = vec![write(0, RecordBody::Code(register.code.clone()))];
    writes.extend(register.provisions.iter().enumerate().map(|(i, p)| write(i, RecordBody::Provision(p.clone()))));
    writes.extend(register.entries.iter().enumerate().map(|(i, e)| write(i, RecordBody::Entry(e.clone()))));
    writes
        .extend(register.consultations.iter().enumerate().map(|(i, c)| write(i, RecordBody::Consultation(c.clone()))));
    writes.extend(register.process.iter().map(|p| write(0, RecordBody::Process(p.clone()))));
    writes.extend(register.proposals.iter().enumerate().map(|(i, p)| write(i, RecordBody::Proposal(p.clone()))));
    writes.extend(register.planned.iter().enumerate().map(|(i, p)| write(i, RecordBody::Planned(p.clone()))));
    writes.extend(register.documents.iter().enumerate().map(|(i, d)| write(i, RecordBody::Document(d.clone()))));
    writes.extend(register.gaps.iter().enumerate().map(|(i, g)| write(i, RecordBody::Gap(g.clone()))));
    writes
}

/// The last instant of a record day: days of record time are read in UTC, whatever the code's time zone, so
/// "as recorded on 2026-01-01" (`--as-recorded`, `?as_recorded=`) sees everything recorded on that day, at any
/// hour, and nothing after. `None` for the last day a timestamp can hold.
pub fn end_of_record_day(day: jiff::civil::Date) -> Option<jiff::Timestamp> {
    let next = day.tomorrow().ok()?.to_zoned(jiff::tz::TimeZone::UTC).ok()?;
    Some(next.timestamp() - jiff::SignedDuration::from_micros(1))
}

/// The record day (in UTC) of a record time: what "recorded on" a day means ([`end_of_record_day`]).
pub fn record_day(at: jiff::Timestamp) -> jiff::civil::Date {
    at.to_zoned(jiff::tz::TimeZone::UTC).date()
}

/// Which writes an audit lists (`inforce audit`): by whom, and recorded from and to which days (inclusive, in
/// UTC, as `--as-recorded` reads days). Empty, every write.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// The author, matched whole and without regard to case.
    pub by: Option<String>,
    /// The first day.
    pub from: Option<jiff::civil::Date>,
    /// The last day.
    pub to: Option<jiff::civil::Date>,
}

impl AuditFilter {
    /// Whether the publication is one the audit lists.
    pub fn admits(&self, facts: &PublicationFacts<'_>) -> bool {
        let day = record_day(facts.recorded_at);
        let by = self.by.as_deref().is_none_or(|by| by.trim().to_lowercase() == facts.author.trim().to_lowercase());
        by && self.from.is_none_or(|from| day >= from) && self.to.is_none_or(|to| day <= to)
    }
}

/// What is known of a publication (one append to the ledger), as a store gives it: what every face says of it.
pub struct PublicationFacts<'a> {
    /// Its id.
    pub id: i64,
    /// Its record time.
    pub recorded_at: jiff::Timestamp,
    /// Where its records came from.
    pub origin: &'a str,
    /// How many records it wrote.
    pub records: i64,
    /// Who made it; empty when not recorded.
    pub author: &'a str,
    /// The command that made it; empty when not recorded.
    pub command: &'a str,
    /// The publication it was computed against.
    pub base: Option<i64>,
    /// Why it replaces what was recorded (a correction); `None` otherwise.
    pub reason: Option<&'a str>,
}

impl PublicationFacts<'_> {
    /// Which of its recorded fields (`origin`, `author`, `command`) tell of the machine that made it: a local path
    /// (`/…`, `./…`, `../…`, `~/…`, `C:\\…`) or a bare user id (`uid 0`). Builds before names-only provenance
    /// recorded them; the publication's digest covers them, so they stay, and `inforce check` lists them.
    pub fn local_details(&self) -> Vec<&'static str> {
        let mut found = Vec::new();
        if carries_local_path(self.origin) {
            found.push("origin");
        }
        if is_bare_uid(self.author) || carries_local_path(self.author) {
            found.push("author");
        }
        if carries_local_path(self.command) {
            found.push("command");
        }
        found
    }
}

/// Whether `text` holds a word that is a local path (`/…`, `./…`, `../…`, `~/…`, `C:\\…`; URLs are not), as a
/// version summary generated by an earlier build could (`… imported from ../docx/D-v2.docx.`).
pub fn carries_local_path(text: &str) -> bool {
    let separators = |c: char| c.is_whitespace() || matches!(c, ',' | '=' | '\'' | '"' | '(' | ')' | ';');
    text.split(separators).filter(|word| !word.contains("://")).any(|word| {
        // An origin is `kind:path` (`docx:/home/…`): the part after the first colon is a word too.
        let parts = std::iter::once(word).chain(word.split_once(':').map(|(_, rest)| rest));
        parts.into_iter().any(|part| {
            let unix = ["./", "../", "~/"].iter().any(|start| part.starts_with(start))
                || (part.starts_with('/') && part.len() > 1);
            let bytes = part.as_bytes();
            let windows = bytes.len() > 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'\\';
            unix || windows
        })
    })
}

/// Whether `author` is `uid N`, as builds before names-only provenance recorded an unnamed user.
fn is_bare_uid(author: &str) -> bool {
    author.strip_prefix("uid ").is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{entry, provision, register};

    #[test]
    fn a_record_day_ends_at_its_last_microsecond_in_utc() {
        let day = crate::date::parse_day("2026-11-05").expect("day");
        let end = end_of_record_day(day).expect("an end");
        assert_eq!(end.to_string(), "2026-11-05T23:59:59.999999Z");
        assert_eq!(record_day(end), day);
        assert_eq!(record_day(end + jiff::SignedDuration::from_micros(1)).to_string(), "2026-11-06");
        assert_eq!(record_day("2026-11-05T00:00:00Z".parse().expect("time")), day);
        assert_eq!(end_of_record_day(jiff::civil::Date::MAX), None);
    }

    #[test]
    fn an_audit_lists_the_writes_of_an_author_between_two_days() {
        let facts = |author, at: &str| PublicationFacts {
            id: 1,
            recorded_at: at.parse().expect("a timestamp"),
            origin: "cli",
            records: 1,
            author,
            command: "versions update 4.2",
            base: None,
            reason: Some("a typo"),
        };
        let day = |d: &str| Some(d.parse().expect("a date"));
        let filter =
            AuditFilter { by: Some(" Code Administrator ".into()), from: day("2026-03-01"), to: day("2026-03-31") };
        assert!(filter.admits(&facts("code administrator", "2026-03-01T00:00:00Z")));
        assert!(filter.admits(&facts("Code Administrator", "2026-03-31T23:59:59.999999Z")));
        assert!(!filter.admits(&facts("Code Administrator", "2026-02-28T23:59:59Z")));
        assert!(!filter.admits(&facts("Code Administrator", "2026-04-01T00:00:00Z")));
        assert!(!filter.admits(&facts("someone else", "2026-03-10T00:00:00Z")));
        assert!(!filter.admits(&facts("Code Administrator's deputy", "2026-03-10T00:00:00Z")));
        assert!(AuditFilter::default().admits(&facts("", "1999-01-01T00:00:00Z")));
    }

    #[test]
    fn local_paths_and_bare_uids_are_found_in_recorded_provenance() {
        let facts = |origin, author, command| PublicationFacts {
            id: 1,
            recorded_at: jiff::Timestamp::UNIX_EPOCH,
            origin,
            records: 1,
            author,
            command,
            base: None,
            reason: None,
        };
        let old = facts(
            "docx:/work/shared/docx/sec-like/D-v2.docx",
            "uid 0",
            "import-docx ../shared/docx/D-v2.docx --code sec",
        );
        assert_eq!(old.local_details(), ["origin", "author", "command"]);
        assert_eq!(facts("folder:./corpora/sec", "ana", "").local_details(), ["origin"]);
        assert_eq!(facts("file:C:\\Users\\ana\\sec.toml", "ana", "").local_details(), ["origin"]);
        let new = facts(
            "docx:D-v2.docx sha256:ab12, E.docx sha256:cd34",
            "root",
            "import-docx D-v2.docx --summary 'and/or' --source <url>",
        );
        assert!(new.local_details().is_empty(), "{:?}", new.local_details());
        assert!(facts("builtin", "", "").local_details().is_empty());
        assert!(facts("doc add D1", "uid", "versions add 4.3 --source https://x.org/a/b").local_details().is_empty());
        assert!(carries_local_path("The text of Section D imported from ../shared/docx/sec-like/D-v2.docx."));
        assert!(!carries_local_path("The text of Section D imported from D-v2.docx."));
        // The edges: a lone slash or drive letter is no path; a uid is digits only.
        assert!(!carries_local_path("either / or"), "a lone slash");
        assert!(carries_local_path("/x"));
        assert!(!carries_local_path("C: drive"), "a drive letter without a path");
        assert!(carries_local_path("C:\\"));
        assert_eq!(facts("builtin", "uid 12a", "").local_details(), Vec::<&str>::new(), "not a uid");
        assert_eq!(facts("builtin", "uid ", "").local_details(), Vec::<&str>::new(), "no number");
        assert_eq!(facts("builtin", "uid 501", "").local_details(), ["author"]);
    }

    fn append(records: &mut Vec<Record>, writes: Vec<RecordWrite>, at: &str) {
        let publication = records.last().map_or(1, |r| r.publication + 1);
        let recorded_at: Timestamp = at.parse().expect("valid timestamp");
        for write in writes {
            let seq = records.len() as i64 + 1;
            records.push(Record { seq, publication, recorded_at, write });
        }
    }

    #[test]
    fn corrections_append_and_record_time_recovers_the_past() {
        let first = register(vec![provision("A", None)], vec![entry("1.0", "2013-09-23", &[])]);
        let mut corrected = first.clone();
        corrected.entries[0] = entry("1.0", "2013-09-27", &[]);
        corrected.entries.push(entry("2.0", "2014-03-31", &[]));
        corrected.provisions.clear();

        let mut records = Vec::new();
        append(&mut records, writes_for(None, &first), "2026-01-01T00:00:00Z");
        let writes = writes_for(Some(&first), &corrected);
        // 1.0 corrected, 2.0 new, A withdrawn; the unchanged code is not written again.
        let summary: Vec<(String, bool)> = writes.iter().map(|w| (w.key.clone(), w.body.is_some())).collect();
        assert_eq!(summary, vec![("1.0".into(), true), ("2.0".into(), true), ("A".into(), false)]);
        append(&mut records, writes, "2026-02-01T00:00:00Z");

        assert_eq!(register_as_of(&records, None), Some(corrected.clone()));
        let jan: Timestamp = "2026-01-15T00:00:00Z".parse().expect("valid");
        assert_eq!(register_as_of(&records, Some(jan)), Some(first.clone()));
        let exactly: Timestamp = "2026-02-01T00:00:00Z".parse().expect("valid");
        assert_eq!(register_as_of(&records, Some(exactly)), Some(corrected.clone()), "recorded at that very instant");
        let before: Timestamp = "2025-12-31T00:00:00Z".parse().expect("valid");
        assert_eq!(register_as_of(&records, Some(before)), None);
        assert!(writes_for(Some(&corrected), &corrected).is_empty());
    }

    #[test]
    fn an_upgrade_takes_over_what_the_newer_edition_changed_and_keeps_what_others_changed() {
        let base = register(
            vec![provision("A", None), provision("B", None), provision("C", None)],
            vec![entry("1.0", "2013-09-23", &[])],
        );
        // Someone corrected 1.0's date and added D; B and C are as the earlier edition left them.
        let mut current = base.clone();
        current.entries[0] = entry("1.0", "2013-09-27", &[]);
        current.provisions.push(provision("D", None));
        // The newer edition corrects 1.0 differently, renames B, drops C, adds E and 2.0.
        let mut next = base.clone();
        next.entries[0] = entry("1.0", "2013-09-24", &[]);
        next.entries.push(entry("2.0", "2014-03-31", &[]));
        next.provisions[1].title = Some("Accession".into());
        next.provisions.remove(2);
        next.provisions.push(provision("E", None));
        let up = upgrade(Some(&base), &current, &next).expect("a code");
        let applied: Vec<(&str, &str)> = up.applied.iter().map(|(_, k, c)| (k.as_str(), c.as_str())).collect();
        assert_eq!(applied, [("B", "changed"), ("E", "new"), ("2.0", "new"), ("C", "withdrawn")]);
        assert_eq!(up.kept, [(RecordKind::Entry, "1.0".to_string())], "the edited date stays");
        let ids: Vec<&str> = up.merged.provisions.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["A", "B", "E", "D"], "D, added by someone else, stays (after the edition's own)");
        assert_eq!(up.merged.provisions[1].title.as_deref(), Some("Accession"));
        assert_eq!(up.merged.entries[0].effective.to_string(), "2013-09-27");
        assert_eq!(up.merged.entries.len(), 2);
        // With no edits of others, the merge is the newer edition; with nothing new, it changes nothing.
        assert_eq!(upgrade(Some(&base), &base, &next).expect("code").merged, next);
        let same = upgrade(Some(&next), &next, &next).expect("code");
        assert!(same.applied.is_empty() && same.kept.is_empty());
        // Someone already made the newer edition's change: nothing to apply, nothing kept.
        let mut agreed = base.clone();
        agreed.provisions[1].title = Some("Accession".into());
        let up = upgrade(Some(&base), &agreed, &next).expect("code");
        assert!(!up.applied.iter().any(|(_, k, _)| k == "B") && up.kept.is_empty());
    }
}
