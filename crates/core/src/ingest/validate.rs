//! Checks on a converted OpenAPI document: references that point at nothing.

use std::collections::HashSet;

use openapiv3::{
    AdditionalProperties, Callback, Components, Header, MediaType, OpenAPI, Operation, Parameter,
    ParameterSchemaOrContent, PathItem, ReferenceOr, RequestBody, Response, Schema, SchemaKind,
    Type,
};

/// Every `$ref` in `doc` that does not resolve, as `(JSON pointer of the
/// reference, reference text)`, in document order.
///
/// A reference resolves if it is `#/components/<section>/<name>` and that
/// component exists (`~0`/`~1` unescaped); deeper pointers are checked up to the
/// component. Non-local references (other files, URLs) count as dangling: the
/// converted documents are meant to be self-contained.
pub fn dangling_refs(doc: &OpenAPI) -> Vec<(String, String)> {
    let mut walker = Walker {
        known: known_components(doc.components.as_ref()),
        pointer: String::new(),
        found: Vec::new(),
    };
    walker.document(doc);
    walker.found
}

fn known_components(components: Option<&Components>) -> HashSet<String> {
    let mut known = HashSet::new();
    let Some(c) = components else {
        return known;
    };
    let mut add = |section: &str, names: Vec<&String>| {
        for name in names {
            let escaped = name.replace('~', "~0").replace('/', "~1");
            known.insert(format!("#/components/{section}/{escaped}"));
        }
    };
    add("schemas", c.schemas.keys().collect());
    add("responses", c.responses.keys().collect());
    add("parameters", c.parameters.keys().collect());
    add("examples", c.examples.keys().collect());
    add("requestBodies", c.request_bodies.keys().collect());
    add("headers", c.headers.keys().collect());
    add("securitySchemes", c.security_schemes.keys().collect());
    add("links", c.links.keys().collect());
    add("callbacks", c.callbacks.keys().collect());
    known
}

/// The `#/components/<section>/<name>` prefix of a reference, if it has one.
fn component_prefix(reference: &str) -> Option<&str> {
    let rest = reference.strip_prefix("#/components/")?;
    let (_, after_section) = rest.split_once('/')?;
    let name_len = after_section.find('/').unwrap_or(after_section.len());
    let end = reference.len() - after_section.len() + name_len;
    reference.get(..end)
}

struct Walker {
    known: HashSet<String>,
    pointer: String,
    found: Vec<(String, String)>,
}

impl Walker {
    /// Runs `f` with `segment` appended to the current pointer.
    fn at(&mut self, segment: &str, f: impl FnOnce(&mut Self)) {
        let len = self.pointer.len();
        self.pointer.push('/');
        if segment.contains(['~', '/']) {
            self.pointer
                .push_str(&segment.replace('~', "~0").replace('/', "~1"));
        } else {
            self.pointer.push_str(segment);
        }
        f(self);
        self.pointer.truncate(len);
    }

    fn check(&mut self, reference: &str) {
        let resolves = component_prefix(reference).is_some_and(|p| self.known.contains(p));
        if !resolves {
            self.found
                .push((self.pointer.clone(), reference.to_owned()));
        }
    }

    /// Checks the reference, or walks the item with `f`.
    fn ref_or<T>(&mut self, r: &ReferenceOr<T>, f: impl FnOnce(&mut Self, &T)) {
        match r {
            ReferenceOr::Reference { reference } => self.check(reference),
            ReferenceOr::Item(item) => f(self, item),
        }
    }

    fn document(&mut self, doc: &OpenAPI) {
        self.at("paths", |w| {
            for (path, item) in &doc.paths.paths {
                w.at(path, |w| w.ref_or(item, Self::path_item));
            }
        });
        if let Some(c) = &doc.components {
            self.at("components", |w| w.components(c));
        }
    }

