//! Word-level comparison of two texts: paragraphs matched first (Patience), words compared inside changed ones.

use similar::{Algorithm, DiffOp, capture_diff_slices};

use crate::unicode::{cluster_at, is_word_char, nfc};

/// What an edit does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    /// Text in both.
    Equal,
    /// Text only in the newer one.
    Insert,
    /// Text only in the older one.
    Delete,
}

impl Op {
    /// The wire name: `equal`, `insert`, `delete`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Equal => "equal",
            Self::Insert => "insert",
            Self::Delete => "delete",
        }
    }
}

/// One run of text and what happened to it. Equal and deleted runs, in order, spell the older text; equal and
/// inserted runs spell the newer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// What happened.
    pub op: Op,
    /// The text.
    pub text: String,
}

/// How to compare.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DiffOptions {
    /// Treat texts that differ only in white space and punctuation as the same, and show only word changes.
    pub ignore_formatting: bool,
}

/// The edits that turn `old` into `new`. Texts are compared in Normalization Form C ([`crate::unicode::nfc`]):
/// canonically equivalent spellings never differ, and the edits spell the composed texts.
pub fn word_diff(old: &str, new: &str, options: DiffOptions) -> Vec<Edit> {
    let (old, new) = (nfc(old), nfc(new));
    let (old, new) = (old.as_ref(), new.as_ref());
    if options.ignore_formatting {
        return unit_diff(old, new);
    }
    let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
    let new_lines: Vec<&str> = new.split_inclusive('\n').collect();
    let mut edits = Vec::new();
    for op in capture_diff_slices(Algorithm::Patience, &old_lines, &new_lines) {
        match op {
            DiffOp::Equal { old_index, len, .. } => push(&mut edits, Op::Equal, &old_lines[old_index..old_index + len]),
            DiffOp::Delete { old_index, old_len, .. } => {
                push(&mut edits, Op::Delete, &old_lines[old_index..old_index + old_len]);
            }
            DiffOp::Insert { new_index, new_len, .. } => {
                push(&mut edits, Op::Insert, &new_lines[new_index..new_index + new_len]);
            }
            DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                let old_block = old_lines[old_index..old_index + old_len].concat();
                let new_block = new_lines[new_index..new_index + new_len].concat();
                let old_tokens = tokens(&old_block);
                let new_tokens = tokens(&new_block);
                if !worth_refining(&old_tokens, &new_tokens) {
                    push(&mut edits, Op::Delete, &[old_block.as_str()]);
                    push(&mut edits, Op::Insert, &[new_block.as_str()]);
                    continue;
                }
                let mut block = Vec::new();
                for op in capture_diff_slices(Algorithm::Myers, &old_tokens, &new_tokens) {
                    let (kind, range, source) = match op {
                        DiffOp::Equal { old_index, len, .. } => (Op::Equal, old_index..old_index + len, &old_tokens),
                        DiffOp::Delete { old_index, old_len, .. } => {
                            (Op::Delete, old_index..old_index + old_len, &old_tokens)
                        }
                        DiffOp::Insert { new_index, new_len, .. } => {
                            (Op::Insert, new_index..new_index + new_len, &new_tokens)
                        }
                        DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                            push(&mut block, Op::Delete, &old_tokens[old_index..old_index + old_len]);
                            (Op::Insert, new_index..new_index + new_len, &new_tokens)
                        }
                    };
                    push(&mut block, kind, &source[range]);
                }
                for edit in readable(block) {
                    push(&mut edits, edit.op, &[edit.text.as_str()]);
                }
            }
        }
    }
    edits
}

