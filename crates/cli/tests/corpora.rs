//! The real versioned codes of ../shared/corpora through the binary: import (twice), check, and comparisons
//! that must name the same changed provisions as git. Skipped, with the reason printed, when ../shared is absent,
//! unless `INFORCE_REQUIRE_CORPORA=1` (set by CI), which makes the absence a failure.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::Sandbox;

/// Unpacks a corpus into the sandbox; `None` (after printing why) when the archive is not on this machine.
fn corpus(sandbox: &Sandbox, name: &str) -> Option<PathBuf> {
    let archive = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../../../shared/corpora/{name}.tar.xz"));
    if !archive.exists() {
        assert!(
            std::env::var("INFORCE_REQUIRE_CORPORA").is_err(),
            "{} is required here (INFORCE_REQUIRE_CORPORA) but absent",
            archive.display()
        );
        println!("skipped: {} is absent (../shared is not on this machine)", archive.display());
        return None;
    }
    let status = Command::new("tar").arg("-xJf").arg(&archive).arg("-C").arg(sandbox.dir.path()).status();
    assert!(status.is_ok_and(|s| s.success()), "cannot unpack {}", archive.display());
    Some(sandbox.dir.path().join(name))
}

fn versions(folder: &Path) -> Vec<String> {
    std::fs::read_to_string(folder.join("versions.tsv"))
        .expect("versions.tsv")
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next().map(str::to_string))
        .collect()
}

#[test]
fn both_corpora_import_once_and_agree_with_their_registers() {
    for name in ["fr-code-procedures-civiles-execution", "fr-code-civil"] {
        let sandbox = Sandbox::new();
        // One corpus missing does not skip the other.
        let Some(folder) = corpus(&sandbox, name) else { continue };
        let path = folder.to_str().expect("path");
        let first = sandbox.json(&["import", path, "--code", name]);
        assert_eq!(first["changed"], true);
        assert_eq!(first["new_versions"].as_array().map(Vec::len), Some(versions(&folder).len()));
        assert_eq!(
            sandbox.json(&["import", path, "--code", name])["changed"],
            false,
            "{name}: a second import is a no-op"
        );
        assert_eq!(sandbox.json(&["check", "--code", name])["discrepancies"], serde_json::json!([]));
        let ids = versions(&folder);
        let mut files: Vec<String> = std::fs::read_dir(folder.join(&ids[0]))
            .expect("first version")
            .filter_map(|e| e.ok()?.file_name().to_str()?.strip_suffix(".md").map(str::to_string))
            .collect();
        files.sort();
        let show = sandbox.json(&["show", &files[0], "--version", &ids[0], "--code", name]);
        assert_eq!(
            show["text"]["entry"]["id"],
            ids[0].as_str(),
            "{name}: {} has a text in the first version",
            files[0]
        );
        let written = std::fs::read_to_string(folder.join(&ids[0]).join(format!("{}.md", files[0]))).expect("file");
        assert_eq!(show["text"]["text"].as_str(), Some(written.as_str()), "{name}: the text reads back exactly");
    }
}

/// One commit per version, tagged with the version id.
fn git_history(folder: &Path, repo: &Path) {
    let git = |args: &[&str]| {
        let status = Command::new("git").arg("-C").arg(repo).args(args).status().expect("git");
        assert!(status.success(), "git {args:?}");
    };
    std::fs::create_dir_all(repo).expect("repo");
    git(&["init", "-q"]);
    git(&["config", "user.email", "test@example.org"]);
    git(&["config", "user.name", "test"]);
    for version in versions(folder) {
        for entry in std::fs::read_dir(repo).expect("list") {
            let path = entry.expect("entry").path();
            if path.file_name().is_some_and(|n| n != ".git") {
                std::fs::remove_file(&path).expect("remove");
            }
        }
        for entry in std::fs::read_dir(folder.join(&version)).expect("version") {
            let path = entry.expect("entry").path();
            std::fs::copy(&path, repo.join(path.file_name().expect("name"))).expect("copy");
        }
        git(&["add", "-A"]);
        git(&["commit", "-q", "--allow-empty", "-m", &version]);
        git(&["tag", &version]);
    }
}

