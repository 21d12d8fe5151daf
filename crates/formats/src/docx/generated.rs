//! Generated documents: lists (formats, starts, level texts, legal numbering, restarts, overrides, links to list
//! styles), styles (based on one another, loops included), paragraphs in and out of tables, and tracked changes of
//! every kind over their words. The reader never panics on them (a document past a limit is refused, never read
//! without bound), and a generated change set, accepted and rejected, gives exactly the texts after and before it.

use proptest::prelude::*;

use super::section::rules::{level, p, package_with};
use super::{Document, View};

/// What a tracked change did to a word.
#[derive(Debug, Clone, Copy)]
enum Word {
    Kept,
    Inserted,
    Deleted,
    /// Inserted by one reviewer, deleted by another: in neither text.
    InsertedThenDeleted,
    /// Moved here (in the text after) or away (in the text before).
    MovedTo,
    MovedFrom,
}

/// What happened to a whole paragraph (its mark and every word).
#[derive(Debug, Clone, Copy)]
enum Whole {
    No,
    Inserted,
    Deleted,
}

#[derive(Debug, Clone)]
struct Para {
    words: Vec<(String, Word)>,
    whole: Whole,
    /// The list and level it is numbered at, if any.
    list: Option<(u8, u8)>,
    /// Whether it stands in a table cell.
    in_table: bool,
    /// A paragraph property change over it.
    restyled: bool,
}

fn word() -> impl Strategy<Value = (String, Word)> {
    let kind = prop_oneof![
        4 => Just(Word::Kept),
        1 => Just(Word::Inserted),
        1 => Just(Word::Deleted),
        1 => Just(Word::InsertedThenDeleted),
        1 => Just(Word::MovedTo),
        1 => Just(Word::MovedFrom),
    ];
    ("[a-z]{1,8}", kind)
}

fn para() -> impl Strategy<Value = Para> {
    let whole = prop_oneof![6 => Just(Whole::No), 1 => Just(Whole::Inserted), 1 => Just(Whole::Deleted)];
    (prop::collection::vec(word(), 0..6), whole, prop::option::of((1u8..4, 0u8..9)), any::<bool>(), any::<bool>())
        .prop_map(|(words, whole, list, in_table, restyled)| Para { words, whole, list, in_table, restyled })
}

