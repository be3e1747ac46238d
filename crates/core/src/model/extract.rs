//! Reading an [`ApiSpec`] out of an OpenAPI 3.0 document.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use openapiv3::{MediaType, OpenAPI, Parameter, ReferenceOr, RequestBody, Response, StatusCode};

use super::deprecation::is_deprecation_notice;
use super::fields::{flatten_schema, FieldSet};
use super::spec::{ApiSpec, Evidence, ItemFacts, Items, OpKey, Operation};
use crate::ingest::experimental::{is_experimental_notice, is_experimental_title};
use crate::ingest::refs::resolve;
use crate::ingest::{extensions, IngestedSpec};

/// Builds the model of one version from its converted document.
pub fn extract(spec: &IngestedSpec) -> ApiSpec {
    let doc = &spec.openapi;
    let has_schemas = doc
        .components
        .as_ref()
        .is_some_and(|c| !c.schemas.is_empty());
    let mut operations = BTreeMap::new();
    for (path, item) in doc.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        let shared: Vec<&Parameter> = item
            .parameters
            .iter()
            .filter_map(|p| resolve_param(doc, p))
            .collect();
        for (method, op) in item.iter() {
            let mut query = Items::new();
            let own = op.parameters.iter().filter_map(|p| resolve_param(doc, p));
            for param in shared.iter().copied().chain(own) {
                if let Parameter::Query { parameter_data, .. } = param {
                    let description = parameter_data.description.as_deref().unwrap_or_default();
                    let facts = ItemFacts {
                        deprecated: parameter_data.deprecated.unwrap_or(false)
                            || is_deprecation_notice(description),
                        experimental: is_experimental_notice(description)
                            || flag(&parameter_data.extensions, extensions::EXPERIMENTAL),
                        evidence: Evidence::Schema,
                    };
                    query.insert(parameter_data.name.clone(), facts);
                }
            }
            let deprecated = op.deprecated
                || op.description.as_deref().is_some_and(is_deprecation_notice)
                || op.summary.as_deref().is_some_and(is_deprecation_notice);
            let experimental = flag(&op.extensions, extensions::EXPERIMENTAL)
                || op
                    .description
                    .as_deref()
                    .is_some_and(is_experimental_notice)
                || op.tags.iter().any(|t| is_experimental_title(t));
            let request = request_media(doc, op.request_body.as_ref());
            let response = response_media(doc, op);
            let (request_fields, request_fields_complete) = body_fields(doc, request, has_schemas);
            let (response_fields, response_fields_complete) =
                body_fields(doc, response, has_schemas);
            let mut map_prefixes = request_fields.maps;
            map_prefixes.extend(response_fields.maps);
            let operation = Operation {
                path: path.clone(),
                title: op.summary.clone().filter(|s| !s.trim().is_empty()),
                operation_id: op.operation_id.clone(),
                tags: op.tags.clone(),
                deprecated,
                experimental,
                query,
                request_fields: request_fields.fields,
                response_fields: response_fields.fields,
                request_fields_complete,
                response_fields_complete,
                request_open: request_fields.open,
                response_open: response_fields.open,
                map_prefixes,
            };
            operations.insert(OpKey::new(method, path), operation);
        }
    }
    ApiSpec {
        version: spec.version,
        operations,
        has_schemas,
    }
}

fn resolve_param<'a>(doc: &'a OpenAPI, p: &'a ReferenceOr<Parameter>) -> Option<&'a Parameter> {
    resolve(doc, p)
}

/// Whether an extension is `true`.
fn flag(extensions: &IndexMap<String, serde_json::Value>, name: &str) -> bool {
    extensions.get(name).and_then(|v| v.as_bool()) == Some(true)
}

/// The fields a JSON body documents, and whether a field it does not name is known
/// to be absent. A schema documents its body completely unless ingest marked it
/// otherwise (markdown examples). No JSON body at all means no fields in a document
/// with schemas, and nothing known in one without (a markdown page without example).
fn body_fields(doc: &OpenAPI, media: Option<&MediaType>, has_schemas: bool) -> (FieldSet, bool) {
    let Some(media) = media else {
        return (FieldSet::default(), has_schemas);
    };
    let complete = media
        .extensions
        .get(extensions::FIELDS_COMPLETE)
        .and_then(|v| v.as_bool())
        .unwrap_or(true);
    let fields = media
        .schema
        .as_ref()
        .map(|s| flatten_schema(doc, s))
        .unwrap_or_default();
    (fields, complete)
}

fn request_media<'a>(
    doc: &'a OpenAPI,
    body: Option<&'a ReferenceOr<RequestBody>>,
) -> Option<&'a MediaType> {
    json_media(&resolve(doc, body?)?.content)
}

/// The media type of the first 2xx response that has a JSON body.
fn response_media<'a>(doc: &'a OpenAPI, op: &'a openapiv3::Operation) -> Option<&'a MediaType> {
    let mut codes: Vec<(&StatusCode, &ReferenceOr<Response>)> =
        op.responses.responses.iter().collect();
    codes.sort_by_key(|(code, _)| code.to_string());
    codes.into_iter().find_map(|(code, response)| {
        let success = matches!(code, StatusCode::Code(c) if (200..300).contains(c))
            || matches!(code, StatusCode::Range(2));
        if !success {
            return None;
        }
        json_media(&resolve(doc, response)?.content)
    })
}

/// The first JSON media type that has a schema.
fn json_media(content: &IndexMap<String, MediaType>) -> Option<&MediaType> {
    content
        .iter()
        .filter(|(media, _)| media.contains("json"))
        .find(|(_, m)| m.schema.is_some())
        .map(|(_, m)| m)
}
