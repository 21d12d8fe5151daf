//! Every provision's status on a date: `/at/{date}`, the date picker's `/at?date=`, and the API twin.

use crate::query::{DateQuery, Query};
use std::sync::Arc;

use askama::Template;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect};
use inforce_core::History;
use inforce_core::date::human_date;
use inforce_present::describe::status_reason;
use inforce_present::wire::AtJson;
use jiff::civil::Date;

use crate::ctx::{ApiCtx, DatePath, Frame, PageCtx};
use crate::handlers::EntryView;
use crate::respond::{ApiResult, Cache, PageResult};

/// `/at?date=…`: the date picker's target, redirected to the permanent address.
pub async fn at_form(ctx: PageCtx, Query(query): Query<DateQuery>) -> PageResult {
    let date = ctx.date(query.date.as_deref().unwrap_or("today"))?;
    Ok(Redirect::to(&format!("{}/at/{date}", ctx.base)).into_response())
}

struct StatusRow {
    id: String,
    /// The day its link names: the one that stands for the stretch its page reads the same
    /// ([`inforce_core::History::representative_day`]), so that a static copy holds one page per stretch.
    at: String,
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
    /// Whether a version not recorded here may have followed `version` by the date.
    unrecorded_possible: bool,
    /// Said once when versions may be missing: statuses are those of the versions recorded.
    record_banner: Option<String>,
    /// Every provision's row, worked out as the page is written ([`AtPage::rows`]).
    statuses: Statuses,
}

/// What the rows of a whole code on a date are drawn from.
struct Statuses {
    history: Arc<History>,
    date: Date,
    today: Date,
}

impl AtPage {
    /// Every provision's row, one at a time: a code can have hundreds of thousands.
    fn rows(&self) -> impl Iterator<Item = StatusRow> + '_ {
        let Statuses { history, date, today } = &self.statuses;
        history.statuses_iter(*date).map(move |s| StatusRow {
            id: s.provision.id.to_string(),
            at: history.representative_day(&s.provision.id, *date).to_string(),
            title: s.provision.title.clone().unwrap_or_default(),
            status: s.status.as_str(),
            status_words: inforce_present::describe::status_words(&s),
            reason: status_reason(&s, *today),
            depth: history.depth(&s.provision.id).min(3),
        })
    }
}

/// `/at/{date}`, written as it is worked out ([`PageCtx::page_streamed`]).
pub async fn at(ctx: PageCtx, Path(path): Path<DatePath>) -> PageResult {
    let date = ctx.date(&path.date)?;
    let history = &ctx.history;
    let coverage = history.coverage(date);
    let in_force = history.in_force(date).version;
    let page = AtPage {
        f: ctx.frame(),
        unrecorded_possible: coverage.unrecorded_versions_possible,
        record_banner: inforce_present::describe::coverage_banner(history, in_force, &coverage),
        date: date.to_string(),
        date_human: human_date(date),
        date_is_future: date > ctx.today,
        date_is_past: date < ctx.today,
        version: in_force.map(|v| EntryView::new(v, ctx.today, false)),
        statuses: Statuses { history: history.clone(), date, today: ctx.today },
    };
    let cache = if path.date.eq_ignore_ascii_case("today") { Cache::Today } else { Cache::Published };
    ctx.page_streamed(cache, &format!("at {date}"), page).await
}

/// `/api/v1/{code}/at/{date}`: the same shape as `inforce at --format json`.
/// Written as it is worked out, one provision at a time ([`ApiCtx::json_streamed`]).
pub async fn api_at(ctx: ApiCtx, Path(path): Path<DatePath>) -> ApiResult {
    let (date, today) = (ctx.date(&path.date)?, ctx.today);
    let cache = if path.date.eq_ignore_ascii_case("today") { Cache::Today } else { Cache::Published };
    ctx.json_streamed(cache, &format!("at {date}"), move |history, out| {
        serde_json::to_writer_pretty(out, &AtJson::new(history, date, today))
    })
    .await
}
