//! HTTP caching semantics and document downloads, in process through the router with and without the answer
//! cache: the conditional requests of RFC 9110 §13 (table-driven), a Last-Modified per code, and byte ranges of
//! document files streamed from the store (RFC 9110 §14).

mod common;

use axum::http::{Method, StatusCode, header};
use common::{TestSite, ask, sec_register};
use inforce_core::CodeId;
use inforce_store::Provenance;
use jiff::Timestamp;

const OTHER_TIME: &str = "2026-11-20T15:30:00Z";
const DOC_TIME: &str = "2026-11-10T12:00:00Z";

/// The annex's bytes: two and a half pieces of the store's 256 KiB.
fn annex() -> Vec<u8> {
    (0..inforce_store::FILE_CHUNK * 5 / 2).map(|i| (i * 31 % 256) as u8).collect()
}

/// The SEC (published at SEC_TIME, its annex at DOC_TIME) and a second code published later (OTHER_TIME).
async fn site() -> TestSite {
    let site = TestSite::sec().await;
    let bytes = annex();
    let sha256 = inforce_core::document::sha256(&bytes);
    let document = inforce_core::document::Document {
        id: "annex".into(),
        title: "Annex".into(),
        kind: None,
        date: inforce_core::FuzzyDate::parse("2015-01-01").expect("date"),
        file_name: "annex.pdf".into(),
        media_type: "application/pdf".into(),
        sha256: sha256.clone(),
        size: bytes.len() as u64,
        attached_to: vec![],
        sources: vec![],
    };
    let code = CodeId::parse("sec").expect("code");
    let at = Provenance::anonymous("test", DOC_TIME.parse().expect("time"));
    inforce_store::publish_edit(site.store.as_ref(), &code, &at, &[(sha256, bytes)], |current| {
        let mut next = current.expect("registered").clone();
        next.documents.push(document.clone());
        Ok::<_, inforce_store::StoreError>(next)
    })
    .await
    .expect("annex");
    let mut other = sec_register();
    other.code.id = CodeId::parse("other").expect("code");
    other.documents.clear();
    // The SEC's latest publication is the annex's; the other code's is later still.
    site.with_register(&other, OTHER_TIME).await
}

/// The first and last byte a range case expects.
type Bytes = (usize, usize);

/// Request headers, as a case gives them.
type Headers<'a> = Vec<(header::HeaderName, &'a str)>;

