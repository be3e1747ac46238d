//! Errors and warnings raised while reading one spec file.

use std::path::PathBuf;

/// Why one spec file could not be ingested. Every variant names the file, and the
/// line or document location where it is known.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The file could not be read.
    #[error("{file}: cannot read: {source}", file = .file.display())]
    Io {
        /// The file.
        file: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// The file is empty (or only white space).
    #[error("{file}: the file is empty", file = .file.display())]
    Empty {
        /// The file.
        file: PathBuf,
    },
    /// The file is not UTF-8 text.
    #[error("{file}: not UTF-8 text (invalid byte at offset {offset})", file = .file.display())]
    NotText {
        /// The file.
        file: PathBuf,
        /// Byte offset of the first invalid byte.
        offset: usize,
    },
    /// A YAML syntax error or a document that does not have the Swagger 2.0 shape.
    #[error("{file}:{line}:{column}: {message}", file = .file.display())]
    Syntax {
        /// The file.
        file: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A construct the converter cannot make sense of, located by JSON pointer
    /// (for example `/paths/~1containers~1json/get/parameters/0`) and, where known, line.
    #[error("{file}{line}: {at}{message}",
        file = .file.display(),
        line = .line.map(|l| format!(":{l}")).unwrap_or_default(),
        at = if .pointer.is_empty() { String::new() } else { format!("at {}: ", .pointer) })]
    Invalid {
        /// The file.
        file: PathBuf,
        /// 1-based line where known.
        line: Option<usize>,
        /// JSON pointer into the document.
        pointer: String,
        /// What is wrong.
        message: String,
    },
    /// A `$ref` that points at nothing.
    #[error("{file}: at {pointer}: dangling $ref {reference:?}", file = .file.display())]
    DanglingRef {
        /// The file.
        file: PathBuf,
        /// JSON pointer of the reference.
        pointer: String,
        /// The reference text.
        reference: String,
    },
    /// The document says it is another API version than its file name.
    #[error("{file}: info.version is {found:?} but the file is for API {expected}", file = .file.display())]
    VersionMismatch {
        /// The file.
        file: PathBuf,
        /// Version expected from the file name / sources table.
        expected: String,
        /// Version found in the document.
        found: String,
    },
    /// A reference page in which no operation could be found.
    #[error("{file}: no API operations found (expected headings with `METHOD /path` lines)", file = .file.display())]
    NoOperations {
        /// The file.
        file: PathBuf,
    },
    /// An entry of the errata table is malformed or no longer matches its page.
    #[error("{file}: errata: {message}", file = .file.display())]
    Errata {
        /// The errata file or the page it applies to.
        file: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// An upstream defect that ingest worked around: reported, never fatal.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct SpecWarning {
    /// File name of the spec (for example `v1.47.yaml`).
    pub file: String,
    /// JSON pointer or `line N` where the defect is.
    pub location: String,
    /// What was wrong and what ingest did about it.
    pub message: String,
}
