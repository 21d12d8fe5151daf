//! What every command works with, resolved once from the global flags: the database, the code, today, the
//! record time asked for, the output format; and the store, opened (with the built-in SEC register loaded into
//! a new database) only when a command first needs it.

use std::path::PathBuf;
use std::sync::Arc;

use inforce_core::{CodeId, History, Register};
use inforce_store::{Provenance, Store, publish_register};
use jiff::Timestamp;
use jiff::civil::Date;
use tokio::sync::OnceCell;

use crate::args::{code_id, end_of_recorded_day, fixed_today, now};
use crate::cli::Cli;
use crate::db::open_store;
use crate::failure::Failure;
use crate::output::Output;

/// The built-in SEC register, carried in the binary so a new machine needs nothing else.
const BUILTIN_SEC: &str = include_str!("../../../data/sec.toml");
/// The code asked about when `--code` is not given.
pub const DEFAULT_CODE: &str = "sec";

/// The resolved global flags and the store.
pub struct Env {
    /// `--db` (or `INFORCE_DB`), as given.
    pub db: Option<PathBuf>,
    /// `--code`, or the default code.
    pub code: CodeId,
    /// Whether `--code` was given (imports require it).
    pub code_given: bool,
    /// `INFORCE_TODAY`, when set: the date taken as today for every code.
    fixed_today: Option<Date>,
    /// The code's today (the date in its time zone), worked out on first use.
    today: OnceCell<Date>,
    /// `--as-recorded`, as the last instant of that day.
    pub as_recorded: Option<Timestamp>,
    /// How answers are printed.
    pub out: Output,
    /// Who the publications this command writes are by (`--author`, else the operating-system user).
    pub author: String,
    /// The command, as recorded with each publication it writes (no secrets).
    pub command: String,
    store: OnceCell<Arc<dyn Store>>,
}

impl Env {
    /// Reads the global flags; opens nothing.
    pub fn resolve(cli: &Cli) -> Result<Self, Failure> {
        let fixed_today = fixed_today()?;
        // "today" in --as-recorded is a record time, kept in UTC.
        let today = match fixed_today {
            Some(day) => day,
            None => now()?.to_zoned(jiff::tz::TimeZone::UTC).date(),
        };
        Ok(Self {
            db: cli.db.clone(),
            code: code_id(cli.code.as_deref().unwrap_or(DEFAULT_CODE))?,
            code_given: cli.code.is_some(),
            fixed_today,
            today: OnceCell::new(),
            as_recorded: cli.as_recorded.as_deref().map(|d| end_of_recorded_day(d, today)).transpose()?,
            out: Output { format: cli.format },
            author: crate::args::author(cli.author.as_deref()),
            command: crate::args::command_line(std::env::args_os()),
            store: OnceCell::new(),
        })
    }

    /// Who writes, with which command, from `origin`, recorded now.
    pub fn provenance(&self, origin: &str) -> Result<Provenance, Failure> {
        Ok(Provenance {
            origin: origin.to_string(),
            recorded_at: now()?,
            author: self.author.clone(),
            command: self.command.clone(),
            reason: None,
        })
    }

    /// [`Env::provenance`] of a write that `correction` may let replace what is recorded: with its reason.
    pub fn correcting(&self, origin: &str, correction: &crate::cli::Correction) -> Result<Provenance, Failure> {
        Ok(Provenance { reason: correction.reason()?, ..self.provenance(origin)? })
    }

    /// The store, opened on first use; a new database gets the built-in SEC register.
    pub async fn store(&self) -> Result<&Arc<dyn Store>, Failure> {
        self.store
            .get_or_try_init(|| async {
                let store = open_store(self.db.as_deref()).await?;
                load_builtin_once(store.as_ref(), &self.provenance(BUILTIN_ORIGIN)?).await?;
                Ok::<_, Failure>(store)
            })
            .await
    }

    /// The date taken as today: `INFORCE_TODAY` when set, otherwise the current date in the code's time zone
    /// (its register's `time_zone`; UTC when it declares none or is not stored yet).
    pub async fn today(&self) -> Result<Date, Failure> {
        if let Some(day) = self.fixed_today {
            return Ok(day);
        }
        self.today
            .get_or_try_init(|| async {
                let store = self.store().await?.as_ref();
                let code = inforce_store::code_description(store, &self.code).await?;
                let now = now()?;
                Ok::<_, Failure>(code.map_or_else(|| now.to_zoned(jiff::tz::TimeZone::UTC).date(), |c| c.today(now)))
            })
            .await
            .copied()
    }

