//! Reading markdown-era body fields the way the Swagger era names them.
//!
//! A markdown page shows fields through parameter lists and examples, and two
//! things in them are spelled differently from the schemas that came later:
//!
//! - map keys that look like field names (`"Networks": {"bridge": {…}}`): where a
//!   schema of the same operation (any Swagger version) says the prefix is a map,
//!   the key is data and becomes `*` (`NetworkSettings.Networks.*.IPAddress`);
//! - spellings that differ only in case (`Capdrop` for `CapDrop`): the daemon's
//!   JSON decoding matches field names case-insensitively, so they are one field,
//!   named as the newest version that documents it spells it. Each respelling is
//!   reported as an upstream defect.

use std::collections::{BTreeMap, BTreeSet};

use super::spec::{ApiSpec, ItemFacts, Items, OpKey};
use crate::ingest::SpecWarning;

/// Which body of an operation.
#[derive(Clone, Copy)]
enum Body {
    Request,
    Response,
}

impl Body {
    fn items(self, op: &super::Operation) -> &Items {
        match self {
            Body::Request => &op.request_fields,
            Body::Response => &op.response_fields,
        }
    }

    fn items_mut(self, op: &mut super::Operation) -> &mut Items {
        match self {
            Body::Request => &mut op.request_fields,
            Body::Response => &mut op.response_fields,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Body::Request => "request",
            Body::Response => "response",
        }
    }
}

/// Rewrites the markdown-era fields of every version (`specs` oldest first or in
/// any order) and returns the respellings as warnings.
pub fn harmonize(specs: &mut [ApiSpec]) -> Vec<SpecWarning> {
    let keys: BTreeSet<OpKey> = specs
        .iter()
        .flat_map(|s| s.operations.keys().cloned())
        .collect();
    let mut warnings = Vec::new();
    for key in &keys {
        let maps: BTreeSet<String> = specs
            .iter()
            .filter(|s| s.has_schemas)
            .filter_map(|s| s.operations.get(key))
            .flat_map(|o| o.map_prefixes.iter().cloned())
            .collect();
        for body in [Body::Request, Body::Response] {
            harmonize_body(specs, key, body, &maps, &mut warnings);
        }
    }
    warnings.sort();
    warnings
}

fn harmonize_body(
    specs: &mut [ApiSpec],
    key: &OpKey,
    body: Body,
    maps: &BTreeSet<String>,
    warnings: &mut Vec<SpecWarning>,
) {
    // Spellings by lower-case path: the newest version's wins (schemas first).
    let mut order: Vec<usize> = (0..specs.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse((specs[i].has_schemas, specs[i].version)));
    let mut spelling: BTreeMap<String, String> = BTreeMap::new();
    for &i in &order {
        let spec = &specs[i];
        let Some(op) = spec.operations.get(key) else {
            continue;
        };
        for name in body.items(op).keys() {
            let name = if spec.has_schemas {
                name.clone()
            } else {
                unmap(name, maps)
            };
            spelling.entry(name.to_ascii_lowercase()).or_insert(name);
        }
    }
    for spec in specs.iter_mut().filter(|s| !s.has_schemas) {
        let version = spec.version;
        let Some(op) = spec.operations.get_mut(key) else {
            continue;
        };
        let mut out = Items::new();
        for (name, facts) in std::mem::take(body.items_mut(op)) {
            let unmapped = unmap(&name, maps);
            if unmapped
                .rsplit('.')
                .next()
                .is_some_and(|s| s.starts_with('*'))
            {
                continue;
            }
            let spelled = spelling
                .get(&unmapped.to_ascii_lowercase())
                .cloned()
                .unwrap_or(unmapped.clone());
            if spelled != unmapped {
                warnings.push(SpecWarning {
                    file: format!("v{version}.md"),
                    location: key.to_string(),
                    message: format!(
                        "{} body field {unmapped:?} read as {spelled:?} (the daemon matches JSON field names case-insensitively)",
                        body.name()
                    ),
                });
            }
            merge_into(&mut out, spelled, facts);
        }
        *body.items_mut(op) = out;
    }
}

fn merge_into(out: &mut Items, name: String, facts: ItemFacts) {
    out.entry(name)
        .and_modify(|seen| {
            seen.deprecated &= facts.deprecated;
            seen.experimental &= facts.experimental;
            seen.evidence = seen.evidence.min(facts.evidence);
        })
        .or_insert(facts);
}

/// Replaces each segment that is a key of a known map prefix by `*`.
fn unmap(path: &str, maps: &BTreeSet<String>) -> String {
    let mut out = String::new();
    for segment in path.split('.') {
        let (base, suffix) = match segment.find("[]") {
            Some(i) => segment.split_at(i),
            None => (segment, ""),
        };
        let parent_is_map = !out.is_empty() && maps.contains(&out);
        let base = if parent_is_map && base != "*" {
            "*"
        } else {
            base
        };
        if !out.is_empty() {
            out.push('.');
        }
        out.push_str(base);
        out.push_str(suffix);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::spec::{Evidence, Operation};
    use crate::version::ApiVersion;

    fn spec(minor: u16, has_schemas: bool, fields: &[&str], maps: &[&str]) -> ApiSpec {
        let mut op = Operation::at("/containers/{id}/json");
        for f in fields {
            op.response_fields
                .insert(f.to_string(), ItemFacts::plain(Evidence::Example));
        }
        op.map_prefixes = maps.iter().map(|m| m.to_string()).collect();
        ApiSpec {
            version: ApiVersion::new(1, minor),
            operations: [(OpKey::new("GET", "/containers/{id}/json"), op)].into(),
            has_schemas,
        }
    }

    #[test]
    fn map_keys_and_case_follow_the_schemas() {
        let mut specs = vec![
            spec(
                24,
                false,
                &[
                    "NetworkSettings.Networks",
                    "NetworkSettings.Networks.bridge",
                    "NetworkSettings.Networks.bridge.IPAddress",
                    "HostConfig.Capdrop",
                ],
                &[],
            ),
            spec(
                25,
                true,
                &[
                    "NetworkSettings.Networks",
                    "NetworkSettings.Networks.*.IPAddress",
                    "HostConfig.CapDrop",
                ],
                &["NetworkSettings.Networks"],
            ),
        ];
        let warnings = harmonize(&mut specs);
        let names: Vec<&str> = specs[0]
            .operations
            .values()
            .next()
            .unwrap()
            .response_fields
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            names,
            [
                "HostConfig.CapDrop",
                "NetworkSettings.Networks",
                "NetworkSettings.Networks.*.IPAddress"
            ]
        );
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].message.contains("Capdrop"));
    }

    #[test]
    fn unmap_keeps_array_suffixes() {
        let maps: BTreeSet<String> = ["A".to_string(), "A.*.B".to_string()].into();
        assert_eq!(unmap("A.x[].C", &maps), "A.*[].C");
        assert_eq!(unmap("A.x.B.y", &maps), "A.*.B.*");
        assert_eq!(unmap("Z.x", &maps), "Z.x");
    }
}
