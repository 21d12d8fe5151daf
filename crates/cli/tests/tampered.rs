//! Reads of a tampered database: the kept copy of a register (beside the database, answering `show`, `status` and
//! the rest) never hides, nor spreads, content altered in the database. It is made only from a ledger verified
//! against its log, and every read checks that the log's newest digest is still the one it was verified against;
//! otherwise exit 4. `check` checks every code unless one is named.

mod common;

use common::{Sandbox, small_code, stderr};

/// The SEC (built in) and a small code with texts.
fn register() -> Sandbox {
    let sandbox = Sandbox::new();
    sandbox.run_at("2026-01-10T09:00:00Z", &["versions"]);
    let code = small_code(&sandbox);
    let output = sandbox.run_at("2026-03-02T09:00:00Z", &["--code", "small", "import", code.to_str().expect("path")]);
    assert!(output.status.success(), "{}", stderr(&output));
    sandbox
}

/// Runs `sql` on the sandbox's database as someone with the file would, then expects the copy to notice.
fn tamper(sandbox: &Sandbox, sql: &[&str]) {
    common::tamper::tamper(sandbox, sql);
    sandbox.expect_tampered();
}

/// SEC 4.1's effective date moved a day earlier, in the stored record only.
const MOVE_4_1: &str = "UPDATE records SET body = replace(body, '2015-01-26', '2015-01-25') WHERE code = 'sec' AND \
     kind = 'entry' AND record_key = '4.1'";

fn the_kept_register(sandbox: &Sandbox, code: &str) -> std::path::PathBuf {
    sandbox.path(&format!("inforce.db.register-{code}"))
}

/// `args` exits 4, saying the stored history does not match its log, and prints nothing on standard output.
fn refused(sandbox: &Sandbox, args: &[&str], says: &str) {
    let output = sandbox.run(args);
    assert_eq!(output.status.code(), Some(4), "{args:?}: {}", stderr(&output));
    assert!(stderr(&output).contains(says), "{args:?}: expected {says:?} in {}", stderr(&output));
    assert!(output.stdout.is_empty(), "{args:?} printed {}", String::from_utf8_lossy(&output.stdout));
}

#[test]
fn content_altered_in_the_database_is_not_shown_when_the_kept_copy_is_made() {
    let sandbox = register();
    // Before tampering, the kept copy answers; then the copy goes (or was never made) and is made again from
    // the altered ledger.
    assert_eq!(sandbox.json(&["status", "H15", "--at", "2015-01-25"])["provision"]["status"], "inactive");
    tamper(&sandbox, &[MOVE_4_1]);
    std::fs::remove_file(the_kept_register(&sandbox, "sec")).expect("the kept copy was made");
    for args in [&["show", "H15"][..], &["status", "H15", "--at", "2015-01-25"], &["versions"]] {
        refused(&sandbox, args, "does not match its publication log");
        assert!(!the_kept_register(&sandbox, "sec").exists(), "{args:?}: nothing is kept from the altered ledger");
    }
    // The other code is untouched and still answers.
    assert!(sandbox.run(&["--code", "small", "show", "1"]).status.success());
}

#[test]
fn a_log_rewritten_under_the_kept_copy_is_refused() {
    let sandbox = register();
    assert!(sandbox.run(&["show", "H15"]).status.success());
    assert!(the_kept_register(&sandbox, "sec").exists());
    // The newest digest changed: the copy names the latest publication still, but was verified against another
    // log.
    tamper(
        &sandbox,
        &["UPDATE publication_digests SET digest = zeroblob(32) WHERE publication_id = (SELECT MAX(id) FROM \
         publications WHERE code = 'sec')"],
    );
    for args in [&["show", "H15"][..], &["status", "H15"], &["history", "H15"], &["versions"]] {
        refused(&sandbox, args, "not the one its kept copy");
    }
    assert!(sandbox.run(&["--code", "small", "show", "1"]).status.success(), "the other code is untouched");
}

#[test]
fn an_untouched_database_answers_from_the_kept_copy_and_a_new_publication_is_verified() {
    let sandbox = register();
    assert!(sandbox.run(&["show", "H15"]).status.success());
    let kept = the_kept_register(&sandbox, "sec");
    let made = std::fs::metadata(&kept).expect("kept").modified().expect("time");
    assert!(sandbox.run(&["status", "H15"]).status.success());
    assert_eq!(std::fs::metadata(&kept).expect("kept").modified().expect("time"), made, "read, not made again");
    // A new publication: the copy is made again, verified, and answers.
    assert!(sandbox.run(&["mod", "new", "MP900", "--title", "Later"]).status.success());
    assert!(sandbox.run(&["show", "H15"]).status.success());
    assert!(sandbox.run(&["status", "H15"]).status.success());
}

#[test]
fn check_without_a_code_checks_every_code() {
    let sandbox = register();
    let all = sandbox.json(&["check"]);
    let codes: Vec<&str> =
        all["codes"].as_array().expect("codes").iter().map(|c| c["code"].as_str().expect("code")).collect();
    assert_eq!(codes, ["sec", "small"], "{all}");
    let text = sandbox.stdout(&["check"]);
    assert!(text.contains("sec: ") && text.contains("small: "), "{text}");
    // Damage in the second code is found without naming it.
    tamper(
        &sandbox,
        &[
            "UPDATE records SET body = replace(body, '2017-01-01', '2017-01-02') WHERE code = 'small' AND kind = 'entry'",
        ],
    );
    let output = sandbox.run(&["check"]);
    assert_eq!(output.status.code(), Some(4), "{}", stderr(&output));
    assert!(stderr(&output).contains("'small'"), "{}", stderr(&output));
    // Named, a code is checked alone.
    assert!(sandbox.run(&["check", "--code", "sec"]).status.success());
}
