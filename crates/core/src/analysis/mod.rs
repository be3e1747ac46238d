//! Analysis: lifecycles, the compatibility matrix and version diffs.

pub mod diff;
pub mod lifecycle;
pub mod matrix;
pub mod removals;
pub mod snapshot;
pub mod usage;
pub mod witnesses;

pub use lifecycle::{Lifecycle, State, Support};
pub use matrix::{ItemHistory, Matrix, OperationHistory, Provenance};
pub use removals::{ItemKind, RealRemovals, RemovalsError};
