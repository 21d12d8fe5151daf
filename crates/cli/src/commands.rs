//! Wiring: open the store, load the register, call the core, print the answer.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use inforce_core::diff::DiffOptions;
use inforce_core::{CodeId, History, ProvisionId, Register};
use inforce_store::{PublishOutcome, Store, publish_register};
use inforce_store_postgres::PostgresStore;
use inforce_store_sqlite::{OpenOptions, SqliteStore};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use crate::changes::{self, ConsultationCommand, DocCommand, ModCommand};
use crate::kept::{Kept, kept_path};
use crate::texts::{self, ImportTarget};
use crate::{Cli, Command, Failure, Format, RegisterCommand};
use inforce_present::plain as text;
use inforce_present::wire::{AtJson, ConsultationsJson, ProvisionHistoryJson, StatusJson, TimelineJson, VersionsJson};

/// The built-in SEC register, carried in the binary so a new machine needs nothing else.
const BUILTIN_SEC: &str = include_str!("../../../data/sec.toml");
/// The code asked about when `--code` is not given.
const DEFAULT_CODE: &str = "sec";

/// Runs one command.
pub async fn run(cli: Cli) -> Result<(), Failure> {
    let today = today()?;
    let as_recorded = cli.as_recorded.as_deref().map(end_of_recorded_day).transpose()?;
    let code = code_id(cli.code.as_deref().unwrap_or(DEFAULT_CODE))?;
    let out = Output { format: cli.format };
    if let Command::Copy { from, to } = &cli.command {
        let (source, target) = (open_store(Some(from)).await?, open_store(Some(to)).await?);
        let copied = copy(source.as_ref(), target.as_ref(), &out).await;
        source.close().await;
        target.close().await;
        return copied;
    }
    let store = open_store(cli.db.as_deref()).await?;
    if let Command::Serve { addr, log_format, access_log } = cli.command {
        inforce_web::log::set_format(log_format);
        load_builtin_once(store.as_ref()).await?;
        let store: std::sync::Arc<dyn Store> = std::sync::Arc::from(store);
        let options = inforce_web::SiteOptions {
            default_code: code,
            today: std::env::var("INFORCE_TODAY").is_ok().then_some(today),
            poll: Duration::from_secs(1),
            access_log,
        };
        let served = inforce_web::serve(store.clone(), addr, options, |bound| {
            println!("inforce is serving on http://{bound}/ (Ctrl-C to stop)");
        })
        .await;
        store.close().await;
        return served.map_err(Failure::Environment);
    }
    if let Command::ExportSite { outdir } = &cli.command {
        load_builtin_once(store.as_ref()).await?;
        let store: std::sync::Arc<dyn Store> = std::sync::Arc::from(store);
        let exported = export_site(store.clone(), code, today, outdir, &out).await;
        store.close().await;
        return exported;
    }
    let result = run_on(store.as_ref(), cli, code, today, as_recorded, &out).await;
    store.close().await;
    result
}

