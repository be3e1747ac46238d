//! Serde types of a Swagger 2.0 document, as lenient as the converter needs.
//!
//! Every object keeps its `x-*` extensions and the names of keys Swagger 2.0 does
//! not define (so the converter can report them) instead of failing on them. Maps
//! keep input order and accept non-string keys (YAML writes status codes as
//! integers).

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// Declares a Swagger object: a struct with the listed keys, plus `extensions`
/// (`x-*` keys with their values) and `unknown` (other keys, ignored), and a
/// map-visiting `Deserialize` impl (no `flatten`, no buffering).
macro_rules! swagger_object {
    ($(#[$meta:meta])* $name:ident { $( $(#[$fmeta:meta])* $key:literal => $field:ident : $ty:ty ),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Default, Clone, PartialEq)]
        pub struct $name {
            $(
                #[doc = concat!("The `", $key, "` key.")]
                $(#[$fmeta])*
                pub $field: $ty,
            )*
            /// `x-*` extension keys and their values, in input order.
            pub extensions: Vec<(String, Value)>,
            /// Keys Swagger 2.0 does not define for this object (values ignored).
            pub unknown: Vec<String>,
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct ObjectVisitor;
                impl<'de> Visitor<'de> for ObjectVisitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str(concat!("a Swagger ", stringify!($name), " object (a mapping)"))
                    }
                    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<$name, A::Error> {
                        let mut out = $name::default();
                        while let Some(Key(key)) = map.next_key::<Key>()? {
                            match key.as_str() {
                                $( $key => out.$field = map.next_value()?, )*
                                k if k.starts_with("x-") => {
                                    let value = map.next_value()?;
                                    out.extensions.push((key, value));
                                }
                                _ => {
                                    map.next_value::<IgnoredAny>()?;
                                    out.unknown.push(key);
                                }
                            }
                        }
                        Ok(out)
                    }
                }
                deserializer.deserialize_map(ObjectVisitor)
            }
        }
    };
}

/// A mapping key or scalar read as text, whatever YAML typed it as (`200`, `1.25`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Key(pub String);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a scalar")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                Ok(Key(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key, E> {
                Ok(Key(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
        }
        deserializer.deserialize_string(KeyVisitor)
    }
}

/// A value that may be written as `null`: `Given(None)` when the key is absent,
/// `Given(Some(Value::Null))` for an explicit `null` (plain `Option` would lose that).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Given(pub Option<Value>);

impl<'de> Deserialize<'de> for Given {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Value::deserialize(deserializer).map(|v| Given(Some(v)))
    }
}

/// A schema's `required`: a list of property names, or (a common upstream
/// mistake) `required: true` written on the property itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Required {
    /// Not written.
    #[default]
    Absent,
    /// `required: [a, b]`.
    List(Vec<String>),
    /// `required: true` / `false` on a property schema.
    Flag(bool),
}

impl Required {
    /// The listed names (none for [`Required::Flag`]).
    pub fn names(&self) -> &[String] {
        match self {
            Self::List(names) => names,
            Self::Absent | Self::Flag(_) => &[],
        }
    }
}

impl<'de> Deserialize<'de> for Required {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RequiredVisitor;
        impl<'de> Visitor<'de> for RequiredVisitor {
            type Value = Required;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of property names (or a boolean)")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Required, E> {
                Ok(Required::Flag(v))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Required, E> {
                Ok(Required::Absent)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Required, A::Error> {
                let mut out = Vec::new();
                while let Some(Key(name)) = seq.next_element::<Key>()? {
                    out.push(name);
                }
                Ok(Required::List(out))
            }
        }
        deserializer.deserialize_any(RequiredVisitor)
    }
}

/// An ordered mapping with text keys; duplicates are kept (the converter reports them).
#[derive(Debug, Clone, PartialEq)]
pub struct Entries<T>(pub Vec<(String, T)>);

