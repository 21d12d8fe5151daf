//! How `inforce verify --remote` reads a site it does not trust: every request within a connect and read timeout,
//! the whole run within a deadline, every answer within a size its kind can need, of the content type the site
//! serves it as, and never from another origin than the site's (a redirect elsewhere is refused, not followed).
//! Failures are the environment's (exit 3): the site did not answer as a site does, which proves nothing about
//! its history either way.

use std::io::BufReader;
use std::time::{Duration, Instant};

use ureq::http::Uri;

use crate::failure::Failure;

/// The time and size bounds of one run.
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    /// Each request: to connect, to receive the whole headers, and between any two reads.
    pub timeout: Duration,
    /// The whole run, every request included.
    pub deadline: Duration,
}

/// What an answer is expected to be.
#[derive(Debug, Clone, Copy)]
pub struct Expected {
    /// The content type (the media type, without parameters), as the site serves it.
    pub content_type: &'static str,
    /// The most bytes the answer may hold.
    pub most_bytes: u64,
    /// What it is, for messages ("the checkpoint", "a log page").
    pub what: &'static str,
}

/// Same-origin redirects followed for one request; a site has no reason for more.
const MOST_HOPS: usize = 5;

/// A client for one site.
pub struct Fetcher {
    agent: ureq::Agent,
    /// The site's scheme, host and port.
    origin: Origin,
    bounds: Bounds,
    /// When the run must be over.
    ends: Instant,
}

/// Scheme, host and port: what makes two addresses the same site (RFC 6454).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Origin {
    scheme: String,
    host: String,
    port: u16,
}

impl Origin {
    fn of(uri: &Uri) -> Option<Self> {
        let scheme = uri.scheme_str()?.to_ascii_lowercase();
        let default = match scheme.as_str() {
            "http" => 80,
            "https" => 443,
            _ => return None,
        };
        let host = uri.host()?.to_ascii_lowercase();
        Some(Self { port: uri.port_u16().unwrap_or(default), scheme, host })
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}://{}:{}", self.scheme, self.host, self.port)
    }
}

impl Fetcher {
    /// A client for the site at `site` (`http://` or `https://`; exit 2 otherwise); the deadline starts now.
    pub fn new(site: &str, bounds: Bounds) -> Result<Self, Failure> {
        let origin = site
            .parse::<Uri>()
            .ok()
            .as_ref()
            .and_then(Origin::of)
            .ok_or_else(|| Failure::Usage(format!("--remote: '{site}' is not an http:// or https:// address")))?;
        let timeout = Some(bounds.timeout);
        let config = ureq::Agent::config_builder()
            .timeout_resolve(timeout)
            .timeout_connect(timeout)
            .timeout_send_request(timeout)
            .timeout_recv_response(timeout)
            .timeout_per_read(timeout)
            .timeout_per_write(timeout)
            // Redirects are looked at here, one by one: only the site's own are followed.
            .max_redirects(0)
            .build();
        Ok(Self { agent: config.into(), origin, bounds, ends: Instant::now() + bounds.deadline })
    }

    /// The answer at `url` as text.
    pub fn text(&self, url: &str, expected: Expected) -> Result<String, Failure> {
        let (mut response, url) = self.answer(url, expected)?;
        let bytes = response
            .body_mut()
            .with_config()
            .limit(expected.most_bytes)
            .read_to_vec()
            .map_err(|e| self.failed(&url, expected, e))?;
        String::from_utf8(bytes)
            .map_err(|_| Failure::Environment(format!("{url}: {} is not UTF-8 text", expected.what)))
    }

    /// The answer at `url` read as JSON into `T`, as it arrives (never held whole as text); an answer that is not
    /// `T` is the `Damaged` failure `shape` makes of the reason.
    pub fn json<T: serde::de::DeserializeOwned>(
        &self,
        url: &str,
        expected: Expected,
        shape: impl FnOnce(String) -> Failure,
    ) -> Result<T, Failure> {
        let (mut response, url) = self.answer(url, expected)?;
        let reader = response.body_mut().with_config().limit(expected.most_bytes).reader();
        serde_json::from_reader(BufReader::new(reader)).map_err(|e| {
            if e.is_io() {
                // The transport's own failure (a timeout, the size bound), carried through the JSON reader.
                self.failed(&url, expected, ureq::Error::from(std::io::Error::from(e)))
            } else {
                shape(format!("{url}: {e}"))
            }
        })
    }

