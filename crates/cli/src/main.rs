//! `inforce`: the register and publication system for versioned codes, on the command line.

#![forbid(unsafe_code)]

mod changes;
mod commands;
mod kept;
mod search;
mod texts;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// Exit statuses scripts can rely on.
mod exit {
    /// The thing asked for does not exist (a provision, a code, a file).
    pub const NOT_FOUND: u8 = 1;
    /// Bad usage or bad input: a malformed date, id or register file.
    pub const USAGE: u8 = 2;
    /// The environment failed: the database is locked, read-only or unreachable.
    pub const ENVIRONMENT: u8 = 3;
}

/// What went wrong, sorted by exit status. The message is one line a person can act on.
#[derive(Debug)]
pub enum Failure {
    /// The thing asked for does not exist.
    NotFound(String),
    /// Bad usage or input; may span several lines when a file has several problems.
    Usage(String),
    /// The environment failed.
    Environment(String),
}

impl Failure {
    fn exit_code(&self) -> u8 {
        match self {
            Self::NotFound(_) => exit::NOT_FOUND,
            Self::Usage(_) => exit::USAGE,
            Self::Environment(_) => exit::ENVIRONMENT,
        }
    }

    fn message(&self) -> &str {
        match self {
            Self::NotFound(m) | Self::Usage(m) | Self::Environment(m) => m,
        }
    }
}

