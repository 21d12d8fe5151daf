//! The inforce domain core: the register model and every question about it through time.
//!
//! Pure: no I/O, no clock ("today" is a parameter), no wire format. Adapters (store, formats, CLI, web) convert
//! to and from these types.

pub mod change;
pub mod compare;
pub mod correction;
pub mod coverage;
pub mod date;
pub mod derived;
pub mod diff;
pub mod document;
pub mod edit;
pub mod history;
pub mod id;
pub mod import;
pub mod ledger;
pub mod log;
pub mod merkle;
pub mod model;
pub mod numerals;
pub mod point;
pub mod record_times;
pub mod renumber;
pub mod search;
pub mod text;
pub mod text_lists;
pub mod tree;
pub mod unicode;
pub mod validate;

#[cfg(test)]
mod replay_tests;
#[cfg(test)]
mod testing;

pub use date::FuzzyDate;
pub use history::{Basis, HeldBack, History, HistoryItem, InForce, Relation, Status, StatusAnswer, Stretch};
pub use id::{CodeId, EntryId, IdError, ProvisionId};
pub use ledger::{Record, RecordBody, RecordKind, RecordWrite};
pub use model::{
    Activity, ChangeKind, ChangeList, Code, Completeness, Consultation, ConsultationState, Entry, EntryKind,
    FirstVersion, Gap, Instrument, Provision, ProvisionKind, Register,
};
pub use validate::{Location, Problem, validate};
