//! Changes to what the register records about a version or event, a consultation or a document's attachments,
//! as the code administrator makes them (`inforce versions update`, `consultation update`, `doc attach`/`detach`;
//! proposals have `Register::edit_proposal`). Each returns the fields it corrects
//! ([`crate::correction`]): a caller refuses a correction that does not say why. The register must be validated
//! afterwards, as after every change.

use crate::date::FuzzyDate;
use crate::document::Attachment;
use crate::id::{EntryId, ProvisionId};
use crate::model::{ChangeKind, Completeness, Instrument, Register};

/// A change to a version's or event's record. For each field `None` leaves it as it is; for the optional ones
/// `Some(None)` clears it; a list given replaces the list.
#[derive(Debug, Clone, Default)]
pub struct EntryEdit {
    /// Its name.
    pub title: Option<Option<String>>,
    /// When it took effect: the entry moves to its place in date order.
    pub effective: Option<FuzzyDate>,
    /// When it was made.
    pub made: Option<FuzzyDate>,
    /// What made it.
    pub instrument: Option<Instrument>,
    /// What it did.
    pub summary: Option<String>,
    /// Change lists replaced, by kind.
    pub lists: Vec<(ChangeKind, Vec<ProvisionId>)>,
    /// How complete change lists are, by kind.
    pub completeness: Vec<(ChangeKind, Completeness)>,
    /// Where the facts come from.
    pub sources: Option<Vec<String>>,
    /// How sure the sources are.
    pub confidence: Option<Option<String>>,
    /// Remarks.
    pub notes: Option<Vec<String>>,
}

/// A change to a consultation's record, read as [`EntryEdit`] is.
#[derive(Debug, Clone, Default)]
pub struct ConsultationEdit {
    /// What it is about.
    pub title: Option<String>,
    /// When it was published.
    pub published: Option<FuzzyDate>,
    /// When it closes or closed.
    pub closes: Option<FuzzyDate>,
    /// The subjects it covers.
    pub topics: Option<Vec<String>>,
    /// The versions that followed from it.
    pub led_to: Option<Vec<EntryId>>,
    /// The proposals, versions and provisions it concerns.
    pub concerns: Option<Vec<Attachment>>,
    /// The responses published to it.
    pub responses: Option<Vec<String>>,
    /// Where the facts come from.
    pub sources: Option<Vec<String>>,
    /// How sure the sources are.
    pub confidence: Option<Option<String>>,
    /// Remarks.
    pub notes: Option<Vec<String>>,
}

/// Why an edit cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// No record has the id asked for.
    #[error("no {what} '{id}' is recorded (known: {})", if known.is_empty() { "none".to_string() } else { known.join(", ") })]
    Unknown {
        /// What sort of record.
        what: &'static str,
        /// The id asked for.
        id: String,
        /// The ids recorded.
        known: Vec<String>,
    },
    /// A document is taken off something it is not attached to.
    #[error("document '{document}' is not attached to {attachment}")]
    NotAttached {
        /// The document.
        document: String,
        /// What it is not attached to.
        attachment: Attachment,
    },
}

fn unknown<'a>(what: &'static str, id: &str, known: impl Iterator<Item = &'a str>) -> EditError {
    EditError::Unknown { what, id: id.to_string(), known: known.map(str::to_string).collect() }
}

fn set<T>(field: &mut T, value: &Option<T>)
where
    T: Clone,
{
    if let Some(value) = value {
        *field = value.clone();
    }
}

