//! `endpoints.md`: every operation ever documented, grouped by tag, with its
//! lifecycle and a presence strip across all versions.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use dockmatrix_core::analysis::Matrix;
use dockmatrix_core::present::describe::{notes, removed_text, since_text};
use dockmatrix_core::present::presence_strip;
use dockmatrix_core::present::table::or_dash;

/// Operations grouped by their first tag (newest reference), ordered by path.
pub fn context(matrix: &Matrix) -> Value {
    let mut groups: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for op in &matrix.operations {
        let tag = dockmatrix_core::model::group_of(&op.tags).to_string();
        groups.entry(tag).or_default().push(json!({
            "call": op.display(),
            "title": op.title.clone().unwrap_or_default(),
            "since": since_text(&op.lifecycle),
            "removed_in": removed_text(&op.lifecycle),
            "notes": notes(&op.lifecycle, &matrix.api_versions).join("; "),
            "deprecated_in": or_dash(op.lifecycle.deprecated_in),
            "strip": presence_strip(&op.lifecycle, &matrix.api_versions),
        }));
    }
    let current = matrix
        .operations
        .iter()
        .filter(|o| o.lifecycle.removed_in.is_none())
        .count();
    json!({
        "total": matrix.operations.len(),
        "current": current,
        "removed": matrix.operations.len() - current,
        "groups": groups
            .into_iter()
            .map(|(tag, rows)| json!({"tag": tag, "count": rows.len(), "rows": rows}))
            .collect::<Vec<_>>(),
    })
}
