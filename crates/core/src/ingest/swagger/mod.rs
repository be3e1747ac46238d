//! Swagger 2.0 → OpenAPI 3.0 conversion (API v1.25+).
//!
//! [`convert()`] parses the YAML ([`parse`]) into lenient Swagger types
//! ([`document`]), checks it is Swagger 2.0 for the expected API version,
//! converts it (schemas, parameters, responses, references) and rejects
//! dangling `$ref`s. Upstream defects that can be worked around are returned as
//! warnings, never as errors.
//!
//! Conventions of the output: path-level parameters are merged into every
//! operation (none are left on path items); a `$ref` carrying `x-nullable: true`
//! or a `description` becomes `allOf: [$ref]` with `nullable`/`description`;
//! every produced (consumed) media type gets its own content entry with the same
//! schema; `host`/`basePath` become `servers`.

mod context;
mod convert;
pub mod document;
mod errata;
mod parameters;
pub mod parse;
pub mod refs;
mod responses;
mod schema;
mod sections;

use std::path::Path;

use super::{IngestError, IngestedSpec};
use crate::version::ApiVersion;
use context::{Ctx, Loc};

/// Parses a Swagger 2.0 YAML document and converts it to OpenAPI 3.0.
///
/// Errors: [`IngestError::Syntax`] for YAML errors and wrongly shaped values
/// (with line and column), [`IngestError::Invalid`] for a document that is not
/// Swagger 2.0 or misses required parts (with JSON pointer),
/// [`IngestError::VersionMismatch`] when `info.version` is not `expected`, and
/// [`IngestError::DanglingRef`] for a `$ref` that points at nothing.
///
/// With a `cache`, the YAML is parsed by [`parse::parse_document_shared`],
/// which reuses the entries earlier documents already parsed.
pub fn convert(
    file: &Path,
    expected: ApiVersion,
    text: &str,
    cache: Option<&parse::ParseCache>,
) -> Result<IngestedSpec, IngestError> {
    let doc = match cache {
        Some(cache) => parse::parse_document_shared(file, text, cache)?,
        None => parse::parse_document(file, text)?,
    };
    let mut ctx = Ctx::new(file);
    let root = Loc::ROOT;
    match (&doc.swagger, &doc.openapi) {
        (Some(v), _) if v.0 == "2.0" => {}
        (Some(v), _) => {
            return Err(ctx.invalid(
                &root.key("swagger"),
                format!(
                    "swagger is {:?}; only Swagger \"2.0\" documents are supported",
                    v.0
                ),
            ))
        }
        (None, Some(v)) => {
            return Err(ctx.invalid(
                &root.key("openapi"),
                format!("this is an OpenAPI {} document, not Swagger 2.0", v.0),
            ))
        }
        (None, None) => {
            return Err(ctx.invalid(
                &root.key("swagger"),
                "not a Swagger 2.0 document (no top-level `swagger: \"2.0\"`)",
            ))
        }
    }
    let found = doc
        .info
        .as_ref()
        .and_then(|i| i.version.as_ref())
        .map(|v| v.0.clone())
        .ok_or_else(|| ctx.invalid(&root.key("info").key("version"), "info.version is missing"))?;
    if found.parse::<ApiVersion>().ok() != Some(expected) {
        return Err(IngestError::VersionMismatch {
            file: file.to_path_buf(),
            expected: expected.to_string(),
            found,
        });
    }
    let mut openapi = convert::convert_document(&mut ctx, &doc)?;
    errata::apply(
        &errata::builtin()?,
        file,
        expected,
        &mut openapi,
        &mut ctx.warnings,
    )?;
    if let Some((pointer, reference)) = super::validate::dangling_refs(&openapi).into_iter().next()
    {
        return Err(IngestError::DanglingRef {
            file: file.to_path_buf(),
            pointer,
            reference,
        });
    }
    Ok(IngestedSpec {
        version: expected,
        openapi,
        warnings: ctx.warnings,
    })
}
