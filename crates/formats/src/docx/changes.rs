//! The report of a document's tracked changes (`changes.tsv`): one row per change, with the clause holding it in
//! the document read with every change accepted (or rejected, for what accepting removes). The rules are those of
//! `../shared/docx/README.md` ("changes.tsv").

use std::collections::HashMap;
use std::fmt::Write as _;

use super::body::{Block, Cell, Change, Paragraph, Piece, Revised, Row, Span, View};
use super::section::{Document, plain};

/// One row of the tracked-changes report (`changes.tsv`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackedChange {
    /// What it did.
    pub kind: Revised,
    /// `w:author` as written.
    pub author: String,
    /// `w:date` as written.
    pub date: String,
    /// The clause holding it, numbered as in the document with every change accepted; for a paragraph that is
    /// gone once they are accepted, as in the document with every change rejected. `None` outside any clause.
    pub provision: Option<String>,
    /// Exactly the changed characters (tabs and line breaks as spaces).
    pub text: String,
}

impl TrackedChange {
    /// The report's header line, then one line per change: `kind author date provision_id text`, tab-separated.
    pub fn tsv(changes: &[TrackedChange]) -> String {
        let mut out = String::from("kind\tauthor\tdate\tprovision_id\ttext\n");
        for c in changes {
            let clean = |s: &str| s.replace(['\t', '\n', '\r'], " ");
            let _ = writeln!(
                out,
                "{}\t{}\t{}\t{}\t{}",
                c.kind.as_str(),
                clean(&c.author),
                clean(&c.date),
                c.provision.as_deref().unwrap_or(""),
                clean(&c.text)
            );
        }
        out
    }
}

impl Document {
    /// Every tracked change in document order. A paragraph inserted, deleted or moved as a whole (its paragraph
    /// mark carries the revision, and its words go with it) is one row with its whole text; a paragraph mark
    /// deleted while the words stay is a `join` row, one inserted inside words that were there a `split` row (each
    /// with the paragraph's text); otherwise each `w:ins`, `w:del`, `w:moveFrom` and `w:moveTo` is a row (words
    /// inside two, inserted by one reviewer and deleted by another, are in both rows), and each run whose
    /// formatting changed is a `format` row; a change of paragraph properties (`w:pPrChange`) is a `numbering` row
    /// when it changed the paragraph's list or level, else a `formatting` row, with the paragraph's text; a table
    /// row inserted or deleted as a whole is a row with its cells' text joined by ` | `, a cell inserted or
    /// deleted (`w:cellIns`, `w:cellDel`) a row with its text.
    pub fn changes(&self) -> Vec<TrackedChange> {
        let accepted = self.walk(View::Accept).1;
        let rejected = self.walk(View::Reject).1;
        let mut rows = Vec::new();
        let mut report =
            Report { changes: &self.body.changes, accepted: &accepted, rejected: &rejected, rows: &mut rows };
        report.blocks(&self.body.blocks);
        rows
    }
}

/// Builds the tracked-changes report over the blocks as written.
struct Report<'r> {
    changes: &'r [Change],
    accepted: &'r HashMap<usize, String>,
    rejected: &'r HashMap<usize, String>,
    rows: &'r mut Vec<TrackedChange>,
}

