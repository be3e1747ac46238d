//! Body schemas inferred from a markdown page: the nested "JSON parameters" list
//! of a request and the JSON examples of requests and responses.
//!
//! The pages have no schemas, but they name body fields in two ways: parameter
//! lists (`-   **HostConfig**` with nested `-   **Binds** – …` bullets) and
//! example bodies. Both become one OpenAPI schema per body whose properties carry
//! their evidence (`x-dockmatrix-evidence`: `parameter list` or `example`), so the
//! model reads markdown-era fields exactly as Swagger-era ones. Example object keys
//! that cannot be field names (`"22/tcp"`, `"/data"`, `"com.example.vendor"`) make
//! the object a map (`additionalProperties`), written `*` in field paths.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, AnySchema, ArrayType, ObjectType, ReferenceOr, Schema, SchemaData,
    SchemaKind, Type,
};
use serde_json::Value;

use super::blocks::SourceLine;
use crate::ingest::extensions;

/// Deepest nesting read from an example (real bodies are far shallower).
const MAX_DEPTH: usize = 16;

/// How a page documents a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// A parameter list bullet.
    ParameterList,
    /// An example body.
    Example,
}

impl Source {
    fn name(self) -> &'static str {
        match self {
            Self::ParameterList => "parameter list",
            Self::Example => "example",
        }
    }
}

/// The shape of a body as far as the page shows it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Shape {
    /// Named fields, in page order, each with its first evidence.
    fields: IndexMap<String, (Source, Shape)>,
    /// Map values (keys are data).
    map_value: Option<Box<Shape>>,
    /// Array items.
    items: Option<Box<Shape>>,
    /// The description of a parameter-list bullet.
    description: Option<String>,
}

/// Whether an object key can be a Go struct field's JSON name.
pub(crate) fn is_field_name(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl Shape {
    /// Whether the page shows no field, map or item at all.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.map_value.is_none() && self.items.is_none()
    }

    /// The name of this list's only entry when it stands for the whole body: no
    /// nested fields, and the example body is an object that does not have it.
    pub fn names_the_whole_body(&self, example: &Value) -> Option<String> {
        let [(name, (_, inner))] = self.fields.iter().collect::<Vec<_>>()[..] else {
            return None;
        };
        let object = example.as_object()?;
        (inner.is_empty() && !object.is_empty() && !object.contains_key(name)).then(|| name.clone())
    }

    /// The shape an example value shows.
    pub fn from_example(value: &Value) -> Self {
        Self::from_value(value, 0)
    }

    fn from_value(value: &Value, depth: usize) -> Self {
        let mut shape = Shape::default();
        if depth > MAX_DEPTH {
            return shape;
        }
        match value {
            Value::Object(map) if map.keys().all(|k| is_field_name(k)) => {
                for (k, v) in map {
                    shape.add_field(k, Source::Example, Self::from_value(v, depth + 1));
                }
            }
            Value::Object(map) => {
                let mut merged = Shape::default();
                for v in map.values() {
                    merged.merge(Self::from_value(v, depth + 1));
                }
                shape.map_value = Some(Box::new(merged));
            }
            Value::Array(items) => {
                let mut merged = Shape::default();
                for v in items {
                    merged.merge(Self::from_value(v, depth + 1));
                }
                shape.items = Some(Box::new(merged));
            }
            _ => {}
        }
        shape
    }

    fn add_field(&mut self, name: &str, source: Source, shape: Shape) {
        match self.fields.get_mut(name) {
            Some((_, existing)) => existing.merge(shape),
            None => {
                self.fields.insert(name.to_string(), (source, shape));
            }
        }
    }

    /// Adds what `other` shows; evidence already recorded is kept.
    pub fn merge(&mut self, other: Shape) {
        for (name, (source, shape)) in other.fields {
            self.add_field(&name, source, shape);
        }
        for (mine, theirs) in [
            (&mut self.map_value, other.map_value),
            (&mut self.items, other.items),
        ] {
            match (mine.as_mut(), theirs) {
                (Some(m), Some(t)) => m.merge(*t),
                (None, Some(t)) => *mine = Some(t),
                _ => {}
            }
        }
        if self.description.is_none() {
            self.description = other.description;
        }
    }

    /// The shape a parameter list shows: keyed bullets, nested by indentation.
    /// Bullets whose key cannot be a field name are skipped and returned as
    /// (line, key) for the caller to report.
    pub fn from_parameter_list(lines: &[SourceLine]) -> (Self, Vec<(usize, String)>) {
        let mut root = Shape::default();
        let mut skipped = Vec::new();
        // (indent of the bullet, path of names to the field).
        let mut stack: Vec<(usize, Vec<String>)> = Vec::new();
        for line in lines {
            let Some((indent, key, text)) = keyed_bullet(line) else {
                continue;
            };
            while stack.last().is_some_and(|(i, _)| *i >= indent) {
                stack.pop();
            }
            if !is_field_name(&key) {
                skipped.push((line.no, key));
                continue;
            }
            let mut path = stack.last().map(|(_, p)| p.clone()).unwrap_or_default();
            path.push(key);
            root.insert_path(&path, &text);
            stack.push((indent, path));
        }
        (root, skipped)
    }

    fn insert_path(&mut self, path: &[String], description: &str) {
        let Some((first, rest)) = path.split_first() else {
            return;
        };
        let entry = self
            .fields
            .entry(first.clone())
            .or_insert_with(|| (Source::ParameterList, Shape::default()));
        if rest.is_empty() {
            if entry.1.description.is_none() && !description.is_empty() {
                entry.1.description = Some(description.to_string());
            }
        } else {
            entry.1.insert_path(rest, description);
        }
    }

    /// The OpenAPI schema of the shape.
    pub fn to_schema(&self) -> Schema {
        let schema_kind = if !self.fields.is_empty() {
            let properties = self
                .fields
                .iter()
                .map(|(name, (source, shape))| {
                    let mut s = shape.to_schema();
                    s.schema_data
                        .extensions
                        .insert(extensions::EVIDENCE.into(), source.name().into());
                    (name.clone(), ReferenceOr::Item(Box::new(s)))
                })
                .collect();
            SchemaKind::Type(Type::Object(ObjectType {
                properties,
                ..ObjectType::default()
            }))
        } else if let Some(value) = &self.map_value {
            SchemaKind::Type(Type::Object(ObjectType {
                additional_properties: Some(AdditionalProperties::Schema(Box::new(
                    ReferenceOr::Item(value.to_schema()),
                ))),
                ..ObjectType::default()
            }))
        } else if let Some(items) = &self.items {
            SchemaKind::Type(Type::Array(ArrayType {
                items: Some(ReferenceOr::Item(Box::new(items.to_schema()))),
                min_items: None,
                max_items: None,
                unique_items: false,
            }))
        } else {
            SchemaKind::Any(AnySchema::default())
        };
        Schema {
            schema_data: SchemaData {
                description: self.description.clone(),
                ..SchemaData::default()
            },
            schema_kind,
        }
    }
}

