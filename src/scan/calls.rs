//! Call sites of the client's methods in the consumer's code, and what each
//! shows of the query keys and body fields it sends: a key the library always
//! sets is sent; a key set only when an options field (or argument) is set is
//! sent when the call site shows that field set, not sent when it shows it
//! absent or zero, and `unknown` when the options come from elsewhere.

use std::collections::BTreeSet;

use dockmatrix_core::clients::{ClientTable, Method, Request};
use dockmatrix_go::{arguments, callee, descendants, named_children, GoFile, Located, Node};

use super::scope::{Kind, Scope};
use super::symbols::Symbols;

/// One request made at one call site.
#[derive(Debug, Clone)]
pub struct Found {
    /// The library method called (`ContainerList`).
    pub method: String,
    /// HTTP method.
    pub http: String,
    /// Path template from the table.
    pub path: String,
    /// Query keys the site sends.
    pub query: BTreeSet<String>,
    /// Query keys it may send, with why the scan cannot tell.
    pub unknown: Vec<(String, String)>,
    /// Body members the site sets (Go field names of a literal argument).
    pub body: BTreeSet<String>,
    /// Where.
    pub at: Located,
}

/// Every request made through the client in `files`.
pub fn find(files: &[GoFile], symbols: &Symbols, table: &ClientTable) -> Vec<Found> {
    let mut out = Vec::new();
    for f in files {
        if !symbols.alias.contains_key(&f.path) && !symbols.client_fields.contains_key(&f.dir) {
            continue;
        }
        for func in named_children(f.tree.root_node()) {
            if !matches!(func.kind(), "function_declaration" | "method_declaration") {
                continue;
            }
            let scope = Scope::of(f, func, symbols);
            let Some(body) = func.child_by_field_name("body") else {
                continue;
            };
            for call in descendants(body) {
                if call.kind() != "call_expression" {
                    continue;
                }
                let Some((name, Some(operand))) = callee(call) else {
                    continue;
                };
                let Some(method) = table.method(f.text(name)) else {
                    continue;
                };
                if !is_client(f, operand, &scope, symbols) {
                    continue;
                }
                let site = Site {
                    f,
                    body,
                    args: arguments(call),
                };
                for request in &method.requests {
                    out.push(site.found(method, request, f.at(call)));
                }
            }
        }
    }
    out
}

/// Whether an expression is the client.
fn is_client(f: &GoFile, node: Node<'_>, scope: &Scope, symbols: &Symbols) -> bool {
    match node.kind() {
        "identifier" => scope.kind(f.text(node)) == Some(&Kind::Client),
        "selector_expression" => {
            let (Some(operand), Some(field)) = (
                node.child_by_field_name("operand"),
                node.child_by_field_name("field"),
            ) else {
                return false;
            };
            let field = f.text(field).to_string();
            let fields = symbols.client_fields.get(&f.dir);
            let typed = (operand.kind() == "identifier")
                .then(|| scope.kind(f.text(operand)))
                .flatten();
            match typed {
                Some(Kind::Named(owner)) => {
                    fields.is_some_and(|fs| fs.contains(&(owner.clone(), field)))
                }
                Some(Kind::Client) => false,
                // Unknown operand type: the field counts when every struct
                // of the package declaring a field of that name declares it
                // as the client.
                None => symbols
                    .field_owners
                    .get(&f.dir)
                    .and_then(|o| o.get(&field))
                    .is_some_and(|owners| {
                        !owners.is_empty()
                            && owners.iter().all(|o| {
                                fields.is_some_and(|fs| fs.contains(&(o.clone(), field.clone())))
                            })
                    }),
            }
        }
        "call_expression" => callee(node).is_some_and(|(name, operand)| {
            operand.is_none()
                && symbols
                    .client_funcs
                    .get(&f.dir)
                    .is_some_and(|fs| fs.contains(f.text(name)))
        }),
        "parenthesized_expression" => node
            .named_child(0)
            .is_some_and(|n| is_client(f, n, scope, symbols)),
        _ => false,
    }
}

/// What an argument shows of the fields it sets.
enum Shown {
    /// A literal (or a local built from one): these fields are set.
    Fields(BTreeSet<String>),
    /// Not visible here; the expression, for the reason.
    Unknown(String),
}

/// One call site: its file, the enclosing function body, the arguments.
struct Site<'f, 't> {
    f: &'f GoFile,
    body: Node<'t>,
    args: Vec<Node<'t>>,
}

