//! Schema conversion: Swagger 2.0 schema (or items / header / parameter type) →
//! OpenAPI 3.0 schema.
//!
//! - `$ref` is rewritten; a `$ref` with `x-nullable: true` or a `description`
//!   becomes `allOf: [$ref]` carrying them (OpenAPI 3.0 ignores `$ref` siblings).
//! - `x-nullable: true` → `nullable: true`; `type: file` → `string`/`binary`.
//! - Upstream defects are reported and worked around: a list of types becomes
//!   `oneOf` (with `null` folded into `nullable`), `required` names without a
//!   property are dropped, enum values of the wrong type fall back to an untyped
//!   enum, a `null` default on a non-nullable schema is dropped.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, AnySchema, ArrayType, BooleanType, Discriminator, IntegerType,
    NumberType, ObjectType, ReferenceOr, Schema, SchemaData, SchemaKind, StringFormat, StringType,
    Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use super::context::{Ctx, Loc};
use super::document::{BoolOrSchema, Required, Schema as SwSchema, TypeSpec};
use super::refs;

/// Converts a schema that may be a `$ref`.
pub fn convert(ctx: &mut Ctx<'_>, s: &SwSchema, loc: &Loc<'_>) -> ReferenceOr<Schema> {
    ctx.warn_unknown(loc, &s.unknown);
    if let Some(reference) = &s.reference {
        let target = ReferenceOr::Reference {
            reference: refs::rewrite(reference),
        };
        let nullable = s.x_nullable == Some(true);
        if !nullable && s.description.is_none() {
            return target;
        }
        let schema_data = SchemaData {
            nullable,
            description: s.description.clone(),
            extensions: extensions(&s.extensions),
            ..SchemaData::default()
        };
        return ReferenceOr::Item(Schema {
            schema_data,
            schema_kind: SchemaKind::AllOf {
                all_of: vec![target],
            },
        });
    }
    ReferenceOr::Item(convert_inline(ctx, s, loc))
}

/// [`convert`], boxed as property and item positions need.
pub fn convert_boxed(ctx: &mut Ctx<'_>, s: &SwSchema, loc: &Loc<'_>) -> ReferenceOr<Box<Schema>> {
    match convert(ctx, s, loc) {
        ReferenceOr::Reference { reference } => ReferenceOr::Reference { reference },
        ReferenceOr::Item(schema) => ReferenceOr::Item(Box::new(schema)),
    }
}

/// Converts an inline schema (its `$ref`, if any, is ignored).
pub fn convert_inline(ctx: &mut Ctx<'_>, s: &SwSchema, loc: &Loc<'_>) -> Schema {
    let mut schema_data = SchemaData {
        nullable: s.x_nullable == Some(true),
        read_only: s.read_only == Some(true),
        external_docs: s.external_docs.as_ref().and_then(|d| {
            d.url.as_ref().map(|url| openapiv3::ExternalDocumentation {
                description: d.description.clone(),
                url: url.clone(),
                extensions: IndexMap::new(),
            })
        }),
        example: s.example.0.clone(),
        title: s.title.clone(),
        description: s.description.clone(),
        discriminator: s.discriminator.as_ref().map(|p| Discriminator {
            property_name: p.clone(),
            mapping: IndexMap::new(),
            extensions: IndexMap::new(),
        }),
        default: s.default.0.clone(),
        extensions: extensions(&s.extensions),
        ..SchemaData::default()
    };
    let kind = match &s.type_ {
        None => untyped_kind(ctx, s, loc),
        Some(TypeSpec::One(t)) => typed_kind(ctx, s, loc, t),
        Some(TypeSpec::Many(types)) => {
            let (nulls, rest): (Vec<&String>, Vec<&String>) =
                types.iter().partition(|t| t.as_str() == "null");
            if !nulls.is_empty() {
                schema_data.nullable = true;
            }
            let type_loc = loc.key("type");
            match rest.as_slice() {
                [] => {
                    ctx.warn(&type_loc, format!("type is a list {types:?}; OpenAPI 3.0 needs one type; converted to an untyped schema"));
                    untyped_kind(ctx, s, loc)
                }
                [one] => {
                    ctx.warn(&type_loc, format!("type is a list {types:?}; OpenAPI 3.0 needs one type; converted to type {one:?}{}", if nulls.is_empty() { "" } else { " with nullable: true" }));
                    typed_kind(ctx, s, loc, one)
                }
                many => {
                    ctx.warn(&type_loc, format!("type is a list {types:?}; OpenAPI 3.0 needs one type; converted to oneOf with one schema per type"));
                    let one_of = many
                        .iter()
                        .map(|t| {
                            ReferenceOr::Item(Schema {
                                schema_data: SchemaData::default(),
                                schema_kind: typed_kind(ctx, s, loc, t),
                            })
                        })
                        .collect();
                    SchemaKind::OneOf { one_of }
                }
            }
        }
    };
    if schema_data.default == Some(Value::Null) && !schema_data.nullable {
        ctx.warn(
            &loc.key("default"),
            "default is null but the schema is not nullable; default dropped",
        );
        schema_data.default = None;
    }
    Schema {
        schema_data,
        schema_kind: kind,
    }
}

