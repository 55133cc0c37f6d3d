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

/// Everything the library can fail with. The `Display` text is the message
/// shown to the user; [`Error::exit_code`] picks the process exit code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The codebook file could not be read from disk (exit 3).
    #[error("cannot read codebook {path}: {source}")]
    CodebookRead {
        /// The codebook path as the user gave it.
        path: String,
        /// The underlying I/O error.
        source: io::Error,
    },

    #[error("{} in codebook {origin}", plural(.diagnostics.iter().filter(|d| d.severity == crate::codebook::Severity::Error).count(), "error"))]
    /// The codebook was read but has errors (exit 3); the diagnostics say
    /// where and what.
    Codebook {
        /// Where the codebook came from (its path, or a description).
        origin: String,
        /// All diagnostics found, warnings included; at least one is an
        /// error.
        diagnostics: Vec<Diagnostic>,
    },

    #[error("corpus folder {path} does not exist; give the path of a folder of .txt/.md files")]
    /// The corpus path does not exist (exit 4).
    CorpusMissing {
        /// The corpus path as shown to the user.
        path: String,
    },

    #[error("{path} is not a folder; give the folder that holds the documents (and metadata.csv)")]
    /// The corpus path exists but is not a folder (exit 4).
    CorpusNotDir {
        /// The corpus path as shown to the user.
        path: String,
    },

    #[error("cannot read corpus folder {path}: {source}")]
    /// The corpus folder could not be listed (exit 4).
    CorpusRead {
        /// The folder as shown to the user.
        path: String,
        /// The underlying I/O error.
        source: io::Error,
    },

    #[error("no documents found in {path}{detail}; tanda reads .txt and .md files")]
    /// The corpus yielded no documents (exit 4).
    CorpusEmpty {
        /// The corpus as shown to the user.
        path: String,
        /// Empty, or ` (N skipped, M with other extensions)` with its
        /// leading space, appended to the path in the message.
        detail: String,
    },

    #[error("{path}: {message}")]
    /// The metadata sheet cannot be read or is malformed (exit 4).
    Metadata {
        /// The metadata file.
        path: String,
        /// What is wrong, for the user.
        message: String,
    },

    /// A file given as input (results folder, coder sheet) cannot be used.
    #[error("{path}: {message}")]
    Input {
        /// The file as shown to the user.
        path: String,
        /// What is wrong, for the user.
        message: String,
    },

    #[error("{count} document(s) skipped and --strict was given (first: {first})")]
    /// `--strict` was given and documents were skipped (exit 5).
    Strict {
        /// How many documents were skipped.
        count: usize,
        /// The first skipped document, as `id: reason`.
        first: String,
    },

    #[error("unknown metadata field `{field}` for --by; available fields: {available}")]
    /// `--by` names a metadata field no document has (exit 2).
    UnknownField {
        /// The field asked for.
        field: String,
        /// The fields that exist, comma-separated, for the message.
        available: String,
    },

    #[error(
        "metadata field `{field}` is written `{renamed}` in the results (tanda writes a column named `{field}` itself); give --by {renamed}"
    )]
    /// `--by` names a metadata field that clashes with a column tanda
    /// writes itself, so the results carry it under another name (exit 2).
    RenamedField {
        /// The field as the user wrote it.
        field: String,
        /// The name it has in the results; the message suggests it.
        renamed: String,
    },

    /// The command line asks for something that cannot be done as given
    /// (a missing or conflicting option, an id or category that names
    /// nothing): exit 2, as a clap parse error.
    #[error("{0}")]
    Usage(String),

    #[error("cannot write {path}: {source}")]
    /// A result file could not be written (exit 1).
    Write {
        /// The file being written.
        path: String,
        /// The underlying I/O error.
        source: io::Error,
    },

    #[error(
        "{path} is being written by another tanda run (process {pid}; lock file {lock}); wait for it to finish, or give another --out"
    )]
    /// Another tanda run holds the lock on the `--out` folder (exit 8).
    OutBusy {
        /// The output folder as shown to the user.
        path: String,
        /// The process id written in the lock file, or `?` if none.
        pid: String,
        /// The path of the lock file.
        lock: String,
    },

    /// `--out DIR` refused (see [`crate::outdir`]).
    #[error("{path}: {message}")]
    OutRefused {
        /// The output folder as shown to the user.
        path: String,
        /// Why it was refused and what to do, for the user.
        message: String,
    },
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

/// `Result` with the library's [`Error`] as the default error type.
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