    /// `INFORCE_TODAY`, when set.
    pub fn fixed_today(&self) -> Option<Date> {
        self.fixed_today
    }

    /// Closes the store if it was opened, waiting at most two seconds: an unreachable server (a PostgreSQL
    /// outage) never holds the exit.
    pub async fn close(&self) {
        if let Some(store) = self.store.get() {
            let _ = tokio::time::timeout(std::time::Duration::from_secs(2), store.close()).await;
        }
    }

    /// The code's register, as it stands or as it was recorded at `--as-recorded`.
    pub async fn history(&self) -> Result<History, Failure> {
        self.load(false).await
    }

    /// The code's register with the corrections of its records that said why (as they stood at `--as-recorded`):
    /// for answers that show a record beside its corrections.
    pub async fn history_with_corrections(&self) -> Result<History, Failure> {
        let history = self.history().await?;
        self.with_corrections(history).await
    }

    /// `history` with the corrections of the code's records that said why, as recorded at `--as-recorded`.
    pub async fn with_corrections(&self, history: History) -> Result<History, Failure> {
        let store = self.store().await?.as_ref();
        let times = inforce_store::corrections(store, &self.code, self.as_recorded).await?;
        Ok(history.with_record_times(times))
    }

    /// The code's register and texts, as they stand or as they were recorded at `--as-recorded`.
    pub async fn history_with_texts(&self) -> Result<History, Failure> {
        self.load(true).await
    }

    /// The code's register and texts as they stand now, whatever `--as-recorded` says: for what is kept
    /// beside the database (`inforce reindex`).
    pub async fn current_history_with_texts(&self) -> Result<History, Failure> {
        self.load_as_of(true, None).await
    }

    async fn load(&self, with_texts: bool) -> Result<History, Failure> {
        self.load_as_of(with_texts, self.as_recorded).await
    }

    async fn load_as_of(&self, with_texts: bool, as_of: Option<Timestamp>) -> Result<History, Failure> {
        let store = self.store().await?.as_ref();
        let loaded = crate::kept::history(store, self.db.as_deref(), &self.code, as_of, with_texts).await?;
        match loaded {
            Some(history) => Ok(history),
            None => Err(self.no_register().await?),
        }
    }

    /// A code's register and texts read from the ledger itself, passing by the kept copy: for `inforce check`.
    /// `None` when nothing is recorded for it (as recorded at `--as-recorded`).
    pub async fn history_from_ledger(&self, code: &CodeId) -> Result<Option<History>, Failure> {
        let store = self.store().await?.as_ref();
        Ok(crate::kept::from_ledger(store, code, self.as_recorded, true).await?.map(|(loaded, texts)| {
            let published = loaded.publication.recorded_at;
            History::with_texts(loaded.register, texts.unwrap_or_default()).with_last_publication(published)
        }))
    }

    /// The failure when the code asked for has no register.
    pub async fn no_register_failure(&self) -> Failure {
        match self.no_register().await {
            Ok(failure) | Err(failure) => failure,
        }
    }

    async fn no_register(&self) -> Result<Failure, Failure> {
        let codes: Vec<String> = self.store().await?.codes().await?.iter().map(ToString::to_string).collect();
        let when = if self.as_recorded.is_some() { " as recorded then" } else { "" };
        Ok(Failure::NotFound(format!(
            "no register for code '{}'{when} (codes in this database: {})",
            self.code,
            if codes.is_empty() { "none".to_string() } else { codes.join(", ") }
        )))
    }
}

/// Gives a new database the built-in SEC register, and a database whose SEC records all came from the built-in
/// register this build's edition of it: only the differences are published, as corrections recorded now (origin
/// `builtin`), so `--as-recorded` still shows what was said before. A register someone has edited is left alone
/// (`inforce register upgrade-builtin` merges the new edition on request).
async fn load_builtin_once(store: &dyn Store, by: &Provenance) -> Result<(), Failure> {
    let sec = code_id(DEFAULT_CODE)?;
    let publications = store.publications(&sec).await?;
    if publications.iter().any(|p| p.origin != BUILTIN_ORIGIN) {
        return Ok(());
    }
    let register = builtin_register()?;
    publish_register(store, &register, by).await?;
    Ok(())
}

/// The origin of publications made from the built-in register.
pub const BUILTIN_ORIGIN: &str = "builtin";

/// The built-in register, parsed. It is checked by the test suite, so failing here means a broken build.
pub fn builtin_register() -> Result<Register, Failure> {
    inforce_formats::parse_register("data/sec.toml (built in)", BUILTIN_SEC)
        .map_err(|e| Failure::Environment(format!("the built-in register is invalid:\n{e}")))
}
