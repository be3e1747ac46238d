//! One tag's parsed files and the index of its functions and methods by
//! package directory and name (how handlers and helpers are found).

use std::collections::HashMap;
use std::path::Path;

use tree_sitter::Node;

use crate::go::{self, GoFile};
use crate::source::SourceToml;
use crate::ServedError;

/// A parsed file with the roles `SOURCE.toml` gives it.
pub struct TagFile {
    /// The parsed file.
    pub go: GoFile,
    /// Its roles.
    pub roles: Vec<String>,
}

/// The role of the files that consume the router's options (`daemon/list.go`).
pub const CONSUMER_ROLE: &str = "consumer of router options (what the daemon honours)";

/// Parses the tag's Go files that have the `server`, `api-version` or consumer role.
pub fn parse_files(dir: &Path, source: &SourceToml) -> Result<Vec<TagFile>, ServedError> {
    let mut parser = go::parser()?;
    let mut out = Vec::new();
    for f in &source.files {
        let wanted = f.roles.iter().any(|r| {
            r == "server"
                || r == "api-version"
                || r == CONSUMER_ROLE
                || r == crate::daemon_gates::DAEMON_GATE_ROLE
        });
        if !wanted || !f.path.ends_with(".go") {
            continue;
        }
        let path = dir.join(&f.path);
        let src = std::fs::read_to_string(&path).map_err(|source| ServedError::Io {
            path: path.clone(),
            source,
        })?;
        out.push(TagFile {
            go: go::parse(&mut parser, &f.path, src)?,
            roles: f.roles.clone(),
        });
    }
    out.sort_by(|a, b| a.go.path.cmp(&b.go.path));
    Ok(out)
}

/// A function or method declaration.
#[derive(Clone, Copy)]
pub struct Func<'a> {
    /// Its file.
    pub file: &'a GoFile,
    /// The `function_declaration` or `method_declaration` node.
    pub node: Node<'a>,
}

/// The functions of a tag, by (package directory, name).
pub struct Index<'a> {
    /// The server files (role `server`).
    pub server: Vec<&'a GoFile>,
    funcs: HashMap<&'a str, HashMap<&'a str, Vec<Func<'a>>>>,
    dirs_by_package: HashMap<&'a str, Vec<&'a str>>,
}

impl<'a> Index<'a> {
    /// Indexes the declarations of the server files.
    pub fn build(files: &'a [TagFile]) -> Self {
        let server: Vec<&GoFile> = files
            .iter()
            .filter(|f| f.roles.iter().any(|r| r == "server"))
            .map(|f| &f.go)
            .collect();
        let mut funcs: HashMap<&str, HashMap<&str, Vec<Func>>> = HashMap::new();
        let mut dirs_by_package: HashMap<&str, Vec<&str>> = HashMap::new();
        for file in &server {
            let base = file.dir.rsplit('/').next().unwrap_or(&file.dir);
            let dirs = dirs_by_package.entry(base).or_default();
            if !dirs.contains(&file.dir.as_str()) {
                dirs.push(&file.dir);
            }
            for node in go::named_children(file.tree.root_node()) {
                if !matches!(node.kind(), "function_declaration" | "method_declaration") {
                    continue;
                }
                if let Some(name) = node.child_by_field_name("name") {
                    funcs
                        .entry(file.dir.as_str())
                        .or_default()
                        .entry(file.text(name))
                        .or_default()
                        .push(Func { file, node });
                }
            }
        }
        Index {
            server,
            funcs,
            dirs_by_package,
        }
    }

    /// Declarations named `name` in directory `dir`.
    pub fn in_dir(&self, dir: &str, name: &str) -> &[Func<'a>] {
        self.funcs
            .get(dir)
            .and_then(|m| m.get(name))
            .map_or(&[], Vec::as_slice)
    }

    /// Declarations called as `qualifier.name` from `dir`: in a package whose
    /// directory ends in `qualifier` if there is one, else methods in `dir`.
    pub fn lookup(&self, dir: &str, qualifier: Option<&str>, name: &str) -> Vec<Func<'a>> {
        if let Some(q) = qualifier {
            if let Some(dirs) = self.dirs_by_package.get(q) {
                let found: Vec<Func> = dirs
                    .iter()
                    .flat_map(|d| self.in_dir(d, name).iter().copied())
                    .collect();
                if !found.is_empty() {
                    return found;
                }
            }
        }
        self.in_dir(dir, name).to_vec()
    }
}
