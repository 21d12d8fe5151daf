//! Handlers: extract typed parameters, ask the core, map to a page or a JSON document. No rules live here.

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use inforce_core::compare::ChangeSort;
use inforce_core::date::{human_date, parse_day};
use inforce_core::diff::{DiffOptions, Op};
use inforce_core::point::{Cut, Point, PointError};
use inforce_core::{ChangeKind, CodeId, ConsultationState, EntryId, EntryKind, History, ProvisionId, Relation, Status};
use jiff::civil::Date;
use serde::Deserialize;

use crate::changes::{DocLink, doc_links};
use crate::respond::{AppError, Body, Cache, respond};
use crate::site::{Site, Snapshot};
use inforce_core::document::Attachment;
use inforce_present::describe::{entry_ref, status_reason};
use inforce_present::wire::{
    self, AtJson, BlameAnswerJson, CodesJson, ConsultationJson, ConsultationsJson, EntriesJson, ProvisionAnswerJson,
    VersionJson, VersionsJson,
};

pub(crate) type Params = Path<HashMap<String, String>>;
pub(crate) type Answer = Result<Response, AppError>;

/// What every handler works with: one code's history in the current snapshot.
pub(crate) struct Ctx {
    pub(crate) snapshot: Arc<Snapshot>,
    pub(crate) history: Arc<History>,
    pub(crate) code: CodeId,
    /// The path prefix of this code's pages: "" for the default code, "/codes/{code}" otherwise.
    pub(crate) base: String,
    pub(crate) today: Date,
    pub(crate) api: bool,
}

impl Ctx {
    pub(crate) fn new(site: &Site, params: &HashMap<String, String>, api: bool) -> Result<Self, AppError> {
        let snapshot = site.snapshot();
        let (code, base) = match params.get("code") {
            Some(text) => {
                let code = CodeId::parse(text)
                    .map_err(|e| with_api(AppError::bad_request(format!("'{text}' is not a code id: {e}")), api))?;
                let base = if api { String::new() } else { format!("/codes/{code}") };
                (code, base)
            }
            None => (site.options.default_code.clone(), String::new()),
        };
        let history = snapshot.histories.get(&code).cloned().ok_or_else(|| {
            let known: Vec<String> = snapshot.histories.keys().map(ToString::to_string).collect();
            with_api(
                AppError::not_found(format!("No code '{code}' is registered here (codes: {}).", known.join(", "))),
                api,
            )
        })?;
        Ok(Self { snapshot, history, code, base, today: site.today(), api })
    }

    pub(crate) fn frame(&self) -> Frame {
        Frame {
            code: self.code.to_string(),
            code_title: self.history.register().code.title.clone(),
            base: self.base.clone(),
            today: self.today.to_string(),
            today_human: human_date(self.today),
        }
    }

    pub(crate) fn error(&self, error: AppError) -> AppError {
        with_api(error, self.api)
    }

    pub(crate) fn page(&self, headers: &HeaderMap, page: impl Template, cache: Cache) -> Answer {
        let html = page.render().map_err(|e| AppError::internal(format!("the page could not be drawn: {e}")))?;
        Ok(respond(headers, Body::Html(html), self.snapshot.last_modified, cache))
    }

    pub(crate) fn json(&self, headers: &HeaderMap, answer: &impl serde::Serialize, cache: Cache) -> Answer {
        Ok(respond(headers, Body::json(answer)?, self.snapshot.last_modified, cache))
    }

    pub(crate) fn date(&self, text: &str) -> Result<Date, AppError> {
        if text.eq_ignore_ascii_case("today") {
            return Ok(self.today);
        }
        parse_day(text).ok_or_else(|| {
            self.error(AppError::bad_request(format!(
                "'{}' is not a date: write it as YYYY-MM-DD, for example 2015-01-20.",
                shorten(text)
            )))
        })
    }

    pub(crate) fn provision(&self, text: &str) -> Result<ProvisionId, AppError> {
        let id = ProvisionId::parse(text).map_err(|e| {
            self.error(AppError::bad_request(format!("'{}' is not a provision id: {e}", shorten(text))))
        })?;
        match self.history.provision(&id) {
            Some(_) => Ok(id),
            None => Err(self.error(AppError::not_found(format!("The {} has no provision '{id}'.", self.code)))),
        }
    }

