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
    /// Depends only on published records (a version, a comparison of two versions, a dated page): a later
    /// publication (a correction) can change it.
    Published,
    /// Depends on today's date (home, "in force today").
    Today,
    /// Named by its content's hash: never changes.
    Immutable,
}

impl Cache {
    /// The `Cache-Control` of an answer of this kind, one rule for every answer: what a later publication or the
    /// next day can change is kept by a shared cache at most a minute before it revalidates (its ETag makes that
    /// cheap: a 304); only what cannot change (a stored file by its hash, a log entry, a proof for a fixed tree
    /// size) is `immutable`.
    pub fn control(self) -> &'static str {
        match self {
            Self::Published | Self::Today => "public, max-age=60",
            Self::Immutable => "public, max-age=31536000, immutable",
        }
    }
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
    /// Plain text (a signed checkpoint).
    Text(String),
    /// A script (only in a static copy: its search page's script and index).
    Script(String),
}

impl Body {
    /// A JSON document from any serialisable answer, pretty-printed.
    pub fn json(answer: &impl serde::Serialize) -> Result<Self, Problem> {
        serde_json::to_vec_pretty(answer)
            .map(Body::Json)
            .map_err(|e| Problem::internal(format!("the answer could not be written as JSON: {e}")))
    }
}

/// Builds the response, answering 304 or 412 as the client's conditional headers ask ([`precondition`]).
pub fn respond(request: &HeaderMap, body: Body, last_modified: Timestamp, cache: Cache) -> Response {
    let mut headers = HeaderMap::new();
    security_headers(&mut headers);
    let (content_type, bytes, etag) = match body {
        Body::Html(html) => ("text/html; charset=utf-8".to_string(), html.into_bytes(), None),
        Body::Json(bytes) => ("application/json".to_string(), bytes, None),
        Body::Atom(xml) => ("application/atom+xml; charset=utf-8".to_string(), xml.into_bytes(), None),
        Body::Css(css) => ("text/css; charset=utf-8".to_string(), css.as_bytes().to_vec(), None),
        Body::Text(text) => ("text/plain; charset=utf-8".to_string(), text.into_bytes(), None),
        Body::Script(script) => ("text/javascript; charset=utf-8".to_string(), script.into_bytes(), None),
    };
    let etag = etag.unwrap_or_else(|| {
        let mut hasher = DefaultHasher::new();
        bytes.hash(&mut hasher);
        format!("\"{:016x}-{:x}\"", hasher.finish(), bytes.len())
    });
    validators(&mut headers, &etag, last_modified, cache);
    if let Some(answer) = precondition(request, &etag, last_modified).answer(&headers) {
        return answer;
    }
    set(&mut headers, header::CONTENT_TYPE, &content_type);
    (StatusCode::OK, headers, bytes).into_response()
}

/// The size of the pieces a streamed answer is sent in, and how many may wait for the client at once: a streamed
/// answer holds at most `PIECE * (PIECES_WAITING + 1)` bytes, whatever its length.
const PIECE: usize = 64 * 1024;
const PIECES_WAITING: usize = 4;
/// What a streamed answer holds at most, counted against the memory budget while it is sent.
pub const STREAMED_BYTES: usize = PIECE * (PIECES_WAITING + 1);

