//! Texts through the real binary: folder imports, single versions, show, diff, blame, history, export, check;
//! bad folders; a killed import; and the built-in register, which has no texts yet.

mod common;

use std::path::Path;
use std::process::Stdio;

use common::{Sandbox, changed_back_folder, small_code, small_folder, stderr, wait_for, write};
use serde_json::Value;

fn import(sandbox: &Sandbox, dir: &Path) -> Value {
    sandbox.json(&["import", dir.to_str().expect("path"), "--code", "small", "--title", "Small code"])
}

/// Grows the small code's folder by a version v3 that changes article 1.
fn add_a_third_version(root: &Path) {
    let v3 = [
        ("1", "# Article 1\n\nLe paiement fait de mauvaise foi est nul.\n\nAjout.\n"),
        ("3", "# Article 3\n\nTrois.\n"),
    ];
    small_folder().version("v3", "2018-01-01", &v3).write(root);
}

#[test]
fn a_folder_imports_once_and_grows_by_its_new_versions() {
    let sandbox = Sandbox::new();
    let root = small_code(&sandbox);
    let first = import(&sandbox, &root);
    assert_eq!(first["changed"], true);
    assert_eq!(first["new_versions"], serde_json::json!(["v1", "v2"]));
    assert_eq!(first["new_provisions"], 3);
    let again = import(&sandbox, &root);
    assert_eq!(again["changed"], false, "the same folder twice writes nothing");
    assert_eq!(again["records"], 0);

    add_a_third_version(&root);
    let grown = import(&sandbox, &root);
    assert_eq!(grown["new_versions"], serde_json::json!(["v3"]));
    assert_eq!(grown["records"], 2, "the new version and one changed text");

    let versions = sandbox.json(&["versions", "--code", "small"]);
    let v2 = &versions["versions"][1];
    assert_eq!(v2["added"]["provisions"], serde_json::json!(["3"]));
    assert_eq!(v2["amended"]["provisions"], serde_json::json!(["1"]));
    assert_eq!(v2["removed"]["provisions"], serde_json::json!(["2"]));
    let status = sandbox.json(&["status", "2", "--at", "2017-06-01", "--code", "small"]);
    assert_eq!(status["provision"]["status"], "removed");
    let check = sandbox.json(&["check", "--code", "small"]);
    assert_eq!(check["discrepancies"], serde_json::json!([]));
}

#[test]
fn show_diff_blame_and_history() {
    let sandbox = Sandbox::new();
    let root = small_code(&sandbox);
    import(&sandbox, &root);

    let show = sandbox.json(&["show", "1", "--at", "2016-06-01", "--code", "small"]);
    assert_eq!(show["text"]["entry"]["id"], "v1");
    assert_eq!(show["text"]["text"], "# Article 1\n\nLe paiement fait de bonne foi est valable.\n");
    let text = sandbox.stdout(&["show", "1", "--version", "v2", "--code", "small"]);
    assert!(text.contains("Le paiement fait de mauvaise foi est valable."), "{text}");
    let removed = sandbox.json(&["show", "2", "--version", "v2", "--code", "small"]);
    assert_eq!(removed["text"]["removed"], true);

    let diff = sandbox.json(&["diff", "v1", "2017-06-01", "--code", "small"]);
    assert_eq!(
        diff["summary"],
        serde_json::json!({
            "added": 1, "removed": 1, "changed": 1, "status_changed": 0, "in_between": 0,
            "known_from_text": 3, "known_from_register": 0
        })
    );
    let changed = diff["provisions"].as_array().expect("list").iter().find(|p| p["id"] == "1").expect("article 1");
    assert_eq!(changed["responsible"][0]["id"], "v2");
    // The edit operations rebuild B from A exactly.
    let old = show["text"]["text"].as_str().expect("old text");
    let mut rest = old.to_string();
    let mut rebuilt = String::new();
    for edit in changed["edits"].as_array().expect("edits") {
        let text = edit["text"].as_str().expect("text");
        match edit["op"].as_str() {
            Some("equal") => {
                rest = rest.strip_prefix(text).expect("equal run matches A").to_string();
                rebuilt.push_str(text);
            }
            Some("delete") => rest = rest.strip_prefix(text).expect("deleted run matches A").to_string(),
            _ => rebuilt.push_str(text),
        }
    }
    assert_eq!(rest, "");
    assert_eq!(rebuilt, "# Article 1\n\nLe paiement fait de mauvaise foi est valable.\n\nAjout.\n");
    let redline = sandbox.stdout(&["diff", "v1", "v2", "--provision", "1", "--code", "small"]);
    assert!(redline.contains("[-bonne-]{+mauvaise+}"), "{redline}");
    let html = sandbox.stdout(&["diff", "v1", "v2", "--code", "small", "--format", "html"]);
    assert!(html.contains("<del>bonne</del><ins>mauvaise</ins>"), "{html}");
    assert!(html.contains("href=\"#p-1\""), "a contents list links to each changed provision");

    let blame = sandbox.json(&["blame", "1", "--code", "small"]);
    let runs: Vec<(String, String)> = blame["paragraphs"][1]
        .as_array()
        .expect("paragraph")
        .iter()
        .map(|r| (r["text"].as_str().expect("text").to_string(), r["entry"]["id"].as_str().expect("id").to_string()))
        .collect();
    assert_eq!(runs[1], ("mauvaise ".to_string(), "v2".to_string()));
    assert_eq!(blame["paragraphs"][2][0]["entry"]["id"], "v2");

    let history = sandbox.json(&["history", "1", "--code", "small"]);
    let wording = history["text_events"].as_array().expect("events");
    assert_eq!(wording.len(), 2);
    assert_eq!(wording[1]["words_added"], 2);
    assert_eq!(wording[1]["words_removed"], 1);
}

