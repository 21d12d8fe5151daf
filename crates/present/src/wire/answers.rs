//! Envelopes: one type per answer, built the same way by the command line and the API.

use inforce_core::change::Proposal;
use inforce_core::point::Cut;
use inforce_core::{Consultation, Entry, History, Provision, ProvisionId, StatusAnswer};
use jiff::civil::Date;
use serde::Serialize;

use super::leaf::{
    ConsultationJson, DocumentJson, EntryJson, EntryRefJson, HistoryItemJson, PlannedJson, PointJson, ProposalJson,
    ProvisionJson, ProvisionStatusJson, RecordCoverageJson, StretchRecordJson,
};

/// The version table: `inforce versions` and `/api/v1/{code}/versions`.
#[derive(Serialize)]
pub struct VersionsJson {
    code: String,
    today: String,
    /// The version in force today; `null` when none is, or when a version not recorded here may have
    /// followed the latest recorded (see `record`).
    in_force_today: Option<String>,
    /// The latest version recorded as in force by today, whether or not a later one may be missing.
    latest_recorded: Option<String>,
    /// How far the record of versions reaches today.
    record: RecordCoverageJson,
    versions: Vec<EntryJson>,
}

impl VersionsJson {
    /// Only the versions whose id `keep` accepts (a client's sync: those recorded since a time).
    pub fn retain(mut self, keep: impl Fn(&str) -> bool) -> Self {
        self.versions.retain(|v| keep(&v.id));
        self
    }

    /// Every version of the code, with the one in force on `today`.
    pub fn new(history: &History, today: Date) -> Self {
        Self {
            code: history.register().code.id.to_string(),
            today: today.to_string(),
            in_force_today: history
                .in_force(today)
                .version
                .filter(|_| !history.coverage(today).unrecorded_versions_possible)
                .map(|v| v.id.to_string()),
            latest_recorded: history.in_force(today).version.map(|v| v.id.to_string()),
            record: RecordCoverageJson::new(history, today),
            versions: history.versions().iter().map(|v| EntryJson::new(history, v, today)).collect(),
        }
    }
}

/// Every provision's status on a date: `inforce at` and `/api/v1/{code}/at/{date}`.
#[derive(Serialize)]
pub struct AtJson<'h> {
    code: String,
    date: String,
    /// The version in force on the date.
    version: Option<EntryJson>,
    /// Versions with imprecise dates that may already have taken effect.
    possibly_later_versions: Vec<EntryRefJson>,
    /// True when the date lies after today.
    planned: bool,
    /// How far the record of versions reaches on the date.
    record: RecordCoverageJson,
    /// Written one at a time as the answer is serialised (a code can have hundreds of thousands).
    provisions: StatusRows<'h>,
}

/// Every provision's status on a date, each worked out as it is serialised.
struct StatusRows<'h> {
    history: &'h History,
    date: Date,
    today: Date,
}

impl Serialize for StatusRows<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let rows = self.history.statuses_iter(self.date).map(|s| ProvisionStatusJson::new(&s, self.today));
        serializer.collect_seq(rows)
    }
}

impl<'h> AtJson<'h> {
    /// The code as it stood on `date`, seen from `today`.
    pub fn new(history: &'h History, date: Date, today: Date) -> Self {
        let in_force = history.in_force(date);
        Self {
            code: history.register().code.id.to_string(),
            date: date.to_string(),
            version: in_force.version.map(|v| EntryJson::new(history, v, today)),
            possibly_later_versions: in_force.possibly_later.iter().map(|v| EntryRefJson::new(v, today)).collect(),
            planned: date > today,
            record: RecordCoverageJson::new(history, date),
            provisions: StatusRows { history, date, today },
        }
    }
}

/// Versions and events in date order: `/api/v1/{code}/timeline` and `/variations`.
#[derive(Serialize)]
pub struct EntriesJson {
    code: String,
    /// What the code's record of versions, up to today, does not cover: its gaps and whether it ends before today.
    record: StretchRecordJson,
    entries: Vec<EntryJson>,
}

impl EntriesJson {
    /// The given entries of the code.
    pub fn new(history: &History, entries: &[&Entry], today: Date) -> Self {
        Self {
            code: history.register().code.id.to_string(),
            record: StretchRecordJson::new(history, Date::MIN, today),
            entries: entries.iter().map(|e| EntryJson::new(history, e, today)).collect(),
        }
    }
}

