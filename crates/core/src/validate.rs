//! The rules a register must keep before it is stored. Every problem is reported, not just the first.

use std::collections::{HashMap, HashSet};

use crate::change::{StageState, check_walk};
use crate::document::Attachment;
use crate::id::{EntryId, ProvisionId};
use crate::model::{ChangeKind, EntryKind, ProvisionKind, Register};

/// Where in a register a problem lies; a file format maps it to a line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A field of the code table.
    Code {
        /// The field name.
        field: &'static str,
    },
    /// A field of the provision at this index.
    Provision {
        /// Index in `Register::provisions`.
        index: usize,
        /// The field name.
        field: &'static str,
    },
    /// A field (and optionally one item of a list field) of the entry at this index.
    Entry {
        /// Index in `Register::entries`.
        index: usize,
        /// The field name.
        field: &'static str,
        /// Index inside a list field.
        item: Option<usize>,
    },
    /// A field of the consultation at this index.
    Consultation {
        /// Index in `Register::consultations`.
        index: usize,
        /// The field name.
        field: &'static str,
    },
    /// A field of the change process, or of one of its stages, paths, flags or moves (`field` names the list).
    Process {
        /// The field or list name (`stage`, `path`, `flag`, `move`).
        field: &'static str,
        /// Index inside the list.
        item: Option<usize>,
    },
    /// A field (or one recorded stage, or one list item) of the proposal at this index.
    Proposal {
        /// Index in `Register::proposals`.
        index: usize,
        /// The field name (`history` for the recorded stages).
        field: &'static str,
        /// Index inside a list field.
        item: Option<usize>,
    },
    /// A field (or one attachment) of the document at this index.
    Document {
        /// Index in `Register::documents`.
        index: usize,
        /// The field name.
        field: &'static str,
        /// Index inside a list field.
        item: Option<usize>,
    },
    /// A field of the planned change at this index.
    Planned {
        /// Index in `Register::planned`.
        index: usize,
        /// The field name.
        field: &'static str,
    },
    /// A field of the gap at this index.
    Gap {
        /// Index in `Register::gaps`.
        index: usize,
        /// The field name.
        field: &'static str,
    },
}

/// One broken rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where it is.
    pub location: Location,
    /// What is wrong and what was expected.
    pub message: String,
}

/// The most levels a provision tree may have (a top-level provision is level 1). Legal codes need fewer than 16
/// (the SEC: Section, sub-section, clause; a French code: partie, livre, titre, chapitre, section, sous-section,
/// paragraphe, article); the limit bounds every walk up or down the tree.
pub const MAX_TREE_DEPTH: usize = 64;

/// The most characters a one-line field (an id, a title, a name, a source, a date) may hold.
pub const MAX_LINE_CHARS: usize = 1_000;

/// The most characters a prose field (a description, summary, note, issue, solution or outcome) may hold.
pub const MAX_PROSE_CHARS: usize = 20_000;

/// Whether a register field named `field` holds prose (several sentences or paragraphs) rather than one line:
/// `description`, `summary`, `note`, `notes`, `issue`, `solution`, `outcome` and every `…_note`.
pub fn is_prose_field(field: &str) -> bool {
    matches!(field, "description" | "summary" | "note" | "notes" | "issue" | "solution" | "outcome")
        || field.ends_with("_note")
}

/// What is wrong with the string `value` of the register field named `field` (its last key, as a register file
/// writes it), or `None`: a control character other than tab and line ends (they would reach terminals and
/// pages raw: a bell, an escape sequence), or more characters than the field's limit ([`MAX_LINE_CHARS`],
/// [`MAX_PROSE_CHARS`] for prose fields).
pub fn string_problem(field: &str, value: &str) -> Option<String> {
    if let Some(c) = value.chars().find(|&c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) {
        return Some(format!(
            "`{field}` holds the control character U+{:04X}: only tab and line ends are allowed",
            u32::from(c)
        ));
    }
    let limit = if is_prose_field(field) { MAX_PROSE_CHARS } else { MAX_LINE_CHARS };
    // Counting stops past the limit: a huge value costs no more than a long one.
    let count = value.chars().take(limit + 1).count();
    (count > limit).then(|| format!("`{field}` is longer than {limit} characters ({} bytes); shorten it", value.len()))
}

/// Checks every rule and returns every problem found, in register order; empty when the register is sound.
pub fn validate(register: &Register) -> Vec<Problem> {
    let mut problems = Vec::new();
    if register.code.title.trim().is_empty() {
        problems
            .push(Problem { location: Location::Code { field: "title" }, message: "the code needs a title".into() });
    }
    if let Some(name) = &register.code.time_zone
        && register.code.zone().is_none()
    {
        problems.push(Problem {
            location: Location::Code { field: "time_zone" },
            message: format!("unknown time zone '{name}': give an IANA name such as \"Europe/London\" or \"UTC\""),
        });
    }
    let known = check_provisions(register, &mut problems);
    check_presence(register, &mut problems);
    check_entries(register, &known, &mut problems);
    check_consultations(register, &mut problems);
    check_process(register, &mut problems);
    check_proposals(register, &known, &mut problems);
    check_planned(register, &known, &mut problems);
    check_documents(register, &known, &mut problems);
    check_gaps(register, &mut problems);
    problems
}

