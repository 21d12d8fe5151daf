//! The command line's grammar: every command, flag and argument, as clap reads them. Each command's arguments
//! are a type of their own, so the dispatcher hands a command exactly what it needs.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// The register and publication system for versioned codes. Without --db, the register lives in
/// $XDG_DATA_HOME/inforce/inforce.db (usually ~/.local/share/inforce/inforce.db); the built-in Smart Energy Code
/// register is loaded into it on first use.
#[derive(Parser)]
#[command(name = "inforce", version, about, max_term_width = 110)]
pub struct Cli {
    /// The database: a SQLite file path (created if missing) or a postgres:// URL.
    #[arg(long, global = true, env = "INFORCE_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// The code to ask about.
    #[arg(long, global = true, value_name = "CODE")]
    pub code: Option<String>,
    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Answer from the register as it was recorded at the end of this day (UTC), ignoring later corrections.
    #[arg(long, global = true, value_name = "DATE")]
    pub as_recorded: Option<String>,
    /// Who makes the publications this command writes (default: the operating-system user).
    #[arg(long, global = true, env = "INFORCE_AUTHOR", value_name = "NAME")]
    pub author: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

/// Output formats.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people.
    Text,
    /// For programs.
    Json,
    /// A web page (diff only).
    Html,
    /// Markdown files (export only).
    Markdown,
}

/// A point in time for text commands: a date or a version (default: today).
#[derive(clap::Args)]
pub struct PointArgs {
    /// As it stood on this date (YYYY-MM-DD or `today`).
    #[arg(long, value_name = "DATE", conflicts_with = "version")]
    pub at: Option<String>,
    /// As it stood once this version (or event) had taken effect.
    #[arg(long, value_name = "VERSION")]
    pub version: Option<String>,
}

/// The commands.
#[derive(Subcommand)]
pub enum Command {
    /// List the versions: number, effective date, instrument, summary; planned ones marked. `versions add`
    /// records one without texts.
    Versions {
        #[command(subcommand)]
        action: Option<VersionsCommand>,
    },
    /// The version in force on a date and every provision's status then.
    At(AtArgs),
    /// A provision's status on a date, and why.
    Status(StatusArgs),
    /// Every version and event that touched a provision, in date order.
    History(HistoryArgs),
    /// Every version and event, in date order.
    Timeline(TimelineArgs),
    /// The consultations on the code, open or closed today.
    Consultations,
    /// The codes in the database.
    Codes,
    /// The publications that wrote the register, with their record times (for --as-recorded).
    Publications,
    /// Every write (publication) with its author, command, reason and base: every code, or the one --code names;
    /// --by, --from and --to narrow it.
    Audit(AuditArgs),
    /// Serve the website, JSON API and feeds (the main job). Prints the address to open.
    Serve(ServeArgs),
    /// Write every public page, feed and API document as static files, for any web server, a CDN or the file
    /// system. Built beside OUTDIR and moved into place whole; OUTDIR must be new, empty or an earlier export.
    ExportSite(ExportSiteArgs),
    /// Import a versioned folder: versions.tsv, one folder per version, one Markdown file per provision. All or
    /// nothing; running it again on the same folder writes nothing; a grown folder adds only its new versions.
    Import(ImportArgs),
    /// Add one version from a folder holding only the provisions it changed (and removed.txt, one id per line, for
    /// those it takes out); everything else carries over.
    ImportVersion(ImportVersionArgs),
    /// Import Word (.docx) documents, one Section each, as one new version at clause level: clauses numbered as
    /// Word shows them, sub-sections created where the register lacks them, other Sections carried over. All or
    /// nothing.
    ImportDocx(ImportDocxArgs),
    /// Report a Word document's tracked changes (kind, author, date, clause, text), without importing it.
    DocxChanges(DocxChangesArgs),
    /// List every disagreement between the texts and the register's change lists, after checking the stored
    /// history against its publication log (as `verify` does, same exit status). Every code, or the one --code
    /// names.
    Check,
    /// Signing keys for the publication log's checkpoints.
    Key {
        #[command(subcommand)]
        action: KeyCommand,
    },
    /// Check the stored history against its publication log: every publication's digest recomputed from its
    /// content, the chain, every text, change list and document file rehashed. Exit 4 names the first publication
    /// of a code that does not match. Every code, or the one --code names.
    Verify(VerifyArgs),
    /// A provision's text and status at a date or version.
    Show(ShowArgs),
    /// Search the texts: words, "exact phrases", prefix*, heading:word, AND/OR/NOT and parentheses. By default the
    /// wordings in force today; --at, --version or --all-versions choose others. Results are grouped by provision,
    /// heading matches first, each wording with the periods it was in force.
    Search(SearchArgs),
    /// Rebuild the code's search index from the register (it is kept beside the database and otherwise kept up
    /// to date by imports; a missing or damaged one is rebuilt by the next search).
    Reindex,
    /// Write the whole code as it stood (index with every status, one file per provision) into a folder.
    Export(ExportArgs),
    /// Compare two points (each a version or a date): a summary, then a word-level redline.
    Diff(DiffArgs),
    /// Every run of words of a provision's text with the version that gave it its present wording.
    Blame(BlameArgs),
    /// Copy every code, publication and record (with its record time) from one database to another.
    Copy(CopyArgs),
    /// Modification proposals: raise one, move it along the code's change process, show one, list them.
    Mod {
        #[command(subcommand)]
        action: ModCommand,
    },
    /// Consultations: record one or show one (`inforce consultations` lists them).
    Consultation {
        #[command(subcommand)]
        action: ConsultationCommand,
    },
    /// Changes announced but not yet tied to a proposal or a version.
    Planned,
    /// Guidance and documents: store one (once, by content hash), list them, write one out.
    Doc {
        #[command(subcommand)]
        action: DocCommand,
    },
    /// Import or export a whole register file.
    Register {
        #[command(subcommand)]
        action: RegisterCommand,
    },
}

