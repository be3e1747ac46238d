//! `api/<version>.html`: what changed in each API version compared with the
//! one before it ([`crate::analysis::diff`]), linked to the operation pages.

use serde_json::{json, Value};

use super::Site;
use crate::analysis::diff::{diff, Changes};
use crate::pipeline::Models;

/// One page per API version, oldest first: (path under `site/`, data).
pub fn pages(site: &Site<'_>, models: &Models) -> Vec<(String, Value)> {
    let mut specs: Vec<_> = models.specs.iter().collect();
    specs.sort_by_key(|s| s.version);
    let names: Vec<String> = specs.iter().map(|s| s.version.to_string()).collect();
    specs
        .iter()
        .enumerate()
        .map(|(i, spec)| {
            let v = spec.version.to_string();
            let prev = i.checked_sub(1).and_then(|p| specs.get(p));
            let diff_value = prev.map(|p| {
                let d = diff(p, spec);
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
                    "fields_compared": d.fields_compared,
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
                "operations": spec.operations.len(),
                "prev": i.checked_sub(1).and_then(|p| names.get(p)),
                "next": names.get(i + 1),
                "all": names,
                "diff": diff_value,
                "releases": site.matrix.releases.iter()
                    .filter(|r| r.max_api == spec.version)
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
    ]
    .into_iter()
    .filter(|(_, names)| !names.is_empty())
    .map(|(verb, names)| json!({"verb": verb, "what": what, "names": names}))
    .collect()
}
