//! Atom feeds (RFC 4287): new versions and events, the changes to one provision, consultations, the stage
//! changes of modification proposals, and variations.
//! The feeds' entries are chosen here; `inforce_present::atom` writes them.

use axum::extract::Path;
use inforce_core::ledger::RecordKind;
use inforce_core::record_times::RecordTimes;
use inforce_core::{ChangeKind, CodeId, History, ProvisionId, Relation};
use jiff::Timestamp;

use crate::ctx::{FeedPath, PageCtx};
use crate::respond::{Body, Cache, PageResult, Problem};
use inforce_present::atom::{Item, feed};
use inforce_present::describe::{self, entry_ref};

/// When the register last wrote an item and first recorded it, from its record times; the snapshot's time when
/// they are not known (a history not read from a ledger), never a day to come.
fn written(times: Option<RecordTimes>, now: Timestamp) -> (Timestamp, Option<Timestamp>) {
    match times {
        Some(times) => (times.latest(), Some(times.first_recorded)),
        None => (now, None),
    }
}

/// Answers a feed of one code: `items` makes its entries from the code's history (with its address prefix and
/// the snapshot's time, for entries without a date of their own); `name` is the feed's id and `page` the page
/// it mirrors.
fn answer(
    ctx: &PageCtx,
    name: &str,
    title: &str,
    page: &str,
    own: &str,
    items: impl FnOnce(&History, &CodeId, &str, Timestamp) -> Result<Vec<Item>, Problem>,
) -> PageResult {
    let (code, history) = (&ctx.code, &ctx.history);
    let published = ctx.published();
    // Links are absolute, from the configured public URL, so a feed read anywhere leads back to the site.
    let base = format!("{}{}", ctx.origin, ctx.base);
    let mut items = items(history, code, &base, published)?;
    // Newest record first: a correction or a late record comes to the top, where readers look.
    items.sort_by_key(|item| std::cmp::Reverse(item.updated));
    let title = format!("{}: {title}", history.register().code.title);
    let zone = history.register().code.zone().unwrap_or(jiff::tz::TimeZone::UTC);
    let xml = feed(
        &format!("tag:inforce,2026:{code}/{name}"),
        &title,
        &format!("{base}{page}"),
        &format!("{base}{own}"),
        published,
        &items,
        &zone,
    );
    ctx.answer(Body::Atom(xml), Cache::Today)
}

/// `/feeds/versions.atom`
pub async fn versions(ctx: PageCtx) -> PageResult {
    let today = ctx.today;
    answer(&ctx, "versions", "versions and changes", "/versions", "/feeds/versions.atom", |history, code, base, now| {
        let mut entries = history.timeline(None, None);
        entries.reverse();
        Ok(entries
            .iter()
            .map(|e| {
                // A planned version has not happened: titled so; like every entry, dated when it was recorded.
                let planned = History::is_planned(e, today);
                let (updated, published) = written(history.record_times().entry(&e.id), now);
                Item {
                    id: format!("tag:inforce,2026:{code}/entry/{}", e.id),
                    title: if planned { format!("Planned: {}", entry_ref(e, today)) } else { entry_ref(e, today) },
                    link: format!("{base}/versions/{}", e.id),
                    updated,
                    published,
                    summary: e.summary.clone(),
                }
            })
            .collect())
    })
}