impl Register {
    /// Changes what is recorded about the version or event `id`; returns the fields it corrects.
    pub fn edit_entry(&mut self, id: &EntryId, edit: &EntryEdit) -> Result<Vec<&'static str>, EditError> {
        let index = self
            .entries
            .iter()
            .position(|e| &e.id == id)
            .ok_or_else(|| unknown("version or event", id.as_str(), self.entries.iter().map(|e| e.id.as_str())))?;
        let before = self.entries[index].clone();
        let entry = &mut self.entries[index];
        set(&mut entry.title, &edit.title);
        set(&mut entry.effective, &edit.effective);
        set(&mut entry.made, &edit.made);
        set(&mut entry.instrument, &edit.instrument);
        set(&mut entry.summary, &edit.summary);
        for (kind, listed) in &edit.lists {
            entry.changes_mut(*kind).listed = listed.clone();
        }
        for (kind, how) in &edit.completeness {
            entry.changes_mut(*kind).completeness = how.clone();
        }
        set(&mut entry.sources, &edit.sources);
        set(&mut entry.confidence, &edit.confidence);
        set(&mut entry.notes, &edit.notes);
        let corrected = crate::correction::entry(&before, entry);
        if entry.effective != before.effective {
            // Versions are listed in date order: it goes after every entry that takes effect no later.
            let moved = self.entries.remove(index);
            self.insert_entry(moved);
        }
        Ok(corrected)
    }

    /// Inserts a version or event in date order: after every entry that takes effect no later than it.
    pub fn insert_entry(&mut self, entry: crate::model::Entry) {
        let at = self
            .entries
            .iter()
            .position(|e| e.effective.earliest().zip(entry.effective.latest()).is_some_and(|(other, new)| other > new))
            .unwrap_or(self.entries.len());
        self.entries.insert(at, entry);
    }

    /// Changes what is recorded about the consultation `id` (any case); returns the fields it corrects.
    pub fn edit_consultation(&mut self, id: &str, edit: &ConsultationEdit) -> Result<Vec<&'static str>, EditError> {
        let index = self
            .consultations
            .iter()
            .position(|c| c.id.eq_ignore_ascii_case(id))
            .ok_or_else(|| unknown("consultation", id, self.consultations.iter().map(|c| c.id.as_str())))?;
        let before = self.consultations[index].clone();
        let c = &mut self.consultations[index];
        set(&mut c.title, &edit.title);
        set(&mut c.published, &edit.published);
        set(&mut c.closes, &edit.closes);
        set(&mut c.topics, &edit.topics);
        set(&mut c.led_to, &edit.led_to);
        set(&mut c.concerns, &edit.concerns);
        set(&mut c.responses, &edit.responses);
        set(&mut c.sources, &edit.sources);
        set(&mut c.confidence, &edit.confidence);
        set(&mut c.notes, &edit.notes);
        Ok(crate::correction::consultation(&before, c))
    }

    /// Attaches the stored document `id` to more records (those it is already attached to stay once); returns
    /// the fields it corrects (none: attaching adds).
    pub fn attach_document(&mut self, id: &str, to: &[Attachment]) -> Result<Vec<&'static str>, EditError> {
        self.reattach(id, |document| {
            for attachment in to {
                if !document.attached_to.contains(attachment) {
                    document.attached_to.push(attachment.clone());
                }
            }
            Ok(())
        })
    }

    /// Takes the document `id` off records it is attached to; returns the fields it corrects.
    pub fn detach_document(&mut self, id: &str, from: &[Attachment]) -> Result<Vec<&'static str>, EditError> {
        self.reattach(id, |document| {
            if let Some(missing) = from.iter().find(|f| !document.attached_to.contains(f)) {
                return Err(EditError::NotAttached { document: id.to_string(), attachment: missing.clone() });
            }
            document.attached_to.retain(|a| !from.contains(a));
            Ok(())
        })
    }

    fn reattach(
        &mut self,
        id: &str,
        change: impl FnOnce(&mut crate::document::Document) -> Result<(), EditError>,
    ) -> Result<Vec<&'static str>, EditError> {
        let index = self
            .documents
            .iter()
            .position(|d| d.id == id)
            .ok_or_else(|| unknown("document", id, self.documents.iter().map(|d| d.id.as_str())))?;
        let before = self.documents[index].clone();
        change(&mut self.documents[index])?;
        Ok(crate::correction::document(&before, &self.documents[index]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{entry, register};

    #[test]
    fn an_entry_edited_moves_to_its_date_and_says_what_it_corrects() {
        let mut reg = register(vec![], vec![entry("1.0", "2015-01-05", &[]), entry("2.0", "2016-01-05", &[])]);
        let one = EntryId::parse("1.0").expect("id");
        let filled = EntryEdit { summary: Some("The first.".into()), ..EntryEdit::default() };
        assert_eq!(reg.edit_entry(&one, &filled), Ok(vec![]));
        let moved =
            EntryEdit { effective: Some(FuzzyDate::parse("2017-01-01").expect("date")), ..EntryEdit::default() };
        assert_eq!(reg.edit_entry(&one, &moved), Ok(vec!["effective"]));
        let order: Vec<&str> = reg.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(order, ["2.0", "1.0"]);
        // Inserted between the entries it falls between; after those of its own day.
        reg.insert_entry(entry("1.5", "2016-06-01", &[]));
        reg.insert_entry(entry("0.5", "2014-01-01", &[]));
        reg.insert_entry(entry("2.1", "2016-01-05", &[]));
        let order: Vec<&str> = reg.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(order, ["0.5", "2.0", "2.1", "1.5", "1.0"]);
        let missing = reg.edit_entry(&EntryId::parse("9.9").expect("id"), &filled).expect_err("unknown");
        assert_eq!(missing.to_string(), "no version or event '9.9' is recorded (known: 0.5, 2.0, 2.1, 1.5, 1.0)");
    }

    #[test]
    fn a_consultation_and_a_document_s_attachments_are_edited_in_place() {
        let mut reg = register(vec![], vec![entry("1.0", "2015-01-05", &[])]);
        let mut sec2 = crate::testing::consultation("SEC2");
        sec2.notes = vec!["a note".into()];
        reg.consultations.push(sec2);
        let version = Attachment::Version(EntryId::parse("1.0").expect("id"));
        let edit = ConsultationEdit {
            closes: Some(FuzzyDate::parse("2013-12-31").expect("date")),
            concerns: Some(vec![version.clone()]),
            notes: Some(vec![]),
            ..ConsultationEdit::default()
        };
        assert_eq!(reg.edit_consultation("sec2", &edit), Ok(vec!["notes"]), "any case; a dropped note corrects");
        let c = &reg.consultations[0];
        assert_eq!(
            (c.closes.to_string(), c.concerns.clone(), c.notes.len()),
            ("2013-12-31".into(), vec![version.clone()], 0)
        );
        assert!(matches!(reg.edit_consultation("SEC9", &edit), Err(EditError::Unknown { what: "consultation", .. })));

        reg.documents.push(crate::testing::document("guide"));
        let proposal = Attachment::Proposal("MP1".into());
        assert_eq!(reg.attach_document("guide", &[version.clone(), proposal.clone(), version.clone()]), Ok(vec![]));
        assert_eq!(reg.documents[0].attached_to, [version.clone(), proposal.clone()], "each once");
        let missing =
            reg.detach_document("guide", &[Attachment::Consultation("SEC2".into())]).expect_err("not attached");
        assert_eq!(missing.to_string(), "document 'guide' is not attached to consultation:SEC2");
        assert_eq!(reg.documents[0].attached_to.len(), 2, "nothing taken off");
        assert_eq!(reg.detach_document("guide", &[version]), Ok(vec!["attached_to"]));
        assert_eq!(reg.documents[0].attached_to, [proposal]);
        assert!(matches!(reg.attach_document("nothing", &[]), Err(EditError::Unknown { what: "document", .. })));
    }
}