impl<T> Default for Entries<T> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<T> Entries<T> {
    /// The first value under `key`.
    pub fn get(&self, key: &str) -> Option<&T> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Entries<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntriesVisitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for EntriesVisitor<T> {
            type Value = Entries<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries<T>, A::Error> {
                let mut out = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some((Key(k), v)) = map.next_entry::<Key, T>()? {
                    out.push((k, v));
                }
                Ok(Entries(out))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Entries<T>, E> {
                Ok(Entries(Vec::new()))
            }
        }
        deserializer.deserialize_map(EntriesVisitor(std::marker::PhantomData))
    }
}

/// `additionalProperties`: a boolean or a schema.
#[derive(Debug, Clone, PartialEq)]
pub enum BoolOrSchema {
    /// `true` / `false`.
    Bool(bool),
    /// A schema for the values.
    Schema(Box<Schema>),
}

impl<'de> Deserialize<'de> for BoolOrSchema {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BoolOrSchemaVisitor;
        impl<'de> Visitor<'de> for BoolOrSchemaVisitor {
            type Value = BoolOrSchema;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a boolean or a schema")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<BoolOrSchema, E> {
                Ok(BoolOrSchema::Bool(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<BoolOrSchema, A::Error> {
                Schema::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|s| BoolOrSchema::Schema(Box::new(s)))
            }
        }
        deserializer.deserialize_any(BoolOrSchemaVisitor)
    }
}

/// `type`: one name, or (an upstream defect) a list of names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeSpec {
    /// `type: string`.
    One(String),
    /// `type: [array, string]`.
    Many(Vec<String>),
}

