//! The public website, JSON API and Atom feeds. Every answer comes from an in-memory snapshot of the registers
//! (core `History` values); the store is read at start and again when a publication lands.

#![forbid(unsafe_code)]

pub mod budget;
mod cache;
pub mod client;
mod ctx;
mod encoding;
pub mod export;
mod feeds;
mod handlers;
pub mod log;
mod policy;
mod query;
mod recorded;
mod respond;
mod serve;
mod site;

use std::sync::Arc;

use axum::Router;
use axum::routing::{MethodRouter, get};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::timeout::TimeoutLayer;

use handlers::{
    at, compare, consultations, contents, documents, home, meta, proposals, provisions, publication_log, publications,
    search, variations, versions,
};
pub use serve::{ServeError, serve};
pub use site::{DEFAULT_CACHE_BYTES, Limits, Site, SiteOptions, public_url};

/// One address of a code: its page (or feed), and the address and handler of its JSON twin when it has one. The
/// router, the static export (which writes each page's twin) and the API description's paths all come from
/// one table ([`table`]), so an address cannot be served and forgotten by the others.
struct Route {
    /// The page's address within a code: `/versions/{entry}` (also served under `/codes/{code}`).
    page: &'static str,
    handler: MethodRouter<Arc<Site>>,
    /// The twin's address under `/api/v1`, and its handler.
    api: Option<(&'static str, MethodRouter<Arc<Site>>)>,
    /// Whether it answers a file to take away (`respond::download`: its media type and file name, byte ranges)
    /// rather than a page: a static copy keeps its name, and the API description lists it.
    download: bool,
}

fn route(page: &'static str, handler: MethodRouter<Arc<Site>>) -> Route {
    Route { page, handler, api: None, download: false }
}

/// A file to download (a document as stored; later a version's rendition).
fn download(page: &'static str, handler: MethodRouter<Arc<Site>>) -> Route {
    Route { page, handler, api: None, download: true }
}

fn twin(
    page: &'static str,
    handler: MethodRouter<Arc<Site>>,
    api: &'static str,
    api_handler: MethodRouter<Arc<Site>>,
) -> Route {
    Route { page, handler, api: Some((api, api_handler)), download: false }
}

/// Every address of a code, pages beside their twins.
fn table() -> Vec<Route> {
    vec![
        route("/", get(home::home)),
        twin("/versions", get(versions::versions), "/{code}/versions", get(versions::api_versions)),
        twin("/versions/{entry}", get(versions::version), "/{code}/versions/{entry}", get(versions::api_version)),
        route("/at", get(at::at_form)),
        twin("/at/{date}", get(at::at), "/{code}/at/{date}", get(at::api_at)),
        twin("/contents", get(contents::contents), "/{code}/contents", get(contents::api_contents)),
        twin(
            "/provisions/{provision}",
            get(provisions::provision),
            "/{code}/provisions/{provision}",
            get(provisions::api_provision),
        ),
        twin(
            "/provisions/{provision}/blame",
            get(provisions::blame),
            "/{code}/provisions/{provision}/blame",
            get(provisions::api_blame),
        ),
        route("/compare", get(compare::compare_form)),
        twin("/compare/{range}", get(compare::compare), "/{code}/compare/{range}", get(compare::api_compare)),
        twin(
            "/consultations",
            get(consultations::consultations),
            "/{code}/consultations",
            get(consultations::api_consultations),
        ),
        twin(
            "/consultations/{id}",
            get(consultations::consultation),
            "/{code}/consultations/{id}",
            get(consultations::api_consultation),
        ),
        twin("/variations", get(variations::variations), "/{code}/variations", get(variations::api_variations)),
        twin(
            "/publications",
            get(publications::publications_page),
            "/{code}/publications",
            get(publications::api_publications),
        ),
        twin("/proposals", get(proposals::proposals), "/{code}/proposals", get(proposals::api_proposals)),
        twin(
            "/proposals/{reference}",
            get(proposals::proposal),
            "/{code}/proposals/{reference}",
            get(proposals::api_proposal),
        ),
        twin("/documents", get(documents::documents), "/{code}/documents", get(documents::api_documents)),
        download("/documents/{id}/{file}", get(documents::document_file)),
        twin("/search", get(search::page), "/{code}/search", get(search::api)),
        route("/search/index.js", get(search::index_script)),
        route("/feeds/versions.atom", get(feeds::versions)),
        route("/feeds/provisions/{feed}", get(feeds::provision)),
        route("/feeds/consultations.atom", get(feeds::consultations)),
        route("/feeds/proposals.atom", get(feeds::proposals)),
        route("/feeds/variations.atom", get(feeds::variations)),
        route("/feeds/publications.atom", get(feeds::publications)),
    ]
}

/// API addresses without a page of their own.
fn api_only() -> Vec<(&'static str, MethodRouter<Arc<Site>>)> {
    vec![
        ("/codes", get(meta::api_codes)),
        ("/{code}/timeline", get(variations::api_timeline)),
        ("/{code}/planned", get(proposals::api_planned)),
        ("/search", get(search::api)),
        // The publication log, for any code and (unprefixed) the default one.
        ("/{code}/log", get(publication_log::api_log)),
        ("/log", get(publication_log::api_log)),
        ("/{code}/log/{sequence}", get(publication_log::api_logged)),
        ("/log/{sequence}", get(publication_log::api_logged)),
        ("/{code}/log/checkpoint", get(publication_log::api_checkpoint)),
        ("/log/checkpoint", get(publication_log::api_checkpoint)),
        ("/log/key", get(publication_log::api_key)),
        ("/{code}/log/proof/inclusion", get(publication_log::api_inclusion)),
        ("/log/proof/inclusion", get(publication_log::api_inclusion)),
        ("/{code}/log/proof/consistency", get(publication_log::api_consistency)),
        ("/log/proof/consistency", get(publication_log::api_consistency)),
    ]
}

/// Every address of the JSON API under `/api/v1`, in the router's syntax (`/{code}/versions/{entry}`): what the
/// API description must describe.
pub fn api_paths() -> Vec<&'static str> {
    let mut paths: Vec<&'static str> = table().into_iter().filter_map(|r| r.api.map(|(path, _)| path)).collect();
    paths.extend(api_only().into_iter().map(|(path, _)| path));
    paths
}

