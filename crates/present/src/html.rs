//! A comparison as a standalone web page: summary, contents, then each provision's redline with <del>/<ins>.

use std::fmt::Write;

use inforce_core::History;
use inforce_core::diff::Op;
use jiff::civil::Date;

use crate::describe::{cut_label, entry_ref};
use crate::wire::ComparisonParts;

/// The whole page.
pub fn comparison(history: &History, parts: &ComparisonParts<'_>, today: Date) -> String {
    let ((a, b), changes, between, note) = (parts.points, parts.changes, parts.between, parts.note);
    let title = format!("{}: {} compared with {}", history.register().code.title, cut_label(a), cut_label(b));
    let mut page = String::new();
    let _ = write!(
        page,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><style>\
         body{{font:16px/1.5 system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;color:#111}}\
         del{{background:#fdd;color:#700;text-decoration:line-through}}ins{{background:#dfd;color:#050;text-decoration:underline}}\
         .text{{white-space:pre-wrap}}table{{border-collapse:collapse}}td,th{{padding:.2rem .5rem;border-bottom:1px solid #ccc;text-align:left}}\
         </style></head><body><main>\n<h1>{}</h1>\n",
        escape(&title),
        escape(&title)
    );
    if let Some(note) = note {
        let _ = writeln!(page, "<p>{}</p>", escape(note));
    }
    if let Some(note) = &parts.record.note {
        let _ = writeln!(page, "<p role=\"note\">{}</p>", escape(note));
    }
    let _ = writeln!(page, "<h2>Versions and events in between</h2>\n<ul>");
    for entry in between {
        let _ = writeln!(page, "<li>{}: {}</li>", escape(&entry_ref(entry, today)), escape(&entry.summary));
    }
    let _ = writeln!(
        page,
        "</ul>\n<h2>Summary</h2>\n<p>{}.</p>\n<table><thead><tr><th scope=\"col\">Provision</th><th scope=\"col\">Change</th><th scope=\"col\">Status</th><th scope=\"col\">By</th></tr></thead><tbody>",
        escape(&crate::describe::comparison_counts(changes))
    );
    for change in changes {
        let by: Vec<String> = change.responsible.iter().map(|e| escape(e.id.as_str())).collect();
        let id = escape(change.provision.id.as_str());
        let name = if change.edits.is_empty() { id.clone() } else { format!("<a href=\"#p-{id}\">{id}</a>") };
        let _ = writeln!(
            page,
            "<tr><td>{name} {}</td><td>{}</td><td>{} → {}</td><td>{}</td></tr>",
            escape(change.provision.title.as_deref().unwrap_or("")),
            change.sort.human(),
            change.status.0.human(),
            change.status.1.human(),
            by.join(", ")
        );
    }
    let _ = writeln!(page, "</tbody></table>");
    for change in changes.iter().filter(|c| !c.edits.is_empty()) {
        let id = escape(change.provision.id.as_str());
        let _ = write!(
            page,
            "<section id=\"p-{id}\"><h2>{id} {}</h2><p class=\"text\">",
            escape(change.provision.title.as_deref().unwrap_or(""))
        );
        for edit in &change.edits {
            let text = escape(&edit.text);
            let _ = match edit.op {
                Op::Equal => write!(page, "{text}"),
                Op::Insert => write!(page, "<ins>{text}</ins>"),
                Op::Delete => write!(page, "<del>{text}</del>"),
            };
        }
        let _ = writeln!(page, "</p></section>");
    }
    page.push_str("</main></body></html>\n");
    page
}

/// Escapes text for XML and HTML content and attribute values (control characters other than line ends and tabs are dropped).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_text_is_escaped() {
        assert_eq!(
            escape("<script>alert('x')</script> & \""),
            "&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; &quot;"
        );
    }
}
