//! When the register learned each thing it holds: the record time of the publication that first recorded an
//! item (a version, an event, a proposal's stage, a consultation, a document, a wording) and of the one that last
//! corrected it, read from the ledger. Feeds date their entries by it, so a correction or a back-dated record
//! reaches readers; changes-since questions start from it.

use std::collections::HashMap;

use jiff::Timestamp;

use crate::id::{EntryId, ProvisionId};
use crate::ledger::{Record, RecordBody, RecordKind};
use crate::text::TextRecord;

/// When an item was first recorded and last corrected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordTimes {
    /// The record time of the publication that first recorded it.
    pub first_recorded: Timestamp,
    /// The record time of the last publication that changed it, when one did after the first.
    pub last_corrected: Option<Timestamp>,
}

impl RecordTimes {
    /// When it was last written: its last correction, or its first recording.
    pub fn latest(&self) -> Timestamp {
        self.last_corrected.unwrap_or(self.first_recorded)
    }

    /// Notes a write at `at`: the first, or a correction.
    fn write(times: &mut Option<Self>, at: Timestamp) {
        match times {
            None => *times = Some(Self { first_recorded: at, last_corrected: None }),
            Some(known) if at > known.first_recorded => known.last_corrected = Some(at),
            Some(_) => {}
        }
    }
}

/// The keys written at least once, with their times.
fn written<K: std::hash::Hash + Eq>(map: HashMap<K, Option<RecordTimes>>) -> HashMap<K, RecordTimes> {
    map.into_iter().filter_map(|(key, times)| Some((key, times?))).collect()
}

/// A correction of a record: when it was recorded, and why (the reason its publication gives).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    /// The record time of the correcting publication.
    pub recorded_at: Timestamp,
    /// Its reason (`--reason`).
    pub reason: String,
}

/// The record times of everything a code's ledger holds, as of a record time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordTimeIndex {
    /// The corrections of each record that say why, oldest first ([`RecordTimeIndex::with_reasons`]).
    corrections: HashMap<(RecordKind, String), Vec<Correction>>,
    items: HashMap<(RecordKind, String), RecordTimes>,
    /// A proposal's stage changes, by reference and position: a stage is recorded when its proposal's record
    /// first holds it, and corrected when a later record holds it differently.
    stages: HashMap<(String, usize), RecordTimes>,
    /// Wordings, by the entry that gave them and the provision.
    texts: HashMap<(EntryId, ProvisionId), RecordTimes>,
}

impl RecordTimeIndex {
    /// Reads the register's records and the text records of one code, in append order, up to record time `at`
    /// (`None`: all of them). A withdrawal counts as a correction of what it withdraws.
    pub fn new(records: &[Record], texts: &[TextRecord], at: Option<Timestamp>) -> Self {
        let mut index = Self::default();
        let mut stage_seen: HashMap<(String, usize), crate::change::StageChange> = HashMap::new();
        let mut items: HashMap<(RecordKind, String), Option<RecordTimes>> = HashMap::new();
        let mut stages: HashMap<(String, usize), Option<RecordTimes>> = HashMap::new();
        for record in records.iter().filter(|r| at.is_none_or(|at| r.recorded_at <= at)) {
            let key = (record.write.kind, record.write.key.clone());
            RecordTimes::write(items.entry(key).or_default(), record.recorded_at);
            if let Some(RecordBody::Proposal(proposal)) = &record.write.body {
                for (i, stage) in proposal.stages.iter().enumerate() {
                    let key = (proposal.reference.clone(), i);
                    if stage_seen.get(&key) != Some(stage) {
                        RecordTimes::write(stages.entry(key.clone()).or_default(), record.recorded_at);
                        stage_seen.insert(key, stage.clone());
                    }
                }
            }
        }
        let mut words: HashMap<(EntryId, ProvisionId), Option<RecordTimes>> = HashMap::new();
        for record in texts.iter().filter(|r| at.is_none_or(|at| r.recorded_at <= at)) {
            let key = (record.assignment.entry.clone(), record.assignment.provision.clone());
            RecordTimes::write(words.entry(key).or_default(), record.recorded_at);
        }
        index.items = written(items);
        index.stages = written(stages);
        index.texts = written(words);
        index
    }

