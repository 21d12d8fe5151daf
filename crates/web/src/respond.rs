//! The one place that decides response policy: content types, caching (strong ETags, Last-Modified, 304),
//! security headers, and error bodies (an accessible HTML page, or RFC 9457 problem+json for the API).

use std::hash::{DefaultHasher, Hash, Hasher};

use askama::Template;
use axum::http::StatusCode;
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;

/// How long an answer may be cached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cache {
    /// Depends only on published records (a version, a comparison of two versions, a dated page).
    Published,
    /// Depends on today's date (home, "in force today").
    Today,
}

/// A successful body.
pub enum Body {
    /// An HTML page.
    Html(String),
    /// A JSON document, already written (see [`Body::json`]).
    Json(Vec<u8>),
    /// An Atom feed.
    Atom(String),
    /// A stylesheet.
    Css(&'static str),
}

impl Body {
    /// A JSON document from any serialisable answer, pretty-printed.
    pub fn json(answer: &impl serde::Serialize) -> Result<Self, AppError> {
        serde_json::to_vec_pretty(answer)
            .map(Body::Json)
            .map_err(|e| AppError::internal(format!("the answer could not be written as JSON: {e}")).for_api())
    }
}

/// Builds the response, answering 304 when the client's copy is current.
pub fn respond(request: &HeaderMap, body: Body, last_modified: Timestamp, cache: Cache) -> Response {
    let (content_type, bytes) = match body {
        Body::Html(html) => ("text/html; charset=utf-8", html.into_bytes()),
        Body::Json(bytes) => ("application/json", bytes),
        Body::Atom(xml) => ("application/atom+xml; charset=utf-8", xml.into_bytes()),
        Body::Css(css) => ("text/css; charset=utf-8", css.as_bytes().to_vec()),
    };
    let mut hasher = DefaultHasher::new();
    bytes.hash(&mut hasher);
    let etag = format!("\"{:016x}-{:x}\"", hasher.finish(), bytes.len());
    let mut headers = HeaderMap::new();
    set(&mut headers, header::ETAG, &etag);
    set(&mut headers, header::LAST_MODIFIED, &http_date(last_modified));
    let max_age = match cache {
        Cache::Published => "public, max-age=86400",
        Cache::Today => "public, max-age=60",
    };
    set(&mut headers, header::CACHE_CONTROL, max_age);
    security_headers(&mut headers);
    let matches = request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| tags.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    if matches {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    set(&mut headers, header::CONTENT_TYPE, content_type);
    (StatusCode::OK, headers, bytes).into_response()
}

fn set(headers: &mut HeaderMap, name: header::HeaderName, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        headers.insert(name, value);
    }
}

fn security_headers(headers: &mut HeaderMap) {
    set(
        headers,
        header::CONTENT_SECURITY_POLICY,
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    );
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::REFERRER_POLICY, "no-referrer");
}

/// An HTTP date: "Sat, 28 Nov 2026 12:00:00 GMT".
fn http_date(time: Timestamp) -> String {
    time.strftime("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// What went wrong, and for whom: the person reading a page or the program calling the API.
#[derive(Debug)]
pub struct AppError {
    /// The status.
    pub status: StatusCode,
    /// A short title.
    pub title: String,
    /// What is wrong and what to do, in a sentence.
    pub detail: String,
    /// True for API routes: answer with problem+json.
    pub api: bool,
}

impl AppError {
    /// 404 for a page.
    pub fn not_found(detail: impl Into<String>) -> Self {
        Self { status: StatusCode::NOT_FOUND, title: "Not found".into(), detail: detail.into(), api: false }
    }

    /// 400 for a page.
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self { status: StatusCode::BAD_REQUEST, title: "Bad request".into(), detail: detail.into(), api: false }
    }

    /// 500 for a page.
    pub fn internal(detail: impl Into<String>) -> Self {
        Self {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            title: "Something went wrong".into(),
            detail: detail.into(),
            api: false,
        }
    }

    /// 503: the store cannot be read just now.
    pub fn unavailable(detail: impl Into<String>) -> Self {
        Self { status: StatusCode::SERVICE_UNAVAILABLE, title: "Unavailable".into(), detail: detail.into(), api: false }
    }

    /// The same error, for an API route.
    pub fn for_api(mut self) -> Self {
        self.api = true;
        self
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    title: &'a str,
    detail: &'a str,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut headers = HeaderMap::new();
        security_headers(&mut headers);
        set(&mut headers, header::CACHE_CONTROL, "no-store");
        if self.api {
            set(&mut headers, header::CONTENT_TYPE, "application/problem+json");
            let body = serde_json::json!({
                "type": "about:blank",
                "title": self.title,
                "status": self.status.as_u16(),
                "detail": self.detail,
            });
            return (self.status, headers, serde_json::to_vec_pretty(&body).unwrap_or_default()).into_response();
        }
        set(&mut headers, header::CONTENT_TYPE, "text/html; charset=utf-8");
        let page =
            ErrorPage { title: &self.title, detail: &self.detail }.render().unwrap_or_else(|_| self.detail.clone());
        (self.status, headers, page).into_response()
    }
}
