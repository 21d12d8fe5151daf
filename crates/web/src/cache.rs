//! Rendered answers kept in memory: an answer depends only on the snapshot, the date taken as today and the
//! address, so once drawn it is served again as bytes until a new snapshot (or a new day) makes it stale.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{Request, State};
use axum::http::header::{ETAG, IF_NONE_MATCH};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::site::Site;

/// Beyond this many answers the cache starts again empty: a bound on memory, not a policy worth tuning.
const MAX_ENTRIES: usize = 20_000;
/// Answers larger than this are not kept.
const MAX_BODY: usize = 4 * 1024 * 1024;

/// (snapshot generation, today, path and query).
type Key = (u64, String, String);

/// The cache: key → the answer's headers and body.
#[derive(Default)]
pub struct AnswerCache {
    entries: Mutex<HashMap<Key, (HeaderMap, Bytes)>>,
}

impl AnswerCache {
    fn get(&self, key: &Key) -> Option<(HeaderMap, Bytes)> {
        self.entries.lock().ok()?.get(key).cloned()
    }

    fn put(&self, key: Key, value: (HeaderMap, Bytes)) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= MAX_ENTRIES || entries.keys().next().is_some_and(|k| k.0 != key.0) {
                entries.clear();
            }
            entries.insert(key, value);
        }
    }
}

/// Middleware: serve GET answers from the cache, and keep every successful one.
pub async fn layer(
    State((site, cache)): State<(Arc<Site>, Arc<AnswerCache>)>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path_and_query().map(|p| p.as_str().to_string()).unwrap_or_default();
    // Document files are read from the store on demand and may be large: they are never held in memory.
    let uncachable = request.method() != Method::GET
        || path.starts_with("/healthz")
        || path.starts_with("/readyz")
        || path.contains("/documents/");
    if uncachable {
        return next.run(request).await;
    }
    let snapshot = site.snapshot();
    let key = (snapshot.generation, site.todays(&snapshot), path);
    let if_none_match = request.headers().get(IF_NONE_MATCH).cloned();
    if let Some((headers, body)) = cache.get(&key) {
        let fresh = if_none_match.is_some() && if_none_match.as_ref() == headers.get(ETAG);
        if fresh {
            let mut headers = headers;
            headers.remove(axum::http::header::CONTENT_TYPE);
            return (StatusCode::NOT_MODIFIED, headers).into_response();
        }
        return (headers, body).into_response();
    }
    let response = next.run(request).await;
    if response.status() != StatusCode::OK {
        return response;
    }
    let (parts, body) = response.into_parts();
    match to_bytes(body, MAX_BODY).await {
        Ok(bytes) => {
            cache.put(key, (parts.headers.clone(), bytes.clone()));
            Response::from_parts(parts, Body::from(bytes))
        }
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "the answer was too large to send").into_response(),
    }
}
