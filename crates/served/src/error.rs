//! The one error type of reading the server corpus.

use std::path::PathBuf;

/// Why a tag of the server corpus could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ServedError {
    /// A file or folder could not be read.
    #[error("reading {}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A `SOURCE.toml` does not parse.
    #[error("{}: {source}", path.display())]
    Source {
        /// The file.
        path: PathBuf,
        /// TOML's error.
        source: toml::de::Error,
    },
    /// The Go front end failed (grammar not loaded, or a file given up on).
    #[error(transparent)]
    Go(#[from] dockmatrix_go::GoError),
    /// No server corpus directory was found.
    #[error("no moby server corpus: {tried}; set {env} or put it at ../shared/moby-server")]
    NotFound {
        /// Where it was looked for, and why it was not used.
        tried: String,
        /// The environment variable that names it.
        env: &'static str,
    },
}
