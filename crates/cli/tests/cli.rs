//! Integration tests: the real binary against the built-in SEC register, each test with its own database.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::{Sandbox, small_code, status_of, stderr, wait_for};
use serde_json::Value;

#[test]
fn on_20_january_2015_version_4_0_is_in_force_and_h15_inactive() {
    let sandbox = Sandbox::new();
    let at = sandbox.json(&["at", "2015-01-20"]);
    assert_eq!(at["code"], "sec");
    assert_eq!(at["date"], "2015-01-20");
    assert_eq!(at["version"]["id"], "4.0");
    assert_eq!(at["version"]["instrument"], "designation");
    assert_eq!(status_of(&at, "H15"), "inactive");
    assert_eq!(status_of(&at, "H"), "inactive");
    assert_eq!(status_of(&at, "A"), "in_force");
    assert_eq!(status_of(&at, "B2"), "not_yet_added");
    // Under Section H, switched off, nothing was in force, whether or not it was in the text (issue 30, §5).
    let provisions = at["provisions"].as_array().expect("provisions");
    let of = |id: &str| provisions.iter().find(|p| p["id"] == id).expect(id).clone();
    for id in ["H14.31", "H8"] {
        assert_eq!((of(id)["status"].as_str(), of(id)["in_force"].as_bool()), (Some("unknown"), Some(false)), "{id}");
    }
    assert_eq!(of("A")["in_force"], true);
    assert_eq!(of("H15")["in_force"], false);
    assert_eq!(
        of("H8")["reason"],
        "not in force: Section H was inactive (whether H8 was in the text then is not recorded)"
    );
    let text = sandbox.stdout(&["at", "2015-01-20"]);
    assert!(text.contains("H14.31   unknown, not in force"), "{text}");
    let status = sandbox.stdout(&["status", "H14.31", "--at", "2015-01-20"]);
    assert!(status.contains("): unknown, not in force\n"), "{status}");
    assert!(status.contains("not in force: H14 was inactive (whether H14.31 was in the text then is not recorded)"));
}

#[test]
fn on_1_february_2015_version_4_1_h15_in_force_and_h11_inactive() {
    let sandbox = Sandbox::new();
    let at = sandbox.json(&["at", "2015-02-01"]);
    assert_eq!(at["version"]["id"], "4.1");
    assert_eq!(status_of(&at, "H15"), "in_force");
    assert_eq!(status_of(&at, "H11"), "inactive");
    let status = sandbox.json(&["status", "h15", "--at", "2015-02-01"]);
    assert_eq!(status["provision"]["status"], "in_force");
    assert_eq!(status["provision"]["activity"]["basis"], "change");
    assert_eq!(status["provision"]["activity"]["change"], "activated");
    assert_eq!(status["provision"]["activity"]["entry"]["id"], "4.1");
    let text = sandbox.stdout(&["status", "H15", "--at", "2015-02-01"]);
    assert!(text.contains("): in force\n"), "words for people, not the JSON token: {text}");
    assert!(text.contains("switched on by version 4.1 (designation, 26 January 2015)"), "{text}");
    // The comparison counts new statuses as the page does (web/tests/pages.rs): H15 changed and was switched on.
    let diff = sandbox.stdout(&["diff", "4.0", "4.1"]);
    let summary = "Summary: 1 added, 0 removed, 3 changed, 0 with only a new status; 2 with a new status in all\n";
    assert!(diff.contains(summary), "{diff}");
}

#[test]
fn b2_does_not_exist_before_18_march_2015() {
    let sandbox = Sandbox::new();
    let before = sandbox.json(&["status", "B2", "--at", "2015-03-17"]);
    assert_eq!(before["provision"]["status"], "not_yet_added");
    assert_eq!(before["provision"]["existence"]["basis"], "added_later");
    assert_eq!(before["provision"]["existence"]["entry"]["id"], "4.2");
    let on = sandbox.json(&["status", "B2", "--at", "2015-03-18"]);
    assert_eq!(on["provision"]["status"], "in_force");
    assert_eq!(sandbox.json(&["status", "B2", "--at", "2013-01-01"])["provision"]["status"], "not_yet_added");
}

