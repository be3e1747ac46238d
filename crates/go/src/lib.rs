//! dockmatrix-go: the Go front end. tree-sitter-go parsing and small helpers
//! over its nodes, shared by the server witness (`dockmatrix-served`), the
//! client-library table deriver (`dockmatrix-gen`) and `dockmatrix scan`.

#![warn(missing_docs)]

mod error;
mod file;
mod located;
mod nodes;

pub use error::GoError;
pub use file::{parse, parser, GoFile};
pub use located::Located;
pub use nodes::{arguments, callee, descendants, named_children};
/// The syntax tree types, for callers that walk nodes themselves.
pub use tree_sitter::{Node, Parser, Tree};