/// Builds a response whose body is written as it is worked out, for answers about a whole code (hundreds of
/// megabytes for a code of 200,000 provisions), which are never held whole: `produce` runs on a blocking thread
/// and writes into a pipe of a few [`PIECE`]s that the client drains. It works only while it holds one of
/// `workers` (the heavy-work permits, so the CPU it takes is bounded as every heavy answer's is) and gives it
/// back whenever it waits for the client, so a slow reader holds no worker. A client that goes away stops it
/// (its next write fails). `etag` must name what the body is drawn from, since the bytes are not known before
/// they are sent; conditional requests are answered from it as [`respond`] does. The answer has no
/// Content-Length (chunked), so the answer cache does not keep it. `held` (its [`STREAMED_BYTES`] in the memory
/// budget) is given back when the writing ends.
#[allow(clippy::too_many_arguments)]
pub fn respond_streamed(
    request: &HeaderMap,
    content_type: &'static str,
    etag: &str,
    last_modified: Timestamp,
    cache: Cache,
    workers: std::sync::Arc<tokio::sync::Semaphore>,
    held: crate::budget::MemoryHold,
    produce: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()> + Send + 'static,
) -> Response {
    let mut headers = HeaderMap::new();
    security_headers(&mut headers);
    validators(&mut headers, etag, last_modified, cache);
    if let Some(answer) = precondition(request, etag, last_modified).answer(&headers) {
        return answer;
    }
    set(&mut headers, header::CONTENT_TYPE, content_type);
    let (sender, mut pieces) = tokio::sync::mpsc::channel::<std::io::Result<axum::body::Bytes>>(PIECES_WAITING);
    let runtime = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let _held = held;
        let mut pipe = Pipe { sender, runtime, workers, permit: None, piece: Vec::with_capacity(PIECE) };
        let written = pipe.take_a_worker().and_then(|()| produce(&mut pipe)).and_then(|()| pipe.send_piece());
        // A client gone away is no failure; anything else ends the body with an error, so that the client
        // sees an incomplete answer rather than a short one taken for whole.
        if let Err(error) = written
            && error.kind() != std::io::ErrorKind::BrokenPipe
        {
            let _ = pipe.sender.blocking_send(Err(error));
        }
    });
    let body = axum::body::Body::from_stream(futures_util::stream::poll_fn(move |cx| pieces.poll_recv(cx)));
    (StatusCode::OK, headers, body).into_response()
}

/// Where a streamed answer is written: whole pieces go to the client through a bounded channel.
struct Pipe {
    sender: tokio::sync::mpsc::Sender<std::io::Result<axum::body::Bytes>>,
    runtime: tokio::runtime::Handle,
    workers: std::sync::Arc<tokio::sync::Semaphore>,
    permit: Option<tokio::sync::OwnedSemaphorePermit>,
    piece: Vec<u8>,
}

impl Pipe {
    fn take_a_worker(&mut self) -> std::io::Result<()> {
        let permit = self.runtime.block_on(self.workers.clone().acquire_owned());
        self.permit = Some(permit.map_err(|_| std::io::Error::other("the server is stopping"))?);
        Ok(())
    }

    /// Sends the piece written so far; when the client has not taken the pieces before it, gives the worker
    /// back while it waits.
    fn send_piece(&mut self) -> std::io::Result<()> {
        if self.piece.is_empty() {
            return Ok(());
        }
        let piece = axum::body::Bytes::from(std::mem::replace(&mut self.piece, Vec::with_capacity(PIECE)));
        let gone = || std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client went away");
        match self.sender.try_send(Ok(piece)) {
            Ok(()) => Ok(()),
            Err(tokio::sync::mpsc::error::TrySendError::Closed(_)) => Err(gone()),
            Err(tokio::sync::mpsc::error::TrySendError::Full(piece)) => {
                self.permit = None;
                self.sender.blocking_send(piece).map_err(|_| gone())?;
                self.take_a_worker()
            }
        }
    }
}