async fn run_on(
    store: &dyn Store,
    cli: Cli,
    code: CodeId,
    today: Date,
    as_recorded: Option<Timestamp>,
    out: &Output,
) -> Result<(), Failure> {
    load_builtin_once(store).await?;
    let db = cli.db.clone();
    let db = db.as_deref();
    let target = || ImportTarget { store, code: cli.code.as_deref(), recorded_at: Timestamp::now() };
    match &cli.command {
        Command::Import { dir, title } => {
            let target = ImportTarget { recorded_at: now()?, ..target() };
            let history = texts::import_folder(target, dir, title.clone(), out).await?;
            return grow_search_index(&history, cli.db.as_deref());
        }
        Command::ImportVersion { dir, version, effective, label, remove } => {
            let target = ImportTarget { recorded_at: now()?, ..target() };
            let history = texts::import_version(target, dir, version, effective, label.clone(), remove, out).await?;
            return grow_search_index(&history, cli.db.as_deref());
        }
        Command::Reindex => {
            let history = load_with_texts(store, db, &code, None).await?;
            let path = kept_path(db, &code, Kept::Search)?;
            return crate::search::reindex(&path, &history, out);
        }
        Command::Search { query, point, all_versions, within, page, per_page } => {
            let history = load_with_texts(store, db, &code, as_recorded).await?;
            // The index kept beside the database serves the register as it stands; an as-recorded question
            // builds its own.
            if as_recorded.is_none() {
                let path = kept_path(db, &code, Kept::Search)?;
                let (index, _) = crate::search::kept_index(&path, &history);
                history.adopt_search_index(index);
            }
            let args = crate::search::SearchArgs {
                query,
                point,
                all_versions: *all_versions,
                within: within.as_deref(),
                page: *page,
                per_page: *per_page,
            };
            return crate::search::search(&history, &args, today, out);
        }
        Command::Check => {
            // The ledger itself: a kept copy must not hide damage to it.
            let history = load_from_ledger(store, &code, as_recorded).await?;
            return texts::check(&history, out);
        }
        Command::Show { .. }
        | Command::Export { .. }
        | Command::Diff { .. }
        | Command::Blame { .. }
        | Command::History { .. } => {
            let history = load_with_texts(store, db, &code, as_recorded).await?;
            return text_answer(&history, &cli.command, today, out);
        }
        _ => {}
    }
    match cli.command {
        Command::Mod {
            action: action @ (ModCommand::New { .. } | ModCommand::Advance { .. } | ModCommand::Update { .. }),
        } => changes::write_mod(store, &code, &action, today, now()?, out).await,
        Command::Mod { action } => {
            let history = load(store, db, &code, as_recorded).await?;
            changes::answer_mod(&history, &action, today, out)
        }
        Command::Consultation { action: action @ ConsultationCommand::Add { .. } } => {
            changes::write_consultation(store, &code, &action, today, now()?, out).await
        }
        Command::Consultation { action: ConsultationCommand::Show { id } } => {
            let history = load(store, db, &code, as_recorded).await?;
            changes::answer_consultation(&history, &id, today, out)
        }
        Command::Doc { action: action @ DocCommand::Add { .. } } => {
            changes::write_doc(store, &code, &action, now()?, out).await
        }
        Command::Doc { action: DocCommand::List { attached_to } } => {
            let history = load(store, db, &code, as_recorded).await?;
            changes::answer_docs(&history, attached_to.as_deref(), out)
        }
        Command::Doc { action: DocCommand::Get { id, output } } => {
            let history = load(store, db, &code, as_recorded).await?;
            changes::get_doc(store, history.register(), &id, output.as_deref()).await
        }
        Command::Planned => {
            let history = load(store, db, &code, as_recorded).await?;
            changes::answer_planned(&history, out)
        }
        Command::Register { action: RegisterCommand::Import { file } } => {
            import_register(store, &file, cli.code.as_deref(), out).await
        }
        Command::Register { action: RegisterCommand::Export { output } } => {
            let register = load(store, db, &code, as_recorded).await?.register().clone();
            export_register(&register, output.as_deref())
        }
        Command::Codes => {
            let codes: Vec<String> = store.codes().await?.iter().map(ToString::to_string).collect();
            out.print(&serde_json::json!({ "codes": codes }), || codes.join("\n"))
        }
        Command::Publications => {
            let publications = store.publications(&code).await?;
            let rows: Vec<serde_json::Value> = publications
                .iter()
                .map(|p| {
                    serde_json::json!({
                        "id": p.id, "recorded_at": p.recorded_at.to_string(),
                        "origin": p.origin, "records": p.record_count,
                    })
                })
                .collect();
            out.print(&serde_json::json!({ "code": code.to_string(), "publications": rows }), || {
                publications_text(&publications)
            })
        }
        command => {
            let history = load(store, db, &code, as_recorded).await?;
            answer(&history, command, today, out)
        }
    }
}

