//! Routes: `router.NewGetRoute("/containers/json", r.getContainersJSON, opts…)`
//! calls (v1.9 on; `local.` up to v1.12), `NewRoute(method, path, …)`, and the
//! method → path → handler map literal of v1.8 (`createRouter` in
//! `api/server/server.go`). Debug routes (`router/debug/`, mounted under
//! `/debug` without a version prefix) are not API operations and are left out.

use dockmatrix_core::path::normalize_path;
use tree_sitter::Node;

use crate::facts::{Operation, Unresolved};
use crate::go::{self, GoFile};
use crate::index::Index;

/// Route constructors and the method they register.
const CONSTRUCTORS: [(&str, &str); 6] = [
    ("NewGetRoute", "GET"),
    ("NewPostRoute", "POST"),
    ("NewPutRoute", "PUT"),
    ("NewDeleteRoute", "DELETE"),
    ("NewOptionsRoute", "OPTIONS"),
    ("NewHeadRoute", "HEAD"),
];

/// Every route of the tag, and what could not be resolved.
pub fn extract(idx: &Index<'_>) -> (Vec<Operation>, Vec<Unresolved>) {
    let mut ops = Vec::new();
    let mut unresolved = Vec::new();
    for file in &idx.server {
        if file.path.contains("/router/debug/") {
            continue;
        }
        for node in go::descendants(file.tree.root_node()) {
            match node.kind() {
                "call_expression" => {
                    route_call(idx, file, node, &mut ops, &mut unresolved);
                }
                "composite_literal" => route_map(idx, file, node, &mut ops, &mut unresolved),
                _ => {}
            }
        }
    }
    (ops, unresolved)
}

fn route_call(
    idx: &Index<'_>,
    file: &GoFile,
    node: Node<'_>,
    ops: &mut Vec<Operation>,
    unresolved: &mut Vec<Unresolved>,
) {
    let Some((name, _)) = go::callee(node) else {
        return;
    };
    let name = file.text(name);
    let args = go::arguments(node);
    let (method, rest) = if name == "NewRoute" {
        let Some(m) = args.first().and_then(|a| method_of(file, *a)) else {
            return note_unless_constructor(file, node, "route method", unresolved);
        };
        (m, &args[1..])
    } else if let Some((_, m)) = CONSTRUCTORS.iter().find(|(c, _)| *c == name) {
        (m.to_string(), &args[..])
    } else {
        return;
    };
    let Some(route) = rest.first().and_then(|p| file.string(*p)) else {
        return note_unless_constructor(file, node, "route path", unresolved);
    };
    let mut op = operation(idx, file, node, method, route, rest.get(1).copied());
    for opt in rest.iter().skip(2) {
        let text = file.text(*opt);
        if text.ends_with("Experimental") {
            op.experimental = true;
        }
        if text.contains("WithMinimumAPIVersion") {
            op.min_api = go::arguments(*opt)
                .first()
                .and_then(|a| file.string(*a))
                .and_then(|s| s.parse().ok());
        }
    }
    if op.handler_at.is_none() {
        unresolved.push(Unresolved {
            at: op.at.clone(),
            kind: "handler".into(),
            text: rest
                .get(1)
                .map(|h| file.text(*h).to_string())
                .unwrap_or_default(),
        });
    }
    ops.push(op);
}

/// A non-literal path or method is only worth noting outside the constructors
/// themselves (`func NewGetRoute(path string, …) { return NewRoute("GET", path, …) }`).
fn note_unless_constructor(
    file: &GoFile,
    node: Node<'_>,
    kind: &str,
    unresolved: &mut Vec<Unresolved>,
) {
    let mut up = node.parent();
    while let Some(n) = up {
        if n.kind() == "function_declaration" {
            let name = n.child_by_field_name("name").map(|x| file.text(x));
            if name.is_some_and(|x| x.starts_with("New") && x.ends_with("Route")) {
                return;
            }
        }
        up = n.parent();
    }
    unresolved.push(Unresolved {
        at: file.at(node),
        kind: kind.into(),
        text: file.text(node).to_string(),
    });
}

/// `"GET"` or `http.MethodGet`.
fn method_of(file: &GoFile, node: Node<'_>) -> Option<String> {
    if let Some(s) = file.string(node) {
        return Some(s.to_uppercase());
    }
    let text = file.text(node);
    text.strip_prefix("http.Method").map(str::to_uppercase)
}

