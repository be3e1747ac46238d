//! Where a command's answers come from: the matrix embedded in the binary
//! (`generated/data/matrix.bin`, built from the pinned corpus), or a corpus on
//! disk when the user asks to recompute (`--specs DIR`, `$DOCKMATRIX_SPECS`,
//! `--no-verify` or `--rebuild`).

use std::path::PathBuf;

use dockmatrix_core::analysis::{snapshot, Matrix};
use dockmatrix_core::corpus::locate::SPECS_ENV;
use dockmatrix_core::corpus::{Corpus, CorpusOptions, Sources};
use dockmatrix_core::ingest::SpecFormat;
use dockmatrix_core::pipeline::build_matrix;
use dockmatrix_core::suggest;
use dockmatrix_core::version::ApiVersion;

use super::{Cli, Failure, EXIT_ERROR};

/// One reference document of the data: its version, file name and format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// API version.
    pub version: ApiVersion,
    /// File name in the corpus (`v1.24.md`).
    pub file: String,
    /// Markdown or Swagger.
    pub format: SpecFormat,
}

/// The data a query command answers from.
#[derive(Debug)]
pub enum Data {
    /// The snapshot compiled into the binary.
    Embedded(&'static [u8]),
    /// A corpus on disk, ingested anew.
    Corpus(Box<Corpus>),
}

impl Data {
    /// The embedded snapshot, unless the command line or environment asks for a
    /// corpus.
    pub fn choose(cli: &Cli, embedded: &'static [u8]) -> Result<Self, Failure> {
        let env_set = std::env::var_os(SPECS_ENV).is_some_and(|v| !v.is_empty());
        if cli.specs.is_some() || env_set || cli.no_verify || cli.rebuild {
            Ok(Self::Corpus(Box::new(open_corpus(cli)?)))
        } else {
            Ok(Self::Embedded(embedded))
        }
    }

    /// The compatibility matrix.
    pub fn matrix(&self) -> Result<Matrix, Failure> {
        match self {
            Self::Embedded(bytes) => snapshot::decode(bytes).map_err(Failure::from),
            Self::Corpus(corpus) => build_matrix(corpus).map_err(Failure::from),
        }
    }

    /// The reference documents, oldest first.
    pub fn documents(&self) -> Result<Vec<Document>, Failure> {
        Ok(match self {
            Self::Embedded(_) => Sources::builtin()?
                .specs
                .iter()
                .filter_map(|s| {
                    Some(Document {
                        version: s.version,
                        file: s.file.clone(),
                        format: s.format()?,
                    })
                })
                .collect(),
            Self::Corpus(corpus) => corpus
                .entries
                .iter()
                .map(|e| Document {
                    version: e.version,
                    file: e
                        .path
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                    format: e.format,
                })
                .collect(),
        })
    }
}

/// Parses a version the user typed and checks the matrix has it (with
/// suggestions otherwise).
pub fn known_version(matrix: &Matrix, text: &str) -> Result<ApiVersion, Failure> {
    Ok(suggest::known_version(text, &matrix.api_versions)?)
}

/// Opens the corpus for commands that need the documents themselves.
pub fn open_corpus(cli: &Cli) -> Result<Corpus, Failure> {
    Corpus::open(&CorpusOptions {
        dir: cli.specs.clone(),
        no_verify: cli.no_verify,
    })
    .map_err(|e| Failure {
        code: EXIT_ERROR,
        message: format!("this needs the spec corpus on disk: {e}"),
    })
}

/// Where `fetch-specs` writes when not told: the user's cache folder.
pub fn default_fetch_dir() -> Result<PathBuf, Failure> {
    dockmatrix_core::corpus::locate::user_cache_dir().ok_or_else(|| Failure {
        code: EXIT_ERROR,
        message: "no user cache folder (is HOME set?); pass --into DIR".into(),
    })
}
