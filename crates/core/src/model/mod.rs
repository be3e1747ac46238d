//! The normalized model: what one API version offers, independent of the
//! document format it came from.

pub mod deprecation;
pub mod errata;
pub mod extract;
pub mod fields;
pub mod harmonize;
pub mod releases;
pub mod served;
pub mod served_bytes;
pub mod spec;

pub use extract::extract;
pub use spec::{ApiSpec, OpKey, Operation};

/// The group an operation is shown under (its first tag), the same for the
/// reports, the site and the client's modules; untagged operations go to
/// [`DEFAULT_GROUP`].
pub fn group_of(tags: &[String]) -> &str {
    tags.first().map_or(DEFAULT_GROUP, String::as_str)
}

/// The group of an operation without tags.
pub const DEFAULT_GROUP: &str = "Misc";
