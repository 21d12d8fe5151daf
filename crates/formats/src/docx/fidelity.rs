//! Documents read as Word shows them: each test makes a small document and names the clause of ECMA-376 Part 1
//! (5th edition) it follows, or says where Word departs from it.

use super::section::rules::{TITLE, level, p, package_with, run};
use super::{Document, DocxError, Section, View};

/// A list of four levels (`num` 1 on abstract list 1) with the extra elements given per level.
fn lists(formats: [(&str, &str, &str); 4]) -> String {
    let levels: String =
        formats.iter().enumerate().map(|(n, (format, text, extra))| level(n, format, text, extra)).collect();
    format!(
        r#"<w:abstractNum w:abstractNumId="1">{levels}</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>"#
    )
}

/// The Section's usual list: `D%1`, `D%1.%2`, `(%3)`, `(%4)`.
fn usual(extra: [&str; 4]) -> String {
    lists([
        ("decimal", "D%1", extra[0]),
        ("decimal", "D%1.%2", extra[1]),
        ("lowerLetter", "(%3)", extra[2]),
        ("lowerRoman", "(%4)", extra[3]),
    ])
}

/// A paragraph in list `num` at `level`, holding `inner`.
fn listed(num: &str, level: usize, inner: &str) -> String {
    p(&format!(r#"<w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr></w:pPr>{inner}"#))
}

/// A sub-section heading in list `num`.
fn heading(num: &str, title: &str) -> String {
    p(&format!(
        r#"<w:pPr><w:pStyle w:val="Heading2"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num}"/></w:numPr></w:pPr>{}"#,
        run(title)
    ))
}

fn read_with(body: &str, lists: &str, styles: &str) -> Result<Section, DocxError> {
    Document::read("test.docx", package_with(&format!("{TITLE}{body}"), "", lists, styles))?.section(View::Accept)
}

fn read(body: &str, lists: &str) -> Section {
    read_with(body, lists, "").expect("the document reads")
}

/// Sub-section ids, then each clause as `id<parent: text lines after its heading`.
fn outline(section: &Section) -> (Vec<String>, Vec<String>) {
    let subsections = section.subsections.iter().map(|s| s.id.clone()).collect();
    let clauses = section
        .clauses
        .iter()
        .map(|c| {
            let body = c.text.split_once("\n\n").map_or("", |(_, rest)| rest).trim_end();
            format!("{}<{}: {}", c.id, c.parent, body.replace("\n\n", " / "))
        })
        .collect();
    (subsections, clauses)
}

#[test]
fn legal_numbering_shows_a_roman_heading_s_clauses_in_decimal() {
    // §17.9.4 isLgl. The heading shows DI; its clauses D1.1, D1.2 (not DI.1); a "(%3.%4)" isLgl level under an
    // upperLetter one shows (1.1), not (A.i).
    let lists = lists([
        ("upperRoman", "D%1", ""),
        ("decimal", "D%1.%2", "<w:isLgl/>"),
        ("upperLetter", "(%3)", ""),
        ("lowerRoman", "(%3.%4)", "<w:isLgl/>"),
    ]);
    let body = [
        heading("1", "ONE"),
        listed("1", 1, &run("First.")),
        listed("1", 2, &run("a letter")),
        listed("1", 3, &run("a legal sub-paragraph")),
        listed("1", 1, &run("Second.")),
        heading("1", "TWO"),
        listed("1", 1, &run("Third.")),
    ]
    .concat();
    let section = read(&body, &lists);
    let (subsections, clauses) = outline(&section);
    assert_eq!(subsections, ["DI", "DII"]);
    assert_eq!(
        clauses,
        ["D1.1<DI: First. / (A) a letter / (1.1) a legal sub-paragraph", "D1.2<DI: Second.", "D2.1<DII: Third."]
    );
    // The ids are provision ids.
    section.texts("test.docx").expect("provision ids");
}

#[test]
fn a_clause_under_another_heading_s_number_is_still_refused() {
    // The heading's list numbers D1.1 under DI; a clause of another list numbered D7.1 stands in no sub-section
    // of its own.
    let first = format!(
        "{}{}",
        lists([
            ("upperRoman", "D%1", ""),
            ("decimal", "D%1.%2", "<w:isLgl/>"),
            ("decimal", "%3", ""),
            ("decimal", "%4", "")
        ]),
        r#"<w:abstractNum w:abstractNumId="2"><w:lvl w:ilvl="0"><w:start w:val="7"/><w:numFmt w:val="decimal"/><w:lvlText w:val="D%1.1"/></w:lvl></w:abstractNum><w:num w:numId="2"><w:abstractNumId w:val="2"/></w:num>"#
    );
    let body = [heading("1", "ONE"), listed("1", 1, &run("First.")), listed("2", 0, &run("Elsewhere."))].concat();
    let error = read_with(&body, &first, "").expect_err("refused").to_string();
    assert!(error.contains("clause D7.1 is numbered under D7, but it stands in sub-section DI"), "{error}");

    // Another list's clause at the level under the heading's, counting from 1 as the heading does, or deeper:
    // numbered under D1, not under the heading DI.
    let second = format!(
        r#"<w:abstractNum w:abstractNumId="2">{}{}{}</w:abstractNum><w:num w:numId="2"><w:abstractNumId w:val="2"/></w:num>"#,
        level(0, "decimal", "D%1", ""),
        level(1, "decimal", "D%1.%2", ""),
        level(2, "decimal", "D%1.%2.%3", "")
    );
    let heading_list = lists([
        ("upperRoman", "D%1", ""),
        ("decimal", "D%1.%2", "<w:isLgl/>"),
        ("decimal", "%3", ""),
        ("decimal", "%4", ""),
    ]);
    let other = format!("{heading_list}{second}");
    for level in [1, 2] {
        let body =
            [heading("1", "ONE"), listed("1", 1, &run("First.")), listed("2", level, &run("Elsewhere."))].concat();
        let error = read_with(&body, &other, "").expect_err("refused").to_string();
        assert!(error.contains("but it stands in sub-section DI"), "{error}");
    }
}

#[test]
fn a_list_through_a_numbering_style_numbers_the_section() {
    // §17.9.21 numStyleLink: the paragraphs' list (num 1) holds no levels, only a link to the numbering style
    // SECList, whose own list (num 5, §17.9.27 styleLink) defines them.
    let lists = format!(
        r#"<w:abstractNum w:abstractNumId="1"><w:numStyleLink w:val="SECList"/></w:abstractNum>
        <w:abstractNum w:abstractNumId="2"><w:styleLink w:val="SECList"/>{}{}{}</w:abstractNum>
        <w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num><w:num w:numId="5"><w:abstractNumId w:val="2"/></w:num>"#,
        level(0, "decimal", "D%1", ""),
        level(1, "decimal", "D%1.%2", ""),
        level(2, "lowerLetter", "(%3)", "")
    );
    let styles = r#"<w:style w:type="numbering" w:styleId="SECList"><w:name w:val="SEC List"/><w:pPr><w:numPr><w:numId w:val="5"/></w:numPr></w:pPr></w:style>"#;
    let body = [
        heading("1", "ONE"),
        listed("1", 1, &run("First.")),
        listed("1", 2, &run("sub")),
        listed("1", 1, &run("Second.")),
    ]
    .concat();
    let section = read_with(&body, &lists, styles).expect("reads");
    assert_eq!(outline(&section).1, ["D1.1<D1: First. / (a) sub", "D1.2<D1: Second."]);

    // A link that leads back to itself is refused, naming the part and the style.
    let looped = r#"<w:abstractNum w:abstractNumId="1"><w:numStyleLink w:val="Loop"/></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>"#;
    let styles = r#"<w:style w:type="numbering" w:styleId="Loop"><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>"#;
    let error = read_with(&body, looped, styles).expect_err("refused").to_string();
    assert!(error.contains("word/numbering.xml") && error.contains("'Loop'"), "{error}");
}

#[test]
fn restarts_suffixes_overrides_and_hidden_numbers_read_as_word_shows_them() {
    // §17.9.10 lvlRestart 0: the (i) level continues across clauses; §17.9.28 suff nothing: "(a)text";
    // §17.9.8 lvlOverride with a whole lvl: num 2 shows level 2 as "[%3]"; a level whose run properties hide its
    // number (§17.3.2.41 vanish) shows the text alone.
    let lists = format!(
        r#"{}<w:num w:numId="2"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="2"><w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="[%3]"/></w:lvl></w:lvlOverride></w:num>"#,
        usual(["", "", r#"<w:suff w:val="nothing"/>"#, r#"<w:lvlRestart w:val="0"/><w:rPr><w:vanish/></w:rPr>"#])
    );
    let body = [
        heading("1", "ONE"),
        listed("1", 1, &run("First.")),
        listed("1", 2, &run("joined")),
        listed("1", 3, &run("hidden number one")),
        listed("2", 2, &run("overridden")),
        listed("1", 1, &run("Second.")),
        listed("1", 3, &run("hidden number two")),
    ]
    .concat();
    let section = read(&body, &lists);
    assert_eq!(
        outline(&section).1,
        ["D1.1<D1: First. / (a)joined / hidden number one / [2] overridden", "D1.2<D1: Second. / hidden number two"]
    );
}

#[test]
fn a_list_continues_across_a_table_and_numbers_in_its_cells() {
    // Counters run in document order through table cells (§17.9: a list's paragraphs wherever they stand).
    let cell = |inner: &str| format!("<w:tc>{inner}</w:tc>");
    let table = format!(
        "<w:tbl><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl>",
        cell(&p(&run("Head"))),
        cell(&p(&run("Other"))),
        cell(&listed("1", 2, &run("in a cell"))),
        cell(&p(&run("plain")))
    );
    let body = [
        heading("1", "ONE"),
        listed("1", 1, &run("First.")),
        listed("1", 2, &run("before")),
        table,
        listed("1", 2, &run("after")),
        listed("1", 1, &run("Second.")),
    ]
    .concat();
    let section = read(&body, &usual(["", "", "", ""]));
    assert_eq!(
        outline(&section).1,
        [
            "D1.1<D1: First. / (a) before / | Head | Other |\n| --- | --- |\n| (b) in a cell | plain | / (c) after",
            "D1.2<D1: Second."
        ]
    );
}

/// A paragraph holding runs with the run properties given.
fn runs(parts: &[(&str, &str)]) -> String {
    parts
        .iter()
        .map(|(properties, text)| {
            format!(r#"<w:r><w:rPr>{properties}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>"#)
        })
        .collect()
}

#[test]
fn hidden_text_is_not_text() {
    // §17.3.2.41 vanish, a toggle property (§17.7.3): a run's own setting wins; else its character style's and its
    // paragraph style's, toggled (both hiding shows the text, as Word does).
    let styles = r#"<w:style w:type="character" w:styleId="Note"><w:name w:val="Drafting Note"/><w:rPr><w:vanish/></w:rPr></w:style>
        <w:style w:type="character" w:styleId="NoteChild"><w:name w:val="Note Child"/><w:basedOn w:val="Note"/></w:style>
        <w:style w:type="paragraph" w:styleId="HiddenPara"><w:name w:val="Hidden Para"/><w:rPr><w:vanish/></w:rPr></w:style>"#;
    let clause = |inner: String| listed("1", 1, &inner);
    // (Its mark shown by its own setting: a mark the style hides would join the paragraph to the next.)
    let in_style = |style: &str, inner: String| {
        p(&format!(
            r#"<w:pPr><w:pStyle w:val="{style}"/><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr><w:rPr><w:vanish w:val="0"/></w:rPr></w:pPr>{inner}"#
        ))
    };
    let body = [
        heading("1", "ONE"),
        clause(runs(&[("", "Seen "), ("<w:vanish/>", "[Drafting note: check this] "), ("", "and seen.")])),
        clause(runs(&[("", "Styled "), (r#"<w:rStyle w:val="NoteChild"/>"#, "[hidden by its style] "), ("", "away.")])),
        clause(runs(&[(r#"<w:rStyle w:val="Note"/><w:vanish w:val="false"/>"#, "Shown: its own setting wins.")])),
        in_style("HiddenPara", runs(&[("", "[gone] "), (r#"<w:vanish w:val="0"/>"#, "Kept by its own setting.")])),
        in_style("HiddenPara", runs(&[(r#"<w:rStyle w:val="Note"/>"#, "Both styles hide: shown.")])),
    ]
    .concat();
    let section = read_with(&body, &usual(["", "", "", ""]), styles).expect("reads");
    assert_eq!(
        outline(&section).1,
        [
            "D1.1<D1: Seen and seen.",
            "D1.2<D1: Styled away.",
            "D1.3<D1: Shown: its own setting wins.",
            "D1.4<D1: Kept by its own setting.",
            "D1.5<D1: Both styles hide: shown."
        ]
    );
}

#[test]
fn a_paragraph_its_style_hides_is_gone_with_its_mark() {
    let styles = r#"<w:style w:type="paragraph" w:styleId="HiddenPara"><w:name w:val="Hidden Para"/><w:rPr><w:vanish/></w:rPr></w:style>"#;
    let hidden = p(&format!(r#"<w:pPr><w:pStyle w:val="HiddenPara"/></w:pPr>{}"#, run("A drafting note.")));
    let body = [heading("1", "ONE"), listed("1", 1, &run("First.")), hidden, listed("1", 2, &run("next"))].concat();
    let section = read_with(&body, &usual(["", "", "", ""]), styles).expect("reads");
    assert_eq!(outline(&section).1, ["D1.1<D1: First. / (a) next"]);
}

#[test]
fn a_hidden_paragraph_mark_joins_its_paragraph_to_the_next() {
    // The paragraph mark's own run properties (pPr/rPr/vanish): Word shows the two paragraphs as one, which takes
    // the next paragraph's properties (as a deleted mark does).
    let hidden_mark = p(&format!(r#"<w:pPr><w:rPr><w:vanish/></w:rPr></w:pPr>{}"#, run("Joined ")));
    let body = [heading("1", "ONE"), listed("1", 1, &run("First.")), hidden_mark, listed("1", 2, &run("to the next"))]
        .concat();
    let section = read(&body, &usual(["", "", "", ""]));
    assert_eq!(outline(&section).1, ["D1.1<D1: First. / (a) Joined to the next"]);
}

#[test]
fn nesting_has_one_limit_for_every_element_and_is_read_without_recursion() {
    let lists = usual(["", "", "", ""]);
    let nested = |depth: usize| {
        let inner = format!(
            "{}{}{}",
            "<w:tbl><w:tr><w:tc>".repeat(depth),
            p(&run("deep")),
            "</w:tc></w:tr></w:tbl>".repeat(depth)
        );
        [heading("1", "ONE"), listed("1", 1, &run("First.")), inner].concat()
    };
    // Tables nested a hundred deep read (the cell's text is the clause's).
    let section = read(&nested(100), &lists);
    assert!(section.clauses[0].text.contains("deep"));
    // Ten thousand deep is refused naming the part, without overflowing the stack.
    let error = read_with(&nested(10_000), &lists, "").expect_err("refused").to_string();
    assert!(error.contains("word/document.xml") && error.contains(&super::numbering::MAX_DEPTH.to_string()), "{error}");
    // Tracked changes nested 60,000 deep: refused at the same limit.
    let changes =
        format!("{}{}{}", r#"<w:ins w:id="1" w:author="A">"#.repeat(60_000), run("deep"), "</w:ins>".repeat(60_000));
    let body = [heading("1", "ONE"), listed("1", 1, &changes)].concat();
    assert!(read_with(&body, &lists, "").is_err());
}

#[test]
fn a_hostile_list_is_refused_naming_the_part() {
    // A counter starting at 2,147,483,647 in letters (82 million characters a number).
    let lists = lists([
        ("decimal", "D%1", ""),
        ("decimal", "D%1.%2", ""),
        ("lowerLetter", "(%3)", ""),
        ("lowerRoman", "(%4)", ""),
    ])
    .replace(r#"<w:lvl w:ilvl="2"><w:start w:val="1"/>"#, r#"<w:lvl w:ilvl="2"><w:start w:val="2147483647"/>"#);
    let body = [heading("1", "ONE"), listed("1", 1, &run("First.")), listed("1", 2, &run("sub"))].concat();
    let error = read_with(&body, &lists, "").expect_err("refused");
    assert!(matches!(&error, DocxError::Xml { member, .. } if member == "word/numbering.xml"), "{error}");
}

fn read_view(body: &str, view: View) -> Section {
    let bytes = package_with(&format!("{TITLE}{body}"), "", &usual(["", "", "", ""]), "");
    Document::read("test.docx", bytes).expect("reads").section(view).expect("a Section")
}

fn report(body: &str) -> String {
    let bytes = package_with(&format!("{TITLE}{body}"), "", &usual(["", "", "", ""]), "");
    super::TrackedChange::tsv(&Document::read("test.docx", bytes).expect("reads").changes())
}

#[test]
fn numbering_added_under_a_tracked_change_is_reported_and_undone_by_reject() {
    // §17.13.5.29 pPrChange keeps the paragraph properties before the change: here no list. Accepted, the
    // paragraph is clause D1.2; rejected, it is an unnumbered paragraph of D1.1 and D1.3 stays D1.2.
    let was_plain = r#"<w:pPrChange w:id="7" w:author="Editor" w:date="2025-05-01T00:00:00Z"><w:pPr/></w:pPrChange>"#;
    let newly_numbered = p(&format!(
        r#"<w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr>{was_plain}</w:pPr>{}"#,
        run("Now a clause.")
    ));
    let restyled = p(&format!(
        r#"<w:pPr><w:pStyle w:val="Custom"/><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr><w:pPrChange w:id="8" w:author="Editor" w:date="2025-05-02T00:00:00Z"><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr></w:pPr></w:pPrChange></w:pPr>{}"#,
        run("Restyled.")
    ));
    let body = [heading("1", "ONE"), listed("1", 1, &run("First.")), newly_numbered, restyled].concat();
    assert_eq!(
        outline(&read_view(&body, View::Accept)).1,
        ["D1.1<D1: First.", "D1.2<D1: Now a clause.", "D1.3<D1: Restyled."]
    );
    assert_eq!(outline(&read_view(&body, View::Reject)).1, ["D1.1<D1: First. / Now a clause.", "D1.2<D1: Restyled."]);
    assert_eq!(
        report(&body),
        "kind\tauthor\tdate\tprovision_id\ttext\n\
         numbering\tEditor\t2025-05-01T00:00:00Z\tD1.2\tNow a clause.\n\
         formatting\tEditor\t2025-05-02T00:00:00Z\tD1.3\tRestyled.\n"
    );
}

#[test]
fn words_inserted_by_one_reviewer_and_deleted_by_another_are_in_neither_view_and_both_listed() {
    // §17.13.5.14 del inside §17.13.5.18 ins: accepting keeps the insertion and the deletion (the words go);
    // rejecting takes the insertion away (the words go).
    let both = r#"<w:ins w:id="1" w:author="A" w:date="2025-01-01T00:00:00Z"><w:r><w:t xml:space="preserve">added </w:t></w:r><w:del w:id="2" w:author="B" w:date="2025-01-02T00:00:00Z"><w:r><w:delText xml:space="preserve">then removed </w:delText></w:r></w:del></w:ins>"#;
    let body = [heading("1", "ONE"), listed("1", 1, &format!("{}{both}{}", run("Kept "), run("end.")))].concat();
    assert_eq!(outline(&read_view(&body, View::Accept)).1, ["D1.1<D1: Kept added end."]);
    assert_eq!(outline(&read_view(&body, View::Reject)).1, ["D1.1<D1: Kept end."]);
    assert_eq!(
        report(&body),
        "kind\tauthor\tdate\tprovision_id\ttext\n\
         ins\tA\t2025-01-01T00:00:00Z\tD1.1\tadded then removed \n\
         del\tB\t2025-01-02T00:00:00Z\tD1.1\tthen removed \n"
    );
}

#[test]
fn table_cells_inserted_or_deleted_are_reported_and_applied() {
    // §17.13.5.4 cellDel, §17.13.5.5 cellIns.
    let cell = |properties: &str, text: &str| format!("<w:tc><w:tcPr>{properties}</w:tcPr>{}</w:tc>", p(&run(text)));
    let table = format!(
        "<w:tbl><w:tr>{}{}{}</w:tr></w:tbl>",
        cell("", "kept"),
        cell(r#"<w:cellIns w:id="3" w:author="A" w:date="d"/>"#, "new cell"),
        cell(r#"<w:cellDel w:id="4" w:author="B" w:date="e"/>"#, "old cell")
    );
    let body = [heading("1", "ONE"), listed("1", 1, &run("First.")), table].concat();
    assert_eq!(outline(&read_view(&body, View::Accept)).1, ["D1.1<D1: First. / | kept | new cell |\n| --- | --- |"]);
    assert_eq!(outline(&read_view(&body, View::Reject)).1, ["D1.1<D1: First. / | kept | old cell |\n| --- | --- |"]);
    assert_eq!(
        report(&body),
        "kind\tauthor\tdate\tprovision_id\ttext\n\
         ins\tA\td\tD1.1\tnew cell\n\
         del\tB\te\tD1.1\told cell\n"
    );
}

#[test]
fn a_deleted_paragraph_mark_whose_words_stay_is_a_join() {
    // At the end of a table cell, and between two paragraphs: the words are not deleted, the paragraph joins.
    let deleted_mark = |text: &str| {
        p(&format!(r#"<w:pPr><w:rPr><w:del w:id="5" w:author="C" w:date="f"/></w:rPr></w:pPr>{}"#, run(text)))
    };
    let table = format!("<w:tbl><w:tr><w:tc>{}{}</w:tc></w:tr></w:tbl>", p(&run("Cell ")), deleted_mark("end"));
    let body = [
        heading("1", "ONE"),
        listed("1", 1, &run("First.")),
        table,
        deleted_mark("Joined "),
        listed("1", 2, &run("to (a)")),
    ]
    .concat();
    assert_eq!(
        report(&body),
        "kind\tauthor\tdate\tprovision_id\ttext\n\
         join\tC\tf\tD1.1\tend\n\
         join\tC\tf\tD1.1\tJoined \n"
    );
    assert_eq!(
        outline(&read_view(&body, View::Accept)).1,
        ["D1.1<D1: First. / | Cell<br>end |\n| --- | / (a) Joined to (a)"]
    );
}

#[test]
fn a_custom_number_format_chosen_over_its_fallback_reads_as_word_shows_it() {
    // Word 2010 writes "001, 002, 003" as a w14 choice (§17.9.17 numFmt custom, in mc:AlternateContent, Part 3),
    // with decimal as the fallback for older readers: Word shows D1.001.
    let custom = r#"<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice Requires="w14"><w:numFmt w:val="custom" w:format="001, 002, 003, ..."/></mc:Choice><mc:Fallback><w:numFmt w:val="decimal"/></mc:Fallback></mc:AlternateContent>"#;
    let lists = format!(
        r#"<w:abstractNum w:abstractNumId="1">{}<w:lvl w:ilvl="1"><w:start w:val="1"/>{custom}<w:lvlText w:val="D%1.%2"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>"#,
        level(0, "decimal", "D%1", "")
    );
    let body = [heading("1", "ONE"), listed("1", 1, &run("First."))].concat();
    assert_eq!(outline(&read(&body, &lists)).1, ["D1.001<D1: First."]);
}

#[test]
fn special_hiding_and_the_document_default_hide_text_too() {
    // §17.3.2.36 specVanish on a paragraph mark (a style separator) joins the paragraphs as vanish does; a
    // document whose default run properties hide text (docDefaults) shows only what a run shows again.
    let separated = p(&format!(r#"<w:pPr><w:rPr><w:specVanish/></w:rPr></w:pPr>{}"#, run("Heading part ")));
    let body =
        [heading("1", "ONE"), listed("1", 1, &run("First.")), separated, listed("1", 2, &run("and its text"))].concat();
    assert_eq!(outline(&read(&body, &usual(["", "", "", ""]))).1, ["D1.1<D1: First. / (a) Heading part and its text"]);

    let defaults = r#"<w:docDefaults><w:rPrDefault><w:rPr><w:vanish/></w:rPr></w:rPrDefault></w:docDefaults>"#;
    let shown = |text: &str| {
        format!(r#"<w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>"#)
    };
    let visible_mark = |inner: String| p(&format!(r#"<w:pPr><w:rPr><w:vanish w:val="0"/></w:rPr></w:pPr>{inner}"#));
    let numbered_visible = |inner: String| {
        p(&format!(
            r#"<w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr><w:rPr><w:vanish w:val="0"/></w:rPr></w:pPr>{inner}"#
        ))
    };
    let title = visible_mark(shown("SECTION D: TEST"));
    let sub = p(&format!(
        r#"<w:pPr><w:pStyle w:val="Heading2"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr><w:rPr><w:vanish w:val="0"/></w:rPr></w:pPr>{}"#,
        shown("ONE")
    ));
    let clause = numbered_visible(format!("{}{}", shown("Shown "), run("hidden by default")));
    let bytes = package_with(&format!("{title}{sub}{clause}"), "", &usual(["", "", "", ""]), defaults);
    let section = Document::read("test.docx", bytes).expect("reads").section(View::Accept).expect("a Section");
    assert_eq!(outline(&section).1, ["D1.1<D1: Shown"]);
}

#[test]
fn hiding_toggles_from_the_document_default_too() {
    // §17.7.3: a toggle property's value in the style hierarchy is toggled by each level that sets it; the
    // document default hides, a character style hides again: shown.
    let styles = r#"<w:docDefaults><w:rPrDefault><w:rPr><w:vanish/></w:rPr></w:rPrDefault></w:docDefaults>
        <w:style w:type="character" w:styleId="Shown"><w:rPr><w:vanish/></w:rPr></w:style>"#;
    let visible = r#"<w:rPr><w:vanish w:val="0"/></w:rPr>"#;
    let title = p(&format!(r#"<w:pPr>{visible}</w:pPr><w:r>{visible}<w:t>SECTION D: TEST</w:t></w:r>"#));
    let sub = p(&format!(
        r#"<w:pPr><w:pStyle w:val="Heading2"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>{visible}</w:pPr><w:r>{visible}<w:t>ONE</w:t></w:r>"#
    ));
    let clause = p(&format!(
        r#"<w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr>{visible}</w:pPr><w:r><w:rPr><w:rStyle w:val="Shown"/></w:rPr><w:t>Toggled back.</w:t></w:r>"#
    ));
    let bytes = package_with(&format!("{title}{sub}{clause}"), "", &usual(["", "", "", ""]), styles);
    let section = Document::read("test.docx", bytes).expect("reads").section(View::Accept).expect("a Section");
    assert_eq!(outline(&section).1, ["D1.1<D1: Toggled back."]);
}

#[test]
fn what_a_paragraph_property_change_kept_is_the_old_properties_alone() {
    // §17.13.5.29: the pPr inside pPrChange is what the paragraph had; its mark's revision or hiding there does not
    // touch the paragraph as it is. A level past the ninth there is no level (as in a paragraph's own numPr).
    let old = |inner: &str| {
        format!(
            r#"<w:pPrChange w:id="9" w:author="E" w:date="2025-05-01T00:00:00Z"><w:pPr>{inner}</w:pPr></w:pPrChange>"#
        )
    };
    let kept = p(&format!(
        r#"<w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr>{}</w:pPr>{}"#,
        old(
            r#"<w:numPr><w:ilvl w:val="9"/><w:numId w:val="1"/></w:numPr><w:rPr><w:ins w:id="3" w:author="E"/><w:vanish/></w:rPr>"#
        ),
        run("Second.")
    ));
    let body = [heading("1", "ONE"), listed("1", 1, &run("First.")), kept, listed("1", 1, &run("Third."))].concat();
    assert_eq!(outline(&read_view(&body, View::Accept)).1, ["D1.1<D1: First.", "D1.2<D1: Second.", "D1.3<D1: Third."]);
    // Rejected, the old level 9 is none, so the first (as in a paragraph's own numbering): a sub-section.
    let rejected = read_view(&body, View::Reject);
    assert_eq!(
        outline(&rejected),
        (vec!["D1".to_string(), "D2".into()], vec!["D1.1<D1: First.".to_string(), "D2.1<D2: Third.".into()])
    );

    // A style that numbered the paragraph, replaced: rejected, the old style's (plain) numbering is back.
    let styles = r#"<w:style w:type="paragraph" w:styleId="Clause"><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
        <w:style w:type="paragraph" w:styleId="Plain"/>"#;
    let restyled = p(&format!(
        r#"<w:pPr><w:pStyle w:val="Clause"/>{}</w:pPr>{}"#,
        old(r#"<w:pStyle w:val="Plain"/>"#),
        run("Now a clause.")
    ));
    let body = [heading("1", "ONE"), listed("1", 1, &run("First.")), restyled].concat();
    let document = |view| {
        let bytes = package_with(&format!("{TITLE}{body}"), "", &usual(["", "", "", ""]), styles);
        outline(&Document::read("test.docx", bytes).expect("reads").section(view).expect("a Section")).1
    };
    assert_eq!(document(View::Accept), ["D1.1<D1: First.", "D1.2<D1: Now a clause."]);
    assert_eq!(document(View::Reject), ["D1.1<D1: First. / Now a clause."]);
    // And the other way: a clause by its style made plain; rejected, the style numbers it again.
    let plained = p(&format!(
        r#"<w:pPr><w:pStyle w:val="Plain"/>{}</w:pPr>{}"#,
        old(r#"<w:pStyle w:val="Clause"/>"#),
        run("Was a clause.")
    ));
    let body = [heading("1", "ONE"), listed("1", 1, &run("First.")), plained].concat();
    let read = |view| {
        let bytes = package_with(&format!("{TITLE}{body}"), "", &usual(["", "", "", ""]), styles);
        outline(&Document::read("test.docx", bytes).expect("reads").section(view).expect("a Section")).1
    };
    assert_eq!(read(View::Accept), ["D1.1<D1: First. / Was a clause."]);
    assert_eq!(read(View::Reject), ["D1.1<D1: First.", "D1.2<D1: Was a clause."]);

    // A property change outside any paragraph (a damaged document) is no tracked change.
    let stray = format!("{}{}", old(""), [heading("1", "ONE"), listed("1", 1, &run("First."))].concat());
    let bytes = package_with(&format!("{TITLE}{stray}"), "", &usual(["", "", "", ""]), "");
    assert!(!Document::read("test.docx", bytes).expect("reads").has_changes());
}

#[test]
fn hidden_text_in_a_note_is_not_text() {
    // A footnote's runs hide as the body's do (their own vanish; what a formatting change kept is not read).
    let note = r#"<w:footnote w:id="4"><w:p><w:r><w:t xml:space="preserve">Shown </w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t xml:space="preserve">[hidden] </w:t></w:r><w:r><w:t xml:space="preserve">plain </w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t xml:space="preserve">[hidden] </w:t></w:r><w:r><w:rPr><w:vanish w:val="false"/></w:rPr><w:t xml:space="preserve">shown again </w:t></w:r><w:r><w:rPr><w:b/><w:rPrChange w:id="1" w:author="A"><w:rPr><w:vanish/></w:rPr></w:rPrChange></w:rPr><w:t>and kept.</w:t></w:r></w:p></w:footnote>"#;
    let body = [
        heading("1", "ONE"),
        listed("1", 1, r#"<w:r><w:t>Noted</w:t></w:r><w:r><w:footnoteReference w:id="4"/></w:r>"#),
    ]
    .concat();
    let bytes = package_with(&format!("{TITLE}{body}"), note, &usual(["", "", "", ""]), "");
    let section = Document::read("test.docx", bytes).expect("reads").section(View::Accept).expect("a Section");
    assert_eq!(section.clauses[0].text, "# D1.1\n\nNoted[^1]\n\n[^1]: Shown plain shown again and kept.\n");
}
