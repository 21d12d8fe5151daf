//! `/`: the version in force today, what is planned, the latest changes, open consultations and proposals.

use askama::Template;
use inforce_core::ConsultationState;
use inforce_present::wire::ConsultationJson;

use crate::ctx::{Frame, PageCtx};
use crate::handlers::EntryView;
use crate::handlers::proposals::PendingView;
use crate::respond::{Cache, PageResult};

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    f: Frame,
    in_force: Option<EntryView>,
    /// When a version not recorded here may be in force today: the day the record of versions ends (`YYYY-MM-DD`,
    /// in words), past its end; the reason, inside a gap.
    record_ends: Option<(String, String)>,
    record_gap: Option<String>,
    planned: Vec<EntryView>,
    latest: Vec<EntryView>,
    open_consultations: Vec<ConsultationJson>,
    /// Proposals still on their way today.
    pending: Vec<PendingView>,
    codes: Vec<String>,
}

/// `/`
pub async fn home(ctx: PageCtx) -> PageResult {
    let history = &ctx.history;
    let in_force = history.in_force(ctx.today).version.map(|v| EntryView::new(v, ctx.today, true));
    let coverage = history.coverage(ctx.today);
    let (record_ends, record_gap) = match (coverage.unrecorded_versions_possible, coverage.gap) {
        (false, _) => (None, None),
        (true, Some(_)) => (None, inforce_present::describe::coverage_reason(history, &coverage)),
        (true, None) => {
            (coverage.complete_until.map(|c| (c.date.to_string(), inforce_core::date::human_date(c.date))), None)
        }
    };
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
    let pending = PendingView::list(history, None, ctx.today);
    let page = HomePage {
        f: ctx.frame(),
        in_force,
        record_ends,
        record_gap,
        planned,
        latest,
        open_consultations,
        pending,
        codes,
    };
    ctx.page(page, Cache::Today)
}
