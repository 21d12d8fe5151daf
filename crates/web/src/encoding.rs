//! Content codings (RFC 9110 §8.4): which one an answer is sent in, as the client's `Accept-Encoding` asks and
//! the server prefers; compressing a kept answer once per coding; and the entity tag of each coding, so that a
//! cache never takes one coding's bytes for another's.

use axum::http::{HeaderMap, HeaderValue, header};

/// Text answers smaller than this are sent as they are: compressing them saves less than it costs.
pub const MIN_SIZE: usize = 1024;

/// A content coding answers may be compressed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coding {
    /// Brotli (RFC 7932): the smaller, preferred on a tie.
    Br,
    /// gzip (RFC 1952): what every client reads.
    Gzip,
}

impl Coding {
    /// Every coding, in the server's order of preference.
    pub const ALL: [Self; 2] = [Self::Br, Self::Gzip];

    /// Its token in `Accept-Encoding` and `Content-Encoding`.
    pub fn token(self) -> &'static str {
        match self {
            Self::Br => "br",
            Self::Gzip => "gzip",
        }
    }

    /// Its place in a kept answer's list of compressed bodies ([`Coding::ALL`]).
    pub fn index(self) -> usize {
        match self {
            Self::Br => 0,
            Self::Gzip => 1,
        }
    }

    /// `bytes` compressed in this coding, at a middle level (brotli 5, gzip 6): most of the saving for a small part
    /// of the highest levels' time. `None` when it does not make them smaller.
    pub fn compress(self, bytes: &[u8]) -> Option<Vec<u8>> {
        use std::io::Write;
        let mut out = Vec::with_capacity(bytes.len() / 4);
        let written = match self {
            Self::Br => {
                let mut writer = brotli::CompressorWriter::new(&mut out, 64 * 1024, 5, 22);
                writer.write_all(bytes).and_then(|()| writer.flush())
            }
            Self::Gzip => {
                let mut writer = flate2::write::GzEncoder::new(&mut out, flate2::Compression::new(6));
                writer.write_all(bytes).and_then(|()| writer.finish().map(|_| ()))
            }
        };
        written.ok().filter(|()| out.len() < bytes.len()).map(|()| out)
    }

    /// The entity tag of this coding's bytes of the answer tagged `etag` (`"abc"` → `"abc-br"`, `W/"abc"` →
    /// `W/"abc-br"`).
    pub fn etag(self, etag: &str) -> String {
        match etag.strip_suffix('"') {
            Some(open) => format!("{open}-{}\"", self.token()),
            None => etag.to_string(),
        }
    }
}

/// The entity tag of the answer itself, whatever coding `etag` was given for: what a weak comparison (RFC 9110
/// §8.8.3.2, `If-None-Match`) compares, since every coding of one answer is the same representation's content.
pub fn uncoded_etag(etag: &str) -> String {
    for coding in Coding::ALL {
        if let Some(base) = etag.strip_suffix(&format!("-{}\"", coding.token())) {
            return format!("{base}\"");
        }
    }
    etag.to_string()
}

/// The coding to send an answer in: the one the client accepts with the highest weight (`q`, RFC 9110 §12.4.2),
/// the server's preference among equals; `None` for the answer as it is (no `Accept-Encoding`, or none of ours
/// accepted). `*` stands for every coding the header does not name; `q=0` refuses.
pub fn chosen(request: &HeaderMap) -> Option<Coding> {
    let mut weights: [Option<u16>; 2] = [None; 2];
    let mut any: Option<u16> = None;
    for value in request.get_all(header::ACCEPT_ENCODING) {
        let Ok(text) = value.to_str() else { continue };
        for item in text.split(',') {
            let mut parts = item.split(';');
            let token = parts.next().unwrap_or("").trim();
            let weight = parts
                .filter_map(|p| p.trim().strip_prefix("q=").or_else(|| p.trim().strip_prefix("Q=")))
                .next()
                .map_or(Some(1000), weight);
            let Some(weight) = weight else { continue };
            if token == "*" {
                any = Some(weight);
            }
            for coding in Coding::ALL {
                if token.eq_ignore_ascii_case(coding.token()) {
                    weights[coding.index()] = Some(weight);
                }
            }
        }
    }
    let mut best: Option<(u16, Coding)> = None;
    for coding in Coding::ALL {
        let weight = weights[coding.index()].or(any).unwrap_or(0);
        if weight > 0 && best.is_none_or(|(w, _)| weight > w) {
            best = Some((weight, coding));
        }
    }
    best.map(|(_, coding)| coding)
}

