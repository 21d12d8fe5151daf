//! The served state: every code's history in memory, swapped whole when a publication lands.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, OnceLock, RwLock};
use std::time::Duration;

use inforce_core::derived::DerivedIndex;
use inforce_core::log::Logged;
use inforce_core::search::SearchIndex;
use inforce_core::{CodeId, History};

use crate::log::{self, Level};
use inforce_formats::checkpoint::SigningKey;
use inforce_store::{LogEntry, Publication, Store, StoreError, StoredFile, Wakeup, load_register, texts_for};
use jiff::Timestamp;
use jiff::civil::Date;

/// How the site runs.
#[derive(Debug, Clone)]
pub struct SiteOptions {
    /// The code served at `/`.
    pub default_code: CodeId,
    /// A fixed "today" (for tests and demonstrations); `None` uses the clock (UTC date).
    pub today: Option<Date>,
    /// How often to look for new publications.
    pub poll: Duration,
    /// Log every request (method, path, status, milliseconds).
    pub access_log: bool,
    /// Where readers reach the site (`https://example.org`, no trailing slash): feeds give absolute links from
    /// it, never from a request header (answers are cached for everyone). `None`: `serve` takes the address it
    /// listens on (and warns); a static export keeps links relative to the site's root.
    pub public_url: Option<String>,
    /// The bounds on memory, time and connections.
    pub limits: Limits,
    /// The key the site signs its logs' checkpoints with (`serve --signing-key`); `None`: no checkpoints.
    pub signing_key: Option<SigningKey>,
    /// The routes draw a static copy (`export-site`), not a served site: the search page searches in the reader's
    /// browser, from each code's texts in force today written beside it (`/search/index.js`), since no server
    /// will answer its form.
    pub static_copy: bool,
    /// The proxies whose `Forwarded` / `X-Forwarded-For` name the client (`--trusted-proxies`); every
    /// per-address limit counts by the client address they give ([`crate::client`]).
    pub trusted_proxies: crate::client::TrustedProxies,
}

/// The answer cache's default bound: 256 MiB of answers (`serve --cache-bytes`).
pub const DEFAULT_CACHE_BYTES: usize = 256 * 1024 * 1024;

/// The memory budget of answers in flight by default: 128 MiB (`serve --heavy-memory`).
pub const DEFAULT_HEAVY_MEMORY: usize = 128 * 1024 * 1024;

/// The memory registers as recorded on past days may hold by default: 256 MiB (`serve --as-recorded-bytes`).
pub const DEFAULT_AS_RECORDED_BYTES: usize = 256 * 1024 * 1024;

/// The bounds `serve` keeps under load and attack, each with its flag (README: "Limits").
#[derive(Debug, Clone)]
pub struct Limits {
    /// The most bytes of rendered answers kept in memory (`--cache-bytes`, default 256 MiB); the least recently
    /// used go first. 0 keeps none.
    pub cache_bytes: usize,
    /// The most connections served at once (`--max-connections`); one more is answered 503 and closed.
    pub max_connections: usize,
    /// How long a client may take to send a request's headers (`--header-timeout`, default 10 s); a slower
    /// one is disconnected. Also how long an idle kept-alive connection is held.
    pub header_timeout: Duration,
    /// How long a request may take to answer (default 10 s): past it, 503.
    pub request_timeout: Duration,
    /// How many comparisons, blames, searches and other CPU-heavy answers are drawn at once
    /// (`--heavy-workers`, default: the number of CPU cores); the others wait their turn within the deadline.
    pub heavy_workers: usize,
    /// After SIGTERM or Ctrl-C, how long requests in flight may take to finish before the process exits anyway
    /// (`--shutdown-timeout`, default 10 s).
    pub shutdown_timeout: Duration,
    /// How long a response may wait for the client to take any more of it (`--send-timeout`, default 30 s):
    /// past it, the response is abandoned and the connection closed, so a reader that takes a few bytes a second
    /// holds a connection for no longer than this per stall.
    pub send_timeout: Duration,
    /// The most connections one client address holds at once (`--max-connections-per-address`); `None`: an
    /// eighth of [`Limits::max_connections`], at least 8 (or the cap itself when it is smaller). Through a trusted
    /// proxy, the requests in flight of one forwarded client address.
    pub max_connections_per_address: Option<usize>,
    /// The bytes answers drawn and not yet sent may hold at once (`--heavy-memory`, default 128 MiB; 0: no
    /// budget): heavy work waits, within its deadline, while they hold more ([`crate::budget`]).
    pub heavy_memory: usize,
    /// The bytes the registers as recorded on past days (`?as_recorded=`) may hold, by their estimate
    /// ([`inforce_core::History::approximate_bytes`]; `--as-recorded-bytes`, default 256 MiB; 0 keeps none): the
    /// least recently used go first.
    pub as_recorded_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            cache_bytes: DEFAULT_CACHE_BYTES,
            max_connections: default_max_connections(),
            header_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(10),
            heavy_workers: std::thread::available_parallelism().map_or(2, std::num::NonZero::get),
            shutdown_timeout: Duration::from_secs(10),
            send_timeout: Duration::from_secs(30),
            max_connections_per_address: None,
            heavy_memory: DEFAULT_HEAVY_MEMORY,
            as_recorded_bytes: DEFAULT_AS_RECORDED_BYTES,
        }
    }
}

