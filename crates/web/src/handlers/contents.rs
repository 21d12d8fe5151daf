//! The whole code at a point, as a table of contents: every provision in reading order with its status,
//! collapsible by top-level provision without JavaScript (`<details>`); and its API twin.

use std::sync::Arc;

use askama::Template;
use inforce_core::History;
use inforce_core::date::human_date;
use inforce_present::wire::AtJson;
use jiff::civil::Date;

use crate::ctx::{Api, ApiCtx, At, Frame, Page, PageCtx};
use crate::handlers::ProvisionLine;
use crate::respond::{ApiResult, Cache, PageResult};

/// A top-level provision and everything under it.
struct Group {
    head: ProvisionLine,
    parts: Vec<ProvisionLine>,
}

#[derive(Template)]
#[template(path = "contents.html")]
struct ContentsPage {
    f: Frame,
    date: String,
    date_human: String,
    version: Option<String>,
    date_is_past: bool,
    /// Said once when versions may be missing at a date: statuses are those of the versions recorded.
    record_banner: Option<String>,
    /// What the groups are drawn from, as the page is written ([`ContentsPage::groups`]).
    history: Arc<History>,
    on: Date,
}

impl ContentsPage {
    /// Each top-level provision with everything under it, one group at a time: a code can have hundreds of
    /// thousands of provisions.
    fn groups(&self) -> impl Iterator<Item = Group> + '_ {
        let (history, date) = (&*self.history, self.on);
        let mut lines = history
            .statuses_iter(date)
            .map(move |answer| {
                let depth = history.depth(&answer.provision.id);
                (depth, ProvisionLine::new(history, &answer, date, depth.min(4)))
            })
            .peekable();
        std::iter::from_fn(move || {
            let (_, head) = lines.next()?;
            let mut parts = Vec::new();
            while let Some((_, part)) = lines.next_if(|(depth, _)| *depth > 0) {
                parts.push(part);
            }
            crate::handlers::cross_headings(&mut parts);
            Some(Group { head, parts })
        })
    }
}

/// `/contents?at=…|version=…` (default today), written as it is worked out ([`PageCtx::page_streamed`]).
pub async fn contents(ctx: PageCtx, at: At<Page>) -> PageResult {
    let cut = ctx.cut(&at.point)?;
    let history = &ctx.history;
    let page = ContentsPage {
        f: ctx.frame(),
        date: cut.date.to_string(),
        date_human: human_date(cut.date),
        version: cut.entry.map(|(e, _)| e.id.to_string()),
        date_is_past: cut.date < ctx.today,
        record_banner: inforce_present::describe::cut_banner(history, &cut),
        history: history.clone(),
        on: cut.date,
    };
    // The version, when the address names one, is in the heading: part of what the page is drawn from.
    let what = format!("contents {} {}", cut.date, page.version.as_deref().unwrap_or("-"));
    ctx.page_streamed(if at.today { Cache::Today } else { Cache::Published }, &what, page).await
}

/// `/api/v1/{code}/contents?at=…|version=…`: every provision with its status, in reading order (each names its
/// parent), as `at` answers.
/// Written as it is worked out, one provision at a time ([`ApiCtx::json_streamed`]).
pub async fn api_contents(ctx: ApiCtx, at: At<Api>) -> ApiResult {
    let (date, today) = (ctx.cut(&at.point)?.date, ctx.today);
    let cache = if at.today { Cache::Today } else { Cache::Published };
    ctx.json_streamed(cache, &format!("at {date}"), move |history, out| {
        serde_json::to_writer_pretty(out, &AtJson::new(history, date, today))
    })
    .await
}
