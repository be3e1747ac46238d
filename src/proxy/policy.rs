//! `--allow MANIFEST [--strict]`: only the manifest's calls get through (with
//! `--strict`, only with their listed query parameters and body fields).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::analysis::usage::load_manifest;
use crate::analysis::usage::manifest::ManifestError;
use crate::analysis::Matrix;
use crate::model::OpKey;

/// The calls a manifest allows.
#[derive(Debug, Clone)]
pub struct AllowPolicy {
    file: PathBuf,
    strict: bool,
    calls: BTreeMap<OpKey, (Vec<String>, Vec<String>)>,
}

/// A refusal: the message the client gets with HTTP 403.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denied(pub String);

impl AllowPolicy {
    /// Loads and resolves the manifest against the matrix (errors name file and line).
    pub fn load(file: &Path, matrix: &Matrix, strict: bool) -> Result<Self, ManifestError> {
        let usage = load_manifest(file, matrix)?;
        let calls = usage
            .calls
            .into_iter()
            .map(|c| (c.key, (c.query, c.body)))
            .collect();
        Ok(Self {
            file: file.to_path_buf(),
            strict,
            calls,
        })
    }

    /// Whether a request for `operation` (`None`: no version documents the route,
    /// `requested` is what was asked) may pass.
    pub fn check_operation(&self, operation: Option<&OpKey>, display: &str) -> Result<(), Denied> {
        match operation {
            Some(key) if self.calls.contains_key(key) => Ok(()),
            _ => Err(Denied(format!(
                "dockmatrix proxy: {display} is not allowed by {}",
                self.file.display()
            ))),
        }
    }

    /// Whether the query parameters may pass (always, unless `--strict`).
    pub fn check_query(&self, key: &OpKey, display: &str, names: &[String]) -> Result<(), Denied> {
        self.check_items(key, display, names, "query parameter", |c| &c.0)
    }

    /// Whether the body fields may pass (always, unless `--strict`).
    pub fn check_body(&self, key: &OpKey, display: &str, fields: &[String]) -> Result<(), Denied> {
        self.check_items(key, display, fields, "body field", |c| &c.1)
    }

    /// Whether bodies must be inspected.
    pub fn is_strict(&self) -> bool {
        self.strict
    }

    /// The refusal of a body that cannot be inspected under `--strict`.
    pub fn uninspectable(&self, display: &str) -> Denied {
        Denied(format!(
            "dockmatrix proxy: the body of {display} cannot be inspected (not a JSON body of known length up to 1 MiB), so --strict refuses it ({})",
            self.file.display()
        ))
    }

    fn check_items(
        &self,
        key: &OpKey,
        display: &str,
        used: &[String],
        what: &str,
        listed: fn(&(Vec<String>, Vec<String>)) -> &Vec<String>,
    ) -> Result<(), Denied> {
        if !self.strict {
            return Ok(());
        }
        let Some(call) = self.calls.get(key) else {
            return Ok(());
        };
        let allowed = listed(call);
        match used.iter().find(|u| !allowed.contains(u)) {
            None => Ok(()),
            Some(item) => Err(Denied(format!(
                "dockmatrix proxy: {what} {item} of {display} is not allowed by {} (--strict)",
                self.file.display()
            ))),
        }
    }
}
