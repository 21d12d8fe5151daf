//! Full-text search over every wording of every provision, each wording knowing the periods in which it was the
//! provision's text.
//!
//! The index is built from a [`History`](crate::History) (pure, in memory): one document per distinct (provision, text), with
//! positional postings so phrases can be matched. Texts and queries are read in Normalization Form C; words are what
//! a regular expression's `\w+` finds in Unicode (letters, marks, digits, connectors), compared by simple case
//! folding and without folding accents (see [`crate::unicode`]), so a plain word finds exactly the wordings that
//! `rg -i -w WORD` finds in the versioned folder the texts came from, in any script.
//!
//! Queries: `word`, `"exact phrase"`, `prefix*`, `heading:word` (or `heading:"a phrase"`), `AND` (or nothing),
//! `OR`, `NOT` (or a leading `-`) and parentheses.
//!
//! In files: the query language (`query`), the index and its growth (`index`), its kept bytes (`kept`), searching
//! and ranking (`rank`), what a wording is to a search and the wordings at a cut (`wordings`), and snippets
//! (`snippet`). Every public item is re-exported here.

mod index;
mod kept;
mod query;
mod rank;
mod snippet;
mod wordings;

#[cfg(test)]
mod fixtures;

pub use index::SearchIndex;
pub use query::{MAX_QUERY_CHARS, MAX_TERMS, Query, QueryError, Term, parse, words};
pub use rank::{ProvisionHit, Scope, WordingHit};
pub use snippet::snippet;
pub use wordings::{Period, ScopedWording, WordingKind, wordings_at};
