//! API version constants: every `const`/`var` with a string value in the files
//! of role `api-version` (`api/common*.go`, `daemon/config/config*.go`), resolved
//! through references (`defaultMinAPIVersion = api.MinSupportedAPIVersion`), and
//! what they make of the release's range.

use tree_sitter::Node;

use crate::facts::{ApiConstants, Constant};
use crate::go::{self, GoFile};
use crate::index::TagFile;

/// The constants of a tag and its max / min / floor.
pub fn extract(files: &[TagFile]) -> ApiConstants {
    let mut raw: Vec<(Constant, Option<String>)> = Vec::new();
    for f in files
        .iter()
        .filter(|f| f.roles.iter().any(|r| r == "api-version"))
    {
        for node in go::descendants(f.go.tree.root_node()) {
            if matches!(node.kind(), "const_spec" | "var_spec") {
                raw.extend(spec(&f.go, node));
            }
        }
    }
    // Resolve references by the referenced name's last segment.
    let known: Vec<(String, String)> = raw
        .iter()
        .filter(|(_, r)| r.is_none())
        .map(|(c, _)| (c.name.clone(), c.value.clone()))
        .collect();
    let constants: Vec<Constant> = raw
        .into_iter()
        .filter_map(|(mut c, reference)| {
            if let Some(r) = reference {
                let last = r.rsplit('.').next().unwrap_or(&r);
                c.value = known.iter().find(|(n, _)| n == last)?.1.clone();
            }
            c.version().map(|_| c)
        })
        .collect();
    let find = |names: &[&str], windows: bool| {
        names.iter().find_map(|n| {
            constants
                .iter()
                .find(|c| c.name == *n && (c.platform.as_deref() == Some("windows")) == windows)
                .cloned()
        })
    };
    ApiConstants {
        max: find(&["MaxAPIVersion", "DefaultVersion", "Version"], false),
        min: find(&["defaultMinAPIVersion", "MinVersion"], false),
        min_windows: find(&["MinVersion"], true),
        min_floor: find(
            &["minAPIVersion", "MinAPIVersion", "MinSupportedAPIVersion"],
            false,
        ),
        min_floor_windows: find(&["minAPIVersion"], true),
        constants,
        max_enforced: None,
    }
}

/// `Name [type] = "1.24"` or `Name = pkg.Other`: the constant and, for a
/// reference, the referenced name.
fn spec(file: &GoFile, node: Node<'_>) -> Option<(Constant, Option<String>)> {
    let name = node.child_by_field_name("name")?;
    let value = node.child_by_field_name("value")?.named_child(0)?;
    let platform = ["windows", "linux", "unix"]
        .into_iter()
        .find(|p| file.path.ends_with(&format!("_{p}.go")))
        .map(str::to_string);
    let (text, reference) = match file.string(value) {
        Some(s) => (s, None),
        None if matches!(value.kind(), "identifier" | "selector_expression") => {
            (String::new(), Some(file.text(value).to_string()))
        }
        None => return None,
    };
    Some((
        Constant {
            name: file.text(name).to_string(),
            value: text,
            platform,
            at: file.at(name),
        },
        reference,
    ))
}
