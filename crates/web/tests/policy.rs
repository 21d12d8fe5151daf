//! The one response policy, in process through the router: every error has the face of its address (problem+json
//! under `/api/`, an HTML page elsewhere) and the same security headers, whoever drew it (a handler, the
//! framework's own refusal, the fallback); the API description lists exactly the routes the router serves.

mod common;

use axum::http::{Method, StatusCode, header};
use common::{TestSite, ask};

#[tokio::test]
async fn every_error_has_the_face_of_its_address_and_the_security_headers() {
    let routes = TestSite::sec().await.routes().await;
    let cases = [
        // A handler's refusal, the framework's (query string, method), the fallback, an unknown code.
        (Method::GET, "/at/2015-13-01", StatusCode::BAD_REQUEST),
        (Method::GET, "/api/v1/sec/at/2015-13-01", StatusCode::BAD_REQUEST),
        (Method::GET, "/compare/4.0...4.1?ignore_formatting=maybe", StatusCode::BAD_REQUEST),
        (Method::GET, "/api/v1/sec/compare/4.0...4.1?ignore_formatting=maybe", StatusCode::BAD_REQUEST),
        (Method::POST, "/versions", StatusCode::METHOD_NOT_ALLOWED),
        (Method::DELETE, "/api/v1/sec/versions", StatusCode::METHOD_NOT_ALLOWED),
        (Method::GET, "/no/such/page", StatusCode::NOT_FOUND),
        (Method::GET, "/api/v1/no/such/route", StatusCode::NOT_FOUND),
        (Method::GET, "/codes/nope/versions", StatusCode::NOT_FOUND),
        (Method::GET, "/api/v1/nope/versions", StatusCode::NOT_FOUND),
        (Method::GET, "/codes/nope/feeds/versions.atom", StatusCode::NOT_FOUND),
        (Method::GET, "/feeds/provisions/H15.rss", StatusCode::NOT_FOUND),
        (Method::GET, "/documents/nothing/here.pdf", StatusCode::NOT_FOUND),
    ];
    for (method, url, status) in cases {
        let answer = ask(&routes, method.clone(), url, &[]).await;
        let (body, csp) = (answer.text(), answer.header(header::CONTENT_SECURITY_POLICY));
        assert_eq!(answer.status, status, "{method} {url}: {body}");
        assert!(csp.starts_with("default-src 'none'"), "{method} {url}: CSP {csp:?}");
        if status == StatusCode::METHOD_NOT_ALLOWED {
            let allow = answer.header(header::ALLOW);
            assert!(allow.contains("GET"), "{method} {url}: a 405 names what is allowed ({allow:?})");
        }
        if url.starts_with("/api/") {
            assert_eq!(answer.header(header::CONTENT_TYPE), "application/problem+json", "{method} {url}");
            let problem: serde_json::Value = serde_json::from_str(&body).expect("problem+json");
            assert_eq!(problem["status"], status.as_u16(), "{url}");
            assert!(problem["detail"].as_str().is_some_and(|d| !d.is_empty()), "{url}: {problem}");
        } else {
            assert_eq!(answer.header(header::CONTENT_TYPE), "text/html; charset=utf-8", "{method} {url}");
            assert!(body.contains("<h1>"), "{method} {url}: an error page: {body}");
        }
    }
}

#[tokio::test]
async fn a_yes_no_parameter_other_than_yes_or_no_is_refused_by_name_wherever_it_is_read() {
    let routes = TestSite::sec().await.routes().await;
    for (url, name) in [
        ("/api/v1/sec/search?q=modification&all_versions=maybe", "all_versions"),
        ("/api/v1/sec/compare/4.0...4.1?ignore_formatting=maybe", "ignore_formatting"),
    ] {
        let answer = ask(&routes, Method::GET, url, &[]).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{url}: {}", answer.text());
        let problem: serde_json::Value = serde_json::from_str(&answer.text()).expect("problem+json");
        assert_eq!(problem["detail"], format!("'maybe' is not a valid {name}: give true or false."), "{url}");
    }
    let page = ask(&routes, Method::GET, "/search?q=modification&all_versions=maybe", &[]).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST, "the search page too: {}", page.text());
    for yes_or_no in ["1", "yes", "on", "true", "0", "no", "off", "false", ""] {
        let url = format!("/api/v1/sec/search?q=modification&all_versions={yes_or_no}");
        let answer = ask(&routes, Method::GET, &url, &[]).await;
        assert_eq!(answer.status, StatusCode::OK, "{url}: {}", answer.text());
    }
}

#[tokio::test]
async fn health_checks_carry_the_security_headers_too() {
    let routes = TestSite::sec().await.routes().await;
    let health = ask(&routes, Method::GET, "/healthz", &[]).await;
    assert_eq!((health.status, health.text().as_str()), (StatusCode::OK, "ok"));
    assert!(health.header(header::CONTENT_SECURITY_POLICY).starts_with("default-src 'none'"));
    let ready = ask(&routes, Method::GET, "/readyz", &[]).await;
    assert_eq!((ready.status, ready.text().as_str()), (StatusCode::OK, "ready"), "plain text for probes");
    assert!(ready.header(header::CONTENT_SECURITY_POLICY).starts_with("default-src 'none'"));
}

#[test]
fn the_api_description_describes_exactly_the_routes_served() {
    let document: serde_json::Value =
        serde_json::from_str(include_str!("../api/openapi.json")).expect("the API description is JSON");
    let mut described: Vec<String> = document["paths"].as_object().expect("paths").keys().cloned().collect();
    let mut served: Vec<String> = inforce_web::api_paths().iter().map(|p| format!("/api/v1{p}")).collect();
    // Downloads are described too, under the default code and under /codes/{code}.
    for download in inforce_web::download_paths() {
        served.push(download.to_string());
        served.push(format!("/codes/{{code}}{download}"));
    }
    described.sort();
    served.sort();
    assert_eq!(described, served, "api/openapi.json's paths and the route table disagree");
}
