//! The model errata table (`specs/docker/model-errata.toml`): query parameters the
//! references omit and body fields they invent, corrected per version with a
//! reason. Every entry must still match; a stale entry is an error.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::fields::is_below;
use super::spec::{ApiSpec, Evidence, ItemFacts, OpKey};
use crate::ingest::SpecWarning;
use crate::version::ApiVersion;

const ERRATA_PATH: &str = "specs/docker/model-errata.toml";
const ERRATA_TOML: &str = include_str!("../../../../specs/docker/model-errata.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct AddQuery {
    versions: Vec<ApiVersion>,
    operation: String,
    name: String,
    reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Body {
    Request,
    Response,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct DropField {
    versions: Vec<ApiVersion>,
    operation: String,
    body: Body,
    field: String,
    reason: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct IncompleteBody {
    versions: Vec<ApiVersion>,
    operation: String,
    body: Body,
    reason: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    #[serde(default)]
    add_query: Vec<AddQuery>,
    #[serde(default)]
    drop_field: Vec<DropField>,
    #[serde(default)]
    incomplete_body: Vec<IncompleteBody>,
}

/// The table is broken or an entry no longer matches the corpus.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {message}", file = .file.display())]
pub struct ModelErrataError {
    /// The table's file.
    pub file: PathBuf,
    /// What is wrong.
    pub message: String,
}

/// Parsed model errata.
#[derive(Debug, Clone, Default)]
pub struct ModelErrata {
    table: Table,
    origin: PathBuf,
}

impl ModelErrata {
    /// Parses and validates a table.
    pub fn parse(text: &str, origin: &Path) -> Result<Self, ModelErrataError> {
        let err = |message: String| ModelErrataError {
            file: origin.to_path_buf(),
            message,
        };
        let table: Table = toml::from_str(text).map_err(|e| err(e.to_string()))?;
        let entries = table
            .add_query
            .iter()
            .map(|e| (&e.operation, &e.versions, &e.reason, &e.name))
            .chain(
                table
                    .drop_field
                    .iter()
                    .map(|e| (&e.operation, &e.versions, &e.reason, &e.field)),
            )
            .chain(
                table
                    .incomplete_body
                    .iter()
                    .map(|e| (&e.operation, &e.versions, &e.reason, &e.operation)),
            );
        for (n, (operation, versions, reason, name)) in entries.enumerate() {
            if OpKey::parse(operation).is_none() {
                return Err(err(format!(
                    "entry {}: {operation:?} is not `METHOD /path`",
                    n + 1
                )));
            }
            if versions.is_empty() || reason.trim().is_empty() || name.trim().is_empty() {
                return Err(err(format!(
                    "entry {} ({operation}): versions, reason and the name must not be empty",
                    n + 1
                )));
            }
        }
        Ok(Self {
            table,
            origin: origin.to_path_buf(),
        })
    }

    /// The built-in table.
    pub fn builtin() -> Result<Self, ModelErrataError> {
        Self::parse(ERRATA_TOML, Path::new(ERRATA_PATH))
    }

    /// Applies every entry to the versions it names; returns the corrections made.
    pub fn apply(&self, specs: &mut [ApiSpec]) -> Result<Vec<SpecWarning>, ModelErrataError> {
        let stale = |what: String| ModelErrataError {
            file: self.origin.clone(),
            message: format!("{what}; the corpus changed or the entry is stale"),
        };
        let mut warnings = Vec::new();
        for spec in specs.iter_mut() {
            let v = spec.version;
            let file = format!("v{v}");
            for e in self
                .table
                .add_query
                .iter()
                .filter(|e| e.versions.contains(&v))
            {
                let (key, op) = operation_mut(spec, &e.operation).map_err(&stale)?;
                if op.query.contains_key(&e.name) {
                    return Err(stale(format!(
                        "API {v} already documents query parameter {} of {}",
                        e.name, e.operation
                    )));
                }
                op.query
                    .insert(e.name.clone(), ItemFacts::plain(Evidence::Schema));
                warnings.push(SpecWarning {
                    file: file.clone(),
                    location: key.to_string(),
                    message: format!(
                        "errata: query parameter {:?} added: {}",
                        e.name,
                        e.reason.trim()
                    ),
                });
            }
            for e in self
                .table
                .drop_field
                .iter()
                .filter(|e| e.versions.contains(&v))
            {
                let (key, op) = operation_mut(spec, &e.operation).map_err(&stale)?;
                let fields = match e.body {
                    Body::Request => &mut op.request_fields,
                    Body::Response => &mut op.response_fields,
                };
                let below = |name: &str| name == e.field || is_below(name, &e.field);
                let before = fields.len();
                fields.retain(|name, _| !below(name));
                if fields.len() == before {
                    return Err(stale(format!(
                        "API {v} has no body field {} in {}",
                        e.field, e.operation
                    )));
                }
                warnings.push(SpecWarning {
                    file: file.clone(),
                    location: key.to_string(),
                    message: format!(
                        "errata: body field {:?} dropped: {}",
                        e.field,
                        e.reason.trim()
                    ),
                });
            }
            for e in self
                .table
                .incomplete_body
                .iter()
                .filter(|e| e.versions.contains(&v))
            {
                let (key, op) = operation_mut(spec, &e.operation).map_err(&stale)?;
                let complete = match e.body {
                    Body::Request => &mut op.request_fields_complete,
                    Body::Response => &mut op.response_fields_complete,
                };
                if !*complete {
                    return Err(stale(format!(
                        "API {v} does not describe the {:?} body of {} completely already",
                        e.body, e.operation
                    )));
                }
                *complete = false;
                warnings.push(SpecWarning {
                    file: file.clone(),
                    location: key.to_string(),
                    message: format!(
                        "errata: {} body schema incomplete (fields it omits are unknown, not absent): {}",
                        match e.body {
                            Body::Request => "request",
                            Body::Response => "response",
                        },
                        e.reason.trim()
                    ),
                });
            }
        }
        Ok(warnings)
    }
}

/// The operation an entry names, in one version's model.
fn operation_mut<'a>(
    spec: &'a mut ApiSpec,
    operation: &str,
) -> Result<(OpKey, &'a mut super::Operation), String> {
    let v = spec.version;
    let key = OpKey::parse(operation).ok_or_else(|| operation.to_string())?;
    let op = spec
        .operations
        .get_mut(&key)
        .ok_or_else(|| format!("API {v} has no operation {operation}"))?;
    Ok((key, op))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Operation;

    fn spec(fields: &[&str]) -> ApiSpec {
        let mut op = Operation::at("/commit");
        for f in fields {
            op.request_fields
                .insert(f.to_string(), ItemFacts::plain(Evidence::Example));
        }
        ApiSpec {
            version: ApiVersion::new(1, 20),
            operations: [(OpKey::new("POST", "/commit"), op)].into(),
            has_schemas: false,
        }
    }

    #[test]
    fn builtin_parses_and_entries_apply_or_fail_stale() {
        ModelErrata::builtin().unwrap();
        let table = ModelErrata::parse(
            "[[drop_field]]\nversions = [\"1.20\"]\noperation = \"POST /commit\"\nbody = \"request\"\nfield = \"Mounts\"\nreason = \"r\"\n\n[[add_query]]\nversions = [\"1.20\"]\noperation = \"POST /commit\"\nname = \"pause\"\nreason = \"r\"\n",
            Path::new("t.toml"),
        )
        .unwrap();
        let mut specs = vec![spec(&["Mounts", "Mounts[].Source", "Cmd"])];
        let warnings = table.apply(&mut specs).unwrap();
        assert_eq!(warnings.len(), 2);
        let op = specs[0].operations.values().next().unwrap();
        assert_eq!(op.request_fields.keys().collect::<Vec<_>>(), ["Cmd"]);
        assert!(op.query.contains_key("pause"));
        // Applied again, both entries are stale.
        assert!(table.apply(&mut specs).is_err());
        assert!(ModelErrata::parse(
            "[[add_query]]\nversions = []\noperation = \"GET /x\"\nname = \"a\"\nreason = \"r\"\n",
            Path::new("t")
        )
        .is_err());
    }
}
