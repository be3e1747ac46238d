//! `check` and `compare` on the real corpus with the Kubernetes manifests.

use crate::common;

use common::manifest;

use std::collections::BTreeSet;
use std::path::PathBuf;

use dockmatrix_core::path::canonical_path;
use serde_json::Value;

fn run_json(args: &[&str], expected_code: i32) -> Value {
    let run = common::dockmatrix(None, args);
    assert_eq!(run.code, expected_code, "{args:?}: {}", run.stderr);
    serde_json::from_str(&run.stdout).expect("JSON output")
}

/// Canonical `METHOD /path` of every operation `ops --api V` lists (a code path
/// independent of the usage analysis).
fn ops_at(api: &str) -> BTreeSet<String> {
    run_json(&["ops", "--api", api, "--format", "json"], 0)
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            format!(
                "{} {}",
                o["method"].as_str().unwrap(),
                canonical_path(o["path"].as_str().unwrap())
            )
        })
        .collect()
}

fn calls(report: &Value) -> Vec<String> {
    report["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            format!(
                "{} {}",
                c["method"].as_str().unwrap(),
                c["path"].as_str().unwrap()
            )
        })
        .collect()
}

/// Rows of the seed table ticked in the given column (1 = Kubernetes 1.4, 2 = 1.3).
fn seed_ticked(column: usize) -> BTreeSet<String> {
    let text = std::fs::read_to_string(common::seed_table()).unwrap();
    let methods = ["GET ", "POST ", "PUT ", "DELETE ", "HEAD "];
    text.lines()
        .map(str::trim)
        .filter(|l| methods.iter().any(|m| l.starts_with(m)))
        .filter(|l| l.split('|').nth(column).is_some_and(|c| c.trim() == "√"))
        .map(|l| {
            let call = l.split('|').next().unwrap().trim();
            let (m, p) = call.split_once(' ').unwrap();
            format!("{m} {}", canonical_path(p))
        })
        .collect()
}

#[test]
fn manifests_transcribe_the_seed_table() {
    for (file, column, count) in [
        ("kubernetes-1.4.yaml", 1, 22),
        ("kubernetes-1.3.yaml", 2, 20),
    ] {
        let report = run_json(&["check", &manifest(file), "--format", "json"], 0);
        let got: BTreeSet<String> = calls(&report)
            .iter()
            .map(|c| {
                let (m, p) = c.split_once(' ').unwrap();
                format!("{m} {}", canonical_path(p))
            })
            .collect();
        assert_eq!(got.len(), count, "{file}");
        assert_eq!(got, seed_ticked(column), "{file}");
    }
}

#[test]
fn compare_1_3_to_1_4_adds_exactly_the_two_resize_calls() {
    let c = run_json(
        &[
            "compare",
            &manifest("kubernetes-1.3.yaml"),
            &manifest("kubernetes-1.4.yaml"),
            "--format",
            "json",
        ],
        0,
    );
    assert_eq!(
        c["added"],
        serde_json::json!([
            {"method": "POST", "path": "/containers/{id}/resize"},
            {"method": "POST", "path": "/exec/{id}/resize"}
        ])
    );
    assert_eq!(c["removed"], serde_json::json!([]));
}

#[test]
fn every_1_4_call_is_served_at_1_24_and_1_41() {
    for api in ["1.24", "1.41"] {
        let report = run_json(
            &[
                "check",
                &manifest("kubernetes-1.4.yaml"),
                "--api",
                api,
                "--format",
                "json",
            ],
            0,
        );
        assert_eq!(report["compatible"], true);
        let rows = report["calls"].as_array().unwrap();
        assert_eq!(rows.len(), 22);
        assert!(rows.iter().all(|c| c["supported"] == true), "{api}");
        // Cross-check with the operations the reference of that version lists.
        let listed = ops_at(api);
        for call in calls(&report) {
            let (m, p) = call.split_once(' ').unwrap();
            assert!(
                listed.contains(&format!("{m} {}", canonical_path(p))),
                "{call} at {api}"
            );
        }
    }
}

