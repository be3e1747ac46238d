//! Document-level conversion: info, servers, tags, paths and operations, components.

use indexmap::IndexMap;
use openapiv3::{
    Components, ExternalDocumentation, Info, OpenAPI, Operation, Parameter, PathItem, Paths,
    ReferenceOr, Server, Tag,
};

use super::context::{Ctx, Loc};
use super::document::{Document, ExternalDocs, Operation as SwOperation, PathItem as SwPathItem};
use super::parameters::{convert_operation_inputs, convert_shared};
use super::{responses, schema};
use crate::ingest::IngestError;

/// The OpenAPI version written into converted documents.
pub const OPENAPI_VERSION: &str = "3.0.3";

/// Converts a parsed Swagger 2.0 document (already checked to be one).
pub fn convert_document(ctx: &mut Ctx<'_>, doc: &Document) -> Result<OpenAPI, IngestError> {
    let root = Loc::ROOT;
    ctx.warn_unknown(&root, &doc.unknown);
    let info_loc = root.key("info");
    let info = doc.info.as_ref().map(|i| {
        ctx.warn_unknown(&info_loc, &i.unknown);
        let contact = i
            .contact
            .clone()
            .and_then(|c| serde_json::from_value(c).ok());
        let license = i
            .license
            .clone()
            .and_then(|l| serde_json::from_value(l).ok());
        Info {
            title: i.title.clone().unwrap_or_default(),
            description: i.description.clone(),
            terms_of_service: i.terms_of_service.clone(),
            contact,
            license,
            version: i.version.as_ref().map(|v| v.0.clone()).unwrap_or_default(),
            extensions: schema::extensions(&i.extensions),
        }
    });
    let info = info.ok_or_else(|| ctx.invalid(&info_loc, "the document has no `info`"))?;

    let tags_loc = root.key("tags");
    let tags = doc
        .tags
        .iter()
        .enumerate()
        .filter_map(|(i, t)| {
            let tag_loc = tags_loc.index(i);
            ctx.warn_unknown(&tag_loc, &t.unknown);
            let Some(name) = &t.name else {
                ctx.warn(&tag_loc, "tag has no name; dropped");
                return None;
            };
            Some(Tag {
                name: name.clone(),
                description: t.description.clone(),
                external_docs: external_docs(t.external_docs.as_ref()),
                extensions: schema::extensions(&t.extensions),
            })
        })
        .collect();

    let paths_loc = root.key("paths");
    let sw_paths = doc
        .paths
        .as_ref()
        .ok_or_else(|| ctx.invalid(&paths_loc, "the document has no `paths`"))?;
    let mut paths = Paths::default();
    for (path, item) in &sw_paths.0 {
        let item_loc = paths_loc.key(path);
        let converted = convert_path_item(ctx, doc, item, &item_loc)?;
        if paths
            .paths
            .insert(path.clone(), ReferenceOr::Item(converted))
            .is_some()
        {
            ctx.warn(&item_loc, "path listed twice; the later one wins");
        }
    }

    check_operation_ids(ctx, &paths);
    let components = convert_components(ctx, doc, &root)?;
    if doc.security_definitions.is_some() || doc.security.is_some() {
        ctx.warn(&root, "securityDefinitions/security are not converted");
    }

    Ok(OpenAPI {
        openapi: OPENAPI_VERSION.to_owned(),
        info,
        servers: servers(doc),
        paths,
        components: Some(components),
        security: None,
        tags,
        external_docs: external_docs(doc.external_docs.as_ref()),
        extensions: schema::extensions(&doc.extensions),
    })
}

/// `host` + `basePath` (+ `schemes`) as one server per scheme, or the bare base path.
fn servers(doc: &Document) -> Vec<Server> {
    let base = doc.base_path.clone().unwrap_or_default();
    let url = |u: String| Server {
        url: u,
        description: None,
        variables: None,
        extensions: IndexMap::new(),
    };
    match &doc.host {
        Some(host) if !doc.schemes.is_empty() => doc
            .schemes
            .iter()
            .map(|s| url(format!("{s}://{host}{base}")))
            .collect(),
        Some(host) => vec![url(format!("//{host}{base}"))],
        None if base.is_empty() => Vec::new(),
        None => vec![url(base)],
    }
}

fn external_docs(d: Option<&ExternalDocs>) -> Option<ExternalDocumentation> {
    let d = d?;
    Some(ExternalDocumentation {
        description: d.description.clone(),
        url: d.url.clone()?,
        extensions: IndexMap::new(),
    })
}

fn convert_path_item(
    ctx: &mut Ctx<'_>,
    doc: &Document,
    item: &SwPathItem,
    loc: &Loc<'_>,
) -> Result<PathItem, IngestError> {
    ctx.warn_unknown(loc, &item.unknown);
    if item.reference.is_some() {
        return Err(ctx.invalid(&loc.key("$ref"), "path item `$ref` is not supported"));
    }
    let params_loc = loc.key("parameters");
    let mut out = PathItem {
        extensions: schema::extensions(&item.extensions),
        ..PathItem::default()
    };
    let methods: [(&str, &Option<SwOperation>, &mut Option<Operation>); 7] = [
        ("get", &item.get, &mut out.get),
        ("put", &item.put, &mut out.put),
        ("post", &item.post, &mut out.post),
        ("delete", &item.delete, &mut out.delete),
        ("options", &item.options, &mut out.options),
        ("head", &item.head, &mut out.head),
        ("patch", &item.patch, &mut out.patch),
    ];
    for (method, op, slot) in methods {
        if let Some(op) = op {
            let op_loc = loc.key(method);
            let converted =
                convert_operation(ctx, doc, op, &op_loc, (&item.parameters, &params_loc))?;
            check_path_placeholders(ctx, path_of(loc), &converted, &op_loc);
            *slot = Some(converted);
        }
    }
    Ok(out)
}

