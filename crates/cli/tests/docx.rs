//! Word documents through the binary: `import-docx` into scratch codes and into a scratch copy of the SEC register,
//! `docx-changes`, broken inputs refused with nothing stored, and every real-world file read or refused clearly.
//! The test documents are in ../shared/docx; without them these tests skip with a printed reason, unless
//! `INFORCE_REQUIRE_DOCX=1` (set by CI), which makes their absence a failure.

mod common;

use std::path::{Path, PathBuf};

use common::{Sandbox, status_of, stderr};
use serde_json::Value;

fn doc(dir: &Path, name: &str) -> String {
    dir.join("sec-like").join(format!("{name}.docx")).display().to_string()
}

/// The provision ids of a code on a date, in reading order, with their parents and kinds.
fn structure(sandbox: &Sandbox, code: &str, date: &str) -> Vec<(String, String, String)> {
    let at = sandbox.json(&["--code", code, "at", date]);
    at["provisions"]
        .as_array()
        .expect("provisions")
        .iter()
        .filter(|p| p["status"] != "removed")
        .map(|p| {
            let text = |v: &Value| v.as_str().unwrap_or("").to_string();
            (text(&p["id"]), text(&p["parent"]), text(&p["kind"]))
        })
        .collect()
}

/// The stored text of a provision on a date.
fn text(sandbox: &Sandbox, code: &str, id: &str, date: &str) -> String {
    let shown = sandbox.json(&["--code", code, "show", id, "--at", date]);
    shown["text"]["text"].as_str().unwrap_or_else(|| panic!("{id} has no text on {date}: {shown}")).to_string()
}

/// The code on `date` reads exactly as `expected/<name>/`: the same provisions in the same order under the same
/// parents (structure.tsv), and each clause's text byte for byte.
fn assert_reads_as(sandbox: &Sandbox, code: &str, date: &str, expected: &Path) {
    let tsv = std::fs::read_to_string(expected.join("structure.tsv")).expect("structure.tsv");
    let want: Vec<(String, String, String)> = tsv
        .lines()
        .skip(1)
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            let kind = match f[2] {
                "clause" => "paragraph",
                other => other,
            };
            (f[0].to_string(), f[1].to_string(), kind.to_string())
        })
        .collect();
    assert_eq!(structure(sandbox, code, date), want, "{}", expected.display());
    for (id, _, kind) in &want {
        if kind == "paragraph" {
            let file = std::fs::read_to_string(expected.join(format!("{id}.md"))).expect("clause file");
            assert_eq!(text(sandbox, code, id, date), file, "{id} in {}", expected.display());
        }
    }
}

fn import(sandbox: &Sandbox, args: &[&str]) -> std::process::Output {
    let mut all = vec!["import-docx"];
    all.extend(args);
    sandbox.run(&all)
}

fn publications(sandbox: &Sandbox) -> usize {
    sandbox.json(&["publications"])["publications"].as_array().map_or(0, Vec::len)
}

#[test]
fn every_sec_like_document_imports_as_a_new_code_exactly_as_expected() {
    let Some(dir) = common::shared_docx() else { return };
    let sandbox = Sandbox::new();
    for name in ["D-v1", "D-v2", "A-v1", "X-v1"] {
        let code = format!("scratch-{}", name.to_lowercase());
        let output = import(
            &sandbox,
            &["--code", &code, &doc(&dir, name), "--version", "1", "--effective", "2025-01-06", "--title", name],
        );
        assert!(output.status.success(), "{name}: {}", stderr(&output));
        assert_reads_as(&sandbox, &code, "2025-02-01", &dir.join("expected").join(name));
    }
    // Sub-sections are titled from the document; a clause with a cross-heading takes it as its title.
    let at = sandbox.json(&["--code", "scratch-d-v1", "at", "2025-02-01"]);
    let title = |id: &str| {
        at["provisions"].as_array().expect("provisions").iter().find(|p| p["id"] == id).expect(id)["title"].clone()
    };
    assert_eq!(title("D1"), "RAISING MODIFICATION PROPOSALS");
    assert_eq!(title("D1.3"), "Registration");
    assert_eq!(title("D2.1"), Value::Null, "headed by its own number: no title");
    // Importing the same document again writes nothing.
    let before = publications(&sandbox);
    let again = sandbox.json(&[
        "--code",
        "scratch-d-v1",
        "import-docx",
        &doc(&dir, "D-v1"),
        "--version",
        "1",
        "--effective",
        "2025-01-06",
    ]);
    assert_eq!(again["changed"], false, "{again}");
    assert_eq!(publications(&sandbox), before);
}