    fn components(&mut self, c: &Components) {
        self.at("schemas", |w| {
            for (name, s) in &c.schemas {
                w.at(name, |w| w.ref_or(s, Self::schema));
            }
        });
        self.at("responses", |w| {
            for (name, r) in &c.responses {
                w.at(name, |w| w.ref_or(r, Self::response));
            }
        });
        self.at("parameters", |w| {
            for (name, p) in &c.parameters {
                w.at(name, |w| w.ref_or(p, Self::parameter));
            }
        });
        self.at("examples", |w| {
            for (name, e) in &c.examples {
                w.at(name, |w| w.ref_or(e, |_, _| {}));
            }
        });
        self.at("requestBodies", |w| {
            for (name, b) in &c.request_bodies {
                w.at(name, |w| w.ref_or(b, Self::request_body));
            }
        });
        self.at("headers", |w| {
            for (name, h) in &c.headers {
                w.at(name, |w| w.ref_or(h, Self::header));
            }
        });
        self.at("securitySchemes", |w| {
            for (name, s) in &c.security_schemes {
                w.at(name, |w| w.ref_or(s, |_, _| {}));
            }
        });
        self.at("links", |w| {
            for (name, l) in &c.links {
                w.at(name, |w| w.ref_or(l, |_, _| {}));
            }
        });
        self.at("callbacks", |w| {
            for (name, cb) in &c.callbacks {
                w.at(name, |w| w.ref_or(cb, Self::callback));
            }
        });
    }

    fn callback(&mut self, cb: &Callback) {
        for (expr, item) in cb {
            self.at(expr, |w| w.path_item(item));
        }
    }

    fn path_item(&mut self, item: &PathItem) {
        self.parameters(&item.parameters);
        let ops = [
            ("get", &item.get),
            ("put", &item.put),
            ("post", &item.post),
            ("delete", &item.delete),
            ("options", &item.options),
            ("head", &item.head),
            ("patch", &item.patch),
            ("trace", &item.trace),
        ];
        for (method, op) in ops {
            if let Some(op) = op {
                self.at(method, |w| w.operation(op));
            }
        }
    }

    fn parameters(&mut self, params: &[ReferenceOr<Parameter>]) {
        if params.is_empty() {
            return;
        }
        self.at("parameters", |w| {
            for (i, p) in params.iter().enumerate() {
                w.at(&i.to_string(), |w| w.ref_or(p, Self::parameter));
            }
        });
    }

    fn operation(&mut self, op: &Operation) {
        self.parameters(&op.parameters);
        if let Some(body) = &op.request_body {
            self.at("requestBody", |w| w.ref_or(body, Self::request_body));
        }
        self.at("responses", |w| {
            if let Some(d) = &op.responses.default {
                w.at("default", |w| w.ref_or(d, Self::response));
            }
            for (code, r) in &op.responses.responses {
                w.at(&code.to_string(), |w| w.ref_or(r, Self::response));
            }
        });
        if !op.callbacks.is_empty() {
            self.at("callbacks", |w| {
                for (name, cb) in &op.callbacks {
                    w.at(name, |w| w.callback(cb));
                }
            });
        }
    }

    fn parameter(&mut self, p: &Parameter) {
        self.schema_or_content(&p.parameter_data_ref().format);
    }

    fn schema_or_content(&mut self, format: &ParameterSchemaOrContent) {
        match format {
            ParameterSchemaOrContent::Schema(s) => self.at("schema", |w| w.ref_or(s, Self::schema)),
            ParameterSchemaOrContent::Content(c) => self.content(c),
        }
    }

    fn request_body(&mut self, b: &RequestBody) {
        self.content(&b.content);
    }

    fn response(&mut self, r: &Response) {
        if !r.headers.is_empty() {
            self.at("headers", |w| {
                for (name, h) in &r.headers {
                    w.at(name, |w| w.ref_or(h, Self::header));
                }
            });
        }
        self.content(&r.content);
        if !r.links.is_empty() {
            self.at("links", |w| {
                for (name, l) in &r.links {
                    w.at(name, |w| w.ref_or(l, |_, _| {}));
                }
            });
        }
    }

    fn header(&mut self, h: &Header) {
        self.schema_or_content(&h.format);
    }