/// The tokens of `new` (each line's [`tokens`], so no token spans a line end), each with the mark of the token of
/// `old` it continues, or `fresh` when it is new: the alignment [`word_diff`] shows, so blame and redline agree
/// and cost the same. Lines are matched first (Patience); a changed block is compared word by word only when
/// [`worth_refining`], and is otherwise new as a whole. `old` holds the previous text's tokens, in the same
/// per-line form, with their marks; both texts are taken as they are (compose them first).
pub fn carry<'a, T: Copy>(old: &[(&str, T)], new: &'a str, fresh: T) -> Vec<(&'a str, T)> {
    let old_lines = lines_of(old);
    let old_keys: Vec<String> = old_lines.iter().map(|line| line.iter().map(|t| t.0).collect()).collect();
    let old_keys: Vec<&str> = old_keys.iter().map(String::as_str).collect();
    let new_lines: Vec<&str> = new.split_inclusive('\n').collect();
    let mut out = Vec::with_capacity(new.len() / 4);
    for op in capture_diff_slices(Algorithm::Patience, &old_keys, &new_lines) {
        match op {
            DiffOp::Equal { old_index, new_index, len } => {
                for (old_line, new_line) in old_lines[old_index..old_index + len].iter().zip(&new_lines[new_index..]) {
                    out.extend(tokens(new_line).into_iter().zip(old_line.iter()).map(|(t, o)| (t, o.1)));
                }
            }
            DiffOp::Delete { .. } => {}
            DiffOp::Insert { new_index, new_len, .. } => {
                for line in &new_lines[new_index..new_index + new_len] {
                    out.extend(tokens(line).into_iter().map(|t| (t, fresh)));
                }
            }
            DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                let before: Vec<(&str, T)> = old_lines[old_index..old_index + old_len].concat();
                let after: Vec<&str> =
                    new_lines[new_index..new_index + new_len].iter().flat_map(|l| tokens(l)).collect();
                let before_tokens: Vec<&str> = before.iter().map(|t| t.0).collect();
                if !worth_refining(&before_tokens, &after) {
                    out.extend(after.into_iter().map(|t| (t, fresh)));
                    continue;
                }
                for op in capture_diff_slices(Algorithm::Myers, &before_tokens, &after) {
                    match op {
                        DiffOp::Equal { old_index, new_index, len } => out.extend(
                            after[new_index..new_index + len].iter().zip(&before[old_index..]).map(|(t, o)| (*t, o.1)),
                        ),
                        DiffOp::Delete { .. } => {}
                        DiffOp::Insert { new_index, new_len, .. } | DiffOp::Replace { new_index, new_len, .. } => {
                            out.extend(after[new_index..new_index + new_len].iter().map(|t| (*t, fresh)));
                        }
                    }
                }
            }
        }
    }
    out
}

/// Marked tokens grouped by line: a line ends with the token that ends in a line end.
fn lines_of<'t, 'a, T>(tokens: &'t [(&'a str, T)]) -> Vec<&'t [(&'a str, T)]> {
    tokens.split_inclusive(|token| token.0.ends_with('\n')).collect()
}

/// Whether comparing two changed blocks word by word says more than "this replaced that": only when they share
/// at least a third of their words. Rewritten passages are shown whole, and never cost a quadratic comparison.
fn worth_refining(old: &[&str], new: &[&str]) -> bool {
    // The words in common, counted with repeats, by merging the two sorted lists: no hashing per word.
    let (old, new) = (sorted_words(old), sorted_words(new));
    let (mut i, mut j, mut common) = (0, 0, 0);
    while i < old.len() && j < new.len() {
        match old[i].cmp(new[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => (i, j, common) = (i + 1, j + 1, common + 1),
        }
    }
    let largest = old.len().max(new.len());
    largest == 0 || common * 3 >= largest
}

fn sorted_words<'a>(tokens: &[&'a str]) -> Vec<&'a str> {
    let mut words: Vec<&str> = tokens.iter().copied().filter(|t| is_word(t)).collect();
    words.sort_unstable();
    words
}

/// Whether a token (see [`tokens`]) is a word: its first character is a letter or digit.
pub(crate) fn is_word(token: &str) -> bool {
    token.chars().next().is_some_and(is_word_char)
}

