//! Whether a release refuses requests above its own API version: its version
//! middleware compares the requested version with the default one
//! (`versions.GreaterThan(apiVersion, v.defaultVersion)`, v1.8's
//! `version.GreaterThan(api.Version)`). Releases without that comparison
//! (1.13 to 17.10) accept any higher version and answer as their own.

use crate::facts::Located;
use crate::go::{self, GoFile};

/// Where the upper check is, if a server file has one.
pub fn find<'a>(files: impl IntoIterator<Item = &'a GoFile>) -> Option<Located> {
    for file in files {
        for node in go::descendants(file.tree.root_node()) {
            if node.kind() == "call_expression" && is_upper_check(file, node) {
                return Some(file.at(node));
            }
        }
    }
    None
}

/// `versions.GreaterThan(requested, default)` or `requested.GreaterThan(default)`,
/// where `requested` names the request's version and `default` the daemon's own.
fn is_upper_check(file: &GoFile, call: tree_sitter::Node<'_>) -> bool {
    let Some((name, operand)) = go::callee(call) else {
        return false;
    };
    if file.text(name) != "GreaterThan" {
        return false;
    }
    let args = go::arguments(call);
    let (subject, other) = match (operand.map(|o| file.text(o)), args.as_slice()) {
        (Some("versions"), [a, b]) => (file.text(*a), file.text(*b)),
        (Some(receiver), [b]) => (receiver, file.text(*b)),
        _ => return false,
    };
    let requested = matches!(subject, "apiVersion" | "version");
    let own = other.ends_with("defaultVersion")
        || other.ends_with("defaultAPIVersion")
        || other == "api.Version"
        || other == "api.DefaultVersion";
    requested && own
}