/// `inforce timeline --from --to`: the entries between two optional dates.
#[derive(Serialize)]
pub struct TimelineJson {
    code: String,
    from: Option<String>,
    to: Option<String>,
    /// What the stretch from `from` (or the first entry) to `to` (or today) crosses that the record of versions
    /// does not cover.
    record: StretchRecordJson,
    entries: Vec<EntryJson>,
}

impl TimelineJson {
    /// The entries taking effect in `[from, to]`.
    pub fn new(history: &History, from: Option<Date>, to: Option<Date>, today: Date) -> Self {
        Self {
            code: history.register().code.id.to_string(),
            from: from.map(|d| d.to_string()),
            to: to.map(|d| d.to_string()),
            record: StretchRecordJson::new(history, from.unwrap_or(Date::MIN), to.unwrap_or(today)),
            entries: history.timeline(from, to).iter().map(|e| EntryJson::new(history, e, today)).collect(),
        }
    }
}

/// `inforce status`: one provision's status on a date.
#[derive(Serialize)]
pub struct StatusJson {
    code: String,
    date: String,
    /// The version in force on the date (the latest recorded; see `record`).
    version: Option<String>,
    /// How far the record of versions reaches on the date.
    record: RecordCoverageJson,
    provision: ProvisionStatusJson,
}

impl StatusJson {
    /// The status `answer` on `date`.
    pub fn new(history: &History, answer: &StatusAnswer<'_>, date: Date, today: Date) -> Self {
        Self {
            code: history.register().code.id.to_string(),
            date: date.to_string(),
            version: history.in_force(date).version.map(|v| v.id.to_string()),
            record: RecordCoverageJson::new(history, date),
            provision: ProvisionStatusJson::new(answer, today),
        }
    }
}

/// The consultations, with their state today: `inforce consultations` and `/api/v1/{code}/consultations`.
#[derive(Serialize)]
pub struct ConsultationsJson {
    code: String,
    today: String,
    consultations: Vec<ConsultationJson>,
}

impl ConsultationsJson {
    /// The given consultations.
    pub fn new<'a>(history: &History, consultations: impl IntoIterator<Item = &'a Consultation>, today: Date) -> Self {
        Self {
            code: history.register().code.id.to_string(),
            today: today.to_string(),
            consultations: consultations.into_iter().map(|c| ConsultationJson::new(c, today)).collect(),
        }
    }
}

/// A provision's text at a point: the entry that gave it, or took it out.
#[derive(Serialize)]
pub struct TextAtJson {
    entry: EntryRefJson,
    /// True when the provision was taken out of the text.
    removed: bool,
    /// The text's SHA-256, hex.
    hash: Option<String>,
    text: Option<String>,
}

impl TextAtJson {
    /// The text `at` gives.
    pub fn new(at: &inforce_core::compare::TextAt<'_>, today: Date) -> Self {
        Self {
            entry: EntryRefJson::new(at.entry, today),
            removed: at.text.is_none(),
            hash: at.hash.map(|h| h.to_string()),
            text: at.text.map(str::to_string),
        }
    }
}

/// One change of a provision's wording.
#[derive(Serialize)]
pub struct TextEventJson {
    entry: EntryRefJson,
    /// `added`, `amended` or `removed`.
    change: &'static str,
    words_added: usize,
    words_removed: usize,
}