    fn point(&self, text: &str) -> Result<Point, AppError> {
        if text.eq_ignore_ascii_case("today") || parse_day(text).is_some() {
            return Ok(Point::Date(self.date(text)?));
        }
        if text.len() == 10 && text.as_bytes().get(4) == Some(&b'-') {
            return Err(self.error(AppError::bad_request(format!("'{}' is not a valid date.", shorten(text)))));
        }
        EntryId::parse(text).map(Point::Entry).map_err(|e| {
            self.error(AppError::bad_request(format!("'{}' is not a version or date: {e}", shorten(text))))
        })
    }

    fn cut(&self, point: &Point) -> Result<Cut<'_>, AppError> {
        self.history.cut(point).map_err(|e| match e {
            PointError::UnknownEntry(id) => {
                self.error(AppError::not_found(format!("The {} has no version or event '{id}'.", self.code)))
            }
            PointError::Undated(_) => self.error(AppError::bad_request(e.to_string())),
        })
    }

    /// `?at=DATE` or `?version=V` (default today).
    pub(crate) fn cut_from(&self, query: &PointQuery) -> Result<Cut<'_>, AppError> {
        let point = match (&query.at, &query.version) {
            (Some(at), _) => Point::Date(self.date(at)?),
            (None, Some(version)) => self.point(version)?,
            (None, None) => Point::Date(self.today),
        };
        self.cut(&point)
    }
}

fn with_api(error: AppError, api: bool) -> AppError {
    if api { error.for_api() } else { error }
}

/// Echoes user input in messages only up to a point: enough to recognise, never a wall of text.
pub(crate) fn shorten(text: &str) -> String {
    let cut: String = text.chars().take(60).collect();
    if cut.len() < text.len() { format!("{cut}…") } else { cut }
}

/// The fields the base layout reads.
pub(crate) struct Frame {
    pub(crate) code: String,
    pub(crate) code_title: String,
    pub(crate) base: String,
    pub(crate) today: String,
    pub(crate) today_human: String,
}

/// `?at=` / `?version=` on provision pages.
#[derive(Deserialize, Default)]
pub struct PointQuery {
    pub(crate) at: Option<String>,
    pub(crate) version: Option<String>,
}

/// A version or event as the templates show it.
struct EntryView {
    id: String,
    label: String,
    effective: String,
    effective_human: String,
    instrument: String,
    summary: String,
    planned: bool,
    current: bool,
}

impl EntryView {
    fn new(entry: &inforce_core::Entry, today: Date, current: bool) -> Self {
        Self {
            id: entry.id.to_string(),
            label: entry.label(),
            effective: entry.effective.to_string(),
            effective_human: entry.effective.human(),
            instrument: entry.instrument.human().to_string(),
            summary: entry.summary.clone(),
            planned: History::is_planned(entry, today),
            current,
        }
    }
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    f: Frame,
    in_force: Option<EntryView>,
    planned: Vec<EntryView>,
    latest: Vec<EntryView>,
    open_consultations: Vec<ConsultationJson>,
    /// Proposals still on their way today: (reference, title, stage).
    pending: Vec<(String, String, String)>,
    codes: Vec<String>,
}

/// `/`
pub async fn home(State(site): State<Arc<Site>>, Path(params): Params, headers: HeaderMap) -> Answer {
    let ctx = Ctx::new(&site, &params, false)?;
    let history = &ctx.history;
    let in_force = history.in_force(ctx.today).version.map(|v| EntryView::new(v, ctx.today, true));
    let planned = history.planned(ctx.today).into_iter().map(|e| EntryView::new(e, ctx.today, false)).collect();
    let latest: Vec<EntryView> = history
        .timeline(None, Some(ctx.today))
        .into_iter()
        .rev()
        .take(5)
        .map(|e| EntryView::new(e, ctx.today, false))
        .collect();
    let open_consultations = history
        .register()
        .consultations
        .iter()
        .filter(|c| c.state_on(ctx.today) == ConsultationState::Open)
        .map(|c| ConsultationJson::new(c, ctx.today))
        .collect();
    let codes = ctx.snapshot.histories.keys().map(ToString::to_string).collect();
    let register = history.register();
    let pending = match &register.process {
        Some(process) => register
            .proposals
            .iter()
            .filter(|p| p.pending_on(process, ctx.today))
            .map(|p| {
                let stage = p.stage_on(ctx.today).map_or("", |s| s.stage.as_str());
                let label = process.stage(stage).map_or(stage, |s| s.label.as_str());
                (p.reference.clone(), p.title.clone(), label.to_string())
            })
            .collect(),
        None => Vec::new(),
    };
    let page = HomePage { f: ctx.frame(), in_force, planned, latest, open_consultations, pending, codes };
    ctx.page(&headers, page, Cache::Today)
}