#[test]
fn a_conformed_copy_is_refused_by_default_and_imports_accepted_or_rejected() {
    let Some(dir) = common::shared_docx() else { return };
    let sandbox = Sandbox::new();
    let conformed = doc(&dir, "D-v2-conformed");
    let expected_changes = std::fs::read_to_string(dir.join("expected/D-v2-conformed/changes.tsv")).expect("tsv");
    assert_eq!(sandbox.stdout(&["docx-changes", &conformed]), expected_changes);
    let json = sandbox.json(&["docx-changes", &conformed]);
    let changes = json["changes"].as_array().expect("changes");
    assert_eq!(changes.len(), 5);
    assert_eq!(changes[4]["kind"], "del");
    assert_eq!(changes[4]["provision_id"], "D3.2");
    assert_eq!(changes[1]["author"], "Code Administrator");
    assert_eq!(changes[1]["date"], "2025-04-07T10:15:00Z");
    // A document with no tracked changes reports none.
    assert_eq!(sandbox.stdout(&["docx-changes", &doc(&dir, "D-v1")]), "kind\tauthor\tdate\tprovision_id\ttext\n");

    let before = publications(&sandbox);
    let args = ["--code", "conformed", "--version", "2", "--effective", "2025-04-07"];
    let refused = import(&sandbox, &[&args[..], &[conformed.as_str()]].concat());
    assert_eq!(refused.status.code(), Some(2));
    let message = stderr(&refused);
    assert!(message.contains("it has 5 tracked change(s); refused, nothing was stored"), "{message}");
    assert!(message.contains("del\tCode Administrator\t2025-04-07T10:40:00Z\tD3.2\tUntil 31 March 2016"), "{message}");
    assert_eq!(publications(&sandbox), before, "nothing stored");

    let accepted = import(&sandbox, &[&args[..], &[conformed.as_str(), "--tracked", "accept"]].concat());
    assert!(accepted.status.success(), "{}", stderr(&accepted));
    assert_reads_as(&sandbox, "conformed", "2025-05-01", &dir.join("expected/D-v2-conformed"));
    let rejected = import(
        &sandbox,
        &["--code", "rejected", "--version", "1", "--effective", "2025-01-06", &conformed, "--tracked", "reject"],
    );
    assert!(rejected.status.success(), "{}", stderr(&rejected));
    assert_reads_as(&sandbox, "rejected", "2025-02-01", &dir.join("expected/D-v1"));
}

