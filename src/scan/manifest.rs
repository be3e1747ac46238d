//! The usage manifest of a scan: one call per operation (the matrix's
//! spelling), the query keys and body fields the call sites show (documented
//! ones apart from undocumented ones), every call's source lines, the
//! client's version behaviour and the declared minimum.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use dockmatrix_core::analysis::usage::manifest::{
    CallDetail, CallEntry, Client, Consumer, Minimum, Undocumented,
};
use dockmatrix_core::analysis::usage::{Manifest, RequestVersion};
use dockmatrix_core::analysis::Matrix;
use dockmatrix_core::model::OpKey;
use dockmatrix_core::ApiVersion;

use super::calls::Found;

/// The calls of a scan, merged per operation and checked against the matrix.
pub struct Calls {
    /// Manifest entries, in the order of their first source line.
    pub entries: Vec<CallEntry>,
    /// Requests no API version documents (left out, warned about).
    pub undocumented_operations: Vec<String>,
    /// The lowest API version documenting every call.
    pub floor: Option<ApiVersion>,
}

/// Merges the requests found into manifest calls.
pub fn calls(found: &[Found], matrix: &Matrix) -> Calls {
    struct Group {
        display: String,
        methods: BTreeSet<String>,
        query: BTreeSet<String>,
        unknown: BTreeMap<String, String>,
        body: BTreeSet<String>,
        sources: Vec<(String, u32)>,
    }
    let mut groups: BTreeMap<OpKey, Group> = BTreeMap::new();
    let mut undocumented_operations = Vec::new();
    let mut floor: Option<ApiVersion> = None;
    for r in found {
        let key = OpKey::new(&r.http, &r.path);
        let Some(op) = matrix.operation(&key) else {
            undocumented_operations.push(format!(
                "{}: {} sends {} {}, which no API version documents; left out",
                r.at, r.method, r.http, r.path
            ));
            continue;
        };
        if let Some(since) = op.lifecycle.since {
            floor = Some(floor.map_or(since, |f| f.max(since)));
        }
        let g = groups.entry(key).or_insert_with(|| Group {
            display: op.display(),
            methods: BTreeSet::new(),
            query: BTreeSet::new(),
            unknown: BTreeMap::new(),
            body: BTreeSet::new(),
            sources: Vec::new(),
        });
        g.methods.insert(r.method.clone());
        g.query.extend(r.query.iter().cloned());
        for (k, why) in &r.unknown {
            g.unknown.entry(k.clone()).or_insert_with(|| why.clone());
        }
        g.body.extend(r.body.iter().cloned());
        g.sources.push((r.at.file.clone(), r.at.line));
    }
    let mut ordered: Vec<(OpKey, Group)> = groups.into_iter().collect();
    for (_, g) in &mut ordered {
        g.sources.sort();
        g.sources.dedup();
    }
    ordered.sort_by(|a, b| a.1.sources.first().cmp(&b.1.sources.first()));
    let entries = ordered
        .into_iter()
        .map(|(key, g)| {
            let op = matrix.operation(&key);
            let documented_query: BTreeSet<&str> = op
                .map(|o| o.query.iter().map(|q| q.name.as_str()).collect())
                .unwrap_or_default();
            let documented_body: BTreeSet<&str> = op
                .map(|o| o.request_fields.iter().map(|q| q.name.as_str()).collect())
                .unwrap_or_default();
            let (query, odd_query): (Vec<String>, Vec<String>) = g
                .query
                .iter()
                .cloned()
                .partition(|k| documented_query.contains(k.as_str()));
            let (body, odd_body): (Vec<String>, Vec<String>) = g
                .body
                .iter()
                .cloned()
                .partition(|k| documented_body.contains(k.as_str()));
            let mut notes = vec![format!(
                "client method{} {}",
                if g.methods.len() > 1 { "s" } else { "" },
                g.methods.iter().cloned().collect::<Vec<_>>().join(", ")
            )];
            let unknown: Vec<String> = g
                .unknown
                .iter()
                .filter(|(k, _)| !g.query.contains(*k))
                .map(|(k, why)| format!("{k} ({why})"))
                .collect();
            if !unknown.is_empty() {
                notes.push(format!("query unknown: {}", unknown.join("; ")));
            }
            if !odd_body.is_empty() {
                notes.push(format!(
                    "body members set under Go names the reference does not list: {}",
                    odd_body.join(", ")
                ));
            }
            CallEntry::Detailed(CallDetail {
                call: g.display,
                query,
                zero_query: Vec::new(),
                body,
                response: Vec::new(),
                undocumented: Undocumented {
                    query: odd_query,
                    body: Vec::new(),
                },
                notes: Some(notes.join(". ")),
                sources: g
                    .sources
                    .iter()
                    .map(|(file, line)| format!("{file}:{line}"))
                    .collect(),
            })
        })
        .collect();
    Calls {
        entries,
        undocumented_operations,
        floor,
    }
}

/// Who the consumer is: `--consumer NAME@VERSION`, else the tree's
/// `SOURCE.toml` (`tool`, `tag`), else its go.mod module, else the folder name
/// (version `unknown`).
pub fn consumer(root: &Path, given: Option<&str>) -> Consumer {
    if let Some((name, version)) = given.and_then(|g| g.rsplit_once('@')) {
        return Consumer {
            name: name.to_string(),
            version: version.to_string(),
        };
    }
    let dir = if root.is_file() {
        root.parent().unwrap_or(root)
    } else {
        root
    };
    let source = std::fs::read_to_string(dir.join("SOURCE.toml"))
        .ok()
        .and_then(|t| t.parse::<toml::Table>().ok());
    let field = |t: &toml::Table, k: &str| t.get(k).and_then(|v| v.as_str()).map(str::to_string);
    if let Some((tool, tag)) = source
        .as_ref()
        .and_then(|t| Some((field(t, "tool")?, field(t, "tag")?)))
    {
        return Consumer {
            name: tool,
            version: tag,
        };
    }
    let module = std::fs::read_to_string(dir.join("go.mod"))
        .ok()
        .and_then(|t| {
            t.lines()
                .find_map(|l| l.trim().strip_prefix("module "))
                .map(|m| m.trim().to_string())
        });
    let name = module.unwrap_or_else(|| {
        std::path::absolute(dir)
            .ok()
            .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "unknown".into())
    });
    Consumer {
        name,
        version: "unknown".into(),
    }
}

/// Assembles the manifest.
pub fn assemble(
    consumer: Consumer,
    library: &str,
    api_version: RequestVersion,
    minimum: Minimum,
    calls: Vec<CallEntry>,
    notes: String,
) -> Manifest {
    Manifest {
        consumer,
        client: Client {
            library: library.to_string(),
            api_version,
        },
        minimum,
        calls,
        notes: Some(notes),
    }
}
