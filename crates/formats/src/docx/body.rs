//! A Word document's body as blocks (paragraphs and tables) with every tracked change kept, so that the text can
//! be read with the changes accepted or rejected and the changes themselves reported.
//!
//! What is text (`../shared/docx/README.md`, rules 8–10): the characters of `w:t` and `w:delText`, a `w:tab` or a
//! line break (kept as `\t` and `\n` here, shown as one space), a non-breaking hyphen, and footnote and endnote
//! references. Not text: field instructions, bookmarks, proofing and comment marks, section properties, a table of
//! contents (`w:sdt` whose `w:docPartGallery` is "Table of Contents"), the old properties a formatting change
//! keeps (`w:pPrChange`, `w:rPrChange`, `w:tblPrChange`…), and drawings, pictures, embedded objects and text boxes
//! (`w:drawing`, `w:pict`, `w:object`, `mc:AlternateContent`), and hidden text (§17.3.2.41 `w:vanish`: a run's
//! own, else its character style's and its paragraph style's, a toggle property as §17.7.3 defines). A hyperlink, a
//! simple field's result and a content control's content are text. A hidden paragraph mark joins its paragraph to
//! the next, as Word shows it.

use super::numbering::{LEVELS, ParagraphNumbering, Path, Styles, Tag, attribute, inside, on_off, walk};

/// How a tracked change changed the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revised {
    /// `w:ins`: content inserted.
    Inserted,
    /// `w:del`: content deleted.
    Deleted,
    /// `w:moveFrom`: content moved away from here.
    MovedFrom,
    /// `w:moveTo`: content moved here.
    MovedTo,
    /// `w:rPrChange`: a run's formatting changed (the text is the same).
    Format,
    /// `w:pPrChange` that changed a paragraph's list or level (§17.13.5.29): rejecting it takes the number away.
    Numbering,
    /// `w:pPrChange` that changed other paragraph properties (its style, say): the text is the same.
    Formatting,
    /// A paragraph mark deleted while words of the paragraph stay: the paragraph joins the next.
    Joined,
    /// A paragraph mark inserted inside a paragraph whose words were there: the paragraph was split.
    Split,
}

impl Revised {
    /// The word `docx-changes` reports (`ins`, `del`, `move-from`, `move-to`, `format`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Inserted => "ins",
            Self::Deleted => "del",
            Self::MovedFrom => "move-from",
            Self::MovedTo => "move-to",
            Self::Format => "format",
            Self::Numbering => "numbering",
            Self::Formatting => "formatting",
            Self::Joined => "join",
            Self::Split => "split",
        }
    }

    /// Whether content so changed is in the document read in `view`.
    pub fn kept(self, view: View) -> bool {
        match self {
            Self::Inserted | Self::MovedTo => view == View::Accept,
            Self::Deleted | Self::MovedFrom => view == View::Reject,
            Self::Format | Self::Numbering | Self::Formatting | Self::Joined | Self::Split => true,
        }
    }
}

/// The document read with every tracked change accepted (Word's "accept all") or rejected ("reject all").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Insertions kept, deletions dropped.
    Accept,
    /// Insertions dropped, deletions kept.
    Reject,
}

/// One tracked change: an element such as `w:ins`, a paragraph mark's or a table row's revision, or a run's
/// formatting change; with its author and date as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// What it did.
    pub revised: Revised,
    /// `w:author`.
    pub author: String,
    /// `w:date` (`2025-04-07T10:15:00Z`), empty when absent.
    pub date: String,
}

/// A piece of a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Characters (`\t` for a tab, `\n` for a line break).
    Text(String),
    /// A footnote (or endnote) reference, by its `w:id`.
    Note {
        /// Whether it is an endnote.
        endnote: bool,
        /// The note's `w:id`.
        id: String,
    },
}

/// Characters or a note reference, with the tracked changes it is inside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// What it is.
    pub piece: Piece,
    /// The `w:ins`, `w:del`, `w:moveFrom` or `w:moveTo` it is directly inside (an index into [`Body::changes`]).
    pub change: Option<usize>,
    /// Every change element it is inside, outermost first (words one reviewer inserted and another deleted are
    /// inside both, and in neither view).
    pub changes: Vec<usize>,
    /// The run it belongs to, counted through the document.
    pub run: usize,
    /// Its run's formatting change, if any (an index into [`Body::changes`]).
    pub format: Option<usize>,
    /// Whether Word hides it (`w:vanish`): not text in either view.
    pub hidden: bool,
}

