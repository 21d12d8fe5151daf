//! What the web crate's tests share: a site in process over an in-memory SQLite store, asked through the router
//! (no process, no socket).
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
pub use folder::{CREANCE, Folder, decomposed, resaved_folder, small_folder};

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
            details: inforce_store::VersionDetails::default(),
            provenance: Provenance::anonymous(&format!("folder:{}", root.display()), SEC_TIME.parse().expect("time")),
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
