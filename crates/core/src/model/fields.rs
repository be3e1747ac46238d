//! Flattening body schemas into dotted field paths.
//!
//! `HostConfig.Memory` is property `Memory` of property `HostConfig`; array items
//! add `[]` (`Mounts[].Target`), map values add `*` (`Labels.*`,
//! `EndpointsConfig.*.Aliases`). `$ref`s are resolved against the document's
//! components; a schema already being expanded on the current branch is not
//! expanded again, so recursive definitions terminate.
//!
//! Markdown-era schemas (inferred by ingest from parameter lists and examples)
//! carry their evidence in the `x-dockmatrix-evidence` extension of each property.

use std::collections::BTreeSet;

use openapiv3::{AdditionalProperties, OpenAPI, ReferenceOr, Schema, SchemaKind, Type};

use super::deprecation::is_deprecation_notice;
use super::spec::{Evidence, ItemFacts, Items};
use crate::ingest::experimental::is_experimental_notice;
use crate::ingest::extensions;
use crate::ingest::refs::resolve_ref;

/// The fields of one body schema.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldSet {
    /// Dotted path → what the schema says of it.
    pub fields: Items,
    /// Prefixes whose values are maps (keys are data).
    pub maps: BTreeSet<String>,
    /// Prefixes the schema leaves free-form (an object with no properties, or no
    /// type at all): fields below them are neither shown nor ruled out. `""` is the
    /// whole body.
    pub open: BTreeSet<String>,
}

/// Deepest nesting expanded (Docker's deepest real field is far shallower).
const MAX_DEPTH: usize = 12;

/// Whether the field path `path` lies strictly below `prefix` (`HostConfig.Memory`
/// and `Mounts[].Target` below `HostConfig` and `Mounts`); every path lies below `""`.
pub fn is_below(path: &str, prefix: &str) -> bool {
    prefix.is_empty()
        || path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with(['.', '[']))
}

/// The fields of one body schema.
pub fn flatten_schema(doc: &OpenAPI, schema: &ReferenceOr<Schema>) -> FieldSet {
    let mut out = FieldSet::default();
    let mut walker = Walker {
        doc,
        out: &mut out,
        stack: Vec::new(),
    };
    walker.visit_ref_or(schema, "", 0);
    out
}

struct Walker<'a> {
    doc: &'a OpenAPI,
    out: &'a mut FieldSet,
    stack: Vec<&'a str>,
}

impl<'a> Walker<'a> {
    fn resolve(&self, reference: &'a str) -> Option<&'a Schema> {
        resolve_ref(self.doc, reference)
    }

    fn visit_ref_or(&mut self, schema: &'a ReferenceOr<Schema>, prefix: &str, depth: usize) {
        match schema {
            ReferenceOr::Item(s) => self.visit(s, prefix, depth),
            ReferenceOr::Reference { reference } => self.visit_reference(reference, prefix, depth),
        }
    }

    fn visit_boxed(&mut self, schema: &'a ReferenceOr<Box<Schema>>, prefix: &str, depth: usize) {
        match schema {
            ReferenceOr::Item(s) => self.visit(s, prefix, depth),
            ReferenceOr::Reference { reference } => self.visit_reference(reference, prefix, depth),
        }
    }

    fn visit_reference(&mut self, reference: &'a str, prefix: &str, depth: usize) {
        if self.stack.contains(&reference) {
            return;
        }
        if let Some(target) = self.resolve(reference) {
            self.stack.push(reference);
            self.visit(target, prefix, depth);
            self.stack.pop();
        }
    }

    fn visit(&mut self, schema: &'a Schema, prefix: &str, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(obj)) => {
                if obj.properties.is_empty() && obj.additional_properties.is_none() {
                    self.out.open.insert(prefix.to_string());
                }
                for (name, prop) in &obj.properties {
                    self.property(prefix, name, prop, depth);
                }
                self.additional(prefix, obj.additional_properties.as_ref(), depth);
            }
            SchemaKind::Type(Type::Array(arr)) => {
                if let Some(items) = &arr.items {
                    self.visit_boxed(items, &join(prefix, "[]"), depth + 1);
                }
            }
            SchemaKind::AllOf { all_of: parts }
            | SchemaKind::OneOf { one_of: parts }
            | SchemaKind::AnyOf { any_of: parts } => {
                for part in parts {
                    self.visit_ref_or(part, prefix, depth);
                }
            }
            SchemaKind::Any(any) => {
                let shapeless = any.properties.is_empty()
                    && any.additional_properties.is_none()
                    && any.items.is_none()
                    && any.all_of.is_empty()
                    && any.one_of.is_empty()
                    && any.any_of.is_empty()
                    && any.typ.is_none();
                if shapeless || any.typ.as_deref() == Some("object") && any.properties.is_empty() {
                    self.out.open.insert(prefix.to_string());
                }
                for (name, prop) in &any.properties {
                    self.property(prefix, name, prop, depth);
                }
                self.additional(prefix, any.additional_properties.as_ref(), depth);
                if let Some(items) = &any.items {
                    self.visit_boxed(items, &join(prefix, "[]"), depth + 1);
                }
                for part in any.all_of.iter().chain(&any.one_of).chain(&any.any_of) {
                    self.visit_ref_or(part, prefix, depth);
                }
            }
            SchemaKind::Type(_) | SchemaKind::Not { .. } => {}
        }
    }

    fn property(
        &mut self,
        prefix: &str,
        name: &str,
        prop: &'a ReferenceOr<Box<Schema>>,
        depth: usize,
    ) {
        let path = join(prefix, name);
        let facts = match prop {
            ReferenceOr::Item(s) => facts_of(s),
            ReferenceOr::Reference { .. } => ItemFacts::plain(Evidence::Schema),
        };
        self.out
            .fields
            .entry(path.clone())
            .and_modify(|seen| {
                seen.deprecated &= facts.deprecated;
                seen.experimental &= facts.experimental;
                seen.evidence = seen.evidence.min(facts.evidence);
            })
            .or_insert(facts);
        self.visit_boxed(prop, &path, depth + 1);
    }

    fn additional(&mut self, prefix: &str, extra: Option<&'a AdditionalProperties>, depth: usize) {
        match extra {
            Some(AdditionalProperties::Schema(schema)) => {
                self.out.maps.insert(prefix.to_string());
                self.visit_ref_or(schema, &join(prefix, "*"), depth + 1);
            }
            Some(AdditionalProperties::Any(true)) => {
                self.out.maps.insert(prefix.to_string());
            }
            _ => {}
        }
    }
}

