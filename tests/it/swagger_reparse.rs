//! An independent re-reading of all 31 Swagger documents (v1.25–v1.55), written
//! here on a plain YAML tree and sharing no code with the ingest: every request
//! and success-response body field of every operation at every version. The
//! matrix must document exactly those fields at exactly those versions, except
//! where an entry of the errata or a documented reading rule explains the
//! difference; each difference is matched to its explanation, and an
//! unexplained one fails the test (issue 17, "an independent re-parse").

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use crate::common;

use dockmatrix_core::model::errata::{DocFix, ModelErrata};
use serde_json::Value;
use serde_norway::Value as Yaml;

/// Field path → the description the document gives it (may be empty).
type Fields = BTreeMap<String, String>;

/// One operation at one version: its request and response fields.
#[derive(Default)]
struct Bodies {
    request: Fields,
    response: Fields,
}

/// `(version, METHOD, path with {} placeholders)` → its bodies.
type Reading = BTreeMap<(String, String, String), Bodies>;

fn canonical(path: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                out.push_str("{}");
            }
            '}' => inside = false,
            _ if inside => {}
            _ => out.push(c),
        }
    }
    out
}

fn text_key(k: &Yaml) -> String {
    match k {
        Yaml::String(s) => s.clone(),
        Yaml::Number(n) => n.to_string(),
        other => format!("{other:?}"),
    }
}

fn get<'a>(v: &'a Yaml, key: &str) -> Option<&'a Yaml> {
    v.as_mapping()?
        .iter()
        .find(|(k, _)| text_key(k) == key)
        .map(|(_, v)| v)
}

/// Follows `$ref`s (`#/a/b`) to the node they name; `None` on a cycle.
fn resolve<'a>(doc: &'a Yaml, mut node: &'a Yaml, seen: &mut Vec<String>) -> Option<&'a Yaml> {
    while let Some(target) = get(node, "$ref").and_then(Yaml::as_str) {
        if seen.iter().any(|s| s == target) {
            return None;
        }
        seen.push(target.to_string());
        let mut at = doc;
        for part in target.trim_start_matches("#/").split('/') {
            at = get(at, part)?;
        }
        node = at;
    }
    Some(node)
}

/// Every field below `node`, named as `history` names them: `a.b`, `[]` for
/// list items, `*` for map values.
fn walk(doc: &Yaml, node: &Yaml, prefix: &str, out: &mut Fields, seen: &[String], depth: usize) {
    let mut seen = seen.to_vec();
    let Some(node) = resolve(doc, node, &mut seen) else {
        return;
    };
    if depth > 40 {
        return;
    }
    if let Some(parts) = get(node, "allOf").and_then(Yaml::as_sequence) {
        for part in parts {
            walk(doc, part, prefix, out, &seen, depth + 1);
        }
    }
    let is_array = get(node, "type").and_then(Yaml::as_str) == Some("array");
    if is_array || get(node, "items").is_some() {
        if let Some(items) = get(node, "items") {
            walk(doc, items, &format!("{prefix}[]"), out, &seen, depth + 1);
        }
        return;
    }
    if let Some(props) = get(node, "properties").and_then(Yaml::as_mapping) {
        for (k, v) in props {
            let k = text_key(k);
            let name = if prefix.is_empty() {
                k
            } else {
                format!("{prefix}.{k}")
            };
            let mut s = seen.clone();
            let description = resolve(doc, v, &mut s)
                .and_then(|r| get(r, "description"))
                .and_then(Yaml::as_str)
                .unwrap_or_default();
            out.insert(name.clone(), description.to_string());
            walk(doc, v, &name, out, &seen, depth + 1);
        }
    }
    if let Some(values) =
        get(node, "additionalProperties").filter(|a| a.as_mapping().is_some_and(|m| !m.is_empty()))
    {
        let name = if prefix.is_empty() {
            "*".to_string()
        } else {
            format!("{prefix}.*")
        };
        walk(doc, values, &name, out, &seen, depth + 1);
    }
}