/// A gap lies between two recorded versions, the first taking effect before the second, and is recorded once.
fn check_gaps(register: &Register, problems: &mut Vec<Problem>) {
    let version = |id: &EntryId| register.entries.iter().find(|e| &e.id == id && e.kind == EntryKind::Version);
    let mut keys = HashSet::new();
    for (index, gap) in register.gaps.iter().enumerate() {
        let mut problem = |field, message| problems.push(Problem { location: Location::Gap { index, field }, message });
        let (after, before) = (version(&gap.after), version(&gap.before));
        for (field, id, found) in [("after", &gap.after, after), ("before", &gap.before, before)] {
            if found.is_none() {
                problem(field, format!("gap names '{id}', which is not a version of this register"));
            }
        }
        if let (Some(after), Some(before)) = (after, before)
            && after.effective.latest().zip(before.effective.earliest()).is_none_or(|(a, b)| a >= b)
        {
            problem(
                "before",
                format!(
                    "gap from '{}' to '{}': '{}' (effective {}) must take effect on a later day than '{}' (effective {})",
                    gap.after, gap.before, gap.before, before.effective, gap.after, after.effective
                ),
            );
        }
        if !keys.insert(gap.key()) {
            problem("after", format!("the gap from '{}' to '{}' is recorded twice", gap.after, gap.before));
        }
    }
}

fn check_process(register: &Register, problems: &mut Vec<Problem>) {
    let Some(process) = &register.process else { return };
    let mut problem =
        |field, item, message| problems.push(Problem { location: Location::Process { field, item }, message });
    let mut stages = HashSet::new();
    for (item, stage) in process.stages.iter().enumerate() {
        if !is_slug(&stage.id) {
            problem("stage", Some(item), format!("stage id '{}' must be lower-case letters, digits and '-'", stage.id));
        } else if !stages.insert(stage.id.as_str()) {
            problem("stage", Some(item), format!("duplicate stage id '{}'", stage.id));
        }
        if stage.implements && stage.state != StageState::Closed {
            problem(
                "stage",
                Some(item),
                format!("stage '{}' implements the change, so its state must be closed", stage.id),
            );
        }
    }
    if !process.stages.iter().any(|s| s.initial) {
        problem(
            "stage",
            None,
            "the process needs at least one stage with initial = true, where proposals are raised".into(),
        );
    }
    for (list, named) in [("path", &process.paths), ("flag", &process.flags)] {
        let mut ids = HashSet::new();
        for (item, n) in named.iter().enumerate() {
            if n.id.trim().is_empty() || !ids.insert(n.id.as_str()) {
                problem(list, Some(item), format!("{list} id '{}' is empty or used twice", n.id));
            }
        }
    }
    for (item, step) in process.moves.iter().enumerate() {
        for stage in step.from.iter().chain(std::iter::once(&step.to)) {
            if !stages.contains(stage.as_str()) {
                problem("move", Some(item), format!("move {} names unknown stage '{stage}'", item + 1));
            }
        }
        for path in &step.paths {
            if process.path(path).is_none() {
                problem("move", Some(item), format!("move {} names unknown path '{path}'", item + 1));
            }
        }
        for flag in &step.flags {
            if !process.flags.iter().any(|f| &f.id == flag) {
                problem("move", Some(item), format!("move {} names unknown flag '{flag}'", item + 1));
            }
        }
        if step.from.is_empty() {
            problem("move", Some(item), format!("move {} needs at least one stage in 'from'", item + 1));
        }
    }
}

