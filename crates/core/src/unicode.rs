//! The character rules every text, comparison and search follows, in one place.
//!
//! - **One form.** Texts and register strings are kept in Normalization Form C (Unicode Standard Annex #15), so
//!   that canonically equivalent spellings (`é` as one character, or `e` and a combining acute) are one text.
//!   Texts stored before this rule keep their bytes; comparisons and search read them through [`nfc`].
//! - **Words** are what a regular expression's `\w+` matches in Unicode mode (UTS #18 Annex C: alphabetic
//!   characters, marks, decimal digits, connector punctuation and joiners), as the `regex` crate, and so
//!   ripgrep, define it.
//! - **Case** is compared by simple case folding (Unicode `CaseFolding.txt`, statuses C and S), the equivalence
//!   `rg -i` uses: `ß` and `ẞ`, `σ`, `ς` and `Σ`, `k` and the Kelvin sign are each one letter.
//! - **Characters as readers see them** are extended grapheme clusters (UAX #29): a redline or blame marks a
//!   whole cluster (a letter with its accents, an emoji with its skin tone, a flag), never part of one.

use std::borrow::Cow;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
use unicode_segmentation::GraphemeCursor;

/// The text in Normalization Form C; borrowed, without allocating, when it already is (nearly always).
pub fn nfc(text: &str) -> Cow<'_, str> {
    // Most legal text is checked by the byte scan alone.
    if below_combining_marks(text) {
        return Cow::Borrowed(text);
    }
    if is_nfc_quick(text.chars()) == IsNormalized::Yes {
        return Cow::Borrowed(text);
    }
    let composed: String = text.nfc().collect();
    if composed == text { Cow::Borrowed(text) } else { Cow::Owned(composed) }
}

/// Whether every character of the text is below U+0300, the first combining mark: such a text is in NFC, and
/// none of its characters combines with another. Checked on bytes: in UTF-8 those characters use only bytes below
/// 0xCC (ASCII, continuation bytes, and lead bytes up to 0xCB).
fn below_combining_marks(text: &str) -> bool {
    text.bytes().all(|b| b < 0xCC)
}

/// Whether `this` followed by `next` are two grapheme clusters by the short rule: below U+0300 no character
/// extends, joins or prepends to another (UAX #29, table 2), so two such characters are two clusters, except CR
/// LF. `false` leaves the question to the full rules.
fn short_break(this: char, next: char) -> bool {
    this < '\u{300}' && next < '\u{300}' && (this, next) != ('\r', '\n')
}

/// Whether two texts are canonically equivalent: the same text in Normalization Form C.
pub fn equivalent(a: &str, b: &str) -> bool {
    a == b || nfc(a) == nfc(b)
}

/// Whether `c` belongs to a word: what `\w` matches in Unicode mode.
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() { c.is_ascii_alphanumeric() || c == '_' } else { regex_syntax::is_word_character(c) }
}

/// The simple case folding of one character: two characters are the same letter ignoring case exactly when
/// their foldings are equal.
fn fold_char(c: char) -> char {
    if c.is_ascii() { c.to_ascii_lowercase() } else { icu_casemap::CaseMapper::new().simple_fold(c) }
}

/// A word folded character by character with [`fold_char`]; it keeps its length in characters.
pub fn fold(word: &str) -> String {
    word.chars().map(fold_char).collect()
}

/// Every character that simple case folding changes, with its folding, in code point order (about 1,500: capitals,
/// and the few small letters that fold elsewhere, such as `ς` and `ſ`). With this table and [`word_ranges`], a search
/// outside Rust (the static export's search page) folds and splits words exactly as [`fold`] and
/// [`is_word_char`] do, whatever Unicode version its own runtime knows.
pub fn foldings() -> Vec<(char, char)> {
    (0..=u32::from(char::MAX))
        .filter_map(char::from_u32)
        .filter_map(|c| {
            let folded = fold_char(c);
            (folded != c).then_some((c, folded))
        })
        .collect()
}

/// The characters [`is_word_char`] accepts, as inclusive ranges of code points in order (about 800).
pub fn word_ranges() -> Vec<(u32, u32)> {
    let mut ranges: Vec<(u32, u32)> = Vec::new();
    for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32).filter(|&c| is_word_char(c)) {
        let code = u32::from(c);
        match ranges.last_mut() {
            Some((_, end)) if *end + 1 == code => *end = code,
            _ => ranges.push((code, code)),
        }
    }
    ranges
}

