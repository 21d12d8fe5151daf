//! The JSON shapes of every answer, shared by the command line (`--format json`) and the API: leaf types, then
//! one envelope per answer. Converted from core types; the core knows no wire format.

use inforce_core::change::{PlannedChange, Process, Proposal};
use inforce_core::compare::{ChangeSort, KnownFrom, ProvisionComparison};
use inforce_core::diff::DiffOptions;
use inforce_core::point::Cut;
use inforce_core::{
    Basis, ChangeList, Completeness, Consultation, Entry, History, HistoryItem, Provision, ProvisionId, Relation,
    StatusAnswer,
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
    pub sources: Vec<String>,
    pub confidence: Option<String>,
    pub notes: Vec<String>,
}

/// One change list and how complete it is.
#[derive(Serialize)]
pub struct ChangeListJson {
    pub provisions: Vec<String>,
    /// `complete`, `partial` (the sources name only some) or `unlisted` (some, not named).
    pub completeness: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl From<&ChangeList> for ChangeListJson {
    fn from(list: &ChangeList) -> Self {
        Self {
            provisions: list.listed.iter().map(ToString::to_string).collect(),
            completeness: match list.completeness {
                Completeness::Complete => "complete",
                Completeness::Partial => "partial",
                Completeness::Unlisted => "unlisted",
            },
            note: list.note.clone(),
        }
    }
}

impl EntryJson {
    pub fn new(entry: &Entry, today: Date) -> Self {
        Self {
            id: entry.id.to_string(),
            kind: entry.kind.as_str(),
            title: entry.title.clone(),
            effective: entry.effective.to_string(),
            made: entry.made.to_string(),
            instrument: entry.instrument.as_str(),
            planned: History::is_planned(entry, today),
            summary: entry.summary.clone(),
            added: (&entry.added).into(),
            amended: (&entry.amended).into(),
            removed: (&entry.removed).into(),
            activated: (&entry.activated).into(),
            deactivated: (&entry.deactivated).into(),
            sources: entry.sources.clone(),
            confidence: entry.confidence.clone(),
            notes: entry.notes.clone(),
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
    /// version's list of additions incomplete, nothing showing it in the text yet), `before_code`, `added_later`, `addition_unknown`, `evidence`,
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
    /// The responses published to it, each in a line.
    pub responses: Vec<String>,
    pub sources: Vec<String>,
    pub confidence: Option<String>,
    pub notes: Vec<String>,
}

impl ConsultationJson {
    pub fn new(c: &Consultation, today: Date) -> Self {
        Self {
            id: c.id.clone(),
            title: c.title.clone(),
            published: c.published.to_string(),
            closes: c.closes.to_string(),
            state: c.state_on(today).as_str(),
            topics: c.topics.clone(),
            led_to: c.led_to.iter().map(ToString::to_string).collect(),
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
    /// Where it stands on the day asked about (today by default); later stages are scheduled.
    pub stage: Option<StageJson>,
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
}

impl ProposalJson {
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
}

impl DocumentJson {
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
        entries_between: parts.between.iter().map(|e| EntryJson::new(e, today)).collect(),
        summary: SummaryJson {
            added: count(ChangeSort::Added),
            removed: count(ChangeSort::Removed),
            changed: count(ChangeSort::Changed),
            status_changed: count(ChangeSort::StatusChanged),
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
    entries_between: Vec<EntryJson>,
    summary: SummaryJson,
    provisions: Vec<ProvisionChangeJson<'a>>,
}

#[derive(Serialize)]
struct SummaryJson {
    added: usize,
    removed: usize,
    changed: usize,
    status_changed: usize,
    /// Of those, how many were found by comparing wordings, and how many only from the register (a change list
    /// naming it, or its status).
    known_from_text: usize,
    known_from_register: usize,
}

#[derive(Serialize)]
struct ProvisionChangeJson<'a> {
    id: &'a str,
    title: Option<&'a str>,
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

// ---------------------------------------------------------------------------------------------------------------
// Envelopes: one type per answer, built the same way by the command line and the API.

/// The version table: `inforce versions` and `/api/v1/{code}/versions`.
#[derive(Serialize)]
pub struct VersionsJson {
    code: String,
    today: String,
    /// The version in force today, if any.
    in_force_today: Option<String>,
    versions: Vec<EntryJson>,
}

impl VersionsJson {
    /// Every version of the code, with the one in force on `today`.
    pub fn new(history: &History, today: Date) -> Self {
        Self {
            code: history.register().code.id.to_string(),
            today: today.to_string(),
            in_force_today: history.in_force(today).version.map(|v| v.id.to_string()),
            versions: history.versions().iter().map(|v| EntryJson::new(v, today)).collect(),
        }
    }
}

/// Every provision's status on a date: `inforce at` and `/api/v1/{code}/at/{date}`.
#[derive(Serialize)]
pub struct AtJson {
    code: String,
    date: String,
    /// The version in force on the date.
    version: Option<EntryJson>,
    /// Versions with imprecise dates that may already have taken effect.
    possibly_later_versions: Vec<EntryRefJson>,
    /// True when the date lies after today.
    planned: bool,
    provisions: Vec<ProvisionStatusJson>,
}

impl AtJson {
    /// The code as it stood on `date`, seen from `today`.
    pub fn new(history: &History, date: Date, today: Date) -> Self {
        let in_force = history.in_force(date);
        Self {
            code: history.register().code.id.to_string(),
            date: date.to_string(),
            version: in_force.version.map(|v| EntryJson::new(v, today)),
            possibly_later_versions: in_force.possibly_later.iter().map(|v| EntryRefJson::new(v, today)).collect(),
            planned: date > today,
            provisions: history.statuses(date).iter().map(|s| ProvisionStatusJson::new(s, today)).collect(),
        }
    }
}

/// Versions and events in date order: `/api/v1/{code}/timeline` and `/variations`.
#[derive(Serialize)]
pub struct EntriesJson {
    code: String,
    entries: Vec<EntryJson>,
}

impl EntriesJson {
    /// The given entries of the code.
    pub fn new(history: &History, entries: &[&Entry], today: Date) -> Self {
        Self {
            code: history.register().code.id.to_string(),
            entries: entries.iter().map(|e| EntryJson::new(e, today)).collect(),
        }
    }
}

/// `inforce timeline --from --to`: the entries between two optional dates.
#[derive(Serialize)]
pub struct TimelineJson {
    code: String,
    from: Option<String>,
    to: Option<String>,
    entries: Vec<EntryJson>,
}

impl TimelineJson {
    /// The entries taking effect in `[from, to]`.
    pub fn new(history: &History, from: Option<Date>, to: Option<Date>, today: Date) -> Self {
        Self {
            code: history.register().code.id.to_string(),
            from: from.map(|d| d.to_string()),
            to: to.map(|d| d.to_string()),
            entries: history.timeline(from, to).iter().map(|e| EntryJson::new(e, today)).collect(),
        }
    }
}

/// `inforce status`: one provision's status on a date.
#[derive(Serialize)]
pub struct StatusJson {
    code: String,
    date: String,
    /// The version in force on the date.
    version: Option<String>,
    provision: ProvisionStatusJson,
}

impl StatusJson {
    /// The status `answer` on `date`.
    pub fn new(history: &History, answer: &StatusAnswer<'_>, date: Date, today: Date) -> Self {
        Self {
            code: history.register().code.id.to_string(),
            date: date.to_string(),
            version: history.in_force(date).version.map(|v| v.id.to_string()),
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
        Self { code: history.register().code.id.to_string(), version: EntryJson::new(entry, today) }
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
                Some(process) => chosen.iter().map(|p| ProposalJson::new(process, p, today)).collect(),
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
            documents: documents.into_iter().map(DocumentJson::new).collect(),
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
            consultation: ConsultationJson::new(consultation, today),
            planned: history.register().announced_in(&consultation.id).map(PlannedJson::new).collect(),
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// What the command line's writes and housekeeping answer.

/// `inforce codes`: the codes in the database.
#[derive(Serialize)]
pub struct CodeListJson {
    codes: Vec<String>,
}

impl CodeListJson {
    /// The given codes.
    pub fn new(codes: &[inforce_core::CodeId]) -> Self {
        Self { codes: codes.iter().map(ToString::to_string).collect() }
    }
}

/// One publication: when it was recorded, where it came from, how many records it wrote, who made it with which
/// command, and the publication it was computed against. `author`, `command` and `base` are null where not
/// recorded (publications made before they were).
#[derive(Serialize)]
pub struct PublicationJson {
    id: i64,
    /// RFC 3339, microseconds.
    recorded_at: String,
    origin: String,
    records: i64,
    author: Option<String>,
    command: Option<String>,
    base: Option<i64>,
}

/// What is known of a publication, as the store gives it.
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
}

impl PublicationJson {
    /// A publication's facts.
    pub fn new(facts: PublicationFacts<'_>) -> Self {
        let recorded = |text: &str| (!text.is_empty()).then(|| text.to_string());
        Self {
            id: facts.id,
            recorded_at: facts.recorded_at.to_string(),
            origin: facts.origin.to_string(),
            records: facts.records,
            author: recorded(facts.author),
            command: recorded(facts.command),
            base: facts.base,
        }
    }
}

/// `inforce publications`.
#[derive(Serialize)]
pub struct PublicationsJson {
    code: String,
    publications: Vec<PublicationJson>,
}

impl PublicationsJson {
    /// The publications of `code`, oldest first.
    pub fn new(code: &inforce_core::CodeId, publications: Vec<PublicationJson>) -> Self {
        Self { code: code.to_string(), publications }
    }
}

/// What a publication wrote (`inforce register import`, `inforce import`): whether anything changed and, if so,
/// the publication.
#[derive(Serialize)]
pub struct WrittenJson {
    code: String,
    changed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    publication: Option<i64>,
    records: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    recorded_at: Option<String>,
}

impl WrittenJson {
    /// Nothing was written: the register already said so.
    pub fn unchanged(code: &inforce_core::CodeId) -> Self {
        Self { code: code.to_string(), changed: false, publication: None, records: 0, recorded_at: None }
    }

    /// Publication `id` wrote `records` records at `recorded_at`.
    pub fn published(code: &inforce_core::CodeId, id: i64, records: i64, recorded_at: jiff::Timestamp) -> Self {
        Self {
            code: code.to_string(),
            changed: true,
            publication: Some(id),
            records,
            recorded_at: Some(recorded_at.to_string()),
        }
    }
}

/// `inforce register upgrade-builtin`: what the built-in register of this build changes, what is kept as edited,
/// and the publication when applied.
#[derive(Serialize)]
pub struct UpgradeJson {
    code: String,
    /// Each change taken over (or that would be): `kind` (`provision`, `entry`, …), `key`, `change` (`new`,
    /// `changed`, `withdrawn`).
    applied: Vec<UpgradeItemJson>,
    /// Records the built-in register changes but someone edited here: kept as they are.
    kept: Vec<UpgradeItemJson>,
    /// Whether anything was published.
    changed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    publication: Option<i64>,
    records: i64,
}

#[derive(Serialize)]
struct UpgradeItemJson {
    kind: &'static str,
    key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    change: Option<&'static str>,
}

impl UpgradeJson {
    pub fn new(
        code: &inforce_core::CodeId,
        upgrade: &inforce_core::ledger::Upgrade,
        published: Option<(i64, i64)>,
    ) -> Self {
        Self {
            code: code.to_string(),
            applied: upgrade
                .applied
                .iter()
                .map(|(kind, key, change)| UpgradeItemJson {
                    kind: kind.as_str(),
                    key: key.clone(),
                    change: Some(change.as_str()),
                })
                .collect(),
            kept: upgrade
                .kept
                .iter()
                .map(|(kind, key)| UpgradeItemJson { kind: kind.as_str(), key: key.clone(), change: None })
                .collect(),
            changed: published.is_some(),
            publication: published.map(|p| p.0),
            records: published.map_or(0, |p| p.1),
        }
    }
}

/// `inforce import` and `inforce import-version`: what a text import wrote and found.
#[derive(Serialize)]
pub struct TextImportJson {
    code: String,
    changed: bool,
    publication: Option<i64>,
    records: i64,
    new_versions: Vec<String>,
    new_provisions: usize,
    /// Each disagreement between the texts and the register's change lists, in a sentence.
    discrepancies: Vec<String>,
    /// `import-docx`: the likely renumberings (old number, new number, similarity of wording from 0 to 1).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    renumbered: Vec<RenumberedJson>,
    /// `import-docx`: what the import noticed and did not act on (titles kept, text outside any clause), each in a
    /// sentence.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<String>,
}

/// A likely renumbering between the version before an import and the one it made.
#[derive(Serialize)]
pub struct RenumberedJson {
    /// The clause's number before.
    pub from: String,
    /// Its number after.
    pub to: String,
    /// How alike the two wordings are, from 0 to 1.
    pub similarity: f64,
}

/// `inforce docx-changes`: a Word document's tracked changes.
#[derive(Serialize)]
pub struct DocxChangesJson {
    /// The file, as given.
    pub file: String,
    /// Each change in document order.
    pub changes: Vec<TrackedChangeJson>,
}

/// One tracked change (a row of `changes.tsv`).
#[derive(Serialize)]
pub struct TrackedChangeJson {
    /// `ins`, `del`, `move-from`, `move-to` or `format`.
    pub kind: &'static str,
    /// Its author, as written.
    pub author: String,
    /// Its date, as written (empty when the document gives none).
    pub date: String,
    /// The clause holding it (numbered as with every change accepted; for deleted text, as before), or null.
    pub provision_id: Option<String>,
    /// Exactly the changed characters.
    pub text: String,
}

impl TextImportJson {
    /// An import of `code`: the publication it made (`None`: nothing written), what it added, what it found.
    pub fn new(
        code: &inforce_core::CodeId,
        publication: Option<(i64, i64)>,
        new_versions: &[inforce_core::EntryId],
        new_provisions: usize,
        discrepancies: Vec<String>,
    ) -> Self {
        Self {
            code: code.to_string(),
            changed: publication.is_some(),
            publication: publication.map(|(id, _)| id),
            records: publication.map_or(0, |(_, records)| records),
            new_versions: new_versions.iter().map(ToString::to_string).collect(),
            new_provisions,
            discrepancies,
            renumbered: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// With an import report's likely renumberings and notes.
    pub fn with_report(mut self, renumbered: Vec<RenumberedJson>, notes: Vec<String>) -> Self {
        self.renumbered = renumbered;
        self.notes = notes;
        self
    }
}

/// `inforce check`: every disagreement between the texts and the register's change lists.
#[derive(Serialize)]
pub struct CheckJson {
    code: String,
    has_texts: bool,
    discrepancies: Vec<DiscrepancyJson>,
}

/// One disagreement.
#[derive(Serialize)]
struct DiscrepancyJson {
    entry: String,
    provision: String,
    /// `changed_but_not_listed` or `listed_as_{kind}_but_unchanged`.
    kind: String,
    message: String,
}

impl CheckJson {
    /// The discrepancies `history` finds.
    pub fn new(history: &History, found: &[inforce_core::import::Discrepancy<'_>]) -> Self {
        use inforce_core::import::DiscrepancyKind;
        Self {
            code: history.register().code.id.to_string(),
            has_texts: history.has_texts(),
            discrepancies: found
                .iter()
                .map(|d| DiscrepancyJson {
                    entry: d.entry.id.to_string(),
                    provision: d.provision.to_string(),
                    kind: match d.kind {
                        DiscrepancyKind::ChangedButNotListed => "changed_but_not_listed".to_string(),
                        DiscrepancyKind::ListedButUnchanged(k) => format!("listed_as_{}_but_unchanged", k.as_str()),
                    },
                    message: d.describe(),
                })
                .collect(),
        }
    }
}

/// `inforce doc add`: the document described, and whether anything was written.
#[derive(Serialize)]
pub struct DocumentAddedJson {
    document: DocumentJson,
    changed: bool,
}

impl DocumentAddedJson {
    /// `document`, stored now (`changed`) or already.
    pub fn new(document: &inforce_core::document::Document, changed: bool) -> Self {
        Self { document: DocumentJson::new(document), changed }
    }
}

/// `inforce copy`: what was copied.
#[derive(Serialize)]
pub struct CopiedJson {
    codes: Vec<String>,
    publications: usize,
    records: usize,
}

impl CopiedJson {
    /// `publications` publications holding `records` records, of `codes`.
    pub fn new(codes: &[inforce_core::CodeId], publications: usize, records: usize) -> Self {
        Self { codes: codes.iter().map(ToString::to_string).collect(), publications, records }
    }
}

/// `inforce export`: the Markdown files written.
#[derive(Serialize)]
pub struct MarkdownWrittenJson {
    code: String,
    date: String,
    folder: String,
    provision_files: usize,
}

impl MarkdownWrittenJson {
    /// `provision_files` files and the index of `code` at `date`, in `folder`.
    pub fn new(code: &inforce_core::CodeId, date: Date, folder: &str, provision_files: usize) -> Self {
        Self { code: code.to_string(), date: date.to_string(), folder: folder.to_string(), provision_files }
    }
}

/// `inforce export-site`: the static site written.
#[derive(Serialize)]
pub struct SiteWrittenJson {
    outdir: String,
    pages: usize,
    documents: usize,
    bytes: u64,
    today: String,
}

impl SiteWrittenJson {
    /// `pages` pages and `documents` other files, `bytes` in all, into `outdir`, as of `today`.
    pub fn new(outdir: &str, pages: usize, documents: usize, bytes: u64, today: Date) -> Self {
        Self { outdir: outdir.to_string(), pages, documents, bytes, today: today.to_string() }
    }
}

/// `inforce reindex`: the search index built and kept.
#[derive(Serialize)]
pub struct ReindexedJson {
    code: String,
    path: String,
    wordings: usize,
    words: usize,
    bytes: u64,
    /// How long the build took.
    milliseconds: f64,
}

impl ReindexedJson {
    /// An index of `wordings` wordings and `words` distinct words, kept at `path` in `bytes` bytes.
    pub fn new(
        code: &inforce_core::CodeId,
        path: &str,
        wordings: usize,
        words: usize,
        bytes: u64,
        milliseconds: f64,
    ) -> Self {
        Self { code: code.to_string(), path: path.to_string(), wordings, words, bytes, milliseconds }
    }
}

/// `inforce mod new|advance|update`: the proposal as it now stands, and whether anything was written.
#[derive(Serialize)]
pub struct ProposalWrittenJson {
    #[serde(flatten)]
    proposal: ProposalJson,
    changed: bool,
}

impl ProposalWrittenJson {
    /// `proposal` in `process`, written now (`changed`) or already as it is.
    pub fn new(process: &Process, proposal: &Proposal, changed: bool, today: Date) -> Self {
        Self { proposal: ProposalJson::new(process, proposal, today), changed }
    }
}

/// `inforce verify`: each code's history against its publication log.
#[derive(Serialize)]
pub struct VerifyJson {
    /// One verdict per code.
    pub codes: Vec<VerifiedJson>,
}

/// One code's verdict: `intact` with its tree, or `tampered` naming the first publication that does not match.
#[derive(Serialize, Default)]
pub struct VerifiedJson {
    /// The code.
    pub code: String,
    /// `intact` or `tampered`.
    pub status: &'static str,
    /// Intact: how many publications its log holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// Intact: the head of its Merkle tree, 64 hex digits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tree_head: Option<String>,
    /// Intact: how many digests were computed after the fact (publications made before the log).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub computed_after_the_fact: Option<u64>,
    /// Tampered: the first publication that does not match (its id).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publication: Option<i64>,
    /// Tampered: its place in the log.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sequence: Option<u64>,
    /// Tampered: what does not match.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}