impl<'de> Deserialize<'de> for TypeSpec {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TypeVisitor;
        impl<'de> Visitor<'de> for TypeVisitor {
            type Value = TypeSpec;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a type name or a list of type names")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<TypeSpec, E> {
                Ok(TypeSpec::One(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<TypeSpec, E> {
                Ok(TypeSpec::One(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<TypeSpec, A::Error> {
                let mut out = Vec::new();
                while let Some(Key(t)) = seq.next_element::<Key>()? {
                    out.push(t);
                }
                Ok(TypeSpec::Many(out))
            }
        }
        deserializer.deserialize_any(TypeVisitor)
    }
}

swagger_object! {
    /// The root object.
    Document {
        "swagger" => swagger: Option<Key>,
        "info" => info: Option<Info>,
        "host" => host: Option<String>,
        "basePath" => base_path: Option<String>,
        "schemes" => schemes: Vec<String>,
        "consumes" => consumes: Vec<String>,
        "produces" => produces: Vec<String>,
        "paths" => paths: Option<Entries<PathItem>>,
        "definitions" => definitions: Entries<Schema>,
        "parameters" => parameters: Entries<Parameter>,
        "responses" => responses: Entries<Response>,
        "securityDefinitions" => security_definitions: Option<Value>,
        "security" => security: Option<Value>,
        "tags" => tags: Vec<Tag>,
        "externalDocs" => external_docs: Option<ExternalDocs>,
        /// Present in OpenAPI 3 documents, which this converter refuses.
        "openapi" => openapi: Option<Key>,
    }
}

swagger_object! {
    /// `info`.
    Info {
        "title" => title: Option<String>,
        "description" => description: Option<String>,
        "termsOfService" => terms_of_service: Option<String>,
        "contact" => contact: Option<Value>,
        "license" => license: Option<Value>,
        "version" => version: Option<Key>,
    }
}

swagger_object! {
    /// An entry of the top-level `tags`.
    Tag {
        "name" => name: Option<String>,
        "description" => description: Option<String>,
        "externalDocs" => external_docs: Option<ExternalDocs>,
    }
}

swagger_object! {
    /// `externalDocs`.
    ExternalDocs {
        "description" => description: Option<String>,
        "url" => url: Option<String>,
    }
}

swagger_object! {
    /// A path item (`paths./containers/json`).
    PathItem {
        "$ref" => reference: Option<String>,
        "get" => get: Option<Operation>,
        "put" => put: Option<Operation>,
        "post" => post: Option<Operation>,
        "delete" => delete: Option<Operation>,
        "options" => options: Option<Operation>,
        "head" => head: Option<Operation>,
        "patch" => patch: Option<Operation>,
        "parameters" => parameters: Vec<Parameter>,
    }
}

swagger_object! {
    /// An operation.
    Operation {
        "tags" => tags: Vec<String>,
        "summary" => summary: Option<String>,
        "description" => description: Option<String>,
        "externalDocs" => external_docs: Option<ExternalDocs>,
        "operationId" => operation_id: Option<String>,
        "consumes" => consumes: Option<Vec<String>>,
        "produces" => produces: Option<Vec<String>>,
        "parameters" => parameters: Vec<Parameter>,
        "responses" => responses: Option<Entries<Response>>,
        "schemes" => schemes: Option<Vec<String>>,
        "deprecated" => deprecated: Option<bool>,
        "security" => security: Option<Value>,
    }
}

swagger_object! {
    /// A parameter (or a `$ref` to one under top-level `parameters`).
    Parameter {
        "$ref" => reference: Option<String>,
        "name" => name: Option<String>,
        "in" => location: Option<String>,
        "description" => description: Option<String>,
        "required" => required: Option<bool>,
        "deprecated" => deprecated: Option<bool>,
        "schema" => schema: Option<Schema>,
        "type" => type_: Option<TypeSpec>,
        "format" => format: Option<String>,
        "allowEmptyValue" => allow_empty_value: Option<bool>,
        "items" => items: Option<Box<Schema>>,
        "collectionFormat" => collection_format: Option<String>,
        "default" => default: Given,
        "maximum" => maximum: Option<f64>,
        "exclusiveMaximum" => exclusive_maximum: Option<bool>,
        "minimum" => minimum: Option<f64>,
        "exclusiveMinimum" => exclusive_minimum: Option<bool>,
        "maxLength" => max_length: Option<usize>,
        "minLength" => min_length: Option<usize>,
        "pattern" => pattern: Option<String>,
        "maxItems" => max_items: Option<usize>,
        "minItems" => min_items: Option<usize>,
        "uniqueItems" => unique_items: Option<bool>,
        "enum" => enumeration: Option<Vec<Value>>,
        "multipleOf" => multiple_of: Option<f64>,
        "x-nullable" => x_nullable: Option<bool>,
        "example" => example: Given,
    }
}

swagger_object! {
    /// A response (or a `$ref` to one under top-level `responses`).
    Response {
        "$ref" => reference: Option<String>,
        "description" => description: Option<String>,
        "schema" => schema: Option<Schema>,
        "headers" => headers: Entries<Schema>,
        "examples" => examples: Entries<Value>,
    }
}

swagger_object! {
    /// A schema; also used for `items`, response headers and the type part of
    /// non-body parameters, which are subsets of it.
    Schema {
        "$ref" => reference: Option<String>,
        "format" => format: Option<String>,
        "title" => title: Option<String>,
        "description" => description: Option<String>,
        "default" => default: Given,
        "multipleOf" => multiple_of: Option<f64>,
        "maximum" => maximum: Option<f64>,
        "exclusiveMaximum" => exclusive_maximum: Option<bool>,
        "minimum" => minimum: Option<f64>,
        "exclusiveMinimum" => exclusive_minimum: Option<bool>,
        "maxLength" => max_length: Option<usize>,
        "minLength" => min_length: Option<usize>,
        "pattern" => pattern: Option<String>,
        "maxItems" => max_items: Option<usize>,
        "minItems" => min_items: Option<usize>,
        "uniqueItems" => unique_items: Option<bool>,
        "maxProperties" => max_properties: Option<usize>,
        "minProperties" => min_properties: Option<usize>,
        "required" => required: Required,
        "enum" => enumeration: Option<Vec<Value>>,
        "type" => type_: Option<TypeSpec>,
        "items" => items: Option<Box<Schema>>,
        "allOf" => all_of: Vec<Schema>,
        "properties" => properties: Entries<Schema>,
        "additionalProperties" => additional_properties: Option<BoolOrSchema>,
        "discriminator" => discriminator: Option<String>,
        "readOnly" => read_only: Option<bool>,
        "externalDocs" => external_docs: Option<ExternalDocs>,
        "example" => example: Given,
        "collectionFormat" => collection_format: Option<String>,
        "x-nullable" => x_nullable: Option<bool>,
    }
}
