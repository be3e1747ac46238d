//! The runtime's error type.

use std::time::Duration;

use crate::limits::Limit;
use crate::version::{ApiVersion, ParseVersionError, VersionSet};

/// Boxed error from the HTTP stack (hyper / hyper-util), kept as the error source.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Everything that can go wrong talking to a Docker daemon.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The operation does not exist in the negotiated API version (raised before any I/O).
    #[error("operation {operation} is not available in Docker API {negotiated} (supported: {supported})")]
    UnsupportedOperation {
        /// Operation id, e.g. `ContainerList`.
        operation: &'static str,
        /// Earliest version having the operation, if bounded.
        since: Option<ApiVersion>,
        /// Version from which the operation is gone (exclusive bound), if bounded.
        removed_in: Option<ApiVersion>,
        /// Exact supported ranges.
        supported: VersionSet,
        /// The API version in use.
        negotiated: ApiVersion,
    },
    /// A parameter was set that the negotiated API version does not accept (raised before any I/O).
    #[error("parameter {parameter} of {operation} is not available in Docker API {negotiated} (supported: {supported})")]
    UnsupportedParameter {
        /// Operation id.
        operation: &'static str,
        /// Parameter wire name.
        parameter: &'static str,
        /// Earliest version accepting the parameter, if bounded.
        since: Option<ApiVersion>,
        /// Version from which the parameter is gone (exclusive bound), if bounded.
        removed_in: Option<ApiVersion>,
        /// Exact supported ranges.
        supported: VersionSet,
        /// The API version in use.
        negotiated: ApiVersion,
    },
    /// The daemon's release serves the operation or parameter at other
    /// requested versions only, or not at all, as its own server code shows
    /// (raised before any I/O).
    #[error("{} is not served by Docker {release} ({tag}) at requested API {negotiated}: its server code serves it at {served}", not_served_item(operation, parameter))]
    NotServed {
        /// Operation id.
        operation: &'static str,
        /// Parameter wire name, when a parameter is not served.
        parameter: Option<&'static str>,
        /// The daemon's release line (`20.10`).
        release: &'static str,
        /// The tag whose code was read (`v20.10.27`).
        tag: &'static str,
        /// Requested versions at which that code serves it (empty: none).
        served: VersionSet,
        /// The API version in use.
        negotiated: ApiVersion,
    },
    /// The daemon answered with a non-success status.
    #[error("Docker daemon returned {status}: {message}")]
    Api {
        /// HTTP status code sent by the daemon.
        status: u16,
        /// The daemon's JSON `message` (or the raw body text if not JSON).
        message: String,
    },
    /// Connecting to the daemon failed.
    #[error("cannot connect to the Docker daemon at {endpoint}")]
    Connect {
        /// Human-readable endpoint (`unix:///…` or `tcp://…`).
        endpoint: String,
        /// Underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// HTTP-level failure while sending the request or reading the response.
    #[error("HTTP transport error while {context}")]
    Transport {
        /// What was being done.
        context: String,
        /// Underlying hyper error.
        #[source]
        source: BoxError,
    },
    /// I/O error on an established stream.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// A timeout elapsed.
    #[error("timed out after {after:?} while {phase}")]
    Timeout {
        /// What was being done (`connecting`, `waiting for response`, …).
        phase: &'static str,
        /// Configured limit.
        after: Duration,
    },
    /// A response body could not be decoded as the expected JSON.
    #[error("cannot decode {context}")]
    Decode {
        /// What was decoded (operation, stream item index, …).
        context: String,
        /// serde_json error (carries line/column).
        #[source]
        source: serde_json::Error,
    },
    /// A request value could not be serialized as JSON.
    #[error("cannot encode {context} as JSON")]
    Encode {
        /// What was encoded.
        context: String,
        /// serde_json error.
        #[source]
        source: serde_json::Error,
    },
    /// A multiplexed stream frame was malformed.
    #[error("malformed multiplexed stream frame at byte {offset}: {reason}")]
    InvalidFrame {
        /// Byte offset of the frame header in the stream.
        offset: u64,
        /// What is wrong.
        reason: String,
    },
    /// An API version string (e.g. `DOCKER_API_VERSION`) could not be parsed.
    #[error("invalid API version in {origin}")]
    InvalidApiVersion {
        /// Where the value came from (`DOCKER_API_VERSION`, `API-Version header`, …).
        origin: &'static str,
        /// Parse error with the rejected input.
        #[source]
        source: ParseVersionError,
    },
    /// A requested API version is outside what this client knows.
    #[error("API version {version} from {origin} is outside the client's supported range {client_min}..={client_max}")]
    VersionOutOfRange {
        /// The requested version.
        version: ApiVersion,
        /// Where it came from.
        origin: &'static str,
        /// Oldest version the client supports.
        client_min: ApiVersion,
        /// Newest version the client supports.
        client_max: ApiVersion,
    },
    /// The negotiated version is older than the daemon accepts.
    #[error("negotiated API version {negotiated} is below the daemon's minimum API version {daemon_min}")]
    BelowDaemonMinimum {
        /// min(client max, daemon max).
        negotiated: ApiVersion,
        /// Daemon's `MinAPIVersion`.
        daemon_min: ApiVersion,
    },
    /// Version negotiation could not determine the daemon's version.
    #[error("API version negotiation failed: {reason}")]
    Negotiation {
        /// Why.
        reason: String,
    },
    /// `DOCKER_HOST` (or the configured host) is not usable.
    #[error("invalid Docker host {value:?}: {reason}")]
    InvalidDockerHost {
        /// The rejected value.
        value: String,
        /// Why.
        reason: String,
    },
    /// A path parameter value would change the request route.
    #[error("invalid value {value:?} for path parameter {name} of {template}: {reason}")]
    InvalidPathParameter {
        /// Path template.
        template: &'static str,
        /// Placeholder name.
        name: &'static str,
        /// Rejected value.
        value: String,
        /// Why.
        reason: &'static str,
    },
    /// The request is malformed (bad header, unknown placeholder, …).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The daemon sent more than a configured size limit allows; nothing beyond the
    /// limit was buffered.
    #[error(
        "{context} exceeds the {limit} limit of {max} bytes (raise it with ClientBuilder::{limit})"
    )]
    LimitExceeded {
        /// Which limit.
        limit: Limit,
        /// The configured maximum, in bytes.
        max: usize,
        /// What was being read (operation, stream offset, …).
        context: String,
    },
    /// The Docker CLI configuration or context store is unreadable, or names a context
    /// that does not exist.
    #[error("Docker context configuration {path}: {reason}")]
    Context {
        /// The file read.
        path: std::path::PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// Registry credentials could not be read (config file, credential helper).
    #[error("registry credentials for {registry}: {reason}")]
    Credentials {
        /// Registry (`https://index.docker.io/v1/`, `host:port`).
        registry: String,
        /// What went wrong.
        reason: String,
    },
    /// TLS material (`DOCKER_CERT_PATH` files) is missing or unusable.
    #[error("TLS configuration {path}: {reason}")]
    Tls {
        /// The offending file.
        path: std::path::PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// A response header carrying a result is missing or malformed.
    #[error("response header {name}: {reason}")]
    InvalidHeader {
        /// Header name.
        name: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The daemon did not switch protocols for a hijack/upgrade request (an exec start
    /// sent without `Detach: true`, an attach): what it sent instead is kept here.
    #[error("Docker daemon did not upgrade the connection (status {status}){}", body_suffix(.body))]
    UpgradeRefused {
        /// Status received instead of 101.
        status: u16,
        /// The start of the response body as text (at most 4 KiB, lossy UTF-8): the
        /// command output or message the daemon sent instead of upgrading.
        body: String,
    },
}

fn body_suffix(body: &str) -> String {
    if body.is_empty() {
        String::new()
    } else {
        format!(": {body}")
    }
}

impl Error {
    /// HTTP status of an [`Error::Api`], if this is one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Whether this is a daemon 404.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }
}

/// `operation ContainerList` or `parameter until of ContainerLogs`.
fn not_served_item(operation: &str, parameter: &Option<&'static str>) -> String {
    match parameter {
        Some(p) => format!("parameter {p} of {operation}"),
        None => format!("operation {operation}"),
    }
}
