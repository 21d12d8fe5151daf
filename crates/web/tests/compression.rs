//! Text answers are compressed when the client asks (`Accept-Encoding`: br or gzip), once per kept answer, with
//! `Vary: Accept-Encoding` and an entity tag per coding; 304s keep working; what the cache does not keep is
//! compressed as it streams; documents, byte ranges and small answers are sent as they are.

mod common;

use std::io::Read;

use axum::http::{Method, StatusCode, header};
use common::{TestSite, ask};
use inforce_web::Limits;

/// Every `Vary` of an answer, as one list.
fn vary(answer: &common::Answer) -> String {
    let values: Vec<&str> = answer.headers.get_all(header::VARY).iter().filter_map(|v| v.to_str().ok()).collect();
    values.join(", ")
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out).expect("gzip");
    out
}

fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::Decompressor::new(bytes, 4096).read_to_end(&mut out).expect("brotli");
    out
}

#[tokio::test]
async fn a_kept_answer_is_sent_in_the_coding_asked_with_its_own_tag_and_304s_keep_working() {
    let site = TestSite::sec().await;
    let routes = site.router().await;
    // Drawn whole, so kept (an answer about the whole code streams instead: see below).
    let url = "/api/v1/sec/versions";
    let plain = ask(&routes, Method::GET, url, &[]).await;
    assert_eq!(plain.status, StatusCode::OK);
    assert_eq!(plain.header(header::CONTENT_ENCODING), "");
    assert!(vary(&plain).contains("accept-encoding"), "a shared cache keys on it: {}", vary(&plain));
    assert!(plain.body.len() > 10_000, "a large answer: {}", plain.body.len());
    let etag = plain.header(header::ETAG).to_string();

    for (asked, coding, decode) in [
        ("gzip, deflate, br, zstd", "br", unbrotli as fn(&[u8]) -> Vec<u8>),
        ("gzip", "gzip", gunzip),
        ("br;q=0.5, gzip;q=0.9", "gzip", gunzip),
    ] {
        let coded = ask(&routes, Method::GET, url, &[(header::ACCEPT_ENCODING, asked)]).await;
        assert_eq!(coded.status, StatusCode::OK, "{asked}");
        assert_eq!(coded.header(header::CONTENT_ENCODING), coding, "{asked}");
        assert!(vary(&coded).contains("accept-encoding"));
        assert_eq!(decode(&coded.body), plain.body, "{asked}: the same answer");
        assert!(coded.body.len() * 5 < plain.body.len(), "{asked}: {} of {}", coded.body.len(), plain.body.len());
        let coded_etag = coded.header(header::ETAG).to_string();
        assert_eq!(coded_etag, format!("{}-{coding}\"", etag.trim_end_matches('"')), "{asked}");
        // Asked again: the same bytes, compressed once.
        let again = ask(&routes, Method::GET, url, &[(header::ACCEPT_ENCODING, asked)]).await;
        assert_eq!(again.body, coded.body);
        // Revalidated with either tag: 304, carrying this coding's tag.
        for held in [coded_etag.as_str(), etag.as_str()] {
            let revalidated =
                ask(&routes, Method::GET, url, &[(header::ACCEPT_ENCODING, asked), (header::IF_NONE_MATCH, held)])
                    .await;
            assert_eq!(revalidated.status, StatusCode::NOT_MODIFIED, "{asked}, {held}");
            assert_eq!(revalidated.header(header::ETAG), coded_etag);
            assert!(revalidated.body.is_empty());
        }
        // If-Match compares strongly: another coding's tag is another representation.
        let strong = ask(&routes, Method::GET, url, &[(header::IF_MATCH, &coded_etag)]).await;
        assert_eq!(strong.status, StatusCode::PRECONDITION_FAILED, "{asked}");
    }
    // Nothing we speak, or none wanted: as it is.
    for asked in ["zstd", "identity", "br;q=0, gzip;q=0"] {
        let answer = ask(&routes, Method::GET, url, &[(header::ACCEPT_ENCODING, asked)]).await;
        assert_eq!(answer.header(header::CONTENT_ENCODING), "", "{asked}");
        assert_eq!(answer.body, plain.body, "{asked}");
    }
}

#[tokio::test]
async fn small_answers_documents_and_ranges_are_sent_as_they_are() {
    let site = TestSite::sec().await;
    let routes = site.router().await;
    let asked = [(header::ACCEPT_ENCODING, "gzip, br")];
    let small = ask(&routes, Method::GET, "/api/v1/sec/provisions/nothing-here", &asked).await;
    assert_eq!(small.status, StatusCode::NOT_FOUND);
    assert!(small.body.len() < 1024);
    assert_eq!(small.header(header::CONTENT_ENCODING), "");
    let health = ask(&routes, Method::GET, "/healthz", &asked).await;
    assert_eq!(health.header(header::CONTENT_ENCODING), "");
}

#[tokio::test]
async fn an_answer_the_cache_does_not_keep_is_compressed_as_it_streams_and_tagged_per_coding() {
    // A cache this small keeps nothing over 1 KiB: every answer here streams past it.
    let limits = Limits { cache_bytes: 64 * 1024, ..Limits::default() };
    let site = TestSite::sec().await.limits(limits);
    let routes = site.router().await;
    let url = "/api/v1/sec/contents";
    let plain = ask(&routes, Method::GET, url, &[]).await;
    assert_eq!(plain.status, StatusCode::OK);
    let coded = ask(&routes, Method::GET, url, &[(header::ACCEPT_ENCODING, "gzip")]).await;
    assert_eq!(coded.header(header::CONTENT_ENCODING), "gzip");
    assert_eq!(gunzip(&coded.body), plain.body);
    let etag = plain.header(header::ETAG);
    assert_eq!(coded.header(header::ETAG), format!("{}-gzip\"", etag.trim_end_matches('"')));
    assert!(vary(&coded).contains("accept-encoding"), "{}", vary(&coded));
    let revalidated = ask(
        &routes,
        Method::GET,
        url,
        &[(header::ACCEPT_ENCODING, "gzip"), (header::IF_NONE_MATCH, coded.header(header::ETAG))],
    )
    .await;
    assert_eq!(revalidated.status, StatusCode::NOT_MODIFIED);
    assert_eq!(revalidated.header(header::ETAG), coded.header(header::ETAG), "the tag the client holds");
    let held_plain =
        ask(&routes, Method::GET, url, &[(header::ACCEPT_ENCODING, "gzip"), (header::IF_NONE_MATCH, etag)]).await;
    assert_eq!(held_plain.status, StatusCode::NOT_MODIFIED);
}
