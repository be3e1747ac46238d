//! The Engine API version, the one version-range type and the one HTTP
//! method type, shared with the
//! client runtime through the `dockmatrix-version` crate.

pub use dockmatrix_version::{ApiVersion, HttpMethod, ParseVersionError, VersionRange};
