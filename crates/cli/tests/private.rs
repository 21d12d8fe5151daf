//! Nothing private is published: a publication records the files it was made from by name and SHA-256 (a folder
//! by name and the digest of its listing), its command with file names only, and its author by name, never a
//! local path or a bare user id; `inforce check` lists publications recorded before that; a signing key others
//! can read is refused.

mod common;

use std::path::{Path, PathBuf};

use common::{Sandbox, small_code, stderr};
use serde_json::Value;

fn sha256(bytes: &[u8]) -> String {
    inforce_core::document::sha256(bytes)
}

/// Every publication of `code`, as `inforce publications` gives them.
fn publications(sandbox: &Sandbox, code: &str) -> Vec<Value> {
    sandbox.json(&["--code", code, "publications"])["publications"].as_array().expect("publications").clone()
}

/// No recorded field of `publication` holds any of `places` (folders of this machine) or a bare user id.
fn assert_nothing_local(publication: &Value, places: &[&Path]) {
    for field in ["origin", "author", "command"] {
        let text = publication[field].as_str().unwrap_or("");
        for place in places {
            let place = place.display().to_string();
            assert!(!text.contains(&place), "{field} holds {place}: {publication}");
        }
        assert!(!text.contains("../") && !text.contains("./"), "{field} holds a relative path: {publication}");
        assert!(!text.starts_with("uid "), "{field} is a bare user id: {publication}");
    }
}

#[test]
fn a_word_import_records_file_names_and_digests_only() {
    let Some(dir) = common::shared_docx().map(|d| d.join("sec-like")) else { return };
    let sandbox = Sandbox::new();
    let file = dir.join("D-v1.docx");
    let bytes = std::fs::read(&file).expect("read");
    let path = file.display().to_string();
    let first = sandbox.run(&["--code", "e", "import-docx", &path, "--version", "1", "--effective", "2025-01-06"]);
    assert!(first.status.success(), "{}", stderr(&first));
    // Run from the sandbox with a relative path: neither form reaches the record.
    let v2 = dir.join("D-v2.docx");
    let relative = pathdiff(&v2, sandbox.dir.path());
    assert!(relative.starts_with(".."), "the test gives a relative path: {relative}");
    let mut second = sandbox.command(&[
        "--code",
        "e",
        "import-docx",
        &relative,
        "--version",
        "2",
        "--effective",
        "2025-04-07",
        "--missing",
        "removed",
    ]);
    let output = second.current_dir(sandbox.dir.path()).output().expect("run");
    assert!(output.status.success(), "{}", stderr(&output));

    let all = publications(&sandbox, "e");
    assert_eq!(all.len(), 2);
    for p in &all {
        assert_nothing_local(p, &[&dir, sandbox.dir.path()]);
    }
    assert_eq!(all[0]["origin"], format!("docx:D-v1.docx sha256:{}", sha256(&bytes)));
    assert_eq!(all[0]["command"], "--code e import-docx D-v1.docx --version 1 --effective 2025-01-06");
    assert_eq!(all[1]["origin"], format!("docx:D-v2.docx sha256:{}", sha256(&std::fs::read(&v2).expect("read"))));
    // The version's generated summary names the file, not where it lay.
    let versions = sandbox.json(&["--code", "e", "versions"]);
    let labels: Vec<&str> =
        versions["versions"].as_array().expect("versions").iter().filter_map(|v| v["summary"].as_str()).collect();
    assert!(labels.contains(&"The text of Section D imported from D-v1.docx."), "{labels:?}");
    assert!(labels.contains(&"The text of Section D imported from D-v2.docx."), "{labels:?}");
}

/// `target` relative to `base` (`../../x`), for a command run in `base`.
fn pathdiff(target: &Path, base: &Path) -> String {
    let base = base.canonicalize().expect("canonical");
    let common = target.ancestors().find(|a| base.starts_with(a)).expect("a common ancestor");
    let ups = base.strip_prefix(common).expect("prefix").components().count();
    let mut relative = PathBuf::new();
    for _ in 0..ups {
        relative.push("..");
    }
    relative.join(target.strip_prefix(common).expect("prefix")).display().to_string()
}

