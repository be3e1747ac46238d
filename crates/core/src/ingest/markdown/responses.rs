//! Status code lists and example HTTP messages (`**Example response**:` blocks).

use openapiv3::MediaType;

use super::blocks::SourceLine;
use super::params::ListItem;
use super::tolerant_json::{self, Reading};

/// A status code and what the page says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StatusDoc {
    /// Line where the code is documented.
    pub line: usize,
    /// HTTP status code.
    pub code: u16,
    /// Description text.
    pub description: String,
}

/// Reads a status-code bullet, including reStructuredText leftovers such as
/// `**200** – no error :statuscode 404: no such image` (which document several codes).
pub(crate) fn status_docs(item: &ListItem) -> Result<Vec<StatusDoc>, String> {
    let code = parse_code(&item.key)
        .ok_or_else(|| format!("status code list entry {:?} is not a status code", item.key))?;
    let mut parts = item.text.split(":statuscode");
    let mut out = vec![StatusDoc {
        line: item.line,
        code,
        description: parts.next().unwrap_or_default().trim().to_string(),
    }];
    for part in parts {
        let (code, description) = rst_field(part.trim())
            .ok_or_else(|| format!("unreadable `:statuscode` fragment {part:?}"))?;
        let code = parse_code(&code)
            .ok_or_else(|| format!("`:statuscode {code}` is not a status code"))?;
        out.push(StatusDoc {
            line: item.line,
            code,
            description,
        });
    }
    Ok(out)
}

fn parse_code(text: &str) -> Option<u16> {
    let t = text.trim();
    (t.len() == 3 && t.bytes().all(|b| b.is_ascii_digit()))
        .then(|| t.parse().ok())
        .flatten()
        .filter(|c| (100..600).contains(c))
}

/// `NAME: text` (the part of an rST field after the field kind).
fn rst_field(text: &str) -> Option<(String, String)> {
    let (name, rest) = text.split_once(':')?;
    let name = name.trim();
    (!name.is_empty() && !name.contains(' ')).then(|| (name.to_string(), rest.trim().to_string()))
}

/// An rST field line left over from the Sphinx era (`:statuscode 200: no error`,
/// `:query term: term to search`): kind, name and text.
pub(crate) fn rst_field_line(line: &SourceLine) -> Option<(String, String, String)> {
    if line.fenced {
        return None;
    }
    let t = line.text.trim().strip_prefix(':')?;
    let (kind, rest) = t.split_once(' ')?;
    if !matches!(
        kind,
        "statuscode" | "query" | "param" | "reqheader" | "jsonparam"
    ) {
        return None;
    }
    let (name, text) = rst_field(rest)?;
    Some((kind.to_string(), name, text))
}

/// The code block of an example region, with the region's first code line number.
fn code_lines(lines: &[SourceLine]) -> Vec<&SourceLine> {
    let mut iter = lines.iter().skip_while(|l| l.is_blank()).peekable();
    let mut out = Vec::new();
    match iter.peek() {
        Some(first) if first.fence_marker => {
            iter.next();
            for l in iter {
                if l.fence_marker {
                    break;
                }
                out.push(l);
            }
        }
        Some(first) if first.indent() > 0 || first.fenced => {
            let mut after_blank = false;
            for l in iter {
                if l.is_blank() {
                    after_blank = true;
                    out.push(l);
                    continue;
                }
                if (l.indent() == 0 && after_blank) || is_emphasis_line(&l.text) {
                    break;
                }
                after_blank = false;
                out.push(l);
            }
        }
        _ => {}
    }
    out.into_iter()
        .filter(|l| {
            let t = l.text.trim();
            rst_field_line(l).is_none()
                && !t.starts_with(".. sourcecode::")
                && t != "{% raw %}"
                && t != "{% endraw %}"
        })
        .collect()
}

/// A line that is only bold text (`**Now you can ssh into …**`): prose that some
/// pages indent into the code block, never part of an example.
fn is_emphasis_line(text: &str) -> bool {
    let t = text.trim().trim_end_matches(':');
    t.len() > 4 && t.starts_with("**") && t.ends_with("**")
}

/// An example HTTP request or response.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct HttpExample {
    /// Line of the start line (or first code line).
    pub line: usize,
    /// Status code of a response example.
    pub status: Option<u16>,
    /// Media type from `Content-Type` (parameters dropped) or guessed from the body.
    pub media_type: Option<String>,
    /// The body, as JSON when it parses (repaired if need be), otherwise as text;
    /// `None` for placeholders such as `{{ TAR STREAM }}` or when there is no body.
    pub body: Option<serde_json::Value>,
    /// Upstream defects of a body that looks like JSON: each repair, or why it
    /// could not be read, with its page line.
    pub defects: Vec<(usize, String)>,
}

