//! Consultations, filtered by their state today: `/consultations?state=` and the API twin.

use crate::query::{ConsultationQuery, Query};
use askama::Template;
use inforce_core::ConsultationState;
use inforce_core::document::Attachment;
use inforce_present::wire::ConsultationsJson;
use serde::Deserialize;

use crate::ctx::{ApiCtx, Frame, PageCtx};
use crate::handlers::documents::{DocLink, doc_links};
use crate::respond::{ApiResult, Cache, PageResult, Problem, shorten};

#[derive(Template)]
#[template(path = "consultations.html")]
struct ConsultationsPage {
    f: Frame,
    consultations: Vec<ConsultationRow>,
    /// The state the list is limited to, if any.
    state: Option<String>,
}

struct ConsultationRow {
    id: String,
    title: String,
    published: String,
    closes: String,
    state: &'static str,
    topics: String,
    led_to: Vec<String>,
    /// What it concerns: (label, address).
    concerns: Vec<(String, String)>,
    responses: Vec<String>,
    documents: Vec<DocLink>,
}

impl ConsultationRow {
    /// A consultation as the list and its own page show it, with its state today.
    fn new(ctx: &PageCtx, c: &inforce_core::Consultation) -> Self {
        Self {
            id: c.id.clone(),
            title: c.title.clone(),
            published: c.published.human(),
            closes: c.closes.human(),
            state: c.state_on(ctx.today).as_str(),
            topics: c.topics.join("; "),
            led_to: c.led_to.iter().map(ToString::to_string).collect(),
            concerns: c
                .concerns
                .iter()
                .map(|concern| {
                    let base = &ctx.frame().base;
                    let (label, href) = match concern {
                        Attachment::Proposal(r) => (format!("proposal {r}"), format!("{base}/proposals/{r}")),
                        Attachment::Version(v) => (format!("version {v}"), format!("{base}/versions/{v}")),
                        Attachment::Provision(p) => (p.to_string(), format!("{base}/provisions/{p}")),
                        Attachment::Consultation(id) => {
                            (format!("consultation {id}"), format!("{base}/consultations/{id}"))
                        }
                    };
                    (label, href)
                })
                .collect(),
            responses: c.responses.clone(),
            documents: doc_links(ctx, Some(&Attachment::Consultation(c.id.clone()))),
        }
    }
}

impl ConsultationQuery {
    /// The state asked for, checked.
    fn state(&self) -> Result<Option<ConsultationState>, Problem> {
        match self.state.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(text) => ConsultationState::parse(text).map(Some).ok_or_else(|| {
                Problem::bad_request(format!(
                    "'{}' is not a consultation state: use open, closed, upcoming or unknown.",
                    shorten(text)
                ))
            }),
        }
    }
}

/// `/consultations?state=open`
pub async fn consultations(ctx: PageCtx, Query(query): Query<ConsultationQuery>) -> PageResult {
    let state = query.state()?;
    let consultations = ctx
        .history
        .register()
        .consultations
        .iter()
        .filter(|c| state.is_none_or(|s| c.state_on(ctx.today) == s))
        .map(|c| ConsultationRow::new(&ctx, c))
        .collect();
    let state = state.map(|s| s.as_str().to_string());
    ctx.page(ConsultationsPage { f: ctx.frame(), consultations, state }, Cache::Today)
}

/// `/api/v1/{code}/consultations`
pub async fn api_consultations(
    ctx: ApiCtx,
    Query(query): Query<ConsultationQuery>,
    Query(paging): Query<crate::query::PageQuery>,
) -> ApiResult {
    let state = query.state()?;
    let since = ctx.since(query.since.as_deref())?;
    let chosen = ctx.history.register().consultations.iter().filter(|c| {
        state.is_none_or(|s| c.state_on(ctx.today) == s)
            && ctx.recorded_since(since, inforce_core::ledger::RecordKind::Consultation, &c.id)
    });
    ctx.json_list(&ConsultationsJson::new(&ctx.history, chosen, ctx.today), "consultations", &paging, Cache::Today)
}

/// `{reference}` in a consultation's address.
#[derive(Deserialize)]
pub struct ConsultationPath {
    id: String,
}

#[derive(Template)]
#[template(path = "consultation.html")]
struct ConsultationPage {
    f: Frame,
    c: ConsultationRow,
    notes: Vec<String>,
    sources: Vec<String>,
    /// The planned changes announced in it: (title, expected, the provisions they affect).
    planned: Vec<(String, String, Vec<String>)>,
    corrections: Vec<super::CorrectionView>,
}

/// The consultation with this id (any case), or a 404.
fn find<'h>(history: &'h inforce_core::History, id: &str) -> Result<&'h inforce_core::Consultation, Problem> {
    let register = history.register();
    register
        .consultation(id)
        .ok_or_else(|| Problem::not_found(format!("The {} has no consultation '{}'.", register.code.id, shorten(id))))
}

/// `/consultations/{id}`: one consultation, its state today, what it led to and the planned changes it announced.
pub async fn consultation(
    ctx: PageCtx,
    axum::extract::Path(path): axum::extract::Path<ConsultationPath>,
) -> PageResult {
    let c = find(&ctx.history, &path.id)?;
    let planned = ctx
        .history
        .register()
        .announced_in(&c.id)
        .map(|p| (p.title.clone(), p.expected.human(), p.affects.iter().map(ToString::to_string).collect()))
        .collect();
    let page = ConsultationPage {
        f: ctx.frame(),
        c: ConsultationRow::new(&ctx, c),
        notes: c.notes.clone(),
        sources: c.sources.clone(),
        planned,
        corrections: super::corrections_of(&ctx.history, inforce_core::ledger::RecordKind::Consultation, &c.id),
    };
    ctx.page(page, Cache::Today)
}

/// `/api/v1/{code}/consultations/{id}`: as `inforce consultation show ID --format json`.
pub async fn api_consultation(
    ctx: ApiCtx,
    axum::extract::Path(path): axum::extract::Path<ConsultationPath>,
) -> ApiResult {
    let c = find(&ctx.history, &path.id)?;
    ctx.json(&inforce_present::wire::ConsultationShowJson::new(&ctx.history, c, ctx.today), Cache::Today)
}
