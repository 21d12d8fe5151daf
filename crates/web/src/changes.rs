//! The change register on the web: modification proposals (list with filters, one proposal with its timeline),
//! planned changes, their JSON, and the Atom feeds of stage changes and of variations.

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use inforce_core::change::{FilterError, Process, Proposal, ProposalFilter};
use inforce_core::date::human_date;
use inforce_core::document::Attachment;
use jiff::civil::Date;
use serde::Deserialize;

use crate::pages::{Answer, Ctx, Frame, Params, shorten};
use crate::respond::{AppError, Cache};
use crate::site::Site;
use inforce_present::wire::{DocumentsJson, PlannedListJson, ProposalJson, ProposalsJson};

/// The filters of `/proposals` and `/api/v1/{code}/proposals`.
#[derive(Deserialize, Default)]
pub struct ProposalQuery {
    /// Only those now at this stage.
    stage: Option<String>,
    /// Only those on this path.
    path: Option<String>,
    /// Only those that would change this provision, a part of it or a whole containing it.
    affects: Option<String>,
    /// Only those pending at the end of this date (`today` accepted).
    pending_at: Option<String>,
}

/// The proposals the filters choose, in register order, and the pending date if one was asked.
fn chosen<'a>(ctx: &'a Ctx, query: &ProposalQuery) -> Result<(Vec<&'a Proposal>, Option<Date>), AppError> {
    let blank = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
    let (stage, path, affects, pending_at) =
        (blank(&query.stage), blank(&query.path), blank(&query.affects), blank(&query.pending_at));
    let pending_at = pending_at.as_deref().map(|d| ctx.date(d)).transpose()?;
    let affects = affects.as_deref().map(|text| ctx.provision(text)).transpose()?;
    let filter =
        ProposalFilter { stage: stage.as_deref(), path: path.as_deref(), affects: affects.as_ref(), pending_at };
    let list = ctx.history.proposals(&filter).map_err(|e| {
        let detail = match e {
            FilterError::UnknownStage { stage, process, known } => {
                format!("'{}' is not a stage of the {process}; the stages are: {}.", shorten(&stage), known.join(", "))
            }
            FilterError::UnknownPath { path, known } => {
                format!("'{}' is not a path; the paths are: {}.", shorten(&path), known.join(", "))
            }
        };
        ctx.error(AppError::bad_request(detail))
    })?;
    Ok((list, pending_at))
}

/// The code's process, or, for a register that defines none, one with no stages and no paths (so no
/// proposal matches and every stage or path filter is refused).
fn process_or_empty(ctx: &Ctx) -> std::borrow::Cow<'_, Process> {
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

