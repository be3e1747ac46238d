//! Reading the expressions of one client method: HTTP method literals, path
//! templates, query keys (and the parameter or field each comes from), bodies.
//! Locals are followed to their assignment, a few levels deep; anything else
//! is kept as a named placeholder, never guessed.

use dockmatrix_core::path::HTTP_METHODS;
use dockmatrix_go::{arguments, callee, descendants, named_children, Located, Node};

use super::decls::MethodDecl;

/// How many assignments deep a local is followed.
const MAX_DEPTH: usize = 6;

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Literal text.
    Lit(String),
    /// The value of a parameter of the method (by index).
    Param(usize),
    /// Something else, named for the placeholder.
    Var(String),
}

/// What a query key comes from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Src {
    /// A parameter (by index).
    Param(usize),
    /// A field of a parameter (`options.All`).
    Field(usize, String),
}

/// A query key set by the method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    /// The key.
    pub key: String,
    /// What decides it.
    pub src: Option<Src>,
    /// Under an `if` (or a switch case, a loop).
    pub conditional: bool,
    /// Where it is set.
    pub at: Located,
}

/// The body of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyRef {
    /// A parameter (by index).
    Param(usize),
    /// A value of this type (or this expression).
    Type(String),
}

/// The expressions of one method.
pub struct Ctx<'m, 'a> {
    /// The method.
    pub m: &'m MethodDecl<'a>,
}

