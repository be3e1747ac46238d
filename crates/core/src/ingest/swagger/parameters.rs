//! Parameter conversion: query/header/path parameters → OpenAPI parameters
//! (`collectionFormat` → `style`/`explode`), `in: body` and `in: formData` →
//! one request body. Path-level parameters are merged into each operation
//! (operation-level ones with the same name and location win).

use indexmap::IndexMap;
use openapiv3::{
    HeaderStyle, MediaType, ObjectType, Parameter, ParameterData, ParameterSchemaOrContent,
    PathStyle, QueryStyle, ReferenceOr, RequestBody, Schema, SchemaData, SchemaKind, Type,
};

use super::context::{Ctx, Loc};
use super::document::{Entries, Parameter as SwParameter, Schema as SwSchema, TypeSpec};
use super::{refs, schema};
use crate::ingest::IngestError;

/// An operation's parameters and request body, converted.
#[derive(Debug, Default)]
pub struct OperationInputs {
    /// Query, header and path parameters (and references to shared ones).
    pub parameters: Vec<ReferenceOr<Parameter>>,
    /// The body (`in: body`) or form (`in: formData`) parameters as a request body.
    pub request_body: Option<ReferenceOr<RequestBody>>,
}

/// One parameter with where it was written.
struct Located<'a> {
    param: &'a SwParameter,
    parent: &'a Loc<'a>,
    index: usize,
}

