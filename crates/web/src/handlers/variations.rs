//! The variations log (changes made outside the modification process) and the whole timeline, as JSON.

use askama::Template;
use inforce_core::ChangeKind;
use inforce_present::wire::EntriesJson;

use crate::ctx::{ApiCtx, Frame, PageCtx};
use crate::query::{Query, TimelineQuery};
use crate::respond::{ApiResult, Cache, PageResult, Problem};

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
pub async fn variations(ctx: PageCtx) -> PageResult {
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
    ctx.page(VariationsPage { f: ctx.frame(), entries }, Cache::Published)
}

/// `/api/v1/{code}/variations`: the variations log, oldest first.
pub async fn api_variations(ctx: ApiCtx, Query(paging): Query<crate::query::PageQuery>) -> ApiResult {
    let mut entries = ctx.history.timeline(None, None);
    entries.retain(|e| e.instrument.is_variation());
    ctx.json_list(&EntriesJson::new(&ctx.history, &entries, ctx.today), "entries", &paging, Cache::Today)
}

/// `/api/v1/{code}/timeline?from=&to=`: every version and event, or those taking effect between the two dates.
pub async fn api_timeline(
    ctx: ApiCtx,
    Query(query): Query<TimelineQuery>,
    Query(paging): Query<crate::query::PageQuery>,
) -> ApiResult {
    let day = |text: &Option<String>| {
        text.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(|t| ctx.date(t)).transpose()
    };
    let (from, to) = (day(&query.from)?, day(&query.to)?);
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        return Err(Problem::bad_request(format!("from ({from}) is after to ({to}).")).into());
    }
    let since = ctx.since(query.since.as_deref())?;
    let mut entries = ctx.history.timeline(from, to);
    entries.retain(|e| ctx.recorded_since(since, inforce_core::ledger::RecordKind::Entry, e.id.as_str()));
    ctx.json_list(&EntriesJson::new(&ctx.history, &entries, ctx.today), "entries", &paging, Cache::Today)
}
