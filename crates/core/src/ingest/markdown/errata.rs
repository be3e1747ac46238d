//! The errata table (`specs/docker/errata.toml`): line replacements for defects in the
//! reference pages that no general rule can read. Every entry must still match its
//! page; a stale entry is an error.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::blocks::SourceLine;
use crate::ingest::{IngestError, SpecWarning};
use crate::version::ApiVersion;

/// Where the table lives in the repository (used in error messages).
const ERRATA_PATH: &str = "specs/docker/errata.toml";

/// The table, compiled into the binary.
const ERRATA_TOML: &str = include_str!("../../../../../specs/docker/errata.toml");

/// One line replacement.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Erratum {
    /// API versions whose pages the entry applies to.
    pub versions: Vec<ApiVersion>,
    /// Exact text of the defective line (compared trimmed).
    pub line: String,
    /// Replacement text.
    pub becomes: String,
    /// Why the line cannot be read as written.
    pub reason: String,
}

/// An operation a page documents in prose only (no route line of its own), added
/// to the page's document with a reason.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ExtraOperation {
    /// API versions whose pages the entry applies to.
    pub versions: Vec<ApiVersion>,
    /// Exact text of the page line that documents it (compared trimmed); it must
    /// occur exactly once.
    pub anchor: String,
    /// Upper-case HTTP method.
    pub method: String,
    /// OpenAPI-style path.
    pub path: String,
    /// Title (summary).
    pub title: String,
    /// Media type of the success response.
    pub produces: String,
    /// Why the page is read this way.
    pub reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    #[serde(default)]
    erratum: Vec<Erratum>,
    #[serde(default)]
    operation: Vec<ExtraOperation>,
}

/// Parses and validates an errata table's line replacements (tests).
#[cfg(test)]
fn parse(text: &str, origin: &Path) -> Result<Vec<Erratum>, IngestError> {
    Ok(parse_all(text, origin)?.0)
}

/// Parses and validates a whole errata table: line replacements and extra operations.
pub(crate) fn parse_all(
    text: &str,
    origin: &Path,
) -> Result<(Vec<Erratum>, Vec<ExtraOperation>), IngestError> {
    let err = |message: String| IngestError::Errata {
        file: origin.to_path_buf(),
        message,
    };
    let table: Table = toml::from_str(text).map_err(|e| err(e.to_string()))?;
    for (i, e) in table.erratum.iter().enumerate() {
        let n = i + 1;
        if e.versions.is_empty() {
            return Err(err(format!("entry {n}: `versions` is empty")));
        }
        if e.line.trim().is_empty() || e.becomes.trim().is_empty() {
            return Err(err(format!(
                "entry {n}: `line` and `becomes` must not be empty"
            )));
        }
        if e.reason.trim().is_empty() {
            return Err(err(format!("entry {n}: `reason` is empty")));
        }
        if e.line.contains('\n') {
            return Err(err(format!("entry {n}: `line` must be a single line")));
        }
    }
    for (i, e) in table.operation.iter().enumerate() {
        let n = i + 1;
        let method_ok = crate::path::HTTP_METHODS.contains(&e.method.as_str());
        if e.versions.is_empty()
            || !method_ok
            || !e.path.starts_with('/')
            || e.anchor.trim().is_empty()
            || e.title.trim().is_empty()
            || e.produces.trim().is_empty()
            || e.reason.trim().is_empty()
        {
            return Err(err(format!(
                "operation entry {n}: needs versions, an upper-case HTTP method, a /path, anchor, title, produces and reason"
            )));
        }
    }
    Ok((table.erratum, table.operation))
}

/// The built-in table: line replacements and extra operations, parsed once.
pub(crate) fn builtin() -> Result<(Vec<Erratum>, Vec<ExtraOperation>), IngestError> {
    parse_all(ERRATA_TOML, &PathBuf::from(ERRATA_PATH))
}

/// The line an extra operation's anchor is on; exactly one must match.
pub(crate) fn anchor_line(
    extra: &ExtraOperation,
    file: &Path,
    version: ApiVersion,
    lines: &[SourceLine],
) -> Result<usize, IngestError> {
    let wanted = extra.anchor.trim();
    let hits: Vec<usize> = lines
        .iter()
        .filter(|l| l.text.trim() == wanted)
        .map(|l| l.no)
        .collect();
    match hits.as_slice() {
        [line] => Ok(*line),
        _ => Err(IngestError::Errata {
            file: file.to_path_buf(),
            message: format!(
                "operation entry {} {} (API {version}): anchor {wanted:?} matches {} lines instead of exactly one; \
                 the page changed or the entry is stale",
                extra.method,
                extra.path,
                hits.len()
            ),
        }),
    }
}