#[derive(Template)]
#[template(path = "versions.html")]
struct VersionsPage {
    f: Frame,
    versions: Vec<EntryView>,
}

/// `/versions`
pub async fn versions(State(site): State<Arc<Site>>, Path(params): Params, headers: HeaderMap) -> Answer {
    let ctx = Ctx::new(&site, &params, false)?;
    let current = ctx.history.in_force(ctx.today).version.map(|v| v.id.clone());
    let versions = ctx
        .history
        .versions()
        .into_iter()
        .map(|v| EntryView::new(v, ctx.today, current.as_ref() == Some(&v.id)))
        .collect();
    ctx.page(&headers, VersionsPage { f: ctx.frame(), versions }, Cache::Today)
}

struct ListView {
    name: String,
    ids: Vec<String>,
    empty: String,
    note: Option<String>,
}

struct VersionView {
    id: String,
    label: String,
    effective: String,
    effective_human: String,
    made_human: String,
    instrument: String,
    summary: String,
    planned: bool,
    date: String,
}

#[derive(Template)]
#[template(path = "version.html")]
struct VersionPage {
    f: Frame,
    entry: VersionView,
    lists: Vec<ListView>,
    inactive: Vec<String>,
    previous: Option<String>,
    notes: Vec<String>,
    sources: Vec<String>,
    documents: Vec<DocLink>,
}

