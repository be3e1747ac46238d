//! Operation lines (`` `GET /containers/(id or name)/json` ``) and the OpenAPI
//! operation built from one heading section.

use openapiv3::{Operation, Parameter, ReferenceOr, RequestBody, Response, StatusCode};

use super::blocks::{Section, SourceLine};
use super::bodies::Shape;
use super::regions::{self, Label, Region};
use super::{params, responses, tags};
use crate::ingest::extensions;
use crate::path::{normalize_path, HTTP_METHODS as METHODS};

/// A parsed operation line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OpLine {
    /// Upper-case HTTP method.
    pub method: String,
    /// The path as written (placeholders and query included).
    pub raw_path: String,
    /// OpenAPI-style path (`/containers/{id}/json`).
    pub path: String,
    /// Path parameters: name and the placeholder text as written (`id or name`).
    pub path_params: Vec<(String, String)>,
    /// Query parameters written into the path (`?h=<height>`): name and placeholder.
    pub query: Vec<(String, String)>,
    /// The line lacks its closing backtick (v1.9/v1.10 `DELETE /images/(name*)`).
    pub unclosed: bool,
}

/// A line that presents itself as an operation: at list level (indent < 4), outside
/// code, a backtick (optional) and an HTTP method, then a path.
pub(crate) fn looks_like_operation(line: &SourceLine) -> bool {
    if line.fenced || line.indent() >= 4 {
        return false;
    }
    let t = line.text.trim();
    let (ticked, body) = match t.strip_prefix('`') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, t),
    };
    let Some((method, rest)) = body.split_once([' ', '\t']) else {
        return false;
    };
    METHODS.contains(&method) && (ticked || rest.trim_start().starts_with('/'))
}

/// Parses an operation line strictly; the error says what is wrong.
pub(crate) fn parse_operation_line(text: &str) -> Result<OpLine, String> {
    let t = text.trim();
    let (ticked, body) = match t.strip_prefix('`') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, t),
    };
    let (method, rest) = body
        .split_once([' ', '\t'])
        .ok_or_else(|| "no path after the method".to_string())?;
    if !METHODS.contains(&method) {
        return Err(format!("{method:?} is not an HTTP method"));
    }
    let rest = rest.trim();
    let (raw, closed) = match rest.strip_suffix('`') {
        Some(r) => (r.trim_end(), true),
        None => (rest, false),
    };
    if closed && !ticked {
        return Err("stray closing backtick".into());
    }
    if raw.contains('`') {
        return Err("unexpected backtick inside the path".into());
    }
    if !raw.starts_with('/') {
        return Err(format!("path {raw:?} does not start with `/`"));
    }
    let mut depth = 0usize;
    for c in raw.chars() {
        match c {
            '(' | '<' | '{' => depth += 1,
            ')' | '>' | '}' => depth = depth.saturating_sub(1),
            c if c.is_whitespace() && depth == 0 => {
                return Err(format!("unexpected text after the path in {raw:?}"));
            }
            _ => {}
        }
    }
    let (path_part, query_part) = match raw.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (raw, None),
    };
    let path = normalize_path(path_part);
    let placeholders: Vec<String> = path_part
        .split('/')
        .filter(|s| s.starts_with(['(', '<', '{', ':']))
        .map(|s| {
            s.trim_matches(|c| matches!(c, '(' | ')' | '<' | '>' | '{' | '}' | ':'))
                .to_string()
        })
        .collect();
    let mut path_params = Vec::new();
    for segment in path.trim_start_matches('/').split('/') {
        if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            if !params::valid_name(name) {
                return Err(format!("bad placeholder {segment:?}"));
            }
            if path_params.iter().any(|(n, _)| n == name) {
                return Err(format!("placeholder {{{name}}} occurs twice"));
            }
            let written = placeholders
                .get(path_params.len())
                .cloned()
                .unwrap_or_default();
            path_params.push((name.to_string(), written));
        } else if segment.is_empty()
            || !segment
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        {
            return Err(format!("unexpected path segment {segment:?} in {raw:?}"));
        }
    }
    let mut query = Vec::new();
    for pair in query_part
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
    {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        if !params::valid_name(name) {
            return Err(format!("bad query parameter {name:?} in {raw:?}"));
        }
        let value = value.trim_matches(|c| matches!(c, '<' | '>' | '(' | ')'));
        query.push((name.to_string(), value.to_string()));
    }
    Ok(OpLine {
        method: method.to_string(),
        raw_path: raw.to_string(),
        path,
        path_params,
        query,
        unclosed: ticked && !closed,
    })
}

