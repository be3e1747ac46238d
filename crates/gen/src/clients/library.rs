//! The Go client libraries of the corpus (`engine-api/<version>/client`,
//! `moby/<version>/client`), what each is called, and deriving its table.

use std::path::{Path, PathBuf};

use dockmatrix_core::clients::{ClientTable, Method};
use serde::Deserialize;

use super::decls::{self, Decls};
use super::summary;
use super::ClientsError;

/// The tools of the corpus that are Go client libraries.
const LIBRARY_TOOLS: &[&str] = &["engine-api", "moby"];

/// One library at one version.
#[derive(Debug, Clone)]
pub struct Library {
    /// Corpus tool folder (`engine-api`, `moby`).
    pub tool: String,
    /// Version folder (`v28.5.2`, `v0.3.1-78-gdea108d`).
    pub version: String,
    /// The version folder.
    pub dir: PathBuf,
}

/// The fields of `SOURCE.toml` read here.
#[derive(Debug, Deserialize)]
struct SourceToml {
    commit: String,
}

/// Every library version folder (one with a `SOURCE.toml` and a `client/`), sorted.
pub fn find(clients_dir: &Path) -> Result<Vec<Library>, ClientsError> {
    let mut out = Vec::new();
    for tool in LIBRARY_TOOLS {
        let tool_dir = clients_dir.join(tool);
        for dir in sorted_dirs(&tool_dir)? {
            if dir.join("SOURCE.toml").is_file() && dir.join("client").is_dir() {
                let version = dir
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                out.push(Library {
                    tool: (*tool).to_string(),
                    version,
                    dir,
                });
            }
        }
    }
    Ok(out)
}

/// Reads one library's client package and derives its table.
pub fn derive(clients_dir: &Path, lib: &Library) -> Result<ClientTable, ClientsError> {
    let source_path = lib.dir.join("SOURCE.toml");
    let text = read(&source_path)?;
    let source: SourceToml = toml::from_str(&text).map_err(|e| ClientsError::Source {
        path: source_path.clone(),
        message: e.to_string(),
    })?;
    let files = decls::parse_package(&lib.dir, "client")?;
    let decls = Decls::read(&files);
    let mut methods: Vec<Method> = summary::methods(&decls);
    methods.sort_by(|a, b| a.name.cmp(&b.name));
    let (library, package) = names(lib, &files)?;
    let rel = lib
        .dir
        .strip_prefix(clients_dir)
        .unwrap_or(&lib.dir)
        .join("client");
    Ok(ClientTable {
        language: "go".into(),
        modules: vec![library.clone()],
        library,
        package,
        version: lib.version.clone(),
        commit: source.commit,
        source: rel.display().to_string(),
        methods,
    })
}

/// The library's module and package import path: `client/go.mod`'s module
/// line when there is one (moby from v29), else the package clause's
/// `// import "…"` comment, else the import path the repository used before
/// it had a go.mod (engine-api, moby up to v28: named in the corpus README).
fn names(lib: &Library, files: &[dockmatrix_go::GoFile]) -> Result<(String, String), ClientsError> {
    let go_mod = lib.dir.join("client").join("go.mod");
    if go_mod.is_file() {
        let text = read(&go_mod)?;
        if let Some(module) = text
            .lines()
            .find_map(|l| l.trim().strip_prefix("module "))
            .map(|m| m.trim().to_string())
        {
            return Ok((module.clone(), module));
        }
    }
    let comment = files.iter().find_map(|f| {
        let first = f.src.lines().find(|l| l.starts_with("package "))?;
        let quoted = first.split("// import \"").nth(1)?;
        quoted.split('"').next().map(str::to_string)
    });
    let package = comment.unwrap_or_else(|| match lib.tool.as_str() {
        "engine-api" => "github.com/docker/engine-api/client".into(),
        _ => "github.com/docker/docker/client".into(),
    });
    let library = package
        .strip_suffix("/client")
        .unwrap_or(&package)
        .to_string();
    Ok((library, package))
}

fn read(path: &Path) -> Result<String, ClientsError> {
    std::fs::read_to_string(path).map_err(|source| ClientsError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn sorted_dirs(dir: &Path) -> Result<Vec<PathBuf>, ClientsError> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let io = |source| ClientsError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.is_dir() {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}