/// The first character of the grapheme cluster that starts at byte `start`, and the cluster's end; `None` at the
/// end of the text. `start` must be a cluster boundary.
pub fn cluster_at(text: &str, start: usize) -> Option<(char, usize)> {
    // Most legal text (ASCII, Latin-1 accents) ends its clusters by the short rule, without a table lookup.
    let mut chars = text.get(start..)?.chars();
    let this = chars.next()?;
    let after = start + this.len_utf8();
    if chars.next().is_none_or(|next| short_break(this, next)) {
        return Some((this, after));
    }
    let mut cursor = GraphemeCursor::new(start, text.len(), true);
    let end = match cursor.next_boundary(text, 0) {
        Ok(Some(end)) => end,
        _ => text.len(),
    };
    Some((this, end))
}

/// The last grapheme cluster boundary at or before byte `at` (which must be a character boundary).
pub fn grapheme_floor(text: &str, at: usize) -> usize {
    let mut cursor = GraphemeCursor::new(at, text.len(), true);
    match cursor.is_boundary(text, 0) {
        Ok(true) => at,
        _ => cursor.prev_boundary(text, 0).ok().flatten().unwrap_or(0),
    }
}

/// The first grapheme cluster boundary at or after byte `at` (which must be a character boundary).
pub fn grapheme_ceil(text: &str, at: usize) -> usize {
    let mut cursor = GraphemeCursor::new(at, text.len(), true);
    match cursor.is_boundary(text, 0) {
        Ok(true) => at,
        _ => cursor.next_boundary(text, 0).ok().flatten().unwrap_or(text.len()),
    }
}