    /// The index with, for each record, the corrections that said why: each write of `records` (in append order,
    /// up to record time `at`) to a record already written, made by a publication that `reasons` (by publication
    /// id) gives a reason for. A withdrawal is no correction shown beside its record: the record is gone.
    pub fn with_reasons(mut self, records: &[Record], reasons: &HashMap<i64, String>, at: Option<Timestamp>) -> Self {
        let mut written: std::collections::HashSet<(RecordKind, &str)> = std::collections::HashSet::new();
        for record in records.iter().filter(|r| at.is_none_or(|at| r.recorded_at <= at)) {
            let key = (record.write.kind, record.write.key.as_str());
            let again = !written.insert(key);
            if let (true, Some(_), Some(reason)) = (again, &record.write.body, reasons.get(&record.publication)) {
                let correction = Correction { recorded_at: record.recorded_at, reason: reason.clone() };
                self.corrections.entry((key.0, key.1.to_string())).or_default().push(correction);
            }
        }
        self
    }

    /// The corrections of a record that said why, oldest first (by its kind and key: a version's id, a
    /// consultation's or a document's id, a proposal's reference).
    pub fn corrections(&self, kind: RecordKind, key: &str) -> &[Correction] {
        self.corrections.get(&(kind, key.to_string())).map_or(&[], Vec::as_slice)
    }

    /// When a version or event was recorded.
    pub fn entry(&self, id: &EntryId) -> Option<RecordTimes> {
        self.items.get(&(RecordKind::Entry, id.to_string())).copied()
    }

    /// When a record of another kind was recorded, by its key (a consultation's or a document's id, a proposal's
    /// reference).
    pub fn item(&self, kind: RecordKind, key: &str) -> Option<RecordTimes> {
        self.items.get(&(kind, key.to_string())).copied()
    }

    /// When the stage at `index` of a proposal's history was recorded.
    pub fn stage(&self, reference: &str, index: usize) -> Option<RecordTimes> {
        self.stages.get(&(reference.to_string(), index)).copied()
    }