/// Register file commands.
#[derive(Subcommand)]
pub enum RegisterCommand {
    /// Check a register file and store it: all of it or, if anything is wrong, nothing.
    Import(RegisterImportArgs),
    /// Write the stored register as a register file.
    Export(RegisterExportArgs),
    /// Show what the built-in SEC register of this build changes since the one the database was given, and with
    /// --apply publish it, keeping every record someone else edited.
    UpgradeBuiltin(UpgradeBuiltinArgs),
}

/// The arguments of `at`.
#[derive(clap::Args)]
pub struct AtArgs {
    /// A date (YYYY-MM-DD) or `today`.
    pub date: String,
}

/// The arguments of `status`.
#[derive(clap::Args)]
pub struct StatusArgs {
    /// A provision id in any usual spelling: H15, h15, "Schedule 2", "Appendix G".
    pub provision: String,
    /// The date (YYYY-MM-DD or `today`; default today).
    #[arg(long, value_name = "DATE")]
    pub at: Option<String>,
}

/// The arguments of `history`.
#[derive(clap::Args)]
pub struct HistoryArgs {
    /// A provision id in any usual spelling.
    pub provision: String,
}

/// The arguments of `timeline`.
#[derive(clap::Args)]
pub struct TimelineArgs {
    /// Only those taking effect on or after this date.
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Only those taking effect on or before this date.
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
}

/// The arguments of `serve`.
#[derive(clap::Args)]
pub struct ServeArgs {
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080", env = "INFORCE_ADDR")]
    pub addr: std::net::SocketAddr,
    /// How log lines on standard error are written: logfmt or json.
    #[arg(long, default_value = "logfmt", env = "INFORCE_LOG_FORMAT")]
    pub log_format: inforce_web::log::LogFormat,
    /// Also log every request (method, path, status, milliseconds).
    #[arg(long, env = "INFORCE_ACCESS_LOG")]
    pub access_log: bool,
    /// The address readers reach the site at (https://sec.example.org): feeds link to it. Without it, feeds
    /// link to http://ADDR, with a warning at start.
    #[arg(long, value_name = "URL", env = "INFORCE_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// The most memory rendered answers are kept in: bytes, or with KiB, MiB or GiB (default 256MiB; 0 keeps
    /// none). The least recently used go first.
    #[arg(long, value_name = "SIZE", env = "INFORCE_CACHE_BYTES", value_parser = parse_size)]
    pub cache_bytes: Option<usize>,
    /// The most connections served at once; one more is answered 503 and closed (default 1024, or fewer when
    /// the process may open fewer files).
    #[arg(long, value_name = "N", env = "INFORCE_MAX_CONNECTIONS", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: Option<u32>,
    /// Seconds a client may take to send its request headers (and an idle connection is kept), default 10.
    #[arg(long, value_name = "SECONDS", env = "INFORCE_HEADER_TIMEOUT", value_parser = clap::value_parser!(u64).range(1..))]
    pub header_timeout: Option<u64>,
    /// Seconds a request may take to answer, default 10; past it, 503.
    #[arg(long, value_name = "SECONDS", env = "INFORCE_REQUEST_TIMEOUT", value_parser = clap::value_parser!(u64).range(1..))]
    pub request_timeout: Option<u64>,
    /// The memory answers drawn and not yet sent may hold at once: bytes, or with KiB, MiB or GiB (default
    /// 128MiB; 0 sets no budget). Heavy work waits, within the request's time, while they hold more.
    #[arg(long, value_name = "SIZE", env = "INFORCE_HEAVY_MEMORY", value_parser = parse_size)]
    pub heavy_memory: Option<usize>,
    /// The most memory registers as recorded on past days (?as_recorded=) are kept in: bytes, or with KiB, MiB
    /// or GiB (default 256MiB; 0 keeps none, so each such request reads the ledger again). The least recently
    /// used go first.
    #[arg(long, value_name = "SIZE", env = "INFORCE_AS_RECORDED_BYTES", value_parser = parse_size)]
    pub as_recorded_bytes: Option<usize>,
    /// How many comparisons, blames and searches are drawn at once (default: the number of CPU cores).
    #[arg(long, value_name = "N", env = "INFORCE_HEAVY_WORKERS", value_parser = clap::value_parser!(u32).range(1..))]
    pub heavy_workers: Option<u32>,
    /// After SIGTERM or Ctrl-C, seconds the requests in flight may take before the process exits anyway,
    /// default 10.
    #[arg(long, value_name = "SECONDS", env = "INFORCE_SHUTDOWN_TIMEOUT")]
    pub shutdown_timeout: Option<u64>,
    /// Seconds a response may wait for the client to take any more of it, default 30; past it, the response is
    /// abandoned and the connection closed.
    #[arg(long, value_name = "SECONDS", env = "INFORCE_SEND_TIMEOUT", value_parser = clap::value_parser!(u64).range(1..))]
    pub send_timeout: Option<u64>,
    /// The most connections one client address holds at once (default: an eighth of --max-connections, at least
    /// 8); one more is answered 503 and closed.
    #[arg(long, value_name = "N", env = "INFORCE_MAX_CONNECTIONS_PER_ADDRESS", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections_per_address: Option<u32>,
    /// The proxies (address ranges, 10.0.0.0/8, or addresses) whose Forwarded or X-Forwarded-For header names
    /// the client; every per-address limit counts by that address. Without it, no such header is believed.
    #[arg(long, value_name = "CIDR", num_args = 1.., value_delimiter = ',', env = "INFORCE_TRUSTED_PROXIES")]
    pub trusted_proxies: Vec<String>,
    /// The private key (from `inforce key generate`) the site signs its logs' checkpoints with
    /// (/api/v1/{code}/log/checkpoint). Without it, the site publishes its logs but signs no checkpoint.
    #[arg(long, value_name = "FILE", env = "INFORCE_SIGNING_KEY")]
    pub signing_key: Option<PathBuf>,
}

