//! What is not about one code: the codes, the API description, the stylesheet, health and readiness, and the
//! answer for an address nothing serves.

use std::sync::Arc;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use inforce_present::wire::CodesJson;

use crate::respond::{ApiResult, Body, Cache, Problem, respond, security_headers, shorten};
use crate::site::Site;

/// `/api/v1/codes`
pub async fn api_codes(State(site): State<Arc<Site>>, headers: HeaderMap) -> ApiResult {
    let snapshot = site.snapshot();
    let codes = CodesJson::new(snapshot.histories.values().map(AsRef::as_ref));
    Ok(respond(&headers, Body::json(&codes)?, snapshot.last_modified(), Cache::Today))
}

/// `/static/site.css`
pub async fn stylesheet(State(site): State<Arc<Site>>, headers: HeaderMap) -> Response {
    respond(
        &headers,
        Body::Css(include_str!("../../templates/site.css")),
        site.snapshot().last_modified(),
        Cache::Published,
    )
}

/// `/static/search.js`: the script of a static copy's search page; a served site answers 404.
pub async fn search_script(State(site): State<Arc<Site>>, headers: HeaderMap) -> Response {
    if !site.options.static_copy {
        return not_found(axum::http::Uri::from_static("/static/search.js")).await;
    }
    respond(
        &headers,
        Body::Script(include_str!("../../templates/search.js").to_string()),
        site.snapshot().last_modified(),
        Cache::Published,
    )
}

/// `/api/openapi.json`: the API's description (OpenAPI 3.1), checked against real responses by the tests.
pub async fn openapi(State(site): State<Arc<Site>>, headers: HeaderMap) -> ApiResult {
    let mut document: serde_json::Value = serde_json::from_str(include_str!("../../api/openapi.json"))
        .map_err(|e| Problem::internal(format!("the API description is unreadable: {e}")))?;
    // Where the API is reached: the site's public URL when it has one (else the description's relative "/").
    if let Some(url) = &site.options.public_url {
        document["servers"] = serde_json::json!([{ "url": url, "description": "This site." }]);
    }
    Ok(respond(&headers, Body::json(&document)?, site.snapshot().last_modified(), Cache::Published))
}

/// `/readyz`: the store answers and a history is loaded.
pub async fn ready(State(site): State<Arc<Site>>) -> Response {
    let loaded = !site.snapshot().histories.is_empty();
    // Plain text for probes, with the headers every answer carries (so the policy leaves it as it is).
    let mut headers = HeaderMap::new();
    security_headers(&mut headers);
    let snapshot = site.snapshot();
    if loaded && site.store_reachable().await {
        if snapshot.damaged.is_empty() {
            return (headers, "ready").into_response();
        }
        // Still serving every other code (a balancer should keep sending traffic), but saying which are not.
        let mut body = String::from("ready, degraded: these codes cannot be loaded from the store\n");
        for (code, damage) in &snapshot.damaged {
            let served =
                if snapshot.histories.contains_key(code) { "serving its last good state" } else { "answering 503" };
            body.push_str(&format!("{code}: {served}: {}\n", damage.public));
        }
        (headers, body).into_response()
    } else {
        let status = axum::http::StatusCode::SERVICE_UNAVAILABLE;
        (status, headers, "not ready: the store is unreachable or nothing is loaded").into_response()
    }
}

/// Anything else.
pub async fn not_found(uri: axum::http::Uri) -> Response {
    let problem = Problem::not_found(format!("There is no page at {}.", shorten(uri.path())));
    crate::policy::face_for_path(uri.path(), problem)
}
