//! Registers as recorded on a past day (`?as_recorded=DATE`): what the register said at the end of that day. The
//! ledger only grows, so the register a publication left never changes: it is read once from the ledger, kept by
//! (code, publication) within a memory bound, and every day whose latest publication is the same shares it.

use std::sync::{Arc, Mutex};

use hashlink::LinkedHashMap;
use inforce_core::{CodeId, History};
use inforce_store::{Store, StoreError, load_register, texts_for};
use jiff::Timestamp;

use crate::site::Overloaded;

/// What a register read as of one publication costs beyond its own estimate: its entry and the cell it waits in.
const ENTRY_OVERHEAD: usize = 1024;

/// Why a register as recorded could not be read.
#[derive(Debug, thiserror::Error)]
pub enum RecordedError {
    /// No worker or memory came free in time, or reading took past the request's deadline.
    #[error("the server is too busy to read the register as recorded then")]
    Overloaded(Overloaded),
    /// The store could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
}

type Cell = Arc<tokio::sync::OnceCell<Arc<History>>>;

/// (code, publication id).
type Key = (CodeId, i64);

struct Entries {
    /// Each register with its estimated bytes (0 until read), least recently used first.
    map: LinkedHashMap<Key, (Cell, usize)>,
    bytes: usize,
}

/// The registers as recorded that are kept, at most `capacity` bytes by their estimate.
pub struct RecordedRegisters {
    entries: Mutex<Entries>,
    capacity: usize,
}

impl RecordedRegisters {
    /// None kept yet; at most `capacity` bytes (0 keeps none once read).
    pub fn new(capacity: usize) -> Self {
        Self { entries: Mutex::new(Entries { map: LinkedHashMap::new(), bytes: 0 }), capacity }
    }

    /// The cell of `code`'s register as publication `publication` left it (empty until read; concurrent askers
    /// share it, so it is read once), now the most recently used.
    pub fn cell(&self, code: &CodeId, publication: i64) -> Cell {
        let Ok(mut entries) = self.entries.lock() else { return Cell::default() };
        let key = (code.clone(), publication);
        if let Some((cell, _)) = entries.map.to_back(&key) {
            return cell.clone();
        }
        let cell = Cell::default();
        entries.map.insert(key, (cell.clone(), 0));
        cell
    }

    /// Counts a register just read against the bound, then lets the least recently used go while the kept ones
    /// hold more (registers still being read cost nothing yet and stay).
    pub fn settle(&self, code: &CodeId, publication: i64) {
        let Ok(mut entries) = self.entries.lock() else { return };
        let key = (code.clone(), publication);
        let Some((cell, cost)) = entries.map.get_mut(&key) else { return };
        let Some(history) = cell.get() else { return };
        if *cost > 0 {
            return;
        }
        *cost = history.approximate_bytes() + ENTRY_OVERHEAD;
        let added = *cost;
        entries.bytes += added;
        while entries.bytes > self.capacity {
            let Some(oldest) = entries.map.iter().find(|(_, (_, cost))| *cost > 0).map(|(key, _)| key.clone()) else {
                break;
            };
            if let Some((_, cost)) = entries.map.remove(&oldest) {
                entries.bytes -= cost;
            }
        }
    }

    /// The bytes kept, by their estimate.
    #[cfg(test)]
    fn bytes(&self) -> usize {
        self.entries.lock().map(|e| e.bytes).unwrap_or(0)
    }
}

/// `code`'s register, texts and record times as its publication recorded at `recorded_at` left them, read from
/// the ledger; the history says it was read as of that time ([`History::with_as_recorded`]).
pub async fn read(store: &dyn Store, code: &CodeId, recorded_at: Timestamp) -> Result<Arc<History>, RecordedError> {
    let Some(loaded) = load_register(store, code, Some(recorded_at)).await? else {
        return Err(StoreError::Database {
            location: "as recorded".into(),
            reason: format!("no publication of '{code}' recorded by {recorded_at}"),
        }
        .into());
    };
    let texts = texts_for(store, &loaded).await?;
    let record_times = inforce_store::record_times_for(store, &loaded).await?;
    let published = loaded.publication.recorded_at;
    // Indexing a whole code is CPU work: off the async workers.
    tokio::task::spawn_blocking(move || {
        Arc::new(
            History::with_texts(loaded.register, texts)
                .with_last_publication(published)
                .with_record_times(record_times)
                .with_as_recorded(published),
        )
    })
    .await
    .map_err(|e| StoreError::Database { location: "as recorded".into(), reason: e.to_string() }.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code() -> CodeId {
        CodeId::parse("sec").expect("code")
    }

    fn read_into(kept: &RecordedRegisters, publication: i64, words: usize) -> usize {
        let cell = kept.cell(&code(), publication);
        let register = inforce_core::Register::empty(inforce_core::Code::new(code(), "A code"));
        let text = "word ".repeat(words);
        let hash = inforce_core::text::TextHash::of(&text);
        let history = History::with_texts(
            register,
            inforce_core::text::Texts {
                assignments: Vec::new(),
                bodies: std::collections::HashMap::from([(hash, Arc::from(text.as_str()))]),
            },
        );
        let bytes = history.approximate_bytes() + ENTRY_OVERHEAD;
        assert!(cell.set(Arc::new(history)).is_ok());
        kept.settle(&code(), publication);
        bytes
    }

    #[test]
    fn registers_are_kept_within_the_bound_least_recently_used_first_and_each_counted_once() {
        let one = read_into(&RecordedRegisters::new(usize::MAX), 1, 10_000);
        let kept = RecordedRegisters::new(2 * one + one / 2);
        assert_eq!(read_into(&kept, 1, 10_000), one);
        assert_eq!(read_into(&kept, 2, 10_000), one);
        assert_eq!(kept.bytes(), 2 * one);
        // Settling again counts nothing twice.
        kept.settle(&code(), 2);
        assert_eq!(kept.bytes(), 2 * one);
        // 1 is asked again: 2 is now the least recently used, and goes when 3 comes.
        assert!(kept.cell(&code(), 1).get().is_some());
        read_into(&kept, 3, 10_000);
        assert_eq!(kept.bytes(), 2 * one);
        assert!(kept.cell(&code(), 1).get().is_some(), "kept");
        assert!(kept.cell(&code(), 3).get().is_some(), "kept");
        assert!(kept.cell(&code(), 2).get().is_none(), "let go: a new, empty cell");
    }

    #[test]
    fn a_bound_of_zero_keeps_nothing_once_read() {
        let kept = RecordedRegisters::new(0);
        read_into(&kept, 1, 100);
        assert_eq!(kept.bytes(), 0);
        assert!(kept.cell(&code(), 1).get().is_none());
    }
}
