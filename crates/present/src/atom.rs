//! Atom feeds (RFC 4287), written directly: the documents are small, and a feed crate would bring a date library
//! we do not use. What goes in each feed is the web crate's choice; this writes one.

use std::fmt::Write;

use jiff::Timestamp;

use crate::html::escape;

/// One entry of a feed, its fields already as they are written (`updated` in RFC 3339).
pub struct Item {
    /// A permanent id (`tag:` URI).
    pub id: String,
    /// What happened, in a line.
    pub title: String,
    /// The page it is about.
    pub link: String,
    /// When, RFC 3339.
    pub updated: String,
    /// More words.
    pub summary: String,
}

/// The feed document (RFC 4287): its id, title, the page it mirrors (`rel="alternate"`), its own address
/// (`rel="self"`), when it last changed, and its entries.
pub fn feed(id: &str, title: &str, link: &str, own: &str, updated: Timestamp, items: &[Item]) -> String {
    let mut xml =
        String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    let _ = writeln!(xml, "<id>{}</id>\n<title>{}</title>", escape(id), escape(title));
    let _ = writeln!(xml, "<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>", escape(own));
    let _ = writeln!(xml, "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>", escape(link));
    let _ = writeln!(xml, "<updated>{}</updated>\n<author><name>inforce</name></author>", rfc3339(updated));
    for item in items {
        let _ = writeln!(
            xml,
            "<entry>\n<id>{}</id>\n<title>{}</title>\n<link rel=\"alternate\" href=\"{}\"/>\n<updated>{}</updated>\n<summary>{}</summary>\n</entry>",
            escape(&item.id),
            escape(&item.title),
            escape(&item.link),
            escape(&item.updated),
            escape(&item.summary)
        );
    }
    xml.push_str("</feed>\n");
    xml
}

/// A time as Atom writes it: `2026-11-28T12:00:00Z`.
pub fn rfc3339(time: Timestamp) -> String {
    time.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}
