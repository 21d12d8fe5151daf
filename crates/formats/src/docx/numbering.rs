//! List numbers as Word displays them (ECMA-376 Part 1, §17.9), computed from `numbering.xml` and `styles.xml`:
//! a paragraph's numbering is its own `w:numPr`, else its style's, else along the style's `w:basedOn` chain;
//! `w:numId` 0 switches numbering off; a style's numbering without `w:ilvl` is the level whose `w:pStyle` names the
//! style; an abstract list that only links to a numbering style (`w:numStyleLink`, §17.9.21) takes the levels of
//! the list that style's `w:numId` names (§17.9.27 `w:styleLink`); a level's counter starts at its `w:start` (0
//! when absent), or at a `w:num`'s `w:startOverride` for that level, whose `w:lvlOverride` may also replace the
//! level's whole definition (`w:lvl`, §17.9.8); counters belong to the abstract list, so two `w:num`s of one
//! abstract list continue each other; a paragraph at level n restarts the deeper levels, each unless its
//! `w:lvlRestart` (§17.9.10) says otherwise; `%n` in a level's `w:lvlText` is level n-1's counter in that level's
//! format (§17.9.17: decimal, decimalZero, ordinal, lowerLetter, upperLetter, lowerRoman, upperRoman; a bullet is
//! its text), every one in decimal when the level is legal numbering (`w:isLgl`, §17.9.4); `w:suff` (§17.9.28) is
//! what separates the number from the text; a level whose run properties hide it (`w:vanish`) shows no number.
//!
//! Limits, past which a document is refused naming its part: a counter is at most [`MAX_COUNTER`] (a `w:start` or
//! `w:startOverride` beyond it, or a list counted past it), a level's text at most [`MAX_TEMPLATE_CHARS`]
//! characters, a rendered number at most [`MAX_LABEL_CHARS`].

use std::collections::{HashMap, HashSet};

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;

use inforce_core::numerals::{letters, roman};

use super::{entities, xml_reader};

/// WordprocessingML's namespace (transitional); elements in any other are ignored.
pub const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
/// How many levels a list has.
pub(super) const LEVELS: usize = 9;
/// The largest value a list counter may take (Word's own dialog stops at 32,767 for letters; a decimal list of a
/// million paragraphs is beyond any code).
pub const MAX_COUNTER: i64 = 1_000_000;
/// The longest `w:lvlText` read, in characters (Word's are a few).
pub const MAX_TEMPLATE_CHARS: usize = 256;
/// The longest number a paragraph may show, in characters.
pub const MAX_LABEL_CHARS: usize = 256;

/// A level's number format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// 1, 2, 3 (also what a format not listed here is shown as).
    #[default]
    Decimal,
    /// 01, 02 … 09, 10.
    DecimalZero,
    /// Decimal padded with zeros to a width (Word 2010's custom formats `001, 002, 003, …`).
    DecimalPadded(usize),
    /// 1st, 2nd, 3rd, 4th.
    Ordinal,
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
            "decimalZero" => Self::DecimalZero,
            "ordinal" => Self::Ordinal,
            "lowerLetter" => Self::LowerLetter,
            "upperLetter" => Self::UpperLetter,
            "lowerRoman" => Self::LowerRoman,
            "upperRoman" => Self::UpperRoman,
            "bullet" => Self::Bullet,
            "none" => Self::None,
            _ => Self::Decimal,
        }
    }

    /// A custom format (`w:numFmt w:val="custom" w:format="001, 002, 003, …"`): zero-padded decimal as wide as
    /// its first number; any other in decimal.
    fn custom(format: &str) -> Self {
        let first = format.split(',').next().unwrap_or("").trim();
        let padded = first.len() > 1 && first.ends_with('1') && first[..first.len() - 1].bytes().all(|b| b == b'0');
        if padded { Self::DecimalPadded(first.len().min(9)) } else { Self::Decimal }
    }

    /// `n` in this format.
    pub fn show(self, n: i64) -> String {
        match self {
            Self::Decimal => n.to_string(),
            Self::DecimalZero if (0..10).contains(&n) => format!("0{n}"),
            Self::DecimalZero => n.to_string(),
            Self::DecimalPadded(width) => format!("{n:0width$}"),
            Self::Ordinal => ordinal(n),
            Self::LowerLetter => letters(n),
            Self::UpperLetter => letters(n).to_uppercase(),
            Self::LowerRoman => roman(n),
            Self::UpperRoman => roman(n).to_uppercase(),
            Self::Bullet | Self::None => String::new(),
        }
    }
}

/// English ordinals: 1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st.
fn ordinal(n: i64) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// What follows a level's number (`w:suff`, §17.9.28).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Suffix {
    /// A tab (Word's default): read as one space.
    #[default]
    Tab,
    /// A space.
    Space,
    /// Nothing: the text follows the number directly.
    Nothing,
}

/// One level of a list.
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
    /// `w:isLgl`: every number in the level's text is shown in decimal.
    pub legal: bool,
    /// `w:lvlRestart` (one-based): the level restarts when a level at or above this one is used; 0 never; absent,
    /// after any level above it.
    pub restart: Option<usize>,
    /// `w:suff`.
    pub suffix: Suffix,
    /// `w:rPr/w:vanish`: the number is hidden.
    pub hidden: bool,
    /// Whether the list defines it (a `w:lvl`): a level it does not define numbers nothing.
    pub defined: bool,
}

