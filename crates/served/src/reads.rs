//! Query parameters a handler reads: `r.Form.Get("x")`, `r.FormValue("x")`,
//! `r.URL.Query().Get("x")` and `r.Form["x"]`, in the handler and in the
//! server-code functions it passes the request to (`httputils.BoolValue(r, "all")`,
//! `Int64ValueOrZero`, …, followed generically, with the name bound from the
//! call's string argument). A name the reader cannot bind to a literal is
//! reported as unresolved, with its file:line, never guessed.

use std::collections::HashSet;

use tree_sitter::Node;

use crate::facts::{Located, Operation, ParamRead, Unresolved};
use crate::gates::window_at;
use crate::go::{self, GoFile};
use crate::index::{Func, Index};
use crate::window::Window;

/// How deep calls are followed from the handler.
const MAX_DEPTH: usize = 4;

/// A helper parameter bound to a literal: (parameter, value, where the literal is).
type Binding = (String, String, Located);

/// The reads of an operation's handler, and what could not be resolved.
pub fn for_handler(idx: &Index<'_>, op: &Operation) -> (Vec<ParamRead>, Vec<Unresolved>) {
    let (Some(name), Some(at)) = (&op.handler, &op.handler_at) else {
        return (Vec::new(), Vec::new());
    };
    let dir = at.file.rsplit_once('/').map_or("", |(d, _)| d);
    let mut walker = Walker {
        idx,
        reads: Vec::new(),
        unresolved: Vec::new(),
        seen: HashSet::new(),
    };
    for func in idx.in_dir(dir, name) {
        walker.walk(*func, &[], Window::ALL, None, 0);
    }
    let Walker {
        mut reads,
        unresolved,
        ..
    } = walker;
    reads.sort();
    reads.dedup();
    (reads, unresolved)
}

struct Walker<'i, 'a> {
    idx: &'i Index<'a>,
    reads: Vec<ParamRead>,
    unresolved: Vec<Unresolved>,
    seen: HashSet<(String, usize, Vec<Binding>)>,
}