impl TextEventJson {
    /// Every wording change of a provision.
    pub fn all(events: &[inforce_core::compare::TextEvent<'_>], today: Date) -> Vec<Self> {
        events
            .iter()
            .map(|w| Self {
                entry: EntryRefJson::new(w.entry, today),
                change: w.kind.as_str(),
                words_added: w.words_added,
                words_removed: w.words_removed,
            })
            .collect()
    }
}

/// A run of words and the entry that gave them their present wording.
#[derive(Serialize)]
pub struct BlameRunJson {
    text: String,
    entry: EntryRefJson,
}

impl BlameRunJson {
    /// The paragraphs of a blame, each a list of runs.
    pub fn paragraphs(paragraphs: &[Vec<inforce_core::compare::BlameRun<'_>>], today: Date) -> Vec<Vec<Self>> {
        paragraphs
            .iter()
            .map(|p| {
                p.iter().map(|r| Self { text: r.text.clone(), entry: EntryRefJson::new(r.entry, today) }).collect()
            })
            .collect()
    }
}

/// `inforce history`: every event and wording change of one provision.
#[derive(Serialize)]
pub struct ProvisionHistoryJson {
    code: String,
    provision: ProvisionJson,
    events: Vec<HistoryItemJson>,
    text_events: Vec<TextEventJson>,
    has_text: bool,
}

impl ProvisionHistoryJson {
    /// The history of `provision`.
    pub fn new(history: &History, provision: &Provision, today: Date) -> Self {
        Self {
            code: history.register().code.id.to_string(),
            provision: ProvisionJson::from(provision),
            events: history.provision_history(&provision.id).iter().map(|i| HistoryItemJson::new(i, today)).collect(),
            text_events: TextEventJson::all(&history.text_history(&provision.id), today),
            has_text: history.has_text(&provision.id),
        }
    }
}

/// A provision at a point, with its text and history: `/api/v1/{code}/provisions/{id}`.
#[derive(Serialize)]
pub struct ProvisionAnswerJson {
    code: String,
    date: String,
    /// The version the point names, when it names one.
    version: Option<EntryRefJson>,
    /// How far the record of versions reaches at the point.
    record: RecordCoverageJson,
    provision: ProvisionStatusJson,
    text: Option<TextAtJson>,
    events: Vec<HistoryItemJson>,
    text_events: Vec<TextEventJson>,
}

impl ProvisionAnswerJson {
    /// `status` of a provision at `cut`, with its text there and its whole history.
    pub fn new(history: &History, status: &StatusAnswer<'_>, cut: &Cut<'_>, today: Date) -> Self {
        let id = &status.provision.id;
        Self {
            code: history.register().code.id.to_string(),
            date: cut.date.to_string(),
            version: cut.entry.map(|(e, _)| EntryRefJson::new(e, today)),
            record: RecordCoverageJson::at_cut(history, cut),
            provision: ProvisionStatusJson::new(status, today),
            text: history.text_at(id, cut).map(|t| TextAtJson::new(&t, today)),
            events: history.provision_history(id).iter().map(|i| HistoryItemJson::new(i, today)).collect(),
            text_events: TextEventJson::all(&history.text_history(id), today),
        }
    }
}

/// `inforce show`: a provision's status and text at a point, with a note when there is no text.
#[derive(Serialize)]
pub struct ShowJson {
    code: String,
    point: PointJson,
    /// How far the record of versions reaches at the point.
    record: RecordCoverageJson,
    provision: ProvisionStatusJson,
    text: Option<TextAtJson>,
    note: Option<String>,
}

impl ShowJson {
    /// `status` and `text` at `cut`.
    pub fn new(
        history: &History,
        status: &StatusAnswer<'_>,
        cut: &Cut<'_>,
        text: Option<&inforce_core::compare::TextAt<'_>>,
        note: Option<String>,
        today: Date,
    ) -> Self {
        Self {
            code: history.register().code.id.to_string(),
            point: PointJson::new(cut, today),
            record: RecordCoverageJson::at_cut(history, cut),
            provision: ProvisionStatusJson::new(status, today),
            text: text.map(|t| TextAtJson::new(t, today)),
            note,
        }
    }
}

/// `/api/v1/{code}/provisions/{id}/blame`: each paragraph's runs with the entry that gave them their wording.
#[derive(Serialize)]
pub struct BlameAnswerJson {
    code: String,
    provision: String,
    date: String,
    paragraphs: Option<Vec<Vec<BlameRunJson>>>,
}

impl BlameAnswerJson {
    /// The blame of `provision` at `cut` (`None` when it has no text there).
    pub fn new(
        history: &History,
        provision: &ProvisionId,
        cut: &Cut<'_>,
        paragraphs: Option<&[Vec<inforce_core::compare::BlameRun<'_>>]>,
        today: Date,
    ) -> Self {
        Self {
            code: history.register().code.id.to_string(),
            provision: provision.to_string(),
            date: cut.date.to_string(),
            paragraphs: paragraphs.map(|ps| BlameRunJson::paragraphs(ps, today)),
        }
    }
}

/// `inforce blame`: as [`BlameAnswerJson`], with the point's version and a note when there is no text.
#[derive(Serialize)]
pub struct BlameJson {
    code: String,
    provision: String,
    point: PointJson,
    note: Option<String>,
    paragraphs: Option<Vec<Vec<BlameRunJson>>>,
}

impl BlameJson {
    /// The blame of `provision` at `cut`.
    pub fn new(
        history: &History,
        provision: &ProvisionId,
        cut: &Cut<'_>,
        paragraphs: Option<&[Vec<inforce_core::compare::BlameRun<'_>>]>,
        note: Option<String>,
        today: Date,
    ) -> Self {
        Self {
            code: history.register().code.id.to_string(),
            provision: provision.to_string(),
            point: PointJson::new(cut, today),
            note,
            paragraphs: paragraphs.map(|ps| BlameRunJson::paragraphs(ps, today)),
        }
    }
}

/// One code in the database, for `/api/v1/codes`.
#[derive(Serialize)]
pub struct CodeJson {
    id: String,
    title: String,
    has_texts: bool,
}

/// `/api/v1/codes`.
#[derive(Serialize)]
pub struct CodesJson {
    codes: Vec<CodeJson>,
}

impl CodesJson {
    /// The codes whose histories are given.
    pub fn new<'a>(histories: impl IntoIterator<Item = &'a History>) -> Self {
        Self {
            codes: histories
                .into_iter()
                .map(|h| CodeJson {
                    id: h.register().code.id.to_string(),
                    title: h.register().code.title.clone(),
                    has_texts: h.has_texts(),
                })
                .collect(),
        }
    }
}

/// One version or event: `/api/v1/{code}/versions/{id}`.
#[derive(Serialize)]
pub struct VersionJson {
    code: String,
    version: EntryJson,
}

impl VersionJson {
    /// `entry` of the code.
    pub fn new(history: &History, entry: &Entry, today: Date) -> Self {
        Self { code: history.register().code.id.to_string(), version: EntryJson::new(history, entry, today) }
    }
}

/// A list of modification proposals: `inforce mod list` and `/api/v1/{code}/proposals`.
#[derive(Serialize)]
pub struct ProposalsJson {
    code: String,
    /// The name of the code's change process, if it defines one.
    process: Option<String>,
    /// The day the list was limited to proposals pending on, if it was.
    pending_at: Option<String>,
    proposals: Vec<ProposalJson>,
}

impl ProposalsJson {
    /// The chosen proposals, placed in the code's process.
    pub fn new(history: &History, chosen: &[&Proposal], pending_at: Option<Date>, today: Date) -> Self {
        let process = history.register().process.as_ref();
        Self {
            code: history.register().code.id.to_string(),
            process: process.map(|p| p.name.clone()),
            pending_at: pending_at.map(|d| d.to_string()),
            proposals: match process {
                Some(process) => {
                    chosen.iter().map(|p| ProposalJson::new(process, p, today).with_consultations(history)).collect()
                }
                None => Vec::new(),
            },
        }
    }
}

/// Changes announced but not yet tied to a proposal or version, and those since tied: `inforce planned` and
/// `/api/v1/{code}/planned`.
#[derive(Serialize)]
pub struct PlannedListJson {
    code: String,
    planned: Vec<PlannedJson>,
}

impl PlannedListJson {
    /// Every planned change of the code.
    pub fn new(history: &History) -> Self {
        Self {
            code: history.register().code.id.to_string(),
            planned: history.register().planned.iter().map(PlannedJson::new).collect(),
        }
    }
}

/// Documents: `inforce doc list` and `/api/v1/{code}/documents`.
#[derive(Serialize)]
pub struct DocumentsJson {
    code: String,
    documents: Vec<DocumentJson>,
}

impl DocumentsJson {
    /// The given documents of the code.
    pub fn new<'a>(
        history: &History,
        documents: impl IntoIterator<Item = &'a inforce_core::document::Document>,
    ) -> Self {
        Self {
            code: history.register().code.id.to_string(),
            documents: documents.into_iter().map(|d| DocumentJson::new(d).with_corrections(history)).collect(),
        }
    }
}

/// One consultation with the planned changes announced in it: `inforce consultation show`.
#[derive(Serialize)]
pub struct ConsultationShowJson {
    consultation: ConsultationJson,
    planned: Vec<PlannedJson>,
}

impl ConsultationShowJson {
    /// `consultation` on `today`, with the planned changes of `history` that name it.
    pub fn new(history: &History, consultation: &Consultation, today: Date) -> Self {
        Self {
            consultation: ConsultationJson::new(consultation, today).with_corrections(history),
            planned: history.register().announced_in(&consultation.id).map(PlannedJson::new).collect(),
        }
    }
}
