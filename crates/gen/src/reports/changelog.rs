//! `changelog.md`: what changed between consecutive API versions (newest first),
//! computed with [`dockmatrix_core::analysis::diff`].

use serde_json::{json, Value};

use dockmatrix_core::analysis::diff::{diff, Changes};
use dockmatrix_core::analysis::Matrix;
use dockmatrix_core::present::usage::collapse_nested;

/// One section per consecutive pair of versions.
pub fn context(matrix: &Matrix) -> Value {
    let mut sections: Vec<Value> = matrix
        .api_versions
        .windows(2)
        .filter_map(|pair| match pair {
            [a, b] => diff(matrix, *a, *b).ok(),
            _ => None,
        })
        .map(|d| {
            let ops = lines(&d.operations, "operations ");
            let changed: Vec<Value> = d
                .changed
                .iter()
                .map(|c| {
                    let mut items = Vec::new();
                    items.extend(lines(&c.query, "query "));
                    items.extend(lines(&c.request_fields, "request field "));
                    items.extend(lines(&c.response_fields, "response field "));
                    json!({"call": format!("{} {}", c.method, c.path), "items": items})
                })
                .collect();
            json!({
                "from": d.from.to_string(),
                "to": d.to.to_string(),
                "empty": d.is_empty(),
                "operations": ops,
                "changed": changed,
            })
        })
        .collect();
    sections.reverse();
    json!({ "sections": sections })
}

/// `added …`, `removed …`, `deprecated …` lines, names code-formatted and comma-joined.
fn lines(c: &Changes, what: &str) -> Vec<String> {
    [
        ("added", &c.added),
        ("removed", &c.removed),
        ("deprecated", &c.deprecated),
        ("no longer documented (still served)", &c.undocumented),
        ("documented again", &c.documented_again),
        (
            "first documented (the older page cannot tell)",
            &c.first_documented,
        ),
    ]
    .into_iter()
    .filter(|(_, names)| !names.is_empty())
    .map(|(verb, names)| {
        let (kept, dropped) = collapse_nested(names);
        let mut list: Vec<String> = kept
            .iter()
            .map(|n| format!("`{}`", n.replace('|', "\\|")))
            .collect();
        if dropped > 0 {
            list.push(format!("(+{dropped} nested)"));
        }
        format!("{verb} {what}{}", list.join(", "))
    })
    .collect()
}
