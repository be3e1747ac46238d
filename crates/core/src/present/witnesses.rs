//! The disagreements between the documents and the server code
//! ([`crate::analysis::witnesses`]) as table rows: the report, `history` and
//! the site show them the same way.

use crate::analysis::witnesses::{Disagreement, Seen};
use crate::present::table::Rows;
use crate::version::ApiVersion;

/// One row per disagreement: operation, parameter, the releases it is seen
/// in, and both sides as the newest of them shows them. `page` names the
/// reference document of an API version (for items documented right there).
pub fn rows(
    items: &[&Disagreement],
    code: fn(&str) -> String,
    page: &dyn Fn(ApiVersion) -> String,
) -> Rows {
    let mut rows = Rows::new(&[
        "operation",
        "parameter",
        "release lines (API)",
        "served",
        "documented",
    ]);
    for d in items {
        let newest = d.seen.last();
        rows.push(vec![
            code(&d.operation),
            d.parameter.as_deref().map_or("—".to_string(), code),
            releases_text(&d.seen),
            newest.map_or_else(String::new, |s| s.served.clone()),
            newest.map_or_else(String::new, |s| {
                s.documented.clone().unwrap_or_else(|| page(s.api))
            }),
        ]);
    }
    rows
}

/// Releases as `20.10 (1.41), 23.0 (1.42)`, collapsed to `first … last (n lines)` when long.
pub fn releases_text(seen: &[Seen]) -> String {
    let one = |s: &Seen| format!("{} ({})", s.docker, s.api);
    match seen {
        [] => String::new(),
        [a] => one(a),
        [a, b] => format!("{}, {}", one(a), one(b)),
        [a, .., z] => format!("{} … {} ({} lines)", one(a), one(z), seen.len()),
    }
}