/// The longest start of `text` of at most `max` characters that ends on a grapheme cluster boundary: a
/// shortened title or message never ends in half a character.
pub fn prefix_chars(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((at, _)) => &text[..grapheme_floor(text, at)],
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_give_the_folding_and_the_word_characters_of_every_character() {
        let table: std::collections::BTreeMap<char, char> = foldings().into_iter().collect();
        assert_eq!((table.get(&'A'), table.get(&'Σ'), table.get(&'ς')), (Some(&'a'), Some(&'σ'), Some(&'σ')));
        assert_eq!((table.get(&'ſ'), table.get(&'\u{212A}'), table.get(&'ẞ')), (Some(&'s'), Some(&'k'), Some(&'ß')));
        assert_eq!(table.get(&'ꭰ'), Some(&'Ꭰ'), "Cherokee small letters fold to capitals");
        for c in ['a', 'σ', 'ß', 'İ', '1', ' ', 'é'] {
            assert!(!table.contains_key(&c), "{c} folds to itself");
        }
        let ranges = word_ranges();
        assert_eq!(ranges[..4], [(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)], "digits, A-Z, _, a-z");
        assert!(ranges.windows(2).all(|w| w[0].1 + 1 < w[1].0), "in order, apart and merged");
        // The rules the tables exist for, over every character.
        let mut in_ranges = ranges.iter().flat_map(|&(a, b)| a..=b).peekable();
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            let by_table = table.get(&c).copied().unwrap_or(c);
            assert_eq!(by_table.to_string(), fold(&c.to_string()), "U+{:04X}", u32::from(c));
            let listed = in_ranges.next_if_eq(&u32::from(c)).is_some();
            assert_eq!(listed, is_word_char(c), "U+{:04X}", u32::from(c));
        }
        assert!(table.len() < 3000 && ranges.len() < 2000, "small tables: {} and {}", table.len(), ranges.len());
    }

    #[test]
    fn nfc_composes_and_borrows_what_is_already_composed() {
        assert_eq!(nfc("cre\u{301}ance"), "créance");
        assert!(matches!(nfc("créance"), Cow::Borrowed(_)));
        assert!(matches!(nfc("plain"), Cow::Borrowed(_)));
        // Marks are put in canonical order, and a singleton (the Ångström sign) becomes its equivalent.
        assert_eq!(nfc("a\u{323}\u{302}"), nfc("a\u{302}\u{323}"));
        assert_eq!(nfc("\u{212B}"), "\u{C5}");
        assert!(equivalent("e\u{301}", "é") && !equivalent("e", "é"));
    }

    #[test]
    fn the_short_rules_answer_only_below_the_first_combining_mark() {
        for text in ["", "plain", "Été « ici »", "\u{2FF}"] {
            assert!(below_combining_marks(text), "{text:?}");
        }
        for text in ["e\u{301}", "\u{300}", "ok \u{340}", "中"] {
            assert!(!below_combining_marks(text), "{text:?}");
        }
        for (a, b) in [('a', 'b'), ('é', 'x'), ('\n', '\r'), ('\u{2FF}', 'a'), ('a', '\u{2FF}')] {
            assert!(short_break(a, b), "{a:?} {b:?}");
        }
        for (a, b) in [('\r', '\n'), ('a', '\u{301}'), ('a', '\u{300}'), ('\u{300}', 'a'), ('中', 'a')] {
            assert!(!short_break(a, b), "{a:?} {b:?}");
        }
    }

    #[test]
    fn words_are_what_backslash_w_matches() {
        for c in ['a', 'Z', '0', '_', 'é', 'ß', 'Ω', 'ж', '中', 'ا', '\u{301}', '\u{94D}', '٣', '\u{200D}', '‿']
        {
            assert!(is_word_char(c), "{c:?} is a word character");
        }
        for c in [' ', '-', '\'', '’', '.', '€', '👍', '\u{1F3FD}', '\u{1F1EB}', '\u{A0}', '§'] {
            assert!(!is_word_char(c), "{c:?} is not a word character");
        }
    }

    #[test]
    fn case_folds_as_simple_case_folding() {
        let same = |a: &str, b: &str| fold(a) == fold(b);
        assert!(same("Créance", "CRÉANCE"));
        assert!(same("ΣΟΦΙΑ", "σοφια") && same("σ", "ς"));
        assert!(same("ß", "ẞ") && !same("ß", "ss"));
        assert!(same("K", "\u{212A}") && same("s", "ſ") && same("β", "ϐ"));
        assert!(same("ǅ", "ǆ") && same("Ǆ", "ǆ"));
        assert!(same("\u{13A0}", "\u{AB70}"), "Cherokee folds both ways");
        // Only full (or Turkic) folding joins these; `rg -i` does not.
        assert!(!same("İ", "i") && !same("İ", "i\u{307}") && !same("ı", "i"));
        assert_eq!(fold("ÉCOLE").chars().count(), "ÉCOLE".chars().count());
    }

    #[test]
    fn grapheme_clusters_hold_marks_modifiers_and_flags() {
        fn clusters(text: &str) -> Vec<&str> {
            let mut out = Vec::new();
            let mut at = 0;
            while at < text.len() {
                let end = cluster_at(text, at).map_or(text.len(), |(_, end)| end);
                out.push(&text[at..end]);
                at = end;
            }
            out
        }
        assert_eq!(clusters("ab\r\nc"), ["a", "b", "\r\n", "c"]);
        assert_eq!(clusters("q\u{307}x"), ["q\u{307}", "x"]);
        assert_eq!(clusters("q\u{300}x\u{2FF}y"), ["q\u{300}", "x", "\u{2FF}", "y"], "the first combining mark");
        assert_eq!(clusters("👍\u{1F3FD}!"), ["👍\u{1F3FD}", "!"]);
        assert_eq!(clusters("🇫🇷🇫🇮"), ["🇫🇷", "🇫🇮"]);
        assert_eq!(clusters("👩\u{200D}💻"), ["👩\u{200D}💻"]);
        let flag = "x🇫🇷y";
        assert_eq!((grapheme_floor(flag, 5), grapheme_ceil(flag, 5)), (1, 9));
        assert_eq!((grapheme_floor(flag, 9), grapheme_ceil(flag, 9)), (9, 9));
        assert_eq!(prefix_chars("ab🇫🇷c", 3), "ab");
        assert_eq!(prefix_chars("ab🇫🇷c", 4), "ab🇫🇷");
        assert_eq!(prefix_chars("q\u{307}q\u{307}", 3), "q\u{307}");
        assert_eq!(prefix_chars("abc", 3), "abc");
        assert_eq!(prefix_chars("abc", 9), "abc");
    }
}