/// Issue 30 §7: `diff A B` counts what differs between A and B; what changed and changed back in between is
/// `in_between`, with its kinds and without edits, counted apart, on every face of the command.
#[test]
fn a_comparison_counts_what_differs_and_apart_what_changed_back() {
    let sandbox = Sandbox::new();
    import(&sandbox, &changed_back_folder().write(&sandbox.path("code")));
    let diff = sandbox.json(&["diff", "v1", "v3", "--code", "small"]);
    assert_eq!(
        diff["summary"],
        serde_json::json!({
            "added": 0, "removed": 0, "changed": 0, "status_changed": 0, "in_between": 3,
            "known_from_text": 3, "known_from_register": 0
        })
    );
    let rows: Vec<(&str, &str, Vec<&str>, usize)> = diff["provisions"]
        .as_array()
        .expect("provisions")
        .iter()
        .map(|p| {
            let kinds = p["kinds"].as_array().expect("kinds").iter().filter_map(Value::as_str).collect();
            let edits = p["edits"].as_array().map_or(0, Vec::len);
            (p["id"].as_str().expect("id"), p["change"].as_str().expect("change"), kinds, edits)
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("1", "in_between", vec!["amended"], 0),
            ("3", "in_between", vec!["added", "removed"], 0),
            ("2", "in_between", vec!["added", "removed"], 0),
        ]
    );
    let backwards = sandbox.json(&["diff", "v3", "v1", "--code", "small"]);
    assert_eq!(backwards["summary"], diff["summary"], "the same asked backwards");
    let text = sandbox.stdout(&["diff", "v1", "v3", "--code", "small"]);
    assert!(
        text.contains(
            "Summary: 0 added, 0 removed, 0 changed, 0 with only a new status; 1 with a new status in all; \
             3 changed in between and back\n"
        ),
        "{text}"
    );
    assert!(text.contains("  changed back    2 "), "{text}");
    assert!(text.contains("added, removed in between, the same at both points (the wording was compared)"), "{text}");
    assert!(!text.contains("==="), "no redline where nothing differs: {text}");
    let html = sandbox.stdout(&["diff", "v1", "v3", "--code", "small", "--format", "html"]);
    assert!(html.contains("<td>changed back</td>"), "{html}");
    assert!(html.contains("3 changed in between and back"), "the page counts as the terminal does: {html}");
    // Between v1 and v2 they differ, and are counted as such.
    let differs = sandbox.json(&["diff", "v1", "v2", "--code", "small"]);
    assert_eq!(
        (&differs["summary"]["added"], &differs["summary"]["removed"], &differs["summary"]["changed"]),
        (&serde_json::json!(1), &serde_json::json!(1), &serde_json::json!(1))
    );
    assert_eq!(differs["summary"]["in_between"], 0);
}