/// Lower-case letters, digits and '-', starting with a letter.
fn is_slug(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_lowercase())
        && text.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn check_proposals(register: &Register, known: &HashSet<ProvisionId>, problems: &mut Vec<Problem>) {
    let entries: HashMap<&EntryId, &crate::model::Entry> = register.entries.iter().map(|e| (&e.id, e)).collect();
    let references: HashSet<&str> = register.proposals.iter().map(|p| p.reference.as_str()).collect();
    let mut seen = HashSet::new();
    for (index, proposal) in register.proposals.iter().enumerate() {
        let mut problem = |field, item, message| {
            problems.push(Problem { location: Location::Proposal { index, field, item }, message })
        };
        let reference = &proposal.reference;
        let well_formed = reference.starts_with(|c: char| c.is_ascii_uppercase())
            && reference.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-');
        if !well_formed {
            problem(
                "reference",
                None,
                format!(
                    "reference '{reference}' must be upper-case letters, digits and '-' (such as MP084 or SECMP0001)"
                ),
            );
        } else if !seen.insert(reference.as_str()) {
            problem("reference", None, format!("duplicate proposal reference '{reference}'"));
        }
        if proposal.title.trim().is_empty() {
            problem("title", None, format!("proposal {reference} needs a title"));
        }
        for (item, provision) in proposal.affects.iter().enumerate() {
            if !known.contains(provision) {
                problem("affects", Some(item), format!("{reference} affects unknown provision '{provision}'"));
            }
        }
        if let Some(other) = &proposal.alternative_to
            && (other == reference || !references.contains(other.as_str()))
        {
            problem("alternative_to", None, format!("{reference} is an alternative to unknown proposal '{other}'"));
        }
        let Some(process) = &register.process else {
            problem("", None, format!("{reference}: the register defines no [process], so it cannot hold proposals"));
            continue;
        };
        if let Some(path) = &proposal.path
            && process.path(path).is_none()
        {
            let ids: Vec<&str> = process.paths.iter().map(|p| p.id.as_str()).collect();
            problem(
                "path",
                None,
                format!("{reference} is on unknown path '{path}'; the paths are: {}", ids.join(", ")),
            );
        }
        for flag in &proposal.flags {
            if !process.flags.iter().any(|f| &f.id == flag) {
                let ids: Vec<&str> = process.flags.iter().map(|f| f.id.as_str()).collect();
                problem(
                    "flags",
                    None,
                    format!("{reference} has unknown flag '{flag}'; the flags are: {}", ids.join(", ")),
                );
            }
        }
        if let (Some(raised), Some(first)) =
            (proposal.raised.earliest(), proposal.stages.first().and_then(|s| s.date.latest()))
            && first < raised
        {
            problem(
                "history",
                Some(0),
                format!("{reference}'s first stage is dated before it was raised ({})", proposal.raised),
            );
        }
        for (item, message) in check_walk(process, proposal) {
            problem("history", Some(item), format!("{reference}: {message}"));
        }
        for (item, change) in proposal.stages.iter().enumerate() {
            let Some(version) = &change.version else { continue };
            let Some(entry) = entries.get(version) else {
                problem("history", Some(item), format!("{reference} names unknown version '{version}'"));
                continue;
            };
            // A version carries a proposal only if it took effect after the proposal was raised and approved.
            let approved = proposal.stages[..item]
                .iter()
                .rev()
                .find(|s| process.stage(&s.stage).is_some_and(|stage| stage.state == StageState::Approved));
            let before = |what: &str, date: &crate::FuzzyDate| {
                entry
                    .effective
                    .latest()
                    .zip(date.earliest())
                    .is_some_and(|(took_effect, from)| took_effect < from)
                    .then(|| {
                        format!(
                            "{reference}: version {version} took effect on {} but {reference} was {what} on {date}: \
                             a version that took effect before then cannot implement it",
                            entry.effective
                        )
                    })
            };
            if let Some(message) =
                before("raised", &proposal.raised).or_else(|| approved.and_then(|s| before("approved", &s.date)))
            {
                problem("history", Some(item), message);
            }
        }
    }
}

fn check_documents(register: &Register, known: &HashSet<ProvisionId>, problems: &mut Vec<Problem>) {
    let mut ids = HashSet::new();
    for (index, document) in register.documents.iter().enumerate() {
        let mut problem = |field, item, message| {
            problems.push(Problem { location: Location::Document { index, field, item }, message });
        };
        let id = &document.id;
        if !is_slug(id) {
            problem("id", None, format!("document id '{id}' must be lower-case letters, digits and '-'"));
        } else if !ids.insert(id.as_str()) {
            problem("id", None, format!("duplicate document id '{id}'"));
        }
        if document.title.trim().is_empty() {
            problem("title", None, format!("document '{id}' needs a title"));
        }
        if document.file_name.is_empty() || document.file_name.contains(['/', '\\', '\0']) {
            problem("file_name", None, format!("document '{id}' needs a plain file name, without folders"));
        }
        if crate::text::TextHash::parse(&document.sha256).is_none_or(|h| h.to_string() != document.sha256) {
            problem("sha256", None, format!("document '{id}': sha256 must be 64 lower-case hex digits"));
        }
        if !crate::document::MEDIA_TYPES.iter().any(|(media, _)| *media == document.media_type) {
            problem(
                "media_type",
                None,
                format!("document '{id}' has media type '{}', which is not accepted", document.media_type),
            );
        }
        for (item, attachment) in document.attached_to.iter().enumerate() {
            let exists = match attachment {
                Attachment::Provision(provision) => known.contains(provision),
                other => register.holds(other),
            };
            if !exists {
                problem("attached_to", Some(item), format!("document '{id}' is attached to unknown {attachment}"));
            }
        }
    }
}

fn check_planned(register: &Register, known: &HashSet<ProvisionId>, problems: &mut Vec<Problem>) {
    let mut ids = HashSet::new();
    for (index, planned) in register.planned.iter().enumerate() {
        let mut problem =
            |field, message| problems.push(Problem { location: Location::Planned { index, field }, message });
        if planned.id.trim().is_empty() || !ids.insert(planned.id.as_str()) {
            problem("id", format!("planned change id '{}' is empty or used twice", planned.id));
        }
        if let Some(consultation) = &planned.consultation
            && !register.consultations.iter().any(|c| &c.id == consultation)
        {
            problem(
                "consultation",
                format!("planned change '{}' names unknown consultation '{consultation}'", planned.id),
            );
        }
        if let Some(proposal) = &planned.proposal
            && !register.proposals.iter().any(|p| &p.reference == proposal)
        {
            problem("proposal", format!("planned change '{}' names unknown proposal '{proposal}'", planned.id));
        }
        if let Some(version) = &planned.version
            && !register.entries.iter().any(|e| &e.id == version)
        {
            problem("version", format!("planned change '{}' names unknown version '{version}'", planned.id));
        }
        for provision in &planned.affects {
            if !known.contains(provision) {
                problem("affects", format!("planned change '{}' affects unknown provision '{provision}'", planned.id));
            }
        }
    }
}

