//! `api-versions.md`: Docker release ↔ newest and oldest API version served.

use serde_json::{json, Value};

use dockmatrix_core::analysis::Matrix;

/// Every release of the table, oldest first, and whether the corpus documents its max API.
pub fn context(matrix: &Matrix) -> Value {
    let releases: Vec<Value> = matrix
        .releases
        .iter()
        .map(|r| {
            json!({
                "docker": r.docker,
                "max_api": r.max_api.to_string(),
                "min_api": r.min_api.to_string(),
                "documented": matrix.api_versions.contains(&r.max_api),
            })
        })
        .collect();
    let undocumented: Vec<String> = matrix
        .api_versions
        .iter()
        .filter(|v| !matrix.releases.iter().any(|r| r.max_api == **v))
        .map(ToString::to_string)
        .collect();
    json!({
        "count": releases.len(),
        "first": matrix.releases.first().map(|r| r.docker.clone()).unwrap_or_default(),
        "last": matrix.releases.last().map(|r| r.docker.clone()).unwrap_or_default(),
        "releases": releases,
        "versions_without_release": undocumented.join(", "),
    })
}
