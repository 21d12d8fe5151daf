//! Atom feeds (RFC 4287): new versions and events, the changes to one provision, consultations.
//! Written directly: the documents are small, and a feed crate would bring a date library we do not use.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use inforce_core::{CodeId, Entry, ProvisionId};
use jiff::Timestamp;

use crate::describe::entry_ref;
use crate::respond::{AppError, Body, Cache, respond};
use crate::site::Site;

/// Escapes text for XML and HTML content and attribute values (control characters other than line ends and tabs are dropped).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

pub(crate) struct Item {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) link: String,
    pub(crate) updated: String,
    pub(crate) summary: String,
}

pub(crate) fn feed(id: &str, title: &str, link: &str, updated: Timestamp, items: &[Item]) -> String {
    let mut xml =
        String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    let _ = writeln!(xml, "<id>{}</id>\n<title>{}</title>", escape(id), escape(title));
    let _ = writeln!(xml, "<link rel=\"alternate\" href=\"{}\"/>", escape(link));
    let _ = writeln!(xml, "<updated>{}</updated>\n<author><name>inforce</name></author>", rfc3339(updated));
    for item in items {
        let _ = writeln!(
            xml,
            "<entry>\n<id>{}</id>\n<title>{}</title>\n<link rel=\"alternate\" href=\"{}\"/>\n<updated>{}</updated>\n<summary>{}</summary>\n</entry>",
            escape(&item.id),
            escape(&item.title),
            escape(&item.link),
            escape(&item.updated),
            escape(&item.summary)
        );
    }
    xml.push_str("</feed>\n");
    xml
}

pub(crate) fn rfc3339(time: Timestamp) -> String {
    time.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// An entry's date as an Atom timestamp: its effective day at midnight UTC, or the snapshot's time if unknown.
fn entry_time(entry: &Entry, fallback: Timestamp) -> String {
    entry.effective.earliest().map_or_else(|| rfc3339(fallback), |d| format!("{d}T00:00:00Z"))
}

pub(crate) fn scope(site: &Site, params: &HashMap<String, String>) -> Result<(CodeId, String), AppError> {
    match params.get("code") {
        Some(code) => {
            let id = CodeId::parse(code).map_err(|e| AppError::bad_request(e.to_string()))?;
            let base = format!("/codes/{id}");
            Ok((id, base))
        }
        None => Ok((site.options.default_code.clone(), String::new())),
    }
}

/// `/feeds/versions.atom`
pub async fn versions(
    State(site): State<Arc<Site>>,
    Path(params): Path<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let (code, base) = scope(&site, &params)?;
    let snapshot = site.snapshot();
    let history = snapshot.histories.get(&code).ok_or_else(|| AppError::not_found(format!("No code '{code}'.")))?;
    let today = site.today();
    let mut entries = history.timeline(None, None);
    entries.reverse();
    let items: Vec<Item> = entries
        .iter()
        .map(|e| Item {
            id: format!("tag:inforce,2026:{code}/entry/{}", e.id),
            title: entry_ref(e, today),
            link: format!("{base}/versions/{}", e.id),
            updated: entry_time(e, snapshot.last_modified),
            summary: e.summary.clone(),
        })
        .collect();
    let title = format!("{}: versions and changes", history.register().code.title);
    let xml = feed(
        &format!("tag:inforce,2026:{code}/versions"),
        &title,
        &format!("{base}/versions"),
        snapshot.last_modified,
        &items,
    );
    Ok(respond(&headers, Body::Atom(xml), snapshot.last_modified, Cache::Today))
}

/// `/feeds/provisions/{id}.atom`
pub async fn provision(
    State(site): State<Arc<Site>>,
    Path(params): Path<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let (code, base) = scope(&site, &params)?;
    let snapshot = site.snapshot();
    let history = snapshot.histories.get(&code).ok_or_else(|| AppError::not_found(format!("No code '{code}'.")))?;
    let name = params.get("feed").map_or("", String::as_str);
    let stem = name.strip_suffix(".atom").ok_or_else(|| AppError::not_found("Provision feeds end in .atom."))?;
    let id = ProvisionId::parse(stem)
        .ok()
        .filter(|id| history.provision(id).is_some())
        .ok_or_else(|| AppError::not_found(format!("The {code} has no provision '{stem}'.")))?;
    let today = site.today();
    let mut items: Vec<Item> = history
        .provision_history(&id)
        .iter()
        .map(|item| Item {
            id: format!("tag:inforce,2026:{code}/provision/{id}/{}/{}", item.entry.id, item.kind.as_str()),
            title: format!("{id} {} by {}", item.kind.as_str(), entry_ref(item.entry, today)),
            link: format!("{base}/provisions/{id}?version={}", item.entry.id),
            updated: entry_time(item.entry, snapshot.last_modified),
            summary: item.entry.summary.clone(),
        })
        .collect();
    items.extend(history.text_history(&id).iter().map(|event| Item {
        id: format!("tag:inforce,2026:{code}/provision/{id}/{}/wording", event.entry.id),
        title: format!("{id}: wording {} by {}", event.kind.as_str(), entry_ref(event.entry, today)),
        link: format!("{base}/compare/{}...{}?provision={id}", event.entry.id, event.entry.id),
        updated: entry_time(event.entry, snapshot.last_modified),
        summary: format!("{} words added, {} removed", event.words_added, event.words_removed),
    }));
    items.sort_by(|a, b| b.updated.cmp(&a.updated));
    let title = format!("{}: changes to {id}", history.register().code.title);
    let xml = feed(
        &format!("tag:inforce,2026:{code}/provision/{id}"),
        &title,
        &format!("{base}/provisions/{id}"),
        snapshot.last_modified,
        &items,
    );
    Ok(respond(&headers, Body::Atom(xml), snapshot.last_modified, Cache::Today))
}

/// `/feeds/consultations.atom`
pub async fn consultations(
    State(site): State<Arc<Site>>,
    Path(params): Path<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let (code, base) = scope(&site, &params)?;
    let snapshot = site.snapshot();
    let history = snapshot.histories.get(&code).ok_or_else(|| AppError::not_found(format!("No code '{code}'.")))?;
    let items: Vec<Item> = history
        .register()
        .consultations
        .iter()
        .rev()
        .map(|c| Item {
            id: format!("tag:inforce,2026:{code}/consultation/{}", c.id),
            title: c.title.clone(),
            link: format!("{base}/consultations"),
            updated: c
                .published
                .earliest()
                .map_or_else(|| rfc3339(snapshot.last_modified), |d| format!("{d}T00:00:00Z")),
            summary: format!("Published {}, closes {}. {}", c.published.human(), c.closes.human(), c.topics.join("; ")),
        })
        .collect();
    let title = format!("{}: consultations", history.register().code.title);
    let xml = feed(
        &format!("tag:inforce,2026:{code}/consultations"),
        &title,
        &format!("{base}/consultations"),
        snapshot.last_modified,
        &items,
    );
    Ok(respond(&headers, Body::Atom(xml), snapshot.last_modified, Cache::Today))
}
