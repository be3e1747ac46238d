//! Which client library, at which version, a tree uses: `--library
//! NAME@VERSION`, else the tree's `go.mod` or `vendor/modules.txt` (a
//! `require` of a known library module at a version with a table), else its
//! `Godeps/Godeps.json` (the commit a known library package is vendored at).
//! A known library at a version without a table is an error naming the
//! tables there are: never a silent nearest guess.

use std::path::Path;

use dockmatrix_core::clients::ClientTable;
use serde::Deserialize;

use super::tables::label;
use super::ScanError;

/// The table chosen and why.
#[derive(Debug, Clone)]
pub struct Chosen {
    /// The table.
    pub table: ClientTable,
    /// How it was chosen (`go.mod: github.com/docker/docker v28.5.2`, …).
    pub how: String,
}

/// Picks the table for the tree at `root`.
pub fn choose(
    root: &Path,
    explicit: Option<&str>,
    tables: Vec<ClientTable>,
) -> Result<Chosen, ScanError> {
    let known = || tables.iter().map(label).collect::<Vec<_>>().join(", ");
    if let Some(given) = explicit {
        return by_name(given, &tables)
            .map(|table| Chosen {
                table: table.clone(),
                how: format!("--library {given}"),
            })
            .ok_or_else(|| ScanError::UnknownLibrary {
                given: given.to_string(),
                known: known(),
            });
    }
    let dir = if root.is_file() {
        root.parent().unwrap_or(root)
    } else {
        root
    };
    for (file, requires) in [
        ("go.mod", read_requires(&dir.join("go.mod"))?),
        (
            "vendor/modules.txt",
            read_vendored(&dir.join("vendor/modules.txt"))?,
        ),
    ] {
        for (module, version) in requires {
            let tables_of_module: Vec<&ClientTable> = tables
                .iter()
                .filter(|t| t.modules.contains(&module))
                .collect();
            if tables_of_module.is_empty() {
                continue;
            }
            let bare = version.trim_end_matches("+incompatible");
            return match tables_of_module.iter().find(|t| t.version == bare) {
                Some(t) => Ok(Chosen {
                    table: (*t).clone(),
                    how: format!("{file}: {module} {version}"),
                }),
                None => Err(ScanError::NoLibrary(format!(
                    "{file} requires {module} {version}, which has no client table (tables: {}); pass --library NAME@VERSION to use one of them",
                    tables_of_module.iter().map(|t| label(t)).collect::<Vec<_>>().join(", ")
                ))),
            };
        }
    }
    let godeps = dir.join("Godeps").join("Godeps.json");
    if godeps.is_file() {
        for dep in read_godeps(&godeps)? {
            let Some(t) = tables.iter().find(|t| t.package == dep.import_path) else {
                continue;
            };
            return match tables
                .iter()
                .find(|t| t.package == dep.import_path && t.commit == dep.rev)
            {
                Some(t) => Ok(Chosen {
                    table: t.clone(),
                    how: format!(
                        "Godeps/Godeps.json: {} at {} ({})",
                        dep.import_path,
                        dep.rev,
                        dep.comment.as_deref().unwrap_or("no comment")
                    ),
                }),
                None => Err(ScanError::NoLibrary(format!(
                    "Godeps/Godeps.json pins {} at {}, which has no client table (for example {}); pass --library NAME@VERSION",
                    dep.import_path,
                    dep.rev,
                    label(t)
                ))),
            };
        }
    }
    Err(ScanError::NoLibrary(format!(
        "no go.mod, vendor/modules.txt or Godeps/Godeps.json in {} names a known client library; pass --library NAME@VERSION (known: {})",
        dir.display(),
        known()
    )))
}

/// The table `NAME@VERSION` names: NAME is the library (`github.com/docker/engine-api`)
/// or its last segment (`engine-api`, `docker`, `client`) or the corpus folder
/// (`moby`); VERSION is the version or a commit prefix of 7+ hex digits.
fn by_name<'t>(given: &str, tables: &'t [ClientTable]) -> Option<&'t ClientTable> {
    let (name, version) = given.rsplit_once('@')?;
    tables.iter().find(|t| {
        let last = t.library.rsplit('/').next().unwrap_or_default();
        let folder = t.source.split('/').next().unwrap_or_default();
        let name_ok = [t.library.as_str(), last, folder].contains(&name);
        let version_ok = t.version == version
            || (version.len() >= 7
                && version.chars().all(|c| c.is_ascii_hexdigit())
                && t.commit.starts_with(version))
            || t.version.ends_with(&format!("-g{version}"));
        name_ok && version_ok
    })
}

/// `require` lines of a go.mod (none if there is no file).
fn read_requires(path: &Path) -> Result<Vec<(String, String)>, ScanError> {
    let Some(text) = read_optional(path)? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    let mut in_block = false;
    for line in text.lines() {
        let line = line.split("//").next().unwrap_or_default().trim();
        if line == "require (" {
            in_block = true;
            continue;
        }
        if in_block && line == ")" {
            in_block = false;
            continue;
        }
        let spec = if in_block {
            Some(line)
        } else {
            line.strip_prefix("require ")
        };
        let mut words = spec.unwrap_or_default().split_whitespace();
        if let (Some(m), Some(v)) = (words.next(), words.next()) {
            out.push((m.to_string(), v.to_string()));
        }
    }
    Ok(out)
}

/// `# module version` lines of vendor/modules.txt.
fn read_vendored(path: &Path) -> Result<Vec<(String, String)>, ScanError> {
    let Some(text) = read_optional(path)? else {
        return Ok(Vec::new());
    };
    Ok(text
        .lines()
        .filter_map(|l| l.strip_prefix("# "))
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            Some((words.next()?.to_string(), words.next()?.to_string()))
        })
        .collect())
}

/// One dependency of a Godeps.json.
#[derive(Debug, Deserialize)]
struct Dep {
    #[serde(rename = "ImportPath")]
    import_path: String,
    #[serde(rename = "Comment")]
    comment: Option<String>,
    #[serde(rename = "Rev")]
    rev: String,
}

/// The shape of Godeps.json read here.
#[derive(Debug, Deserialize)]
struct Godeps {
    #[serde(rename = "Deps", default)]
    deps: Vec<Dep>,
}

fn read_godeps(path: &Path) -> Result<Vec<Dep>, ScanError> {
    let text = read_optional(path)?.unwrap_or_default();
    let godeps: Godeps = serde_json::from_str(&text).map_err(|e| ScanError::Godeps {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    Ok(godeps.deps)
}

fn read_optional(path: &Path) -> Result<Option<String>, ScanError> {
    if !path.is_file() {
        return Ok(None);
    }
    std::fs::read_to_string(path)
        .map(Some)
        .map_err(|source| ScanError::Io {
            path: path.to_path_buf(),
            source,
        })
}