/// An operation read from one heading section.
#[derive(Debug, Clone)]
pub(crate) struct Built {
    /// Upper-case method.
    pub method: String,
    /// OpenAPI path.
    pub path: String,
    /// Line of the operation line.
    pub line: usize,
    /// The operation.
    pub operation: Operation,
}

/// What went wrong, and where.
pub(crate) type Problem = (usize, String);

/// Builds the operation of a heading section whose first line is `op`.
pub(crate) fn build(
    section: &Section,
    op: &SourceLine,
    notes: &mut Vec<Problem>,
) -> Result<Built, Problem> {
    let parsed = parse_operation_line(&op.text)
        .map_err(|m| (op.no, format!("cannot read operation line: {m}")))?;
    if parsed.unclosed {
        notes.push((op.no, "operation line lacks its closing backtick".into()));
    }
    let rest: Vec<SourceLine> = section
        .body
        .iter()
        .filter(|l| l.no > op.no)
        .cloned()
        .collect();
    if let Some(second) = rest.iter().find(|l| looks_like_operation(l)) {
        return Err((
            second.no,
            format!(
                "second operation line under heading {:?} (line {}); every operation needs its own heading",
                section.title, section.line
            ),
        ));
    }
    let regions = regions::split(&rest);
    let tag = tags::tag_for(&parsed.path).ok_or_else(|| {
        (
            op.no,
            format!(
                "no tag is known for path {:?} (unknown resource family)",
                parsed.path
            ),
        )
    })?;

    let description = region_text(regions.iter().filter(|r| r.label == Label::Description));
    let mut operation = Operation {
        tags: vec![tag.to_string()],
        summary: Some(section.title.clone()),
        deprecated: description.as_deref().is_some_and(says_deprecated),
        description,
        ..Operation::default()
    };
    operation.parameters = parameters(&parsed, &regions, &rest, notes)?;
    operation.request_body = request_body(&regions, notes);
    operation.responses = responses_of(&regions, &rest, notes)?;
    operation
        .extensions
        .insert(extensions::LINE.into(), serde_json::json!(op.no));
    if section.commented {
        notes.push((
            op.no,
            "operation is inside an HTML comment on the page (documented as TODO); kept and marked x-dockmatrix-commented-out"
                .into(),
        ));
        operation
            .extensions
            .insert(extensions::COMMENTED_OUT.into(), serde_json::json!(true));
    }
    Ok(Built {
        method: parsed.method,
        path: parsed.path,
        line: op.no,
        operation,
    })
}

/// The operation description declares the endpoint deprecated: a paragraph that
/// starts with `Deprecated` / `**Deprecated**`, or "this endpoint is deprecated".
/// A remark that some response property "will be deprecated" does not count.
fn says_deprecated(description: &str) -> bool {
    description.lines().any(|line| {
        let t = line
            .trim()
            .trim_start_matches(['*', '>', ' '])
            .to_ascii_lowercase();
        t.starts_with("deprecated") || t.contains("endpoint is deprecated")
    })
}

/// The markdown text of regions: comment delimiters dropped, blank runs collapsed.
fn region_text<'a>(regions: impl Iterator<Item = &'a Region>) -> Option<String> {
    let mut out: Vec<&str> = Vec::new();
    for region in regions {
        for line in &region.lines {
            if line.is_comment_delimiter() {
                continue;
            }
            let t = line.text.trim_end();
            if t.is_empty() && out.last().is_none_or(|l| l.is_empty()) {
                continue;
            }
            out.push(t);
        }
    }
    let text = out.join("\n").trim().to_string();
    (!text.is_empty()).then_some(text)
}

