//! The one error of deriving client-library tables.

use std::path::PathBuf;

/// Why a library table could not be derived.
#[derive(Debug, thiserror::Error)]
pub enum ClientsError {
    /// A file or folder could not be read.
    #[error("reading {}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A `SOURCE.toml` does not parse or lacks a field.
    #[error("{}: {message}", path.display())]
    Source {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The Go front end failed.
    #[error(transparent)]
    Go(#[from] dockmatrix_go::GoError),
    /// A table could not be serialised.
    #[error("serialising the table of {what}: {source}")]
    Json {
        /// Which library.
        what: String,
        /// The error.
        source: serde_json::Error,
    },
}