/// Joins changes separated only by white space or a lone punctuation mark into one deletion and one insertion:
/// a rewritten sentence reads as old wording then new, not as alternating single words.
fn readable(edits: Vec<Edit>) -> Vec<Edit> {
    let trivial = |e: &Edit| e.op == Op::Equal && e.text.chars().filter(|c| !c.is_whitespace()).count() <= 1;
    let mut out: Vec<Edit> = Vec::new();
    let mut i = 0;
    while i < edits.len() {
        if edits[i].op == Op::Equal {
            out.push(edits[i].clone());
            i += 1;
            continue;
        }
        // A run of changes, possibly with trivial equal runs between them.
        let (mut deleted, mut inserted) = (String::new(), String::new());
        let mut end = i;
        while end < edits.len() {
            let edit = &edits[end];
            let between_changes = trivial(edit) && edits.get(end + 1).is_some_and(|next| next.op != Op::Equal);
            match edit.op {
                Op::Delete => deleted.push_str(&edit.text),
                Op::Insert => inserted.push_str(&edit.text),
                Op::Equal if between_changes => {
                    deleted.push_str(&edit.text);
                    inserted.push_str(&edit.text);
                }
                Op::Equal => break,
            }
            end += 1;
        }
        for (op, text) in [(Op::Delete, deleted), (Op::Insert, inserted)] {
            if !text.is_empty() {
                out.push(Edit { op, text });
            }
        }
        i = end;
    }
    out
}

/// True when the texts differ in anything but white space and punctuation (or at all, without that option).
/// Canonically equivalent texts never differ.
pub fn differs(old: &str, new: &str, options: DiffOptions) -> bool {
    if old == new {
        return false;
    }
    let (old, new) = (nfc(old), nfc(new));
    if options.ignore_formatting { words(&old).ne(words(&new)) } else { old != new }
}

/// Applies edits to the older text; `None` if they do not fit it. The result is the newer text.
pub fn apply(old: &str, edits: &[Edit]) -> Option<String> {
    let mut rest = old;
    let mut out = String::new();
    for edit in edits {
        match edit.op {
            Op::Equal => {
                rest = rest.strip_prefix(edit.text.as_str())?;
                out.push_str(&edit.text);
            }
            Op::Delete => rest = rest.strip_prefix(edit.text.as_str())?,
            Op::Insert => out.push_str(&edit.text),
        }
    }
    rest.is_empty().then_some(out)
}

/// How many words the edits add and remove.
pub fn word_counts(edits: &[Edit]) -> (usize, usize) {
    let count = |op| edits.iter().filter(|e| e.op == op).map(|e| words(&e.text).count()).sum();
    (count(Op::Insert), count(Op::Delete))
}

/// The words of a text (runs of letters and digits).
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    tokens(text).into_iter().filter(|t| is_word(t))
}

/// Splits a text into words, runs of white space, and single other characters; the tokens spell the text.
///
/// Characters are grapheme clusters ([`crate::unicode::cluster_at`]): a letter with its accents, an emoji with
/// its modifiers or a flag is never split between tokens, so no edit marks part of one. A cluster belongs to a
/// word when its first character does (`\w`, as in search).
pub fn tokens(text: &str) -> Vec<&str> {
    #[derive(PartialEq)]
    enum Class {
        Word,
        Space,
        Other,
    }
    // The class and end of the cluster starting at `i`.
    let at = |i: usize| -> Option<(Class, usize)> {
        let (c, end) = cluster_at(text, i)?;
        let class = if is_word_char(c) {
            Class::Word
        } else if c.is_whitespace() {
            Class::Space
        } else {
            Class::Other
        };
        Some((class, end))
    };
    let mut out = Vec::with_capacity(text.len() / 4);
    let mut start = 0;
    while let Some((class, mut end)) = at(start) {
        if class != Class::Other {
            while let Some((next, next_end)) = at(end) {
                if next != class {
                    break;
                }
                end = next_end;
            }
        }
        out.push(&text[start..end]);
        start = end;
    }
    out
}

