//! Small builders for readable test fixtures.

use jiff::civil::Date;

use crate::date::{FuzzyDate, parse_day};
use crate::id::{CodeId, EntryId, ProvisionId};
use crate::model::{ChangeKind, Code, Entry, EntryKind, Instrument, Provision, ProvisionKind, Register};

/// A day from `YYYY-MM-DD`; panics on a typo in a fixture.
pub fn date(text: &str) -> Date {
    parse_day(text).unwrap_or_else(|| panic!("bad fixture date {text}"))
}

/// A provision with only an id and a parent; kind follows from having a parent.
pub fn provision(id: &str, parent: Option<&str>) -> Provision {
    Provision::new(
        ProvisionId::parse(id).unwrap_or_else(|e| panic!("{e}")),
        parent.map(|p| ProvisionId::parse(p).unwrap_or_else(|e| panic!("{e}"))),
        if parent.is_some() { ProvisionKind::Subsection } else { ProvisionKind::Section },
    )
}

/// A version on a date with changes given as `(kind, provision)` pairs such as `("added", "B2")`.
pub fn entry(id: &str, effective: &str, changes: &[(&str, &str)]) -> Entry {
    let mut entry = Entry::new(
        EntryId::parse(id).unwrap_or_else(|e| panic!("{e}")),
        EntryKind::Version,
        FuzzyDate::parse(effective).unwrap_or_else(|e| panic!("{e}")),
        Instrument::Designation,
    );
    for (kind, provision) in changes {
        let kind = ChangeKind::ALL.into_iter().find(|k| k.as_str() == *kind).unwrap_or_else(|| panic!("{kind}"));
        entry.changes_mut(kind).listed.push(ProvisionId::parse(provision).unwrap_or_else(|e| panic!("{e}")));
    }
    entry
}

/// An event without a version number, otherwise like [`entry`].
pub fn event(id: &str, effective: &str, changes: &[(&str, &str)]) -> Entry {
    let mut event = entry(id, effective, changes);
    event.kind = EntryKind::Event;
    event.instrument = Instrument::SosDirection;
    event
}

/// A register of code `test` from provisions and entries.
pub fn register(provisions: Vec<Provision>, entries: Vec<Entry>) -> Register {
    Register {
        provisions,
        entries,
        ..Register::empty(Code::new(CodeId::parse("test").unwrap_or_else(|e| panic!("{e}")), "Test code"))
    }
}

/// A consultation with only an id and a title; dates unknown, every list empty.
pub fn consultation(id: &str) -> crate::model::Consultation {
    crate::model::Consultation {
        id: id.into(),
        title: "A consultation".into(),
        published: FuzzyDate::Unknown,
        closes: FuzzyDate::Unknown,
        topics: vec![],
        led_to: vec![],
        concerns: vec![],
        responses: vec![],
        sources: vec![],
        confidence: None,
        notes: vec![],
    }
}

/// A stored document `guide.md` with the id given, attached to nothing.
pub fn document(id: &str) -> crate::document::Document {
    crate::document::Document {
        id: id.into(),
        title: "Guide".into(),
        kind: None,
        date: FuzzyDate::Unknown,
        file_name: "guide.md".into(),
        media_type: crate::document::MEDIA_TYPES[0].0.into(),
        sha256: "0".repeat(64),
        size: 1,
        attached_to: vec![],
        sources: vec![],
    }
}