/// A `q` value in thousandths (`0.5` → 500); `None` when it is not one (the item is then ignored).
fn weight(text: &str) -> Option<u16> {
    let text = text.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let thousandths = format!("{fraction:0<3}").parse::<u16>().ok()?;
    match whole {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

/// Whether an answer of this media type is text worth compressing (pages, JSON, feeds, scripts, stylesheets);
/// stored documents and anything else are sent as they are.
pub fn compressible(headers: &HeaderMap) -> bool {
    let Some(media) = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else { return false };
    let media = media.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    media.starts_with("text/")
        || matches!(
            media.as_str(),
            "application/json" | "application/problem+json" | "application/atom+xml" | "application/javascript"
        )
}

/// Middleware, outside tower-http's compression (which compresses the answers the cache does not keep, as they
/// stream): such an answer's entity tag is made its coding's ([`Coding::etag`]), as the cache's own are.
pub async fn tag_layer(request: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    let asked = chosen(request.headers());
    let held = request.headers().get(header::IF_NONE_MATCH).cloned();
    let mut response = next.run(request).await;
    // A 304 confirms the coding the client holds: its tag is that coding's when the client revalidated with it.
    if response.status() == axum::http::StatusCode::NOT_MODIFIED
        && let (Some(coding), Some(held)) = (asked, held.as_ref().and_then(|h| h.to_str().ok()))
        && let Some(etag) = response.headers().get(header::ETAG).and_then(|v| v.to_str().ok())
        && uncoded_etag(etag) == etag
        && held.contains(&coding.etag(etag))
        && let Ok(tagged) = HeaderValue::from_str(&coding.etag(etag))
    {
        response.headers_mut().insert(header::ETAG, tagged);
        return response;
    }
    let coding = response
        .headers()
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .and_then(|token| Coding::ALL.into_iter().find(|c| c.token() == token));
    let Some(coding) = coding else { return response };
    let Some(etag) = response.headers().get(header::ETAG).and_then(|v| v.to_str().ok()) else { return response };
    if uncoded_etag(etag) != etag {
        return response;
    }
    if let Ok(tagged) = HeaderValue::from_str(&coding.etag(etag)) {
        response.headers_mut().insert(header::ETAG, tagged);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepting(value: &str) -> Option<Coding> {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(value).expect("value"));
        chosen(&headers)
    }

    #[test]
    fn the_coding_is_the_most_wanted_of_ours_and_ours_on_a_tie() {
        assert_eq!(chosen(&HeaderMap::new()), None);
        assert_eq!(accepting("gzip, deflate, br, zstd"), Some(Coding::Br));
        assert_eq!(accepting("gzip"), Some(Coding::Gzip));
        assert_eq!(accepting("deflate, zstd"), None);
        assert_eq!(accepting("br;q=0.5, gzip;q=0.8"), Some(Coding::Gzip));
        assert_eq!(accepting("br;q=0, gzip"), Some(Coding::Gzip));
        assert_eq!(accepting("br;q=0, gzip;q=0"), None);
        assert_eq!(accepting("*"), Some(Coding::Br));
        assert_eq!(accepting("*;q=0.1, br;q=0"), Some(Coding::Gzip));
        assert_eq!(accepting("identity"), None);
        assert_eq!(accepting("GZIP;Q=1.0"), Some(Coding::Gzip));
        // A malformed weight drops the item, not the header.
        assert_eq!(accepting("br;q=2, gzip;q=0.001"), Some(Coding::Gzip));
        assert_eq!(accepting("br;q=0.5x"), None);
    }

    #[test]
    fn each_coding_has_its_own_tag_and_a_weak_comparison_sees_through_it() {
        assert_eq!(Coding::Br.etag("\"abc\""), "\"abc-br\"");
        assert_eq!(Coding::Gzip.etag("W/\"abc\""), "W/\"abc-gzip\"");
        assert_eq!(uncoded_etag("\"abc-br\""), "\"abc\"");
        assert_eq!(uncoded_etag("\"abc-gzip\""), "\"abc\"");
        assert_eq!(uncoded_etag("\"abc-drawn\""), "\"abc-drawn\"");
        assert_eq!(uncoded_etag("\"abc\""), "\"abc\"");
    }

    #[test]
    fn compressed_bytes_read_back_and_incompressible_ones_are_left_alone() {
        use std::io::Read;
        let text = "Le paiement fait de bonne foi est valable. ".repeat(100);
        let gzip = Coding::Gzip.compress(text.as_bytes()).expect("smaller");
        let mut read = String::new();
        flate2::read::GzDecoder::new(&gzip[..]).read_to_string(&mut read).expect("gzip");
        assert_eq!(read, text);
        let br = Coding::Br.compress(text.as_bytes()).expect("smaller");
        let mut read = String::new();
        brotli::Decompressor::new(&br[..], 4096).read_to_string(&mut read).expect("br");
        assert_eq!(read, text);
        assert!(br.len() < text.len() / 10);
        assert_eq!(Coding::Gzip.compress(b"x"), None, "no smaller");
    }

    #[test]
    fn only_text_is_compressed() {
        let typed = |media: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_str(media).expect("value"));
            compressible(&headers)
        };
        for yes in ["text/html; charset=utf-8", "application/json", "application/problem+json", "text/css"] {
            assert!(typed(yes), "{yes}");
        }
        for no in ["application/pdf", "image/png", "application/zip"] {
            assert!(!typed(no), "{no}");
        }
        assert!(!compressible(&HeaderMap::new()));
    }
}