/// A paragraph as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// Its position among the document's paragraphs (those in tables included), from 0.
    pub index: usize,
    /// Its style and numbering.
    pub numbering: ParagraphNumbering,
    /// Its content.
    pub spans: Vec<Span>,
    /// The revision of its paragraph mark: inserted, deleted or moved as a whole (an index into
    /// [`Body::changes`]).
    pub mark: Option<usize>,
    /// Its properties before a tracked change (`w:pPrChange`): its style and numbering then, and the change.
    pub was: Option<(ParagraphNumbering, usize)>,
    /// Whether its paragraph mark is hidden (its own run properties' `w:vanish`, else its style's): the paragraph
    /// then reads as part of the next one.
    pub hidden_mark: bool,
}

/// A table cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// How many grid columns it spans (`w:gridSpan`, at least 1).
    pub span: usize,
    /// Whether it continues a vertically merged cell above (`w:vMerge` without `restart`): shown empty.
    pub continued: bool,
    /// Its revision when the cell was inserted or deleted (`w:cellIns`, `w:cellDel`, §17.13.5.4–5).
    pub change: Option<usize>,
    /// Its paragraphs and tables.
    pub blocks: Vec<Block>,
}

/// A table row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Its cells.
    pub cells: Vec<Cell>,
    /// Its revision when the row was inserted or deleted as a whole.
    pub change: Option<usize>,
}

/// A paragraph or a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A paragraph.
    Paragraph(Paragraph),
    /// A table, row by row.
    Table(Vec<Row>),
}

/// A document's body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Body {
    /// Its blocks in document order.
    pub blocks: Vec<Block>,
    /// Every tracked change, in document order.
    pub changes: Vec<Change>,
}

impl Body {
    /// Reads the main document part (`w:body`), with the styles that say which text is hidden; the error says
    /// what cannot be read.
    pub fn parse(xml: &str, styles: &Styles) -> Result<Self, String> {
        let mut reader = Reader::new(styles);
        walk(xml, |r, tag, path| reader.on(r, tag, path))?;
        Ok(Body { blocks: reader.containers.into_iter().next().unwrap_or_default(), changes: reader.changes })
    }

    /// Whether the document has tracked changes.
    pub fn has_changes(&self) -> bool {
        !self.changes.is_empty()
    }
}

impl Span {
    /// Whether it is in the document read in `view`: inside no change that view takes out.
    pub fn kept(&self, changes: &[Change], view: View) -> bool {
        self.changes.iter().all(|c| changes.get(*c).is_none_or(|c| c.revised.kept(view)))
    }
}

/// A table being read.
#[derive(Default)]
struct TableBuild {
    rows: Vec<Row>,
    row: Vec<Cell>,
    row_change: Option<usize>,
    /// The cell being read: its span, whether it continues a merged cell, its revision.
    cell: Option<(usize, bool, Option<usize>)>,
}

/// Elements whose content is never text.
const SKIPPED: [&str; 12] = [
    "rPrChange",
    "tblPrChange",
    "trPrChange",
    "tcPrChange",
    "sectPrChange",
    "sectPr",
    "sdtPr",
    "drawing",
    "pict",
    "object",
    "txbxContent",
    "mc:AlternateContent",
];

/// Whether a run's text is hidden (§17.7.3): the run's own `w:vanish` when it has one; else the document's default
/// toggled by its character style's and its paragraph style's (both hiding shows).
fn hidden_run(
    own: Option<bool>,
    character_style: Option<bool>,
    paragraph_style: Option<bool>,
    by_default: bool,
) -> bool {
    own.unwrap_or(by_default ^ character_style.unwrap_or(false) ^ paragraph_style.unwrap_or(false))
}

/// The reading state of [`Body::parse`].
struct Reader<'s> {
    styles: &'s Styles,
    /// The run being read: its own `w:vanish`, and its character style's.
    run_vanish: Option<bool>,
    run_style_hidden: Option<bool>,
    /// The paragraph mark's own `w:vanish`.
    mark_vanish: Option<bool>,
    /// A paragraph's properties before its `w:pPrChange`, while they are read, and the change.
    was: Option<(ParagraphNumbering, usize)>,
    /// Block lists being filled: the body, then each open table cell.
    containers: Vec<Vec<Block>>,
    tables: Vec<TableBuild>,
    paragraph: Option<Paragraph>,
    paragraphs: usize,
    runs: usize,
    run_format: Option<usize>,
    /// The change elements the current content is inside.
    open_changes: Vec<usize>,
    changes: Vec<Change>,
    /// Depth of the element whose content is skipped, if any.
    skipping: Option<usize>,
    /// Per open `w:sdt`: whether it is a table of contents.
    contents: Vec<bool>,
    in_text: bool,
}

