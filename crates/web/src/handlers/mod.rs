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

/// A provision listed on another page (the contents, a Section's parts): its id, the day its link names (the one
/// that stands for its stretch, so that a static copy holds one page per stretch), its title unless that only
/// repeats the id, its depth, its status at the page's point, and its text where the page shows it.
pub(crate) struct ProvisionLine {
    id: String,
    at: String,
    title: String,
    depth: usize,
    status: &'static str,
    status_words: String,
    text: Option<String>,
}

impl ProvisionLine {
    /// The provision `answer` is about, on `date`, at `depth` (capped by the caller), without its text.
    pub(crate) fn new(history: &History, answer: &inforce_core::StatusAnswer<'_>, date: Date, depth: usize) -> Self {
        let provision = answer.provision;
        Self {
            id: provision.id.to_string(),
            at: history.representative_day(&provision.id, date).to_string(),
            title: provision
                .title
                .as_deref()
                .and_then(|t| inforce_present::describe::shown_title(provision.id.as_str(), t))
                .unwrap_or("")
                .to_string(),
            depth,
            status: answer.status.as_str(),
            status_words: inforce_present::describe::status_words(answer),
            text: None,
        }
    }
}

pub(crate) fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
