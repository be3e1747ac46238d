//! The normalized model: what one API version offers, independent of the
//! document format it came from.

pub mod deprecation;
pub mod errata;
pub mod extract;
pub mod fields;
pub mod harmonize;
pub mod releases;
pub mod spec;

pub use extract::extract;
pub use spec::{ApiSpec, OpKey, Operation};