/// The `x-*` extensions OpenAPI can carry (`x-nullable` has become `nullable`).
pub fn extensions(ext: &[(String, Value)]) -> IndexMap<String, Value> {
    ext.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
}

/// Whether the schema has keys beyond `allOf` that give it structure of its own.
fn has_own_structure(s: &SwSchema) -> bool {
    !s.properties.0.is_empty()
        || s.additional_properties.is_some()
        || s.items.is_some()
        || s.required != Required::Absent
        || s.enumeration.is_some()
        || s.format.is_some()
        || s.pattern.is_some()
}

fn untyped_kind(ctx: &mut Ctx<'_>, s: &SwSchema, loc: &Loc<'_>) -> SchemaKind {
    if !s.all_of.is_empty() && !has_own_structure(s) {
        return SchemaKind::AllOf {
            all_of: all_of(ctx, s, loc),
        };
    }
    SchemaKind::Any(any_schema(
        ctx,
        s,
        loc,
        None,
        s.enumeration.clone().unwrap_or_default(),
    ))
}

fn typed_kind(ctx: &mut Ctx<'_>, s: &SwSchema, loc: &Loc<'_>, t: &str) -> SchemaKind {
    if !s.all_of.is_empty() {
        let enumeration = s.enumeration.clone().unwrap_or_default();
        return SchemaKind::Any(any_schema(ctx, s, loc, Some(t), enumeration));
    }
    let values = s.enumeration.as_deref().unwrap_or_default();
    match t {
        "string" | "file" => match typed_enum(values, |v| v.as_str().map(str::to_owned)) {
            Some(enumeration) => SchemaKind::Type(Type::String(StringType {
                format: if t == "file" {
                    VariantOrUnknownOrEmpty::Item(StringFormat::Binary)
                } else {
                    format_of(&s.format)
                },
                pattern: s.pattern.clone(),
                enumeration,
                min_length: s.min_length,
                max_length: s.max_length,
            })),
            None => mistyped_enum(ctx, s, loc, t),
        },
        "integer" => match (
            typed_enum(values, Value::as_i64),
            whole(s.minimum),
            whole(s.maximum),
            whole(s.multiple_of),
        ) {
            (Some(enumeration), Some(minimum), Some(maximum), Some(multiple_of)) => {
                SchemaKind::Type(Type::Integer(IntegerType {
                    format: format_of(&s.format),
                    multiple_of,
                    exclusive_minimum: s.exclusive_minimum == Some(true),
                    exclusive_maximum: s.exclusive_maximum == Some(true),
                    minimum,
                    maximum,
                    enumeration,
                }))
            }
            (None, ..) => mistyped_enum(ctx, s, loc, t),
            _ => {
                let enumeration = s.enumeration.clone().unwrap_or_default();
                SchemaKind::Any(any_schema(ctx, s, loc, Some(t), enumeration))
            }
        },
        "number" => match typed_enum(values, Value::as_f64) {
            Some(enumeration) => SchemaKind::Type(Type::Number(NumberType {
                format: format_of(&s.format),
                multiple_of: s.multiple_of,
                exclusive_minimum: s.exclusive_minimum == Some(true),
                exclusive_maximum: s.exclusive_maximum == Some(true),
                minimum: s.minimum,
                maximum: s.maximum,
                enumeration,
            })),
            None => mistyped_enum(ctx, s, loc, t),
        },
        "boolean" => match typed_enum(values, Value::as_bool) {
            Some(enumeration) => SchemaKind::Type(Type::Boolean(BooleanType { enumeration })),
            None => mistyped_enum(ctx, s, loc, t),
        },
        "array" => {
            if s.items.is_none() {
                ctx.warn(loc, "array schema without items; items left open");
            }
            SchemaKind::Type(Type::Array(ArrayType {
                items: items(ctx, s, loc),
                min_items: s.min_items,
                max_items: s.max_items,
                unique_items: s.unique_items == Some(true),
            }))
        }
        "object" => {
            let (properties, required, additional_properties) = object_parts(ctx, s, loc);
            SchemaKind::Type(Type::Object(ObjectType {
                properties,
                required,
                additional_properties,
                min_properties: s.min_properties,
                max_properties: s.max_properties,
            }))
        }
        other => {
            ctx.warn(
                &loc.key("type"),
                format!("unknown type {other:?}; kept as an untyped schema with that type name"),
            );
            SchemaKind::Any(any_schema(
                ctx,
                s,
                loc,
                Some(other),
                s.enumeration.clone().unwrap_or_default(),
            ))
        }
    }
}