#[test]
fn comparisons_name_the_same_changed_provisions_as_git() {
    let name = "fr-code-procedures-civiles-execution";
    let sandbox = Sandbox::new();
    let Some(folder) = corpus(&sandbox, name) else { return };
    sandbox.json(&["import", folder.to_str().expect("path"), "--code", name]);
    let repo = sandbox.path("git");
    git_history(&folder, &repo);
    let ids = versions(&folder);
    let mut pairs: Vec<(&str, &str)> = ids.windows(2).map(|w| (w[0].as_str(), w[1].as_str())).collect();
    pairs.push((&ids[0], &ids[ids.len() - 1]));
    for (a, b) in pairs {
        let diff = sandbox.json(&["diff", a, b, "--code", name]);
        // What differs between the two points, by how: git's A, D and M against added, removed and changed.
        let ours: BTreeSet<(String, String)> = diff["provisions"]
            .as_array()
            .expect("provisions")
            .iter()
            .filter(|p| p["change"] != "status_changed" && p["change"] != "in_between")
            .filter_map(|p| {
                let how = match p["change"].as_str()? {
                    "added" => "A",
                    "removed" => "D",
                    _ => "M",
                };
                Some((p["id"].as_str()?.to_uppercase(), how.to_string()))
            })
            .collect();
        let output = Command::new("git")
            .arg("-C")
            .arg(&repo)
            .args(["diff", "--no-renames", "--name-status", a, b])
            .output()
            .expect("git diff");
        let theirs: BTreeSet<(String, String)> = String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter_map(|l| l.split_once('\t'))
            .map(|(how, file)| (file.trim_end_matches(".md").to_uppercase(), how.to_string()))
            .collect();
        assert_eq!(ours, theirs, "{a}..{b}: inforce and git name different changed provisions");
        let count = |how: &str| theirs.iter().filter(|(_, h)| h == how).count();
        assert_eq!(
            (&diff["summary"]["added"], &diff["summary"]["removed"], &diff["summary"]["changed"]),
            (&serde_json::json!(count("A")), &serde_json::json!(count("D")), &serde_json::json!(count("M"))),
            "{a}..{b}: the summary counts what differs"
        );
    }
}

/// `rg -l -i -w` over the versioned folder: the (version, provision) pairs whose file holds the word.
fn rg_pairs(folder: &Path, word: &str) -> Option<BTreeSet<(String, String)>> {
    let output =
        Command::new("rg").args(["-l", "-i", "-w", "-F", "--glob", "*.md", "--", word]).arg(folder).output().ok()?;
    let text = String::from_utf8(output.stdout).expect("utf-8 paths");
    Some(
        text.lines()
            .filter_map(|line| {
                let path = Path::new(line);
                let provision = path.file_stem()?.to_str()?.to_uppercase();
                let version = path.parent()?.file_name()?.to_str()?.to_string();
                Some((version, provision))
            })
            .collect(),
    )
}

#[test]
fn plain_word_searches_find_exactly_what_ripgrep_finds() {
    let sandbox = Sandbox::new();
    let name = "fr-code-procedures-civiles-execution";
    let Some(folder) = corpus(&sandbox, name) else { return };
    if Command::new("rg").arg("--version").output().is_err() {
        assert!(std::env::var("INFORCE_REQUIRE_RG").is_err(), "ripgrep (rg) is required here but missing");
        println!("skipped: ripgrep (rg) is not installed (apt-get install ripgrep)");
        return;
    }
    sandbox.json(&["import", folder.to_str().expect("path"), "--code", name]);
    let order = versions(&folder);
    for word in ["paiement", "saisie", "créancier", "Exécution", "L", "1er", "huissier", "été", "immeuble"] {
        // Only the provision files of the versions (the folder also holds a README).
        let expected: BTreeSet<(String, String)> =
            rg_pairs(&folder, word).expect("rg runs").into_iter().filter(|(v, _)| order.contains(v)).collect();
        let mut found = BTreeSet::new();
        let mut page = 1;
        loop {
            let answer = sandbox.json(&[
                "search",
                word,
                "--all-versions",
                "--code",
                name,
                "--per-page",
                "100",
                "--page",
                &page.to_string(),
            ]);
            for result in answer["results"].as_array().expect("results") {
                let provision = result["provision"].as_str().expect("id").to_uppercase();
                for wording in result["wordings"].as_array().expect("wordings") {
                    for period in wording["periods"].as_array().expect("periods") {
                        let from = order.iter().position(|v| period["from"]["id"] == v.as_str()).expect("from");
                        let until = period["until"]["id"]
                            .as_str()
                            .map_or(order.len(), |u| order.iter().position(|v| v == u).expect("until"));
                        for version in &order[from..until] {
                            found.insert((version.clone(), provision.clone()));
                        }
                    }
                }
            }
            if page >= answer["pages"].as_u64().expect("pages") as usize {
                break;
            }
            page += 1;
        }
        assert!(!expected.is_empty(), "{word}: rg finds it somewhere");
        let missing: Vec<_> = expected.difference(&found).take(5).collect();
        let extra: Vec<_> = found.difference(&expected).take(5).collect();
        assert!(missing.is_empty() && extra.is_empty(), "{word}: missing {missing:?}, extra {extra:?}");
        // Searching one version finds that version's share of the pairs.
        let last = order.last().expect("versions");
        let at = sandbox.json(&["search", word, "--version", last, "--code", name, "--per-page", "1"]);
        let in_last = expected.iter().filter(|(v, _)| v == last).count();
        assert_eq!(at["total"].as_u64(), Some(in_last as u64), "{word} in {last}");
    }
}