impl HttpExample {
    /// The OpenAPI media type object for the body, if there is one.
    pub fn media(&self) -> Option<(String, MediaType)> {
        let media_type = self.media_type.clone()?;
        Some((
            media_type,
            MediaType {
                example: self.body.clone(),
                ..MediaType::default()
            },
        ))
    }
}

fn is_request_line(t: &str) -> bool {
    let mut words = t.split_whitespace();
    let method = words.next().unwrap_or_default();
    let target = words.next().unwrap_or_default();
    crate::path::HTTP_METHODS.contains(&method) && target.starts_with('/')
}

fn status_line(t: &str) -> Option<u16> {
    let mut words = t.split_whitespace();
    let proto = words.next()?;
    if !proto.starts_with("HTTP/") {
        return None;
    }
    parse_code(words.next()?)
}

fn header_line(t: &str) -> Option<(String, String)> {
    let (name, value) = t.split_once(':')?;
    let ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    ok.then(|| (name.to_string(), value.trim().to_string()))
}

/// The query parameter names of an example request's start line
/// (`GET /v1.24/images/json?digests=1 HTTP/1.1` → `digests`), with the line number,
/// when the request uses `method`.
pub(crate) fn example_query(lines: &[SourceLine], method: &str) -> Option<(usize, Vec<String>)> {
    let code = code_lines(lines);
    let start = code.iter().find(|l| !l.is_blank())?;
    let t = start.text.trim();
    if !is_request_line(t) {
        return None;
    }
    let mut words = t.split_whitespace();
    if words.next()? != method {
        return None;
    }
    let (_, query) = words.next()?.split_once('?')?;
    let names = query
        .split('&')
        .filter_map(|pair| pair.split('=').next())
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect();
    Some((start.no, names))
}

/// Parses the first code block of an example region.
pub(crate) fn parse_example(lines: &[SourceLine]) -> Option<HttpExample> {
    let code = code_lines(lines);
    let first = code.iter().position(|l| !l.is_blank())?;
    let start = code.get(first)?;
    let start_text = start.text.trim();
    let status = status_line(start_text);
    let mut rest = code.get(first..).unwrap_or_default();
    if status.is_some() || is_request_line(start_text) {
        rest = rest.get(1..).unwrap_or_default();
    }
    let mut content_type = None;
    let mut consumed = 0;
    for l in rest {
        if l.is_blank() {
            break;
        }
        let Some((name, value)) = header_line(l.text.trim()) else {
            break;
        };
        if name.eq_ignore_ascii_case("content-type") {
            content_type = value
                .split(';')
                .next()
                .map(|v| v.trim().to_ascii_lowercase());
        }
        consumed += 1;
    }
    let body_lines = rest.get(consumed..).unwrap_or_default();
    let (body, numbers) = dedent(body_lines);
    let mut defects = Vec::new();
    let (media_type, value) = if body.is_empty() {
        (None, None)
    } else if body.starts_with("{{") && body.ends_with("}}") && !body.contains('\n') {
        (content_type, None)
    } else {
        let parsed = read_body(&body, &numbers, &mut defects);
        let media = content_type.or_else(|| {
            Some(if parsed.is_some() {
                "application/json".to_string()
            } else {
                "text/plain".to_string()
            })
        });
        (
            media,
            Some(parsed.unwrap_or(serde_json::Value::String(body))),
        )
    };
    Some(HttpExample {
        line: start.no,
        status,
        media_type,
        body: value,
        defects,
    })
}

/// Reads a body as JSON when it looks like JSON, tolerating upstream slips; each
/// repair (or why it stays unread) goes to `defects` with its page line.
fn read_body(
    body: &str,
    numbers: &[usize],
    defects: &mut Vec<(usize, String)>,
) -> Option<serde_json::Value> {
    let body = body.trim_start();
    if !body.starts_with(['{', '[']) {
        return serde_json::from_str(body).ok();
    }
    let page_line = |i: usize| numbers.get(i).or(numbers.last()).copied().unwrap_or(0);
    match tolerant_json::read(body) {
        Reading::Json(v) => Some(v),
        Reading::Stream(repairs) => {
            for r in repairs {
                defects.push((
                    page_line(r.line),
                    format!("example body (a stream of JSON values, kept as text) is not valid JSON: {}", r.kind.describe()),
                ));
            }
            None
        }
        Reading::Repaired(v, repairs) => {
            for r in repairs {
                defects.push((
                    page_line(r.line),
                    format!("example body is not valid JSON: {}", r.kind.describe()),
                ));
            }
            Some(v)
        }
        Reading::Unreadable(why) => {
            defects.push((
                page_line(0),
                format!("example body looks like JSON but cannot be read ({why}); kept as text, its fields are not read"),
            ));
            None
        }
    }
}

