//! The static export: every public page, feed and API document reachable from the home page, rendered by the same
//! routes as the live site and written as files that any web server, a CDN or the file system can serve.
//!
//! Pages are found by following links, so the export holds exactly what a reader can reach, and a link that does
//! not answer 200 stops the export with the page that carries it named. Addresses become file names: `/` is
//! `index.html`, a page `/versions/4.1` is `versions/4.1.html`, an API document `/api/v1/sec/versions/4.1` is
//! `api/v1/sec/versions/4.1.json`, and each query parameter becomes two more path segments
//! (`/provisions/H15?at=2015-01-20` is `provisions/H15/at/2015-01-20.html`). Links in pages are rewritten to
//! relative file names, so the export reads the same from `file://` as from a server. Feeds keep the site's
//! absolute addresses, which feed readers resolve against where the export is served.

use std::collections::{BTreeSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use tower::ServiceExt as _;

use crate::Site;

/// Marks a folder as an export, so that a later export may replace it.
const MARKER: &str = ".inforce-export";

/// What an export wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportSummary {
    /// HTML pages.
    pub pages: usize,
    /// API documents, feeds and the stylesheet.
    pub documents: usize,
    /// Bytes written.
    pub bytes: u64,
}

/// Why an export wrote nothing, sorted by whose it is to fix: the caller's (a folder that is not ours to replace),
/// the environment's (a disk that refuses a write), or ours (a page that links to a missing one).
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The target exists, is not empty and holds no earlier export.
    #[error("{}: the folder is not empty and holds no earlier export; choose an empty or new folder", path.display())]
    ForeignFolder {
        /// The target.
        path: PathBuf,
    },
    /// The target exists and is not a folder, or has no name.
    #[error("{}: exists and is not a folder", path.display())]
    NotAFolder {
        /// The target.
        path: PathBuf,
    },
    /// A file or folder could not be written, read or moved.
    #[error("{}: {source}", path.display())]
    Io {
        /// What was being written, read or moved.
        path: PathBuf,
        /// Why it failed.
        source: std::io::Error,
    },
    /// A page links to an address that does not answer 200: a fault in the site, not in its data.
    #[error("broken link: {url} (linked from {linked_from}) answered {status}")]
    BrokenLink {
        /// The address linked to.
        url: String,
        /// The page that links to it.
        linked_from: String,
        /// What it answered.
        status: StatusCode,
    },
    /// An address has no file name to be written under.
    #[error("{url} (linked from {linked_from}) has no file name")]
    Unnamed {
        /// The address.
        url: String,
        /// The page that links to it.
        linked_from: String,
    },
    /// The routes failed to answer an address.
    #[error("{url}: {reason}")]
    Render {
        /// The address.
        url: String,
        /// Why.
        reason: String,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ExportError + '_ {
    move |source| ExportError::Io { path: path.to_path_buf(), source }
}

/// Writes the site into `out`: built beside it first and moved into place whole, so `out` never holds half an
/// export. An existing `out` is replaced only if it is empty or an earlier export. `progress` is told the number
/// of files written so far.
pub async fn export_site(
    site: Arc<Site>,
    out: &Path,
    mut progress: impl FnMut(usize),
) -> Result<ExportSummary, ExportError> {
    refuse_foreign_folder(out)?;
    let name = out.file_name().ok_or_else(|| ExportError::NotAFolder { path: out.to_path_buf() })?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let staging = parent.join(format!(".{}.partial-{}", name.to_string_lossy(), std::process::id()));
    let written = write_all(site, &staging, &mut progress).await;
    let summary = match written {
        Ok(summary) => summary,
        Err(error) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(error);
        }
    };
    let retired = parent.join(format!(".{}.old-{}", name.to_string_lossy(), std::process::id()));
    if out.exists() {
        std::fs::rename(out, &retired).map_err(io(out))?;
    }
    std::fs::rename(&staging, out).map_err(io(out))?;
    let _ = std::fs::remove_dir_all(&retired);
    Ok(summary)
}

fn refuse_foreign_folder(out: &Path) -> Result<(), ExportError> {
    if !out.exists() {
        return Ok(());
    }
    if !out.is_dir() {
        return Err(ExportError::NotAFolder { path: out.to_path_buf() });
    }
    let mut entries = std::fs::read_dir(out).map_err(io(out))?;
    if entries.next().is_some() && !out.join(MARKER).exists() {
        return Err(ExportError::ForeignFolder { path: out.to_path_buf() });
    }
    Ok(())
}

