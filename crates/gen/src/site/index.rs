//! `index.html`: every operation grouped by tag, with its timeline and the
//! words the search box matches (path, title, parameters, fields).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use super::{chart, slug, timeline_value};
use dockmatrix_core::analysis::{Matrix, OperationHistory};

/// Groups of rows by first tag, the counts and the chart.
pub fn context(matrix: &Matrix) -> Value {
    let mut groups: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for op in &matrix.operations {
        let tag = dockmatrix_core::model::group_of(&op.tags).to_string();
        groups.entry(tag).or_default().push(json!({
            "call": op.display(),
            "slug": slug(op),
            "title": op.title.clone().unwrap_or_default(),
            "search": search_text(op),
            "timeline": timeline_value(&op.lifecycle, matrix),
        }));
    }
    json!({
        "total": matrix.operations.len(),
        "versions": matrix.api_versions.len(),
        "groups": groups
            .into_iter()
            .map(|(tag, rows)| json!({"tag": tag, "id": format!("tag-{}", tag.to_lowercase().replace(' ', "-")), "count": rows.len(), "rows": rows}))
            .collect::<Vec<_>>(),
        "chart": chart::svg(matrix),
    })
}

/// Lower-case words of the call, its title, operation id, query parameters and
/// every body field name segment, each once.
fn search_text(op: &OperationHistory) -> String {
    let mut words: BTreeSet<String> = BTreeSet::new();
    for item in op.query.iter() {
        words.insert(item.name.to_lowercase());
    }
    for item in op.request_fields.iter().chain(&op.response_fields) {
        for part in item.name.split('.') {
            words.insert(part.trim_end_matches("[]").to_lowercase());
        }
    }
    let head = format!(
        "{} {} {}",
        op.display(),
        op.title.as_deref().unwrap_or_default(),
        op.operation_id.as_deref().unwrap_or_default()
    )
    .to_lowercase();
    let rest: Vec<String> = words
        .into_iter()
        .filter(|w| !head.contains(w.as_str()))
        .collect();
    format!("{head} {}", rest.join(" "))
}