/// Joins lines, removing their common indentation and surrounding blank lines;
/// also gives the page line of each line of the text.
fn dedent(lines: &[&SourceLine]) -> (String, Vec<usize>) {
    let min = lines
        .iter()
        .filter(|l| !l.is_blank())
        .map(|l| l.indent())
        .min()
        .unwrap_or(0);
    let text: Vec<String> = lines
        .iter()
        .map(|l| {
            let expanded = l.text.replace('\t', "    ");
            expanded
                .get(min..)
                .unwrap_or_default()
                .trim_end()
                .to_string()
        })
        .collect();
    let first = text.iter().position(|t| !t.is_empty()).unwrap_or(0);
    let last = text
        .iter()
        .rposition(|t| !t.is_empty())
        .map_or(0, |i| i + 1);
    let numbers = lines
        .get(first..last.max(first))
        .unwrap_or_default()
        .iter()
        .map(|l| l.no)
        .collect();
    let kept = text.get(first..last.max(first)).unwrap_or_default();
    (kept.join("\n"), numbers)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<SourceLine> {
        SourceLine::numbered(text)
    }

    #[test]
    fn parses_indented_response_with_json_body() {
        let ex = parse_example(&lines(
            "\n        HTTP/1.1 201 Created\n        Content-Type: application/json\n\n        {\n             \"Id\":\"e90e\"\n        }\n\nJson Parameters:\n",
        ))
        .unwrap();
        assert_eq!(ex.status, Some(201));
        assert_eq!(ex.media_type.as_deref(), Some("application/json"));
        assert_eq!(ex.body, Some(serde_json::json!({"Id": "e90e"})));
    }

    #[test]
    fn broken_json_is_repaired_and_placeholders_dropped() {
        let ex = parse_example(&lines(
            "    HTTP/1.1 200 OK\n    Content-Type: application/json\n\n    {\"a\":1\n     \"b\":2}\n",
        ))
        .unwrap();
        assert_eq!(ex.body, Some(serde_json::json!({"a": 1, "b": 2})));
        assert_eq!(
            ex.defects,
            [(
                5,
                "example body is not valid JSON: missing comma added".to_string()
            )]
        );
        let bad = parse_example(&lines("    HTTP/1.1 200 OK\n\n    {\"a\": <ID>}\n")).unwrap();
        assert_eq!(bad.body, Some(serde_json::json!("{\"a\": <ID>}")));
        assert_eq!(bad.defects.len(), 1);
        let tar = parse_example(&lines(
            "    HTTP/1.1 200 OK\n    Content-Type: application/x-tar\n\n    {% raw %}\n    {{ TAR STREAM }}\n    {% endraw %}\n",
        ))
        .unwrap();
        assert_eq!(tar.media_type.as_deref(), Some("application/x-tar"));
        assert_eq!(tar.body, None);
    }

    #[test]
    fn bold_prose_ends_the_example() {
        let ex = parse_example(&lines(
            "        HTTP/1.1 204 No Content\n        Content-Length: 0\n\n    **Now you can ssh into your new container.**\n",
        ))
        .unwrap();
        assert_eq!(ex.status, Some(204));
        assert_eq!(ex.body, None);
    }

    #[test]
    fn fenced_request_and_rst_leftovers() {
        let mut ls = lines("```\nPOST /v1.24/networks/create HTTP/1.1\nContent-Type: application/json\n\n{\"Name\":\"n\"}\n```\n");
        for l in ls.iter_mut() {
            l.fenced = true;
        }
        ls[0].fence_marker = true;
        ls[5].fence_marker = true;
        let ex = parse_example(&ls).unwrap();
        assert_eq!(ex.status, None);
        assert_eq!(ex.body, Some(serde_json::json!({"Name": "n"})));

        let with_rst = parse_example(&lines(
            "        HTTP/1.1 200 OK\n\n        [1]\n\n        :query term: term to search\n        :statuscode 200: no error\n",
        ))
        .unwrap();
        assert_eq!(with_rst.body, Some(serde_json::json!([1])));
        let field = rst_field_line(&SourceLine::new(1, "        :query term: term to search"));
        assert_eq!(
            field,
            Some(("query".into(), "term".into(), "term to search".into()))
        );
    }

    #[test]
    fn status_bullet_with_rst_leftovers_documents_several_codes() {
        let item = ListItem {
            line: 7,
            key: "200".into(),
            text: "no error :statuscode 404: no such image :statuscode 500: server error".into(),
        };
        let docs = status_docs(&item).unwrap();
        let codes: Vec<_> = docs
            .iter()
            .map(|d| (d.code, d.description.as_str()))
            .collect();
        assert_eq!(
            codes,
            [
                (200, "no error"),
                (404, "no such image"),
                (500, "server error")
            ]
        );
        let bad = ListItem {
            line: 1,
            key: "two hundred".into(),
            text: String::new(),
        };
        assert!(status_docs(&bad).is_err());
    }
}