fn parameters(
    parsed: &OpLine,
    regions: &[Region],
    rest: &[SourceLine],
    notes: &mut Vec<Problem>,
) -> Result<Vec<ReferenceOr<Parameter>>, Problem> {
    let mut out: Vec<Parameter> = parsed
        .path_params
        .iter()
        .map(|(name, written)| params::path(name, written))
        .collect();
    let mut query_names: Vec<String> = Vec::new();
    for region in regions.iter().filter(|r| r.label == Label::QueryParameters) {
        for item in params::list_items(&region.lines, true)? {
            if !params::valid_name(&item.key) {
                return Err((
                    item.line,
                    format!("bad query parameter name {:?}", item.key),
                ));
            }
            if query_names.contains(&item.key) {
                notes.push((
                    item.line,
                    format!(
                        "query parameter {:?} documented twice; first kept",
                        item.key
                    ),
                ));
                continue;
            }
            query_names.push(item.key.clone());
            out.push(params::query(&item.key, &item.text));
        }
    }
    for line in rest {
        if let Some((kind, name, text)) = responses::rst_field_line(line) {
            if kind == "query" && !query_names.contains(&name) {
                notes.push((
                    line.no,
                    format!("query parameter {name:?} read from an rST `:query` leftover"),
                ));
                query_names.push(name.clone());
                out.push(params::query(&name, &text));
            }
        }
    }
    for (name, placeholder) in &parsed.query {
        if !query_names.contains(name) {
            query_names.push(name.clone());
            out.push(params::query(name, placeholder));
        }
    }
    // Parameters the page names only in its example request (`?digests=1`).
    for region in regions.iter().filter(|r| r.label == Label::ExampleRequest) {
        let Some((line, names)) = responses::example_query(&region.lines, &parsed.method) else {
            continue;
        };
        for name in names {
            if params::valid_name(&name) && !query_names.contains(&name) {
                notes.push((
                    line,
                    format!("query parameter {name:?} is used by the example request but not listed; read from the example"),
                ));
                query_names.push(name.clone());
                out.push(params::query(&name, "shown in the example request"));
            }
        }
    }
    for region in regions.iter().filter(|r| r.label == Label::RequestHeaders) {
        for item in params::list_items(&region.lines, true)? {
            if !params::valid_name(&item.key) {
                return Err((item.line, format!("bad header name {:?}", item.key)));
            }
            out.push(params::header(&item.key, &item.text));
        }
    }
    Ok(out.into_iter().map(ReferenceOr::Item).collect())
}

/// The request body: its media type from the example request, its schema from the
/// parameter list and the example body. The fields are never taken as complete.
fn request_body(regions: &[Region], notes: &mut Vec<Problem>) -> Option<ReferenceOr<RequestBody>> {
    let examples: Vec<responses::HttpExample> = regions
        .iter()
        .filter(|r| r.label == Label::ExampleRequest)
        .filter_map(|r| responses::parse_example(&r.lines))
        .collect();
    notes.extend(examples.iter().flat_map(|e| e.defects.iter().cloned()));
    let example = examples.into_iter().find(|e| e.body.is_some());
    let param_regions: Vec<&Region> = regions
        .iter()
        .filter(|r| r.label == Label::JsonParameters)
        .collect();
    let json_doc = region_text(param_regions.iter().copied());
    let mut shape = Shape::default();
    for region in &param_regions {
        let (listed, skipped) = Shape::from_parameter_list(&region.lines);
        for (line, key) in skipped {
            notes.push((
                line,
                format!("JSON parameter {key:?} is not a field name; not tracked as a body field"),
            ));
        }
        shape.merge(listed);
    }
    // v1.7–v1.9 list the whole body as one parameter (`**config** - the container's
    // configuration`) beside an example that shows its real fields.
    if let Some(name) = example
        .as_ref()
        .and_then(|e| e.body.as_ref())
        .and_then(|b| shape.names_the_whole_body(b))
    {
        notes.push((
            param_regions
                .first()
                .and_then(|r| r.lines.first())
                .map_or(0, |l| l.no),
            format!("JSON parameter {name:?} names the whole body, not a field of it; the example's fields are tracked instead"),
        ));
        shape = Shape::default();
    }
    let mut body = RequestBody {
        description: json_doc.clone(),
        ..RequestBody::default()
    };
    let (media_type, mut media) = match example.as_ref().and_then(|e| e.media()) {
        Some(found) => found,
        None if json_doc.is_some() => ("application/json".into(), openapiv3::MediaType::default()),
        None => return None,
    };
    if media_type.contains("json") {
        if let Some(value) = media
            .example
            .as_ref()
            .filter(|v| v.is_object() || v.is_array())
        {
            shape.merge(Shape::from_example(value));
        }
        if !shape.is_empty() {
            media.schema = Some(ReferenceOr::Item(shape.to_schema()));
            // Parameter lists are hand-written and not exhaustive (v1.24's create
            // list omits IpcMode, which its inspect example shows): a field a page
            // does not name may still exist.
            media
                .extensions
                .insert(extensions::FIELDS_COMPLETE.into(), false.into());
        }
    }
    body.content.insert(media_type, media);
    Some(ReferenceOr::Item(body))
}

