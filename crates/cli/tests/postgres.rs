//! The same stories on PostgreSQL, and moving registers between backends. Each test gets its own database; they
//! skip with a printed reason when PostgreSQL is absent, unless INFORCE_REQUIRE_POSTGRES=1.

mod common;

use std::process::Stdio;

use common::{Sandbox, status_of, stderr, wait_for};
use serde_json::Value;

fn corrected(sandbox: &Sandbox, from: &str, to: &str, name: &str) -> std::path::PathBuf {
    let text = sandbox.stdout(&["register", "export"]);
    let changed = text.replacen(from, to, 1);
    assert_ne!(text, changed, "the fixture found {from}");
    let path = sandbox.path(name);
    std::fs::write(&path, changed).expect("write");
    path
}

#[test]
fn the_sec_story_on_postgres() {
    let Some(pg) = Sandbox::postgres("story") else { return };
    let at = pg.json(&["at", "2015-01-20"]);
    assert_eq!(at["version"]["id"], "4.0");
    assert_eq!(status_of(&at, "H15"), "inactive");
    let at = pg.json(&["at", "2015-02-01"]);
    assert_eq!(at["version"]["id"], "4.1");
    assert_eq!(status_of(&at, "H15"), "in_force");
    assert_eq!(status_of(&at, "H11"), "inactive");
    assert_eq!(pg.json(&["status", "B2", "--at", "2015-03-17"])["provision"]["status"], "not_yet_added");
    assert_eq!(pg.json(&["at", "2013-09-26"])["version"], Value::Null);

    // Every query answers the same as on SQLite.
    let sqlite = Sandbox::new();
    for args in [
        &["versions"][..],
        &["at", "2015-03-20"],
        &["status", "H14.31", "--at", "2015-05-01"],
        &["history", "H15"],
        &["timeline"],
        &["consultations"],
        &["register", "export"],
    ] {
        assert_eq!(pg.stdout(args), sqlite.stdout(args), "{args:?} differs between backends");
    }

    // Corrections and record time: the built-in register was recorded on 1 November (the sandbox's clock).
    let file = corrected(&pg, "effective = \"2015-01-26\"", "effective = \"2015-01-27\"", "c.toml");
    let output = pg.run_at("2026-11-20T09:00:00Z", &["register", "import", file.to_str().expect("path")]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(pg.json(&["status", "H15", "--at", "2015-01-26"])["provision"]["status"], "inactive");
    let then = pg.json(&["status", "H15", "--at", "2015-01-26", "--as-recorded", "2026-11-10"]);
    assert_eq!(then["provision"]["status"], "in_force");
}

#[test]
fn copying_between_backends_loses_nothing() {
    let Some(pg) = Sandbox::postgres("copy") else { return };
    let sqlite = Sandbox::new();
    sqlite.run_at("2026-01-10T09:00:00Z", &["versions"]);
    let file = corrected(&sqlite, "effective = \"2015-01-26\"", "effective = \"2015-01-27\"", "c.toml");
    let output = sqlite.run_at("2026-02-10T09:00:00Z", &["register", "import", file.to_str().expect("path")]);
    assert!(output.status.success(), "{}", stderr(&output));
    let pdf = sqlite.path("guidance.pdf");
    let content = b"%PDF-1.4\n\x00\xffbinary\n%%EOF\n";
    std::fs::write(&pdf, content).expect("write");
    let args = ["doc", "add", pdf.to_str().expect("path"), "--title", "Guidance", "--attach", "version:4.1"];
    assert!(sqlite.run_at("2026-02-11T09:00:00Z", &args).status.success());

    let from = sqlite.db();
    let to = pg.db();
    let copy = sqlite.json(&["copy", "--from", from.to_str().expect("path"), "--to", to.to_str().expect("url")]);
    assert_eq!(copy["publications"], 3);
    let back = Sandbox::new();
    let back_db = back.db();
    let copy = sqlite.json(&["copy", "--from", to.to_str().expect("url"), "--to", back_db.to_str().expect("path")]);
    assert_eq!(copy["publications"], 3);
    for sandbox in [&pg, &back] {
        let out = sandbox.path("copied.pdf");
        assert!(sandbox.run(&["doc", "get", "guidance", "-o", out.to_str().expect("path")]).status.success());
        assert_eq!(std::fs::read(out).expect("read"), content, "the document's file is copied byte for byte");
    }

    for args in [&["publications"][..], &["register", "export"], &["register", "export", "--as-recorded", "2026-01-31"]]
    {
        let original = sqlite.stdout(args);
        assert_eq!(pg.stdout(args), original, "{args:?}: PostgreSQL copy differs");
        assert_eq!(back.stdout(args), original, "{args:?}: copy of the copy differs");
    }
    // Digests cover content, not row ids or pack layout: both copies verify, with the same tree head.
    let verified = |sandbox: &Sandbox| sandbox.json(&["verify"])["codes"].clone();
    let original = verified(&sqlite);
    assert_eq!(original[0]["status"], "intact", "{original}");
    assert_eq!(original[0]["size"], 3);
    assert_eq!(verified(&pg), original, "PostgreSQL copy");
    assert_eq!(verified(&back), original, "copy of the copy");
    let again = sqlite.run(&["copy", "--from", from.to_str().expect("path"), "--to", to.to_str().expect("url")]);
    assert_eq!(again.status.code(), Some(2), "copying onto a database holding the code is refused");
    assert!(stderr(&again).contains("already holds code 'sec'"));
}

#[test]
fn concurrent_imports_are_serialised_and_a_killed_one_leaves_nothing() {
    let Some(pg) = Sandbox::postgres("concurrent") else { return };
    pg.stdout(&["versions"]);
    let first = corrected(&pg, "confidence = \"medium\"", "confidence = \"low\"", "first.toml");
    let second = corrected(&pg, "effective = \"2015-01-26\"", "effective = \"2015-01-27\"", "second.toml");
    let marker = pg.path("paused");
    let mut killed = pg
        .command(&["register", "import", first.to_str().expect("path")])
        .env("INFORCE_CRASH_TEST_MARKER", &marker)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    wait_for(&marker, &mut killed);
    // The second import waits for the first's lock, then goes ahead once the first is killed.
    let waiting = pg
        .command(&["register", "import", second.to_str().expect("path"), "--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut waiting = waiting;
    // An import alone takes a fraction of a second; this one is still running a second and a half later, blocked
    // by the first's lock, and finishes only once the first is gone.
    let started = std::time::Instant::now();
    while started.elapsed() < std::time::Duration::from_millis(1500) {
        let status = waiting.try_wait().expect("poll the second import");
        assert!(status.is_none(), "the second import did not wait for the first's lock: {status:?}");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    killed.kill().expect("SIGKILL");
    killed.wait().expect("reap");
    let output = waiting.wait_with_output().expect("second import");
    assert!(output.status.success(), "{}", stderr(&output));
    let result: Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(result["records"], 1, "only the second import's change was written");
    assert_eq!(pg.json(&["publications"])["publications"].as_array().map(Vec::len), Some(2));
    let export = pg.stdout(&["register", "export"]);
    assert!(export.contains("effective = \"2015-01-27\""));
    assert!(export.contains("confidence = \"medium\""), "nothing of the killed import remains");
}

#[test]
fn the_change_register_on_postgres() {
    let Some(pg) = Sandbox::postgres("changes") else { return };
    pg.json(&[
        "mod",
        "new",
        "MP301",
        "--title",
        "Gateway charges",
        "--path",
        "3",
        "--affects",
        "H15",
        "--raised",
        "2026-01-10",
    ]);
    pg.json(&["mod", "advance", "MP301", "--to", "development", "--date", "2026-02-01"]);
    let refused = pg.run(&["mod", "advance", "MP301", "--to", "approved"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("allowed next: modification-proposal, withdrawn"));
    let shown = pg.json(&["mod", "show", "MP301"]);
    assert_eq!(shown["stage"]["id"], "development");
    let pending = pg.json(&["mod", "list", "--affects", "H", "--pending-at", "2026-03-01"]);
    assert_eq!(pending["proposals"][0]["reference"], "MP301");
    pg.json(&["consultation", "add", "SEC-2027", "--title", "A consultation", "--published", "2026-11-01"]);
    assert_eq!(pg.json(&["consultation", "show", "SEC-2027"])["consultation"]["state"], "unknown");
    let pdf = pg.path("guidance.pdf");
    std::fs::write(&pdf, b"%PDF-1.4\n\x00\xff\n%%EOF\n").expect("write");
    pg.json(&["doc", "add", pdf.to_str().expect("path"), "--title", "Guidance", "--attach", "proposal:MP301"]);
    let out = pg.path("out.pdf");
    assert!(pg.run(&["doc", "get", "guidance", "-o", out.to_str().expect("path")]).status.success());
    assert_eq!(std::fs::read(out).expect("read"), std::fs::read(pdf).expect("read"));
    assert_eq!(pg.json(&["doc", "list", "--attached-to", "proposal:MP301"])["documents"][0]["id"], "guidance");
}

#[test]
fn postgres_keeps_its_search_index_and_loaded_register_in_the_cache_folder() {
    let Some(pg) = Sandbox::postgres("search") else { return };
    let root = common::small_code(&pg);
    pg.json(&["import", root.to_str().expect("path"), "--code", "small"]);
    let found = pg.json(&["search", "\"bonne foi\"", "--all-versions", "--code", "small"]);
    assert_eq!(found["total"], 1);
    let diff = pg.json(&["diff", "v1", "v2", "--code", "small"]);
    for what in ["search", "register"] {
        let cache = pg.path("cache").join("inforce").join(what);
        let kept: Vec<_> = std::fs::read_dir(&cache).expect("cache folder").filter_map(Result::ok).collect();
        assert_eq!(kept.len(), 1, "one {what} file for the code, named after the database");
        assert!(kept[0].file_name().to_string_lossy().ends_with("-small"));
    }
    assert_eq!(pg.json(&["diff", "v1", "v2", "--code", "small"]), diff, "the kept register answers the same");
}

#[test]
fn a_record_altered_in_postgres_is_detected() {
    use sqlx::Connection;
    let Some(pg) = Sandbox::postgres("tampered") else { return };
    pg.stdout(&["versions"]);
    assert!(pg.run(&["verify"]).status.success());
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        let url = pg.db();
        let mut connection = sqlx::PgConnection::connect(url.to_str().expect("url")).await.expect("connect");
        for statement in [
            "ALTER TABLE records DISABLE TRIGGER records_are_append_only",
            "UPDATE records SET body = replace(body, '2015-01-26', '2015-01-25') WHERE kind = 'entry' AND record_key = '4.1'",
        ] {
            sqlx::query(statement).execute(&mut connection).await.expect(statement);
        }
        connection.close().await.expect("close");
    });
    let output = pg.run(&["verify"]);
    assert_eq!(output.status.code(), Some(4), "{}", stderr(&output));
    assert!(stderr(&output).contains("'sec' from publication"), "{}", stderr(&output));
    assert_eq!(pg.run(&["check"]).status.code(), Some(4));
    pg.expect_tampered();
}

#[test]
fn an_outsider_verifies_a_site_on_postgres() {
    let Some(pg) = Sandbox::postgres("outsider") else { return };
    pg.stdout(&["versions"]);
    assert!(pg.run(&["mod", "new", "MP901", "--title", "On PostgreSQL"]).status.success());
    let key = pg.path("site.key");
    let made = pg.json(&["key", "generate", key.to_str().expect("path"), "--name", "pg.example.org"]);
    let public = pg.path("site.pub");
    std::fs::write(&public, made["verifier_key"].as_str().expect("key")).expect("write");
    let server = common::start_with(&pg, &[("INFORCE_SIGNING_KEY", key.to_str().expect("path"))], Stdio::null());
    let url = format!("http://127.0.0.1:{}", server.port);
    let output = pg.run(&["verify", "--remote", &url, "--key", public.to_str().expect("path"), "--format", "json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let json: Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!((json["size"].as_u64(), json["origin"].as_str()), (Some(2), Some("pg.example.org/sec")));
}
