//! Runtime of the generated Docker Engine client (`dockmatrix-client`).
//!
//! Generated code depends only on this crate. It provides: API versions and version
//! ranges ([`ApiVersion`], [`VersionRange`]), `static` operation/parameter descriptions
//! with cheap version gates ([`OperationInfo`], [`ParamInfo`], [`check_operation`],
//! [`check_parameter`]), a request builder ([`Request`]), a pooled HTTP/1.1 transport over
//! unix sockets or TCP with version negotiation ([`Client`]), typed responses, and stream
//! codecs ([`streams`]).
//!
//! # How a generated operation method calls the runtime
//!
//! Codegen emits one `static OperationInfo` per operation and one `static ParamInfo` per
//! version-gated parameter, then a method that (1) gates, (2) builds the request,
//! (3) sends, (4) decodes. Gates run before any I/O, so an unsupported call sends nothing.
//! A gate ([`Gate`]) is the API version in use plus, when the daemon's release is known
//! (see [`ClientBuilder::served_releases`]), that release's server code ([`served`]):
//! where the code tells, it decides; elsewhere the documents do.
//!
//! ```no_run
//! use dockmatrix_runtime::{
//!     check_operation, check_parameter, ApiVersion, Client, Error, HttpMethod, OperationInfo,
//!     ParamInfo, ParamLocation, Request, VersionRange,
//! };
//! use std::collections::BTreeMap;
//!
//! // --- emitted data -------------------------------------------------------------
//! pub static CONTAINER_LIST: OperationInfo = OperationInfo::new(
//!     "ContainerList",
//!     HttpMethod::Get,
//!     "/containers/json",
//!     &[VersionRange::new(None, None)],
//! );
//! pub static CONTAINER_LIST_ALL: ParamInfo =
//!     ParamInfo::new("all", ParamLocation::Query, &[VersionRange::ALL]);
//! pub static CONTAINER_LIST_FILTERS: ParamInfo = ParamInfo::new(
//!     "filters",
//!     ParamLocation::Query,
//!     &[VersionRange::new(Some(ApiVersion::new(1, 19)), None)],
//! );
//! pub static CONTAINER_INSPECT: OperationInfo = OperationInfo::new(
//!     "ContainerInspect",
//!     HttpMethod::Get,
//!     "/containers/{id}/json",
//!     &[VersionRange::ALL],
//! );
//!
//! // --- emitted options + method ---------------------------------------------------
//! #[derive(Default)]
//! pub struct ContainerListOptions {
//!     pub all: Option<bool>,
//!     pub filters: Option<BTreeMap<String, Vec<String>>>,
//! }
//!
//! pub struct Docker {
//!     rt: Client,
//! }
//!
//! impl Docker {
//!     pub async fn container_list(
//!         &self,
//!         opts: &ContainerListOptions,
//!     ) -> Result<Vec<serde_json::Value>, Error> {
//!         let gate = self.rt.gate();
//!         // 1. gate (explicit, gives the error before any work)
//!         check_operation(&CONTAINER_LIST, gate)?;
//!         // 2. build: `query_param*` records the ParamInfo so `send*` gates it too
//!         let mut req = Request::for_operation(&CONTAINER_LIST);
//!         if let Some(all) = opts.all {
//!             req = req.query_param(&CONTAINER_LIST_ALL, all);
//!         }
//!         if let Some(filters) = &opts.filters {
//!             check_parameter(&CONTAINER_LIST, &CONTAINER_LIST_FILTERS, gate)?;
//!             req = req.query_param_json(&CONTAINER_LIST_FILTERS, filters);
//!         }
//!         // 3. send + 4. decode (non-2xx → Error::Api { status, message })
//!         self.rt.send_json(req).await
//!     }
//!
//!     pub async fn container_inspect(&self, id: &str) -> Result<serde_json::Value, Error> {
//!         check_operation(&CONTAINER_INSPECT, self.rt.gate())?;
//!         let req = Request::for_operation(&CONTAINER_INSPECT).path_param("id", id);
//!         self.rt.send_json(req).await
//!     }
//! }
//!
//! # async fn demo() -> Result<(), Error> {
//! let rt = Client::builder()
//!     .from_env()
//!     .client_versions(ApiVersion::new(1, 0), ApiVersion::new(1, 55))
//!     .build()
//!     .await?;
//! let docker = Docker { rt };
//! let list = docker.container_list(&ContainerListOptions { all: Some(true), ..Default::default() }).await?;
//! # drop(list); Ok(()) }
//! ```
//!
//! Body fields: set them on the generated body struct and call
//! `req.uses_param(&FIELD_INFO)` for each version-gated field that is `Some`, then
//! `req.json_body(&body)`. Response shapes map to: `send_json::<T>` (JSON; generated
//! models use `send_model`, which reads Go's `null` lists and maps as empty), `send_unit`
//! (204/empty), `send_bytes` (small raw), `send_stream` (tar export/save), `send_json_lines`
//! (events, image create/pull/push progress, build), `send_logs(req, LogMode)` (logs,
//! attach without stdin), `session` (attach → [`Session`]), `exec_start` (→ [`ExecStarted`]: a session, or
//! `Detached`), `upgrade` (other hijacks → [`Duplex`]).
//! Path values are percent-encoded as one segment; values with `.`/`..` segments are rejected.

#![warn(missing_docs)]

pub mod client;
pub mod connector;
pub mod context;
pub mod error;
pub mod gate;
pub mod headers;
pub mod host;
pub mod limits;
pub mod negotiate;
pub mod registry_auth;
pub mod request;
pub mod response;
pub mod serde_helpers;
pub mod served;
pub mod session;
pub mod streams;
pub mod tls;
mod transport;
pub mod upgrade;
pub mod version;

pub use client::{Client, ClientBuilder, DEFAULT_CLIENT_MAX, DEFAULT_CLIENT_MIN};
pub use error::Error;
pub use gate::{
    check_operation, check_parameter, HttpMethod, OperationInfo, ParamInfo, ParamLocation,
};
pub use headers::{PathStat, PingInfo, SwarmStatus};
pub use host::{DockerHost, DEFAULT_DOCKER_HOST};
pub use limits::{Limit, Limits};
pub use negotiate::{Negotiated, VersionPolicy};
pub use registry_auth::RegistryAuth;
pub use request::{Body, QueryValue, RawBody, Request};
pub use response::Response;
pub use served::{CodeSays, Gate, ReleaseLine, Served};
pub use session::{ExecStarted, Session, SessionInput};
pub use streams::{
    byte_stream_from_reader, ByteStream, JsonLines, LogFrame, LogMode, LogStream, StreamKind,
};
pub use tls::TlsConfig;
pub use upgrade::Duplex;
pub use version::{ApiVersion, ParseVersionError, VersionRange, VersionSet};