/// Questions that need the texts as well as the register.
fn text_answer(history: &History, command: &Command, today: Date, out: &Output) -> Result<(), Failure> {
    match command {
        Command::Show { provision, point } => texts::show(history, provision, point, today, out),
        Command::Export { outdir, point } => texts::export(history, outdir, point, today, out),
        Command::Diff { a, b, provision, ignore_formatting } => {
            let options = DiffOptions { ignore_formatting: *ignore_formatting };
            texts::diff(history, a, b, provision.as_deref(), options, today, out)
        }
        Command::Blame { provision, point } => texts::blame(history, provision, point, today, out),
        Command::History { provision } => {
            let id = provision_id(history, provision)?;
            let provision = history.provision(&id).ok_or_else(|| not_found(history, &id))?;
            let items = history.provision_history(&id);
            let wording = history.text_history(&id);
            let json = ProvisionHistoryJson::new(history, provision, today);
            out.print(&json, || {
                let mut page = text::provision_history(provision, &items, today);
                page.push_str(&text::wording_history(&wording, history.has_texts(), today));
                page
            })
        }
        _ => Ok(()),
    }
}

/// Commands that are pure questions about a loaded register.
fn answer(history: &History, command: Command, today: Date, out: &Output) -> Result<(), Failure> {
    match command {
        Command::Versions => out.print(&VersionsJson::new(history, today), || text::versions(history, today)),
        Command::At { date } => {
            let date = parse_date(&date, today)?;
            // Every provision's status is a large answer: its JSON is built only when JSON is asked for.
            out.print_with(|| AtJson::new(history, date, today), || text::at(history, date, today))
        }
        Command::Status { provision, at } => {
            let date = at.as_deref().map(|d| parse_date(d, today)).transpose()?.unwrap_or(today);
            let id = provision_id(history, &provision)?;
            let answer = history.status(&id, date).ok_or_else(|| not_found(history, &id))?;
            let json = StatusJson::new(history, &answer, date, today);
            out.print(&json, || text::status(&answer, today))
        }
        Command::Timeline { from, to } => {
            let from = from.as_deref().map(|d| parse_date(d, today)).transpose()?;
            let to = to.as_deref().map(|d| parse_date(d, today)).transpose()?;
            if let (Some(from), Some(to)) = (from, to)
                && from > to
            {
                return Err(Failure::Usage(format!("--from {from} is after --to {to}")));
            }
            let json = TimelineJson::new(history, from, to, today);
            out.print(&json, || text::timeline(&history.timeline(from, to), today))
        }
        Command::Consultations => {
            let consultations = &history.register().consultations;
            let json = ConsultationsJson::new(history, consultations, today);
            out.print(&json, || text::consultations(consultations, today))
        }
        _ => Ok(()),
    }
}

/// How answers are printed.
#[derive(Clone, Copy)]
pub struct Output {
    /// The format asked for.
    pub format: Format,
}

impl Output {
    /// Like [`Output::print`], building the JSON only when it is asked for.
    pub fn print_with<T: Serialize>(
        &self,
        json: impl FnOnce() -> T,
        text: impl FnOnce() -> String,
    ) -> Result<(), Failure> {
        match self.format {
            Format::Json => self.print(&json(), text),
            _ => self.print(&(), text),
        }
    }

    /// Prints JSON or text, as asked; other formats are refused for commands that do not write them.
    pub fn print<T: Serialize>(&self, json: &T, text: impl FnOnce() -> String) -> Result<(), Failure> {
        let rendered = match self.format {
            Format::Json => serde_json::to_string_pretty(json)
                .map_err(|e| Failure::Environment(format!("cannot write JSON: {e}")))?,
            Format::Text => text(),
            Format::Html => return Err(Failure::Usage("--format html is only available for diff".into())),
            Format::Markdown => return Err(Failure::Usage("--format markdown is only available for export".into())),
        };
        let mut stdout = std::io::stdout().lock();
        // A closed pipe (`inforce at today | head`) is not an error worth reporting.
        let _ = writeln!(stdout, "{}", rendered.trim_end());
        Ok(())
    }
}

/// Today's date: `INFORCE_TODAY` when set (for reproducible runs and tests), otherwise the UTC date of `now()`.
fn today() -> Result<Date, Failure> {
    match std::env::var("INFORCE_TODAY") {
        Ok(text) => inforce_core::date::parse_day(&text)
            .ok_or_else(|| Failure::Usage(format!("INFORCE_TODAY='{text}' is not a date: expected YYYY-MM-DD"))),
        Err(_) => Ok(now()?.to_zoned(TimeZone::UTC).date()),
    }
}

