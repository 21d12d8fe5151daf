//! The change register in register files: `[process]`, `[[proposal]]` with its `[[proposal.history]]`,
//! `[[planned]]` and `[[document]]`.

use std::collections::HashMap;

use inforce_core::{EntryId, FuzzyDate, ProvisionId};
use serde::{Deserialize, Serialize};
use toml::Spanned;

use inforce_core::change::{Move, Named, PlannedChange, Process, Proposal, Stage, StageChange, StageState};
use inforce_core::document::{Attachment, Document};

use super::{FieldSpans, ItemSpans, Reader, SpannedList};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ProcessIn {
    name: String,
    #[serde(default)]
    stage: Vec<Spanned<StageIn>>,
    #[serde(default)]
    path: Vec<Spanned<NamedIn>>,
    #[serde(default)]
    flag: Vec<Spanned<NamedIn>>,
    #[serde(default, rename = "move")]
    moves: Vec<Spanned<MoveIn>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StageIn {
    id: String,
    label: String,
    #[serde(default)]
    initial: bool,
    state: Option<Spanned<String>>,
    outcome: Option<String>,
    #[serde(default)]
    implements: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NamedIn {
    id: String,
    label: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MoveIn {
    from: Vec<String>,
    to: String,
    #[serde(default)]
    paths: Vec<String>,
    #[serde(default)]
    flags: Vec<String>,
    decided_by: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ProposalIn {
    reference: Spanned<String>,
    title: Spanned<String>,
    proposer: Option<String>,
    lead_analyst: Option<String>,
    raised: Option<Spanned<String>>,
    path: Option<Spanned<String>>,
    flags: Option<Spanned<Vec<String>>>,
    affects: SpannedList,
    issue: Option<String>,
    solution: Option<String>,
    target_release: Option<String>,
    alternative_to: Option<Spanned<String>>,
    #[serde(default)]
    history: Vec<Spanned<HistoryIn>>,
    #[serde(default)]
    sources: Vec<String>,
    confidence: Option<String>,
    #[serde(default)]
    notes: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HistoryIn {
    stage: String,
    date: Option<Spanned<String>>,
    decided_by: Option<String>,
    version: Option<Spanned<String>>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PlannedIn {
    id: Spanned<String>,
    title: String,
    description: Option<String>,
    announced: Option<Spanned<String>>,
    expected: Option<Spanned<String>>,
    consultation: Option<Spanned<String>>,
    affects: SpannedList,
    proposal: Option<Spanned<String>>,
    version: Option<Spanned<String>>,
    #[serde(default)]
    sources: Vec<String>,
    confidence: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DocumentIn {
    id: Spanned<String>,
    title: String,
    kind: Option<String>,
    date: Option<Spanned<String>>,
    file_name: Spanned<String>,
    media_type: Spanned<String>,
    sha256: Spanned<String>,
    size: u64,
    attached_to: SpannedList,
    #[serde(default)]
    sources: Vec<String>,
}

impl Reader {
    pub(super) fn document(&mut self, raw: Spanned<DocumentIn>) -> Option<Document> {
        let span = raw.span();
        let raw = raw.into_inner();
        let mut fields: FieldSpans = HashMap::from([
            ("", span),
            ("id", raw.id.span()),
            ("file_name", raw.file_name.span()),
            ("media_type", raw.media_type.span()),
            ("sha256", raw.sha256.span()),
        ]);
        let date = self.optional_date(raw.date.as_ref(), &mut fields, "date");
        let mut items: ItemSpans = HashMap::new();
        if let Some(list) = &raw.attached_to {
            items.insert("attached_to", list.get_ref().iter().map(Spanned::span).collect());
        }
        let attached_to = self.attachments(raw.attached_to.as_ref());
        self.spans.documents.push((fields, items));
        Some(Document {
            id: raw.id.into_inner(),
            title: raw.title,
            kind: raw.kind,
            date: date?,
            file_name: raw.file_name.into_inner(),
            media_type: raw.media_type.into_inner(),
            sha256: raw.sha256.into_inner(),
            size: raw.size,
            attached_to: attached_to?,
            sources: raw.sources,
        })
    }

    /// A list of references to records (`proposal:MP084`, `version:4.2`), each problem reported at its item;
    /// `None` when any cannot be read.
    pub(super) fn attachments(&mut self, list: Option<&Spanned<Vec<Spanned<String>>>>) -> Option<Vec<Attachment>> {
        let mut read = Some(Vec::new());
        for item in list.map(Spanned::get_ref).into_iter().flatten() {
            match Attachment::parse(item.get_ref()) {
                Ok(attachment) => {
                    if let Some(read) = read.as_mut() {
                        read.push(attachment);
                    }
                }
                Err(message) => {
                    self.problem(&item.span(), message.to_string());
                    read = None;
                }
            }
        }
        read
    }

    /// An optional date: unknown when absent.
    fn optional_date(
        &mut self,
        raw: Option<&Spanned<String>>,
        fields: &mut FieldSpans,
        name: &'static str,
    ) -> Option<FuzzyDate> {
        match raw {
            Some(date) => {
                fields.insert(name, date.span());
                self.date(date)
            }
            None => Some(FuzzyDate::Unknown),
        }
    }

    /// A list of version or event ids.
    pub(super) fn entry_ids(&mut self, raw: Option<&Spanned<Vec<Spanned<String>>>>) -> Option<Vec<EntryId>> {
        let Some(raw) = raw else { return Some(Vec::new()) };
        let ids: Vec<Option<EntryId>> = raw.get_ref().iter().map(|id| self.entry_id(id)).collect();
        ids.into_iter().collect()
    }

    fn entry_id(&mut self, raw: &Spanned<String>) -> Option<EntryId> {
        EntryId::parse(raw.get_ref()).map_err(|e| self.problem(&raw.span(), e.to_string())).ok()
    }

    fn provision_ids(
        &mut self,
        raw: Option<&Spanned<Vec<Spanned<String>>>>,
        items: &mut ItemSpans,
        name: &'static str,
    ) -> Option<Vec<ProvisionId>> {
        let Some(raw) = raw else { return Some(Vec::new()) };
        items.insert(name, raw.get_ref().iter().map(Spanned::span).collect());
        let ids: Vec<Option<ProvisionId>> = raw.get_ref().iter().map(|id| self.provision_id(id)).collect();
        ids.into_iter().collect()
    }

    pub(super) fn process(&mut self, raw: Spanned<ProcessIn>) -> Option<Process> {
        let span = raw.span();
        let raw = raw.into_inner();
        let mut items: ItemSpans = HashMap::new();
        items.insert("stage", raw.stage.iter().map(Spanned::span).collect());
        items.insert("path", raw.path.iter().map(Spanned::span).collect());
        items.insert("flag", raw.flag.iter().map(Spanned::span).collect());
        items.insert("move", raw.moves.iter().map(Spanned::span).collect());
        self.spans.process = (HashMap::from([("", span)]), items);
        let mut ok = true;
        let stages = raw
            .stage
            .into_iter()
            .map(|stage| {
                let stage = stage.into_inner();
                let state = match &stage.state {
                    None => StageState::Open,
                    Some(text) => StageState::parse(text.get_ref()).unwrap_or_else(|| {
                        self.problem(
                            &text.span(),
                            format!("unknown stage state '{}': use open, approved or closed", text.get_ref()),
                        );
                        ok = false;
                        StageState::Open
                    }),
                };
                Stage {
                    id: stage.id,
                    label: stage.label,
                    initial: stage.initial,
                    state,
                    outcome: stage.outcome,
                    implements: stage.implements,
                }
            })
            .collect();
        let named = |list: Vec<Spanned<NamedIn>>| {
            list.into_iter()
                .map(|n| {
                    let n = n.into_inner();
                    Named { id: n.id, label: n.label }
                })
                .collect()
        };
        let moves = raw
            .moves
            .into_iter()
            .map(|m| {
                let m = m.into_inner();
                Move { from: m.from, to: m.to, paths: m.paths, flags: m.flags, decided_by: m.decided_by }
            })
            .collect();
        let process = Process { name: raw.name, stages, paths: named(raw.path), flags: named(raw.flag), moves };
        ok.then_some(process)
    }

    pub(super) fn proposal(&mut self, raw: Spanned<ProposalIn>) -> Option<Proposal> {
        let span = raw.span();
        let raw = raw.into_inner();
        let mut fields: FieldSpans =
            HashMap::from([("", span.clone()), ("reference", raw.reference.span()), ("title", raw.title.span())]);
        let mut items: ItemSpans = HashMap::new();
        for (name, value) in [("path", &raw.path), ("alternative_to", &raw.alternative_to)] {
            if let Some(value) = value {
                fields.insert(name, value.span());
            }
        }
        if let Some(flags) = &raw.flags {
            fields.insert("flags", flags.span());
        }
        let raised = self.optional_date(raw.raised.as_ref(), &mut fields, "raised");
        let affects = self.provision_ids(raw.affects.as_ref(), &mut items, "affects");
        items.insert("history", raw.history.iter().map(Spanned::span).collect());
        let mut history_ok = true;
        let mut stages = Vec::new();
        for item in raw.history {
            let item = item.into_inner();
            let date = match &item.date {
                Some(date) => self.date(date),
                None => Some(FuzzyDate::Unknown),
            };
            let version = match &item.version {
                Some(version) => self.entry_id(version).map(Some),
                None => Some(None),
            };
            match (date, version) {
                (Some(date), Some(version)) => stages.push(StageChange {
                    stage: item.stage,
                    date,
                    decided_by: item.decided_by,
                    version,
                    note: item.note,
                }),
                _ => history_ok = false,
            }
        }
        if stages.is_empty() {
            self.problem(
                &span,
                format!(
                    "proposal {} needs at least one [[proposal.history]] item: the stage it was raised at",
                    raw.reference.get_ref()
                ),
            );
            history_ok = false;
        }
        self.spans.proposals.push((fields, items));
        let proposal = Proposal {
            reference: raw.reference.into_inner(),
            title: raw.title.into_inner(),
            proposer: raw.proposer,
            lead_analyst: raw.lead_analyst,
            raised: raised?,
            path: raw.path.map(Spanned::into_inner),
            flags: raw.flags.map(Spanned::into_inner).unwrap_or_default(),
            affects: affects?,
            issue: raw.issue,
            solution: raw.solution,
            target_release: raw.target_release,
            alternative_to: raw.alternative_to.map(Spanned::into_inner),
            stages,
            sources: raw.sources,
            confidence: raw.confidence,
            notes: raw.notes,
        };
        history_ok.then_some(proposal)
    }

    pub(super) fn planned(&mut self, raw: Spanned<PlannedIn>) -> Option<PlannedChange> {
        let span = raw.span();
        let raw = raw.into_inner();
        let mut fields: FieldSpans = HashMap::from([("", span), ("id", raw.id.span())]);
        for (name, value) in
            [("consultation", &raw.consultation), ("proposal", &raw.proposal), ("version", &raw.version)]
        {
            if let Some(value) = value {
                fields.insert(name, value.span());
            }
        }
        if let Some(affects) = &raw.affects {
            fields.insert("affects", affects.span());
        }
        let announced = self.optional_date(raw.announced.as_ref(), &mut fields, "announced");
        let expected = self.optional_date(raw.expected.as_ref(), &mut fields, "expected");
        let affects = self.provision_ids(raw.affects.as_ref(), &mut HashMap::new(), "affects");
        let version = match &raw.version {
            Some(version) => self.entry_id(version).map(Some),
            None => Some(None),
        };
        self.spans.planned.push(fields);
        Some(PlannedChange {
            id: raw.id.into_inner(),
            title: raw.title,
            description: raw.description,
            announced: announced?,
            expected: expected?,
            consultation: raw.consultation.map(Spanned::into_inner),
            affects: affects?,
            proposal: raw.proposal.map(Spanned::into_inner),
            version: version?,
            sources: raw.sources,
            confidence: raw.confidence,
        })
    }
}

#[derive(Serialize)]
pub(super) struct ProcessOut {
    name: String,
    stage: Vec<StageOut>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    path: Vec<NamedOut>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    flag: Vec<NamedOut>,
    #[serde(rename = "move", skip_serializing_if = "Vec::is_empty")]
    moves: Vec<MoveOut>,
}

#[derive(Serialize)]
struct StageOut {
    id: String,
    label: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    initial: bool,
    state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    outcome: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    implements: bool,
}

#[derive(Serialize)]
struct NamedOut {
    id: String,
    label: String,
}

#[derive(Serialize)]
struct MoveOut {
    from: Vec<String>,
    to: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    paths: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    flags: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    decided_by: Option<String>,
}

impl From<&Process> for ProcessOut {
    fn from(p: &Process) -> Self {
        let named =
            |list: &[Named]| list.iter().map(|n| NamedOut { id: n.id.clone(), label: n.label.clone() }).collect();
        Self {
            name: p.name.clone(),
            stage: p
                .stages
                .iter()
                .map(|s| StageOut {
                    id: s.id.clone(),
                    label: s.label.clone(),
                    initial: s.initial,
                    state: s.state.as_str(),
                    outcome: s.outcome.clone(),
                    implements: s.implements,
                })
                .collect(),
            path: named(&p.paths),
            flag: named(&p.flags),
            moves: p
                .moves
                .iter()
                .map(|m| MoveOut {
                    from: m.from.clone(),
                    to: m.to.clone(),
                    paths: m.paths.clone(),
                    flags: m.flags.clone(),
                    decided_by: m.decided_by.clone(),
                })
                .collect(),
        }
    }
}

#[derive(Serialize)]
pub(super) struct ProposalOut {
    reference: String,
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    proposer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lead_analyst: Option<String>,
    raised: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    flags: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    affects: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issue: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    solution: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    target_release: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    alternative_to: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    sources: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    confidence: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<String>,
    history: Vec<HistoryOut>,
}

#[derive(Serialize)]
struct HistoryOut {
    stage: String,
    date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    decided_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

impl From<&Proposal> for ProposalOut {
    fn from(p: &Proposal) -> Self {
        Self {
            reference: p.reference.clone(),
            title: p.title.clone(),
            proposer: p.proposer.clone(),
            lead_analyst: p.lead_analyst.clone(),
            raised: p.raised.to_string(),
            path: p.path.clone(),
            flags: p.flags.clone(),
            affects: p.affects.iter().map(ToString::to_string).collect(),
            issue: p.issue.clone(),
            solution: p.solution.clone(),
            target_release: p.target_release.clone(),
            alternative_to: p.alternative_to.clone(),
            sources: p.sources.clone(),
            confidence: p.confidence.clone(),
            notes: p.notes.clone(),
            history: p
                .stages
                .iter()
                .map(|s| HistoryOut {
                    stage: s.stage.clone(),
                    date: s.date.to_string(),
                    decided_by: s.decided_by.clone(),
                    version: s.version.as_ref().map(ToString::to_string),
                    note: s.note.clone(),
                })
                .collect(),
        }
    }
}

#[derive(Serialize)]
pub(super) struct PlannedOut {
    id: String,
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    announced: String,
    expected: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    consultation: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    affects: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    proposal: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    sources: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    confidence: Option<String>,
}

impl From<&PlannedChange> for PlannedOut {
    fn from(p: &PlannedChange) -> Self {
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

#[derive(Serialize)]
pub(super) struct DocumentOut {
    id: String,
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<String>,
    date: String,
    file_name: String,
    media_type: String,
    sha256: String,
    size: u64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attached_to: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    sources: Vec<String>,
}

impl From<&Document> for DocumentOut {
    fn from(d: &Document) -> Self {
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
