//! Response conversion: one content entry per produced media type (all with the
//! same schema), `examples` → the matching media type's `example`, headers →
//! OpenAPI headers.

use indexmap::IndexMap;
use openapiv3::{
    Header, HeaderStyle, MediaType, ParameterSchemaOrContent, ReferenceOr, Response, Responses,
    StatusCode,
};

use super::context::{Ctx, Loc};
use super::document::{Entries, Response as SwResponse};
use super::{refs, schema};

/// Converts an operation's `responses` map; `produces` is the operation's (or
/// the document's) list of response media types.
pub fn convert_responses(
    ctx: &mut Ctx<'_>,
    responses: &Entries<SwResponse>,
    loc: &Loc<'_>,
    produces: &[String],
) -> Responses {
    let mut out = Responses::default();
    for (code, response) in &responses.0 {
        let code_loc = loc.key(code);
        let converted = convert_response(ctx, response, &code_loc, produces);
        let replaced = if code == "default" {
            out.default.replace(converted).is_some()
        } else {
            match status_code(code) {
                Some(status) => out.responses.insert(status, converted).is_some(),
                None => {
                    ctx.warn(
                        &code_loc,
                        format!("{code:?} is not an HTTP status code; response dropped"),
                    );
                    false
                }
            }
        };
        if replaced {
            ctx.warn(
                &code_loc,
                "status code listed twice; the later response wins",
            );
        }
    }
    out
}

fn status_code(code: &str) -> Option<StatusCode> {
    if let Ok(n) = code.parse::<u16>() {
        return (100..=599).contains(&n).then_some(StatusCode::Code(n));
    }
    let bytes = code.as_bytes();
    match bytes {
        [d @ b'1'..=b'5', b'X' | b'x', b'X' | b'x'] => Some(StatusCode::Range(u16::from(d - b'0'))),
        _ => None,
    }
}

/// Converts one response (or a reference to a shared one).
pub fn convert_response(
    ctx: &mut Ctx<'_>,
    r: &SwResponse,
    loc: &Loc<'_>,
    produces: &[String],
) -> ReferenceOr<Response> {
    ctx.warn_unknown(loc, &r.unknown);
    if let Some(reference) = &r.reference {
        return ReferenceOr::Reference {
            reference: refs::rewrite(reference),
        };
    }
    let description = r.description.clone().unwrap_or_else(|| {
        ctx.warn(loc, "response has no description; used an empty one");
        String::new()
    });
    let mut content = IndexMap::new();
    if let Some(body) = &r.schema {
        let converted = schema::convert(ctx, body, &loc.key("schema"));
        // An `example` next to a `$ref` is lost on the schema; keep it on the media type.
        let ref_example = body.reference.as_ref().and(body.example.0.as_ref());
        let mimes: &[String] = if produces.is_empty() {
            ctx.warn(
                loc,
                "response has a schema but no `produces` applies; assumed application/json",
            );
            &[]
        } else {
            produces
        };
        let fallback = ["application/json".to_owned()];
        let mimes = if mimes.is_empty() {
            &fallback[..]
        } else {
            mimes
        };
        for mime in mimes {
            let example = r.examples.get(mime).or(ref_example).cloned();
            let media = MediaType {
                schema: Some(converted.clone()),
                example,
                ..MediaType::default()
            };
            content.insert(mime.clone(), media);
        }
    }
    let examples_loc = loc.key("examples");
    for (mime, example) in &r.examples.0 {
        if content.contains_key(mime) {
            continue;
        }
        let mime_loc = examples_loc.key(mime);
        match content.values().next().and_then(|m| m.schema.clone()) {
            Some(body) => {
                ctx.warn(
                    &mime_loc,
                    format!("example for media type {mime:?}, which `produces` does not list; added {mime:?} to this response's content"),
                );
                let media = MediaType {
                    schema: Some(body),
                    example: Some(example.clone()),
                    ..MediaType::default()
                };
                content.insert(mime.clone(), media);
            }
            None => ctx.warn(
                &mime_loc,
                format!("example for media type {mime:?}, but the response has no schema; example dropped"),
            ),
        }
    }
    let headers_loc = loc.key("headers");
    let headers = r
        .headers
        .0
        .iter()
        .map(|(name, h)| {
            let mut header_schema = schema::convert(ctx, h, &headers_loc.key(name));
            if let ReferenceOr::Item(s) = &mut header_schema {
                s.schema_data.description = None;
            }
            let header = Header {
                description: h.description.clone(),
                style: HeaderStyle::Simple,
                required: false,
                deprecated: None,
                format: ParameterSchemaOrContent::Schema(header_schema),
                example: None,
                examples: IndexMap::new(),
                extensions: IndexMap::new(),
            };
            (name.clone(), ReferenceOr::Item(header))
        })
        .collect();
    ReferenceOr::Item(Response {
        description,
        headers,
        content,
        links: IndexMap::new(),
        extensions: schema::extensions(&r.extensions),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_status_codes() {
        assert_eq!(status_code("200"), Some(StatusCode::Code(200)));
        assert_eq!(status_code("4XX"), Some(StatusCode::Range(4)));
        assert_eq!(status_code("700"), None);
        assert_eq!(status_code("ok"), None);
    }
}
