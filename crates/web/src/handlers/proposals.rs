//! Modification proposals: the filtered list with planned changes, one proposal with its timeline, and their
//! JSON.

use crate::query::{OnQuery, ProposalQuery, Query};
use askama::Template;
use axum::extract::Path;
use inforce_core::change::{FilterError, Process, Proposal, ProposalFilter};
use inforce_core::date::human_date;
use inforce_core::document::Attachment;
use inforce_core::{History, ProvisionId};
use inforce_present::wire::{PlannedListJson, ProposalJson, ProposalsJson};
use jiff::civil::Date;

use crate::ctx::{ApiCtx, Ctx, Face, Frame, PageCtx, ReferencePath};
use crate::handlers::documents::{DocLink, doc_links};
use crate::respond::{ApiResult, Cache, PageResult, Problem, shorten};

/// The proposals the filters choose, in register order, and the pending date if one was asked.
/// The proposals the query chooses, the day they were limited to being pending on, and the day they are shown as on.
fn chosen<'a, F: Face>(
    ctx: &'a Ctx<F>,
    query: &ProposalQuery,
) -> Result<(Vec<&'a Proposal>, Option<Date>, Date), Problem> {
    // An empty field (the form's "any") filters nothing; any other value is read as it is, untrimmed, as
    // everywhere else.
    let blank = |v: &Option<String>| v.as_deref().filter(|v| !v.trim().is_empty()).map(str::to_string);
    let (stage, path, affects, pending_at) =
        (blank(&query.stage), blank(&query.path), blank(&query.affects), blank(&query.pending_at));
    let pending_at = pending_at.as_deref().map(|d| ctx.date(d)).transpose()?;
    let affects = affects.as_deref().map(|text| ctx.provision(text)).transpose()?;
    let at = blank(&query.at).as_deref().map(|d| ctx.date(d)).transpose()?.unwrap_or(ctx.today);
    let filter = ProposalFilter {
        stage: stage.as_deref(),
        at: Some(at),
        path: path.as_deref(),
        affects: affects.as_ref(),
        pending_at,
    };
    let list = ctx.history.proposals(&filter).map_err(|e| {
        let detail = match e {
            FilterError::UnknownStage { stage, process, known } => {
                format!("'{}' is not a stage of the {process}; the stages are: {}.", shorten(&stage), known.join(", "))
            }
            FilterError::UnknownPath { path, known } => {
                format!("'{}' is not a path; the paths are: {}.", shorten(&path), known.join(", "))
            }
        };
        Problem::bad_request(detail)
    })?;
    Ok((list, pending_at, at))
}

/// A proposal on its way on a day, as the home and provision pages list it.
pub(crate) struct PendingView {
    pub(crate) reference: String,
    pub(crate) title: String,
    /// The label of the stage it was at that day.
    pub(crate) stage: String,
}

impl PendingView {
    /// The proposals pending at the end of `day`, those that would change `affects` (or a part or a whole of it)
    /// when it is given.
    pub(crate) fn list(history: &History, affects: Option<&ProvisionId>, day: Date) -> Vec<Self> {
        let filter = ProposalFilter { affects, pending_at: Some(day), ..ProposalFilter::default() };
        let (Some(process), Ok(pending)) = (&history.register().process, history.proposals(&filter)) else {
            return Vec::new();
        };
        pending
            .into_iter()
            .map(|p| {
                let stage = p.stage_on(day).map_or("", |s| s.stage.as_str());
                let label = process.stage(stage).map_or(stage, |s| s.label.as_str());
                Self { reference: p.reference.clone(), title: p.title.clone(), stage: label.to_string() }
            })
            .collect()
    }
}

/// The code's process, or, for a register that defines none, one with no stages and no paths (so no
/// proposal matches and every stage or path filter is refused).
fn process_or_empty<F: Face>(ctx: &Ctx<F>) -> std::borrow::Cow<'_, Process> {
    match &ctx.history.register().process {
        Some(process) => std::borrow::Cow::Borrowed(process),
        None => std::borrow::Cow::Owned(Process {
            name: "no change process".into(),
            stages: Vec::new(),
            paths: Vec::new(),
            flags: Vec::new(),
            moves: Vec::new(),
        }),
    }
}

