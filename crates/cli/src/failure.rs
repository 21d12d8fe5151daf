//! What went wrong, sorted by the exit status scripts rely on: 1 not found, 2 bad usage or input, 3 the
//! environment, 4 damaged stored data. Every error of the layers below is mapped here, once.

use inforce_store::{CopyError, StoreError};

/// Exit statuses scripts can rely on.
pub mod exit {
    /// The thing asked for does not exist (a provision, a code, a file).
    pub const NOT_FOUND: u8 = 1;
    /// Bad usage or bad input: a malformed date, id or register file.
    pub const USAGE: u8 = 2;
    /// The environment failed: the database is locked, read-only or unreachable.
    pub const ENVIRONMENT: u8 = 3;
    /// Stored data is damaged: a record, a text pack or a change list cannot be read back as written.
    pub const DAMAGED: u8 = 4;
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
    /// Stored data is damaged.
    Damaged(String),
}

impl Failure {
    /// The process's exit status for this failure.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::NotFound(_) => exit::NOT_FOUND,
            Self::Usage(_) => exit::USAGE,
            Self::Environment(_) => exit::ENVIRONMENT,
            Self::Damaged(_) => exit::DAMAGED,
        }
    }

    /// The message shown after `inforce: `.
    pub fn message(&self) -> &str {
        match self {
            Self::NotFound(m) | Self::Usage(m) | Self::Environment(m) | Self::Damaged(m) => m,
        }
    }
}

impl From<StoreError> for Failure {
    fn from(error: StoreError) -> Self {
        match error {
            // The input named a file that is not there: the user's to fix, not the environment's.
            StoreError::MissingFile { .. } | StoreError::Refused { .. } => Self::Usage(error.to_string()),
            // Stored data that cannot be read back: not the environment's fault, and not passing.
            StoreError::Corrupt { .. } | StoreError::Tampered(_) => Self::Damaged(error.to_string()),
            error => Self::Environment(error.to_string()),
        }
    }
}

impl From<CopyError> for Failure {
    fn from(error: CopyError) -> Self {
        match error {
            CopyError::Clash { .. } => Self::Usage(error.to_string()),
            CopyError::Tampered(_) => Self::Damaged(error.to_string()),
            CopyError::Store(error) => error.into(),
        }
    }
}

impl From<inforce_web::export::ExportError> for Failure {
    fn from(error: inforce_web::export::ExportError) -> Self {
        use inforce_web::export::ExportError;
        match error {
            ExportError::ForeignFolder { .. } | ExportError::NotAFolder { .. } => Self::Usage(error.to_string()),
            ExportError::Io { .. } => Self::Environment(error.to_string()),
            ExportError::BrokenLink { .. } | ExportError::Unnamed { .. } | ExportError::Render { .. } => {
                Self::Environment(format!("internal error, please report it: {error}"))
            }
        }
    }
}
