//! The leaf types: versions, statuses, provisions, proposals, search results, documents and comparisons, as
//! the envelopes (`answers.rs`, `reports.rs`) hold them.

use inforce_core::change::{PlannedChange, Process, Proposal};
use inforce_core::compare::{ChangeSort, KnownFrom, ProvisionComparison};
use inforce_core::diff::DiffOptions;
use inforce_core::point::Cut;
use inforce_core::{
    Basis, ChangeKind, ChangeList, Completeness, Consultation, Entry, History, HistoryItem, Provision, ProvisionId,
    Relation, StatusAnswer,
};
use jiff::civil::Date;
use serde::Serialize;

use crate::describe;

/// A version or event.
#[derive(Serialize)]
pub struct EntryJson {
    pub id: String,
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// ISO date, or `YYYY-MM`, `YYYY`, `unknown` as precise as the sources.
    pub effective: String,
    pub made: String,
    pub instrument: &'static str,
    pub planned: bool,
    pub summary: String,
    pub added: ChangeListJson,
    pub amended: ChangeListJson,
    pub removed: ChangeListJson,
    pub activated: ChangeListJson,
    pub deactivated: ChangeListJson,
    /// Wordings its texts record for the first time without the register recording their addition (they may have
    /// stood before, unrecorded); absent when there are none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_recorded: Option<ChangeListJson>,
    pub sources: Vec<String>,
    pub confidence: Option<String>,
    pub notes: Vec<String>,
    /// The consultations that led to it or concern it, by id; absent when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub consultations: Vec<String>,
    /// The corrections of its record that said why, oldest first; absent when there are none (or the record
    /// times were not read).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<CorrectionJson>,
}

/// A correction of a record: when it was recorded (RFC 3339) and why.
#[derive(Serialize)]
pub struct CorrectionJson {
    pub recorded_at: String,
    pub reason: String,
}

impl CorrectionJson {
    /// The corrections of the record `kind` and `key` that `history`'s record times know of.
    pub fn of(history: &History, kind: inforce_core::ledger::RecordKind, key: &str) -> Vec<Self> {
        history
            .record_times()
            .corrections(kind, key)
            .iter()
            .map(|c| Self { recorded_at: c.recorded_at.to_string(), reason: c.reason.clone() })
            .collect()
    }
}

/// The ids of the consultations on the record `reference` names (`Register::consultations_on`).
fn consultations_on(register: &inforce_core::Register, reference: &inforce_core::document::Attachment) -> Vec<String> {
    register.consultations_on(reference).map(|c| c.id.clone()).collect()
}

/// One change list and how complete it is.
#[derive(Serialize)]
pub struct ChangeListJson {
    pub provisions: Vec<String>,
    /// `complete`, `partial` (the sources name only some) or `unlisted` (some, not named).
    pub completeness: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// `register` (the register's sources) or `texts` (what the entry's recorded texts show it changed).
    pub source: &'static str,
}

impl ChangeListJson {
    fn new((list, source): (ChangeList, crate::describe::ListSource)) -> Self {
        Self {
            provisions: list.listed.iter().map(ToString::to_string).collect(),
            completeness: match list.completeness {
                Completeness::Complete => "complete",
                Completeness::Partial => "partial",
                Completeness::Unlisted => "unlisted",
            },
            note: list.note.clone(),
            source: source.as_str(),
        }
    }
}

impl EntryJson {
    /// The entry, its change lists as every face shows them ([`crate::describe::shown_lists`]).
    pub fn new(history: &History, entry: &Entry, today: Date) -> Self {
        let shown = crate::describe::shown_lists(history, entry);
        let list = |kind| ChangeListJson::new(shown.of(kind).clone());
        Self {
            id: entry.id.to_string(),
            kind: entry.kind.as_str(),
            title: entry.title.clone(),
            effective: entry.effective.to_string(),
            made: entry.made.to_string(),
            instrument: entry.instrument.as_str(),
            planned: History::is_planned(entry, today),
            summary: entry.summary.clone(),
            added: list(ChangeKind::Added),
            amended: list(ChangeKind::Amended),
            removed: list(ChangeKind::Removed),
            activated: list(ChangeKind::Activated),
            deactivated: list(ChangeKind::Deactivated),
            first_recorded: shown
                .first_recorded
                .clone()
                .map(|l| ChangeListJson::new((l, crate::describe::ListSource::Texts))),
            sources: entry.sources.clone(),
            confidence: entry.confidence.clone(),
            notes: entry.notes.clone(),
            consultations: consultations_on(
                history.register(),
                &inforce_core::document::Attachment::Version(entry.id.clone()),
            ),
            corrections: CorrectionJson::of(history, inforce_core::ledger::RecordKind::Entry, entry.id.as_str()),
        }
    }
}

