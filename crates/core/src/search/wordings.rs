//! What a wording is to a search: a text or a title, its heading, the periods in which it stood, and the
//! wordings a search at a cut looks at.

use std::borrow::Cow;

use super::query::words;
use crate::history::{History, Status};
use crate::id::ProvisionId;
use crate::model::{Entry, Provision};
use crate::point::Cut;
use crate::text::TextHash;
use crate::unicode::nfc;

/// What a matching wording is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordingKind {
    /// A text the provision had.
    Text,
    /// The id and title of a provision whose text the register does not hold; it has no periods.
    Title,
}

impl WordingKind {
    /// The wire name: `text` or `title`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Title => "title",
        }
    }
}

/// A period in which a wording was a provision's text: from an entry until the next one that changed it.
#[derive(Debug, Clone, Copy)]
pub struct Period<'a> {
    /// The version or event that gave the provision this wording.
    pub from: &'a Entry,
    /// The one that changed it next; `None` while it still stands.
    pub until: Option<&'a Entry>,
}

/// One provision's wording as a search at a cut sees it: see [`wordings_at`].
#[derive(Debug, Clone)]
pub struct ScopedWording<'a> {
    /// The provision.
    pub provision: &'a Provision,
    /// Its text at the cut, or its id and title when the register holds no text for it.
    pub kind: WordingKind,
    /// The wording, in Normalization Form C.
    pub text: Cow<'a, str>,
    /// How many of its first words (as [`words`] splits it) are its heading: a match among them is a heading
    /// match, and `heading:` looks only at them.
    pub heading_words: usize,
}

impl ScopedWording<'_> {
    /// The heading to show: the text's heading line, or the provision's title when it has no text.
    pub fn heading(&self) -> &str {
        shown_heading(self.provision, self.kind, &self.text)
    }
}

/// The heading a result shows: a text's heading line, or for a title wording the provision's title.
pub(super) fn shown_heading<'a>(provision: &'a Provision, kind: WordingKind, text: &'a str) -> &'a str {
    match kind {
        WordingKind::Text => crate::text::heading(text),
        WordingKind::Title => provision.title.as_deref().unwrap_or(""),
    }
}

/// The wordings a search at `cut` looks at, one per provision at most, in reading order: each provision's text
/// at the cut; for a provision the register holds no text for, its id and title while it is in force or inactive
/// on the cut's date. [`SearchIndex::search`](super::SearchIndex::search) with [`Scope::At`](super::Scope::At)
/// returns exactly the provisions whose wording here matches (by the same words, folding and query rules), so a
/// copy of these wordings can be searched without the index, as the static export's search page does.
pub fn wordings_at<'a>(history: &'a History, cut: &Cut<'_>) -> Vec<ScopedWording<'a>> {
    let mut out = Vec::new();
    for (p, provision) in history.register.provisions.iter().enumerate() {
        if history.text_changes[p].is_empty() {
            if title_in_scope(history, &provision.id, cut) {
                let text = title_wording(provision);
                let heading_words = heading_words(&text, true);
                out.push(ScopedWording { provision, kind: WordingKind::Title, text: Cow::Owned(text), heading_words });
            }
            continue;
        }
        let Some(hash) = history.text_at(&provision.id, cut).and_then(|t| t.hash) else { continue };
        let Some(text) = history.bodies.get(&hash) else { continue };
        // As in the search: a wording no assignment names any more was never in force.
        if periods(history, p, hash).is_empty() {
            continue;
        }
        let text = nfc(text);
        let heading_words = heading_words(&text, false);
        out.push(ScopedWording { provision, kind: WordingKind::Text, text, heading_words });
    }
    out
}

/// Whether a provision without text stands in a search at `cut` by its title: while it is in force or inactive.
pub(super) fn title_in_scope(history: &History, id: &ProvisionId, cut: &Cut<'_>) -> bool {
    history.status(id, cut.date).is_some_and(|s| matches!(s.status, Status::InForce | Status::Inactive))
}