/// Words with the white space and punctuation that follow them, compared by the word alone.
fn unit_diff(old: &str, new: &str) -> Vec<Edit> {
    let old_units = units(old);
    let new_units = units(new);
    let old_keys: Vec<&str> = old_units.iter().map(|u| u.0).collect();
    let new_keys: Vec<&str> = new_units.iter().map(|u| u.0).collect();
    let mut edits = Vec::new();
    for op in capture_diff_slices(Algorithm::Patience, &old_keys, &new_keys) {
        match op {
            // Shown as the newer text: its formatting is what stands now.
            DiffOp::Equal { new_index, len, .. } => {
                push(&mut edits, Op::Equal, &texts(&new_units[new_index..new_index + len]));
            }
            DiffOp::Delete { old_index, old_len, .. } => {
                push(&mut edits, Op::Delete, &texts(&old_units[old_index..old_index + old_len]));
            }
            DiffOp::Insert { new_index, new_len, .. } => {
                push(&mut edits, Op::Insert, &texts(&new_units[new_index..new_index + new_len]));
            }
            DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                push(&mut edits, Op::Delete, &texts(&old_units[old_index..old_index + old_len]));
                push(&mut edits, Op::Insert, &texts(&new_units[new_index..new_index + new_len]));
            }
        }
    }
    edits
}

/// (word, word with what follows it up to the next word); leading separators form a unit with an empty word.
fn units(text: &str) -> Vec<(&str, &str)> {
    let mut out: Vec<(&str, &str)> = Vec::new();
    let mut offset = 0;
    for token in tokens(text) {
        let start = offset;
        offset += token.len();
        if is_word(token) || out.is_empty() {
            let word = if is_word(token) { token } else { "" };
            out.push((word, &text[start..offset]));
        } else if let Some(last) = out.last_mut() {
            let begin = last.1.as_ptr() as usize - text.as_ptr() as usize;
            last.1 = &text[begin..offset];
        }
    }
    out
}

fn texts<'a>(units: &[(&str, &'a str)]) -> Vec<&'a str> {
    units.iter().map(|u| u.1).collect()
}

fn push(edits: &mut Vec<Edit>, op: Op, parts: &[&str]) {
    let text = parts.concat();
    if text.is_empty() {
        return;
    }
    match edits.last_mut() {
        Some(last) if last.op == op => last.text.push_str(&text),
        _ => edits.push(Edit { op, text }),
    }
}

