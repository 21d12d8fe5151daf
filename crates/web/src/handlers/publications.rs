//! The publication log of a code: every publication, when it was recorded, who made it with which command, what
//! it was computed against: `/publications` and the API twin.

use askama::Template;
use inforce_present::wire::{PublicationJson, PublicationsJson};
use inforce_store::Publication;

use crate::ctx::{ApiCtx, Frame, PageCtx};
use crate::query::{Query, SinceQuery};
use crate::respond::{ApiResult, Cache, PageResult};

struct PublicationRow {
    id: i64,
    recorded_at: String,
    origin: String,
    records: i64,
    author: String,
    command: String,
    /// Why it replaces what was recorded (a correction); empty otherwise.
    reason: String,
    base: String,
    /// Its place in the log and its digest.
    logged: Option<(u64, String)>,
}

#[derive(Template)]
#[template(path = "publications.html")]
struct PublicationsPage {
    f: Frame,
    publications: Vec<PublicationRow>,
}

fn publications<F: crate::ctx::Face>(ctx: &crate::ctx::Ctx<F>) -> &[Publication] {
    ctx.publications()
}

/// `/publications`: every publication of the code, newest first.
pub async fn publications_page(ctx: PageCtx) -> PageResult {
    let not_recorded = |text: &str| if text.is_empty() { "not recorded".to_string() } else { text.to_string() };
    let rows = publications(&ctx)
        .iter()
        .rev()
        .map(|p| PublicationRow {
            id: p.id,
            recorded_at: p.recorded_at.to_string(),
            origin: p.origin.clone(),
            records: p.record_count,
            author: not_recorded(&p.author),
            command: not_recorded(&p.command),
            reason: p.reason.clone().unwrap_or_default(),
            base: p.base.map_or_else(|| "none".to_string(), |b| b.to_string()),
            logged: ctx.snapshot.log_entry(&ctx.code, p.id).map(|e| (e.sequence, e.digest.to_string())),
        })
        .collect();
    ctx.page(PublicationsPage { f: ctx.frame(), publications: rows }, Cache::Published)
}

/// `/api/v1/{code}/publications`: every publication of the code, oldest first, as `inforce publications` gives
/// them.
pub async fn api_publications(
    ctx: ApiCtx,
    Query(query): Query<SinceQuery>,
    Query(paging): Query<crate::query::PageQuery>,
) -> ApiResult {
    let since = ctx.since(query.since.as_deref())?;
    let rows = publications(&ctx)
        .iter()
        .filter(|p| since.is_none_or(|since| p.recorded_at > since))
        .map(|p| PublicationJson::new(p.facts()))
        .collect();
    ctx.json_list(&PublicationsJson::new(&ctx.code, rows), "publications", &paging, Cache::Published)
}
