//! Rendered answers kept in memory: an answer depends only on the snapshot, the date taken as today, the address
//! and the query parameters some handler reads, so once drawn it is served again as bytes until a new snapshot
//! (or a new day) makes it stale. Bounded in bytes, least recently used first out.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hashlink::LinkedHashMap;
use jiff::Timestamp;

use crate::encoding::{self, Coding};
use crate::respond::precondition;
use crate::site::Site;

/// What an entry costs beyond its body, its key and its headers' text: the header map's tables and each
/// value's allocation, the shared entry, the map's links and the allocator's own headers (about 2 KiB for the
/// nine headers an answer carries, measured as the resident memory of a full cache of small answers). Counted
/// so that a flood of small answers stays within the bound too.
const ENTRY_OVERHEAD: usize = 2048;

/// (snapshot generation, every code's today, path, the known query parameters).
type Key = (u64, u64, String, String);

/// One kept answer.
struct Kept {
    headers: HeaderMap,
    body: Bytes,
    etag: String,
    last_modified: Timestamp,
    /// What it costs against the bound: grows as compressed bodies are kept beside it.
    cost: AtomicUsize,
    /// Whether it is text worth compressing ([`encoding::compressible`], at least [`encoding::MIN_SIZE`]).
    compressible: bool,
    /// Its body compressed in each coding ([`Coding::ALL`]), made the first time a client asks for it; `None`
    /// when compressing does not make it smaller.
    coded: [OnceLock<Option<Bytes>>; 2],
}

impl Kept {
    fn new(headers: HeaderMap, body: Bytes, etag: String, last_modified: Timestamp, cost: usize) -> Self {
        let compressible = body.len() >= encoding::MIN_SIZE && encoding::compressible(&headers);
        let coded = [OnceLock::new(), OnceLock::new()];
        Self { headers, body, etag, last_modified, cost: AtomicUsize::new(cost), compressible, coded }
    }

    fn cost(&self) -> usize {
        self.cost.load(Ordering::Relaxed)
    }

    /// The body in `coding`, compressed now if it is the first time, and whether it was (its bytes then count
    /// against the bound); `None` when it is not compressible or would not shrink.
    fn coded(&self, coding: Coding) -> (Option<Bytes>, bool) {
        let mut made = false;
        let bytes = self.coded[coding.index()].get_or_init(|| {
            made = true;
            coding.compress(&self.body).map(Bytes::from)
        });
        (bytes.clone(), made)
    }
}

struct Entries {
    map: LinkedHashMap<Key, Arc<Kept>>,
    bytes: usize,
}

/// The cache: key → the answer's headers and body, at most `capacity` bytes in all.
pub struct AnswerCache {
    entries: Mutex<Entries>,
    capacity: usize,
}

impl AnswerCache {
    /// An empty cache holding at most `capacity` bytes of answers (0 keeps nothing).
    pub fn new(capacity: usize) -> Self {
        Self { entries: Mutex::new(Entries { map: LinkedHashMap::new(), bytes: 0 }), capacity }
    }

    /// The largest answer worth keeping: a sixty-fourth of the bound (4 MiB of the default 256 MiB), so one
    /// answer never empties the cache. Larger ones (whole-code comparisons of distant versions) are rarely asked
    /// twice, and keeping them fragments memory more than they save.
    fn largest(&self) -> usize {
        self.capacity / 64
    }

    fn get(&self, key: &Key) -> Option<Arc<Kept>> {
        let mut entries = self.entries.lock().ok()?;
        entries.map.to_back(key).cloned()
    }

    fn put(&self, key: Key, kept: Kept) {
        let Ok(mut entries) = self.entries.lock() else { return };
        // A new snapshot makes every older answer stale: they go at once rather than wait their turn.
        if entries.map.front().is_some_and(|(k, _)| k.0 != key.0) {
            entries.map.retain(|k, _| k.0 == key.0);
            entries.bytes = entries.map.values().map(|k| k.cost()).sum();
        }
        entries.bytes += kept.cost();
        if let Some(replaced) = entries.map.insert(key, Arc::new(kept)) {
            entries.bytes -= replaced.cost();
        }
        Self::evict(&mut entries, self.capacity);
    }

