//! What one API version offers: its operations, their query parameters and
//! their request and response body fields.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::path::{canonical_path, normalize_path};
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
        let upper = method.to_ascii_uppercase();
        if !crate::path::HTTP_METHODS.contains(&upper.as_str())
            || !path.starts_with('/')
            || has_bare_space(path)
        {
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

/// How a version knows of a body field.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, schemars::JsonSchema,
)]
pub enum Evidence {
    /// A Swagger schema (v1.25 on).
    #[serde(rename = "schema")]
    Schema,
    /// A markdown page's parameter list ("JSON parameters" and the like).
    #[serde(rename = "parameter list")]
    ParameterList,
    /// A JSON example on a markdown page, or a schema's example naming the keys of
    /// a map-typed item.
    #[serde(rename = "example")]
    Example,
    /// A schema's description naming the keys of a map-typed item
    /// (`{"Subnet": <CIDR>, …}`).
    #[serde(rename = "description")]
    Description,
}

impl Evidence {
    /// The name used in data and text (`schema`, `parameter list`, `example`,
    /// `description`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Schema => "schema",
            Self::ParameterList => "parameter list",
            Self::Example => "example",
            Self::Description => "description",
        }
    }
}

/// What one version says about a named item (query parameter or body field).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemFacts {
    /// Marked deprecated.
    pub deprecated: bool,
    /// Marked experimental (available only on daemons with experimental features).
    pub experimental: bool,
    /// How the version documents it.
    pub evidence: Evidence,
}

impl ItemFacts {
    /// A plainly documented item.
    pub const fn plain(evidence: Evidence) -> Self {
        Self {
            deprecated: false,
            experimental: false,
            evidence,
        }
    }
}

/// Named items of one kind, as one version documents them.
pub type Items = BTreeMap<String, ItemFacts>;

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
    /// Whether this version marks the operation experimental.
    pub experimental: bool,
    /// Query parameters by name.
    pub query: Items,
    /// Request body fields by dotted path.
    pub request_fields: Items,
    /// Success response body fields by dotted path.
    pub response_fields: Items,
    /// Whether a request field missing from `request_fields` is known to be absent
    /// (a schema or a parameter list documents the body), rather than merely not shown.
    pub request_fields_complete: bool,
    /// Likewise for `response_fields`.
    pub response_fields_complete: bool,
    /// Request body prefixes the document leaves free-form: fields below them are
    /// unknown, not absent (`""` is the whole body).
    pub request_open: BTreeSet<String>,
    /// Likewise for the response body.
    pub response_open: BTreeSet<String>,
    /// Body prefixes that are maps (`Labels`, `NetworkSettings.Networks`): their keys
    /// are data, written `*` in field paths.
    pub map_prefixes: BTreeSet<String>,
}

impl Operation {
    /// Whether a body field missing from this version is unknown rather than absent:
    /// the body is shown by example only, or the field lies below a free-form prefix.
    pub fn field_unknown(&self, request: bool, path: &str) -> bool {
        let (complete, open) = if request {
            (self.request_fields_complete, &self.request_open)
        } else {
            (self.response_fields_complete, &self.response_open)
        };
        !complete || open.iter().any(|p| super::fields::is_below(path, p))
    }

    /// An operation with just a path (for tests and builders).
    pub fn at(path: &str) -> Self {
        Self {
            path: normalize_path(path),
            title: None,
            operation_id: None,
            tags: Vec::new(),
            deprecated: false,
            experimental: false,
            query: Items::new(),
            request_fields: Items::new(),
            response_fields: Items::new(),
            request_fields_complete: true,
            response_fields_complete: true,
            request_open: BTreeSet::new(),
            response_open: BTreeSet::new(),
            map_prefixes: BTreeSet::new(),
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