/// A list: per level a format, a start, a text and extra elements.
fn lists() -> impl Strategy<Value = String> {
    let format = prop::sample::select(vec![
        "decimal",
        "lowerLetter",
        "upperLetter",
        "lowerRoman",
        "upperRoman",
        "bullet",
        "none",
        "decimalZero",
        "ordinal",
        "chineseCounting",
    ]);
    let text =
        prop::sample::select(vec!["%1", "D%1.%2", "(%3)", "(%4)", "%1.%2.%3.%4.%5.%6.%7.%8.%9", "", "•", "%9%9%9"]);
    let extra = prop::sample::select(vec![
        "",
        "<w:isLgl/>",
        r#"<w:lvlRestart w:val="0"/>"#,
        r#"<w:lvlRestart w:val="1"/>"#,
        r#"<w:suff w:val="nothing"/>"#,
        r#"<w:rPr><w:vanish/></w:rPr>"#,
    ]);
    let start = prop_oneof![8 => 0i64..30, 1 => Just(1_000_000i64), 1 => Just(2_147_483_647i64)];
    let levels = prop::collection::vec((format, text, extra, start), 9);
    let link = prop::sample::select(vec!["", "Linked", "Loop"]);
    (levels, link).prop_map(|(levels, link)| {
        let defined: String = levels
            .iter()
            .enumerate()
            .map(|(n, (format, text, extra, start))| {
                level(n, format, text, extra).replace(r#"<w:start w:val="1"/>"#, &format!(r#"<w:start w:val="{start}"/>"#))
            })
            .collect();
        let first = match link {
            "" => defined.clone(),
            style => format!(r#"<w:numStyleLink w:val="{style}"/>"#),
        };
        format!(
            r#"<w:abstractNum w:abstractNumId="1">{first}</w:abstractNum><w:abstractNum w:abstractNumId="2"><w:styleLink w:val="Linked"/>{defined}</w:abstractNum>
            <w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="2"/><w:lvlOverride w:ilvl="1"><w:startOverride w:val="3"/></w:lvlOverride></w:num>
            <w:num w:numId="3"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="2">{}</w:lvlOverride></w:num>"#,
            level(2, "upperLetter", "[%3]", "")
        )
    })
}

/// Styles: a numbering style each link may name (one leads back to its own list), and a chain that may loop.
fn styles(looped: bool) -> String {
    let back = if looped { "Chain0" } else { "Missing" };
    format!(
        r#"<w:style w:type="numbering" w:styleId="Linked"><w:pPr><w:numPr><w:numId w:val="2"/></w:numPr></w:pPr></w:style>
        <w:style w:type="numbering" w:styleId="Loop"><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
        <w:style w:type="paragraph" w:styleId="Chain0"><w:basedOn w:val="Chain1"/></w:style>
        <w:style w:type="paragraph" w:styleId="Chain1"><w:basedOn w:val="{back}"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>"#
    )
}

fn run(text: &str, deleted: bool) -> String {
    let tag = if deleted { "delText" } else { "t" };
    format!(r#"<w:r><w:{tag} xml:space="preserve">{text} </w:{tag}></w:r>"#)
}

fn change(kind: &str, id: usize, inner: &str) -> String {
    format!(r#"<w:{kind} w:id="{id}" w:author="R{}" w:date="2025-01-01T00:00:00Z">{inner}</w:{kind}>"#, id % 3)
}

/// The document's body, and its paragraphs' texts before and after the changes.
fn body(paragraphs: &[Para]) -> (String, Vec<String>, Vec<String>) {
    let (mut out, mut before, mut after) = (String::new(), Vec::new(), Vec::new());
    let mut id = 0;
    let mut next = || {
        id += 1;
        id
    };
    for para in paragraphs {
        let mut inner = String::new();
        let (mut was, mut now) = (Vec::new(), Vec::new());
        for (text, kind) in &para.words {
            let (kind, in_before, in_after) = match para.whole {
                Whole::Inserted => (Word::Inserted, false, true),
                Whole::Deleted => (Word::Deleted, true, false),
                Whole::No => match kind {
                    Word::Kept => (*kind, true, true),
                    Word::Inserted | Word::MovedTo => (*kind, false, true),
                    Word::Deleted | Word::MovedFrom => (*kind, true, false),
                    Word::InsertedThenDeleted => (*kind, false, false),
                },
            };
            inner.push_str(&match kind {
                Word::Kept => run(text, false),
                Word::Inserted => change("ins", next(), &run(text, false)),
                Word::Deleted => change("del", next(), &run(text, true)),
                Word::MovedTo => change("moveTo", next(), &run(text, false)),
                Word::MovedFrom => change("moveFrom", next(), &run(text, true)),
                Word::InsertedThenDeleted => change("ins", next(), &change("del", next(), &run(text, true))),
            });
            if in_before {
                was.push(text.as_str());
            }
            if in_after {
                now.push(text.as_str());
            }
        }
        let mark = match para.whole {
            Whole::No => String::new(),
            Whole::Inserted => format!("<w:rPr>{}</w:rPr>", change("ins", next(), "").replace("></w:ins>", "/>")),
            Whole::Deleted => format!("<w:rPr>{}</w:rPr>", change("del", next(), "").replace("></w:del>", "/>")),
        };
        let numbering = para
            .list
            .map(|(num, level)| format!(r#"<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr>"#))
            .unwrap_or_default();
        let restyled = if para.restyled {
            format!(r#"<w:pStyle w:val="Chain0"/>{numbering}{}"#, change("pPrChange", next(), "<w:pPr/>"))
        } else {
            numbering
        };
        let paragraph = p(&format!("<w:pPr>{restyled}{mark}</w:pPr>{inner}"));
        out.push_str(&if para.in_table {
            format!("<w:tbl><w:tr><w:tc>{paragraph}</w:tc></w:tr></w:tbl>")
        } else {
            paragraph
        });
        // A paragraph without words is not among the texts (nor one wholly absent from a view).
        let (was, now) = (was.join(" "), now.join(" "));
        if !matches!(para.whole, Whole::Inserted) && !was.is_empty() {
            before.push(was);
        }
        if !matches!(para.whole, Whole::Deleted) && !now.is_empty() {
            after.push(now);
        }
    }
    (out, before, after)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn generated_documents_read_without_panic_and_their_changes_accepted_and_rejected_give_after_and_before(
        paragraphs in prop::collection::vec(para(), 0..14),
        lists in lists(),
        looped in any::<bool>(),
    ) {
        let (body, before, after) = body(&paragraphs);
        let bytes = package_with(&body, "", &lists, &styles(looped));
        match Document::read("generated.docx", bytes) {
            // Refused as a whole (a style loop, a list past its limits), never half-read.
            Err(error) => prop_assert!(looped || lists.contains("Loop") || lists.contains("2147483647"), "{error}"),
            Ok(document) => {
                // The texts are those of the change set, whatever the numbering.
                prop_assert_eq!(document.paragraphs(View::Accept), after);
                prop_assert_eq!(document.paragraphs(View::Reject), before);
                // Reading as a Section and reporting the changes never panic (without a title, it is refused).
                let _ = document.section(View::Accept);
                let _ = document.section(View::Reject);
                let _ = document.changes();
            }
        }
    }
}
