//! The types of names inside one function of the consumer: its receiver, its
//! parameters, `var` declarations and locals assigned from a constructor or a
//! function returning the client. Enough to tell `d.client.ContainerList(…)`
//! on the client from a same-named method of another type.

use std::collections::HashMap;

use dockmatrix_go::{callee, descendants, named_children, GoFile, Node};

use super::symbols::{is_client_type, Symbols};

/// What a name in a function is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// The client.
    Client,
    /// A value of a named type of the package (pointer or not).
    Named(String),
}

/// The names of one function.
#[derive(Debug, Default)]
pub struct Scope {
    names: HashMap<String, Kind>,
}

impl Scope {
    /// The scope of a function or method declaration (or a function literal).
    pub fn of(f: &GoFile, func: Node<'_>, symbols: &Symbols) -> Self {
        let alias = symbols.alias.get(&f.path).map(String::as_str);
        let funcs = symbols.client_funcs.get(&f.dir);
        let mut scope = Self::default();
        scope.add_params(f, func.child_by_field_name("receiver"), alias);
        scope.add_params(f, func.child_by_field_name("parameters"), alias);
        let Some(body) = func.child_by_field_name("body") else {
            return scope;
        };
        for node in descendants(body) {
            match node.kind() {
                "var_spec" => {
                    if let Some(ty) = node.child_by_field_name("type") {
                        let kind = kind_of(f.text(ty), alias);
                        let mut cursor = node.walk();
                        for name in node.children_by_field_name("name", &mut cursor) {
                            scope.names.insert(f.text(name).to_string(), kind.clone());
                        }
                    }
                }
                "short_var_declaration" | "assignment_statement" => {
                    let (Some(left), Some(right)) = (
                        node.child_by_field_name("left"),
                        node.child_by_field_name("right"),
                    ) else {
                        continue;
                    };
                    let Some(value) = named_children(right).into_iter().next() else {
                        continue;
                    };
                    if makes_client(f, value, alias, funcs) {
                        if let Some(first) = named_children(left).into_iter().next() {
                            scope.names.insert(f.text(first).to_string(), Kind::Client);
                        }
                    }
                }
                _ => {}
            }
        }
        scope
    }

    /// Adds the names of a parameter list (or receiver).
    fn add_params(&mut self, f: &GoFile, list: Option<Node<'_>>, alias: Option<&str>) {
        for decl in list.map(named_children).unwrap_or_default() {
            let Some(ty) = decl.child_by_field_name("type") else {
                continue;
            };
            let kind = kind_of(f.text(ty), alias);
            let mut cursor = decl.walk();
            for name in decl.children_by_field_name("name", &mut cursor) {
                self.names.insert(f.text(name).to_string(), kind.clone());
            }
        }
    }

    /// What a name is, when known.
    pub fn kind(&self, name: &str) -> Option<&Kind> {
        self.names.get(name)
    }
}

/// The kind of a declared type.
fn kind_of(type_text: &str, alias: Option<&str>) -> Kind {
    if alias.is_some_and(|a| is_client_type(type_text, a)) {
        Kind::Client
    } else {
        Kind::Named(type_text.trim_start_matches('*').to_string())
    }
}

/// Whether an expression makes a client: `alias.NewClient(…)`,
/// `alias.NewEnvClient()`, `alias.NewClientWithOpts(…)`, `alias.New(…)`, or a
/// package function whose first result is the client.
fn makes_client(
    f: &GoFile,
    value: Node<'_>,
    alias: Option<&str>,
    funcs: Option<&std::collections::BTreeSet<String>>,
) -> bool {
    if value.kind() != "call_expression" {
        return false;
    }
    match callee(value) {
        Some((name, Some(operand))) => {
            alias.is_some_and(|a| f.text(operand) == a) && f.text(name).starts_with("New")
        }
        Some((name, None)) => funcs.is_some_and(|fs| fs.contains(f.text(name))),
        None => false,
    }
}