impl From<inforce_store::StoreError> for Failure {
    fn from(error: inforce_store::StoreError) -> Self {
        match error {
            // The input named a file that is not there: the user's to fix, not the environment's.
            inforce_store::StoreError::MissingFile { .. } => Self::Usage(error.to_string()),
            error => Self::Environment(error.to_string()),
        }
    }
}

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
    /// List the versions: number, effective date, instrument, summary; planned ones marked.
    Versions,
    /// The version in force on a date and every provision's status then.
    At {
        /// A date (YYYY-MM-DD) or `today`.
        date: String,
    },
    /// A provision's status on a date, and why.
    Status {
        /// A provision id in any usual spelling: H15, h15, "Schedule 2", "Appendix G".
        provision: String,
        /// The date (YYYY-MM-DD or `today`; default today).
        #[arg(long, value_name = "DATE")]
        at: Option<String>,
    },
    /// Every version and event that touched a provision, in date order.
    History {
        /// A provision id in any usual spelling.
        provision: String,
    },
    /// Every version and event, in date order.
    Timeline {
        /// Only those taking effect on or after this date.
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// Only those taking effect on or before this date.
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
    },
    /// The consultations on the code, open or closed today.
    Consultations,
    /// The codes in the database.
    Codes,
    /// The publications that wrote the register, with their record times (for --as-recorded).
    Publications,
    /// Serve the website, JSON API and feeds (the main job). Prints the address to open.
    Serve {
        /// The address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080", env = "INFORCE_ADDR")]
        addr: std::net::SocketAddr,
        /// How log lines on standard error are written: logfmt or json.
        #[arg(long, default_value = "logfmt", env = "INFORCE_LOG_FORMAT")]
        log_format: inforce_web::log::LogFormat,
        /// Also log every request (method, path, status, milliseconds).
        #[arg(long, env = "INFORCE_ACCESS_LOG")]
        access_log: bool,
    },
    /// Write every public page, feed and API document as static files, for any web server, a CDN or the file
    /// system. Built beside OUTDIR and moved into place whole; OUTDIR must be new, empty or an earlier export.
    ExportSite {
        /// The folder to write.
        outdir: PathBuf,
    },
    /// Import a versioned folder: versions.tsv, one folder per version, one Markdown file per provision. All or
    /// nothing; running it again on the same folder writes nothing; a grown folder adds only its new versions.
    Import {
        /// The folder.
        dir: PathBuf,
        /// The code's title, when the import creates the code.
        #[arg(long)]
        title: Option<String>,
    },
    /// Add one version from a folder holding only the provisions it changed (and removed.txt, one id per line, for
    /// those it takes out); everything else carries over.
    ImportVersion {
        /// The folder of changed provisions.
        dir: PathBuf,
        /// The new version's id.
        #[arg(long)]
        version: String,
        /// When it takes effect (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        effective: String,
        /// A label or summary for it.
        #[arg(long)]
        label: Option<String>,
        /// A provision the version takes out (repeat for several); adds to removed.txt.
        #[arg(long = "remove", value_name = "PROVISION")]
        remove: Vec<String>,
    },
    /// List every disagreement between the texts and the register's change lists.
    Check,
    /// A provision's text and status at a date or version.
    Show {
        /// A provision id in any usual spelling.
        provision: String,
        #[command(flatten)]
        point: PointArgs,
    },
    /// Search the texts: words, "exact phrases", prefix*, heading:word, AND/OR/NOT and parentheses. By default the
    /// wordings in force today; --at, --version or --all-versions choose others. Results are grouped by provision,
    /// heading matches first, each wording with the periods it was in force.
    Search {
        /// The query.
        query: String,
        #[command(flatten)]
        point: PointArgs,
        /// Search every wording ever recorded, not only those in force at one point.
        #[arg(long, conflicts_with_all = ["at", "version"])]
        all_versions: bool,
        /// Only this provision and its parts.
        #[arg(long, value_name = "PROVISION")]
        within: Option<String>,
        /// The page of results (from 1).
        #[arg(long, default_value_t = 1)]
        page: usize,
        /// Results per page (1 to 100).
        #[arg(long, default_value_t = 20)]
        per_page: usize,
    },
    /// Rebuild the code's search index from the register (it is kept beside the database and otherwise kept up
    /// to date by imports; a missing or damaged one is rebuilt by the next search).
    Reindex,
    /// Write the whole code as it stood (index with every status, one file per provision) into a folder.
    Export {
        /// The folder to write (created; must be empty if it exists).
        outdir: PathBuf,
        #[command(flatten)]
        point: PointArgs,
    },
    /// Compare two points (each a version or a date): a summary, then a word-level redline.
    Diff {
        /// The older point: a version id or a date.
        a: String,
        /// The newer point: a version id or a date.
        b: String,
        /// Only this provision and its parts.
        #[arg(long, value_name = "PROVISION")]
        provision: Option<String>,
        /// Ignore changes of white space and punctuation only.
        #[arg(long)]
        ignore_formatting: bool,
    },
    /// Every run of words of a provision's text with the version that gave it its present wording.
    Blame {
        /// A provision id in any usual spelling.
        provision: String,
        #[command(flatten)]
        point: PointArgs,
    },
    /// Copy every code, publication and record (with its record time) from one database to another.
    Copy {
        /// The source: a SQLite file or a postgres:// URL.
        #[arg(long, value_name = "DB")]
        from: PathBuf,
        /// The target, which must not hold any of the source's codes yet.
        #[arg(long, value_name = "DB")]
        to: PathBuf,
    },
    /// Modification proposals: raise one, move it along the code's change process, show one, list them.
    Mod {
        #[command(subcommand)]
        action: changes::ModCommand,
    },
    /// Consultations: record one or show one (`inforce consultations` lists them).
    Consultation {
        #[command(subcommand)]
        action: changes::ConsultationCommand,
    },
    /// Changes announced but not yet tied to a proposal or a version.
    Planned,
    /// Guidance and documents: store one (once, by content hash), list them, write one out.
    Doc {
        #[command(subcommand)]
        action: changes::DocCommand,
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
    Import {
        /// The TOML register file (format: docs/register-format.md).
        file: PathBuf,
    },
    /// Write the stored register as a register file.
    Export {
        /// Write to this file instead of standard output.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The server spreads requests over every core; one-shot commands need one thread.
    let mut builder = match cli.command {
        Command::Serve { .. } => tokio::runtime::Builder::new_multi_thread(),
        _ => tokio::runtime::Builder::new_current_thread(),
    };
    let runtime = match builder.enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("inforce: cannot start: {e}");
            return ExitCode::from(exit::ENVIRONMENT);
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("inforce: {}", failure.message());
            ExitCode::from(failure.exit_code())
        }
    }
}