    /// When the wording `entry` gave `provision` was recorded.
    pub fn text(&self, entry: &EntryId, provision: &ProvisionId) -> Option<RecordTimes> {
        self.texts.get(&(entry.clone(), provision.clone())).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::change::tests::raised;
    use crate::ledger::RecordWrite;
    use crate::testing::entry;
    use crate::text::{TextAssignment, TextHash};

    fn at(time: &str) -> Timestamp {
        time.parse().expect("time")
    }

    fn record(seq: i64, time: &str, body: RecordBody) -> Record {
        let write = RecordWrite { kind: body.kind(), key: body.key(), ordinal: 0, body: Some(body) };
        Record { seq, publication: seq, recorded_at: at(time), write }
    }

    #[test]
    fn a_correction_with_a_reason_is_kept_beside_its_record() {
        let first = entry("1.0", "2015-01-05", &[]);
        let mut corrected = first.clone();
        corrected.summary = "Corrected.".into();
        let mut again = corrected.clone();
        again.summary = "Corrected again.".into();
        let other = entry("2.0", "2016-01-05", &[]);
        let records = [
            record(1, "2026-01-01T00:00:00Z", RecordBody::Entry(first)),
            record(2, "2026-01-02T00:00:00Z", RecordBody::Entry(other)),
            record(3, "2026-02-01T00:00:00Z", RecordBody::Entry(corrected)),
            record(4, "2026-03-01T00:00:00Z", RecordBody::Entry(again)),
        ];
        // Publication 2 (a first recording) gives a reason too: not a correction. Publication 4 gives none.
        let reasons = HashMap::from([(2, "new".to_string()), (3, "a slip".to_string())]);
        let index = RecordTimeIndex::default().with_reasons(&records, &reasons, None);
        let shown: Vec<(String, &str)> = index
            .corrections(RecordKind::Entry, "1.0")
            .iter()
            .map(|c| (c.recorded_at.to_string(), c.reason.as_str()))
            .collect();
        assert_eq!(shown, [("2026-02-01T00:00:00Z".to_string(), "a slip")]);
        assert!(index.corrections(RecordKind::Entry, "2.0").is_empty());
        // As recorded before the correction, there was none.
        let then = RecordTimeIndex::default().with_reasons(&records, &reasons, Some(at("2026-01-31T00:00:00Z")));
        assert!(then.corrections(RecordKind::Entry, "1.0").is_empty());
        // As recorded after it (and before the next write), there was.
        let after = RecordTimeIndex::default().with_reasons(&records, &reasons, Some(at("2026-02-15T00:00:00Z")));
        assert_eq!(after.corrections(RecordKind::Entry, "1.0").len(), 1);
    }

    #[test]
    fn items_stages_and_wordings_know_when_they_were_recorded_and_corrected() {
        let first = entry("1.0", "2015-01-05", &[]);
        let mut corrected = first.clone();
        corrected.summary = "Corrected.".into();
        let proposal = raised("3");
        let mut moved = proposal.clone();
        moved.stages.push(crate::change::StageChange {
            stage: "report".into(),
            date: crate::FuzzyDate::parse("2020-02-01").expect("date"),
            decided_by: None,
            version: None,
            note: None,
        });
        let records = vec![
            record(1, "2026-01-01T00:00:00Z", RecordBody::Entry(first)),
            record(2, "2026-01-01T00:00:00Z", RecordBody::Proposal(proposal.clone())),
            record(3, "2026-02-01T00:00:00Z", RecordBody::Proposal(moved.clone())),
            record(4, "2026-03-01T00:00:00Z", RecordBody::Entry(corrected)),
        ];
        let texts = vec![TextRecord {
            seq: 1,
            publication: 1,
            recorded_at: at("2026-01-02T00:00:00Z"),
            assignment: TextAssignment {
                entry: EntryId::parse("1.0").expect("id"),
                provision: ProvisionId::parse("A").expect("id"),
                text: Some(TextHash::of("a")),
            },
            withdrawn: false,
        }];
        let index = RecordTimeIndex::new(&records, &texts, None);
        let v1 = EntryId::parse("1.0").expect("id");
        let times = index.entry(&v1).expect("recorded");
        assert_eq!(times.first_recorded, at("2026-01-01T00:00:00Z"));
        assert_eq!(times.last_corrected, Some(at("2026-03-01T00:00:00Z")));
        assert_eq!(times.latest(), at("2026-03-01T00:00:00Z"));
        // The raising stage was recorded first and never corrected; the second stage a month later.
        assert_eq!(
            index.stage("MP1", 0).map(|t| (t.first_recorded, t.last_corrected)),
            Some((at("2026-01-01T00:00:00Z"), None))
        );
        assert_eq!(index.stage("MP1", 1).map(|t| t.first_recorded), Some(at("2026-02-01T00:00:00Z")));
        assert_eq!(
            index.item(RecordKind::Proposal, "MP1").and_then(|t| t.last_corrected),
            Some(at("2026-02-01T00:00:00Z"))
        );
        assert_eq!(
            index.text(&v1, &ProvisionId::parse("A").expect("id")).map(|t| t.latest()),
            Some(at("2026-01-02T00:00:00Z"))
        );
        // Two writes of one key at one record time (one publication) are one recording, not a correction.
        let twice = vec![
            record(1, "2026-01-01T00:00:00Z", RecordBody::Entry(entry("1.0", "2015-01-05", &[]))),
            record(2, "2026-01-01T00:00:00Z", RecordBody::Entry(entry("1.0", "2015-01-05", &[]))),
        ];
        assert_eq!(RecordTimeIndex::new(&twice, &[], None).entry(&v1).and_then(|t| t.last_corrected), None);
        // A history carries the index it is given; one read from no ledger knows no record time.
        let history = crate::History::new(crate::testing::register(vec![], vec![entry("1.0", "2015-01-05", &[])]));
        assert_eq!(history.record_times().entry(&v1), None);
        let history = history.with_record_times(index.clone());
        assert_eq!(history.record_times().entry(&v1), Some(times));
        // As recorded before the correction: not yet corrected, and the second stage not yet known.
        let then = RecordTimeIndex::new(&records, &texts, Some(at("2026-01-15T00:00:00Z")));
        assert_eq!(then.entry(&v1).and_then(|t| t.last_corrected), None);
        assert_eq!(then.stage("MP1", 1), None);
        assert_eq!(
            then.text(&v1, &ProvisionId::parse("A").expect("id")).map(|t| t.first_recorded),
            Some(at("2026-01-02T00:00:00Z"))
        );
    }
}
