//! List numbers as Word displays them (ECMA-376 Part 1, §17.9), computed from `numbering.xml` and `styles.xml`:
//! a paragraph's numbering is its own `w:numPr`, else its style's, else along the style's `w:basedOn` chain;
//! `w:numId` 0 switches numbering off; a style's numbering without `w:ilvl` is the level whose `w:pStyle` names the
//! style; a level's counter starts at its `w:start` (0 when absent), or at a `w:num`'s `w:startOverride` for that
//! level; counters belong to the abstract list, so two `w:num`s of one abstract list continue each other; a
//! paragraph at level n resets every deeper level; `%n` in a level's `w:lvlText` is level n-1's counter in that
//! level's format (decimal, lowerLetter, upperLetter, lowerRoman, upperRoman; a bullet is its text).

use std::collections::{HashMap, HashSet};

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;

use super::{entities, xml_reader};

/// WordprocessingML's namespace (transitional); elements in any other are ignored.
pub const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
/// How many levels a list has.
pub(super) const LEVELS: usize = 9;

/// A level's number format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// 1, 2, 3 (also what an unknown format is shown as).
    #[default]
    Decimal,
    /// a … z, aa, bb …
    LowerLetter,
    /// A … Z, AA, BB …
    UpperLetter,
    /// i, ii, iii …
    LowerRoman,
    /// I, II, III …
    UpperRoman,
    /// No number: the level's text is shown as it is.
    Bullet,
    /// Nothing.
    None,
}

impl Format {
    fn parse(text: &str) -> Self {
        match text {
            "lowerLetter" => Self::LowerLetter,
            "upperLetter" => Self::UpperLetter,
            "lowerRoman" => Self::LowerRoman,
            "upperRoman" => Self::UpperRoman,
            "bullet" => Self::Bullet,
            "none" => Self::None,
            _ => Self::Decimal,
        }
    }

    /// `n` in this format.
    pub fn show(self, n: i64) -> String {
        match self {
            Self::Decimal => n.to_string(),
            Self::LowerLetter => letters(n),
            Self::UpperLetter => letters(n).to_uppercase(),
            Self::LowerRoman => roman(n),
            Self::UpperRoman => roman(n).to_uppercase(),
            Self::Bullet | Self::None => String::new(),
        }
    }
}

/// Word's letters: a … z, then aa … zz, then aaa (the letter repeated, not a base-26 number).
fn letters(n: i64) -> String {
    if n < 1 {
        return n.to_string();
    }
    let index = (n - 1) as usize;
    let letter = char::from(b'a' + (index % 26) as u8);
    std::iter::repeat_n(letter, index / 26 + 1).collect()
}

/// Lower-case Roman numerals (Word writes numbers from 1 to 3999 so; others in decimal).
fn roman(n: i64) -> String {
    if !(1..4000).contains(&n) {
        return n.to_string();
    }
    let mut rest = n;
    let mut out = String::new();
    for (value, digits) in [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ] {
        while rest >= value {
            out.push_str(digits);
            rest -= value;
        }
    }
    out
}

/// One level of an abstract list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Level {
    /// `w:start` (0 when absent).
    pub start: i64,
    /// `w:numFmt`.
    pub format: Format,
    /// `w:lvlText`, with `%1` … `%9`.
    pub text: String,
    /// `w:pStyle`: the style whose paragraphs are at this level.
    pub style: Option<String>,
}

/// A `w:num`: an abstract list, with start values overridden per level.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Num {
    abstract_id: String,
    overrides: HashMap<usize, i64>,
}

/// The lists of `numbering.xml`.
#[derive(Debug, Clone, Default)]
pub struct Numbering {
    abstracts: HashMap<String, Vec<Level>>,
    nums: HashMap<String, Num>,
}