fn responses_of(
    regions: &[Region],
    rest: &[SourceLine],
    notes: &mut Vec<Problem>,
) -> Result<openapiv3::Responses, Problem> {
    let mut docs: Vec<responses::StatusDoc> = Vec::new();
    for region in regions.iter().filter(|r| r.label == Label::StatusCodes) {
        for item in params::list_items(&region.lines, false)? {
            let found = responses::status_docs(&item).map_err(|m| (item.line, m))?;
            if found.len() > 1 {
                notes.push((
                    item.line,
                    "status codes read from rST `:statuscode` leftovers".into(),
                ));
            }
            docs.extend(found);
        }
    }
    for line in rest {
        if let Some((kind, name, text)) = responses::rst_field_line(line) {
            if kind == "statuscode" {
                let code = name.parse::<u16>().map_err(|_| {
                    (
                        line.no,
                        format!("`:statuscode {name}` is not a status code"),
                    )
                })?;
                notes.push((
                    line.no,
                    format!("status {code} read from an rST `:statuscode` leftover"),
                ));
                docs.push(responses::StatusDoc {
                    line: line.no,
                    code,
                    description: text,
                });
            }
        }
    }
    let mut out = openapiv3::Responses::default();
    for doc in docs {
        let key = StatusCode::Code(doc.code);
        match out.responses.get_mut(&key) {
            Some(ReferenceOr::Item(existing)) => {
                if existing.description != doc.description {
                    notes.push((
                        doc.line,
                        format!("status {} documented twice; descriptions joined", doc.code),
                    ));
                    existing.description = format!("{}; {}", existing.description, doc.description);
                }
            }
            _ => {
                out.responses.insert(
                    key,
                    ReferenceOr::Item(Response {
                        description: doc.description,
                        ..Response::default()
                    }),
                );
            }
        }
    }
    attach_examples(&mut out, regions, notes);
    if out.responses.is_empty() {
        out.default = Some(ReferenceOr::Item(Response {
            description: "No status codes are documented for this operation.".into(),
            ..Response::default()
        }));
    }
    Ok(out)
}

