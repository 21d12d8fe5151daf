//! What every command that reads a kept register pays to check it against the database: the latest publication
//! with its log digest (`Store::latest`, one row) and a constant-time comparison of the digest, against what it
//! paid before (every publication read to take the last, `Store::publications`). On SQLite, with logs of 1, 100
//! and 1,000 publications of the SEC register. Run with `cargo bench -p inforce --bench kept`.
//!
//! The goal: the check stays under a millisecond per command, at every log length.

use std::time::{Duration, Instant};

use inforce_core::CodeId;
use inforce_store::{Provenance, Store, publish_register};
use inforce_store_sqlite::{OpenOptions, SqliteStore};

const RUNS: usize = 2_000;

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(run());
}

async fn run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = SqliteStore::open(&dir.path().join("bench.db"), OpenOptions::default()).await.expect("open");
    let mut register =
        inforce_formats::parse_register("data/sec.toml", include_str!("../../../data/sec.toml")).expect("sec");
    let code = CodeId::parse("sec").expect("id");
    let mut published = 0;
    println!("runs per figure: {RUNS}; times per command, p50 / p99");
    for size in [1, 100, 1_000] {
        while published < size {
            register.code.title = format!("Shared Evaluation Code ({published})");
            let at = jiff::Timestamp::from_second(1_800_000_000 + published as i64).expect("time");
            publish_register(&store, &register, &Provenance::anonymous("bench", at)).await.expect("publish");
            published += 1;
        }
        let kept = store.latest(&code).await.expect("latest").and_then(|(_, d)| d).expect("a digest");
        let new = time(|| async {
            let (_, digest) = store.latest(&code).await.expect("latest").expect("published");
            let digest = digest.expect("a digest");
            assert!(bool::from(subtle::ConstantTimeEq::ct_eq(&kept.0[..], &digest.0[..])));
        })
        .await;
        let old = time(|| async {
            store.publications(&code).await.expect("publications").pop().expect("published");
        })
        .await;
        println!(
            "{size:>5} publications: latest + digest compared {} / {}; before: every publication read {} / {}",
            us(new.0),
            us(new.1),
            us(old.0),
            us(old.1)
        );
        assert!(new.0 < Duration::from_millis(1), "the check must stay under a millisecond");
    }
    store.close().await;
}

/// p50 and p99 of `RUNS` runs of `step`.
async fn time<F: std::future::Future<Output = ()>>(step: impl Fn() -> F) -> (Duration, Duration) {
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let started = Instant::now();
        step().await;
        times.push(started.elapsed());
    }
    times.sort_unstable();
    (times[RUNS / 2], times[RUNS * 99 / 100])
}

fn us(d: Duration) -> String {
    format!("{:.0} µs", d.as_secs_f64() * 1e6)
}
