//! Swagger definitions → Rust types (`src/models.rs` of the generated crate).
//!
//! Every schema name of every Swagger version becomes one type in its newest
//! shape, plus the properties older versions had and newer ones dropped (each
//! field documents its lifecycle). `$ref` → type name, `allOf` → merged struct,
//! maps → `BTreeMap<String, T>`, recursion → `Box`, unknown fields are accepted
//! (no `deny_unknown_fields`), non-required fields are `Option`. What cannot be
//! typed (oneOf/anyOf, schema-less objects, dangling refs) is `serde_json::Value`
//! and listed in [`Types::notes`].

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{
    AdditionalProperties, IntegerFormat, OpenAPI, ReferenceOr, Schema, SchemaKind, Type,
    VariantOrUnknownOrEmpty,
};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::builders::{setters, SetterField};
use super::names::{ident, pascal, snake, Dedupe};
use dockmatrix_core::analysis::{Lifecycle, State};
use dockmatrix_core::ingest::refs::{component_name, resolve_ref};
use dockmatrix_core::version::ApiVersion;

/// Deepest `allOf` / inline nesting followed.
const MAX_DEPTH: usize = 16;

/// Properties the references call required that daemons omit or send as `null`
/// (type, wire name, evidence from moby/moby's Go types): typed `Option`, never
/// defaulted. Every other required property missing from an answer is a decode error.
/// The Swagger references start at API 1.25; a property they require from their first
/// version that Docker 1.12 (API 1.24, the last markdown-era release) did not send is
/// listed here too.
const NOT_REQUIRED: &[(&str, &str, &str)] = &[
    (
        "ImageSummary",
        "Containers",
        "added for API 1.25: engine-api's types.Image in moby v1.12.6 has no Containers, so Docker 1.12 omits it",
    ),
    (
        "ImageSummary",
        "SharedSize",
        "added for API 1.25: engine-api's types.Image in moby v1.12.6 has no SharedSize, so Docker 1.12 omits it",
    ),
    (
        "Volume",
        "Options",
        "added for API 1.25: engine-api's types.Volume in moby v1.12.6 has no Options, so Docker 1.12 omits it",
    ),
    (
        "Driver",
        "Name",
        "swarm.Driver.Name is `json:\",omitempty\"` (api/types/swarm/common.go, v20.10.27 and master)",
    ),
    (
        "PluginDevice",
        "Path",
        "Device.Path is a *string, nil encodes as null (api/types/plugin_device.go in v20.10.27, api/types/plugin/device.go on master)",
    ),
    (
        "PluginMount",
        "Source",
        "Mount.Source is a *string, nil encodes as null (api/types/plugin_mount.go in v20.10.27, api/types/plugin/mount.go on master)",
    ),
    (
        "PluginEnv",
        "Value",
        "Env.Value is a *string, nil encodes as null (api/types/plugin_env.go in v20.10.27, api/types/plugin/env.go on master)",
    ),
    (
        "ImageInspectRootFs",
        "Type",
        "RootFS.Type is `json:\",omitempty\"` on master (api/types/image/image_inspect.go)",
    ),
];

/// A Rust type expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    /// A generated model type.
    Named(String),
    /// A primitive (`bool`, `i64`, `String`, …).
    Prim(&'static str),
    /// `Vec<T>`.
    Vec(Box<Ty>),
    /// `BTreeMap<String, T>`.
    Map(Box<Ty>),
    /// `serde_json::Value`.
    Value,
}

