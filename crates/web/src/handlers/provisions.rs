//! One provision at a point, with its text, status, timeline and pending proposals; its blame; the API twins.

use askama::Template;
use inforce_core::date::human_date;
use inforce_core::document::Attachment;
use inforce_core::{History, Relation, Status};
use inforce_present::describe::{self, entry_ref, status_reason};
use inforce_present::wire::{BlameAnswerJson, ProvisionAnswerJson};

use crate::ctx::{Api, ApiCtx, At, Frame, Page, PageCtx, Provision};
use crate::handlers::documents::{DocLink, doc_links};
use crate::handlers::proposals::PendingView;
use crate::handlers::{ProvisionLine, capitalise};
use crate::respond::{ApiResult, Cache, PageResult, Problem};

/// One entry that touched the provision: what it did to its status and to its wording, in one row, and the
/// proposals it implemented.
struct TimelineRow {
    id: String,
    label: String,
    date: String,
    date_human: String,
    what: Vec<String>,
    proposals: Vec<String>,
    /// The comparison that shows the wording it gave against the one before (`a...b`), as the provision's feed
    /// links it.
    redline: Option<String>,
}

/// A provision named on another's page: in the breadcrumbs, as previous or next, or as a part.
struct Neighbour {
    id: String,
    title: String,
    /// The day its link names (the one that stands for its stretch).
    at: String,
}

/// One wording of the provision and the period it stood.
struct WordingView {
    from: String,
    from_human: String,
    /// The last day it stood, when a later entry changed it.
    until: Option<(String, String)>,
    by: String,
    /// Whether it is the wording shown on the page.
    shown: bool,
}

#[derive(Template)]
#[template(path = "provision.html")]
struct ProvisionPage {
    /// The days on which this page reads the same, in words, when they are more than the one day.
    stretch: Option<String>,
    /// Every wording it had, with its period, oldest first.
    wordings: Vec<WordingView>,
    /// Whether the page shows another day than today.
    not_today: bool,
    /// On a page of a day before the provision was taken out of the text (as it stands today): what took it out.
    removed_by: Option<String>,
    /// The reason it is inactive, when it is (said as a warning).
    inactive: Option<String>,
    /// The compare form's first point: the version before the one in force at the page's date, if any.
    compare_from: String,
    /// The provisions above it, outermost first.
    ancestors: Vec<Neighbour>,
    previous: Option<Neighbour>,
    next: Option<Neighbour>,
    /// Its parts (every provision under it), with their texts: a Section read whole.
    parts: Vec<ProvisionLine>,
    /// Where its last wording can be read, when it has none at the point but had one before: (date, the date in
    /// words, who gave it).
    last_text: Option<(String, String, String)>,
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
    /// Said once when versions may be missing at a date: the status is that of the versions recorded.
    record_banner: Option<String>,
    /// Proposals pending on the page's date that would change it.
    proposals: Vec<PendingView>,
    documents: Vec<DocLink>,
    /// The text rendered from its Markdown (safe: see `inforce_present::text`).
    text: Option<String>,
    /// The text's own heading, when it says more than the page's heading.
    text_heading: Option<String>,
    text_from: Option<String>,
    no_text: String,
    timeline: Vec<TimelineRow>,
}

