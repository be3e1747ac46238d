//! Ingest: turn one upstream reference document into an OpenAPI 3.0 document.
//!
//! Swagger 2.0 files (API v1.25+) go through [`swagger`], markdown reference pages
//! (API v1.0–v1.24) through [`markdown`]. Both yield an [`IngestedSpec`]; nothing
//! downstream knows which format a version came from.

pub mod error;
pub mod experimental;
pub mod extensions;
pub mod load;
pub mod markdown;
pub mod refs;
pub mod swagger;
pub mod validate;

use std::path::Path;

pub use crate::corpus::SpecFormat;
pub use error::{IngestError, SpecWarning};
pub use load::LoadError;
pub use swagger::parse::ParseCache;

use crate::version::ApiVersion;

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
