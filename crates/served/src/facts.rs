//! The served facts of the server corpus: what each tag routes, reads and
//! declares, each with the file and line that shows it.

use dockmatrix_core::ApiVersion;
use serde::Serialize;

use crate::window::Window;

pub use crate::daemon_gates::DaemonGate;
pub use crate::honoured::Honoured;

pub use dockmatrix_go::Located;

/// Facts of the whole corpus, tags sorted by their maximum API version.
#[derive(Debug, Clone, Serialize)]
pub struct ServedCorpus {
    /// One entry per release tag.
    pub tags: Vec<TagFacts>,
}

/// What one release tag's server code shows.
#[derive(Debug, Clone, Serialize)]
pub struct TagFacts {
    /// Release tag, e.g. `v20.10.27`.
    pub tag: String,
    /// Tagged commit.
    pub commit: String,
    /// The server root (`api/server`, from 29.0 `daemon/server`).
    pub server_root: String,
    /// The API version constants.
    pub api: ApiConstants,
    /// Routed operations, sorted by path and method (evidence `route`).
    pub operations: Vec<Operation>,
    /// Comparisons of the requested version in the daemon's own code
    /// (evidence `daemon gate`), sorted by file and line.
    pub daemon_gates: Vec<DaemonGate>,
    /// What the reader saw but could not resolve, never guessed.
    pub unresolved: Vec<Unresolved>,
}

/// The API version constants of a tag and what they make of its range.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ApiConstants {
    /// The version the release serves (`Version`, `DefaultVersion` or `MaxAPIVersion`).
    pub max: Option<Constant>,
    /// The minimum enforced by default on Linux (`MinVersion`, `defaultMinAPIVersion`).
    pub min: Option<Constant>,
    /// The Windows minimum, where a Windows file declares its own.
    pub min_windows: Option<Constant>,
    /// The lowest minimum `DOCKER_MIN_API_VERSION` may set (`minAPIVersion`,
    /// `MinAPIVersion`, `MinSupportedAPIVersion`).
    pub min_floor: Option<Constant>,
    /// The same on Windows.
    pub min_floor_windows: Option<Constant>,
    /// Every version-like constant of the API version files.
    pub constants: Vec<Constant>,
    /// Where the version middleware refuses requests above the maximum; `None`:
    /// the release accepts any higher version and answers as its own.
    pub max_enforced: Option<Located>,
}

impl ApiConstants {
    /// The maximum as a version, if it parses.
    pub fn max_version(&self) -> Option<ApiVersion> {
        self.max.as_ref().and_then(Constant::version)
    }

    /// The default minimum as a version, if it parses.
    pub fn min_version(&self) -> Option<ApiVersion> {
        self.min.as_ref().and_then(Constant::version)
    }
}

/// A constant (or variable) with a string value, resolved through references.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Constant {
    /// Go name.
    pub name: String,
    /// Resolved string value.
    pub value: String,
    /// `linux`, `unix` or `windows` for platform files; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    /// Where it is declared.
    pub at: Located,
}

impl Constant {
    /// The value as an API version, if it is one.
    pub fn version(&self) -> Option<ApiVersion> {
        self.value.parse().ok()
    }
}

/// One routed operation (evidence `route`).
#[derive(Debug, Clone, Serialize)]
pub struct Operation {
    /// HTTP method, upper case.
    pub method: String,
    /// Path in the project's form (`/containers/{name}/json`).
    pub path: String,
    /// The route template as written in Go (`/containers/{name:.*}/json`).
    pub route: String,
    /// Where the route is registered.
    pub at: Location,
    /// Further registrations of the same operation (`/networks` and `/networks/`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also_at: Vec<Located>,
    /// The handler's name as written (`getContainersJSON`), if found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handler: Option<String>,
    /// Where the handler is declared, if resolved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handler_at: Option<Located>,
    /// Registered with `router.Experimental`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub experimental: bool,
    /// Route-level minimum (`router.WithMinimumAPIVersion`, from 29.0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_api: Option<ApiVersion>,
    /// A version gate at the top of the handler that refuses the request
    /// (evidence `gate`): at those requested versions the route answers an error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refused: Option<Refusal>,
    /// Query parameters the handler reads (evidence `read`), sorted.
    pub params: Vec<ParamRead>,
    /// Reads in the handler (or what it calls) whose parameter name the reader
    /// could not bind to a literal (`r.FormValue(name)`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unresolved_reads: Vec<Located>,
    /// Struct fields the handler selects only under a version condition
    /// (`hostConfig.AutoRemove = false` below 1.25), sorted by name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub gated_fields: Vec<GatedField>,
}

/// A struct field a handler touches only under a version condition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GatedField {
    /// The Go field name (`AutoRemove`).
    pub name: String,
    /// Where the handler first selects it.
    pub at: Located,
}

/// Requested versions a handler refuses before doing anything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refusal {
    /// The requested versions refused.
    pub window: Window,
    /// The gate.
    pub at: Located,
}

/// Alias kept short in signatures.
pub type Location = Located;

/// One read of a query parameter (evidence `read`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ParamRead {
    /// Parameter name.
    pub name: String,
    /// Where the name appears (the read, or the call that passes the name to a helper).
    pub at: Located,
    /// Requested API versions at which the read is reached (from enclosing version conditions).
    pub window: Window,
    /// The helper it is read through (`httputils.BoolValue`), if not read in the handler itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
    /// Whether the daemon uses the value (evidence `honoured`), where the
    /// consumer of the options struct it goes into is in the corpus.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub honoured: Option<Honoured>,
}

/// Something the reader found but could not resolve.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Unresolved {
    /// Where.
    pub at: Located,
    /// What kind (`route path`, `handler`, `parameter name`, `version condition`).
    pub kind: String,
    /// The Go text.
    pub text: String,
}
