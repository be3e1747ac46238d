//! What the writers produce: files for `generated/`, and the one typed error of
//! producing them. Reports, the site and the client generator all return these;
//! none of them imports another's error type.

use std::path::PathBuf;

use dockmatrix_core::analysis::usage::check::CheckTargetError;
use dockmatrix_core::analysis::usage::ManifestError;
use dockmatrix_core::version::ApiVersion;

/// One file to write, relative to `generated/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the `generated/` directory, `/`-separated.
    pub path: PathBuf,
    /// Exact contents.
    pub contents: Vec<u8>,
}

/// Why a generated file could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// Serialising a value as JSON failed.
    #[error("serialising {what}: {source}")]
    Json {
        /// What was being written.
        what: String,
        /// The error.
        source: serde_json::Error,
    },
    /// Reading an input (a template, an asset, a folder) failed.
    #[error("reading {}: {source}", path.display())]
    Read {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A template does not compile.
    #[error("template {}: {source}", path.display())]
    Template {
        /// The template file.
        path: PathBuf,
        /// handlebars' error.
        source: Box<handlebars::TemplateError>,
    },
    /// A template is not in the templates folder.
    #[error("template {0} is missing")]
    MissingTemplate(String),
    /// A template failed on its data.
    #[error("rendering {name}: {source}")]
    Render {
        /// The template.
        name: String,
        /// handlebars' error.
        source: Box<handlebars::RenderError>,
    },
    /// Generated Rust does not parse (a generator bug).
    #[error("generated {path} does not parse as Rust: {source}")]
    RustSyntax {
        /// The file.
        path: String,
        /// syn's error.
        source: syn::Error,
    },
    /// A usage manifest the reports read is broken.
    #[error(transparent)]
    Manifest(#[from] ManifestError),
    /// A check the reports run could not pick its target.
    #[error(transparent)]
    Target(#[from] CheckTargetError),
    /// The model errata table does not parse.
    #[error(transparent)]
    Errata(#[from] dockmatrix_core::model::errata::ModelErrataError),
    /// The corpus lacks a version a report is about.
    #[error("the corpus has no API {0}")]
    MissingVersion(ApiVersion),
    /// A report expects a number of usage manifests.
    #[error("expected {expected} usage manifests, found {found}")]
    ManifestCount {
        /// How many the report needs.
        expected: usize,
        /// How many there are.
        found: usize,
    },
    /// Two operations would be written to the same page.
    #[error("site: two operations share the page name {page} ({operation})")]
    PageCollision {
        /// The page file name.
        page: String,
        /// The second operation.
        operation: String,
    },
}

/// Pretty JSON with a trailing newline.
pub fn json_file<T: serde::Serialize>(path: &str, value: &T) -> Result<GeneratedFile, OutputError> {
    let mut contents = serde_json::to_vec_pretty(value).map_err(|source| OutputError::Json {
        what: path.to_string(),
        source,
    })?;
    contents.push(b'\n');
    Ok(GeneratedFile {
        path: PathBuf::from(path),
        contents,
    })
}