/// A short reference to an entry inside another answer.
#[derive(Serialize)]
pub struct EntryRefJson {
    pub id: String,
    pub kind: &'static str,
    pub effective: String,
    pub instrument: &'static str,
    pub planned: bool,
}

impl EntryRefJson {
    pub fn new(entry: &Entry, today: Date) -> Self {
        Self {
            id: entry.id.to_string(),
            kind: entry.kind.as_str(),
            effective: entry.effective.to_string(),
            instrument: entry.instrument.as_str(),
            planned: History::is_planned(entry, today),
        }
    }
}

/// The fact a status rests on.
#[derive(Serialize)]
pub struct BasisJson {
    /// `change`, `initially`, `commencement`, `first_version_incomplete` (no addition on record, the first
    /// version's list of additions incomplete or the first version a baseline, nothing showing it in the text
    /// yet), `before_code`, `before_record` (before a baseline: what stood then is not recorded), `baseline` (held
    /// by the baseline version, the earliest text recorded), `added_later`, `addition_unknown`, `evidence`,
    /// `undated` (a change by an entry of unknown date that may already have happened), `default`.
    pub basis: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry: Option<EntryRefJson>,
    /// What the entry did (`added`, `activated`, …), for `change`, `evidence` and `undated`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<&'static str>,
    /// The provision the fact names: this one or one above (or, for evidence, below) it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provision: Option<String>,
}

impl BasisJson {
    pub fn new(basis: &Basis<'_>, today: Date) -> Self {
        let (name, change, provision) = match basis {
            Basis::Change { kind, provision, .. } => ("change", Some(kind.as_str()), Some(provision.to_string())),
            Basis::Evidence { kind, provision, .. } => {
                ("evidence", kind.map(|k| k.as_str()), Some(provision.to_string()))
            }
            Basis::Undated { kind, provision, .. } => ("undated", Some(kind.as_str()), Some(provision.to_string())),
            Basis::Initially { provision } => ("initially", None, Some(provision.to_string())),
            Basis::AdditionUnknown { provision } => ("addition_unknown", None, Some(provision.to_string())),
            Basis::Commencement { .. } => ("commencement", None, None),
            Basis::FirstVersionIncomplete { provision, .. } => {
                ("first_version_incomplete", None, Some(provision.to_string()))
            }
            Basis::BeforeCode { .. } => ("before_code", None, None),
            Basis::BeforeRecord { .. } => ("before_record", None, None),
            Basis::Baseline { provision, .. } => ("baseline", None, Some(provision.to_string())),
            Basis::AddedLater { .. } => ("added_later", None, None),
            Basis::Default => ("default", None, None),
        };
        Self { basis: name, entry: basis.entry().map(|e| EntryRefJson::new(e, today)), change, provision }
    }
}

/// A provision with its status on a date and the reasons.
#[derive(Serialize)]
pub struct ProvisionStatusJson {
    pub id: String,
    pub kind: &'static str,
    pub parent: Option<String>,
    pub title: Option<String>,
    /// `in_force`, `inactive`, `not_yet_added`, `removed` or `unknown`.
    pub status: &'static str,
    /// Whether it was in force: `true`, `false` (also for an unknown presence under a provision that was not in
    /// force), or `null` when unknown.
    pub in_force: Option<bool>,
    /// The reasons in one sentence.
    pub reason: String,
    pub existence: BasisJson,
    pub activity: Option<BasisJson>,
}

