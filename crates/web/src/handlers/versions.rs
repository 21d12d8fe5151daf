//! The version table and one version: `/versions`, `/versions/{entry}` and their API twins.

use askama::Template;
use axum::extract::Path;
use inforce_core::document::Attachment;
use inforce_core::{ChangeKind, EntryId, History, Status};
use inforce_present::wire::{VersionJson, VersionsJson};

use crate::ctx::{ApiCtx, EntryPath, Frame, PageCtx};
use crate::handlers::documents::{DocLink, doc_links};
use crate::handlers::{EntryView, capitalise};
use crate::query::{Query, SinceQuery};
use crate::respond::{ApiResult, Cache, PageResult, Problem, shorten};

#[derive(Template)]
#[template(path = "versions.html")]
struct VersionsPage {
    f: Frame,
    /// Each version, with the recorded gap it opens (versions missing after it), in words.
    versions: Vec<(EntryView, Option<String>)>,
    /// Whether a version not recorded here may be in force today: the latest recorded is then tagged as such.
    unrecorded_possible: bool,
    /// Why, when it may.
    record_note: Option<String>,
}

/// `/versions`
pub async fn versions(ctx: PageCtx) -> PageResult {
    let history = &ctx.history;
    let current = history.in_force(ctx.today).version.map(|v| v.id.clone());
    let coverage = history.coverage(ctx.today);
    let versions = history
        .versions()
        .into_iter()
        .map(|v| {
            let gaps = &history.register().gaps;
            let gap =
                gaps.iter().find(|g| g.after == v.id).map(|g| inforce_present::describe::gap_sentence(history, g));
            (EntryView::new(v, ctx.today, current.as_ref() == Some(&v.id)), gap)
        })
        .collect();
    let page = VersionsPage {
        f: ctx.frame(),
        versions,
        unrecorded_possible: coverage.unrecorded_versions_possible,
        record_note: inforce_present::describe::coverage_reason(history, &coverage),
    };
    ctx.page(page, Cache::Today)
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
    /// The label as a heading: "Version 4.1".
    heading: String,
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
    logged: Vec<LoggedView>,
    /// The modification proposals it implemented: (reference, title).
    implemented: Vec<(String, String)>,
    /// The consultations that led to it: (id, title).
    consulted: Vec<(String, String)>,
    corrections: Vec<super::CorrectionView>,
}

/// A publication that wrote a version's record, as its page names it: where it sits in the log and its digest.
struct LoggedView {
    /// "Recorded" for the first, "Corrected" for later ones.
    what: &'static str,
    sequence: u64,
    recorded_at: String,
    digest: String,
}

/// The publications that wrote `entry`'s record, each with its place in the log and its digest.
fn logged_views(ctx: &PageCtx, entry: &str) -> Vec<LoggedView> {
    let writers = ctx.snapshot.entry_writers.get(&ctx.code).and_then(|w| w.get(entry));
    // As recorded on a day, only the publications by its end.
    let recorded = |id: &&i64| ctx.recorded.as_ref().is_none_or(|r| **id <= r.publication.id);
    writers
        .into_iter()
        .flatten()
        .filter(recorded)
        .enumerate()
        .filter_map(|(i, id)| {
            let logged = ctx.snapshot.log_entry(&ctx.code, *id)?;
            Some(LoggedView {
                what: if i == 0 { "Recorded" } else { "Corrected" },
                sequence: logged.sequence,
                recorded_at: ctx.snapshot.recorded_at(&ctx.code, *id).map(|t| t.to_string()).unwrap_or_default(),
                digest: logged.digest.to_string(),
            })
        })
        .collect()
}

/// `/versions/{entry}`
pub async fn version(ctx: PageCtx, Path(path): Path<EntryPath>) -> PageResult {
    ctx.heavy(move |ctx| {
        let text = &path.entry;
        let entry = EntryId::parse(text).ok().and_then(|id| ctx.history.entry(&id)).ok_or_else(|| {
            Problem::not_found(format!("The {} has no version or event '{}'.", ctx.code, shorten(text)))
        })?;
        let shown = inforce_present::describe::shown_lists(&ctx.history, entry);
        let lists: Vec<ListView> = ChangeKind::ALL
            .into_iter()
            .map(|kind| {
                (inforce_present::describe::change_list_name(&ctx.history, entry, kind), shown.of(kind).0.clone())
            })
            .chain(shown.first_recorded.clone().map(|list| ("first recorded", list)))
            .map(|(name, list)| {
                let list = &list;
                // What the sources leave out, worded as on every face: said instead of "None." for a list that
                // names nothing, else below the names.
                let gap = inforce_present::describe::unlisted(list).map(|gap| format!("{}.", capitalise(gap)));
                let empty = match (&gap, list.listed.is_empty()) {
                    (Some(gap), true) => gap.clone(),
                    _ => "None.".to_string(),
                };
                let note = list.note.clone().or(gap.filter(|_| !list.listed.is_empty()));
                ListView {
                    name: capitalise(name),
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
        let previous = ctx.history.version_before(entry).map(|v| v.id.to_string());
        let view = VersionView {
            id: entry.id.to_string(),
            label: entry.label(),
            heading: capitalise(&entry.label()),
            effective: entry.effective.to_string(),
            effective_human: entry.effective.human(),
            made_human: entry.made.human(),
            instrument: entry.instrument.human().to_string(),
            summary: entry.summary.clone(),
            planned: History::is_planned(entry, ctx.today),
            date: date.map_or_else(|| ctx.today.to_string(), |d| d.to_string()),
        };
        let register = ctx.history.register();
        let implemented = register.implemented_by(&entry.id).map(|p| (p.reference.clone(), p.title.clone())).collect();
        let version = Attachment::Version(entry.id.clone());
        let consulted = register.consultations_on(&version).map(|c| (c.id.clone(), c.title.clone())).collect();
        let page = VersionPage {
            f: ctx.frame(),
            implemented,
            consulted,
            corrections: super::corrections_of(
                &ctx.history,
                inforce_core::ledger::RecordKind::Entry,
                entry.id.as_str(),
            ),
            entry: view,
            lists,
            inactive,
            previous,
            notes: entry.notes.clone(),
            sources: entry.sources.clone(),
            documents: doc_links(ctx, Some(&Attachment::Version(entry.id.clone()))),
            logged: logged_views(ctx, entry.id.as_str()),
        };
        ctx.page(page, Cache::Published)
    })
    .await
}

/// `/api/v1/{code}/versions`
pub async fn api_versions(
    ctx: ApiCtx,
    Query(query): Query<SinceQuery>,
    Query(paging): Query<crate::query::PageQuery>,
) -> ApiResult {
    let since = ctx.since(query.since.as_deref())?;
    let versions = VersionsJson::new(&ctx.history, ctx.today)
        .retain(|id| ctx.recorded_since(since, inforce_core::ledger::RecordKind::Entry, id));
    ctx.json_list(&versions, "versions", &paging, Cache::Today)
}

/// `/api/v1/{code}/versions/{entry}`
pub async fn api_version(ctx: ApiCtx, Path(path): Path<EntryPath>) -> ApiResult {
    ctx.heavy(move |ctx| {
        let text = &path.entry;
        let entry = EntryId::parse(text).ok().and_then(|id| ctx.history.entry(&id)).ok_or_else(|| {
            Problem::not_found(format!("The {} has no version or event '{}'.", ctx.code, shorten(text)))
        })?;
        ctx.json(&VersionJson::new(&ctx.history, entry, ctx.today), Cache::Published)
    })
    .await
}