/// A style's numbering and what it is based on, from `styles.xml`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Style {
    based_on: Option<String>,
    num_id: Option<String>,
    level: Option<usize>,
    /// `w:name`, lower-cased (`heading 1`, `toc 2`): built-in styles are known by name, as ids are localised.
    name: Option<String>,
    /// `w:outlineLvl` (0 for a level-1 heading).
    outline: Option<usize>,
}

/// The paragraph styles of `styles.xml`, for their numbering.
#[derive(Debug, Clone, Default)]
pub struct Styles {
    styles: HashMap<String, Style>,
}

/// What a paragraph says of its numbering: its style and its own `w:numPr`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParagraphNumbering {
    /// `w:pStyle`.
    pub style: Option<String>,
    /// `w:numPr/w:numId`.
    pub num_id: Option<String>,
    /// `w:numPr/w:ilvl`.
    pub level: Option<usize>,
}

/// A paragraph's number as Word displays it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// Its level, from 0.
    pub level: usize,
    /// The rendered text (`D1.1`, `(a)`).
    pub text: String,
    /// Whether the level is a bullet (its text is a symbol, not a number).
    pub bullet: bool,
}

/// A `w:`-namespaced attribute's value (`w:val`), matched by namespace.
pub(super) fn attribute(
    reader: &quick_xml::reader::NsReader<&[u8]>,
    element: &BytesStart,
    name: &str,
) -> Option<String> {
    element.attributes().flatten().find_map(|a| {
        let (namespace, local) = reader.resolver().resolve_attribute(a.key);
        let ours = matches!(namespace, ResolveResult::Bound(ns) if ns.into_inner() == W);
        (ours && local.into_inner() == name)
            .then(|| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
            .flatten()
    })
}

/// An element met by [`walk`]: opened (with its attributes) or closed, or character data.
pub(super) enum Tag<'e> {
    Open(&'e str, &'e BytesStart<'e>),
    Close(&'e str),
    Text(&'e str),
}

/// Markup compatibility (`mc:AlternateContent`), whose elements [`walk`] names `mc:…`.
const MC: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";

/// Walks a part's `w:` elements (markup-compatibility ones are named `mc:…`, others have the empty name), calling
/// `on` for each opening, closing and piece of character data (entity and character references resolved) with the
/// names of the elements it is inside; refuses a document type declaration.
pub(super) fn walk(
    xml: &str,
    mut on: impl FnMut(&quick_xml::reader::NsReader<&[u8]>, Tag<'_>, &[String]),
) -> Result<(), String> {
    let mut reader = xml_reader(xml);
    let mut path: Vec<String> = Vec::new();
    let mut buffer = Vec::new();
    let name_of = |namespace: &ResolveResult, element: &BytesStart| match namespace {
        ResolveResult::Bound(ns) if ns.into_inner() == W => element.local_name().into_inner().to_string(),
        ResolveResult::Bound(ns) if ns.into_inner() == MC => format!("mc:{}", element.local_name().into_inner()),
        _ => String::new(),
    };
    loop {
        let (namespace, event) = reader.read_resolved_event_into(&mut buffer).map_err(|e| e.to_string())?;
        match event {
            Event::DocType(_) => return Err(entities()),
            Event::Eof => return Ok(()),
            Event::Start(element) => {
                let name = name_of(&namespace, &element);
                on(&reader, Tag::Open(&name, &element), &path);
                path.push(name);
            }
            Event::Empty(element) => {
                let name = name_of(&namespace, &element);
                on(&reader, Tag::Open(&name, &element), &path);
                on(&reader, Tag::Close(&name), &path);
            }
            Event::End(_) => {
                let name = path.pop().unwrap_or_default();
                on(&reader, Tag::Close(&name), &path);
            }
            Event::Text(text) => on(&reader, Tag::Text(&text.xml10_content()), &path),
            Event::CData(text) => on(&reader, Tag::Text(&text.into_inner()), &path),
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref().map_err(|e| e.to_string())? {
                    Some(c) => c,
                    None => match reference.xml10_content().as_ref() {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        other => return Err(format!("unknown entity &{other};")),
                    },
                };
                on(&reader, Tag::Text(resolved.encode_utf8(&mut [0; 4])), &path);
            }
            _ => {}
        }
        buffer.clear();
    }
}

pub(super) fn inside(path: &[String], name: &str) -> bool {
    path.iter().any(|p| p == name)
}

impl Numbering {
    /// Reads `numbering.xml`; the error says what cannot be read.
    pub fn parse(xml: &str) -> Result<Self, String> {
        let mut numbering = Self::default();
        let (mut abstract_id, mut level, mut num_id, mut override_level) = (None, None::<usize>, None, None::<usize>);
        walk(xml, |reader, tag, path| match tag {
            Tag::Close("lvl") => level = None,
            Tag::Close("lvlOverride") => override_level = None,
            Tag::Close(_) | Tag::Text(_) => {}
            Tag::Open(name, element) => match name {
                "abstractNum" => {
                    abstract_id = attribute(reader, element, "abstractNumId");
                    if let Some(id) = &abstract_id {
                        numbering.abstracts.insert(id.clone(), vec![Level::default(); LEVELS]);
                    }
                }
                "lvl" if inside(path, "abstractNum") => {
                    level = attribute(reader, element, "ilvl").and_then(|l| l.parse().ok()).filter(|l| *l < LEVELS);
                }
                "num" => {
                    num_id = attribute(reader, element, "numId");
                    if let Some(id) = &num_id {
                        numbering.nums.insert(id.clone(), Num::default());
                    }
                }
                "abstractNumId" if inside(path, "num") => {
                    if let (Some(id), Some(value)) = (&num_id, attribute(reader, element, "val")) {
                        numbering.nums.entry(id.clone()).or_default().abstract_id = value;
                    }
                }
                "lvlOverride" => {
                    override_level =
                        attribute(reader, element, "ilvl").and_then(|l| l.parse().ok()).filter(|l| *l < LEVELS);
                }
                "startOverride" => {
                    let value = attribute(reader, element, "val").and_then(|v| v.parse().ok());
                    if let (Some(id), Some(at), Some(value)) = (&num_id, override_level, value) {
                        numbering.nums.entry(id.clone()).or_default().overrides.insert(at, value);
                    }
                }
                "start" | "numFmt" | "lvlText" | "pStyle" if inside(path, "abstractNum") && inside(path, "lvl") => {
                    let (Some(id), Some(at)) = (&abstract_id, level) else { return };
                    let Some(levels) = numbering.abstracts.get_mut(id) else { return };
                    let value = attribute(reader, element, "val").unwrap_or_default();
                    let target = &mut levels[at];
                    match name {
                        "start" => target.start = value.parse().unwrap_or(0),
                        "numFmt" => target.format = Format::parse(&value),
                        "lvlText" => target.text = value,
                        _ => target.style = Some(value),
                    }
                }
                _ => {}
            },
        })?;
        Ok(numbering)
    }

    fn levels(&self, num_id: &str) -> Option<(&str, &Num, &[Level])> {
        let num = self.nums.get(num_id)?;
        let levels = self.abstracts.get(&num.abstract_id)?;
        Some((num.abstract_id.as_str(), num, levels))
    }
}

impl Styles {
    /// Reads `styles.xml` (paragraph styles' numbering and `w:basedOn`); the error says what cannot be read.
    pub fn parse(xml: &str) -> Result<Self, String> {
        let mut styles = Self::default();
        let mut current: Option<String> = None;
        walk(xml, |reader, tag, path| match tag {
            Tag::Close("style") => current = None,
            Tag::Close(_) | Tag::Text(_) => {}
            Tag::Open(name, element) => match name {
                "style" => {
                    current = attribute(reader, element, "styleId");
                    if let Some(id) = &current {
                        styles.styles.insert(id.clone(), Style::default());
                    }
                }
                "basedOn" | "numId" | "ilvl" | "name" | "outlineLvl"
                    if inside(path, "style") && !inside(path, "pPrChange") =>
                {
                    let Some(style) = current.as_ref().and_then(|id| styles.styles.get_mut(id)) else { return };
                    let value = attribute(reader, element, "val");
                    let number = value.as_deref().and_then(|v| v.parse().ok()).filter(|l| *l < LEVELS);
                    match name {
                        "basedOn" => style.based_on = value,
                        "numId" => style.num_id = value,
                        "name" => style.name = value.map(|v| v.to_lowercase()),
                        "outlineLvl" => style.outline = number,
                        _ => style.level = number,
                    }
                }
                _ => {}
            },
        })?;
        Ok(styles)
    }
}

impl Styles {
    /// The styles from `id` along its `w:basedOn` chain (at most 64, so a loop ends).
    fn chain<'s>(&'s self, id: Option<&'s str>) -> impl Iterator<Item = &'s Style> + 's {
        let mut next = id;
        std::iter::from_fn(move || {
            let style = self.styles.get(next?)?;
            next = style.based_on.as_deref();
            Some(style)
        })
        .take(64)
    }

    /// The heading level (1 for `heading 1`) of a paragraph style: a built-in heading style by its name, else the
    /// outline level it or a style it is based on gives (outline level 9 is body text).
    pub fn heading_level(&self, id: Option<&str>) -> Option<usize> {
        for style in self.chain(id) {
            let named = style.name.as_deref().and_then(|n| n.strip_prefix("heading ")).and_then(|n| n.parse().ok());
            if let Some(level) = named {
                return Some(level);
            }
            if let Some(outline) = style.outline {
                return Some(outline + 1);
            }
        }
        None
    }

    /// Whether a paragraph style is a table-of-contents entry (`toc 1` … `toc 9`), whose text is not the code's.
    pub fn is_contents_entry(&self, id: Option<&str>) -> bool {
        self.chain(id).any(|s| s.name.as_deref().is_some_and(|n| n.starts_with("toc ")))
    }
}

/// The counters of every list, as a document is read in order.
pub struct Counter<'a> {
    numbering: &'a Numbering,
    styles: &'a Styles,
    counters: HashMap<String, [Option<i64>; LEVELS]>,
    overridden: HashSet<(String, usize)>,
}

impl<'a> Counter<'a> {
    /// Counters at their start, for a document read from its beginning.
    pub fn new(numbering: &'a Numbering, styles: &'a Styles) -> Self {
        Self { numbering, styles, counters: HashMap::new(), overridden: HashSet::new() }
    }

    /// The list and level a paragraph is numbered at, if any: its own numbering, else its style's (and along
    /// `w:basedOn`, at most 64 styles deep, so a loop ends).
    fn resolve(&self, paragraph: &ParagraphNumbering) -> Option<(String, usize)> {
        let (mut num_id, mut level, mut from_style) = (paragraph.num_id.clone(), paragraph.level, None);
        let mut style = paragraph.style.clone();
        for _ in 0..64 {
            if num_id.is_some() && level.is_some() {
                break;
            }
            let Some(id) = style else { break };
            let Some(found) = self.styles.styles.get(&id) else { break };
            if num_id.is_none() && found.num_id.is_some() {
                num_id = found.num_id.clone();
                from_style = Some(id.clone());
            }
            if level.is_none() && found.level.is_some() && num_id.is_some() {
                level = found.level;
            }
            style = found.based_on.clone();
        }
        let num_id = num_id.filter(|id| id != "0")?;
        let (_, _, levels) = self.numbering.levels(&num_id)?;
        // A style's numbering without a level: the level that names the style back.
        let level = level.or_else(|| {
            let named = from_style.as_ref().or(paragraph.style.as_ref())?;
            levels.iter().position(|l| l.style.as_ref() == Some(named))
        });
        Some((num_id, level.unwrap_or(0)))
    }

    /// The paragraph's number, counting it: `None` for a paragraph in no list (or one whose level shows nothing).
    pub fn label(&mut self, paragraph: &ParagraphNumbering) -> Option<Label> {
        let (num_id, level) = self.resolve(paragraph)?;
        let (abstract_id, num, levels) = self.numbering.levels(&num_id)?;
        let start = |at: usize| num.overrides.get(&at).copied().unwrap_or(levels[at].start);
        let counters = self.counters.entry(abstract_id.to_string()).or_insert([None; LEVELS]);
        let first_use = num.overrides.contains_key(&level) && self.overridden.insert((num_id.clone(), level));
        counters[level] =
            if first_use { Some(start(level)) } else { Some(counters[level].map_or(start(level), |c| c + 1)) };
        for deeper in counters.iter_mut().skip(level + 1) {
            *deeper = None;
        }
        let shown = &levels[level];
        if shown.format == Format::None && !shown.text.contains('%') {
            return None;
        }
        let mut text = String::new();
        let mut chars = shown.text.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, chars.peek().and_then(|d| d.to_digit(10))) {
                ('%', Some(n @ 1..=9)) => {
                    chars.next();
                    let at = n as usize - 1;
                    text.push_str(&levels[at].format.show(counters[at].unwrap_or(start(at))));
                }
                _ => text.push(c),
            }
        }
        Some(Label { level, text, bullet: shown.format == Format::Bullet })
    }
}

