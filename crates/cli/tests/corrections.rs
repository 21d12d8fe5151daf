//! No import silently replaces a version: a version whose texts are recorded is not given other texts by a
//! folder import, `import-docx` or `import-version` (exit 2, naming the version and the provisions), however the
//! imports are timed; `--replace --reason TEXT` records a correction, with its reason in the publication (and its
//! digest), while `--as-recorded` still shows the first texts.

mod common;

use common::{Folder, Sandbox, stderr};

/// A one-version folder: article 1 of version v1 reads `text`.
fn folder(sandbox: &Sandbox, name: &str, text: &str) -> String {
    let folder = Folder::new().version(
        "v1",
        "2016-01-01",
        &[("1", format!("# Article 1\n\n{text}\n")), ("2", "# Article 2\n\nDeux.\n".into())],
    );
    folder.write(&sandbox.path(name)).display().to_string()
}

/// Article 1 as `code` reads it at v1, as recorded now or at the end of `as_recorded`.
fn article(sandbox: &Sandbox, code: &str, as_recorded: Option<&str>) -> String {
    let mut args = vec!["--code", code, "show", "1", "--version", "v1"];
    if let Some(day) = as_recorded {
        args.extend(["--as-recorded", day]);
    }
    sandbox.json(&args)["text"]["text"].as_str().expect("a text").to_string()
}

#[test]
fn a_second_folder_import_of_a_recorded_version_is_refused_and_a_correction_keeps_the_first_as_recorded() {
    let sandbox = Sandbox::new();
    let first = folder(&sandbox, "first", "Le paiement est valable.");
    let second = folder(&sandbox, "second", "Le paiement fait de bonne foi est valable.");
    let imported = sandbox.run_at("2026-10-01T09:00:00Z", &["import", &first, "--code", "c"]);
    assert!(imported.status.success(), "{}", stderr(&imported));
    // The same texts again: nothing to write, no refusal.
    let again = sandbox.run_at("2026-10-02T09:00:00Z", &["import", &first, "--code", "c"]);
    assert!(again.status.success(), "{}", stderr(&again));

    let refused = sandbox.run_at("2026-10-02T09:00:00Z", &["import", &second, "--code", "c"]);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    let message = stderr(&refused);
    assert!(message.contains("version v1 of 'c': 1\n"), "names the version and the provision: {message}");
    assert!(message.contains("--replace --reason"), "{message}");
    assert!(article(&sandbox, "c", None).contains("Le paiement est valable."), "nothing was replaced");
    assert_eq!(sandbox.json(&["--code", "c", "publications"])["publications"].as_array().map(Vec::len), Some(1));

    // --replace alone, or --reason alone, is a usage error: a correction says why.
    for args in [&["--replace"][..], &["--reason", "x"][..]] {
        let mut all = vec!["import", second.as_str(), "--code", "c"];
        all.extend(args);
        assert_eq!(sandbox.run(&all).status.code(), Some(2), "{args:?}");
    }
    let blank = sandbox.run(&["import", &second, "--code", "c", "--replace", "--reason", "  "]);
    assert_eq!(blank.status.code(), Some(2), "a blank reason");

    let reason = "v1 was imported from a draft";
    let corrected =
        sandbox.run_at("2026-10-03T09:00:00Z", &["import", &second, "--code", "c", "--replace", "--reason", reason]);
    assert!(corrected.status.success(), "{}", stderr(&corrected));
    assert!(article(&sandbox, "c", None).contains("de bonne foi"), "the correction stands");
    assert!(article(&sandbox, "c", Some("2026-10-02")).contains("Le paiement est valable."), "as recorded before it");
    let publications = sandbox.json(&["--code", "c", "publications"]);
    let list = publications["publications"].as_array().expect("list");
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["reason"], serde_json::Value::Null);
    assert_eq!(list[1]["reason"], reason);
    assert!(sandbox.stdout(&["--code", "c", "publications"]).contains(&format!("a correction: {reason}")));
    // The log covers the reason (encoding v2) and verifies.
    let verified = sandbox.run(&["--code", "c", "verify"]);
    assert!(verified.status.success(), "{}", stderr(&verified));
}

