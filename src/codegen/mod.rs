//! Everything under `generated/`: computed in memory as a list of files, so the
//! writer (`cargo xtask codegen`) and the drift check (`--check`) share one path.

pub mod client;
pub mod data;

use std::path::{Path, PathBuf};

use crate::corpus::Corpus;
use crate::pipeline::{load_documents, matrix_from, PipelineError};

/// One file to write, relative to `generated/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the `generated/` directory, `/`-separated.
    pub path: PathBuf,
    /// Exact contents.
    pub contents: Vec<u8>,
}

/// What went wrong while generating.
#[derive(Debug, thiserror::Error)]
pub enum CodegenError {
    /// Loading the corpus or building the matrix failed.
    #[error(transparent)]
    Pipeline(#[from] PipelineError),
    /// Serialisation failed.
    #[error("serialising {what}: {source}")]
    Json {
        /// What was being written.
        what: String,
        /// The error.
        source: serde_json::Error,
    },
    /// The matrix snapshot could not be encoded.
    #[error(transparent)]
    Snapshot(#[from] crate::analysis::snapshot::SnapshotError),
    /// Any other generator failure, with its context.
    #[error("{0}")]
    Other(String),
}

/// Inputs of the generators besides the corpus.
#[derive(Debug, Clone)]
pub struct Inputs {
    /// Repository root (for `templates/` and `specs/usage/`).
    pub repo: PathBuf,
}

/// Generates every file that belongs under `generated/`, sorted by path.
pub fn generate_all(corpus: &Corpus, inputs: &Inputs) -> Result<Vec<GeneratedFile>, CodegenError> {
    let (documents, models) = load_documents(corpus)?;
    let matrix = matrix_from(corpus, &models)?;
    let mut files = data::generate(&matrix, &models.warnings)?;
    files.extend(crate::reports::generate(&inputs.repo, &matrix, &models)?);
    files.extend(crate::site::generate(
        &inputs.repo,
        &matrix,
        &corpus.sources,
    )?);
    files.extend(client::generate(&documents, &matrix)?.0);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Pretty JSON with a trailing newline.
pub fn json_file<T: serde::Serialize>(
    path: &str,
    value: &T,
) -> Result<GeneratedFile, CodegenError> {
    let mut contents = serde_json::to_vec_pretty(value).map_err(|source| CodegenError::Json {
        what: path.to_string(),
        source,
    })?;
    contents.push(b'\n');
    Ok(GeneratedFile {
        path: Path::new(path).to_path_buf(),
        contents,
    })
}
