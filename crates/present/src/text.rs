//! A provision's text as a reader sees it on a page: its Markdown rendered to HTML (CommonMark with tables and
//! footnotes, by pulldown-cmark), its heading left to the page, every sub-paragraph given an anchor for permalinks
//! (`#D1.1-a`, `#D1.1-c-ii`) and its depth read from its label (`class="level2"` for (i) under (a), to indent it;
//! the stored text is not changed), and nothing in the text able to add markup: raw HTML is shown as text (a line break
//! `<br>`, which tables imported from Word use inside cells, aside), links go only to web, mail and in-page
//! addresses, and images are shown as their descriptions. Each line break of a paragraph is kept, as legal texts
//! put numbered items on lines of their own.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

use inforce_core::numerals::{next_letters, roman, roman_value};

use crate::html::escape;

/// The provision's text (a stored provision file: `# heading`, a blank line, its body) as HTML, for the provision
/// `id`, whose anchors and footnote ids it prefixes. The heading line is left out: the page shows the heading.
pub fn provision_html(id: &str, text: &str) -> String {
    let body = match text.strip_prefix("# ").or_else(|| text.strip_prefix("#\n")) {
        Some(_) => inforce_core::text::body(text),
        None => text,
    };
    let anchor = anchor_id(id);
    let options = Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    let mut labels = Labels::default();
    let mut dropped_links: Vec<bool> = Vec::new();
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut parser = Parser::new_ext(body, options).peekable();
    while let Some(event) = parser.next() {
        match event {
            Event::Start(Tag::Paragraph) => {
                let label = match parser.peek() {
                    Some(Event::Text(text)) => sub_paragraph_label(text),
                    _ => None,
                };
                match label.map(|l| labels.place(&l)) {
                    Some((path, depth)) => events.push(Event::Html(
                        format!("<p id=\"{anchor}-{}\" class=\"level{}\">", escape(&path), depth.min(4)).into(),
                    )),
                    None => events.push(Event::Start(Tag::Paragraph)),
                }
            }
            Event::Html(markup) | Event::InlineHtml(markup) => {
                events.push(if is_line_break(&markup) { Event::InlineHtml("<br>".into()) } else { Event::Text(markup) })
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id: link_id }) => {
                let safe = is_safe_address(&dest_url);
                dropped_links.push(!safe);
                if safe {
                    events.push(Event::Start(Tag::Link { link_type, dest_url, title, id: link_id }));
                }
            }
            Event::End(TagEnd::Link) => {
                if !dropped_links.pop().unwrap_or(false) {
                    events.push(Event::End(TagEnd::Link));
                }
            }
            // An image is shown as its description (its alternative text, which follows as text).
            Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => {}
            Event::FootnoteReference(label) => {
                events.push(Event::FootnoteReference(CowStr::from(format!("{anchor}-note-{label}"))));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                events.push(Event::Start(Tag::FootnoteDefinition(CowStr::from(format!("{anchor}-note-{label}")))));
            }
            // A line break in a legal text is the author's (items 1°, 2°… each on its line), not a wrapped line.
            Event::SoftBreak => events.push(Event::HardBreak),
            other => events.push(other),
        }
    }
    let mut out = String::with_capacity(body.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    out
}

/// A provision id as an HTML id: white space as `_` (ids cannot hold it), the rest escaped where it is written.
pub fn anchor_id(id: &str) -> String {
    escape(&id.split_whitespace().collect::<Vec<_>>().join("_"))
}

/// `<br>`, `<br/>` or `<br />`, in any case: the only markup a text may hold.
fn is_line_break(markup: &str) -> bool {
    let compact: String = markup.trim().chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase();
    compact == "<br>" || compact == "<br/>"
}

