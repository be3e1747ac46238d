//! `docker-api-1.24-kubernetes.md`: every operation of API 1.24 and which of them
//! Kubernetes 1.3 and 1.4 call (the seed table, recomputed from the reference).

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::output::OutputError;
use dockmatrix_core::analysis::usage::UsageManifest;
use dockmatrix_core::analysis::Matrix;
use dockmatrix_core::model::{ApiSpec, OpKey};
use dockmatrix_core::pipeline::Models;
use dockmatrix_core::version::ApiVersion;

/// The API version of the table.
pub const TABLE_API: ApiVersion = ApiVersion::new(1, 24);

/// Rows grouped by tag, the Kubernetes calls missing from 1.24, and the copy note.
pub fn context(
    matrix: &Matrix,
    models: &Models,
    manifests: &[UsageManifest],
) -> Result<Value, OutputError> {
    let spec: &ApiSpec = models
        .specs
        .iter()
        .find(|s| s.version == TABLE_API)
        .ok_or(OutputError::MissingVersion(TABLE_API))?;
    let (older, newer) = match manifests {
        [a, b] => (a, b),
        _ => {
            return Err(OutputError::ManifestCount {
                expected: 2,
                found: manifests.len(),
            })
        }
    };
    let calls = |m: &UsageManifest, key: &OpKey| m.calls.iter().any(|c| &c.key == key);
    let mut groups: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    let mut ops: Vec<(&OpKey, &dockmatrix_core::model::Operation)> =
        spec.operations.iter().collect();
    ops.sort_by(|a, b| (&a.0.path, &a.0.method).cmp(&(&b.0.path, &b.0.method)));
    for (key, op) in &ops {
        let (in_new, in_old) = (calls(newer, key), calls(older, key));
        let tag = dockmatrix_core::model::group_of(&op.tags).to_string();
        groups.entry(tag).or_default().push(json!({
            "title": op.title.clone().unwrap_or_default(),
            "call": format!("{} {}", key.method, op.path),
            "new": if in_new { "✓" } else { "" },
            "old": if in_old { "✓" } else { "" },
            "note": if in_new && !in_old {
                format!("added in {}", newer.title())
            } else if in_old && !in_new {
                format!("dropped in {}", newer.title())
            } else {
                String::new()
            },
        }));
    }
    let not_in_table: Vec<String> = manifests
        .iter()
        .flat_map(|m| m.calls.iter())
        .filter(|c| !spec.operations.contains_key(&c.key))
        .map(|c| c.written.clone())
        .collect();
    let copy_key = OpKey::new("POST", "/containers/{id}/copy");
    let copy = matrix.operation(&copy_key).map(|op| {
        json!({
            "call": op.display(),
            "since": dockmatrix_core::present::table::or_dash(op.lifecycle.since),
            "removed_in": dockmatrix_core::present::table::or_dash(op.lifecycle.removed_in),
            "deprecated_in": dockmatrix_core::present::table::or_dash(op.lifecycle.deprecated_in),
            "in_table_api": spec.operations.contains_key(&copy_key),
        })
    });
    let added: Vec<String> = newer
        .calls
        .iter()
        .filter(|c| !older.calls.iter().any(|o| o.key == c.key))
        .filter_map(|c| matrix.operation(&c.key).map(|op| op.display()))
        .collect();
    Ok(json!({
        "api": TABLE_API.to_string(),
        "operations": ops.len(),
        "groups": groups.into_iter().map(|(tag, rows)| json!({"tag": tag, "rows": rows})).collect::<Vec<_>>(),
        "new": newer.title(),
        "old": older.title(),
        "new_calls": newer.calls.len(),
        "old_calls": older.calls.len(),
        "added": added,
        "not_in_table": not_in_table,
        "copy": copy.unwrap_or(Value::Null),
        "has_copy": matrix.operation(&copy_key).is_some(),
    }))
}
