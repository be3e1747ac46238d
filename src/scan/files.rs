//! The Go files of a tree, read and parsed; every file that cannot be used
//! is a warning naming it, never an error or a panic.

use std::path::{Path, PathBuf};

use dockmatrix_go::GoFile;

use super::ScanError;

/// Files larger than this are skipped (with a warning).
pub const MAX_FILE_BYTES: u64 = 50 * 1024 * 1024;

/// Folders never entered: dependencies, fixtures, version control.
const SKIPPED_DIRS: &[&str] = &["vendor", "testdata", "node_modules", "Godeps"];

/// The parsed Go files below `root` (or `root` itself when it is a file),
/// paths relative to `root`, sorted; and a warning per file skipped.
pub fn read(root: &Path) -> Result<(Vec<GoFile>, Vec<String>), ScanError> {
    let mut paths = Vec::new();
    if root.is_file() {
        paths.push(root.to_path_buf());
    } else {
        walk(root, &mut paths)?;
    }
    paths.sort();
    let mut parser = dockmatrix_go::parser()?;
    let mut files = Vec::new();
    let mut warnings = Vec::new();
    for path in paths {
        let rel = rel_name(root, &path);
        match load(&path) {
            Ok(src) => {
                let file = dockmatrix_go::parse(&mut parser, &rel, src)?;
                match first_error_line(&file) {
                    Some(line) => warnings.push(format!(
                        "{rel}: does not parse as Go (syntax error at line {line}); skipped"
                    )),
                    None => files.push(file),
                }
            }
            Err(why) => warnings.push(format!("{rel}: {why}; skipped")),
        }
    }
    Ok((files, warnings))
}

/// The path shown for a file: relative to the tree, `/`-separated.
fn rel_name(root: &Path, path: &Path) -> String {
    let rel = if root.is_file() {
        path.file_name().map(PathBuf::from).unwrap_or_default()
    } else {
        path.strip_prefix(root).unwrap_or(path).to_path_buf()
    };
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads a file as UTF-8 text, refusing large or binary ones.
fn load(path: &Path) -> Result<String, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read ({e})"))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!(
            "larger than {} MB ({} bytes)",
            MAX_FILE_BYTES / 1024 / 1024,
            meta.len()
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read ({e})"))?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "not UTF-8 (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

/// The 1-based line of the first syntax error, if any.
fn first_error_line(file: &GoFile) -> Option<usize> {
    let root = file.tree.root_node();
    if !root.has_error() {
        return None;
    }
    let mut cursor = root.walk();
    loop {
        let node = cursor.node();
        if node.is_error() || node.is_missing() {
            return Some(node.start_position().row + 1);
        }
        // Go down into the subtree holding the error, else along, else up.
        if node.has_error() && cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return Some(root.start_position().row + 1);
            }
        }
    }
}

/// Every non-test `.go` file below `dir`, skipping hidden and dependency folders.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), ScanError> {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let io = |source| ScanError::Io {
            path: d.clone(),
            source,
        };
        for entry in std::fs::read_dir(&d).map_err(io)? {
            let entry = entry.map_err(io)?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                if !name.starts_with('.')
                    && !name.starts_with('_')
                    && !SKIPPED_DIRS.contains(&name.as_str())
                {
                    stack.push(entry.path());
                }
            } else if kind.is_file() && name.ends_with(".go") && !name.ends_with("_test.go") {
                out.push(entry.path());
            }
        }
    }
    Ok(())
}