/// Web, mail and in-page addresses, and relative ones; never `javascript:`, `data:` or any other scheme.
fn is_safe_address(address: &str) -> bool {
    let lower = address.trim().to_lowercase();
    let scheme_end = lower.find(|c: char| !(c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.'));
    match scheme_end.filter(|&end| lower[end..].starts_with(':')) {
        Some(end) => matches!(&lower[..end], "http" | "https" | "mailto"),
        None => !lower.chars().any(|c| c.is_control()),
    }
}

/// The label a sub-paragraph starts with: `(a)`, `(ii)`, `(3)` followed by a space.
fn sub_paragraph_label(text: &str) -> Option<String> {
    let rest = text.strip_prefix('(')?;
    let end = rest.find(')')?;
    let label = &rest[..end];
    let ok = !label.is_empty() && label.len() <= 6 && label.chars().all(|c| c.is_ascii_alphanumeric());
    (ok && rest[end + 1..].starts_with([' ', '\u{a0}'])).then(|| label.to_string())
}

/// How a sub-paragraph label counts, in the order legal drafting nests them: (1) over (a) over (i) over (A) over
/// (I).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum LabelKind {
    Digits,
    LowerLetters,
    LowerRoman,
    UpperLetters,
    UpperRoman,
}

impl LabelKind {
    /// The label after `label` in this kind (b after a, ii after i, 4 after 3).
    fn next(self, label: &str) -> Option<String> {
        match self {
            Self::Digits => label.parse::<u32>().ok().map(|n| (n + 1).to_string()),
            Self::LowerLetters => next_letters(label),
            Self::UpperLetters => next_letters(&label.to_lowercase()).map(|l| l.to_uppercase()),
            Self::LowerRoman => roman_value(label).map(|n| roman(n + 1)),
            Self::UpperRoman => roman_value(&label.to_lowercase()).map(|n| roman(n + 1).to_uppercase()),
        }
    }
}

/// The labels met so far in a text, as a stack of levels (each its kind and last label), to tell `(i)` the ninth
/// letter from `(i)` the first Roman numeral under a letter, and how deep each sub-paragraph stands.
#[derive(Default)]
struct Labels {
    levels: Vec<(LabelKind, String)>,
}

impl Labels {
    /// The anchor path of a label (`a`, `c-ii` for a numeral under the letter before it, `c-ii-a`, `3`) and its
    /// depth (1 for the outermost). A label that follows the last one of a level (h → i, iv → v) continues that
    /// level; any other starts a level of its kind under the levels that nest above it.
    fn place(&mut self, label: &str) -> (String, usize) {
        let kinds = label_kinds(label);
        let continued = self
            .levels
            .iter()
            .rposition(|(kind, last)| kinds.contains(kind) && kind.next(last).as_deref() == Some(label));
        let (depth, kind) = match continued {
            Some(depth) => (depth, self.levels[depth].0),
            None => {
                // An ambiguous label (i, v, x…) that continues no letters is a numeral.
                let kind = kinds.last().copied().unwrap_or(LabelKind::Digits);
                let depth = self.levels.iter().position(|(above, _)| *above >= kind).unwrap_or(self.levels.len());
                (depth, kind)
            }
        };
        self.levels.truncate(depth);
        self.levels.push((kind, label.to_string()));
        let path: Vec<String> = self.levels.iter().map(|(_, l)| l.to_lowercase()).collect();
        (path.join("-"), self.levels.len())
    }

    /// The anchor path of a label ([`Labels::place`]).
    #[cfg(test)]
    fn anchor(&mut self, label: &str) -> String {
        self.place(label).0
    }
}

/// The kinds a label can be, numerals last: `i` is a letter or a numeral, `ii` a numeral, `b` a letter.
fn label_kinds(label: &str) -> Vec<LabelKind> {
    let mut kinds = Vec::new();
    if label.bytes().all(|b| b.is_ascii_digit()) {
        kinds.push(LabelKind::Digits);
    }
    let lower = label.to_lowercase();
    let one_letter = lower.chars().all(|c| lower.starts_with(c) && c.is_ascii_lowercase());
    let numeral = roman_value(&lower).is_some();
    let upper = label.chars().all(|c| c.is_ascii_uppercase());
    let lower_case = label.chars().all(|c| c.is_ascii_lowercase());
    match (upper, lower_case) {
        (true, _) => {
            if one_letter {
                kinds.push(LabelKind::UpperLetters);
            }
            if numeral {
                kinds.push(LabelKind::UpperRoman);
            }
        }
        (_, true) => {
            if one_letter {
                kinds.push(LabelKind::LowerLetters);
            }
            if numeral {
                kinds.push(LabelKind::LowerRoman);
            }
        }
        _ => {}
    }
    kinds
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_heading_is_left_to_the_page_and_paragraphs_get_anchors() {
        let text = "# Who may raise a proposal\n\nA proposal shall set out:\n\n(a) the name;\n\n(b) the reasons, \
                    including:\n\n(i) the first;\n\n(ii) the second; and\n\n(c) the wording.\n";
        let html = provision_html("D1.2", text);
        assert!(!html.contains("Who may raise"), "{html}");
        assert_eq!(
            html,
            "<p>A proposal shall set out:</p>\n<p id=\"D1.2-a\" class=\"level1\">(a) the name;</p>\n<p \
             id=\"D1.2-b\" class=\"level1\">(b) the reasons, including:</p>\n<p id=\"D1.2-b-i\" \
             class=\"level2\">(i) the first;</p>\n<p id=\"D1.2-b-ii\" class=\"level2\">(ii) the second; \
             and</p>\n<p id=\"D1.2-c\" class=\"level1\">(c) the wording.</p>\n"
        );
    }

    #[test]
    fn a_letter_that_reads_as_a_numeral_follows_the_letters() {
        let mut labels = Labels::default();
        let found: Vec<String> =
            ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"].iter().map(|l| labels.anchor(l)).collect();
        assert_eq!(found, ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"]);
        let mut labels = Labels::default();
        let found: Vec<String> = ["i", "ii", "a", "i", "v", "b", "1"].iter().map(|l| labels.anchor(l)).collect();
        assert_eq!(found, ["i", "ii", "a", "a-i", "a-v", "b", "1"]);
        assert_eq!(next_letters("z").as_deref(), Some("aa"));
        assert_eq!(roman_value("xiv"), Some(14));
        assert_eq!(roman_value("iiii"), None);
        assert_eq!(roman_value("vx"), None);
        assert_eq!(next_letters("bb").as_deref(), Some("cc"));
        assert_eq!(next_letters("ab"), None);
    }

    #[test]
    fn sub_paragraphs_stand_as_deep_as_their_labels_nest() {
        // (i) under (a), (A) under (i), (I) under (A); a label that continues a level goes back to it.
        let mut labels = Labels::default();
        let found: Vec<(String, usize)> = ["a", "i", "A", "I", "II", "B", "ii", "b", "h", "i", "j", "1", "a"]
            .iter()
            .map(|l| labels.place(l))
            .collect();
        let expected = [
            ("a", 1),
            ("a-i", 2),
            ("a-i-a", 3),
            ("a-i-a-i", 4),
            ("a-i-a-ii", 4),
            ("a-i-b", 3),
            ("a-ii", 2),
            ("b", 1),
            ("h", 1),
            ("i", 1),
            ("j", 1),
            ("1", 1),
            ("1-a", 2),
        ];
        assert_eq!(found, expected.map(|(path, depth)| (path.to_string(), depth)));
        // The stored text is not changed: only the class says the depth.
        let html = provision_html("D1.1", "# D1.1\n\nText:\n\n(a) one\n\n(i) two\n\n(A) three\n");
        assert!(html.contains("<p id=\"D1.1-a-i-a\" class=\"level3\">(A) three</p>"), "{html}");
    }

    #[test]
    fn tables_footnotes_and_line_breaks_render() {
        let text = "# D2.1\n\nPaths:[^1]\n\n| A | B \\| C |\n| --- | --- |\n| one<br>two | |\n\n[^1]: A note.\n";
        let html = provision_html("D2.1", text);
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("<td>one<br>two</td>"), "{html}");
        assert!(html.contains("<th>B | C</th>"), "{html}");
        assert!(html.contains("href=\"#D2.1-note-1\""), "{html}");
        assert!(html.contains("id=\"D2.1-note-1\""), "{html}");
        assert!(!html.contains("# D2.1"), "{html}");
        // Numbered items on lines of their own stay on lines of their own.
        let items =
            provision_html("L112-2", "# Article L112-2\n\nNe peuvent être saisis :\n1° les biens ;\n2° les droits.\n");
        assert_eq!(items, "<p>Ne peuvent être saisis :<br />\n1° les biens ;<br />\n2° les droits.</p>\n");
    }

    #[test]
    fn nothing_in_a_text_adds_markup() {
        for (text, absent) in [
            ("<script>alert(1)</script>\n", "<script"),
            ("Hello <img src=x onerror=alert(1)> there\n", "<img"),
            ("[click](javascript:alert(1))\n", "href"),
            ("[click](JavaScript:alert(1))\n", "href"),
            ("[data](data:text/html;base64,PHNjcmlwdD4=)\n", "href"),
            ("<javascript:alert(1)>\n", "href"),
            ("![x](https://evil.example/track.png)\n", "<img"),
            ("<div onclick=\"x()\">a</div>\n", "<div"),
            ("a <br onclick=x()> b\n", "<br onclick"),
            ("<iframe src=\"https://evil.example\"></iframe>\n", "<iframe"),
        ] {
            let html = provision_html("X1", text);
            assert!(!html.contains(absent), "{text:?} gave {html}");
        }
        let html = provision_html("X1", "[a link](https://example.org/a?b=1) and [local](#X1-a)\n");
        assert!(html.contains("<a href=\"https://example.org/a?b=1\">a link</a>"), "{html}");
        assert!(html.contains("<a href=\"#X1-a\">local</a>"), "{html}");
        assert_eq!(provision_html("X1", "![a map](m.png)\n"), "<p>a map</p>\n");
        assert_eq!(provision_html("Article 1", "(a) x\n"), "<p id=\"Article_1-a\" class=\"level1\">(a) x</p>\n");
    }
}