fn process(ctx: &Ctx) -> Result<&Process, AppError> {
    ctx.history.register().process.as_ref().ok_or_else(|| {
        ctx.error(AppError::not_found(format!(
            "The {} register defines no change process, so it has no proposals.",
            ctx.code
        )))
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
pub async fn proposals(
    State(site): State<Arc<Site>>,
    Path(params): Params,
    Query(query): Query<ProposalQuery>,
    headers: HeaderMap,
) -> Answer {
    let ctx = Ctx::new(&site, &params, false)?;
    let defined = ctx.history.register().process.as_ref();
    let process = process_or_empty(&ctx);
    let process = process.as_ref();
    let (list, pending_at) = chosen(&ctx, &query)?;
    let stage_label = |id: &str| process.stage(id).map_or_else(|| id.to_string(), |s| s.label.clone());
    let rows = list
        .iter()
        .map(|p| ProposalRow {
            reference: p.reference.clone(),
            title: p.title.clone(),
            stage: match pending_at {
                Some(date) => p.stage_on(date).map_or_else(String::new, |s| stage_label(&s.stage)),
                None => p.current().map_or_else(String::new, |s| stage_label(&s.stage)),
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
    ctx.page(&headers, page, cache)
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
}

/// `/proposals/{reference}`
pub async fn proposal(State(site): State<Arc<Site>>, Path(params): Params, headers: HeaderMap) -> Answer {
    let ctx = Ctx::new(&site, &params, false)?;
    let process = process(&ctx)?;
    let found = find(&ctx, &params)?;
    let json = ProposalJson::new(process, found, ctx.today);
    let stage_label = |id: &str| process.stage(id).map_or_else(|| id.to_string(), |s| s.label.clone());
    let timeline = found
        .stages
        .iter()
        .map(|s| TimelineRow {
            date: s.date.to_string(),
            date_human: s.date.human(),
            stage: stage_label(&s.stage),
            decided_by: s.decided_by.clone().unwrap_or_default(),
            version: s.version.as_ref().map(ToString::to_string),
            note: s.note.clone().unwrap_or_default(),
        })
        .collect();
    let next = json.next.iter().map(|id| stage_label(id)).collect();
    let pending_words = if json.pending {
        format!("A change on its way as of {}.", human_date(ctx.today))
    } else {
        "Closed: no longer a change on its way.".to_string()
    };
    let page = ProposalPage {
        f: ctx.frame(),
        raised_human: found.raised.human(),
        timeline,
        next,
        pending_words,
        decision_human: found.decision(process).map(|d| d.date.human()).unwrap_or_default(),
        documents: doc_links(&ctx, Some(&Attachment::Proposal(found.reference.clone()))),
        p: json,
    };
    ctx.page(&headers, page, Cache::Today)
}

fn find<'a>(ctx: &'a Ctx, params: &HashMap<String, String>) -> Result<&'a Proposal, AppError> {
    let reference = params.get("reference").map_or("", String::as_str);
    ctx.history.register().proposals.iter().find(|p| p.reference.eq_ignore_ascii_case(reference)).ok_or_else(|| {
        ctx.error(AppError::not_found(format!("The {} has no proposal '{}'.", ctx.code, shorten(reference))))
    })
}

/// `/api/v1/{code}/proposals?stage=&path=&affects=&pending_at=`
pub async fn api_proposals(
    State(site): State<Arc<Site>>,
    Path(params): Params,
    Query(query): Query<ProposalQuery>,
    headers: HeaderMap,
) -> Answer {
    let ctx = Ctx::new(&site, &params, true)?;
    let (list, pending_at) = chosen(&ctx, &query)?;
    ctx.json(&headers, &ProposalsJson::new(&ctx.history, &list, pending_at, ctx.today), Cache::Today)
}

/// `/api/v1/{code}/proposals/{reference}`
pub async fn api_proposal(State(site): State<Arc<Site>>, Path(params): Params, headers: HeaderMap) -> Answer {
    let ctx = Ctx::new(&site, &params, true)?;
    let process = process(&ctx)?;
    let found = find(&ctx, &params)?;
    ctx.json(&headers, &ProposalJson::new(process, found, ctx.today), Cache::Today)
}

/// `/api/v1/{code}/planned`
pub async fn api_planned(State(site): State<Arc<Site>>, Path(params): Params, headers: HeaderMap) -> Answer {
    let ctx = Ctx::new(&site, &params, true)?;
    ctx.json(&headers, &PlannedListJson::new(&ctx.history), Cache::Published)
}

/// A document as pages link to it.
pub(crate) struct DocLink {
    pub(crate) href: String,
    pub(crate) title: String,
    pub(crate) file_name: String,
    pub(crate) size: String,
    pub(crate) kind: String,
    pub(crate) date: String,
    pub(crate) attached: String,
}

/// The documents attached to `attachment` (all of them when `None`), as links.
pub(crate) fn doc_links(ctx: &Ctx, attachment: Option<&Attachment>) -> Vec<DocLink> {
    ctx.history
        .register()
        .documents
        .iter()
        .filter(|d| attachment.is_none_or(|a| d.attached_to.contains(a)))
        .map(|d| DocLink {
            href: format!("{}/documents/{}/{}", ctx.base, d.id, d.file_name),
            title: d.title.clone(),
            file_name: d.file_name.clone(),
            size: human_size(d.size),
            kind: d.kind.clone().unwrap_or_default(),
            date: d.date.human(),
            attached: d.attached_to.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
        })
        .collect()
}

fn human_size(bytes: u64) -> String {
    match bytes {
        0..1024 => format!("{bytes} bytes"),
        1024..1_048_576 => format!("{:.0} KB", bytes as f64 / 1024.0),
        _ => format!("{:.1} MB", bytes as f64 / 1_048_576.0),
    }
}

#[derive(Template)]
#[template(path = "documents.html")]
struct DocumentsPage {
    f: Frame,
    documents: Vec<DocLink>,
}

/// `/documents`
pub async fn documents(State(site): State<Arc<Site>>, Path(params): Params, headers: HeaderMap) -> Answer {
    let ctx = Ctx::new(&site, &params, false)?;
    let documents = doc_links(&ctx, None);
    ctx.page(&headers, DocumentsPage { f: ctx.frame(), documents }, Cache::Published)
}

/// `/documents/{id}/{file_name}`: the file exactly as stored, checked against its hash.
pub async fn document_file(State(site): State<Arc<Site>>, Path(params): Params, headers: HeaderMap) -> Answer {
    let ctx = Ctx::new(&site, &params, false)?;
    let id = params.get("id").map_or("", String::as_str);
    let name = params.get("file").map_or("", String::as_str);
    let document = ctx
        .history
        .register()
        .documents
        .iter()
        .find(|d| d.id == id && d.file_name == name)
        .ok_or_else(|| AppError::not_found(format!("The {} has no document '{}'.", ctx.code, shorten(id))))?;
    let etag = format!("\"{}\"", document.sha256);
    if headers
        .get(axum::http::header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag))
    {
        return Ok((axum::http::StatusCode::NOT_MODIFIED, [(axum::http::header::ETAG, etag)]).into_response());
    }
    let bytes = site
        .file(&ctx.code, &document.sha256)
        .await
        .map_err(|e| AppError::unavailable(format!("The document cannot be read just now: {e}")))?
        .filter(|bytes| inforce_core::document::sha256(bytes) == document.sha256)
        .ok_or_else(|| AppError::internal(format!("The file of document '{}' is missing or damaged.", document.id)))?;
    let safe_name: String = document.file_name.chars().filter(|c| !c.is_control() && *c != '"' && *c != '\\').collect();
    let response = (
        [
            (axum::http::header::CONTENT_TYPE, document.media_type.clone()),
            (axum::http::header::CONTENT_DISPOSITION, format!("attachment; filename=\"{safe_name}\"")),
            (axum::http::header::ETAG, etag),
            (axum::http::header::CACHE_CONTROL, "public, max-age=31536000, immutable".to_string()),
            (axum::http::header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
        ],
        bytes,
    );
    Ok(response.into_response())
}

/// `/api/v1/{code}/documents`
pub async fn api_documents(State(site): State<Arc<Site>>, Path(params): Params, headers: HeaderMap) -> Answer {
    let ctx = Ctx::new(&site, &params, true)?;
    ctx.json(&headers, &DocumentsJson::new(&ctx.history, &ctx.history.register().documents), Cache::Published)
}