fn check_provisions(register: &Register, problems: &mut Vec<Problem>) -> HashSet<ProvisionId> {
    let mut seen: HashSet<ProvisionId> = HashSet::new();
    // Each provision's level (1 for a top-level one), from its parent's: parents come first, so one pass.
    let mut levels: HashMap<&ProvisionId, usize> = HashMap::new();
    for (index, provision) in register.provisions.iter().enumerate() {
        let level = provision.parent.as_ref().and_then(|parent| levels.get(parent)).map_or(1, |above| above + 1);
        levels.entry(&provision.id).or_insert(level);
        // Only the first provision past the limit on each branch is named: those below it follow from it.
        if level == MAX_TREE_DEPTH + 1 {
            problems.push(Problem {
                location: Location::Provision { index, field: "parent" },
                message: format!(
                    "provision tree too deep: '{}' is at level {level}; the limit is {MAX_TREE_DEPTH} levels",
                    provision.id
                ),
            });
        }
        if !seen.insert(provision.id.clone()) {
            problems.push(Problem {
                location: Location::Provision { index, field: "id" },
                message: format!("duplicate provision id '{}': each provision is declared once", provision.id),
            });
        }
        match &provision.parent {
            Some(parent) if parent == &provision.id => problems.push(Problem {
                location: Location::Provision { index, field: "parent" },
                message: format!("provision '{}' cannot be its own parent", provision.id),
            }),
            Some(parent) if !seen.contains(parent) => problems.push(Problem {
                location: Location::Provision { index, field: "parent" },
                message: format!(
                    "unknown parent '{parent}' of '{}': declare the parent provision before its children",
                    provision.id
                ),
            }),
            None if matches!(provision.kind, ProvisionKind::Subsection | ProvisionKind::Paragraph) => {
                problems.push(Problem {
                    location: Location::Provision { index, field: "parent" },
                    message: format!("{} '{}' needs a parent", provision.kind.as_str(), provision.id),
                });
            }
            _ => {}
        }
    }
    seen
}

fn check_presence(register: &Register, problems: &mut Vec<Problem>) {
    for (index, provision) in register.provisions.iter().enumerate() {
        let Some(entry) = &provision.present_by else { continue };
        let location = Location::Provision { index, field: "present_by" };
        if !register.entries.iter().any(|e| &e.id == entry) {
            let message = format!("'{}' is present_by unknown version or event '{entry}'", provision.id);
            problems.push(Problem { location, message });
        } else if !provision.addition_unknown {
            let message = format!(
                "'{}' has present_by but no added = \"unknown\": present_by only dates provisions whose addition \
                 is unknown",
                provision.id
            );
            problems.push(Problem { location, message });
        }
    }
}

fn check_entries(register: &Register, known: &HashSet<ProvisionId>, problems: &mut Vec<Problem>) {
    let mut ids: HashMap<&str, usize> = HashMap::new();
    // The version counting from the latest day so far: a later-listed version may not count from a day before it,
    // since versions are listed in the order they take effect and a date counts from its last possible day.
    let mut latest_version: Option<(usize, jiff::civil::Date)> = None;
    for (index, entry) in register.entries.iter().enumerate() {
        if let Some(first) = ids.insert(entry.id.as_str(), index) {
            let what = if entry.kind == EntryKind::Version { "version" } else { "event" };
            problems.push(Problem {
                location: Location::Entry { index, field: "id", item: None },
                message: format!(
                    "duplicate {what} id '{}' (also used by entry {}): ids must be unique",
                    entry.id,
                    first + 1
                ),
            });
        }
        if entry.kind == EntryKind::Version {
            if let (Some((latest_index, before)), Some(latest)) = (latest_version, entry.effective.latest())
                && latest < before
            {
                let earlier = &register.entries[latest_index];
                let counts = if earlier.effective.exact().is_some() { "takes effect on" } else { "counts from" };
                problems.push(Problem {
                    location: Location::Entry { index, field: "effective", item: None },
                    message: format!(
                        "version {} takes effect on {} but version {}, listed before it, {counts} {before}: \
                         list versions in date order",
                        entry.id, entry.effective, earlier.id
                    ),
                });
            }
            if let Some(latest) = entry.effective.latest()
                && latest_version.is_none_or(|(_, before)| latest > before)
            {
                latest_version = Some((index, latest));
            }
        }
        for kind in ChangeKind::ALL {
            let list = entry.changes(kind);
            let mut in_list = HashSet::new();
            for (item, provision) in list.listed.iter().enumerate() {
                let location = Location::Entry { index, field: kind.as_str(), item: Some(item) };
                if !known.contains(provision) {
                    problems.push(Problem {
                        location,
                        message: format!(
                            "{} names unknown provision '{provision}': declare it as a [[provision]] first",
                            entry.label()
                        ),
                    });
                } else if !in_list.insert(provision) {
                    problems.push(Problem {
                        location,
                        message: format!("'{provision}' is listed twice under {}", kind.as_str()),
                    });
                }
            }
        }
        let contradictions =
            [(ChangeKind::Added, ChangeKind::Removed), (ChangeKind::Activated, ChangeKind::Deactivated)];
        for (first, second) in contradictions {
            for (item, provision) in entry.changes(second).listed.iter().enumerate() {
                if entry.changes(first).listed.contains(provision) {
                    problems.push(Problem {
                        location: Location::Entry { index, field: second.as_str(), item: Some(item) },
                        message: format!(
                            "'{provision}' is both {} and {} by {}",
                            first.as_str(),
                            second.as_str(),
                            entry.label()
                        ),
                    });
                }
            }
        }
    }
}