/// A process that imports a folder: its exit status when done.
fn spawn_import(sandbox: &Sandbox, dir: &str) -> std::process::Child {
    sandbox
        .command(&["import", dir, "--code", "raced"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start")
}

#[test]
fn of_two_concurrent_imports_of_one_version_exactly_one_lands() {
    for trial in 0..3 {
        two_concurrent_imports(&Sandbox::new(), trial);
    }
}

#[test]
fn of_two_concurrent_imports_of_one_version_exactly_one_lands_on_postgres() {
    for trial in 0..3 {
        let Some(pg) = Sandbox::postgres(&format!("raced{trial}")) else { return };
        two_concurrent_imports(&pg, trial);
    }
}

fn two_concurrent_imports(sandbox: &Sandbox, trial: usize) {
    // The database made first, so that both imports race on the version, not on creating the database.
    assert!(sandbox.run(&["codes"]).status.success());
    let a = folder(sandbox, "a", &format!("Texte A, essai {trial}."));
    let b = folder(sandbox, "b", &format!("Texte B, essai {trial}."));
    let (first, second) = (spawn_import(sandbox, &a), spawn_import(sandbox, &b));
    let outputs = [first.wait_with_output().expect("wait"), second.wait_with_output().expect("wait")];
    let codes: Vec<Option<i32>> = outputs.iter().map(|o| o.status.code()).collect();
    let landed = codes.iter().filter(|c| **c == Some(0)).count();
    assert_eq!(
        landed,
        1,
        "trial {trial}: exactly one lands: {codes:?}\n{}\n{}",
        stderr(&outputs[0]),
        stderr(&outputs[1])
    );
    let refused = outputs.iter().find(|o| !o.status.success()).expect("one refused");
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(refused));
    assert!(stderr(refused).contains("version v1 of 'raced': 1"), "{}", stderr(refused));
    let list = sandbox.json(&["--code", "raced", "publications"]);
    assert_eq!(list["publications"].as_array().map(Vec::len), Some(1), "trial {trial}");
    let text = article(sandbox, "raced", None);
    let winner = if outputs[0].status.success() { "Texte A" } else { "Texte B" };
    assert!(text.contains(winner), "the text is the one that landed: {text}");
}

#[test]
fn a_second_word_import_of_a_recorded_version_is_refused_unless_it_is_a_correction() {
    let Some(dir) = common::shared_docx().map(|d| d.join("sec-like")) else { return };
    let sandbox = Sandbox::new();
    let (v1, v2) = (dir.join("D-v1.docx").display().to_string(), dir.join("D-v2.docx").display().to_string());
    let import = |file: &str, extra: &[&str]| {
        let mut args = vec!["--code", "e", "import-docx", file, "--version", "1", "--effective", "2025-01-06"];
        args.extend(["--missing", "keep"]);
        args.extend(extra);
        sandbox.run(&args)
    };
    let first = import(&v1, &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    let same = import(&v1, &[]);
    assert!(same.status.success(), "the same document again writes nothing: {}", stderr(&same));
    let refused = import(&v2, &[]);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    let message = stderr(&refused);
    assert!(message.contains("version 1 of 'e': D"), "names the version and the clauses: {message}");
    let corrected = import(&v2, &["--replace", "--reason", "the signed copy"]);
    assert!(corrected.status.success(), "{}", stderr(&corrected));
    let list = sandbox.json(&["--code", "e", "publications"]);
    let reasons: Vec<&serde_json::Value> =
        list["publications"].as_array().expect("list").iter().map(|p| &p["reason"]).collect();
    assert_eq!(reasons, [&serde_json::Value::Null, &serde_json::json!("the signed copy")]);
}

#[test]
fn a_single_version_import_does_not_replace_a_recorded_version() {
    let sandbox = Sandbox::new();
    let first = folder(&sandbox, "first", "Le paiement est valable.");
    assert!(sandbox.run(&["import", &first, "--code", "c"]).status.success());
    let changes = sandbox.path("changes");
    common::write(&changes, "1.md", "# Article 1\n\nAutre chose.\n");
    let dir = changes.display().to_string();
    let args = ["--code", "c", "import-version", dir.as_str(), "--version", "v1", "--effective", "2016-01-01"];
    let refused = sandbox.run(&args);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("v1"), "{}", stderr(&refused));
    assert!(article(&sandbox, "c", None).contains("Le paiement est valable."));
}

#[test]
fn register_import_replaces_only_with_a_reason() {
    let sandbox = Sandbox::new();
    let file = sandbox.path("sec.toml");
    let exported = sandbox.stdout(&["register", "export"]);
    std::fs::write(&file, exported.replacen("\ntitle = \"", "\ntitle = \"Corrected: ", 1)).expect("write");
    let path = file.display().to_string();
    assert_eq!(sandbox.run(&["register", "import", &path, "--replace"]).status.code(), Some(2), "no reason");
    let replaced = sandbox.run(&["register", "import", &path, "--replace", "--reason", "the title was misspelt"]);
    assert!(replaced.status.success(), "{}", stderr(&replaced));
    let list = sandbox.json(&["publications"]);
    let last = list["publications"].as_array().and_then(|l| l.last().cloned()).expect("a publication");
    assert_eq!(last["reason"], "the title was misspelt");
}

/// An outsider recomputes a correction's digest from what the site serves (encoding v2, with the reason), and
/// publications made before it (encoding v1) as they are.
#[test]
fn an_outsider_verifies_a_correction_from_the_served_log() {
    let sandbox = Sandbox::new();
    let first = folder(&sandbox, "first", "Le paiement est valable.");
    let second = folder(&sandbox, "second", "Le paiement fait de bonne foi est valable.");
    assert!(sandbox.run_at("2026-10-01T09:00:00Z", &["import", &first, "--code", "c"]).status.success());
    let corrected = sandbox.run_at(
        "2026-10-03T09:00:00Z",
        &["import", &second, "--code", "c", "--replace", "--reason", "a draft was imported"],
    );
    assert!(corrected.status.success(), "{}", stderr(&corrected));
    let key = sandbox.path("site.key");
    let made = sandbox.json(&["key", "generate", key.to_str().expect("path"), "--name", "c.example.org"]);
    let public = sandbox.path("site.pub");
    std::fs::write(&public, made["verifier_key"].as_str().expect("key")).expect("write");
    let server = common::start_with(
        &sandbox,
        &[("INFORCE_SIGNING_KEY", key.to_str().expect("path"))],
        std::process::Stdio::null(),
    );
    let url = format!("http://127.0.0.1:{}", server.port);
    let logged = sandbox.json(&["--code", "c", "publications"]);
    assert_eq!(logged["publications"].as_array().map(Vec::len), Some(2));
    let remote = sandbox.run(&[
        "verify",
        "--remote",
        &url,
        "--key",
        public.to_str().expect("path"),
        "--code",
        "c",
        "--format",
        "json",
    ]);
    drop(server);
    assert!(remote.status.success(), "{}", stderr(&remote));
    let json: serde_json::Value = serde_json::from_slice(&remote.stdout).expect("json");
    assert_eq!(json["size"], 2, "{json}");
}

/// Runs `args` at `now`, as JSON; fails with stderr when it fails.
fn json_at(sandbox: &Sandbox, now: &str, args: &[&str]) -> serde_json::Value {
    let output = sandbox.run_at(now, &[args, &["--format", "json"]].concat());
    assert!(output.status.success(), "{args:?}: {}", stderr(&output));
    serde_json::from_slice(&output.stdout).expect("JSON")
}

fn publications(sandbox: &Sandbox) -> usize {
    sandbox.json(&["publications"])["publications"].as_array().map_or(0, Vec::len)
}

#[test]
fn the_administrator_corrects_records_with_reasons_and_the_audit_lists_every_write() {
    let sandbox = Sandbox::new();
    let summary = |as_recorded: Option<&str>| {
        let mut args = vec!["versions"];
        if let Some(day) = as_recorded {
            args.extend(["--as-recorded", day]);
        }
        let versions = sandbox.json(&args);
        let found = versions["versions"].as_array().expect("versions").iter().find(|v| v["id"] == "4.2").cloned();
        found.expect("4.2")["summary"].as_str().expect("a summary").to_string()
    };
    let first = summary(None);
    sandbox.json(&["codes"]);
    let before = publications(&sandbox);

    // A correction without a reason: refused, naming what it corrects, nothing stored.
    let refused = sandbox.run_at("2026-11-12T10:00:00Z", &["versions", "update", "4.2", "--summary", "Designated."]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("corrects what is recorded about version 4.2 (summary)"), "{}", stderr(&refused));
    assert_eq!(publications(&sandbox), before);
    let blank = sandbox.run(&["versions", "update", "4.2", "--summary", "Designated.", "--reason", "  "]);
    assert_eq!(blank.status.code(), Some(2), "a blank reason is none");

    // With one: recorded, and the record as it stood before is what --as-recorded shows for the day before.
    let corrected = json_at(
        &sandbox,
        "2026-11-12T10:00:00Z",
        &[
            "--author",
            "Code Administrator",
            "versions",
            "update",
            "4.2",
            "--summary",
            "Designated.",
            "--reason",
            "A slip",
        ],
    );
    assert_eq!(corrected["version"]["summary"], "Designated.");
    assert_eq!(summary(None), "Designated.");
    assert_eq!(summary(Some("2026-11-11")), first);
    // Shown beside the record, with its reason; not as recorded before it.
    let corrections = |as_recorded: &[&str]| {
        let versions = sandbox.json(&[&["versions"][..], as_recorded].concat());
        let found = versions["versions"].as_array().expect("versions").iter().find(|v| v["id"] == "4.2").cloned();
        found.expect("4.2")["corrections"].clone()
    };
    assert_eq!(corrections(&[]), serde_json::json!([{"recorded_at": "2026-11-12T10:00:00Z", "reason": "A slip"}]));
    assert_eq!(corrections(&["--as-recorded", "2026-11-11"]), serde_json::Value::Null);
    assert!(sandbox.stdout(&["versions"]).contains("    corrected on 12 November 2026 because A slip\n"));

    // Filling in what was empty needs no reason; a consultation closed and linked shows on the proposal.
    let linked = json_at(
        &sandbox,
        "2026-11-13T10:00:00Z",
        &["consultation", "update", "SEC2", "--closes", "2013-12-31", "--concerns", "proposal:MP084"],
    );
    assert_eq!(linked["consultation"]["state"], "closed");
    assert_eq!(linked["consultation"]["concerns"], serde_json::json!(["proposal:MP084"]));
    assert_eq!(sandbox.json(&["mod", "show", "MP084"])["consultations"], serde_json::json!(["SEC2"]));
    let unknown = sandbox.run(&["consultation", "update", "SEC2", "--concerns", "proposal:MP999", "--reason", "x"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("consultation 'SEC2' concerns unknown proposal:MP999"), "{}", stderr(&unknown));

    // A stored document attached to a version and a proposal; taken off one with a reason.
    std::fs::write(sandbox.path("guide.md"), "Guidance.\n").expect("write");
    let guide = sandbox.path("guide.md").display().to_string();
    json_at(&sandbox, "2026-11-14T10:00:00Z", &["doc", "add", &guide, "--title", "Guide", "--id", "guide"]);
    let attached = json_at(
        &sandbox,
        "2026-11-14T10:00:01Z",
        &["doc", "attach", "guide", "--to", "version:4.2", "--to", "proposal:MP084"],
    );
    assert_eq!(attached["document"]["attached_to"], serde_json::json!(["version:4.2", "proposal:MP084"]));
    assert_eq!(sandbox.run(&["doc", "detach", "guide", "--from", "version:4.2"]).status.code(), Some(2));
    assert_eq!(
        sandbox.run(&["doc", "detach", "guide", "--from", "version:4.0", "--reason", "x"]).status.code(),
        Some(2)
    );
    json_at(
        &sandbox,
        "2026-11-15T10:00:00Z",
        &["doc", "detach", "guide", "--from", "version:4.2", "--reason", "Wrong version"],
    );
    let listed = sandbox.json(&["doc", "list"]);
    assert_eq!(listed["documents"][0]["corrections"][0]["reason"], "Wrong version");

    // mod update: every field of the record but its stages; a changed title is a correction.
    assert_eq!(sandbox.run(&["mod", "update", "MP084", "--title", "Panel seats"]).status.code(), Some(2));
    let updated = json_at(&sandbox, "2026-11-16T10:00:00Z", &["mod", "update", "MP084", "--lead-analyst", "SECAS"]);
    assert_eq!(updated["lead_analyst"], "SECAS");

    // The audit: every write, with its author, command, reason and base; narrowed by author and days.
    let audit = sandbox.json(&["audit", "--from", "2026-11-12", "--to", "2026-11-15"]);
    let writes = audit["writes"].as_array().expect("writes");
    let origins: Vec<&str> = writes.iter().map(|w| w["origin"].as_str().expect("origin")).collect();
    assert_eq!(
        origins,
        ["versions update 4.2", "consultation update SEC2", "doc add guide", "doc attach guide", "doc detach guide"]
    );
    assert_eq!(writes[0]["reason"], "A slip");
    assert_eq!(writes[0]["author"], "Code Administrator");
    assert_eq!(writes[4]["reason"], "Wrong version");
    assert!(writes.iter().all(|w| w["base"].is_i64() && w["code"] == "sec"), "{writes:?}");
    // The site shows each correction beside its record, and the consultation on the proposal it concerns.
    let server = common::start(&sandbox);
    let page = |path: &str| {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
        let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).expect("send");
        let mut answer = String::new();
        stream.read_to_string(&mut answer).expect("read");
        answer
    };
    let version = page("/versions/4.2");
    assert!(
        version.contains("Corrected on <time datetime=\"2026-11-12T10:00:00Z\">12 November 2026</time> because A slip")
    );
    let proposal = page("/api/v1/sec/proposals/MP084");
    assert!(
        proposal.contains("\"consultations\": [\n    \"SEC2\"\n  ]")
            || proposal.contains("\"consultations\":[\"SEC2\"]"),
        "{proposal}"
    );
    assert!(page("/proposals/MP084").contains("/consultations/SEC2"));
    assert!(page("/consultations/SEC2").contains("href=\"/proposals/MP084\""));
    // A client syncing asks for what was recorded or corrected since it last looked.
    let ids = |path: &str, list: &str, key: &str| {
        let answer = page(path);
        let body = answer.split_once("\r\n\r\n").map_or("", |(_, body)| body);
        let json: serde_json::Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("{path}: {e}: {answer}"));
        json[list]
            .as_array()
            .expect(list)
            .iter()
            .map(|v| v[key].to_string().trim_matches('"').to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids("/api/v1/sec/versions?since=2026-11-12T09:00:00Z", "versions", "id"), ["4.2"]);
    assert_eq!(ids("/api/v1/sec/timeline?since=2026-11-12T09:00:00Z", "entries", "id"), ["4.2"]);
    assert_eq!(ids("/api/v1/sec/consultations?since=2026-11-12T11:00:00Z", "consultations", "id"), ["SEC2"]);
    assert_eq!(ids("/api/v1/sec/proposals?since=2026-11-15T00:00:00Z", "proposals", "reference"), ["MP084"]);
    assert_eq!(
        ids("/api/v1/sec/publications?since=2026-11-15T00:00:00Z", "publications", "origin"),
        ["doc detach guide", "mod update MP084"]
    );
    assert!(page("/api/v1/sec/versions?since=last%20week").starts_with("HTTP/1.1 400"));
    drop(server);

    let by = sandbox.json(&["audit", "--by", "code administrator"]);
    assert_eq!(by["writes"].as_array().map(Vec::len), Some(1));
    assert_eq!(sandbox.run(&["audit", "--from", "yesterday-ish"]).status.code(), Some(2));
}
