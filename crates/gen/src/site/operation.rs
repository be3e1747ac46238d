//! `ops/<slug>.html`: one operation's timeline, every query parameter and body
//! field with its own timeline (nested fields folded under their top-level
//! field), the Docker releases that serve it and the upstream references.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::{timeline_value, Site};
use dockmatrix_core::analysis::witnesses;
use dockmatrix_core::analysis::{ItemHistory, Lifecycle, OperationHistory};
use dockmatrix_core::model::releases::Release;
use dockmatrix_core::present::describe::{removed_text, since_text};
use dockmatrix_core::present::table::or_dash;
use dockmatrix_core::present::witnesses::releases_text;

/// The page's data.
pub fn context(site: &Site<'_>, op: &OperationHistory) -> Value {
    let matrix = site.matrix;
    let references: Vec<Value> = matrix
        .api_versions
        .iter()
        .filter(|&&v| op.lifecycle.supports(v))
        .filter_map(|v| {
            let v = v.to_string();
            site.upstream(&v)
                .map(|url| json!({"version": v, "url": url}))
        })
        .collect();
    let query: Vec<Value> = op.query.iter().map(|i| item(site, i)).collect();
    json!({
        "call": op.display(),
        "title": op.title.clone().unwrap_or_default(),
        "operation_id": op.operation_id.clone().unwrap_or_default(),
        "tags": op.tags.join(", "),
        "since": since_text(&op.lifecycle),
        "removed_in": removed_text(&op.lifecycle),
        "deprecated_in": or_dash(op.lifecycle.deprecated_in),
        "timeline": timeline_value(&op.lifecycle, matrix),
        "query": query,
        "bodies": [
            fields(site, "Request body fields", "request", &op.request_fields),
            fields(site, "Response body fields", "response", &op.response_fields),
        ],
        "fields_tracked_from": or_dash(matrix.fields_tracked_from),
        "releases": release_runs(&matrix.releases, &op.lifecycle, &matrix.api_versions),
        "served": served(site, op),
        "doc_fixes": doc_fixes(site, op),
        "references": references,
    })
}

/// The corrections of the documents applied to this operation's fields.
fn doc_fixes(site: &Site<'_>, op: &OperationHistory) -> Vec<Value> {
    let key = op.key();
    site.doc_fixes
        .iter()
        .filter(|f| f.operation == key)
        .map(|f| {
            json!({
                "body": f.body,
                "field": f.field,
                "becomes": f.becomes,
                "versions": f.span(),
                "reason": f.reason,
            })
        })
        .collect()
}

/// Where the releases' server code disagrees with the documents about this
/// operation, one row per disagreement (both sides, the newest release's lines).
fn served(site: &Site<'_>, op: &OperationHistory) -> Vec<Value> {
    witnesses::of_operation(&site.disagreements, &op.key())
        .into_iter()
        .map(|d| {
            let newest = d.seen.last();
            json!({
                "kind": d.kind.title(),
                "parameter": d.parameter.clone().unwrap_or_default(),
                "releases": releases_text(&d.seen),
                "served": newest.map(|s| s.served.clone()).unwrap_or_default(),
                "documented": newest
                    .map(|s| s.documented.clone().unwrap_or_else(|| format!("documented at API {}", s.api)))
                    .unwrap_or_default(),
            })
        })
        .collect()
}

fn item(site: &Site<'_>, i: &ItemHistory) -> Value {
    json!({
        "name": i.name,
        // `≤ 1.25` where the references cannot pin the version down.
        "since": since_text(&i.lifecycle),
        "removed_in": removed_text(&i.lifecycle),
        "deprecated_in": or_dash(i.lifecycle.deprecated_in),
        "timeline": timeline_value(&i.lifecycle, site.matrix),
    })
}

/// Fields grouped by their top-level name; nested ones fold under it.
fn fields(site: &Site<'_>, heading: &str, id: &str, items: &[ItemHistory]) -> Value {
    let mut groups: BTreeMap<&str, (Option<&ItemHistory>, Vec<&ItemHistory>)> = BTreeMap::new();
    for i in items {
        let top = i.name.split('.').next().unwrap_or(&i.name);
        let entry = groups.entry(top).or_default();
        if top == i.name {
            entry.0 = Some(i);
        } else {
            entry.1.push(i);
        }
    }
    let groups: Vec<Value> = groups
        .into_iter()
        .map(|(top, (head, nested))| {
            json!({
                "name": top,
                "head": head.map(|h| item(site, h)),
                "nested_count": nested.len(),
                "nested": nested.iter().map(|i| item(site, i)).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({"heading": heading, "id": id, "count": items.len(), "groups": groups})
}

/// Docker releases whose API range includes a version with the operation, as
/// runs of consecutive releases (`0.3.3 – 1.12`).
fn release_runs(
    releases: &[Release],
    lifecycle: &Lifecycle,
    versions: &[dockmatrix_core::version::ApiVersion],
) -> Vec<String> {
    let serves = |r: &Release| {
        versions
            .iter()
            .any(|&v| r.serves(v) && lifecycle.supports(v))
    };
    let mut runs: Vec<(String, String)> = Vec::new();
    let mut open = false;
    for r in releases {
        if serves(r) {
            match runs.last_mut() {
                Some(last) if open => last.1 = r.docker.clone(),
                _ => runs.push((r.docker.clone(), r.docker.clone())),
            }
            open = true;
        } else {
            open = false;
        }
    }
    runs.into_iter()
        .map(|(a, b)| if a == b { a } else { format!("{a} – {b}") })
        .collect()
}