fn check_consultations(register: &Register, problems: &mut Vec<Problem>) {
    let mut ids = HashSet::new();
    for (index, consultation) in register.consultations.iter().enumerate() {
        if !ids.insert(consultation.id.as_str()) {
            problems.push(Problem {
                location: Location::Consultation { index, field: "id" },
                message: format!("duplicate consultation id '{}'", consultation.id),
            });
        }
        for version in &consultation.led_to {
            if !register.entries.iter().any(|e| &e.id == version) {
                problems.push(Problem {
                    location: Location::Consultation { index, field: "led_to" },
                    message: format!("consultation '{}' led to unknown version '{version}'", consultation.id),
                });
            }
        }
        for concern in &consultation.concerns {
            let message = if *concern == Attachment::Consultation(consultation.id.clone()) {
                format!("consultation '{}' cannot concern itself", consultation.id)
            } else if !register.holds(concern) {
                format!("consultation '{}' concerns unknown {concern}", consultation.id)
            } else {
                continue;
            };
            problems.push(Problem { location: Location::Consultation { index, field: "concerns" }, message });
        }
        if let (Some(published), Some(closes)) = (consultation.published.earliest(), consultation.closes.latest())
            && closes < published
        {
            problems.push(Problem {
                location: Location::Consultation { index, field: "closes" },
                message: format!(
                    "consultation '{}' closes ({}) before it is published ({})",
                    consultation.id, consultation.closes, consultation.published
                ),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{entry, provision, register};

    /// A chain of `levels` provisions, each the parent of the next.
    fn chain(levels: usize) -> Register {
        let provisions = (0..levels)
            .map(|i| {
                let parent = (i > 0).then(|| format!("P{}", i - 1));
                provision(&format!("P{i}"), parent.as_deref())
            })
            .collect();
        register(provisions, vec![entry("1.0", "2020-01-01", &[("added", "P0")])])
    }

    #[test]
    fn a_provision_tree_may_be_as_deep_as_the_limit_and_no_deeper() {
        assert_eq!(validate(&chain(MAX_TREE_DEPTH)), vec![], "{MAX_TREE_DEPTH} levels are allowed");
        // Ten levels past the limit: the first one past it is named, once.
        let problems = validate(&chain(MAX_TREE_DEPTH + 10));
        assert_eq!(
            problems,
            vec![Problem {
                location: Location::Provision { index: MAX_TREE_DEPTH, field: "parent" },
                message: "provision tree too deep: 'P64' is at level 65; the limit is 64 levels".to_string(),
            }]
        );
        // Two branches past the limit: each is named.
        let mut two = chain(MAX_TREE_DEPTH + 1);
        two.provisions.push(provision("Q", Some("P63")));
        let named: Vec<String> = validate(&two).into_iter().map(|p| p.message).collect();
        assert_eq!(named.len(), 2, "{named:?}");
        assert!(named[1].contains("'Q' is at level 65"), "{named:?}");
    }

    #[test]
    fn register_strings_hold_no_control_characters_and_keep_to_their_length() {
        for bad in ["bell\u{7}", "escape \u{1b}[31m", "nul\0", "delete\u{7f}", "c1 \u{9b}"] {
            let problem = string_problem("title", bad).expect(bad);
            assert!(problem.contains("`title` holds the control character U+"), "{problem}");
        }
        assert!(string_problem("title", "tab\tand\r\nline ends").is_none());
        assert_eq!(
            string_problem("summary", "bell\u{7}").as_deref().map(|p| &p[..30]),
            Some("`summary` holds the control ch")
        );
        let line = "é".repeat(MAX_LINE_CHARS);
        assert_eq!(string_problem("title", &line), None, "the limit counts characters, not bytes");
        let over = string_problem("title", &format!("{line}x")).expect("one more is refused");
        assert_eq!(over, "`title` is longer than 1000 characters (2001 bytes); shorten it");
        assert_eq!(string_problem("summary", &format!("{line}x")), None, "prose fields are longer");
        assert!(string_problem("added_note", &"x".repeat(MAX_PROSE_CHARS)).is_none());
        assert!(string_problem("added_note", &"x".repeat(MAX_PROSE_CHARS + 1)).is_some());
        assert!(string_problem("notes", &"x".repeat(MAX_PROSE_CHARS + 1)).is_some());
        for prose in ["description", "summary", "note", "notes", "issue", "solution", "outcome", "added_note"] {
            assert!(is_prose_field(prose), "{prose}");
        }
        for line in ["title", "id", "sources", "name", "kind", "note_taker"] {
            assert!(!is_prose_field(line), "{line}");
        }
    }

    #[test]
    fn a_sound_register_has_no_problems() {
        let reg = register(
            vec![provision("H", None), provision("H15", Some("H"))],
            vec![entry("1.0", "2013-09-27", &[("added", "H")]), entry("2.0", "2014-01-01", &[("amended", "H15")])],
        );
        assert_eq!(validate(&reg), vec![]);
    }

    #[test]
    fn every_problem_is_reported() {
        let reg = register(
            vec![provision("H", None), provision("H", None), provision("H15", Some("Q"))],
            vec![
                entry("2.0", "2014-03-31", &[("amended", "Z9")]),
                entry("1.0", "2013-09-27", &[("added", "H"), ("removed", "H")]),
                entry("1.0", "2013-09-28", &[]),
            ],
        );
        let messages: Vec<String> = validate(&reg).into_iter().map(|p| p.message).collect();
        assert_eq!(
            messages,
            vec![
                "duplicate provision id 'H': each provision is declared once",
                "unknown parent 'Q' of 'H15': declare the parent provision before its children",
                "version 2.0 names unknown provision 'Z9': declare it as a [[provision]] first",
                "version 1.0 takes effect on 2013-09-27 but version 2.0, listed before it, takes effect on \
                 2014-03-31: list versions in date order",
                "'H' is both added and removed by version 1.0",
                "duplicate version id '1.0' (also used by entry 2): ids must be unique",
                "version 1.0 takes effect on 2013-09-28 but version 2.0, listed before it, takes effect on \
                 2014-03-31: list versions in date order",
            ]
        );
    }

    #[test]
    fn a_version_may_not_count_from_a_day_before_one_listed_above_it() {
        let reg = register(
            vec![provision("A", None)],
            vec![
                entry("1.0", "2015-03", &[]),
                entry("2.0", "2015-03-10", &[]),
                entry("3.0", "2015-03-31", &[]),
                entry("3.5", "2015-03-20", &[]),
                entry("4.0", "2015-04-30", &[]),
                entry("5.0", "2015-04-01", &[]),
            ],
        );
        let messages: Vec<String> = validate(&reg).into_iter().map(|p| p.message).collect();
        assert_eq!(
            messages,
            [
                "version 2.0 takes effect on 2015-03-10 but version 1.0, listed before it, counts from 2015-03-31: \
                 list versions in date order",
                "version 3.5 takes effect on 2015-03-20 but version 1.0, listed before it, counts from 2015-03-31: \
                 list versions in date order",
                "version 5.0 takes effect on 2015-04-01 but version 4.0, listed before it, takes effect on \
                 2015-04-30: list versions in date order",
            ]
        );
    }

    #[test]
    fn a_code_s_time_zone_is_a_known_iana_name_and_decides_its_day() {
        let mut reg = register(vec![provision("A", None)], vec![entry("1.0", "2015-01-05", &[])]);
        let night: jiff::Timestamp = "2021-06-23T23:30:00Z".parse().expect("time");
        assert_eq!(reg.code.today(night).to_string(), "2021-06-23", "UTC without a zone");
        reg.code.time_zone = Some("Europe/London".into());
        assert!(validate(&reg).is_empty());
        assert_eq!(reg.code.today(night).to_string(), "2021-06-24", "00:30 British Summer Time");
        let winter: jiff::Timestamp = "2021-12-23T23:30:00Z".parse().expect("time");
        assert_eq!(reg.code.today(winter).to_string(), "2021-12-23", "GMT in winter");
        reg.code.time_zone = Some("Europe/Lndon".into());
        let messages: Vec<String> = validate(&reg).into_iter().map(|p| p.message).collect();
        assert_eq!(
            messages,
            ["unknown time zone 'Europe/Lndon': give an IANA name such as \"Europe/London\" or \"UTC\""]
        );
    }

    #[test]
    fn the_change_process_and_its_proposals_are_checked() {
        use crate::change::tests::{process, raised};
        use crate::change::{Move, Named, StageState};
        let mut reg = register(vec![provision("H", None)], vec![entry("1.0", "2015-01-05", &[])]);
        reg.process = Some(process());
        reg.proposals = vec![raised("3")];
        assert_eq!(validate(&reg), vec![], "the fixture is sound");
        let messages = |reg: &Register| validate(reg).into_iter().map(|p| p.message).collect::<Vec<_>>();

        let mut bad = reg.clone();
        let p = bad.process.as_mut().expect("process");
        p.stages[1].id = "Report".into();
        p.stages[2].id = "raised".into();
        p.stages[3].implements = true;
        p.stages[0].initial = false;
        p.paths.push(Named { id: "2".into(), label: "again".into() });
        p.flags.push(Named { id: " ".into(), label: "blank".into() });
        p.moves.push(Move {
            from: vec![],
            to: "nowhere".into(),
            paths: vec!["9".into()],
            flags: vec!["loud".into()],
            decided_by: None,
        });
        assert_eq!(
            messages(&bad),
            [
                "stage id 'Report' must be lower-case letters, digits and '-'",
                "duplicate stage id 'raised'",
                "stage 'authority' implements the change, so its state must be closed",
                "the process needs at least one stage with initial = true, where proposals are raised",
                "path id '2' is empty or used twice",
                "flag id ' ' is empty or used twice",
                "move 1 names unknown stage 'report'",
                "move 2 names unknown stage 'report'",
                "move 2 names unknown stage 'vote'",
                "move 3 names unknown stage 'vote'",
                "move 4 names unknown stage 'vote'",
                "move 5 names unknown stage 'vote'",
                "move 9 names unknown stage 'report'",
                "move 9 names unknown stage 'vote'",
                "move 10 names unknown stage 'nowhere'",
                "move 10 names unknown path '9'",
                "move 10 names unknown flag 'loud'",
                "move 10 needs at least one stage in 'from'",
                "MP1: MP1 cannot start at 'raised'; a proposal is raised at: ",
            ]
        );
        let _ = StageState::Open;

        let mut bad = reg.clone();
        let mut other = raised("9");
        other.reference = "mp2".into();
        other.title = " ".into();
        other.affects.push(crate::ProvisionId::parse("Q1").expect("id"));
        other.alternative_to = Some("MP7".into());
        other.flags.push("loud".into());
        other.raised = crate::FuzzyDate::parse("2021-01-01").expect("date");
        other.stages[0].version = Some(crate::EntryId::parse("9.9").expect("id"));
        let mut twin = raised("3");
        twin.alternative_to = Some("MP1".into());
        let mut itself = raised("3");
        itself.reference = "MP3".into();
        itself.alternative_to = Some("MP3".into());
        bad.proposals.extend([other, twin, itself]);
        assert_eq!(
            messages(&bad),
            [
                "reference 'mp2' must be upper-case letters, digits and '-' (such as MP084 or SECMP0001)",
                "proposal mp2 needs a title",
                "mp2 affects unknown provision 'Q1'",
                "mp2 is an alternative to unknown proposal 'MP7'",
                "mp2 is on unknown path '9'; the paths are: 2, 3",
                "mp2 has unknown flag 'loud'; the flags are: urgent",
                "mp2's first stage is dated before it was raised (2021-01-01)",
                "mp2 names unknown version '9.9'",
                "duplicate proposal reference 'MP1'",
                "MP1 is an alternative to unknown proposal 'MP1'",
                "MP3 is an alternative to unknown proposal 'MP3'",
            ]
        );
        let mut orphan = reg.clone();
        orphan.process = None;
        assert_eq!(messages(&orphan), ["MP1: the register defines no [process], so it cannot hold proposals"]);
    }

    #[test]
    fn a_version_that_took_effect_before_a_proposal_was_raised_or_approved_cannot_implement_it() {
        use crate::change::StageChange;
        use crate::change::tests::{process, raised};
        let mut reg = register(
            vec![provision("H", None)],
            vec![
                entry("1.0", "2015-01-05", &[]),
                entry("2.0", "2020-03-01", &[]),
                entry("2.5", "2020-06-01", &[]),
                entry("3.0", "2020-07-01", &[]),
            ],
        );
        reg.process = Some(process());
        let step = |stage: &str, date: &str, version: Option<&str>| StageChange {
            stage: stage.into(),
            date: crate::FuzzyDate::parse(date).expect("date"),
            decided_by: None,
            version: version.map(|v| crate::EntryId::parse(v).expect("id")),
            note: None,
        };
        let carried_by = |version: &str| {
            let mut reg = reg.clone();
            let mut proposal = raised("3");
            proposal.stages.push(step("approved", "2020-06-01", None));
            proposal.stages.push(step("implemented", "2020-07-01", Some(version)));
            reg.proposals = vec![proposal];
            validate(&reg).into_iter().map(|p| p.message).filter(|m| m.contains("took effect")).collect::<Vec<_>>()
        };
        assert_eq!(
            carried_by("1.0"),
            ["MP1: version 1.0 took effect on 2015-01-05 but MP1 was raised on 2020-01-01: a version that took \
              effect before then cannot implement it"]
        );
        assert_eq!(
            carried_by("2.0"),
            ["MP1: version 2.0 took effect on 2020-03-01 but MP1 was approved on 2020-06-01: a version that took \
              effect before then cannot implement it"]
        );
        assert_eq!(carried_by("3.0"), Vec::<String>::new());
        assert_eq!(carried_by("2.5"), Vec::<String>::new(), "a version of the day of the approval may carry it");
    }

    fn consultation(id: &str, published: &str, closes: &str, led_to: &[&str]) -> crate::model::Consultation {
        crate::model::Consultation {
            published: crate::FuzzyDate::parse(published).expect("date"),
            closes: crate::FuzzyDate::parse(closes).expect("date"),
            led_to: led_to.iter().map(|v| crate::EntryId::parse(v).expect("id")).collect(),
            ..crate::testing::consultation(id)
        }
    }

    fn document(id: &str) -> crate::document::Document {
        crate::document::Document {
            date: crate::FuzzyDate::parse("2015-01-01").expect("date"),
            ..crate::testing::document(id)
        }
    }

    fn planned(id: &str) -> crate::change::PlannedChange {
        crate::change::PlannedChange {
            id: id.into(),
            title: "t".into(),
            description: None,
            announced: crate::FuzzyDate::parse("2015-01-01").expect("date"),
            expected: crate::FuzzyDate::Unknown,
            consultation: None,
            affects: vec![],
            proposal: None,
            version: None,
            sources: vec![],
            confidence: None,
        }
    }

    #[test]
    fn documents_planned_changes_consultations_and_the_tree_are_checked() {
        use crate::document::Attachment;
        let mut reg =
            register(vec![provision("A", None), provision("A1", Some("A"))], vec![entry("1.0", "2015-01-05", &[])]);
        reg.consultations = vec![consultation("c1", "2014-06-01", "2014-08-01", &["1.0"])];
        let mut good = document("guide");
        good.attached_to = vec![
            Attachment::Version(crate::EntryId::parse("1.0").expect("id")),
            Attachment::Provision(crate::ProvisionId::parse("A1").expect("id")),
            Attachment::Consultation("c1".into()),
        ];
        reg.documents = vec![good];
        let mut tied = planned("p1");
        tied.consultation = Some("c1".into());
        tied.version = Some(crate::EntryId::parse("1.0").expect("id"));
        tied.affects = vec![crate::ProvisionId::parse("A").expect("id")];
        reg.planned = vec![tied];
        let mut present = provision("P", None);
        present.addition_unknown = true;
        present.present_by = Some(crate::EntryId::parse("1.0").expect("id"));
        reg.provisions.push(present);
        assert_eq!(validate(&reg), vec![], "the fixture is sound");
        let messages = |reg: &Register| validate(reg).into_iter().map(|p| p.message).collect::<Vec<_>>();

        let mut bad = reg.clone();
        let mut loose = document("Guide");
        loose.title = " ".into();
        loose.file_name = "a/b.md".into();
        loose.sha256 = "A".repeat(64);
        loose.media_type = "application/x-nope".into();
        loose.attached_to = vec![
            Attachment::Version(crate::EntryId::parse("9.9").expect("id")),
            Attachment::Provision(crate::ProvisionId::parse("Z").expect("id")),
            Attachment::Proposal("MP9".into()),
            Attachment::Consultation("c9".into()),
        ];
        bad.documents.extend([loose, document("guide")]);
        let mut unknown = planned("p1");
        unknown.consultation = Some("c9".into());
        unknown.proposal = Some("MP9".into());
        unknown.version = Some(crate::EntryId::parse("9.9").expect("id"));
        unknown.affects = vec![crate::ProvisionId::parse("Z").expect("id")];
        bad.planned.extend([unknown, planned(" ")]);
        bad.consultations.extend([
            consultation("c1", "2014-06-01", "2014-08-01", &[]),
            consultation("c2", "2014-06-01", "2014-05", &["9.9"]),
            consultation("c3", "2014-06-01", "2014-06-01", &[]),
        ]);
        if let Some(c3) = bad.consultations.last_mut() {
            c3.concerns = vec![Attachment::Proposal("MP9".into()), Attachment::Consultation("c3".into())];
        }
        let mut own = provision("B", None);
        own.parent = Some(crate::ProvisionId::parse("B").expect("id"));
        let mut orphan = provision("C", None);
        orphan.kind = crate::model::ProvisionKind::Paragraph;
        let mut stray = provision("D", None);
        stray.present_by = Some(crate::EntryId::parse("1.0").expect("id"));
        let mut nowhere = provision("E", None);
        nowhere.addition_unknown = true;
        nowhere.present_by = Some(crate::EntryId::parse("7.0").expect("id"));
        bad.provisions.extend([own, orphan, stray, nowhere]);
        assert_eq!(
            messages(&bad),
            [
                "provision 'B' cannot be its own parent",
                "paragraph 'C' needs a parent",
                "'D' has present_by but no added = \"unknown\": present_by only dates provisions whose addition is \
                 unknown",
                "'E' is present_by unknown version or event '7.0'",
                "duplicate consultation id 'c1'",
                "consultation 'c2' led to unknown version '9.9'",
                "consultation 'c2' closes (2014-05) before it is published (2014-06-01)",
                "consultation 'c3' concerns unknown proposal:MP9",
                "consultation 'c3' cannot concern itself",
                "planned change id 'p1' is empty or used twice",
                "planned change 'p1' names unknown consultation 'c9'",
                "planned change 'p1' names unknown proposal 'MP9'",
                "planned change 'p1' names unknown version '9.9'",
                "planned change 'p1' affects unknown provision 'Z'",
                "planned change id ' ' is empty or used twice",
                "document id 'Guide' must be lower-case letters, digits and '-'",
                "document 'Guide' needs a title",
                "document 'Guide' needs a plain file name, without folders",
                "document 'Guide': sha256 must be 64 lower-case hex digits",
                "document 'Guide' has media type 'application/x-nope', which is not accepted",
                "document 'Guide' is attached to unknown version:9.9",
                "document 'Guide' is attached to unknown provision:Z",
                "document 'Guide' is attached to unknown proposal:MP9",
                "document 'Guide' is attached to unknown consultation:c9",
                "duplicate document id 'guide'",
            ]
        );
    }

    #[test]
    fn references_and_ids_keep_to_their_alphabet_and_links_find_what_they_name() {
        use crate::change::tests::{process, raised};
        use crate::document::Attachment;
        let mut reg = register(vec![provision("H", None)], vec![entry("1.0", "2015-01-05", &[])]);
        reg.process = Some(process());
        let with_reference = |r: &str| {
            let mut p = raised("3");
            p.reference = r.into();
            p
        };
        reg.proposals = vec![with_reference("SECMP-1")];
        let mut attached = document("guide-1");
        attached.attached_to = vec![Attachment::Proposal("SECMP-1".into())];
        reg.documents = vec![attached];
        let mut tied = planned("p1");
        tied.proposal = Some("SECMP-1".into());
        reg.planned = vec![tied];
        assert_eq!(validate(&reg), vec![], "a '-' is allowed, and the links find SECMP-1");
        let mut bad = reg.clone();
        bad.proposals.extend([with_reference("MP_3"), with_reference("3MP")]);
        bad.documents.extend([document("guide_x"), document("1guide")]);
        let messages: Vec<String> = validate(&bad).into_iter().map(|p| p.message).collect();
        assert_eq!(
            messages,
            [
                "reference 'MP_3' must be upper-case letters, digits and '-' (such as MP084 or SECMP0001)",
                "reference '3MP' must be upper-case letters, digits and '-' (such as MP084 or SECMP0001)",
                "document id 'guide_x' must be lower-case letters, digits and '-'",
                "document id '1guide' must be lower-case letters, digits and '-'",
            ]
        );
    }
}