fn process<F: Face>(ctx: &Ctx<F>) -> Result<&Process, Problem> {
    ctx.history.register().process.as_ref().ok_or_else(|| {
        Problem::not_found(format!("The {} register defines no change process, so it has no proposals.", ctx.code))
    })
}

struct ProposalRow {
    reference: String,
    title: String,
    stage: String,
    path: String,
    raised: String,
    raised_human: String,
    affects: String,
    outcome: String,
}

struct Choice {
    id: String,
    label: String,
    selected: bool,
}

struct PlannedRow {
    id: String,
    title: String,
    announced_human: String,
    consultation: String,
    tied: String,
}

#[derive(Template)]
#[template(path = "proposals.html")]
struct ProposalsPage {
    f: Frame,
    process: String,
    rows: Vec<ProposalRow>,
    stages: Vec<Choice>,
    paths: Vec<Choice>,
    affects: String,
    pending_at: String,
    filtered: bool,
    planned: Vec<PlannedRow>,
}

/// `/proposals?stage=&path=&affects=&pending_at=`
pub async fn proposals(ctx: PageCtx, Query(query): Query<ProposalQuery>) -> PageResult {
    let defined = ctx.history.register().process.as_ref();
    let process = process_or_empty(&ctx);
    let process = process.as_ref();
    let (list, pending_at, at) = chosen(&ctx, &query)?;
    let stage_label = |id: &str| inforce_present::describe::stage_label(process, id).to_string();
    let rows = list
        .iter()
        .map(|p| ProposalRow {
            reference: p.reference.clone(),
            title: p.title.clone(),
            stage: match pending_at {
                Some(date) => p.stage_on(date).map_or_else(String::new, |s| stage_label(&s.stage)),
                None => inforce_present::describe::stage_on(process, p, at),
            },
            path: p
                .path
                .as_ref()
                .map(|id| process.path(id).map_or_else(|| id.clone(), |n| n.label.clone()))
                .unwrap_or_default(),
            raised: p.raised.to_string(),
            raised_human: p.raised.human(),
            affects: p.affects.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
            outcome: p
                .decision(process)
                .map(|d| format!("{}{}", d.outcome, d.body.map(|b| format!(" ({b})")).unwrap_or_default()))
                .unwrap_or_default(),
        })
        .collect();
    let choices = |list: Vec<(String, String)>, selected: &Option<String>| {
        list.into_iter().map(|(id, label)| Choice { selected: selected.as_ref() == Some(&id), id, label }).collect()
    };
    let register = ctx.history.register();
    let planned = register
        .planned
        .iter()
        .map(|p| PlannedRow {
            id: p.id.clone(),
            title: p.title.clone(),
            announced_human: p.announced.human(),
            consultation: p.consultation.clone().unwrap_or_default(),
            tied: inforce_present::describe::planned_tie(p),
        })
        .collect();
    let page = ProposalsPage {
        f: ctx.frame(),
        process: defined.map(|p| p.name.clone()).unwrap_or_default(),
        rows,
        stages: choices(process.stages.iter().map(|s| (s.id.clone(), s.label.clone())).collect(), &query.stage),
        paths: choices(process.paths.iter().map(|p| (p.id.clone(), p.label.clone())).collect(), &query.path),
        affects: query.affects.clone().unwrap_or_default(),
        pending_at: pending_at.map(|d| d.to_string()).unwrap_or_default(),
        filtered: query.stage.is_some()
            || query.path.is_some()
            || query.affects.is_some()
            || query.pending_at.is_some(),
        planned,
    };
    let cache = if query.pending_at.is_some() { Cache::Published } else { Cache::Today };
    ctx.page(page, cache)
}

struct TimelineRow {
    date: String,
    date_human: String,
    stage: String,
    decided_by: String,
    version: Option<String>,
    note: String,
}

#[derive(Template)]
#[template(path = "proposal.html")]
struct ProposalPage {
    f: Frame,
    p: ProposalJson,
    raised_human: String,
    timeline: Vec<TimelineRow>,
    next: Vec<String>,
    pending_words: String,
    decision_human: String,
    documents: Vec<DocLink>,
    /// The consultations that concern it: (id, title).
    consulted: Vec<(String, String)>,
    corrections: Vec<super::CorrectionView>,
    /// The day asked about, when it is not today.
    on: Option<String>,
}