/// `/versions/{entry}`
pub async fn version(State(site): State<Arc<Site>>, Path(params): Params, headers: HeaderMap) -> Answer {
    let ctx = Ctx::new(&site, &params, false)?;
    let text = params.get("entry").map_or("", String::as_str);
    let entry = EntryId::parse(text)
        .ok()
        .and_then(|id| ctx.history.entry(&id))
        .ok_or_else(|| AppError::not_found(format!("The {} has no version or event '{}'.", ctx.code, shorten(text))))?;
    let lists = ChangeKind::ALL
        .into_iter()
        .map(|kind| {
            let list = entry.changes(kind);
            let empty = match list.completeness {
                inforce_core::Completeness::Unlisted => "Some, but the sources do not list them.".to_string(),
                _ => "None.".to_string(),
            };
            let partial = list.completeness == inforce_core::Completeness::Partial;
            let note = match (&list.note, partial) {
                (Some(note), _) => Some(note.clone()),
                (None, true) => Some("The sources name only some of them.".into()),
                (None, false) => None,
            };
            ListView {
                name: capitalise(kind.as_str()),
                ids: list.listed.iter().map(ToString::to_string).collect(),
                empty,
                note,
            }
        })
        .collect();
    let date = entry.effective.latest();
    let inactive = date
        .map(|d| {
            ctx.history
                .statuses(d)
                .into_iter()
                .filter(|s| s.status == Status::Inactive)
                .map(|s| s.provision.id.to_string())
                .collect()
        })
        .unwrap_or_default();
    let versions = ctx.history.versions();
    let previous = versions
        .iter()
        .position(|v| v.id == entry.id)
        .and_then(|i| i.checked_sub(1))
        .map(|i| versions[i].id.to_string())
        .filter(|_| entry.kind == EntryKind::Version);
    let view = VersionView {
        id: entry.id.to_string(),
        label: entry.label(),
        effective: entry.effective.to_string(),
        effective_human: entry.effective.human(),
        made_human: entry.made.human(),
        instrument: entry.instrument.human().to_string(),
        summary: entry.summary.clone(),
        planned: History::is_planned(entry, ctx.today),
        date: date.map_or_else(|| ctx.today.to_string(), |d| d.to_string()),
    };
    let page = VersionPage {
        f: ctx.frame(),
        entry: view,
        lists,
        inactive,
        previous,
        notes: entry.notes.clone(),
        sources: entry.sources.clone(),
        documents: doc_links(&ctx, Some(&Attachment::Version(entry.id.clone()))),
    };
    ctx.page(&headers, page, Cache::Published)
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// `?date=` from the date picker.
#[derive(Deserialize)]
pub struct DateQuery {
    date: Option<String>,
}

/// `/at?date=…`: the date picker's target, redirected to the permanent address.
pub async fn at_form(State(site): State<Arc<Site>>, Path(params): Params, Query(query): Query<DateQuery>) -> Answer {
    let ctx = Ctx::new(&site, &params, false)?;
    let date = ctx.date(query.date.as_deref().unwrap_or("today"))?;
    Ok(Redirect::to(&format!("{}/at/{date}", ctx.base)).into_response())
}

struct StatusRow {
    id: String,
    title: String,
    status: &'static str,
    status_words: String,
    reason: String,
    depth: usize,
}

#[derive(Template)]
#[template(path = "at.html")]
struct AtPage {
    f: Frame,
    date: String,
    date_human: String,
    date_is_future: bool,
    date_is_past: bool,
    version: Option<EntryView>,
    provisions: Vec<StatusRow>,
}

/// `/at/{date}`
pub async fn at(State(site): State<Arc<Site>>, Path(params): Params, headers: HeaderMap) -> Answer {
    let ctx = Ctx::new(&site, &params, false)?;
    let date = ctx.date(params.get("date").map_or("", String::as_str))?;
    let history = &ctx.history;
    let provisions = history
        .statuses(date)
        .iter()
        .map(|s| StatusRow {
            id: s.provision.id.to_string(),
            title: s.provision.title.clone().unwrap_or_default(),
            status: s.status.as_str(),
            status_words: s.status.as_str().replace('_', " "),
            reason: status_reason(s, ctx.today),
            depth: history.depth(&s.provision.id).min(3),
        })
        .collect();
    let page = AtPage {
        f: ctx.frame(),
        date: date.to_string(),
        date_human: human_date(date),
        date_is_future: date > ctx.today,
        date_is_past: date < ctx.today,
        version: history.in_force(date).version.map(|v| EntryView::new(v, ctx.today, false)),
        provisions,
    };
    let cache = if params.get("date").is_some_and(|d| d.eq_ignore_ascii_case("today")) {
        Cache::Today
    } else {
        Cache::Published
    };
    ctx.page(&headers, page, cache)
}

struct TimelineRow {
    id: String,
    label: String,
    date: String,
    date_human: String,
    what: String,
}

#[derive(Template)]
#[template(path = "provision.html")]
struct ProvisionPage {
    f: Frame,
    id: String,
    title: String,
    date: String,
    date_human: String,
    version: Option<String>,
    status: &'static str,
    status_words: String,
    reason: String,
    banners: Vec<String>,
    /// Proposals pending on the page's date that would change it: (reference, title, stage).
    proposals: Vec<(String, String, String)>,
    documents: Vec<DocLink>,
    text: Option<String>,
    text_from: Option<String>,
    no_text: String,
    timeline: Vec<TimelineRow>,
}

/// `/provisions/{provision}?at=…|version=…`
pub async fn provision(
    State(site): State<Arc<Site>>,
    Path(params): Params,
    Query(query): Query<PointQuery>,
    headers: HeaderMap,
) -> Answer {
    let ctx = Ctx::new(&site, &params, false)?;
    let id = ctx.provision(params.get("provision").map_or("", String::as_str))?;
    let cut = ctx.cut_from(&query)?;
    let history = &ctx.history;
    let status = history.status(&id, cut.date).ok_or_else(|| AppError::not_found("No such provision."))?;
    let text = history.text_at(&id, &cut);
    let mut timeline: Vec<TimelineRow> = history
        .provision_history(&id)
        .iter()
        .map(|item| TimelineRow {
            id: item.entry.id.to_string(),
            label: item.entry.label(),
            date: item.entry.effective.to_string(),
            date_human: item.entry.effective.human(),
            what: match item.relation {
                Relation::Direct => item.kind.as_str().to_string(),
                Relation::Ancestor(p) => format!("{} {p}, a provision above it", item.kind.as_str()),
                Relation::Descendant(p) => format!("{} {p}, a part of it", item.kind.as_str()),
                Relation::Unlisted => {
                    format!("{} provisions without listing them (may include this one)", item.kind.as_str())
                }
            },
        })
        .collect();
    for event in history.text_history(&id) {
        timeline.push(TimelineRow {
            id: event.entry.id.to_string(),
            label: event.entry.label(),
            date: event.entry.effective.to_string(),
            date_human: event.entry.effective.human(),
            what: format!(
                "wording {}: {} words added, {} removed",
                event.kind.as_str(),
                event.words_added,
                event.words_removed
            ),
        });
    }
    timeline.sort_by(|a, b| a.date.cmp(&b.date));
    // Planned entries that name it (or a provision above it) are shown as banners: the text will change.
    let banners = history
        .provision_history(&id)
        .iter()
        .filter(|item| History::is_planned(item.entry, ctx.today) && item.relation != Relation::Unlisted)
        .map(|item| format!("Planned: {} will change it ({}).", entry_ref(item.entry, ctx.today), item.kind.as_str()))
        .collect();
    let proposals = match &history.register().process {
        Some(process) => history
            .pending_proposals(&id, cut.date)
            .into_iter()
            .map(|p| {
                let stage = p.stage_on(cut.date).map(|s| s.stage.as_str()).unwrap_or_default();
                let label = process.stage(stage).map_or(stage, |s| s.label.as_str());
                (p.reference.clone(), p.title.clone(), label.to_string())
            })
            .collect(),
        None => Vec::new(),
    };
    let no_text = if history.has_texts() {
        format!("No text of {id} is recorded at this date.")
    } else {
        format!("No text is recorded in the {} register yet: it holds versions and statuses only.", ctx.code)
    };
    let page = ProvisionPage {
        f: ctx.frame(),
        title: history.provision(&id).and_then(|p| p.title.clone()).unwrap_or_default(),
        id: id.to_string(),
        date: cut.date.to_string(),
        date_human: human_date(cut.date),
        version: cut.entry.map(|(e, _)| e.id.to_string()),
        status: status.status.as_str(),
        status_words: status.status.as_str().replace('_', " "),
        reason: capitalise(&status_reason(&status, ctx.today)),
        banners,
        proposals,
        documents: doc_links(&ctx, Some(&Attachment::Provision(id.clone()))),
        text: text.and_then(|t| t.text).map(str::to_string),
        text_from: text.map(|t| entry_ref(t.entry, ctx.today)),
        no_text,
        timeline,
    };
    let cache = if query.at.is_none() && query.version.is_none() { Cache::Today } else { Cache::Published };
    ctx.page(&headers, page, cache)
}

struct RunView {
    text: String,
    id: String,
    label: String,
}

#[derive(Template)]
#[template(path = "blame.html")]
struct BlamePage {
    f: Frame,
    id: String,
    date: String,
    date_human: String,
    paragraphs: Vec<Vec<RunView>>,
    no_text: String,
}

/// `/provisions/{provision}/blame`
pub async fn blame(
    State(site): State<Arc<Site>>,
    Path(params): Params,
    Query(query): Query<PointQuery>,
    headers: HeaderMap,
) -> Answer {
    let ctx = Ctx::new(&site, &params, false)?;
    let id = ctx.provision(params.get("provision").map_or("", String::as_str))?;
    let cut = ctx.cut_from(&query)?;
    let paragraphs = ctx
        .history
        .blame(&id, &cut)
        .unwrap_or_default()
        .into_iter()
        .map(|p| {
            p.into_iter()
                .map(|r| RunView { text: r.text, id: r.entry.id.to_string(), label: entry_ref(r.entry, ctx.today) })
                .collect()
        })
        .collect();
    let page = BlamePage {
        f: ctx.frame(),
        id: id.to_string(),
        date: cut.date.to_string(),
        date_human: human_date(cut.date),
        paragraphs,
        no_text: format!("No text of {id} is recorded at this date."),
    };
    ctx.page(&headers, page, Cache::Published)
}

struct ChangeView {
    id: String,
    title: String,
    sort: &'static str,
    status_before: String,
    status_after: String,
    by: String,
    edits: Vec<(&'static str, String)>,
}

#[derive(Template)]
#[template(path = "compare.html")]
struct ComparePage {
    f: Frame,
    a_label: String,
    b_label: String,
    note: Option<String>,
    between: Vec<EntryView>,
    added: usize,
    removed: usize,
    changed: usize,
    status_changed: usize,
    changes: Vec<ChangeView>,
}

/// `?provision=` on comparisons.
#[derive(Deserialize, Default)]
pub struct CompareQuery {
    provision: Option<String>,
    ignore_formatting: Option<bool>,
}

/// A comparison worked out once for the page and the API.
struct Comparison<'a> {
    a: Cut<'a>,
    b: Cut<'a>,
    changes: Vec<inforce_core::compare::ProvisionComparison<'a>>,
    between: Vec<&'a inforce_core::Entry>,
    within: Option<ProvisionId>,
    options: DiffOptions,
}

fn comparison<'a>(ctx: &'a Ctx, range: &str, query: &CompareQuery) -> Result<Comparison<'a>, AppError> {
    let (a, b) = range.split_once("...").ok_or_else(|| {
        ctx.error(AppError::bad_request(format!(
            "'{}' is not a range: write two versions or dates joined by '...', for example 4.0...4.1.",
            shorten(range)
        )))
    })?;
    let a = ctx.cut(&ctx.point(a)?)?;
    let b = ctx.cut(&ctx.point(b)?)?;
    let within = query.provision.as_deref().map(|p| ctx.provision(p)).transpose()?;
    let options = DiffOptions { ignore_formatting: query.ignore_formatting.unwrap_or(false) };
    let changes = ctx.history.compare(&a, &b, within.as_ref(), options);
    let between = ctx.history.entries_between(&a, &b);
    Ok(Comparison { a, b, changes, between, within, options })
}

