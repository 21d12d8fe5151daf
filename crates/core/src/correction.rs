//! What a write corrects: the fields of a record whose recorded value it changes. A field recorded empty and now
//! given, or a list that only grows, is a first recording; a value replaced or taken away, or a list item dropped
//! or reworded, is a correction, which must say why (`--reason`), as a publication of record keeps what it said
//! and why it changed.

use crate::change::Proposal;
use crate::document::Document;
use crate::model::{ChangeList, Consultation, Entry};

/// The names of the fields, in record order, whose recorded value `after` changes.
#[derive(Debug, Default)]
struct Fields(Vec<&'static str>);

impl Fields {
    /// A single value: corrected when it was recorded (not `empty`) and is now different.
    fn value<T: PartialEq>(&mut self, name: &'static str, before: &T, after: &T, empty: bool) -> &mut Self {
        if !empty && before != after {
            self.0.push(name);
        }
        self
    }

    /// An optional value: corrected when it was recorded and is now different or gone.
    fn option<T: PartialEq>(&mut self, name: &'static str, before: &Option<T>, after: &Option<T>) -> &mut Self {
        self.value(name, before, after, before.is_none())
    }

    /// Text: corrected when it was recorded (not blank) and is now different.
    fn text(&mut self, name: &'static str, before: &str, after: &str) -> &mut Self {
        self.value(name, &before, &after, before.trim().is_empty())
    }

    /// A list: corrected when an item it held is no longer in it (items added are first recordings).
    fn list<T: PartialEq>(&mut self, name: &'static str, before: &[T], after: &[T]) -> &mut Self {
        if before.iter().any(|item| !after.contains(item)) {
            self.0.push(name);
        }
        self
    }

    /// A change list: its ids as a list, and its completeness and note as values once recorded.
    fn changes(&mut self, name: &'static str, before: &ChangeList, after: &ChangeList) -> &mut Self {
        let dropped = before.listed.iter().any(|id| !after.listed.contains(id));
        let recorded = !before.is_known_empty();
        if dropped || (recorded && (before.completeness != after.completeness || before.note != after.note)) {
            self.0.push(name);
        }
        self
    }
}

/// The fields of a version or event that `after` corrects.
pub fn entry(before: &Entry, after: &Entry) -> Vec<&'static str> {
    let mut fields = Fields::default();
    fields
        .value("kind", &before.kind, &after.kind, false)
        .option("title", &before.title, &after.title)
        .value("effective", &before.effective, &after.effective, before.effective.is_unknown())
        .value("made", &before.made, &after.made, before.made.is_unknown())
        .value(
            "instrument",
            &before.instrument,
            &after.instrument,
            before.instrument == crate::model::Instrument::Unknown,
        )
        .text("summary", &before.summary, &after.summary)
        .changes("added", &before.added, &after.added)
        .changes("amended", &before.amended, &after.amended)
        .changes("removed", &before.removed, &after.removed)
        .changes("activated", &before.activated, &after.activated)
        .changes("deactivated", &before.deactivated, &after.deactivated)
        .list("sources", &before.sources, &after.sources)
        .option("confidence", &before.confidence, &after.confidence)
        .list("notes", &before.notes, &after.notes);
    fields.0
}

/// The fields of a consultation that `after` corrects.
pub fn consultation(before: &Consultation, after: &Consultation) -> Vec<&'static str> {
    let mut fields = Fields::default();
    fields
        .text("title", &before.title, &after.title)
        .value("published", &before.published, &after.published, before.published.is_unknown())
        .value("closes", &before.closes, &after.closes, before.closes.is_unknown())
        .list("topics", &before.topics, &after.topics)
        .list("led_to", &before.led_to, &after.led_to)
        .list("concerns", &before.concerns, &after.concerns)
        .list("responses", &before.responses, &after.responses)
        .list("sources", &before.sources, &after.sources)
        .option("confidence", &before.confidence, &after.confidence)
        .list("notes", &before.notes, &after.notes);
    fields.0
}

/// The fields of a modification proposal that `after` corrects (its stages are the process's: moving it along
/// adds a stage, which corrects nothing).
pub fn proposal(before: &Proposal, after: &Proposal) -> Vec<&'static str> {
    let mut fields = Fields::default();
    fields
        .text("title", &before.title, &after.title)
        .option("proposer", &before.proposer, &after.proposer)
        .option("lead_analyst", &before.lead_analyst, &after.lead_analyst)
        .value("raised", &before.raised, &after.raised, before.raised.is_unknown())
        .option("path", &before.path, &after.path)
        .list("flags", &before.flags, &after.flags)
        .list("affects", &before.affects, &after.affects)
        .option("issue", &before.issue, &after.issue)
        .option("solution", &before.solution, &after.solution)
        .option("target_release", &before.target_release, &after.target_release)
        .option("alternative_to", &before.alternative_to, &after.alternative_to)
        .list("stages", &before.stages, &after.stages)
        .list("sources", &before.sources, &after.sources)
        .option("confidence", &before.confidence, &after.confidence)
        .list("notes", &before.notes, &after.notes);
    fields.0
}