impl Ty {
    /// Tokens, as seen from outside `models` (`crate::models::X`) or inside it (`X`).
    pub fn tokens(&self, qualified: bool) -> TokenStream {
        match self {
            Ty::Named(n) => {
                let id = format_ident!("{}", n);
                if qualified {
                    quote!(crate::models::#id)
                } else {
                    quote!(#id)
                }
            }
            Ty::Prim(p) => {
                let id = format_ident!("{}", p);
                quote!(#id)
            }
            Ty::Vec(t) => {
                let t = t.tokens(qualified);
                quote!(Vec<#t>)
            }
            Ty::Map(t) => {
                let t = t.tokens(qualified);
                quote!(std::collections::BTreeMap<String, #t>)
            }
            Ty::Value => quote!(serde_json::Value),
        }
    }
}

#[derive(Debug, Clone)]
struct Field {
    wire: String,
    ident: String,
    ty: Ty,
    required: bool,
    doc: String,
}

#[derive(Debug, Clone)]
enum Def {
    Struct {
        doc: String,
        fields: Vec<Field>,
    },
    Alias {
        doc: String,
        ty: Ty,
    },
    /// A string enum: (variant, wire value) pairs, plus `Unknown(String)`.
    Enum {
        doc: String,
        values: Vec<(String, String)>,
    },
}

/// The listed values of a string schema with `enum`, in order, without duplicates.
pub fn string_enum(s: &Schema) -> Option<Vec<String>> {
    let SchemaKind::Type(Type::String(st)) = &s.schema_kind else {
        return None;
    };
    let mut values: Vec<String> = Vec::new();
    for v in st.enumeration.iter().flatten() {
        if !values.contains(v) {
            values.push(v.clone());
        }
    }
    (!values.is_empty()).then_some(values)
}

/// Variant names for enum values (`bind` → `Bind`, `""` → `Empty`, `unless-stopped` →
/// `UnlessStopped`), distinct and never `Unknown`.
pub fn enum_variants(values: Vec<String>) -> Vec<(String, String)> {
    let mut dedupe = Dedupe::with_reserved(&["Unknown", "Self"]);
    values
        .into_iter()
        .map(|v| {
            let p = pascal(&v);
            let base = if p.is_empty() {
                "Empty".to_owned()
            } else if p.starts_with(|c: char| c.is_ascii_digit()) {
                format!("V{p}")
            } else {
                p
            };
            (dedupe.claim(&base), v)
        })
        .collect()
}

/// The type registry.
pub struct Types<'a> {
    /// Swagger documents (with schemas), oldest first.
    docs: Vec<(ApiVersion, &'a OpenAPI)>,
    /// Schema name → Rust type name.
    named: BTreeMap<String, String>,
    defs: BTreeMap<String, Def>,
    dedupe: Dedupe,
    /// Why something fell back to `serde_json::Value`.
    pub notes: BTreeSet<String>,
}

type Props<'a> = Vec<(String, &'a ReferenceOr<Box<Schema>>)>;

/// The parts of an `allOf`: of `allOf` itself, or of a schema that also states a
/// type (Swagger's `type: object` + `allOf`, which converts to an untyped schema
/// with `allOf`) and has no properties of its own.
fn all_of_parts(schema: &Schema) -> Option<&[ReferenceOr<Schema>]> {
    match &schema.schema_kind {
        SchemaKind::AllOf { all_of } => Some(all_of),
        SchemaKind::Any(a) if a.properties.is_empty() && !a.all_of.is_empty() => Some(&a.all_of),
        _ => None,
    }
}

/// Properties (merged through `allOf`) and required names, if the schema is an object
/// with properties.
fn props<'a>(
    doc: &'a OpenAPI,
    schema: &'a Schema,
    depth: usize,
) -> Option<(Props<'a>, BTreeSet<String>)> {
    if depth > MAX_DEPTH {
        return None;
    }
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) if !o.properties.is_empty() => Some((
            o.properties.iter().map(|(k, v)| (k.clone(), v)).collect(),
            o.required.iter().cloned().collect(),
        )),
        SchemaKind::Any(a) if !a.properties.is_empty() => Some((
            a.properties.iter().map(|(k, v)| (k.clone(), v)).collect(),
            a.required.iter().cloned().collect(),
        )),
        _ if all_of_parts(schema).is_some_and(|parts| parts.len() > 1) => {
            let all_of = all_of_parts(schema).unwrap_or_default();
            let mut out: Props<'a> = Vec::new();
            let mut req = BTreeSet::new();
            for part in all_of {
                let s = match part {
                    ReferenceOr::Item(s) => Some(s),
                    ReferenceOr::Reference { reference } => resolve_ref(doc, reference),
                };
                if let Some((p, r)) = s.and_then(|s| props(doc, s, depth + 1)) {
                    for (k, v) in p {
                        if let Some(slot) = out.iter_mut().find(|(n, _)| *n == k) {
                            slot.1 = v;
                        } else {
                            out.push((k, v));
                        }
                    }
                    req.extend(r);
                }
            }
            (!out.is_empty()).then_some((out, req))
        }
        _ => None,
    }
}

/// Upstream prose as rustdoc: code fences are marked `text` (never compiled).
pub fn doc_text(text: &str) -> String {
    let mut open = false;
    text.trim()
        .lines()
        .map(|line| {
            let t = line.trim_end();
            let body = t.trim_start();
            if body.starts_with("```") {
                let indent = t.get(..t.len() - body.len()).unwrap_or_default();
                open = !open;
                if open {
                    format!("{indent}```text")
                } else {
                    format!("{indent}```")
                }
            } else {
                t.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

impl<'a> Types<'a> {
    /// Builds every named type of the Swagger documents (`docs` in any order; those
    /// without schemas are ignored).
    pub fn new(docs: &[(ApiVersion, &'a OpenAPI)]) -> Self {
        let mut docs: Vec<(ApiVersion, &'a OpenAPI)> = docs
            .iter()
            .filter(|(_, d)| d.components.as_ref().is_some_and(|c| !c.schemas.is_empty()))
            .copied()
            .collect();
        docs.sort_by_key(|(v, _)| *v);
        let names: BTreeSet<String> = docs
            .iter()
            .filter_map(|(_, d)| d.components.as_ref())
            .flat_map(|c| c.schemas.keys().cloned())
            .collect();
        let mut dedupe = Dedupe::with_reserved(&[
            "Option", "Result", "Vec", "Box", "String", "Value", "BTreeMap", "Default", "Some",
            "None", "Ok", "Err", "Self",
        ]);
        let named = names
            .iter()
            .map(|n| (n.clone(), dedupe.claim(&pascal_keep(n))))
            .collect();
        let mut t = Types {
            docs,
            named,
            defs: BTreeMap::new(),
            dedupe,
            notes: BTreeSet::new(),
        };
        for name in names {
            t.define_named(&name);
        }
        t
    }

    /// Versions (oldest first) whose documents define schema `name`.
    fn shapes(&self, name: &str) -> Vec<(ApiVersion, &'a OpenAPI, &'a Schema)> {
        self.docs
            .iter()
            .filter_map(|(v, d)| {
                let s = match d.components.as_ref()?.schemas.get(name)? {
                    ReferenceOr::Item(s) => s,
                    ReferenceOr::Reference { .. } => return None,
                };
                Some((*v, *d, s))
            })
            .collect()
    }

    fn define_named(&mut self, name: &str) {
        let Some(rust) = self.named.get(name).cloned() else {
            return;
        };
        let shapes = self.shapes(name);
        let Some(&(newest_v, doc, schema)) = shapes.last() else {
            return;
        };
        let mut doc_str = schema
            .schema_data
            .description
            .as_deref()
            .map(doc_text)
            .unwrap_or_default();
        let first = shapes.first().map_or(newest_v, |s| s.0);
        let since_note =
            format!("Definition `{name}`, in the Swagger references of API {first}–{newest_v}.");
        doc_str = if doc_str.is_empty() {
            since_note
        } else {
            format!("{doc_str}\n\n{since_note}")
        };
        if let Some(values) = string_enum(schema) {
            let values = enum_variants(values);
            self.defs.insert(
                rust,
                Def::Enum {
                    doc: doc_str,
                    values,
                },
            );
            return;
        }
        let Some((newest_props, required)) = props(doc, schema, 0) else {
            let ty = self.ty_of_schema(doc, schema, &rust, 0);
            let ty = if ty == Ty::Named(rust.clone()) {
                Ty::Value
            } else {
                ty
            };
            self.defs.insert(rust, Def::Alias { doc: doc_str, ty });
            return;
        };
        // Property lifecycles over the versions that have the definition.
        let per_version: Vec<(ApiVersion, BTreeSet<String>)> = self
            .docs
            .iter()
            .map(|(v, _)| {
                let set = shapes
                    .iter()
                    .find(|s| s.0 == *v)
                    .and_then(|(_, d, s)| props(d, s, 0))
                    .map(|(p, _)| p.into_iter().map(|(k, _)| k).collect());
                (*v, set.unwrap_or_default())
            })
            .collect();
        let has: BTreeSet<ApiVersion> = shapes.iter().map(|s| s.0).collect();
        let lifecycle = |prop: &str| {
            Lifecycle::from_states(
                per_version.iter().map(|(v, set)| {
                    let state = if !has.contains(v) {
                        State::Unknown
                    } else if set.contains(prop) {
                        State::PRESENT
                    } else {
                        State::Absent
                    };
                    (*v, state)
                }),
                &[],
            )
        };
        // Required: listed so in every version that has the definition (a property
        // required only from some version on is absent from older daemons' answers).
        let always_required = shapes
            .iter()
            .map(|(_, d, s)| props(d, s, 0).map(|(_, r)| r).unwrap_or_default())
            .reduce(|a, b| &a & &b)
            .unwrap_or_default();
        for k in required.difference(&always_required) {
            self.notes.insert(format!(
                "{rust}.{k}: required in API {newest_v} but not in every version of `{name}`; typed Option"
            ));
        }
        let mut all: Vec<(String, &'a ReferenceOr<Box<Schema>>, &'a OpenAPI, bool)> = newest_props
            .into_iter()
            .map(|(k, s)| {
                let req = always_required.contains(&k);
                (k, s, doc, req)
            })
            .collect();
        for (_, d, s) in shapes.iter().rev().skip(1) {
            if let Some((p, _)) = props(d, s, 0) {
                let mut older: Vec<_> = p
                    .into_iter()
                    .filter(|(k, _)| !all.iter().any(|(n, ..)| n == k))
                    .collect();
                older.sort_by(|a, b| a.0.cmp(&b.0));
                all.extend(older.into_iter().map(|(k, s)| (k, s, *d, false)));
            }
        }
        let fields = self.fields(&rust, all, Some(&lifecycle), first);
        self.defs.insert(
            rust,
            Def::Struct {
                doc: doc_str,
                fields,
            },
        );
    }

    fn fields(
        &mut self,
        owner: &str,
        all: Vec<(String, &'a ReferenceOr<Box<Schema>>, &'a OpenAPI, bool)>,
        lifecycle: Option<&dyn Fn(&str) -> Lifecycle>,
        first: ApiVersion,
    ) -> Vec<Field> {
        let mut idents = Dedupe::default();
        let mut fields = Vec::new();
        for (wire, schema, doc, mut required) in all {
            if required {
                if let Some((.., evidence)) = NOT_REQUIRED
                    .iter()
                    .find(|(o, w, _)| *o == owner && *w == wire)
                {
                    self.notes.insert(format!(
                        "{owner}.{wire}: documented required, typed Option: {evidence}"
                    ));
                    required = false;
                }
            }
            let field_ident = idents.claim(&snake(&wire));
            let hint = format!("{owner}{}", pascal(&wire));
            let ty = self.ty_of(doc, schema_as_ref(schema), &hint, 1);
            let mut text = match schema {
                ReferenceOr::Item(s) => s
                    .schema_data
                    .description
                    .as_deref()
                    .map(doc_text)
                    .unwrap_or_default(),
                ReferenceOr::Reference { .. } => String::new(),
            };
            if let Some(l) = lifecycle.map(|f| f(&wire)) {
                let since = l
                    .since
                    .filter(|s| *s > first)
                    .map(|s| format!("since API {s}"));
                let removed = l.removed_in.map(|r| format!("removed in API {r}"));
                let life: Vec<String> = since.into_iter().chain(removed).collect();
                let life = if life.is_empty() {
                    format!("`{wire}`: in every version of the definition.")
                } else {
                    format!("`{wire}`: {}.", life.join(", "))
                };
                text = if text.is_empty() {
                    life
                } else {
                    format!("{text}\n\n{life}")
                };
            }
            fields.push(Field {
                wire,
                ident: field_ident,
                ty,
                required,
                doc: text,
            });
        }
        fields
    }

    /// The type of a schema (inline objects become new structs named `hint`).
    pub fn ty_of(
        &mut self,
        doc: &'a OpenAPI,
        schema: SchemaRef<'a>,
        hint: &str,
        depth: usize,
    ) -> Ty {
        match schema {
            SchemaRef::Ref(reference) => self.ty_of_ref(reference),
            SchemaRef::Item(s) => self.ty_of_schema(doc, s, hint, depth),
        }
    }

    fn ty_of_ref(&mut self, reference: &str) -> Ty {
        match component_name(reference, "schemas").and_then(|n| self.named.get(n.as_ref())) {
            Some(n) => Ty::Named(n.clone()),
            None => {
                self.notes.insert(format!(
                    "{reference}: not a known schema; typed as serde_json::Value"
                ));
                Ty::Value
            }
        }
    }

    fn ty_of_schema(&mut self, doc: &'a OpenAPI, s: &'a Schema, hint: &str, depth: usize) -> Ty {
        if depth > MAX_DEPTH {
            self.notes.insert(format!(
                "{hint}: nested deeper than {MAX_DEPTH}; serde_json::Value"
            ));
            return Ty::Value;
        }
        if let Some([only]) = all_of_parts(s) {
            return self.ty_of(doc, schema_as_ref2(only), hint, depth + 1);
        }
        if let Some((p, required)) = props(doc, s, 0) {
            let name = self.dedupe.claim(&pascal_keep(hint));
            let doc_str = s
                .schema_data
                .description
                .as_deref()
                .map(doc_text)
                .unwrap_or_default();
            let all = p
                .into_iter()
                .map(|(k, v)| {
                    let req = required.contains(&k);
                    (k, v, doc, req)
                })
                .collect();
            let fields = self.fields(&name, all, None, ApiVersion::new(0, 0));
            self.defs.insert(
                name.clone(),
                Def::Struct {
                    doc: doc_str,
                    fields,
                },
            );
            return Ty::Named(name);
        }
        if let Some(values) = string_enum(s) {
            let name = self.dedupe.claim(&pascal_keep(hint));
            let doc_str = s
                .schema_data
                .description
                .as_deref()
                .map(doc_text)
                .unwrap_or_default();
            let values = enum_variants(values);
            self.defs.insert(
                name.clone(),
                Def::Enum {
                    doc: doc_str,
                    values,
                },
            );
            return Ty::Named(name);
        }
        match &s.schema_kind {
            SchemaKind::Type(Type::String(_)) => Ty::Prim("String"),
            SchemaKind::Type(Type::Boolean(_)) => Ty::Prim("bool"),
            SchemaKind::Type(Type::Number(_)) => Ty::Prim("f64"),
            SchemaKind::Type(Type::Integer(i)) => match &i.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => Ty::Prim("i32"),
                VariantOrUnknownOrEmpty::Unknown(f) if f == "uint64" => Ty::Prim("u64"),
                VariantOrUnknownOrEmpty::Unknown(f) if f == "uint32" || f == "uint16" => {
                    Ty::Prim("u32")
                }
                _ => Ty::Prim("i64"),
            },
            SchemaKind::Type(Type::Array(a)) => match &a.items {
                Some(items) => Ty::Vec(Box::new(self.ty_of(
                    doc,
                    schema_as_ref(items),
                    &format!("{hint}Item"),
                    depth + 1,
                ))),
                None => Ty::Vec(Box::new(Ty::Value)),
            },
            SchemaKind::Type(Type::Object(o)) => match &o.additional_properties {
                Some(AdditionalProperties::Schema(v)) => Ty::Map(Box::new(self.ty_of(
                    doc,
                    schema_as_ref2(v),
                    &format!("{hint}Value"),
                    depth + 1,
                ))),
                _ => Ty::Value,
            },
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => {
                self.notes
                    .insert(format!("{hint}: oneOf/anyOf; serde_json::Value"));
                Ty::Value
            }
            _ => Ty::Value,
        }
    }

    /// Sample JSON answers of type `ty` for the generated decoding test: every field
    /// present (`required_only`: only the required ones), and every list and map at
    /// nesting level `null_at` (0: the outermost) `null`, the shallower ones holding
    /// one item (`None`: every list and map holds one item). The flag tells whether a
    /// list or map was written as `null` (none sits at level `null_at` otherwise).
    pub fn sample(
        &self,
        ty: &Ty,
        null_at: Option<usize>,
        required_only: bool,
    ) -> (serde_json::Value, bool) {
        let mut s = Sampler {
            types: self,
            null_at: null_at.unwrap_or(usize::MAX),
            required_only,
            nulled: false,
            path: Vec::new(),
        };
        let v = s.value(ty, 0);
        (v, s.nulled)
    }

    /// The generated `src/models.rs`; the structs named in `bodies` (request bodies) get
    /// builder-style setters.
    pub fn models_file(&self, bodies: &BTreeSet<String>) -> TokenStream {
        let boxed = self.boxed_edges();
        let items = self.defs.iter().map(|(name, def)| {
            let id = format_ident!("{}", name);
            match def {
                Def::Alias { doc, ty } => {
                    let ty = ty.tokens(false);
                    let doc = nonempty(doc, name);
                    quote! {
                        #[doc = #doc]
                        pub type #id = #ty;
                    }
                }
                Def::Enum { doc, values } => enum_tokens(name, doc, values),
                Def::Struct { doc, fields } => {
                    let doc = nonempty(doc, name);
                    let field_list = fields;
                    let fields = fields.iter().map(|f| {
                        let fid = ident(&f.ident);
                        let wire = &f.wire;
                        let mut ty = f.ty.tokens(false);
                        if let Ty::Named(target) = &f.ty {
                            if boxed.contains(&(name.clone(), target.clone())) {
                                ty = quote!(Box<#ty>);
                            }
                        }
                        let fdoc = nonempty(&f.doc, wire);
                        // Every field is read through `GoJson` (a `null` list or map is
                        // empty, at any depth); a required field has no default, so its
                        // absence is a decode error naming it.
                        if f.required {
                            quote! {
                                #[doc = #fdoc]
                                #[serde(rename = #wire, deserialize_with = "dockmatrix_runtime::serde_helpers::go")]
                                pub #fid: #ty,
                            }
                        } else {
                            quote! {
                                #[doc = #fdoc]
                                #[serde(rename = #wire, default, deserialize_with = "dockmatrix_runtime::serde_helpers::go", skip_serializing_if = "Option::is_none")]
                                pub #fid: Option<#ty>,
                            }
                        }
                    });
                    let setters = bodies.contains(name).then(|| {
                        let list: Vec<SetterField<'_>> = field_list
                            .iter()
                            .map(|f| SetterField {
                                wire: &f.wire,
                                ident: &f.ident,
                                ty: &f.ty,
                                required: f.required,
                                boxed: matches!(&f.ty, Ty::Named(t) if boxed.contains(&(name.clone(), t.clone()))),
                            })
                            .collect();
                        setters(name, &list)
                    });
                    quote! {
                        #[doc = #doc]
                        #[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
                        pub struct #id {
                            #(#fields)*
                        }
                        impl dockmatrix_runtime::serde_helpers::GoJson for #id {}
                        #setters
                    }
                }
            }
        });
        quote! {
            //! Request and response bodies from the Swagger definitions (newest shape;
            //! properties later versions dropped are kept; unknown fields are accepted).

            #(#items)*
        }
    }

    /// (struct, field type) pairs that must be boxed: a direct embedding that can reach
    /// its owner again through direct embeddings.
    fn boxed_edges(&self) -> BTreeSet<(String, String)> {
        let mut edges: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for (name, def) in &self.defs {
            let e = edges.entry(name.as_str()).or_default();
            match def {
                Def::Struct { fields, .. } => {
                    for f in fields {
                        if let Ty::Named(t) = &f.ty {
                            e.insert(t.as_str());
                        }
                    }
                }
                Def::Alias {
                    ty: Ty::Named(t), ..
                } => {
                    e.insert(t.as_str());
                }
                Def::Alias { .. } | Def::Enum { .. } => {}
            }
        }
        let reaches = |from: &str, to: &str| {
            let mut seen = BTreeSet::new();
            let mut stack = vec![from];
            while let Some(n) = stack.pop() {
                if n == to {
                    return true;
                }
                if seen.insert(n) {
                    if let Some(next) = edges.get(n) {
                        stack.extend(next.iter().copied());
                    }
                }
            }
            false
        };
        let mut out = BTreeSet::new();
        for (from, tos) in &edges {
            for to in tos {
                if reaches(to, from) {
                    out.insert((from.to_string(), to.to_string()));
                }
            }
        }
        out
    }
}

/// Walks generated types to build a sample answer (see [`Types::sample`]).
struct Sampler<'t, 'a> {
    types: &'t Types<'a>,
    null_at: usize,
    required_only: bool,
    /// Whether a list or map was written as `null`.
    nulled: bool,
    /// Structs being sampled (a recursive optional field is left out).
    path: Vec<String>,
}

impl Sampler<'_, '_> {
    fn value(&mut self, ty: &Ty, level: usize) -> serde_json::Value {
        use serde_json::{json, Value};
        match ty {
            Ty::Prim("bool") => json!(true),
            Ty::Prim("String") => json!("x"),
            Ty::Prim("f64") => json!(0.5),
            Ty::Prim(_) => json!(1),
            Ty::Value => json!({}),
            Ty::Vec(_) | Ty::Map(_) if level == self.null_at => {
                self.nulled = true;
                Value::Null
            }
            Ty::Vec(item) => Value::Array(vec![self.value(item, level + 1)]),
            Ty::Map(item) => json!({ "k": self.value(item, level + 1) }),
            Ty::Named(n) => match self.types.defs.get(n) {
                None => json!({}),
                Some(Def::Alias { ty, .. }) if !self.path.contains(n) => {
                    self.path.push(n.clone());
                    let v = self.value(ty, level);
                    self.path.pop();
                    v
                }
                Some(Def::Alias { .. }) => Value::Null,
                Some(Def::Enum { values, .. }) => {
                    json!(values.first().map_or("", |(_, wire)| wire.as_str()))
                }
                Some(Def::Struct { fields, .. }) => {
                    self.path.push(n.clone());
                    let mut obj = serde_json::Map::new();
                    for f in fields {
                        if !f.required && (self.required_only || self.recursive(&f.ty)) {
                            continue;
                        }
                        let v = if f.required && self.recursive(&f.ty) {
                            match f.ty {
                                Ty::Vec(_) => json!([]),
                                _ => json!({}),
                            }
                        } else {
                            self.value(&f.ty, level)
                        };
                        obj.insert(f.wire.clone(), v);
                    }
                    self.path.pop();
                    Value::Object(obj)
                }
            },
        }
    }

    /// Whether `ty` leads back to a struct being sampled.
    fn recursive(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Vec(t) | Ty::Map(t) => self.recursive(t),
            Ty::Named(n) => {
                self.path.contains(n)
                    || matches!(self.types.defs.get(n), Some(Def::Alias { ty, .. }) if self.recursive(ty))
            }
            Ty::Prim(_) | Ty::Value => false,
        }
    }
}

/// A schema or a reference to one.
#[derive(Debug, Clone, Copy)]
pub enum SchemaRef<'a> {
    /// `$ref` text.
    Ref(&'a str),
    /// Inline schema.
    Item(&'a Schema),
}

fn schema_as_ref(s: &ReferenceOr<Box<Schema>>) -> SchemaRef<'_> {
    match s {
        ReferenceOr::Item(s) => SchemaRef::Item(s),
        ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
    }
}

/// [`SchemaRef`] of an unboxed `ReferenceOr<Schema>`.
pub fn schema_as_ref2(s: &ReferenceOr<Schema>) -> SchemaRef<'_> {
    match s {
        ReferenceOr::Item(s) => SchemaRef::Item(s),
        ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
    }
}

/// A type name from a schema name or hint: kept if already a valid CamelCase
/// identifier, else converted.
fn pascal_keep(name: &str) -> String {
    let valid = name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric());
    if valid {
        name.to_string()
    } else {
        let p = pascal(name);
        if p.is_empty() || p.starts_with(|c: char| c.is_ascii_digit()) {
            format!("T{p}")
        } else {
            p
        }
    }
}

/// A string enum: `#[non_exhaustive]`, an `Unknown(String)` variant so a newer daemon's
/// value never fails decoding, `From<&str>`/`From<String>` (so `"bind".into()` works),
/// `as_str`, `Display`, and serde through the wire string. `Default` is the value of
/// the empty string (Go's zero value): its variant if listed, else `Unknown("")`.
pub fn enum_tokens(name: &str, doc: &str, values: &[(String, String)]) -> TokenStream {
    let id = format_ident!("{}", name);
    let listed = values
        .iter()
        .map(|(_, w)| format!("`{w:?}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let doc = format!(
        "{}

Values: {listed}; any other is kept in `Unknown`.",
        nonempty(doc, name)
    );
    let variants = values.iter().map(|(v, w)| {
        let vid = format_ident!("{}", v);
        let vdoc = format!("`{w:?}`");
        quote! { #[doc = #vdoc] #vid, }
    });
    let to_str = values.iter().map(|(v, w)| {
        let vid = format_ident!("{}", v);
        quote! { #id::#vid => #w, }
    });
    let from_str = values.iter().map(|(v, w)| {
        let vid = format_ident!("{}", v);
        quote! { #w => #id::#vid, }
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #id {
            #(#variants)*
            /// A value this client does not know (a newer daemon's).
            Unknown(String),
        }
        impl #id {
            /// The wire value.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_str)*
                    #id::Unknown(s) => s,
                }
            }
        }
        impl From<&str> for #id {
            fn from(s: &str) -> Self {
                match s {
                    #(#from_str)*
                    other => #id::Unknown(other.to_owned()),
                }
            }
        }
        impl From<String> for #id {
            fn from(s: String) -> Self {
                #id::from(s.as_str())
            }
        }
        impl Default for #id {
            fn default() -> Self {
                #id::from("")
            }
        }
        impl dockmatrix_runtime::serde_helpers::GoJson for #id {}
        impl std::fmt::Display for #id {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl serde::Serialize for #id {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl<'de> serde::Deserialize<'de> for #id {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                Ok(#id::from(s.as_ref()))
            }
        }
    }
}

fn nonempty(doc: &str, fallback: &str) -> String {
    if doc.trim().is_empty() {
        format!("`{fallback}`.")
    } else {
        doc.to_string()
    }
}