impl Limits {
    /// One client address's share of the connection cap: [`Limits::max_connections_per_address`] when given,
    /// else an eighth of the cap, at least 8 and at most the cap.
    pub fn per_address_share(&self) -> usize {
        let cap = self.max_connections.max(1);
        self.max_connections_per_address.unwrap_or((cap / 8).max(8)).clamp(1, cap)
    }
}

/// 1,024 connections, or fewer when the process may open fewer files: each connection is a file, and the
/// store, logs and documents need some (64 are kept for them).
fn default_max_connections() -> usize {
    let soft_limit = std::fs::read_to_string("/proc/self/limits").ok().and_then(|limits| {
        let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
        line.split_whitespace().nth(3)?.parse::<usize>().ok()
    });
    match soft_limit {
        Some(files) => files.saturating_sub(64).clamp(16, 1024),
        None => 1024,
    }
}

/// Checks and normalises a public URL (`--public-url`): `http` or `https`, a host, no query or fragment; the
/// trailing slash is dropped. The error says what is wrong.
pub fn public_url(text: &str) -> Result<String, String> {
    let uri: axum::http::Uri = text.parse().map_err(|e| format!("'{text}' is not a URL: {e}"))?;
    if !matches!(uri.scheme_str(), Some("http" | "https")) || uri.host().is_none_or(str::is_empty) {
        return Err(format!("'{text}' is not an http:// or https:// URL with a host"));
    }
    if uri.query().is_some() || text.contains('#') {
        return Err(format!("'{text}' has a query or fragment: give the address of the site's root"));
    }
    Ok(text.trim_end_matches('/').to_string())
}

/// Every publication's logged content of a code, in sequence order; an `Err` says what of one cannot be read.
pub type LoggedContents = Arc<Vec<Result<Logged, String>>>;

/// What every request reads: the histories as of one moment, never changed in place.
#[derive(Debug)]
pub struct Snapshot {
    /// Every code's history.
    pub histories: BTreeMap<CodeId, Arc<History>>,
    /// Every code's derived indexes (the search index…), each built from its history the first time a question
    /// asks for it.
    indexes: BTreeMap<CodeId, DerivedIndexes>,
    /// The latest publication of each code, to notice new ones.
    pub heads: Vec<(CodeId, i64)>,
    /// Every publication of each code, oldest first: who made it, when, with which command.
    pub publications: BTreeMap<CodeId, Arc<Vec<Publication>>>,
    /// Codes whose latest publication could not be loaded (damaged data), with the problem: each is served as its
    /// last good snapshot held it, or answered 503 when there was none. Every other code is served as usual.
    pub damaged: BTreeMap<CodeId, Damage>,
    /// The record time of each code's latest publication: the `Last-Modified` of answers about that code.
    published: BTreeMap<CodeId, Timestamp>,
    /// Counts snapshots, so that answers drawn from an older one are never served again.
    pub generation: u64,
    /// Each code's publication log (digests in sequence order), as of the snapshot.
    pub logs: BTreeMap<CodeId, Arc<Vec<LogEntry>>>,
    /// For each code's versions and events, the publications that wrote its record (the first recorded it).
    pub entry_writers: BTreeMap<CodeId, Arc<HashMap<String, Vec<i64>>>>,
    /// Each code's publications' logged content, recomputed from the store the first time the log is read.
    contents: BTreeMap<CodeId, tokio::sync::OnceCell<LoggedContents>>,
}

