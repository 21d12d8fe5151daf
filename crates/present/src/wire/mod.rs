//! The JSON shapes of every answer, shared by the command line (`--format json`) and the API: leaf types, then
//! one envelope per answer. Converted from core types; the core knows no wire format.
//!
//! By audience: `leaf` types that answers hold, the `answers` both faces give, and the command line's write
//! `reports`. Every type is re-exported here, so `wire::X` names it whichever file holds it.

mod answers;
mod leaf;
mod reports;

pub use answers::*;
pub use leaf::*;
pub use reports::*;