fn cut_label(cut: &Cut<'_>) -> String {
    match cut.entry {
        Some((entry, _)) => format!("{} ({})", entry.label(), entry.effective.human()),
        None => human_date(cut.date),
    }
}

/// `/compare/{a}...{b}`
pub async fn compare(
    State(site): State<Arc<Site>>,
    Path(params): Params,
    Query(query): Query<CompareQuery>,
    headers: HeaderMap,
) -> Answer {
    let ctx = Ctx::new(&site, &params, false)?;
    let found = comparison(&ctx, params.get("range").map_or("", String::as_str), &query)?;
    let count = |sort| found.changes.iter().filter(|c| c.sort == sort).count();
    let changes = found
        .changes
        .iter()
        .map(|c| ChangeView {
            id: c.provision.id.to_string(),
            title: c.provision.title.clone().unwrap_or_default(),
            sort: c.sort.as_str(),
            status_before: c.status.0.as_str().replace('_', " "),
            status_after: c.status.1.as_str().replace('_', " "),
            by: c.responsible.iter().map(|e| e.id.to_string()).collect::<Vec<_>>().join(", "),
            edits: c
                .edits
                .iter()
                .map(|e| {
                    let op = match e.op {
                        Op::Equal => "equal",
                        Op::Insert => "insert",
                        Op::Delete => "delete",
                    };
                    (op, e.text.clone())
                })
                .collect(),
        })
        .collect();
    let note = (!ctx.history.has_texts()).then(|| {
        format!("No text is recorded in the {} register yet: this comparison shows statuses and the register's lists of changes.", ctx.code)
    });
    let page = ComparePage {
        f: ctx.frame(),
        a_label: cut_label(&found.a),
        b_label: cut_label(&found.b),
        note,
        between: found.between.iter().map(|e| EntryView::new(e, ctx.today, false)).collect(),
        added: count(ChangeSort::Added),
        removed: count(ChangeSort::Removed),
        changed: count(ChangeSort::Changed),
        status_changed: count(ChangeSort::StatusChanged),
        changes,
    };
    ctx.page(&headers, page, Cache::Published)
}