impl std::io::Write for Pipe {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.piece.extend_from_slice(bytes);
        if self.piece.len() >= PIECE {
            self.send_piece()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What a GET or HEAD of a representation should answer, by the client's conditional headers evaluated in the
/// order of RFC 9110 §13.2.2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precondition {
    /// No condition stops it: answer as usual.
    Proceed,
    /// The client's copy is current: 304.
    NotModified,
    /// `If-Match` or `If-Unmodified-Since` does not hold: 412.
    Failed,
}

impl Precondition {
    /// The 304 (carrying `headers`: the validators and caching headers the 200 would carry) or the bare 412 (the
    /// policy layer gives it its face); `None` to answer as usual.
    pub fn answer(self, headers: &HeaderMap) -> Option<Response> {
        match self {
            Self::Proceed => None,
            Self::NotModified => {
                let mut headers = headers.clone();
                headers.remove(header::CONTENT_TYPE);
                headers.remove(header::CONTENT_LENGTH);
                Some((StatusCode::NOT_MODIFIED, headers).into_response())
            }
            Self::Failed => Some(StatusCode::PRECONDITION_FAILED.into_response()),
        }
    }
}

/// The conditional headers of a GET or HEAD, evaluated against the representation's `etag` (quoted, strong) and
/// `last_modified` as RFC 9110 §13.2.2 orders them: `If-Match` (strong comparison; `*` matches), else
/// `If-Unmodified-Since`; then `If-None-Match` (weak comparison; `*` matches), else `If-Modified-Since`. A date
/// that is not a valid HTTP-date is ignored, as §13.1.3 and §13.1.4 require; dates compare to the second.
pub fn precondition(request: &HeaderMap, etag: &str, last_modified: Timestamp) -> Precondition {
    // A list may come in several header lines: they read as one, joined by commas (RFC 9110 §5.3).
    let value = |name| {
        let lines: Vec<&str> = request.get_all(name).iter().filter_map(|v: &HeaderValue| v.to_str().ok()).collect();
        (!lines.is_empty()).then(|| lines.join(", "))
    };
    let modified = last_modified.as_second();
    let date = |name| value(name).as_deref().and_then(http_seconds);
    match value(header::IF_MATCH) {
        Some(tags) if !tags_match(&tags, etag, true) => return Precondition::Failed,
        Some(_) => {}
        None => {
            if date(header::IF_UNMODIFIED_SINCE).is_some_and(|since| modified > since) {
                return Precondition::Failed;
            }
        }
    }
    match value(header::IF_NONE_MATCH) {
        Some(tags) if tags_match(&tags, etag, false) => Precondition::NotModified,
        Some(_) => Precondition::Proceed,
        None if date(header::IF_MODIFIED_SINCE).is_some_and(|since| modified <= since) => Precondition::NotModified,
        None => Precondition::Proceed,
    }
}

/// Seconds since the epoch of an HTTP-date in any of the three forms a recipient must accept (RFC 9110 §5.6.7).
fn http_seconds(text: &str) -> Option<i64> {
    let time = httpdate::parse_http_date(text.trim()).ok()?;
    let seconds = time.duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
    i64::try_from(seconds).ok()
}

/// Whether a list of entity tags (`"a", W/"b"`, or `*`) holds `etag`: compared strongly (both strong and equal)
/// or weakly (equal once `W/` is set aside), RFC 9110 §8.8.3.2. A malformed list matches nothing.
pub fn tags_match(list: &str, etag: &str, strong: bool) -> bool {
    if list.trim() == "*" {
        return true;
    }
    let (ours_weak, ours) = match etag.strip_prefix("W/") {
        Some(rest) => (true, rest),
        None => (false, etag),
    };
    let mut rest = list;
    loop {
        rest = rest.trim_start_matches([' ', '\t', ',']);
        if rest.is_empty() {
            return false;
        }
        let weak = rest.starts_with("W/");
        if weak {
            rest = &rest[2..];
        }
        // The opaque tag runs from one double quote to the next (commas included, §8.8.3).
        let Some(quoted) = rest.strip_prefix('"') else { return false };
        let Some(end) = quoted.find('"') else { return false };
        let tag = &rest[..end + 2];
        rest = &quoted[end + 1..];
        // Weakly, every content coding of one answer is the same representation ([`crate::encoding`]).
        let same = if strong {
            tag == ours
        } else {
            crate::encoding::uncoded_etag(tag) == crate::encoding::uncoded_etag(ours)
        };
        if same && !(strong && (weak || ours_weak)) {
            return true;
        }
    }
}

/// Which bytes of a representation of `size` bytes to send, by the request's `Range` and `If-Range` (RFC 9110
/// §14.2, §13.1.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ranged {
    /// The whole representation (200): no `Range`, one this server ignores (several ranges, another unit, a
    /// malformed one), or an `If-Range` that no longer matches.
    Full,
    /// Bytes `first..=last` (206).
    Part {
        /// The first byte sent.
        first: u64,
        /// The last byte sent.
        last: u64,
    },
    /// A single range that starts past the end (416).
    Unsatisfiable,
}

