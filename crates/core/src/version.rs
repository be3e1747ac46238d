//! The Engine API version type, shared with the client runtime through the
//! `dockmatrix-version` crate.

pub use dockmatrix_version::{ApiVersion, ParseVersionError};

/// Whether `v` lies in the half-open range `[since, end)`; `end = None` means the
/// range reaches the newest version. Every "from … until" of the matrix
/// (lifetimes, gaps, experimental and unknown stretches, deprecation) is one.
pub fn in_range(v: ApiVersion, since: ApiVersion, end: Option<ApiVersion>) -> bool {
    v >= since && end.is_none_or(|end| v < end)
}