impl<'a> Ctx<'_, 'a> {
    fn text(&self, node: Node<'_>) -> &str {
        self.m.file.text(node)
    }

    /// Where a node is.
    pub fn at(&self, node: Node<'_>) -> Located {
        self.m.file.at(node)
    }

    /// The HTTP method a node names: `"GET"` or `http.MethodGet`.
    pub fn verb(&self, node: Node<'_>) -> Option<String> {
        let word = match node.kind() {
            "interpreted_string_literal" | "raw_string_literal" => self.m.file.string(node)?,
            "selector_expression" => {
                let operand = node.child_by_field_name("operand")?;
                if self.text(operand) != "http" {
                    return None;
                }
                let field = self.text(node.child_by_field_name("field")?);
                field.strip_prefix("Method")?.to_ascii_uppercase()
            }
            _ => return None,
        };
        HTTP_METHODS.contains(&word.as_str()).then_some(word)
    }

    /// The parameter an identifier names (not the receiver).
    fn param_of(&self, node: Node<'_>) -> Option<usize> {
        (node.kind() == "identifier")
            .then(|| self.m.param(self.text(node)))
            .flatten()
    }

    fn param_type(&self, index: usize) -> &str {
        self.m.params.get(index).map_or("", |(_, t)| t.as_str())
    }

    /// The expression assigned to a local, if it is assigned once in a way read here.
    fn assigned(&self, name: &str) -> Option<Node<'a>> {
        let body = self.m.body()?;
        for node in descendants(body) {
            let (left, right) = match node.kind() {
                "short_var_declaration" | "assignment_statement" => {
                    match (
                        node.child_by_field_name("left"),
                        node.child_by_field_name("right"),
                    ) {
                        (Some(l), Some(r)) => (l, r),
                        _ => continue,
                    }
                }
                "var_spec" => match node.child_by_field_name("value") {
                    Some(value) => (node, value),
                    None => continue,
                },
                _ => continue,
            };
            let names: Vec<Node<'a>> = if node.kind() == "var_spec" {
                let mut cursor = node.walk();
                node.children_by_field_name("name", &mut cursor).collect()
            } else {
                named_children(left)
            };
            let Some(pos) = names.iter().position(|n| self.text(*n) == name) else {
                continue;
            };
            let values = if right.kind() == "expression_list" {
                named_children(right)
            } else {
                vec![right]
            };
            return match values.len() {
                1 => values.first().copied(),
                _ => values.get(pos).copied(),
            };
        }
        None
    }

    /// A path expression as template parts.
    pub fn path(&self, node: Node<'a>, depth: usize) -> Vec<Part> {
        if depth > MAX_DEPTH {
            return vec![Part::Var(self.text(node).to_string())];
        }
        match node.kind() {
            "interpreted_string_literal" | "raw_string_literal" => {
                vec![Part::Lit(self.m.file.string(node).unwrap_or_default())]
            }
            "parenthesized_expression" => node
                .named_child(0)
                .map(|n| self.path(n, depth + 1))
                .unwrap_or_default(),
            "binary_expression" => {
                let (Some(l), Some(r)) = (
                    node.child_by_field_name("left"),
                    node.child_by_field_name("right"),
                ) else {
                    return vec![Part::Var(self.text(node).to_string())];
                };
                let mut parts = self.path(l, depth + 1);
                parts.extend(self.path(r, depth + 1));
                parts
            }
            "identifier" => {
                let name = self.text(node);
                if let Some(i) = self.m.param(name) {
                    return vec![Part::Param(i)];
                }
                match self.assigned(name) {
                    Some(value) => self.path(value, depth + 1),
                    None => vec![Part::Var(name.to_string())],
                }
            }
            "selector_expression" => {
                let operand = node.child_by_field_name("operand");
                if operand.is_some_and(|o| self.text(o) == self.m.receiver) {
                    return Vec::new();
                }
                let field = node
                    .child_by_field_name("field")
                    .map_or_else(|| self.text(node), |f| self.text(f));
                vec![Part::Var(field.to_string())]
            }
            "call_expression" => self.call_path(node, depth),
            _ => vec![Part::Var(self.text(node).to_string())],
        }
    }

    /// A path built by a call: `fmt.Sprintf`, `path.Join`, or a wrapper whose
    /// first meaningful argument is the path (`cli.getAPIPath(ctx, path, query)`).
    fn call_path(&self, node: Node<'a>, depth: usize) -> Vec<Part> {
        let args = arguments(node);
        let name = callee(node).map(|(n, _)| self.text(n)).unwrap_or_default();
        match name {
            "Sprintf" => {
                let Some(format) = args.first().and_then(|f| self.m.file.string(*f)) else {
                    return vec![Part::Var(self.text(node).to_string())];
                };
                let mut parts = Vec::new();
                let mut rest = args.iter().skip(1);
                let mut chunks = format.split('%');
                parts.push(Part::Lit(chunks.next().unwrap_or_default().to_string()));
                for chunk in chunks {
                    let mut chars = chunk.chars();
                    chars.next();
                    match rest.next() {
                        Some(arg) => parts.extend(self.path(*arg, depth + 1)),
                        None => parts.push(Part::Var("arg".into())),
                    }
                    parts.push(Part::Lit(chars.as_str().to_string()));
                }
                parts
            }
            "Join" => {
                let mut parts = Vec::new();
                for arg in &args {
                    let p = self.path(*arg, depth + 1);
                    if p.is_empty() {
                        continue;
                    }
                    parts.push(Part::Lit("/".into()));
                    parts.extend(p);
                }
                parts
            }
            _ => args
                .iter()
                .map(|a| self.path(*a, depth + 1))
                .find(|p| !self.trivial(p))
                .unwrap_or_else(|| vec![Part::Var(name.to_string())]),
        }
    }

    /// A path candidate that cannot be the path: empty, or one non-string parameter.
    fn trivial(&self, parts: &[Part]) -> bool {
        match parts {
            [] => true,
            [Part::Param(i)] => self.param_type(*i) != "string",
            [Part::Var(v)] => v == "ctx",
            _ => false,
        }
    }

    /// A `url.Values` argument: the keys set on it here, or the parameter it is.
    pub fn query(&self, node: Node<'a>) -> (Vec<Key>, Option<usize>) {
        match node.kind() {
            "identifier" => {
                if let Some(i) = self.param_of(node) {
                    return (Vec::new(), Some(i));
                }
                (self.keys_on(self.text(node)), None)
            }
            "composite_literal" => (self.literal_keys(node), None),
            _ => (Vec::new(), None),
        }
    }

    /// Is this node a `url.Values` value: a parameter of that type, or a local
    /// under the names the libraries give their query values (`query`, `v`,
    /// `values`)? Used only to find the query inside a path-building call
    /// (`cli.getAPIPath(ctx, path, query)`).
    pub fn is_values(&self, node: Node<'_>) -> bool {
        self.param_of(node)
            .is_some_and(|i| self.param_type(i).ends_with("url.Values"))
            || (node.kind() == "identifier" && ["query", "v", "values"].contains(&self.text(node)))
    }

    /// Keys of a `url.Values{"k": {…}}` literal.
    fn literal_keys(&self, node: Node<'a>) -> Vec<Key> {
        let Some(body) = node.child_by_field_name("body") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for element in named_children(body) {
            if element.kind() != "keyed_element" {
                continue;
            }
            let kids = named_children(element);
            let (Some(k), Some(v)) = (kids.first(), kids.get(1)) else {
                continue;
            };
            let key_node = if k.kind() == "literal_element" {
                k.named_child(0).unwrap_or(*k)
            } else {
                *k
            };
            if let Some(key) = self.m.file.string(key_node) {
                out.push(self.key(key, *v, element));
            }
        }
        out
    }

    /// Keys set on the local `url.Values` named `name`: `.Set`, `.Add`, `[k] =`.
    fn keys_on(&self, name: &str) -> Vec<Key> {
        let Some(body) = self.m.body() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for node in descendants(body) {
            match node.kind() {
                "call_expression" => {
                    let Some((method, Some(operand))) = callee(node) else {
                        continue;
                    };
                    if self.text(operand) != name || !["Set", "Add"].contains(&self.text(method)) {
                        continue;
                    }
                    let args = arguments(node);
                    let (Some(k), Some(v)) = (args.first(), args.get(1)) else {
                        continue;
                    };
                    if let Some(key) = self.m.file.string(*k) {
                        out.push(self.key(key, *v, node));
                    }
                }
                "assignment_statement" => {
                    let (Some(left), Some(right)) = (
                        node.child_by_field_name("left"),
                        node.child_by_field_name("right"),
                    ) else {
                        continue;
                    };
                    let Some(target) = named_children(left).into_iter().next() else {
                        continue;
                    };
                    if target.kind() != "index_expression" {
                        continue;
                    }
                    let operand = target.child_by_field_name("operand");
                    let index = target.child_by_field_name("index");
                    if operand.is_none_or(|o| self.text(o) != name) {
                        continue;
                    }
                    if let Some(key) = index.and_then(|i| self.m.file.string(i)) {
                        out.push(self.key(key, right, node));
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// A key set at `site` with `value`: its source and whether it is conditional.
    fn key(&self, key: String, value: Node<'_>, site: Node<'_>) -> Key {
        let (conditional, conditions) = self.conditions(site);
        let src = self
            .refs(value)
            .or_else(|| conditions.iter().find_map(|c| self.refs(*c)));
        Key {
            key,
            src,
            conditional,
            at: self.at(site),
        }
    }

    /// Whether a node runs only under a condition, and the `if` conditions around it.
    fn conditions<'n>(&self, node: Node<'n>) -> (bool, Vec<Node<'n>>) {
        let body_id = self.m.body().map(|b| b.id());
        let mut conditional = false;
        let mut conditions = Vec::new();
        let mut current = node;
        while let Some(parent) = current.parent() {
            if Some(parent.id()) == body_id {
                break;
            }
            match parent.kind() {
                "if_statement" => {
                    let in_condition = parent
                        .child_by_field_name("condition")
                        .is_some_and(|c| c.id() == current.id());
                    if !in_condition {
                        conditional = true;
                        conditions.extend(parent.child_by_field_name("condition"));
                    }
                }
                "expression_case" | "default_case" | "type_case" | "for_statement"
                | "communication_case" | "func_literal" => conditional = true,
                _ => {}
            }
            current = parent;
        }
        (conditional, conditions)
    }

    /// The first parameter or parameter field an expression reads.
    pub fn refs(&self, node: Node<'_>) -> Option<Src> {
        for n in descendants(node) {
            match n.kind() {
                "selector_expression" => {
                    let operand = n.child_by_field_name("operand");
                    let field = n.child_by_field_name("field");
                    if let (Some(i), Some(field)) = (operand.and_then(|o| self.param_of(o)), field)
                    {
                        return Some(Src::Field(i, self.text(field).to_string()));
                    }
                }
                "identifier" => {
                    let is_operand = n.parent().is_some_and(|p| {
                        p.kind() == "selector_expression"
                            && p.child_by_field_name("operand")
                                .is_some_and(|o| o.id() == n.id())
                    });
                    if !is_operand {
                        if let Some(i) = self.param_of(n) {
                            if self.param_type(i) != "context.Context" {
                                return Some(Src::Param(i));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// An argument passed on as a parameter or a parameter's field.
    pub fn arg_src(&self, node: Node<'_>) -> Option<Src> {
        match node.kind() {
            "identifier" => self.param_of(node).map(Src::Param),
            "selector_expression" => {
                let operand = node.child_by_field_name("operand")?;
                let i = self.param_of(operand)?;
                let field = node.child_by_field_name("field")?;
                Some(Src::Field(i, self.text(field).to_string()))
            }
            _ => None,
        }
    }

    /// A body argument.
    pub fn body(&self, node: Node<'a>, depth: usize) -> Option<BodyRef> {
        if depth > MAX_DEPTH {
            return Some(BodyRef::Type(self.text(node).to_string()));
        }
        match node.kind() {
            "nil" => None,
            "identifier" => {
                let name = self.text(node);
                if let Some(i) = self.m.param(name) {
                    return Some(BodyRef::Param(i));
                }
                match self.assigned(name) {
                    Some(value) => self.body(value, depth + 1),
                    None => Some(BodyRef::Type(name.to_string())),
                }
            }
            "composite_literal" => Some(BodyRef::Type(
                node.child_by_field_name("type")
                    .map_or_else(|| self.text(node), |t| self.text(t))
                    .to_string(),
            )),
            "unary_expression" | "parenthesized_expression" => node
                .child_by_field_name("operand")
                .or_else(|| node.named_child(0))
                .and_then(|n| self.body(n, depth + 1)),
            "call_expression" => {
                let args = arguments(node);
                args.iter()
                    .filter_map(|a| self.body(*a, depth + 1))
                    .find(|b| matches!(b, BodyRef::Param(_)))
                    .or_else(|| Some(BodyRef::Type(self.text(node).to_string())))
            }
            _ => Some(BodyRef::Type(self.text(node).to_string())),
        }
    }
}
