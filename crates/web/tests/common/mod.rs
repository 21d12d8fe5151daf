//! What the web crate's tests share: a site in process over an in-memory SQLite store, asked through the router
//! (no process, no socket), and readers of what a page shows.
#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, HeaderName, Method, Request, StatusCode};
use inforce_core::{CodeId, Register};
use inforce_store::{Provenance, Store};
use inforce_store_sqlite::SqliteStore;
use inforce_web::{Limits, Site, SiteOptions};
use tokio::sync::OnceCell;
use tower::ServiceExt;

// The same sample folders as the command line's tests.
#[path = "../../../cli/tests/common/folder.rs"]
mod folder;
// Each test file uses some of them.
#[allow(unused_imports)]
pub use folder::{CREANCE, Folder, changed_back_folder, decomposed, resaved_folder, small_folder};
// What a person reads of a page, read as the command line's tests read it.
#[path = "../../../cli/tests/common/markup.rs"]
mod markup;
pub use markup::{unescape, visible};

/// When the built-in SEC register is published, and every folder imported (`INFORCE_NOW` in the command line's
/// tests).
pub const SEC_TIME: &str = "2026-11-01T09:00:00Z";

/// The built-in SEC register (`data/sec.toml`), parsed.
pub fn sec_register() -> Register {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/sec.toml")).expect("sec.toml");
    inforce_formats::parse_register("sec.toml", &text).expect("the built-in register")
}

/// A store and how to serve it. The site is loaded from the store on first use ([`TestSite::site`]), so whatever
/// is published before that is served.
pub struct TestSite {
    pub store: Arc<dyn Store>,
    options: SiteOptions,
    site: OnceCell<Arc<Site>>,
    router: OnceCell<Router>,
}

impl TestSite {
    /// An empty store serving `default_code` at `/`, today 1 February 2015, with the default limits.
    pub async fn empty(default_code: &str) -> Self {
        let store: Arc<dyn Store> = Arc::new(SqliteStore::in_memory().await.expect("database"));
        let options = SiteOptions {
            default_code: CodeId::parse(default_code).expect("code"),
            today: Some("2015-02-01".parse().expect("date")),
            poll: Duration::from_secs(1),
            access_log: false,
            public_url: None,
            limits: Limits::default(),
            signing_key: None,
            static_copy: false,
            trusted_proxies: inforce_web::client::TrustedProxies::default(),
        };
        Self { store, options, site: OnceCell::new(), router: OnceCell::new() }
    }

    /// The built-in SEC register, published at [`SEC_TIME`] and served at `/`; today 1 February 2015 (as
    /// `inforce serve` in the command line's tests).
    pub async fn sec() -> Self {
        Self::empty("sec").await.with_register(&sec_register(), SEC_TIME).await
    }

    /// Publishes `register` at `time`.
    pub async fn with_register(self, register: &Register, time: &str) -> Self {
        let by = Provenance::anonymous("test", time.parse().expect("time"));
        inforce_store::publish_register(self.store.as_ref(), register, &by).await.expect("publish");
        self
    }

    /// Imports `folder` as the texts of `code`, as `inforce import DIR --code CODE` does: written to disk, read
    /// with `read_folder` and joined to the code's register by `import_texts`, at [`SEC_TIME`].
    pub async fn with_folder(self, code: &str, folder: &Folder) -> Self {
        let dir = tempfile::tempdir().expect("temporary folder");
        let root = folder.write(&dir.path().join(code));
        let read = inforce_formats::folder::read_folder(&root, &mut |_, _| {}).expect("the folder reads");
        let code = CodeId::parse(code).expect("code");
        let request = inforce_store::TextImportRequest {
            code: &code,
            import: inforce_core::import::TextImport {
                versions: &read.versions,
                order: &read.order,
                headings: &read.headings,
                placements: inforce_core::import::no_placements(),
            },
            new_bodies: read.bodies,
            title: None,
            time_zone: None,
            complete_until: None,
            first_version: None,
            new_code_first_version: inforce_core::FirstVersion::Origin,
            details: inforce_store::VersionDetails::default(),
            provenance: Provenance::anonymous(&format!("folder:{}", root.display()), SEC_TIME.parse().expect("time")),
            replace: false,
        };
        inforce_store::import_texts(self.store.as_ref(), request).await.expect("imported");
        self
    }

    /// Takes `day` (`YYYY-MM-DD`) as today.
    pub fn today(mut self, day: &str) -> Self {
        self.options.today = Some(day.parse().expect("date"));
        self
    }

