//! What a request uses: query parameter names and JSON body field paths
//! (dotted, `[]` for array items, `*` for map values, as in manifests), read
//! against the operation's documented items. Values are never kept.

use std::collections::BTreeSet;

use percent_encoding::percent_decode_str;
use serde_json::Value;

use crate::analysis::ItemHistory;

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

/// The documented body fields of one operation, with every prefix of them.
#[derive(Debug, Clone)]
pub struct FieldIndex<'m> {
    fields: &'m [ItemHistory],
    names: BTreeSet<&'m str>,
    prefixes: BTreeSet<String>,
}

impl<'m> FieldIndex<'m> {
    /// Indexes an operation's request body fields.
    pub fn new(fields: &'m [ItemHistory]) -> Self {
        let names: BTreeSet<&str> = fields.iter().map(|f| f.name.as_str()).collect();
        let mut prefixes = BTreeSet::new();
        for name in &names {
            for (i, c) in name.char_indices() {
                if c == '.' || c == '[' {
                    prefixes.insert(name[..i].to_string());
                }
            }
        }
        Self {
            fields,
            names,
            prefixes,
        }
    }

    /// The documented item called `name`.
    pub fn item(&self, name: &str) -> Option<&'m ItemHistory> {
        self.fields.iter().find(|f| f.name == name)
    }

    fn known(&self, path: &str) -> bool {
        self.names.contains(path) || self.prefixes.contains(path)
    }

    /// The documented path of key `key` under `prefix`: the property itself,
    /// else the map value `prefix.*`.
    fn child(&self, prefix: &str, key: &str) -> Option<String> {
        let direct = join(prefix, key);
        if self.known(&direct) {
            return Some(direct);
        }
        let map = join(prefix, "*");
        self.known(&map).then_some(map)
    }

    /// The leaf field paths a JSON body sets (documented ones; a zero value —
    /// `null`, `false`, `0`, `""`, `[]`, `{}` — sets nothing: dockerd decodes it
    /// exactly as an absent field, and the Docker CLI sends every field) and the keys no version documents (`unknown`), both in
    /// first-seen order.
    pub fn paths(&self, body: &Value) -> (Vec<String>, Vec<String>) {
        let mut found = Vec::new();
        let mut unknown = Vec::new();
        self.walk(body, "", &mut found, &mut unknown);
        (found, unknown)
    }

    fn walk(
        &self,
        value: &Value,
        prefix: &str,
        found: &mut Vec<String>,
        unknown: &mut Vec<String>,
    ) {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    match self.child(prefix, key) {
                        Some(path) => {
                            let before = found.len();
                            self.walk(child, &path, found, unknown);
                            if found.len() == before
                                && !is_zero(child)
                                && self.names.contains(path.as_str())
                            {
                                push_new(found, path);
                            }
                        }
                        None => push_new(unknown, join(prefix, key)),
                    }
                }
            }
            Value::Array(items) => {
                let item_path = format!("{prefix}[]");
                if self.known(&item_path) {
                    for item in items {
                        self.walk(item, &item_path, found, unknown);
                    }
                }
            }
            _ => {}
        }
    }

    /// Removes from `body` every documented field `keep` rejects; returns the
    /// removed paths. Undocumented keys are left alone.
    pub fn retain(&self, body: &mut Value, keep: &dyn Fn(&ItemHistory) -> bool) -> Vec<String> {
        let mut dropped = Vec::new();
        self.retain_at(body, "", keep, &mut dropped);
        dropped
    }

    fn retain_at(
        &self,
        value: &mut Value,
        prefix: &str,
        keep: &dyn Fn(&ItemHistory) -> bool,
        dropped: &mut Vec<String>,
    ) {
        match value {
            Value::Object(map) => {
                map.retain(|key, child| {
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
            Value::Array(items) => {
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

/// Whether a value is its type's zero value, which a Go daemon cannot tell from absent.
fn is_zero(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
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
    fn filtering_keeps_other_pairs_verbatim() {
        assert_eq!(
            filter_query("a=1&signal=KILL&t=%20", |n| n == "signal"),
            "a=1&t=%20"
        );
    }
}
