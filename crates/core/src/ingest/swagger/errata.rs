//! The Swagger errata table (`specs/docker/swagger-errata.toml`): property renames
//! for spelling slips in single versions. Every entry must still match its
//! document; a stale entry is an error.

use std::path::{Path, PathBuf};

use openapiv3::{OpenAPI, ReferenceOr, Schema, SchemaKind, Type};
use serde::Deserialize;

use crate::ingest::{IngestError, SpecWarning};
use crate::version::ApiVersion;

const ERRATA_PATH: &str = "specs/docker/swagger-errata.toml";
const ERRATA_TOML: &str = include_str!("../../../../../specs/docker/swagger-errata.toml");

/// One property rename.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Rename {
    /// Versions whose documents it applies to.
    pub versions: Vec<ApiVersion>,
    /// JSON pointer of the property in the Swagger document.
    pub pointer: String,
    /// The right spelling.
    pub to: String,
    /// Why.
    pub reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    #[serde(default)]
    rename: Vec<Rename>,
}

fn errata_error(origin: &Path, message: String) -> IngestError {
    IngestError::Errata {
        file: origin.to_path_buf(),
        message,
    }
}

/// Parses and validates a table.
pub(crate) fn parse(text: &str, origin: &Path) -> Result<Vec<Rename>, IngestError> {
    let table: Table = toml::from_str(text).map_err(|e| errata_error(origin, e.to_string()))?;
    for (i, r) in table.rename.iter().enumerate() {
        let n = i + 1;
        if split_pointer(&r.pointer).is_none() {
            return Err(errata_error(
                origin,
                format!(
                    "entry {n}: pointer {:?} does not end in /properties/NAME",
                    r.pointer
                ),
            ));
        }
        if r.versions.is_empty() || r.to.trim().is_empty() || r.reason.trim().is_empty() {
            return Err(errata_error(
                origin,
                format!("entry {n}: `versions`, `to` and `reason` must not be empty"),
            ));
        }
    }
    Ok(table.rename)
}

/// The built-in table.
pub(crate) fn builtin() -> Result<Vec<Rename>, IngestError> {
    parse(ERRATA_TOML, &PathBuf::from(ERRATA_PATH))
}

/// `(…/properties, NAME)` of a property pointer, with `/definitions/` read as
/// `/components/schemas/`.
fn split_pointer(pointer: &str) -> Option<(String, String)> {
    let converted = match pointer.strip_prefix("/definitions/") {
        Some(rest) => format!("/components/schemas/{rest}"),
        None => pointer.to_string(),
    };
    let (parent, name) = converted.rsplit_once('/')?;
    parent.ends_with("/properties").then(|| {
        (
            parent.to_string(),
            name.replace("~1", "/").replace("~0", "~"),
        )
    })
}

/// Applies every entry for `version` to a converted document.
pub(crate) fn apply(
    table: &[Rename],
    file: &Path,
    version: ApiVersion,
    doc: &mut OpenAPI,
    warnings: &mut Vec<SpecWarning>,
) -> Result<(), IngestError> {
    let entries: Vec<&Rename> = table
        .iter()
        .filter(|r| r.versions.contains(&version))
        .collect();
    if entries.is_empty() {
        return Ok(());
    }
    let stale = |r: &Rename, why: &str| IngestError::Errata {
        file: file.to_path_buf(),
        message: format!(
            "entry for {} (API {version}) {why}; the document changed or the entry is stale",
            r.pointer
        ),
    };
    for r in &entries {
        let (parent, name) =
            split_pointer(&r.pointer).ok_or_else(|| stale(r, "is not a property pointer"))?;
        let props =
            properties_at(doc, &parent).ok_or_else(|| stale(r, "names no object schema"))?;
        if props.contains_key(&r.to) {
            return Err(stale(
                r,
                &format!("would rename onto the existing property {:?}", r.to),
            ));
        }
        let (index, _, schema) = props
            .shift_remove_full(&name)
            .ok_or_else(|| stale(r, "names no property"))?;
        props.shift_insert(index, r.to.clone(), schema);
        warnings.push(SpecWarning {
            file: crate::ingest::markdown::file_name(file),
            location: r.pointer.clone(),
            message: format!("errata: property read as {:?}: {}", r.to, r.reason.trim()),
        });
    }
    Ok(())
}

type Properties = indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>;

/// The `properties` map at `/components/schemas/NAME(/properties/P)*/properties`.
fn properties_at<'a>(doc: &'a mut OpenAPI, pointer: &str) -> Option<&'a mut Properties> {
    let rest = pointer.strip_prefix("/components/schemas/")?;
    let mut segments = rest.split('/');
    let name = segments.next()?;
    let mut schema: &mut Schema = match doc.components.as_mut()?.schemas.get_mut(name)? {
        ReferenceOr::Item(s) => s,
        ReferenceOr::Reference { .. } => return None,
    };
    let steps: Vec<&str> = segments.collect();
    let (last, inner) = steps.split_last()?;
    if *last != "properties" || inner.len() % 2 != 0 {
        return None;
    }
    for pair in inner.chunks(2) {
        let [kw, prop] = pair else { return None };
        if *kw != "properties" {
            return None;
        }
        schema = match object_properties(schema)?.get_mut(*prop)? {
            ReferenceOr::Item(s) => s,
            ReferenceOr::Reference { .. } => return None,
        };
    }
    object_properties(schema)
}

fn object_properties(schema: &mut Schema) -> Option<&mut Properties> {
    match &mut schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => Some(&mut o.properties),
        SchemaKind::Any(a) => Some(&mut a.properties),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_translate_definitions() {
        assert_eq!(
            split_pointer("/definitions/Resources/properties/NanoCPUs"),
            Some((
                "/components/schemas/Resources/properties".to_string(),
                "NanoCPUs".to_string()
            ))
        );
        assert_eq!(split_pointer("/definitions/Resources"), None);
    }

    #[test]
    fn builtin_table_parses_and_bad_tables_fail() {
        assert!(!builtin().unwrap().is_empty());
        let bad =
            "[[rename]]\nversions=[\"1.27\"]\npointer=\"/definitions/X\"\nto=\"Y\"\nreason=\"r\"\n";
        assert!(parse(bad, Path::new("t.toml")).is_err());
    }
}
