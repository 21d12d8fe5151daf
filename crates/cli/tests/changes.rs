//! The change register through the real binary: a proposal followed from raising to implementation, illegal
//! moves refused with nothing stored, what was pending on a date, consultations, planned changes, and register
//! files whose proposals break the process.

mod common;

use common::{Sandbox, stderr};
use serde_json::Value;

fn publications(sandbox: &Sandbox) -> usize {
    sandbox.json(&["publications"])["publications"].as_array().map_or(0, Vec::len)
}

fn stages(proposal: &Value) -> Vec<String> {
    proposal["history"]
        .as_array()
        .expect("history")
        .iter()
        .map(|s| s["id"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn a_proposal_is_followed_from_raising_to_implementation() {
    let sandbox = Sandbox::new();
    let raised = sandbox.json(&[
        "mod",
        "new",
        "mp301",
        "--title",
        "Clarify H15 connection charges",
        "--path",
        "3",
        "--affects",
        "H15",
        "--raised",
        "2026-01-10",
        "--proposer",
        "A Supplier",
    ]);
    assert_eq!(raised["reference"], "MP301", "references are kept in upper case");
    assert_eq!(raised["stage"]["id"], "draft-proposal", "raised at the process's first starting stage");
    assert_eq!(raised["next"], serde_json::json!(["development", "withdrawn"]));
    let moves = [
        ("development", "2026-02-01"),
        ("modification-proposal", "2026-03-01"),
        ("refinement", "2026-03-15"),
        ("report-phase", "2026-05-01"),
        ("report-consultation", "2026-06-01"),
        ("change-board", "2026-07-01"),
        ("approved", "2026-07-01"),
    ];
    for (stage, date) in moves {
        let moved = sandbox.json(&["mod", "advance", "MP301", "--to", stage, "--date", date]);
        assert_eq!(moved["stage"]["id"], stage);
        assert_eq!(moved["changed"], true);
    }
    // A version that took effect before the proposal was raised, or before it was approved, cannot carry it.
    let refused = |version: &str, says: &str| {
        let output = sandbox.run(&[
            "mod",
            "advance",
            "MP301",
            "--to",
            "implemented",
            "--date",
            "2026-11-01",
            "--version",
            version,
        ]);
        assert_eq!(output.status.code(), Some(2), "{version}");
        assert!(stderr(&output).contains(says), "{}", stderr(&output));
    };
    refused("62.0", "version 62.0 took effect on 2022-07-18 but MP301 was raised on 2026-01-10");
    let early = sandbox.json(&["versions", "add", "62.5", "--effective", "2026-05-01", "--instrument", "modification"]);
    assert_eq!(early["version"]["id"], "62.5");
    refused("62.5", "version 62.5 took effect on 2026-05-01 but MP301 was approved on 2026-07-01");
    let added = sandbox.json(&[
        "versions",
        "add",
        "63.0",
        "--effective",
        "2026-11-01",
        "--instrument",
        "modification",
        "--made",
        "2026-10",
        "--summary",
        "The November release.",
        "--source",
        "https://example.org/release",
    ]);
    assert_eq!(added["version"]["instrument"], "modification");
    assert_eq!(added["version"]["made"], "2026-10");
    assert_eq!(added["version"]["sources"], serde_json::json!(["https://example.org/release"]));
    let taken = sandbox.run(&["versions", "add", "63.0", "--effective", "2026-11-01", "--instrument", "modification"]);
    assert!(stderr(&taken).contains("'63.0' is already recorded"), "{}", stderr(&taken));
    let listed = sandbox.json(&["versions"]);
    let ids: Vec<&str> = listed["versions"].as_array().expect("list").iter().filter_map(|v| v["id"].as_str()).collect();
    assert_eq!(ids[ids.len() - 3..], ["62.0", "62.5", "63.0"], "in date order");
    // The implementation is recorded a day later than the rest.
    let output = sandbox.run_at(
        "2026-11-02T09:00:00Z",
        &[
            "mod",
            "advance",
            "MP301",
            "--to",
            "implemented",
            "--date",
            "2026-11-01",
            "--version",
            "63.0",
            "--note",
            "in the November release",
            "--format",
            "json",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let implemented: Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(implemented["decision"]["outcome"], "approved");
    assert_eq!(implemented["decision"]["body"], "Change Board", "the process names who decides on path 3");
    assert_eq!(implemented["decision"]["date"], "2026-07-01");
    assert_eq!(implemented["implemented_by"], "63.0");
    assert_eq!(implemented["pending"], false);
    assert_eq!(implemented["next"], serde_json::json!([]));
    assert_eq!(stages(&implemented).len(), 9, "every stage is kept with its date");
    assert_eq!(publications(&sandbox), 12, "the built-in register, then one publication per step and version");
    // Each step is permanent: the register as recorded before the implementation still shows it approved.
    let then = sandbox.json(&["mod", "show", "MP301", "--as-recorded", "2026-11-01"]);
    assert_eq!(then["stage"]["id"], "approved");
    assert_eq!(then["pending"], true);
    let text = sandbox.stdout(&["mod", "show", "MP301"]);
    assert!(text.contains("decision: approved by Change Board, 1 July 2026"), "{text}");
    assert!(text.contains("1 November 2026      Implemented in 63.0: in the November release"), "{text}");
}

#[test]
fn a_proposal_raised_after_today_is_not_shown_as_raised_until_its_day() {
    // Issue 30, §6: today is 28 November 2026 in these tests.
    let sandbox = Sandbox::new();
    sandbox.json(&["mod", "new", "MP312", "--title", "Later", "--path", "3", "--raised", "2027-01-10"]);
    let listed = sandbox.json(&["mod", "list"]);
    let mp312 = listed["proposals"]
        .as_array()
        .expect("list")
        .iter()
        .find(|p| p["reference"] == "MP312")
        .expect("MP312")
        .clone();
    assert_eq!((mp312["stage"].clone(), mp312["scheduled"].clone()), (Value::Null, Value::Bool(true)), "{mp312}");
    let text = sandbox.stdout(&["mod", "list"]);
    let line = text.lines().find(|l| l.starts_with("MP312")).expect("listed");
    assert!(line.contains("raised on 10 January 2027 (to come)"), "{line}");
    let shown = sandbox.json(&["mod", "show", "MP312"]);
    assert_eq!((shown["stage"].clone(), shown["scheduled"].clone()), (Value::Null, Value::Bool(true)));
    // On its day it is raised, and no longer scheduled.
    let then = sandbox.json(&["mod", "list", "--at", "2027-01-10"]);
    let mp312 =
        then["proposals"].as_array().expect("list").iter().find(|p| p["reference"] == "MP312").expect("MP312").clone();
    assert_eq!(mp312["scheduled"], false);
    assert!(mp312["stage"].is_object(), "{mp312}");
    let text = sandbox.stdout(&["mod", "list", "--at", "2027-01-10"]);
    assert!(!text.contains("(to come)"), "{text}");
}

#[test]
fn moves_the_process_does_not_allow_are_refused_and_nothing_is_stored() {
    let sandbox = Sandbox::new();
    sandbox.json(&["mod", "new", "MP310", "--title", "A change", "--path", "2", "--raised", "2026-01-01"]);
    let before = publications(&sandbox);
    let refuse = |args: &[&str], expected: &str| {
        let output = sandbox.run(args);
        assert_eq!(output.status.code(), Some(2), "{args:?} must be refused");
        assert!(stderr(&output).contains(expected), "{args:?}: {}", stderr(&output));
    };
    refuse(
        &["mod", "advance", "MP310", "--to", "approved"],
        "MP310 is at 'draft-proposal' (Draft Proposal raised) and cannot move to 'approved'; allowed next: \
         development, withdrawn",
    );
    refuse(
        &["mod", "advance", "MP310", "--to", "nowhere"],
        "there is no stage 'nowhere'; the stages are: draft-proposal",
    );
    refuse(&["mod", "advance", "MP310", "--to", "development", "--date", "2025-12-31"], "cannot be dated 2025-12-31");
    refuse(
        &["mod", "advance", "MP310", "--to", "development", "--date", "31/01/2026"],
        "--date: '31/01/2026' is not a valid date",
    );
    for (stage, date) in [
        ("development", "2026-02-01"),
        ("modification-proposal", "2026-02-02"),
        ("report-phase", "2026-02-03"),
        ("report-consultation", "2026-02-04"),
        ("change-board", "2026-02-05"),
    ] {
        sandbox.json(&["mod", "advance", "MP310", "--to", stage, "--date", date]);
    }
    let after_moves = publications(&sandbox);
    refuse(
        &["mod", "advance", "MP310", "--to", "approved", "--date", "2026-03-01"],
        "(that move is only for path 3; it is on path 2); allowed next: authority-decision, withdrawn",
    );
    sandbox.json(&["mod", "advance", "MP310", "--to", "authority-decision", "--date", "2026-03-01"]);
    let rejected = sandbox.json(&["mod", "advance", "MP310", "--to", "rejected", "--date", "2026-04-01"]);
    assert_eq!(rejected["decision"]["body"], "Authority");
    refuse(&["mod", "advance", "MP310", "--to", "withdrawn"], "it is at the end of the process");
    refuse(&["mod", "new", "MP310", "--title", "again"], "MP310 is already recorded");
    refuse(&["mod", "new", "MP311", "--title", "x", "--affects", "Q99"], "MP311 affects unknown provision 'Q99'");
    refuse(
        &["mod", "new", "MP311", "--title", "x", "--flag", "slow"],
        "unknown flag 'slow'; the flags are: fast-track, urgent",
    );
    refuse(
        &["mod", "new", "MP311", "--title", "x", "--stage", "approved"],
        "a proposal is raised at one of: draft-proposal, modification-proposal",
    );
    refuse(&["mod", "new", "mp 311", "--title", "x"], "must be upper-case letters, digits and '-'");
    let missing = sandbox.run(&["mod", "advance", "MP999", "--to", "development"]);
    assert_eq!(missing.status.code(), Some(1), "an unknown proposal is not found");
    assert_eq!(publications(&sandbox), after_moves + 2, "refusals wrote nothing; the two legal moves wrote one each");
    assert!(before < after_moves);
    // Withdrawal is allowed only before a decision; fast-track proposals may be decided by the Panel at once.
    sandbox.json(&[
        "mod",
        "new",
        "MP320",
        "--title",
        "Housekeeping",
        "--stage",
        "modification-proposal",
        "--flag",
        "fast-track",
        "--path",
        "3",
    ]);
    let fast = sandbox.json(&["mod", "advance", "MP320", "--to", "approved"]);
    assert_eq!(fast["decision"]["body"], "Panel");
    refuse(&["mod", "advance", "MP320", "--to", "withdrawn"], "allowed next: scheduled, implemented");
    sandbox.json(&["mod", "new", "MP321", "--title", "Not flagged", "--stage", "modification-proposal", "--path", "3"]);
    refuse(&["mod", "advance", "MP321", "--to", "approved"], "(that move is only for proposals marked fast-track)");
    let withdrawn = sandbox.json(&["mod", "advance", "MP321", "--to", "withdrawn"]);
    assert_eq!(withdrawn["pending"], false);
}

#[test]
fn what_was_pending_against_a_provision_on_a_date() {
    let sandbox = Sandbox::new();
    sandbox.json(&[
        "mod",
        "new",
        "MP330",
        "--title",
        "Gateway change",
        "--path",
        "3",
        "--affects",
        "H15",
        "--raised",
        "2026-01-10",
    ]);
    sandbox.json(&["mod", "advance", "MP330", "--to", "withdrawn", "--date", "2026-05-01"]);
    let pending = |date: &str, provision: &str| -> Vec<String> {
        let list = sandbox.json(&["mod", "list", "--pending-at", date, "--affects", provision]);
        list["proposals"]
            .as_array()
            .expect("list")
            .iter()
            .map(|p| p["reference"].as_str().unwrap_or("").into())
            .collect()
    };
    assert_eq!(pending("2026-01-09", "H15"), Vec::<String>::new(), "not yet raised");
    assert_eq!(pending("2026-03-01", "H15"), ["MP330"]);
    assert_eq!(pending("2026-03-01", "Section H"), ["MP330"], "a change to a part is pending against the whole");
    assert_eq!(pending("2026-03-01", "H11"), Vec::<String>::new(), "but not against a sibling");
    assert_eq!(pending("2026-05-01", "H15"), Vec::<String>::new(), "withdrawn that day");
    // The built-in register: MP084 was pending against Section C until the Authority rejected it.
    assert_eq!(pending("2020-01-01", "C"), ["MP084"]);
    assert_eq!(pending("2020-05-27", "C"), Vec::<String>::new());
    let rejected = sandbox.json(&["mod", "list", "--stage", "rejected"]);
    assert_eq!(rejected["proposals"][0]["reference"], "MP084");
    let on_path = sandbox.json(&["mod", "list", "--path", "1"]);
    assert_eq!(on_path["proposals"][0]["reference"], "MP200");
    assert_eq!(on_path["proposals"][0]["implemented_by"], "62.0");
}

#[test]
fn consultations_and_planned_changes() {
    let sandbox = Sandbox::new();
    let sec4 = sandbox.json(&["consultation", "show", "sec4"]);
    assert_eq!(sec4["consultation"]["state"], "closed");
    assert_eq!(sec4["consultation"]["led_to"], serde_json::json!(["4.0"]));
    assert_eq!(sec4["planned"].as_array().map(Vec::len), Some(6), "Annex 2's six further changes");
    let jul2015 = sandbox.json(&["consultation", "show", "JUL2015"]);
    assert!(jul2015["consultation"]["responses"][0].as_str().is_some_and(|r| r.starts_with("December 2015")));
    let added = sandbox.json(&[
        "consultation",
        "add",
        "SEC-2027",
        "--title",
        "A future consultation",
        "--published",
        "2026-11-01",
        "--closes",
        "2026-12-15",
        "--topic",
        "gateway charges",
        "--response",
        "2027-01: the code administrator's summary",
    ]);
    assert_eq!(added["consultation"]["state"], "open", "open today (28 November 2026), from its dates");
    assert_eq!(added["consultation"]["responses"][0], "2027-01: the code administrator's summary");
    let again = sandbox.run(&["consultation", "add", "SEC-2027", "--title", "x"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("already recorded"));
    let bad = sandbox.run(&[
        "consultation",
        "add",
        "X",
        "--title",
        "x",
        "--published",
        "2026-12-01",
        "--closes",
        "2026-11-01",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("closes (2026-11-01) before it is published (2026-12-01)"), "{}", stderr(&bad));
    let bad_version = sandbox.run(&["consultation", "add", "Y", "--title", "y", "--led-to", "99.0"]);
    assert!(stderr(&bad_version).contains("led to unknown version '99.0'"), "{}", stderr(&bad_version));
    let planned = sandbox.json(&["planned"]);
    assert_eq!(planned["planned"][0]["id"], "non-domestic-opt-out");
    assert_eq!(planned["planned"][0]["consultation"], "SEC4");
}

#[test]
fn register_files_with_proposals_that_break_the_process_are_refused_with_positions() {
    let sandbox = Sandbox::new();
    let export = sandbox.stdout(&["register", "export"]);
    assert!(export.contains("[[proposal.history]]"), "the change register is part of the register file");
    // MP084 made to skip from the Draft Proposal straight to the Authority's decision.
    let broken = export.replacen(
        "stage = \"development\"\ndate = \"unknown\"\n",
        "stage = \"rejected\"\ndate = \"unknown\"\n",
        1,
    );
    assert_ne!(broken, export);
    let file = sandbox.path("broken.toml");
    std::fs::write(&file, &broken).expect("write");
    let before = publications(&sandbox);
    let output = sandbox.run(&["register", "import", file.to_str().expect("path")]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    let line = broken.lines().position(|l| l == "stage = \"rejected\"").expect("line");
    // The problem points at the [[proposal.history]] item, the line before its `stage`.
    assert!(message.contains(&format!("broken.toml:{line}:")), "{message}");
    assert!(message.contains("MP084: MP084 is at 'draft-proposal'"), "{message}");
    assert_eq!(publications(&sandbox), before, "nothing stored");
    // The exported file reads back unchanged: nothing of the change register is lost in the round trip.
    let same = sandbox.path("same.toml");
    std::fs::write(&same, &export).expect("write");
    let again = sandbox.json(&["register", "import", same.to_str().expect("path")]);
    assert_eq!(again["changed"], false);
}

#[test]
fn documents_are_stored_once_by_content_and_attached() {
    let sandbox = Sandbox::new();
    let pdf = sandbox.path("annex2.pdf");
    std::fs::write(&pdf, b"%PDF-1.4\nthe further changes\n%%EOF\n").expect("write");
    let path = pdf.to_str().expect("path");
    let add = [
        "doc",
        "add",
        path,
        "--title",
        "SEC4 Annex 2",
        "--kind",
        "consultation",
        "--date",
        "2014-06-30",
        "--attach",
        "consultation:SEC4",
        "--attach",
        "version:4.0",
    ];
    let added = sandbox.json(&add);
    assert_eq!(added["document"]["id"], "annex2");
    assert_eq!(added["document"]["media_type"], "application/pdf");
    assert_eq!(added["document"]["size"], 35);
    // The same content under another id is described twice but stored once; adding it again changes nothing.
    let again = sandbox.json(&["doc", "add", path, "--title", "Annex 2 again", "--id", "annex2-copy"]);
    assert_eq!(again["document"]["sha256"], added["document"]["sha256"]);
    let same = sandbox.json(&add);
    assert_eq!(same["changed"], false);
    let listed = sandbox.json(&["doc", "list", "--attached-to", "version:4.0"]);
    assert_eq!(listed["documents"].as_array().map(Vec::len), Some(1));
    let out = sandbox.path("out.pdf");
    assert!(sandbox.run(&["doc", "get", "annex2-copy", "-o", out.to_str().expect("path")]).status.success());
    assert_eq!(std::fs::read(&out).expect("read"), std::fs::read(&pdf).expect("read"));
    let before = publications(&sandbox);
    for (args, expected) in [
        (
            vec!["doc", "add", path, "--title", "x", "--id", "x1", "--attach", "proposal:MP999"],
            "attached to unknown proposal:MP999",
        ),
        (vec!["doc", "add", path, "--title", "x", "--id", "x2", "--attach", "party:DCC"], "'party' is not something"),
        (vec!["doc", "add", path, "--title", "x", "--id", "Bad Id"], "document id 'Bad Id' must be lower-case"),
    ] {
        let output = sandbox.run(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(stderr(&output).contains(expected), "{args:?}: {}", stderr(&output));
    }
    let html = sandbox.path("page.pdf");
    std::fs::write(&html, "<html>not a pdf</html>").expect("write");
    let refused = sandbox.run(&["doc", "add", html.to_str().expect("path"), "--title", "x"]);
    assert!(stderr(&refused).contains("page.pdf: the content is not a .pdf file"), "{}", stderr(&refused));
    assert_eq!(publications(&sandbox), before, "nothing stored by a refusal");
    // A register file may describe documents, but only files the database holds.
    let export = sandbox.stdout(&["register", "export"]);
    assert!(export.contains("[[document]]"));
    let forged = export.replacen(
        added["document"]["sha256"].as_str().expect("sha"),
        "0000000000000000000000000000000000000000000000000000000000000000",
        1,
    );
    let file = sandbox.path("forged.toml");
    std::fs::write(&file, forged).expect("write");
    let output = sandbox.run(&["register", "import", file.to_str().expect("path")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("this database does not hold; add the file with `inforce doc add`"),
        "{}",
        stderr(&output)
    );
    assert_eq!(publications(&sandbox), before);
}

#[test]
fn what_is_recorded_about_a_proposal_can_change_only_within_its_process() {
    let sandbox = Sandbox::new();
    sandbox.json(&[
        "mod",
        "new",
        "MP410",
        "--title",
        "Draft title",
        "--stage",
        "modification-proposal",
        "--raised",
        "2026-01-01",
    ]);
    let update = [
        "mod",
        "update",
        "MP410",
        "--title",
        "Clearer title",
        "--path",
        "3",
        "--affects",
        "H15,G",
        "--target-release",
        "June 2027 SEC Release",
    ];
    // The title was recorded: changing it is a correction, which says why.
    let unexplained = sandbox.run(&update);
    assert_eq!(unexplained.status.code(), Some(2));
    assert!(
        stderr(&unexplained).contains("corrects what is recorded about proposal MP410 (title)"),
        "{}",
        stderr(&unexplained)
    );
    let updated = sandbox.json(&[&update[..], &["--reason", "The Panel asked for a clearer title"]].concat());
    assert_eq!(updated["title"], "Clearer title");
    assert_eq!(updated["path"]["id"], "3");
    assert_eq!(updated["affects"], serde_json::json!(["H15", "G"]));
    for (stage, date) in [
        ("report-phase", "2026-02-01"),
        ("report-consultation", "2026-03-01"),
        ("change-board", "2026-04-01"),
        ("approved", "2026-04-02"),
    ] {
        sandbox.json(&["mod", "advance", "MP410", "--to", stage, "--date", date]);
    }
    let before = publications(&sandbox);
    // The Change Board decided under Self-Governance: the path cannot now become one where it may not decide.
    let refused = sandbox.run(&["mod", "update", "MP410", "--path", "2", "--reason", "The Panel moved it"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("cannot move to 'approved' (that move is only for path 3; it is on path 2)"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(publications(&sandbox), before, "nothing stored");
    assert_eq!(sandbox.run(&["mod", "update", "MP999", "--title", "x"]).status.code(), Some(1));
}

/// Publishes `register` into the sandbox's database as if by `origin`, recorded at `at`.
fn publish_as(sandbox: &Sandbox, register: &inforce_core::Register, origin: &str, at: &str) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let options = inforce_store_sqlite::OpenOptions::default();
        let store = inforce_store_sqlite::SqliteStore::open(&sandbox.db(), options).await.expect("open");
        let at = at.parse().expect("timestamp");
        inforce_store::publish_register(&store, register, &inforce_store::Provenance::anonymous(origin, at))
            .await
            .expect("publish");
    });
}

/// The built-in register as an earlier build gave it: H15 without its first evidence, B under an older title.
fn earlier_builtin() -> inforce_core::Register {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/sec.toml")).expect("sec.toml");
    let mut register = inforce_formats::parse_register("sec.toml", &text).expect("valid");
    let h15 = register.provisions.iter_mut().find(|p| p.id.as_str() == "H15").expect("H15");
    h15.addition_unknown = false;
    h15.present_by = None;
    let b = register.provisions.iter_mut().find(|p| p.id.as_str() == "B").expect("B");
    b.title = Some("Old title".into());
    register
}

#[test]
fn a_database_given_an_earlier_built_in_register_gets_this_build_s_as_a_correction() {
    let sandbox = Sandbox::new();
    publish_as(&sandbox, &earlier_builtin(), "builtin", "2026-01-01T00:00:00Z");
    let now = sandbox.json(&["status", "H15", "--at", "2014-06-01"]);
    assert_eq!(now["provision"]["status"], "unknown", "{now}");
    let then = sandbox.json(&["--as-recorded", "2026-01-01", "status", "H15", "--at", "2014-06-01"]);
    assert_eq!(then["provision"]["status"], "inactive", "what the register said before stays readable");
    assert_eq!(publications(&sandbox), 2, "one correction, once");
    let _ = sandbox.json(&["versions"]);
    assert_eq!(publications(&sandbox), 2, "and not again");
    let shown = sandbox.json(&["register", "upgrade-builtin"]);
    assert_eq!(shown["applied"], serde_json::json!([]));
}

#[test]
fn an_edited_register_takes_the_built_in_one_only_on_request_and_keeps_its_edits() {
    let sandbox = Sandbox::new();
    let earlier = earlier_builtin();
    publish_as(&sandbox, &earlier, "builtin", "2026-01-01T00:00:00Z");
    let mut edited = earlier.clone();
    edited.provisions.iter_mut().find(|p| p.id.as_str() == "B").expect("B").title = Some("Edited here".into());
    publish_as(&sandbox, &edited, "file:edited.toml", "2026-02-01T00:00:00Z");
    let status =
        |sandbox: &Sandbox| sandbox.json(&["status", "H15", "--at", "2014-06-01"])["provision"]["status"].clone();
    assert_eq!(status(&sandbox), "inactive", "an edited register is never overwritten unasked");
    let shown = sandbox.json(&["register", "upgrade-builtin"]);
    let applied: Vec<String> = shown["applied"]
        .as_array()
        .expect("list")
        .iter()
        .map(|i| {
            format!(
                "{} {} {}",
                i["kind"].as_str().unwrap_or(""),
                i["key"].as_str().unwrap_or(""),
                i["change"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(applied, ["provision H15 changed"]);
    assert_eq!(shown["kept"], serde_json::json!([{ "kind": "provision", "key": "B" }]));
    assert_eq!(shown["changed"], false, "shown, not written");
    assert_eq!(publications(&sandbox), 2);
    let text = sandbox.stdout(&["register", "upgrade-builtin"]);
    assert!(text.contains("would take over 1 changes") && text.contains("run with --apply"), "{text}");
    let applied = sandbox.json(&["register", "upgrade-builtin", "--apply"]);
    assert_eq!(applied["changed"], true);
    assert_eq!(status(&sandbox), "unknown");
    let b = sandbox.json(&["history", "B"]);
    assert_eq!(b["provision"]["title"], "Edited here", "{b}");
}

/// Stages dated in the future are scheduled, not current: a proposal whose implementation is recorded for a
/// release next year is still approved today.
#[test]
fn a_stage_dated_in_the_future_is_scheduled_not_current() {
    let sandbox = Sandbox::new();
    let args = ["mod", "new", "MP901", "--title", "T", "--path", "3", "--affects", "H15", "--raised", "2026-10-01"];
    let _ = sandbox.json(&args);
    let _ = sandbox.json(&["versions", "add", "64.0", "--effective", "2027-02-25", "--instrument", "modification"]);
    let moves = [
        ("development", "2026-10-02"),
        ("modification-proposal", "2026-10-05"),
        ("report-phase", "2026-10-12"),
        ("report-consultation", "2026-10-19"),
        ("change-board", "2026-11-02"),
        ("approved", "2026-11-02"),
        ("implemented", "2027-02-25"),
    ];
    for (stage, date) in moves {
        let mut step = vec!["mod", "advance", "MP901", "--to", stage, "--date", date];
        if stage == "implemented" {
            step.extend(["--version", "64.0"]);
        }
        let _ = sandbox.json(&step);
    }
    let shown = sandbox.json(&["mod", "show", "MP901"]);
    assert_eq!(shown["stage"]["id"], "approved", "today (2026-11-28) it is approved: {shown}");
    assert_eq!(shown["implemented_by"], Value::Null);
    let last = shown["history"].as_array().expect("history").last().expect("a stage").clone();
    assert_eq!((last["id"].as_str(), last["scheduled"].as_bool()), (Some("implemented"), Some(true)));
    let text = sandbox.stdout(&["mod", "show", "MP901"]);
    assert!(text.contains("stage: Approved") && text.contains("(scheduled)"), "{text}");
    let refs = |args: &[&str]| -> Vec<String> {
        sandbox.json(args)["proposals"]
            .as_array()
            .expect("list")
            .iter()
            .filter_map(|p| p["reference"].as_str().map(str::to_string))
            .collect()
    };
    assert!(!refs(&["mod", "list", "--stage", "implemented"]).contains(&"MP901".to_string()));
    assert!(refs(&["mod", "list", "--stage", "approved"]).contains(&"MP901".to_string()));
    assert!(refs(&["mod", "list", "--stage", "implemented", "--at", "2027-03-01"]).contains(&"MP901".to_string()));
    let later = sandbox.json(&["mod", "show", "MP901", "--at", "2027-03-01"]);
    assert_eq!(later["stage"]["id"], "implemented");
    assert_eq!(later["implemented_by"], "64.0");
}

#[test]
fn every_publication_names_its_author_and_command_without_secrets() {
    let sandbox = Sandbox::new();
    // The first use loads the built-in register: by the operating-system user, with the command that caused it.
    let user = sandbox.command(&["codes"]).env("USER", "os-user").env_remove("INFORCE_AUTHOR").output().expect("run");
    assert!(user.status.success());
    let by_flag = sandbox
        .command(&["--author", "Jane Roe", "consultation", "add", "SEC9", "--title", "A consultation"])
        .output()
        .expect("run");
    assert!(by_flag.status.success(), "{}", common::stderr(&by_flag));
    let by_env = sandbox
        .command(&["mod", "new", "MP600", "--title", "Élan"])
        .env("INFORCE_AUTHOR", "Service account")
        .output()
        .expect("run");
    assert!(by_env.status.success(), "{}", common::stderr(&by_env));
    let listed = sandbox.json(&["publications"]);
    let rows = listed["publications"].as_array().expect("publications");
    let authors: Vec<&str> = rows.iter().filter_map(|p| p["author"].as_str()).collect();
    assert_eq!(authors, ["os-user", "Jane Roe", "Service account"], "{listed}");
    let commands: Vec<&str> = rows.iter().filter_map(|p| p["command"].as_str()).collect();
    assert_eq!(commands[0], "codes");
    assert!(commands[1].starts_with("--author 'Jane Roe' consultation add SEC9"), "{commands:?}");
    assert_eq!(commands[2], "mod new MP600 --title Élan");
    let db = sandbox.db();
    assert!(rows.iter().all(|p| !p["command"].as_str().unwrap_or("").contains(db.to_str().expect("path"))));
    assert_eq!(rows[1]["base"], rows[0]["id"], "each computed against the one before");
    let text = sandbox.stdout(&["publications"]);
    assert!(text.contains("by Jane Roe") && text.contains("inforce mod new MP600"), "{text}");
}