impl Snapshot {
    /// The record time of the latest publication of any code: the `Last-Modified` of answers about every code.
    pub fn last_modified(&self) -> Timestamp {
        self.published.values().copied().max().unwrap_or(Timestamp::UNIX_EPOCH)
    }

    /// The record time of publication `id` of `code`, when the snapshot lists it.
    pub fn recorded_at(&self, code: &CodeId, id: i64) -> Option<Timestamp> {
        self.publications.get(code)?.iter().find(|p| p.id == id).map(|p| p.recorded_at)
    }

    /// The record time of `code`'s latest publication (the epoch for a code the snapshot does not hold).
    pub fn published(&self, code: &CodeId) -> Timestamp {
        self.published.get(code).copied().unwrap_or(Timestamp::UNIX_EPOCH)
    }

    /// The log entry of `code`'s publication `id`, when the snapshot's log holds it.
    pub fn log_entry(&self, code: &CodeId, id: i64) -> Option<&LogEntry> {
        self.logs.get(code)?.iter().find(|e| e.publication == id)
    }

    /// The derived index `I` (such as the search index) of `code`'s history, built on first use and kept as long
    /// as the snapshot (`inforce_core::derived`'s pattern: a new snapshot builds its own from its history);
    /// `None` for a code the snapshot does not hold.
    pub fn index<I: HeldIndex>(&self, code: &CodeId) -> Option<&I> {
        let history = self.histories.get(code)?;
        Some(I::cell(self.indexes.get(code)?).get_or_init(|| I::build(history)))
    }
}

/// One code's derived indexes, one cell of each kind, each built at most once (a second asker waits for the
/// first). A new kind of index adds its cell here and a [`HeldIndex`] impl naming it.
#[derive(Debug, Default)]
pub struct DerivedIndexes {
    search: OnceLock<SearchIndex>,
}

/// A derived index the server holds per code and snapshot.
pub trait HeldIndex: DerivedIndex + Send + Sync + 'static {
    /// Its cell among a code's indexes.
    fn cell(indexes: &DerivedIndexes) -> &OnceLock<Self>;
}

impl HeldIndex for SearchIndex {
    fn cell(indexes: &DerivedIndexes) -> &OnceLock<Self> {
        &indexes.search
    }
}

/// The site: the store, the current snapshot and the options.
pub struct Site {
    store: Arc<dyn Store>,
    snapshot: RwLock<Arc<Snapshot>>,
    /// One permit per CPU-heavy answer drawn at once ([`Limits::heavy_workers`]).
    heavy: Arc<tokio::sync::Semaphore>,
    /// The memory answers in flight hold, against [`Limits::heavy_memory`].
    memory: Arc<crate::budget::MemoryBudget>,
    /// Registers as recorded at the end of past days, against [`Limits::as_recorded_bytes`].
    recorded: crate::recorded::RecordedRegisters,
    /// The options it runs with.
    pub options: SiteOptions,
}

/// Why CPU-heavy work was not done: the server is busy, or the work passed the request's deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overloaded {
    /// No worker came free before the deadline.
    Busy,
    /// The work ran past the deadline.
    TooLong,
}

impl Site {
    /// Loads every code from the store.
    pub async fn load(store: Arc<dyn Store>, options: SiteOptions) -> Result<Arc<Self>, StoreError> {
        let lists = publication_lists(store.as_ref()).await?;
        let snapshot = load_snapshot(store.as_ref(), 0, None, lists).await?;
        log_damaged(&snapshot, "a code cannot be loaded; the others are served");
        let heavy = Arc::new(tokio::sync::Semaphore::new(options.limits.heavy_workers.max(1)));
        let memory = crate::budget::MemoryBudget::new(options.limits.heavy_memory);
        let recorded = crate::recorded::RecordedRegisters::new(options.limits.as_recorded_bytes);
        Ok(Arc::new(Self { store, snapshot: RwLock::new(Arc::new(snapshot)), heavy, memory, recorded, options }))
    }

