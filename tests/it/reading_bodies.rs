//! `check` and `diff` verdicts that depend on reading composed and map-typed
//! bodies right (issue 17, points 1 and 2), on the real corpus.

use crate::common;

use serde_json::Value;

/// Writes a one-call manifest with the given body fields and returns its path.
fn manifest(dir: &tempfile::TempDir, name: &str, call: &str, body: &[&str]) -> String {
    let file = dir.path().join(format!("{name}.yaml"));
    let text = format!(
        "consumer: {{name: {name}, version: \"1\"}}\nclient: {{library: raw, api_version: unversioned}}\nminimum: {{api: \"1.24\", source: test}}\ncalls:\n  - call: {call}\n    body: [{}]\n",
        body.iter()
            .map(|f| format!("\"{f}\""))
            .collect::<Vec<_>>()
            .join(", ")
    );
    std::fs::write(&file, text).expect("manifest written");
    file.display().to_string()
}

/// Runs `check` with and without `--strict` and asserts both exit codes.
fn check_both(file: &str, target: &[&str], exit: i32) {
    for strict in [false, true] {
        let mut args = vec!["check", file];
        args.extend_from_slice(target);
        if strict {
            args.push("--strict");
        }
        let run = common::dockmatrix(None, &args);
        assert_eq!(run.code, exit, "{args:?}\n{}\n{}", run.stdout, run.stderr);
    }
}

/// `allOf: [$ref SecretSpec, {type: object, example}]`: the example member adds
/// no fields, so `Driver` (SecretSpec from 1.31) is not served at 1.30.
#[test]
fn composed_bodies_have_exactly_their_schemas_fields() {
    let dir = tempfile::tempdir().expect("tempdir");
    let driver = manifest(&dir, "secret-driver", "POST /secrets/create", &["Driver"]);
    check_both(&driver, &["--api", "1.30"], 1);
    check_both(&driver, &["--api", "1.31"], 0);
    let name = manifest(
        &dir,
        "secret-name",
        "POST /secrets/create",
        &["Name", "Data"],
    );
    check_both(&name, &["--api", "1.25"], 0);
}

/// The field added to `ServiceSpec` in 1.41 is added on services create too,
/// not "first documented (older cannot tell)".
#[test]
fn diff_adds_service_spec_fields_on_create_as_on_list() {
    let run = common::dockmatrix(None, &["diff", "1.40", "1.41", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let diff: Value = serde_json::from_str(&run.stdout).expect("JSON output");
    let changed = diff["changed"].as_array().expect("changed");
    let create = changed
        .iter()
        .find(|c| c["method"] == "POST" && c["path"] == "/services/create")
        .expect("services create changed");
    let first = &create["request_fields"]["first_documented"];
    assert!(
        first.as_array().is_none_or(Vec::is_empty),
        "first documented on services create: {first}"
    );
    let added = create["request_fields"]["added"].as_array().expect("added");
    assert!(!added.is_empty(), "{create}");
}

/// `IPAM.Config[]` is a map whose keys the documents name (v1.24's example,
/// v1.25–v1.40's description): `Subnet` and `Gateway` are served at 1.24 and by
/// Docker 19.03.
#[test]
fn named_keys_of_map_items_are_fields() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = manifest(
        &dir,
        "network",
        "POST /networks/create",
        &["Name", "IPAM.Config[].Subnet", "IPAM.Config[].Gateway"],
    );
    check_both(&file, &["--docker", "19.03"], 0);
    check_both(&file, &["--api", "1.24"], 0);
}