#[derive(Template)]
#[template(path = "consultations.html")]
struct ConsultationsPage {
    f: Frame,
    consultations: Vec<ConsultationRow>,
    /// The state the list is limited to, if any.
    state: Option<String>,
}

struct ConsultationRow {
    title: String,
    published: String,
    closes: String,
    state: &'static str,
    topics: String,
    led_to: Vec<String>,
    responses: Vec<String>,
    documents: Vec<DocLink>,
}

/// `?state=` on the consultations page and API.
#[derive(Deserialize, Default)]
pub struct ConsultationQuery {
    /// Only consultations in this state today: open, closed, upcoming or unknown.
    state: Option<String>,
}

impl ConsultationQuery {
    /// The state asked for, checked.
    fn state(&self, ctx: &Ctx) -> Result<Option<ConsultationState>, AppError> {
        match self.state.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(text) => ConsultationState::parse(text).map(Some).ok_or_else(|| {
                ctx.error(AppError::bad_request(format!(
                    "'{}' is not a consultation state: use open, closed, upcoming or unknown.",
                    shorten(text)
                )))
            }),
        }
    }
}

/// `/consultations?state=open`
pub async fn consultations(
    State(site): State<Arc<Site>>,
    Path(params): Params,
    Query(query): Query<ConsultationQuery>,
    headers: HeaderMap,
) -> Answer {
    let ctx = Ctx::new(&site, &params, false)?;
    let state = query.state(&ctx)?;
    let consultations = ctx
        .history
        .register()
        .consultations
        .iter()
        .filter(|c| state.is_none_or(|s| c.state_on(ctx.today) == s))
        .map(|c| ConsultationRow {
            title: c.title.clone(),
            published: c.published.human(),
            closes: c.closes.human(),
            state: c.state_on(ctx.today).as_str(),
            topics: c.topics.join("; "),
            led_to: c.led_to.iter().map(ToString::to_string).collect(),
            responses: c.responses.clone(),
            documents: doc_links(&ctx, Some(&Attachment::Consultation(c.id.clone()))),
        })
        .collect();
    let state = state.map(|s| s.as_str().to_string());
    ctx.page(&headers, ConsultationsPage { f: ctx.frame(), consultations, state }, Cache::Today)
}

