//! What is kept beside the database to answer faster: each code's loaded register (`inforce_formats::kept`) and
//! its search index. Both are copies the ledger can rebuild; neither is ever trusted over it.

use std::path::{Path, PathBuf};

use inforce_core::derived::DerivedIndex;
use inforce_core::log::Digest;
use inforce_core::text::Texts;
use inforce_core::{CodeId, History};
use inforce_formats::kept::{self, KeptError, Stamp};
use inforce_formats::pack;
use inforce_store::{Loaded, Publication, Store, load_register, texts_for};
use jiff::Timestamp;

use crate::db::{Database, database};
use crate::failure::Failure;

/// The things kept per code.
#[derive(Debug, Clone, Copy)]
pub enum KeptFile {
    /// The loaded register and texts.
    Register,
    /// A derived index, by its name ([`DerivedIndex::NAME`]).
    Index(&'static str),
}

impl KeptFile {
    fn name(self) -> &'static str {
        match self {
            Self::Register => "register",
            Self::Index(name) => name,
        }
    }
}

/// What became of a kept derived index.
pub enum KeptState {
    /// Read and already up to date.
    Read,
    /// Read, then brought up to date, and saved.
    Grown,
    /// Built afresh because none was kept.
    Built,
    /// Built afresh, and saved, because the kept one could not be used (why).
    Replaced(String),
    /// Built or grown but could not be saved (why).
    Unsaved(String),
}

/// A code's derived index (`I`, such as the search index) kept at `path`, brought up to date with `history`; or,
/// if missing, damaged or of another format, built afresh. Saved back whenever it changed. The pattern is
/// `inforce_core::derived`'s: the kept copy is only ever a faster way to the same answers.
pub fn derived_index<I: DerivedIndex>(path: &Path, history: &History) -> (I, KeptState) {
    let (mut index, mut kept) = match std::fs::read(path) {
        Ok(bytes) => match pack::inflate(&bytes).ok().as_deref().and_then(I::from_bytes) {
            Some(index) => (index, KeptState::Read),
            None => (I::default(), KeptState::Replaced("it was damaged or of another format".into())),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (I::default(), KeptState::Built),
        Err(e) => (I::default(), KeptState::Replaced(format!("it could not be read: {e}"))),
    };
    let added = index.update(history);
    if matches!(kept, KeptState::Read) && added > 0 {
        kept = KeptState::Grown;
    }
    if let KeptState::Replaced(why) = &kept {
        eprintln!("inforce: rebuilt the {} index {}: {why}", I::NAME, path.display());
    }
    if !matches!(kept, KeptState::Read)
        && let Err(e) = keep_index(path, &index)
    {
        kept = KeptState::Unsaved(format!("{}: {e}", path.display()));
    }
    (index, kept)
}

/// Keeps a derived index, deflated (positions and ids repeat a lot and shrink well).
pub fn keep_index<I: DerivedIndex>(path: &Path, index: &I) -> std::io::Result<()> {
    write_atomically(path, &pack::deflate(&index.to_bytes(), pack::Effort::Fast))
}

/// Where a code's kept thing lives: beside a SQLite database (`inforce.db.register-CODE`,
/// `inforce.db.search-CODE`), or, for a PostgreSQL database, in the per-user cache folder under a name made from
/// the database URL.
pub fn kept_path(db: Option<&Path>, code: &CodeId, what: KeptFile) -> Result<PathBuf, Failure> {
    match database(db)? {
        Database::Sqlite(path) => {
            let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
            name.push(format!(".{}-{code}", what.name()));
            Ok(path.with_file_name(name))
        }
        Database::Postgres(url) => {
            let cache = std::env::var_os("XDG_CACHE_HOME")
                .map(PathBuf::from)
                .filter(|p| p.is_absolute())
                .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))
                .ok_or_else(|| {
                    Failure::Usage(format!("neither XDG_CACHE_HOME nor HOME is set: no place for the {}", what.name()))
                })?;
            let key = inforce_core::document::sha256(url.as_bytes());
            Ok(cache.join("inforce").join(what.name()).join(format!("{}-{code}", &key[..16])))
        }
    }
}