impl ProvisionStatusJson {
    pub fn new(answer: &StatusAnswer<'_>, today: Date) -> Self {
        let provision = answer.provision;
        Self {
            id: provision.id.to_string(),
            kind: provision.kind.as_str(),
            parent: provision.parent.as_ref().map(ToString::to_string),
            title: provision.title.clone(),
            status: answer.status.as_str(),
            in_force: answer.in_force,
            reason: describe::status_reason(answer, today),
            existence: BasisJson::new(&answer.existence, today),
            activity: answer.activity.as_ref().map(|b| BasisJson::new(b, today)),
        }
    }
}

/// A provision's identity.
#[derive(Serialize)]
pub struct ProvisionJson {
    pub id: String,
    pub kind: &'static str,
    pub parent: Option<String>,
    pub title: Option<String>,
    pub addition_unknown: bool,
    pub present_by: Option<String>,
    pub initially: Option<&'static str>,
    pub sources: Vec<String>,
    pub confidence: Option<String>,
    pub note: Option<String>,
}

impl From<&Provision> for ProvisionJson {
    fn from(p: &Provision) -> Self {
        Self {
            id: p.id.to_string(),
            kind: p.kind.as_str(),
            parent: p.parent.as_ref().map(ToString::to_string),
            title: p.title.clone(),
            addition_unknown: p.addition_unknown,
            present_by: p.present_by.as_ref().map(ToString::to_string),
            initially: p.initially.map(|a| a.as_str()),
            sources: p.sources.clone(),
            confidence: p.confidence.clone(),
            note: p.note.clone(),
        }
    }
}

/// One entry in a provision's history.
#[derive(Serialize)]
pub struct HistoryItemJson {
    pub entry: EntryRefJson,
    pub summary: String,
    /// What the entry did: `added`, `amended`, `removed`, `activated`, `deactivated`.
    pub change: &'static str,
    /// `direct`, `ancestor`, `descendant`, or `unlisted` (the entry did not list what it changed).
    pub relation: &'static str,
    /// The provision the entry named, when it was not this one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
}

impl HistoryItemJson {
    pub fn new(item: &HistoryItem<'_>, today: Date) -> Self {
        let (relation, via) = match item.relation {
            Relation::Direct => ("direct", None),
            Relation::Ancestor(id) => ("ancestor", Some(id.to_string())),
            Relation::Descendant(id) => ("descendant", Some(id.to_string())),
            Relation::Unlisted => ("unlisted", None),
        };
        Self {
            entry: EntryRefJson::new(item.entry, today),
            summary: item.entry.summary.clone(),
            change: item.kind.as_str(),
            relation,
            via,
        }
    }
}

/// A consultation, with whether it is open today.
#[derive(Serialize)]
pub struct ConsultationJson {
    pub id: String,
    pub title: String,
    pub published: String,
    pub closes: String,
    /// `open`, `closed`, `upcoming` or `unknown`.
    pub state: &'static str,
    pub topics: Vec<String>,
    /// The versions that followed from it.
    pub led_to: Vec<String>,
    /// The proposals, versions and provisions it concerns (`proposal:MP084`).
    pub concerns: Vec<String>,
    /// The corrections of its record that said why, oldest first; absent when there are none (or not looked up).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<CorrectionJson>,
    /// The responses published to it, each in a line.
    pub responses: Vec<String>,
    pub sources: Vec<String>,
    pub confidence: Option<String>,
    pub notes: Vec<String>,
}

impl ConsultationJson {
    /// With the corrections of its record that said why.
    pub fn with_corrections(mut self, history: &History) -> Self {
        self.corrections = CorrectionJson::of(history, inforce_core::ledger::RecordKind::Consultation, &self.id);
        self
    }

    pub fn new(c: &Consultation, today: Date) -> Self {
        Self {
            id: c.id.clone(),
            title: c.title.clone(),
            published: c.published.to_string(),
            closes: c.closes.to_string(),
            state: c.state_on(today).as_str(),
            topics: c.topics.clone(),
            led_to: c.led_to.iter().map(ToString::to_string).collect(),
            concerns: c.concerns.iter().map(ToString::to_string).collect(),
            corrections: Vec::new(),
            responses: c.responses.clone(),
            sources: c.sources.clone(),
            confidence: c.confidence.clone(),
            notes: c.notes.clone(),
        }
    }
}