/// Every download's address within a code, in the router's syntax (`/documents/{id}/{file}`; also served under
/// `/codes/{code}`).
pub fn download_paths() -> Vec<&'static str> {
    DOWNLOADS.clone()
}

/// Whether an address (a path, without query) is a download's, under the default code or `/codes/{code}`.
pub(crate) fn is_download(path: &str) -> bool {
    let within = match path.strip_prefix("/codes/") {
        Some(tail) => tail.split_once('/').map_or(String::new(), |(_, rest)| format!("/{rest}")),
        None => path.to_string(),
    };
    DOWNLOADS.iter().any(|pattern| matches(pattern, &within))
}

/// The download rows of the route table, worked out once.
static DOWNLOADS: std::sync::LazyLock<Vec<&'static str>> =
    std::sync::LazyLock::new(|| table().into_iter().filter(|r| r.download).map(|r| r.page).collect());

/// The JSON twin of a page's address (`/versions/4.1` → `/api/v1/sec/versions/4.1`; `/codes/x/at/…` →
/// `/api/v1/x/at/…`), when the page has one; the query string is kept.
pub fn api_twin(url: &str, default_code: &str) -> Option<String> {
    let (path, query) = url.split_once('?').map_or((url, None), |(p, q)| (p, Some(q)));
    let (code, rest) = match path.strip_prefix("/codes/") {
        Some(tail) => {
            let (code, rest) = tail.split_once('/')?;
            (code, format!("/{rest}"))
        }
        None => (default_code, path.to_string()),
    };
    let api = TWINS.iter().find(|(page, _)| matches(page, &rest)).map(|(_, api)| *api)?;
    let twin = api.replace("{code}", code);
    // The twin's parameters are the page's, in the same places after the code.
    let filled = fill(&twin, &rest)?;
    Some(match query {
        Some(query) => format!("/api/v1{filled}?{query}"),
        None => format!("/api/v1{filled}"),
    })
}

/// Each page's address and its twin's, from the route table, worked out once (the export asks for every page).
static TWINS: std::sync::LazyLock<Vec<(&'static str, &'static str)>> =
    std::sync::LazyLock::new(|| table().into_iter().filter_map(|r| Some((r.page, r.api?.0))).collect());

/// Whether an address matches a pattern whose `{name}` segments match any one segment.
fn matches(pattern: &str, path: &str) -> bool {
    let (p, a): (Vec<&str>, Vec<&str>) = (pattern.split('/').collect(), path.split('/').collect());
    p.len() == a.len() && p.iter().zip(&a).all(|(p, a)| (p.starts_with('{') && !a.is_empty()) || p == a)
}

/// `twin`'s `{name}` segments filled, in order, with the segments of `path` that sit where the page's
/// parameters are (the twin lists the same segments after its code).
fn fill(twin: &str, path: &str) -> Option<String> {
    let page: Vec<&str> = path.split('/').skip(1).collect();
    let twin_segments: Vec<&str> = twin.split('/').skip(2).collect();
    (page.len() == twin_segments.len()).then(|| {
        let code = twin.split('/').nth(1).unwrap_or_default();
        let mut out = format!("/{code}");
        for (t, p) in twin_segments.iter().zip(&page) {
            out.push('/');
            out.push_str(if t.starts_with('{') { p } else { t });
        }
        out
    })
}

/// The routes with the answer cache, request timeouts and (if asked) the access log: what `serve` runs.
pub fn router(site: Arc<Site>) -> Router {
    let cache = Arc::new(cache::AnswerCache::new(site.options.limits.cache_bytes));
    router_with(site, cache)
}

