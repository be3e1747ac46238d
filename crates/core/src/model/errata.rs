//! The model errata table (`specs/docker/model-errata.toml`): query parameters the
//! references omit, body fields they invent or misname, corrected per version with
//! a reason. Every entry must still match; a stale entry is an error. Dropped and
//! renamed fields are documentation fixes ([`DocFix`]): `history`, `diff` and the
//! site show them as corrections of the documents, not changes of the API.

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

impl Body {
    /// The fields of this body of an operation.
    fn fields_mut(self, op: &mut super::Operation) -> &mut super::spec::Items {
        match self {
            Body::Request => &mut op.request_fields,
            Body::Response => &mut op.response_fields,
        }
    }
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
struct RenameField {
    versions: Vec<ApiVersion>,
    operation: String,
    body: Body,
    field: String,
    becomes: String,
    /// Where the fields below `field` continue (default: `becomes`), e.g. a
    /// single object documented where the daemon has a list of them.
    #[serde(default)]
    children: Option<String>,
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
    rename_field: Vec<RenameField>,
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

/// A correction of the documents: a body field they invent (`becomes: None`)
/// or misname, at the versions that carry the error.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DocFix {
    /// The operation.
    #[serde(skip)]
    pub operation: OpKey,
    /// The operation as the table names it (`METHOD /path`).
    pub call: String,
    /// `request` or `response`.
    pub body: &'static str,
    /// The field as the documents wrongly give it.
    pub field: String,
    /// The field the daemon has instead, if any.
    pub becomes: Option<String>,
    /// The API versions whose documents carry the error, oldest first.
    pub versions: Vec<ApiVersion>,
    /// Why it is an error of the documents.
    pub reason: String,
}

impl DocFix {
    /// `1.25–1.43` (or `1.24`): the versions with the error.
    pub fn span(&self) -> String {
        match (self.versions.first(), self.versions.last()) {
            (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
            (Some(a), _) => a.to_string(),
            _ => String::new(),
        }
    }

    /// `response field Warning at 1.25–1.43 is Warnings` / `… never existed`.
    pub fn text(&self) -> String {
        let what = match &self.becomes {
            Some(b) => format!("is {b} (misnamed by the documents)"),
            None => "never existed (invented by the documents)".into(),
        };
        format!(
            "{} field {} at {} {what}",
            self.body,
            self.field,
            self.span()
        )
    }
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
                    .rename_field
                    .iter()
                    .map(|e| (&e.operation, &e.versions, &e.reason, &e.becomes)),
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

    /// The documentation fixes of one operation.
    pub fn doc_fixes_of(&self, op: &OpKey) -> Vec<DocFix> {
        self.doc_fixes()
            .into_iter()
            .filter(|f| &f.operation == op)
            .collect()
    }

    /// The documentation fixes at a step from API `a` to `b`: those whose
    /// documents carry the error on one side of the step only.
    pub fn doc_fixes_between(&self, a: ApiVersion, b: ApiVersion) -> Vec<DocFix> {
        self.doc_fixes()
            .into_iter()
            .filter(|f| f.versions.contains(&a) != f.versions.contains(&b))
            .collect()
    }

    /// The documentation fixes (dropped and renamed body fields), in table order.
    pub fn doc_fixes(&self) -> Vec<DocFix> {
        let body = |b: Body| match b {
            Body::Request => "request",
            Body::Response => "response",
        };
        let sorted = |v: &[ApiVersion]| {
            let mut v = v.to_vec();
            v.sort();
            v
        };
        let dropped = self.table.drop_field.iter().filter_map(|e| {
            Some(DocFix {
                operation: OpKey::parse(&e.operation)?,
                call: e.operation.clone(),
                body: body(e.body),
                field: e.field.clone(),
                becomes: None,
                versions: sorted(&e.versions),
                reason: e.reason.trim().to_string(),
            })
        });
        let renamed = self.table.rename_field.iter().filter_map(|e| {
            Some(DocFix {
                operation: OpKey::parse(&e.operation)?,
                call: e.operation.clone(),
                body: body(e.body),
                field: e.field.clone(),
                becomes: Some(e.becomes.clone()),
                versions: sorted(&e.versions),
                reason: e.reason.trim().to_string(),
            })
        });
        dropped.chain(renamed).collect()
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
                let fields = e.body.fields_mut(op);
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
                .rename_field
                .iter()
                .filter(|e| e.versions.contains(&v))
            {
                let (key, op) = operation_mut(spec, &e.operation).map_err(&stale)?;
                let fields = e.body.fields_mut(op);
                let children = e.children.as_deref().unwrap_or(&e.becomes);
                let moved: Vec<String> = fields
                    .keys()
                    .filter(|name| *name == &e.field || is_below(name, &e.field))
                    .cloned()
                    .collect();
                if moved.is_empty() {
                    return Err(stale(format!(
                        "API {v} has no body field {} in {}",
                        e.field, e.operation
                    )));
                }
                for name in moved {
                    let Some(facts) = fields.remove(&name) else {
                        continue;
                    };
                    let to = match name.strip_prefix(e.field.as_str()) {
                        Some("") | None => e.becomes.clone(),
                        Some(rest) => format!("{children}{rest}"),
                    };
                    // Where the documents also give the right name, theirs stays.
                    fields.entry(to).or_insert(facts);
                }
                warnings.push(SpecWarning {
                    file: file.clone(),
                    location: key.to_string(),
                    message: format!(
                        "errata: body field {:?} read as {:?} (documentation fix): {}",
                        e.field,
                        e.becomes,
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
        let rename = ModelErrata::parse(
            "[[rename_field]]\nversions = [\"1.20\"]\noperation = \"POST /commit\"\nbody = \"request\"\nfield = \"CA\"\nbecomes = \"CAs\"\nchildren = \"CAs[]\"\nreason = \"r\"\n",
            Path::new("t.toml"),
        )
        .unwrap();
        let mut specs = vec![spec(&["CA", "CA.URL", "CAB"])];
        rename.apply(&mut specs).unwrap();
        let op = specs[0].operations.values().next().unwrap();
        assert_eq!(
            op.request_fields.keys().collect::<Vec<_>>(),
            ["CAB", "CAs", "CAs[].URL"]
        );
        assert_eq!(
            rename.doc_fixes()[0].text(),
            "request field CA at 1.20 is CAs (misnamed by the documents)"
        );
        assert!(rename.apply(&mut specs).is_err(), "stale once applied");
        assert!(ModelErrata::parse(
            "[[add_query]]\nversions = []\noperation = \"GET /x\"\nname = \"a\"\nreason = \"r\"\n",
            Path::new("t")
        )
        .is_err());
    }
}
