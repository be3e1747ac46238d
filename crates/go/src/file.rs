//! One parsed Go file and reading its nodes' text, places and strings.

use tree_sitter::{Node, Parser, Tree};

use crate::{GoError, Located};

/// One parsed Go file.
pub struct GoFile {
    /// Repository path.
    pub path: String,
    /// Repository directory (the Go package).
    pub dir: String,
    /// Source text.
    pub src: String,
    /// Its syntax tree.
    pub tree: Tree,
}

/// A parser for Go.
pub fn parser() -> Result<Parser, GoError> {
    let mut parser = Parser::new();
    parser.set_language(&tree_sitter_go::LANGUAGE.into())?;
    Ok(parser)
}

/// Parses `src` as the file at repository path `path`.
pub fn parse(parser: &mut Parser, path: &str, src: String) -> Result<GoFile, GoError> {
    let tree = parser
        .parse(&src, None)
        .ok_or_else(|| GoError::Parse(path.to_string()))?;
    let dir = path.rsplit_once('/').map_or("", |(d, _)| d).to_string();
    Ok(GoFile {
        path: path.to_string(),
        dir,
        src,
        tree,
    })
}

impl GoFile {
    /// The source text of a node.
    pub fn text(&self, node: Node<'_>) -> &str {
        node.utf8_text(self.src.as_bytes()).unwrap_or_default()
    }

    /// Where a node starts.
    pub fn at(&self, node: Node<'_>) -> Located {
        Located {
            file: self.path.clone(),
            line: u32::try_from(node.start_position().row).unwrap_or(u32::MAX - 1) + 1,
        }
    }

    /// The value of a string literal node (interpreted or raw), else `None`.
    /// Parentheses are looked through without recursion, so deeply nested
    /// input cannot exhaust the stack.
    pub fn string(&self, node: Node<'_>) -> Option<String> {
        let mut node = node;
        while node.kind() == "parenthesized_expression" {
            node = node.named_child(0)?;
        }
        match node.kind() {
            "interpreted_string_literal" | "raw_string_literal" => {
                let t = self.text(node);
                Some(t.get(1..t.len().saturating_sub(1))?.to_string())
            }
            _ => None,
        }
    }
}