/// The words of a wording's heading: a text's first line, or all of a title wording.
pub(super) fn heading_words(text: &str, title: bool) -> usize {
    let heading_len = if title { text.len() } else { text.find('\n').unwrap_or(text.len()) };
    words(text).take_while(|(range, _)| range.end <= heading_len).count()
}

/// What stands in for a provision the register holds no text for: its id and title, composed.
pub(super) fn title_wording(provision: &Provision) -> String {
    nfc(&format!("{} {}", provision.id, provision.title.as_deref().unwrap_or(""))).into_owned()
}

/// The periods in which `hash` was the text of provision `p`.
pub(super) fn periods(history: &History, p: usize, hash: TextHash) -> Vec<Period<'_>> {
    let changes = &history.text_changes[p];
    let entries = &history.register.entries;
    changes
        .iter()
        .enumerate()
        .filter(|(_, (_, _, h))| *h == Some(hash))
        .map(|(i, &(_, entry, _))| Period {
            from: &entries[entry],
            until: changes.get(i + 1).map(|&(_, e, _)| &entries[e]),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::point::Point;
    use crate::search::fixtures::{history, ids, mixed};
    use crate::search::{Scope, SearchIndex, parse};
    use crate::unicode::fold;

    /// The provisions whose wording at the cut holds `word` (folded), found by reading every wording.
    fn read_for(history: &History, cut: &Cut<'_>, word: &str, heading: bool) -> Vec<String> {
        wordings_at(history, cut)
            .iter()
            .filter(|w| {
                let shown = if heading { w.heading_words } else { usize::MAX };
                words(&w.text).take(shown).any(|(_, found)| fold(found) == word)
            })
            .map(|w| w.provision.id.to_string())
            .collect()
    }

    #[test]
    fn the_wordings_at_a_cut_are_what_a_search_at_it_looks_at() {
        for history in [history(), mixed("Délais de paiement", None)] {
            let index = SearchIndex::build(&history);
            let vocabulary: Vec<String> = index.vocabulary().map(|(w, _)| w.to_string()).collect();
            for point in ["2015-06-01", "2016-06-01", "2017-06-01"] {
                let cut = history.cut(&Point::Date(point.parse().expect("date"))).expect("cut");
                for word in &vocabulary {
                    for heading in [false, true] {
                        let query = parse(&format!("{}{word}", if heading { "heading:" } else { "" })).expect("parse");
                        let mut found = ids(&index.search(&history, &query, Scope::At(cut), None));
                        found.sort();
                        let mut read = read_for(&history, &cut, word, heading);
                        read.sort();
                        assert_eq!(found, read, "{word} (heading only: {heading}) on {point}");
                    }
                }
            }
        }
        let history = history();
        let cut = history.cut(&Point::Date("2017-06-01".parse().expect("date"))).expect("cut");
        let at = wordings_at(&history, &cut);
        assert_eq!(at.iter().map(|w| w.provision.id.as_str()).collect::<Vec<_>>(), ["1", "2", "3"], "reading order");
        assert_eq!(at[0].text, "# Article 1\n\nLe paiement fait de mauvaise foi est valable.\n");
        assert_eq!((at[0].heading_words, at[1].heading_words), (2, 3));
        assert_eq!((at[0].heading(), at[1].heading()), ("Article 1", "Article 2 Paiement"));
        let titled = mixed("Délais de paiement", None);
        let cut = titled.cut(&Point::Date("2017-06-01".parse().expect("date"))).expect("cut");
        let nine = wordings_at(&titled, &cut).into_iter().find(|w| w.provision.id.as_str() == "9").expect("9");
        assert_eq!(
            (nine.kind, nine.text.as_ref(), nine.heading_words),
            (WordingKind::Title, "9 Délais de paiement", 4)
        );
        assert_eq!(nine.heading(), "Délais de paiement", "a title wording shows the provision's title");
    }
}