fn http_date(time: Timestamp) -> String {
    time.strftime("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

#[tokio::test]
async fn conditional_requests_follow_rfc_9110_with_and_without_the_cache() {
    let site = site().await;
    let (routes, cached) = (site.routes().await, site.router().await);
    for (label, site) in [("without the cache", &routes), ("with the cache", &cached)] {
        let url = "/versions/4.1";
        let first = ask(site, Method::GET, url, &[]).await;
        assert_eq!(first.status, StatusCode::OK);
        let etag = first.header(header::ETAG).to_string();
        let last_modified: Timestamp = DOC_TIME.parse().expect("time");
        assert_eq!(first.header(header::LAST_MODIFIED), http_date(last_modified), "{label}");
        let day = jiff::SignedDuration::from_hours(24);
        let (before, after) = (http_date(last_modified - day), http_date(last_modified + day));
        let weak = format!("W/{etag}");
        let listed = format!("\"other\", {etag}");
        let rfc850 = last_modified.strftime("%A, %d-%b-%y %H:%M:%S GMT").to_string();
        let asctime = last_modified.strftime("%a %b %e %H:%M:%S %Y").to_string();
        let same = http_date(last_modified);
        use header::{IF_MATCH, IF_MODIFIED_SINCE, IF_NONE_MATCH, IF_UNMODIFIED_SINCE};
        let cases: Vec<(&str, Headers<'_>, StatusCode)> = vec![
            ("no condition", vec![], StatusCode::OK),
            ("its own tag", vec![(IF_NONE_MATCH, &etag)], StatusCode::NOT_MODIFIED),
            ("its tag, weak", vec![(IF_NONE_MATCH, &weak)], StatusCode::NOT_MODIFIED),
            ("a list holding it", vec![(IF_NONE_MATCH, &listed)], StatusCode::NOT_MODIFIED),
            ("*", vec![(IF_NONE_MATCH, "*")], StatusCode::NOT_MODIFIED),
            ("another tag", vec![(IF_NONE_MATCH, "\"other\"")], StatusCode::OK),
            ("a malformed tag", vec![(IF_NONE_MATCH, "other")], StatusCode::OK),
            ("modified since: the same second", vec![(IF_MODIFIED_SINCE, &same)], StatusCode::NOT_MODIFIED),
            ("modified since: a day later", vec![(IF_MODIFIED_SINCE, &after)], StatusCode::NOT_MODIFIED),
            ("modified since: a day before", vec![(IF_MODIFIED_SINCE, &before)], StatusCode::OK),
            ("modified since, RFC 850 date", vec![(IF_MODIFIED_SINCE, &rfc850)], StatusCode::NOT_MODIFIED),
            ("modified since, asctime date", vec![(IF_MODIFIED_SINCE, &asctime)], StatusCode::NOT_MODIFIED),
            ("modified since, not a date", vec![(IF_MODIFIED_SINCE, "yesterday")], StatusCode::OK),
            (
                "If-None-Match first: another tag wins over a date",
                vec![(IF_NONE_MATCH, "\"other\""), (IF_MODIFIED_SINCE, &after)],
                StatusCode::OK,
            ),
            ("match: its tag", vec![(IF_MATCH, &etag)], StatusCode::OK),
            ("match: *", vec![(IF_MATCH, "*")], StatusCode::OK),
            ("match: another tag", vec![(IF_MATCH, "\"other\"")], StatusCode::PRECONDITION_FAILED),
            ("match: weak never matches", vec![(IF_MATCH, &weak)], StatusCode::PRECONDITION_FAILED),
            ("unmodified since a day before", vec![(IF_UNMODIFIED_SINCE, &before)], StatusCode::PRECONDITION_FAILED),
            ("unmodified since then", vec![(IF_UNMODIFIED_SINCE, &same)], StatusCode::OK),
            (
                "If-Match first: its tag wins over a date",
                vec![(IF_MATCH, &etag), (IF_UNMODIFIED_SINCE, &before)],
                StatusCode::OK,
            ),
        ];
        for (case, headers, status) in &cases {
            for method in [Method::GET, Method::HEAD] {
                let answer = ask(site, method.clone(), url, headers).await;
                assert_eq!(answer.status, *status, "{label}, {method} {case}");
                match *status {
                    StatusCode::NOT_MODIFIED => {
                        assert!(answer.body.is_empty(), "{label}, {case}");
                        assert_eq!(answer.header(header::ETAG), etag, "{label}, {case}: a 304 carries its validators");
                        assert_eq!(answer.header(header::LAST_MODIFIED), same, "{label}, {case}");
                        assert!(!answer.header(header::CACHE_CONTROL).is_empty(), "{label}, {case}");
                    }
                    StatusCode::OK if method == Method::GET => assert_eq!(answer.body, first.body, "{label}, {case}"),
                    StatusCode::OK => assert!(answer.body.is_empty(), "{label}, HEAD {case}: no body"),
                    _ => assert!(answer.header(header::CONTENT_SECURITY_POLICY).starts_with("default-src 'none'")),
                }
            }
        }
    }
}

#[tokio::test]
async fn each_code_s_answers_are_last_modified_by_its_own_publications() {
    let site = site().await;
    let (routes, cached) = (site.routes().await, site.router().await);
    for site in [&routes, &cached] {
        let sec = ask(site, Method::GET, "/versions", &[]).await;
        let other = ask(site, Method::GET, "/codes/other/versions", &[]).await;
        let api = ask(site, Method::GET, "/api/v1/other/versions", &[]).await;
        assert_eq!(sec.header(header::LAST_MODIFIED), http_date(DOC_TIME.parse().expect("time")));
        assert_eq!(other.header(header::LAST_MODIFIED), http_date(OTHER_TIME.parse().expect("time")));
        assert_eq!(api.header(header::LAST_MODIFIED), http_date(OTHER_TIME.parse().expect("time")));
        // A client holding the SEC's page since its publication is not sent it again for the other code's.
        let since = http_date(DOC_TIME.parse().expect("time"));
        let again = ask(site, Method::GET, "/versions", &[(header::IF_MODIFIED_SINCE, &since)]).await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED);
        let feed = ask(site, Method::GET, "/feeds/versions.atom", &[]).await;
        let feed = String::from_utf8_lossy(&feed.body).into_owned();
        assert!(feed.contains("<updated>2026-11-10T12:00:00+00:00</updated>"), "the feed's own time: {feed:.600}");
    }
}

#[tokio::test]
async fn a_document_is_streamed_whole_or_by_a_single_byte_range() {
    let site = site().await;
    let (routes, cached) = (site.routes().await, site.router().await);
    let bytes = annex();
    let size = bytes.len();
    let url = "/documents/annex/annex.pdf";
    for site in [&routes, &cached] {
        let whole = ask(site, Method::GET, url, &[]).await;
        assert_eq!(whole.status, StatusCode::OK);
        assert!(whole.body == bytes, "byte for byte");
        assert_eq!(whole.header(header::CONTENT_LENGTH), size.to_string());
        assert_eq!(whole.header(header::ACCEPT_RANGES), "bytes");
        assert_eq!(whole.header(header::CONTENT_SECURITY_POLICY), "default-src 'none'; sandbox");
        assert_eq!(whole.header(header::CONTENT_TYPE), "application/pdf");
        assert_eq!(whole.header(header::CONTENT_DISPOSITION), "attachment; filename=\"annex.pdf\"");
        assert_eq!(whole.header(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
        // A stored file is sent exactly as stored, whatever coding the client would take.
        let asked = ask(site, Method::GET, url, &[(header::ACCEPT_ENCODING, "gzip, br")]).await;
        assert_eq!((asked.header(header::CONTENT_ENCODING), asked.body == bytes), ("", true));
        let last_modified = http_date(DOC_TIME.parse().expect("time"));
        assert_eq!(whole.header(header::LAST_MODIFIED), last_modified, "when the file was published");
        let etag = whole.header(header::ETAG).to_string();
        assert_eq!(etag, format!("\"{}\"", inforce_core::document::sha256(&bytes)));
        let piece = inforce_store::FILE_CHUNK;
        let earlier = http_date("2026-01-01T00:00:00Z".parse().expect("time"));
        let across = format!("bytes={}-{}", piece - 4, piece + 6);
        let tail = format!("bytes={}-", 2 * piece);
        let beyond = format!("bytes=10-{}", size * 2);
        let past = format!("bytes={size}-");
        let cases: Vec<(Headers<'_>, StatusCode, Option<Bytes>)> = vec![
            (vec![(header::RANGE, "bytes=0-9")], StatusCode::PARTIAL_CONTENT, Some((0, 9))),
            (vec![(header::RANGE, &across)], StatusCode::PARTIAL_CONTENT, Some((piece - 4, piece + 6))),
            (vec![(header::RANGE, "bytes=-5")], StatusCode::PARTIAL_CONTENT, Some((size - 5, size - 1))),
            (vec![(header::RANGE, &tail)], StatusCode::PARTIAL_CONTENT, Some((2 * piece, size - 1))),
            (vec![(header::RANGE, &beyond)], StatusCode::PARTIAL_CONTENT, Some((10, size - 1))),
            (vec![(header::RANGE, &past)], StatusCode::RANGE_NOT_SATISFIABLE, None),
            (vec![(header::RANGE, "bytes=0-1,5-6")], StatusCode::OK, Some((0, size - 1))),
            (vec![(header::RANGE, "bytes=9-2")], StatusCode::OK, Some((0, size - 1))),
            (vec![(header::RANGE, "lines=1-2")], StatusCode::OK, Some((0, size - 1))),
            (vec![(header::RANGE, "bytes=0-9"), (header::IF_RANGE, &etag)], StatusCode::PARTIAL_CONTENT, Some((0, 9))),
            (vec![(header::RANGE, "bytes=0-9"), (header::IF_RANGE, "\"other\"")], StatusCode::OK, Some((0, size - 1))),
            (
                vec![(header::RANGE, "bytes=0-9"), (header::IF_RANGE, &last_modified)],
                StatusCode::PARTIAL_CONTENT,
                Some((0, 9)),
            ),
            (vec![(header::RANGE, "bytes=0-9"), (header::IF_RANGE, &earlier)], StatusCode::OK, Some((0, size - 1))),
            (vec![(header::IF_NONE_MATCH, &etag)], StatusCode::NOT_MODIFIED, None),
            (vec![(header::IF_MODIFIED_SINCE, &last_modified)], StatusCode::NOT_MODIFIED, None),
        ];
        for (headers, status, range) in cases {
            let answer = ask(site, Method::GET, url, &headers).await;
            assert_eq!(answer.status, status, "{headers:?}");
            match (status, range) {
                (StatusCode::PARTIAL_CONTENT, Some((first, last))) => {
                    assert!(answer.body == bytes[first..=last], "{headers:?}: the bytes asked for");
                    assert_eq!(answer.header(header::CONTENT_RANGE), format!("bytes {first}-{last}/{size}"));
                    assert_eq!(answer.header(header::CONTENT_LENGTH), (last - first + 1).to_string());
                }
                (StatusCode::OK, _) => assert!(answer.body == bytes, "{headers:?}: the whole file"),
                (StatusCode::RANGE_NOT_SATISFIABLE, _) => {
                    assert_eq!(answer.header(header::CONTENT_RANGE), format!("bytes */{size}"));
                }
                _ => assert!(answer.body.is_empty()),
            }
        }
        let head = ask(site, Method::HEAD, url, &[]).await;
        assert_eq!((head.status, head.header(header::CONTENT_LENGTH)), (StatusCode::OK, size.to_string().as_str()));
        assert!(head.body.is_empty());
    }
}

#[tokio::test]
async fn an_answer_too_large_to_keep_is_sent_whole_and_not_kept() {
    // A cache of 256 KiB keeps answers of up to 4 KiB: every page of the SEC is larger.
    let limits = inforce_web::Limits { cache_bytes: 256 * 1024, ..inforce_web::Limits::default() };
    let site = TestSite::sec().await.limits(limits);
    let (uncached, cached) = (site.routes().await, site.router().await);
    for url in ["/at/2015-02-01", "/api/v1/sec/at/2015-02-01", "/versions"] {
        let whole = ask(&uncached, Method::GET, url, &[]).await;
        assert!(whole.body.len() > 4096, "{url} is larger than the cache keeps");
        for _ in 0..2 {
            let answer = ask(&cached, Method::GET, url, &[]).await;
            assert_eq!(answer.status, StatusCode::OK, "{url}");
            assert!(answer.body == whole.body, "{url}: sent whole");
            let etag = answer.header(header::ETAG).to_string();
            let again = ask(&cached, Method::GET, url, &[(header::IF_NONE_MATCH, &etag)]).await;
            assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{url}: validated though not kept");
        }
    }
}

#[tokio::test]
async fn a_whole_code_answer_is_streamed_with_a_tag_of_what_it_is_drawn_from() {
    let site = TestSite::sec().await.today("2015-02-01");
    let routes = site.routes().await;
    let history = site.site().await.snapshot().histories[&CodeId::parse("sec").expect("code")].clone();
    let today: jiff::civil::Date = "2015-02-01".parse().expect("date");
    for (url, date) in
        [("/api/v1/sec/at/2015-01-20", "2015-01-20"), ("/api/v1/sec/contents?at=2015-01-20", "2015-01-20")]
    {
        let answer = ask(&routes, Method::GET, url, &[]).await;
        assert_eq!(answer.status, StatusCode::OK, "{url}");
        // Written as it is worked out: no length known before the end.
        assert_eq!(answer.header(header::CONTENT_LENGTH), "", "{url}");
        assert_eq!(answer.header(header::CONTENT_TYPE), "application/json", "{url}");
        let whole = inforce_present::wire::AtJson::new(&history, date.parse().expect("date"), today);
        let whole = serde_json::to_vec_pretty(&whole).expect("json");
        assert!(answer.body.len() > 64 * 1024, "{url}: more than one piece");
        assert!(answer.body == whole, "{url}: the same bytes as the answer written whole");
        // Its tag is the same on another instance, revalidates, and HEAD answers as GET without the body.
        let etag = answer.header(header::ETAG).to_string();
        assert!(etag.starts_with('"') && !etag.starts_with("W/"), "a strong tag: {etag}");
        let elsewhere = ask(&site.second_site().routes().await, Method::GET, url, &[]).await;
        assert_eq!(elsewhere.header(header::ETAG), etag, "{url}: the same tag on another instance");
        let again = ask(&routes, Method::GET, url, &[(header::IF_NONE_MATCH, &etag)]).await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{url}");
        let head = ask(&routes, Method::HEAD, url, &[]).await;
        assert_eq!((head.status, head.header(header::ETAG), head.body.len()), (StatusCode::OK, etag.as_str(), 0));
    }
    // Pages about the whole code likewise, each with its own tag under each address it is served at (their links
    // differ).
    for (url, prefixed) in [
        ("/at/2015-01-20", "/codes/sec/at/2015-01-20"),
        ("/contents?at=2015-01-20", "/codes/sec/contents?at=2015-01-20"),
    ] {
        let page = ask(&routes, Method::GET, url, &[]).await;
        assert_eq!((page.status, page.header(header::CONTENT_LENGTH)), (StatusCode::OK, ""), "{url}");
        assert!(page.text().contains("H15") && page.text().trim_end().ends_with("</html>"), "{url}: whole");
        let etag = page.header(header::ETAG).to_string();
        let again = ask(&routes, Method::GET, url, &[(header::IF_NONE_MATCH, &etag)]).await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{url}");
        let other = ask(&routes, Method::GET, prefixed, &[]).await;
        assert_eq!(other.status, StatusCode::OK, "{prefixed}");
        assert_ne!(other.header(header::ETAG), etag, "{prefixed}: its links differ, so does its tag");
        assert!(other.body != page.body, "{prefixed}");
    }
    // Another date, another day or another publication: another tag.
    let tag = |site: &TestSite, url: &'static str| {
        let site = site.second_site();
        async move { ask(&site.routes().await, Method::GET, url, &[]).await.header(header::ETAG).to_string() }
    };
    let first = tag(&site, "/api/v1/sec/at/2015-01-20").await;
    assert_ne!(first, tag(&site, "/api/v1/sec/at/2015-01-21").await, "another date");
    assert_ne!(first, tag(&site.second_site().today("2015-03-01"), "/api/v1/sec/at/2015-01-20").await, "another day");
    let mut changed = sec_register();
    changed.code.title = "Smart Energy Code, as corrected".into();
    let republished = site.second_site().with_register(&changed, OTHER_TIME).await;
    assert_ne!(first, tag(&republished, "/api/v1/sec/at/2015-01-20").await, "another publication");
}