    /// Runs CPU-heavy `work` (a comparison, a blame, a search, a whole code's statuses, and drawing their pages)
    /// on a blocking thread, never on the async workers that answer everything else (`/healthz` stays
    /// responsive), at most [`Limits::heavy_workers`] at once, within `deadline`: waiting for a worker past it
    /// is [`Overloaded::Busy`], running past it [`Overloaded::TooLong`] (the work then finishes on its thread
    /// and keeps its permit until it does, so the limit holds).
    pub async fn heavy<T: Send + 'static>(
        &self,
        deadline: tokio::time::Instant,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Overloaded> {
        let permit = self.admit_heavy(deadline).await?;
        let running = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work()
        });
        match tokio::time::timeout_at(deadline, running).await {
            Ok(Ok(done)) => Ok(done),
            Ok(Err(join)) => std::panic::resume_unwind(join.into_panic()),
            Err(_) => Err(Overloaded::TooLong),
        }
    }

    /// The register of `code` as its publication `publication` left it (`?as_recorded=`), read from the ledger the
    /// first time it is asked and kept within [`Limits::as_recorded_bytes`] ([`crate::recorded`]). Reading it is
    /// heavy work: it waits for a worker and the memory budget within `deadline`, as [`Site::heavy`] does.
    pub async fn as_recorded(
        &self,
        code: &CodeId,
        publication: &Publication,
        deadline: tokio::time::Instant,
    ) -> Result<Arc<History>, crate::recorded::RecordedError> {
        use crate::recorded::RecordedError;
        let cell = self.recorded.cell(code, publication.id);
        if let Some(kept) = cell.get() {
            return Ok(kept.clone());
        }
        let read = cell.get_or_try_init(|| async {
            let _permit = self.admit_heavy(deadline).await.map_err(RecordedError::Overloaded)?;
            crate::recorded::read(self.store.as_ref(), code, publication.recorded_at).await
        });
        let history = tokio::time::timeout_at(deadline, read)
            .await
            .map_err(|_| RecordedError::Overloaded(Overloaded::TooLong))??
            .clone();
        self.recorded.settle(code, publication.id);
        Ok(history)
    }

    /// Waits, until `deadline`, for the memory budget to admit heavy work (answers drawn and not yet sent are
    /// sent first) and for one of the [`Limits::heavy_workers`] permits; [`Overloaded::Busy`] when either does
    /// not come in time.
    async fn admit_heavy(
        &self,
        deadline: tokio::time::Instant,
    ) -> Result<tokio::sync::OwnedSemaphorePermit, Overloaded> {
        if !self.memory.admit(deadline).await {
            return Err(Overloaded::Busy);
        }
        tokio::time::timeout_at(deadline, self.heavy.clone().acquire_owned())
            .await
            .map_err(|_| Overloaded::Busy)?
            .map_err(|_| Overloaded::Busy)
    }

    /// The permits heavy work runs under ([`Limits::heavy_workers`]), for a streamed answer that takes one
    /// only while it works.
    pub fn heavy_workers(&self) -> Arc<tokio::sync::Semaphore> {
        self.heavy.clone()
    }

    /// The memory budget of answers in flight ([`Limits::heavy_memory`]).
    pub fn memory(&self) -> Arc<crate::budget::MemoryBudget> {
        self.memory.clone()
    }

    /// The current snapshot.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        match self.snapshot.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Today's date for answers about `code`: the fixed date when one is set, otherwise the current date in the
    /// code's time zone (its legal day).
    pub fn today(&self, code: &inforce_core::Code) -> Date {
        self.options.today.unwrap_or_else(|| code.today(Timestamp::now()))
    }

    /// Every served code's today, as one number: a cached answer is drawn again when any code's day changes.
    /// Computed on every request, so it allocates nothing.
    pub fn todays(&self, snapshot: &Snapshot) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::hash::DefaultHasher::new();
        match self.options.today {
            Some(day) => day.hash(&mut hasher),
            None => {
                let now = Timestamp::now();
                for history in snapshot.histories.values() {
                    history.register().code.today(now).hash(&mut hasher);
                }
            }
        }
        hasher.finish()
    }

    /// Swaps in a new snapshot when a publication lands: at once when the store announces it (PostgreSQL), and
    /// otherwise by looking every `poll`; a publication made through any process is served without a restart. While the store cannot be read,
    /// the current snapshot keeps being served and the store is tried again after a growing pause (up to a
    /// minute); each failure and the recovery are logged in one line.
    pub async fn watch(site: Arc<Self>) {
        let mut pause = site.options.poll;
        let mut failing = false;
        loop {
            // PostgreSQL announces publications, so they are loaded at once; the heads are compared on every
            // wakeup anyway, so an announcement missed while reconnecting is still found by polling.
            match site.store.await_publication(pause).await {
                Ok(Wakeup::Unsupported) => tokio::time::sleep(pause).await,
                Ok(Wakeup::Published | Wakeup::TimedOut) => {}
                Err(_) => tokio::time::sleep(pause).await,
            }
            let checked = async {
                let lists = publication_lists(site.store.as_ref()).await?;
                let heads = heads_of(&lists);
                let current = site.snapshot();
                // A damaged code is tried again on every wakeup: damage seen through an outage may pass.
                if heads == current.heads && current.damaged.is_empty() {
                    return Ok(false);
                }
                let fresh = load_snapshot(site.store.as_ref(), current.generation + 1, Some(&current), lists).await?;
                if fresh.damaged != current.damaged {
                    log_damaged(&fresh, "a code cannot be loaded; serving its last good state");
                }
                if heads == current.heads && fresh.damaged == current.damaged {
                    return Ok(false);
                }
                match site.snapshot.write() {
                    Ok(mut guard) => *guard = Arc::new(fresh),
                    Err(poisoned) => *poisoned.into_inner() = Arc::new(fresh),
                }
                Ok::<bool, StoreError>(true)
            };
            match checked.await {
                Ok(reloaded) => {
                    if failing {
                        log::event(Level::Info, "serve", "store reachable again", &[]);
                    }
                    if reloaded {
                        log::event(Level::Info, "serve", "new publication loaded", &[]);
                    }
                    failing = false;
                    pause = site.options.poll;
                }
                Err(error) => {
                    log::event(
                        Level::Warn,
                        "serve",
                        "cannot read the store, still serving the last registers",
                        &[("error", &error.to_string()), ("retry_in_s", &pause.as_secs().to_string())],
                    );
                    failing = true;
                    pause = (pause * 2).min(Duration::from_secs(60));
                }
            }
        }
    }

    /// A stored document file's size and the publication that stored it.
    pub async fn file_stored(&self, code: &CodeId, sha256: &str) -> Result<Option<StoredFile>, StoreError> {
        self.store.file_stored(code, sha256).await
    }

    /// One piece of a stored document file ([`Store::file_chunk`]).
    pub async fn file_chunk(&self, code: &CodeId, sha256: &str, seq: u64) -> Result<Option<Vec<u8>>, StoreError> {
        self.store.file_chunk(code, sha256, seq).await
    }

    /// Every publication's logged content of `code` (in sequence order; an `Err` says what of one cannot be read),
    /// recomputed from the store the first time the snapshot is asked and kept with it; `None` for a code the
    /// snapshot does not hold. May hold publications newer than the snapshot: sequences never change.
    pub async fn logged(&self, snapshot: &Snapshot, code: &CodeId) -> Option<Result<LoggedContents, StoreError>> {
        let cell = snapshot.contents.get(code)?;
        Some(
            cell.get_or_try_init(|| async {
                let sources = self.store.log_sources(code).await?;
                let code = code.clone();
                // Decoding and encoding every record again is CPU work: off the async workers.
                let logged = tokio::task::spawn_blocking(move || inforce_store::log::logged(&code, &sources))
                    .await
                    .map_err(|e| StoreError::Database { location: "log".into(), reason: e.to_string() })?;
                Ok(Arc::new(logged))
            })
            .await
            .cloned(),
        )
    }

    /// Whether the store answers (for `/readyz`).
    pub async fn store_reachable(&self) -> bool {
        self.store.codes().await.is_ok()
    }
}