#[test]
fn nothing_was_in_force_before_27_september_2013() {
    let sandbox = Sandbox::new();
    let at = sandbox.json(&["at", "2013-09-26"]);
    assert_eq!(at["version"], Value::Null);
    let provisions = at["provisions"].as_array().expect("provisions");
    assert!(!provisions.is_empty());
    assert!(provisions.iter().all(|p| p["status"] == "not_yet_added"), "everything is not yet added");
    let first = sandbox.json(&["at", "2013-09-27"]);
    assert_eq!(first["version"]["id"], "1.0");
    assert_eq!(first["version"]["made"], "2013-09-23", "both the designation and the effective date are kept");
}

#[test]
fn the_inactive_set_at_4_2_is_the_one_the_seed_lists() {
    let sandbox = Sandbox::new();
    let at = sandbox.json(&["at", "2015-03-20"]);
    assert_eq!(at["version"]["id"], "4.2");
    for id in ["F5", "H", "H1", "H11", "H12", "H14", "L3", "L5", "L7", "APP-D", "APP-E"] {
        assert_eq!(status_of(&at, id), "inactive", "{id} is inactive at 4.2");
    }
    for id in ["H15", "F", "L", "L4", "APP-G", "B2", "APP-C"] {
        assert_eq!(status_of(&at, id), "in_force", "{id} is in force at 4.2");
    }
    // The direction of 24 April 2015 switched on one paragraph of the inactive H14.
    let direction = sandbox.json(&["at", "2015-04-24"]);
    assert_eq!(status_of(&direction, "H14.31"), "in_force");
    assert_eq!(status_of(&direction, "H14"), "inactive");
    assert_eq!(direction["version"]["id"], "4.2", "an event is not a version");
}

#[test]
fn versions_lists_every_version_with_planned_ones_marked() {
    let sandbox = Sandbox::new();
    let versions = sandbox.json(&["versions"]);
    let ids: Vec<&str> =
        versions["versions"].as_array().expect("list").iter().filter_map(|v| v["id"].as_str()).collect();
    assert_eq!(&ids[..8], ["1.0", "2.0", "2.1", "2.2", "3.0", "4.0", "4.1", "4.2"]);
    assert!(ids.contains(&"62.0"));
    // The built-in record of versions ends with 62.0 in 2022: today it cannot say which version is in force.
    assert_eq!(versions["in_force_today"], Value::Null);
    assert_eq!(versions["latest_recorded"], "62.0");
    assert_eq!(versions["record"]["complete_until"], "2022-07-18");
    assert_eq!(versions["record"]["unrecorded_versions_possible"], true);
    // Seen from 1 February 2015, 4.2 and later are planned.
    let output = sandbox.command(&["versions", "--format", "json"]).env("INFORCE_TODAY", "2015-02-01").output();
    let early: Value = serde_json::from_slice(&output.expect("run").stdout).expect("json");
    let planned: Vec<&str> = early["versions"]
        .as_array()
        .expect("list")
        .iter()
        .filter(|v| v["planned"] == true)
        .filter_map(|v| v["id"].as_str())
        .collect();
    assert_eq!(planned.first(), Some(&"4.2"));
    assert_eq!(early["in_force_today"], "4.1");
    assert_eq!(early["record"]["unrecorded_versions_possible"], false);
    let text = sandbox.command(&["versions"]).env("INFORCE_TODAY", "2015-02-01").output().expect("run");
    let text = String::from_utf8(text.stdout).expect("utf-8");
    assert!(text.contains("* 4.1"), "{text}");
    assert!(text.contains("+ 4.2"), "{text}");
}

#[test]
fn unknown_facts_stay_unknown() {
    let sandbox = Sandbox::new();
    let versions = sandbox.json(&["versions"]);
    let find = |id: &str| versions["versions"].as_array().expect("list").iter().find(|v| v["id"] == id).cloned();
    let v2 = find("2.0").expect("2.0");
    assert_eq!(v2["amended"]["completeness"], "unlisted");
    assert_eq!(v2["amended"]["provisions"], Value::Array(vec![]));
    assert_eq!(find("61.0").expect("61.0")["effective"], "2022-06");
    // Production Proving came in on a date the register does not know.
    let p = sandbox.json(&["status", "P", "--at", "2019-01-01"]);
    assert_eq!(p["provision"]["status"], "unknown");
    // In June 2022 the register cannot tell whether 61.0 had already taken effect, and says so.
    let june = sandbox.json(&["at", "2022-06-10"]);
    assert_eq!(june["version"]["id"], "40.0");
    assert_eq!(june["possibly_later_versions"][0]["id"], "61.0");
}

