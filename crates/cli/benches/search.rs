//! Search on a real versioned code, in process: index build time and size, then 200 queries (single words,
//! phrases, prefixes; with and without a date), p50 and p99, against ripgrep run over the corpus folder for the
//! same plain words. Run with `cargo bench -p inforce --bench search` (or `bash bench/search.sh`); it reads
//! `INFORCE_BENCH_CORPUS` (a versioned folder) or unpacks ../shared/corpora/fr-code-civil.tar.xz.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::corpus;

use inforce_core::import::{TextImport, merge_versions};
use inforce_core::point::Cut;
use inforce_core::search::{Scope, SearchIndex, parse};
use inforce_core::text::Texts;
use inforce_core::{CodeId, History};

fn main() {
    let Some((folder_path, _keep)) = corpus() else {
        println!("skipped: no corpus (set INFORCE_BENCH_CORPUS or provide ../shared/corpora)");
        return;
    };
    let folder = inforce_formats::folder::read_folder(&folder_path, &mut |_, _| {}).expect("corpus reads");
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

    let started = Instant::now();
    let index = SearchIndex::build(&history);
    let build = started.elapsed();
    println!(
        "index of {}: {} wordings, {} words, built in {:.0} ms, about {:.1} MiB in memory",
        folder_path.display(),
        index.wording_count(),
        index.word_count(),
        build.as_secs_f64() * 1e3,
        index.approximate_bytes() as f64 / 1_048_576.0
    );

    // Words of every frequency: sample the vocabulary (letters only, at least 3 characters) deterministically.
    let mut vocabulary: Vec<(&str, usize)> =
        index.vocabulary().filter(|(w, _)| w.chars().count() >= 3 && w.chars().all(char::is_alphabetic)).collect();
    vocabulary.sort_by_key(|&(w, n)| (std::cmp::Reverse(n), w));
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut random = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n.max(1) as u64) as usize
    };
    let plain: Vec<String> = (0..50).map(|_| vocabulary[random(vocabulary.len().min(5000))].0.to_string()).collect();
    let texts: Vec<&str> = history
        .register()
        .provisions
        .iter()
        .filter_map(|p| {
            history.text_at(&p.id, &Cut { date: jiff::civil::date(2026, 1, 1), entry: None }).and_then(|t| t.text)
        })
        .collect();
    let phrases: Vec<String> = (0..25)
        .map(|_| {
            let text = texts[random(texts.len())];
            let words: Vec<&str> =
                inforce_core::search::words(inforce_core::text::body(text)).map(|(_, w)| w).collect();
            let at = random(words.len().saturating_sub(2));
            format!(
                "\"{} {}\"",
                words.get(at).copied().unwrap_or("code"),
                words.get(at + 1).copied().unwrap_or("civil")
            )
        })
        .collect();
    let prefixes: Vec<String> =
        plain.iter().take(25).map(|w| format!("{}*", w.chars().take(4).collect::<String>())).collect();
    let first = folder.versions.first().expect("versions").effective;
    let last = folder.versions.last().expect("versions").effective;
    let span = i64::from((last - first).get_days().max(1));

    let queries: Vec<String> = plain.iter().chain(&phrases).chain(&prefixes).cloned().collect();
    let mut times = Vec::new();
    for (n, text) in queries.iter().cycle().take(200).enumerate() {
        let query = parse(text).expect("query parses");
        // Half the queries are today's text, half at a random date.
        let scope = if n % 2 == 0 {
            Scope::At(Cut { date: jiff::civil::date(2026, 11, 28), entry: None })
        } else {
            let day = first.checked_add(jiff::Span::new().days(random(span as usize) as i64)).expect("date");
            Scope::At(Cut { date: day, entry: None })
        };
        let start = Instant::now();
        let hits = index.search(&history, &query, scope, None);
        // The first page's snippets are part of an answer.
        for hit in hits.iter().take(20) {
            for wording in &hit.wordings {
                std::hint::black_box(inforce_core::search::snippet(&wording.text, &wording.matches(), 240));
            }
        }
        times.push(start.elapsed());
    }
    report("200 queries (words, phrases, prefixes; today or a date)", &mut times);
    let mut all_versions = Vec::new();
    for text in plain.iter().take(50) {
        let query = parse(text).expect("parses");
        let start = Instant::now();
        std::hint::black_box(index.search(&history, &query, Scope::AllVersions, None));
        all_versions.push(start.elapsed());
    }
    report("50 plain words over every version", &mut all_versions);

    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    for word in plain.iter().take(20) {
        let query = parse(word).expect("parses");
        let start = Instant::now();
        std::hint::black_box(index.search(&history, &query, Scope::AllVersions, None));
        ours.push(start.elapsed());
        if let Some(took) = ripgrep(&folder_path, word) {
            theirs.push(took);
        }
    }
    if theirs.is_empty() {
        println!("ripgrep (rg) is not installed: no comparison");
        return;
    }
    let mean = |t: &[Duration]| t.iter().sum::<Duration>().as_secs_f64() / t.len() as f64;
    println!(
        "20 plain words over every version: inforce mean {:.3} ms, rg -l -i -w mean {:.1} ms: {:.0}x faster (goal >= 100x)",
        mean(&ours) * 1e3,
        mean(&theirs) * 1e3,
        mean(&theirs) / mean(&ours)
    );
}

fn ripgrep(folder: &Path, word: &str) -> Option<Duration> {
    let start = Instant::now();
    let output = std::process::Command::new("rg")
        .args(["-l", "-i", "-w", "-F", "--glob", "*.md", "--", word])
        .arg(folder)
        .output()
        .ok()?;
    std::hint::black_box(output.stdout.len());
    Some(start.elapsed())
}

fn report(label: &str, times: &mut [Duration]) {
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize].as_secs_f64() * 1e3;
    println!("{label:<58} p50 {:>7.3} ms  p99 {:>7.3} ms  (goals: p50 < 5 ms, p99 < 50 ms)", at(0.5), at(0.99));
}