struct VariationRow {
    id: String,
    effective: String,
    effective_human: String,
    made_human: String,
    instrument: String,
    /// What it did to which provisions: "H14.31 activated, X2 amended".
    provisions: String,
    summary: String,
}

#[derive(Template)]
#[template(path = "variations.html")]
struct VariationsPage {
    f: Frame,
    entries: Vec<VariationRow>,
}

/// `/variations`: changes made outside the modification process.
pub async fn variations(State(site): State<Arc<Site>>, Path(params): Params, headers: HeaderMap) -> Answer {
    let ctx = Ctx::new(&site, &params, false)?;
    let entries = ctx
        .history
        .timeline(None, None)
        .into_iter()
        .filter(|e| e.instrument.is_variation())
        .map(|e| VariationRow {
            id: e.id.to_string(),
            effective: e.effective.to_string(),
            effective_human: e.effective.human(),
            made_human: e.made.human(),
            instrument: e.instrument.human().to_string(),
            provisions: ChangeKind::ALL
                .iter()
                .flat_map(|k| e.changes(*k).listed.iter().map(move |p| format!("{p} {}", k.as_str())))
                .collect::<Vec<_>>()
                .join(", "),
            summary: e.summary.clone(),
        })
        .collect();
    ctx.page(&headers, VariationsPage { f: ctx.frame(), entries }, Cache::Published)
}

/// `/static/site.css`
pub async fn stylesheet(State(site): State<Arc<Site>>, headers: HeaderMap) -> Response {
    respond(&headers, Body::Css(include_str!("../templates/site.css")), site.snapshot().last_modified, Cache::Published)
}

/// `/api/openapi.json`: the API's description (OpenAPI 3.1), checked against real responses by the tests.
pub async fn openapi(State(site): State<Arc<Site>>, headers: HeaderMap) -> Answer {
    let document: serde_json::Value = serde_json::from_str(include_str!("../api/openapi.json"))
        .map_err(|e| AppError::internal(format!("the API description is unreadable: {e}")).for_api())?;
    Ok(respond(&headers, Body::json(&document)?, site.snapshot().last_modified, Cache::Published))
}

/// `/readyz`: the store answers and a history is loaded.
pub async fn ready(State(site): State<Arc<Site>>) -> Response {
    let loaded = !site.snapshot().histories.is_empty();
    if loaded && site.store_reachable().await {
        "ready".into_response()
    } else {
        (axum::http::StatusCode::SERVICE_UNAVAILABLE, "not ready: the store is unreachable or nothing is loaded")
            .into_response()
    }
}

/// Anything else.
pub async fn not_found(uri: axum::http::Uri) -> AppError {
    let api = uri.path().starts_with("/api/");
    with_api(AppError::not_found(format!("There is no page at {}.", shorten(uri.path()))), api)
}

// ---------------------------------------------------------------------------------------------------------------
// JSON API: the same answers as the pages.

/// `/api/v1/codes`
pub async fn api_codes(State(site): State<Arc<Site>>, headers: HeaderMap) -> Answer {
    let snapshot = site.snapshot();
    let codes = CodesJson::new(snapshot.histories.values().map(AsRef::as_ref));
    Ok(respond(&headers, Body::json(&codes)?, snapshot.last_modified, Cache::Today))
}

/// `/api/v1/{code}/versions`
pub async fn api_versions(State(site): State<Arc<Site>>, Path(params): Params, headers: HeaderMap) -> Answer {
    let ctx = Ctx::new(&site, &params, true)?;
    ctx.json(&headers, &VersionsJson::new(&ctx.history, ctx.today), Cache::Today)
}

/// `/api/v1/{code}/versions/{entry}`
pub async fn api_version(State(site): State<Arc<Site>>, Path(params): Params, headers: HeaderMap) -> Answer {
    let ctx = Ctx::new(&site, &params, true)?;
    let text = params.get("entry").map_or("", String::as_str);
    let entry = EntryId::parse(text).ok().and_then(|id| ctx.history.entry(&id)).ok_or_else(|| {
        ctx.error(AppError::not_found(format!("The {} has no version or event '{}'.", ctx.code, shorten(text))))
    })?;
    ctx.json(&headers, &VersionJson::new(&ctx.history, entry, ctx.today), Cache::Published)
}