#[test]
fn history_and_timeline_are_in_date_order() {
    let sandbox = Sandbox::new();
    let history = sandbox.json(&["history", "Appendix G"]);
    assert_eq!(history["provision"]["id"], "APP-G");
    let events = history["events"].as_array().expect("events");
    assert_eq!(events[0]["entry"]["id"], "4.1");
    assert_eq!(events[0]["change"], "added");
    assert_eq!(events[0]["relation"], "direct");
    let timeline = sandbox.json(&["timeline", "--from", "2015-01-01", "--to", "2015-12-31"]);
    let ids: Vec<&str> =
        timeline["entries"].as_array().expect("entries").iter().filter_map(|e| e["id"].as_str()).collect();
    assert_eq!(ids, ["4.0", "4.1", "4.2", "2015-04-24-sos-direction-h14-31"]);
    let all = sandbox.json(&["timeline"]);
    let dates: Vec<&str> =
        all["entries"].as_array().expect("entries").iter().filter_map(|e| e["effective"].as_str()).collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted, "the whole timeline is in date order");
}

#[test]
fn exit_statuses_distinguish_missing_things_from_bad_usage() {
    let sandbox = Sandbox::new();
    let missing = sandbox.run(&["status", "Q99"]);
    assert_eq!(missing.status.code(), Some(1));
    assert_eq!(stderr(&missing), "inforce: no provision 'Q99' in the sec register\n");
    let near = sandbox.run(&["status", "H1.5"]);
    assert_eq!(near.status.code(), Some(1));
    assert!(stderr(&near).contains("did you mean H, H1?"), "{}", stderr(&near));
    let bad_date = sandbox.run(&["at", "2015-13-01"]);
    assert_eq!(bad_date.status.code(), Some(2));
    assert_eq!(stderr(&bad_date), "inforce: '2015-13-01' is not a date: expected YYYY-MM-DD (ISO 8601) or 'today'\n");
    assert_eq!(sandbox.run(&["frobnicate"]).status.code(), Some(2));
    let no_code = sandbox.run(&["versions", "--code", "cfr"]);
    assert_eq!(no_code.status.code(), Some(1));
    assert!(stderr(&no_code).contains("no register for code 'cfr' (codes in this database: sec)"));
    assert_eq!(sandbox.run(&["at", "today"]).status.code(), Some(0));
}

#[test]
fn export_then_import_changes_nothing() {
    let sandbox = Sandbox::new();
    let exported = sandbox.path("sec.toml");
    let exported_text = exported.to_str().expect("utf-8 path");
    assert!(sandbox.run(&["register", "export", "-o", exported_text]).status.success());
    let import = sandbox.json(&["register", "import", exported_text]);
    assert_eq!(import["changed"], false);
    let again = sandbox.stdout(&["register", "export"]);
    assert_eq!(again, std::fs::read_to_string(&exported).expect("exported file"), "export is stable");
    // A fresh database given the export holds the same register as the built-in one.
    let other = Sandbox::new();
    let fresh = other.json(&["register", "import", exported_text]);
    assert_eq!(fresh["changed"], false, "the built-in register and its export are the same register");
}

fn corrected_register(sandbox: &Sandbox) -> PathBuf {
    let text = sandbox.stdout(&["register", "export"]);
    let corrected = text.replacen("effective = \"2015-01-26\"", "effective = \"2015-01-27\"", 1);
    assert_ne!(text, corrected, "the fixture found 4.1's date");
    let path = sandbox.path("corrected.toml");
    std::fs::write(&path, corrected).expect("write corrected register");
    path
}

