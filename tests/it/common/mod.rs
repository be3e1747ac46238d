//! Shared helpers of the integration tests: where the real corpus is, running
//! the `dockmatrix` binary, and a scratch copy of the corpus to break.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The real spec corpus, found as the command line finds it (`corpus::locate_in`).
pub fn corpus_dir() -> PathBuf {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    match dockmatrix_core::corpus::locate_in(repo) {
        Ok(found) => found.dir,
        Err(e) => panic!("{e}"),
    }
}

/// The served facts committed under `generated/data/served.bin` (what the
/// binary embeds), decoded.
pub fn served_index() -> dockmatrix_core::model::served::ServedIndex {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(repo.join("generated/data/served.bin")).expect("served.bin");
    dockmatrix_core::model::served_bytes::decode(&bytes).expect("served.bin decodes")
}

/// The text of line `line` (1-based) of `file` in the server corpus's `tag`.
pub fn server_corpus_line(tag: &str, file: &str, line: usize) -> String {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = dockmatrix_served::locate_in(repo).expect("server corpus");
    let text = std::fs::read_to_string(dir.join(tag).join(file))
        .unwrap_or_else(|e| panic!("{tag}/{file}: {e}"));
    text.lines().nth(line - 1).unwrap_or_default().to_string()
}

/// Every `file.go:N` cited in `texts`, as (file, line), in order.
pub fn citations<S: AsRef<str>>(texts: &[S]) -> Vec<(String, usize)> {
    texts
        .iter()
        .flat_map(|t| t.as_ref().split([' ', '(', ')', ';', ',']))
        .filter_map(|w| {
            let (file, line) = w.rsplit_once(".go:")?;
            Some((format!("{file}.go"), line.parse().ok()?))
        })
        .collect()
}

/// The seed document with the Docker API 1.24 / Kubernetes table.
pub fn seed_table() -> PathBuf {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    match dockmatrix_core::corpus::beside_checkout(repo, "DOCKMATRIX_SEEDS", "seeds") {
        Ok(found) => found.dir.join("001_3b252529e75317b2.txt"),
        Err(e) => panic!("{e}"),
    }
}

/// A committed usage manifest under `specs/usage/`, as a path argument.
pub fn manifest(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("specs/usage")
        .join(name)
        .display()
        .to_string()
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    /// Exit code (-1 when killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

/// Runs a prepared command to its end.
pub fn run(mut command: Command) -> Run {
    let out = command.output().expect("the command runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs `dockmatrix ARGS` against `specs` (the real corpus when `None`).
pub fn dockmatrix(specs: Option<&Path>, args: &[&str]) -> Run {
    let dir = specs.map_or_else(corpus_dir, Path::to_path_buf);
    let mut command = Command::new(env!("CARGO_BIN_EXE_dockmatrix"));
    command
        .arg("--specs")
        .arg(&dir)
        .args(args)
        .env_remove("DOCKMATRIX_SPECS");
    run(command)
}

/// A scratch copy of the real corpus (made at run time, never committed).
pub fn scratch_corpus() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    for entry in std::fs::read_dir(corpus_dir()).expect("corpus readable") {
        let entry = entry.expect("entry");
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.ends_with(".md") || name.ends_with(".yaml") {
            std::fs::copy(entry.path(), tmp.path().join(&*name)).expect("copy");
        }
    }
    tmp
}

/// `dockmatrix check MANIFEST TARGET… --format json`, expecting exit `code`.
pub fn check_json(manifest: &str, target: &[&str], code: i32) -> serde_json::Value {
    let mut args = vec!["check", manifest, "--format", "json"];
    args.extend_from_slice(target);
    let run = dockmatrix(None, &args);
    assert_eq!(run.code, code, "{args:?}: {}{}", run.stdout, run.stderr);
    serde_json::from_str(&run.stdout).expect("check prints JSON")
}

/// The strings of a JSON array (empty for anything else).
pub fn strings(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}
