//! Analysis: lifecycles, the compatibility matrix and version diffs.

pub mod diff;
pub mod lifecycle;
pub mod matrix;
pub mod usage;

pub use lifecycle::{presence_strip, Interval, Lifecycle, State};
pub use matrix::{ItemHistory, Matrix, OperationHistory, Provenance};