    /// Counts `bytes` more for the kept answer `kept` (a compressed body kept beside it), if it is still kept.
    fn grow(&self, key: &Key, kept: &Kept, bytes: usize) {
        let Ok(mut entries) = self.entries.lock() else { return };
        if !entries.map.get(key).is_some_and(|k| std::ptr::eq(Arc::as_ptr(k), kept)) {
            return;
        }
        kept.cost.fetch_add(bytes, Ordering::Relaxed);
        entries.bytes += bytes;
        Self::evict(&mut entries, self.capacity);
    }

    /// Lets the least recently used answers go while the kept ones hold more than `capacity`.
    fn evict(entries: &mut Entries, capacity: usize) {
        while entries.bytes > capacity {
            let Some((_, evicted)) = entries.map.pop_front() else { break };
            entries.bytes -= evicted.cost();
        }
    }

    /// The key of a request whose answer may be kept: a GET or HEAD of anything but a document file or a health
    /// check (documents are streamed from the store, health is answered live); `None` for any other.
    fn key<B>(&self, site: &Site, request: &axum::http::Request<B>) -> Option<Key> {
        let path = request.uri().path();
        let uncachable = !matches!(*request.method(), Method::GET | Method::HEAD)
            || path == "/healthz"
            || path == "/readyz"
            || path.contains("/documents/")
            || self.capacity == 0;
        if uncachable {
            return None;
        }
        let snapshot = site.snapshot();
        let query = crate::query::cache_key(request.uri().query());
        Some((snapshot.generation, site.todays(&snapshot), path.to_string(), query))
    }

    /// The kept answer to `key`, as the client's conditional headers ask (304, 412 or the answer itself), in the
    /// content coding its `Accept-Encoding` chooses ([`encoding::chosen`]): compressed once, then kept.
    fn answer(&self, key: &Key, request: &HeaderMap) -> Option<Response> {
        let kept = self.get(key)?;
        let coded = encoding::chosen(request).filter(|_| kept.compressible).and_then(|coding| {
            let (bytes, made) = kept.coded(coding);
            if made {
                self.grow(key, &kept, bytes.as_ref().map_or(0, Bytes::len));
            }
            Some((coding, bytes?))
        });
        let (headers, body, etag) = match coded {
            Some((coding, bytes)) => {
                let mut headers = kept.headers.clone();
                let etag = coding.etag(&kept.etag);
                if let Ok(value) = axum::http::HeaderValue::from_str(&etag) {
                    headers.insert(axum::http::header::ETAG, value);
                }
                headers
                    .insert(axum::http::header::CONTENT_ENCODING, axum::http::HeaderValue::from_static(coding.token()));
                (headers, bytes, etag)
            }
            None => (kept.headers.clone(), kept.body.clone(), kept.etag.clone()),
        };
        if let Some(answer) = precondition(request, &etag, kept.last_modified).answer(&headers) {
            return Some(answer);
        }
        Some((headers, body).into_response())
    }

    /// The kept answer to `request`, if there is one: what `serve` answers before the request enters the
    /// router, so that a page already drawn costs a lookup and nothing more.
    pub fn hit<B>(&self, site: &Site, request: &axum::http::Request<B>) -> Option<Response> {
        let key = self.key(site, request)?;
        self.answer(&key, request.headers())
    }

    /// The bytes held, by the cache's own count.
    #[cfg(test)]
    fn bytes(&self) -> usize {
        self.entries.lock().map(|e| e.bytes).unwrap_or(0)
    }
}