async fn write_all(
    site: Arc<Site>,
    root: &Path,
    progress: &mut impl FnMut(usize),
) -> Result<ExportSummary, ExportError> {
    std::fs::create_dir_all(root).map_err(io(root))?;
    let routes = crate::routes(site.clone());
    let mut summary = ExportSummary::default();
    let mut seen = BTreeSet::new();
    let mut queue = VecDeque::new();
    let mut seeds =
        vec!["/".to_string(), "/api/v1/codes".into(), "/api/openapi.json".into(), "/static/site.css".into()];
    seeds.push("/feeds/versions.atom".into());
    seeds.push("/feeds/consultations.atom".into());
    // Every publication of every code, and through its links each one's content in the log.
    seeds.push("/feeds/publications.atom".into());
    for seed in seeds {
        seen.insert(seed.clone());
        queue.push_back((seed, "the start".to_string()));
    }
    let default_code = site.options.default_code.as_str().to_string();
    while let Some((url, linked_from)) = queue.pop_front() {
        let (status, body) = fetch(&routes, &url).await?;
        if status != StatusCode::OK {
            return Err(ExportError::BrokenLink { url, linked_from, status });
        }
        let file = file_for(&url).ok_or_else(|| ExportError::Unnamed { url: url.clone(), linked_from })?;
        let mut links = Vec::new();
        let bytes = if file.ends_with(".html") {
            summary.pages += 1;
            let text = String::from_utf8_lossy(&body);
            let page = rewrite_page(&text, &file, &mut links, site.options.public_url.as_deref());
            // A page's JSON twin is written when it has one; not every page has.
            if let Some(twin) = crate::api_twin(&url, &default_code).filter(|twin| seen.insert(twin.clone())) {
                let (status, body) = fetch(&routes, &twin).await?;
                if let (StatusCode::OK, Some(file)) = (status, file_for(&twin)) {
                    summary.documents += 1;
                    summary.bytes += body.len() as u64;
                    write_file(root, &file, &body)?;
                }
            }
            page.into_bytes()
        } else {
            summary.documents += 1;
            if file.ends_with(".atom") {
                links.extend(attribute_values(&String::from_utf8_lossy(&body), "href").map(|(_, v)| v));
                body
            } else if file.ends_with(".js") {
                rewrite_script(&String::from_utf8_lossy(&body), &file, &mut links).into_bytes()
            } else {
                body
            }
        };
        for link in links {
            if let Some(target) = internal(&link).filter(|target| seen.insert(target.clone())) {
                queue.push_back((target, url.clone()));
            }
        }
        summary.bytes += bytes.len() as u64;
        write_file(root, &file, &bytes)?;
        progress(summary.pages + summary.documents);
    }
    let (_, missing) = fetch(&routes, "/404").await?;
    let live = site.options.public_url.as_deref();
    let missing = rewrite_page(&String::from_utf8_lossy(&missing), "404.html", &mut Vec::new(), live);
    write_file(root, "404.html", missing.as_bytes())?;
    write_file(root, MARKER, b"written by inforce export-site\n")?;
    Ok(summary)
}

async fn fetch(routes: &axum::Router, url: &str) -> Result<(StatusCode, Vec<u8>), ExportError> {
    let render = |reason: String| ExportError::Render { url: url.to_string(), reason };
    let request = Request::get(url).body(Body::empty()).map_err(|e| render(e.to_string()))?;
    let response = routes.clone().oneshot(request).await.map_err(|e| render(e.to_string()))?;
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.map_err(|e| render(e.to_string()))?;
    Ok((status, body.to_vec()))
}

fn write_file(root: &Path, file: &str, bytes: &[u8]) -> Result<(), ExportError> {
    let path = root.join(file);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io(parent))?;
    }
    std::fs::write(&path, bytes).map_err(io(&path))
}

/// A link that points into the site, as an address to fetch (without its fragment).
fn internal(link: &str) -> Option<String> {
    if !link.starts_with('/') || link.starts_with("//") {
        return None;
    }
    let address = link.split('#').next().unwrap_or(link);
    Some(address.to_string())
}