impl Report<'_> {
    fn blocks(&mut self, blocks: &[Block]) {
        for block in blocks {
            match block {
                Block::Paragraph(p) => self.paragraph(p),
                Block::Table(rows) => {
                    for row in rows {
                        self.row(row);
                        for cell in &row.cells {
                            self.cell(cell);
                            self.blocks(&cell.blocks);
                        }
                    }
                }
            }
        }
    }

    fn change(&self, index: usize) -> Option<&Change> {
        self.changes.get(index)
    }

    fn row(&mut self, row: &Row) {
        let Some(change) = row.change.and_then(|c| self.change(c)).cloned() else { return };
        let view = if change.revised.kept(View::Accept) { View::Accept } else { View::Reject };
        let mut first = None;
        let cells: Vec<String> = row.cells.iter().map(|cell| self.cell_text(cell, view, &mut first)).collect();
        let provision = first.and_then(|i| self.provision(i, view));
        self.push(&change, provision, cells.join(" | "));
    }

    fn cell(&mut self, cell: &Cell) {
        let Some(change) = cell.change.and_then(|c| self.change(c)).cloned() else { return };
        let view = if change.revised.kept(View::Accept) { View::Accept } else { View::Reject };
        let mut first = None;
        let text = self.cell_text(cell, view, &mut first);
        let provision = first.and_then(|i| self.provision(i, view));
        self.push(&change, provision, text);
    }

    /// A cell's paragraphs as they read in `view`, joined by a space; `first` gets its first paragraph's index.
    fn cell_text(&self, cell: &Cell, view: View, first: &mut Option<usize>) -> String {
        let mut texts = Vec::new();
        for block in &cell.blocks {
            if let Block::Paragraph(p) = block {
                first.get_or_insert(p.index);
                texts.push(plain(&self.text(p.spans.iter().filter(|s| s.kept(self.changes, view)))));
            }
        }
        texts.join(" ")
    }

    fn text<'s>(&self, spans: impl Iterator<Item = &'s Span>) -> String {
        spans
            .filter_map(|s| match &s.piece {
                Piece::Text(t) => Some(t.as_str()),
                Piece::Note { .. } => None,
            })
            .collect()
    }

    fn provision(&self, paragraph: usize, view: View) -> Option<String> {
        match view {
            View::Accept => self.accepted.get(&paragraph).cloned(),
            View::Reject => self.rejected.get(&paragraph).cloned(),
        }
    }

    fn push(&mut self, change: &Change, provision: Option<String>, text: String) {
        self.rows.push(TrackedChange {
            kind: change.revised,
            author: change.author.clone(),
            date: change.date.clone(),
            provision,
            text: text.replace(['\t', '\n'], " "),
        });
    }

    fn paragraph(&mut self, p: &Paragraph) {
        let mark = p.mark.and_then(|c| self.change(c)).filter(|c| c.revised != Revised::Format).cloned();
        // A mark inserted or deleted with the paragraph's words is the whole paragraph; without them, a split or
        // a join.
        let (whole, mark) = match mark {
            Some(change) => {
                let gone_in = if change.revised.kept(View::Accept) { View::Reject } else { View::Accept };
                let words_go = p.spans.iter().all(|s| !s.kept(self.changes, gone_in));
                if words_go { (Some(change), None) } else { (None, Some(change)) }
            }
            None => (None, None),
        };
        let view = match &whole {
            Some(c) if !c.revised.kept(View::Accept) => View::Reject,
            _ => View::Accept,
        };
        let provision = self.provision(p.index, view).or_else(|| self.provision(p.index, View::Reject));
        let accepted = self.text(p.spans.iter().filter(|s| s.kept(self.changes, View::Accept)));
        if let Some(change) = &whole {
            let text = self.text(p.spans.iter().filter(|s| s.kept(self.changes, view)));
            self.push(change, provision.clone(), text);
        }
        if let Some(mut change) = mark {
            change.revised = if change.revised.kept(View::Accept) { Revised::Split } else { Revised::Joined };
            self.push(&change, provision.clone(), accepted.clone());
        }
        if let Some(change) = p.was.as_ref().and_then(|(_, c)| self.change(*c)).cloned() {
            self.push(&change, provision.clone(), accepted);
        }
        // Rows being filled: (each change element the last span was inside, its row) and (the run with a
        // formatting change, its row).
        let mut open: Vec<(usize, usize)> = Vec::new();
        let mut formatted: Option<(usize, usize)> = None;
        for span in &p.spans {
            let text = match &span.piece {
                Piece::Text(t) => t.as_str(),
                Piece::Note { .. } => "",
            };
            if whole.is_none() {
                let mut still = Vec::with_capacity(span.changes.len());
                for &c in &span.changes {
                    match open.iter().find(|(element, _)| *element == c) {
                        Some(&(_, row)) => {
                            self.rows[row].text.push_str(&text.replace(['\t', '\n'], " "));
                            still.push((c, row));
                        }
                        None => {
                            if let Some(change) = self.change(c).cloned() {
                                self.push(&change, provision.clone(), text.to_string());
                                still.push((c, self.rows.len() - 1));
                            }
                        }
                    }
                }
                open = still;
            }
            if let Some(f) = span.format {
                match formatted {
                    Some((run, row)) if run == span.run => {
                        self.rows[row].text.push_str(&text.replace(['\t', '\n'], " "))
                    }
                    _ => {
                        if let Some(change) = self.change(f).cloned() {
                            self.push(&change, provision.clone(), text.to_string());
                            formatted = Some((span.run, self.rows.len() - 1));
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docx::section::rules::{TITLE, clause, numbered, package, sub};

    #[test]
    fn the_report_groups_changes_by_element_and_by_run() {
        let body = format!(
            "{TITLE}{}{}{}",
            sub("ONE"),
            numbered(
                1,
                r#"<w:ins w:id="1" w:author="A" w:date="d"><w:r><w:t>two </w:t></w:r><w:r><w:t>runs</w:t></w:r></w:ins><w:ins w:id="2" w:author="A" w:date="d"><w:r><w:t> next</w:t></w:r></w:ins><w:r><w:rPr><w:rPrChange w:id="3" w:author="B"><w:rPr/></w:rPrChange></w:rPr><w:t>one</w:t><w:tab/><w:t>run</w:t></w:r><w:r><w:rPr><w:rPrChange w:id="4" w:author="B"><w:rPr/></w:rPrChange></w:rPr><w:t>oth</w:t><w:footnoteReference w:id="9"/><w:t>er</w:t></w:r>"#
            ),
            r#"<w:tbl><w:tr><w:trPr><w:ins w:id="5" w:author="C" w:date="e"/></w:trPr><w:tc><w:p><w:r><w:t>new</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>row</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#
        );
        let document = Document::read("t.docx", package(&body, "")).expect("package");
        assert_eq!(
            TrackedChange::tsv(&document.changes()),
            "kind\tauthor\tdate\tprovision_id\ttext\n\
             ins\tA\td\tD1.1\ttwo runs\n\
             ins\tA\td\tD1.1\t next\n\
             format\tB\t\tD1.1\tone run\n\
             format\tB\t\tD1.1\tother\n\
             ins\tC\te\tD1.1\tnew | row\n"
        );
        // Rejected, the inserted row is gone; accepted, it is there.
        let rejected = document.section(View::Reject).expect("reject");
        assert_eq!(
            clause(&rejected, "D1.1"),
            "# D1.1\n\none runoth[^1]er\n\n[^1]:\n",
            "a table whose every row is rejected is gone"
        );
        let accepted = document.section(View::Accept).expect("accept");
        assert!(clause(&accepted, "D1.1").contains("| new | row |"), "{}", clause(&accepted, "D1.1"));
    }

    /// A paragraph mark inserted or deleted without its text (a paragraph split and joined) is reported as such.
    #[test]
    fn revisions_of_paragraph_marks_alone_are_reported() {
        let Some(dir) = crate::docx::test_data().map(|d| d.join("realworld/pandoc")) else { return };
        let bytes = std::fs::read(dir.join("paragraph_insertion_deletion.docx")).expect("read");
        let document = Document::read("p.docx", bytes).expect("read");
        assert_eq!(
            TrackedChange::tsv(&document.changes()),
            "kind\tauthor\tdate\tprovision_id\ttext\n\
             split\tSeeley, Jason\t2017-09-17T16:39:00Z\t\tThis is a\n\
             join\tSeeley, Jason\t2017-09-17T16:39:00Z\t\t split\n"
        );
    }
}
