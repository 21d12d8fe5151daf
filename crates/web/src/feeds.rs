//! Atom feeds (RFC 4287): new versions and events, the changes to one provision, consultations, the stage
//! changes of modification proposals, and variations.
//! The feeds' entries are chosen here; `inforce_present::atom` writes them.

use axum::extract::Path;
use inforce_core::{ChangeKind, CodeId, Entry, History, ProvisionId, Relation};
use jiff::Timestamp;

use crate::ctx::{FeedPath, PageCtx};
use crate::respond::{Body, Cache, PageResult, Problem};
use inforce_present::atom::{Item, feed, rfc3339};
use inforce_present::describe::{self, entry_ref};

/// An entry's date as an Atom timestamp: its effective day at midnight UTC, or the snapshot's time if unknown.
fn entry_time(entry: &Entry, fallback: Timestamp) -> String {
    entry.effective.earliest().map_or_else(|| rfc3339(fallback), day_time)
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
    let published = ctx.snapshot.published(code);
    // Links are absolute, from the configured public URL, so a feed read anywhere leads back to the site.
    let base = format!("{}{}", ctx.origin, ctx.base);
    let items = items(history, code, &base, published)?;
    let title = format!("{}: {title}", history.register().code.title);
    let xml = feed(
        &format!("tag:inforce,2026:{code}/{name}"),
        &title,
        &format!("{base}{page}"),
        &format!("{base}{own}"),
        published,
        &items,
    );
    ctx.answer(Body::Atom(xml), Cache::Today)
}

/// A day as an Atom timestamp (midnight UTC).
fn day_time(day: jiff::civil::Date) -> String {
    format!("{day}T00:00:00Z")
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
                // A planned version has not happened: titled so, and dated when it was published, never ahead.
                let planned = History::is_planned(e, today);
                Item {
                    id: format!("tag:inforce,2026:{code}/entry/{}", e.id),
                    title: if planned { format!("Planned: {}", entry_ref(e, today)) } else { entry_ref(e, today) },
                    link: format!("{base}/versions/{}", e.id),
                    updated: if planned { rfc3339(now) } else { entry_time(e, now) },
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
            .map(|item| Item {
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
                updated: entry_time(item.entry, now),
                summary: item.entry.summary.clone(),
            })
            .collect();
        items.extend(history.text_history(&id).iter().map(|event| Item {
            id: format!("tag:inforce,2026:{code}/provision/{id}/{}/wording", event.entry.id),
            title: format!("{id}: {} by {}", describe::wording_change(event), entry_ref(event.entry, today)),
            // The change itself: the wording before it against the wording it gave (the first wording has no
            // before, and is shown as it was given).
            link: match event.previous.or_else(|| history.version_before(event.entry)) {
                Some(before) => format!("{base}/compare/{}...{}?provision={id}", before.id, event.entry.id),
                None => format!("{base}/provisions/{id}?version={}", event.entry.id),
            },
            updated: entry_time(event.entry, now),
            summary: format!("{} words added, {} removed", event.words_added, event.words_removed),
        }));
        items.sort_by(|a, b| b.updated.cmp(&a.updated));
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
                .map(|c| Item {
                    id: format!("tag:inforce,2026:{code}/consultation/{}", c.id),
                    title: c.title.clone(),
                    link: format!("{base}/consultations"),
                    updated: c.published.earliest().map_or_else(|| rfc3339(now), day_time),
                    summary: format!(
                        "Published {}, closes {}. {}",
                        c.published.human(),
                        c.closes.human(),
                        c.topics.join("; ")
                    ),
                })
                .collect())
        },
    )
}

/// `/feeds/proposals.atom`: every stage change of every proposal is an entry, newest first.
pub async fn proposals(ctx: PageCtx) -> PageResult {
    let title = "modification proposals, stage by stage";
    let today = ctx.today;
    answer(&ctx, "proposals", title, "/proposals", "/feeds/proposals.atom", |history, code, base, _| {
        let register = history.register();
        let mut items = Vec::new();
        let Some(process) = &register.process else { return Ok(items) };
        for p in &register.proposals {
            // A stage still to come (recorded ahead of its day) is left out until its day: a feed reader shows
            // every entry as something that happened.
            let reached = p.reached_by(today).len();
            for (index, change) in p.stages.iter().enumerate().take(reached) {
                // A stage without a known date cannot be placed in a feed; it shows on the proposal's page.
                let Some(day) = change.date.earliest() else { continue };
                let label = process.stage(&change.stage).map_or(change.stage.as_str(), |s| s.label.as_str());
                let mut summary = format!("{} {}: {label} ({}).", p.reference, p.title, change.date.human());
                if let Some(by) = &change.decided_by {
                    summary.push_str(&format!(" Decided by {by}."));
                }
                if let Some(version) = &change.version {
                    summary.push_str(&format!(" Carried by {version}."));
                }
                items.push(Item {
                    id: format!("tag:inforce,2026:{code}/proposal/{}/stage/{index}", p.reference),
                    title: format!("{}: {label}", p.reference),
                    link: format!("{base}/proposals/{}", p.reference),
                    updated: day_time(day),
                    summary,
                });
            }
        }
        items.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| b.id.cmp(&a.id)));
        Ok(items)
    })
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
                Item {
                    id: format!("tag:inforce,2026:{code}/variation/{}", e.id),
                    title: format!("{}: {}", e.instrument.human(), e.label()),
                    link: format!("{base}/versions/{}", e.id),
                    updated: entry_time(e, now),
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
    let mut items: Vec<(Timestamp, Item)> = Vec::new();
    for (code, list) in &snapshot.publications {
        for publication in list.iter() {
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
                    updated: rfc3339(publication.recorded_at),
                    summary: format!(
                        "{} record(s) written; digest {digest}{}",
                        publication.record_count,
                        if publication.command.is_empty() {
                            String::new()
                        } else {
                            format!("; command: inforce {}", publication.command)
                        }
                    ),
                },
            ));
        }
    }
    items.sort_by_key(|(recorded_at, _)| std::cmp::Reverse(*recorded_at));
    let items: Vec<Item> = items.into_iter().map(|(_, item)| item).collect();
    let xml = feed(
        "tag:inforce,2026:publications",
        "Every publication of every code",
        &format!("{}{}/publications", ctx.origin, ctx.base),
        &format!("{}/feeds/publications.atom", ctx.origin),
        snapshot.last_modified(),
        &items,
    );
    // Every code's publications: it changes when any code's does.
    Ok(crate::respond::respond(ctx.conditions(), Body::Atom(xml), snapshot.last_modified(), Cache::Published))
}