/// The clock for record times: `INFORCE_NOW` (RFC 3339) when set, so that tests and demonstrations can record
/// on chosen days; otherwise the system clock.
fn now() -> Result<Timestamp, Failure> {
    match std::env::var("INFORCE_NOW") {
        Ok(text) => text.parse().map_err(|e| {
            Failure::Usage(format!("INFORCE_NOW='{text}' is not a timestamp such as 2026-01-01T09:00:00Z: {e}"))
        }),
        Err(_) => Ok(Timestamp::now()),
    }
}

/// Reads a date argument: `YYYY-MM-DD` or `today`.
pub fn parse_date(text: &str, today: Date) -> Result<Date, Failure> {
    if text.trim().eq_ignore_ascii_case("today") {
        return Ok(today);
    }
    inforce_core::date::parse_day(text.trim())
        .ok_or_else(|| Failure::Usage(format!("'{text}' is not a date: expected YYYY-MM-DD (ISO 8601) or 'today'")))
}

/// The last instant of a day in UTC: `--as-recorded 2026-01-01` sees everything recorded on that day.
fn end_of_recorded_day(text: &str) -> Result<Timestamp, Failure> {
    let today = today()?;
    let day = parse_date(text, today).map_err(|e| Failure::Usage(format!("--as-recorded: {}", e.message())))?;
    let next = day
        .tomorrow()
        .and_then(|d| d.to_zoned(TimeZone::UTC))
        .map_err(|e| Failure::Usage(format!("--as-recorded {text}: {e}")))?;
    Ok(next.timestamp() - SignedDuration::from_micros(1))
}

fn code_id(text: &str) -> Result<CodeId, Failure> {
    CodeId::parse(text).map_err(|e| Failure::Usage(format!("--code: {e}")))
}

pub fn provision_id(history: &History, text: &str) -> Result<ProvisionId, Failure> {
    let id = ProvisionId::parse(text).map_err(|e| Failure::Usage(e.to_string()))?;
    match history.provision(&id) {
        Some(_) => Ok(id),
        None => Err(not_found(history, &id)),
    }
}

fn not_found(history: &History, id: &ProvisionId) -> Failure {
    let register = history.register();
    let similar: Vec<&str> = register
        .provisions
        .iter()
        .map(|p| p.id.as_str())
        .filter(|p| p.starts_with(id.as_str()) || id.as_str().starts_with(*p))
        .take(5)
        .collect();
    let hint = if similar.is_empty() { String::new() } else { format!(" (did you mean {}?)", similar.join(", ")) };
    Failure::NotFound(format!("no provision '{id}' in the {} register{hint}", register.code.id))
}

/// Where the register lives: a PostgreSQL URL or a SQLite file.
pub(crate) enum Database {
    Postgres(String),
    Sqlite(PathBuf),
}

/// The database: `--db`, then `INFORCE_DB` (both handled by clap), then the per-user data folder.
pub(crate) fn database(db: Option<&Path>) -> Result<Database, Failure> {
    if let Some(db) = db {
        let text = db.to_string_lossy();
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            return Ok(Database::Postgres(text.into_owned()));
        }
        let path = text.strip_prefix("sqlite://").or_else(|| text.strip_prefix("sqlite:")).unwrap_or(&text);
        return Ok(Database::Sqlite(PathBuf::from(path)));
    }
    let data_home = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local").join("share")))
        .ok_or_else(|| Failure::Usage("no --db given and neither XDG_DATA_HOME nor HOME is set".into()))?;
    Ok(Database::Sqlite(data_home.join("inforce").join("inforce.db")))
}

/// After an import: the kept search index takes the new wordings (or is built if missing or damaged). A failure
/// here never undoes the import; the next search rebuilds what it needs.
fn grow_search_index(history: &History, db: Option<&Path>) -> Result<(), Failure> {
    let path = kept_path(db, &history.register().code.id, Kept::Search)?;
    let (_, kept) = crate::search::kept_index(&path, history);
    if let crate::search::Kept::Unsaved(reason) = kept {
        eprintln!("inforce: the search index was not saved ({reason}); searches will rebuild it");
    }
    Ok(())
}

