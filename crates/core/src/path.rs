//! Path spelling: every placeholder style the references use, reduced to one.
//!
//! The references write the same route as `/containers/(id or name)/json`,
//! `/containers/(id)/json`, `/containers/<id>/json` or `/containers/{id}/json`.
//! [`normalize_path`] rewrites any of them to OpenAPI style (`{id}`), and
//! [`canonical_path`] drops the placeholder names so the spellings compare equal.
//! [`segments`] is the one path-template splitter; [`HTTP_METHODS`] is the one
//! list of methods an operation can have.
//!
//! This module sits below ingest and model: both use it, it uses neither.

use crate::version::HttpMethod;

/// The HTTP methods an operation can have, upper case, in the order OpenAPI
/// lists a path item's operations: the names of [`HttpMethod::ALL`].
pub const HTTP_METHODS: [&str; 7] = {
    let all = HttpMethod::ALL;
    [
        all[0].as_str(),
        all[1].as_str(),
        all[2].as_str(),
        all[3].as_str(),
        all[4].as_str(),
        all[5].as_str(),
        all[6].as_str(),
    ]
};

/// Rewrites a documented or user-typed path to OpenAPI style: placeholders as
/// `{name}`, no query string, no `/vX.Y` prefix, no empty segments, no white space
/// around segments, no trailing slash.
pub fn normalize_path(raw: &str) -> String {
    let segments: Vec<String> = segments(raw)
        .into_iter()
        .map(|s| match s {
            Segment::Placeholder(name) => format!("{{{name}}}"),
            Segment::Literal(text) => text.to_string(),
        })
        .collect();
    format!("/{}", segments.join("/"))
}

/// The comparison key of a path: [`normalize_path`] with every placeholder name
/// dropped (`/containers/{}/json`). It is a fixed point: the key of a key is itself.
pub fn canonical_path(raw: &str) -> String {
    let segments: Vec<&str> = segments(raw)
        .into_iter()
        .map(|s| match s {
            Segment::Placeholder(_) => "{}",
            Segment::Literal(text) => text,
        })
        .collect();
    format!("/{}", segments.join("/"))
}

/// One path segment: a placeholder (with its readable name) or literal text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment<'a> {
    /// A placeholder, by its readable name (`id`, `network_id`).
    Placeholder(String),
    /// Literal text.
    Literal(&'a str),
}

/// The placeholder names of a path, in order (`/exec/{id}/start` → `["id"]`).
pub fn placeholders(raw: &str) -> Vec<String> {
    segments(raw)
        .into_iter()
        .filter_map(|s| match s {
            Segment::Placeholder(name) => Some(name),
            Segment::Literal(_) => None,
        })
        .collect()
}

/// The one path-template splitter. The segments of a path: query string dropped,
/// split on `/`, white space trimmed, empty segments and leading `vX.Y` prefixes
/// (the transport's business) dropped.
pub fn segments(raw: &str) -> Vec<Segment<'_>> {
    let without_query = raw.split('?').next().unwrap_or_default();
    let mut parts: Vec<&str> = without_query
        .split('/')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let versions = parts.iter().take_while(|s| is_version_segment(s)).count();
    parts.drain(..versions);
    parts
        .into_iter()
        .map(|part| match placeholder_name(part) {
            Some(name) => Segment::Placeholder(name),
            None => Segment::Literal(part),
        })
        .collect()
}

fn is_version_segment(s: &str) -> bool {
    s.strip_prefix('v')
        .is_some_and(|v| v.parse::<crate::version::ApiVersion>().is_ok())
}

/// The placeholder name of a segment such as `(id or name)`, `(name*)`, `<id>`,
/// `{id}` or `:id`; `None` for a literal segment.
fn placeholder_name(segment: &str) -> Option<String> {
    let inner = if let Some(s) = segment.strip_prefix(':') {
        s
    } else {
        let (open, close) = match segment.chars().next()? {
            '(' => ('(', ')'),
            '<' => ('<', '>'),
            '{' => ('{', '}'),
            _ => return None,
        };
        let body = segment.strip_prefix(open)?;
        body.strip_suffix(close).unwrap_or(body)
    };
    let first_alternative = inner.split(" or ").next().unwrap_or(inner);
    let last_word = first_alternative
        .split_whitespace()
        .last()
        .unwrap_or(first_alternative);
    let name: String = last_word
        .chars()
        .filter(|c| !matches!(c, '*' | '(' | ')' | '<' | '>' | '{' | '}'))
        .map(|c| if c == '-' { '_' } else { c })
        .collect();
    Some(if name.is_empty() {
        "param".into()
    } else {
        name
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_placeholder_style_is_the_same_route() {
        let spellings = [
            "/containers/(id or name)/json",
            "/containers/(id)/json",
            "/containers/<id>/json",
            "/containers/{id}/json",
            "/containers/:id/json",
            "/v1.24/containers/{name}/json",
            "/containers/(id)/json/",
        ];
        for s in spellings {
            assert_eq!(canonical_path(s), "/containers/{}/json", "{s}");
        }
    }

    #[test]
    fn names_are_readable() {
        assert_eq!(normalize_path("/images/(name*)"), "/images/{name}");
        assert_eq!(
            normalize_path("/networks/<network-id>"),
            "/networks/{network_id}"
        );
        assert_eq!(normalize_path("/tasks/(task id)"), "/tasks/{id}");
        assert_eq!(
            normalize_path("/containers/(id or name)/resize?h=<height>&w=<width>"),
            "/containers/{id}/resize"
        );
        assert_eq!(
            normalize_path("/plugins/(plugin name)/push"),
            "/plugins/{name}/push"
        );
        assert_eq!(normalize_path("/_ping"), "/_ping");
    }

    #[test]
    fn the_canonical_path_is_a_fixed_point() {
        for raw in [
            "//containers/{}/json",
            "/v1.41/v1.41/containers/json",
            "/images/{}/push\t",
            "/(/containers/(id or name)/json",
            "/a{b/c}/d",
            "/exec/:id5start/images/<name>/push",
            "/{}{}/x",
            "/<!--v1.41/container",
        ] {
            let once = canonical_path(raw);
            assert_eq!(canonical_path(&once), once, "{raw:?}");
            assert_eq!(canonical_path(&normalize_path(raw)), once, "{raw:?}");
        }
    }
}