#[test]
fn api_1_15_is_incompatible_and_names_the_missing_call() {
    let path = manifest("kubernetes-1.4.yaml");
    let report = run_json(&["check", &path, "--api", "1.15", "--format", "json"], 1);
    assert_eq!(report["compatible"], false);
    let missing: Vec<String> = report["calls"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["supported"] == false)
        .map(|c| {
            format!(
                "{} {}",
                c["method"].as_str().unwrap(),
                c["path"].as_str().unwrap()
            )
        })
        .collect();
    // The 1.15 reference really lacks exec inspect, and only that of the 22 calls.
    let at_1_15 = ops_at("1.15");
    let expected: Vec<String> = calls(&report)
        .into_iter()
        .filter(|c| {
            let (m, p) = c.split_once(' ').unwrap();
            !at_1_15.contains(&format!("{m} {}", canonical_path(p)))
        })
        .collect();
    assert_eq!(missing, expected);
    assert_eq!(missing, ["GET /exec/{id}/json"]);
    let text = common::dockmatrix(None, &["check", &path, "--api", "1.15"]);
    assert_eq!(text.code, 1);
    assert!(text.stdout.contains("incompatible") && text.stdout.contains("GET /exec/{id}/json"));
}

#[test]
fn endpoint_floor_and_declared_floor_are_both_reported() {
    for file in ["kubernetes-1.3.yaml", "kubernetes-1.4.yaml"] {
        let report = run_json(&["check", &manifest(file), "--format", "json"], 0);
        assert_eq!(report["declared_floor"], "1.21");
        assert_eq!(report["endpoint_floor"], "1.16", "{file}");
        assert_eq!(
            report["target"]["api"], "1.21",
            "default target: declared floor"
        );
        // The floor is right: 1.16 lists every call, 1.15 does not.
        let wanted: BTreeSet<String> = calls(&report)
            .iter()
            .map(|c| {
                let (m, p) = c.split_once(' ').unwrap();
                format!("{m} {}", canonical_path(p))
            })
            .collect();
        assert!(wanted.is_subset(&ops_at("1.16")));
        assert!(!wanted.is_subset(&ops_at("1.15")));
        let why = report["floor_explanation"].as_str().unwrap();
        assert!(why.contains("1.16") && why.contains("1.21"), "{why}");
    }
}