    fn content(&mut self, content: &indexmap::IndexMap<String, MediaType>) {
        if content.is_empty() {
            return;
        }
        self.at("content", |w| {
            for (mime, media) in content {
                w.at(mime, |w| w.media_type(media));
            }
        });
    }

    fn media_type(&mut self, m: &MediaType) {
        if let Some(s) = &m.schema {
            self.at("schema", |w| w.ref_or(s, Self::schema));
        }
        for (name, e) in &m.examples {
            self.at("examples", |w| w.at(name, |w| w.ref_or(e, |_, _| {})));
        }
        for (name, enc) in &m.encoding {
            for (hname, h) in &enc.headers {
                self.at("encoding", |w| {
                    w.at(name, |w| {
                        w.at("headers", |w| w.at(hname, |w| w.ref_or(h, Self::header)))
                    })
                });
            }
        }
    }

    fn boxed_schema(&mut self, s: &ReferenceOr<Box<Schema>>) {
        self.ref_or(s, |w, b| w.schema(b));
    }

    fn schema_list(&mut self, key: &str, list: &[ReferenceOr<Schema>]) {
        if list.is_empty() {
            return;
        }
        self.at(key, |w| {
            for (i, s) in list.iter().enumerate() {
                w.at(&i.to_string(), |w| w.ref_or(s, Self::schema));
            }
        });
    }

    fn properties(&mut self, props: &indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>) {
        if props.is_empty() {
            return;
        }
        self.at("properties", |w| {
            for (name, p) in props {
                w.at(name, |w| w.boxed_schema(p));
            }
        });
    }

    fn additional(&mut self, ap: &Option<AdditionalProperties>) {
        if let Some(AdditionalProperties::Schema(s)) = ap {
            self.at("additionalProperties", |w| w.ref_or(s, Self::schema));
        }
    }

    fn items(&mut self, items: &Option<ReferenceOr<Box<Schema>>>) {
        if let Some(i) = items {
            self.at("items", |w| w.boxed_schema(i));
        }
    }

    fn schema(&mut self, s: &Schema) {
        match &s.schema_kind {
            SchemaKind::Type(Type::Object(o)) => {
                self.properties(&o.properties);
                self.additional(&o.additional_properties);
            }
            SchemaKind::Type(Type::Array(a)) => self.items(&a.items),
            SchemaKind::Type(_) => {}
            SchemaKind::OneOf { one_of } => self.schema_list("oneOf", one_of),
            SchemaKind::AllOf { all_of } => self.schema_list("allOf", all_of),
            SchemaKind::AnyOf { any_of } => self.schema_list("anyOf", any_of),
            SchemaKind::Not { not } => self.at("not", |w| w.ref_or(not, Self::schema)),
            SchemaKind::Any(any) => {
                self.properties(&any.properties);
                self.additional(&any.additional_properties);
                self.items(&any.items);
                self.schema_list("oneOf", &any.one_of);
                self.schema_list("allOf", &any.all_of);
                self.schema_list("anyOf", &any.any_of);
                if let Some(not) = &any.not {
                    self.at("not", |w| w.ref_or(not, Self::schema));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_dangling_and_accepts_resolved_refs() {
        let doc: OpenAPI = serde_json::from_value(serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a/{id}": {"get": {
                "parameters": [{"$ref": "#/components/parameters/Missing"}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"type": "array", "items": {"$ref": "#/components/schemas/A~1B"}}}}}}
            }}},
            "components": {"schemas": {
                "A/B": {"type": "object", "properties": {"c": {"$ref": "#/components/schemas/Nope"}}}
            }}
        }))
        .unwrap();
        let found = dangling_refs(&doc);
        assert_eq!(
            component_prefix("#/components/schemas/A/properties/b"),
            Some("#/components/schemas/A")
        );
        assert_eq!(component_prefix("#/definitions/A"), None);
        assert_eq!(
            found,
            vec![
                (
                    "/paths/~1a~1{id}/get/parameters/0".to_string(),
                    "#/components/parameters/Missing".to_string()
                ),
                (
                    "/components/schemas/A~1B/properties/c".to_string(),
                    "#/components/schemas/Nope".to_string()
                ),
            ]
        );
    }
}
