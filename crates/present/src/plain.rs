//! Plain-text answers for people at a terminal.

use std::fmt::Write;

use inforce_core::change::{Process, Proposal};
use inforce_core::compare::{BlameRun, TextAt};
use inforce_core::diff::Edit;
use inforce_core::import::Discrepancy;
use inforce_core::point::Cut;
use inforce_core::{
    ChangeKind, Consultation, Entry, History, HistoryItem, Provision, ProvisionId, StatusAnswer, date::human_date,
};
use jiff::civil::Date;

use crate::describe::{change_list, cut_label, entry_ref, stage_label, status_reason};
use crate::wire::ComparisonParts;

/// The version table.
/// The corrections of a record that said why, one indented line each (`corrected on 2 March 2026: a slip`);
/// empty when there are none.
pub fn corrected(history: &History, kind: inforce_core::ledger::RecordKind, key: &str) -> String {
    let mut out = String::new();
    for c in history.record_times().corrections(kind, key) {
        let day = human_date(c.recorded_at.to_zoned(jiff::tz::TimeZone::UTC).date());
        let _ = writeln!(out, "    corrected on {day} because {}", c.reason);
    }
    out
}

pub fn versions(history: &History, today: Date) -> String {
    let current = history.in_force(today).version.map(|v| v.id.clone());
    let coverage = history.coverage(today);
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
        out.push_str(&corrected(history, inforce_core::ledger::RecordKind::Entry, version.id.as_str()));
    }
    if coverage.unrecorded_versions_possible {
        out.push_str("\n* the latest recorded as in force today   + planned (takes effect after today)\n");
    } else {
        out.push_str("\n* in force today   + planned (takes effect after today)\n");
    }
    if let Some(reason) = crate::describe::coverage_reason(history, &coverage) {
        let _ = writeln!(out, "Note: {reason}");
    }
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
    let coverage = history.coverage(date);
    match in_force.version {
        Some(version) => {
            let named = crate::describe::version_on(version, &coverage);
            let _ = writeln!(out, "Version in force: {named} — {}", entry_ref(version, today));
        }
        None => out.push_str("Version in force: none (before the code's first version)\n"),
    }
    if let Some(banner) = crate::describe::coverage_banner(history, in_force.version, &coverage) {
        let _ = writeln!(out, "Note: {banner}");
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
        let status = crate::describe::status_words(&answer);
        let _ = writeln!(out, "  {label:<12} {status:<14} {}", truncate(title, 70));
    }
    out
}

/// One provision's status and the reasons.
pub fn status(history: &History, answer: &StatusAnswer<'_>, today: Date) -> String {
    let mut out = status_lines(answer, today);
    let coverage = history.coverage(answer.date);
    if let Some(banner) = crate::describe::coverage_banner(history, history.in_force(answer.date).version, &coverage) {
        let _ = writeln!(out, "  note: {banner}");
    }
    out
}