/// Applies every entry for `version` to the page lines. Each entry must match exactly
/// one line; the replacement keeps the original line number.
pub(crate) fn apply(
    errata: &[Erratum],
    file: &Path,
    version: ApiVersion,
    lines: &mut [SourceLine],
    warnings: &mut Vec<SpecWarning>,
) -> Result<(), IngestError> {
    let file_name = super::file_name(file);
    for e in errata.iter().filter(|e| e.versions.contains(&version)) {
        let wanted = e.line.trim();
        let hits: Vec<usize> = lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.text.trim() == wanted)
            .map(|(i, _)| i)
            .collect();
        let [index] = hits.as_slice() else {
            return Err(IngestError::Errata {
                file: file.to_path_buf(),
                message: format!(
                    "entry for {wanted:?} (API {version}) matches {} lines instead of exactly one; \
                     the page changed or the entry is stale",
                    hits.len()
                ),
            });
        };
        if let Some(line) = lines.get_mut(*index) {
            warnings.push(SpecWarning {
                file: file_name.clone(),
                location: format!("line {}", line.no),
                message: format!(
                    "errata: {wanted:?} read as {:?}: {}",
                    e.becomes.trim(),
                    e.reason.trim()
                ),
            });
            line.text = e.becomes.trim().to_string();
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<SourceLine> {
        SourceLine::numbered(text)
    }

    #[test]
    fn builtin_table_is_valid_and_documented() {
        let (table, operations) = builtin().unwrap();
        assert!(!table.is_empty() && !operations.is_empty());
        for e in &table {
            assert!(e.reason.len() > 20, "reason too short: {e:?}");
        }
    }

    #[test]
    fn stale_entry_is_an_error() {
        let table = parse(
            "[[erratum]]\nversions = [\"1.5\"]\nline = \"`GET /nothing`\"\nbecomes = \"`GET /x`\"\nreason = \"test\"\n",
            Path::new("t.toml"),
        )
        .unwrap();
        let mut ls = lines("# T\n`GET /other`\n");
        let err = apply(
            &table,
            Path::new("v1.5.md"),
            ApiVersion::new(1, 5),
            &mut ls,
            &mut Vec::new(),
        )
        .unwrap_err();
        assert!(matches!(err, IngestError::Errata { .. }), "{err}");
        // Other versions are untouched.
        apply(
            &table,
            Path::new("v1.6.md"),
            ApiVersion::new(1, 6),
            &mut ls,
            &mut Vec::new(),
        )
        .unwrap();
    }

    #[test]
    fn replacement_keeps_line_number() {
        let table = parse(
            "[[erratum]]\nversions = [\"1.5\"]\nline = \"`GET /bad thing`\"\nbecomes = \"`GET /good`\"\nreason = \"test\"\n",
            Path::new("t.toml"),
        )
        .unwrap();
        let mut ls = lines("# T\n\n  `GET /bad thing`  \n");
        let mut w = Vec::new();
        apply(
            &table,
            Path::new("v1.5.md"),
            ApiVersion::new(1, 5),
            &mut ls,
            &mut w,
        )
        .unwrap();
        assert_eq!(ls[2].text, "`GET /good`");
        assert_eq!(ls[2].no, 3);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].location, "line 3");
    }

    #[test]
    fn malformed_entries_are_rejected() {
        for bad in [
            "[[erratum]]\nversions = []\nline = \"a\"\nbecomes = \"b\"\nreason = \"r\"\n",
            "[[erratum]]\nversions = [\"1.1\"]\nline = \"a\"\nbecomes = \"b\"\nreason = \"\"\n",
            "[[erratum]]\nversions = [\"x\"]\nline = \"a\"\nbecomes = \"b\"\nreason = \"r\"\n",
            "[[erratum]]\nversions = [\"1.1\"]\nline = \"a\"\nbecomes = \"b\"\n",
        ] {
            assert!(parse(bad, Path::new("t.toml")).is_err(), "{bad}");
        }
    }
}