/// `/feeds/provisions/{id}.atom`
pub async fn provision(ctx: PageCtx, Path(path): Path<FeedPath>) -> PageResult {
    let today = ctx.today;
    let name = path.feed.as_str();
    let stem = name.strip_suffix(".atom").ok_or_else(|| Problem::not_found("Provision feeds end in .atom."))?;
    let parsed = ProvisionId::parse(stem).ok();
    let (feed_name, title, page) = match &parsed {
        Some(id) => (format!("provision/{id}"), format!("changes to {id}"), format!("/provisions/{id}")),
        None => (String::new(), String::new(), String::new()),
    };
    let own = format!("/feeds/provisions/{name}");
    answer(&ctx, &feed_name, &title, &page, &own, |history, code, base, now| {
        let id = parsed
            .filter(|id| history.provision(id).is_some())
            .ok_or_else(|| Problem::not_found(format!("The {code} has no provision '{stem}'.")))?;
        let mut items: Vec<Item> = history
            .provision_history(&id)
            .iter()
            .map(|item| {
                let (updated, published) = written(history.record_times().entry(&item.entry.id), now);
                Item {
                    // One entry per (entry, kind, provision named): a version that amended H15 and H reads twice.
                    id: format!(
                        "tag:inforce,2026:{code}/provision/{id}/{}/{}{}",
                        item.entry.id,
                        item.kind.as_str(),
                        match item.relation {
                            Relation::Direct => String::new(),
                            Relation::Ancestor(p) | Relation::Descendant(p) => format!("/{p}"),
                            Relation::Unlisted => "/unlisted".to_string(),
                        }
                    ),
                    title: format!("{id}: {}", describe::history_sentence(item, today)),
                    link: format!("{base}/provisions/{id}?version={}", item.entry.id),
                    updated,
                    published,
                    summary: item.entry.summary.clone(),
                }
            })
            .collect();
        items.extend(history.text_history(&id).iter().map(|event| {
            let times = history.record_times().text(&event.entry.id, &id);
            let (updated, published) = written(times.or_else(|| history.record_times().entry(&event.entry.id)), now);
            Item {
                id: format!("tag:inforce,2026:{code}/provision/{id}/{}/wording", event.entry.id),
                title: format!("{id}: {} by {}", describe::wording_change(event), entry_ref(event.entry, today)),
                // The change itself: the wording before it against the wording it gave (the first wording has no
                // before, and is shown as it was given).
                link: match event.previous.or_else(|| history.version_before(event.entry)) {
                    Some(before) => format!("{base}/compare/{}...{}?provision={id}", before.id, event.entry.id),
                    None => format!("{base}/provisions/{id}?version={}", event.entry.id),
                },
                updated,
                published,
                summary: format!("{} words added, {} removed", event.words_added, event.words_removed),
            }
        }));
        // The stage changes of proposals that would change it, a part of it or a whole containing it, as its page
        // lists those pending.
        for proposal in history.proposals_touching(&id) {
            items.extend(stage_items(history, proposal, code, base, today, now));
        }
        items.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| b.id.cmp(&a.id)));
        Ok(items)
    })
}

/// `/feeds/consultations.atom`
pub async fn consultations(ctx: PageCtx) -> PageResult {
    answer(
        &ctx,
        "consultations",
        "consultations",
        "/consultations",
        "/feeds/consultations.atom",
        |history, code, base, now| {
            Ok(history
                .register()
                .consultations
                .iter()
                .rev()
                .map(|c| {
                    let times = history.record_times().item(RecordKind::Consultation, &c.id);
                    let (updated, published) = written(times, now);
                    Item {
                        id: format!("tag:inforce,2026:{code}/consultation/{}", c.id),
                        title: c.title.clone(),
                        link: format!("{base}/consultations"),
                        updated,
                        published,
                        summary: format!(
                            "Published {}, closes {}. {}",
                            c.published.human(),
                            c.closes.human(),
                            c.topics.join("; ")
                        ),
                    }
                })
                .collect())
        },
    )
}

/// `/feeds/proposals.atom`: every stage change of every proposal is an entry, newest first.
pub async fn proposals(ctx: PageCtx) -> PageResult {
    let title = "modification proposals, stage by stage";
    let today = ctx.today;
    answer(&ctx, "proposals", title, "/proposals", "/feeds/proposals.atom", |history, code, base, now| {
        let mut items: Vec<Item> =
            history.register().proposals.iter().flat_map(|p| stage_items(history, p, code, base, today, now)).collect();
        items.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| b.id.cmp(&a.id)));
        Ok(items)
    })
}

/// A proposal's stage changes as feed entries, each dated when it was recorded or last corrected. A stage still to
/// come (recorded ahead of its day) is left out until its day: a feed reader shows every entry as something that
/// happened. A stage without a known date cannot be placed; it shows on the proposal's page.
fn stage_items(
    history: &History,
    p: &inforce_core::change::Proposal,
    code: &CodeId,
    base: &str,
    today: jiff::civil::Date,
    now: Timestamp,
) -> Vec<Item> {
    let Some(process) = &history.register().process else { return Vec::new() };
    let reached = p.reached_by(today).len();
    let mut items = Vec::new();
    for (index, change) in p.stages.iter().enumerate().take(reached) {
        if change.date.earliest().is_none() {
            continue;
        }
        let label = process.stage(&change.stage).map_or(change.stage.as_str(), |s| s.label.as_str());
        let mut summary = format!("{} {}: {label} ({}).", p.reference, p.title, change.date.human());
        if let Some(by) = &change.decided_by {
            summary.push_str(&format!(" Decided by {by}."));
        }
        if let Some(version) = &change.version {
            summary.push_str(&format!(" Carried by {version}."));
        }
        let (updated, published) = written(history.record_times().stage(&p.reference, index), now);
        items.push(Item {
            id: format!("tag:inforce,2026:{code}/proposal/{}/stage/{index}", p.reference),
            title: format!("{}: {label} ({})", p.reference, change.date.human()),
            link: format!("{base}/proposals/{}", p.reference),
            updated,
            published,
            summary,
        });
    }
    items
}