    /// Serves within `limits`.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.options.limits = limits;
        self
    }

    /// Another site on the same store, loaded afresh: a second `inforce serve` on the same database.
    pub fn second_site(&self) -> Self {
        Self {
            store: self.store.clone(),
            options: self.options.clone(),
            site: OnceCell::new(),
            router: OnceCell::new(),
        }
    }

    /// The site, loaded from the store the first time it is asked for.
    pub async fn site(&self) -> Arc<Site> {
        let load = || async { Site::load(self.store.clone(), self.options.clone()).await.expect("site") };
        self.site.get_or_init(load).await.clone()
    }

    /// The routes alone, under the response policy ([`inforce_web::routes`]).
    pub async fn routes(&self) -> Router {
        inforce_web::routes(self.site().await)
    }

    /// The routes with the answer cache and request timeouts, as `serve` runs them ([`inforce_web::router`]); one
    /// cache for the life of this site.
    pub async fn router(&self) -> Router {
        self.router.get_or_init(|| async { inforce_web::router(self.site().await) }).await.clone()
    }

    /// `GET url` through [`TestSite::router`].
    pub async fn get(&self, url: &str) -> Answer {
        ask(&self.router().await, Method::GET, url, &[]).await
    }

    /// The markup of the page at `url`, which must answer 200.
    pub async fn page(&self, url: &str) -> String {
        let answer = self.get(url).await;
        assert_eq!(answer.status, StatusCode::OK, "{url}: {}", answer.text());
        answer.text()
    }
}

/// An answer: status, headers and body.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Answer {
    /// A header's value; empty when absent.
    pub fn header(&self, name: HeaderName) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

/// Asks `routes` for `url` with `headers`.
pub async fn ask(routes: &Router, method: Method, url: &str, headers: &[(HeaderName, &str)]) -> Answer {
    let mut request = Request::builder().method(method).uri(url);
    for (name, value) in headers {
        request = request.header(name, *value);
    }
    let response = routes.clone().oneshot(request.body(Body::empty()).expect("request")).await.expect("answer");
    let (status, headers) = (response.status(), response.headers().clone());
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.expect("body").to_vec();
    Answer { status, headers, body }
}

/// One element of a page: its attributes as written and the markup inside it.
#[derive(Debug)]
pub struct Element {
    pub attributes: String,
    pub inner: String,
}

impl Element {
    /// The value of attribute `name`, if the element has it with a value.
    pub fn attribute(&self, name: &str) -> Option<String> {
        let key = format!(" {name}=\"");
        let start = format!(" {}", self.attributes.replace('\n', " ")).find(&key)? + key.len() - 1;
        let value = &self.attributes[start..];
        Some(unescape(&value[..value.find('"')?]))
    }

    /// Whether the element carries attribute `name`, with or without a value (`open`, `checked`).
    pub fn has(&self, name: &str) -> bool {
        self.attributes.split_whitespace().any(|a| a == name || a.starts_with(&format!("{name}=")))
    }

    /// Its visible text, white space collapsed.
    pub fn text(&self) -> String {
        visible(&self.inner).split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// Elements with no closing tag.
const VOID: &[&str] = &["input", "br", "img", "meta", "link", "hr"];

/// Every `<tag …>` element of `markup`, in order. One ends at the first closing tag of its name, so an element
/// holding another of its kind is cut short (no page test needs more).
pub fn elements(markup: &str, tag: &str) -> Vec<Element> {
    let (open, close) = (format!("<{tag}"), format!("</{tag}>"));
    let mut found = Vec::new();
    let mut rest = markup;
    while let Some(at) = rest.find(&open) {
        rest = &rest[at + open.len()..];
        // `<a` is not `<abbr>` nor `<aside>`.
        if !rest.starts_with([' ', '>', '\n', '/']) {
            continue;
        }
        let Some(end) = rest.find('>') else { break };
        let attributes = rest[..end].trim_end_matches('/').to_string();
        rest = &rest[end + 1..];
        let inner = if VOID.contains(&tag) { "" } else { &rest[..rest.find(&close).unwrap_or(rest.len())] };
        found.push(Element { attributes, inner: inner.to_string() });
    }
    found
}

/// The element whose `id` is `id`.
pub fn by_id(markup: &str, id: &str) -> Option<Element> {
    let at = markup.find(&format!(" id=\"{id}\""))?;
    let start = markup[..at].rfind('<')?;
    let tag: String = markup[start + 1..].chars().take_while(char::is_ascii_alphanumeric).collect();
    elements(&markup[start..], &tag).into_iter().next()
}

/// Every link of `markup`: its address and its text.
pub fn links(markup: &str) -> Vec<(String, String)> {
    elements(markup, "a").iter().filter_map(|a| Some((a.attribute("href")?, a.text()))).collect()
}

/// The address of the first link of `markup` that reads `text`.
pub fn link(markup: &str, text: &str) -> Option<String> {
    links(markup).into_iter().find(|(_, t)| t == text).map(|(href, _)| href)
}

/// The form field named `name` (an `input`).
pub fn field(markup: &str, name: &str) -> Option<Element> {
    elements(markup, "input").into_iter().find(|i| i.attribute("name").as_deref() == Some(name))
}