#[test]
fn a_new_version_reports_the_likely_renumberings_and_removes_what_it_lacks_when_asked() {
    let Some(dir) = common::shared_docx() else { return };
    let sandbox = Sandbox::new();
    let first = import(&sandbox, &["--code", "d", &doc(&dir, "D-v1"), "--version", "1", "--effective", "2025-01-06"]);
    assert!(first.status.success(), "{}", stderr(&first));
    // D-v2 has no D3.4 (D3.2 was deleted and the clauses after it moved up): refused by default, naming it.
    let v2 = ["--code", "d", "--version", "2", "--effective", "2025-04-07"];
    let refused = import(&sandbox, &[&v2[..], &[doc(&dir, "D-v2").as_str()]].concat());
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("under Section D that the document lacks: D3.4; refused"),
        "{}",
        stderr(&refused)
    );
    let mut all = vec!["import-docx"];
    all.extend(v2);
    let path = doc(&dir, "D-v2");
    all.extend([path.as_str(), "--missing", "removed"]);
    let report = sandbox.json(&all);
    let found: Vec<(String, String)> = report["renumbered"]
        .as_array()
        .expect("renumbered")
        .iter()
        .map(|r| (r["from"].as_str().expect("from").to_string(), r["to"].as_str().expect("to").to_string()))
        .collect();
    let truth = std::fs::read_to_string(dir.join("expected/D-v1-to-v2.tsv")).expect("truth");
    let want: Vec<(String, String)> = truth
        .lines()
        .skip(1)
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|f| f[2] == "renumbered")
        .map(|f| (f[0].to_string(), f[1].to_string()))
        .collect();
    assert_eq!(found, want);
    assert_reads_as(&sandbox, "d", "2025-05-01", &dir.join("expected/D-v2"));
    let at = sandbox.json(&["--code", "d", "at", "2025-05-01"]);
    assert_eq!(status_of(&at, "D3.4"), "removed");
    // Section D was recorded whole at version 1: a clause first appearing at version 2 was not in the text
    // before, so it is not yet added then, and version 2 lists it as added.
    let before = sandbox.json(&["--code", "d", "status", "D2.6", "--at", "2025-02-01"]);
    assert_eq!(before["provision"]["status"], "not_yet_added", "{before}");
    assert_eq!(before["provision"]["existence"]["entry"]["id"], "2");
    let version = sandbox.json(&["--code", "d", "versions"]);
    let v2 = version["versions"].as_array().expect("versions").iter().find(|v| v["id"] == "2").expect("2");
    assert_eq!(v2["added"]["provisions"], serde_json::json!(["D2.6"]), "{v2}");
    // The text report says the same in words (the same two versions, imported into another code).
    let v1 = doc(&dir, "D-v1");
    let first = sandbox.stdout(&["--code", "e", "import-docx", &v1, "--version", "1", "--effective", "2025-01-06"]);
    assert!(!first.contains("likely renumbered"), "nothing before it to renumber: {first}");
    let text = sandbox.stdout(&[
        "--code",
        "e",
        "import-docx",
        &path,
        "--version",
        "2",
        "--effective",
        "2025-04-07",
        "--missing",
        "removed",
    ]);
    for line in ["likely renumbered", "D2.5 -> D2.6 (same wording)", "D3.3 -> D3.2 (same wording)", "D3.4 -> D3.3"] {
        assert!(text.contains(line), "{line} in {text}");
    }
}

#[test]
fn a_section_document_on_a_scratch_copy_of_the_sec_register() {
    let Some(dir) = common::shared_docx() else { return };
    let sandbox = Sandbox::new();
    let v1 = doc(&dir, "D-v1");
    let args = ["--code", "sec", "--version", "64.0", "--effective", "2027-06-01"];
    let before = publications(&sandbox);
    let d5_before = sandbox.json(&["status", "D5", "--at", "2027-07-01"]);
    let refused = import(&sandbox, &[&args[..], &[v1.as_str()]].concat());
    assert_eq!(refused.status.code(), Some(2));
    let message = stderr(&refused);
    assert!(message.contains("under Section D that the document lacks: D4, D5, D6, D7, D8, D9"), "{message}");
    assert_eq!(publications(&sandbox), before, "nothing stored");

    let kept = import(&sandbox, &[&args[..], &[v1.as_str(), "--missing", "keep"]].concat());
    assert!(kept.status.success(), "{}", stderr(&kept));
    let said = String::from_utf8_lossy(&kept.stdout);
    assert!(
        said.contains("note: D3: the register's title 'Initial Consideration of Modification Proposals' is kept"),
        "{said}"
    );
    assert_eq!(sandbox.json(&["status", "D5", "--at", "2027-07-01"])["status"], d5_before["status"]);
    for date in ["2015-03-18", "2026-01-01"] {
        let at = sandbox.json(&["at", date]);
        assert_eq!(status_of(&at, "D1.1"), "unknown", "before 64.0, on {date}");
    }
    let after = sandbox.json(&["at", "2027-06-01"]);
    assert_eq!(status_of(&after, "D1.1"), "in_force");
    // What the texts show 64.0 changed is listed, marked as from its texts: first wordings whose earlier state
    // the register does not hold, so its added and amended lists are partial.
    let versions = sandbox.json(&["versions"]);
    let v64 = versions["versions"].as_array().expect("versions").iter().find(|v| v["id"] == "64.0").expect("64.0");
    assert_eq!(v64["first_recorded"]["source"], "texts", "{v64}");
    assert_eq!(v64["first_recorded"]["provisions"].as_array().map(Vec::len), Some(14), "{v64}");
    assert_eq!(v64["added"]["source"], "texts");
    assert_eq!(v64["added"]["completeness"], "partial");
    assert_eq!(v64["removed"]["completeness"], "complete");
    let v62 = versions["versions"].as_array().expect("versions").iter().find(|v| v["id"] == "62.0").expect("62.0");
    assert_eq!(v62["amended"]["source"], "register");
    let timeline = sandbox.stdout(&["timeline", "--from", "2027-01-01"]);
    assert!(timeline.contains("first recorded: D1.1, D1.2"), "{timeline}");
    assert_eq!(
        text(&sandbox, "sec", "D1.3", "2027-06-01"),
        std::fs::read_to_string(dir.join("expected/D-v1/D1.3.md")).expect("D1.3")
    );
    // The clauses sit under their sub-sections, in reading order, and keep the register's titles of D1–D3.
    let ids: Vec<String> = structure(&sandbox, "sec", "2027-06-01").into_iter().map(|(id, ..)| id).collect();
    let d1 = ids.iter().position(|id| id == "D1").expect("D1");
    assert_eq!(ids[d1 + 1..d1 + 6], ["D1.1", "D1.2", "D1.3", "D1.4", "D1.5"]);
    assert_eq!(ids[d1 + 6], "D2");
    // Another Section's statuses are untouched; --missing removed records D4–D9 as removed by the new version.
    let removed = import(
        &sandbox,
        &["--code", "sec", "--version", "65.0", "--effective", "2027-09-01", &v1, "--missing", "removed"],
    );
    assert!(removed.status.success(), "{}", stderr(&removed));
    let later = sandbox.json(&["at", "2027-09-01"]);
    for id in ["D4", "D9"] {
        assert_eq!(status_of(&later, id), "removed", "{id}");
    }
    assert_eq!(status_of(&sandbox.json(&["at", "2027-08-01"]), "D4"), status_of(&after, "D4"));
}