/// `/feeds/variations.atom`: changes made outside the modification process, newest first.
pub async fn variations(ctx: PageCtx) -> PageResult {
    let title = "variations and directions";
    answer(&ctx, "variations", title, "/variations", "/feeds/variations.atom", |history, code, base, now| {
        let mut entries: Vec<_> =
            history.timeline(None, None).into_iter().filter(|e| e.instrument.is_variation()).collect();
        entries.reverse();
        Ok(entries
            .iter()
            .map(|e| {
                let provisions: Vec<String> = ChangeKind::ALL
                    .iter()
                    .flat_map(|k| e.changes(*k).listed.iter().map(|p| format!("{p} {}", k.as_str())))
                    .collect();
                let summary = if provisions.is_empty() {
                    e.summary.clone()
                } else {
                    format!("{} ({})", e.summary, provisions.join(", "))
                };
                let (updated, published) = written(history.record_times().entry(&e.id), now);
                Item {
                    id: format!("tag:inforce,2026:{code}/variation/{}", e.id),
                    title: format!("{}: {}", e.instrument.human(), e.label()),
                    link: format!("{base}/versions/{}", e.id),
                    updated,
                    published,
                    summary,
                }
            })
            .collect())
    })
}

/// `/feeds/publications.atom`: every publication of every code, newest first, with its digest, as
/// legislation.gov.uk keeps a publication log; each links to its content in the log (`/api/v1/{code}/log/{n}`).
pub async fn publications(ctx: PageCtx) -> PageResult {
    let snapshot = &ctx.snapshot;
    // As recorded on a day, the publications recorded by its end (of every code).
    let until = ctx.recorded.as_ref().and_then(|r| inforce_core::ledger::end_of_record_day(r.day));
    let mut items: Vec<(Timestamp, Item)> = Vec::new();
    for (code, list) in &snapshot.publications {
        for publication in list.iter().filter(|p| until.is_none_or(|u| p.recorded_at <= u)) {
            let entry = snapshot.log_entry(code, publication.id);
            let sequence = entry.map_or_else(|| "?".to_string(), |e| e.sequence.to_string());
            let digest = entry.map_or_else(|| "not logged".to_string(), |e| e.digest.to_string());
            let author = if publication.author.is_empty() { "an author not recorded" } else { &publication.author };
            items.push((
                publication.recorded_at,
                Item {
                    id: format!("tag:inforce,2026:{code}/publication/{sequence}"),
                    title: format!("{code}: publication {sequence}, from {} by {author}", publication.origin),
                    link: format!("{}/api/v1/{code}/log/{sequence}", ctx.origin),
                    updated: publication.recorded_at,
                    published: None,
                    summary: format!(
                        "{} record(s) written; digest {digest}{}{}",
                        publication.record_count,
                        if publication.command.is_empty() {
                            String::new()
                        } else {
                            format!("; command: inforce {}", publication.command)
                        },
                        publication.reason.as_ref().map_or_else(String::new, |r| format!("; a correction: {r}"))
                    ),
                },
            ));
        }
    }
    items.sort_by_key(|(recorded_at, _)| std::cmp::Reverse(*recorded_at));
    let last_modified = items.first().map_or(snapshot.last_modified(), |(recorded_at, _)| *recorded_at);
    let items: Vec<Item> = items.into_iter().map(|(_, item)| item).collect();
    let xml = feed(
        "tag:inforce,2026:publications",
        "Every publication of every code",
        &format!("{}{}/publications", ctx.origin, ctx.base),
        &format!("{}/feeds/publications.atom", ctx.origin),
        last_modified,
        &items,
        &jiff::tz::TimeZone::UTC,
    );
    // Every code's publications: it changes when any code's does.
    Ok(crate::respond::respond(ctx.conditions(), Body::Atom(xml), last_modified, ctx.cache(Cache::Published)))
}
