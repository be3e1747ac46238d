//! Walking tree-sitter nodes: children, descendants, calls.

use tree_sitter::Node;

/// Named children of a node.
pub fn named_children(node: Node<'_>) -> Vec<Node<'_>> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor).collect()
}

/// Every node below `node` (itself included), depth first, in source order.
pub fn descendants(node: Node<'_>) -> Vec<Node<'_>> {
    let mut out = Vec::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        out.push(n);
        let mut kids = named_children(n);
        kids.reverse();
        stack.extend(kids);
    }
    out
}

/// For a call `a.b.F(...)` or `F(...)`: the callee's last name and its operand.
pub fn callee(node: Node<'_>) -> Option<(Node<'_>, Option<Node<'_>>)> {
    let function = node.child_by_field_name("function")?;
    match function.kind() {
        "selector_expression" => Some((
            function.child_by_field_name("field")?,
            function.child_by_field_name("operand"),
        )),
        "identifier" => Some((function, None)),
        _ => None,
    }
}

/// The arguments of a call.
pub fn arguments(node: Node<'_>) -> Vec<Node<'_>> {
    node.child_by_field_name("arguments")
        .map(named_children)
        .unwrap_or_default()
}