/// A status and its reasons, without what the record's reach adds.
fn status_lines(answer: &StatusAnswer<'_>, today: Date) -> String {
    let provision = answer.provision;
    let title = provision.title.as_deref().map(|t| format!(" ({t})")).unwrap_or_default();
    let mut out = format!(
        "{}{title} on {} ({}): {}\n",
        provision.id,
        answer.date,
        human_date(answer.date),
        crate::describe::status_words(answer)
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
pub fn timeline(history: &History, from: Option<Date>, to: Option<Date>, today: Date) -> String {
    let entries = history.timeline(from, to);
    let mut out = String::new();
    if entries.is_empty() {
        out.push_str("No version or event in that range.\n");
    }
    let (gaps, _) = history.gaps_between(from.unwrap_or(Date::MIN), to.unwrap_or(today));
    for entry in &entries {
        let _ = writeln!(out, "{:<11} {}", entry.effective.to_string(), short_ref(entry, today));
        if !entry.summary.is_empty() {
            let _ = writeln!(out, "            {}", first_sentence(&entry.summary));
        }
        let shown = crate::describe::shown_lists(history, entry);
        for kind in ChangeKind::ALL {
            if let Some(line) = change_list(&shown.of(kind).0, usize::MAX) {
                let _ =
                    writeln!(out, "            {}: {line}", crate::describe::change_list_name(history, entry, kind));
            }
        }
        if let Some(line) = shown.first_recorded.as_ref().and_then(|l| change_list(l, usize::MAX)) {
            let _ = writeln!(out, "            first recorded: {line}");
        }
        // A gap is shown where it opens, so the list never reads as if 5.4 followed 4.2 directly.
        for gap in gaps.iter().filter(|g| g.after == entry.id) {
            let _ = writeln!(
                out,
                "{:<11} [gap] versions between {} and {} are missing from this register",
                "", gap.after, gap.before
            );
            if !gap.note.trim().is_empty() {
                let _ = writeln!(out, "            {}", gap.note.trim());
            }
        }
    }
    if let Some(note) = crate::describe::stretch_coverage(history, from.unwrap_or(Date::MIN), to.unwrap_or(today)) {
        let _ = writeln!(out, "\nNote: {note}");
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

/// A provision's status at a point, a note when no text is recorded, and its text (`inforce show`).
pub fn show(
    history: &History,
    cut: &Cut<'_>,
    status: &StatusAnswer<'_>,
    note: Option<&str>,
    text: Option<&TextAt<'_>>,
    today: Date,
) -> String {
    // At a version, the answer is that version's whatever followed it; at a date, a missing version may matter.
    let mut page = if cut.entry.is_some() { status_lines(status, today) } else { self::status(history, status, today) };
    if let Some(note) = note {
        let _ = writeln!(page, "{note}");
    }
    if let Some(at) = text {
        match at.text {
            Some(body) => {
                let _ = writeln!(page, "Text as given by {}:\n\n{}", entry_ref(at.entry, today), body.trim_end());
            }
            None => {
                let _ = writeln!(page, "Taken out of the text by {}.", entry_ref(at.entry, today));
            }
        }
    }
    page
}

/// A comparison of two points (`inforce diff`): what stands in between, a summary, one line per provision, then
/// each changed text as a plain redline.
pub fn comparison(history: &History, parts: &ComparisonParts<'_>, today: Date) -> String {
    let (a, b) = parts.points;
    let changes = parts.changes;
    let mut out = format!("{}: {} compared with {}\n", history.register().code.title, cut_label(a), cut_label(b));
    if let Some(note) = parts.note {
        let _ = writeln!(out, "{note}");
    }
    if let Some(note) = &parts.record.note {
        let _ = writeln!(out, "Note: {note}");
    }
    let _ = writeln!(out, "\nVersions and events in between ({}):", parts.between.len());
    for entry in parts.between {
        let shown = crate::describe::shown_lists(history, entry);
        let lists: Vec<String> = ChangeKind::ALL
            .into_iter()
            .filter_map(|kind| {
                let list = change_list(&shown.of(kind).0, SHORT_LIST)?;
                Some(format!("{} {list}", crate::describe::change_list_name(history, entry, kind)))
            })
            .collect();
        let _ = writeln!(
            out,
            "  {}{}",
            entry_ref(entry, today),
            if lists.is_empty() { String::new() } else { format!(": {}", lists.join("; ")) }
        );
    }
    let _ = writeln!(out, "\nSummary: {}", crate::describe::comparison_counts(changes));
    for change in changes {
        let by: Vec<&str> = change.responsible.iter().map(|e| e.id.as_str()).collect();
        let status = if change.status.0 == change.status.1 {
            String::new()
        } else {
            format!(" [{} -> {}]", change.status.0.human(), change.status.1.human())
        };
        let _ = writeln!(
            out,
            "  {:<15} {:<14} {}{status}{}\n  {:<15} {}",
            change.sort.human(),
            change.provision.id.as_str(),
            change.provision.title.as_deref().unwrap_or(""),
            if by.is_empty() { String::new() } else { format!("  (by {})", crate::describe::names(&by, SHORT_LIST)) },
            "",
            crate::describe::comparison_kinds(change)
        );
    }
    for change in changes.iter().filter(|c| !c.edits.is_empty()) {
        let _ = writeln!(
            out,
            "\n=== {} {} ({}) ===",
            change.provision.id,
            change.provision.title.as_deref().unwrap_or(""),
            change.sort.human()
        );
        out.push_str(&redline(&change.edits));
        out.push('\n');
    }
    out
}

/// How many names a list shows at a terminal before it says how many there are in all.
const SHORT_LIST: usize = 12;

/// Edits as plain text, `[-deleted-]` and `{+inserted+}`, as `git diff --word-diff=plain` writes them (the one
/// rule is [`inforce_core::diff::plain_redline`], which the core's own tests read too).
pub fn redline(edits: &[Edit]) -> String {
    inforce_core::diff::plain_redline(edits)
}

/// A provision's text with each run credited to the entry that wrote it (`inforce blame`).
pub fn blame(id: &ProvisionId, cut: &Cut<'_>, note: Option<&str>, paragraphs: Option<&[Vec<BlameRun<'_>>]>) -> String {
    let mut page = format!("Blame of {id} at {}\n", cut_label(cut));
    if let Some(note) = note {
        let _ = writeln!(page, "{note}");
    }
    for paragraph in paragraphs.into_iter().flatten() {
        page.push('\n');
        for run in paragraph {
            let label = format!("{} {}", run.entry.id, run.entry.effective);
            for (i, line) in run.text.lines().enumerate() {
                let shown = if i == 0 { label.as_str() } else { "" };
                let _ = writeln!(page, "{shown:<24} | {line}");
            }
        }
    }
    page
}

/// The check of texts against the register (`inforce check`), after what the publication log said (`logged`).
pub fn check(history: &History, logged: &str, found: &[Discrepancy<'_>], local: &[(i64, Vec<&'static str>)]) -> String {
    let mut logged = logged.to_string();
    if !local.is_empty() {
        let _ = write!(
            logged,
            "\n{} publication(s) carry local paths or user ids, recorded before provenance kept names only (kept as \
             recorded: their digests cover them; they are served as they are):",
            local.len()
        );
        for (publication, fields) in local {
            let _ = write!(logged, "\n  publication {publication}: {}", fields.join(", "));
        }
    }
    if !history.has_texts() {
        return format!(
            "{logged}\n{}\nNo texts to check against the register.",
            crate::describe::no_text_note(history)
        );
    }
    if found.is_empty() {
        return format!("{logged}\nTexts and register agree: no discrepancy.");
    }
    let mut page = format!("{logged}\n{} discrepancies between texts and register:\n", found.len());
    for d in found {
        let _ = writeln!(page, "  {}", d.describe());
    }
    page
}

/// One proposal as it stood on `on` (`inforce mod show`): its path, flags, what it affects, stage, decision and
/// next moves, then every stage with its date (those after `on` marked scheduled).
pub fn proposal(process: &Process, full: &Proposal, on: Date) -> String {
    let reached = full.as_on(on);
    let p = &reached;
    let mut text = format!("{}  {}\n", p.reference, p.title);
    let path = p
        .path
        .as_ref()
        .map(|id| process.path(id).map_or_else(|| format!("path {id}"), |n| n.label.clone()))
        .unwrap_or_else(|| "path not yet set".into());
    let _ = writeln!(text, "{path}; raised {}", p.raised.human());
    if !p.flags.is_empty() {
        let _ = writeln!(text, "flags: {}", p.flags.join(", "));
    }
    if !p.affects.is_empty() {
        let ids: Vec<String> = p.affects.iter().map(ToString::to_string).collect();
        let _ = writeln!(text, "affects: {}", ids.join(", "));
    }
    if let Some(current) = p.current() {
        let pending = if p.pending_on(process, on) { "pending" } else { "closed" };
        let _ = writeln!(text, "stage: {} ({pending})", stage_label(process, &current.stage));
    }
    if let Some(decision) = p.decision(process) {
        let by = decision.body.map(|b| format!(" by {b}")).unwrap_or_default();
        let _ = writeln!(text, "decision: {}{by}, {}", decision.outcome, decision.date.human());
    }
    if let Some(version) = p.implemented_by() {
        let _ = writeln!(text, "implemented by: {version}");
    }
    if let Some(release) = &p.target_release {
        let _ = writeln!(text, "target release: {release}");
    }
    if let Some(current) = p.current() {
        let next: Vec<&str> = process.moves_from(&current.stage, p).into_iter().map(|m| m.to.as_str()).collect();
        if !next.is_empty() {
            let _ = writeln!(text, "may move to: {}", next.join(", "));
        }
    }
    let _ = writeln!(text, "timeline:");
    for (i, s) in full.stages.iter().enumerate() {
        let mut line = format!("  {:<20} {}", s.date.human(), stage_label(process, &s.stage));
        if i >= p.stages.len() {
            line.push_str(" (scheduled)");
        }
        if let Some(by) = &s.decided_by {
            let _ = write!(line, " ({by})");
        }
        if let Some(version) = &s.version {
            let _ = write!(line, " in {version}");
        }
        if let Some(note) = &s.note {
            let _ = write!(line, ": {note}");
        }
        let _ = writeln!(text, "{line}");
    }
    for (label, value) in [("issue", &p.issue), ("solution", &p.solution)] {
        if let Some(value) = value {
            let _ = writeln!(text, "{label}: {value}");
        }
    }
    text
}

/// Proposals one line each (`inforce mod list`): reference, stage (on `pending_at` when given, else the one
/// reached by `on`), path, title.
pub fn proposals(process: &Process, proposals: &[&Proposal], pending_at: Option<Date>, on: Date) -> String {
    if proposals.is_empty() {
        return "no proposals match\n".into();
    }
    let mut text = String::new();
    for p in proposals {
        let stage = match pending_at {
            Some(date) => p.stage_on(date).map_or("not yet raised", |s| stage_label(process, &s.stage)),
            None => &crate::describe::stage_on(process, p, on),
        };
        let path = p.path.as_deref().map(|x| format!("path {x}")).unwrap_or_default();
        let _ = writeln!(text, "{:<11} {:<34} {:<7} {}", p.reference, stage, path, p.title);
    }
    text
}