impl ServeArgs {
    /// The limits these flags give, the defaults elsewhere.
    pub fn limits(&self) -> inforce_web::Limits {
        let mut limits = inforce_web::Limits::default();
        let seconds = std::time::Duration::from_secs;
        if let Some(bytes) = self.cache_bytes {
            limits.cache_bytes = bytes;
        }
        if let Some(n) = self.max_connections {
            limits.max_connections = n as usize;
        }
        if let Some(s) = self.header_timeout {
            limits.header_timeout = seconds(s);
        }
        if let Some(s) = self.request_timeout {
            limits.request_timeout = seconds(s);
        }
        if let Some(n) = self.heavy_workers {
            limits.heavy_workers = n as usize;
        }
        if let Some(bytes) = self.heavy_memory {
            limits.heavy_memory = bytes;
        }
        if let Some(bytes) = self.as_recorded_bytes {
            limits.as_recorded_bytes = bytes;
        }
        if let Some(s) = self.shutdown_timeout {
            limits.shutdown_timeout = seconds(s);
        }
        if let Some(s) = self.send_timeout {
            limits.send_timeout = seconds(s);
        }
        if let Some(n) = self.max_connections_per_address {
            limits.max_connections_per_address = Some(n as usize);
        }
        limits
    }

    /// The proxies `--trusted-proxies` names; a usage error names the entry that is not an address range.
    pub fn trusted_proxies(&self) -> Result<inforce_web::client::TrustedProxies, crate::failure::Failure> {
        inforce_web::client::TrustedProxies::parse(self.trusted_proxies.iter().map(String::as_str))
            .map_err(|e| crate::failure::Failure::Usage(format!("--trusted-proxies: {e}")))
    }
}

/// A size in bytes: `268435456`, `256MiB`, `512KiB`, `1GiB` (also `MB`/`M` and the like, read as binary units).
fn parse_size(text: &str) -> Result<usize, String> {
    let trimmed = text.trim();
    let digits = trimmed.find(|c: char| !c.is_ascii_digit()).unwrap_or(trimmed.len());
    let (number, unit) = trimmed.split_at(digits);
    let number: usize = number.parse().map_err(|_| format!("'{text}' is not a size: write bytes, or 256MiB"))?;
    let factor: usize = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => return Err(format!("'{text}' is not a size: the units are KiB, MiB and GiB")),
    };
    number.checked_mul(factor).ok_or_else(|| format!("'{text}' is too large"))
}

/// The arguments of `exportsite`.
#[derive(clap::Args)]
pub struct ExportSiteArgs {
    /// The folder to write.
    pub outdir: PathBuf,
    /// The address the exported site will be published at (https://sec.example.org): feeds link to it.
    /// Without it, feed links are relative to the site's root, with a warning.
    #[arg(long, value_name = "URL", env = "INFORCE_PUBLIC_URL")]
    pub public_url: Option<String>,
}

/// `--replace --reason TEXT`: the one way a write replaces what is recorded (texts of a version, or register
/// records), recorded as a correction with its reason (which the publication's digest covers); `--as-recorded`
/// still shows what was recorded before.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct Correction {
    /// Replace what is recorded where this write says otherwise (a correction). Requires --reason.
    #[arg(long, requires = "reason")]
    pub replace: bool,
    /// Why the recorded text or records are replaced: recorded with the publication and covered by its digest.
    #[arg(long, value_name = "TEXT", requires = "replace")]
    pub reason: Option<String>,
}

impl Correction {
    /// The reason, composed and trimmed; a usage error when it is blank or longer than 1000 characters.
    pub fn reason(&self) -> Result<Option<String>, crate::failure::Failure> {
        checked_reason(self.reason.as_deref())
    }
}

/// Where a record's facts come from, how sure they are and remarks on them, as the commands that correct records
/// take them: each list given replaces the recorded one.
#[derive(clap::Args, Clone, Default)]
pub struct Sourced {
    /// Where the facts come from, replacing the list (repeat for several; "" for none).
    #[arg(long = "source", value_name = "SOURCE")]
    pub sources: Option<Vec<String>>,
    /// How sure the sources are ("" for not said).
    #[arg(long)]
    pub confidence: Option<String>,
    /// Remarks, replacing the list (repeat for several; "" for none).
    #[arg(long = "note", value_name = "NOTE")]
    pub notes: Option<Vec<String>>,
}

