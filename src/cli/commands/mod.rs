//! One file per command; each returns the text to print.

mod check;
mod compare;
mod convert;
mod diff;
mod fetch_specs;
mod history;
mod matrix;
mod ops;
mod proxy;
mod scan;
mod versions;

pub use check::{check, CheckRequest};
pub use compare::compare;
pub use convert::convert;
pub use diff::diff;
pub use fetch_specs::fetch_specs;
pub use history::history;
pub use matrix::matrix;
pub use ops::ops;
pub use proxy::proxy;
pub use scan::scan;
pub use versions::versions;

use super::Failure;

/// Pretty JSON with a trailing newline.
pub(crate) fn json<T: serde::Serialize>(value: &T) -> Result<String, Failure> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    Ok(text)
}