#[test]
fn one_version_from_its_changes_and_removals() {
    let sandbox = Sandbox::new();
    let root = small_code(&sandbox);
    import(&sandbox, &root);
    let delta = sandbox.path("delta");
    write(&delta, "4.md", "# Article 4\n\nQuatre.\n");
    write(&delta, "removed.txt", "# taken out by v3\n3\n");
    let args = [
        "import-version",
        delta.to_str().expect("path"),
        "--code",
        "small",
        "--version",
        "v3",
        "--effective",
        "2019-01-01",
    ];
    let result = sandbox.json(&args);
    assert_eq!(result["new_versions"], serde_json::json!(["v3"]));
    let at = sandbox.json(&["at", "2019-06-01", "--code", "small"]);
    let statuses: Vec<(String, String)> = at["provisions"]
        .as_array()
        .expect("list")
        .iter()
        .map(|p| (p["id"].as_str().expect("id").to_string(), p["status"].as_str().expect("status").to_string()))
        .collect();
    assert!(statuses.contains(&("1".into(), "in_force".into())), "the rest carries over: {statuses:?}");
    assert!(statuses.contains(&("3".into(), "removed".into())));
    assert!(statuses.contains(&("4".into(), "in_force".into())));
    assert_eq!(sandbox.json(&args)["changed"], false, "running it again changes nothing");
    let bad = sandbox.run(&[
        "import-version",
        delta.to_str().expect("path"),
        "--code",
        "small",
        "--version",
        "v4",
        "--effective",
        "2020-01-01",
        "--remove",
        "9",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("cannot remove '9': it has no text on 2020-01-01"), "{}", stderr(&bad));
}

#[test]
fn bad_folders_are_refused_with_the_file_named_and_nothing_stored() {
    let sandbox = Sandbox::new();
    let root = small_code(&sandbox);
    std::fs::write(root.join("v2/bad.md"), [0x23, 0x20, 0xff]).expect("write");
    write(&root, "v2/empty.md", "");
    write(&root, "v1/noheading.md", "Just text.\n");
    let output = sandbox.run(&["import", root.to_str().expect("path"), "--code", "small"]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("refused, nothing was stored (3 problems)"), "{message}");
    assert!(message.contains("v2/bad.md:1: not UTF-8 text"), "{message}");
    assert!(message.contains("v2/empty.md: empty file"), "{message}");
    assert!(message.contains("v1/noheading.md:1: the first line must be the provision's heading"), "{message}");
    assert_eq!(sandbox.run(&["versions", "--code", "small"]).status.code(), Some(1), "nothing was stored");
    let missing = sandbox.run(&["import", "/nonexistent/folder", "--code", "small"]);
    assert_eq!(missing.status.code(), Some(1));
    let no_code = sandbox.run(&["import", root.to_str().expect("path")]);
    assert_eq!(no_code.status.code(), Some(2));
    assert!(stderr(&no_code).contains("give --code"));
}

#[test]
fn a_text_import_killed_half_way_leaves_exactly_the_previous_state() {
    let sandbox = Sandbox::new();
    let root = small_code(&sandbox);
    import(&sandbox, &root);
    let before = sandbox.stdout(&["diff", "v1", "v2", "--code", "small", "--format", "json"]);
    let v3: Vec<(String, String)> =
        (0..40).map(|i| (i.to_string(), format!("# Article {i}\n\nTexte {i}.\n"))).collect();
    small_folder().version("v3", "2018-01-01", &v3).write(&root);
    let marker = sandbox.path("paused");
    let mut child = sandbox
        .command(&["import", root.to_str().expect("path"), "--code", "small"])
        .env("INFORCE_CRASH_TEST_MARKER", &marker)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    wait_for(&marker, &mut child);
    child.kill().expect("SIGKILL");
    child.wait().expect("reap");
    assert_eq!(sandbox.stdout(&["diff", "v1", "v2", "--code", "small", "--format", "json"]), before);
    let versions = sandbox.json(&["versions", "--code", "small"]);
    assert_eq!(versions["versions"].as_array().map(Vec::len), Some(2), "v3 left no trace");
    assert_eq!(import(&sandbox, &root)["new_versions"], serde_json::json!(["v3"]));
}

#[test]
fn export_writes_the_code_as_it_stood_with_statuses() {
    let sandbox = Sandbox::new();
    let root = small_code(&sandbox);
    import(&sandbox, &root);
    let out = sandbox.path("export");
    let result = sandbox.run(&[
        "export",
        out.to_str().expect("path"),
        "--at",
        "2017-06-01",
        "--format",
        "markdown",
        "--code",
        "small",
    ]);
    assert!(result.status.success(), "{}", stderr(&result));
    let index = std::fs::read_to_string(out.join("index.md")).expect("index");
    assert!(index.contains("| 2 | Article 2 | removed |"), "{index}");
    assert!(index.contains("[1](provisions/1.md)"), "{index}");
    let text = std::fs::read_to_string(out.join("provisions/1.md")).expect("text");
    assert_eq!(text, "# Article 1\n\nLe paiement fait de mauvaise foi est valable.\n\nAjout.\n");
    let again = sandbox.run(&["export", out.to_str().expect("path"), "--format", "markdown", "--code", "small"]);
    assert_eq!(again.status.code(), Some(2), "an export never overwrites a folder");
}

#[test]
fn the_builtin_register_says_plainly_that_it_has_no_texts() {
    let sandbox = Sandbox::new();
    let show = sandbox.stdout(&["show", "H15", "--at", "2015-02-01"]);
    assert!(show.contains("): in force\n"), "{show}");
    assert!(show.contains("No text is recorded in the sec register yet"), "{show}");
    let diff = sandbox.json(&["diff", "4.0", "4.1"]);
    assert!(diff["note"].as_str().expect("note").contains("No text is recorded"));
    // No wording to compare, yet the comparison says what the register lists: 4.1 amended A, E and H15, switched
    // H15 on and added Appendix G.
    let found: Vec<(String, Vec<String>, String)> = diff["provisions"]
        .as_array()
        .expect("list")
        .iter()
        .map(|p| {
            let kinds = p["kinds"].as_array().expect("kinds").iter().map(|k| k.as_str().expect("kind").to_string());
            (
                p["id"].as_str().expect("id").to_string(),
                kinds.collect(),
                p["known_from"].as_str().expect("from").to_string(),
            )
        })
        .collect();
    let expected = [
        ("A", vec!["amended"]),
        ("E", vec!["amended"]),
        ("H15", vec!["amended", "activated"]),
        ("APP-G", vec!["added"]),
    ];
    let expected: Vec<(String, Vec<String>, String)> = expected
        .iter()
        .map(|(id, kinds)| (id.to_string(), kinds.iter().map(ToString::to_string).collect(), "register".to_string()))
        .collect();
    assert_eq!(found, expected);
    assert_eq!(diff["summary"]["known_from_register"], 4);
    assert_eq!(diff["entries_between"][0]["id"], "4.1");
    let blame = sandbox.stdout(&["blame", "H15"]);
    assert!(blame.contains("No text is recorded"), "{blame}");
    let check = sandbox.stdout(&["check"]);
    assert!(check.contains("No texts to check against the register"), "{check}");
    assert!(check.starts_with("sec: 1 publication verified against the log"), "{check}");
    let history = sandbox.stdout(&["history", "H15"]);
    assert!(history.contains("No text is recorded for this code yet"), "{history}");
}

#[test]
fn the_search_index_is_kept_beside_the_database_grown_by_imports_and_rebuilt_when_damaged() {
    let sandbox = Sandbox::new();
    let root = small_code(&sandbox);
    import(&sandbox, &root);
    let kept = sandbox.path("inforce.db.search-small");
    assert!(kept.is_file(), "the import leaves the index beside the database");
    let total = |query: &str| sandbox.json(&["search", query, "--all-versions", "--code", "small"])["total"].clone();
    assert_eq!(total("mauvaise"), 1);
    // A version added from its changes: the kept index grows by its new wording, found at once.
    let delta = sandbox.path("delta");
    write(&delta, "1.md", "# Article 1\n\nLe paiement fait par erreur est sujet à répétition.\n");
    let args = [
        "import-version",
        delta.to_str().expect("path"),
        "--code",
        "small",
        "--version",
        "v3",
        "--effective",
        "2019-01-01",
    ];
    sandbox.json(&args);
    assert_eq!(total("répétition"), 1);
    let at_v2 = sandbox.json(&["search", "répétition", "--version", "v2", "--code", "small"]);
    assert_eq!(at_v2["total"], 0, "not in force at v2");
    // A damaged index is rebuilt, not trusted; a missing one too.
    std::fs::write(&kept, b"not an index").expect("damage");
    let output = sandbox.run(&["search", "répétition", "--all-versions", "--code", "small", "--format", "json"]);
    assert!(output.status.success());
    assert!(stderr(&output).contains("rebuilt the search index"), "{}", stderr(&output));
    let answer: Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(answer["total"], 1);
    assert_ne!(std::fs::read(&kept).expect("kept"), b"not an index", "the rebuilt index is saved over the damage");
    let again = sandbox.run(&["search", "répétition", "--all-versions", "--code", "small"]);
    assert!(!stderr(&again).contains("rebuilt"), "and read back next time: {}", stderr(&again));
    std::fs::remove_file(&kept).expect("remove");
    assert_eq!(total("paiement"), 1);
    assert!(kept.is_file(), "the next search keeps a new one");
    let reindexed = sandbox.json(&["reindex", "--code", "small"]);
    assert_eq!(reindexed["wordings"], 5, "every wording of every provision: 1 (three), 2, 3");
}

#[test]
fn the_loaded_register_is_kept_beside_the_database_and_never_answers_for_a_later_publication() {
    let sandbox = Sandbox::new();
    let root = small_code(&sandbox);
    import(&sandbox, &root);
    let kept = sandbox.path("inforce.db.register-small");
    let diff = |sandbox: &Sandbox| sandbox.json(&["diff", "v1", "v2", "--code", "small"]);

    // The first answer reads the ledger and keeps it; the next ones read the kept copy and say the same.
    let from_ledger = diff(&sandbox);
    assert!(kept.is_file(), "the loaded register is kept at {}", kept.display());
    let modified = std::fs::metadata(&kept).and_then(|m| m.modified()).expect("kept file time");
    assert_eq!(diff(&sandbox), from_ledger);
    assert_eq!(std::fs::metadata(&kept).and_then(|m| m.modified()).expect("kept file time"), modified);
    let versions = sandbox.json(&["versions", "--code", "small"]);
    assert_eq!(versions["versions"].as_array().map(Vec::len), Some(2));

    // A new publication makes the kept copy stale: the answer comes from the ledger and is kept again.
    add_a_third_version(&root);
    import(&sandbox, &root);
    let show = sandbox.json(&["show", "1", "--version", "v3", "--code", "small"]);
    assert_eq!(show["text"]["entry"]["id"], "v3");
    let grown = sandbox.json(&["diff", "v2", "v3", "--code", "small"]);
    assert_eq!(grown["summary"]["changed"], 1);

    // A damaged kept copy, or one of another database, is never used: the ledger answers and is kept again.
    let bytes = std::fs::read(&kept).expect("kept file");
    let mut damaged = bytes.clone();
    let middle = damaged.len() / 2;
    damaged[middle] ^= 0x55;
    std::fs::write(&kept, &damaged).expect("damage");
    assert_eq!(sandbox.json(&["diff", "v2", "v3", "--code", "small"]), grown);
    assert_eq!(std::fs::read(&kept).expect("kept file"), bytes, "kept again whole");
    std::fs::write(&kept, &bytes[..bytes.len() / 3]).expect("cut short");
    assert_eq!(sandbox.json(&["diff", "v2", "v3", "--code", "small"]), grown);

    let other = Sandbox::new();
    import(&other, &small_code(&other));
    std::fs::copy(&kept, other.path("inforce.db.register-small")).expect("copy the kept file across");
    let there = other.json(&["versions", "--code", "small"]);
    assert_eq!(there["versions"].as_array().map(Vec::len), Some(2), "the other database's own register answers");

    // `check` reads the ledger itself, whatever is kept.
    assert_eq!(sandbox.json(&["check", "--code", "small"])["discrepancies"], serde_json::json!([]));
}

#[test]
fn a_correction_withdraws_a_wording_and_as_recorded_still_answers_with_it() {
    let sandbox = Sandbox::new();
    let root = small_code(&sandbox);
    let folder = root.to_str().expect("path");
    let first = sandbox.run_at("2026-11-01T09:00:00Z", &["import", folder, "--code", "small"]);
    assert!(first.status.success(), "{}", stderr(&first));
    // v2's text of article 1 is corrected two days later: "mauvaise" was a transcription error.
    write(&root, "v2/1.md", "# Article 1\n\nLe paiement fait de piètre foi est valable.\n\nAjout.\n");
    // Imported as it is, the folder is refused: it would replace v2's recorded text. A correction says why.
    let refused = sandbox.run_at("2026-11-03T09:00:00Z", &["import", folder, "--code", "small"]);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    let corrected = sandbox.run_at(
        "2026-11-03T09:00:00Z",
        &["import", folder, "--code", "small", "--replace", "--reason", "a transcription error", "--format", "json"],
    );
    assert!(corrected.status.success(), "{}", stderr(&corrected));
    let json = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--code", "small", "--format", "json"]);
        let output = sandbox.run(&all);
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        serde_json::from_slice::<Value>(&output.stdout).expect("json")
    };
    let text = |extra: &[&str]| {
        let mut args = vec!["show", "1", "--version", "v2"];
        args.extend(extra);
        json(&args)["text"]["text"].as_str().expect("a text").to_string()
    };
    assert!(text(&[]).contains("piètre"), "the register as it stands has the correction");
    let before = text(&["--as-recorded", "2026-11-02"]);
    assert!(before.contains("mauvaise") && !before.contains("piètre"), "as recorded before it: {before}");
    let total = |query: &str, extra: &[&str]| {
        let mut args = vec!["search", query, "--all-versions"];
        args.extend(extra);
        json(&args)["total"].clone()
    };
    assert_eq!(total("mauvaise", &[]), 0, "the withdrawn wording is not found");
    assert_eq!(total("piètre", &[]), 1);
    assert_eq!(total("mauvaise", &["--as-recorded", "2026-11-02"]), 1, "but it was there as recorded then");
    assert_eq!(total("piètre", &["--as-recorded", "2026-11-02"]), 0);
    // A question as recorded must not leave its answer behind for the register as it stands.
    assert_eq!(total("mauvaise", &[]), 0);
}