/// Converts the parameters of one operation: `path_level` (with its location)
/// merged with `own` (with its location); `shared` is the document's
/// `parameters` section, used to resolve references to body/form parameters.
pub fn convert_operation_inputs(
    ctx: &mut Ctx<'_>,
    shared: &Entries<SwParameter>,
    path_level: (&[SwParameter], &Loc<'_>),
    own: (&[SwParameter], &Loc<'_>),
    consumes: &[String],
) -> Result<OperationInputs, IngestError> {
    let (path_params, path_loc) = path_level;
    let (own_params, own_loc) = own;
    let own_keys: Vec<(Option<&str>, Option<&str>)> =
        own_params.iter().map(|p| identity(p, shared)).collect();
    let mut all: Vec<Located<'_>> = Vec::with_capacity(path_params.len() + own_params.len());
    for (index, param) in path_params.iter().enumerate() {
        if !own_keys.contains(&identity(param, shared)) {
            all.push(Located {
                param,
                parent: path_loc,
                index,
            });
        }
    }
    for (index, param) in own_params.iter().enumerate() {
        all.push(Located {
            param,
            parent: own_loc,
            index,
        });
    }

    let mut out = OperationInputs::default();
    let mut body: Option<(&SwParameter, Loc<'_>)> = None;
    let mut form: Vec<(&SwParameter, String)> = Vec::new();
    for located in &all {
        let loc = located.parent.index(located.index);
        let (param, resolved_from) = match &located.param.reference {
            Some(reference) => {
                match refs::local_name(reference, "parameters").and_then(|name| shared.get(&name)) {
                    Some(target) if is_body_or_form(target) => (target, Some(reference)),
                    _ => {
                        ctx.warn_unknown(&loc, &located.param.unknown);
                        out.parameters.push(ReferenceOr::Reference {
                            reference: refs::rewrite(reference),
                        });
                        continue;
                    }
                }
            }
            None => (located.param, None),
        };
        ctx.warn_unknown(&loc, &param.unknown);
        let name = param
            .name
            .as_deref()
            .ok_or_else(|| ctx.invalid(&loc, "parameter has no `name`"))?;
        match param.location.as_deref() {
            None => return Err(ctx.invalid(&loc, format!("parameter {name:?} has no `in`"))),
            Some("body") => {
                if body.is_some() {
                    ctx.warn(&loc, "second `in: body` parameter; only the first is kept");
                } else {
                    body = Some((param, loc));
                }
            }
            Some("formData") => form.push((param, name.to_owned())),
            Some(location @ ("query" | "header" | "path")) => {
                let converted = convert_simple(ctx, param, name, location, &loc);
                out.parameters.push(ReferenceOr::Item(converted));
            }
            Some(other) => {
                let why = match resolved_from {
                    Some(r) => format!(" (via {r})"),
                    None => String::new(),
                };
                return Err(ctx.invalid(
                    &loc.key("in"),
                    format!("parameter {name:?} has unknown location `in: {other}`{why}"),
                ));
            }
        }
    }
    if let Some((param, loc)) = body {
        if !form.is_empty() {
            ctx.warn(
                &loc,
                "operation has both body and formData parameters; formData dropped",
            );
        }
        out.request_body = Some(ReferenceOr::Item(body_request(ctx, param, &loc, consumes)?));
    } else if !form.is_empty() {
        out.request_body = Some(ReferenceOr::Item(form_request(
            ctx, &form, own_loc, consumes,
        )));
    }
    Ok(out)
}

/// Converts a shared (document-level) parameter; `None` for body and form
/// parameters, which OpenAPI 3.0 cannot share as parameters (they are inlined
/// where referenced).
pub fn convert_shared(
    ctx: &mut Ctx<'_>,
    param: &SwParameter,
    loc: &Loc<'_>,
) -> Result<Option<ReferenceOr<Parameter>>, IngestError> {
    ctx.warn_unknown(loc, &param.unknown);
    if let Some(reference) = &param.reference {
        return Ok(Some(ReferenceOr::Reference {
            reference: refs::rewrite(reference),
        }));
    }
    let name = param
        .name
        .as_deref()
        .ok_or_else(|| ctx.invalid(loc, "parameter has no `name`"))?;
    match param.location.as_deref() {
        Some("body" | "formData") => Ok(None),
        Some(location @ ("query" | "header" | "path")) => Ok(Some(ReferenceOr::Item(
            convert_simple(ctx, param, name, location, loc),
        ))),
        Some(other) => Err(ctx.invalid(
            &loc.key("in"),
            format!("parameter {name:?} has unknown location `in: {other}`"),
        )),
        None => Err(ctx.invalid(loc, format!("parameter {name:?} has no `in`"))),
    }
}

fn is_body_or_form(p: &SwParameter) -> bool {
    matches!(p.location.as_deref(), Some("body" | "formData"))
}

/// `(name, in)` of a parameter, looking through a reference to a shared one.
fn identity<'a>(
    p: &'a SwParameter,
    shared: &'a Entries<SwParameter>,
) -> (Option<&'a str>, Option<&'a str>) {
    let target = p
        .reference
        .as_deref()
        .and_then(|r| refs::local_name(r, "parameters"))
        .and_then(|name| shared.get(&name))
        .unwrap_or(p);
    (target.name.as_deref(), target.location.as_deref())
}

/// The type part of a non-body parameter as a Swagger schema.
fn type_schema(p: &SwParameter) -> SwSchema {
    SwSchema {
        type_: p.type_.clone(),
        format: p.format.clone(),
        items: p.items.clone(),
        default: p.default.clone(),
        maximum: p.maximum,
        exclusive_maximum: p.exclusive_maximum,
        minimum: p.minimum,
        exclusive_minimum: p.exclusive_minimum,
        max_length: p.max_length,
        min_length: p.min_length,
        pattern: p.pattern.clone(),
        max_items: p.max_items,
        min_items: p.min_items,
        unique_items: p.unique_items,
        enumeration: p.enumeration.clone(),
        multiple_of: p.multiple_of,
        x_nullable: p.x_nullable,
        ..SwSchema::default()
    }
}

fn convert_simple(
    ctx: &mut Ctx<'_>,
    p: &SwParameter,
    name: &str,
    location: &str,
    loc: &Loc<'_>,
) -> Parameter {
    if p.type_.is_none() {
        ctx.warn(
            loc,
            format!("parameter {name:?} has no type; schema left open"),
        );
    }
    if p.schema.is_some() {
        ctx.warn(
            &loc.key("schema"),
            "`schema` on a non-body parameter; ignored",
        );
    }
    let schema = schema::convert_inline(ctx, &type_schema(p), loc);
    let is_array = matches!(&p.type_, Some(TypeSpec::One(t)) if t == "array");
    let mut required = p.required == Some(true);
    if location == "path" && !required {
        ctx.warn(
            loc,
            format!("path parameter {name:?} is not marked required; made required"),
        );
        required = true;
    }
    let format = p.collection_format.as_deref();
    if format.is_some() && !is_array {
        ctx.warn(
            &loc.key("collectionFormat"),
            "collectionFormat on a non-array parameter; ignored",
        );
    }
    let format = if is_array {
        Some(format.unwrap_or("csv"))
    } else {
        None
    };
    let mut explode = format.map(|f| f == "multi");
    let data = |explode: Option<bool>| ParameterData {
        name: name.to_owned(),
        description: p.description.clone(),
        required,
        deprecated: p.deprecated,
        format: ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema.clone())),
        example: p.example.0.clone(),
        examples: IndexMap::new(),
        explode,
        extensions: schema::extensions(&p.extensions),
    };
    let cf_loc = loc.key("collectionFormat");
    match location {
        "query" => {
            let style = match format {
                None | Some("csv" | "multi") => QueryStyle::Form,
                Some("ssv") => QueryStyle::SpaceDelimited,
                Some("pipes") => QueryStyle::PipeDelimited,
                Some(other) => {
                    ctx.warn(
                        &cf_loc,
                        format!(
                            "collectionFormat {other:?} has no OpenAPI 3.0 style; converted as csv"
                        ),
                    );
                    explode = Some(false);
                    QueryStyle::Form
                }
            };
            Parameter::Query {
                parameter_data: data(explode),
                allow_reserved: false,
                style,
                allow_empty_value: p.allow_empty_value,
            }
        }
        _ => {
            if let Some(other @ ("multi" | "ssv" | "pipes" | "tsv")) = format {
                ctx.warn(&cf_loc, format!("collectionFormat {other:?} is not possible in {location}; converted as csv"));
                explode = Some(false);
            } else if let Some(other) = format.filter(|f| *f != "csv") {
                ctx.warn(
                    &cf_loc,
                    format!("unknown collectionFormat {other:?}; converted as csv"),
                );
                explode = Some(false);
            }
            if location == "path" {
                Parameter::Path {
                    parameter_data: data(explode),
                    style: PathStyle::Simple,
                }
            } else {
                Parameter::Header {
                    parameter_data: data(explode),
                    style: HeaderStyle::Simple,
                }
            }
        }
    }
}