/// [`router`], keeping answers in `cache`.
fn router_with(site: Arc<Site>, cache: Arc<cache::AnswerCache>) -> Router {
    let access_log = site.options.access_log;
    let request_timeout = site.options.limits.request_timeout;
    let routes = routes(site.clone())
        // Under the cache: an answer served from it is counted by the cache's bound, not again here.
        .layer(axum::middleware::from_fn_with_state(site.memory(), budget::layer))
        .layer(axum::middleware::from_fn_with_state((site, cache), cache::layer))
        // What the cache does not keep (answers streamed as they are drawn, or too large) is compressed as it
        // streams, in the codings the cache's own answers use, and tagged per coding.
        .layer(compression())
        .layer(axum::middleware::from_fn(encoding::tag_layer))
        // A backstop: heavy answers give up at the limit itself with a reason (`Ctx::heavy`).
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            request_timeout + std::time::Duration::from_secs(2),
        ))
        // Again outside the timeout and the cache, whose own refusals (408, an answer too large) need a face too.
        .layer(axum::middleware::from_fn(policy::layer));
    if access_log { routes.layer(axum::middleware::from_fn(access_log_layer)) } else { routes }
}

/// The routes alone, under the one response policy: pages, API and feeds for the default code at `/`, and for
/// any code under `/codes/{code}`.
pub fn routes(site: Arc<Site>) -> Router {
    let code_routes = || table().into_iter().fold(Router::new(), |router, r| router.route(r.page, r.handler));
    let api = table()
        .into_iter()
        .filter_map(|r| r.api)
        .chain(api_only())
        .fold(Router::new(), |router, (path, handler)| router.route(path, handler));
    Router::new()
        .merge(code_routes())
        .nest("/codes/{code}", code_routes())
        // A code's home is linked as /codes/{code}/; nesting matches only /codes/{code}.
        .route("/codes/{code}/", get(home::home))
        .nest("/api/v1", api)
        .route("/api/openapi.json", get(meta::openapi))
        .route("/static/site.css", get(meta::stylesheet))
        .route("/static/search.js", get(meta::search_script))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(meta::ready))
        .fallback(meta::not_found)
        .with_state(site)
        .layer(CatchPanicLayer::custom(policy::panicked))
        .layer(axum::middleware::from_fn(policy::layer))
        // Inside the answer cache, so that an answer served from it carries the same headers.
        .layer(cors())
}

/// Public reads are open to scripts on any origin (CORS, by tower-http): every answer says so, and a preflight
/// may ask to send the conditional headers; nothing else is opened (no credentials, no method but GET and HEAD).
fn cors() -> tower_http::cors::CorsLayer {
    use axum::http::{Method, header};
    tower_http::cors::CorsLayer::new()
        .allow_origin(tower_http::cors::Any)
        .allow_methods([Method::GET, Method::HEAD])
        .allow_headers([
            header::IF_NONE_MATCH,
            header::IF_MODIFIED_SINCE,
            header::IF_MATCH,
            header::IF_UNMODIFIED_SINCE,
            header::RANGE,
            header::IF_RANGE,
        ])
        .expose_headers([header::ETAG, header::LAST_MODIFIED, header::LINK, header::CONTENT_DISPOSITION])
        .max_age(std::time::Duration::from_secs(86400))
}

/// Text answers of at least [`encoding::MIN_SIZE`] compressed as they stream (tower-http), at the cache's levels;
/// anything already in a coding, a byte range, or not text is left as it is.
fn compression() -> tower_http::compression::CompressionLayer<impl tower_http::compression::Predicate> {
    use tower_http::compression::predicate::{Predicate as _, SizeAbove};
    let text = |_: axum::http::StatusCode,
                _: axum::http::Version,
                headers: &axum::http::HeaderMap,
                _: &axum::http::Extensions| { encoding::compressible(headers) };
    tower_http::compression::CompressionLayer::new()
        .br(true)
        .gzip(true)
        .quality(tower_http::CompressionLevel::Precise(5))
        .compress_when(SizeAbove::new(encoding::MIN_SIZE as u16).and(text))
}

/// One log line per request, written when the answer is ready.
async fn access_log_layer(request: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    let start = std::time::Instant::now();
    let method = request.method().clone();
    let path = request.uri().path_and_query().map_or_else(|| "/".to_string(), ToString::to_string);
    // The client every per-address limit counts by (absent when the routes are driven without `serve`).
    let client = request.extensions().get::<client::ClientAddress>().map(|c| c.0.to_string());
    let response = next.run(request).await;
    let millis = format!("{:.3}", start.elapsed().as_secs_f64() * 1000.0);
    log::event(
        log::Level::Info,
        "http",
        "request",
        &[
            ("method", method.as_str()),
            ("path", &path),
            ("status", response.status().as_str()),
            ("ms", &millis),
            ("client", client.as_deref().unwrap_or("-")),
        ],
    );
    response
}
