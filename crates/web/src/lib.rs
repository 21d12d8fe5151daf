//! The public website, JSON API and Atom feeds. Every answer comes from an in-memory snapshot of the registers
//! (core `History` values); the store is read at start and again when a publication lands.

#![forbid(unsafe_code)]

mod cache;
mod changes;
pub mod export;
pub mod feeds;
pub mod log;
mod pages;
mod respond;
mod search;
mod site;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::routing::get;
use inforce_store::Store;
use tower_http::timeout::TimeoutLayer;

pub use site::{Site, SiteOptions};

/// The routes with the answer cache, request timeouts and (if asked) the access log: what `serve` runs.
pub fn router(site: Arc<Site>) -> Router {
    let access_log = site.options.access_log;
    let routes = routes(site.clone())
        .layer(axum::middleware::from_fn_with_state(site, cache::layer))
        .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, Duration::from_secs(10)));
    if access_log { routes.layer(axum::middleware::from_fn(access_log_layer)) } else { routes }
}

/// The routes alone: pages, API and feeds for the default code at `/`, and for any code under `/codes/{code}`.
pub fn routes(site: Arc<Site>) -> Router {
    let code_routes = || {
        Router::new()
            .route("/", get(pages::home))
            .route("/versions", get(pages::versions))
            .route("/versions/{entry}", get(pages::version))
            .route("/at", get(pages::at_form))
            .route("/at/{date}", get(pages::at))
            .route("/provisions/{provision}", get(pages::provision))
            .route("/provisions/{provision}/blame", get(pages::blame))
            .route("/compare/{range}", get(pages::compare))
            .route("/consultations", get(pages::consultations))
            .route("/variations", get(pages::variations))
            .route("/proposals", get(changes::proposals))
            .route("/proposals/{reference}", get(changes::proposal))
            .route("/feeds/proposals.atom", get(feeds::proposals))
            .route("/documents", get(changes::documents))
            .route("/search", get(search::page))
            .route("/documents/{id}/{file}", get(changes::document_file))
            .route("/feeds/variations.atom", get(feeds::variations))
            .route("/feeds/versions.atom", get(feeds::versions))
            .route("/feeds/provisions/{feed}", get(feeds::provision))
            .route("/feeds/consultations.atom", get(feeds::consultations))
    };
    let api = Router::new()
        .route("/codes", get(pages::api_codes))
        .route("/{code}/versions", get(pages::api_versions))
        .route("/{code}/versions/{entry}", get(pages::api_version))
        .route("/{code}/at/{date}", get(pages::api_at))
        .route("/{code}/provisions/{provision}", get(pages::api_provision))
        .route("/{code}/provisions/{provision}/blame", get(pages::api_blame))
        .route("/{code}/compare/{range}", get(pages::api_compare))
        .route("/{code}/timeline", get(pages::api_timeline))
        .route("/{code}/consultations", get(pages::api_consultations))
        .route("/{code}/proposals", get(changes::api_proposals))
        .route("/{code}/proposals/{reference}", get(changes::api_proposal))
        .route("/{code}/planned", get(changes::api_planned))
        .route("/{code}/documents", get(changes::api_documents))
        .route("/{code}/variations", get(pages::api_variations))
        .route("/{code}/search", get(search::api))
        .route("/search", get(search::api));
    Router::new()
        .merge(code_routes())
        .nest("/codes/{code}", code_routes())
        // A code's home is linked as /codes/{code}/; nesting matches only /codes/{code}.
        .route("/codes/{code}/", get(pages::home))
        .nest("/api/v1", api)
        .route("/api/openapi.json", get(pages::openapi))
        .route("/static/site.css", get(pages::stylesheet))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(pages::ready))
        .fallback(pages::not_found)
        .with_state(site)
}

/// One log line per request, written when the answer is ready.
async fn access_log_layer(request: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    let start = std::time::Instant::now();
    let method = request.method().clone();
    let path = request.uri().path_and_query().map_or_else(|| "/".to_string(), ToString::to_string);
    let response = next.run(request).await;
    let millis = format!("{:.3}", start.elapsed().as_secs_f64() * 1000.0);
    log::event(
        log::Level::Info,
        "http",
        "request",
        &[("method", method.as_str()), ("path", &path), ("status", response.status().as_str()), ("ms", &millis)],
    );
    response
}

/// Serves until SIGTERM or Ctrl-C, then finishes the requests in flight. `ready` is told the bound address.
pub async fn serve(
    store: Arc<dyn Store>,
    addr: SocketAddr,
    options: SiteOptions,
    ready: impl FnOnce(SocketAddr),
) -> Result<(), String> {
    let site = Site::load(store, options).await.map_err(|e| e.to_string())?;
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let bound = listener.local_addr().map_err(|e| e.to_string())?;
    let watcher = tokio::spawn(Site::watch(site.clone()));
    ready(bound);
    let codes = site.snapshot().histories.len().to_string();
    log::event(log::Level::Info, "serve", "listening", &[("addr", &bound.to_string()), ("codes", &codes)]);
    let result = axum::serve(listener, router(site)).with_graceful_shutdown(shutdown()).await;
    log::event(log::Level::Info, "serve", "stopped", &[]);
    watcher.abort();
    result.map_err(|e| e.to_string())
}

async fn shutdown() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}
