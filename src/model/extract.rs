//! Reading an [`ApiSpec`] out of an OpenAPI 3.0 document.

use std::collections::BTreeMap;

use openapiv3::{OpenAPI, Parameter, ReferenceOr, RequestBody, Response, Schema, StatusCode};

use super::deprecation::is_deprecation_notice;
use super::fields::flatten_schema;
use super::spec::{ApiSpec, OpKey, Operation};
use crate::ingest::IngestedSpec;

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
            let mut query: BTreeMap<String, bool> = BTreeMap::new();
            let own = op.parameters.iter().filter_map(|p| resolve_param(doc, p));
            for param in shared.iter().copied().chain(own) {
                if let Parameter::Query { parameter_data, .. } = param {
                    let deprecated = parameter_data.deprecated.unwrap_or(false)
                        || parameter_data
                            .description
                            .as_deref()
                            .is_some_and(is_deprecation_notice);
                    query.insert(parameter_data.name.clone(), deprecated);
                }
            }
            let deprecated = op.deprecated
                || op.description.as_deref().is_some_and(is_deprecation_notice)
                || op.summary.as_deref().is_some_and(is_deprecation_notice);
            let operation = Operation {
                path: path.clone(),
                title: op.summary.clone().filter(|s| !s.trim().is_empty()),
                operation_id: op.operation_id.clone(),
                tags: op.tags.clone(),
                deprecated,
                query,
                request_fields: request_schema(doc, op.request_body.as_ref())
                    .map(|s| flatten_schema(doc, s))
                    .unwrap_or_default(),
                response_fields: response_schema(doc, op)
                    .map(|s| flatten_schema(doc, s))
                    .unwrap_or_default(),
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
    match p {
        ReferenceOr::Item(p) => Some(p),
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/parameters/")?;
            match doc.components.as_ref()?.parameters.get(name)? {
                ReferenceOr::Item(p) => Some(p),
                ReferenceOr::Reference { .. } => None,
            }
        }
    }
}

fn request_schema<'a>(
    doc: &'a OpenAPI,
    body: Option<&'a ReferenceOr<RequestBody>>,
) -> Option<&'a ReferenceOr<Schema>> {
    let body = match body? {
        ReferenceOr::Item(b) => b,
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/requestBodies/")?;
            match doc.components.as_ref()?.request_bodies.get(name)? {
                ReferenceOr::Item(b) => b,
                ReferenceOr::Reference { .. } => return None,
            }
        }
    };
    json_schema(&body.content)
}

/// The schema of the first 2xx response that has a JSON body.
fn response_schema<'a>(
    doc: &'a OpenAPI,
    op: &'a openapiv3::Operation,
) -> Option<&'a ReferenceOr<Schema>> {
    let mut codes: Vec<(&StatusCode, &ReferenceOr<Response>)> =
        op.responses.responses.iter().collect();
    codes.sort_by_key(|(code, _)| code.to_string());
    codes.into_iter().find_map(|(code, response)| {
        let success = matches!(code, StatusCode::Code(c) if (200..300).contains(c))
            || matches!(code, StatusCode::Range(2));
        if !success {
            return None;
        }
        let response = match response {
            ReferenceOr::Item(r) => r,
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix("#/components/responses/")?;
                match doc.components.as_ref()?.responses.get(name)? {
                    ReferenceOr::Item(r) => r,
                    ReferenceOr::Reference { .. } => return None,
                }
            }
        };
        json_schema(&response.content)
    })
}

fn json_schema(
    content: &indexmap::IndexMap<String, openapiv3::MediaType>,
) -> Option<&ReferenceOr<Schema>> {
    content
        .iter()
        .filter(|(media, _)| media.contains("json"))
        .find_map(|(_, m)| m.schema.as_ref())
}
