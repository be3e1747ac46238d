//! Version gates: the window of requested API versions in which a node is
//! reached, from the conditions around it — `versions.LessThan(version, "1.41")`
//! and friends (v1.12 on), `version.LessThan("1.20")` (v1.8–v1.11), `!`, `&&`,
//! `||`, `switch { case …: }`, and early exits (`if <gate> { return … }`).
//! Only comparisons of a value named like a version (`version`, `apiVersion`,
//! `httputils.VersionFromContext(ctx)`) count as gates on the requested version.

use dockmatrix_core::ApiVersion;
use tree_sitter::Node;

use crate::go::{self, GoFile};
use crate::window::{next, Window};

/// What a condition says about the requested version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cond {
    /// Nothing (no version comparison in it, or one that does not constrain).
    Free,
    /// An interval.
    Window(Window),
}

impl Cond {
    fn and(self, other: Cond) -> Cond {
        match (self, other) {
            (Cond::Free, x) | (x, Cond::Free) => x,
            (Cond::Window(a), Cond::Window(b)) => Cond::Window(a.intersect(b)),
        }
    }

    /// `a || b`: free if either side is free, unresolved if both constrain.
    fn or(self, other: Cond) -> Cond {
        match (self, other) {
            (Cond::Free, _) | (_, Cond::Free) => Cond::Free,
            _ => Cond::Window(Window::UNRESOLVED),
        }
    }

    fn window(self) -> Window {
        match self {
            Cond::Free => Window::ALL,
            Cond::Window(w) => w,
        }
    }
}

/// The window in which `node` is reached, from the conditions between it and
/// the enclosing function declaration.
pub fn window_at(file: &GoFile, node: Node<'_>) -> Window {
    let mut window = Window::ALL;
    let mut child = node;
    while let Some(parent) = child.parent() {
        match parent.kind() {
            "function_declaration" | "method_declaration" => break,
            "if_statement" => {
                let field = field_of(parent, child);
                if let Some(cond) = parent.child_by_field_name("condition") {
                    match field {
                        Some("consequence") => {
                            window = window.intersect(cond_of(file, cond, true).window())
                        }
                        Some("alternative") => {
                            window = window.intersect(cond_of(file, cond, false).window())
                        }
                        _ => {}
                    }
                }
            }
            "expression_case" if field_of(parent, child) != Some("value") => {
                if let Some(value) = parent.child_by_field_name("value") {
                    let values = go::named_children(value);
                    let cond = values
                        .iter()
                        .map(|v| cond_of(file, *v, true))
                        .reduce(Cond::or)
                        .unwrap_or(Cond::Free);
                    window = window.intersect(cond.window());
                }
            }
            "block" | "statement_list" => {
                window = window.intersect(early_exits_before(file, parent, child));
            }
            _ => {}
        }
        child = parent;
    }
    window
}

/// The field name under which `child` hangs from `parent`.
fn field_of(parent: Node<'_>, child: Node<'_>) -> Option<&'static str> {
    let mut cursor = parent.walk();
    if !cursor.goto_first_child() {
        return None;
    }
    loop {
        if cursor.node() == child {
            return cursor.field_name();
        }
        if !cursor.goto_next_sibling() {
            return None;
        }
    }
}

/// `if <gate> { …; return … }` (no else) before `child` in a block: what follows
/// is reached only when the gate is false.
fn early_exits_before(file: &GoFile, block: Node<'_>, child: Node<'_>) -> Window {
    let mut window = Window::ALL;
    for stmt in go::named_children(block) {
        if stmt == child {
            break;
        }
        if let Some((cond, _)) = early_exit(stmt) {
            window = window.intersect(cond_of(file, cond, false).window());
        }
    }
    window
}

/// `if cond { …; return … }` without else: its condition and body.
fn early_exit(stmt: Node<'_>) -> Option<(Node<'_>, Node<'_>)> {
    if stmt.kind() != "if_statement" || stmt.child_by_field_name("alternative").is_some() {
        return None;
    }
    let cond = stmt.child_by_field_name("condition")?;
    let body = stmt.child_by_field_name("consequence")?;
    ends_in_return(body).then_some((cond, body))
}

fn ends_in_return(block: Node<'_>) -> bool {
    let mut last = go::named_children(block).pop();
    while let Some(n) = last {
        match n.kind() {
            "return_statement" => return true,
            "statement_list" => last = go::named_children(n).pop(),
            _ => return false,
        }
    }
    false
}

