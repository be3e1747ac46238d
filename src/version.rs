//! The Engine API version type, shared with the client runtime through the
//! `dockmatrix-version` crate.

pub use dockmatrix_version::{ApiVersion, ParseVersionError};
