//! Daemon-side version gates: comparisons of the requested API version in the
//! daemon's own code (the tag's files of role `daemon-gate`, e.g.
//! `daemon/inspect.go` answering requests below 1.20 in the old shape). Each
//! is behaviour that depends on the version a client requests, not on the
//! release.

use serde::Serialize;

use crate::facts::Located;
use crate::gates;
use crate::go::{self, GoFile};
use crate::window::Window;

/// The role of the files read here.
pub const DAEMON_GATE_ROLE: &str = "daemon-gate";

/// One comparison of the requested version in daemon code.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct DaemonGate {
    /// Where.
    pub at: Located,
    /// The enclosing function or method.
    pub function: String,
    /// The comparison as written (`versions.LessThan(version, "1.20")`).
    pub condition: String,
    /// The requested versions for which it is true.
    pub window: Window,
}

/// Every version comparison in `file`, in source order.
pub fn extract(file: &GoFile) -> Vec<DaemonGate> {
    let mut out = Vec::new();
    for decl in go::named_children(file.tree.root_node()) {
        if !matches!(decl.kind(), "function_declaration" | "method_declaration") {
            continue;
        }
        let function = decl
            .child_by_field_name("name")
            .map_or_else(String::new, |n| file.text(n).to_string());
        for node in go::descendants(decl) {
            if node.kind() != "call_expression" {
                continue;
            }
            if let Some(window) = gates::comparison_window(file, node) {
                out.push(DaemonGate {
                    at: file.at(node),
                    function: function.clone(),
                    condition: file.text(node).to_string(),
                    window,
                });
            }
        }
    }
    out
}
