//! The normalized model: what one API version offers, independent of the
//! document format it came from.

pub mod path;