/// The file an address is written to, relative to the export's root; `None` for addresses that cannot be files.
pub fn file_for(url: &str) -> Option<String> {
    let (path, query) = url.split_once('?').map_or((url, None), |(p, q)| (p, Some(q)));
    let mut segments: Vec<String> =
        path.split('/').filter(|s| !s.is_empty()).map(percent_decode).collect::<Option<_>>()?;
    let directory = path.ends_with('/');
    if let Some(query) = query {
        let mut pairs: Vec<(String, String)> = query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|pair| {
                let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                Some((percent_decode(key)?, percent_decode(value)?))
            })
            .collect::<Option<_>>()?;
        pairs.sort();
        for (key, value) in pairs {
            segments.push(key);
            segments.push(value);
        }
    }
    if segments.iter().any(|s| s.is_empty() || s == "." || s == ".." || s.contains(['/', '\\', '\0'])) {
        return None;
    }
    let last = segments.last().map(String::as_str).unwrap_or("");
    // A download (a document's file) keeps the name it is served under, whatever it ends with; so do feeds,
    // the stylesheet, scripts and JSON.
    let keeps_its_name = (crate::is_download(path)
        || [".atom", ".css", ".js", ".json"].iter().any(|ext| last.ends_with(ext)))
        && query.is_none();
    let joined = segments.join("/");
    Some(if segments.is_empty() || (directory && query.is_none()) {
        if joined.is_empty() { "index.html".to_string() } else { format!("{joined}/index.html") }
    } else if keeps_its_name {
        joined
    } else if path.starts_with("/api/") {
        format!("{joined}.json")
    } else {
        format!("{joined}.html")
    })
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// What stays as it is in a relative link: the unreserved characters and the path's `/`.
const IN_PATHS: percent_encoding::AsciiSet = crate::query::UNRESERVED.remove(b'/');

fn percent_encode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, &IN_PATHS).to_string()
}

/// The path from the folder holding `from` to `to`, both relative to the export's root.
pub fn relative(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').collect();
    let from_dirs = &from_dirs[..from_dirs.len() - 1];
    let to_parts: Vec<&str> = to.split('/').collect();
    let shared = from_dirs.iter().zip(&to_parts).take_while(|(a, b)| a == b).count().min(to_parts.len() - 1);
    let mut out = "../".repeat(from_dirs.len() - shared);
    out.push_str(&to_parts[shared..].join("/"));
    out
}

/// Every `name="value"` in a page, as (byte range of the value, value with `&amp;` undone).
fn attribute_values<'a>(html: &'a str, name: &'a str) -> impl Iterator<Item = (std::ops::Range<usize>, String)> + 'a {
    quoted_values(html, format!(" {name}=\"")).map(|(range, value)| (range, value.replace("&amp;", "&")))
}

/// The value after each `needle` up to the next `"`, with its byte range.
fn quoted_values(text: &str, needle: String) -> impl Iterator<Item = (std::ops::Range<usize>, String)> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || {
        let start = text[from..].find(&needle)? + from + needle.len();
        let end = text[start..].find('"')? + start;
        from = end;
        Some((start..end, text[start..end].to_string()))
    })
}

/// Whether a form's address is a code's search page, which a static copy answers itself (in the browser).
fn is_search(action: &str) -> bool {
    let path = action.split(['?', '#']).next().unwrap_or(action);
    path == "/search"
        || path
            .strip_prefix("/codes/")
            .and_then(|rest| rest.strip_suffix("/search"))
            .is_some_and(|code| !code.is_empty() && !code.contains('/'))
}

/// The page with its internal links made relative file names; the addresses it links to are added to `links`.
/// A search form is kept and sent to the copy's own search page, which searches in the browser. The other forms
/// (date pickers, the compare form, filters) need a server: with the live site's address (`--public-url`) they
/// are kept and sent there; without it they are replaced by a sentence saying so, so no page is left with a form
/// that cannot answer.
fn rewrite_page(html: &str, file: &str, links: &mut Vec<String>, live: Option<&str>) -> String {
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let mut after = 0;
    while let Some(start) = html[after..].find("<form").map(|at| at + after) {
        let Some(end) = html[start..].find("</form>").map(|at| at + start + "</form>".len()) else { break };
        let form = &html[start..end];
        let action = attribute_values(form, "action").next();
        let search_page = action.as_ref().filter(|(_, action)| is_search(action)).and_then(|(_, a)| file_for(a));
        let replacement = match (action, search_page, live) {
            (Some((range, action)), Some(target), _) => {
                links.push(action);
                let local = percent_encode(&relative(file, &target)).replace('&', "&amp;");
                format!("{}{local}{}", &form[..range.start], &form[range.end..])
            }
            (Some((range, action)), None, Some(live)) if action.starts_with('/') => {
                format!("{}{live}{}{}", &form[..range.start], action.replace('&', "&amp;"), &form[range.end..])
            }
            _ => "<p class=\"note\">This is a static copy of the site: choosing a date, comparing and filtering \
                  need the live site.</p>"
                .to_string(),
        };
        edits.push((start..end, replacement));
        after = end;
    }
    let forms = edits.clone();
    for name in ["href", "src"] {
        for (range, value) in attribute_values(html, name) {
            if forms.iter().any(|(form, _)| form.contains(&range.start)) {
                continue;
            }
            let Some(address) = internal(&value) else { continue };
            let Some(target) = file_for(&address) else { continue };
            let fragment = value.find('#').map_or("", |at| &value[at..]);
            links.push(address);
            let local = format!("{}{fragment}", percent_encode(&relative(file, &target)));
            edits.push((range, local.replace('&', "&amp;")));
        }
    }
    splice(html, edits)
}