/// Middleware: serve GET and HEAD answers from the cache (with the client's conditional headers honoured), and
/// keep every successful one that is not too large; larger ones pass through as they are.
pub async fn layer(
    State((site, cache)): State<(Arc<Site>, Arc<AnswerCache>)>,
    request: Request,
    next: Next,
) -> Response {
    let Some(key) = cache.key(&site, &request) else { return next.run(request).await };
    if let Some(answer) = cache.answer(&key, request.headers()) {
        return answer;
    }
    // Kept for answering from the kept copy once drawn (its coding and conditions).
    let asked = request.headers().clone();
    let response = next.run(request).await;
    let size = response.body().size_hint().exact().and_then(|n| usize::try_from(n).ok());
    let keep = response.status() == StatusCode::OK && size.is_some_and(|n| n <= cache.largest());
    let etag = response.headers().get(axum::http::header::ETAG).and_then(|v| v.to_str().ok()).map(str::to_string);
    let last_modified = response
        .headers()
        .get(axum::http::header::LAST_MODIFIED)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok())
        .and_then(|t| Timestamp::try_from(t).ok());
    let (Some(etag), Some(last_modified), true) = (etag, last_modified, keep) else { return response };
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, cache.largest()).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "the answer could not be read").into_response();
    };
    if bytes.len() >= encoding::MIN_SIZE && encoding::compressible(&parts.headers) {
        parts.headers.append(axum::http::header::VARY, axum::http::HeaderValue::from_static("accept-encoding"));
    }
    let header_bytes: usize = parts.headers.iter().map(|(name, value)| name.as_str().len() + value.len()).sum();
    let cost = bytes.len() + header_bytes + key.2.len() + key.3.len() + ENTRY_OVERHEAD;
    // Kept as an exact copy: the drawn body's buffer may be up to twice its length (a grown Vec), and the bound
    // counts bytes held, not bytes sent.
    let body = Bytes::copy_from_slice(&bytes);
    cache.put(key.clone(), Kept::new(parts.headers.clone(), body, etag, last_modified, cost));
    // Answered as a kept answer is, in the coding the client asks for; as drawn if it is no longer kept.
    if let Some(answer) = cache.answer(&key, &asked) {
        return answer;
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(size: usize) -> Kept {
        Kept::new(
            HeaderMap::new(),
            Bytes::from(vec![b'x'; size]),
            "\"e\"".into(),
            Timestamp::UNIX_EPOCH,
            size + ENTRY_OVERHEAD,
        )
    }

    fn key(generation: u64, path: &str) -> Key {
        (generation, 20_261_205, path.into(), String::new())
    }

    #[test]
    fn the_cache_holds_at_most_its_bytes_and_lets_the_least_recently_used_go_first() {
        let cost = 1000 + ENTRY_OVERHEAD;
        let cache = AnswerCache::new(3 * cost);
        cache.put(key(1, "/a"), kept(1000));
        cache.put(key(1, "/b"), kept(1000));
        cache.put(key(1, "/c"), kept(1000));
        assert_eq!(cache.bytes(), 3 * cost);
        assert!(cache.get(&key(1, "/a")).is_some(), "a is used: b is now the least recent");
        cache.put(key(1, "/d"), kept(1000));
        assert_eq!(cache.bytes(), 3 * cost, "within the bound");
        assert!(cache.get(&key(1, "/b")).is_none(), "the least recently used went");
        for kept in ["/a", "/c", "/d"] {
            assert!(cache.get(&key(1, kept)).is_some(), "{kept}");
        }
        // Replacing an entry counts it once.
        cache.put(key(1, "/d"), kept(1000));
        assert_eq!(cache.bytes(), 3 * cost);
        // One larger answer makes room for itself.
        cache.put(key(1, "/big"), kept(2000));
        assert!(cache.bytes() <= 3 * cost);
        assert!(cache.get(&key(1, "/big")).is_some());
    }

    #[test]
    fn a_new_snapshot_empties_the_cache_of_older_answers() {
        let cache = AnswerCache::new(1 << 20);
        cache.put(key(1, "/a"), kept(10));
        cache.put(key(2, "/a"), kept(10));
        assert!(cache.get(&key(1, "/a")).is_none());
        assert_eq!(cache.bytes(), 10 + ENTRY_OVERHEAD);
    }
}