async fn open_store(db: Option<&Path>) -> Result<Box<dyn Store>, Failure> {
    match database(db)? {
        Database::Postgres(url) => Ok(Box::new(PostgresStore::open(&url).await?)),
        Database::Sqlite(path) => {
            let busy_timeout = std::env::var("INFORCE_BUSY_TIMEOUT_MS")
                .ok()
                .and_then(|ms| ms.parse().ok())
                .map_or(OpenOptions::default().busy_timeout, Duration::from_millis);
            Ok(Box::new(SqliteStore::open(&path, OpenOptions { busy_timeout }).await?))
        }
    }
}

/// Copies every publication of every code into a store that holds none of those codes, and says what was copied.
async fn copy(from: &dyn Store, to: &dyn Store, out: &Output) -> Result<(), Failure> {
    let summary = inforce_store::copy(from, to).await.map_err(|e| match e {
        inforce_store::CopyError::Clash { .. } => Failure::Usage(e.to_string()),
        inforce_store::CopyError::Store(e) => e.into(),
    })?;
    let (copied, records) = (summary.publications, summary.records);
    let names: Vec<String> = summary.codes.iter().map(ToString::to_string).collect();
    let json = serde_json::json!({ "codes": names, "publications": copied, "records": records });
    out.print(&json, || format!("copied {copied} publications ({records} records) of {}", names.join(", ")))
}

/// Loads the built-in SEC register the first time a database is used; never again, so that corrections
/// published since are not overwritten.
async fn load_builtin_once(store: &dyn Store) -> Result<(), Failure> {
    let sec = code_id(DEFAULT_CODE)?;
    if !store.publications(&sec).await?.is_empty() {
        return Ok(());
    }
    let register = builtin_register()?;
    publish_register(store, &register, "builtin", now()?).await?;
    Ok(())
}

/// The built-in register, parsed. It is checked by the test suite, so failing here means a broken build.
pub fn builtin_register() -> Result<Register, Failure> {
    inforce_formats::parse_register("data/sec.toml (built in)", BUILTIN_SEC)
        .map_err(|e| Failure::Environment(format!("the built-in register is invalid:\n{e}")))
}

/// The register and its texts, as they stand or stood at a record time.
async fn load_with_texts(
    store: &dyn Store,
    db: Option<&Path>,
    code: &CodeId,
    as_of: Option<Timestamp>,
) -> Result<History, Failure> {
    load_history(store, db, code, as_of, true).await
}

/// The register only.
async fn load(
    store: &dyn Store,
    db: Option<&Path>,
    code: &CodeId,
    as_of: Option<Timestamp>,
) -> Result<History, Failure> {
    load_history(store, db, code, as_of, false).await
}

async fn load_history(
    store: &dyn Store,
    db: Option<&Path>,
    code: &CodeId,
    as_of: Option<Timestamp>,
    with_texts: bool,
) -> Result<History, Failure> {
    match crate::kept::history(store, db, code, as_of, with_texts).await? {
        Some(history) => Ok(history),
        None => Err(no_register(store, code, as_of).await?),
    }
}

/// The register and texts read from the ledger itself, passing by the kept copy: for `inforce check`.
async fn load_from_ledger(store: &dyn Store, code: &CodeId, as_of: Option<Timestamp>) -> Result<History, Failure> {
    match crate::kept::from_ledger(store, code, as_of, true).await? {
        Some((loaded, texts)) => Ok(History::with_texts(loaded.register, texts.unwrap_or_default())),
        None => Err(no_register(store, code, as_of).await?),
    }
}

async fn no_register(store: &dyn Store, code: &CodeId, as_of: Option<Timestamp>) -> Result<Failure, Failure> {
    let codes: Vec<String> = store.codes().await?.iter().map(ToString::to_string).collect();
    let when = if as_of.is_some() { " as recorded then" } else { "" };
    Ok(Failure::NotFound(format!(
        "no register for code '{code}'{when} (codes in this database: {})",
        if codes.is_empty() { "none".to_string() } else { codes.join(", ") }
    )))
}