fn media_types(ctx: &mut Ctx<'_>, loc: &Loc<'_>, consumes: &[String]) -> Vec<String> {
    if consumes.is_empty() {
        ctx.warn(
            loc,
            "request body but no `consumes` (operation or document); assumed application/json",
        );
        return vec!["application/json".to_owned()];
    }
    consumes.to_vec()
}

/// A body schema that can only be JSON: an object, an array, or a definition.
fn is_json_shaped(schema: &super::document::Schema) -> bool {
    let typed = |t: &str| matches!(t, "object" | "array");
    schema.reference.is_some()
        || !schema.properties.0.is_empty()
        || match &schema.type_ {
            Some(super::document::TypeSpec::One(t)) => typed(t),
            Some(super::document::TypeSpec::Many(ts)) => ts.iter().all(|t| typed(t)),
            None => false,
        }
}

fn body_request(
    ctx: &mut Ctx<'_>,
    p: &SwParameter,
    loc: &Loc<'_>,
    consumes: &[String],
) -> Result<RequestBody, IngestError> {
    let body_schema = p
        .schema
        .as_ref()
        .ok_or_else(|| ctx.invalid(loc, "`in: body` parameter has no `schema`"))?;
    let converted = schema::convert(ctx, body_schema, &loc.key("schema"));
    let mut mimes = media_types(ctx, loc, consumes);
    if is_json_shaped(body_schema) && !mimes.iter().any(|m| m.contains("json")) {
        ctx.warn(
            loc,
            format!(
                "body schema is a JSON object but `consumes` says {}; tracked as application/json (bodies by shape, not by label)",
                mimes.join(", ")
            ),
        );
        mimes = vec!["application/json".to_owned()];
    }
    let content = mimes
        .into_iter()
        .map(|mime| {
            let media = MediaType {
                schema: Some(converted.clone()),
                ..MediaType::default()
            };
            (mime, media)
        })
        .collect();
    Ok(RequestBody {
        description: p.description.clone(),
        content,
        required: p.required == Some(true),
        extensions: schema::extensions(&p.extensions),
    })
}

fn form_request(
    ctx: &mut Ctx<'_>,
    form: &[(&SwParameter, String)],
    loc: &Loc<'_>,
    consumes: &[String],
) -> RequestBody {
    let mut properties = IndexMap::new();
    let mut required = Vec::new();
    let mut has_file = false;
    for (param, name) in form {
        let mut prop = schema::convert_inline(ctx, &type_schema(param), loc);
        prop.schema_data.description = param.description.clone();
        has_file |= matches!(&param.type_, Some(TypeSpec::One(t)) if t == "file");
        if param.required == Some(true) {
            required.push(name.clone());
        }
        properties.insert(name.clone(), ReferenceOr::Item(Box::new(prop)));
    }
    let form_schema = Schema {
        schema_data: SchemaData::default(),
        schema_kind: SchemaKind::Type(Type::Object(ObjectType {
            properties,
            required,
            ..ObjectType::default()
        })),
    };
    let mut mimes: Vec<String> = consumes
        .iter()
        .filter(|m| {
            m.starts_with("multipart/form-data")
                || m.starts_with("application/x-www-form-urlencoded")
        })
        .cloned()
        .collect();
    if mimes.is_empty() {
        let mime = if has_file {
            "multipart/form-data"
        } else {
            "application/x-www-form-urlencoded"
        };
        ctx.warn(
            loc,
            format!("formData parameters but `consumes` names no form media type; used {mime}"),
        );
        mimes.push(mime.to_owned());
    }
    let content = mimes
        .into_iter()
        .map(|mime| {
            let media = MediaType {
                schema: Some(ReferenceOr::Item(form_schema.clone())),
                ..MediaType::default()
            };
            (mime, media)
        })
        .collect();
    RequestBody {
        description: None,
        content,
        required: form.iter().any(|(p, _)| p.required == Some(true)),
        extensions: IndexMap::new(),
    }
}