/// Adds each example response body to the response of its status code (the first
/// example per status and media type wins).
fn attach_examples(out: &mut openapiv3::Responses, regions: &[Region], notes: &mut Vec<Problem>) {
    for region in regions.iter().filter(|r| r.label == Label::ExampleResponse) {
        let Some(example) = responses::parse_example(&region.lines) else {
            continue;
        };
        notes.extend(example.defects.iter().cloned());
        let Some((media_type, media)) = example.media() else {
            continue;
        };
        let status = example.status.or_else(|| {
            out.responses.keys().find_map(|k| match k {
                StatusCode::Code(c) if (200..300).contains(c) => Some(*c),
                _ => None,
            })
        });
        let Some(status) = status else {
            notes.push((
                example.line,
                "example response has no status line and no 2xx status is documented; example dropped".into(),
            ));
            continue;
        };
        let key = StatusCode::Code(status);
        if !out.responses.contains_key(&key) {
            notes.push((
                example.line,
                format!("example response has status {status}, which the status code list does not document; added"),
            ));
            out.responses.insert(
                key.clone(),
                ReferenceOr::Item(Response {
                    description: format!("Status {status} (shown in the example response only)."),
                    ..Response::default()
                }),
            );
        }
        let mut media = media;
        if media_type.contains("json") {
            if let Some(value) = media
                .example
                .as_ref()
                .filter(|v| v.is_object() || v.is_array())
            {
                let shape = Shape::from_example(value);
                if !shape.is_empty() {
                    media.schema = Some(ReferenceOr::Item(shape.to_schema()));
                    media
                        .extensions
                        .insert(extensions::FIELDS_COMPLETE.into(), false.into());
                }
            }
        }
        if let Some(ReferenceOr::Item(response)) = out.responses.get_mut(&key) {
            response.content.entry(media_type).or_insert(media);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholder_spellings() {
        for (line, path, params) in [
            (
                "`GET /containers/(id or name)/json`",
                "/containers/{id}/json",
                vec!["id"],
            ),
            (
                "`GET /containers/(id)/json`",
                "/containers/{id}/json",
                vec!["id"],
            ),
            (" `DELETE /images/(name*)", "/images/{name}", vec!["name"]),
            ("`GET /nodes/<id>`", "/nodes/{id}", vec!["id"]),
            (
                "`GET /plugins/(plugin name)`",
                "/plugins/{name}",
                vec!["name"],
            ),
            ("`GET /_ping`", "/_ping", vec![]),
        ] {
            let op = parse_operation_line(line).unwrap();
            assert_eq!(op.path, path, "{line}");
            let names: Vec<_> = op.path_params.iter().map(|(n, _)| n.as_str()).collect();
            assert_eq!(names, params, "{line}");
        }
        let unclosed = parse_operation_line(" `DELETE /images/(name*)").unwrap();
        assert!(unclosed.unclosed);
        assert_eq!(unclosed.path_params[0].1, "name*");
    }

    #[test]
    fn query_inside_the_path_becomes_query_parameters() {
        let op = parse_operation_line("`GET /containers/(id or name)/resize?h=<height>&w=<width>`")
            .unwrap();
        assert_eq!(op.path, "/containers/{id}/resize");
        assert_eq!(
            op.query,
            [
                ("h".to_string(), "height".to_string()),
                ("w".into(), "width".into())
            ]
        );
        let pull = parse_operation_line("`POST /plugins/pull?name=<plugin name>`").unwrap();
        assert_eq!(pull.path, "/plugins/pull");
        assert_eq!(pull.query[0].0, "name");
    }

    #[test]
    fn unreadable_lines_are_errors() {
        for bad in [
            "`POST /v1.24/plugins/tiborvass/(plugin name)/push HTTP/1.1`",
            "`GET containers/json`",
            "`FETCH /x`",
            "`GET /a b`",
            "`GET /a/(x)/b/(x)`",
        ] {
            assert!(parse_operation_line(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn deprecation_wording() {
        assert!(says_deprecated(
            "Copy files\n\n**Deprecated** in favor of `archive`."
        ));
        assert!(says_deprecated("This endpoint is deprecated."));
        assert!(!says_deprecated(
            "the `is_trusted` property will\nbe deprecated and replaced"
        ));
    }

    #[test]
    fn example_requests_do_not_look_like_operations() {
        let indented = SourceLine::new(1, "    GET /v1.24/containers/json?all=1 HTTP/1.1");
        assert!(!looks_like_operation(&indented));
        let mut fenced = SourceLine::new(1, "POST /v1.24/networks/create HTTP/1.1");
        fenced.fenced = true;
        assert!(!looks_like_operation(&fenced));
        assert!(looks_like_operation(&SourceLine::new(
            1,
            "`GET /containers/json`"
        )));
        assert!(looks_like_operation(&SourceLine::new(
            1,
            " `DELETE /images/(name*)"
        )));
        assert!(!looks_like_operation(&SourceLine::new(
            1,
            "GET requests are cached"
        )));
        assert!(!looks_like_operation(&SourceLine::new(
            1,
            "A `HEAD` request"
        )));
    }
}