/// Deprecation, experimental status and evidence of one property schema.
fn facts_of(s: &Schema) -> ItemFacts {
    let description = s.schema_data.description.as_deref().unwrap_or_default();
    let evidence = match s
        .schema_data
        .extensions
        .get(extensions::EVIDENCE)
        .and_then(|v| v.as_str())
    {
        Some("parameter list") => Evidence::ParameterList,
        Some("example") => Evidence::Example,
        _ => Evidence::Schema,
    };
    ItemFacts {
        deprecated: s.schema_data.deprecated || is_deprecation_notice(description),
        experimental: is_experimental_notice(description),
        evidence,
    }
}

fn join(prefix: &str, name: &str) -> String {
    match (prefix.is_empty(), name) {
        (true, _) => name.to_string(),
        (false, "[]") => format!("{prefix}[]"),
        (false, _) => format!("{prefix}.{name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(yaml_json: serde_json::Value) -> OpenAPI {
        serde_json::from_value(yaml_json).unwrap()
    }

    #[test]
    fn nested_refs_arrays_maps_and_recursion() {
        let d = doc(serde_json::json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {
                "Config": {"type": "object", "properties": {
                    "HostConfig": {"$ref": "#/components/schemas/Host"},
                    "Labels": {"type": "object", "additionalProperties": {"type": "string"}},
                    "Nets": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/Net"}},
                    "Old": {"type": "string", "description": "Deprecated: gone soon"}
                }},
                "Host": {"type": "object", "properties": {
                    "Memory": {"type": "integer"},
                    "Mounts": {"type": "array", "items": {"type": "object", "properties": {"Target": {"type": "string"}}}}
                }},
                "Net": {"type": "object", "properties": {"Aliases": {"type": "array", "items": {"type": "string"}}, "Parent": {"$ref": "#/components/schemas/Net"}}}
            }}
        }));
        let root = ReferenceOr::Reference {
            reference: "#/components/schemas/Config".into(),
        };
        let set = flatten_schema(&d, &root);
        let fields = &set.fields;
        let names: Vec<&str> = fields.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            [
                "HostConfig",
                "HostConfig.Memory",
                "HostConfig.Mounts",
                "HostConfig.Mounts[].Target",
                "Labels",
                "Nets",
                "Nets.*.Aliases",
                "Nets.*.Parent",
                "Old"
            ]
        );
        assert!(fields["Old"].deprecated);
        assert!(!fields["HostConfig"].deprecated);
        assert_eq!(fields["Old"].evidence, Evidence::Schema);
        let maps: Vec<&str> = set.maps.iter().map(String::as_str).collect();
        assert_eq!(maps, ["Labels", "Nets"]);
    }
}