#[test]
fn a_kept_register_answers_only_for_the_very_publication_it_was_kept_from() {
    // Each other database holds publication 2 of `small` too, differing from the first only in its record count
    // or only in its record time: the first's kept copy, put beside it, must not answer for it.
    let first = Sandbox::new();
    let folder = small_code(&first);
    let run = |sandbox: &Sandbox, now: &str, args: &[&str]| {
        let output = sandbox.run_at(now, args);
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        String::from_utf8(output.stdout).expect("UTF-8")
    };
    run(&first, "2026-11-01T09:00:00Z", &["import", folder.to_str().expect("path"), "--code", "small"]);
    run(&first, "2026-11-01T09:00:00Z", &["versions", "--code", "small"]);
    let kept = first.path("inforce.db.register-small");
    assert!(kept.is_file());

    let more_records = Sandbox::new();
    let grown = small_code(&more_records);
    add_a_third_version(&grown);
    run(&more_records, "2026-11-01T09:00:00Z", &["import", grown.to_str().expect("path"), "--code", "small"]);
    std::fs::copy(&kept, more_records.path("inforce.db.register-small")).expect("copy the kept file");
    let versions: Value = serde_json::from_str(&run(
        &more_records,
        "2026-11-01T10:00:00Z",
        &["versions", "--code", "small", "--format", "json"],
    ))
    .expect("json");
    assert_eq!(versions["versions"].as_array().map(Vec::len), Some(3), "its own three versions, not the kept two");

    let later = Sandbox::new();
    let other_text = small_code(&later);
    write(&other_text, "v2/1.md", "# Article 1\n\nLe paiement fait de piètre foi est valable.\n\nAjout.\n");
    run(&later, "2026-11-02T09:00:00Z", &["import", other_text.to_str().expect("path"), "--code", "small"]);
    std::fs::copy(&kept, later.path("inforce.db.register-small")).expect("copy the kept file");
    let show: Value = serde_json::from_str(&run(
        &later,
        "2026-11-02T10:00:00Z",
        &["show", "1", "--version", "v2", "--code", "small", "--format", "json"],
    ))
    .expect("json");
    let text = show["text"]["text"].as_str().expect("text");
    assert!(text.contains("piètre"), "its own text, not the kept one: {text}");
}