/// Edits as plain text, `[-deleted-]` and `{+inserted+}`, as `git diff --word-diff=plain` writes them: what
/// `inforce diff` prints and how tests state a diff.
pub fn plain_redline(edits: &[Edit]) -> String {
    edits
        .iter()
        .map(|e| match e.op {
            Op::Equal => e.text.clone(),
            Op::Insert => format!("{{+{}+}}", e.text),
            Op::Delete => format!("[-{}-]", e.text),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use unicode_normalization::UnicodeNormalization;
    use unicode_segmentation::UnicodeSegmentation;

    use super::*;

    fn redline(old: &str, new: &str, options: DiffOptions) -> String {
        plain_redline(&word_diff(old, new, options))
    }

    #[test]
    fn changed_words_inside_a_paragraph() {
        let old = "# Article 1\n\nLe paiement fait de bonne foi est valable.\n\nSecond alinéa.\n";
        let new = "# Article 1\n\nLe paiement fait de mauvaise foi est nul.\n\nSecond alinéa.\n";
        assert_eq!(
            redline(old, new, DiffOptions::default()),
            "# Article 1\n\nLe paiement fait de [-bonne-]{+mauvaise+} foi est [-valable-]{+nul+}.\n\nSecond alinéa.\n"
        );
        assert_eq!(word_counts(&word_diff(old, new, DiffOptions::default())), (2, 2));
    }

    #[test]
    fn a_run_of_one_kind_is_one_edit() {
        let edits = word_diff("Un deux.\n", "Un trois quatre cinq deux.\n", DiffOptions::default());
        let ops: Vec<(Op, &str)> = edits.iter().map(|e| (e.op, e.text.as_str())).collect();
        assert_eq!(ops, [(Op::Equal, "Un "), (Op::Insert, "trois quatre cinq "), (Op::Equal, "deux.\n")]);
        // The end of a changed paragraph and the unchanged one after it read as one run.
        let edits = word_diff("Un deux.\n\nTrois.\n", "Un quatre.\n\nTrois.\n", DiffOptions::default());
        let ops: Vec<(Op, &str)> = edits.iter().map(|e| (e.op, e.text.as_str())).collect();
        assert_eq!(
            ops,
            [(Op::Equal, "Un "), (Op::Delete, "deux"), (Op::Insert, "quatre"), (Op::Equal, ".\n\nTrois.\n")]
        );
    }

    #[test]
    fn ignoring_formatting_hides_space_and_punctuation_changes() {
        let old = "Le  paiement, fait de bonne foi.\n";
        let new = "Le paiement fait de bonne foi;\n";
        let ignore = DiffOptions { ignore_formatting: true };
        assert!(!differs(old, new, ignore));
        assert!(differs(old, new, DiffOptions::default()));
        assert_eq!(redline(old, new, ignore), new);
        assert_eq!(redline("a b, c.", "a x, c.", ignore), "a [-b, -]{+x, +}c.");
    }

    #[test]
    fn carry_keeps_the_marks_of_what_stayed_and_marks_the_rest_fresh() {
        let spell = |marked: &[(&str, u8)]| marked.iter().map(|t| t.0).collect::<String>();
        let fresh =
            |marked: &[(&str, u8)], mark| marked.iter().filter(|t| t.1 == mark).map(|t| t.0).collect::<String>();
        // A last line without its line end is a line too.
        let first = carry(&[], "alpha beta\ngamma delta", 1);
        assert_eq!(spell(&first), "alpha beta\ngamma delta");
        assert!(first.iter().all(|t| t.1 == 1));
        let second = carry(&first, "alpha beta\ngamma delta epsilon", 2);
        assert_eq!(spell(&second), "alpha beta\ngamma delta epsilon");
        assert_eq!(fresh(&second, 2), " epsilon", "only the new word (and its space) is new");
        // A rewritten paragraph is new as a whole; an untouched one keeps its marks.
        let third = carry(&second, "alpha beta\nzeta eta theta iota kappa\n", 3);
        assert_eq!(fresh(&third, 1), "alpha beta\n");
        assert_eq!(fresh(&third, 3), "zeta eta theta iota kappa\n");
        // No token spans a line end.
        assert!(third.iter().all(|t| !t.0.trim_end_matches('\n').contains('\n')));
    }

    #[test]
    fn tokens_spell_the_text() {
        let text = "L'article 16-1 : « texte »  ici.\n";
        assert_eq!(tokens(text).concat(), text);
        assert_eq!(tokens("ab, cd")[..], ["ab", ",", " ", "cd"]);
    }

    /// Letters with and without accents (composed, decomposable, and marks with no composed form), emoji with
    /// skin tones and joiners, flags, and punctuation: the texts where a character is more than one code point.
    const MIXED: &str = "(a|e|é|e\u{301}|q\u{307}|ñ|Å|\u{212B}|ǅ|ﬁ|क|ि|\u{94D}|中|👍|👍\u{1F3FB}|👍\u{1F3FD}|\u{1F1EB}|\u{1F1F7}|\u{1F1EE}|\u{200D}|👩|💻| |\n|,|\u{a0}){0,24}";

    #[test]
    fn a_changed_character_is_marked_whole() {
        let default = DiffOptions::default();
        let cases = [
            ("Bravo 👍\u{1F3FB} !\n", "Bravo 👍\u{1F3FD} !\n", "Bravo [-👍\u{1F3FB}-]{+👍\u{1F3FD}+} !\n"),
            ("Pays 🇫🇷 ici\n", "Pays 🇫🇮 ici\n", "Pays [-🇫🇷-]{+🇫🇮+} ici\n"),
            ("la cre\u{301}ance\n", "la créance\n", "la créance\n"),
            ("un q\u{307} ici\n", "un q\u{323} ici\n", "un [-q\u{307}-]{+q\u{323}+} ici\n"),
            ("a 👩\u{200D}💻 b\n", "a 👩 b\n", "a [-👩\u{200D}💻-]{+👩+} b\n"),
            ("la créance\n", "la crèance\n", "la [-créance-]{+crèance+}\n"),
        ];
        for (old, new, shown) in cases {
            assert_eq!(redline(old, new, default), shown);
        }
    }

    proptest! {
        #[test]
        fn applying_the_edits_to_the_old_text_gives_the_new(
            old in "[a-cé中文Ωωب٣ ,.;«»\u{a0}\u{2014}\u{1F600}\n]{0,60}",
            new in "[a-cé中文Ωωب٣ ,.;«»\u{a0}\u{2014}\u{1F600}\n]{0,60}",
        ) {
            let edits = word_diff(&old, &new, DiffOptions::default());
            prop_assert_eq!(apply(&old, &edits), Some(new.clone()));
            for pair in edits.windows(2) {
                prop_assert!(pair[0].op != pair[1].op, "runs of one kind are joined: {:?}", pair);
            }
            prop_assert!(edits.iter().all(|e| !e.text.is_empty()), "no empty run");
            let old_again: String = edits.iter().filter(|e| e.op != Op::Insert).map(|e| e.text.as_str()).collect();
            prop_assert_eq!(old_again, old);
        }

        #[test]
        fn tokens_are_maximal_runs_of_one_class_and_spell_the_text(text in MIXED) {
            // Clusters as UAX #29 cuts them, classed by their first character.
            let class = |cluster: &str| match cluster.chars().next() {
                Some(c) if is_word_char(c) => 0,
                Some(c) if c.is_whitespace() => 1,
                _ => 2,
            };
            let found = tokens(&text);
            prop_assert_eq!(found.concat(), text.clone());
            for token in &found {
                let clusters: Vec<&str> = token.graphemes(true).collect();
                let first = class(clusters[0]);
                prop_assert!(clusters.iter().all(|c| class(c) == first), "{:?}", token);
                prop_assert!(first != 2 || clusters.len() == 1, "other characters stand alone: {:?}", token);
            }
            // Token ends are cluster ends, and runs of one class are not split.
            let ends: std::collections::HashSet<usize> =
                text.grapheme_indices(true).map(|(i, g)| i + g.len()).collect();
            let mut at = 0;
            for pair in found.windows(2) {
                at += pair[0].len();
                prop_assert!(ends.contains(&at), "a token ends inside a cluster: {:?}", pair);
                let (a, b) = (pair[0].graphemes(true).next_back().map(class), pair[1].graphemes(true).next().map(class));
                prop_assert!(a != b || a == Some(2), "runs of one class are not split: {:?}", pair);
            }
        }

        #[test]
        fn canonical_equivalents_never_differ(text in MIXED, decompose in any::<bool>()) {
            // Fully decomposed, or composed again from its decomposition: the same text either way.
            let other: String =
                if decompose { text.nfd().collect() } else { text.nfd().collect::<String>().nfc().collect() };
            for options in [DiffOptions::default(), DiffOptions { ignore_formatting: true }] {
                prop_assert!(!differs(&text, &other, options));
                let edits = word_diff(&other, &text, options);
                prop_assert!(edits.iter().all(|e| e.op == Op::Equal), "{:?}", edits);
                prop_assert_eq!(word_counts(&edits), (0, 0));
            }
        }

        #[test]
        fn no_edit_splits_a_character(old in MIXED, new in MIXED) {
            let (old, new) = (crate::unicode::nfc(&old).into_owned(), crate::unicode::nfc(&new).into_owned());
            for options in [DiffOptions::default(), DiffOptions { ignore_formatting: true }] {
                let edits = word_diff(&old, &new, options);
                // Ignoring formatting, equal runs show the newer text's formatting: only that side is spelled.
                let sides = if options.ignore_formatting { &[(Op::Insert, &new)][..] } else { &[(Op::Delete, &old), (Op::Insert, &new)][..] };
                for &(side, text) in sides {
                    let ends: std::collections::HashSet<usize> =
                        text.grapheme_indices(true).map(|(i, g)| i + g.len()).collect();
                    let mut at = 0;
                    for edit in edits.iter().filter(|e| e.op == Op::Equal || e.op == side) {
                        at += edit.text.len();
                        prop_assert!(ends.contains(&at), "{:?} ends inside a character: {:?}", edit, edits);
                    }
                }
            }
        }

        #[test]
        fn ignoring_formatting_still_spells_the_new_text(
            old in "[a-cé中Ωب ,.;«»\u{a0}\u{1F600}\n]{0,60}",
            new in "[a-cé中Ωب ,.;«»\u{a0}\u{1F600}\n]{0,60}",
        ) {
            let edits = word_diff(&old, &new, DiffOptions { ignore_formatting: true });
            let spelled: String = edits.iter().filter(|e| e.op != Op::Delete).map(|e| e.text.as_str()).collect();
            prop_assert_eq!(spelled, new);
        }
    }

    #[test]
    fn edits_have_wire_names() {
        assert_eq!([Op::Equal, Op::Insert, Op::Delete].map(Op::as_str), ["equal", "insert", "delete"]);
    }

    #[test]
    fn a_paragraph_sharing_less_than_a_third_of_its_words_is_shown_replaced_whole() {
        let edits = word_diff("alpha beta gamma delta\n", "one two three alpha\n", DiffOptions::default());
        let ops: Vec<(Op, &str)> = edits.iter().map(|e| (e.op, e.text.as_str())).collect();
        assert_eq!(ops, [(Op::Delete, "alpha beta gamma delta\n"), (Op::Insert, "one two three alpha\n")]);
        let edits = word_diff("a b c\n", "a x y\n", DiffOptions::default());
        let ops: Vec<(Op, &str)> = edits.iter().map(|e| (e.op, e.text.as_str())).collect();
        assert_eq!(
            ops,
            [(Op::Equal, "a "), (Op::Delete, "b c"), (Op::Insert, "x y"), (Op::Equal, "\n")],
            "a third in common: compared word by word, the changes around a lone space joined"
        );
    }

    #[test]
    fn changes_separated_by_a_real_word_stay_apart() {
        assert_eq!(
            redline("aa bb cc dd\n", "xx bb yy dd\n", DiffOptions::default()),
            "[-aa-]{+xx+} bb [-cc-]{+yy+} dd\n"
        );
        assert_eq!(
            redline("aa bb, cc dd\n", "xx bb; yy dd\n", DiffOptions::default()),
            "[-aa-]{+xx+} bb[-, cc-]{+; yy+} dd\n",
            "a changed mark and the change after it, separated by a lone space, read as one change"
        );
    }

    #[test]
    fn each_shared_word_counts_once_on_both_sides() {
        // One "a" in common, not three: shown replaced whole, however many times the other side repeats it.
        for (old, new) in [("a b c d\n", "a a a x\n"), ("a a a x\n", "a b c d\n")] {
            let ops: Vec<Op> = word_diff(old, new, DiffOptions::default()).iter().map(|e| e.op).collect();
            assert_eq!(ops, [Op::Delete, Op::Insert], "{old:?} -> {new:?}");
        }
    }
}
