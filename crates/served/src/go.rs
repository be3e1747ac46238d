//! The Go front end, shared with the other Go readers: see `dockmatrix-go`.

pub use dockmatrix_go::{arguments, callee, descendants, named_children, parse, parser, GoFile};
