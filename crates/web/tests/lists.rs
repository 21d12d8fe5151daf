//! The API's lists page when asked: `?page=` and `?per_page=` give one page with its totals and `Link` headers
//! (RFC 8288); without them a list answers whole, as every v1 client reads it.

mod common;

use axum::http::{StatusCode, header};
use common::TestSite;

/// Every list of the API, with the member that holds it.
const LISTS: [(&str, &str); 8] = [
    ("/api/v1/sec/versions", "versions"),
    ("/api/v1/sec/timeline", "entries"),
    ("/api/v1/sec/variations", "entries"),
    ("/api/v1/sec/consultations", "consultations"),
    ("/api/v1/sec/proposals", "proposals"),
    ("/api/v1/sec/planned", "planned"),
    ("/api/v1/sec/documents", "documents"),
    ("/api/v1/sec/publications", "publications"),
];

#[tokio::test]
async fn every_list_pages_into_the_whole_list_and_answers_whole_when_not_asked() {
    let site = TestSite::sec().await;
    for (address, member) in LISTS {
        let whole = site.get(address).await;
        assert_eq!(whole.status, StatusCode::OK, "{address}");
        assert_eq!(whole.header(header::LINK), "", "{address}: no paging unless asked");
        let whole = whole.json();
        assert_eq!(whole.get("paging"), None, "{address}");
        let items = whole[member].as_array().unwrap_or_else(|| panic!("{address}: {whole}")).clone();
        // An empty `page` is not a question about pages.
        assert_eq!(site.get(&format!("{address}?page=")).await.json(), whole, "{address}");
        let mut paged = Vec::new();
        let mut page = 1;
        loop {
            let answer = site.get(&format!("{address}?page={page}&per_page=2")).await;
            assert_eq!(answer.status, StatusCode::OK, "{address} page {page}: {}", answer.text());
            let json = answer.json();
            let pages = items.len().div_ceil(2).max(1);
            assert_eq!(
                json["paging"],
                serde_json::json!({"page": page, "per_page": 2, "total": items.len(), "pages": pages}),
                "{address}"
            );
            paged.extend(json[member].as_array().expect("a list").iter().cloned());
            let links = answer.header(header::LINK);
            assert!(links.contains(&format!("<{address}?page=1&per_page=2>; rel=\"first\"")), "{links}");
            assert!(links.contains(&format!("<{address}?page={pages}&per_page=2>; rel=\"last\"")), "{links}");
            assert_eq!(links.contains("rel=\"prev\""), page > 1, "{links}");
            if page == pages {
                assert!(!links.contains("rel=\"next\""), "{links}");
                break;
            }
            assert!(links.contains(&format!("<{address}?page={}&per_page=2>; rel=\"next\"", page + 1)), "{links}");
            page += 1;
        }
        assert_eq!(paged, items, "{address}: the pages hold the whole list, in order, once");
        // Every other member is the whole answer's.
        let first = site.get(&format!("{address}?per_page=2")).await.json();
        for (name, value) in whole.as_object().expect("an object") {
            if name != member {
                assert_eq!(&first[name], value, "{address}: {name}");
            }
        }
    }
}

#[tokio::test]
async fn paging_keeps_the_list_s_own_parameters_and_refuses_pages_that_are_not_there() {
    let site = TestSite::sec().await;
    let answer = site.get("/api/v1/sec/timeline?x=1&from=2014-01-01&per_page=3").await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let links = answer.header(header::LINK);
    assert!(links.contains("</api/v1/sec/timeline?from=2014-01-01&page=2&per_page=3>; rel=\"next\""), "{links}");
    let total = answer.json()["paging"]["total"].as_u64().expect("a total");
    // Only `page`: a hundred a page.
    let only_page = site.get("/api/v1/sec/timeline?page=1").await.json();
    assert_eq!(only_page["paging"]["per_page"], 100);

    let past =
        site.get(&format!("/api/v1/sec/timeline?from=2014-01-01&per_page=3&page={}", total.div_ceil(3) + 1)).await;
    assert_eq!(past.status, StatusCode::NOT_FOUND, "{}", past.text());
    assert!(past.text().contains("there is no page"), "{}", past.text());
    for bad in ["page=0", "page=two", "per_page=0", "per_page=1001", "page=1&per_page=-3"] {
        let refused = site.get(&format!("/api/v1/sec/versions?{bad}")).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{bad}: {}", refused.text());
        assert_eq!(refused.header(header::CONTENT_TYPE), "application/problem+json", "{bad}");
    }
    // A page is answered through the response policy like any answer: its own ETag, and 304 for it.
    let page = site.get("/api/v1/sec/versions?per_page=2").await;
    let whole = site.get("/api/v1/sec/versions").await;
    assert_ne!(page.header(header::ETAG), whole.header(header::ETAG));
    let again = common::ask(
        &site.router().await,
        axum::http::Method::GET,
        "/api/v1/sec/versions?per_page=2",
        &[(header::IF_NONE_MATCH, page.header(header::ETAG))],
    )
    .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
}