/// The Code civil dates from 1804; the corpus begins with v001. Its first version is a baseline: before it,
/// statuses are unknown, and from it, article 1 is held by the earliest text recorded, never "added".
#[test]
fn a_folder_import_reads_its_first_version_as_a_baseline() {
    let sandbox = Sandbox::new();
    let Some(folder) = corpus(&sandbox, "fr-code-civil") else { return };
    let path = folder.to_str().expect("path");
    let _ = sandbox.json(&["import", path, "--code", "fr-civil"]);
    let before = sandbox.json(&["status", "1", "--at", "2010-01-01", "--code", "fr-civil"]);
    assert_eq!(before["provision"]["status"], "unknown", "{before}");
    assert_eq!(before["provision"]["existence"]["basis"], "before_record");
    let text = sandbox.stdout(&["status", "1", "--code", "fr-civil"]);
    assert!(text.contains("holds the earliest text recorded"), "{text}");
    assert!(!text.contains("added by version v001"), "{text}");
    let search = sandbox.stdout(&["search", "contrat", "--at", "2010-01-01", "--code", "fr-civil"]);
    assert!(search.starts_with("The register holds no text on 1 January 2010"), "{search}");
}

/// Issue 30 §7 and §8 on the Code civil. Its article 1240 of v001 was another article, replaced wholesale by v007
/// at the 2016 renumbering: blame credits none of the new article's words to v001 (it once credited four common
/// words and a full stop). And a comparison of the first and last versions counts as added and removed exactly
/// the provisions in one folder and not the other; one in neither but in a version between changed back.
#[test]
fn blame_and_comparisons_on_the_code_civil() {
    let name = "fr-code-civil";
    let sandbox = Sandbox::new();
    let Some(folder) = corpus(&sandbox, name) else { return };
    sandbox.json(&["import", folder.to_str().expect("path"), "--code", "fr-civil"]);
    let blame = sandbox.json(&["blame", "1240", "--code", "fr-civil"]);
    let paragraphs = blame["paragraphs"].as_array().expect("paragraphs");
    assert_eq!(paragraphs.len(), 2, "the heading and one paragraph: {blame}");
    let body: Vec<(&str, &str)> = paragraphs[1]
        .as_array()
        .expect("runs")
        .iter()
        .map(|r| (r["text"].as_str().expect("text"), r["entry"]["id"].as_str().expect("id")))
        .collect();
    assert!(body.iter().all(|(_, by)| *by == "v007"), "v007 brought the whole article: {body:?}");
    let text = sandbox.stdout(&["blame", "1240", "--code", "fr-civil"]);
    assert!(!text.lines().skip_while(|l| !l.contains("v007")).any(|l| l.starts_with("v001")), "{text}");

    let ids = versions(&folder);
    let files = |version: &str| -> BTreeSet<String> {
        std::fs::read_dir(folder.join(version))
            .expect("version")
            .filter_map(|e| e.ok()?.file_name().to_str()?.strip_suffix(".md").map(str::to_uppercase))
            .collect()
    };
    let (first, last) = (files(&ids[0]), files(&ids[ids.len() - 1]));
    let between: BTreeSet<String> = ids[1..ids.len() - 1].iter().flat_map(|v| files(v)).collect();
    let diff = sandbox.json(&["diff", &ids[0], &ids[ids.len() - 1], "--code", "fr-civil"]);
    let with = |change: &str| -> BTreeSet<String> {
        diff["provisions"]
            .as_array()
            .expect("provisions")
            .iter()
            .filter(|p| p["change"] == change)
            .filter_map(|p| p["id"].as_str().map(str::to_uppercase))
            .collect()
    };
    assert_eq!(with("added"), &last - &first);
    assert_eq!(with("removed"), &first - &last);
    let came_and_went: BTreeSet<String> =
        between.iter().filter(|id| !first.contains(*id) && !last.contains(*id)).cloned().collect();
    assert!(!came_and_went.is_empty(), "the Code civil has provisions added and taken out between its ends");
    assert!(with("in_between").is_superset(&came_and_went), "each of {came_and_went:?} changed back");
    assert_eq!(diff["summary"]["added"], with("added").len());
    assert_eq!(diff["summary"]["in_between"], with("in_between").len());
}