/// A text import never rewrites status history: H15's first text, recorded by a later version, leaves every
/// status it had; a part new to the register under it is unknown before that version; the version carries what
/// a register file would give it.
#[test]
fn a_first_text_records_a_wording_and_rewrites_no_status() {
    let sandbox = Sandbox::new();
    let before = sandbox.json(&["status", "H15", "--at", "2015-02-01"]);
    assert_eq!(before["provision"]["status"], "in_force");
    let delta = sandbox.path("h15");
    write(&delta, "H15.md", "# H15 DCC Gateway Connections\n\nThe DCC shall provide connections.\n");
    write(&delta, "H15.1.md", "# H15.1\n\nA first clause.\n");
    let result = sandbox.json(&[
        "import-version",
        delta.to_str().expect("path"),
        "--code",
        "sec",
        "--version",
        "64.0",
        "--effective",
        "2027-06-01",
        "--instrument",
        "modification",
        "--made",
        "2027-02",
        "--summary",
        "The June 2027 SEC Release.",
        "--source",
        "https://example.org/release",
    ]);
    assert_eq!(result["new_versions"], serde_json::json!(["64.0"]));
    for (at, status) in [("2015-02-01", "in_force"), ("2015-01-20", "inactive"), ("today", "in_force")] {
        let answer = sandbox.json(&["status", "H15", "--at", at]);
        assert_eq!(answer["provision"]["status"], status, "H15 on {at}: {answer}");
    }
    let part = |at: &str| sandbox.json(&["status", "H15.1", "--at", at])["provision"]["status"].clone();
    assert_eq!(part("2027-05-31"), "unknown", "first recorded by 64.0, not proven added then");
    assert_eq!(part("2027-06-01"), "in_force");
    let check = sandbox.json(&["check"]);
    assert_eq!(check["codes"][0]["discrepancies"], serde_json::json!([]), "{check}");
    let version = sandbox.json(&["versions"]);
    let v64 = version["versions"].as_array().expect("list").iter().find(|v| v["id"] == "64.0").expect("64.0").clone();
    assert_eq!(v64["instrument"], "modification");
    assert_eq!(v64["made"], "2027-02");
    assert_eq!(v64["summary"], "The June 2027 SEC Release.");
    let history = sandbox.stdout(&["history", "H15"]);
    assert!(history.contains("64.0"), "its wording's first record is in its history: {history}");
}