/// An abstract list: its levels, or a link to the numbering style that holds them.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Abstract {
    levels: Vec<Level>,
    /// `w:numStyleLink`: the numbering style whose list defines the levels.
    style_link: Option<String>,
}

/// A `w:num`: an abstract list, with start values and whole levels overridden per level.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Num {
    abstract_id: String,
    overrides: HashMap<usize, i64>,
    levels: HashMap<usize, Level>,
}

/// The lists of `numbering.xml`.
#[derive(Debug, Clone, Default)]
pub struct Numbering {
    abstracts: HashMap<String, Abstract>,
    nums: HashMap<String, Num>,
    /// For an abstract list that links to a numbering style: the abstract list whose levels it uses
    /// ([`Numbering::link_styles`]).
    links: HashMap<String, String>,
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
    /// `w:rPr/w:vanish`: whether its text is hidden, when it says.
    hidden: Option<bool>,
}

/// The paragraph styles of `styles.xml`, for their numbering.
#[derive(Debug, Clone, Default)]
pub struct Styles {
    styles: HashMap<String, Style>,
    /// `w:docDefaults/w:rPrDefault/w:rPr/w:vanish`: text is hidden unless a style or a run says otherwise.
    hidden_by_default: bool,
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
    /// What separates it from the paragraph's text.
    pub suffix: Suffix,
    /// Whether Word hides it (its level's run properties are hidden).
    pub hidden: bool,
    /// The abstract list it is counted in.
    pub list: String,
    /// The counters of its list's levels 0 to its own, as they stand after it (whatever format shows them).
    pub counts: Vec<i64>,
}

impl Label {
    /// A paragraph's line as Word shows it: its number, its suffix (a tab or a space read as one space, or
    /// nothing), then `text`; a bullet as a Markdown list item; a hidden number not at all.
    pub fn before(&self, text: &str) -> String {
        match self {
            Label { hidden: true, .. } => text.to_string(),
            Label { bullet: true, .. } => format!("- {text}"),
            Label { text: number, .. } if number.is_empty() => format!("- {text}"),
            Label { suffix: Suffix::Nothing, text: number, .. } => format!("{number}{text}"),
            Label { text: number, .. } => format!("{number} {text}"),
        }
    }
}

