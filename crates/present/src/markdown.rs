//! The code as Markdown at a point: an index of every provision with its status and why, the whole code as one
//! document, and each provision's text as its own file.

use std::fmt::Write;

use inforce_core::point::Cut;
use inforce_core::{History, ProvisionId, Status};
use jiff::civil::Date;

use crate::describe::{entry_ref, no_text_note, status_reason};

/// The files of a Markdown export, to be written by the caller.
pub struct MarkdownExport<'a> {
    /// `index.md`: every provision with its status and why, linking those with a text.
    pub index: String,
    /// `{code}.md`: the whole code as one document.
    pub document: String,
    /// `provisions/{id}.md`: each provision's text, as recorded.
    pub provisions: Vec<(ProvisionId, &'a str)>,
}

/// The code as it stood at `cut`, seen from `today`.
pub fn export<'a>(history: &'a History, cut: &Cut<'_>, today: Date) -> MarkdownExport<'a> {
    let register = history.register();
    let version = history.in_force(cut.date).version;
    let mut index = format!(
        "# {} as it stood on {}\n\nVersion in force: {}.\n\n",
        register.code.title,
        inforce_core::date::human_date(cut.date),
        version.map_or("none".to_string(), |v| entry_ref(v, today))
    );
    if !history.has_texts() {
        let _ = writeln!(index, "{}\n", no_text_note(history));
    }
    // At a date past the record's end or inside a gap, said once, as on every face.
    if let Some(banner) = crate::describe::cut_banner(history, cut) {
        let _ = writeln!(index, "> {banner}\n");
    }
    let mut document = index.clone();
    index.push_str("| provision | title | status | why |\n|---|---|---|---|\n");
    let mut provisions = Vec::new();
    for status in history.statuses(cut.date) {
        let provision = status.provision;
        let text = history.text_at(&provision.id, cut).and_then(|t| t.text);
        let title = provision.title.as_deref().unwrap_or("").replace('|', "\\|");
        let linked = match text {
            Some(_) => format!("[{}](provisions/{}.md)", provision.id, provision.id),
            None => provision.id.to_string(),
        };
        let _ = writeln!(
            index,
            "| {linked} | {title} | {} | {} |",
            status.status.human(),
            status_reason(&status, today).replace('|', "\\|")
        );
        let marker = match status.status {
            Status::InForce => String::new(),
            other => format!("\n> **{}** — {}\n", other.human(), status_reason(&status, today)),
        };
        if let Some(text) = text {
            provisions.push((provision.id.clone(), text));
            let _ = writeln!(
                document,
                "{}{marker}\n{}\n",
                text.lines().next().unwrap_or(""),
                inforce_core::text::body(text).trim_end()
            );
        } else if status.status != Status::NotYetAdded && status.status != Status::Removed {
            let _ = writeln!(document, "## {} {}{marker}\n", provision.id, provision.title.as_deref().unwrap_or(""));
        }
    }
    MarkdownExport { index, document, provisions }
}
