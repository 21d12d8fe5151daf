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
    /// Named by its content's hash: never changes.
    Immutable,
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
    /// A document's file, exactly as stored: downloaded under its name, validated by its SHA-256, and never run
    /// by the browser (sandboxed, no sniffing).
    File {
        /// The bytes.
        bytes: Vec<u8>,
        /// Its media type, as recorded.
        media_type: String,
        /// The name it is saved under.
        file_name: String,
        /// Its SHA-256, hex: the strong validator.
        sha256: String,
    },
}

impl Body {
    /// A JSON document from any serialisable answer, pretty-printed.
    pub fn json(answer: &impl serde::Serialize) -> Result<Self, Problem> {
        serde_json::to_vec_pretty(answer)
            .map(Body::Json)
            .map_err(|e| Problem::internal(format!("the answer could not be written as JSON: {e}")))
    }
}

/// Builds the response, answering 304 when the client's copy is current.
pub fn respond(request: &HeaderMap, body: Body, last_modified: Timestamp, cache: Cache) -> Response {
    let mut headers = HeaderMap::new();
    security_headers(&mut headers);
    let (content_type, bytes, etag) = match body {
        Body::Html(html) => ("text/html; charset=utf-8".to_string(), html.into_bytes(), None),
        Body::Json(bytes) => ("application/json".to_string(), bytes, None),
        Body::Atom(xml) => ("application/atom+xml; charset=utf-8".to_string(), xml.into_bytes(), None),
        Body::Css(css) => ("text/css; charset=utf-8".to_string(), css.as_bytes().to_vec(), None),
        Body::File { bytes, media_type, file_name, sha256 } => {
            let safe_name: String = file_name.chars().filter(|c| !c.is_control() && *c != '"' && *c != '\\').collect();
            set(&mut headers, header::CONTENT_DISPOSITION, &format!("attachment; filename=\"{safe_name}\""));
            set(&mut headers, header::CONTENT_SECURITY_POLICY, "default-src 'none'; sandbox");
            (media_type, bytes, Some(file_etag(&sha256)))
        }
    };
    let etag = etag.unwrap_or_else(|| {
        let mut hasher = DefaultHasher::new();
        bytes.hash(&mut hasher);
        format!("\"{:016x}-{:x}\"", hasher.finish(), bytes.len())
    });
    validators(&mut headers, &etag, last_modified, cache);
    if client_has(request, &etag) {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    set(&mut headers, header::CONTENT_TYPE, &content_type);
    (StatusCode::OK, headers, bytes).into_response()
}

/// The strong validator of a document file: its SHA-256, quoted.
pub fn file_etag(sha256: &str) -> String {
    format!("\"{sha256}\"")
}

/// Whether the client's `If-None-Match` names `etag` (or `*`): its copy is current.
pub fn client_has(request: &HeaderMap, etag: &str) -> bool {
    request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| tags.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
}

/// 304 for an answer whose validator the client already holds, known before the answer is drawn or read.
pub fn not_modified(etag: &str, last_modified: Timestamp, cache: Cache) -> Response {
    let mut headers = HeaderMap::new();
    security_headers(&mut headers);
    validators(&mut headers, etag, last_modified, cache);
    (StatusCode::NOT_MODIFIED, headers).into_response()
}

fn validators(headers: &mut HeaderMap, etag: &str, last_modified: Timestamp, cache: Cache) {
    set(headers, header::ETAG, etag);
    set(headers, header::LAST_MODIFIED, &http_date(last_modified));
    let max_age = match cache {
        Cache::Published => "public, max-age=86400",
        Cache::Today => "public, max-age=60",
        Cache::Immutable => "public, max-age=31536000, immutable",
    };
    set(headers, header::CACHE_CONTROL, max_age);
}

fn set(headers: &mut HeaderMap, name: header::HeaderName, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        headers.insert(name, value);
    }
}

