//! Bad manifests: exit 2, the file and line on stderr, nothing on stdout.

use crate::common;

use std::path::Path;

const GOOD: &str = "\
consumer:
  name: Test
  version: \"1\"
client:
  library: lib
  api_version: unversioned
minimum:
  docker: \"1.9\"
  api: \"1.21\"
  source: test
calls:
  - GET /info
  - GET /containers/json
";

fn check(text: &str) -> (common::Run, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.yaml");
    std::fs::write(&file, text).unwrap();
    let run = common::dockmatrix(None, &["check", &file.display().to_string()]);
    (run, file.display().to_string())
}

fn assert_error(text: &str, line: usize, needles: &[&str]) {
    let (run, file) = check(text);
    assert_eq!(run.code, 2, "stderr: {}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let at = format!("{file}:{line}: ");
    assert!(
        run.stderr.contains(&at),
        "expected {at:?} in {}",
        run.stderr
    );
    for n in needles {
        assert!(run.stderr.contains(n), "expected {n:?} in {}", run.stderr);
    }
}

#[test]
fn good_manifest_passes() {
    let (run, _) = check(GOOD);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn invalid_yaml() {
    // libyaml notices the unclosed `[` on the next line.
    assert_error(
        &GOOD.replace("  - GET /info\n", "  - [GET /info\n"),
        14,
        &["expected"],
    );
}

#[test]
fn unknown_call_suggests_the_nearest() {
    assert_error(
        &GOOD.replace("GET /containers/json", "GET /containers/jsn"),
        13,
        &[
            "unknown call GET /containers/jsn",
            "nearest: GET /containers/json",
        ],
    );
    assert_error(
        &GOOD.replace("GET /info", "FETCH /info"),
        12,
        &["not a call"],
    );
}

#[test]
fn unknown_versions() {
    assert_error(
        &GOOD.replace("api: \"1.21\"", "api: \"1.99\""),
        9,
        &["unknown API version 1.99"],
    );
    assert_error(
        &GOOD.replace("docker: \"1.9\"", "docker: \"1.99\""),
        8,
        &["unknown Docker release 1.99 in minimum.docker (nearest: 1.13, 1.13.1, 1.12)"],
    );
    assert_error(
        &GOOD.replace("api: \"1.21\"", "api: 1.21"),
        9,
        &["quote it"],
    );
}

#[test]
fn duplicate_call_in_another_spelling() {
    let text =
        format!("{GOOD}  - get /containers/(id or name)/json\n  - GET /containers/{{id}}/json\n");
    assert_error(&text, 15, &["duplicate call", "first at line 14"]);
}

#[test]
fn missing_field_and_unknown_parameter() {
    assert_error(
        &GOOD.replace("  api: \"1.21\"\n", ""),
        8,
        &["missing field `api`"],
    );
    let text = format!("{GOOD}  - call: GET /images/json\n    query: [al]\n");
    assert_error(&text, 14, &["unknown query parameter al", "nearest: all"]);
}

#[test]
fn missing_file() {
    let run = common::dockmatrix(None, &["check", "/nonexistent/m.yaml"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("/nonexistent/m.yaml"), "{}", run.stderr);
    assert!(!Path::new("/nonexistent/m.yaml").exists());
}

#[test]
fn manifests_above_the_size_limit_and_endless_files_are_refused_unread() {
    // A valid manifest padded past 8 MiB with a comment.
    let mut text = GOOD.to_string();
    text.push('#');
    text.push_str(&"x".repeat(8 * 1024 * 1024));
    text.push('\n');
    let (run, file) = check(&text);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    assert!(
        run.stderr.contains(&format!("{file}: larger than 8 MiB")),
        "{}",
        run.stderr
    );
    // Just under the limit it is read and checked.
    let mut text = GOOD.to_string();
    text.push('#');
    text.push_str(&"x".repeat(8 * 1024 * 1024 - GOOD.len() - 2));
    text.push('\n');
    assert_eq!(check(&text).0.code, 0);
    // A device that never ends is refused, not read forever.
    let run = common::dockmatrix(None, &["check", "/dev/zero"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("/dev/zero: larger than 8 MiB"),
        "{}",
        run.stderr
    );
}

#[test]
fn github_annotations_give_an_error_when_the_target_is_below_the_declared_minimum() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("m.yaml");
    std::fs::write(&file, GOOD).unwrap();
    let run = common::dockmatrix(
        None,
        &[
            "check",
            file.to_str().unwrap(),
            "--api",
            "1.20",
            "--format",
            "github",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    // Annotated at the line that declares the minimum.
    let api_line = GOOD
        .lines()
        .position(|l| l.trim_start().starts_with("api:"))
        .expect("GOOD declares minimum.api")
        + 1;
    let at = format!("::error file={},line={api_line},", file.display());
    assert!(
        run.stdout.lines().any(|l| l.starts_with(&at)
            && l.contains("below the declared minimum")
            && l.contains("API 1.20 is below the declared minimum API 1.21")),
        "{}",
        run.stdout
    );
}