/// An enum whose values do not all have the declared type: kept as an untyped enum.
fn mistyped_enum(ctx: &mut Ctx<'_>, s: &SwSchema, loc: &Loc<'_>, t: &str) -> SchemaKind {
    ctx.warn(
        &loc.key("enum"),
        format!(
            "enum values do not all have type {t:?}; kept as written in an untyped-enum schema"
        ),
    );
    SchemaKind::Any(any_schema(
        ctx,
        s,
        loc,
        Some(t),
        s.enumeration.clone().unwrap_or_default(),
    ))
}

/// The catch-all form, used when the schema mixes keywords of several kinds.
fn any_schema(
    ctx: &mut Ctx<'_>,
    s: &SwSchema,
    loc: &Loc<'_>,
    typ: Option<&str>,
    enumeration: Vec<Value>,
) -> AnySchema {
    let (properties, required, additional_properties) = object_parts(ctx, s, loc);
    let (typ, format) = match typ {
        Some("file") => (Some("string".to_owned()), Some("binary".to_owned())),
        other => (other.map(str::to_owned), s.format.clone()),
    };
    AnySchema {
        typ,
        pattern: s.pattern.clone(),
        multiple_of: s.multiple_of,
        exclusive_minimum: s.exclusive_minimum,
        exclusive_maximum: s.exclusive_maximum,
        minimum: s.minimum,
        maximum: s.maximum,
        properties,
        required,
        additional_properties,
        min_properties: s.min_properties,
        max_properties: s.max_properties,
        items: items(ctx, s, loc),
        min_items: s.min_items,
        max_items: s.max_items,
        unique_items: s.unique_items,
        enumeration,
        format,
        min_length: s.min_length,
        max_length: s.max_length,
        one_of: Vec::new(),
        all_of: all_of(ctx, s, loc),
        any_of: Vec::new(),
        not: None,
    }
}

fn all_of(ctx: &mut Ctx<'_>, s: &SwSchema, loc: &Loc<'_>) -> Vec<ReferenceOr<Schema>> {
    let all_loc = loc.key("allOf");
    s.all_of
        .iter()
        .enumerate()
        .map(|(i, part)| convert(ctx, part, &all_loc.index(i)))
        .collect()
}

fn items(ctx: &mut Ctx<'_>, s: &SwSchema, loc: &Loc<'_>) -> Option<ReferenceOr<Box<Schema>>> {
    s.items
        .as_deref()
        .map(|item| convert_boxed(ctx, item, &loc.key("items")))
}

type ObjectParts = (
    IndexMap<String, ReferenceOr<Box<Schema>>>,
    Vec<String>,
    Option<AdditionalProperties>,
);

fn object_parts(ctx: &mut Ctx<'_>, s: &SwSchema, loc: &Loc<'_>) -> ObjectParts {
    let props_loc = loc.key("properties");
    let listed = s.required.names();
    let mut properties = IndexMap::with_capacity(s.properties.0.len());
    let mut flagged = Vec::new();
    for (name, prop) in &s.properties.0 {
        let prop_loc = props_loc.key(name);
        let converted = convert_boxed(ctx, prop, &prop_loc);
        if properties.insert(name.clone(), converted).is_some() {
            ctx.warn(
                &prop_loc,
                "property defined twice; the later definition wins",
            );
        }
        if let Required::Flag(flag) = prop.required {
            let what = if flag {
                "moved to the parent's required list"
            } else {
                "ignored"
            };
            ctx.warn(
                &prop_loc.key("required"),
                format!(
                    "`required: {flag}` on a property (Swagger wants a list on the parent); {what}"
                ),
            );
            if flag && !listed.contains(name) {
                flagged.push(name.clone());
            }
        }
    }
    let mut required = Vec::with_capacity(listed.len() + flagged.len());
    for name in listed {
        // With allOf, a required name may come from a composed schema.
        if s.all_of.is_empty() && !properties.contains_key(name) {
            ctx.warn(
                &loc.key("required"),
                format!("required names {name:?}, which is not a defined property; dropped from required"),
            );
        } else if required.contains(name) {
            ctx.warn(
                &loc.key("required"),
                format!("{name:?} listed twice in required"),
            );
        } else {
            required.push(name.clone());
        }
    }
    required.append(&mut flagged);
    let additional_properties =
        match &s.additional_properties {
            None => None,
            Some(BoolOrSchema::Bool(b)) => Some(AdditionalProperties::Any(*b)),
            Some(BoolOrSchema::Schema(inner)) => Some(AdditionalProperties::Schema(Box::new(
                convert(ctx, inner, &loc.key("additionalProperties")),
            ))),
        };
    (properties, required, additional_properties)
}