/// Every paragraph's numbering properties in a document part, in document order (body paragraphs and those in
/// tables alike): for reading a document's numbers without its text.
pub fn paragraphs(document: &str) -> Result<Vec<ParagraphNumbering>, String> {
    let mut found = Vec::new();
    let mut current: Option<ParagraphNumbering> = None;
    walk(document, |reader, tag, path| match tag {
        Tag::Close("p") => found.extend(current.take()),
        Tag::Close(_) | Tag::Text(_) => {}
        Tag::Open(name, element) => match name {
            "p" => current = Some(ParagraphNumbering::default()),
            "pStyle" if inside(path, "pPr") && !inside(path, "rPr") => {
                if let Some(p) = current.as_mut() {
                    p.style = attribute(reader, element, "val");
                }
            }
            "numId" if inside(path, "numPr") => {
                if let Some(p) = current.as_mut() {
                    p.num_id = attribute(reader, element, "val");
                }
            }
            "ilvl" if inside(path, "numPr") => {
                if let Some(p) = current.as_mut() {
                    p.level = attribute(reader, element, "val").and_then(|v| v.parse().ok()).filter(|l| *l < LEVELS);
                }
            }
            _ => {}
        },
    })?;
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbering(body: &str) -> Numbering {
        Numbering::parse(&format!(r#"<w:numbering xmlns:w="{W}">{body}</w:numbering>"#)).expect("numbering")
    }

    fn styles(body: &str) -> Styles {
        Styles::parse(&format!(r#"<w:styles xmlns:w="{W}">{body}</w:styles>"#)).expect("styles")
    }

    fn level(ilvl: usize, format: &str, text: &str, extra: &str) -> String {
        format!(
            r#"<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{format}"/><w:lvlText w:val="{text}"/>{extra}</w:lvl>"#
        )
    }

    fn d_list() -> String {
        format!(
            r#"<w:abstractNum w:abstractNumId="10">{}{}{}{}</w:abstractNum><w:num w:numId="10"><w:abstractNumId w:val="10"/></w:num>"#,
            level(0, "decimal", "D%1", ""),
            level(1, "decimal", "D%1.%2", ""),
            level(2, "lowerLetter", "(%3)", ""),
            level(3, "lowerRoman", "(%4)", "")
        )
    }

    fn direct(num: &str, level: usize) -> ParagraphNumbering {
        ParagraphNumbering { style: None, num_id: Some(num.into()), level: Some(level) }
    }

    fn labels(counter: &mut Counter, paragraphs: &[ParagraphNumbering]) -> Vec<String> {
        paragraphs.iter().map(|p| counter.label(p).map_or_else(|| "-".into(), |l| l.text)).collect()
    }

    #[test]
    fn formats_are_words() {
        assert_eq!((1..=3).map(letters).collect::<Vec<_>>(), ["a", "b", "c"]);
        assert_eq!([26, 27, 28, 53].map(letters), ["z", "aa", "bb", "aaa"]);
        assert_eq!([1, 4, 9, 14, 40, 1999].map(roman), ["i", "iv", "ix", "xiv", "xl", "mcmxcix"]);
        assert_eq!(Format::UpperRoman.show(12), "XII");
        assert_eq!(Format::UpperLetter.show(2), "B");
        assert_eq!(Format::Decimal.show(0), "0");
        assert_eq!(letters(0), "0");
    }

    #[test]
    fn a_higher_level_restarts_the_deeper_ones_and_templates_show_every_level() {
        let numbering = numbering(&d_list());
        let styles = Styles::default();
        let mut counter = Counter::new(&numbering, &styles);
        let order =
            [direct("10", 0), direct("10", 1), direct("10", 1), direct("10", 2), direct("10", 2), direct("10", 3)];
        assert_eq!(labels(&mut counter, &order), ["D1", "D1.1", "D1.2", "(a)", "(b)", "(i)"]);
        let next = [direct("10", 0), direct("10", 1), direct("10", 2), direct("10", 1)];
        assert_eq!(labels(&mut counter, &next), ["D2", "D2.1", "(a)", "D2.2"]);
        // numId 0 switches numbering off; an unknown list numbers nothing.
        assert_eq!(labels(&mut counter, &[direct("0", 1), direct("99", 1)]), ["-", "-"]);
    }

    #[test]
    fn counters_belong_to_the_abstract_list_and_a_start_override_restarts_it_once() {
        let list = format!(
            r#"<w:abstractNum w:abstractNumId="0">{}</w:abstractNum>
            <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
            <w:num w:numId="2"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
            <w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>"#,
            level(0, "decimal", "%1.", "")
        );
        let numbering = numbering(&list);
        let styles = Styles::default();
        let mut counter = Counter::new(&numbering, &styles);
        // pandoc issue 8367: num 2 (startOverride 1) then num 1, both on abstractNum 0: 1, 2, 3, 4.
        let order = [direct("2", 0), direct("1", 0), direct("1", 0), direct("1", 0)];
        assert_eq!(labels(&mut counter, &order), ["1.", "2.", "3.", "4."]);
        // Another num's override restarts it, once; the list then continues from there.
        assert_eq!(labels(&mut counter, &[direct("3", 0), direct("3", 0), direct("1", 0)]), ["5.", "6.", "7."]);
    }

    #[test]
    fn numbering_comes_through_styles_and_their_based_on_chain() {
        let list = format!(
            r#"<w:abstractNum w:abstractNumId="20">{}{}</w:abstractNum><w:num w:numId="20"><w:abstractNumId w:val="20"/></w:num>"#,
            level(0, "decimal", "A%1", r#"<w:pStyle w:val="Heading2"/>"#),
            level(1, "decimal", "A%1.%2", r#"<w:pStyle w:val="SECLevel1"/>"#)
        );
        let numbering = numbering(&list);
        let styles = styles(
            r#"<w:style w:styleId="Heading2"><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="20"/></w:numPr></w:pPr></w:style>
            <w:style w:styleId="SECLevel1"><w:pPr><w:numPr><w:numId w:val="20"/></w:numPr></w:pPr></w:style>
            <w:style w:styleId="Derived"><w:basedOn w:val="SECLevel1"/></w:style>
            <w:style w:styleId="Loop"><w:basedOn w:val="Loop"/></w:style>"#,
        );
        let mut counter = Counter::new(&numbering, &styles);
        let by_style = |s: &str| ParagraphNumbering { style: Some(s.into()), ..Default::default() };
        let order = [by_style("Heading2"), by_style("SECLevel1"), by_style("Derived"), by_style("Loop")];
        // SECLevel1 names no level: the level whose pStyle names it (1); Derived inherits it.
        assert_eq!(labels(&mut counter, &order), ["A1", "A1.1", "A1.2", "-"]);
        // A paragraph's own numPr wins over its style's; numId 0 switches the style's numbering off.
        let off = ParagraphNumbering { style: Some("SECLevel1".into()), num_id: Some("0".into()), level: None };
        assert_eq!(labels(&mut counter, &[off, direct("20", 0)]), ["-", "A2"]);
    }

    /// The numbers of a SEC-like document's lists at the sub-section and clause levels, in order.
    fn numbered(name: &str) -> Option<Vec<String>> {
        // The Section's own list (A's definitions table has a one-level (a)/(b) list of its own).
        let letter = &name[..1];
        let all = numbered_all(name)?;
        Some(all.into_iter().filter(|l| l.level <= 1 && l.text.starts_with(letter)).map(|l| l.text).collect())
    }

    /// Every label of a SEC-like document, in order.
    fn numbered_all(name: &str) -> Option<Vec<Label>> {
        let path = super::super::test_data()?.join(format!("sec-like/{name}.docx"));
        let mut package = super::super::Package::read(name, std::fs::read(&path).expect("read")).expect("package");
        let related = package.related().expect("related");
        let numbering = Numbering::parse(&package.text(&related["numbering"]).expect("read").expect("numbering"))
            .expect("numbering");
        let styles = Styles::parse(&package.text(&related["styles"]).expect("read").expect("styles")).expect("styles");
        let mut counter = Counter::new(&numbering, &styles);
        let paragraphs = paragraphs(&package.document().expect("document")).expect("paragraphs");
        Some(paragraphs.iter().filter_map(|p| counter.label(p)).collect())
    }

    /// The sub-section and clause ids of an expected import, in order, less those typed by hand.
    fn expected(name: &str, typed: &[&str]) -> Vec<String> {
        let path = super::super::test_data().expect("the test data").join(format!("expected/{name}/structure.tsv"));
        let text = std::fs::read_to_string(path).expect("structure.tsv");
        text.lines()
            .skip(1)
            .filter_map(|line| {
                let fields: Vec<&str> = line.split('\t').collect();
                (fields.get(2) != Some(&"section")).then(|| fields[0].to_string())
            })
            .filter(|id| !typed.contains(&id.as_str()))
            .collect()
    }

    /// The sub-paragraph labels of an expected import, in reading order: each clause file's lines that begin
    /// with one (`(a) …`, `(i) …`), outside tables.
    fn expected_sub_labels(name: &str) -> Vec<String> {
        let folder = super::super::test_data().expect("the test data").join(format!("expected/{name}"));
        let mut labels = Vec::new();
        for id in expected(name, &[]) {
            let Ok(text) = std::fs::read_to_string(folder.join(format!("{id}.md"))) else { continue };
            for line in text.lines() {
                if let Some(end) = line.find(") ").filter(|_| line.starts_with('(')) {
                    labels.push(line[..=end].to_string());
                }
            }
        }
        labels
    }

    #[test]
    fn sub_paragraphs_number_within_their_clause() {
        let Some(all) = numbered_all("D-v1") else { return };
        let found: Vec<String> = all.into_iter().filter(|l| l.level >= 2).map(|l| l.text).collect();
        assert_eq!(found, expected_sub_labels("D-v1"));
        assert!(found.len() >= 5, "{found:?}");
    }

    #[test]
    fn the_sec_like_documents_number_as_word_shows_them() {
        for (name, typed) in [("D-v1", &[][..]), ("D-v2", &[]), ("A-v1", &[]), ("X-v1", &["X1.7"])] {
            let Some(found) = numbered(name) else { return };
            assert_eq!(found, expected(name, typed), "{name}");
        }
    }
}