/// Why a write changes what is recorded, for the commands that correct records: required when the write replaces
/// or takes away a recorded value (a correction), optional when it only fills in what was empty or adds.
#[derive(clap::Args, Clone, Default)]
pub struct Reason {
    /// Why what is recorded is corrected: recorded with the publication, covered by its digest, and shown beside
    /// the corrected record.
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
}

impl Reason {
    /// The reason, composed and trimmed; a usage error when it is blank or longer than 1000 characters.
    pub fn reason(&self) -> Result<Option<String>, crate::failure::Failure> {
        checked_reason(self.reason.as_deref())
    }
}

/// A reason given on the command line, composed and trimmed; a usage error when it is blank, longer than 1000
/// characters or holds control characters other than line breaks.
fn checked_reason(text: Option<&str>) -> Result<Option<String>, crate::failure::Failure> {
    let Some(text) = text else { return Ok(None) };
    let text = inforce_core::unicode::nfc(text.trim()).into_owned();
    if text.is_empty() {
        return Err(crate::failure::Failure::Usage("--reason: say why what is recorded is replaced".into()));
    }
    if text.chars().count() > 1000 || text.chars().any(|c| c.is_control() && c != '\n') {
        return Err(crate::failure::Failure::Usage(
            "--reason: at most 1000 characters, without control characters".into(),
        ));
    }
    Ok(Some(text))
}

/// The arguments of `import`.
#[derive(clap::Args)]
pub struct ImportArgs {
    /// The folder.
    pub dir: PathBuf,
    /// The code's title, when the import creates the code.
    #[arg(long)]
    pub title: Option<String>,
    /// The code's time zone, an IANA name (Europe/Paris): "today" for the code is the date there (default UTC).
    #[arg(long, value_name = "ZONE")]
    pub time_zone: Option<String>,
    /// The last day the code's list of versions is complete up to (YYYY-MM-DD): after it, and inside recorded
    /// gaps, answers say a version not recorded here may be in force. Without it, the list is complete up to the
    /// day of the code's latest publication.
    #[arg(long, value_name = "DATE")]
    pub complete_until: Option<String>,
    /// Whether the code's first version is its origin (provisions it lists were added by it) or a baseline (the
    /// earliest text recorded: before it, statuses are unknown). Set when given; a code the import creates is
    /// read as a baseline.
    #[arg(long, value_enum, value_name = "baseline|origin")]
    pub first_version: Option<FirstVersionArg>,
    #[command(flatten)]
    pub correction: Correction,
}

/// The arguments of `importversion`.
#[derive(clap::Args)]
pub struct ImportVersionArgs {
    /// The folder of changed provisions.
    pub dir: PathBuf,
    /// The new version's id.
    #[arg(long)]
    pub version: String,
    /// When it takes effect (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub effective: String,
    /// What it did, in a few sentences (`--label` is the older name).
    #[arg(long, alias = "label")]
    pub summary: Option<String>,
    /// What made it: designation, sos_variation, sos_direction, modification, modification+designation,
    /// authority_led_variation or unknown (the default).
    #[arg(long)]
    pub instrument: Option<String>,
    /// When it was made, designated or directed (YYYY-MM-DD, YYYY-MM or YYYY).
    #[arg(long, value_name = "DATE")]
    pub made: Option<String>,
    /// Where the facts come from (repeat for several).
    #[arg(long = "source", value_name = "SOURCE")]
    pub sources: Vec<String>,
    /// A provision the version takes out (repeat for several); adds to removed.txt.
    #[arg(long = "remove", value_name = "PROVISION")]
    pub remove: Vec<String>,
    #[command(flatten)]
    pub correction: Correction,
}

/// `--first-version`: how a code reads its first version (`inforce_core::FirstVersion`).
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FirstVersionArg {
    /// The earliest text recorded, not the code's start: statuses before it are unknown.
    Baseline,
    /// The code's start: what it lists was added by it.
    Origin,
}

impl From<FirstVersionArg> for inforce_core::FirstVersion {
    fn from(arg: FirstVersionArg) -> Self {
        match arg {
            FirstVersionArg::Baseline => Self::Baseline,
            FirstVersionArg::Origin => Self::Origin,
        }
    }
}

/// What `import-docx` does with tracked changes.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TrackedChanges {
    /// Refuse a document that has any, listing them.
    Refuse,
    /// Import the document with every change accepted.
    Accept,
    /// Import the document with every change rejected (as it was before them).
    Reject,
}

/// What `import-docx` does with provisions the register holds under a Section that its document lacks.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MissingProvisions {
    /// Refuse the import, listing them.
    Refuse,
    /// Leave them as they are (the document is partial).
    Keep,
    /// Record them as removed by the new version.
    Removed,
}