/// The path template of a path item location (its last segment).
fn path_of<'a>(loc: &Loc<'a>) -> &'a str {
    loc.last_key().unwrap_or_default()
}

/// Reports `{placeholders}` without an `in: path` parameter and path parameters
/// that name no placeholder (references to shared parameters are not followed).
fn check_path_placeholders(ctx: &mut Ctx<'_>, path: &str, op: &Operation, loc: &Loc<'_>) {
    let placeholders: Vec<&str> = path
        .split('/')
        .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .collect();
    let declared: Vec<&str> = op
        .parameters
        .iter()
        .filter_map(|p| match p {
            ReferenceOr::Item(p @ Parameter::Path { .. }) => {
                Some(p.parameter_data_ref().name.as_str())
            }
            _ => None,
        })
        .collect();
    let has_refs = op
        .parameters
        .iter()
        .any(|p| matches!(p, ReferenceOr::Reference { .. }));
    for name in &placeholders {
        if !has_refs && !declared.contains(name) {
            ctx.warn(
                loc,
                format!("path placeholder {{{name}}} has no `in: path` parameter"),
            );
        }
    }
    for name in &declared {
        if !placeholders.contains(name) {
            ctx.warn(
                loc,
                format!("path parameter {name:?} does not occur in the path"),
            );
        }
    }
}

/// Reports operationIds used by more than one operation.
fn check_operation_ids(ctx: &mut Ctx<'_>, paths: &Paths) {
    let mut seen: std::collections::HashMap<&str, String> = std::collections::HashMap::new();
    let root = Loc::ROOT;
    let paths_loc = root.key("paths");
    for (path, item) in &paths.paths {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (method, op) in item.iter() {
            let Some(id) = op.operation_id.as_deref() else {
                continue;
            };
            let here = format!("{} {path}", method.to_uppercase());
            if let Some(first) = seen.get(id) {
                let item_loc = paths_loc.key(path);
                ctx.warn(
                    &item_loc.key(method),
                    format!("operationId {id:?} is also used by {first}"),
                );
            } else {
                seen.insert(id, here);
            }
        }
    }
}

fn convert_operation(
    ctx: &mut Ctx<'_>,
    doc: &Document,
    op: &SwOperation,
    loc: &Loc<'_>,
    path_params: (&[super::document::Parameter], &Loc<'_>),
) -> Result<Operation, IngestError> {
    ctx.warn_unknown(loc, &op.unknown);
    let consumes = op.consumes.as_deref().unwrap_or(&doc.consumes);
    let produces = op.produces.as_deref().unwrap_or(&doc.produces);
    let own_loc = loc.key("parameters");
    let inputs = convert_operation_inputs(
        ctx,
        &doc.parameters,
        path_params,
        (&op.parameters, &own_loc),
        consumes,
    )?;
    let responses_loc = loc.key("responses");
    let responses = match &op.responses {
        Some(r) => responses::convert_responses(ctx, r, &responses_loc, produces),
        None => {
            ctx.warn(&responses_loc, "operation has no responses");
            openapiv3::Responses::default()
        }
    };
    if op.security.is_some() {
        ctx.warn(&loc.key("security"), "operation security is not converted");
    }
    Ok(Operation {
        tags: op.tags.clone(),
        summary: op.summary.clone(),
        description: op.description.clone(),
        external_docs: external_docs(op.external_docs.as_ref()),
        operation_id: op.operation_id.clone(),
        parameters: inputs.parameters,
        request_body: inputs.request_body,
        responses,
        callbacks: IndexMap::new(),
        deprecated: op.deprecated == Some(true),
        security: None,
        servers: Vec::new(),
        extensions: schema::extensions(&op.extensions),
    })
}

fn convert_components(
    ctx: &mut Ctx<'_>,
    doc: &Document,
    root: &Loc<'_>,
) -> Result<Components, IngestError> {
    let mut components = Components::default();
    let defs_loc = root.key("definitions");
    components.schemas.reserve(doc.definitions.0.len());
    for (name, def) in &doc.definitions.0 {
        let def_loc = defs_loc.key(name);
        let converted = schema::convert(ctx, def, &def_loc);
        if components.schemas.insert(name.clone(), converted).is_some() {
            ctx.warn(&def_loc, "definition listed twice; the later one wins");
        }
    }
    let params_loc = root.key("parameters");
    for (name, param) in &doc.parameters.0 {
        if let Some(converted) = convert_shared(ctx, param, &params_loc.key(name))? {
            components.parameters.insert(name.clone(), converted);
        }
    }
    let responses_loc = root.key("responses");
    for (name, response) in &doc.responses.0 {
        let converted =
            responses::convert_response(ctx, response, &responses_loc.key(name), &doc.produces);
        components.responses.insert(name.clone(), converted);
    }
    Ok(components)
}