/// A stage of a change process, as named by it.
#[derive(Serialize)]
pub struct StageJson {
    pub id: String,
    pub label: String,
    /// `open`, `approved` or `closed`.
    pub state: &'static str,
}

impl StageJson {
    fn new(process: &Process, id: &str) -> Self {
        match process.stage(id) {
            Some(stage) => Self { id: id.to_string(), label: stage.label.clone(), state: stage.state.as_str() },
            None => Self { id: id.to_string(), label: id.to_string(), state: "open" },
        }
    }
}

/// A stage a proposal reached.
#[derive(Serialize)]
pub struct StageChangeJson {
    #[serde(flatten)]
    pub stage: StageJson,
    pub date: String,
    /// Not reached by the day asked about: dated after it (recorded ahead of time), or undated and before such
    /// a stage.
    pub scheduled: bool,
    pub decided_by: Option<String>,
    pub version: Option<String>,
    pub note: Option<String>,
}

/// An id with its label (a path or a flag).
#[derive(Serialize)]
pub struct NamedJson {
    pub id: String,
    pub label: String,
}

/// A decision on a proposal.
#[derive(Serialize)]
pub struct DecisionJson {
    pub outcome: String,
    pub body: Option<String>,
    pub date: String,
}

/// A modification proposal, where it stands and its whole timeline.
#[derive(Serialize)]
pub struct ProposalJson {
    pub reference: String,
    pub title: String,
    pub proposer: Option<String>,
    pub lead_analyst: Option<String>,
    pub raised: String,
    pub path: Option<NamedJson>,
    pub flags: Vec<NamedJson>,
    pub affects: Vec<String>,
    pub issue: Option<String>,
    pub solution: Option<String>,
    pub target_release: Option<String>,
    pub alternative_to: Option<String>,
    /// Where it stands on the day asked about (today by default); later stages are scheduled. `null` before it was
    /// raised.
    pub stage: Option<StageJson>,
    /// Whether it was raised after the day asked about: recorded ahead of time, every stage still to come.
    pub scheduled: bool,
    /// Whether it is still a change on its way that day.
    pub pending: bool,
    pub decision: Option<DecisionJson>,
    pub implemented_by: Option<String>,
    /// The stages it may move to next.
    pub next: Vec<String>,
    pub history: Vec<StageChangeJson>,
    pub sources: Vec<String>,
    pub confidence: Option<String>,
    pub notes: Vec<String>,
    /// The consultations that concern it, by id; absent when there are none (or not looked up).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub consultations: Vec<String>,
    /// The corrections of its record that said why, oldest first; absent when there are none (or not looked up).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<CorrectionJson>,
}

impl ProposalJson {
    /// With the consultations of `history` that concern it, and the corrections of its record that said why.
    pub fn with_consultations(mut self, history: &History) -> Self {
        let reference = inforce_core::document::Attachment::Proposal(self.reference.clone());
        self.consultations = consultations_on(history.register(), &reference);
        self.corrections = CorrectionJson::of(history, inforce_core::ledger::RecordKind::Proposal, &self.reference);
        self
    }