    /// The response at `url` once its headers are in, after the site's own redirects, with its content type
    /// checked and its declared length within bounds; and the address it finally came from.
    fn answer(&self, url: &str, expected: Expected) -> Result<(ureq::http::Response<ureq::Body>, String), Failure> {
        let mut url = url.to_string();
        for _ in 0..=MOST_HOPS {
            let left = self.ends.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(self.past_deadline(&url));
            }
            let response = self
                .agent
                .get(&url)
                .config()
                .timeout_global(Some(left))
                .build()
                .call()
                .map_err(|e| self.failed(&url, expected, e))?;
            if response.status().is_redirection() {
                url = self.redirect(&url, &response)?;
                continue;
            }
            let declared = response.headers().get(ureq::http::header::CONTENT_TYPE);
            let declared = declared.and_then(|v| v.to_str().ok()).unwrap_or("");
            let media = declared.split(';').next().unwrap_or("").trim();
            if !media.eq_ignore_ascii_case(expected.content_type) {
                let declared = if declared.is_empty() { "no content type".to_string() } else { declared.to_string() };
                return Err(Failure::Environment(format!(
                    "{url} serves {} as {declared}, not {}: it does not answer as an inforce site does",
                    expected.what, expected.content_type
                )));
            }
            if let Some(length) = response.body().content_length()
                && length > expected.most_bytes
            {
                return Err(self.too_large(&url, expected));
            }
            return Ok((response, url));
        }
        Err(Failure::Environment(format!("{url}: more than {MOST_HOPS} redirects; not followed further")))
    }

    /// Where a redirect from `url` leads, when it stays on the site; exit 3 when it leads elsewhere.
    fn redirect(&self, url: &str, response: &ureq::http::Response<ureq::Body>) -> Result<String, Failure> {
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get(ureq::http::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| Failure::Environment(format!("{url} answers {status} without a usable Location")))?;
        let target = resolve(url, location)
            .ok_or_else(|| Failure::Environment(format!("{url} answers {status} to '{location}', not an address")))?;
        match target.parse::<Uri>().ok().as_ref().and_then(Origin::of) {
            Some(origin) if origin == self.origin => Ok(target),
            _ => Err(Failure::Environment(format!(
                "{url} redirects ({status}) to {target}, off the site ({}): a redirect to another origin is not \
                 followed",
                self.origin
            ))),
        }
    }

    fn failed(&self, url: &str, expected: Expected, error: ureq::Error) -> Failure {
        match error {
            ureq::Error::Timeout(ureq::Timeout::Global) => self.past_deadline(url),
            ureq::Error::Timeout(_) => Failure::Environment(format!(
                "{url}: no answer within {} s (--timeout) while reading {}",
                self.bounds.timeout.as_secs(),
                expected.what
            )),
            ureq::Error::BodyExceedsLimit(_) => self.too_large(url, expected),
            error => Failure::Environment(format!("cannot read {url}: {error}")),
        }
    }

    fn past_deadline(&self, url: &str) -> Failure {
        Failure::Environment(format!(
            "the check took longer than its deadline of {} s (--deadline); it stopped at {url}",
            self.bounds.deadline.as_secs()
        ))
    }

    fn too_large(&self, url: &str, expected: Expected) -> Failure {
        Failure::Environment(format!(
            "{url}: {} is larger than the {} bytes it can need; not read",
            expected.what, expected.most_bytes
        ))
    }
}

/// `location` read against `base`: an absolute address, one without a scheme (`//host/…`), or a path.
fn resolve(base: &str, location: &str) -> Option<String> {
    let base: Uri = base.parse().ok()?;
    let scheme = base.scheme_str()?;
    let authority = base.authority()?.as_str();
    if location.contains("://") {
        return Some(location.to_string());
    }
    if let Some(rest) = location.strip_prefix("//") {
        return Some(format!("{scheme}://{rest}"));
    }
    if location.starts_with('/') {
        return Some(format!("{scheme}://{authority}{location}"));
    }
    // Relative to the base's folder.
    let path = base.path();
    let folder = &path[..path.rfind('/').map_or(0, |i| i + 1)];
    let folder = if folder.is_empty() { "/" } else { folder };
    Some(format!("{scheme}://{authority}{folder}{location}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirects_resolve_against_the_address_asked() {
        let base = "http://example.org:8080/api/v1/sec/log?page=2";
        assert_eq!(resolve(base, "/api/v1/sec/log").as_deref(), Some("http://example.org:8080/api/v1/sec/log"));
        assert_eq!(resolve(base, "//other.org/x").as_deref(), Some("http://other.org/x"));
        assert_eq!(resolve(base, "https://example.org/x").as_deref(), Some("https://example.org/x"));
        assert_eq!(resolve(base, "checkpoint").as_deref(), Some("http://example.org:8080/api/v1/sec/checkpoint"));
    }

    #[test]
    fn an_origin_is_scheme_host_and_port() {
        let origin = |url: &str| url.parse::<Uri>().ok().as_ref().and_then(Origin::of);
        assert_eq!(origin("http://Example.org/a"), origin("http://example.org:80/b"));
        assert_ne!(origin("http://example.org/"), origin("http://example.org:8080/"));
        assert_ne!(origin("http://example.org/"), origin("https://example.org/"));
        assert_eq!(origin("ftp://example.org/"), None);
    }
}
