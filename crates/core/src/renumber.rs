//! Likely renumberings between two states of a numbered text: when a clause is inserted or deleted, the clauses
//! after it move to new numbers. Provisions stay keyed by number (the numbers are what people cite), so a
//! comparison shows a renumbered clause as "changed" under its old number and its successor; this finds, by
//! wording, which old clause each new number most likely carries, for the import report ("D2.5 → D2.6").

use std::collections::HashMap;

use crate::diff::{DiffOptions, word_counts, word_diff, words};
use crate::id::ProvisionId;
use crate::text::body;

/// The least similarity for two wordings to count as one clause renumbered (0.75: three quarters of their words
/// in common).
pub const LEAST_SIMILARITY: f64 = 0.75;

/// More candidate pairs than this are not compared word by word (only identical wordings are matched), so a
/// renumbering of a whole long Section stays fast.
const MOST_PAIRS: usize = 20_000;

/// An old number whose wording now most likely stands under a new number.
#[derive(Debug, Clone, PartialEq)]
pub struct Renumbering {
    /// The number before.
    pub from: ProvisionId,
    /// The number after.
    pub to: ProvisionId,
    /// How alike the two wordings are, from 0 to 1 (1: the same words), headings left out.
    pub similarity: f64,
}

/// How alike two provision texts are, from 0 (nothing in common) to 1 (the same words): the share of their words
/// that a word diff keeps. Their headings are left out (a clause headed by its own number changes heading when it
/// is renumbered).
pub fn similarity(old: &str, new: &str) -> f64 {
    let (old, new) = (body(old), body(new));
    if old == new {
        return 1.0;
    }
    let total = words(old).count() + words(new).count();
    if total == 0 {
        return 0.0;
    }
    let (inserted, deleted) = word_counts(&word_diff(old, new, DiffOptions { ignore_formatting: true }));
    1.0 - (inserted + deleted) as f64 / total as f64
}