impl<'s> Reader<'s> {
    fn new(styles: &'s Styles) -> Self {
        Self {
            styles,
            run_vanish: None,
            run_style_hidden: None,
            mark_vanish: None,
            was: None,
            containers: vec![Vec::new()],
            tables: Vec::new(),
            paragraph: None,
            paragraphs: 0,
            runs: 0,
            run_format: None,
            open_changes: Vec::new(),
            changes: Vec::new(),
            skipping: None,
            contents: Vec::new(),
            in_text: false,
        }
    }
}

fn revised(name: &str) -> Option<Revised> {
    match name {
        "ins" => Some(Revised::Inserted),
        "del" => Some(Revised::Deleted),
        "moveFrom" => Some(Revised::MovedFrom),
        "moveTo" => Some(Revised::MovedTo),
        _ => None,
    }
}

impl Reader<'_> {
    fn on(&mut self, reader: &quick_xml::reader::NsReader<&[u8]>, tag: Tag<'_>, path: &Path) {
        if let Some(depth) = self.skipping {
            if matches!(tag, Tag::Close(_)) && path.len() == depth {
                self.skipping = None;
            }
            // A content control's properties are not text, but say whether it is a table of contents.
            if !matches!(tag, Tag::Open("docPartGallery", _)) {
                return;
            }
        }
        // A revision inside a run's properties marks the run's formatting or numbering, not its text.
        let run_properties = inside(path, "rPr") && !inside(path, "pPr");
        match tag {
            Tag::Text(text) => {
                if self.in_text {
                    self.push(Piece::Text(text.to_string()));
                }
            }
            Tag::Open(name, element) => {
                let change = |kind| Change {
                    revised: kind,
                    author: attribute(reader, element, "author").unwrap_or_default(),
                    date: attribute(reader, element, "date").unwrap_or_default(),
                };
                match name {
                    "docPartGallery" => {
                        if attribute(reader, element, "val")
                            .is_some_and(|v| v.eq_ignore_ascii_case("table of contents"))
                            && let Some(last) = self.contents.last_mut()
                        {
                            *last = true;
                        }
                    }
                    "rPrChange" => {
                        self.changes.push(change(Revised::Format));
                        self.run_format = Some(self.changes.len() - 1);
                        self.skipping = Some(path.len());
                    }
                    name if SKIPPED.contains(&name) => self.skipping = Some(path.len()),
                    "pPrChange" if self.paragraph.is_some() => {
                        self.changes.push(change(Revised::Formatting));
                        self.was = Some((ParagraphNumbering::default(), self.changes.len() - 1));
                    }
                    // The properties a change replaced say only what the paragraph was numbered by.
                    "pStyle" | "numId" | "ilvl" if inside(path, "pPrChange") => {
                        let Some((was, _)) = self.was.as_mut() else { return };
                        let value = attribute(reader, element, "val");
                        match name {
                            "pStyle" => was.style = value,
                            "numId" => was.num_id = value,
                            _ => was.level = value.and_then(|v| v.parse().ok()).filter(|l| *l < LEVELS),
                        }
                    }
                    _ if inside(path, "pPrChange") => {}
                    "sdt" => self.contents.push(false),
                    "sdtContent" if self.contents.last() == Some(&true) => self.skipping = Some(path.len()),
                    "p" => {
                        self.paragraph = Some(Paragraph {
                            index: self.paragraphs,
                            numbering: ParagraphNumbering::default(),
                            spans: Vec::new(),
                            mark: None,
                            was: None,
                            hidden_mark: false,
                        });
                        self.paragraphs += 1;
                        self.mark_vanish = None;
                    }
                    // specVanish (§17.3.2.36) hides what it marks even where hidden text is shown. Both stand only
                    // in run properties: a paragraph's are its mark's.
                    "vanish" | "specVanish" => {
                        if inside(path, "pPr") {
                            self.mark_vanish = Some(on_off(reader, element));
                        } else if inside(path, "r") {
                            self.run_vanish = Some(on_off(reader, element));
                        }
                    }
                    // A paragraph mark's character style hides nothing of the runs, whose own reset it.
                    "rStyle" => {
                        self.run_style_hidden = self.styles.hidden(attribute(reader, element, "val").as_deref());
                    }
                    "pStyle" if inside(path, "pPr") => {
                        if let Some(p) = self.paragraph.as_mut() {
                            p.numbering.style = attribute(reader, element, "val");
                        }
                    }
                    "numId" if inside(path, "numPr") => {
                        if let Some(p) = self.paragraph.as_mut() {
                            p.numbering.num_id = attribute(reader, element, "val");
                        }
                    }
                    "ilvl" if inside(path, "numPr") => {
                        if let Some(p) = self.paragraph.as_mut() {
                            p.numbering.level =
                                attribute(reader, element, "val").and_then(|v| v.parse().ok()).filter(|l| *l < LEVELS);
                        }
                    }
                    name if revised(name).is_some() && !run_properties => {
                        let kind = revised(name).unwrap_or(Revised::Inserted);
                        self.changes.push(change(kind));
                        let index = self.changes.len() - 1;
                        if inside(path, "pPr") {
                            if let Some(p) = self.paragraph.as_mut() {
                                p.mark = Some(index);
                            }
                        } else if inside(path, "trPr") {
                            if let Some(table) = self.tables.last_mut() {
                                table.row_change = Some(index);
                            }
                        } else {
                            self.open_changes.push(index);
                        }
                    }
                    "r" => {
                        self.runs += 1;
                        self.run_format = None;
                        self.run_vanish = None;
                        self.run_style_hidden = None;
                    }
                    "t" | "delText" if inside(path, "r") => self.in_text = true,
                    "tab" | "ptab" if inside(path, "r") => self.push(Piece::Text("\t".into())),
                    "br" | "cr" if inside(path, "r") => {
                        let kind = attribute(reader, element, "type");
                        if matches!(kind.as_deref(), None | Some("textWrapping")) {
                            self.push(Piece::Text("\n".into()));
                        }
                    }
                    "noBreakHyphen" => self.push(Piece::Text("\u{2011}".into())),
                    "footnoteReference" | "endnoteReference" => {
                        if let Some(id) = attribute(reader, element, "id") {
                            self.push(Piece::Note { endnote: name == "endnoteReference", id });
                        }
                    }
                    "tbl" => self.tables.push(TableBuild::default()),
                    "tr" => {
                        if let Some(table) = self.tables.last_mut() {
                            table.row.clear();
                            table.row_change = None;
                        }
                    }
                    "tc" => {
                        if let Some(table) = self.tables.last_mut() {
                            table.cell = Some((1, false, None));
                        }
                        self.containers.push(Vec::new());
                    }
                    "cellIns" | "cellDel" => {
                        let kind = if name == "cellIns" { Revised::Inserted } else { Revised::Deleted };
                        self.changes.push(change(kind));
                        let index = self.changes.len() - 1;
                        if let Some((_, _, revision)) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
                            *revision = Some(index);
                        }
                    }
                    "gridSpan" if inside(path, "tcPr") => {
                        let span = attribute(reader, element, "val").and_then(|v| v.parse().ok()).unwrap_or(1);
                        if let Some((cell_span, ..)) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
                            *cell_span = usize::max(span, 1).min(64);
                        }
                    }
                    "vMerge" if inside(path, "tcPr") => {
                        let restart = attribute(reader, element, "val").is_some_and(|v| v == "restart");
                        if let Some((_, continued, _)) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
                            *continued = !restart;
                        }
                    }
                    _ => {}
                }
            }
            Tag::Close(name) => match name {
                "t" | "delText" => self.in_text = false,
                "pPrChange" => {
                    if let (Some(paragraph), Some(was)) = (self.paragraph.as_mut(), self.was.take()) {
                        paragraph.was = Some(was);
                    }
                }
                "sdt" => {
                    self.contents.pop();
                }
                name if revised(name).is_some() && !run_properties && !inside(path, "pPr") && !inside(path, "trPr") => {
                    self.open_changes.pop();
                }
                "p" => {
                    if let Some(mut paragraph) = self.paragraph.take()
                        && let Some(container) = self.containers.last_mut()
                    {
                        let style = paragraph.numbering.style.as_deref();
                        paragraph.hidden_mark = self
                            .mark_vanish
                            .or_else(|| self.styles.hidden(style))
                            .unwrap_or(self.styles.hidden_by_default());
                        // A change of list or level (own, or through a style that numbers) is a numbering change.
                        if let Some((was, change)) = &paragraph.was
                            && let Some(change) = self.changes.get_mut(*change)
                        {
                            let renumbered =
                                self.styles.numbering_of(was) != self.styles.numbering_of(&paragraph.numbering);
                            if renumbered {
                                change.revised = Revised::Numbering;
                            }
                        }
                        container.push(Block::Paragraph(paragraph));
                    }
                }
                "tc" => {
                    let blocks = if self.containers.len() > 1 { self.containers.pop() } else { None };
                    if let Some(table) = self.tables.last_mut() {
                        let (span, continued, change) = table.cell.take().unwrap_or((1, false, None));
                        table.row.push(Cell { span, continued, change, blocks: blocks.unwrap_or_default() });
                    }
                }
                "tr" => {
                    if let Some(table) = self.tables.last_mut() {
                        let cells = std::mem::take(&mut table.row);
                        let change = table.row_change.take();
                        table.rows.push(Row { cells, change });
                    }
                }
                "tbl" => {
                    if let Some(table) = self.tables.pop()
                        && let Some(container) = self.containers.last_mut()
                    {
                        container.push(Block::Table(table.rows));
                    }
                }
                _ => {}
            },
        }
    }

    /// Adds a piece to the paragraph being read, joined to the span before when it is the same run and changes.
    fn push(&mut self, piece: Piece) {
        let Some(paragraph) = self.paragraph.as_mut() else { return };
        let (change, run, format) = (self.open_changes.last().copied(), self.runs, self.run_format);
        let changes = &self.open_changes;
        let style_hidden = self.styles.hidden(paragraph.numbering.style.as_deref());
        let hidden = hidden_run(self.run_vanish, self.run_style_hidden, style_hidden, self.styles.hidden_by_default());
        if let (Piece::Text(more), Some(last)) = (&piece, paragraph.spans.last_mut())
            && let Piece::Text(text) = &mut last.piece
            // One run stands inside one set of changes: the same run and innermost change, the same changes.
            && (last.change, last.run, last.format, last.hidden) == (change, run, format, hidden)
        {
            text.push_str(more);
            return;
        }
        paragraph.spans.push(Span { piece, change, changes: changes.clone(), run, format, hidden });
    }
}

