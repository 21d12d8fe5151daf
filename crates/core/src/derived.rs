//! Derived indexes: what is worked out from a code's history to answer some questions faster (the search index
//! today; cross-references and defined terms next). The pattern, named once so each index follows it without
//! copying it:
//!
//! - built from a history (one snapshot of one code), never edited by hand;
//! - brought up to date as the history grows, by adding what it lacks ([`DerivedIndex::update`]);
//! - kept as bytes beside the database by the faces that outlive a request (the CLI: `kept::derived_index`;
//!   the server keeps it in memory per snapshot: `site::Snapshot::index`), in a private format that is
//!   versioned and checked, so bytes that do not read back are rebuilt, not trusted;
//! - never trusted over the register: an answer it gives must be the one the history gives.
//!
//! The core only computes; where the bytes are kept and when is the faces' business (no I/O here).

use crate::history::History;

/// An index derived from a code's history (see the module's rules).
pub trait DerivedIndex: Sized + Default {
    /// What its kept copy is called (`search`): a lowercase word, part of a file name.
    const NAME: &'static str;

    /// Built afresh from a history: what [`DerivedIndex::update`] makes of an empty index, perhaps faster.
    fn build(history: &History) -> Self;

    /// Brought up to date with `history`: adds what it lacks and returns how many items it added (0: it was up
    /// to date). An index built from an earlier snapshot of the same code's history must end as one built from
    /// this history would.
    fn update(&mut self, history: &History) -> usize;

    /// Its kept bytes.
    fn to_bytes(&self) -> Vec<u8>;

    /// Read back from kept bytes; `None` when they are damaged or of another format or version.
    fn from_bytes(bytes: &[u8]) -> Option<Self>;
}

impl DerivedIndex for crate::search::SearchIndex {
    const NAME: &'static str = "search";

    fn build(history: &History) -> Self {
        Self::build(history)
    }

    fn update(&mut self, history: &History) -> usize {
        self.add_new(history)
    }

    fn to_bytes(&self) -> Vec<u8> {
        self.to_bytes()
    }

    fn from_bytes(bytes: &[u8]) -> Option<Self> {
        Self::from_bytes(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::SearchIndex;

    #[test]
    fn the_search_index_follows_the_pattern() {
        use crate::testing::{entry, provision, register};
        use crate::text::{TextAssignment, TextHash, Texts};
        let text = "# 1\n\nThe Panel meets monthly.\n";
        let hash = TextHash::of(text);
        let texts = Texts {
            assignments: vec![TextAssignment {
                entry: crate::EntryId::parse("v1").expect("id"),
                provision: crate::ProvisionId::parse("1").expect("id"),
                text: Some(hash),
            }],
            bodies: [(hash, std::sync::Arc::from(text))].into_iter().collect(),
        };
        let provisions = vec![provision("1", None), provision("2", None)];
        let history = History::with_texts(register(provisions, vec![entry("v1", "2016-01-01", &[])]), texts);
        let built = <SearchIndex as DerivedIndex>::build(&history);
        assert!(built.wording_count() > 0);
        let mut grown = SearchIndex::default();
        assert_eq!(DerivedIndex::update(&mut grown, &history), built.wording_count());
        assert_eq!(DerivedIndex::update(&mut grown, &history), 0, "already up to date");
        let bytes = DerivedIndex::to_bytes(&grown);
        assert_eq!(bytes, DerivedIndex::to_bytes(&built));
        let read = <SearchIndex as DerivedIndex>::from_bytes(&bytes).expect("reads back");
        assert_eq!(DerivedIndex::to_bytes(&read), bytes);
        assert!(<SearchIndex as DerivedIndex>::from_bytes(b"not an index").is_none());
        assert_eq!(<SearchIndex as DerivedIndex>::NAME, "search");
    }
}