/// The provisions a comparison names.
fn compared(answer: &Value) -> Vec<String> {
    let list = answer["provisions"].as_array().expect("provisions");
    list.iter().map(|p| p["id"].as_str().expect("id").to_string()).collect()
}

/// How many provisions a search finds.
fn found(sandbox: &Sandbox, args: &[&str]) -> u64 {
    let mut all = vec!["search"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--code", "small"]);
    sandbox.json(&all)["total"].as_u64().expect("total")
}

#[test]
fn a_provision_re_saved_with_decomposed_accents_is_the_same_wording() {
    let sandbox = Sandbox::new();
    let root = common::resaved_code(&sandbox);
    import(&sandbox, &root);
    // Only article 2 changed in v2, however the differences are asked for.
    assert_eq!(compared(&sandbox.json(&["diff", "v1", "v2", "--code", "small"])), ["2"]);
    let ignoring = sandbox.json(&["diff", "v1", "v2", "--ignore-formatting", "--code", "small"]);
    assert_eq!(compared(&ignoring), ["2"]);
    let history = sandbox.json(&["history", "1", "--code", "small"]);
    assert_eq!(history["text_events"].as_array().map(Vec::len), Some(1), "recorded once: {history}");
    // The text is kept composed, and found by any spelling of the word, in any case.
    let show = sandbox.json(&["show", "1", "--version", "v2", "--code", "small"]);
    assert_eq!(show["text"]["text"], common::CREANCE);
    assert_eq!(show["text"]["entry"]["id"], "v1");
    for query in ["créance", "cre\u{301}ance", "CRÉANCE", "CRE\u{301}ANCE", "\"décision exécutoire\""] {
        assert_eq!(found(&sandbox, &[query, "--version", "v2"]), 1, "{query}");
    }
    let check = sandbox.stdout(&["check", "--code", "small"]);
    assert!(check.contains("no discrepancy"), "{check}");
}

/// A database written by a build that did not compose texts: v2 gave article 1 its decomposed bytes, and the
/// import of the day listed article 1 as amended.
fn decomposed_by_an_earlier_build(sandbox: &Sandbox) {
    use inforce_core::import::{TextImport, VersionTexts, merge_versions};
    use inforce_core::text::{TextHash, Texts};
    use std::collections::HashMap;
    use std::sync::Arc;

    let code = inforce_core::CodeId::parse("small").expect("code");
    let id = |p: &str| inforce_core::ProvisionId::parse(p).expect("id");
    let mut bodies: HashMap<TextHash, Arc<str>> = HashMap::new();
    let mut hash = |text: &str| {
        let hash = TextHash::of(text);
        bodies.insert(hash, Arc::from(text));
        hash
    };
    let version = |v: &str, day: &str, texts: Vec<(inforce_core::ProvisionId, TextHash)>| VersionTexts {
        id: inforce_core::EntryId::parse(v).expect("id"),
        effective: day.parse().expect("day"),
        label: v.to_string(),
        texts,
    };
    let versions = vec![
        version("v1", "2016-01-01", vec![(id("1"), hash(common::CREANCE)), (id("2"), hash("# Article 2\n\nDeux.\n"))]),
        version(
            "v2",
            "2017-01-01",
            vec![
                (id("1"), hash(&common::decomposed(common::CREANCE))),
                (id("2"), hash("# Article 2\n\nDeux et demi.\n")),
            ],
        ),
    ];
    let headings = HashMap::from([(id("1"), "Article 1".to_string()), (id("2"), "Article 2".to_string())]);
    let import = TextImport {
        versions: &versions,
        order: &[id("1"), id("2")],
        headings: &headings,
        placements: inforce_core::import::no_placements(),
    };
    let merged = merge_versions(&code, None, &Texts::default(), import).expect("merge");
    let v2 = merged.register.entries.iter().find(|e| e.id.as_str() == "v2").expect("v2");
    assert_eq!(v2.amended.listed.len(), 2, "as the earlier build listed them");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let options = inforce_store_sqlite::OpenOptions::default();
        let store = inforce_store_sqlite::SqliteStore::open(&sandbox.db(), options).await.expect("open");
        let what = inforce_store::Publishing {
            register: &merged.register,
            texts: Some((&merged.assignments, &bodies)),
            base: inforce_store::Base::Current,
        };
        inforce_store::publish(
            &store,
            what,
            &inforce_store::Provenance::anonymous("import", "2020-01-01T00:00:00Z".parse().expect("time")),
        )
        .await
        .expect("publish");
    });
}

