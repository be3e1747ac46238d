//! Everything under `generated/`: computed in memory as a list of files, so the
//! writer (`cargo xtask codegen`) and the drift check (`--check`) share one path.

pub mod client;
pub mod data;

use std::path::PathBuf;

use dockmatrix_core::corpus::Corpus;
use dockmatrix_core::pipeline::{load_documents, matrix_from, PipelineError};

pub use crate::output::{json_file, GeneratedFile, OutputError};

/// What went wrong while generating.
#[derive(Debug, thiserror::Error)]
pub enum CodegenError {
    /// Loading the corpus or building the matrix failed.
    #[error(transparent)]
    Pipeline(#[from] PipelineError),
    /// A file could not be produced.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// The matrix snapshot could not be encoded.
    #[error(transparent)]
    Snapshot(#[from] dockmatrix_core::analysis::snapshot::SnapshotError),
    /// The client generator's shims table is broken.
    #[error(transparent)]
    Shims(#[from] client::shims::ShimsError),
    /// The client generator's names table is broken or stale.
    #[error(transparent)]
    Names(#[from] client::names_table::NamesError),
    /// The server corpus (`../shared/moby-server`) could not be read.
    #[error(transparent)]
    Served(#[from] dockmatrix_served::ServedError),
    /// The served facts do not fit the client's tables.
    #[error("client served facts: {0}")]
    ServedTable(String),
    /// The served facts could not be encoded.
    #[error(transparent)]
    ServedBytes(#[from] dockmatrix_core::model::served_bytes::ServedBytesError),
}

/// Inputs of the generators besides the corpus.
#[derive(Debug, Clone)]
pub struct Inputs {
    /// Repository root (for `templates/` and `specs/usage/`).
    pub repo: PathBuf,
    /// The server corpus (`../shared/moby-server`, see `dockmatrix_served::locate_in`).
    pub served: PathBuf,
}

/// Generates every file that belongs under `generated/`, sorted by path.
pub fn generate_all(corpus: &Corpus, inputs: &Inputs) -> Result<Vec<GeneratedFile>, CodegenError> {
    let (documents, models) = load_documents(corpus)?;
    let matrix = matrix_from(corpus, &models)?;
    let served = dockmatrix_served::read_corpus(&inputs.served)?;
    let served_index = dockmatrix_served::index(&served, &matrix.releases);
    let mut files = data::generate(&matrix, &models.warnings)?;
    files.extend(crate::reports::generate(
        &inputs.repo,
        &matrix,
        &models,
        &served_index,
    )?);
    files.extend(crate::site::generate(
        &inputs.repo,
        &matrix,
        &corpus.sources,
        &served_index,
    )?);
    files.extend(client::generate(&documents, &matrix, &served_index)?.0);
    files.push(json_file("data/served.json", &served)?);
    files.push(GeneratedFile {
        path: PathBuf::from("data/served.bin"),
        contents: dockmatrix_core::model::served_bytes::encode(&served_index)?,
    });
    files.push(GeneratedFile {
        path: PathBuf::from("reports/documented-vs-served.md"),
        contents: crate::reports::served::render(&matrix, &served, &served_index, &corpus.sources)
            .into_bytes(),
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}
