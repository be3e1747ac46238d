//! Markdown reference pages (API v1.0–v1.24) → OpenAPI 3.0.

use std::path::Path;

use super::{IngestError, IngestedSpec};
use crate::version::ApiVersion;

/// Parses a markdown reference page into an OpenAPI 3.0 document (no schemas).
pub fn convert(file: &Path, expected: ApiVersion, text: &str) -> Result<IngestedSpec, IngestError> {
    let _ = (expected, text);
    Err(IngestError::Invalid {
        file: file.to_path_buf(),
        line: None,
        pointer: String::new(),
        message: "Markdown ingest is not implemented yet".into(),
    })
}
