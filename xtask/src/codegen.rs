//! `cargo xtask codegen [--check]`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use dockmatrix_core::corpus::{Corpus, CorpusOptions};
use dockmatrix_gen::generated::{generate_all, GeneratedFile, Inputs};

/// Top-level folders of generated/ that codegen owns entirely.
const OWNED: &[&str] = &["data", "reports", "client"];

pub fn run(check: bool, specs: Option<PathBuf>, no_verify: bool) -> Result<ExitCode> {
    let repo = crate::repo_root();
    // The corpus is looked for from the checkout, wherever the command was typed.
    let specs = specs.map(std::path::absolute).transpose()?;
    std::env::set_current_dir(&repo).with_context(|| format!("entering {}", repo.display()))?;
    let corpus = Corpus::open(&CorpusOptions {
        dir: specs,
        no_verify,
    })?;
    eprintln!(
        "corpus: {} ({})",
        corpus.located.dir.display(),
        corpus.located.origin
    );
    let served = dockmatrix_served::locate_in(&repo)?;
    eprintln!("server corpus: {}", served.display());
    let mut files = generate_all(
        &corpus,
        &Inputs {
            repo: repo.clone(),
            served,
        },
    )?;
    files.extend(crate::cli_docs::generate_files()?);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let clients = dockmatrix_core::corpus::locate_clients_in(&repo)?;
    eprintln!("client corpus: {}", clients.dir.display());
    let tables = dockmatrix_gen::clients::generate(&clients.dir)?;
    let owned: Vec<&str> = OWNED
        .iter()
        .chain(crate::cli_docs::OWNED)
        .copied()
        .collect();
    let trees = [
        Tree {
            label: "generated/",
            root: repo.join("generated"),
            owned: &owned,
            files: &files,
        },
        Tree {
            label: "specs/clients/",
            root: repo.join(dockmatrix_gen::clients::TABLES_DIR),
            owned: &["go"],
            files: &tables,
        },
    ];
    if check {
        let mut stale = false;
        for tree in &trees {
            let tmp = tempfile::tempdir().context("creating a temporary folder")?;
            write_tree(tmp.path(), tree.files, tree.owned)?;
            let report = compare_trees(tmp.path(), &tree.root, tree.owned, tree.label)?;
            if report.is_empty() {
                eprintln!("{} is up to date ({} files)", tree.label, tree.files.len());
            } else {
                eprintln!(
                    "{} is stale; run `cargo xtask codegen` and commit the result:\n{report}",
                    tree.label
                );
                stale = true;
            }
        }
        Ok(if stale {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        })
    } else {
        for tree in &trees {
            write_tree(&tree.root, tree.files, tree.owned)?;
            eprintln!(
                "wrote {} files under {}",
                tree.files.len(),
                tree.root.display()
            );
        }
        Ok(ExitCode::SUCCESS)
    }
}

/// One folder codegen owns: where it is, the subfolders it owns entirely, its files.
struct Tree<'a> {
    /// How reports name it.
    label: &'a str,
    /// Its place in the checkout.
    root: PathBuf,
    /// Subfolders owned entirely (stale files there are removed).
    owned: &'a [&'a str],
    /// The files, relative to `root`.
    files: &'a [GeneratedFile],
}

/// Writes the files, removing anything stale in the owned folders first.
fn write_tree(root: &Path, files: &[GeneratedFile], owned_dirs: &[&str]) -> Result<()> {
    for owned in owned_dirs {
        let dir = root.join(owned);
        let keep: BTreeSet<PathBuf> = files.iter().map(|f| root.join(&f.path)).collect();
        for existing in list_files(&dir)? {
            if !keep.contains(&existing) {
                std::fs::remove_file(&existing)
                    .with_context(|| format!("removing stale {}", existing.display()))?;
            }
        }
    }
    for f in files {
        let path = root.join(&f.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        let unchanged = std::fs::read(&path).is_ok_and(|old| old == f.contents);
        if !unchanged {
            std::fs::write(&path, &f.contents)
                .with_context(|| format!("writing {}", path.display()))?;
        }
    }
    Ok(())
}

/// Every file below `dir` (none if it does not exist), sorted.
fn list_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    if !dir.exists() {
        return Ok(out);
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).with_context(|| format!("listing {}", d.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n == "target") {
                    continue;
                }
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// A readable summary of how `actual` differs from `expected` in the owned folders.
fn compare_trees(
    expected: &Path,
    actual: &Path,
    owned_dirs: &[&str],
    label: &str,
) -> Result<String> {
    let rel = |root: &Path, files: Vec<PathBuf>| -> BTreeSet<PathBuf> {
        files
            .into_iter()
            .filter_map(|p| p.strip_prefix(root).ok().map(Path::to_path_buf))
            .collect()
    };
    let mut want = BTreeSet::new();
    let mut have = BTreeSet::new();
    for owned in owned_dirs {
        want.extend(rel(expected, list_files(&expected.join(owned))?));
        have.extend(rel(actual, list_files(&actual.join(owned))?));
    }
    let mut report = String::new();
    for missing in want.difference(&have) {
        report.push_str(&format!("  missing: {label}{}\n", missing.display()));
    }
    for extra in have.difference(&want) {
        report.push_str(&format!(
            "  not generated (stale): {label}{}\n",
            extra.display()
        ));
    }
    for both in want.intersection(&have) {
        let new = std::fs::read(expected.join(both))?;
        let old = std::fs::read(actual.join(both))?;
        if new != old {
            report.push_str(&format!(
                "  differs: {label}{}\n{}",
                both.display(),
                first_difference(&old, &new)
            ));
        }
    }
    Ok(report)
}

/// The first few changed lines of a file, as a unified diff excerpt.
fn first_difference(old: &[u8], new: &[u8]) -> String {
    let (old, new) = (String::from_utf8_lossy(old), String::from_utf8_lossy(new));
    let diff = similar::TextDiff::from_lines(old.as_ref(), new.as_ref());
    let text = diff
        .unified_diff()
        .context_radius(1)
        .header("committed", "regenerated")
        .to_string();
    let mut lines: Vec<&str> = text.lines().take(12).collect();
    if text.lines().count() > 12 {
        lines.push("…");
    }
    lines.iter().map(|l| format!("      {l}\n")).collect()
}