#[test]
fn corrections_are_appended_and_the_past_register_stays_answerable() {
    let sandbox = Sandbox::new();
    sandbox.run_at("2026-01-10T09:00:00Z", &["versions"]); // the built-in register is recorded on 10 January
    let corrected = corrected_register(&sandbox);
    let output = sandbox.run_at("2026-02-10T09:00:00Z", &["register", "import", corrected.to_str().expect("path")]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(String::from_utf8_lossy(&output.stdout).contains("1 records written"));

    let now = sandbox.json(&["status", "H15", "--at", "2015-01-26"]);
    assert_eq!(now["provision"]["status"], "inactive", "4.1 now takes effect on the 27th");
    let then = sandbox.json(&["status", "H15", "--at", "2015-01-26", "--as-recorded", "2026-01-31"]);
    assert_eq!(then["provision"]["status"], "in_force", "as recorded in January, 4.1 took effect on the 26th");
    let before = sandbox.run(&["versions", "--as-recorded", "2025-12-31"]);
    assert_eq!(before.status.code(), Some(1), "nothing was recorded before the first run");
    let publications = sandbox.json(&["publications"]);
    let origins: Vec<&str> =
        publications["publications"].as_array().expect("list").iter().filter_map(|p| p["origin"].as_str()).collect();
    assert_eq!(origins.len(), 2);
    assert_eq!(origins[0], "builtin");
}

const BAD_REGISTER: &str = r#"[code]
id = "sec"
title = "Smart Energy Code"

[[provision]]
id = "A"
kind = "section"

[[provision]]
id = "A"
kind = "section"

[[version]]
id = "2.0"
effective = "2014-03-31"
instrument = "designation"
amended = ["Q"]

[[version]]
id = "1.0"
effective = "2013-09-27"
instrument = "designation"
"#;

#[test]
fn a_malformed_register_is_refused_with_positions_and_nothing_is_written() {
    let sandbox = Sandbox::new();
    let before = sandbox.stdout(&["register", "export"]);
    let bad = sandbox.path("bad.toml");
    std::fs::write(&bad, BAD_REGISTER).expect("write");
    let output = sandbox.run(&["register", "import", bad.to_str().expect("path")]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    let name = bad.display().to_string();
    assert!(message.starts_with(&format!("inforce: {name} refused, nothing was stored (3 problems):\n")), "{message}");
    assert!(message.contains(&format!("{name}:10:6: duplicate provision id 'A'")), "{message}");
    assert!(message.contains(&format!("{name}:17:12: version 2.0 names unknown provision 'Q'")), "{message}");
    assert!(message.contains(&format!("{name}:21:13: version 1.0 takes effect on 2013-09-27")), "{message}");

    for (broken, expected) in [
        ("effective = \"2014-03-31\"", ("effective = \"2014-02-30\"", "is not a valid date")),
        ("instrument = \"designation\"", ("instrument = \"decree\"", "unknown instrument 'decree'")),
    ] {
        let text = BAD_REGISTER.replace(
            "id = \"A\"\nkind = \"section\"\n\n[[provision]]\nid = \"A\"",
            "id = \"A\"\nkind = \"section\"\n\n[[provision]]\nid = \"B\"",
        );
        let text =
            text.replace("[\"Q\"]", "[\"A\"]").replace("2013-09-27", "2014-09-27").replacen(broken, expected.0, 1);
        std::fs::write(&bad, text).expect("write");
        let output = sandbox.run(&["register", "import", bad.to_str().expect("path")]);
        assert_eq!(output.status.code(), Some(2));
        assert!(stderr(&output).contains(expected.1), "{}", stderr(&output));
    }
    std::fs::write(&bad, [0xff, 0xfe, b'a']).expect("write");
    let output = sandbox.run(&["register", "import", bad.to_str().expect("path")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("not UTF-8"));
    let missing = sandbox.run(&["register", "import", "/nonexistent/register.toml"]);
    assert_eq!(missing.status.code(), Some(1));

    assert_eq!(sandbox.stdout(&["register", "export"]), before, "the stored register is untouched");
    assert_eq!(sandbox.json(&["publications"])["publications"].as_array().map(Vec::len), Some(1));
}

#[test]
fn an_import_killed_half_way_leaves_the_previous_register_intact() {
    let sandbox = Sandbox::new();
    let before = sandbox.stdout(&["register", "export"]);
    // A correction touching many records, so half of them are written when the import pauses.
    let renamed = before.replace("confidence = \"medium\"", "confidence = \"low\"");
    let file = sandbox.path("many.toml");
    std::fs::write(&file, renamed).expect("write");
    let marker = sandbox.path("paused");
    let mut child = sandbox
        .command(&["register", "import", file.to_str().expect("path")])
        .env("INFORCE_CRASH_TEST_MARKER", &marker)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn import");
    wait_for(&marker, &mut child);

    // While it holds the write lock, another writer is refused with a clear message.
    let blocked = sandbox
        .command(&["register", "import", file.to_str().expect("path")])
        .env("INFORCE_BUSY_TIMEOUT_MS", "200")
        .output()
        .expect("run");
    assert_eq!(blocked.status.code(), Some(3), "{}", stderr(&blocked));
    assert!(stderr(&blocked).contains("is locked by another process"), "{}", stderr(&blocked));

    child.kill().expect("SIGKILL the import"); // Child::kill sends SIGKILL on Unix
    child.wait().expect("reap");
    assert_eq!(sandbox.stdout(&["register", "export"]), before, "the previous register is intact");
    assert_eq!(sandbox.json(&["publications"])["publications"].as_array().map(Vec::len), Some(1));
    // And the same import then goes through.
    let done = sandbox.json(&["register", "import", file.to_str().expect("path")]);
    assert_eq!(done["changed"], true);
}

#[test]
fn another_code_loads_the_same_way() {
    let sandbox = Sandbox::new();
    let file = sandbox.path("statute.toml");
    std::fs::write(
        &file,
        r#"[code]
id = "act-2008"
title = "An Example Act"

[[provision]]
id = "1"
kind = "section"

[[provision]]
id = "2"
kind = "section"

[[version]]
id = "original"
effective = "2008-11-26"
instrument = "designation"

[[version]]
id = "2010"
effective = "2010-04-06"
instrument = "modification"
removed = ["2"]
"#,
    )
    .expect("write");
    let output = sandbox.run(&["register", "import", file.to_str().expect("path"), "--code", "act-2008"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let at = sandbox.json(&["at", "2011-01-01", "--code", "act-2008"]);
    assert_eq!(at["version"]["id"], "2010");
    assert_eq!(status_of(&at, "1"), "in_force");
    assert_eq!(status_of(&at, "2"), "removed");
    assert_eq!(sandbox.json(&["codes"])["codes"], serde_json::json!(["act-2008", "sec"]));
    let wrong = sandbox.run(&["register", "import", file.to_str().expect("path"), "--code", "sec"]);
    assert_eq!(wrong.status.code(), Some(2));
}

#[test]
fn a_read_only_database_answers_questions_and_refuses_writes_clearly() {
    use std::os::unix::fs::PermissionsExt;
    let sandbox = Sandbox::new();
    sandbox.stdout(&["versions"]);
    let corrected = corrected_register(&sandbox);
    let make = |path: &Path, mode: u32| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
    };
    make(sandbox.dir.path(), 0o755);
    make(&corrected, 0o644);
    for entry in std::fs::read_dir(sandbox.dir.path()).expect("list") {
        let path = entry.expect("entry").path();
        if path.to_string_lossy().contains("inforce.db") {
            make(&path, 0o444);
        }
    }
    // Root ignores file permissions, so run as an unprivileged user when the tests run as root.
    let is_root = Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    let run = |args: &[&str]| {
        let mut command = if is_root {
            let mut c = Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups", env!("CARGO_BIN_EXE_inforce")]);
            c
        } else {
            Command::new(env!("CARGO_BIN_EXE_inforce"))
        };
        command.args(args).env("INFORCE_DB", sandbox.db()).env("INFORCE_TODAY", "2026-11-28").output()
    };
    let read = match run(&["status", "H15", "--at", "2015-02-01"]) {
        Ok(output) => output,
        Err(e) => {
            assert!(
                std::env::var("INFORCE_REQUIRE_SETPRIV").is_err(),
                "setpriv is required here (INFORCE_REQUIRE_SETPRIV) to run as an unprivileged user: {e}"
            );
            println!("skipped: running as root and cannot drop privileges with setpriv ({e})");
            return;
        }
    };
    assert!(read.status.success(), "{}", stderr(&read));
    assert!(String::from_utf8_lossy(&read.stdout).contains("in force"));
    let write = run(&["register", "import", corrected.to_str().expect("path")]).expect("run");
    assert_eq!(write.status.code(), Some(3), "{}", stderr(&write));
    assert_eq!(
        stderr(&write),
        format!(
            "inforce: the database {} is read-only: check the file's permissions or choose another with --db\n",
            sandbox.db().display()
        )
    );
}

#[test]
fn the_builtin_register_is_searchable_by_provision_title() {
    let sandbox = Sandbox::new();
    let found = sandbox.json(&["search", "gateway"]);
    let ids: Vec<&str> =
        found["results"].as_array().expect("results").iter().filter_map(|r| r["provision"].as_str()).collect();
    assert_eq!(ids, ["H15", "APP-G"], "{found}");
    assert_eq!(found["results"][0]["wordings"][0]["kind"], "title");
    assert_eq!(found["results"][0]["heading"], "DCC Gateway Connections");
    // Before Section B2 was added (18 March 2015) it is not found; afterwards it is.
    let before = sandbox.json(&["search", "heading:B2", "--at", "2015-03-17"]);
    let after = sandbox.json(&["search", "heading:B2", "--at", "2015-03-18"]);
    assert_eq!((before["total"].as_u64(), after["total"].as_u64()), (Some(0), Some(1)));
    let bad = sandbox.run(&["search", "\"unclosed"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(common::stderr(&bad).contains("query column 1: this quote is never closed"), "{}", common::stderr(&bad));
}

#[test]
fn a_corrected_title_is_found_by_its_new_words_only() {
    let sandbox = Sandbox::new();
    assert_eq!(sandbox.json(&["search", "gateway"])["total"], 2);
    let text = sandbox.stdout(&["register", "export"]);
    let corrected = text.replacen("title = \"DCC Gateway Connections\"", "title = \"DCC Portal Connections\"", 1);
    assert_ne!(corrected, text);
    let file = sandbox.path("corrected.toml");
    std::fs::write(&file, corrected).expect("write");
    assert!(sandbox.run(&["register", "import", file.to_str().expect("path")]).status.success());
    assert_eq!(sandbox.json(&["search", "portal"])["results"][0]["provision"], "H15");
    let gateway = sandbox.json(&["search", "gateway"]);
    assert_eq!(gateway["total"], 1, "only APP-G still says gateway: {gateway}");
}

/// The legal day: at 00:30 in London on 24 June 2021 (23:30 UTC the day before), SEC 40.0, effective that day, is
/// in force; a code without a time zone still reads the UTC date. The SEC's register says `Europe/London`.
#[test]
fn today_is_the_date_in_the_code_s_time_zone() {
    let sandbox = Sandbox::new();
    let at_london_midnight = |args: &[&str]| {
        let output = sandbox
            .command(args)
            .env_remove("INFORCE_TODAY")
            .env("INFORCE_NOW", "2021-06-23T23:30:00Z")
            .output()
            .expect("run");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        serde_json::from_slice::<Value>(&output.stdout).expect("json")
    };
    let versions = at_london_midnight(&["versions", "--format", "json"]);
    assert_eq!(versions["today"], "2021-06-24");
    assert_eq!(versions["in_force_today"], "40.0");
    let small = small_code(&sandbox);
    let _ = sandbox.json(&["import", small.to_str().expect("path"), "--code", "small"]);
    assert_eq!(at_london_midnight(&["versions", "--code", "small", "--format", "json"])["today"], "2021-06-23");
    let paris =
        sandbox.run(&["import", small.to_str().expect("path"), "--code", "small", "--time-zone", "Mars/Olympus"]);
    assert_eq!(paris.status.code(), Some(2));
    assert!(stderr(&paris).contains("unknown time zone 'Mars/Olympus'"), "{}", stderr(&paris));
    let _ = sandbox.json(&["import", small.to_str().expect("path"), "--code", "small", "--time-zone", "Asia/Tokyo"]);
    let tokyo = at_london_midnight(&["versions", "--code", "small", "--format", "json"]);
    assert_eq!(tokyo["today"], "2021-06-24", "08:30 in Tokyo");
    let exported = sandbox.stdout(&["register", "export", "--code", "small"]);
    assert!(exported.contains("time_zone = \"Asia/Tokyo\""), "{exported}");
}

/// Unknown stays unknown: SEC 1.0 does not list all it added, so on 1 October 2013 nothing records Section E in
/// the text; the answer says so, in text and JSON, instead of taking it from the first version.
#[test]
fn a_provision_the_first_version_may_not_have_held_is_unknown_until_evidence() {
    let sandbox = Sandbox::new();
    let e = sandbox.json(&["status", "E", "--at", "2013-10-01"]);
    assert_eq!(e["provision"]["status"], "unknown", "{e}");
    assert_eq!(e["provision"]["existence"]["basis"], "first_version_incomplete");
    let text = sandbox.stdout(&["status", "E", "--at", "2013-10-01"]);
    assert!(text.contains("the list of what the code's first version 1.0"), "{text}");
    let h15 = sandbox.json(&["status", "H15", "--at", "2015-01-20"]);
    assert_eq!(h15["provision"]["status"], "inactive");
    assert_eq!(h15["provision"]["existence"]["entry"]["id"], "4.0", "first named by 4.0: {h15}");
    assert_eq!(sandbox.json(&["status", "H15", "--at", "2014-06-01"])["provision"]["status"], "unknown");
}

#[test]
fn answers_say_where_the_record_of_versions_ends_and_where_it_has_gaps() {
    let sandbox = Sandbox::new();
    // Past the record's end: the latest recorded version, never asserted as the one in force.
    let today = sandbox.stdout(&["at", "today"]);
    assert!(today.contains("Version in force: 62.0, or a later version not recorded here"), "{today}");
    assert!(today.contains("a version not recorded here may have changed them"), "{today}");
    let at = sandbox.json(&["at", "today"]);
    assert_eq!(at["record"]["unrecorded_versions_possible"], true);
    assert_eq!(at["record"]["gap"], Value::Null);
    assert_eq!(at["record"]["complete_until"], "2022-07-18");
    assert_eq!(at["record"]["complete_until_source"], "declared");
    // Inside a recorded gap: 4.2 is the latest recorded, and the gap is named with its note.
    let gap = sandbox.json(&["at", "2016-06-01"]);
    assert_eq!(gap["version"]["id"], "4.2");
    assert_eq!(gap["record"]["unrecorded_versions_possible"], true);
    assert_eq!(gap["record"]["gap"]["after"], "4.2");
    assert_eq!(gap["record"]["gap"]["before"], "5.4");
    assert!(gap["record"]["reason"].as_str().expect("reason").contains("4.3"), "{}", gap["record"]);
    let text = sandbox.stdout(&["at", "2016-06-01"]);
    assert!(text.contains("4.2, or a later version not recorded here"), "{text}");
    for args in [["status", "H15", "--at", "2016-06-01"], ["show", "H15", "--at", "2016-06-01"]] {
        let answer = sandbox.json(&args);
        assert_eq!(answer["record"]["unrecorded_versions_possible"], true, "{args:?}");
        assert!(sandbox.stdout(&args).contains("not recorded here"), "{args:?}");
    }
    // The Markdown export of such a day says it once too.
    let out = sandbox.path("md");
    let _ = sandbox.stdout(&["export", out.to_str().expect("path"), "--at", "2016-06-01", "--format", "markdown"]);
    let index = std::fs::read_to_string(out.join("index.md")).expect("index");
    assert_eq!(index.matches("a version not recorded here may have changed them").count(), 1, "{index}");
    // On a recorded version's own day, and inside the complete record, nothing is missing.
    for day in ["2015-03-18", "2017-02-09", "2022-07-18"] {
        let answer = sandbox.json(&["at", day]);
        assert_eq!(answer["record"]["unrecorded_versions_possible"], false, "{day}");
        assert!(!sandbox.stdout(&["at", day]).contains("not recorded here"), "{day}");
    }
}

/// A code's list of versions is complete up to its latest publication unless the import says otherwise.
#[test]
fn an_import_says_where_its_list_of_versions_is_complete() {
    let sandbox = Sandbox::new();
    let small = small_code(&sandbox);
    let folder = small.to_str().expect("path");
    let _ = sandbox.json(&["import", folder, "--code", "small"]);
    // Published 2026-11-01 (INFORCE_NOW), asked 2026-11-28: a later version may have been made since.
    let versions = sandbox.json(&["versions", "--code", "small"]);
    assert_eq!(versions["record"]["complete_until"], "2026-11-01");
    assert_eq!(versions["record"]["complete_until_source"], "publication");
    assert_eq!(versions["record"]["unrecorded_versions_possible"], true);
    assert_eq!(versions["in_force_today"], Value::Null);
    let on_the_day = sandbox.json(&["at", "2026-11-01", "--code", "small"]);
    assert_eq!(on_the_day["record"]["unrecorded_versions_possible"], false);
    let bad = sandbox.run(&["import", folder, "--code", "small", "--complete-until", "2026-13-01"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("--complete-until: '2026-13-01' is not a date"), "{}", stderr(&bad));
    let _ = sandbox.json(&["import", folder, "--code", "small", "--complete-until", "2026-12-31"]);
    let versions = sandbox.json(&["versions", "--code", "small"]);
    assert_eq!(versions["record"]["complete_until"], "2026-12-31");
    assert_eq!(versions["record"]["complete_until_source"], "declared");
    assert_eq!(versions["in_force_today"], "v2");
    let exported = sandbox.stdout(&["register", "export", "--code", "small"]);
    assert!(exported.contains("versions_complete_until = \"2026-12-31\""), "{exported}");
}

/// A folder import makes its first version a baseline unless told otherwise; a code already imported keeps its
/// reading until the register says otherwise.
#[test]
fn a_baseline_first_version_is_not_the_code_s_birth() {
    let sandbox = Sandbox::new();
    let small = small_code(&sandbox);
    let folder = small.to_str().expect("path");
    let _ = sandbox.json(&["import", folder, "--code", "small"]);
    let before = sandbox.json(&["status", "1", "--at", "2010-01-01", "--code", "small"]);
    assert_eq!(before["provision"]["status"], "unknown");
    assert_eq!(before["provision"]["existence"]["basis"], "before_record");
    assert_eq!(before["provision"]["in_force"], Value::Null);
    let held = sandbox.json(&["status", "1", "--at", "2016-06-01", "--code", "small"]);
    assert_eq!(held["provision"]["existence"]["basis"], "baseline");
    let text = sandbox.stdout(&["status", "1", "--at", "2016-06-01", "--code", "small"]);
    assert!(text.contains("which holds the earliest text recorded"), "{text}");
    let timeline = sandbox.stdout(&["timeline", "--code", "small"]);
    assert!(timeline.contains("held (earliest text recorded): 1, 2"), "{timeline}");
    assert!(timeline.contains("added: 3"), "a later version adds: {timeline}");
    // A search before the record says there is no text, not "0 provisions match".
    let search = sandbox.stdout(&["search", "paiement", "--at", "2010-01-01", "--code", "small"]);
    assert!(
        search.starts_with("The register holds no text on 1 January 2010: its record begins with version v1"),
        "{search}"
    );
    let json = sandbox.json(&["search", "paiement", "--at", "2010-01-01", "--code", "small"]);
    assert!(json["note"].as_str().is_some_and(|n| n.contains("no text")), "{json}");
    // Re-imported without the flag, the code keeps its reading; with it, it changes.
    let _ = sandbox.json(&["import", folder, "--code", "small", "--first-version", "origin"]);
    let origin = sandbox.json(&["status", "1", "--at", "2010-01-01", "--code", "small"]);
    assert_eq!(origin["provision"]["status"], "not_yet_added");
    let _ = sandbox.json(&["import", folder, "--code", "small"]);
    assert_eq!(
        sandbox.json(&["status", "1", "--at", "2010-01-01", "--code", "small"])["provision"]["status"],
        "not_yet_added"
    );
    let wrong = sandbox.run(&["import", folder, "--code", "small", "--first-version", "birth"]);
    assert_eq!(wrong.status.code(), Some(2));
}
