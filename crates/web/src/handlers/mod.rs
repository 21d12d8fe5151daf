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
    /// The cross-heading shown above it, when it starts a run of lines under one ([`cross_headings`]).
    heading_above: Option<String>,
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
            heading_above: None,
        }
    }
}

/// Consecutive lines at one depth that share a title (clauses under one cross-heading, which a Word Section gives
/// each of them as its title): the title is shown once, above the first of them, and not as each one's title.
/// A title on one line alone stays its title.
pub(crate) fn cross_headings(lines: &mut [ProvisionLine]) {
    let mut start = 0;
    while start < lines.len() {
        let same = |line: &ProvisionLine| line.depth == lines[start].depth && line.title == lines[start].title;
        let run = lines[start..].iter().take_while(|line| same(line)).count();
        if run > 1 && !lines[start].title.is_empty() {
            lines[start].heading_above = Some(lines[start].title.clone());
            for line in &mut lines[start..start + run] {
                line.title.clear();
            }
        }
        start += run;
    }
}

/// A correction of a record, as its page shows it beside the record: "Corrected on 2 March 2026 because …".
pub(crate) struct CorrectionView {
    /// RFC 3339.
    recorded_at: String,
    /// Its day, in words.
    day: String,
    reason: String,
}

/// The corrections of a record that said why, oldest first (`corrections.html` shows them).
pub(crate) fn corrections_of(
    history: &History,
    kind: inforce_core::ledger::RecordKind,
    key: &str,
) -> Vec<CorrectionView> {
    history
        .record_times()
        .corrections(kind, key)
        .iter()
        .map(|c| CorrectionView {
            recorded_at: c.recorded_at.to_string(),
            day: inforce_core::date::human_date(c.recorded_at.to_zoned(jiff::tz::TimeZone::UTC).date()),
            reason: c.reason.clone(),
        })
        .collect()
}

pub(crate) fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(id: &str, title: &str, depth: usize) -> ProvisionLine {
        ProvisionLine {
            id: id.into(),
            at: String::new(),
            title: title.into(),
            depth,
            status: "in_force",
            status_words: String::new(),
            text: None,
            heading_above: None,
        }
    }

    #[test]
    fn a_cross_heading_shared_by_consecutive_clauses_is_shown_once_above_them() {
        let mut lines = [
            line("D1", "RAISING PROPOSALS", 0),
            line("D1.1", "Registration", 1),
            line("D1.2", "Registration", 1),
            line("D1.3", "Registration", 1),
            line("D1.4", "Fast-Track", 1),
            line("D2", "Registration", 0),
            line("D2.1", "", 1),
            line("D2.2", "", 1),
        ];
        cross_headings(&mut lines);
        let shown: Vec<(Option<&str>, &str)> =
            lines.iter().map(|l| (l.heading_above.as_deref(), l.title.as_str())).collect();
        assert_eq!(
            shown,
            [
                (None, "RAISING PROPOSALS"),
                (Some("Registration"), ""),
                (None, ""),
                (None, ""),
                (None, "Fast-Track"),
                (None, "Registration"),
                (None, ""),
                (None, "")
            ]
        );
    }
}