    /// The proposal as it stood at the end of `on` (today by default): its stage, decision and next moves then;
    /// its whole history, each stage marked `scheduled` when dated after `on`.
    pub fn new(process: &Process, full: &Proposal, on: Date) -> Self {
        let reached = full.as_on(on);
        let p = &reached;
        let named = |id: &String, list: &[inforce_core::change::Named]| NamedJson {
            id: id.clone(),
            label: list.iter().find(|n| &n.id == id).map_or_else(|| id.clone(), |n| n.label.clone()),
        };
        Self {
            reference: p.reference.clone(),
            title: p.title.clone(),
            proposer: p.proposer.clone(),
            lead_analyst: p.lead_analyst.clone(),
            raised: p.raised.to_string(),
            path: p.path.as_ref().map(|id| named(id, &process.paths)),
            flags: p.flags.iter().map(|id| named(id, &process.flags)).collect(),
            affects: p.affects.iter().map(ToString::to_string).collect(),
            issue: p.issue.clone(),
            solution: p.solution.clone(),
            target_release: p.target_release.clone(),
            alternative_to: p.alternative_to.clone(),
            stage: p.current().map(|c| StageJson::new(process, &c.stage)),
            scheduled: p.stages.is_empty() && !full.stages.is_empty(),
            pending: p.pending_on(process, on),
            decision: p.decision(process).map(|d| DecisionJson {
                outcome: d.outcome.to_string(),
                body: d.body.map(ToString::to_string),
                date: d.date.to_string(),
            }),
            implemented_by: p.implemented_by().map(ToString::to_string),
            next: p
                .current()
                .map(|c| process.moves_from(&c.stage, p).into_iter().map(|m| m.to.clone()).collect())
                .unwrap_or_default(),
            history: full
                .stages
                .iter()
                .enumerate()
                .map(|(i, s)| StageChangeJson {
                    stage: StageJson::new(process, &s.stage),
                    date: s.date.to_string(),
                    scheduled: i >= reached.stages.len(),
                    decided_by: s.decided_by.clone(),
                    version: s.version.as_ref().map(ToString::to_string),
                    note: s.note.clone(),
                })
                .collect(),
            sources: p.sources.clone(),
            confidence: p.confidence.clone(),
            notes: p.notes.clone(),
            consultations: Vec::new(),
            corrections: Vec::new(),
        }
    }
}

/// A planned change.
#[derive(Serialize)]
pub struct PlannedJson {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub announced: String,
    pub expected: String,
    pub consultation: Option<String>,
    pub affects: Vec<String>,
    pub proposal: Option<String>,
    pub version: Option<String>,
    pub sources: Vec<String>,
    pub confidence: Option<String>,
}

impl PlannedJson {
    pub fn new(p: &PlannedChange) -> Self {
        Self {
            id: p.id.clone(),
            title: p.title.clone(),
            description: p.description.clone(),
            announced: p.announced.to_string(),
            expected: p.expected.to_string(),
            consultation: p.consultation.clone(),
            affects: p.affects.iter().map(ToString::to_string).collect(),
            proposal: p.proposal.clone(),
            version: p.version.as_ref().map(ToString::to_string),
            sources: p.sources.clone(),
            confidence: p.confidence.clone(),
        }
    }
}

/// What a search asked for, echoed in its answer.
pub struct SearchAsked<'a> {
    /// The query as given.
    pub query: &'a str,
    /// `at` (a date or version) or `all_versions`.
    pub scope: &'a str,
    /// The date searched at, when the scope is `at`.
    pub date: Option<Date>,
    /// The version searched at, if one was named.
    pub version: Option<String>,
    /// The provision the search was limited to.
    pub within: Option<String>,
    /// 1-based page.
    pub page: usize,
    /// Results per page.
    pub per_page: usize,
}

/// The words of a search result: (text, whether it is a match) runs, for highlighting.
#[derive(Serialize)]
pub struct SnippetRun {
    pub text: String,
    #[serde(rename = "match")]
    pub matched: bool,
}

/// A search's answer: the provisions found, grouped, ranked and paginated, each matching wording with the periods
/// in which it was in force and a highlighted snippet. `inforce search` and `/api/v1/search` give it alike.
#[derive(Serialize)]
pub struct SearchJson<'a> {
    code: String,
    query: &'a str,
    /// `at` or `all_versions`.
    scope: &'a str,
    date: Option<String>,
    version: Option<String>,
    within: Option<String>,
    /// Provisions found in all.
    total: usize,
    page: usize,
    per_page: usize,
    pages: usize,
    /// Said when the date searched is before the register's record begins (it holds no text then).
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    results: Vec<SearchResultJson<'a>>,
}

/// One provision found.
#[derive(Serialize)]
struct SearchResultJson<'a> {
    provision: String,
    title: Option<&'a str>,
    heading: String,
    heading_match: bool,
    /// Relevance, to three decimals.
    score: f64,
    wordings: Vec<WordingJson>,
}

/// One matching wording of a provision found.
#[derive(Serialize)]
struct WordingJson {
    /// `text` or `title`.
    kind: &'static str,
    hash: String,
    heading_match: bool,
    periods: Vec<PeriodJson>,
    snippet: Vec<SnippetRun>,
}

/// A period in which a wording was in force: from an entry, until another (or still).
#[derive(Serialize)]
struct PeriodJson {
    from: EntryRefJson,
    until: Option<EntryRefJson>,
}

