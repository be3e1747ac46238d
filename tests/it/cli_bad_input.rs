//! Bad corpus input: every case is a clear error on stderr naming the file,
//! exit code 2, nothing on stdout, no panic.

use crate::common;

use common::{dockmatrix, scratch_corpus};

fn assert_clean_failure(run: &common::Run, must_mention: &[&str]) {
    assert_eq!(run.code, 2, "exit code; stderr: {}", run.stderr);
    assert!(
        run.stdout.is_empty(),
        "stdout must stay empty, got: {}",
        run.stdout
    );
    assert!(!run.stderr.contains("panicked"), "panic: {}", run.stderr);
    for needle in must_mention {
        assert!(
            run.stderr.contains(needle),
            "stderr should mention {needle:?}: {}",
            run.stderr
        );
    }
}

/// Replaces one file of a scratch corpus and runs `ops --api V` with `--no-verify`
/// (so content validation, not the checksum, is what is tested).
fn broken(file: &str, contents: &[u8], api: &str) -> common::Run {
    let dir = scratch_corpus();
    std::fs::write(dir.path().join(file), contents).unwrap();
    dockmatrix(Some(dir.path()), &["--no-verify", "ops", "--api", api])
}

#[test]
fn checksum_mismatch_names_the_file() {
    let dir = scratch_corpus();
    let path = dir.path().join("v1.30.yaml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("\n# patched\n");
    std::fs::write(&path, text).unwrap();
    let run = dockmatrix(Some(dir.path()), &["ops", "--api", "1.30"]);
    assert_clean_failure(&run, &["v1.30.yaml", "checksum mismatch"]);
    // The same patched file is accepted when verification is skipped.
    let run = dockmatrix(Some(dir.path()), &["--no-verify", "ops", "--api", "1.30"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn missing_file() {
    let dir = scratch_corpus();
    std::fs::remove_file(dir.path().join("v1.12.md")).unwrap();
    let run = dockmatrix(Some(dir.path()), &["matrix", "--format", "json"]);
    assert_clean_failure(&run, &["v1.12.md"]);
}

#[test]
fn empty_file() {
    assert_clean_failure(&broken("v1.40.yaml", b"", "1.40"), &["v1.40.yaml", "empty"]);
    assert_clean_failure(&broken("v1.3.md", b"\n  \n", "1.3"), &["v1.3.md", "empty"]);
}

#[test]
fn truncated_yaml() {
    let full = std::fs::read(common::corpus_dir().join("v1.33.yaml")).unwrap();
    // Cut in the middle of a line, inside a nested mapping.
    let cut = full.len() / 3;
    let run = broken("v1.33.yaml", &full[..cut], "1.33");
    assert_clean_failure(&run, &["v1.33.yaml"]);
}

#[test]
fn malformed_yaml_reports_the_line() {
    let text =
        "swagger: \"2.0\"\ninfo:\n  title: x\n  version: \"1.26\"\npaths:\n  /x: [unclosed\n";
    let run = broken("v1.26.yaml", text.as_bytes(), "1.26");
    assert_clean_failure(&run, &["v1.26.yaml:"]);
}

#[test]
fn dangling_ref() {
    let path = common::corpus_dir().join("v1.41.yaml");
    let text = std::fs::read_to_string(path).unwrap();
    let patched = text.replacen(
        "#/definitions/ContainerConfig",
        "#/definitions/NoSuchThing",
        1,
    );
    assert_ne!(text, patched, "the real v1.41 refers to ContainerConfig");
    let run = broken("v1.41.yaml", patched.as_bytes(), "1.41");
    assert_clean_failure(&run, &["v1.41.yaml", "NoSuchThing"]);
}

#[test]
fn binary_garbage() {
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    assert_clean_failure(&broken("v1.50.yaml", &garbage, "1.50"), &["v1.50.yaml"]);
    assert_clean_failure(&broken("v1.8.md", &garbage, "1.8"), &["v1.8.md"]);
}

#[test]
fn markdown_page_without_operations() {
    let page = "# Docker Remote API v1.7\n\n## 1. Brief introduction\n\nNothing to see here.\n";
    let run = broken("v1.7.md", page.as_bytes(), "1.7");
    assert_clean_failure(&run, &["v1.7.md", "no API operations"]);
}

#[test]
fn info_version_disagrees_with_file_name() {
    let text = std::fs::read_to_string(common::corpus_dir().join("v1.44.yaml")).unwrap();
    let patched = text.replacen("version: \"1.44\"", "version: \"1.45\"", 1);
    assert_ne!(text, patched, "the real v1.44 declares its version");
    let run = broken("v1.44.yaml", patched.as_bytes(), "1.44");
    assert_clean_failure(&run, &["v1.44.yaml", "1.45"]);
}

#[test]
fn unknown_version_suggests_nearest() {
    let run = dockmatrix(None, &["ops", "--api", "1.56"]);
    assert_clean_failure(&run, &["1.56", "nearest", "1.55"]);
    let run = dockmatrix(None, &["ops", "--api", "banana"]);
    assert_clean_failure(&run, &["banana"]);
}

#[test]
fn unknown_operation_suggests_nearest() {
    let run = dockmatrix(None, &["history", "GET /containers/jsn"]);
    assert_clean_failure(&run, &["GET /containers/jsn", "GET /containers/json"]);
    let run = dockmatrix(None, &["history", "containers please"]);
    assert_clean_failure(&run, &["METHOD /path"]);
}

#[test]
fn missing_corpus_directory() {
    let run = dockmatrix(
        Some(std::path::Path::new("/nonexistent/dockmatrix-specs")),
        &["versions"],
    );
    assert_clean_failure(&run, &["/nonexistent/dockmatrix-specs"]);
}
