//! No lost writes: a register file names the publication it was exported from, and importing it never undoes
//! unseen what was published after that; on SQLite and on PostgreSQL.

mod common;

use common::{Sandbox, stderr};

/// The story of the issue: export, two edits, then the old export imported again.
fn an_old_export_does_not_undo_later_writes(sandbox: &Sandbox) {
    let file = sandbox.path("sec.toml");
    let path = file.to_str().expect("path");
    assert!(sandbox.run(&["register", "export", "--output", path]).status.success());
    let exported = std::fs::read_to_string(&file).expect("exported");
    let base = sandbox.json(&["publications"])["publications"].as_array().expect("list").last().expect("one")["id"]
        .as_i64()
        .expect("id");
    assert!(exported.contains(&format!("\nbase = {base}\n")), "the file names its base");
    let made = sandbox.run(&["mod", "new", "MP600", "--title", "A later proposal"]);
    assert!(made.status.success(), "{}", stderr(&made));
    let pdf = sandbox.path("note.pdf");
    std::fs::write(&pdf, b"%PDF-1.4\n%a later note\n").expect("write");
    let added = sandbox.run(&["doc", "add", pdf.to_str().expect("path"), "--title", "A later note"]);
    assert!(added.status.success(), "{}", stderr(&added));
    let before = sandbox.json(&["publications"]);

    let refused = sandbox.run(&["register", "import", path]);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    let message = stderr(&refused);
    assert!(message.contains("withdraw proposal MP600") && message.contains("withdraw document note"), "{message}");
    assert!(message.contains(&format!("exported from publication {base}")), "{message}");
    assert_eq!(sandbox.json(&["publications"]), before, "nothing written");
    assert_eq!(sandbox.json(&["mod", "show", "MP600"])["reference"], "MP600");

    // Without a base, a file may add and change, but not withdraw.
    let unbased = sandbox.path("unbased.toml");
    let text = exported.lines().filter(|l| !l.starts_with("base = ")).collect::<Vec<_>>().join("\n");
    std::fs::write(&unbased, text).expect("write");
    let refused = sandbox.run(&["register", "import", unbased.to_str().expect("path")]);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("names no base publication"), "{}", stderr(&refused));

    // Said to replace: the withdrawal is meant.
    let replaced = sandbox.json(&["register", "import", path, "--replace", "--reason", "MP600 was withdrawn"]);
    assert_eq!(replaced["changed"], true, "{replaced}");
    assert_eq!(sandbox.run(&["mod", "show", "MP600"]).status.code(), Some(1), "withdrawn, as asked");

    // A fresh export imports again without a word, and an edit on it keeps what came after.
    assert!(sandbox.run(&["register", "export", "--output", path]).status.success());
    assert_eq!(sandbox.json(&["register", "import", path])["changed"], false);
}

#[test]
fn an_old_export_does_not_undo_later_writes_on_sqlite() {
    an_old_export_does_not_undo_later_writes(&Sandbox::new());
}

#[test]
fn an_old_export_does_not_undo_later_writes_on_postgres() {
    let Some(pg) = Sandbox::postgres("stale") else { return };
    an_old_export_does_not_undo_later_writes(&pg);
}
