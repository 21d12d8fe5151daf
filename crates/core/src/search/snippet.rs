//! Snippets: a short passage of a wording around its first matches, for a result list.

use crate::unicode::{grapheme_ceil, grapheme_floor};

/// Where the first whole word after `from` begins, looking no further than `to`: after the first run of white
/// space (of any width in bytes); `from` itself when there is none before `to`.
fn next_word(text: &str, from: usize, to: usize) -> usize {
    let Some((space, _)) = text[from..to].char_indices().find(|(_, c)| c.is_whitespace()) else { return from };
    let after = &text[from + space..];
    from + space + (after.len() - after.trim_start().len())
}

/// A short passage of `text` around its first matches, as (text, highlighted) runs, at most about `width`
/// characters, cut at word boundaries.
pub fn snippet(text: &str, matches: &[std::ops::Range<usize>], width: usize) -> Vec<(String, bool)> {
    // The body begins after the heading line and the blank lines after it.
    let body = text.find('\n').map_or(text, |i| &text[i..]).trim_start();
    let body_start = text.len() - body.len();
    let first = matches.iter().find(|m| m.start >= body_start).or(matches.first());
    let anchor = first.map_or(body_start, |m| m.start);
    // A third of the passage before the first match (char_indices keeps it on a character boundary).
    let mut start =
        text[..anchor].char_indices().rev().nth(width / 3).map_or(0, |(i, _)| i).max(body_start.min(anchor));
    if start > body_start {
        // A passage without spaces (as in Chinese) starts at a whole character: never after half a cluster.
        start = grapheme_ceil(text, next_word(text, start, anchor)).min(anchor);
    }
    let mut end = text[start..].char_indices().nth(width).map_or(text.len(), |(i, _)| start + i);
    if end < text.len() {
        end = match text[start..end].rfind(char::is_whitespace) {
            Some(space) => start + space,
            None => grapheme_floor(text, end).max(start),
        };
    }
    // Whether words follow the passage; the passage itself ends at its last word.
    let cut_after = !text[end..].trim().is_empty();
    end = start + text[start..end].trim_end().len();
    let mut out = Vec::new();
    let mut at = start;
    for m in matches.iter().filter(|m| m.start >= start && m.end <= end) {
        if m.start > at {
            out.push((text[at..m.start].to_string(), false));
        }
        out.push((text[m.start..m.end].to_string(), true));
        at = m.end;
    }
    if at < end {
        out.push((text[at..end].to_string(), false));
    }
    for (piece, _) in &mut out {
        // Line and paragraph breaks read as one space in a one-line passage.
        let mut flat = String::with_capacity(piece.len());
        for c in piece.chars() {
            if c.is_whitespace() {
                if !flat.ends_with(' ') {
                    flat.push(' ');
                }
            } else {
                flat.push(c);
            }
        }
        *piece = flat;
    }
    if let Some((last, _)) = out.last_mut() {
        *last = last.trim_end().to_string();
    }
    // The ellipses belong to the passage, never to a highlighted match.
    if start > body_start && !out.is_empty() {
        match out.first_mut() {
            Some((first, false)) => first.insert(0, '…'),
            _ => out.insert(0, ("…".to_string(), false)),
        }
    }
    if cut_after && !out.is_empty() {
        match out.last_mut() {
            Some((last, false)) => last.push('…'),
            _ => out.push(("…".to_string(), false)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::words;

    #[test]
    fn snippets_show_the_matches() {
        let text = "# Article 1\n\nLe paiement fait de bonne foi est valable.\n";
        let matches: Vec<_> = words(text).filter(|(_, w)| *w == "bonne").map(|(r, _)| r).collect();
        let runs = snippet(text, &matches, 200);
        let highlighted: Vec<&str> = runs.iter().filter(|(_, h)| *h).map(|(t, _)| t.as_str()).collect();
        assert_eq!(highlighted, ["bonne"]);
        let joined: String = runs.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(joined, "Le paiement fait de bonne foi est valable.");
    }

    #[test]
    fn a_snippet_centres_on_the_first_body_match_and_marks_what_it_cuts() {
        let body: Vec<String> = (1..=30).map(|n| format!("mot{n}")).collect();
        let text = format!("# Titre cible\n\n{} cible {}\n", body[..15].join(" "), body[15..].join(" "));
        let ranges = |word: &str| -> Vec<std::ops::Range<usize>> {
            words(&text).filter(|(_, w)| *w == word).map(|(r, _)| r).collect()
        };
        let runs = snippet(&text, &ranges("cible"), 40);
        let expected: Vec<(String, bool)> =
            vec![("…mot14 mot15 ".into(), false), ("cible".into(), true), (" mot16 mot17 mot18…".into(), false)];
        assert_eq!(runs, expected, "the heading's 'cible' is not the anchor, the body's is");
        // A match right at the start of the body: no ellipsis before, no empty run.
        let runs = snippet(&text, &ranges("mot1"), 20);
        assert_eq!(runs, vec![("mot1".to_string(), true), (" mot2 mot3 mot4…".to_string(), false)]);
        // A match at the very end: no ellipsis after, and matches outside the passage are not shown.
        let mut both = ranges("mot1");
        both.extend(ranges("mot30"));
        let runs = snippet(&text, &ranges("mot30"), 20);
        assert_eq!(runs.last(), Some(&("mot30".to_string(), true)));
        assert!(runs[0].0.starts_with('…'));
        let runs = snippet(&text, &both, 20);
        assert_eq!(runs.iter().filter(|(_, h)| *h).count(), 1, "mot30 lies outside the passage around mot1");
        // A passage that reaches the end of a text without a final newline keeps its last word.
        let bare = "# T\n\nun deux trois";
        let at: Vec<_> = words(bare).filter(|(_, w)| *w == "deux").map(|(r, _)| r).collect();
        let runs = snippet(bare, &at, 200);
        assert_eq!(runs.last(), Some(&(" trois".to_string(), false)));
        // A passage that starts after a no-break space begins at the next word.
        let nbsp = format!("# T\n\n{}\u{a0}cible fin\n", "mot ".repeat(30));
        let at: Vec<_> = words(&nbsp).filter(|(_, w)| *w == "cible").map(|(r, _)| r).collect();
        let runs = snippet(&nbsp, &at, 16);
        assert_eq!(runs.first().map(|(t, _)| t.as_str()), Some("…mot "));
        // The next word after white space of any width in bytes.
        assert_eq!(next_word("ab\u{a0}\u{a0}cd", 0, 8), 6);
        assert_eq!(next_word("abcd", 0, 4), 0, "no white space: where it started");
        // Multi-byte letters are cut on character boundaries.
        let accents = format!("# T\n\n{} cible {}\n", "é".repeat(50), "è".repeat(50));
        let at: Vec<_> = words(&accents).filter(|(_, w)| *w == "cible").map(|(r, _)| r).collect();
        let runs = snippet(&accents, &at, 10);
        let expected: Vec<(String, bool)> = vec![("…".into(), false), ("cible".into(), true), ("…".into(), false)];
        assert_eq!(runs, expected, "an ellipsis is never part of a highlighted match");
    }

    #[test]
    fn a_snippet_without_spaces_keeps_whole_characters() {
        for width in 8..=20 {
            let flags = format!("# T\n\n{}cible{}\n", "🇫🇷".repeat(20), "👍🏽".repeat(20));
            let at: Vec<_> = words(&flags).filter(|(_, w)| *w == "cible").map(|(r, _)| r).collect();
            let runs = snippet(&flags, &at, width);
            let passage: String = runs.iter().map(|(t, _)| t.as_str()).collect();
            let (before, after) = passage.split_once("cible").expect("the match is shown");
            let before = before.trim_start_matches('…');
            let after = after.trim_end_matches('…');
            assert!(before.is_empty() || before.replace("🇫🇷", "").is_empty(), "width {width}: {before:?}");
            assert!(after.replace("👍🏽", "").is_empty(), "width {width}: {after:?}");
        }
    }
}
