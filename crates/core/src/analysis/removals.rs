//! Declared real removals (`specs/docker/removals.toml`): gaps in the references
//! that are not documentation accidents but a daemon that really dropped an item
//! and a later one that brought it back.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::model::OpKey;
use crate::version::ApiVersion;

const REMOVALS_PATH: &str = "specs/docker/removals.toml";
const REMOVALS_TOML: &str = include_str!("../../../../specs/docker/removals.toml");

/// The kind of item a lifecycle is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum ItemKind {
    /// The operation itself.
    #[serde(rename = "operation")]
    Operation,
    /// A query parameter.
    #[serde(rename = "query")]
    Query,
    /// A request body field.
    #[serde(rename = "request field")]
    RequestField,
    /// A response body field.
    #[serde(rename = "response field")]
    ResponseField,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    operation: String,
    kind: ItemKind,
    #[serde(default)]
    name: String,
    version: ApiVersion,
    reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    #[serde(default)]
    removal: Vec<Entry>,
}

/// The table is broken.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {message}", file = .file.display())]
pub struct RemovalsError {
    /// The table's file.
    pub file: PathBuf,
    /// What is wrong.
    pub message: String,
}

/// Declared real removals, by item.
#[derive(Debug, Clone, Default)]
pub struct RealRemovals {
    entries: Vec<(OpKey, ItemKind, String, ApiVersion)>,
}

impl RealRemovals {
    /// Parses and validates a table.
    pub fn parse(text: &str, origin: &Path) -> Result<Self, RemovalsError> {
        let err = |message: String| RemovalsError {
            file: origin.to_path_buf(),
            message,
        };
        let table: Table = toml::from_str(text).map_err(|e| err(e.to_string()))?;
        let mut entries = Vec::new();
        for (i, e) in table.removal.into_iter().enumerate() {
            let n = i + 1;
            let key = OpKey::parse(&e.operation).ok_or_else(|| {
                err(format!(
                    "entry {n}: {:?} is not `METHOD /path`",
                    e.operation
                ))
            })?;
            if e.reason.trim().is_empty() {
                return Err(err(format!("entry {n}: `reason` is empty")));
            }
            if (e.kind == ItemKind::Operation) != e.name.is_empty() {
                return Err(err(format!(
                    "entry {n}: `name` must be empty for an operation and given otherwise"
                )));
            }
            entries.push((key, e.kind, e.name, e.version));
        }
        Ok(Self { entries })
    }

    /// The built-in table.
    pub fn builtin() -> Result<Self, RemovalsError> {
        Self::parse(REMOVALS_TOML, Path::new(REMOVALS_PATH))
    }

    /// Versions at which the item's absence is declared real.
    pub fn at(&self, key: &OpKey, kind: ItemKind, name: &str) -> Vec<ApiVersion> {
        self.entries
            .iter()
            .filter(|(k, kd, n, _)| k == key && *kd == kind && n == name)
            .map(|(_, _, _, v)| *v)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_is_valid_and_entries_are_found() {
        RealRemovals::builtin().unwrap();
        let table = RealRemovals::parse(
            "[[removal]]\noperation = \"DELETE /containers/(id)\"\nkind = \"query\"\nname = \"link\"\nversion = \"1.25\"\nreason = \"test\"\n",
            Path::new("t.toml"),
        )
        .unwrap();
        let key = OpKey::new("DELETE", "/containers/{name}");
        assert_eq!(
            table.at(&key, ItemKind::Query, "link"),
            [ApiVersion::new(1, 25)]
        );
        assert!(table.at(&key, ItemKind::Query, "v").is_empty());
        for bad in [
            "[[removal]]\noperation = \"nope\"\nkind = \"query\"\nname = \"x\"\nversion = \"1.25\"\nreason = \"r\"\n",
            "[[removal]]\noperation = \"GET /x\"\nkind = \"operation\"\nname = \"x\"\nversion = \"1.25\"\nreason = \"r\"\n",
            "[[removal]]\noperation = \"GET /x\"\nkind = \"query\"\nname = \"x\"\nversion = \"1.25\"\nreason = \" \"\n",
        ] {
            assert!(RealRemovals::parse(bad, Path::new("t.toml")).is_err(), "{bad}");
        }
    }
}
