//! The matrix on the real corpus: every version ingests and the lifecycles the
//! references document come out right.

use crate::common;

use std::collections::BTreeSet;
use std::sync::OnceLock;

use serde_json::Value;

fn matrix() -> &'static Value {
    static MATRIX: OnceLock<Value> = OnceLock::new();
    MATRIX.get_or_init(|| {
        let run = common::dockmatrix(None, &["matrix", "--format", "json"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        serde_json::from_str(&run.stdout).expect("matrix is JSON")
    })
}

fn canonical(path: &str) -> String {
    dockmatrix_core::path::canonical_path(path)
}

/// The matrix entry of `METHOD /path` (any placeholder spelling).
fn op(method: &str, path: &str) -> &'static Value {
    let want = canonical(path);
    matrix()["operations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["method"] == method && canonical(o["path"].as_str().unwrap()) == want)
        .unwrap_or_else(|| panic!("{method} {path} is in the matrix"))
}

fn s(v: &Value) -> Option<&str> {
    v.as_str()
}

#[test]
fn all_56_versions_ingest() {
    let versions: Vec<&str> = matrix()["api_versions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(s)
        .collect();
    assert_eq!(versions.len(), 56);
    assert_eq!(
        (versions[0], versions[9], versions[10], versions[55]),
        ("1.0", "1.9", "1.10", "1.55")
    );
    assert_eq!(s(&matrix()["fields_tracked_from"]), Some("1.25"));
    let releases = matrix()["releases"].as_array().unwrap();
    assert_eq!(releases.len(), 72);
    assert_eq!(s(&releases[0]["docker"]), Some("0.3.3"));
    assert_eq!(s(&releases[69]["docker"]), Some("29.5"));
    assert_eq!(s(&releases[71]["docker"]), Some("29.7"));
    assert_eq!(s(&releases[71]["max_api"]), Some("1.55"));
}

#[test]
fn documented_introductions() {
    let cases = [
        ("POST", "/containers/{id}/update", "1.22"),
        ("POST", "/containers/{id}/rename", "1.17"),
        ("HEAD", "/containers/{id}/archive", "1.20"),
        ("GET", "/containers/{id}/archive", "1.20"),
        ("PUT", "/containers/{id}/archive", "1.20"),
        ("GET", "/volumes", "1.21"),
        ("POST", "/volumes/create", "1.21"),
        ("GET", "/networks", "1.21"),
        ("POST", "/networks/create", "1.21"),
        ("GET", "/swarm", "1.24"),
        ("POST", "/swarm/init", "1.24"),
        ("GET", "/nodes", "1.24"),
        ("GET", "/services", "1.24"),
        ("GET", "/tasks", "1.24"),
        ("POST", "/containers/prune", "1.25"),
        ("PUT", "/volumes/{name}", "1.42"),
    ];
    for (method, path, since) in cases {
        let o = op(method, path);
        assert_eq!(s(&o["since"]), Some(since), "{method} {path}");
        assert_eq!(o["removed_in"], Value::Null, "{method} {path} still exists");
    }
}

#[test]
fn stop_signal_parameter_since_1_42() {
    let stop = op("POST", "/containers/{id}/stop");
    assert_eq!(s(&stop["since"]), Some("1.0"));
    let query = stop["query"].as_array().unwrap();
    let signal = query
        .iter()
        .find(|q| q["name"] == "signal")
        .expect("signal parameter");
    assert_eq!(s(&signal["since"]), Some("1.42"));
    assert_eq!(signal["removed_in"], Value::Null);
    let t = query
        .iter()
        .find(|q| q["name"] == "t")
        .expect("t parameter");
    assert!(s(&t["since"]).is_some_and(|v| v != "1.42"));
}

#[test]
fn copy_was_removed_in_1_24() {
    let copy = op("POST", "/containers/{id}/copy");
    assert_eq!(s(&copy["since"]), Some("1.4"));
    assert_eq!(s(&copy["removed_in"]), Some("1.24"));
    assert_eq!(copy["present"].as_array().unwrap().len(), 1);
    // The 1.20+ pages mark it deprecated in favour of the archive endpoints.
    assert_eq!(s(&copy["deprecated_in"]), Some("1.20"));
}

#[test]
fn nested_request_fields_are_dotted() {
    let create = op("POST", "/containers/create");
    let fields: BTreeSet<&str> = create["request_fields"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| s(&f["name"]))
        .collect();
    for want in [
        "Image",
        "HostConfig",
        "HostConfig.Memory",
        "HostConfig.Binds",
    ] {
        assert!(fields.contains(want), "request field {want}");
    }
}

#[test]
fn matrix_is_deterministic_across_runs_and_thread_counts() {
    let one = common::dockmatrix(None, &["--jobs", "1", "matrix", "--format", "json"]);
    let two = common::dockmatrix(None, &["--jobs", "2", "matrix", "--format", "json"]);
    assert_eq!(one.code, 0, "{}", one.stderr);
    assert_eq!(two.code, 0, "{}", two.stderr);
    assert!(one.stdout == two.stdout, "1 vs 2 threads differ");
    let again = common::dockmatrix(None, &["--jobs", "2", "matrix", "--format", "json"]);
    assert!(again.stdout == two.stdout, "repeated runs differ");
}

#[test]
fn generated_matrix_is_the_command_output() {
    let committed =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("generated/data/matrix.json");
    let committed = std::fs::read_to_string(committed).expect("generated/data/matrix.json exists");
    let run = common::dockmatrix(None, &["matrix", "--format", "json"]);
    assert!(
        committed == run.stdout,
        "generated/data/matrix.json is stale: run cargo xtask codegen"
    );
}
