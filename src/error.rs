//! The library's error type. Each variant knows its process exit code, so the
//! binary maps failures to the codes documented in the README.

use std::io;

use crate::codebook::Diagnostic;

/// Exit codes (documented in README.md, "Exit codes").
pub mod exit {
    /// Success (warnings may have been printed).
    pub const OK: i32 = 0;
    /// Unexpected failure: I/O while writing results, an internal error.
    pub const FAILURE: i32 = 1;
    /// Command-line usage error (unknown option, bad value, unknown `--by` field).
    pub const USAGE: i32 = 2;
    /// The codebook has errors (or could not be read).
    pub const CODEBOOK: i32 = 3;
    /// The input cannot be used: missing corpus folder, no documents, bad
    /// metadata sheet, unreadable results folder or coder sheet.
    pub const CORPUS: i32 = 4;
    /// `--strict` and at least one document was skipped.
    pub const STRICT: i32 = 5;
    /// `diff` / `codebook diff` found differences (like diff(1)'s 1, but
    /// distinct from failure).
    pub const CHANGED: i32 = 6;
    /// `codebook test --examples`: an example was coded against its label.
    pub const EXAMPLES: i32 = 7;
    /// `--out DIR` cannot be used: another run is writing it (its lock is
    /// held), it holds files tanda did not write or changed since, or it
    /// lies inside the corpus.
    pub const OUT: i32 = 8;
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read codebook {path}: {source}")]
    CodebookRead { path: String, source: io::Error },

    #[error("{} in codebook {origin}", plural(.diagnostics.iter().filter(|d| d.severity == crate::codebook::Severity::Error).count(), "error"))]
    Codebook {
        origin: String,
        diagnostics: Vec<Diagnostic>,
    },

    #[error("corpus folder {path} does not exist; give the path of a folder of .txt/.md files")]
    CorpusMissing { path: String },

    #[error("{path} is not a folder; give the folder that holds the documents (and metadata.csv)")]
    CorpusNotDir { path: String },

    #[error("cannot read corpus folder {path}: {source}")]
    CorpusRead { path: String, source: io::Error },

    #[error("no documents found in {path}{detail}; tanda reads .txt and .md files")]
    CorpusEmpty { path: String, detail: String },

    #[error("{path}: {message}")]
    Metadata { path: String, message: String },

    /// A file given as input (results folder, coder sheet) cannot be used.
    #[error("{path}: {message}")]
    Input { path: String, message: String },

    #[error("{count} document(s) skipped and --strict was given (first: {first})")]
    Strict { count: usize, first: String },

    #[error("unknown metadata field `{field}` for --by; available fields: {available}")]
    UnknownField { field: String, available: String },

    #[error(
        "metadata field `{field}` is written `{renamed}` in the results (tanda writes a column named `{field}` itself); give --by {renamed}"
    )]
    RenamedField { field: String, renamed: String },

    /// The command line asks for something that cannot be done as given
    /// (a missing or conflicting option, an id or category that names
    /// nothing): exit 2, as a clap parse error.
    #[error("{0}")]
    Usage(String),

    #[error("cannot write {path}: {source}")]
    Write { path: String, source: io::Error },

    #[error(
        "{path} is being written by another tanda run (process {pid}; lock file {lock}); wait for it to finish, or give another --out"
    )]
    OutBusy {
        path: String,
        pid: String,
        lock: String,
    },

    /// `--out DIR` refused (see [`crate::outdir`]).
    #[error("{path}: {message}")]
    OutRefused { path: String, message: String },
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

impl Error {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::CodebookRead { .. } | Error::Codebook { .. } => exit::CODEBOOK,
            Error::CorpusMissing { .. }
            | Error::CorpusNotDir { .. }
            | Error::CorpusRead { .. }
            | Error::CorpusEmpty { .. }
            | Error::Metadata { .. }
            | Error::Input { .. } => exit::CORPUS,
            Error::Strict { .. } => exit::STRICT,
            Error::UnknownField { .. } | Error::RenamedField { .. } | Error::Usage(_) => {
                exit::USAGE
            }
            Error::Write { .. } => exit::FAILURE,
            Error::OutBusy { .. } | Error::OutRefused { .. } => exit::OUT,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Return early with an [`Error::Usage`] (exit 2), the message formatted
/// as by `format!`.
macro_rules! usage {
    ($($arg:tt)*) => {
        return Err($crate::error::Error::Usage(format!($($arg)*)).into())
    };
}
pub(crate) use usage;

/// An [`Error::Usage`] (exit 2), the message formatted as by `format!`.
macro_rules! usage_error {
    ($($arg:tt)*) => {
        $crate::error::Error::Usage(format!($($arg)*))
    };
}
pub(crate) use usage_error;