#[test]
fn a_folder_and_a_register_file_are_recorded_by_name_and_digest_and_an_unnamed_user_is_no_uid() {
    let sandbox = Sandbox::new();
    let folder = small_code(&sandbox);
    let dir = folder.display().to_string();
    // No user name in the environment: the author is the system's name for the user, else `unknown`.
    let output = sandbox
        .command(&["import", &dir, "--code", "small"])
        .env_remove("USER")
        .env_remove("LOGNAME")
        .output()
        .expect("run");
    assert!(output.status.success(), "{}", stderr(&output));
    let exported = sandbox.path("small.toml");
    let register = sandbox.stdout(&["--code", "small", "register", "export"]);
    std::fs::write(&exported, register.replacen("\ntitle = \"", "\ntitle = \"Changed: ", 1)).expect("write");
    let bytes = std::fs::read(&exported).expect("read");
    let file = exported.display().to_string();
    let imported = sandbox.run(&["--code", "small", "register", "import", &file]);
    assert!(imported.status.success(), "{}", stderr(&imported));

    let all = publications(&sandbox, "small");
    for p in &all {
        assert_nothing_local(p, &[sandbox.dir.path()]);
    }
    let origin = all[0]["origin"].as_str().expect("origin");
    assert!(origin.starts_with("folder:code sha256:") && origin.len() == "folder:code sha256:".len() + 64, "{origin}");
    assert_eq!(all[0]["command"], "import code --code small");
    let author = all[0]["author"].as_str().expect("author");
    assert!(!author.is_empty() && !author.starts_with("uid"), "{author}");
    assert_eq!(all.last().expect("last")["origin"], format!("file:small.toml sha256:{}", sha256(&bytes)));
    assert_eq!(all.last().expect("last")["author"], "tester");

    // The same folder gives the same digest; a changed file another.
    let again = Sandbox::new();
    let copy = small_code(&again);
    assert!(again.run(&["import", &copy.display().to_string(), "--code", "small"]).status.success());
    assert_eq!(publications(&again, "small")[0]["origin"], origin);
    let check = sandbox.json(&["--code", "small", "check"]);
    assert_eq!(check["local_details"], serde_json::json!([]), "{check}");
}

#[test]
fn check_lists_publications_recorded_with_local_paths() {
    let sandbox = Sandbox::new();
    assert!(sandbox.run(&["versions"]).status.success());
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let options = inforce_store_sqlite::OpenOptions::default();
        let store = inforce_store_sqlite::SqliteStore::open(&sandbox.db(), options).await.expect("open");
        let sec = inforce_core::CodeId::parse("sec").expect("code");
        let mut register = inforce_store::load_register(&store, &sec, None).await.expect("load").expect("sec").register;
        register.code.title = "Changed by an earlier build".into();
        register.entries[0].summary = "The text of Section D imported from ../shared/docx/sec-like/D-v2.docx.".into();
        let provenance = inforce_store::Provenance {
            origin: "file:/home/ana/exports/sec.toml".into(),
            recorded_at: "2026-11-01T10:00:00Z".parse().expect("time"),
            author: "uid 1000".into(),
            command: "register import /home/ana/exports/sec.toml".into(),
            reason: None,
        };
        inforce_store::publish_register(&store, &register, &provenance).await.expect("publish");
    });
    // Every code is checked (one here); `--code` answers for the one named.
    let check = sandbox.json(&["check"]);
    assert_eq!(check["codes"][0], sandbox.json(&["check", "--code", "sec"]), "{check}");
    assert_eq!(
        check["codes"][0]["local_details"],
        serde_json::json!([{"publication": 2, "fields": ["origin", "author", "command", "summary"]}]),
        "{check}"
    );
    let text = sandbox.stdout(&["check"]);
    assert!(text.contains("1 publication(s) carry local paths") && text.contains("publication 2: origin"), "{text}");
}

#[test]
fn a_signing_key_others_can_read_is_refused() {
    let sandbox = Sandbox::new();
    let key = sandbox.path("site.key");
    let file = key.display().to_string();
    assert!(sandbox.run(&["key", "generate", &file]).status.success());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let mut child = sandbox
            .command(&["serve", "--addr", "127.0.0.1:0", "--signing-key", &file])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start");
        let started = std::time::Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait") {
                break status;
            }
            if started.elapsed().as_secs() > 20 {
                let _ = child.kill();
                panic!("serve started with a key others can read");
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        };
        let mut message = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut message).expect("read");
        assert_eq!(status.code(), Some(2), "{message}");
        assert!(message.contains(&file) && message.contains("0644"), "{message}");
        // Readable by its owner only, as a secret mounted at 0400 is: accepted.
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o400)).expect("chmod");
        let server = common::start_with(&sandbox, &[("INFORCE_SIGNING_KEY", &file)], std::process::Stdio::null());
        drop(server);
    }
}
