//! Evidence level *honoured*: what the daemon does with a value the router
//! reads, where the corpus has the code that consumes it.
//!
//! A read whose value goes into a field of an options struct
//! (`Since: r.Form.Get("since")` in a `types.ContainerListOptions{…}` literal,
//! directly or through one local variable) has a *sink*: the struct's type
//! name and the field. The consumer files of the tag (role "consumer of router
//! options", e.g. `daemon/list.go`) that declare a function taking that type
//! either use the field (`config.Since`: honoured, at that line) or never
//! mention it (not honoured: the daemon ignores the value, shown at the
//! consumer's declaration). Reads without a sink, or whose type no consumer in
//! the corpus takes, stay at level *read* (effect not shown).

use serde::Serialize;
use tree_sitter::Node;

use crate::facts::Located;
use crate::go::{self, GoFile};

/// Where a read value goes: an options struct's field, and the backend method
/// the struct is handed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sink {
    /// The struct type's name without package (`ContainerListOptions`).
    pub type_name: String,
    /// The field (`Since`).
    pub field: String,
    /// The method the struct is passed to (`s.backend.Containers(config)` →
    /// `Containers`), the one consumer function that can honour it.
    pub method: String,
}

/// What the consumer code does with a sink.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Honoured {
    /// Whether the consumer uses the field.
    pub honoured: bool,
    /// `Type.Field`.
    pub field: String,
    /// The use (honoured) or the consumer function's declaration (not honoured).
    pub at: Located,
}

/// The sink of the read whose parameter name is the string literal `"name"` on
/// line `at.line` of `file`, if its value goes into a struct field.
pub fn sink(file: &GoFile, at: &Located, name: &str) -> Option<Sink> {
    let row = usize::try_from(at.line.checked_sub(1)?).ok()?;
    let literal = on_row(file.tree.root_node(), row).into_iter().find(|n| {
        n.kind() == "interpreted_string_literal" && file.string(*n).as_deref() == Some(name)
    })?;
    // The literal is an argument of the reading call (`r.Form.Get("x")`,
    // `httputils.BoolValue(r, "x")`).
    let call = literal.parent()?.parent()?;
    if call.kind() != "call_expression" {
        return None;
    }
    let value = call
        .parent()
        .filter(|p| p.kind() == "literal_element")
        .unwrap_or(call);
    if let Some(found) = keyed_field(file, value) {
        return Some(found);
    }
    // `since := r.Form.Get("since")` … `Since: since`.
    let variable = assigned_variable(file, call)?;
    let function = enclosing_function(call)?;
    go::descendants(function)
        .into_iter()
        .filter(|n| n.kind() == "identifier" && file.text(*n) == variable)
        .filter_map(|n| {
            let value = n.parent().filter(|p| p.kind() == "literal_element")?;
            keyed_field(file, value)
        })
        .next()
}

/// The nodes that start on `row`, found without visiting subtrees that do not
/// span it.
fn on_row(root: Node<'_>, row: usize) -> Vec<Node<'_>> {
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.start_position().row > row || node.end_position().row < row {
            continue;
        }
        if node.start_position().row == row {
            out.push(node);
        }
        let mut cursor = node.walk();
        stack.extend(node.children(&mut cursor));
    }
    out
}

/// `Field: <value>` inside `Type{…}` handed to a method: the type's name, the
/// field and the method.
fn keyed_field(file: &GoFile, value: Node<'_>) -> Option<Sink> {
    let keyed = value.parent().filter(|p| p.kind() == "keyed_element")?;
    if keyed.named_child(1) != Some(value) {
        return None;
    }
    let field = file.text(keyed.named_child(0)?).trim().to_string();
    let literal = keyed.parent()?.parent()?;
    if literal.kind() != "composite_literal" {
        return None;
    }
    let type_text = file.text(literal.child_by_field_name("type")?);
    Some(Sink {
        type_name: last_segment(type_text).to_string(),
        field,
        method: receiving_method(file, literal)?,
    })
}