/// What `node` (a boolean expression) says when it is `positive`ly true or false.
fn cond_of(file: &GoFile, node: Node<'_>, positive: bool) -> Cond {
    match node.kind() {
        "parenthesized_expression" => match node.named_child(0) {
            Some(inner) => cond_of(file, inner, positive),
            None => Cond::Free,
        },
        "unary_expression"
            if node.child_by_field_name("operator").map(|o| file.text(o)) == Some("!") =>
        {
            match node.child_by_field_name("operand") {
                Some(inner) => cond_of(file, inner, !positive),
                None => Cond::Free,
            }
        }
        "binary_expression" => {
            let op = node.child_by_field_name("operator").map(|o| file.text(o));
            let (Some(l), Some(r)) = (
                node.child_by_field_name("left"),
                node.child_by_field_name("right"),
            ) else {
                return Cond::Free;
            };
            let (a, b) = (cond_of(file, l, positive), cond_of(file, r, positive));
            match (op, positive) {
                (Some("&&"), true) | (Some("||"), false) => a.and(b),
                (Some("||"), true) | (Some("&&"), false) => a.or(b),
                _ => Cond::Free,
            }
        }
        "call_expression" => comparison(file, node, positive),
        _ => Cond::Free,
    }
}

/// The requested versions for which a version comparison call is true, if
/// `call` is one.
pub fn comparison_window(file: &GoFile, call: Node<'_>) -> Option<Window> {
    match comparison(file, call, true) {
        Cond::Window(w) => Some(w),
        Cond::Free => None,
    }
}

/// `versions.F(subject, "1.NN")` or `subject.F("1.NN")` on a version subject.
fn comparison(file: &GoFile, call: Node<'_>, positive: bool) -> Cond {
    let Some((name, operand)) = go::callee(call) else {
        return Cond::Free;
    };
    let args = go::arguments(call);
    let (subject, literal) = match operand.map(|o| file.text(o)) {
        Some("versions") if args.len() == 2 => (file.text(args[0]), args[1]),
        Some(subject) if args.len() == 1 => (subject, args[0]),
        _ => return Cond::Free,
    };
    if !subject.to_lowercase().contains("version") {
        return Cond::Free;
    }
    let Some(v) = file
        .string(literal)
        .and_then(|s| s.parse::<ApiVersion>().ok())
    else {
        return Cond::Free;
    };
    let w = match (file.text(name), positive) {
        ("LessThan", true) | ("GreaterThanOrEqualTo", false) => Window::below(v),
        ("LessThan", false) | ("GreaterThanOrEqualTo", true) => Window::from(v),
        ("LessThanOrEqualTo", true) | ("GreaterThan", false) => Window::below(next(v)),
        ("LessThanOrEqualTo", false) | ("GreaterThan", true) => Window::from(next(v)),
        ("Equal", true) => Window::from(v).intersect(Window::below(next(v))),
        ("Equal", false) => Window::UNRESOLVED,
        _ => return Cond::Free,
    };
    Cond::Window(w)
}

/// A handler-level version gate: a statement at the top of a handler body,
/// `if <version comparison only> { …; return … }` without else, whose body
/// answers an error (it writes a 4xx/5xx status or returns an error value).
/// Requests at versions inside the returned window are refused by the
/// handler itself, whatever else they carry.
pub fn refusal<'t>(file: &GoFile, body: Node<'t>) -> Option<(Window, Node<'t>)> {
    let statements = go::named_children(body).into_iter().flat_map(|n| {
        if n.kind() == "statement_list" {
            go::named_children(n)
        } else {
            vec![n]
        }
    });
    for stmt in statements {
        if stmt.child_by_field_name("initializer").is_some() {
            continue;
        }
        let Some((cond, then)) = early_exit(stmt) else {
            continue;
        };
        if !only_version(file, cond) || !answers_error(file, then) {
            continue;
        }
        if let Cond::Window(w) = cond_of(file, cond, true) {
            return Some((w, stmt));
        }
    }
    None
}

/// Whether a condition is made of version comparisons alone.
fn only_version(file: &GoFile, node: Node<'_>) -> bool {
    match node.kind() {
        "parenthesized_expression" => node.named_child(0).is_some_and(|n| only_version(file, n)),
        "unary_expression" => node
            .child_by_field_name("operand")
            .is_some_and(|n| only_version(file, n)),
        "binary_expression" => {
            let op = node.child_by_field_name("operator").map(|o| file.text(o));
            matches!(op, Some("&&" | "||"))
                && node
                    .child_by_field_name("left")
                    .is_some_and(|n| only_version(file, n))
                && node
                    .child_by_field_name("right")
                    .is_some_and(|n| only_version(file, n))
        }
        "call_expression" => comparison(file, node, true) != Cond::Free,
        _ => false,
    }
}

/// Whether a block answers an error: it writes an error status
/// (`w.WriteHeader(http.StatusNotFound)`) or returns a constructed error
/// (`errdefs.…`, `errors.…`, `fmt.Errorf(…)`); returning another call's result
/// (a legacy handler) is not a refusal.
fn answers_error(file: &GoFile, block: Node<'_>) -> bool {
    go::descendants(block).into_iter().any(|n| match n.kind() {
        "selector_expression" => {
            let text = file.text(n);
            text.starts_with("http.Status")
                && !matches!(
                    text,
                    "http.StatusOK" | "http.StatusNoContent" | "http.StatusCreated"
                )
        }
        "return_statement" => n.named_child(0).is_some_and(|list| {
            let text = file.text(list).trim();
            ["errdefs.", "errors.", "fmt.Errorf("]
                .iter()
                .any(|p| text.starts_with(p))
        }),
        _ => false,
    })
}
