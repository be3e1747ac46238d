//! Ingest: turn one upstream reference document into an OpenAPI 3.0 document.
//!
//! Swagger 2.0 files (API v1.25+) go through [`swagger`], markdown reference pages
//! (API v1.0–v1.24) through [`markdown`]. Both yield an [`IngestedSpec`]; nothing
//! downstream knows which format a version came from.

pub mod error;
pub mod experimental;
pub mod extensions;
pub mod markdown;
pub mod refs;
pub mod swagger;
pub mod validate;

use std::path::Path;

pub use error::{IngestError, SpecWarning};
pub use swagger::parse::ParseCache;

use crate::version::ApiVersion;

/// The two upstream document formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecFormat {
    /// Swagger 2.0 YAML (`v1.25.yaml` …).
    Swagger,
    /// Hand-written markdown reference (`v1.0.md` … `v1.24.md`).
    Markdown,
}

impl SpecFormat {
    /// The format a file name implies (`.yaml`/`.yml`/`.json` → Swagger, `.md` → markdown).
    pub fn from_file_name(name: &str) -> Option<Self> {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".md") {
            Some(Self::Markdown)
        } else if lower.ends_with(".yaml") || lower.ends_with(".yml") || lower.ends_with(".json") {
            Some(Self::Swagger)
        } else {
            None
        }
    }
}

/// One API version's document, converted to OpenAPI 3.0.
#[derive(Debug, Clone)]
pub struct IngestedSpec {
    /// The API version the document describes.
    pub version: ApiVersion,
    /// The converted document.
    pub openapi: openapiv3::OpenAPI,
    /// Upstream defects that were worked around.
    pub warnings: Vec<SpecWarning>,
}

/// Converts the text of one spec file. `file` is used in errors only.
pub fn ingest_text(
    file: &Path,
    format: SpecFormat,
    expected: ApiVersion,
    bytes: &[u8],
) -> Result<IngestedSpec, IngestError> {
    ingest_text_shared(file, format, expected, bytes, None)
}

/// Like [`ingest_text`], sharing parsed Swagger entries with the other
/// documents of one load through `cache` (same result, less parsing).
pub fn ingest_text_shared(
    file: &Path,
    format: SpecFormat,
    expected: ApiVersion,
    bytes: &[u8],
    cache: Option<&ParseCache>,
) -> Result<IngestedSpec, IngestError> {
    let text = std::str::from_utf8(bytes).map_err(|e| IngestError::NotText {
        file: file.to_path_buf(),
        offset: e.valid_up_to(),
    })?;
    if text.trim().is_empty() {
        return Err(IngestError::Empty {
            file: file.to_path_buf(),
        });
    }
    match format {
        SpecFormat::Swagger => swagger::convert(file, expected, text, cache),
        SpecFormat::Markdown => markdown::convert(file, expected, text),
    }
}

/// Reads and converts one spec file.
pub fn ingest_file(
    file: &Path,
    format: SpecFormat,
    expected: ApiVersion,
) -> Result<IngestedSpec, IngestError> {
    let bytes = std::fs::read(file).map_err(|source| IngestError::Io {
        file: file.to_path_buf(),
        source,
    })?;
    ingest_text(file, format, expected, &bytes)
}