/// The headers every answer carries, whoever drew it.
pub(crate) fn security_headers(headers: &mut HeaderMap) {
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

/// What went wrong, in words a person can act on; the face it is shown with (a page or problem+json) is chosen by
/// the handler's error type, [`PageError`] or [`ApiError`], never by the call site.
#[derive(Debug)]
pub struct Problem {
    /// The status.
    pub status: StatusCode,
    /// A short title.
    pub title: String,
    /// What is wrong and what to do, in a sentence.
    pub detail: String,
}

impl Problem {
    /// 404: the thing named does not exist.
    pub fn not_found(detail: impl Into<String>) -> Self {
        Self { status: StatusCode::NOT_FOUND, title: "Not found".into(), detail: detail.into() }
    }

    /// 400: the request is malformed.
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self { status: StatusCode::BAD_REQUEST, title: "Bad request".into(), detail: detail.into() }
    }

    /// 500: a fault of ours.
    pub fn internal(detail: impl Into<String>) -> Self {
        Self { status: StatusCode::INTERNAL_SERVER_ERROR, title: "Something went wrong".into(), detail: detail.into() }
    }

    /// 503: the store cannot be read just now.
    pub fn unavailable(detail: impl Into<String>) -> Self {
        Self { status: StatusCode::SERVICE_UNAVAILABLE, title: "Unavailable".into(), detail: detail.into() }
    }

    /// Any other status, titled by its reason phrase (for the framework's own refusals, such as 405).
    pub fn status(status: StatusCode, detail: impl Into<String>) -> Self {
        match status {
            StatusCode::BAD_REQUEST => Self::bad_request(detail),
            StatusCode::NOT_FOUND => Self::not_found(detail),
            StatusCode::INTERNAL_SERVER_ERROR => Self::internal(detail),
            StatusCode::SERVICE_UNAVAILABLE => Self::unavailable(detail),
            _ => {
                Self { status, title: status.canonical_reason().unwrap_or("Error").to_string(), detail: detail.into() }
            }
        }
    }

    /// As an accessible HTML page.
    pub fn page(self) -> Response {
        let mut headers = error_headers();
        set(&mut headers, header::CONTENT_TYPE, "text/html; charset=utf-8");
        let page =
            ErrorPage { title: &self.title, detail: &self.detail }.render().unwrap_or_else(|_| self.detail.clone());
        (self.status, headers, page).into_response()
    }

    /// As RFC 9457 problem+json.
    pub fn problem_json(self) -> Response {
        let mut headers = error_headers();
        set(&mut headers, header::CONTENT_TYPE, "application/problem+json");
        let body =
            ProblemJson { kind: "about:blank", title: &self.title, status: self.status.as_u16(), detail: &self.detail };
        (self.status, headers, serde_json::to_vec_pretty(&body).unwrap_or_default()).into_response()
    }
}

/// RFC 9457 problem details.
#[derive(serde::Serialize)]
struct ProblemJson<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'a str,
    status: u16,
    detail: &'a str,
}

fn error_headers() -> HeaderMap {
    let mut headers = HeaderMap::new();
    security_headers(&mut headers);
    set(&mut headers, header::CACHE_CONTROL, "no-store");
    headers
}

/// A problem shown to a person reading a page.
#[derive(Debug)]
pub struct PageError(pub Problem);

/// A problem answered to a program calling the API.
#[derive(Debug)]
pub struct ApiError(pub Problem);

impl From<Problem> for PageError {
    fn from(problem: Problem) -> Self {
        Self(problem)
    }
}

impl From<Problem> for ApiError {
    fn from(problem: Problem) -> Self {
        Self(problem)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        self.0.page()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.problem_json()
    }
}

/// What a page handler answers.
pub type PageResult = Result<Response, PageError>;
/// What an API handler answers.
pub type ApiResult = Result<Response, ApiError>;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    title: &'a str,
    detail: &'a str,
}
