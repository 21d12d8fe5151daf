//! The handlers, one module per resource, each page beside its API twin. A handler extracts its typed
//! parameters (the code through [`crate::ctx::Ctx`]), asks the core once, and maps the answer to a template or a
//! wire type; no rule lives here.

pub mod at;
pub mod compare;
pub mod consultations;
pub mod contents;
pub mod documents;
pub mod home;
pub mod meta;
pub mod proposals;
pub mod provisions;
pub mod publication_log;
pub mod publications;
pub mod search;
pub mod variations;
pub mod versions;

use inforce_core::History;
use jiff::civil::Date;

/// A version or event as the templates show it.
pub(crate) struct EntryView {
    id: String,
    label: String,
    effective: String,
    effective_human: String,
    instrument: String,
    summary: String,
    planned: bool,
    current: bool,
}

impl EntryView {
    pub(crate) fn new(entry: &inforce_core::Entry, today: Date, current: bool) -> Self {
        Self {
            id: entry.id.to_string(),
            label: entry.label(),
            effective: entry.effective.to_string(),
            effective_human: entry.effective.human(),
            instrument: entry.instrument.human().to_string(),
            summary: entry.summary.clone(),
            planned: History::is_planned(entry, today),
            current,
        }
    }
}

pub(crate) fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
