//! The table of one client library at one version (one file under
//! `specs/clients/`), as JSON.

use serde::{Deserialize, Serialize};

/// Every request-making method of one client library at one version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientTable {
    /// Source language (`go`).
    pub language: String,
    /// The library as a manifest names it (`client.library`), e.g.
    /// `github.com/docker/engine-api`.
    pub library: String,
    /// The import path of the client package, e.g.
    /// `github.com/docker/engine-api/client`.
    pub package: String,
    /// Go modules whose `require` line selects this library (go.mod, vendor/modules.txt).
    pub modules: Vec<String>,
    /// The version (tag, or `git describe` name for an untagged commit).
    pub version: String,
    /// The commit the source was read at.
    pub commit: String,
    /// Where the source was read (relative to the clients corpus).
    pub source: String,
    /// The methods, sorted by name.
    pub methods: Vec<Method>,
}

/// One exported method of the client and the requests it sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Method {
    /// Method name, e.g. `ContainerList`.
    pub name: String,
    /// Where it is declared (`client/container_list.go:14`).
    pub at: String,
    /// Its parameters in order (receiver excluded).
    pub params: Vec<Param>,
    /// The requests it can send (several when it retries or chooses).
    pub requests: Vec<Request>,
}

/// One parameter of a method.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Param {
    /// Its name.
    pub name: String,
    /// Its Go type as written.
    #[serde(rename = "type")]
    pub ty: String,
}

/// One request a method sends.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    /// HTTP method, upper case.
    pub method: String,
    /// Path template: literals, and `{name}` for the parts that come from a
    /// parameter or variable.
    pub path: String,
    /// Query keys it can set.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub query: Vec<QueryKey>,
    /// The request body, if it sends one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Body>,
    /// Where the request is made (the call that names the HTTP method).
    pub at: String,
}

/// A query key and what decides it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueryKey {
    /// The key, e.g. `all`.
    pub key: String,
    /// The method parameter (index, receiver excluded) whose value it comes
    /// from or is conditioned on, when one is seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub param: Option<usize>,
    /// The field of that parameter (`All` for `options.All`), when it is a field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Set only under a condition (an `if` around it); otherwise always sent.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub conditional: bool,
    /// Where the key is set.
    pub at: String,
}

/// The body a request sends.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    /// The method parameter (index, receiver excluded) that is the body, when
    /// it is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub param: Option<usize>,
    /// Its Go type as written (`*container.Config`, `configWrapper`), or the
    /// expression when the type is not seen.
    #[serde(rename = "type")]
    pub ty: String,
}

impl ClientTable {
    /// Parses a table from its JSON text.
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// The table as pretty JSON with a trailing newline (the committed form).
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        let mut text = serde_json::to_string_pretty(self)?;
        text.push('\n');
        Ok(text)
    }

    /// The method of this name, if the library has it.
    pub fn method(&self, name: &str) -> Option<&Method> {
        self.methods
            .binary_search_by(|m| m.name.as_str().cmp(name))
            .ok()
            .and_then(|i| self.methods.get(i))
    }
}