/// An on/off property (`<w:isLgl/>`, `<w:vanish w:val="false"/>`, §17.17.4 ST_OnOff): on unless its value says off.
pub(super) fn on_off(reader: &quick_xml::reader::NsReader<&[u8]>, element: &BytesStart) -> bool {
    !matches!(attribute(reader, element, "val").as_deref(), Some("0" | "false" | "off"))
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

/// How deep elements may nest in a part: every element, so that what reads a part (tables in tables, changes in
/// changes) is bounded without a limit of its own. Word's own documents nest a few dozen deep; tables nested a
/// hundred deep still read.
pub const MAX_DEPTH: usize = 512;

/// The elements [`walk`] is inside, outermost first, with how many of each name are open, so that asking whether
/// it is inside one costs the same however deep the part nests.
#[derive(Debug, Default)]
pub(super) struct Path {
    names: Vec<String>,
    open: HashMap<String, usize>,
}

impl Path {
    /// How many elements are open.
    pub(super) fn len(&self) -> usize {
        self.names.len()
    }

    fn push(&mut self, name: String) {
        *self.open.entry(name.clone()).or_default() += 1;
        self.names.push(name);
    }

    fn pop(&mut self) -> String {
        let name = self.names.pop().unwrap_or_default();
        if let Some(count) = self.open.get_mut(&name) {
            *count -= 1;
        }
        name
    }
}

/// Walks a part's `w:` elements (markup-compatibility ones are named `mc:…`, others have the empty name), calling
/// `on` for each opening, closing and piece of character data (entity and character references resolved) with the
/// elements it is inside; refuses a document type declaration, and elements nested deeper than [`MAX_DEPTH`].
pub(super) fn walk(
    xml: &str,
    mut on: impl FnMut(&quick_xml::reader::NsReader<&[u8]>, Tag<'_>, &Path),
) -> Result<(), String> {
    let mut reader = xml_reader(xml);
    let mut path = Path::default();
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
                if path.len() >= MAX_DEPTH {
                    return Err(format!(
                        "elements are nested more than {MAX_DEPTH} deep (at byte {}); that is the limit",
                        reader.buffer_position()
                    ));
                }
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
                let name = path.pop();
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

/// Whether [`walk`] is inside an element of this name.
pub(super) fn inside(path: &Path, name: &str) -> bool {
    path.open.get(name).is_some_and(|n| *n > 0)
}

/// Where the `w:lvl` being read belongs.
#[derive(Debug, Clone)]
enum LevelOf {
    Abstract(String, usize),
    Num(String, usize),
}

impl Numbering {
    /// Reads `numbering.xml`; the error says what cannot be read, or which limit a list passes.
    pub fn parse(xml: &str) -> Result<Self, String> {
        let mut numbering = Self::default();
        let (mut abstract_id, mut num_id, mut override_level) = (None, None, None::<usize>);
        let mut level: Option<LevelOf> = None;
        let mut refused: Option<String> = None;
        // Whether the level being read took its format from a markup-compatibility choice.
        let mut chose_format = false;
        let ilvl = |reader: &quick_xml::reader::NsReader<&[u8]>, element: &BytesStart| {
            attribute(reader, element, "ilvl").and_then(|l| l.parse().ok()).filter(|l| *l < LEVELS)
        };
        walk(xml, |reader, tag, path| match tag {
            Tag::Close("lvl") => {
                level = None;
                chose_format = false;
            }
            Tag::Close("lvlOverride") => override_level = None,
            Tag::Close(_) | Tag::Text(_) => {}
            Tag::Open(name, element) => match name {
                "abstractNum" => {
                    abstract_id = attribute(reader, element, "abstractNumId");
                    if let Some(id) = &abstract_id {
                        let fresh = Abstract { levels: vec![Level::default(); LEVELS], style_link: None };
                        numbering.abstracts.insert(id.clone(), fresh);
                    }
                }
                "numStyleLink" if inside(path, "abstractNum") => {
                    if let Some(list) = abstract_id.as_ref().and_then(|id| numbering.abstracts.get_mut(id)) {
                        list.style_link = attribute(reader, element, "val");
                    }
                }
                "lvl" if inside(path, "abstractNum") => {
                    level = abstract_id.clone().zip(ilvl(reader, element)).map(|(id, at)| LevelOf::Abstract(id, at));
                    if let Some(LevelOf::Abstract(id, at)) = &level
                        && let Some(list) = numbering.abstracts.get_mut(id)
                    {
                        list.levels[*at].defined = true;
                    }
                }
                // A level is an abstract list's, else a num's override.
                "lvl" => {
                    // The override's own level number, else the one its lvlOverride names.
                    let at = ilvl(reader, element).or(override_level);
                    level = num_id.clone().zip(at).map(|(id, at)| LevelOf::Num(id, at));
                    if let Some(LevelOf::Num(id, at)) = &level {
                        let fresh = Level { defined: true, ..Level::default() };
                        numbering.nums.entry(id.clone()).or_default().levels.insert(*at, fresh);
                    }
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
                "lvlOverride" => override_level = ilvl(reader, element),
                "startOverride" => {
                    let value = attribute(reader, element, "val").and_then(|v| v.parse::<i64>().ok());
                    if let (Some(id), Some(at), Some(value)) = (&num_id, override_level, value) {
                        if !(0..=MAX_COUNTER).contains(&value) {
                            refused.get_or_insert(format!(
                                "list {id} level {at} restarts at {value}; a list counter is at most {MAX_COUNTER}"
                            ));
                        }
                        numbering.nums.entry(id.clone()).or_default().overrides.insert(at, value.clamp(0, MAX_COUNTER));
                    }
                }
                // Word 2010 writes a custom format as a choice (w14), with a plain one as the fallback.
                "numFmt" if inside(path, "mc:Fallback") && chose_format => {}
                // A level's properties (outside a level there is no level to give them to).
                "start" | "numFmt" | "lvlText" | "pStyle" | "isLgl" | "lvlRestart" | "suff" | "vanish" => {
                    let (list, target) = match &level {
                        Some(LevelOf::Abstract(id, at)) => {
                            (id, numbering.abstracts.get_mut(id).map(|a| &mut a.levels[*at]))
                        }
                        Some(LevelOf::Num(id, at)) => {
                            (id, numbering.nums.get_mut(id).and_then(|n| n.levels.get_mut(at)))
                        }
                        None => return,
                    };
                    let Some(target) = target else { return };
                    let value = attribute(reader, element, "val").unwrap_or_default();
                    match name {
                        "start" => {
                            target.start = value.parse().unwrap_or(0);
                            if !(0..=MAX_COUNTER).contains(&target.start) {
                                refused.get_or_insert(format!(
                                    "list {list} starts a level at {value}; a list counter is at most {MAX_COUNTER}"
                                ));
                                target.start = 0;
                            }
                        }
                        "numFmt" => {
                            target.format = match value.as_str() {
                                "custom" => Format::custom(&attribute(reader, element, "format").unwrap_or_default()),
                                _ => Format::parse(&value),
                            };
                            chose_format = inside(path, "mc:Choice");
                        }
                        "lvlText" => {
                            let chars = value.chars().count();
                            if chars > MAX_TEMPLATE_CHARS {
                                refused.get_or_insert(format!(
                                    "list {list} has a level text of {chars} characters; a level text is at most \
                                     {MAX_TEMPLATE_CHARS}"
                                ));
                            } else {
                                target.text = value;
                            }
                        }
                        "isLgl" => target.legal = on_off(reader, element),
                        "lvlRestart" => target.restart = value.parse().ok(),
                        "suff" => {
                            target.suffix = match value.as_str() {
                                "space" => Suffix::Space,
                                "nothing" => Suffix::Nothing,
                                _ => Suffix::Tab,
                            }
                        }
                        "vanish" => target.hidden = on_off(reader, element),
                        _ => target.style = Some(value),
                    }
                }
                _ => {}
            },
        })?;
        match refused {
            Some(reason) => Err(reason),
            None => Ok(numbering),
        }
    }

    /// Follows every abstract list that links to a numbering style (`w:numStyleLink`) to the list that style
    /// numbers with, through as many links as there are; a link that leads back to itself is refused, naming the
    /// style. A link to a style that does not exist or numbers nothing leaves the list as it is (without levels).
    pub fn link_styles(&mut self, styles: &Styles) -> Result<(), String> {
        let mut links = HashMap::new();
        for (id, list) in &self.abstracts {
            let Some(mut style) = list.style_link.clone() else { continue };
            let mut seen = HashSet::from([id.clone()]);
            let mut target = None;
            loop {
                let next = styles.num_id(&style).and_then(|n| self.nums.get(n)).map(|n| n.abstract_id.clone());
                let Some(next) = next.filter(|n| self.abstracts.contains_key(n)) else { break };
                if !seen.insert(next.clone()) {
                    return Err(format!("the list style '{style}' leads back to itself (w:numStyleLink)"));
                }
                match self.abstracts[&next].style_link.clone() {
                    Some(further) => style = further,
                    None => {
                        target = Some(next);
                        break;
                    }
                }
            }
            if let Some(target) = target {
                links.insert(id.clone(), target);
            }
        }
        self.links = links;
        Ok(())
    }

    /// A `w:num`'s list: the abstract list whose counters it uses (after a style link), the num, and the levels.
    fn levels(&self, num_id: &str) -> Option<(&str, &Num, &[Level])> {
        let num = self.nums.get(num_id)?;
        let id = self.links.get(&num.abstract_id).unwrap_or(&num.abstract_id);
        let list = self.abstracts.get(id)?;
        Some((id.as_str(), num, &list.levels))
    }
}

impl Styles {
    /// Reads `styles.xml` (paragraph styles' numbering, `w:basedOn`, and whether character and paragraph styles
    /// hide their text); the error says what cannot be read, or names a style based on itself (through any number
    /// of others), which Word would not write.
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
                "vanish" if inside(path, "rPrDefault") && inside(path, "rPr") => {
                    styles.hidden_by_default = on_off(reader, element);
                }
                "vanish" if inside(path, "style") && inside(path, "rPr") && !inside(path, "rPrChange") => {
                    if let Some(style) = current.as_ref().and_then(|id| styles.styles.get_mut(id)) {
                        style.hidden = Some(on_off(reader, element));
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
        // Each style is followed once: a chain ends at a style already known to end, or loops back into itself.
        let mut ends: HashSet<&str> = HashSet::new();
        for id in styles.styles.keys() {
            let mut chain = HashSet::new();
            let mut next = Some(id.as_str());
            while let Some(at) = next.filter(|at| !ends.contains(at)) {
                if !chain.insert(at) {
                    return Err(format!("the style '{at}' is based on itself (w:basedOn)"));
                }
                next = styles.styles.get(at).and_then(|s| s.based_on.as_deref());
            }
            ends.extend(chain);
        }
        Ok(styles)
    }

    /// The `w:numId` a style (a numbering style, for `w:numStyleLink`) numbers with.
    fn num_id(&self, id: &str) -> Option<&str> {
        self.styles.get(id)?.num_id.as_deref()
    }

    /// What decides a paragraph's list and level: its own `w:numPr`, else its style's along `w:basedOn`; where
    /// no level is given, the style (whose level in the list is the one that names it).
    pub fn numbering_of<'p>(
        &'p self,
        paragraph: &'p ParagraphNumbering,
    ) -> (Option<&'p str>, Option<usize>, Option<&'p str>) {
        let style = || self.chain(paragraph.style.as_deref());
        let num = paragraph.num_id.as_deref().or_else(|| style().find_map(|s| s.num_id.as_deref()));
        let level = paragraph.level.or_else(|| style().find_map(|s| s.level));
        let named_by = if level.is_none() { paragraph.style.as_deref() } else { None };
        (num, level, named_by)
    }

    /// Whether the document's default run properties hide text.
    pub fn hidden_by_default(&self) -> bool {
        self.hidden_by_default
    }

    /// Whether a style hides its text (`w:vanish`), itself or through the styles it is based on; `None` when none
    /// of them says.
    pub fn hidden(&self, id: Option<&str>) -> Option<bool> {
        self.chain(id).find_map(|s| s.hidden)
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

    /// The paragraph's number, counting it: `None` for a paragraph in no list (or one whose level shows nothing);
    /// an error when its list is counted past [`MAX_COUNTER`] or its number would be longer than
    /// [`MAX_LABEL_CHARS`].
    pub fn label(&mut self, paragraph: &ParagraphNumbering) -> Result<Option<Label>, String> {
        let Some((num_id, level)) = self.resolve(paragraph) else { return Ok(None) };
        let Some((abstract_id, num, levels)) = self.numbering.levels(&num_id) else { return Ok(None) };
        // A whole level the num overrides, else the abstract list's.
        let level_at = |at: usize| num.levels.get(&at).unwrap_or(&levels[at]);
        let start = |at: usize| num.overrides.get(&at).copied().unwrap_or(level_at(at).start);
        let counters = self.counters.entry(abstract_id.to_string()).or_insert([None; LEVELS]);
        let first_use = num.overrides.contains_key(&level) && self.overridden.insert((num_id.clone(), level));
        let count = match counters[level] {
            Some(count) if !first_use => count + 1,
            _ => start(level),
        };
        if count > MAX_COUNTER {
            return Err(format!("list {num_id} is counted past {MAX_COUNTER} (a list counter's limit)"));
        }
        counters[level] = Some(count);
        for (deeper, counter) in counters.iter_mut().enumerate().skip(level + 1) {
            // lvlRestart is one-based: n restarts the level after any use of levels 1 to n, so 0 never; a value
            // that is not above the level is ignored (§17.9.10), which the same test gives: every level used
            // above it is under n.
            let restarts = level_at(deeper).restart.is_none_or(|n| level < n);
            if restarts {
                *counter = None;
            }
        }
        let shown = level_at(level);
        if !shown.defined || (shown.format == Format::None && !shown.text.contains('%')) {
            return Ok(None);
        }
        let mut text = String::new();
        let mut chars = shown.text.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, chars.peek().and_then(|d| d.to_digit(10))) {
                ('%', Some(n @ 1..=9)) => {
                    chars.next();
                    let at = n as usize - 1;
                    let format = match level_at(at).format {
                        Format::Bullet | Format::None => level_at(at).format,
                        _ if shown.legal => Format::Decimal,
                        format => format,
                    };
                    text.push_str(&format.show(counters[at].unwrap_or(start(at))));
                }
                _ => text.push(c),
            }
            if text.chars().count() > MAX_LABEL_CHARS {
                return Err(format!(
                    "list {num_id} would number a paragraph with more than {MAX_LABEL_CHARS} characters (a \
                     number's limit)"
                ));
            }
        }
        let counts = (0..=level).map(|at| counters[at].unwrap_or(start(at))).collect();
        Ok(Some(Label {
            level,
            text,
            bullet: shown.format == Format::Bullet,
            suffix: shown.suffix,
            hidden: shown.hidden,
            list: abstract_id.to_string(),
            counts,
        }))
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
        paragraphs
            .iter()
            .map(|p| counter.label(p).expect("within the limits").map_or_else(|| "-".into(), |l| l.text))
            .collect()
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
            <w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="7"/></w:lvlOverride></w:num>"#,
            level(0, "decimal", "%1.", "")
        );
        let numbering = numbering(&list);
        let styles = Styles::default();
        let mut counter = Counter::new(&numbering, &styles);
        // pandoc issue 8367: num 2 (startOverride 1) then num 1, both on abstractNum 0: 1, 2, 3, 4.
        let order = [direct("2", 0), direct("1", 0), direct("1", 0), direct("1", 0)];
        assert_eq!(labels(&mut counter, &order), ["1.", "2.", "3.", "4."]);
        // Another num's override restarts it, once; the list then continues from there.
        assert_eq!(labels(&mut counter, &[direct("3", 0), direct("3", 0), direct("1", 0)]), ["7.", "8.", "9."]);
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
            <w:style w:styleId="Plain"><w:basedOn w:val="Missing"/></w:style>"#,
        );
        let mut counter = Counter::new(&numbering, &styles);
        let by_style = |s: &str| ParagraphNumbering { style: Some(s.into()), ..Default::default() };
        let order = [by_style("Heading2"), by_style("SECLevel1"), by_style("Derived"), by_style("Plain")];
        // SECLevel1 names no level: the level whose pStyle names it (1); Derived inherits it.
        assert_eq!(labels(&mut counter, &order), ["A1", "A1.1", "A1.2", "-"]);
        // A paragraph's own numPr wins over its style's; numId 0 switches the style's numbering off.
        let off = ParagraphNumbering { style: Some("SECLevel1".into()), num_id: Some("0".into()), level: None };
        assert_eq!(labels(&mut counter, &[off, direct("20", 0)]), ["-", "A2"]);
    }

    #[test]
    fn a_style_hides_by_its_own_run_properties_not_by_what_a_change_kept() {
        let styles = styles(
            r#"<w:style w:styleId="Hidden"><w:rPr><w:vanish/></w:rPr></w:style>
            <w:style w:styleId="WasHidden"><w:rPr><w:b/><w:rPrChange w:id="1" w:author="A"><w:rPr><w:vanish/></w:rPr></w:rPrChange></w:rPr></w:style>
            <w:style w:styleId="Child"><w:basedOn w:val="Hidden"/></w:style>"#,
        );
        assert_eq!(styles.hidden(Some("Hidden")), Some(true));
        assert_eq!(styles.hidden(Some("Child")), Some(true));
        assert_eq!(styles.hidden(Some("WasHidden")), None);
        assert!(!styles.hidden_by_default());
    }

    #[test]
    fn a_style_based_on_itself_is_refused_however_long_the_loop() {
        let refused = |body: &str| Styles::parse(&format!(r#"<w:styles xmlns:w="{W}">{body}</w:styles>"#));
        let error = refused(r#"<w:style w:styleId="Loop"><w:basedOn w:val="Loop"/></w:style>"#).expect_err("a loop");
        assert!(error.contains("'Loop' is based on itself"), "{error}");
        let chain: String = (0..3)
            .map(|n| format!(r#"<w:style w:styleId="S{n}"><w:basedOn w:val="S{}"/></w:style>"#, (n + 1) % 3))
            .collect();
        assert!(refused(&chain).is_err());
        // A long chain that ends is no loop, and is read in one pass.
        let long: String = (0..20_000)
            .map(|n| format!(r#"<w:style w:styleId="S{n}"><w:basedOn w:val="S{}"/></w:style>"#, n + 1))
            .collect();
        assert!(refused(&long).is_ok());
    }

    fn one_list(levels: &str, nums: &str) -> Numbering {
        numbering(&format!(r#"<w:abstractNum w:abstractNumId="1">{levels}</w:abstractNum>{nums}"#))
    }

    const NUM_1: &str = r#"<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>"#;

    #[test]
    fn legal_numbering_shows_every_number_of_its_level_in_decimal() {
        // §17.9.4 isLgl: an upperRoman heading level shows DI; its isLgl clause level shows D1.1, not DI.1; a
        // "(%3.%4)" isLgl level under an upperLetter one shows (1.1), not (A.i).
        let levels = [
            level(0, "upperRoman", "D%1", ""),
            level(1, "decimal", "D%1.%2", "<w:isLgl/>"),
            level(2, "upperLetter", "(%3)", ""),
            level(3, "lowerRoman", "(%3.%4)", "<w:isLgl/>"),
            level(4, "lowerRoman", "(%3.%5)", r#"<w:isLgl w:val="0"/>"#),
        ]
        .concat();
        let numbering = one_list(&levels, NUM_1);
        let styles = Styles::default();
        let mut counter = Counter::new(&numbering, &styles);
        let order = [direct("1", 0), direct("1", 1), direct("1", 2), direct("1", 3), direct("1", 1), direct("1", 4)];
        assert_eq!(labels(&mut counter, &order), ["DI", "D1.1", "(A)", "(1.1)", "D1.2", "(A.i)"]);
    }

    #[test]
    fn a_level_without_a_number_shows_none_even_in_legal_numbering() {
        // numFmt none: a level text without %n shows nothing at all; with %n the number is empty; legal numbering
        // turns numbers into decimal, not an absent number into one.
        let levels = [
            level(0, "none", "", ""),
            level(1, "decimal", "%1.%2", "<w:isLgl/>"),
            level(2, "none", "(%3)", ""),
            level(3, "none", "Note", ""),
        ]
        .concat();
        let numbering = one_list(&levels, NUM_1);
        let styles = Styles::default();
        let mut counter = Counter::new(&numbering, &styles);
        let order = [direct("1", 0), direct("1", 1), direct("1", 2), direct("1", 3)];
        assert_eq!(labels(&mut counter, &order), ["-", ".1", "()", "-"]);
    }

    #[test]
    fn a_list_through_a_numbering_style_takes_the_levels_of_the_style_list() {
        // §17.9.21 numStyleLink / §17.9.27 styleLink: num 1's abstract list only links to the style SECList,
        // whose numId 5 is the list that defines the levels.
        let lists = format!(
            r#"<w:abstractNum w:abstractNumId="1"><w:numStyleLink w:val="SECList"/></w:abstractNum>
            <w:abstractNum w:abstractNumId="2"><w:styleLink w:val="SECList"/>{}{}</w:abstractNum>
            <w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num><w:num w:numId="5"><w:abstractNumId w:val="2"/></w:num>"#,
            level(0, "decimal", "D%1", ""),
            level(1, "decimal", "D%1.%2", "")
        );
        let mut numbering = numbering(&lists);
        let styles = styles(
            r#"<w:style w:type="numbering" w:styleId="SECList"><w:pPr><w:numPr><w:numId w:val="5"/></w:numPr></w:pPr></w:style>"#,
        );
        numbering.link_styles(&styles).expect("linked");
        let mut counter = Counter::new(&numbering, &styles);
        // Counted in the style's list: num 5's paragraphs continue num 1's.
        let order = [direct("1", 0), direct("1", 1), direct("5", 1), direct("1", 1)];
        assert_eq!(labels(&mut counter, &order), ["D1", "D1.1", "D1.2", "D1.3"]);

        // A link that leads back to itself is refused, naming the style.
        let lists = r#"<w:abstractNum w:abstractNumId="3"><w:numStyleLink w:val="Loop"/></w:abstractNum>
            <w:num w:numId="6"><w:abstractNumId w:val="3"/></w:num>"#;
        let looped = styles_with_num("Loop", "6");
        let error = numbering_of(lists).link_styles(&looped).expect_err("a loop");
        assert!(error.contains("'Loop'"), "{error}");
        // A link to no style, or to a style that numbers nothing, numbers nothing.
        let mut dangling = numbering_of(lists);
        dangling.link_styles(&Styles::default()).expect("no style is no loop");
        assert_eq!(labels(&mut Counter::new(&dangling, &Styles::default()), &[direct("6", 0)]), ["-"]);
    }

    fn numbering_of(lists: &str) -> Numbering {
        numbering(lists)
    }

    fn styles_with_num(id: &str, num: &str) -> Styles {
        styles(&format!(
            r#"<w:style w:type="numbering" w:styleId="{id}"><w:pPr><w:numPr><w:numId w:val="{num}"/></w:numPr></w:pPr></w:style>"#
        ))
    }

    #[test]
    fn what_stands_out_of_place_in_numbering_is_ignored() {
        // A level past the ninth, and a link to a list style outside an abstract list (in a num), count for
        // nothing: the list keeps its nine levels.
        let lists = format!(
            r#"<w:abstractNum w:abstractNumId="1">{}{}</w:abstractNum>
            <w:abstractNum w:abstractNumId="2">{}</w:abstractNum><w:num w:numId="2"><w:abstractNumId w:val="2"/></w:num>
            <w:num w:numId="1"><w:abstractNumId w:val="1"/><w:numStyleLink w:val="Elsewhere"/></w:num>"#,
            level(0, "decimal", "%1.", ""),
            level(9, "decimal", "past the ninth", ""),
            level(0, "decimal", "(%1)", "")
        );
        let mut numbering = numbering(&lists);
        let styles = styles_with_num("Elsewhere", "2");
        numbering.link_styles(&styles).expect("no loop");
        let mut counter = Counter::new(&numbering, &styles);
        assert_eq!(labels(&mut counter, &[direct("1", 0), direct("1", 0)]), ["1.", "2."]);
    }

    #[test]
    fn a_level_restarts_as_its_lvl_restart_says() {
        // §17.9.10: level 2 with lvlRestart 0 never restarts; level 3 with lvlRestart 1 restarts after level 0
        // (one-based 1) only, not after levels 1 and 2.
        let levels = [
            level(0, "decimal", "%1", ""),
            level(1, "decimal", "%1.%2", ""),
            level(2, "lowerLetter", "(%3)", r#"<w:lvlRestart w:val="0"/>"#),
            level(3, "lowerRoman", "(%4)", r#"<w:lvlRestart w:val="1"/>"#),
            level(4, "decimal", "[%5]", r#"<w:lvlRestart w:val="9"/>"#),
        ]
        .concat();
        let numbering = one_list(&levels, NUM_1);
        let styles = Styles::default();
        let mut counter = Counter::new(&numbering, &styles);
        let order = [
            direct("1", 0),
            direct("1", 1),
            direct("1", 2),
            direct("1", 3),
            direct("1", 4),
            direct("1", 1),
            direct("1", 2),
            direct("1", 3),
            direct("1", 4),
            direct("1", 0),
            direct("1", 2),
            direct("1", 3),
        ];
        // Level 4's lvlRestart 9 is not above it: ignored, so it restarts after any level above.
        assert_eq!(
            labels(&mut counter, &order),
            ["1", "1.1", "(a)", "(i)", "[1]", "1.2", "(b)", "(ii)", "[1]", "2", "(c)", "(i)"]
        );
    }

    #[test]
    fn a_num_may_override_a_whole_level_and_the_suffix_and_hiding_come_with_the_level() {
        // §17.9.8 lvlOverride with a whole lvl: num 2 shows level 0 as "A)" from 3, counted in the same list.
        let levels = [
            level(0, "decimal", "%1.", r#"<w:suff w:val="space"/>"#),
            level(1, "lowerLetter", "(%2)", r#"<w:suff w:val="nothing"/>"#),
            level(2, "lowerRoman", "(%3)", r#"<w:rPr><w:vanish/></w:rPr>"#),
        ]
        .concat();
        let nums = format!(
            r#"{NUM_1}<w:num w:numId="2"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0">{}</w:lvlOverride></w:num>"#,
            r#"<w:lvl w:ilvl="0"><w:start w:val="3"/><w:numFmt w:val="upperLetter"/><w:lvlText w:val="%1)"/></w:lvl>"#
        );
        let numbering = one_list(&levels, &nums);
        let styles = Styles::default();
        let mut counter = Counter::new(&numbering, &styles);
        assert_eq!(labels(&mut counter, &[direct("1", 0), direct("2", 0), direct("1", 0)]), ["1.", "B)", "3."]);
        let mut counter = Counter::new(&numbering, &styles);
        assert_eq!(labels(&mut counter, &[direct("2", 0)]), ["C)"]);

        // §17.9.28 suff: a tab (the default) or a space reads as one space, nothing as nothing; a level whose run
        // properties hide it (§17.3.2.41 vanish) shows no number.
        let mut counter = Counter::new(&numbering, &styles);
        let shown: Vec<String> = [direct("1", 0), direct("1", 1), direct("1", 2), direct("2", 0)]
            .iter()
            .map(|p| counter.label(p).expect("label").expect("numbered").before("text"))
            .collect();
        assert_eq!(shown, ["1. text", "(a)text", "text", "B) text"]);
        let mut counter = Counter::new(&numbering, &styles);
        let suffixes: Vec<Suffix> = [direct("1", 0), direct("1", 1), direct("1", 2)]
            .iter()
            .map(|p| counter.label(p).expect("label").expect("numbered").suffix)
            .collect();
        assert_eq!(suffixes, [Suffix::Space, Suffix::Nothing, Suffix::Tab]);
    }

    #[test]
    fn a_fallback_format_counts_when_no_choice_gave_one() {
        // mc:AlternateContent whose choice says nothing of the format: the fallback's format is the level's.
        let level = r#"<w:lvl w:ilvl="0"><w:start w:val="1"/><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice Requires="w14"><w:lvlJc w:val="left"/></mc:Choice><mc:Fallback><w:numFmt w:val="upperRoman"/></mc:Fallback></mc:AlternateContent><w:lvlText w:val="%1"/></w:lvl>"#;
        let numbering = one_list(level, NUM_1);
        let styles = Styles::default();
        let mut counter = Counter::new(&numbering, &styles);
        assert_eq!(labels(&mut counter, &[direct("1", 0), direct("1", 0)]), ["I", "II"]);
    }

    #[test]
    fn more_number_formats_read_as_word_shows_them() {
        assert_eq!([1, 9, 10, 120].map(|n| Format::DecimalZero.show(n)), ["01", "09", "10", "120"]);
        assert_eq!(
            [1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].map(|n| Format::Ordinal.show(n)),
            ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th"]
        );
        assert_eq!(Format::parse("decimalZero"), Format::DecimalZero);
        assert_eq!(Format::parse("ordinal"), Format::Ordinal);
        assert_eq!(Format::parse("chineseCounting"), Format::Decimal);
        // Word 2010's custom formats: zero-padded decimal as wide as the first number; any other in decimal.
        let customs = ["001, 002, 003, ...", "01, 02", "0001", "1, 2, 3", "x1, x2", "10, 20", "A, B", ""];
        assert_eq!(
            customs.map(Format::custom),
            [
                Format::DecimalPadded(3),
                Format::DecimalPadded(2),
                Format::DecimalPadded(4),
                Format::Decimal,
                Format::Decimal,
                Format::Decimal,
                Format::Decimal,
                Format::Decimal
            ]
        );
        assert_eq!(Format::DecimalPadded(3).show(7), "007");
        assert_eq!(Format::DecimalPadded(3).show(1234), "1234");
    }

    #[test]
    fn counters_templates_and_numbers_have_limits() {
        // A start of 2,147,483,647 in letters would be 82 million characters; i64::MAX would wrap.
        for start in ["2147483647", "9223372036854775807", "-1"] {
            let list = format!(
                r#"<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="{start}"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1"/></w:lvl></w:abstractNum>"#
            );
            let error =
                Numbering::parse(&format!(r#"<w:numbering xmlns:w="{W}">{list}</w:numbering>"#)).expect_err("refused");
            assert!(error.contains(&MAX_COUNTER.to_string()), "{error}");
        }
        let restart = format!(
            r#"<w:numbering xmlns:w="{W}"><w:num w:numId="1"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="2147483647"/></w:lvlOverride></w:num></w:numbering>"#
        );
        assert!(Numbering::parse(&restart).is_err());
        // A level text repeating %2 20,000 times.
        let long = level(0, "decimal", &"%2".repeat(20_000), "");
        let error = Numbering::parse(&format!(
            r#"<w:numbering xmlns:w="{W}"><w:abstractNum w:abstractNumId="1">{long}</w:abstractNum></w:numbering>"#
        ))
        .expect_err("refused");
        assert!(error.contains(&MAX_TEMPLATE_CHARS.to_string()), "{error}");
        let at_limit = level(0, "decimal", &"%1".repeat(MAX_TEMPLATE_CHARS / 2), "");
        assert!(
            Numbering::parse(&format!(
                r#"<w:numbering xmlns:w="{W}"><w:abstractNum w:abstractNumId="1">{at_limit}</w:abstractNum></w:numbering>"#
            ))
            .is_ok()
        );

        // Counted past the limit.
        let top = format!(
            r#"<w:lvl w:ilvl="0"><w:start w:val="{MAX_COUNTER}"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1"/></w:lvl>"#
        );
        let numbering = one_list(&top, NUM_1);
        let styles = Styles::default();
        let mut counter = Counter::new(&numbering, &styles);
        assert_eq!(
            counter.label(&direct("1", 0)).expect("at the limit").map(|l| l.text),
            Some(MAX_COUNTER.to_string())
        );
        assert!(counter.label(&direct("1", 0)).expect_err("past it").contains("counted past"));

        // A number longer than the limit: letters of a large counter.
        let big = format!(
            r#"<w:lvl w:ilvl="0"><w:start w:val="{}"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1"/></w:lvl>"#,
            26 * MAX_LABEL_CHARS as i64 + 1
        );
        let numbering = one_list(&big, NUM_1);
        let mut counter = Counter::new(&numbering, &styles);
        assert!(counter.label(&direct("1", 0)).expect_err("too long").contains(&MAX_LABEL_CHARS.to_string()));
        let fits = format!(
            r#"<w:lvl w:ilvl="0"><w:start w:val="{}"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1"/></w:lvl>"#,
            26 * (MAX_LABEL_CHARS as i64 - 1) + 1
        );
        let numbering = one_list(&fits, NUM_1);
        let mut counter = Counter::new(&numbering, &styles);
        assert_eq!(counter.label(&direct("1", 0)).expect("fits").map(|l| l.text.len()), Some(MAX_LABEL_CHARS));
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
        Some(paragraphs.iter().filter_map(|p| counter.label(p).expect("within the limits")).collect())
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
