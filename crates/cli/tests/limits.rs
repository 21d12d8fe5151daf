//! Bounds on what comes in: a provision tree deeper than the limit, a control character or an oversized field in
//! a register string is refused at import (exit 2) naming the file, line and field, and nothing is stored.

mod common;

use common::{Sandbox, stderr, write};

fn file(sandbox: &Sandbox, name: &str) -> String {
    sandbox.path(name).to_string_lossy().into_owned()
}

fn publications(sandbox: &Sandbox) -> usize {
    sandbox.json(&["publications", "--code", "deep"])["publications"].as_array().map_or(0, Vec::len)
}

/// A register whose provisions form one chain `levels` deep.
fn chain(levels: usize) -> String {
    let mut out = String::from("[code]\nid = \"deep\"\ntitle = \"Deep\"\n\n");
    for i in 0..levels {
        let kind = if i == 0 { "section" } else { "paragraph" };
        out.push_str(&format!("[[provision]]\nid = \"P{i}\"\nkind = \"{kind}\"\n"));
        if i > 0 {
            out.push_str(&format!("parent = \"P{}\"\n", i - 1));
        }
        out.push('\n');
    }
    out.push_str(
        "[[version]]\nid = \"1\"\neffective = \"2020-01-01\"\ninstrument = \"designation\"\nadded = [\"P0\"]\n",
    );
    out
}

#[test]
fn a_provision_tree_deeper_than_the_limit_is_refused_naming_the_line() {
    let sandbox = Sandbox::new();
    write(&sandbox.path(""), "deep.toml", &chain(100_000));
    let output = sandbox.run(&["register", "import", &file(&sandbox, "deep.toml")]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let message = stderr(&output);
    // P64 is the 65th provision: its `parent` is on line 4 + 64 × 5 + 3.
    assert!(
        message.contains("deep.toml:327:10: provision tree too deep: 'P64' is at level 65; the limit is 64 levels"),
        "{message}"
    );
    assert_eq!(message.matches("too deep").count(), 1, "one problem per branch: {message}");
    assert_eq!(publications(&sandbox), 0, "nothing stored");
    // At the limit it is accepted, and answered.
    write(&sandbox.path(""), "deep.toml", &chain(64));
    let output = sandbox.run(&["register", "import", &file(&sandbox, "deep.toml")]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let at = sandbox.json(&["at", "2020-06-01", "--code", "deep"]);
    assert_eq!(common::status_of(&at, "P63"), "in_force");
}

#[test]
fn control_characters_in_register_strings_are_refused_naming_the_field() {
    let sandbox = Sandbox::new();
    let sound = chain(2);
    write(&sandbox.path(""), "bell.toml", &sound.replace("title = \"Deep\"", "title = \"Deep\\u0007\""));
    let output = sandbox.run(&["register", "import", &file(&sandbox, "bell.toml")]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(
        message
            .contains("bell.toml:3:9: `title` holds the control character U+0007: only tab and line ends are allowed"),
        "{message}"
    );
    assert_eq!(publications(&sandbox), 0, "nothing stored");
    // Whichever way a string comes in: a document's title given on the command line.
    write(&sandbox.path(""), "deep.toml", &sound);
    assert!(sandbox.run(&["register", "import", &file(&sandbox, "deep.toml")]).status.success());
    write(&sandbox.path(""), "annex.pdf", "%PDF-1.4 annex");
    let before = publications(&sandbox);
    let output =
        sandbox.run(&["doc", "add", &file(&sandbox, "annex.pdf"), "--code", "deep", "--title", "Annex \u{1b}[2J"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(message.contains("`title` holds the control character U+001B"), "{message}");
    assert!(message.contains("nothing was written"), "{message}");
    assert_eq!(publications(&sandbox), before, "nothing stored");
}

#[test]
fn a_register_field_past_its_length_is_refused_at_its_position() {
    let sandbox = Sandbox::new();
    let huge = chain(2).replace("title = \"Deep\"", &format!("title = \"{}\"", "D".repeat(10 * 1024 * 1024)));
    write(&sandbox.path(""), "huge.toml", &huge);
    let output = sandbox.run(&["register", "import", &file(&sandbox, "huge.toml")]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(message.contains("huge.toml:3:9: `title` is longer than 1000 characters (10485760 bytes)"), "{message}");
    assert_eq!(publications(&sandbox), 0, "nothing stored");
}
