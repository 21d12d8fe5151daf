//! The whole code at a point, as a table of contents: every provision in reading order with its status,
//! collapsible by top-level provision without JavaScript (`<details>`); and its API twin.

use askama::Template;
use inforce_core::date::human_date;
use inforce_present::wire::AtJson;

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
    groups: Vec<Group>,
}

/// `/contents?at=…|version=…` (default today).
pub async fn contents(ctx: PageCtx, at: At<Page>) -> PageResult {
    ctx.heavy(move |ctx| {
        let cut = ctx.cut(&at.point)?;
        let history = &ctx.history;
        let mut groups: Vec<Group> = Vec::new();
        for answer in history.statuses(cut.date) {
            let depth = history.depth(&answer.provision.id);
            let entry = ProvisionLine::new(history, &answer, cut.date, depth.min(4));
            match groups.last_mut() {
                Some(group) if depth > 0 => group.parts.push(entry),
                _ => groups.push(Group { head: entry, parts: Vec::new() }),
            }
        }
        let page = ContentsPage {
            f: ctx.frame(),
            date: cut.date.to_string(),
            date_human: human_date(cut.date),
            version: cut.entry.map(|(e, _)| e.id.to_string()),
            date_is_past: cut.date < ctx.today,
            record_banner: inforce_present::describe::cut_banner(history, &cut),
            groups,
        };
        ctx.page(page, if at.today { Cache::Today } else { Cache::Published })
    })
    .await
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
}
