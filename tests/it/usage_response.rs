//! Response fields in usage manifests (`response:` of a call): a field the
//! consumer reads and the target no longer returns fails `check`, one the
//! documents omit only around the target is a warning; `compare` and the GitHub
//! annotations show them. Expectations are read from the raw Swagger documents
//! by this test, not from the matrix.

use std::path::Path;

use crate::common::{self, check_json, strings};

use serde_json::Value;

/// The property names of a definition in the raw Swagger document of `api`.
fn definition_properties(api: &str, definition: &str) -> Vec<String> {
    let file = common::corpus_dir().join(format!("v{api}.yaml"));
    let text = std::fs::read_to_string(&file).unwrap();
    let doc: Value = serde_norway::from_str(&text).unwrap();
    doc["definitions"][definition]["properties"]
        .as_object()
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

fn write(dir: &Path, name: &str, calls: &str) -> String {
    let file = dir.join(name);
    std::fs::write(
        &file,
        format!(
            "consumer: {{name: reader, version: \"1\"}}\nclient: {{library: raw, api_version: unversioned}}\nminimum: {{api: \"1.24\"}}\ncalls:\n{calls}"
        ),
    )
    .unwrap();
    file.display().to_string()
}

/// `VirtualSize` of the image list: in `ImageSummary` of v1.43, gone from
/// v1.44 (what broke Portainer). Docker 24.0 (API 1.43) serves the reader,
/// 25.0 (API 1.44) does not, with and without `--strict`.
#[test]
fn a_response_field_the_target_no_longer_returns_fails() {
    assert!(definition_properties("1.43", "ImageSummary").contains(&"VirtualSize".into()));
    assert!(!definition_properties("1.44", "ImageSummary").contains(&"VirtualSize".into()));
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "images.yaml",
        "  - call: GET /images/json\n    response: [\"[].VirtualSize\", \"[].Id\"]\n",
    );
    for (target, code) in [
        (["--api", "1.43"], 0),
        (["--docker", "24.0"], 0),
        (["--api", "1.44"], 1),
        (["--docker", "25.0"], 1),
    ] {
        for strict in [false, true] {
            let mut args = target.to_vec();
            if strict {
                args.push("--strict");
            }
            let report = check_json(&file, &args, code);
            let missing = strings(&report["calls"][0]["missing"]);
            if code == 0 {
                assert!(missing.is_empty(), "{target:?}: {missing:?}");
            } else {
                assert_eq!(
                    missing,
                    ["GET /images/json response [].VirtualSize"],
                    "{target:?}"
                );
            }
        }
    }
    // The removal is a risk the consumer is exposed to, marked used.
    let report = check_json(&file, &["--api", "1.43"], 0);
    let risk = report["risks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            r["kind"] == "response field"
                && r["name"] == "[].VirtualSize"
                && r["change"] == "removed"
        })
        .expect("the VirtualSize removal is a risk");
    assert_eq!(risk["version"], "1.44");
    assert_eq!(risk["used"], true);
    let github = common::dockmatrix(
        None,
        &["check", &file, "--api", "1.44", "--format", "github"],
    );
    assert_eq!(github.code, 1);
    assert!(
        github
            .stdout
            .contains(&format!("::error file={file},line=5,"))
            && github.stdout.contains("response [].VirtualSize"),
        "{}",
        github.stdout
    );
}

/// `NetworkSettings.IPAddress` of container inspect: on the v1.24 page, absent
/// from v1.30's `NetworkConfig` (a documentation gap: the daemon returned it
/// throughout), in v1.51's `NetworkSettings`, gone from v1.52's.
#[test]
fn a_response_field_in_a_documentation_gap_is_a_warning() {
    assert!(!definition_properties("1.30", "NetworkConfig").contains(&"IPAddress".into()));
    assert!(definition_properties("1.51", "NetworkSettings").contains(&"IPAddress".into()));
    assert!(!definition_properties("1.52", "NetworkSettings").contains(&"IPAddress".into()));
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "inspect.yaml",
        "  - call: GET /containers/{id}/json\n    response: [NetworkSettings.IPAddress]\n",
    );
    let shown = "GET /containers/{id}/json response NetworkSettings.IPAddress";
    let at_24 = check_json(&file, &["--api", "1.24"], 0);
    assert!(at_24["calls"][0].get("returned_undocumented").is_none());
    let at_30 = check_json(&file, &["--api", "1.30"], 0);
    assert_eq!(
        strings(&at_30["calls"][0]["returned_undocumented"]),
        [shown]
    );
    check_json(&file, &["--api", "1.51"], 0);
    let at_52 = check_json(&file, &["--docker", "29.0"], 1);
    assert_eq!(strings(&at_52["calls"][0]["missing"]), [shown]);
    let text = common::dockmatrix(None, &["check", &file, "--api", "1.30", "--wide"]);
    assert_eq!(text.code, 0);
    assert!(
        text.stdout.contains("returned, undocumented:") && text.stdout.contains(shown),
        "{}",
        text.stdout
    );
    let github = common::dockmatrix(
        None,
        &["check", &file, "--api", "1.30", "--format", "github"],
    );
    assert!(
        github
            .stdout
            .contains(&format!("::warning file={file},line=5,")),
        "{}",
        github.stdout
    );
}

/// A response field no version documents is an error naming the file and line,
/// with the nearest names.
#[test]
fn an_unknown_response_field_is_an_error_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "typo.yaml",
        "  - GET /version\n  - call: GET /images/json\n    response: [\"[].VirtualSise\"]\n",
    );
    let run = common::dockmatrix(None, &["check", &file]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr.contains(&format!("{file}:6:"))
            && run.stderr.contains("unknown response field [].VirtualSise")
            && run.stderr.contains("[].VirtualSize"),
        "{}",
        run.stderr
    );
}

/// `compare` lists, for a call both manifests make, the response fields only one
/// of them reads.
#[test]
fn compare_shows_response_fields_read_by_one_manifest_only() {
    let dir = tempfile::tempdir().unwrap();
    let old = write(
        dir.path(),
        "old.yaml",
        "  - call: GET /images/json\n    response: [\"[].VirtualSize\", \"[].Id\"]\n",
    );
    let new = write(
        dir.path(),
        "new.yaml",
        "  - call: GET /images/json\n    query: [all]\n    response: [\"[].Size\", \"[].Id\"]\n",
    );
    let run = common::dockmatrix(None, &["compare", &old, &new, "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let c: Value = serde_json::from_str(&run.stdout).unwrap();
    let changed = &c["changed"][0];
    assert_eq!(changed["path"], "/images/json");
    assert_eq!(strings(&changed["added"]), ["?all", "response [].Size"]);
    assert_eq!(strings(&changed["removed"]), ["response [].VirtualSize"]);
    let text = common::dockmatrix(None, &["compare", &old, &new]);
    assert!(
        text.stdout.contains("drops response [].VirtualSize"),
        "{}",
        text.stdout
    );
}
