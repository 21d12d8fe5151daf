//! The index: every wording of every provision of one code, with positional postings, grown as versions are
//! added.

use std::collections::{BTreeMap, HashMap};

use super::query::words;
use super::wordings::{heading_words, title_wording};
use crate::history::History;
use crate::id::ProvisionId;
use crate::text::TextHash;
use crate::unicode::{fold, nfc};

/// One wording of one provision.
#[derive(Debug, Clone)]
pub(super) struct Wording {
    pub(super) provision: ProvisionId,
    pub(super) hash: TextHash,
    /// Words in the heading line: positions below this are heading words.
    pub(super) heading_words: u32,
    /// For a provision without any text: its id and title, searched as a heading.
    pub(super) title: Option<String>,
}

/// Where a word occurs: a wording and the word positions in it.
#[derive(Debug, Clone)]
pub(super) struct Posting {
    pub(super) wording: u32,
    pub(super) positions: Vec<u32>,
}

/// Every wording of every provision of one code, searchable.
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    pub(super) wordings: Vec<Wording>,
    /// Sorted, so a prefix is a range.
    pub(super) terms: BTreeMap<String, Vec<Posting>>,
}

impl SearchIndex {
    /// Indexes every wording the history holds.
    pub fn build(history: &History) -> Self {
        let mut index = Self::default();
        index.add_new(history);
        index
    }

    /// Indexes the wordings of `history` not indexed yet (after an import adds versions): the index grows, and
    /// what it held stays as it was. Provisions without any text are indexed by their id and title.
    pub fn add_new(&mut self, history: &History) -> usize {
        let known: std::collections::HashSet<(&ProvisionId, TextHash)> =
            self.wordings.iter().map(|w| (&w.provision, w.hash)).collect();
        let mut fresh: Vec<(ProvisionId, TextHash, String, Option<String>)> = Vec::new();
        let mut queued = std::collections::HashSet::new();
        for (p, changes) in history.text_changes.iter().enumerate() {
            let id = &history.register.provisions[p].id;
            if changes.is_empty() {
                let provision = &history.register.provisions[p];
                let title = title_wording(provision);
                let hash = TextHash::of(&title);
                if !known.contains(&(id, hash)) && queued.insert((id.clone(), hash)) {
                    fresh.push((id.clone(), hash, title.clone(), Some(title)));
                }
                continue;
            }
            for &(_, _, hash) in changes {
                let Some(hash) = hash else { continue };
                if known.contains(&(id, hash)) || !queued.insert((id.clone(), hash)) {
                    continue;
                }
                let Some(text) = history.bodies.get(&hash) else { continue };
                // A text stored before texts were composed is indexed (and shown) in its composed form.
                fresh.push((id.clone(), hash, nfc(text).into_owned(), None));
            }
        }
        let added = fresh.len();
        for (provision, hash, text, title) in fresh {
            let id = u32::try_from(self.wordings.len()).unwrap_or(u32::MAX);
            let heading_words = u32::try_from(heading_words(&text, title.is_some())).unwrap_or(u32::MAX);
            let mut positions: HashMap<String, Vec<u32>> = HashMap::new();
            for (n, (_, word)) in words(&text).enumerate() {
                positions.entry(fold(word)).or_default().push(u32::try_from(n).unwrap_or(u32::MAX));
            }
            for (word, positions) in positions {
                // Wording ids only grow, so each posting list stays in wording order.
                self.terms.entry(word).or_default().push(Posting { wording: id, positions });
            }
            self.wordings.push(Wording { provision, hash, heading_words, title });
        }
        added
    }
}

impl SearchIndex {
    /// How many wordings are indexed.
    pub fn wording_count(&self) -> usize {
        self.wordings.len()
    }

    /// Roughly how many bytes of memory the index takes (postings, positions and words).
    // An estimate for the search benchmark's report and a buffer's first capacity: no answer depends on it, so a
    // changed constant or operator here cannot be seen in any result.
    #[mutants::skip]
    pub fn approximate_bytes(&self) -> usize {
        let postings: usize = self
            .terms
            .iter()
            .map(|(word, list)| {
                word.len()
                    + 48
                    + list.iter().map(|p| std::mem::size_of::<Posting>() + p.positions.len() * 4).sum::<usize>()
            })
            .sum();
        postings + self.wordings.len() * std::mem::size_of::<Wording>()
    }

    /// The indexed words, each with the number of wordings holding it (for benchmarks and diagnostics).
    pub fn vocabulary(&self) -> impl Iterator<Item = (&str, usize)> {
        self.terms.iter().map(|(word, list)| (word.as_str(), list.len()))
    }

    /// How many distinct words are indexed.
    pub fn word_count(&self) -> usize {
        self.terms.len()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::search::fixtures::history;

    #[test]
    fn the_vocabulary_counts_wordings_per_word() {
        let history = history();
        let index = SearchIndex::build(&history);
        let vocabulary: HashMap<&str, usize> = index.vocabulary().collect();
        assert_eq!(vocabulary.get("valable"), Some(&2));
        assert_eq!(vocabulary.get("article"), Some(&4));
        assert_eq!(vocabulary.get("mauvaise"), Some(&1));
        assert_eq!(index.word_count(), vocabulary.len());
        assert!(index.word_count() > 10);
    }
}
