//! The Markdown rendition: the files of `inforce_present::markdown::export`, placed.

use inforce_core::History;
use inforce_core::point::Cut;
use jiff::civil::Date;

use crate::{RenderedFile, Rendition};

const MARKDOWN: &str = "text/markdown; charset=utf-8";

fn file(path: String, text: &str) -> RenderedFile {
    RenderedFile { path, media_type: MARKDOWN, bytes: text.as_bytes().to_vec() }
}

/// `provisions/{id}.md` for each text, then `index.md` and `{code}.md`.
pub(crate) fn render(history: &History, cut: &Cut<'_>, today: Date) -> Rendition {
    let export = inforce_present::markdown::export(history, cut, today);
    let mut files: Vec<RenderedFile> =
        export.provisions.iter().map(|(id, text)| file(format!("provisions/{id}.md"), text)).collect();
    let provisions = files.len();
    files.push(file("index.md".into(), &export.index));
    files.push(file(format!("{}.md", history.register().code.id), &export.document));
    Rendition { files, provisions }
}
