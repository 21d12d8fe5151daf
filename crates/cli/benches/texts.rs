//! In-process query times on a real versioned code (no database, no process start): the whole code's text at a
//! random date, whole-code comparisons, blame; and first, blame against comparison of one very long provision
//! (50,000 words) rewritten or amended in its next version. Run with `cargo bench -p inforce --bench texts`; it
//! reads `INFORCE_BENCH_CORPUS` (a versioned folder) or unpacks ../shared/corpora/fr-code-civil.tar.xz.
//!
//! A small harness of our own (repeat, sort, report percentiles) instead of criterion: the numbers needed are
//! latencies against fixed goals, and criterion's dependency tree would be compiled by every `cargo test`.

mod common;

use std::time::{Duration, Instant};

use common::corpus;

use inforce_core::diff::DiffOptions;
use inforce_core::import::{TextImport, merge_versions};
use inforce_core::point::{Cut, Point};
use inforce_core::text::Texts;
use inforce_core::{CodeId, History};
use jiff::civil::Date;

fn main() {
    long_provision();
    let Some((folder_path, _keep)) = corpus() else {
        println!("skipped: no corpus (set INFORCE_BENCH_CORPUS or provide ../shared/corpora)");
        return;
    };
    let started = Instant::now();
    let folder = inforce_formats::folder::read_folder(&folder_path, &mut |_, _| {}).expect("corpus reads");
    let read = started.elapsed();
    let code = CodeId::parse("bench").expect("id");
    let import = TextImport {
        versions: &folder.versions,
        order: &folder.order,
        headings: &folder.headings,
        placements: inforce_core::import::no_placements(),
    };
    let merged = merge_versions(&code, None, &Texts::default(), import).expect("corpus merges");
    let history =
        History::with_texts(merged.register, Texts { assignments: merged.assignments, bodies: folder.bodies });
    println!(
        "corpus {}: {} versions, {} provisions; read in {:.2}s, indexed in {:.2}s",
        folder_path.display(),
        folder.versions.len(),
        history.register().provisions.len(),
        read.as_secs_f64(),
        (started.elapsed() - read).as_secs_f64()
    );

    let first = folder.versions.first().expect("versions").effective;
    let last = folder.versions.last().expect("versions").effective;
    let span = i64::from((last - first).get_days().max(1));
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut random = move |n: i64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n.max(1) as u64) as i64
    };
    let mut day = || first.checked_add(jiff::Span::new().days(random(span))).expect("date in range");

    report("whole code's text at a random date (goal < 10 ms)", 200, || {
        let cut = Cut { date: day(), entry: None };
        let texts = history.texts_at(&cut);
        assert!(!texts.is_empty());
    });
    let ids: Vec<_> = folder.versions.iter().map(|v| v.id.clone()).collect();
    let cut = |i: usize| history.cut(&Point::Entry(ids[i].clone())).expect("cut");
    let mut pair = 0;
    report("whole-code comparison of consecutive versions", 70, || {
        pair = (pair + 1) % (ids.len() - 1);
        history.compare(&cut(pair), &cut(pair + 1), None, DiffOptions::default());
    });
    report("whole-code comparison, first against last", 10, || {
        let changes = history.compare(&cut(0), &cut(ids.len() - 1), None, DiffOptions::default());
        assert!(!changes.is_empty());
    });
    let amended: Vec<_> = history
        .register()
        .provisions
        .iter()
        .filter(|p| history.text_history(&p.id).len() > 2)
        .map(|p| p.id.clone())
        .collect();
    let mut next = 0;
    report("blame of an amended provision today", 200, || {
        next = (next + 1) % amended.len().max(1);
        if let Some(id) = amended.get(next) {
            history.blame(id, &Cut { date: Date::constant(2026, 11, 28), entry: None });
        }
    });
}

/// One provision of 50,000 words in paragraphs of 100, through two versions: blame and the comparison of the
/// two, when the second rewrites every word and when it changes one word in twenty inside one long paragraph.
fn long_provision() {
    use inforce_core::model::{Code, Entry, EntryKind, Instrument, Provision, ProvisionKind, Register};
    use inforce_core::text::{TextAssignment, TextHash, normalise};
    use inforce_core::{EntryId, FuzzyDate, ProvisionId};

    let words = 50_000;
    let text = |word: &dyn Fn(usize) -> String, per_paragraph: usize| {
        let mut out = String::from("# Long\n\n");
        for i in 0..words {
            out.push_str(&word(i));
            out.push(if (i + 1) % per_paragraph == 0 { '\n' } else { ' ' });
            if (i + 1) % per_paragraph == 0 {
                out.push('\n');
            }
        }
        normalise(&out)
    };
    let id = ProvisionId::parse("L1").expect("id");
    let history = |first: String, second: String| {
        let code = Code::new(CodeId::parse("long").expect("id"), "Long");
        let provision = Provision::new(id.clone(), None, ProvisionKind::Section);
        let entries: Vec<Entry> = ["2020-01-01", "2021-01-01"]
            .iter()
            .enumerate()
            .map(|(i, day)| {
                let entry_id = EntryId::parse(&format!("v{}", i + 1)).expect("id");
                Entry::new(entry_id, EntryKind::Version, FuzzyDate::parse(day).expect("date"), Instrument::Designation)
            })
            .collect();
        let mut bodies = std::collections::HashMap::new();
        let mut assignments = Vec::new();
        for (entry, body) in entries.iter().zip([first, second]) {
            let hash = TextHash::of(&body);
            bodies.insert(hash, std::sync::Arc::from(body.as_str()));
            assignments.push(TextAssignment { entry: entry.id.clone(), provision: id.clone(), text: Some(hash) });
        }
        let register = Register { provisions: vec![provision], entries, ..Register::empty(code) };
        History::with_texts(register, Texts { assignments, bodies })
    };
    let old = |i: usize| format!("w{}", i % 997);
    let cases = [
        ("rewritten", text(&old, 100), text(&|i| format!("n{}", i % 991), 100)),
        (
            "one word in 20 changed, one paragraph",
            text(&old, words),
            text(&|i| if i % 20 == 0 { format!("x{i}") } else { old(i) }, words),
        ),
    ];
    for (label, first, second) in cases {
        let history = history(first, second);
        let latest = Cut { date: Date::constant(2022, 1, 1), entry: None };
        let v1 = Cut { date: Date::constant(2020, 6, 1), entry: None };
        report(&format!("50,000-word provision {label}: blame"), 5, || {
            assert!(history.blame(&id, &latest).is_some());
        });
        report(&format!("50,000-word provision {label}: comparison"), 5, || {
            assert!(!history.compare(&v1, &latest, None, DiffOptions::default()).is_empty());
        });
    }
}

fn report(label: &str, runs: usize, mut run: impl FnMut()) {
    run();
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            run();
            start.elapsed()
        })
        .collect();
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize].as_secs_f64() * 1e3;
    println!("{label:<62} p50 {:>8.3} ms  p99 {:>8.3} ms  ({runs} runs)", at(0.5), at(0.99));
}