#[test]
fn releases_follow_max_api_for_unversioned_requests() {
    let report = run_json(
        &[
            "check",
            &manifest("kubernetes-1.4.yaml"),
            "--format",
            "json",
        ],
        0,
    );
    let releases = report["releases"].as_array().unwrap();
    assert_eq!(releases.len(), 72);
    for r in releases {
        assert_eq!(r["request_api"], r["max_api"], "unversioned: served at max");
        let max: dockmatrix_core::ApiVersion = r["max_api"].as_str().unwrap().parse().unwrap();
        assert_eq!(
            r["serves"].as_bool().unwrap(),
            max >= dockmatrix_core::ApiVersion::new(1, 16),
            "{r}"
        );
    }
    // Docker 1.3 (max API 1.15) cannot serve it: exit 1.
    let run = common::dockmatrix(
        None,
        &["check", &manifest("kubernetes-1.4.yaml"), "--docker", "1.3"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
}

#[test]
fn pinned_requests_are_refused_below_a_release_minimum() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(manifest("kubernetes-1.4.yaml"))
        .unwrap()
        .replace("api_version: unversioned", "api_version: \"1.24\"");
    let file: PathBuf = dir.path().join("pinned.yaml");
    std::fs::write(&file, text).unwrap();
    let file = file.display().to_string();
    let report = run_json(&["check", &file, "--docker", "29.5", "--format", "json"], 1);
    assert_eq!(report["target"]["api"], Value::Null);
    let newest = report["releases"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(newest["serves"], false);
    assert!(newest["reason"]
        .as_str()
        .unwrap()
        .contains("minimum API is 1.40"));
    let report = run_json(&["check", &file, "--docker", "1.12", "--format", "json"], 0);
    assert_eq!(report["target"]["api"], "1.24");
}

/// Docker 29.6 and 29.7 serve API 1.55 (from 1.40): a consumer of the newest
/// operation is served there and not by 29.5, and a 1.24-pinned one is refused.
#[test]
fn releases_through_29_7_serve_api_1_55() {
    let dir = tempfile::tempdir().unwrap();
    let file: PathBuf = dir.path().join("attestations.yaml");
    std::fs::write(
        &file,
        "consumer: {name: attest, version: \"1\"}\nclient: {library: raw, api_version: unversioned}\nminimum: {api: \"1.40\", source: test}\ncalls:\n  - GET /images/{name}/attestations\n",
    )
    .unwrap();
    let file = file.display().to_string();
    for (docker, exit) in [("29.7", 0), ("29.7.2", 0), ("29.6", 0), ("29.5", 1)] {
        let report = run_json(
            &["check", &file, "--docker", docker, "--format", "json"],
            exit,
        );
        let expected = if exit == 0 { "1.55" } else { "1.54" };
        assert_eq!(report["target"]["api"], expected, "{docker}");
    }
    let text = std::fs::read_to_string(manifest("kubernetes-1.4.yaml"))
        .unwrap()
        .replace("api_version: unversioned", "api_version: \"1.24\"");
    std::fs::write(dir.path().join("pinned.yaml"), text).unwrap();
    let pinned = dir.path().join("pinned.yaml").display().to_string();
    run_json(
        &["check", &pinned, "--docker", "29.7", "--format", "json"],
        1,
    );
}

/// A recording of a negotiating client says so, and `check` judges it at each
/// release's own newest API (docker-py negotiated 1.41 with Docker 20.10 while
/// recorded; Docker 1.12 serves it at 1.24, Docker 29.0 at 1.52).
#[test]
fn a_negotiating_recording_is_judged_at_each_release_newest_api() {
    let file = manifest("docker-py-7.2.yaml");
    for (docker, api) in [("1.12", "1.24"), ("29.0", "1.52")] {
        let report = run_json(&["check", &file, "--docker", docker, "--format", "json"], 0);
        assert_eq!(report["request_version"], "negotiated");
        assert_eq!(report["target"]["api"], api, "{docker}");
    }
}

/// A query parameter the client sends only with its zero value (docker-py's
/// `force=0` on image tag, a parameter gone since API 1.24) does not fail the
/// call where it is gone; `check` says so apart. Sent with a value, it does.
#[test]
fn zero_valued_query_parameters_do_not_fail_a_call() {
    let dir = tempfile::tempdir().unwrap();
    let write = |key: &str| {
        let file = dir.path().join(format!("{key}.yaml"));
        std::fs::write(
            &file,
            format!("consumer: {{name: tagger, version: \"1\"}}\nclient: {{library: raw, api_version: unversioned}}\nminimum: {{api: \"1.21\", source: test}}\ncalls:\n  - call: POST /images/{{name}}/tag\n    {key}: [force]\n"),
        )
        .unwrap();
        file.display().to_string()
    };
    let zero = write("zero_query");
    let report = run_json(&["check", &zero, "--api", "1.41", "--format", "json"], 0);
    let call = &report["calls"][0];
    assert_eq!(call["supported"], true);
    assert!(
        call["zero_only"][0].as_str().unwrap().contains("force"),
        "{call}"
    );
    let text = common::dockmatrix(None, &["check", &zero, "--api", "1.41"]);
    assert!(text.stdout.contains("zero value only"), "{}", text.stdout);
    let set = write("query");
    let report = run_json(&["check", &set, "--api", "1.41", "--format", "json"], 1);
    assert_eq!(report["calls"][0]["supported"], false);
}

/// A manifest need not cite where its minimum comes from; the verdict, the
/// text and the GitHub annotations are the same, without the citation.
#[test]
fn a_minimum_without_source_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("uncited.yaml");
    std::fs::write(
        &file,
        "consumer:\n  name: uncited\n  version: \"1\"\nclient:\n  library: raw\n  api_version: \"1.24\"\nminimum:\n  api: \"1.24\"\ncalls:\n  - GET /system/df\n  - GET /info\n",
    )
    .unwrap();
    let path = file.display().to_string();
    let report = run_json(&["check", &path, "--format", "json"], 1);
    assert_eq!(report["declared_source"], Value::Null, "{report}");
    let text = common::dockmatrix(None, &["check", &path, "--api", "1.23", "--wide"]);
    assert_eq!(text.code, 1, "{}", text.stderr);
    assert!(
        text.stdout.contains(
            "API 1.23 is below the declared minimum API 1.24: uncited 1 does not support it"
        ),
        "{}",
        text.stdout
    );
    let github = common::dockmatrix(None, &["check", &path, "--format", "github"]);
    assert_eq!(github.code, 1, "{}", github.stderr);
    assert!(
        github
            .stdout
            .contains(&format!("::error file={path},line=10")),
        "{}",
        github.stdout
    );
}