/// The arguments of `import-docx`.
#[derive(clap::Args)]
pub struct ImportDocxArgs {
    /// The Word documents, one Section each (`SECTION D: …` as their title).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The new version's id.
    #[arg(long)]
    pub version: String,
    /// When it takes effect (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub effective: String,
    /// The code's title, when the import creates the code.
    #[arg(long)]
    pub title: Option<String>,
    /// What made the version: designation, sos_variation, sos_direction, modification, modification+designation,
    /// authority_led_variation or unknown (the default).
    #[arg(long)]
    pub instrument: Option<String>,
    /// When it was made, designated or directed (YYYY-MM-DD, YYYY-MM or YYYY).
    #[arg(long, value_name = "DATE")]
    pub made: Option<String>,
    /// What it did, in a few sentences.
    #[arg(long)]
    pub summary: Option<String>,
    /// Where the facts come from (repeat for several).
    #[arg(long = "source", value_name = "SOURCE")]
    pub sources: Vec<String>,
    /// Tracked changes: refuse the document (the default), or import it with them accepted or rejected.
    #[arg(long, value_enum, default_value = "refuse")]
    pub tracked: TrackedChanges,
    /// Provisions the register holds under a Section that its document lacks: refuse (the default), keep them,
    /// or record them as removed by this version.
    #[arg(long, value_enum, default_value = "refuse")]
    pub missing: MissingProvisions,
    /// The last day the code's list of versions is complete up to (YYYY-MM-DD): after it, and inside recorded
    /// gaps, answers say a version not recorded here may be in force. Without it, the list is complete up to the
    /// day of the code's latest publication.
    #[arg(long, value_name = "DATE")]
    pub complete_until: Option<String>,
    /// Whether the code's first version is its origin (provisions it lists were added by it) or a baseline (the
    /// earliest text recorded: before it, statuses are unknown). Set when given; a code the import creates is
    /// read as a origin.
    #[arg(long, value_enum, value_name = "baseline|origin")]
    pub first_version: Option<FirstVersionArg>,
    #[command(flatten)]
    pub correction: Correction,
}

/// The arguments of `docx-changes`.
#[derive(clap::Args)]
pub struct DocxChangesArgs {
    /// The Word document.
    pub file: PathBuf,
}

/// The arguments of `show`.
#[derive(clap::Args)]
pub struct ShowArgs {
    /// A provision id in any usual spelling.
    pub provision: String,
    #[command(flatten)]
    pub point: PointArgs,
}

/// The arguments of `search`.
#[derive(clap::Args)]
pub struct SearchArgs {
    /// The query.
    pub query: String,
    #[command(flatten)]
    pub point: PointArgs,
    /// Search every wording ever recorded, not only those in force at one point.
    #[arg(long, conflicts_with_all = ["at", "version"])]
    pub all_versions: bool,
    /// Only this provision and its parts.
    #[arg(long, value_name = "PROVISION")]
    pub within: Option<String>,
    /// The page of results (from 1).
    #[arg(long, default_value_t = 1)]
    pub page: usize,
    /// Results per page (1 to 100).
    #[arg(long, default_value_t = 20)]
    pub per_page: usize,
}

/// The arguments of `export`.
#[derive(clap::Args)]
pub struct ExportArgs {
    /// The folder to write (created; must be empty if it exists).
    pub outdir: PathBuf,
    #[command(flatten)]
    pub point: PointArgs,
}

/// The arguments of `diff`.
#[derive(clap::Args)]
pub struct DiffArgs {
    /// The older point: a version id or a date.
    pub a: String,
    /// The newer point: a version id or a date.
    pub b: String,
    /// Only this provision and its parts.
    #[arg(long, value_name = "PROVISION")]
    pub provision: Option<String>,
    /// Ignore changes of white space and punctuation only.
    #[arg(long)]
    pub ignore_formatting: bool,
}

/// The arguments of `blame`.
#[derive(clap::Args)]
pub struct BlameArgs {
    /// A provision id in any usual spelling.
    pub provision: String,
    #[command(flatten)]
    pub point: PointArgs,
}

/// Key commands.
#[derive(Subcommand)]
pub enum KeyCommand {
    /// Make a new Ed25519 signing key: its private key is written to FILE (readable by its owner only; an
    /// existing file is never overwritten) and its verifier key, for outsiders, is printed.
    Generate(KeyGenerateArgs),
}

/// The arguments of `key generate`.
#[derive(clap::Args)]
pub struct KeyGenerateArgs {
    /// The file to write the private key to.
    pub file: PathBuf,
    /// The key's name: usually the host readers reach the site at (sec.example.org); no spaces or '+'.
    #[arg(long, default_value = "inforce")]
    pub name: String,
}

/// The arguments of `verify`.
#[derive(clap::Args)]
pub struct VerifyArgs {
    /// Check a running site as an outsider would, instead of the database: its signed checkpoint, and every
    /// publication's digest recomputed from the content it serves (the code is --code, default sec).
    #[arg(long, value_name = "URL", requires = "key")]
    pub remote: Option<String>,
    /// The site's verifier key (a file holding NAME+ID+KEY, as `inforce key generate` printed it).
    #[arg(long, value_name = "FILE", requires = "remote")]
    pub key: Option<PathBuf>,
    /// A checkpoint saved earlier (with --save): the site's log must extend it.
    #[arg(long, value_name = "FILE", requires = "remote")]
    pub checkpoint: Option<PathBuf>,
    /// Save the checkpoint just verified, for the next run's --checkpoint.
    #[arg(long, value_name = "FILE", requires = "remote")]
    pub save: Option<PathBuf>,
    /// With --remote: seconds each request may take to connect, and to answer between any two reads (the
    /// headers whole), default 30.
    #[arg(long, value_name = "SECONDS", env = "INFORCE_VERIFY_TIMEOUT",
          value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: Option<u64>,
    /// With --remote: seconds the whole check may take, every request included, default 600.
    #[arg(long, value_name = "SECONDS", env = "INFORCE_VERIFY_DEADLINE",
          value_parser = clap::value_parser!(u64).range(1..))]
    pub deadline: Option<u64>,
    /// With --remote: the largest answer accepted for one publication's content: bytes, or with KiB, MiB or GiB
    /// (default 256MiB: four times the largest register file an import accepts).
    #[arg(long, value_name = "SIZE", env = "INFORCE_VERIFY_MAX_PUBLICATION_BYTES",
          value_parser = parse_size)]
    pub max_publication_bytes: Option<usize>,
}