impl<'t> Site<'_, 't> {
    fn found(&self, method: &Method, request: &Request, at: Located) -> Found {
        let mut query = BTreeSet::new();
        let mut unknown = Vec::new();
        for key in &request.query {
            if !key.conditional {
                query.insert(key.key.clone());
                continue;
            }
            let Some(arg) = key.param.and_then(|p| self.args.get(p)) else {
                unknown.push((
                    key.key.clone(),
                    format!("set by the library under a condition ({})", key.at),
                ));
                continue;
            };
            match &key.field {
                Some(field) => {
                    let top = field.split('.').next().unwrap_or(field);
                    match self.shown(*arg) {
                        Shown::Fields(fields) => {
                            if fields.contains(top) {
                                query.insert(key.key.clone());
                            }
                        }
                        Shown::Unknown(expr) => unknown.push((
                            key.key.clone(),
                            format!("sent when {expr}.{field} is set; {expr} is built elsewhere"),
                        )),
                    }
                }
                None => match self.literal_truth(*arg) {
                    Some(true) => {
                        query.insert(key.key.clone());
                    }
                    Some(false) => {}
                    None => unknown.push((
                        key.key.clone(),
                        format!("sent depending on {}", self.f.text(*arg)),
                    )),
                },
            }
        }
        let body = request
            .body
            .as_ref()
            .and_then(|b| b.param)
            .and_then(|p| self.args.get(p))
            .and_then(|arg| match self.shown(*arg) {
                Shown::Fields(fields) => Some(fields),
                Shown::Unknown(_) => None,
            })
            .unwrap_or_default();
        Found {
            method: method.name.clone(),
            http: request.method.clone(),
            path: request.path.clone(),
            query,
            unknown,
            body,
            at,
        }
    }

    /// The fields an options argument sets, when the code here shows them.
    fn shown(&self, arg: Node<'t>) -> Shown {
        match arg.kind() {
            "composite_literal" => Shown::Fields(self.literal_fields(arg)),
            "unary_expression" | "parenthesized_expression" => match arg
                .child_by_field_name("operand")
                .or_else(|| arg.named_child(0))
            {
                Some(inner) => self.shown(inner),
                None => Shown::Unknown(self.f.text(arg).to_string()),
            },
            "identifier" => self.local_fields(self.f.text(arg)),
            _ => Shown::Unknown(self.f.text(arg).to_string()),
        }
    }

    /// The keyed fields of a composite literal.
    fn literal_fields(&self, lit: Node<'_>) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let Some(body) = lit.child_by_field_name("body") else {
            return out;
        };
        for element in named_children(body) {
            if element.kind() != "keyed_element" {
                continue;
            }
            if let Some(key) = named_children(element).first() {
                let key = if key.kind() == "literal_element" {
                    key.named_child(0).unwrap_or(*key)
                } else {
                    *key
                };
                out.insert(self.f.text(key).to_string());
            }
        }
        out
    }

    /// A local built from a literal in the enclosing function, with its
    /// later `x.F = …` assignments.
    fn local_fields(&self, name: &str) -> Shown {
        let mut fields: Option<BTreeSet<String>> = None;
        for node in descendants(self.body) {
            let kind = node.kind();
            if !matches!(
                kind,
                "short_var_declaration" | "assignment_statement" | "var_spec"
            ) {
                continue;
            }
            let (left, right) = if kind == "var_spec" {
                let mut cursor = node.walk();
                let names: Vec<Node<'_>> =
                    node.children_by_field_name("name", &mut cursor).collect();
                let value = node
                    .child_by_field_name("value")
                    .and_then(|v| named_children(v).into_iter().next());
                (names, value)
            } else {
                let left = node
                    .child_by_field_name("left")
                    .map(named_children)
                    .unwrap_or_default();
                let right = node
                    .child_by_field_name("right")
                    .and_then(|v| named_children(v).into_iter().next());
                (left, right)
            };
            let Some(target) = left.first() else {
                continue;
            };
            if target.kind() == "identifier" && self.f.text(*target) == name {
                match right.map(|r| (r.kind(), r)) {
                    Some(("composite_literal", lit)) => {
                        fields = Some(self.literal_fields(lit));
                    }
                    _ if kind == "var_spec" && right.is_none() => fields = Some(BTreeSet::new()),
                    _ => return Shown::Unknown(name.to_string()),
                }
            } else if target.kind() == "selector_expression" {
                let operand = target.child_by_field_name("operand");
                let field = target.child_by_field_name("field");
                if let (Some(o), Some(fl), Some(set)) = (operand, field, fields.as_mut()) {
                    if self.f.text(o) == name {
                        set.insert(self.f.text(fl).to_string());
                    }
                }
            }
        }
        fields.map_or_else(|| Shown::Unknown(name.to_string()), Shown::Fields)
    }

    /// A literal argument's truth: `true`, a non-empty string, a non-zero number.
    fn literal_truth(&self, arg: Node<'_>) -> Option<bool> {
        match arg.kind() {
            "true" => Some(true),
            "false" | "nil" => Some(false),
            "interpreted_string_literal" | "raw_string_literal" => {
                self.f.string(arg).map(|s| !s.is_empty())
            }
            // Zero in any spelling (0, 0.0, 0x0, 0_0, 0e5) has no other digit.
            "int_literal" | "float_literal" => {
                let text = self.f.text(arg).to_ascii_lowercase();
                let digits = if let Some(hex) = text.strip_prefix("0x") {
                    hex.split('p').next().unwrap_or_default()
                } else if let Some(other) = text.strip_prefix("0b").or(text.strip_prefix("0o")) {
                    other
                } else {
                    text.split('e').next().unwrap_or_default()
                };
                Some(
                    digits
                        .chars()
                        .any(|c| c.is_ascii_alphanumeric() && c != '0'),
                )
            }
            _ => None,
        }
    }
}
