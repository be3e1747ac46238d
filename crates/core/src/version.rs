//! The Engine API version and the one version-range type, shared with the
//! client runtime through the `dockmatrix-version` crate.

pub use dockmatrix_version::{ApiVersion, ParseVersionError, VersionRange};
