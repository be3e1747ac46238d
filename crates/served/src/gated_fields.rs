//! Struct fields a handler touches only under a version condition
//! (`hostConfig.AutoRemove = false` when the request is below 1.25). The daemon
//! decodes such a request-body field at every version but treats it by the
//! requested version, so whether it is served cannot be read off the types:
//! these names are what the body-field verdicts leave to the documents.

use crate::facts::{GatedField, Operation};
use crate::gates::window_at;
use crate::go;
use crate::index::Index;

/// Each exported field name the operation's handler selects (`x.Name`, not a
/// method call) inside a version condition, with where it first does; sorted
/// by name.
pub fn for_handler(idx: &Index<'_>, op: &Operation) -> Vec<GatedField> {
    let (Some(name), Some(at)) = (&op.handler, &op.handler_at) else {
        return Vec::new();
    };
    let dir = at.file.rsplit_once('/').map_or("", |(d, _)| d);
    let mut out: Vec<GatedField> = Vec::new();
    for func in idx.in_dir(dir, name) {
        let Some(body) = func.node.child_by_field_name("body") else {
            continue;
        };
        for node in go::descendants(body) {
            if node.kind() != "selector_expression" {
                continue;
            }
            let Some(field) = node.child_by_field_name("field") else {
                continue;
            };
            let field = func.file.text(field).to_string();
            // Body fields are exported struct fields, never method calls.
            let called = node.parent().is_some_and(|p| {
                p.kind() == "call_expression"
                    && p.child_by_field_name("function").map(|f| f.id()) == Some(node.id())
            });
            if called || !field.starts_with(|c: char| c.is_ascii_uppercase()) {
                continue;
            }
            if window_at(func.file, node).is_all() {
                continue;
            }
            if !out.iter().any(|f| f.name == field) {
                out.push(GatedField {
                    name: field,
                    at: func.file.at(node),
                });
            }
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}
