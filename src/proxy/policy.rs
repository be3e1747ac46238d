//! `--allow MANIFEST [--strict]`: what a manifest lets through.
//!
//! Always: only the manifest's calls; only at the API versions it was
//! recorded or declared at (from `minimum.api` to the pinned version, if any,
//! with no upper end for negotiating clients; unversioned requests are served at
//! the daemon's own version); and a call
//! whose entry lists no body fields sets nothing in a body. With `--strict`,
//! also only the listed query parameters and body fields, no member a document
//! does not know, and no member given twice.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::items::BodyUse;
use dockmatrix_core::analysis::usage::load_manifest;
use dockmatrix_core::analysis::usage::manifest::{ManifestError, RequestVersion, Undocumented};
use dockmatrix_core::analysis::Matrix;
use dockmatrix_core::model::OpKey;
use dockmatrix_core::version::ApiVersion;

/// The calls a manifest allows, and at which versions.
#[derive(Debug, Clone)]
pub struct AllowPolicy {
    file: PathBuf,
    strict: bool,
    lowest: ApiVersion,
    highest: Option<ApiVersion>,
    calls: BTreeMap<OpKey, Listed>,
}

/// What a manifest lists for one call.
#[derive(Debug, Clone, Default)]
pub struct Listed {
    query: Vec<String>,
    zero_query: Vec<String>,
    body: Vec<String>,
    undocumented: Undocumented,
}

impl Listed {
    /// Whether the entry lists body fields.
    pub fn has_body_fields(&self) -> bool {
        !self.body.is_empty()
    }
}

/// A refusal: the rule that decided and the message the client gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denied {
    /// The rule's name, e.g. `allow.operation` (logged and in the answer).
    pub rule: &'static str,
    /// The message.
    pub message: String,
}

impl AllowPolicy {
    /// Loads and resolves the manifest against the matrix (errors name file and line).
    pub fn load(file: &Path, matrix: &Matrix, strict: bool) -> Result<Self, ManifestError> {
        let usage = load_manifest(file, matrix)?;
        let highest = match usage.manifest.client.api_version {
            RequestVersion::Pinned(v) => Some(v),
            RequestVersion::Unversioned | RequestVersion::Negotiated => None,
        };
        let calls = usage
            .calls
            .into_iter()
            .map(|c| {
                (
                    c.key,
                    Listed {
                        query: c.query,
                        zero_query: c.zero_query,
                        body: c.body,
                        undocumented: c.undocumented,
                    },
                )
            })
            .collect();
        Ok(Self {
            file: file.to_path_buf(),
            strict,
            lowest: usage.manifest.minimum.api,
            highest,
            calls,
        })
    }

    /// Whether `--strict` is on.
    pub fn is_strict(&self) -> bool {
        self.strict
    }

    /// The manifest's entry for an operation (`None`: no version documents the route).
    pub fn check_operation(
        &self,
        operation: Option<&OpKey>,
        display: &str,
    ) -> Result<&Listed, Denied> {
        operation
            .and_then(|key| self.calls.get(key))
            .ok_or_else(|| self.deny("allow.operation", format!("{display} is not allowed by")))
    }

    /// Whether the requested API version is inside the manifest's window.
    pub fn check_version(
        &self,
        requested: Option<ApiVersion>,
        display: &str,
    ) -> Result<(), Denied> {
        let Some(v) = requested else {
            return Ok(());
        };
        let window = match self.highest {
            Some(h) => format!("{}–{h}", self.lowest),
            None => format!("{} or newer", self.lowest),
        };
        if v < self.lowest || self.highest.is_some_and(|h| v > h) {
            return Err(self.deny(
                "allow.version",
                format!("{display} asks for API {v}, outside API {window} allowed by"),
            ));
        }
        Ok(())
    }

    /// Whether the query parameters may pass (always, unless `--strict`).
    pub fn check_query(
        &self,
        listed: &Listed,
        display: &str,
        names: &[String],
    ) -> Result<(), Denied> {
        if !self.strict {
            return Ok(());
        }
        let known = |n: &&String| {
            listed.query.contains(n)
                || listed.zero_query.contains(n)
                || listed.undocumented.query.contains(n)
        };
        match names.iter().find(|n| !known(n)) {
            None => Ok(()),
            Some(name) => Err(self.deny(
                "strict.query",
                format!("query parameter {name} of {display} is not listed in"),
            )),
        }
    }

    /// Whether a JSON body may pass: an entry without body fields sets nothing;
    /// under `--strict`, only listed fields, nothing unknown, nothing twice.
    /// `sets_nothing`: every member of the body is its zero value.
    pub fn check_body(
        &self,
        listed: &Listed,
        display: &str,
        reading: &BodyUse,
        sets_nothing: bool,
    ) -> Result<(), Denied> {
        if !listed.has_body_fields() && !sets_nothing {
            return Err(self.deny(
                "allow.body",
                format!("{display} sends a body that sets something, and no body field of it is listed in"),
            ));
        }
        if !self.strict {
            return Ok(());
        }
        if let Some(path) = reading.duplicates.first() {
            return Err(self.deny(
                "strict.duplicate-field",
                format!("body field {path} of {display} is given twice (names that differ only in case are one field to dockerd), refused by"),
            ));
        }
        let undocumented = &listed.undocumented.body;
        if let Some(path) = reading.unknown.iter().find(|u| !undocumented.contains(u)) {
            return Err(self.deny(
                "strict.unknown-field",
                format!(
                    "body member {path} of {display} is documented by no API version nor listed in"
                ),
            ));
        }
        match reading.set.iter().find(|f| !listed.body.contains(f)) {
            None => Ok(()),
            Some(field) => Err(self.deny(
                "strict.body-field",
                format!("body field {field} of {display} is not listed in"),
            )),
        }
    }

    /// The refusal of a body the proxy cannot read as dockerd would.
    pub fn unreadable(&self, display: &str, why: &str) -> Denied {
        self.deny(
            "allow.body-unreadable",
            format!("the body of {display} cannot be read as dockerd would read it ({why}), so it is refused by"),
        )
    }

    /// A refusal by rule `rule`; `message` ends where the manifest is named.
    pub fn deny(&self, rule: &'static str, message: String) -> Denied {
        Denied {
            rule,
            message: format!(
                "dockmatrix proxy: {message} {}{} (rule {rule})",
                self.file.display(),
                if self.strict { " --strict" } else { "" }
            ),
        }
    }
}