impl<'a> SearchJson<'a> {
    /// The page `asked` names of `hits`, best first.
    pub fn new(
        history: &History,
        hits: &'a [inforce_core::search::ProvisionHit<'a>],
        asked: &'a SearchAsked<'a>,
        today: Date,
    ) -> Self {
        let start = (asked.page - 1) * asked.per_page;
        let results = hits
            .iter()
            .skip(start)
            .take(asked.per_page)
            .map(|hit| SearchResultJson {
                provision: hit.provision.id.to_string(),
                title: hit.provision.title.as_deref(),
                heading: hit.heading().to_string(),
                heading_match: hit.heading_match,
                score: (f64::from(hit.score) * 1000.0).round() / 1000.0,
                wordings: hit
                    .wordings
                    .iter()
                    .map(|w| WordingJson {
                        kind: w.kind.as_str(),
                        hash: w.hash.to_string(),
                        heading_match: w.heading_match,
                        periods: w
                            .periods
                            .iter()
                            .map(|p| PeriodJson {
                                from: EntryRefJson::new(p.from, today),
                                until: p.until.map(|e| EntryRefJson::new(e, today)),
                            })
                            .collect(),
                        snippet: inforce_core::search::snippet(&w.text, &w.matches(), 240)
                            .into_iter()
                            .map(|(text, matched)| SnippetRun { text, matched })
                            .collect(),
                    })
                    .collect(),
            })
            .collect();
        Self {
            code: history.register().code.id.to_string(),
            query: asked.query,
            scope: asked.scope,
            date: asked.date.map(|d| d.to_string()),
            version: asked.version.clone(),
            within: asked.within.clone(),
            total: hits.len(),
            page: asked.page,
            per_page: asked.per_page,
            pages: hits.len().div_ceil(asked.per_page).max(1),
            note: asked.date.and_then(|d| crate::describe::before_record(history, d, today)),
            results,
        }
    }
}

/// A document's description; its file is at `/documents/{id}/{file_name}`.
#[derive(Serialize)]
pub struct DocumentJson {
    pub id: String,
    pub title: String,
    pub kind: Option<String>,
    pub date: String,
    pub file_name: String,
    pub media_type: String,
    pub sha256: String,
    pub size: u64,
    pub attached_to: Vec<String>,
    pub sources: Vec<String>,
    /// The corrections of its record that said why, oldest first; absent when there are none (or not looked up).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<CorrectionJson>,
}

impl DocumentJson {
    /// With the corrections of its record that said why (a document taken off a record, say).
    pub fn with_corrections(mut self, history: &History) -> Self {
        self.corrections = CorrectionJson::of(history, inforce_core::ledger::RecordKind::Document, &self.id);
        self
    }

    pub fn new(d: &inforce_core::document::Document) -> Self {
        Self {
            id: d.id.clone(),
            title: d.title.clone(),
            kind: d.kind.clone(),
            date: d.date.to_string(),
            file_name: d.file_name.clone(),
            media_type: d.media_type.clone(),
            sha256: d.sha256.clone(),
            size: d.size,
            attached_to: d.attached_to.iter().map(ToString::to_string).collect(),
            sources: d.sources.clone(),
            corrections: Vec::new(),
        }
    }
}

/// A point of a comparison or a text question: its date, and its version when it is one.
#[derive(Serialize)]
pub struct PointJson {
    date: String,
    version: Option<EntryRefJson>,
}

impl PointJson {
    pub fn new(cut: &Cut<'_>, today: Date) -> Self {
        Self { date: cut.date.to_string(), version: cut.entry.map(|(e, _)| EntryRefJson::new(e, today)) }
    }
}

/// What a comparison found, as the CLI (`diff --format json`) and the API (`/compare/A...B`) both give it.
pub struct ComparisonParts<'a> {
    /// The code's history the comparison was made in.
    pub history: &'a History,
    /// The code.
    pub code: &'a str,
    /// The two points.
    pub points: (&'a Cut<'a>, &'a Cut<'a>),
    /// The provision the comparison was limited to.
    pub within: Option<&'a ProvisionId>,
    /// How texts were compared.
    pub options: DiffOptions,
    /// A remark for the reader (such as "no text is recorded").
    pub note: Option<&'a str>,
    /// The versions and events in between.
    pub between: &'a [&'a Entry],
    /// The provisions that differ.
    pub changes: &'a [ProvisionComparison<'a>],
    /// What the stretch between the points crosses that the record of versions does not cover.
    pub record: &'a StretchRecordJson,
}

