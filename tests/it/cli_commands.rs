//! The commands on the real corpus.

use crate::common;

use std::collections::BTreeSet;

use dockmatrix_core::path::canonical_path;
use serde_json::Value;

fn json(args: &[&str]) -> Value {
    let run = common::dockmatrix(None, args);
    assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    serde_json::from_str(&run.stdout).expect("JSON output")
}

/// `METHOD /canonical-path` of every operation line in the seed's "Docker API 1.24" table.
fn seed_operations() -> BTreeSet<String> {
    let text = std::fs::read_to_string(common::seed_table()).expect("seed table readable");
    let methods = ["GET ", "POST ", "PUT ", "DELETE ", "HEAD "];
    text.lines()
        .map(str::trim)
        .filter(|l| methods.iter().any(|m| l.starts_with(m)))
        .map(|l| {
            let l = l.split(" |").next().unwrap_or(l);
            let l = l.split(',').next().unwrap_or(l).trim();
            let (method, path) = l.split_once(' ').unwrap();
            format!("{method} {}", canonical_path(path))
        })
        .collect()
}

#[test]
fn ops_1_24_matches_the_seed_table_but_for_two_explained_operations() {
    let ops = json(&["ops", "--api", "1.24", "--format", "json"]);
    let documented: BTreeSet<String> = ops
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
        .collect();
    let seed = seed_operations();
    assert!(seed.len() > 60, "seed table parsed: {}", seed.len());
    let only_seed: Vec<&String> = seed.difference(&documented).collect();
    let only_docs: Vec<&String> = documented.difference(&seed).collect();
    assert_eq!(only_seed, ["POST /containers/{}/copy"]);
    assert_eq!(only_docs, ["POST /plugins/{}/push"]);
    // Both differences are explained by the data.
    let copy = json(&["history", "POST /containers/(id)/copy", "--format", "json"]);
    assert_eq!(copy["removed_in"], "1.24");
    let push = json(&["history", "POST /plugins/{name}/push", "--format", "json"]);
    assert_eq!(push["since"], "1.24");
}

#[test]
fn history_accepts_any_placeholder_spelling() {
    let a = common::dockmatrix(None, &["history", "GET /containers/(id or name)/json"]);
    let b = common::dockmatrix(None, &["history", "get /containers/<id>/json"]);
    assert_eq!(a.code, 0, "{}", a.stderr);
    assert_eq!(a.stdout, b.stdout);
    assert!(
        a.stdout.contains("GET /containers/{id}/json"),
        "{}",
        a.stdout
    );
    assert!(a.stdout.contains("since 1.0"), "{}", a.stdout);
}

#[test]
fn diff_1_41_to_1_42_shows_the_new_volume_update_and_stop_signal() {
    let d = json(&["diff", "1.41", "1.42", "--format", "json"]);
    let added: Vec<&str> = d["operations"]["added"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(added.contains(&"PUT /volumes/{name}"), "{added:?}");
    let stop = d["changed"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["method"] == "POST" && c["path"] == "/containers/{id}/stop")
        .expect("stop changed");
    assert_eq!(stop["query"]["added"], serde_json::json!(["signal"]));
    // Reversed arguments are refused with the order to use, never silently swapped.
    let reversed = common::dockmatrix(None, &["diff", "1.42", "1.41"]);
    assert_eq!(reversed.code, 2, "{}", reversed.stdout);
    assert!(reversed.stdout.is_empty());
    assert!(
        reversed
            .stderr
            .contains("give the older version first (diff 1.41 1.42)"),
        "{}",
        reversed.stderr
    );
}

#[test]
fn convert_emits_openapi_3_that_reparses_without_dangling_refs() {
    for api in ["1.0", "1.15", "1.24", "1.25", "1.47", "1.55"] {
        let run = common::dockmatrix(None, &["convert", "--api", api]);
        assert_eq!(run.code, 0, "{api}: {}", run.stderr);
        let doc: openapiv3::OpenAPI =
            serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{api}: {e}"));
        assert!(doc.openapi.starts_with("3.0"), "{api}: {}", doc.openapi);
        assert_eq!(doc.info.version.trim_start_matches('v'), api);
        assert!(!doc.paths.paths.is_empty());
        let dangling = dockmatrix_core::ingest::validate::dangling_refs(&doc);
        assert!(dangling.is_empty(), "{api}: {dangling:?}");
    }
}

#[test]
fn versions_lists_every_api_version_with_its_releases() {
    let v = json(&["versions", "--format", "json"]);
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 56);
    let v124 = rows.iter().find(|r| r["version"] == "1.24").unwrap();
    assert_eq!(v124["format"], "markdown");
    assert_eq!(v124["docker_releases"], serde_json::json!(["1.12"]));
    let text = common::dockmatrix(None, &["versions"]);
    assert!(text.stdout.contains("v1.25.yaml"));
}

#[test]
fn text_and_markdown_tables() {
    let text = common::dockmatrix(None, &["ops", "--api", "1.24"]);
    assert!(
        text.stdout.contains("POST") && text.stdout.contains("/containers/{id}/attach"),
        "{}",
        text.stdout
    );
    let md = common::dockmatrix(None, &["matrix", "--format", "md"]);
    assert!(
        md.stdout.starts_with("| METHOD | PATH |"),
        "{}",
        &md.stdout[..80.min(md.stdout.len())]
    );
}

#[test]
fn no_verify_picks_up_a_newer_spec_file() {
    let dir = common::scratch_corpus();
    let newest = std::fs::read_to_string(dir.path().join("v1.55.yaml")).unwrap();
    let next = newest.replacen("version: \"1.55\"", "version: \"1.56\"", 1);
    assert_ne!(newest, next, "v1.55 declares its version");
    std::fs::write(dir.path().join("v1.56.yaml"), next).unwrap();
    let verified = common::dockmatrix(Some(dir.path()), &["versions", "--format", "json"]);
    let listed: Value = serde_json::from_str(&verified.stdout).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 56, "pinned table only");
    let run = common::dockmatrix(
        Some(dir.path()),
        &["--no-verify", "ops", "--api", "1.56", "--format", "json"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let ops: Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(ops.as_array().unwrap().len() > 100);
}