/// The byte range a GET asks for. One range is answered (`bytes=a-b`, `bytes=a-`, `bytes=-n`); a list of ranges
/// is answered whole, as §14.2 allows. `If-Range` holds when it names `etag` (strongly) or is exactly
/// `last_modified`.
pub fn byte_range(request: &HeaderMap, size: u64, etag: &str, last_modified: Timestamp) -> Ranged {
    let Some(range) = request.get(header::RANGE).and_then(|v| v.to_str().ok()) else { return Ranged::Full };
    if let Some(condition) = request.get(header::IF_RANGE).and_then(|v| v.to_str().ok()) {
        let condition = condition.trim();
        let holds = if condition.starts_with('"') || condition.starts_with("W/") {
            !condition.starts_with("W/") && condition == etag
        } else {
            http_seconds(condition) == Some(last_modified.as_second())
        };
        if !holds {
            return Ranged::Full;
        }
    }
    let Some(spec) = range.trim().strip_prefix("bytes=") else { return Ranged::Full };
    if spec.contains(',') {
        return Ranged::Full;
    }
    let Some((first, last)) = spec.trim().split_once('-') else { return Ranged::Full };
    let number = |text: &str| -> Option<Option<u64>> {
        let text = text.trim();
        if text.is_empty() {
            return Some(None);
        }
        text.bytes().all(|b| b.is_ascii_digit()).then(|| text.parse().ok()).flatten().map(Some)
    };
    match (number(first), number(last)) {
        // bytes=a-b and bytes=a-
        (Some(Some(first)), Some(last)) => {
            if last.is_some_and(|last| last < first) {
                return Ranged::Full;
            }
            if first >= size {
                return Ranged::Unsatisfiable;
            }
            Ranged::Part { first, last: last.map_or(size - 1, |last| last.min(size - 1)) }
        }
        // bytes=-n: the last n bytes.
        (Some(None), Some(Some(suffix))) => {
            if suffix == 0 || size == 0 {
                return Ranged::Unsatisfiable;
            }
            Ranged::Part { first: size.saturating_sub(suffix), last: size - 1 }
        }
        _ => Ranged::Full,
    }
}

/// A file to take away: what it is, what to call it, its validators, and how to get its bytes.
pub struct Download {
    /// Its media type (`application/pdf`).
    pub media_type: String,
    /// The name a browser saves it under.
    pub file_name: String,
    /// Its size in bytes.
    pub size: u64,
    /// Its strong validator.
    pub etag: String,
    /// When it last changed.
    pub last_modified: Timestamp,
    /// How long it may be cached.
    pub cache: Cache,
    /// Its bytes: given the first byte, how many bytes, and whether that is the whole file, the body that sends
    /// them (a stored file is read a piece at a time; a rendition held in memory slices its bytes).
    pub send: Box<dyn FnOnce(u64, u64, bool) -> axum::body::Body + Send>,
}

/// Answers a download under the one response policy: 304 or 412 as the conditional headers ask; else the file
/// as an attachment under its (sanitised) name, never run by the browser (sandboxed, no sniffing), with a single
/// byte range answered 206 (`If-Range` honoured) and a range past its end 416.
pub fn download(request: &HeaderMap, file: Download) -> Response {
    let mut headers = validator_headers(&file.etag, file.last_modified, file.cache);
    if let Some(decided) = precondition(request, &file.etag, file.last_modified).answer(&headers) {
        return decided;
    }
    let safe_name: String = file.file_name.chars().filter(|c| !c.is_control() && *c != '"' && *c != '\\').collect();
    set(&mut headers, header::CONTENT_DISPOSITION, &format!("attachment; filename=\"{safe_name}\""));
    set(&mut headers, header::CONTENT_SECURITY_POLICY, "default-src 'none'; sandbox");
    set(&mut headers, header::CONTENT_TYPE, &file.media_type);
    set(&mut headers, header::ACCEPT_RANGES, "bytes");
    let size = file.size;
    let (status, first, last) = match byte_range(request, size, &file.etag, file.last_modified) {
        Ranged::Full => (StatusCode::OK, 0, size.checked_sub(1)),
        Ranged::Part { first, last } => {
            set(&mut headers, header::CONTENT_RANGE, &format!("bytes {first}-{last}/{size}"));
            (StatusCode::PARTIAL_CONTENT, first, Some(last))
        }
        Ranged::Unsatisfiable => {
            let mut problem = Problem::status(
                StatusCode::RANGE_NOT_SATISFIABLE,
                format!("The range asked for starts past the end of the file ({size} bytes)."),
            )
            .page();
            set(problem.headers_mut(), header::CONTENT_RANGE, &format!("bytes */{size}"));
            return problem;
        }
    };
    let length = last.map_or(0, |last| last - first + 1);
    set(&mut headers, header::CONTENT_LENGTH, &length.to_string());
    let whole = status == StatusCode::OK;
    (status, headers, (file.send)(first, length, whole)).into_response()
}

/// The strong validator of a document file: its SHA-256, quoted.
pub fn file_etag(sha256: &str) -> String {
    format!("\"{sha256}\"")
}

/// The validators and caching headers of an answer known before it is drawn or read (a document file): its
/// security headers, ETag, Last-Modified and Cache-Control.
pub fn validator_headers(etag: &str, last_modified: Timestamp, cache: Cache) -> HeaderMap {
    let mut headers = HeaderMap::new();
    security_headers(&mut headers);
    validators(&mut headers, etag, last_modified, cache);
    headers
}