#[test]
fn texts_stored_decomposed_by_an_earlier_build_keep_their_bytes_and_compare_composed() {
    let sandbox = Sandbox::new();
    decomposed_by_an_earlier_build(&sandbox);
    // History is never rewritten: the stored bytes are what the text is.
    let show = sandbox.json(&["show", "1", "--version", "v2", "--code", "small"]);
    assert_eq!(show["text"]["text"], common::decomposed(common::CREANCE));
    assert_eq!(show["text"]["entry"]["id"], "v2");
    // Compared, the two forms are one wording: no edit, and what is left is the register's word for it.
    let diff = sandbox.json(&["diff", "v1", "v2", "--provision", "1", "--code", "small"]);
    let one = &diff["provisions"][0];
    assert_eq!(
        (one["known_from"].as_str(), one["edits"].as_array().map(Vec::len)),
        (Some("register"), Some(0)),
        "{one}"
    );
    let history = sandbox.json(&["history", "1", "--code", "small"]);
    assert_eq!(history["text_events"].as_array().map(Vec::len), Some(1), "{history}");
    let blame = sandbox.json(&["blame", "1", "--version", "v2", "--code", "small"]);
    for run in blame["paragraphs"].as_array().expect("paragraphs").iter().flat_map(|p| p.as_array().expect("runs")) {
        assert_eq!(run["entry"]["id"], "v1", "v2 wrote no word: {blame}");
    }
    // `check` says what the register's list claims that the texts do not show.
    let check = sandbox.stdout(&["check", "--code", "small"]);
    assert!(check.contains("lists 1 as amended, but its text"), "{check}");
    for query in ["créance", "cre\u{301}ance", "CRÉANCE"] {
        assert_eq!(found(&sandbox, &[query, "--version", "v2"]), 1, "{query}");
    }
    // The same folder imported today (composed) changes nothing: the stored form stands.
    let root = common::resaved_code(&sandbox);
    let before = sandbox.json(&["publications", "--code", "small"]);
    let again = import(&sandbox, &root);
    assert_eq!(sandbox.json(&["publications", "--code", "small"]), before, "{again}");
}