/// A script with the site addresses in its `"href":"…"` values (the search index's links to provision pages)
/// made relative to the script's own file, which the search page resolves them against; the addresses are added
/// to `links`, so every search result's page is in the copy.
fn rewrite_script(script: &str, file: &str, links: &mut Vec<String>) -> String {
    let mut edits = Vec::new();
    for (range, value) in quoted_values(script, "\"href\":\"".to_string()) {
        let Some(address) = internal(&value) else { continue };
        let Some(target) = file_for(&address) else { continue };
        links.push(address);
        edits.push((range, percent_encode(&relative(file, &target))));
    }
    splice(script, edits)
}

/// `text` with each range replaced, the ranges in order and apart.
fn splice(text: &str, mut edits: Vec<(std::ops::Range<usize>, String)>) -> String {
    edits.sort_by_key(|(range, _)| range.start);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (range, replacement) in edits {
        out.push_str(&text[at..range.start]);
        out.push_str(&replacement);
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_become_file_names() {
        assert_eq!(file_for("/").as_deref(), Some("index.html"));
        assert_eq!(file_for("/codes/demo/").as_deref(), Some("codes/demo/index.html"));
        assert_eq!(file_for("/versions/4.1").as_deref(), Some("versions/4.1.html"));
        assert_eq!(file_for("/provisions/H15/blame").as_deref(), Some("provisions/H15/blame.html"));
        assert_eq!(file_for("/provisions/H15?at=2015-01-20").as_deref(), Some("provisions/H15/at/2015-01-20.html"));
        assert_eq!(file_for("/api/v1/sec/versions/4.1").as_deref(), Some("api/v1/sec/versions/4.1.json"));
        assert_eq!(file_for("/api/openapi.json").as_deref(), Some("api/openapi.json"));
        assert_eq!(file_for("/feeds/provisions/H15.atom").as_deref(), Some("feeds/provisions/H15.atom"));
        assert_eq!(file_for("/static/site.css").as_deref(), Some("static/site.css"));
        assert_eq!(file_for("/compare/4.0...4.1").as_deref(), Some("compare/4.0...4.1.html"));
        assert_eq!(file_for("/provisions/Article%201").as_deref(), Some("provisions/Article 1.html"));
        assert_eq!(file_for("/provisions/..%2F..%2Fetc"), None, "nothing escapes the export");
        // Downloads keep their names, by the route table, not by how they end.
        assert_eq!(file_for("/documents/annex2/annex2.pdf").as_deref(), Some("documents/annex2/annex2.pdf"));
        assert_eq!(file_for("/documents/notes/notes.odt").as_deref(), Some("documents/notes/notes.odt"));
        assert_eq!(file_for("/codes/demo/documents/a/b.md").as_deref(), Some("codes/demo/documents/a/b.md"));
        assert_eq!(file_for("/provisions/x.md").as_deref(), Some("provisions/x.md.html"), "a page, not a download");
        assert_eq!(file_for("/documents/a/b.pdf?x=1").as_deref(), Some("documents/a/b.pdf/x/1.html"));
        assert_eq!(file_for("/x?a=.."), None);
    }

    #[test]
    fn links_are_relative_to_the_page() {
        assert_eq!(relative("index.html", "versions/4.1.html"), "versions/4.1.html");
        assert_eq!(relative("versions/4.1.html", "versions.html"), "../versions.html");
        assert_eq!(relative("versions/4.1.html", "versions/4.0.html"), "4.0.html");
        assert_eq!(relative("provisions/H15/at/2015-01-20.html", "index.html"), "../../../index.html");
        assert_eq!(relative("codes/demo/index.html", "codes/demo/versions.html"), "versions.html");
    }

    #[test]
    fn pages_are_rewritten_and_forms_dropped() {
        let html = "<a href=\"/versions/4.1\">4.1</a> <a href=\"#main\">skip</a> \
                    <a href=\"/provisions/H15?at=2015-01-20&amp;x=1#p\">H15</a> \
                    <form action=\"/at\"><a href=\"/gone\">x</a></form><link href=\"https://example.org/\">";
        let mut links = Vec::new();
        let page = rewrite_page(html, "versions/4.0.html", &mut links, None);
        assert_eq!(
            page,
            "<a href=\"4.1.html\">4.1</a> <a href=\"#main\">skip</a> \
             <a href=\"../provisions/H15/at/2015-01-20/x/1.html#p\">H15</a> \
             <p class=\"note\">This is a static copy of the site: choosing a date, comparing and filtering need the \
             live site.</p><link href=\"https://example.org/\">"
        );
        assert_eq!(links, ["/versions/4.1", "/provisions/H15?at=2015-01-20&x=1"]);
        // With the live site's address, a form is kept and sent there, its markup as it was.
        let mut links = Vec::new();
        let html = "<form action=\"/at?x=1&amp;y=2\"><input placeholder=\"&quot;a phrase&quot;\"></form>";
        let page = rewrite_page(html, "versions/4.0.html", &mut links, Some("https://sec.example.org"));
        assert_eq!(
            page,
            "<form action=\"https://sec.example.org/at?x=1&amp;y=2\"><input placeholder=\"&quot;a phrase&quot;\"></form>"
        );
    }

    #[test]
    fn search_forms_go_to_the_copys_own_search_page() {
        let html = "<form action=\"/search\" role=\"search\"><input placeholder=\"&quot;x&quot;\"></form>\
                    <form action=\"/codes/demo/search\"></form><form action=\"/codes/demo/at\"></form>";
        for live in [None, Some("https://sec.example.org")] {
            let mut links = Vec::new();
            let page = rewrite_page(html, "codes/demo/index.html", &mut links, live);
            assert!(
                page.starts_with(
                    "<form action=\"../../search.html\" role=\"search\"><input placeholder=\"&quot;x&quot;\"></form>\
                     <form action=\"search.html\"></form>"
                ),
                "{page}"
            );
            assert_eq!(links, ["/search", "/codes/demo/search"]);
            assert_eq!(page.contains("https://sec.example.org/codes/demo/at"), live.is_some(), "{page}");
        }
        assert!(is_search("/search") && is_search("/codes/fr-cc/search") && is_search("/search?q=x"));
        for other in ["/searches", "/codes//search", "/codes/a/b/search", "/at", "/codes/search"] {
            assert!(!is_search(other), "{other}");
        }
    }

    #[test]
    fn a_scripts_links_are_made_relative_to_it_and_followed() {
        let script = "window.x = {\"provisions\":[{\"id\":\"H15\",\"href\":\"/provisions/H15?at=2015-01-26\",\
                      \"text\":\"\\\"href\\\":\\\"/not/a/link\\\"\"},{\"href\":\"https://example.org/\"}]};";
        let mut links = Vec::new();
        let out = rewrite_script(script, "codes/demo/search/index.js", &mut links);
        assert_eq!(links, ["/provisions/H15?at=2015-01-26"]);
        assert!(out.contains("\"href\":\"../../../provisions/H15/at/2015-01-26.html\""), "{out}");
        assert!(out.contains("/not/a/link") && out.contains("https://example.org/"), "{out}");
        assert_eq!(file_for("/static/search.js").as_deref(), Some("static/search.js"));
        assert_eq!(file_for("/codes/demo/search/index.js").as_deref(), Some("codes/demo/search/index.js"));
    }

    #[test]
    fn pages_have_api_twins() {
        let twin = |url| crate::api_twin(url, "sec");
        assert_eq!(twin("/versions/4.1").as_deref(), Some("/api/v1/sec/versions/4.1"));
        assert_eq!(twin("/codes/demo/at/2020-01-01").as_deref(), Some("/api/v1/demo/at/2020-01-01"));
        assert_eq!(
            twin("/provisions/H15/blame?at=2015-01-01").as_deref(),
            Some("/api/v1/sec/provisions/H15/blame?at=2015-01-01")
        );
        assert_eq!(twin("/variations").as_deref(), Some("/api/v1/sec/variations"));
        assert_eq!(twin("/at"), None, "the date picker has no twin");
        assert_eq!(twin("/documents/a/b.pdf"), None);
        assert_eq!(twin("/feeds/versions.atom"), None);
    }
}