/// The independent reading of every Swagger document.
fn reading() -> &'static Reading {
    static READING: OnceLock<Reading> = OnceLock::new();
    READING.get_or_init(|| {
        let mut out = Reading::new();
        for minor in 25..=55 {
            let v = format!("1.{minor}");
            let file = common::corpus_dir().join(format!("v{v}.yaml"));
            let doc: Yaml = serde_norway::from_str(&std::fs::read_to_string(&file).unwrap())
                .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            let Some(paths) = get(&doc, "paths").and_then(Yaml::as_mapping) else {
                continue;
            };
            for (path, item) in paths {
                let Some(item) = item.as_mapping() else {
                    continue;
                };
                for (method, op) in item {
                    let method = text_key(method);
                    if !["get", "post", "put", "delete", "head", "patch"].contains(&method.as_str())
                    {
                        continue;
                    }
                    let mut bodies = Bodies::default();
                    for p in get(op, "parameters")
                        .and_then(Yaml::as_sequence)
                        .into_iter()
                        .flatten()
                    {
                        let p = resolve(&doc, p, &mut Vec::new()).unwrap_or(p);
                        if get(p, "in").and_then(Yaml::as_str) == Some("body") {
                            if let Some(schema) = get(p, "schema") {
                                walk(&doc, schema, "", &mut bodies.request, &[], 0);
                            }
                        }
                    }
                    let responses = get(op, "responses").and_then(Yaml::as_mapping);
                    let first_success = responses
                        .into_iter()
                        .flatten()
                        .map(|(k, r)| (text_key(k), r))
                        .filter(|(k, _)| k.starts_with('2'))
                        .min_by(|a, b| a.0.cmp(&b.0));
                    if let Some(schema) = first_success.and_then(|(_, r)| get(r, "schema")) {
                        walk(&doc, schema, "", &mut bodies.response, &[], 0);
                    }
                    let key = (v.clone(), method.to_uppercase(), canonical(&text_key(path)));
                    out.insert(key, bodies);
                }
            }
        }
        out
    })
}

fn version(v: &str) -> (u32, u32) {
    let (a, b) = v.split_once('.').unwrap();
    (a.parse().unwrap(), b.parse().unwrap())
}

fn within(v: &str, ranges: &Value) -> bool {
    ranges.as_array().into_iter().flatten().any(|r| {
        let since = r["since"].as_str().is_none_or(|s| version(s) <= version(v));
        let until = r["until"].as_str().is_none_or(|u| version(v) < version(u));
        since && until
    })
}

/// What may explain a difference: the model errata's documentation fixes and
/// the Swagger errata's renames (versions, name as written, name read).
struct Explanations {
    fixes: Vec<DocFix>,
    renames: Vec<(Vec<String>, String, String)>,
}

impl Explanations {
    /// Why a difference is not an error of the matrix, or `None`.
    fn explain(
        &self,
        v: &str,
        key: &str,
        body: &str,
        name: &str,
        raw_only: bool,
        raw: &Fields,
    ) -> Option<String> {
        let fix = self.fixes.iter().find(|f| {
            format!("{} {}", f.operation.method, canonical(&f.operation.path)) == key
                && f.body == body
                && f.versions.iter().any(|x| x.to_string() == v)
                && if raw_only {
                    name == f.field
                        || name.starts_with(&format!("{}.", f.field))
                        || name.starts_with(&format!("{}[", f.field))
                } else {
                    f.becomes.as_deref().is_some_and(|b| name.starts_with(b))
                }
        });
        if let Some(f) = fix {
            return Some(format!("model errata: {}", f.text()));
        }
        let last = name.rsplit('.').next().unwrap_or(name);
        if let Some((_, from, to)) = self.renames.iter().find(|(versions, from, to)| {
            versions.iter().any(|x| x == v) && (last == if raw_only { from } else { to })
        }) {
            return Some(format!("swagger errata: {from} read as {to} at {v}"));
        }
        // Map items whose keys the description names (`IPAM.Config`: `{"Subnet": …}`).
        if !raw_only {
            if let Some((list, key_name)) = name.rsplit_once("[].") {
                let described = raw
                    .get(list)
                    .is_some_and(|d| d.contains(&format!("\"{key_name}\"")));
                if described {
                    return Some(format!(
                        "map items with named keys: {list} names {key_name}"
                    ));
                }
            }
        }
        None
    }
}

