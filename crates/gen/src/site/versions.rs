//! `api/<version>.html`: what changed in each API version compared with the
//! one before it ([`dockmatrix_core::analysis::diff`]), linked to the operation pages.

use serde_json::{json, Value};

use super::Site;
use dockmatrix_core::analysis::diff::{diff, Changes};

/// One page per API version, oldest first: (path under `site/`, data).
pub fn pages(site: &Site<'_>) -> Vec<(String, Value)> {
    let matrix = site.matrix;
    let versions = &matrix.api_versions;
    let names: Vec<String> = versions.iter().map(ToString::to_string).collect();
    versions
        .iter()
        .enumerate()
        .map(|(i, &version)| {
            let v = version.to_string();
            let prev = i.checked_sub(1).and_then(|p| versions.get(p));
            let diff_value = prev.and_then(|&p| diff(matrix, p, version).ok()).map(|d| {
                let ops = |names: &[String]| -> Vec<Value> {
                    names
                        .iter()
                        .map(|call| {
                            let mut parts = call.splitn(2, ' ');
                            let method = parts.next().unwrap_or_default();
                            let path = parts.next().unwrap_or_default();
                            json!({"call": call, "link": site.op_link(method, path)})
                        })
                        .collect()
                };
                let changed: Vec<Value> = d
                    .changed
                    .iter()
                    .map(|c| {
                        let lines = [
                            lines("query parameter", &c.query),
                            lines("request field", &c.request_fields),
                            lines("response field", &c.response_fields),
                        ]
                        .concat();
                        json!({
                            "call": format!("{} {}", c.method, c.path),
                            "link": site.op_link(&c.method, &c.path),
                            "lines": lines,
                        })
                    })
                    .collect();
                json!({
                    "from": d.from.to_string(),
                    "empty": d.is_empty(),
                    "added": ops(&d.operations.added),
                    "removed": ops(&d.operations.removed),
                    "deprecated": ops(&d.operations.deprecated),
                    "changed": changed,
                })
            });
            let data = json!({
                "page_title": format!("API {v}"),
                "version": v,
                "upstream": site.upstream(&v),
                "operations": matrix.operations.iter().filter(|o| o.lifecycle.documented_at(version)).count(),
                "prev": i.checked_sub(1).and_then(|p| names.get(p)),
                "next": names.get(i + 1),
                "all": names,
                "diff": diff_value,
                "releases": site.matrix.releases.iter()
                    .filter(|r| r.max_api == version)
                    .map(|r| r.docker.clone())
                    .collect::<Vec<_>>(),
            });
            (format!("api/{v}.html"), data)
        })
        .collect()
}

/// `{verb, what, names}` per non-empty list of a change set.
fn lines(what: &str, c: &Changes) -> Vec<Value> {
    [
        ("added", &c.added),
        ("removed", &c.removed),
        ("deprecated", &c.deprecated),
        ("no longer documented", &c.undocumented),
        ("documented again", &c.documented_again),
        ("first documented", &c.first_documented),
    ]
    .into_iter()
    .filter(|(_, names)| !names.is_empty())
    .map(|(verb, names)| json!({"verb": verb, "what": what, "names": names}))
    .collect()
}
