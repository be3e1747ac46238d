//! The client package's files and its `Client` methods with their parameters.

use std::collections::HashMap;
use std::path::Path;

use dockmatrix_go::{named_children, GoFile, Node};

use super::ClientsError;

/// One method declared on `Client`.
pub struct MethodDecl<'a> {
    /// Its name.
    pub name: String,
    /// The receiver's name (`cli`).
    pub receiver: String,
    /// Parameters in order: name and type as written.
    pub params: Vec<(String, String)>,
    /// The file it is in.
    pub file: &'a GoFile,
    /// The `method_declaration` node.
    pub node: Node<'a>,
}

impl<'a> MethodDecl<'a> {
    /// The body block, if it has one.
    pub fn body(&self) -> Option<Node<'a>> {
        self.node.child_by_field_name("body")
    }

    /// The index of the parameter with this name.
    pub fn param(&self, name: &str) -> Option<usize> {
        self.params.iter().position(|(n, _)| n == name)
    }
}

/// Every `Client` method of a package, by name.
pub struct Decls<'a> {
    /// The methods in file and source order.
    pub methods: Vec<MethodDecl<'a>>,
    by_name: HashMap<String, usize>,
}

impl<'a> Decls<'a> {
    /// Reads the methods declared on `Client` / `*Client`.
    pub fn read(files: &'a [GoFile]) -> Self {
        let mut methods = Vec::new();
        for file in files {
            for node in named_children(file.tree.root_node()) {
                if node.kind() == "method_declaration" {
                    methods.extend(method(file, node));
                }
            }
        }
        let by_name = methods
            .iter()
            .enumerate()
            .map(|(i, m)| (m.name.clone(), i))
            .collect();
        Self { methods, by_name }
    }

    /// The method of this name.
    pub fn get(&self, name: &str) -> Option<(usize, &MethodDecl<'a>)> {
        let i = *self.by_name.get(name)?;
        self.methods.get(i).map(|m| (i, m))
    }
}

fn method<'a>(file: &'a GoFile, node: Node<'a>) -> Option<MethodDecl<'a>> {
    let receiver = node.child_by_field_name("receiver")?;
    let recv = named_children(receiver).into_iter().next()?;
    let recv_type = file.text(recv.child_by_field_name("type")?);
    if recv_type.trim_start_matches('*') != "Client" {
        return None;
    }
    let receiver = recv
        .child_by_field_name("name")
        .map(|n| file.text(n).to_string())?;
    let name = file.text(node.child_by_field_name("name")?).to_string();
    let params = node
        .child_by_field_name("parameters")
        .map(|p| parameters(file, p))
        .unwrap_or_default();
    Some(MethodDecl {
        name,
        receiver,
        params,
        file,
        node,
    })
}

/// The parameters of a `parameter_list`: each name with its type (`a, b int`
/// gives two; an unnamed parameter gets the name `_`).
pub fn parameters(file: &GoFile, list: Node<'_>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for decl in named_children(list) {
        let Some(ty) = decl.child_by_field_name("type") else {
            continue;
        };
        let ty = if decl.kind() == "variadic_parameter_declaration" {
            format!("...{}", file.text(ty))
        } else {
            file.text(ty).to_string()
        };
        let mut cursor = decl.walk();
        let names: Vec<String> = decl
            .children_by_field_name("name", &mut cursor)
            .map(|n| file.text(n).to_string())
            .collect();
        if names.is_empty() {
            out.push(("_".to_string(), ty));
        } else {
            out.extend(names.into_iter().map(|n| (n, ty.clone())));
        }
    }
    out
}

/// Parses the non-test `.go` files directly in `dir/sub` (paths kept as
/// `sub/name.go`), sorted by name.
pub fn parse_package(dir: &Path, sub: &str) -> Result<Vec<GoFile>, ClientsError> {
    let pkg = dir.join(sub);
    let io = |source| ClientsError::Io {
        path: pkg.clone(),
        source,
    };
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&pkg).map_err(io)? {
        let path = entry.map_err(io)?.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if path.is_file() && name.ends_with(".go") && !name.ends_with("_test.go") {
            names.push(name);
        }
    }
    names.sort();
    let mut parser = dockmatrix_go::parser()?;
    let mut files = Vec::with_capacity(names.len());
    for name in names {
        let path = pkg.join(&name);
        let src = std::fs::read_to_string(&path).map_err(|source| ClientsError::Io {
            path: path.clone(),
            source,
        })?;
        let rel = format!("{sub}/{name}");
        files.push(dockmatrix_go::parse(&mut parser, &rel, src)?);
    }
    Ok(files)
}