/// The fields of a document's record that `after` corrects (its file is its content hash: never replaced).
pub fn document(before: &Document, after: &Document) -> Vec<&'static str> {
    let mut fields = Fields::default();
    fields
        .text("title", &before.title, &after.title)
        .option("kind", &before.kind, &after.kind)
        .value("date", &before.date, &after.date, before.date.is_unknown())
        .text("file_name", &before.file_name, &after.file_name)
        .list("attached_to", &before.attached_to, &after.attached_to)
        .list("sources", &before.sources, &after.sources);
    fields.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::FuzzyDate;
    use crate::model::{EntryKind, Instrument};
    use crate::{EntryId, ProvisionId};

    fn version() -> Entry {
        let effective = FuzzyDate::parse("2015-03-18").expect("a date");
        Entry::new(EntryId::parse("4.2").expect("an id"), EntryKind::Version, effective, Instrument::Unknown)
    }

    #[test]
    fn filling_in_what_was_empty_corrects_nothing_and_changing_what_was_recorded_does() {
        let before = version();
        let mut after = before.clone();
        after.summary = "Designated by the Secretary of State.".into();
        after.instrument = Instrument::Designation;
        after.made = FuzzyDate::parse("2015-03-01").expect("a date");
        after.sources.push("https://example.org/a".into());
        after.notes.push("A note.".into());
        after.amended.listed.push(ProvisionId::parse("H15").expect("an id"));
        assert_eq!(entry(&before, &after), Vec::<&str>::new());

        let mut corrected = after.clone();
        corrected.summary = "Designated.".into();
        corrected.effective = FuzzyDate::parse("2015-03-19").expect("a date");
        corrected.sources = vec!["https://example.org/b".into()];
        corrected.notes.push("Another note.".into());
        corrected.amended.listed.clear();
        assert_eq!(entry(&after, &corrected), ["effective", "summary", "amended", "sources"]);
        // A change list once recorded keeps its completeness unless corrected.
        let mut partial = after.clone();
        partial.amended.completeness = crate::model::Completeness::Partial;
        assert_eq!(entry(&after, &partial), ["amended"]);
        assert_eq!(entry(&after, &after), Vec::<&str>::new());
    }

    #[test]
    fn a_consultation_a_proposal_and_a_document_say_what_is_corrected() {
        use crate::document::Attachment;
        let day = |d: &str| FuzzyDate::parse(d).expect("a date");
        let mut before = crate::testing::consultation("SEC2");
        before.published = day("2013-10");
        before.topics = vec!["hubs".into()];
        let mut after = before.clone();
        after.closes = day("2013-12-31");
        after.concerns = vec![Attachment::Proposal("MP084".into())];
        after.topics.push("charges".into());
        assert_eq!(consultation(&before, &after), Vec::<&str>::new(), "filled in and added to");
        let mut corrected = after.clone();
        corrected.closes = day("2014-01-15");
        corrected.concerns.clear();
        corrected.title = "Another title".into();
        assert_eq!(consultation(&after, &corrected), ["title", "closes", "concerns"]);

        let first = crate::change::tests::raised("2");
        let mut filled = first.clone();
        filled.lead_analyst = Some("SECAS".into());
        filled.stages.push(crate::change::StageChange {
            stage: "approved".into(),
            date: day("2020-02-01"),
            decided_by: None,
            version: None,
            note: None,
        });
        assert_eq!(proposal(&first, &filled), Vec::<&str>::new(), "a stage added corrects nothing");
        let mut moved = filled.clone();
        moved.path = Some("3".into());
        moved.affects.clear();
        moved.stages.pop();
        assert_eq!(proposal(&filled, &moved), ["path", "affects", "stages"]);

        let mut guide = crate::testing::document("guide");
        guide.attached_to = vec![Attachment::Version(EntryId::parse("4.2").expect("id"))];
        let mut attached = guide.clone();
        attached.attached_to.push(Attachment::Proposal("MP084".into()));
        attached.kind = Some("guidance".into());
        assert_eq!(document(&guide, &attached), Vec::<&str>::new());
        let mut detached = attached.clone();
        detached.attached_to.remove(0);
        detached.title = "A guide".into();
        assert_eq!(document(&attached, &detached), ["title", "attached_to"]);
    }
}
