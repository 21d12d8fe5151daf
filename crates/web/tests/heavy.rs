//! No request can starve the others: comparisons, blames and searches are drawn off the async workers, a few at
//! a time, within the request's time limit; `/healthz` keeps answering while they run. Bounds here are generous
//! (seconds): the latencies themselves come from `bench/load.sh`.

mod common;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::{Method, StatusCode};
use common::{TestSite, ask};
use inforce_core::model::{Code, Entry, EntryKind, Instrument, Provision, ProvisionKind, Register};
use inforce_core::text::{TextAssignment, TextHash, normalise};
use inforce_core::{CodeId, EntryId, FuzzyDate, ProvisionId};
use inforce_store::{Base, Provenance, Publishing};

/// A site serving a code of four provisions of 50,000 words in one paragraph each, one word in twenty changed by
/// v2 (each comparison of v1 with v2 costs a word-by-word alignment of 200,000 words), today 1 January 2022.
async fn slow_code(limits: inforce_web::Limits) -> TestSite {
    let site = TestSite::empty("long").await.today("2022-01-01").limits(limits);
    let code = Code::new(CodeId::parse("long").expect("id"), "Long");
    let ids: Vec<ProvisionId> = (1..=4).map(|i| ProvisionId::parse(&format!("L{i}")).expect("id")).collect();
    let provisions = ids.iter().map(|id| Provision::new(id.clone(), None, ProvisionKind::Section)).collect();
    let entries: Vec<Entry> = [("v1", "2020-01-01"), ("v2", "2021-01-01")]
        .iter()
        .map(|(id, day)| {
            let mut entry = Entry::new(
                EntryId::parse(id).expect("id"),
                EntryKind::Version,
                FuzzyDate::parse(day).expect("date"),
                Instrument::Designation,
            );
            if *id == "v1" {
                entry.added.listed = ids.clone();
            }
            entry
        })
        .collect();
    let mut bodies = HashMap::new();
    let mut assignments = Vec::new();
    for (n, id) in ids.iter().enumerate() {
        for (entry, changed) in [("v1", false), ("v2", true)] {
            let words: Vec<String> = (0..50_000)
                .map(|i| if changed && i % 20 == n { format!("x{i}") } else { format!("w{}", i % 997) })
                .collect();
            let text = normalise(&format!("# {id}\n\n{}\n", words.join(" ")));
            let hash = TextHash::of(&text);
            bodies.insert(hash, Arc::from(text.as_str()));
            assignments.push(TextAssignment {
                entry: EntryId::parse(entry).expect("id"),
                provision: id.clone(),
                text: Some(hash),
            });
        }
    }
    let register = Register { provisions, entries, ..Register::empty(code) };
    let what = Publishing { register: &register, texts: Some((&assignments, &bodies)), base: Base::Current };
    let by = Provenance::anonymous("test", "2026-11-01T09:00:00Z".parse().expect("time"));
    inforce_store::publish(site.store.as_ref(), what, &by).await.expect("published");
    site
}

async fn get(routes: &axum::Router, url: &str) -> (StatusCode, String) {
    let answer = ask(routes, Method::GET, url, &[]).await;
    (answer.status, answer.text())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_checks_are_answered_while_comparisons_run_on_every_worker() {
    let limits = inforce_web::Limits { request_timeout: Duration::from_secs(120), ..inforce_web::Limits::default() };
    let routes = slow_code(limits).await.routes().await;
    // More comparisons than there are async workers, each long.
    let comparisons: Vec<_> =
        ["/compare/v1...v2", "/api/v1/long/compare/v1...v2", "/compare/v2...v1", "/api/v1/long/compare/v2...v1"]
            .into_iter()
            .map(|url| {
                let routes = routes.clone();
                tokio::spawn(async move { get(&routes, url).await })
            })
            .collect();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut slowest = Duration::ZERO;
    for _ in 0..5 {
        let started = Instant::now();
        let (status, body) = get(&routes, "/healthz").await;
        slowest = slowest.max(started.elapsed());
        assert_eq!((status, body.as_str()), (StatusCode::OK, "ok"));
    }
    let still_running = comparisons.iter().filter(|c| !c.is_finished()).count();
    assert!(still_running > 0, "the comparisons finished too soon to show anything");
    assert!(slowest < Duration::from_secs(2), "/healthz took {slowest:?} while comparisons ran");
    for comparison in comparisons {
        let (status, body) = comparison.await.expect("comparison");
        assert_eq!(status, StatusCode::OK, "{body:.300}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn heavy_work_past_the_deadline_or_beyond_the_workers_is_answered_503_with_a_reason() {
    let limits = inforce_web::Limits {
        request_timeout: Duration::from_millis(300),
        heavy_workers: 1,
        ..inforce_web::Limits::default()
    };
    let routes = slow_code(limits).await.routes().await;
    let (status, body) = get(&routes, "/api/v1/long/compare/v1...v2").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body:.300}");
    assert!(body.contains("takes longer than"), "{body}");
    // The one worker is still busy with it: the next heavy answer cannot start within its deadline.
    let (status, body) = get(&routes, "/compare/v2...v1").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body:.300}");
    assert!(body.contains("busy"), "{body:.2000}");
    // Light answers are not held up.
    assert_eq!(get(&routes, "/versions").await.0, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn heavy_work_waits_while_answers_not_yet_sent_hold_the_memory_budget() {
    let limits = inforce_web::Limits {
        heavy_memory: inforce_web::budget::COUNTED_FROM,
        cache_bytes: 0,
        request_timeout: Duration::from_secs(2),
        ..inforce_web::Limits::default()
    };
    let router = slow_code(limits).await.router().await;
    // A page of 50,000 words, drawn and not yet taken by its client: it holds the whole budget.
    let request = axum::http::Request::get("/provisions/L1?version=v1").body(axum::body::Body::empty()).expect("req");
    let held = tower::ServiceExt::oneshot(router.clone(), request).await.expect("answer");
    assert_eq!(held.status(), StatusCode::OK);
    for url in ["/api/v1/long/at/2021-06-01", "/at/2021-06-01", "/search?q=word"] {
        let (status, body) = get(&router, url).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{url} drawn while the budget was spent: {body}");
        assert!(body.contains("busy"), "{url}: {body}");
    }
    // Sent (or dropped): the memory is given back and the work is drawn.
    let body = axum::body::to_bytes(held.into_body(), usize::MAX).await.expect("body");
    assert!(body.len() >= inforce_web::budget::COUNTED_FROM);
    for url in ["/api/v1/long/at/2021-06-01", "/at/2021-06-01"] {
        assert_eq!(get(&router, url).await.0, StatusCode::OK, "{url}");
    }
}