#[test]
fn broken_inputs_are_refused_naming_the_file_and_nothing_is_stored() {
    let Some(dir) = common::shared_docx() else { return };
    let sandbox = Sandbox::new();
    let before = publications(&sandbox);
    let codes = sandbox.stdout(&["codes"]);
    for (name, reason) in [
        (
            "no-document-part.docx",
            "the package has no main document part (_rels/.rels names word/document.xml, which is missing)",
        ),
        ("truncated.docx", "not a readable .docx package: truncated or damaged"),
        ("old-format.doc", "old Word format (a Word 97–2003 .doc file): open it in Word and save it as .docx"),
        ("old-format-as.docx", "old Word format (a Word 97–2003 .doc file): open it in Word and save it as .docx"),
        (
            "zip-bomb.docx",
            "the member word/media/image1.png would expand to 209715200 bytes, past the limit of 67108864 bytes",
        ),
    ] {
        let path = dir.join("sec-like/broken").join(name).display().to_string();
        for args in [
            vec!["--code", "broken", "import-docx", path.as_str(), "--version", "1", "--effective", "2025-01-06"],
            vec!["docx-changes", path.as_str()],
        ] {
            let output = sandbox.run(&args);
            assert_eq!(output.status.code(), Some(2), "{name}: {}", stderr(&output));
            let message = stderr(&output);
            assert!(message.contains(&format!("{path}: {reason}")), "{name}: {message}");
        }
    }
    // A document with the right package but no Section title is refused too, saying what the title must be.
    let no_title = dir.join("realworld/pandoc/lists.docx").display().to_string();
    let output = import(&sandbox, &["--code", "broken", &no_title, "--version", "1", "--effective", "2025-01-06"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("it has no Section title: its first heading must read 'SECTION <id>: <title>'"),
        "{}",
        stderr(&output)
    );
    assert_eq!(publications(&sandbox), before);
    assert_eq!(sandbox.stdout(&["codes"]), codes);
}

#[test]
fn every_real_world_file_is_read_or_refused_with_a_reason() {
    let Some(dir) = common::shared_docx() else { return };
    let sandbox = Sandbox::new();
    let (mut imported, mut refused) = (0, 0);
    for folder in ["realworld/pandoc", "realworld/python-docx"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join(folder))
            .expect("folder")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "docx"))
            .collect();
        files.sort();
        for path in files {
            let shown = path.display().to_string();
            let changes = sandbox.run(&["docx-changes", &shown]);
            assert!(matches!(changes.status.code(), Some(0 | 2)), "{shown}: {}", stderr(&changes));
            let output =
                import(&sandbox, &["--code", "realworld", &shown, "--version", "1", "--effective", "2025-01-06"]);
            match output.status.code() {
                Some(0) => imported += 1,
                Some(2) => {
                    let message = stderr(&output);
                    assert!(message.starts_with(&format!("inforce: {shown}: ")), "{shown}: {message}");
                    assert!(message.contains("nothing was stored"), "{shown}: {message}");
                    refused += 1;
                }
                other => panic!("{shown}: exit {other:?}: {}", stderr(&output)),
            }
        }
    }
    assert_eq!(imported + refused, 65);
    println!("real-world files: {imported} imported, {refused} refused");
}