/// The notes of `footnotes.xml` or `endnotes.xml` by `w:id`, each as one line: its paragraphs with every tracked
/// change accepted, joined by a space, tabs and line breaks as spaces, trimmed. Separator notes are left out.
pub fn notes(xml: &str) -> Result<std::collections::HashMap<String, String>, String> {
    let mut notes = std::collections::HashMap::new();
    let mut current: Option<(String, Vec<String>)> = None;
    let mut in_text = false;
    let mut deleted = 0usize;
    let mut hidden = false;
    walk(xml, |reader, tag, path| match tag {
        Tag::Open("footnote" | "endnote", element) => {
            let separator = attribute(reader, element, "type").is_some_and(|t| t != "normal");
            current = attribute(reader, element, "id").filter(|_| !separator).map(|id| (id, Vec::new()));
        }
        Tag::Close("footnote" | "endnote") => {
            if let Some((id, paragraphs)) = current.take() {
                let text: Vec<String> =
                    paragraphs.iter().map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect();
                notes.insert(id, text.join(" "));
            }
        }
        Tag::Open("p", _) => {
            if let Some((_, paragraphs)) = current.as_mut() {
                paragraphs.push(String::new());
            }
        }
        Tag::Open("del" | "moveFrom", _) if !inside(path, "rPr") && !inside(path, "pPr") => deleted += 1,
        Tag::Close("del" | "moveFrom") if !inside(path, "rPr") && !inside(path, "pPr") => {
            deleted = deleted.saturating_sub(1)
        }
        Tag::Open("r", _) => hidden = false,
        // A run's hiding (a paragraph mark's lasts until the next run opens, with no text between).
        Tag::Open("vanish", element) if !inside(path, "rPrChange") => hidden = on_off(reader, element),
        Tag::Open("t", _) if inside(path, "r") && !inside(path, "rPrChange") => in_text = true,
        Tag::Close("t") => in_text = false,
        Tag::Open("tab" | "br" | "cr", _) if inside(path, "r") => {
            if let Some(last) = current.as_mut().and_then(|(_, p)| p.last_mut()) {
                last.push(' ');
            }
        }
        Tag::Text(text) if in_text && deleted == 0 && !hidden => {
            if let Some(last) = current.as_mut().and_then(|(_, p)| p.last_mut()) {
                last.push_str(text);
            }
        }
        _ => {}
    })?;
    Ok(notes)
}
