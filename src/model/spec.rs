//! What one API version offers: its operations, their query parameters and
//! their request and response body fields.

use std::collections::BTreeMap;
use std::fmt;

use super::path::{canonical_path, normalize_path};
use crate::version::ApiVersion;

/// Identity of an operation across versions: upper-case method and canonical
/// path, so placeholder spelling does not matter.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OpKey {
    /// Upper-case HTTP method.
    pub method: String,
    /// Canonical path (`/containers/{}/json`).
    pub path: String,
}

impl OpKey {
    /// Builds a key from a method and any path spelling.
    pub fn new(method: &str, path: &str) -> Self {
        Self {
            method: method.trim().to_ascii_uppercase(),
            path: canonical_path(path),
        }
    }

    /// Parses `METHOD /path` (any placeholder spelling, extra spaces allowed).
    pub fn parse(text: &str) -> Option<Self> {
        let (method, path) = text.trim().split_once(char::is_whitespace)?;
        let path = path.trim();
        let known = ["GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS"];
        let upper = method.to_ascii_uppercase();
        if !known.contains(&upper.as_str()) || !path.starts_with('/') || has_bare_space(path) {
            return None;
        }
        Some(Self::new(&upper, path))
    }
}

/// White space outside `(…)`, `<…>`, `{…}` placeholders.
fn has_bare_space(path: &str) -> bool {
    let mut depth = 0i32;
    path.chars().any(|c| {
        match c {
            '(' | '<' | '{' => depth += 1,
            ')' | '>' | '}' => depth -= 1,
            _ => {}
        }
        c.is_whitespace() && depth <= 0
    })
}

impl fmt::Display for OpKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

/// One operation as one version documents it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// The path as documented, OpenAPI style (`/containers/{id}/json`).
    pub path: String,
    /// Summary / heading.
    pub title: Option<String>,
    /// `operationId` where the version has one.
    pub operation_id: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Whether this version marks the operation deprecated.
    pub deprecated: bool,
    /// Query parameter name → deprecated in this version.
    pub query: BTreeMap<String, bool>,
    /// Request body field (dotted path) → deprecated in this version.
    pub request_fields: BTreeMap<String, bool>,
    /// Success response body field (dotted path) → deprecated in this version.
    pub response_fields: BTreeMap<String, bool>,
}

impl Operation {
    /// An operation with just a path (for tests and builders).
    pub fn at(path: &str) -> Self {
        Self {
            path: normalize_path(path),
            title: None,
            operation_id: None,
            tags: Vec::new(),
            deprecated: false,
            query: BTreeMap::new(),
            request_fields: BTreeMap::new(),
            response_fields: BTreeMap::new(),
        }
    }
}

/// Everything one API version offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiSpec {
    /// The version.
    pub version: ApiVersion,
    /// Operations by key.
    pub operations: BTreeMap<OpKey, Operation>,
    /// Whether the document has body schemas (Swagger versions do, markdown ones do not),
    /// i.e. whether its field lists mean anything.
    pub has_schemas: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn op_keys_ignore_placeholder_spelling_and_case() {
        assert_eq!(
            OpKey::parse("get /containers/(id or name)/json"),
            OpKey::parse("GET   /containers/{id}/json")
        );
        assert!(OpKey::parse("FETCH /x").is_none());
        assert!(OpKey::parse("GET x").is_none());
        assert!(OpKey::parse("GET /x extra").is_none());
    }
}
