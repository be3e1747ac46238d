//! What a request uses: query parameter names and JSON body field paths
//! (dotted, `[]` for array items, `*` for map values, as in manifests), read
//! against the operation's documented items. Values are never kept.

use std::collections::{BTreeMap, BTreeSet};

use percent_encoding::percent_decode_str;

use super::gojson::{fold_name, GoValue};
use dockmatrix_core::analysis::ItemHistory;

/// The distinct query parameter names of a query string, in first-seen order.
pub fn query_names(query: Option<&str>) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for pair in query
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
    {
        let name = decode_component(pair.split('=').next().unwrap_or_default());
        if !name.is_empty() && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// The names whose first value (the one dockerd reads) is a zero value: empty,
/// `0` or `false`.
pub fn zero_valued(query: Option<&str>) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    let mut zero = Vec::new();
    for pair in query
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
    {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let name = decode_component(name);
        if seen.contains(&name) {
            continue;
        }
        let value = decode_component(value);
        if value.is_empty() || value == "0" || value.eq_ignore_ascii_case("false") {
            zero.push(name.clone());
        }
        seen.push(name);
    }
    zero
}

/// The query string without the parameters `drop` selects (by decoded name);
/// the other pairs are kept byte for byte.
pub fn filter_query(query: &str, drop: impl Fn(&str) -> bool) -> String {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .filter(|pair| {
            !drop(&decode_component(
                pair.split('=').next().unwrap_or_default(),
            ))
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn decode_component(raw: &str) -> String {
    percent_decode_str(&raw.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}

/// What a JSON body does, read against an operation's documented fields the
/// way dockerd's Go structs would take it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BodyUse {
    /// Documented field paths set to something other than their zero value
    /// (`null`, `false`, `0`, `""`, `[]`, `{}` set nothing: dockerd decodes them
    /// exactly as an absent field, and the Docker CLI sends every field), the
    /// deepest documented path for each, in first-seen order.
    pub set: Vec<String>,
    /// Member paths no version documents, or values of a shape no document
    /// gives that path (dockerd ignores the first and refuses the second).
    pub unknown: Vec<String>,
    /// Documented paths given more than once in one object, counting names that
    /// differ only in case (Go assigns both, the last wins or merges).
    pub duplicates: Vec<String>,
    /// Members matched only by Go's case folding: (as sent, documented path).
    pub folded: Vec<(String, String)>,
}

/// The documented body fields of one operation, with every prefix of them.
#[derive(Debug, Clone)]
pub struct FieldIndex<'m> {
    fields: &'m [ItemHistory],
    names: BTreeSet<&'m str>,
    prefixes: BTreeSet<String>,
    /// Named (not map) members of each documented prefix, for Go's name matching.
    members: BTreeMap<String, Vec<String>>,
}

impl<'m> FieldIndex<'m> {
    /// Indexes an operation's request body fields.
    pub fn new(fields: &'m [ItemHistory]) -> Self {
        let names: BTreeSet<&str> = fields.iter().map(|f| f.name.as_str()).collect();
        let mut prefixes = BTreeSet::new();
        let mut members: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for name in &names {
            for (i, c) in name.char_indices() {
                if c == '.' || c == '[' {
                    prefixes.insert(name[..i].to_string());
                }
            }
            let mut parent = String::new();
            for token in name.split('.') {
                let key = token.trim_end_matches("[]");
                if !key.is_empty() && key != "*" {
                    let list = members.entry(parent.clone()).or_default();
                    if !list.iter().any(|k| k == key) {
                        list.push(key.to_string());
                    }
                }
                parent = join(&parent, token);
            }
        }
        Self {
            fields,
            names,
            prefixes,
            members,
        }
    }

    /// The documented item called `name`.
    pub fn item(&self, name: &str) -> Option<&'m ItemHistory> {
        self.fields.iter().find(|f| f.name == name)
    }

    fn known(&self, path: &str) -> bool {
        self.names.contains(path) || self.prefixes.contains(path)
    }

    /// The documented path member `key` under `prefix` names, as Go matches it:
    /// the exact name, else a name equal under case folding, else the map value
    /// `prefix.*`.
    fn child(&self, prefix: &str, key: &str) -> Option<String> {
        let direct = join(prefix, key);
        if self.known(&direct) {
            return Some(direct);
        }
        let folded = fold_name(key);
        if let Some(name) = self
            .members
            .get(prefix)
            .and_then(|m| m.iter().find(|m| fold_name(m) == folded))
        {
            return Some(join(prefix, name));
        }
        let map = join(prefix, "*");
        self.known(&map).then_some(map)
    }

    /// What a body read by [`super::gojson::read`] sets, and what it sends that
    /// no document knows.
    pub fn reading(&self, body: &GoValue) -> BodyUse {
        let mut out = BodyUse::default();
        self.walk(body, "", &mut out);
        out
    }

    fn walk(&self, value: &GoValue, prefix: &str, out: &mut BodyUse) {
        match value {
            GoValue::Object(members) => {
                let mut seen: Vec<String> = Vec::new();
                for (key, child) in members {
                    let Some(path) = self.child(prefix, key) else {
                        push_new(&mut out.unknown, join(prefix, key));
                        continue;
                    };
                    if seen.contains(&path) {
                        push_new(&mut out.duplicates, path.clone());
                    }
                    let sent = join(prefix, key);
                    if sent != path && !path.ends_with('*') {
                        out.folded.push((sent, path.clone()));
                    }
                    self.visit(child, &path, out);
                    seen.push(path);
                }
            }
            GoValue::Array(items) => {
                let item_path = format!("{prefix}[]");
                if self.known(&item_path) {
                    for item in items {
                        self.visit(item, &item_path, out);
                    }
                }
            }
            _ => {}
        }
    }

    /// One value at documented path `path`: a documented leaf is opaque (a map's
    /// keys are data), a prefix is walked into.
    fn visit(&self, value: &GoValue, path: &str, out: &mut BodyUse) {
        let before = (out.set.len(), out.unknown.len());
        if self.prefixes.contains(path) {
            self.walk(value, path, out);
        }
        let nothing_found = (out.set.len(), out.unknown.len()) == before;
        if nothing_found && !value.is_zero() {
            if self.names.contains(path) {
                push_new(&mut out.set, path.to_string());
            } else if !deep_zero(value) {
                push_new(&mut out.unknown, path.to_string());
            }
        }
    }

    /// Removes from `body` every documented field `keep` rejects; returns the
    /// removed paths. Undocumented keys are left alone.
    pub fn retain(&self, body: &mut GoValue, keep: &dyn Fn(&ItemHistory) -> bool) -> Vec<String> {
        let mut dropped = Vec::new();
        self.retain_at(body, "", keep, &mut dropped);
        dropped
    }

    fn retain_at(
        &self,
        value: &mut GoValue,
        prefix: &str,
        keep: &dyn Fn(&ItemHistory) -> bool,
        dropped: &mut Vec<String>,
    ) {
        match value {
            GoValue::Object(members) => {
                members.retain_mut(|(key, child)| {
                    let Some(path) = self.child(prefix, key) else {
                        return true;
                    };
                    if let Some(item) = self.item(&path) {
                        if !keep(item) {
                            push_new(dropped, path);
                            return false;
                        }
                    }
                    self.retain_at(child, &path, keep, dropped);
                    true
                });
            }
            GoValue::Array(items) => {
                let item_path = format!("{prefix}[]");
                if self.known(&item_path) {
                    for item in items {
                        self.retain_at(item, &item_path, keep, dropped);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Whether a value sets nothing at any depth (containers of zero values only).
fn deep_zero(value: &GoValue) -> bool {
    match value {
        GoValue::Array(items) => items.iter().all(deep_zero),
        GoValue::Object(members) => members.iter().all(|(_, v)| deep_zero(v)),
        other => other.is_zero(),
    }
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

fn push_new(list: &mut Vec<String>, item: String) {
    if !list.contains(&item) {
        list.push(item);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_names_are_decoded_and_distinct() {
        assert_eq!(
            query_names(Some("all=1&filters=%7B%7D&all=0&a%62c=&=x")),
            ["all", "filters", "abc"]
        );
        assert_eq!(query_names(None), Vec::<String>::new());
    }

    #[test]
    fn zero_values_are_judged_on_the_first_value() {
        assert_eq!(
            zero_valued(Some("force=0&all=1&v=&size=FALSE&all=0&x=1&x=0&t")),
            ["force", "v", "size", "t"]
        );
    }

    #[test]
    fn filtering_keeps_other_pairs_verbatim() {
        assert_eq!(
            filter_query("a=1&signal=KILL&t=%20", |n| n == "signal"),
            "a=1&t=%20"
        );
    }
}
