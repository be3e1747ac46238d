//! The one error type of `dockmatrix scan`. Per-file problems (unreadable,
//! not UTF-8, too large, not Go) are warnings, not errors.

use std::path::PathBuf;

/// Why a scan could not produce a manifest.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    /// The tree (or a file the scan must read) could not be read.
    #[error("reading {}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The Go parser could not be made (a build problem).
    #[error(transparent)]
    Go(#[from] dockmatrix_go::GoError),
    /// An embedded library table does not parse (a build problem).
    #[error("embedded client table {id}: {source}")]
    Table {
        /// The table's file under specs/clients/.
        id: &'static str,
        /// The JSON error.
        source: serde_json::Error,
    },
    /// Nothing says which client library (and version) the code uses.
    #[error("{0}")]
    NoLibrary(String),
    /// `--library` names no known table.
    #[error("--library {given}: no table for it; known: {known}")]
    UnknownLibrary {
        /// What was given.
        given: String,
        /// The known tables, `name@version`.
        known: String,
    },
    /// The client's API version behaviour could not be read from the code.
    #[error("{0}")]
    ApiVersion(String),
    /// No call of the client library was found.
    #[error("no call of {library} found under {}", path.display())]
    NoCalls {
        /// The library.
        library: String,
        /// The tree.
        path: PathBuf,
    },
    /// A Godeps.json that does not parse.
    #[error("{}: {message}", path.display())]
    Godeps {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}