/// `/provisions/{provision}?at=…|version=…`
pub async fn provision(ctx: PageCtx, provision: Provision<Page>, at: At<Page>) -> PageResult {
    let id = provision.id;
    let cut = ctx.cut(&at.point)?;
    let history = &ctx.history;
    let status = history.status(&id, cut.date).ok_or_else(|| Problem::not_found("No such provision."))?;
    let text = history.text_at(&id, &cut);
    let items = history.provision_history(&id);
    let events = history.text_history(&id);
    let timeline = timeline(history, &items, &events);
    // Planned entries that name it (or a provision above it) are shown as banners: the text will change.
    let banners = items
        .iter()
        .filter(|item| History::is_planned(item.entry, ctx.today) && item.relation != Relation::Unlisted)
        .map(|item| format!("Planned: {} will change it ({}).", entry_ref(item.entry, ctx.today), item.kind.as_str()))
        .collect();
    let proposals = PendingView::list(history, Some(&id), cut.date);
    let no_text = if history.has_texts() {
        format!("No text of {id} is recorded at this date.")
    } else {
        inforce_present::describe::no_text_note(history)
    };
    let title = history.provision(&id).and_then(|p| p.title.clone()).unwrap_or_default();
    let title = describe::shown_title(id.as_str(), &title).unwrap_or_default().to_string();
    let words = text.and_then(|t| t.text);
    let text_heading = words
        .map(inforce_core::text::heading)
        .and_then(|h| describe::shown_title(id.as_str(), h))
        .filter(|h| !h.eq_ignore_ascii_case(&title))
        .map(str::to_string);
    let (ancestors, previous, next, parts) = neighbours(history, &id, &cut);
    // A provision taken out of the text: its last wording stays readable at the last date it stood.
    let last_text =
        history.last_wording(&id, &cut).map(|w| (w.day.to_string(), human_date(w.day), entry_ref(w.entry, ctx.today)));
    let wordings = wordings(&events, text.map(|t| t.entry), ctx.today);
    let inactive = (status.status == Status::Inactive).then(|| capitalise(&status_reason(&status, ctx.today)));
    let compare_from = history.comparison_start(&id, &cut).map(|v| v.id.to_string()).unwrap_or_default();
    let removed_by = history.removed_after(&id, cut.date, ctx.today).map(|entry| entry_ref(entry, ctx.today));
    let stretch = history.unchanged_around(&id, cut.date);
    // Today's page only when today is in the same stretch: a page that reads as today's is today's.
    let not_today = !stretch.is_some_and(|s| s.contains(ctx.today)) && cut.date != ctx.today;
    let page = ProvisionPage {
        f: ctx.frame(),
        stretch: stretch.and_then(|s| describe::stretch(&s)),
        wordings,
        not_today,
        removed_by,
        inactive,
        compare_from,
        ancestors,
        previous,
        next,
        parts,
        last_text,
        title,
        text_heading,
        id: id.to_string(),
        date: cut.date.to_string(),
        date_human: human_date(cut.date),
        version: cut.entry.map(|(e, _)| e.id.to_string()),
        status: status.status.as_str(),
        status_words: status.status.human().to_string(),
        reason: capitalise(&status_reason(&status, ctx.today)),
        banners,
        record_banner: describe::cut_banner(history, &cut),
        proposals,
        documents: doc_links(&ctx, Some(&Attachment::Provision(id.clone()))),
        text: words.map(|t| inforce_present::text::provision_html(id.as_str(), t)),
        text_from: text.map(|t| entry_ref(t.entry, ctx.today)),
        no_text,
        timeline,
    };
    let cache = if at.today { Cache::Today } else { Cache::Published };
    ctx.page(page, cache)
}

