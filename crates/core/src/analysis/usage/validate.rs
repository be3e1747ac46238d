//! Checking a parsed manifest against the matrix: every call, parameter, field
//! and version must exist; errors carry the manifest line and nearest matches.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::manifest::{
    line_of, read_manifest, Manifest, ManifestError, RequestVersion, Undocumented,
};
use crate::analysis::{ItemHistory, Matrix, OperationHistory};
use crate::model::OpKey;
use crate::suggest::{hint, nearest_names, nearest_releases, nearest_versions};
use crate::version::ApiVersion;

/// A manifest whose calls are all known operations.
#[derive(Debug, Clone)]
pub struct UsageManifest {
    /// The file it came from.
    pub file: PathBuf,
    /// The manifest as written.
    pub manifest: Manifest,
    /// The calls, in manifest order.
    pub calls: Vec<ResolvedCall>,
    /// The line of `minimum.api`, when found.
    pub minimum_line: Option<usize>,
}

/// One call matched to the matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedCall {
    /// The operation's key.
    pub key: OpKey,
    /// The call as the manifest writes it.
    pub written: String,
    /// Query parameters it uses (each known to the operation).
    pub query: Vec<String>,
    /// Query parameters it sends with their zero value only (each known).
    pub zero_query: Vec<String>,
    /// Request body fields it uses (each known to the operation).
    pub body: Vec<String>,
    /// Response body fields it reads (each known to the operation).
    pub response: Vec<String>,
    /// What it sends that no API version documents (not checked).
    pub undocumented: Undocumented,
    /// Notes from the manifest.
    pub notes: Option<String>,
    /// Line in the manifest.
    pub line: Option<usize>,
}

impl UsageManifest {
    /// `Name Version`, e.g. `Kubernetes 1.4`.
    pub fn title(&self) -> String {
        format!(
            "{} {}",
            self.manifest.consumer.name, self.manifest.consumer.version
        )
    }
}

/// Reads, parses and validates a manifest file against the matrix.
pub fn load_manifest(file: &Path, matrix: &Matrix) -> Result<UsageManifest, ManifestError> {
    let (manifest, text) = read_manifest(file)?;
    validate(file, &text, manifest, matrix)
}

/// Checks a parsed manifest against the matrix. `text` is the manifest source,
/// used to find the line of each error.
pub fn validate(
    file: &Path,
    text: &str,
    manifest: Manifest,
    matrix: &Matrix,
) -> Result<UsageManifest, ManifestError> {
    let err = |line: Option<usize>, message: String| ManifestError::at(file, line, message);
    let known = |v: ApiVersion, what: &str, key: &str| {
        if matrix.api_versions.contains(&v) {
            return Ok(());
        }
        let nearest: Vec<String> = nearest_versions(v, &matrix.api_versions, 3)
            .iter()
            .map(ToString::to_string)
            .collect();
        Err(err(
            key_line(text, key),
            format!("unknown API version {v} in {what}{}", hint(&nearest)),
        ))
    };
    known(manifest.minimum.api, "minimum.api", "api:")?;
    if let RequestVersion::Pinned(v) = manifest.client.api_version {
        known(v, "client.api_version", "api_version:")?;
    }
    if let Some(docker) = &manifest.minimum.docker {
        if !matrix.releases.iter().any(|r| &r.docker == docker) {
            let names = matrix.releases.iter().map(|r| r.docker.as_str());
            return Err(err(
                key_line(text, "docker:"),
                format!(
                    "unknown Docker release {docker} in minimum.docker{}",
                    hint(&nearest_releases(docker, names, 3))
                ),
            ));
        }
    }
    if manifest.calls.is_empty() {
        return Err(err(key_line(text, "calls:"), "no calls listed".into()));
    }
    let displays: Vec<String> = matrix.operations.iter().map(|o| o.display()).collect();
    let mut seen: BTreeMap<OpKey, Option<usize>> = BTreeMap::new();
    let mut occurrences: BTreeMap<&str, usize> = BTreeMap::new();
    let mut calls = Vec::with_capacity(manifest.calls.len());
    for entry in &manifest.calls {
        let written = entry.call().trim();
        let nth = occurrences.entry(written).or_insert(0);
        let line = line_of(text, written, *nth);
        *nth += 1;
        let nearest = || {
            hint(&nearest_names(
                written,
                displays.iter().map(String::as_str),
                3,
            ))
        };
        let key = OpKey::parse(written).ok_or_else(|| {
            err(
                line,
                format!(
                    "{written:?} is not a call: expected \"METHOD /path\"{}",
                    nearest()
                ),
            )
        })?;
        let op = matrix
            .operation(&key)
            .ok_or_else(|| err(line, format!("unknown call {written}{}", nearest())))?;
        if let Some(first) = seen.get(&key) {
            let at = first
                .map(|l| format!(" (first at line {l})"))
                .unwrap_or_default();
            return Err(err(
                line,
                format!(
                    "duplicate call {written}: {} is already listed{at}",
                    op.display()
                ),
            ));
        }
        seen.insert(key.clone(), line);
        check_items(op, entry.query(), &op.query, "query parameter").map_err(|m| err(line, m))?;
        check_items(op, entry.zero_query(), &op.query, "query parameter")
            .map_err(|m| err(line, m))?;
        check_items(op, entry.body(), &op.request_fields, "request body field")
            .map_err(|m| err(line, m))?;
        check_items(op, entry.response(), &op.response_fields, "response field")
            .map_err(|m| err(line, m))?;
        calls.push(ResolvedCall {
            key,
            written: written.to_string(),
            query: entry.query().to_vec(),
            zero_query: entry.zero_query().to_vec(),
            body: entry.body().to_vec(),
            response: entry.response().to_vec(),
            undocumented: entry.undocumented(),
            notes: entry.notes().map(str::to_string),
            line,
        });
    }
    Ok(UsageManifest {
        file: file.to_path_buf(),
        manifest,
        calls,
        minimum_line: key_line(text, "api:"),
    })
}

/// Every listed name must be an item of the operation in some version.
fn check_items(
    op: &OperationHistory,
    names: &[String],
    items: &[ItemHistory],
    what: &str,
) -> Result<(), String> {
    for (i, name) in names.iter().enumerate() {
        if names.iter().take(i).any(|n| n == name) {
            return Err(format!("duplicate {what} {name} of {}", op.display()));
        }
        if !items.iter().any(|it| &it.name == name) {
            let nearest = nearest_names(name, items.iter().map(|it| it.name.as_str()), 3);
            return Err(format!(
                "unknown {what} {name} of {} in every API version{}",
                op.display(),
                hint(&nearest)
            ));
        }
    }
    Ok(())
}

/// The line of the first line whose content starts with `key`.
fn key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| l.trim_start().trim_start_matches("- ").starts_with(key))
        .map(|i| i + 1)
}