fn validators(headers: &mut HeaderMap, etag: &str, last_modified: Timestamp, cache: Cache) {
    set(headers, header::ETAG, etag);
    set(headers, header::LAST_MODIFIED, &http_date(last_modified));
    set(headers, header::CACHE_CONTROL, cache.control());
}

pub(crate) fn set(headers: &mut HeaderMap, name: header::HeaderName, value: &str) {
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

/// Echoes user input in messages only up to a point: enough to recognise, never a wall of text.
pub fn shorten(text: &str) -> String {
    let cut = inforce_core::unicode::prefix_chars(text, 60);
    if cut.len() < text.len() { format!("{cut}…") } else { cut.to_string() }
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
    /// Where the thing asked for is, for a redirect (301).
    pub location: Option<String>,
}

impl Problem {
    /// 404: the thing named does not exist.
    pub fn not_found(detail: impl Into<String>) -> Self {
        Self { status: StatusCode::NOT_FOUND, title: "Not found".into(), detail: detail.into(), location: None }
    }

    /// 400: the request is malformed.
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self { status: StatusCode::BAD_REQUEST, title: "Bad request".into(), detail: detail.into(), location: None }
    }

    /// 500: a fault of ours.
    pub fn internal(detail: impl Into<String>) -> Self {
        Self {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            title: "Something went wrong".into(),
            detail: detail.into(),
            location: None,
        }
    }

    /// 503: the store cannot be read just now.
    pub fn unavailable(detail: impl Into<String>) -> Self {
        Self {
            status: StatusCode::SERVICE_UNAVAILABLE,
            title: "Unavailable".into(),
            detail: detail.into(),
            location: None,
        }
    }

    /// 301: the thing asked for has a canonical address, `location` (a path and query); `detail` says which.
    pub fn moved(location: String, detail: impl Into<String>) -> Self {
        Self {
            status: StatusCode::MOVED_PERMANENTLY,
            title: "Moved permanently".into(),
            detail: detail.into(),
            location: Some(location),
        }
    }

    /// Any other status, titled by its reason phrase (for the framework's own refusals, such as 405).
    pub fn status(status: StatusCode, detail: impl Into<String>) -> Self {
        match status {
            StatusCode::BAD_REQUEST => Self::bad_request(detail),
            StatusCode::NOT_FOUND => Self::not_found(detail),
            StatusCode::INTERNAL_SERVER_ERROR => Self::internal(detail),
            StatusCode::SERVICE_UNAVAILABLE => Self::unavailable(detail),
            _ => {
                let title = status.canonical_reason().unwrap_or("Error").to_string();
                Self { status, title, detail: detail.into(), location: None }
            }
        }
    }

    /// As an accessible HTML page.
    pub fn page(self) -> Response {
        let mut headers = self.headers();
        set(&mut headers, header::CONTENT_TYPE, "text/html; charset=utf-8");
        let page =
            ErrorPage { title: &self.title, detail: &self.detail }.render().unwrap_or_else(|_| self.detail.clone());
        (self.status, headers, page).into_response()
    }

    /// As RFC 9457 problem+json.
    pub fn problem_json(self) -> Response {
        let mut headers = self.headers();
        set(&mut headers, header::CONTENT_TYPE, "application/problem+json");
        let body =
            ProblemJson { kind: "about:blank", title: &self.title, status: self.status.as_u16(), detail: &self.detail };
        (self.status, headers, serde_json::to_vec_pretty(&body).unwrap_or_default()).into_response()
    }
}

impl Problem {
    /// The headers of every problem, and its Location when it redirects.
    fn headers(&self) -> HeaderMap {
        let mut headers = error_headers();
        if let Some(location) = &self.location {
            set(&mut headers, header::LOCATION, location);
        }
        headers
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

#[cfg(test)]
mod tests {
    use super::Cache;

    /// What a later publication or the next day can change is revalidated within a minute; only what cannot
    /// change is immutable.
    #[test]
    fn cache_lifetimes_are_honest() {
        let table = [
            (Cache::Published, "public, max-age=60"),
            (Cache::Today, "public, max-age=60"),
            (Cache::Immutable, "public, max-age=31536000, immutable"),
        ];
        for (cache, control) in table {
            assert_eq!(cache.control(), control);
        }
    }
}