/// Every code with its publications, oldest first: read once per wakeup, for the heads and for a reload.
async fn publication_lists(store: &dyn Store) -> Result<Vec<(CodeId, Vec<Publication>)>, StoreError> {
    let mut out = Vec::new();
    for code in store.codes().await? {
        let list = store.publications(&code).await?;
        out.push((code, list));
    }
    Ok(out)
}

/// The latest publication of each code (0 for none).
fn heads_of(lists: &[(CodeId, Vec<Publication>)]) -> Vec<(CodeId, i64)> {
    lists.iter().map(|(code, list)| (code.clone(), list.last().map_or(0, |p| p.id))).collect()
}

/// Why a code cannot be loaded, in two tellings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damage {
    /// What anyone may read ([`StoreError::public`]): never the database's location or the driver's words.
    pub public: String,
    /// The whole error, for the operator's log only.
    detail: String,
}

impl From<&StoreError> for Damage {
    fn from(error: &StoreError) -> Self {
        Self { public: error.public(), detail: error.to_string() }
    }
}

/// One warning per code the snapshot cannot load.
fn log_damaged(snapshot: &Snapshot, message: &str) {
    for (code, damage) in &snapshot.damaged {
        log::event(Level::Warn, "serve", message, &[("code", code.as_str()), ("error", &damage.detail)]);
    }
}

