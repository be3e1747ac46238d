//! Path spelling: every placeholder style the references use, reduced to one.
//!
//! The references write the same route as `/containers/(id or name)/json`,
//! `/containers/(id)/json`, `/containers/<id>/json` or `/containers/{id}/json`.
//! [`normalize_path`] rewrites any of them to OpenAPI style (`{id}`), and
//! [`canonical_path`] drops the placeholder names so the spellings compare equal.

/// Rewrites a documented or user-typed path to OpenAPI style: placeholders as
/// `{name}`, no query string, no `/vX.Y` prefix, no trailing slash.
pub fn normalize_path(raw: &str) -> String {
    let trimmed = raw.trim();
    let without_query = trimmed.split('?').next().unwrap_or_default();
    let mut segments: Vec<String> = Vec::new();
    let mut rest = without_query.trim_start_matches('/');
    // A `/v1.24/` style prefix is the transport's business, not the route's.
    if let Some((first, tail)) = rest.split_once('/') {
        if is_version_segment(first) {
            rest = tail;
        }
    }
    for segment in split_segments(rest) {
        if segment.is_empty() {
            continue;
        }
        segments.push(match placeholder_name(&segment) {
            Some(name) => format!("{{{name}}}"),
            None => segment,
        });
    }
    format!("/{}", segments.join("/"))
}

/// The comparison key of a path: [`normalize_path`] with every placeholder name
/// dropped (`/containers/{}/json`).
pub fn canonical_path(raw: &str) -> String {
    let normalized = normalize_path(raw);
    let mut out = String::with_capacity(normalized.len());
    let mut in_placeholder = false;
    for c in normalized.chars() {
        match c {
            '{' => {
                in_placeholder = true;
                out.push_str("{}");
            }
            '}' => in_placeholder = false,
            _ if in_placeholder => {}
            _ => out.push(c),
        }
    }
    out
}

fn is_version_segment(s: &str) -> bool {
    s.strip_prefix('v')
        .is_some_and(|v| v.parse::<crate::version::ApiVersion>().is_ok())
}

/// Splits on `/` but keeps `(plugin name)`-style placeholders whole even when the
/// brackets enclose a slash-free phrase with spaces.
fn split_segments(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut depth = 0usize;
    for c in path.chars() {
        match c {
            '(' | '<' | '{' => {
                depth += 1;
                current.push(c);
            }
            ')' | '>' | '}' => {
                depth = depth.saturating_sub(1);
                current.push(c);
            }
            '/' if depth == 0 => out.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    out.push(current);
    out
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
}