/// The likely renumberings between `old` and `new` (each a list of (number, provision text) in reading order): a
/// clause whose number now holds another wording (or is gone) is matched to the new number, not holding its own
/// old wording, whose wording is most like its own, if at least [`LEAST_SIMILARITY`] alike and more alike than
/// what now stands under its own number. Each new number is matched once; identical wordings first. In the old
/// order.
pub fn likely_renumberings(old: &[(ProvisionId, &str)], new: &[(ProvisionId, &str)]) -> Vec<Renumbering> {
    let old_by_id: HashMap<&ProvisionId, &str> = old.iter().map(|(id, text)| (id, *text)).collect();
    let new_by_id: HashMap<&ProvisionId, &str> = new.iter().map(|(id, text)| (id, *text)).collect();
    let same = |a: &str, b: &str| body(a) == body(b);
    // Old clauses whose number no longer holds their wording, and new numbers that hold a wording they did not.
    let moved: Vec<&(ProvisionId, &str)> =
        old.iter().filter(|(id, text)| new_by_id.get(id).is_none_or(|now| !same(text, now))).collect();
    let open: Vec<&(ProvisionId, &str)> =
        new.iter().filter(|(id, text)| old_by_id.get(id).is_none_or(|then| !same(then, text))).collect();
    let compare_words = moved.len() * open.len() <= MOST_PAIRS;
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for (o, (from, old_text)) in moved.iter().enumerate() {
        let staying = new_by_id.get(from).map_or(0.0, |now| similarity(old_text, now));
        for (n, (to, new_text)) in open.iter().enumerate() {
            if to == from {
                continue;
            }
            let score = if same(old_text, new_text) {
                1.0
            } else if compare_words {
                similarity(old_text, new_text)
            } else {
                0.0
            };
            if score >= LEAST_SIMILARITY && score > staying {
                pairs.push((score, o, n));
            }
        }
    }
    // Best pairs first; among equals, the nearest in reading order.
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then((a.1.abs_diff(a.2)).cmp(&b.1.abs_diff(b.2))));
    let (mut old_used, mut new_used) = (vec![false; moved.len()], vec![false; open.len()]);
    let mut found = Vec::new();
    for (score, o, n) in pairs {
        if old_used[o] || new_used[n] {
            continue;
        }
        old_used[o] = true;
        new_used[n] = true;
        found.push((o, Renumbering { from: moved[o].0.clone(), to: open[n].0.clone(), similarity: score }));
    }
    found.sort_by_key(|(o, _)| *o);
    found.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(text: &str) -> ProvisionId {
        ProvisionId::parse(text).expect("id")
    }

    fn texts<'a>(items: &[(&str, &'a str)]) -> Vec<(ProvisionId, &'a str)> {
        items.iter().map(|(i, t)| (id(i), *t)).collect()
    }

    #[test]
    fn an_insertion_moves_the_clauses_after_it() {
        let old = texts(&[
            ("D2.4", "# D2.4\n\nalpha beta gamma\n"),
            ("D2.5", "# D2.5\n\nthe panel may decide any urgent proposal at once\n"),
        ]);
        let new = texts(&[
            ("D2.4", "# D2.4\n\nalpha beta gamma\n"),
            ("D2.5", "# D2.5\n\na new clause about something else entirely\n"),
            ("D2.6", "# D2.6\n\nthe panel may decide any urgent proposal at once\n"),
        ]);
        let found = likely_renumberings(&old, &new);
        assert_eq!(found, [Renumbering { from: id("D2.5"), to: id("D2.6"), similarity: 1.0 }]);
    }

    #[test]
    fn a_clause_changed_in_place_is_not_renumbered_and_a_close_wording_is() {
        let old = texts(&[
            ("A1", "# A1\n\none two three four five six seven eight\n"),
            ("A2", "# A2\n\nnine ten eleven twelve thirteen fourteen fifteen sixteen\n"),
        ]);
        // A1 changed one word in place; A2's wording, with one word changed, moved to A3.
        let new = texts(&[
            ("A1", "# A1\n\none two three four five six seven EIGHT\n"),
            ("A2", "# A2\n\nsomething wholly new here\n"),
            ("A3", "# A3\n\nnine ten eleven twelve thirteen fourteen fifteen SIXTEEN\n"),
        ]);
        let found = likely_renumberings(&old, &new);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].from.as_str(), found[0].to.as_str()), ("A2", "A3"));
        assert!((found[0].similarity - 0.875).abs() < 1e-9, "{}", found[0].similarity);
        // Below three quarters alike is not a renumbering.
        let far = texts(&[("A3", "# A3\n\nnine ten eleven twelve other words entirely here\n")]);
        assert!(likely_renumberings(&old[1..], &far).is_empty());
    }

    #[test]
    fn a_deletion_moves_the_clauses_after_it_up() {
        let old = texts(&[
            ("A1", "# A1\n\nfirst clause stays\n"),
            ("A2", "# A2\n\nsecond clause is deleted\n"),
            ("A3", "# A3\n\nthird clause moves up\n"),
        ]);
        let new = texts(&[("A1", "# A1\n\nfirst clause stays\n"), ("A2", "# A2\n\nthird clause moves up\n")]);
        let found = likely_renumberings(&old, &new);
        assert_eq!(found, [Renumbering { from: id("A3"), to: id("A2"), similarity: 1.0 }]);
    }

    #[test]
    fn each_number_is_matched_once_and_a_tie_with_the_own_number_stays() {
        // One old wording now under two new numbers: matched to the nearer only.
        let old = texts(&[("A1", "# A1\n\np q r s\n")]);
        let new =
            texts(&[("A1", "# A1\n\nsomething else\n"), ("A2", "# A2\n\np q r s\n"), ("A3", "# A3\n\np q r s\n")]);
        assert_eq!(likely_renumberings(&old, &new), [Renumbering { from: id("A1"), to: id("A2"), similarity: 1.0 }]);
        // A1 changed one word in place; a new A2 is exactly as alike: A1 stays where it is.
        let old = texts(&[("A1", "# A1\n\none two three four\n")]);
        let new = texts(&[("A1", "# A1\n\none two three five\n"), ("A2", "# A2\n\none two three six\n")]);
        assert!(likely_renumberings(&old, &new).is_empty());
    }

    fn borrow(items: &[(ProvisionId, String)]) -> Vec<(ProvisionId, &str)> {
        items.iter().map(|(i, t)| (i.clone(), t.as_str())).collect()
    }

    #[test]
    fn past_the_pair_limit_only_identical_wordings_are_matched() {
        let make = |prefix: &str, count: usize, last: &str| -> Vec<(ProvisionId, String)> {
            (0..count)
                .map(|n| (id(&format!("{prefix}{n}")), format!("# x\n\nclause {n} alpha beta gamma {last}\n")))
                .collect()
        };
        // 150 old numbers gone and 150 new ones, each five sixths alike: 22,500 pairs, past the limit.
        let (old, new) = (make("O", 150, "delta"), make("N", 150, "DELTA"));
        assert!(likely_renumberings(&borrow(&old), &borrow(&new)).is_empty());
        // 100 and 100 (10,000 pairs) are compared word by word.
        let (old, new) = (make("O", 100, "delta"), make("N", 100, "DELTA"));
        let found = likely_renumberings(&borrow(&old), &borrow(&new));
        assert_eq!(found.len(), 100);
        assert_eq!((found[7].from.as_str(), found[7].to.as_str()), ("O7", "N7"));
        assert!((found[7].similarity - 10.0 / 12.0).abs() < 1e-9);
    }

    #[test]
    fn similarity_leaves_out_headings_and_counts_words() {
        assert_eq!(similarity("# D2.5\n\nsame words\n", "# D2.6\n\nsame words\n"), 1.0);
        assert_eq!(similarity("# a\n\none two\n", "# a\n\nthree four\n"), 0.0);
        assert_eq!(similarity("# a\n", "# b\n"), 1.0);
        assert_eq!(similarity("# a\n\n—\n", "# b\n\n–\n"), 0.0);
    }
}
