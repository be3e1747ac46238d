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
                    let item_prefix = join(prefix, "[]");
                    if !self.named_map_keys(schema, items, &item_prefix) {
                        self.visit_boxed(items, &item_prefix, depth + 1);
                    }
                }
            }
            SchemaKind::AllOf { all_of: parts } => self.visit_all_of(parts, prefix, depth),
            SchemaKind::OneOf { one_of: parts } | SchemaKind::AnyOf { any_of: parts } => {
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
                let composed = !any.all_of.is_empty()
                    || !any.one_of.is_empty()
                    || !any.any_of.is_empty()
                    || any.additional_properties.is_some()
                    || any.items.is_some();
                let empty_object =
                    any.typ.as_deref() == Some("object") && any.properties.is_empty() && !composed;
                if shapeless || empty_object {
                    self.out.open.insert(prefix.to_string());
                }
                for (name, prop) in &any.properties {
                    self.property(prefix, name, prop, depth);
                }
                self.additional(prefix, any.additional_properties.as_ref(), depth);
                if let Some(items) = &any.items {
                    self.visit_boxed(items, &join(prefix, "[]"), depth + 1);
                }
                self.visit_all_of(&any.all_of, prefix, depth);
                for part in any.one_of.iter().chain(&any.any_of) {
                    self.visit_ref_or(part, prefix, depth);
                }
            }
            SchemaKind::Type(_) | SchemaKind::Not { .. } => {}
        }
    }

    /// The members of an `allOf`: one that only annotates (an example, a
    /// description) adds no fields, so it does not open the body beside the
    /// schemas it composes.
    fn visit_all_of(&mut self, parts: &'a [ReferenceOr<Schema>], prefix: &str, depth: usize) {
        let structured = parts.iter().any(|p| !annotates_only(p));
        for part in parts {
            if structured && annotates_only(part) {
                continue;
            }
            self.visit_ref_or(part, prefix, depth);
        }
    }

    /// Array items that are maps of scalars whose keys the array's (or the
    /// items') description or example names (`IPAM.Config`: `{"Subnet": <CIDR>,
    /// …}`): those keys are fields, others neither shown nor ruled out. Returns
    /// whether it applied.
    fn named_map_keys(
        &mut self,
        array: &'a Schema,
        items: &'a ReferenceOr<Box<Schema>>,
        item_prefix: &str,
    ) -> bool {
        let item: &Schema = match items {
            ReferenceOr::Item(s) => s,
            ReferenceOr::Reference { reference } => match self.resolve(reference) {
                Some(s) => s,
                None => return false,
            },
        };
        if !is_scalar_map(item) {
            return false;
        }
        let keys = named_keys(array).or_else(|| named_keys(item));
        let Some((evidence, keys)) = keys else {
            return false;
        };
        for key in keys {
            self.out
                .fields
                .entry(join(item_prefix, &key))
                .or_insert(ItemFacts::plain(evidence));
        }
        self.out.open.insert(item_prefix.to_string());
        true
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

/// An `allOf` member with no structure of its own (an object without
/// properties, or no type, carrying an example or a description).
fn annotates_only(part: &ReferenceOr<Schema>) -> bool {
    let ReferenceOr::Item(s) = part else {
        return false;
    };
    match &s.schema_kind {
        SchemaKind::Type(Type::Object(o)) => {
            o.properties.is_empty() && o.additional_properties.is_none()
        }
        SchemaKind::Any(a) => {
            a.properties.is_empty()
                && a.additional_properties.is_none()
                && a.items.is_none()
                && a.all_of.is_empty()
                && a.one_of.is_empty()
                && a.any_of.is_empty()
                && matches!(a.typ.as_deref(), None | Some("object"))
        }
        _ => false,
    }
}

/// An object without properties whose values are strings, numbers or booleans.
fn is_scalar_map(s: &Schema) -> bool {
    let SchemaKind::Type(Type::Object(o)) = &s.schema_kind else {
        return false;
    };
    let Some(AdditionalProperties::Schema(value)) = &o.additional_properties else {
        return false;
    };
    o.properties.is_empty()
        && matches!(
            value.as_ref(),
            ReferenceOr::Item(Schema {
                schema_kind: SchemaKind::Type(
                    Type::String(_) | Type::Number(_) | Type::Integer(_) | Type::Boolean(_)
                ),
                ..
            })
        )
}

/// The keys a schema's example (objects, or an array of objects) or description
/// (`{"Subnet": <CIDR>, "Gateway": <IP address>}`) names, with that evidence.
fn named_keys(s: &Schema) -> Option<(Evidence, BTreeSet<String>)> {
    let mut from_example = BTreeSet::new();
    let objects: Vec<&serde_json::Value> = match &s.schema_data.example {
        Some(serde_json::Value::Array(items)) => items.iter().collect(),
        Some(other) => vec![other],
        None => Vec::new(),
    };
    for object in objects.iter().filter_map(|v| v.as_object()) {
        from_example.extend(object.keys().cloned());
    }
    if !from_example.is_empty() {
        return Some((Evidence::Example, from_example));
    }
    let description = s.schema_data.description.as_deref()?;
    let keys = description_keys(description);
    (!keys.is_empty()).then_some((Evidence::Description, keys))
}

/// `"Name":` keys inside `{…}` in a description.
fn description_keys(text: &str) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    for inside in text.split('{').skip(1) {
        let inside = inside.split('}').next().unwrap_or_default();
        for (i, quoted) in inside.split('"').enumerate() {
            let after = inside.split('"').nth(i + 1).unwrap_or_default();
            let is_key = i % 2 == 1 && after.trim_start().starts_with(':');
            let ident = !quoted.is_empty()
                && quoted
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_');
            if is_key && ident {
                keys.insert(quoted.to_string());
            }
        }
    }
    keys
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

    #[test]
    fn example_only_all_of_members_add_no_fields() {
        let d = doc(serde_json::json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {
                "Spec": {"type": "object", "properties": {"Name": {"type": "string"}}}
            }}
        }));
        let body: ReferenceOr<Schema> = serde_json::from_value(serde_json::json!({
            "allOf": [
                {"$ref": "#/components/schemas/Spec"},
                {"type": "object", "example": {"Name": "web", "Driver": "x"}}
            ]
        }))
        .unwrap();
        let set = flatten_schema(&d, &body);
        assert_eq!(set.fields.keys().collect::<Vec<_>>(), ["Name"]);
        assert!(set.open.is_empty(), "{:?}", set.open);
    }

    #[test]
    fn map_items_with_named_keys_have_those_fields() {
        let d = doc(serde_json::json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}
        }));
        let body: ReferenceOr<Schema> = serde_json::from_value(serde_json::json!({
            "type": "object", "properties": {"Config": {
                "type": "array",
                "description": "A map: `{\"Subnet\": <CIDR>, \"Gateway\": <IP address>}`",
                "items": {"type": "object", "additionalProperties": {"type": "string"}}
            }}
        }))
        .unwrap();
        let set = flatten_schema(&d, &body);
        let names: Vec<&str> = set.fields.keys().map(String::as_str).collect();
        assert_eq!(names, ["Config", "Config[].Gateway", "Config[].Subnet"]);
        assert_eq!(
            set.fields["Config[].Subnet"].evidence,
            Evidence::Description
        );
        assert!(set.open.contains("Config[]") && set.maps.is_empty());
    }
}