/// The arguments of `copy`.
#[derive(clap::Args)]
pub struct CopyArgs {
    /// The source: a SQLite file or a postgres:// URL.
    #[arg(long, value_name = "DB")]
    pub from: PathBuf,
    /// The target, which must not hold any of the source's codes yet.
    #[arg(long, value_name = "DB")]
    pub to: PathBuf,
}

/// The arguments of `import`.
#[derive(clap::Args)]
pub struct RegisterImportArgs {
    /// The TOML register file (format: docs/register-format.md).
    pub file: PathBuf,
    /// With --replace: the file replaces the stored register: withdraw and overwrite what it lacks or says
    /// otherwise, even records published after the publication it was exported from (without it, such an import
    /// is refused).
    #[command(flatten)]
    pub correction: Correction,
}

/// The arguments of `export`.
#[derive(clap::Args)]
pub struct RegisterExportArgs {
    /// Write to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// The arguments of `register upgrade-builtin`.
#[derive(clap::Args)]
pub struct UpgradeBuiltinArgs {
    /// Publish the changes (without it, only show them).
    #[arg(long)]
    pub apply: bool,
}

/// What the code administrator records about a proposal in words, the same for `mod new` and `mod update`.
#[derive(clap::Args)]
pub struct Recorded {
    /// Who raised it.
    #[arg(long)]
    pub proposer: Option<String>,
    /// The analyst leading it.
    #[arg(long)]
    pub lead_analyst: Option<String>,
    /// The problem, in brief.
    #[arg(long)]
    pub issue: Option<String>,
    /// The solution, in brief.
    #[arg(long)]
    pub solution: Option<String>,
    /// The release it is aimed at.
    #[arg(long)]
    pub target_release: Option<String>,
}

/// `inforce mod …`
#[derive(Subcommand)]
pub enum ModCommand {
    /// Raise a proposal at one of the process's starting stages (checked, then stored).
    New(ModNewArgs),
    /// Move a proposal to its next stage; a move the process does not allow is refused, naming those it does.
    Advance(ModAdvanceArgs),
    /// Change what is recorded about a proposal (not its stages: `advance` moves those). The proposal is checked
    /// again against the process, so a path that its recorded moves do not allow is refused.
    Update(ModUpdateArgs),
    /// A proposal, where it stands, what it may do next and its whole timeline.
    Show(ModShowArgs),
    /// The proposals, optionally filtered.
    List(ModListArgs),
}

/// The arguments of `new`.
#[derive(clap::Args)]
pub struct ModNewArgs {
    /// Its reference, such as MP301 or DP301.
    pub reference: String,
    /// Its title.
    #[arg(long)]
    pub title: String,
    /// When it was raised: YYYY-MM-DD, YYYY-MM, YYYY or unknown (default: today).
    #[arg(long)]
    pub raised: Option<String>,
    /// The stage it starts at (default: the process's first starting stage).
    #[arg(long)]
    pub stage: Option<String>,
    /// The path it follows (an id of the process's paths, such as 3).
    #[arg(long)]
    pub path: Option<String>,
    /// A flag it carries (such as fast-track); repeat for several.
    #[arg(long = "flag")]
    pub flags: Vec<String>,
    /// Provisions it would change, comma-separated or repeated.
    #[arg(long, value_delimiter = ',')]
    pub affects: Vec<String>,
    #[command(flatten)]
    pub recorded: Recorded,
    /// The proposal it is an alternative to.
    #[arg(long)]
    pub alternative_to: Option<String>,
}

/// The arguments of `advance`.
#[derive(clap::Args)]
pub struct ModAdvanceArgs {
    /// The proposal's reference.
    pub reference: String,
    /// The stage it reaches.
    #[arg(long)]
    pub to: String,
    /// When (default: today).
    #[arg(long)]
    pub date: Option<String>,
    /// Who decided, for a decision (default: the body the process names for that move).
    #[arg(long)]
    pub decided_by: Option<String>,
    /// The version that carried the change, for an implementation.
    #[arg(long)]
    pub version: Option<String>,
    /// A remark kept with the stage.
    #[arg(long)]
    pub note: Option<String>,
}

/// The arguments of `update`.
#[derive(clap::Args)]
pub struct ModUpdateArgs {
    /// The proposal's reference.
    pub reference: String,
    /// A new title.
    #[arg(long)]
    pub title: Option<String>,
    /// The path it follows, as the Panel fixed it.
    #[arg(long)]
    pub path: Option<String>,
    /// Its flags, replacing those recorded (repeat for several; give --flag "" for none).
    #[arg(long = "flag")]
    pub flags: Option<Vec<String>>,
    /// The provisions it would change, replacing those recorded (comma-separated or repeated).
    #[arg(long, value_delimiter = ',')]
    pub affects: Option<Vec<String>>,
    #[command(flatten)]
    pub recorded: Recorded,
    /// When it was raised (YYYY-MM-DD, YYYY-MM, YYYY or unknown).
    #[arg(long, value_name = "DATE")]
    pub raised: Option<String>,
    /// The proposal it is an alternative to ("" for none).
    #[arg(long)]
    pub alternative_to: Option<String>,
    #[command(flatten)]
    pub sourced: Sourced,
    #[command(flatten)]
    pub reason: Reason,
}

/// The arguments of `show`.
#[derive(clap::Args)]
pub struct ModShowArgs {
    /// The proposal's reference.
    pub reference: String,
    /// Where it stood at the end of this date (YYYY-MM-DD or `today`, the default); later stages are shown as
    /// scheduled.
    #[arg(long, value_name = "DATE")]
    pub at: Option<String>,
}

/// The arguments of `list`.
#[derive(clap::Args)]
pub struct ModListArgs {
    /// Only those at this stage on the date of --at (today by default); stages dated later are scheduled.
    #[arg(long)]
    pub stage: Option<String>,
    /// The date each proposal's stage is read on (YYYY-MM-DD or `today`, the default).
    #[arg(long, value_name = "DATE")]
    pub at: Option<String>,
    /// Only those on this path.
    #[arg(long)]
    pub path: Option<String>,
    /// Only those that would change this provision, a part of it or a whole containing it.
    #[arg(long)]
    pub affects: Option<String>,
    /// Only those still pending (raised, not yet implemented, rejected or withdrawn) at the end of this date.
    #[arg(long, value_name = "DATE")]
    pub pending_at: Option<String>,
}

/// `inforce consultation …`
#[derive(Subcommand)]
pub enum ConsultationCommand {
    /// Record a consultation.
    Add(ConsultationAddArgs),
    /// One consultation, open or closed today.
    Show(ConsultationShowArgs),
    /// Correct or complete what is recorded about a consultation: each option given replaces that field, a list
    /// option the whole list. A change to a recorded value needs --reason.
    Update(ConsultationUpdateArgs),
}

/// The arguments of `consultation update`.
#[derive(clap::Args)]
pub struct ConsultationUpdateArgs {
    /// Its id.
    pub id: String,
    /// What it is about, in a line.
    #[arg(long)]
    pub title: Option<String>,
    /// When it was published (YYYY-MM-DD, YYYY-MM, YYYY, unknown or today).
    #[arg(long, value_name = "DATE")]
    pub published: Option<String>,
    /// When it closes or closed (same forms; `today` closes it today).
    #[arg(long, value_name = "DATE")]
    pub closes: Option<String>,
    /// The subjects it covers, replacing the list (repeat for several; "" for none).
    #[arg(long = "topic", value_name = "TOPIC")]
    pub topics: Option<Vec<String>>,
    /// The versions that followed from it, replacing the list (comma-separated or repeated).
    #[arg(long, value_delimiter = ',', value_name = "VERSIONS")]
    pub led_to: Option<Vec<String>>,
    /// The proposals, versions and provisions it concerns, replacing the list: proposal:REF, version:ID,
    /// provision:ID (comma-separated or repeated). They show the consultation on their pages and in the API.
    #[arg(long, value_delimiter = ',', value_name = "KIND:ID")]
    pub concerns: Option<Vec<String>>,
    /// The responses published to it, replacing the list (repeat for several).
    #[arg(long = "response", value_name = "RESPONSE")]
    pub responses: Option<Vec<String>>,
    #[command(flatten)]
    pub sourced: Sourced,
    #[command(flatten)]
    pub reason: Reason,
}

/// The arguments of `add`.
#[derive(clap::Args)]
pub struct ConsultationAddArgs {
    /// A stable key, such as SEC5.
    pub id: String,
    /// What it is about, in a line.
    #[arg(long)]
    pub title: String,
    /// When it was published (YYYY-MM-DD, YYYY-MM, YYYY or unknown).
    #[arg(long, default_value = "unknown")]
    pub published: String,
    /// When it closes (same forms).
    #[arg(long, default_value = "unknown")]
    pub closes: String,
    /// A subject it covers; repeat for several.
    #[arg(long = "topic")]
    pub topics: Vec<String>,
    /// A version that followed from it; repeat for several.
    #[arg(long = "led-to")]
    pub led_to: Vec<String>,
    /// A response published to it, in a line (when, who, what it concluded); repeat for several.
    #[arg(long = "response")]
    pub responses: Vec<String>,
    /// Where the facts come from; repeat for several.
    #[arg(long = "source")]
    pub sources: Vec<String>,
}

/// `inforce versions` commands besides the listing.
#[derive(Subcommand)]
pub enum VersionsCommand {
    /// Record a version without texts (what a register file's [[version]] records): refused, nothing stored, when
    /// its id is taken or the register would not be valid.
    Add(VersionAddArgs),
    /// Correct what is recorded about a version or event (not its texts): each option given replaces that field,
    /// a list option the whole list. A change to a recorded value needs --reason.
    Update(Box<VersionUpdateArgs>),
}

/// The arguments of `versions update`.
#[derive(clap::Args)]
pub struct VersionUpdateArgs {
    /// The version's or event's id.
    pub id: String,
    /// Its name, such as "November 2019 SEC Release" ("" for none).
    #[arg(long)]
    pub title: Option<String>,
    /// When it took effect (YYYY-MM-DD; YYYY-MM, YYYY or unknown).
    #[arg(long, value_name = "DATE")]
    pub effective: Option<String>,
    /// When it was made, designated or directed (same forms).
    #[arg(long, value_name = "DATE")]
    pub made: Option<String>,
    /// What made it (as `versions add --instrument`).
    #[arg(long, value_name = "KIND")]
    pub instrument: Option<String>,
    /// What it did, in a few sentences.
    #[arg(long)]
    pub summary: Option<String>,
    /// The provisions it added, replacing the list (comma-separated or repeated; "" for none).
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub added: Option<Vec<String>>,
    /// The provisions whose wording it changed, replacing the list.
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub amended: Option<Vec<String>>,
    /// The provisions it took out, replacing the list.
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub removed: Option<Vec<String>>,
    /// The provisions it switched on, replacing the list.
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub activated: Option<Vec<String>>,
    /// The provisions it switched off, replacing the list.
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub deactivated: Option<Vec<String>>,
    /// How complete a change list is, as LIST=complete|partial|unlisted (repeat for several).
    #[arg(long, value_name = "LIST=WORD")]
    pub completeness: Vec<String>,
    #[command(flatten)]
    pub sourced: Sourced,
    #[command(flatten)]
    pub reason: Reason,
}

/// The arguments of `audit`.
#[derive(clap::Args)]
pub struct AuditArgs {
    /// Only the writes of this author (as --author or INFORCE_AUTHOR gave it; case does not matter).
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    /// Only writes recorded on or after this day (YYYY-MM-DD or today; days in UTC, as --as-recorded reads them).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Only writes recorded on or before this day.
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
}

/// The arguments of `versions add`.
#[derive(clap::Args)]
pub struct VersionAddArgs {
    /// Its id, such as 63.0.
    pub id: String,
    /// When it takes effect (YYYY-MM-DD; YYYY-MM, YYYY or unknown when the sources say no more).
    #[arg(long, value_name = "DATE")]
    pub effective: String,
    /// What made it: designation, sos_variation, sos_direction, modification, modification+designation,
    /// authority_led_variation or unknown.
    #[arg(long, value_name = "KIND")]
    pub instrument: String,
    /// When it was made, designated or directed (same forms as --effective).
    #[arg(long, value_name = "DATE")]
    pub made: Option<String>,
    /// What it did, in a few sentences.
    #[arg(long)]
    pub summary: Option<String>,
    /// Where the facts come from (repeat for several).
    #[arg(long = "source", value_name = "SOURCE")]
    pub sources: Vec<String>,
}

/// The arguments of `show`.
#[derive(clap::Args)]
pub struct ConsultationShowArgs {
    /// Its id.
    pub id: String,
}

/// `inforce doc …`
#[derive(Subcommand)]
pub enum DocCommand {
    /// Store a document (PDF, Word, Markdown or text) once by its content hash and describe it in the register.
    Add(DocAddArgs),
    /// The documents, optionally only those attached to one thing.
    List(DocListArgs),
    /// Write a document's file out, exactly as stored.
    Get(DocGetArgs),
    /// Attach a stored document to more records (version:ID, provision:ID, proposal:REF, consultation:ID).
    Attach(DocAttachArgs),
    /// Take a document off records it is attached to (a correction: needs --reason). The file stays stored.
    Detach(DocDetachArgs),
}

/// The arguments of `doc attach`.
#[derive(clap::Args)]
pub struct DocAttachArgs {
    /// The document's id.
    pub id: String,
    /// What it also belongs to: version:ID, provision:ID, proposal:REF or consultation:ID (repeat for several).
    #[arg(long = "to", value_name = "KIND:ID", required = true)]
    pub to: Vec<String>,
    #[command(flatten)]
    pub reason: Reason,
}

/// The arguments of `doc detach`.
#[derive(clap::Args)]
pub struct DocDetachArgs {
    /// The document's id.
    pub id: String,
    /// What it no longer belongs to (repeat for several).
    #[arg(long = "from", value_name = "KIND:ID", required = true)]
    pub from: Vec<String>,
    #[command(flatten)]
    pub reason: Reason,
}

/// The arguments of `add`.
#[derive(clap::Args)]
pub struct DocAddArgs {
    /// The file.
    pub file: std::path::PathBuf,
    /// Its title.
    #[arg(long)]
    pub title: String,
    /// Its id in addresses (default: from the file name).
    #[arg(long)]
    pub id: Option<String>,
    /// What sort of document it is: guidance, report, response, decision…
    #[arg(long)]
    pub kind: Option<String>,
    /// Its date (YYYY-MM-DD, YYYY-MM, YYYY or unknown).
    #[arg(long, default_value = "unknown")]
    pub date: String,
    /// What it belongs to: version:ID, provision:ID, proposal:REF or consultation:ID; repeat for several.
    #[arg(long = "attach")]
    pub attach: Vec<String>,
    /// Where it comes from; repeat for several.
    #[arg(long = "source")]
    pub sources: Vec<String>,
}

/// The arguments of `list`.
#[derive(clap::Args)]
pub struct DocListArgs {
    /// Only those attached to this (version:ID, provision:ID, proposal:REF or consultation:ID).
    #[arg(long)]
    pub attached_to: Option<String>,
}

/// The arguments of `get`.
#[derive(clap::Args)]
pub struct DocGetArgs {
    /// Its id.
    pub id: String,
    /// Write to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
}
