//! The real versioned codes of ../shared/corpora through the binary: import (twice), check, and comparisons
//! that must name the same changed provisions as git. Skipped, with the reason printed, when ../shared is absent.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::Sandbox;

/// Unpacks a corpus into the sandbox; `None` (after printing why) when the archive is not on this machine.
fn corpus(sandbox: &Sandbox, name: &str) -> Option<PathBuf> {
    let archive = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../../../shared/corpora/{name}.tar.xz"));
    if !archive.exists() {
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
        let Some(folder) = corpus(&sandbox, name) else { return };
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
        let ours = sandbox.json(&["diff", a, b, "--code", name]);
        let ours: BTreeSet<String> = ours["provisions"]
            .as_array()
            .expect("provisions")
            .iter()
            .filter(|p| p["change"] != "status_changed")
            .filter_map(|p| p["id"].as_str().map(str::to_uppercase))
            .collect();
        let output = Command::new("git")
            .arg("-C")
            .arg(&repo)
            .args(["diff", "--no-renames", "--name-only", a, b])
            .output()
            .expect("git diff");
        let theirs: BTreeSet<String> =
            String::from_utf8_lossy(&output.stdout).lines().map(|l| l.trim_end_matches(".md").to_uppercase()).collect();
        assert_eq!(ours, theirs, "{a}..{b}: inforce and git name different changed provisions");
    }
}
