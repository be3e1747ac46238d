//! `releases.html`: pick a Docker release or an API version and see which
//! operations it serves and which it lacks compared with the newest version.
//! The page lists every operation with its present runs; a few lines of
//! JavaScript (`assets/site.js`) evaluate them for the chosen version.

use serde_json::{json, Value};

use super::slug;
use dockmatrix_core::analysis::Matrix;
use dockmatrix_core::version::ApiVersion;

/// Releases (newest first), API versions (newest first) and every operation.
pub fn context(matrix: &Matrix) -> Value {
    let releases: Vec<Value> = matrix
        .releases
        .iter()
        .rev()
        .map(|r| {
            json!({
                "docker": r.docker,
                "max_api": r.max_api.to_string(),
                "min_api": r.min_api.to_string(),
            })
        })
        .collect();
    let versions: Vec<String> = matrix
        .api_versions
        .iter()
        .rev()
        .map(ToString::to_string)
        .collect();
    let order: Vec<String> = matrix
        .api_versions
        .iter()
        .map(ToString::to_string)
        .collect();
    let operations: Vec<Value> = matrix
        .operations
        .iter()
        .map(|op| {
            // Runs as `since-removed_in` (end exclusive, empty = still present).
            let runs: Vec<String> = op
                .lifecycle
                .present
                .iter()
                .map(|i| format!("{}-{}", text(i.since), text(i.until)))
                .collect();
            let documented: Vec<String> = op
                .lifecycle
                .present
                .iter()
                .map(|i| match i.until {
                    Some(end) => format!("{}, removed in {end}", text(i.since)),
                    None => format!("since {}", text(i.since)),
                })
                .collect();
            json!({
                "call": op.display(),
                "slug": slug(op),
                "title": op.title.clone().unwrap_or_default(),
                "present": runs.join(" "),
                "documented": documented.join("; "),
            })
        })
        .collect();
    json!({
        "releases": releases,
        "versions": versions,
        "order": order.join(" "),
        "newest": order.last().cloned().unwrap_or_default(),
        "operations": operations,
    })
}

/// A range end as text, empty where the range is open.
fn text(v: Option<ApiVersion>) -> String {
    v.map_or_else(String::new, |v| v.to_string())
}