/// Every wording the provision had, oldest first, each with the day it took effect and the last day it stood.
fn wordings(
    events: &[inforce_core::compare::TextEvent<'_>],
    shown: Option<&inforce_core::Entry>,
    today: jiff::civil::Date,
) -> Vec<WordingView> {
    let mut out = Vec::new();
    for (n, event) in events.iter().enumerate() {
        if event.kind == inforce_core::ChangeKind::Removed {
            continue;
        }
        let Some(from) = event.entry.effective.exact() else { continue };
        let until = events
            .get(n + 1)
            .and_then(|next| next.entry.effective.exact())
            .and_then(|d| d.yesterday().ok())
            .map(|d| (d.to_string(), human_date(d)));
        out.push(WordingView {
            from: from.to_string(),
            from_human: human_date(from),
            until,
            by: entry_ref(event.entry, today),
            shown: shown.is_some_and(|e| e.id == event.entry.id),
        });
    }
    out
}

/// The provisions above `id` (outermost first), the ones before and after it in reading order, and every
/// provision under it with its status and text at `cut`.
fn neighbours(
    history: &History,
    id: &inforce_core::ProvisionId,
    cut: &inforce_core::point::Cut<'_>,
) -> (Vec<Neighbour>, Option<Neighbour>, Option<Neighbour>, Vec<ProvisionLine>) {
    let tree = history.tree();
    let view = |p: &inforce_core::Provision| Neighbour {
        id: p.id.to_string(),
        at: history.representative_day(&p.id, cut.date).to_string(),
        title: p.title.as_deref().and_then(|t| describe::shown_title(p.id.as_str(), t)).unwrap_or("").to_string(),
    };
    let ancestors = tree.ancestors(id).into_iter().rev().map(view).collect();
    let previous = tree.previous(id).map(view);
    let next = tree.next(id).map(view);
    let depth = history.depth(id);
    let mut parts: Vec<ProvisionLine> = tree
        .parts(id)
        .into_iter()
        .filter_map(|p| {
            let status = history.status(&p.id, cut.date)?;
            let depth = history.depth(&p.id).saturating_sub(depth + 1).min(3);
            let text = history.text_at(&p.id, cut).and_then(|t| t.text);
            let mut line = ProvisionLine::new(history, &status, cut.date, depth);
            line.text = text.map(|t| inforce_present::text::provision_html(p.id.as_str(), t));
            Some(line)
        })
        .collect();
    super::cross_headings(&mut parts);
    (ancestors, previous, next, parts)
}

/// The provision's timeline, one row per entry in date order: the status change the register records and the
/// wording change the texts show said together ("amended: 3 words added, 1 removed"), with the proposals the entry
/// implemented.
fn timeline(
    history: &History,
    items: &[inforce_core::HistoryItem<'_>],
    events: &[inforce_core::compare::TextEvent<'_>],
) -> Vec<TimelineRow> {
    let mut rows: Vec<TimelineRow> = Vec::new();
    let row_for = |rows: &mut Vec<TimelineRow>, entry: &inforce_core::Entry| -> usize {
        if let Some(at) = rows.iter().position(|r| r.id == entry.id.as_str()) {
            return at;
        }
        let proposals = history.register().implemented_by(&entry.id).map(|p| p.reference.clone()).collect();
        rows.push(TimelineRow {
            id: entry.id.to_string(),
            label: entry.label(),
            date: entry.effective.to_string(),
            date_human: entry.effective.human(),
            what: Vec::new(),
            proposals,
            redline: None,
        });
        rows.len() - 1
    };
    for item in items {
        let at = row_for(&mut rows, item.entry);
        rows[at].what.push(describe::history_change(item));
    }
    for event in events {
        let at = row_for(&mut rows, event.entry);
        rows[at].redline = event
            .previous
            .or_else(|| history.version_before(event.entry))
            .map(|before| format!("{}...{}", before.id, event.entry.id));
        let words = format!("{} words added, {} removed", event.words_added, event.words_removed);
        // The register's own "amended" (or added, removed) and the wording's are one change: said once.
        let said = items.iter().any(|item| {
            item.entry.id == event.entry.id && item.kind == event.kind && item.relation == Relation::Direct
        });
        let verb = inforce_present::describe::change_verb(event.kind);
        match rows[at].what.iter_mut().find(|w| said && w.as_str() == verb) {
            Some(what) => *what = format!("{verb}: {words}"),
            None => rows[at].what.push(format!("{}: {words}", describe::wording_change(event))),
        }
    }
    rows.sort_by(|a, b| a.date.cmp(&b.date));
    rows
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
pub async fn blame(ctx: PageCtx, provision: Provision<Page>, at: At<Page>) -> PageResult {
    ctx.heavy(move |ctx| {
        let id = provision.id;
        let cut = ctx.cut(&at.point)?;
        let paragraphs = ctx
            .history
            .blame_until(&id, &cut, &ctx.in_time())
            .map_err(|_| ctx.too_long())?
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
        ctx.page(page, Cache::Published)
    })
    .await
}

/// `/api/v1/{code}/provisions/{provision}?at=…|version=…`
pub async fn api_provision(ctx: ApiCtx, provision: Provision<Api>, at: At<Api>) -> ApiResult {
    let id = provision.id;
    let cut = ctx.cut(&at.point)?;
    let history = &ctx.history;
    let status = history.status(&id, cut.date).ok_or_else(|| Problem::not_found("No such provision."))?;
    let json = ProvisionAnswerJson::new(history, &status, &cut, ctx.today);
    let cache = if at.today { Cache::Today } else { Cache::Published };
    ctx.json(&json, cache)
}

/// `/api/v1/{code}/provisions/{provision}/blame`
pub async fn api_blame(ctx: ApiCtx, provision: Provision<Api>, at: At<Api>) -> ApiResult {
    ctx.heavy(move |ctx| {
        let id = provision.id;
        let cut = ctx.cut(&at.point)?;
        let paragraphs = ctx.history.blame_until(&id, &cut, &ctx.in_time()).map_err(|_| ctx.too_long())?;
        let json = BlameAnswerJson::new(&ctx.history, &id, &cut, paragraphs.as_deref(), ctx.today);
        ctx.json(&json, Cache::Published)
    })
    .await
}
