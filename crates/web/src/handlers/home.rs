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
    let page = HomePage { f: ctx.frame(), in_force, planned, latest, open_consultations, pending, codes };
    ctx.page(page, Cache::Today)
}