/// `D-v1.docx` with one member's text changed by `edit`, written into the sandbox as `name`.
fn rewritten(dir: &Path, sandbox: &Sandbox, name: &str, member: &str, edit: impl Fn(&str) -> String) -> String {
    use std::io::{Read, Write};
    let bytes = std::fs::read(dir.join("sec-like/D-v1.docx")).expect("D-v1.docx");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for n in 0..archive.len() {
        let mut file = archive.by_index(n).expect("member");
        let name_in_zip = file.name().expect("a member name").to_string();
        let mut text = Vec::new();
        file.read_to_end(&mut text).expect("read");
        if name_in_zip == member {
            text = edit(&String::from_utf8(text).expect("UTF-8")).into_bytes();
        }
        out.start_file(name_in_zip, zip::write::SimpleFileOptions::default()).expect("member");
        out.write_all(&text).expect("write");
    }
    let path = sandbox.path(name);
    std::fs::write(&path, out.finish().expect("zip").into_inner()).expect("write");
    path.display().to_string()
}

#[test]
fn hostile_numbering_and_nesting_are_refused_with_exit_2_naming_the_part_and_nothing_is_stored() {
    let Some(dir) = common::shared_docx() else { return };
    let sandbox = Sandbox::new();
    let before = publications(&sandbox);
    // A list counter starting at 2,147,483,647 in letters; a level text repeating %2 20,000 times; a start of
    // i64::MAX (which wrapped into the id X1.-9223372036854775808); tables nested 10,000 deep.
    let first_start =
        |xml: &str, value: &str| xml.replacen(r#"<w:start w:val="1"/>"#, &format!(r#"<w:start w:val="{value}"/>"#), 1);
    let cases = [
        (
            rewritten(&dir, &sandbox, "counter.docx", "word/numbering.xml", |x| first_start(x, "2147483647")),
            "word/numbering.xml",
            "1000000",
        ),
        (
            rewritten(&dir, &sandbox, "wrap.docx", "word/numbering.xml", |x| first_start(x, "9223372036854775807")),
            "word/numbering.xml",
            "1000000",
        ),
        (
            rewritten(&dir, &sandbox, "template.docx", "word/numbering.xml", |x| {
                x.replacen(r#"w:val="D%1.%2""#, &format!(r#"w:val="{}""#, "%2".repeat(20_000)), 1)
            }),
            "word/numbering.xml",
            "256",
        ),
        (
            rewritten(&dir, &sandbox, "nested.docx", "word/document.xml", |x| {
                let deep = format!(
                    "{}<w:p/>{}",
                    "<w:tbl><w:tr><w:tc>".repeat(10_000),
                    "</w:tc></w:tr></w:tbl>".repeat(10_000)
                );
                x.replacen("<w:body>", &format!("<w:body>{deep}"), 1)
            }),
            "word/document.xml",
            "512",
        ),
    ];
    for (path, part, limit) in &cases {
        for args in [
            vec!["--code", "hostile", "import-docx", path.as_str(), "--version", "1", "--effective", "2025-01-06"],
            vec!["docx-changes", path.as_str()],
        ] {
            let output = sandbox.run(&args);
            let message = stderr(&output);
            assert_eq!(output.status.code(), Some(2), "{path}: {message}");
            assert!(message.contains(path.as_str()) && message.contains(part) && message.contains(limit), "{message}");
        }
    }
    assert_eq!(publications(&sandbox), before);
}