/// Loads every code on its own: a code whose data cannot be read is listed in `damaged` and keeps what
/// `previous` held of it, and never stops the others. Only an unreadable list of codes fails the whole load.
async fn load_snapshot(
    store: &dyn Store,
    generation: u64,
    previous: Option<&Snapshot>,
    lists: Vec<(CodeId, Vec<Publication>)>,
) -> Result<Snapshot, StoreError> {
    let heads = heads_of(&lists);
    let mut histories = BTreeMap::new();
    let mut publications = BTreeMap::new();
    let mut damaged = BTreeMap::new();
    let mut published = BTreeMap::new();
    let mut logs = BTreeMap::new();
    let mut entry_writers = BTreeMap::new();
    for (code, list) in lists {
        match load_code(store, &code).await {
            Ok(None) => {}
            Ok(Some(loaded)) => {
                published.insert(code.clone(), loaded.recorded_at);
                histories.insert(code.clone(), Arc::new(loaded.history));
                logs.insert(code.clone(), Arc::new(loaded.log));
                entry_writers.insert(code.clone(), Arc::new(loaded.entry_writers));
                publications.insert(code, Arc::new(list));
            }
            Err(error) => {
                damaged.insert(code.clone(), Damage::from(&error));
                if let Some(previous) = previous
                    && let Some(history) = previous.histories.get(&code)
                {
                    histories.insert(code.clone(), history.clone());
                    if let Some(list) = previous.publications.get(&code) {
                        publications.insert(code.clone(), list.clone());
                    }
                    if let Some(log) = previous.logs.get(&code) {
                        logs.insert(code.clone(), log.clone());
                    }
                    if let Some(writers) = previous.entry_writers.get(&code) {
                        entry_writers.insert(code.clone(), writers.clone());
                    }
                    published.insert(code.clone(), previous.published(&code));
                }
            }
        }
    }
    let indexes = histories.keys().map(|code| (code.clone(), DerivedIndexes::default())).collect();
    let contents = histories.keys().map(|code| (code.clone(), tokio::sync::OnceCell::new())).collect();
    Ok(Snapshot {
        histories,
        indexes,
        heads,
        publications,
        damaged,
        published,
        generation,
        logs,
        entry_writers,
        contents,
    })
}

/// One code as a snapshot holds it.
struct LoadedCode {
    history: History,
    /// The record time of its latest publication.
    recorded_at: Timestamp,
    log: Vec<LogEntry>,
    entry_writers: HashMap<String, Vec<i64>>,
}

/// One code's history, log and the record time of its latest publication; `None` when nothing is recorded for
/// it.
async fn load_code(store: &dyn Store, code: &CodeId) -> Result<Option<LoadedCode>, StoreError> {
    let Some(loaded) = load_register(store, code, None).await? else { return Ok(None) };
    let recorded_at = loaded.publication.recorded_at;
    let texts = texts_for(store, &loaded).await?;
    let record_times = inforce_store::record_times_for(store, &loaded).await?;
    // A publication of record: a history that no longer matches its log is not served as if it were the one
    // published (the code is answered 503, or kept as it last verified).
    if let inforce_store::Verdict::Tampered(tampered) = inforce_store::verify(store, code).await? {
        return Err(StoreError::Tampered(tampered));
    }
    // The log as far as the loaded register goes: a publication landing meanwhile waits for the next snapshot.
    let mut log = store.log(code).await?;
    log.retain(|e| e.publication <= loaded.publication.id);
    Ok(Some(LoadedCode {
        history: History::with_texts(loaded.register, texts)
            .with_last_publication(recorded_at)
            .with_record_times(record_times),
        recorded_at,
        log,
        entry_writers: loaded.entry_writers,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn share(max_connections: usize, per_address: Option<usize>) -> usize {
        let limits = Limits { max_connections, max_connections_per_address: per_address, ..Limits::default() };
        limits.per_address_share()
    }

    #[test]
    fn an_address_gets_an_eighth_of_the_cap_at_least_eight_and_never_more_than_the_cap() {
        assert_eq!(share(1024, None), 128);
        assert_eq!(share(200, None), 25);
        assert_eq!(share(40, None), 8);
        assert_eq!(share(4, None), 4);
        assert_eq!(share(1024, Some(3)), 3);
        assert_eq!(share(20, Some(500)), 20);
        assert_eq!(share(20, Some(0)), 1);
    }
}