/// The comparison's JSON: points, summary, and each provision with its edit operations. Typed rather than built
/// as a `serde_json::Value`: a whole-code comparison holds tens of thousands of edits.
pub fn comparison_json<'a>(parts: &'a ComparisonParts<'a>, today: Date) -> ComparisonJson<'a> {
    let count = |sort| parts.changes.iter().filter(|c| c.sort == sort).count();
    ComparisonJson {
        code: parts.code,
        a: PointJson::new(parts.points.0, today),
        b: PointJson::new(parts.points.1, today),
        provision: parts.within.map(ToString::to_string),
        ignore_formatting: parts.options.ignore_formatting,
        note: parts.note,
        record: parts.record,
        entries_between: parts.between.iter().map(|e| EntryJson::new(parts.history, e, today)).collect(),
        summary: SummaryJson {
            added: count(ChangeSort::Added),
            removed: count(ChangeSort::Removed),
            changed: count(ChangeSort::Changed),
            status_changed: count(ChangeSort::StatusChanged),
            in_between: count(ChangeSort::InBetween),
            known_from_text: parts.changes.iter().filter(|c| c.known_from == KnownFrom::Text).count(),
            known_from_register: parts.changes.iter().filter(|c| c.known_from == KnownFrom::Register).count(),
        },
        provisions: parts
            .changes
            .iter()
            .map(|c| ProvisionChangeJson {
                id: c.provision.id.as_str(),
                title: c.provision.title.as_deref(),
                change: c.sort.as_str(),
                kinds: c.kinds.iter().map(|k| k.as_str()).collect(),
                known_from: c.known_from.as_str(),
                status: StatusPairJson { a: c.status.0.as_str(), b: c.status.1.as_str() },
                responsible: c.responsible.iter().map(|e| EntryRefJson::new(e, today)).collect(),
                edits: c.edits.iter().map(|e| EditJson { op: e.op.as_str(), text: &e.text }).collect(),
            })
            .collect(),
    }
}

/// A comparison, as [`comparison_json`] gives it.
#[derive(Serialize)]
pub struct ComparisonJson<'a> {
    code: &'a str,
    a: PointJson,
    b: PointJson,
    provision: Option<String>,
    ignore_formatting: bool,
    note: Option<&'a str>,
    record: &'a StretchRecordJson,
    entries_between: Vec<EntryJson>,
    summary: SummaryJson,
    provisions: Vec<ProvisionChangeJson<'a>>,
}

/// The first four count what differs between the two points; `in_between` those that changed and changed back
/// between them, counted apart.
#[derive(Serialize)]
struct SummaryJson {
    added: usize,
    removed: usize,
    changed: usize,
    status_changed: usize,
    in_between: usize,
    /// Of those, how many were found by comparing wordings, and how many only from the register (a change list
    /// naming it, or its status).
    known_from_text: usize,
    known_from_register: usize,
}

#[derive(Serialize)]
struct ProvisionChangeJson<'a> {
    id: &'a str,
    title: Option<&'a str>,
    /// `added`, `removed`, `changed`, `status_changed` (what differs between the points), or `in_between` (the
    /// same at both, but changed and changed back between them).
    change: &'static str,
    /// Every kind of change between the points: `added`, `amended`, `removed`, `activated`, `deactivated`.
    kinds: Vec<&'static str>,
    /// `text` when the wording was compared, `register` when only a change list (or its status) says so.
    known_from: &'static str,
    status: StatusPairJson,
    responsible: Vec<EntryRefJson>,
    edits: Vec<EditJson<'a>>,
}

#[derive(Serialize)]
struct StatusPairJson {
    a: &'static str,
    b: &'static str,
}

#[derive(Serialize)]
struct EditJson<'a> {
    op: &'static str,
    text: &'a str,
}