async fn import_register(
    store: &dyn Store,
    file: &Path,
    expected_code: Option<&str>,
    out: &Output,
) -> Result<(), Failure> {
    let name = file.display().to_string();
    let bytes = std::fs::read(file).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Failure::NotFound(format!("{name}: no such file")),
        _ => Failure::Usage(format!("{name}: cannot read: {e}")),
    })?;
    let text = String::from_utf8(bytes)
        .map_err(|e| Failure::Usage(format!("{name}: not UTF-8 text (byte {})", e.utf8_error().valid_up_to())))?;
    let register = inforce_formats::parse_register(&name, &text).map_err(|e| {
        let count = e.problems.len();
        let plural = if count == 1 { "problem" } else { "problems" };
        Failure::Usage(format!("{name} refused, nothing was stored ({count} {plural}):\n{e}"))
    })?;
    if let Some(expected) = expected_code
        && code_id(expected)? != register.code.id
    {
        return Err(Failure::Usage(format!(
            "{name} is the register of '{}', not '{expected}' as --code says",
            register.code.id
        )));
    }
    let outcome = publish_register(store, &register, &format!("file:{name}"), now()?).await?;
    let code = register.code.id.to_string();
    let (json, line) = match &outcome {
        PublishOutcome::Unchanged => (
            serde_json::json!({ "code": code, "changed": false, "records": 0 }),
            format!("{code}: already up to date; nothing written"),
        ),
        PublishOutcome::Published(p) => (
            serde_json::json!({
                "code": code, "changed": true, "publication": p.id,
                "records": p.record_count, "recorded_at": p.recorded_at.to_string(),
            }),
            format!("{code}: publication {} recorded at {}, {} records written", p.id, p.recorded_at, p.record_count),
        ),
    };
    out.print(&json, || line)
}

fn export_register(register: &Register, output: Option<&Path>) -> Result<(), Failure> {
    let text = inforce_formats::write_register(register);
    let Some(path) = output else {
        let _ = std::io::stdout().lock().write_all(text.as_bytes());
        return Ok(());
    };
    // Write beside the target and rename, so a reader never sees half a file.
    let temporary = path.with_extension("toml.partial");
    std::fs::write(&temporary, &text)
        .and_then(|()| std::fs::rename(&temporary, path))
        .map_err(|e| Failure::Environment(format!("{}: cannot write: {e}", path.display())))
}

/// `export-site`: the site as static files, rendered by the same routes `serve` runs.
async fn export_site(
    store: std::sync::Arc<dyn Store>,
    code: CodeId,
    today: Date,
    outdir: &std::path::Path,
    out: &Output,
) -> Result<(), Failure> {
    let options = inforce_web::SiteOptions {
        default_code: code,
        today: Some(today),
        poll: Duration::from_secs(1),
        access_log: false,
    };
    let site = inforce_web::Site::load(store, options).await.map_err(|e| Failure::Environment(e.to_string()))?;
    let spinner = (out.format == Format::Text && std::io::IsTerminal::is_terminal(&std::io::stderr())).then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        if let Ok(style) = indicatif::ProgressStyle::with_template("exporting {pos} files {spinner}") {
            bar.set_style(style);
        }
        bar
    });
    let summary = inforce_web::export::export_site(site, outdir, |count| {
        if let Some(bar) = &spinner {
            bar.set_position(count as u64);
        }
    })
    .await
    .map_err(|e| Failure::Usage(format!("export-site: {e}")))?;
    if let Some(bar) = spinner {
        bar.finish_and_clear();
    }
    let json = serde_json::json!({
        "outdir": outdir.display().to_string(),
        "pages": summary.pages,
        "documents": summary.documents,
        "bytes": summary.bytes,
        "today": today.to_string(),
    });
    out.print(&json, || {
        format!(
            "wrote {} pages and {} documents ({} bytes) to {}, as of {}\n",
            summary.pages,
            summary.documents,
            summary.bytes,
            outdir.display(),
            inforce_core::date::human_date(today)
        )
    })
}

/// Publications with their record times.
fn publications_text(publications: &[inforce_store::Publication]) -> String {
    let mut out = String::new();
    for p in publications {
        out.push_str(&format!("{:>4}  {}  {:>5} records  {}\n", p.id, p.recorded_at, p.record_count, p.origin));
    }
    if publications.is_empty() {
        out.push_str("No publications recorded for this code.\n");
    }
    out
}