/// `-   **Key** – text` at any indentation (nesting), outside code: indent, key, text.
fn keyed_bullet(line: &SourceLine) -> Option<(usize, String, String)> {
    if line.fenced {
        return None;
    }
    let expanded = line.text.replace('\t', "    ");
    let t = expanded.trim_start();
    let indent = expanded.len() - t.len();
    let rest = t.strip_prefix(['-', '*', '+'])?;
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    let rest = rest.trim_start().strip_prefix("**")?;
    let end = rest.find("**")?;
    let key = rest.get(..end)?.replace("\\_", "_").trim().to_string();
    let after = rest.get(end + 2..)?.trim_start();
    let text = after
        .strip_prefix(['–', '—', '-', ':'])
        .unwrap_or(after)
        .trim()
        .to_string();
    (!key.is_empty()).then_some((indent, key, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(shape: &Shape) -> Vec<String> {
        let mut out = Vec::new();
        fn walk(s: &Shape, prefix: &str, out: &mut Vec<String>) {
            for (name, (source, child)) in &s.fields {
                let path = if prefix.is_empty() {
                    name.clone()
                } else {
                    format!("{prefix}.{name}")
                };
                out.push(format!("{path}:{}", source.name()));
                walk(child, &path, out);
            }
            if let Some(m) = &s.map_value {
                walk(m, &format!("{prefix}.*"), out);
            }
            if let Some(i) = &s.items {
                walk(i, &format!("{prefix}[]"), out);
            }
        }
        walk(shape, "", &mut out);
        out
    }

    #[test]
    fn nested_parameter_list() {
        let lines = SourceLine::numbered(
            "-   **Image** - A string.\n-   **Healthcheck** - A test.\n    -     **Test** - The test.\n           + `{}` inherit\n-   **HostConfig**\n    -   **Binds** – A list\n    -   **Capdrop** - caps\n-   **bad key** - x\n",
        );
        let (shape, skipped) = Shape::from_parameter_list(&lines);
        assert_eq!(
            names(&shape),
            [
                "Image:parameter list",
                "Healthcheck:parameter list",
                "Healthcheck.Test:parameter list",
                "HostConfig:parameter list",
                "HostConfig.Binds:parameter list",
                "HostConfig.Capdrop:parameter list"
            ]
        );
        assert_eq!(skipped, [(8, "bad key".to_string())]);
    }

    #[test]
    fn examples_with_maps_and_arrays() {
        let v = serde_json::json!({
            "ExposedPorts": {"22/tcp": {}},
            "Labels": {"com.example.vendor": "Acme"},
            "Mounts": [{"Target": "/a"}, {"Source": "/b"}],
            "HostConfig": {"PortBindings": {"22/tcp": [{"HostPort": "11022"}]}}
        });
        let mut shape = Shape::from_example(&v);
        assert_eq!(
            names(&shape),
            [
                "ExposedPorts:example",
                "HostConfig:example",
                "HostConfig.PortBindings:example",
                "HostConfig.PortBindings.*[].HostPort:example",
                "Labels:example",
                "Mounts:example",
                "Mounts[].Target:example",
                "Mounts[].Source:example"
            ]
        );
        // The parameter list's evidence wins when both name a field.
        let (list, _) = Shape::from_parameter_list(&SourceLine::numbered("-   **Labels** - x\n"));
        let mut merged = list;
        merged.merge(shape.clone());
        assert!(names(&merged).contains(&"Labels:parameter list".to_string()));
        shape.merge(Shape::default());
        assert!(!shape.is_empty());
        let deep = (0..100).fold(serde_json::json!(1), |v, _| serde_json::json!({ "A": v }));
        assert!(names(&Shape::from_example(&deep)).len() <= MAX_DEPTH + 2);
    }
}
