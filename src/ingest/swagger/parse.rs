//! YAML → [`Document`], with errors located by line and column.

use std::path::Path;

use super::document::Document;
use crate::ingest::IngestError;

/// Parses the YAML text of a Swagger document. Syntax errors and values of the
/// wrong shape (for example `paths` written as a list) are reported with their
/// line and column; the message names the offending key path where the YAML
/// library knows it.
pub fn parse_document(file: &Path, text: &str) -> Result<Document, IngestError> {
    serde_norway::from_str::<Document>(text).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((0, 0));
        IngestError::Syntax {
            file: file.to_path_buf(),
            line,
            column,
            message: strip_location(&e.to_string()),
        }
    })
}

/// Drops the library's own ` at line L column C` suffix (the error prints its own).
fn strip_location(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(pos) => message.get(..pos).unwrap_or(message).to_owned(),
        None => message.to_owned(),
    }
}
