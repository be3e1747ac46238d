//! `dockmatrix convert --api V`.

use crate::cli::Failure;
use dockmatrix_core::corpus::Corpus;

/// Prints one version as an OpenAPI 3.0 JSON document.
pub fn convert(corpus: &Corpus, api: &str) -> Result<String, Failure> {
    let version = corpus.known_version(api)?;
    let spec = corpus.load(version)?;
    super::json(&spec.openapi)
}