/// Converts enum values to one type; `None` if any value has another type.
/// `null` is kept as `None` (valid with `nullable`).
fn typed_enum<T>(values: &[Value], get: impl Fn(&Value) -> Option<T>) -> Option<Vec<Option<T>>> {
    values
        .iter()
        .map(|v| {
            if v.is_null() {
                Some(None)
            } else {
                get(v).map(Some)
            }
        })
        .collect()
}

/// `Some(None)` for no bound, `Some(Some(n))` for a whole bound, `None` for a fractional one.
fn whole(bound: Option<f64>) -> Option<Option<i64>> {
    match bound {
        None => Some(None),
        Some(b) if b.fract() == 0.0 && b.abs() < 9.0e18 => Some(Some(b as i64)),
        Some(_) => None,
    }
}

fn format_of<T: std::str::FromStr>(format: &Option<String>) -> VariantOrUnknownOrEmpty<T> {
    match format {
        None => VariantOrUnknownOrEmpty::Empty,
        Some(f) => match f.parse::<T>() {
            Ok(known) => VariantOrUnknownOrEmpty::Item(known),
            Err(_) => VariantOrUnknownOrEmpty::Unknown(f.clone()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn conv(yaml: &str) -> (ReferenceOr<Schema>, Vec<String>) {
        let s: SwSchema = serde_norway::from_str(yaml).unwrap();
        let mut ctx = Ctx::new(Path::new("t.yaml"));
        let out = convert(&mut ctx, &s, &Loc::ROOT);
        (out, ctx.warnings.into_iter().map(|w| w.message).collect())
    }

    #[test]
    fn type_list_becomes_one_of_with_warning() {
        let (out, warnings) = conv("type: [array, string]\nitems: {type: string}\n");
        let ReferenceOr::Item(schema) = out else {
            panic!("expected inline schema")
        };
        let SchemaKind::OneOf { one_of } = schema.schema_kind else {
            panic!("expected oneOf")
        };
        assert_eq!(one_of.len(), 2);
        assert!(matches!(
            &one_of[0],
            ReferenceOr::Item(Schema {
                schema_kind: SchemaKind::Type(Type::Array(_)),
                ..
            })
        ));
        assert!(matches!(
            &one_of[1],
            ReferenceOr::Item(Schema {
                schema_kind: SchemaKind::Type(Type::String(_)),
                ..
            })
        ));
        assert_eq!(warnings.len(), 1);
    }

    #[test]
    fn nullable_ref_is_wrapped() {
        let (out, _) = conv("$ref: '#/definitions/X'\nx-nullable: true\n");
        let ReferenceOr::Item(schema) = out else {
            panic!("expected wrapper")
        };
        assert!(schema.schema_data.nullable);
        let SchemaKind::AllOf { all_of } = schema.schema_kind else {
            panic!("expected allOf")
        };
        assert_eq!(all_of, vec![ReferenceOr::ref_("#/components/schemas/X")]);
        let (plain, _) = conv("$ref: '#/definitions/X'\nx-nullable: false\n");
        assert_eq!(plain, ReferenceOr::ref_("#/components/schemas/X"));
    }

    #[test]
    fn undefined_required_is_dropped() {
        let (out, warnings) =
            conv("type: object\nrequired: [a, b]\nproperties: {a: {type: string}}\n");
        let ReferenceOr::Item(Schema {
            schema_kind: SchemaKind::Type(Type::Object(o)),
            ..
        }) = out
        else {
            panic!()
        };
        assert_eq!(o.required, vec!["a".to_string()]);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("\"b\""));
    }

    #[test]
    fn required_flag_on_property_moves_to_parent() {
        let (out, warnings) = conv(
            "type: object\nproperties:\n  a: {type: string, required: true}\n  b: {type: string}\n",
        );
        let ReferenceOr::Item(Schema {
            schema_kind: SchemaKind::Type(Type::Object(o)),
            ..
        }) = out
        else {
            panic!()
        };
        assert_eq!(o.required, vec!["a".to_string()]);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("required: true"));
    }

    #[test]
    fn file_becomes_binary_string_and_mistyped_enum_is_kept() {
        let (out, _) = conv("type: file\n");
        let ReferenceOr::Item(Schema {
            schema_kind: SchemaKind::Type(Type::String(st)),
            ..
        }) = out
        else {
            panic!()
        };
        assert_eq!(
            st.format,
            VariantOrUnknownOrEmpty::Item(StringFormat::Binary)
        );
        let (out, warnings) = conv("type: string\nenum: [a, 1]\n");
        let ReferenceOr::Item(Schema {
            schema_kind: SchemaKind::Any(any),
            ..
        }) = out
        else {
            panic!()
        };
        assert_eq!(any.enumeration.len(), 2);
        assert_eq!(warnings.len(), 1);
    }
}
