//! The rules a register must keep before it is stored. Every problem is reported, not just the first.

use std::collections::{HashMap, HashSet};

use crate::id::ProvisionId;
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
}

/// One broken rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where it is.
    pub location: Location,
    /// What is wrong and what was expected.
    pub message: String,
}

/// Checks every rule and returns every problem found, in register order; empty when the register is sound.
pub fn validate(register: &Register) -> Vec<Problem> {
    let mut problems = Vec::new();
    if register.code.title.trim().is_empty() {
        problems
            .push(Problem { location: Location::Code { field: "title" }, message: "the code needs a title".into() });
    }
    let known = check_provisions(register, &mut problems);
    check_presence(register, &mut problems);
    check_entries(register, &known, &mut problems);
    check_consultations(register, &mut problems);
    problems
}

fn check_provisions(register: &Register, problems: &mut Vec<Problem>) -> HashSet<ProvisionId> {
    let mut seen: HashSet<ProvisionId> = HashSet::new();
    for (index, provision) in register.provisions.iter().enumerate() {
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
    // The version with the latest date so far: a later-listed version may not take effect before it.
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
                problems.push(Problem {
                    location: Location::Entry { index, field: "effective", item: None },
                    message: format!(
                        "version {} takes effect on {} but version {}, listed before it, takes effect on {before}: \
                         list versions in date order",
                        entry.id, entry.effective, register.entries[latest_index].id
                    ),
                });
            }
            if let Some(earliest) = entry.effective.earliest()
                && latest_version.is_none_or(|(_, before)| earliest > before)
            {
                latest_version = Some((index, earliest));
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
}