/// The method a composite literal is passed to: as an argument directly
/// (`&T{…}` too), or through the variable it is given to.
fn receiving_method(file: &GoFile, literal: Node<'_>) -> Option<String> {
    let value = literal
        .parent()
        .filter(|p| p.kind() == "unary_expression")
        .unwrap_or(literal);
    let called = |arg: Node<'_>| -> Option<String> {
        let call = arg
            .parent()
            .filter(|p| p.kind() == "argument_list")?
            .parent()?;
        let (name, _) = go::callee(call)?;
        Some(file.text(name).to_string())
    };
    if let Some(method) = called(value) {
        return Some(method);
    }
    let variable = assigned_variable(file, value)?;
    let function = enclosing_function(value)?;
    go::descendants(function)
        .into_iter()
        .filter(|n| n.kind() == "identifier" && file.text(*n) == variable)
        .find_map(called)
}

/// The variable a call's value is given to (`x := call` or `x = call`).
fn assigned_variable<'f>(file: &'f GoFile, call: Node<'_>) -> Option<&'f str> {
    let list = call.parent().filter(|p| p.kind() == "expression_list")?;
    let statement = list
        .parent()
        .filter(|p| matches!(p.kind(), "short_var_declaration" | "assignment_statement"))?;
    let left = statement.child_by_field_name("left")?;
    let names = go::named_children(left);
    (names.len() == 1 && names[0].kind() == "identifier").then(|| file.text(names[0]))
}

fn enclosing_function(node: Node<'_>) -> Option<Node<'_>> {
    let mut n = node;
    while let Some(p) = n.parent() {
        if matches!(
            p.kind(),
            "function_declaration" | "method_declaration" | "func_literal"
        ) {
            return Some(p);
        }
        n = p;
    }
    None
}

/// `*types.ContainerListOptions` → `ContainerListOptions`.
fn last_segment(type_text: &str) -> &str {
    let bare = type_text.trim().trim_start_matches(['*', '&']);
    bare.rsplit('.').next().unwrap_or(bare)
}

/// What the consumer files make of a sink, if one of them declares the method
/// it is handed to, taking its type.
pub fn consumed(consumers: &[&GoFile], sink: &Sink) -> Option<Honoured> {
    let mut declarations = Vec::new();
    for file in consumers {
        let takes: Vec<Node<'_>> = go::named_children(file.tree.root_node())
            .into_iter()
            .filter(|d| matches!(d.kind(), "function_declaration" | "method_declaration"))
            .filter(|d| {
                d.child_by_field_name("name")
                    .is_some_and(|n| file.text(n) == sink.method)
                    && takes_type(file, *d, &sink.type_name)
            })
            .collect();
        if takes.is_empty() {
            continue;
        }
        let used = go::descendants(file.tree.root_node())
            .into_iter()
            .find(|n| {
                n.kind() == "selector_expression"
                    && n.child_by_field_name("field")
                        .is_some_and(|f| file.text(f) == sink.field)
            });
        let field = format!("{}.{}", sink.type_name, sink.field);
        if let Some(use_) = used {
            return Some(Honoured {
                honoured: true,
                field,
                at: file.at(use_),
            });
        }
        declarations.push(Honoured {
            honoured: false,
            field,
            at: file.at(takes[0]),
        });
    }
    declarations.into_iter().next()
}

/// Whether a declaration has a parameter of the type (by name, any package, pointer or not).
fn takes_type(file: &GoFile, declaration: Node<'_>, type_name: &str) -> bool {
    let Some(params) = declaration.child_by_field_name("parameters") else {
        return false;
    };
    go::named_children(params).into_iter().any(|p| {
        p.child_by_field_name("type")
            .is_some_and(|t| last_segment(file.text(t)) == type_name)
    })
}