impl<'a> Walker<'_, 'a> {
    fn walk(
        &mut self,
        func: Func<'a>,
        bindings: &[Binding],
        outer: Window,
        via: Option<&str>,
        depth: usize,
    ) {
        let file = func.file;
        let key = (file.path.clone(), func.node.start_byte(), bindings.to_vec());
        if !self.seen.insert(key) {
            return;
        }
        let Some(body) = func.node.child_by_field_name("body") else {
            return;
        };
        let requests = request_params(file, func.node);
        let closures = local_closures(file, body);
        let inside_closure = |n: Node<'_>| {
            closures
                .iter()
                .any(|(_, c)| c.start_byte() <= n.start_byte() && n.end_byte() <= c.end_byte())
        };
        for node in go::descendants(body) {
            if inside_closure(node) {
                continue;
            }
            match node.kind() {
                "call_expression" => {
                    if let Some(key) = read_key(file, node) {
                        self.read(file, node, key, bindings, outer, via);
                    } else if let Some(closure) = closure_called(file, node, &closures) {
                        let here = outer.intersect(window_at(file, node));
                        let target = Func {
                            file,
                            node: closure,
                        };
                        let inner = bind(file, target, &go::arguments(node), bindings);
                        self.walk(target, &inner, here, via, depth + 1);
                    } else if depth < MAX_DEPTH {
                        self.follow(file, node, &requests, bindings, outer, via, depth);
                    }
                }
                "index_expression" => {
                    let operand = node.child_by_field_name("operand");
                    if operand.is_some_and(|o| is_form(file, o)) {
                        if let Some(key) = node.child_by_field_name("index") {
                            self.read(file, node, key, bindings, outer, via);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn read(
        &mut self,
        file: &GoFile,
        node: Node<'_>,
        key: Node<'_>,
        bindings: &[Binding],
        outer: Window,
        via: Option<&str>,
    ) {
        let bound = || {
            let name = file.text(key);
            bindings
                .iter()
                .find(|(param, _, _)| param == name)
                .map(|(_, value, at)| (value.clone(), at.clone()))
        };
        let Some((name, at)) = file.string(key).map(|s| (s, file.at(key))).or_else(bound) else {
            self.unresolved.push(Unresolved {
                at: file.at(node),
                kind: "parameter name".into(),
                text: file.text(node).to_string(),
            });
            return;
        };
        self.reads.push(ParamRead {
            name,
            at,
            window: outer.intersect(window_at(file, node)),
            via: via.map(str::to_string),
            honoured: None,
        });
    }

    /// Follows a call that passes the request to a function of the server code.
    #[allow(clippy::too_many_arguments)]
    fn follow(
        &mut self,
        file: &GoFile,
        call: Node<'_>,
        requests: &[String],
        bindings: &[Binding],
        outer: Window,
        via: Option<&str>,
        depth: usize,
    ) {
        let args = go::arguments(call);
        let passes_request = args
            .iter()
            .any(|a| a.kind() == "identifier" && requests.iter().any(|r| r == file.text(*a)));
        let Some((name, operand)) = go::callee(call) else {
            return;
        };
        if !passes_request || operand.is_some_and(|o| o.kind() != "identifier") {
            return;
        }
        let qualifier = operand.map(|o| file.text(o));
        let targets = self.idx.lookup(&file.dir, qualifier, file.text(name));
        if targets.is_empty() {
            return;
        }
        let here = outer.intersect(window_at(file, call));
        let label = file.text(call.child_by_field_name("function").unwrap_or(name));
        let via = via.unwrap_or(label).to_string();
        for target in targets {
            let inner = bind(file, target, &args, bindings);
            self.walk(target, &inner, here, Some(&via), depth + 1);
        }
    }
}

/// The callee's parameters bound to the call's string literals (or to literals
/// the caller's own parameters are bound to).
fn bind(file: &GoFile, target: Func<'_>, args: &[Node<'_>], bindings: &[Binding]) -> Vec<Binding> {
    let mut inner = Vec::new();
    for (param, arg) in param_names(target.file, target.node).iter().zip(args) {
        if let Some(value) = file.string(*arg) {
            inner.push((param.clone(), value, file.at(*arg)));
        } else if let Some((_, v, at)) = bindings.iter().find(|(p, _, _)| p == file.text(*arg)) {
            inner.push((param.clone(), v.clone(), at.clone()));
        }
    }
    inner
}

/// Closures declared in a body: `name := func(…) … { … }`.
fn local_closures<'t>(file: &GoFile, body: Node<'t>) -> Vec<(String, Node<'t>)> {
    go::descendants(body)
        .into_iter()
        .filter(|n| n.kind() == "short_var_declaration")
        .filter_map(|n| {
            let left = n.child_by_field_name("left")?.named_child(0)?;
            let right = n.child_by_field_name("right")?.named_child(0)?;
            (left.kind() == "identifier" && right.kind() == "func_literal")
                .then(|| (file.text(left).to_string(), right))
        })
        .collect()
}

/// The closure a call `name(…)` calls, if `name` is a local closure.
fn closure_called<'t>(
    file: &GoFile,
    call: Node<'_>,
    closures: &[(String, Node<'t>)],
) -> Option<Node<'t>> {
    let function = call.child_by_field_name("function")?;
    if function.kind() != "identifier" {
        return None;
    }
    let name = file.text(function);
    closures.iter().find(|(n, _)| n == name).map(|(_, c)| *c)
}

/// The key expression of `X.Form.Get(k)`, `X.URL.Query().Get(k)` or `X.FormValue(k)`.
fn read_key<'t>(file: &GoFile, call: Node<'t>) -> Option<Node<'t>> {
    let (name, operand) = go::callee(call)?;
    let reads = match file.text(name) {
        "FormValue" => true,
        "Get" => operand.is_some_and(|o| {
            is_form(file, o)
                || (o.kind() == "call_expression"
                    && go::callee(o).is_some_and(|(n, _)| file.text(n) == "Query"))
        }),
        _ => false,
    };
    if reads {
        go::arguments(call).into_iter().next()
    } else {
        None
    }
}

/// `X.Form` (or `X.PostForm`).
fn is_form(file: &GoFile, node: Node<'_>) -> bool {
    node.kind() == "selector_expression"
        && node
            .child_by_field_name("field")
            .is_some_and(|f| matches!(file.text(f), "Form" | "PostForm"))
}

/// The parameter names of a declaration, in order.
fn param_names(file: &GoFile, decl: Node<'_>) -> Vec<String> {
    let Some(params) = decl.child_by_field_name("parameters") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for p in go::named_children(params) {
        let mut cursor = p.walk();
        let names: Vec<String> = p
            .children_by_field_name("name", &mut cursor)
            .map(|n| file.text(n).to_string())
            .collect();
        if names.is_empty() {
            out.push(String::new());
        }
        out.extend(names);
    }
    out
}

/// The names of the parameters typed `*http.Request` (default `r`).
fn request_params(file: &GoFile, decl: Node<'_>) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(params) = decl.child_by_field_name("parameters") {
        for p in go::named_children(params) {
            let is_request = p
                .child_by_field_name("type")
                .is_some_and(|t| file.text(t).ends_with("http.Request"));
            if is_request {
                let mut cursor = p.walk();
                out.extend(
                    p.children_by_field_name("name", &mut cursor)
                        .map(|n| file.text(n).to_string()),
                );
            }
        }
    }
    if out.is_empty() {
        out.push("r".into());
    }
    out
}