/// `/api/v1/{code}/at/{date}`: the same shape as `inforce at --format json`.
pub async fn api_at(State(site): State<Arc<Site>>, Path(params): Params, headers: HeaderMap) -> Answer {
    let ctx = Ctx::new(&site, &params, true)?;
    let date = ctx.date(params.get("date").map_or("", String::as_str))?;
    ctx.json(&headers, &AtJson::new(&ctx.history, date, ctx.today), Cache::Published)
}

/// `/api/v1/{code}/provisions/{provision}?at=…|version=…`
pub async fn api_provision(
    State(site): State<Arc<Site>>,
    Path(params): Params,
    Query(query): Query<PointQuery>,
    headers: HeaderMap,
) -> Answer {
    let ctx = Ctx::new(&site, &params, true)?;
    let id = ctx.provision(params.get("provision").map_or("", String::as_str))?;
    let cut = ctx.cut_from(&query)?;
    let history = &ctx.history;
    let status = history.status(&id, cut.date).ok_or_else(|| ctx.error(AppError::not_found("No such provision.")))?;
    let json = ProvisionAnswerJson::new(history, &status, &cut, ctx.today);
    let cache = if query.at.is_none() && query.version.is_none() { Cache::Today } else { Cache::Published };
    ctx.json(&headers, &json, cache)
}

/// `/api/v1/{code}/provisions/{provision}/blame`
pub async fn api_blame(
    State(site): State<Arc<Site>>,
    Path(params): Params,
    Query(query): Query<PointQuery>,
    headers: HeaderMap,
) -> Answer {
    let ctx = Ctx::new(&site, &params, true)?;
    let id = ctx.provision(params.get("provision").map_or("", String::as_str))?;
    let cut = ctx.cut_from(&query)?;
    let paragraphs = ctx.history.blame(&id, &cut);
    let json = BlameAnswerJson::new(&ctx.history, &id, &cut, paragraphs.as_deref(), ctx.today);
    ctx.json(&headers, &json, Cache::Published)
}

/// `/api/v1/{code}/compare/{a}...{b}`: summary and edit operations, as `inforce diff --format json`.
pub async fn api_compare(
    State(site): State<Arc<Site>>,
    Path(params): Params,
    Query(query): Query<CompareQuery>,
    headers: HeaderMap,
) -> Answer {
    let ctx = Ctx::new(&site, &params, true)?;
    let found = comparison(&ctx, params.get("range").map_or("", String::as_str), &query)?;
    let code = ctx.code.to_string();
    let note = (!ctx.history.has_texts()).then(|| {
        format!("No text is recorded in the {code} register yet: the comparison shows statuses and change lists.")
    });
    let parts = wire::ComparisonParts {
        code: &code,
        points: (&found.a, &found.b),
        within: found.within.as_ref(),
        options: found.options,
        note: note.as_deref(),
        between: &found.between,
        changes: &found.changes,
    };
    ctx.json(&headers, &wire::comparison_json(&parts, ctx.today), Cache::Published)
}

/// `/api/v1/{code}/timeline`
pub async fn api_timeline(State(site): State<Arc<Site>>, Path(params): Params, headers: HeaderMap) -> Answer {
    let ctx = Ctx::new(&site, &params, true)?;
    let entries = ctx.history.timeline(None, None);
    ctx.json(&headers, &EntriesJson::new(&ctx.history, &entries, ctx.today), Cache::Today)
}

/// `/api/v1/{code}/variations`: the variations log, oldest first.
pub async fn api_variations(State(site): State<Arc<Site>>, Path(params): Params, headers: HeaderMap) -> Answer {
    let ctx = Ctx::new(&site, &params, true)?;
    let mut entries = ctx.history.timeline(None, None);
    entries.retain(|e| e.instrument.is_variation());
    ctx.json(&headers, &EntriesJson::new(&ctx.history, &entries, ctx.today), Cache::Today)
}

/// `/api/v1/{code}/consultations`
pub async fn api_consultations(
    State(site): State<Arc<Site>>,
    Path(params): Params,
    Query(query): Query<ConsultationQuery>,
    headers: HeaderMap,
) -> Answer {
    let ctx = Ctx::new(&site, &params, true)?;
    let state = query.state(&ctx)?;
    let chosen =
        ctx.history.register().consultations.iter().filter(|c| state.is_none_or(|s| c.state_on(ctx.today) == s));
    ctx.json(&headers, &ConsultationsJson::new(&ctx.history, chosen, ctx.today), Cache::Today)
}
