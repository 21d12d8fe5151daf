//! Atom feeds (RFC 4287), written directly: the documents are small, and a feed crate would bring a date library
//! we do not use. What goes in each feed is the web crate's choice; this writes one.

use std::fmt::Write;

use jiff::Timestamp;

use crate::html::escape;

/// One entry of a feed.
pub struct Item {
    /// A permanent id (`tag:` URI).
    pub id: String,
    /// What happened, in a line.
    pub title: String,
    /// The page it is about.
    pub link: String,
    /// When the register last wrote it: its last correction, or its first recording (never a day to come, so a
    /// reader never shows an event ahead of its day, and a correction or a back-dated record reaches readers).
    pub updated: Timestamp,
    /// When the register first recorded it, when known and earlier than `updated`.
    pub published: Option<Timestamp>,
    /// More words.
    pub summary: String,
}

/// The feed document (RFC 4287): its id, title, the page it mirrors (`rel="alternate"`), its own address
/// (`rel="self"`), when it last changed, and its entries, their times written in `zone` (the code's time zone).
pub fn feed(
    id: &str,
    title: &str,
    link: &str,
    own: &str,
    updated: Timestamp,
    items: &[Item],
    zone: &jiff::tz::TimeZone,
) -> String {
    let mut xml =
        String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    let _ = writeln!(xml, "<id>{}</id>\n<title>{}</title>", escape(id), escape(title));
    let _ = writeln!(xml, "<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>", escape(own));
    let _ = writeln!(xml, "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>", escape(link));
    let _ = writeln!(xml, "<updated>{}</updated>\n<author><name>inforce</name></author>", in_zone(updated, zone));
    for item in items {
        let published = item
            .published
            .filter(|p| *p < item.updated)
            .map(|p| format!("<published>{}</published>\n", in_zone(p, zone)))
            .unwrap_or_default();
        let _ = writeln!(
            xml,
            "<entry>\n<id>{}</id>\n<title>{}</title>\n<link rel=\"alternate\" href=\"{}\"/>\n{published}<updated>{}</updated>\n<summary>{}</summary>\n</entry>",
            escape(&item.id),
            escape(&item.title),
            escape(&item.link),
            in_zone(item.updated, zone),
            escape(&item.summary)
        );
    }
    xml.push_str("</feed>\n");
    xml
}

/// A time as Atom writes it, in UTC: `2026-11-28T12:00:00Z`.
pub fn rfc3339(time: Timestamp) -> String {
    time.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A time as Atom writes it (RFC 3339), in `zone`: `2026-07-01T10:00:00+01:00` in London in summer; `Z` in UTC.
pub fn in_zone(time: Timestamp, zone: &jiff::tz::TimeZone) -> String {
    if zone == &jiff::tz::TimeZone::UTC {
        return rfc3339(time);
    }
    time.to_zoned(zone.clone()).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}