#[test]
fn an_independent_reading_of_every_swagger_document_agrees_with_the_matrix() {
    let run = common::dockmatrix(None, &["matrix", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let matrix: Value = serde_json::from_str(&run.stdout).unwrap();
    let fixes = ModelErrata::builtin().unwrap().doc_fixes();
    let errata: toml::Value = toml::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("specs/docker/swagger-errata.toml"),
        )
        .unwrap(),
    )
    .unwrap();
    let renames: Vec<(Vec<String>, String, String)> = errata["rename"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let versions = r["versions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect();
            let from = r["pointer"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_string();
            (versions, from, r["to"].as_str().unwrap().to_string())
        })
        .collect();
    let explanations = Explanations { fixes, renames };
    let reading = reading();
    let mut compared = 0usize;
    let mut explained: BTreeMap<String, usize> = BTreeMap::new();
    let mut unexplained = Vec::new();
    let mut operations_seen = BTreeSet::new();
    for op in matrix["operations"].as_array().unwrap() {
        let method = op["method"].as_str().unwrap();
        let key = format!("{method} {}", canonical(op["path"].as_str().unwrap()));
        for minor in 25..=55 {
            let v = format!("1.{minor}");
            let Some(raw) = reading.get(&(
                v.clone(),
                method.to_string(),
                canonical(op["path"].as_str().unwrap()),
            )) else {
                continue;
            };
            operations_seen.insert((v.clone(), key.clone()));
            for (body, list, raw_fields) in [
                ("request", "request_fields", &raw.request),
                ("response", "response_fields", &raw.response),
            ] {
                let documented: BTreeSet<&str> = op[list]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|f| within(&v, &f["present"]) && !within(&v, &f["undocumented"]))
                    .map(|f| f["name"].as_str().unwrap())
                    .collect();
                let theirs: BTreeSet<&str> = raw_fields.keys().map(String::as_str).collect();
                compared += theirs.len();
                let differences = theirs
                    .difference(&documented)
                    .map(|n| (*n, true))
                    .chain(documented.difference(&theirs).map(|n| (*n, false)));
                for (name, raw_only) in differences {
                    match explanations.explain(&v, &key, body, name, raw_only, raw_fields) {
                        Some(why) => *explained.entry(why).or_default() += 1,
                        None => unexplained.push(format!(
                            "{v} {key} {body} {name}: {}",
                            if raw_only {
                                "in the document, not in the matrix"
                            } else {
                                "in the matrix, not in the document"
                            }
                        )),
                    }
                }
            }
        }
    }
    assert!(compared > 50_000, "compared {compared} field presences");
    // Every operation of every Swagger document is an operation of the matrix.
    let documents: BTreeSet<(String, String)> = reading
        .keys()
        .map(|(v, m, p)| (v.clone(), format!("{m} {p}")))
        .collect();
    let missing: Vec<_> = documents.difference(&operations_seen).collect();
    assert!(
        missing.is_empty(),
        "operations not in the matrix: {missing:?}"
    );
    assert!(
        unexplained.is_empty(),
        "{} unexplained differences:\n{}",
        unexplained.len(),
        unexplained.join("\n")
    );
    // The explanations in use: the errata and the map-key rule, no more.
    assert!(explained.keys().any(|k| k.starts_with("model errata")));
    assert!(explained.keys().any(|k| k.starts_with("swagger errata")));
    assert!(explained
        .keys()
        .any(|k| k.starts_with("map items with named keys")));
}