/// v1.8's `map[string]map[string]HttpApiFunc{"GET": {"/path": s.handler, …}, …}`.
fn route_map(
    idx: &Index<'_>,
    file: &GoFile,
    node: Node<'_>,
    ops: &mut Vec<Operation>,
    unresolved: &mut Vec<Unresolved>,
) {
    let Some(body) = node.child_by_field_name("body") else {
        return;
    };
    for (key, value) in keyed_elements(body) {
        let Some(method) = file.string(key) else {
            return;
        };
        if !dockmatrix_core::path::HTTP_METHODS.contains(&method.as_str()) {
            return;
        }
        if value.kind() != "literal_value" {
            continue;
        }
        for (path, handler) in keyed_elements(value) {
            match file.string(path) {
                Some(route) if !route.is_empty() => {
                    ops.push(operation(
                        idx,
                        file,
                        path,
                        method.clone(),
                        route,
                        Some(handler),
                    ));
                }
                _ => unresolved.push(Unresolved {
                    at: file.at(path),
                    kind: "catch-all route".into(),
                    text: format!("{method} {}", file.text(path)),
                }),
            }
        }
    }
}

/// The `key: value` pairs of a literal value, keys and values unwrapped.
fn keyed_elements(body: Node<'_>) -> Vec<(Node<'_>, Node<'_>)> {
    go::named_children(body)
        .into_iter()
        .filter(|n| n.kind() == "keyed_element")
        .filter_map(|n| {
            let kids = go::named_children(n);
            Some((unwrap(*kids.first()?), unwrap(*kids.last()?)))
        })
        .collect()
}

fn unwrap(n: Node<'_>) -> Node<'_> {
    if n.kind() == "literal_element" {
        n.named_child(0).unwrap_or(n)
    } else {
        n
    }
}

fn operation(
    idx: &Index<'_>,
    file: &GoFile,
    at: Node<'_>,
    method: String,
    route: String,
    handler: Option<Node<'_>>,
) -> Operation {
    let found = handler.and_then(|h| find_handler(idx, file, h));
    Operation {
        method,
        path: normalize_path(&strip_patterns(&route)),
        route,
        at: file.at(at),
        also_at: Vec::new(),
        handler: found.as_ref().map(|(name, _)| name.clone()),
        handler_at: found.map(|(_, at)| at),
        experimental: false,
        min_api: None,
        refused: None,
        params: Vec::new(),
        gated_fields: Vec::new(),
        unresolved_reads: Vec::new(),
    }
}

/// The handler a route argument names: `r.getX`, `s.getX`, `getX`, or the
/// first such name inside a wrapper call (`r.controllerEnabledMiddleware(r.getX)`).
fn find_handler(
    idx: &Index<'_>,
    file: &GoFile,
    node: Node<'_>,
) -> Option<(String, crate::facts::Located)> {
    let name = match node.kind() {
        "selector_expression" => node.child_by_field_name("field"),
        "identifier" => Some(node),
        "call_expression" => {
            return go::arguments(node)
                .into_iter()
                .find_map(|a| find_handler(idx, file, a))
        }
        _ => None,
    }?;
    let name = file.text(name);
    let func = idx.in_dir(&file.dir, name).first()?;
    Some((name.to_string(), func.file.at(func.node)))
}

/// Drops gorilla/mux patterns from placeholders: `{name:.*}` → `{name}`.
pub fn strip_patterns(route: &str) -> String {
    let mut out = String::with_capacity(route.len());
    let mut depth = 0usize;
    let mut skipping = false;
    for c in route.chars() {
        match c {
            '{' => {
                depth += 1;
                if !skipping {
                    out.push(c);
                }
            }
            '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    skipping = false;
                    out.push(c);
                }
            }
            ':' if depth == 1 => skipping = true,
            _ if !skipping => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::strip_patterns;

    #[test]
    fn patterns_are_dropped_from_placeholders() {
        assert_eq!(
            strip_patterns("/containers/{name:.*}/json"),
            "/containers/{name}/json"
        );
        assert_eq!(strip_patterns("/v{version:[0-9]{1,2}}/x"), "/v{version}/x");
        assert_eq!(strip_patterns("/a/{id}"), "/a/{id}");
    }
}
