//! Plain-text answers for people at a terminal.

use std::fmt::Write;

use inforce_core::{
    ChangeKind, Completeness, Consultation, Entry, History, HistoryItem, Provision, StatusAnswer, date::human_date,
};
use jiff::civil::Date;

use crate::describe::{entry_ref, status_reason};

/// The version table.
pub fn versions(history: &History, today: Date) -> String {
    let current = history.in_force(today).version.map(|v| v.id.clone());
    let mut out = format!(
        "{} ({}): versions; today is {}\n\n",
        history.register().code.title,
        history.register().code.id,
        human_date(today)
    );
    let _ = writeln!(out, "  {:<8} {:<11} {:<26} SUMMARY", "VERSION", "EFFECTIVE", "INSTRUMENT");
    for version in history.versions() {
        let marker = if current.as_ref() == Some(&version.id) {
            "* "
        } else if History::is_planned(version, today) {
            "+ "
        } else {
            "  "
        };
        let _ = writeln!(
            out,
            "{marker}{:<8} {:<11} {:<26} {}",
            version.id.as_str(),
            version.effective.to_string(),
            version.instrument.human(),
            first_sentence(&version.summary)
        );
    }
    out.push_str("\n* in force today   + planned (takes effect after today)\n");
    out
}

/// The version in force on a date and the status of every provision, as an indented tree.
pub fn at(history: &History, date: Date, today: Date) -> String {
    let register = history.register();
    let in_force = history.in_force(date);
    let when = match date.cmp(&today) {
        std::cmp::Ordering::Greater => " (a future date: planned changes shown as they are known today)",
        std::cmp::Ordering::Less => "",
        std::cmp::Ordering::Equal => " (today)",
    };
    let mut out = format!("{} on {} ({}){when}\n", register.code.title, date, human_date(date));
    match in_force.version {
        Some(version) => {
            let _ = writeln!(out, "Version in force: {} — {}", version.id, entry_ref(version, today));
        }
        None => out.push_str("Version in force: none (before the code's first version)\n"),
    }
    for possible in &in_force.possibly_later {
        let _ = writeln!(
            out,
            "Note: version {} took effect some time in {}; it may already have been in force on this date",
            possible.id,
            possible.effective.human()
        );
    }
    out.push('\n');
    for answer in history.statuses(date) {
        let depth = history.depth(&answer.provision.id);
        let label = format!("{}{}", "  ".repeat(depth), answer.provision.id);
        let title = answer.provision.title.as_deref().unwrap_or("");
        let _ = writeln!(out, "  {label:<12} {:<14} {}", answer.status.human(), truncate(title, 70));
    }
    out
}

/// One provision's status and the reasons.
pub fn status(answer: &StatusAnswer<'_>, today: Date) -> String {
    let provision = answer.provision;
    let title = provision.title.as_deref().map(|t| format!(" ({t})")).unwrap_or_default();
    let mut out = format!(
        "{}{title} on {} ({}): {}\n",
        provision.id,
        answer.date,
        human_date(answer.date),
        answer.status.human()
    );
    let reason = status_reason(answer, today);
    if !reason.is_empty() {
        let _ = writeln!(out, "  why: {reason}");
    }
    out
}

/// A provision's history, one line per change.
pub fn provision_history(provision: &Provision, items: &[HistoryItem<'_>], today: Date) -> String {
    let title = provision.title.as_deref().map(|t| format!(" ({t})")).unwrap_or_default();
    let mut out = format!("History of {}{title}\n\n", provision.id);
    if items.is_empty() {
        out.push_str("  No version or event on record touched it.\n");
    }
    for item in items {
        let what = crate::describe::history_change(item);
        let _ = writeln!(out, "  {:<11} {:<40} {what}", item.entry.effective.to_string(), short_ref(item.entry, today));
    }
    out
}

/// The wording history: each entry that changed the text, with words added and removed.
pub fn wording_history(events: &[inforce_core::compare::TextEvent<'_>], code_has_texts: bool, today: Date) -> String {
    let mut out = String::from("\nWording\n\n");
    if !code_has_texts {
        out.push_str("  No text is recorded for this code yet.\n");
    } else if events.is_empty() {
        out.push_str("  No text is recorded for this provision.\n");
    }
    for event in events {
        let _ = writeln!(
            out,
            "  {:<11} {:<40} {} (+{} words, -{} words)",
            event.entry.effective.to_string(),
            short_ref(event.entry, today),
            crate::describe::wording_change(event),
            event.words_added,
            event.words_removed
        );
    }
    out
}

/// Every entry in date order with what it changed.
pub fn timeline(entries: &[&Entry], today: Date) -> String {
    let mut out = String::new();
    if entries.is_empty() {
        out.push_str("No version or event in that range.\n");
    }
    for entry in entries {
        let _ = writeln!(out, "{:<11} {}", entry.effective.to_string(), short_ref(entry, today));
        if !entry.summary.is_empty() {
            let _ = writeln!(out, "            {}", first_sentence(&entry.summary));
        }
        for kind in ChangeKind::ALL {
            let list = entry.changes(kind);
            let names: Vec<&str> = list.listed.iter().map(|p| p.as_str()).collect();
            let line = match list.completeness {
                Completeness::Complete if names.is_empty() => continue,
                Completeness::Complete => names.join(", "),
                Completeness::Partial => format!("{} and others not listed", names.join(", ")),
                Completeness::Unlisted => "not listed in the sources (unknown)".to_string(),
            };
            let _ = writeln!(out, "            {}: {line}", kind.as_str());
        }
    }
    out
}

/// Consultations with their state today.
pub fn consultations(consultations: &[Consultation], today: Date) -> String {
    let mut out = String::new();
    if consultations.is_empty() {
        out.push_str("No consultations recorded.\n");
    }
    for c in consultations {
        let _ = writeln!(
            out,
            "{:<18} {:<8} published {:<11} closes {:<11} {}",
            c.id,
            c.state_on(today).as_str(),
            c.published.to_string(),
            c.closes.to_string(),
            c.title
        );
    }
    out
}

fn short_ref(entry: &Entry, today: Date) -> String {
    let planned = if History::is_planned(entry, today) { " [planned]" } else { "" };
    match entry.kind {
        inforce_core::EntryKind::Version => format!("version {} ({}){planned}", entry.id, entry.instrument.human()),
        inforce_core::EntryKind::Event => format!("{} ({}){planned}", entry.label(), entry.instrument.human()),
    }
}

fn first_sentence(text: &str) -> String {
    let end = text.find(". ").map_or(text.len(), |i| i + 1);
    truncate(text[..end].trim(), 110)
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    // Never half a character (an accent, a flag) before the ellipsis.
    let cut = inforce_core::unicode::prefix_chars(text, max - 1);
    format!("{}…", cut.trim_end())
}
