//! Reading Word Sections: the five SEC-like documents, and a generated Section of 2,000 clauses (100 sub-sections
//! of 20 clauses, every fourth with three sub-paragraphs, every tenth with a footnote; the SEC-like D-v1 package
//! with its body replaced). Each is read from its bytes to its clause files (package checks, numbering, the
//! walker), in process. Run with `cargo bench -p inforce-formats --bench docx`; it writes the generated document to
//! `target/bench-docx/D-2000.docx` for `bench/docx.sh`, which times the whole `import-docx` command.
//!
//! A small harness of our own (repeat, sort, report percentiles), as the other benches.

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use inforce_formats::docx::{Document, View};

fn main() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/docx/sec-like");
    if !shared.is_dir() {
        println!("skipped: ../shared/docx is not on this machine");
        return;
    }
    for name in ["D-v1", "D-v2", "D-v2-conformed", "A-v1", "X-v1"] {
        let bytes = std::fs::read(shared.join(format!("{name}.docx"))).expect("read");
        report(&format!("{name}.docx"), || {
            Document::read(name, bytes.clone()).expect(name).section(View::Accept).expect(name).clauses.len()
        });
    }
    let generated = generate(&shared.join("D-v1.docx"), 100, 20);
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-docx");
    std::fs::create_dir_all(&out).expect("folder");
    std::fs::write(out.join("D-2000.docx"), &generated).expect("write");
    println!("generated: {} ({} bytes)", out.join("D-2000.docx").display(), generated.len());
    report("D-2000.docx (2,000 clauses)", || {
        let section =
            Document::read("D-2000", generated.clone()).expect("read").section(View::Accept).expect("section");
        assert_eq!(section.clauses.len(), 2000);
        section.clauses.len()
    });
}

/// Runs `f` 30 times (after one warm-up) and prints the median and the 90th percentile.
fn report(what: &str, f: impl Fn() -> usize) {
    let clauses = f();
    let mut times: Vec<Duration> = (0..30)
        .map(|_| {
            let started = Instant::now();
            std::hint::black_box(f());
            started.elapsed()
        })
        .collect();
    times.sort();
    println!("{what}: {clauses} clauses; median {:.2?}, p90 {:.2?}", times[15], times[27]);
}

/// D-v1's package with a body of `subsections` × `clauses` numbered clauses.
fn generate(template: &Path, subsections: usize, clauses: usize) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(Cursor::new(std::fs::read(template).expect("template"))).expect("zip");
    let mut body = String::from(
        r#"<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>SECTION D: GENERATED FOR THE BENCHMARK</w:t></w:r></w:p>"#,
    );
    let numbered = |level: usize, text: &str| {
        format!(
            r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="10"/></w:numPr></w:pPr><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>"#
        )
    };
    let mut n = 0;
    for s in 0..subsections {
        body.push_str(&format!(r#"<w:p><w:pPr><w:pStyle w:val="Heading2"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="10"/></w:numPr></w:pPr><w:r><w:t>SUB-SECTION {s}</w:t></w:r></w:p>"#));
        body.push_str(&format!(
            r#"<w:p><w:pPr><w:pStyle w:val="Heading3"/></w:pPr><w:r><w:t>Cross-heading {s}</w:t></w:r></w:p>"#
        ));
        for c in 0..clauses {
            n += 1;
            let note = if n % 10 == 0 { r#"<w:r><w:footnoteReference w:id="3"/></w:r>"# } else { "" };
            body.push_str(&numbered(1, &format!("Clause {n} of the generated Section: the Panel shall consider each Modification Proposal raised under sub-section {s} within {c} Working Days, and the Code Administrator shall publish its decision.")).replace("</w:r></w:p>", &format!("</w:r>{note}</w:p>")));
            if c % 4 == 0 {
                for (level, text) in [
                    (2, "the first condition, which applies to every Party;"),
                    (2, "the second condition; and"),
                    (3, "a sub-paragraph of the second."),
                ] {
                    body.push_str(&numbered(level, text));
                }
            }
        }
    }
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for index in 0..archive.len() {
        let mut member = archive.by_index(index).expect("member");
        let name = member.name().expect("name").to_string();
        let mut bytes = Vec::new();
        member.read_to_end(&mut bytes).expect("inflate");
        if name == "word/document.xml" {
            let xml = String::from_utf8(bytes).expect("utf-8");
            let start = xml.find("<w:body>").expect("body") + "<w:body>".len();
            let end = xml.find("<w:sectPr").expect("sectPr");
            bytes = format!("{}{body}{}", &xml[..start], &xml[end..]).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default()).expect("member");
        out.write_all(&bytes).expect("write");
    }
    out.finish().expect("zip").into_inner()
}