/// Writes next to the final place, then moves there: a reader never sees half a file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let mut partial = path.as_os_str().to_os_string();
    partial.push(format!(".partial-{}", std::process::id()));
    // A failed write (a full disk) or move leaves nothing behind.
    let written = std::fs::write(&partial, bytes).and_then(|()| std::fs::rename(&partial, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written
}

/// The code's register (and its texts, when `with_texts`), as it stands or as it stood at record time `as_of`.
/// As it stands, it comes from the kept register when that reflects the latest publication and the log still
/// holds the digest it was verified against (else exit 4: the log was rewritten under it); otherwise from the
/// ledger, verified in full against its log first (exit 4 naming the publication that does not match), and is
/// then kept for next time. `None` when nothing is recorded for the code.
pub async fn history(
    store: &dyn Store,
    db: Option<&Path>,
    code: &CodeId,
    as_of: Option<Timestamp>,
    with_texts: bool,
) -> Result<Option<History>, Failure> {
    let path = if as_of.is_none() { kept_path(db, code, KeptFile::Register).ok() } else { None };
    if let Some(path) = &path {
        let Some((head, digest)) = store.latest(code).await? else { return Ok(None) };
        let read = std::fs::File::open(path).map(|file| kept::decode(file, &stamp(&head, digest), with_texts));
        match read {
            Ok(Ok((register, texts))) => {
                let history = match texts {
                    Some(texts) => History::with_text_bodies(register, &texts.assignments, texts.bodies),
                    None => History::new(register),
                };
                return Ok(Some(history.with_last_publication(head.recorded_at)));
            }
            Ok(Err(error @ KeptError::Diverged(_))) => {
                return Err(Failure::Damaged(format!(
                    "the publication log of '{code}' is not the one its kept copy ({}) was verified against: {error}. \
                     The log was rewritten since, or the copy altered; `inforce verify` checks the database, and \
                     removing the copy makes the next command read (and verify) the database as it is",
                    path.display()
                )));
            }
            // Missing, stale, damaged: made again from the ledger below.
            _ => {}
        }
    }
    let keeping = path.is_some();
    let Some((loaded, texts)) = from_ledger(store, code, as_of, with_texts || keeping).await? else { return Ok(None) };
    if let (Some(path), Some(texts)) = (&path, &texts) {
        // What is kept answers every later read unverified: it is made only from a ledger that matches its log.
        let verdict = inforce_store::verify(store, code).await?;
        if let Some(message) = crate::commands::log::damage(std::slice::from_ref(&verdict)) {
            return Err(Failure::Damaged(message));
        }
        let digest = store.log(code).await?.into_iter().find(|e| e.publication == loaded.publication.id);
        // Keeping is only a saving: when it fails (a read-only folder), the next command reads the ledger again.
        let _ = keep(path, &loaded, digest.map(|e| e.digest), texts);
    }
    let published = loaded.publication.recorded_at;
    let history = match texts.filter(|_| with_texts) {
        Some(texts) => History::with_texts(loaded.register, texts),
        None => History::new(loaded.register),
    };
    let history = history.with_last_publication(published);
    // Read as of a record time: answers say which publication's register they are drawn from.
    Ok(Some(if as_of.is_some() { history.with_as_recorded(published) } else { history }))
}

/// The register (and its texts, when `with_texts`) read from the ledger, never from the kept copy: what
/// `inforce check` looks at, so that a damaged ledger is found even while a kept copy still answers.
pub async fn from_ledger(
    store: &dyn Store,
    code: &CodeId,
    as_of: Option<Timestamp>,
    with_texts: bool,
) -> Result<Option<(Loaded, Option<Texts>)>, Failure> {
    let Some(loaded) = load_register(store, code, as_of).await? else { return Ok(None) };
    let texts = if with_texts { Some(texts_for(store, &loaded).await?) } else { None };
    Ok(Some((loaded, texts)))
}

/// Keeps a loaded register and its texts at `path`, with the digest the log holds for its publication.
fn keep(path: &Path, loaded: &Loaded, digest: Option<Digest>, texts: &Texts) -> std::io::Result<()> {
    write_atomically(path, &kept::encode(&stamp(&loaded.publication, digest), &loaded.register, texts))
}

fn stamp(publication: &Publication, digest: Option<Digest>) -> Stamp {
    Stamp {
        code: publication.code.clone(),
        publication: publication.id,
        recorded_at: publication.recorded_at.as_microsecond(),
        record_count: publication.record_count,
        digest: digest.map(|d| d.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_no_partial_file_behind() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("kept");
        write_atomically(&path, b"one").expect("written");
        assert_eq!(std::fs::read(&path).expect("read"), b"one");
        // A folder where the file should go: the move fails, as a full disk fails the write.
        let blocked = dir.path().join("blocked");
        std::fs::create_dir_all(blocked.join("inside")).expect("mkdir");
        assert!(write_atomically(&blocked, b"two").is_err());
        let left: Vec<String> = std::fs::read_dir(dir.path())
            .expect("list")
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".partial"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }
}