/// How far the register's record of versions reaches on the day an answer is about: the top-level `record`
/// object of every answer about a date.
#[derive(Serialize)]
pub struct RecordCoverageJson {
    /// The last day (`YYYY-MM-DD`) the register's list of versions is complete up to, apart from its gaps;
    /// `null` when unknown.
    pub complete_until: Option<String>,
    /// `declared` (the register says so: `versions_complete_until`) or `publication` (the day of the code's
    /// latest publication, when it was brought up to date); `null` when `complete_until` is.
    pub complete_until_source: Option<&'static str>,
    /// The recorded gap the day falls in.
    pub gap: Option<GapJson>,
    /// True when a version not recorded here may have taken effect by the day (inside a gap, or after
    /// `complete_until`): the version and statuses given are those of the versions recorded.
    pub unrecorded_versions_possible: bool,
    /// Why, in a sentence; `null` when `unrecorded_versions_possible` is false.
    pub reason: Option<String>,
    /// The record time (RFC 3339) the register was read as of (`?as_recorded=`, `--as-recorded`): later
    /// publications and corrections are not in the answer. Absent for the register as it stands.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_recorded: Option<String>,
}

impl RecordCoverageJson {
    /// The record's reach on `date`.
    pub fn new(history: &History, date: Date) -> Self {
        Self::of(history, &history.coverage(date))
    }

    /// The record's reach at a point ([`History::coverage_at`]).
    pub fn at_cut(history: &History, cut: &Cut<'_>) -> Self {
        Self::of(history, &history.coverage_at(cut))
    }

    fn of(history: &History, coverage: &inforce_core::coverage::Coverage<'_>) -> Self {
        Self {
            complete_until: coverage.complete_until.map(|c| c.date.to_string()),
            complete_until_source: coverage.complete_until.map(|c| if c.declared { "declared" } else { "publication" }),
            gap: coverage.gap.map(GapJson::new),
            unrecorded_versions_possible: coverage.unrecorded_versions_possible,
            reason: crate::describe::coverage_reason(history, coverage),
            as_recorded: history.as_recorded().map(|t| t.to_string()),
        }
    }
}

/// What a stretch of time (a comparison, a timeline) crosses that the register's record of versions does not
/// cover: the top-level `record` object of such answers.
#[derive(Serialize, Clone)]
pub struct StretchRecordJson {
    /// The last day (`YYYY-MM-DD`) the register's list of versions is complete up to, apart from its gaps;
    /// `null` when unknown.
    pub complete_until: Option<String>,
    /// The recorded gaps with a day in the stretch, in register order: not every change in them is recorded.
    pub gaps: Vec<GapJson>,
    /// True when the stretch runs past `complete_until`: a later version may not be recorded here.
    pub runs_past_end: bool,
    /// What both mean, in a sentence; `null` when the stretch crosses no gap and stays within the record.
    pub note: Option<String>,
    /// The record time (RFC 3339) the register was read as of (`?as_recorded=`, `--as-recorded`): later
    /// publications and corrections are not in the answer. Absent for the register as it stands.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_recorded: Option<String>,
}

impl StretchRecordJson {
    /// The record's reach over `[from, to]` (either order).
    pub fn new(history: &History, from: Date, to: Date) -> Self {
        let (from, to) = if from <= to { (from, to) } else { (to, from) };
        let (gaps, runs_past_end) = history.gaps_between(from, to);
        Self {
            complete_until: history.complete_until().map(|c| c.date.to_string()),
            gaps: gaps.into_iter().map(GapJson::new).collect(),
            runs_past_end,
            note: crate::describe::stretch_coverage(history, from, to),
            as_recorded: history.as_recorded().map(|t| t.to_string()),
        }
    }
}

/// A stretch between two recorded versions where versions are missing.
#[derive(Serialize, Clone)]
pub struct GapJson {
    /// The version it follows.
    pub after: String,
    /// The version that ends it.
    pub before: String,
    /// What is known of what is missing.
    pub note: String,
}

impl GapJson {
    /// The wire form of `gap`.
    pub fn new(gap: &inforce_core::Gap) -> Self {
        Self { after: gap.after.to_string(), before: gap.before.to_string(), note: gap.note.clone() }
    }
}