impl OnQuery {
    fn day<F: Face>(&self, ctx: &Ctx<F>) -> Result<Date, Problem> {
        match self.at.as_deref().filter(|a| !a.trim().is_empty()) {
            Some(text) => ctx.date(text),
            None => Ok(ctx.today),
        }
    }
}

/// `/proposals/{reference}?at=`
pub async fn proposal(ctx: PageCtx, Path(path): Path<ReferencePath>, Query(on): Query<OnQuery>) -> PageResult {
    let process = process(&ctx)?;
    let found = find(&ctx, &path.reference)?;
    let day = on.day(&ctx)?;
    let json = ProposalJson::new(process, found, day).with_consultations(&ctx.history);
    let stage_label = |id: &str| inforce_present::describe::stage_label(process, id).to_string();
    let reached = found.reached_by(day).len();
    let timeline = found
        .stages
        .iter()
        .enumerate()
        .map(|(i, s)| TimelineRow {
            date: s.date.to_string(),
            date_human: s.date.human(),
            stage: if i >= reached { format!("{} (scheduled)", stage_label(&s.stage)) } else { stage_label(&s.stage) },
            decided_by: s.decided_by.clone().unwrap_or_default(),
            version: s.version.as_ref().map(ToString::to_string),
            note: s.note.clone().unwrap_or_default(),
        })
        .collect();
    let next = json.next.iter().map(|id| stage_label(id)).collect();
    let pending_words = if json.pending {
        format!("A change on its way as of {}.", human_date(day))
    } else {
        "Closed: no longer a change on its way.".to_string()
    };
    let page = ProposalPage {
        f: ctx.frame(),
        raised_human: found.raised.human(),
        timeline,
        next,
        pending_words,
        decision_human: found.as_on(day).decision(process).map(|d| d.date.human()).unwrap_or_default(),
        on: (day != ctx.today).then(|| human_date(day)),
        documents: doc_links(&ctx, Some(&Attachment::Proposal(found.reference.clone()))),
        corrections: super::corrections_of(&ctx.history, inforce_core::ledger::RecordKind::Proposal, &found.reference),
        consulted: ctx
            .history
            .register()
            .consultations_on(&Attachment::Proposal(found.reference.clone()))
            .map(|c| (c.id.clone(), c.title.clone()))
            .collect(),
        p: json,
    };
    ctx.page(page, Cache::Today)
}

fn find<'a, F: Face>(ctx: &'a Ctx<F>, reference: &str) -> Result<&'a Proposal, Problem> {
    ctx.history
        .register()
        .proposals
        .iter()
        .find(|p| p.reference.eq_ignore_ascii_case(reference))
        .ok_or_else(|| Problem::not_found(format!("The {} has no proposal '{}'.", ctx.code, shorten(reference))))
}

/// `/api/v1/{code}/proposals?stage=&path=&affects=&pending_at=`
pub async fn api_proposals(
    ctx: ApiCtx,
    Query(query): Query<ProposalQuery>,
    Query(paging): Query<crate::query::PageQuery>,
) -> ApiResult {
    let (mut list, pending_at, at) = chosen(&ctx, &query)?;
    let since = ctx.since(query.since.as_deref())?;
    list.retain(|p| ctx.recorded_since(since, inforce_core::ledger::RecordKind::Proposal, &p.reference));
    ctx.json_list(&ProposalsJson::new(&ctx.history, &list, pending_at, at), "proposals", &paging, Cache::Today)
}

/// `/api/v1/{code}/proposals/{reference}?at=`
pub async fn api_proposal(ctx: ApiCtx, Path(path): Path<ReferencePath>, Query(on): Query<OnQuery>) -> ApiResult {
    let process = process(&ctx)?;
    let found = find(&ctx, &path.reference)?;
    ctx.json(&ProposalJson::new(process, found, on.day(&ctx)?).with_consultations(&ctx.history), Cache::Today)
}

/// `/api/v1/{code}/planned`
pub async fn api_planned(ctx: ApiCtx, Query(paging): Query<crate::query::PageQuery>) -> ApiResult {
    ctx.json_list(&PlannedListJson::new(&ctx.history), "planned", &paging, Cache::Published)
}
