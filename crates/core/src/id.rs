//! Identifiers of codes, provisions and timeline entries, with the spellings users type.

use std::fmt;

/// Why a string could not be read as an identifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// The input was empty or only white space.
    #[error("an identifier cannot be empty")]
    Empty,
    /// The input contains characters that no identifier uses.
    #[error("'{input}' is not a valid {what}: {reason}")]
    Invalid {
        /// The text as given.
        input: String,
        /// What kind of identifier was expected.
        what: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
}

/// The identifier of a code, such as `sec`: lower case letters, digits, `-` and `_`.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(transparent)]
pub struct CodeId(String);

impl CodeId {
    /// Reads a code id, folding it to lower case.
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let text = input.trim().to_ascii_lowercase();
        if text.is_empty() {
            return Err(IdError::Empty);
        }
        let valid = text.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !valid {
            return Err(IdError::Invalid {
                input: input.to_string(),
                what: "code id",
                reason: "use letters, digits, '-' and '_' only",
            });
        }
        Ok(Self(text))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The canonical identifier of a provision: `A`, `H15`, `H14.31`, `SCH2`, `APP-G`.
///
/// Parsing accepts the spellings people use (`h15`, `Section H`, `Schedule 2`, `Appendix G`, `app g`) and
/// writes them the way the register does, so that every lookup compares canonical forms.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(transparent)]
pub struct ProvisionId(String);

impl ProvisionId {
    /// Reads a provision id in any accepted spelling and returns its canonical form.
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(IdError::Empty);
        }
        let invalid = |reason| IdError::Invalid { input: input.to_string(), what: "provision id", reason };
        // Composed (NFC), so that an id typed or named with decomposed accents is the same id.
        let upper = crate::unicode::nfc(&trimmed.to_uppercase()).into_owned();
        let collapsed: String = upper.split_whitespace().collect::<Vec<_>>().join(" ");

        let canonical = if let Some(rest) = strip_word(&collapsed, &["SCHEDULE", "SCH"]) {
            if rest.is_empty() {
                return Err(invalid("a schedule needs a number, as in 'Schedule 2'"));
            }
            format!("SCH{rest}")
        } else if let Some(rest) = strip_word(&collapsed, &["APPENDIX", "APP"]) {
            if rest.is_empty() {
                return Err(invalid("an appendix needs a letter, as in 'Appendix G'"));
            }
            format!("APP-{rest}")
        } else if let Some(rest) = strip_word(&collapsed, &["SECTION", "SEC", "ARTICLE", "ART"]) {
            if rest.is_empty() {
                return Err(invalid("a section needs a letter or number, as in 'Section H'"));
            }
            rest.to_string()
        } else {
            collapsed.replace(' ', "_")
        };
        let allowed = |c: char| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '(' | ')');
        if !canonical.chars().all(allowed) {
            return Err(invalid("use letters, digits, '.', '-', '_' and parentheses only"));
        }
        Ok(Self(canonical))
    }

    /// The canonical id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Strips a leading keyword (`Schedule`, `Sch.`, `Schedule-`) and the separator after it; `None` if absent.
fn strip_word<'a>(text: &'a str, words: &[&str]) -> Option<&'a str> {
    for word in words {
        if let Some(rest) = text.strip_prefix(word) {
            let separated = rest.starts_with([' ', '-', '.', '_']);
            let glued_number = rest.starts_with(|c: char| c.is_ascii_digit());
            // "SCH2" and "SCHEDULE 2" are schedules; "SECURITY" is not a section called "URITY".
            if separated || glued_number || (rest.is_empty() && word.len() > 3) {
                return Some(rest.trim_start_matches([' ', '-', '.', '_']));
            }
        }
    }
    None
}

impl fmt::Display for ProvisionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The identifier of a timeline entry: the version number (`4.2`) for a version, a chosen key for an event.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(transparent)]
pub struct EntryId(String);

impl EntryId {
    /// Reads an entry id: any non-empty text without white space at its ends or control characters, composed
    /// (NFC).
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let text = crate::unicode::nfc(input.trim());
        let text = text.as_ref();
        if text.is_empty() {
            return Err(IdError::Empty);
        }
        if text.chars().any(char::is_control) {
            return Err(IdError::Invalid {
                input: input.to_string(),
                what: "version or event id",
                reason: "control characters are not allowed",
            });
        }
        Ok(Self(text.to_string()))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EntryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canonical(input: &str) -> String {
        ProvisionId::parse(input).map(|id| id.to_string()).unwrap_or_else(|e| format!("error: {e}"))
    }

    #[test]
    fn ids_with_decomposed_accents_are_the_composed_ids() {
        assert_eq!(canonical("annexe-e\u{301}"), "ANNEXE-É");
        assert_eq!(canonical("annexe-é"), "ANNEXE-É");
        let entry = |s: &str| EntryId::parse(s).map(|e| e.to_string()).unwrap_or_default();
        assert_eq!(entry("e\u{301}te\u{301}-2015"), "été-2015");
    }

    #[test]
    fn a_keyword_is_stripped_only_when_it_stands_apart_or_before_a_number() {
        assert_eq!(canonical("sectional"), "SECTIONAL", "not a section called 'al'");
        assert_eq!(canonical("Security"), "SECURITY", "not a section called 'urity'");
        assert_eq!(canonical("sch"), "SCH", "a short keyword alone is an id");
        assert_eq!(canonical("Sch.2"), "SCH2");
    }

    #[test]
    fn usual_spellings_become_canonical_ids() {
        assert_eq!(canonical("h15"), "H15");
        assert_eq!(canonical("H15"), "H15");
        assert_eq!(canonical("Section H"), "H");
        assert_eq!(canonical("Schedule 2"), "SCH2");
        assert_eq!(canonical("sch2"), "SCH2");
        assert_eq!(canonical("SCH 2"), "SCH2");
        assert_eq!(canonical("Appendix G"), "APP-G");
        assert_eq!(canonical("app-g"), "APP-G");
        assert_eq!(canonical("APP-AL"), "APP-AL");
        assert_eq!(canonical("appendix  ad"), "APP-AD");
        assert_eq!(canonical("h14.31"), "H14.31");
        assert_eq!(canonical(" x5 "), "X5");
    }

    #[test]
    fn bad_provision_ids_are_refused() {
        assert_eq!(canonical(""), "error: an identifier cannot be empty");
        assert!(canonical("Schedule").starts_with("error: 'Schedule' is not a valid provision id"));
        assert!(canonical("H15; drop").starts_with("error:"));
    }

    #[test]
    fn code_ids_fold_case_and_refuse_punctuation() {
        assert_eq!(CodeId::parse("SEC").map(|c| c.to_string()), Ok("sec".to_string()));
        assert!(CodeId::parse("s e c").is_err());
        for id in ["fr-civil", "my_code", "c2"] {
            assert_eq!(CodeId::parse(id).map(|c| c.as_str().to_string()), Ok(id.to_string()));
        }
        assert!(CodeId::parse("fr.civil").is_err());
    }
}
