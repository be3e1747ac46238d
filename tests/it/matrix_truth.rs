//! The matrix tells documentation accidents from API facts, on the real corpus:
//! gaps are bridged and recorded, markdown-era body fields are tracked with their
//! evidence, what the references cannot tell is marked inexact, experimental status
//! is kept, bodies are read by shape, and `diff`, `history` and `check` say so.

use crate::common;

use std::collections::BTreeMap;
use std::io::Write as _;
use std::sync::OnceLock;

use serde_json::{json, Value};

fn matrix() -> &'static Value {
    static MATRIX: OnceLock<Value> = OnceLock::new();
    MATRIX.get_or_init(|| {
        let run = common::dockmatrix(None, &["matrix", "--format", "json"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        serde_json::from_str(&run.stdout).expect("matrix is JSON")
    })
}

fn operations() -> &'static [Value] {
    matrix()["operations"].as_array().unwrap()
}

fn op(method: &str, path: &str) -> &'static Value {
    operations()
        .iter()
        .find(|o| o["method"] == method && o["path"] == path)
        .unwrap_or_else(|| panic!("{method} {path} is in the matrix"))
}

fn item(method: &str, path: &str, kind: &str, name: &str) -> &'static Value {
    op(method, path)[kind]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == name)
        .unwrap_or_else(|| panic!("{method} {path} {kind} {name} is in the matrix"))
}

fn spans(v: &Value, key: &str) -> Vec<(String, Option<String>)> {
    v[key]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|s| {
                    (
                        s["since"].as_str().unwrap().to_string(),
                        s["until"].as_str().map(str::to_string),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn span(since: &str, until: &str) -> (String, Option<String>) {
    (since.to_string(), Some(until.to_string()))
}

#[test]
fn no_entry_keeps_more_than_one_lifetime() {
    let mut entries = 0;
    for o in operations() {
        let mut all = vec![o];
        for kind in ["query", "request_fields", "response_fields"] {
            all.extend(o[kind].as_array().unwrap());
        }
        for e in all {
            entries += 1;
            let runs = e["present"].as_array().unwrap().len();
            assert!(
                runs <= 1,
                "{} {} {}: {runs} runs",
                o["method"],
                o["path"],
                e["name"]
            );
        }
    }
    assert!(entries > 4000, "{entries} entries checked");
}

#[test]
fn the_documentation_gaps_are_bridged_and_recorded() {
    let q = "query";
    for (method, path, kind, name, gap) in [
        (
            "GET",
            "/containers/json",
            q,
            "filters",
            span("1.13", "1.14"),
        ),
        // v1.18–v1.24 name them only in their example requests.
        (
            "GET",
            "/containers/{id}/attach/ws",
            q,
            "stdin",
            span("1.25", "1.42"),
        ),
        (
            "GET",
            "/containers/{id}/attach/ws",
            q,
            "stdout",
            span("1.25", "1.42"),
        ),
        (
            "GET",
            "/containers/{id}/attach/ws",
            q,
            "stderr",
            span("1.25", "1.42"),
        ),
        (
            "POST",
            "/containers/{id}/kill",
            q,
            "signal",
            span("1.7", "1.9"),
        ),
        (
            "POST",
            "/containers/prune",
            q,
            "filters",
            span("1.27", "1.28"),
        ),
        (
            "POST",
            "/networks/prune",
            q,
            "filters",
            span("1.27", "1.28"),
        ),
        ("POST", "/volumes/prune", q, "filters", span("1.27", "1.28")),
        (
            "DELETE",
            "/containers/{id}",
            q,
            "link",
            span("1.25", "1.27"),
        ),
        ("POST", "/build", q, "rm", span("1.6", "1.9")),
        ("POST", "/containers/create", q, "name", span("1.7", "1.8")),
    ] {
        let i = item(method, path, kind, name);
        assert_eq!(i["present"].as_array().unwrap().len(), 1, "{path} {name}");
        assert!(
            spans(i, "undocumented").contains(&gap),
            "{method} {path} {name}: {:?}",
            spans(i, "undocumented")
        );
    }
    // The attach/ws parameters are served throughout.
    let stdin = item("GET", "/containers/{id}/attach/ws", q, "stdin");
    assert_eq!(
        (stdin["since"].as_str(), stdin["removed_in"].as_str()),
        (Some("1.0"), None)
    );
    // KernelMemory of update is documented again at 1.40 and removed at 1.42.
    let km = item(
        "POST",
        "/containers/{id}/update",
        "request_fields",
        "KernelMemory",
    );
    assert!(spans(km, "undocumented").contains(&span("1.38", "1.40")));
    assert_eq!(km["removed_in"], "1.42");
}

#[test]
fn spelling_slips_go_through_errata() {
    let create = op("POST", "/containers/create");
    let names: Vec<&str> = create["request_fields"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["name"].as_str())
        .collect();
    assert!(
        !names.contains(&"HostConfig.NanoCPUs"),
        "v1.27's slip is read as NanoCpus"
    );
    let nano = item(
        "POST",
        "/containers/create",
        "request_fields",
        "HostConfig.NanoCpus",
    );
    assert!(nano.get("undocumented").is_none(), "{nano}");
    let update = item(
        "POST",
        "/containers/{id}/update",
        "request_fields",
        "NanoCpus",
    );
    assert!(update.get("undocumented").is_none(), "{update}");
    let node = item(
        "GET",
        "/nodes/{id}",
        "response_fields",
        "Description.Resources.NanoCPUs",
    );
    assert!(node.get("undocumented").is_none(), "{node}");
    let defects = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("generated/data/upstream-defects.json"),
    )
    .unwrap();
    assert!(defects.contains("/definitions/Resources/properties/NanoCPUs"));
}

#[test]
fn markdown_era_body_fields_carry_their_evidence() {
    let mut by_evidence: BTreeMap<String, usize> = BTreeMap::new();
    for o in operations() {
        for kind in ["request_fields", "response_fields"] {
            for i in o[kind].as_array().unwrap() {
                let since = i["since"].as_str().unwrap_or("1.55");
                let minor: u32 = since.split('.').nth(1).unwrap().parse().unwrap();
                if minor < 25 {
                    let e = i["evidence"].as_str().unwrap().to_string();
                    *by_evidence.entry(e).or_default() += 1;
                }
            }
        }
    }
    assert!(
        by_evidence.get("parameter list").copied().unwrap_or(0) > 100,
        "{by_evidence:?}"
    );
    assert!(
        by_evidence.get("example").copied().unwrap_or(0) > 500,
        "{by_evidence:?}"
    );
    assert!(!by_evidence.contains_key("schema"), "{by_evidence:?}");

    // RestartPolicy of update first appears on v1.23's page; v1.22 shows the body
    // by example only, so the start is inexact.
    let rp = item(
        "POST",
        "/containers/{id}/update",
        "request_fields",
        "RestartPolicy",
    );
    assert_eq!(
        (rp["since"].as_str(), rp["since_exact"].as_bool()),
        (Some("1.23"), Some(false))
    );
    assert_eq!(rp["evidence"], "example");
    assert_eq!(spans(rp, "unknown"), [span("1.22", "1.23")]);
    // A field that moved: top-level CpuShares of create went into HostConfig at
    // 1.18; the top-level one is last documented in 1.17 and gone by 1.25 (the
    // pages between show the body by example and list only the new place).
    let top = item("POST", "/containers/create", "request_fields", "CpuShares");
    assert_eq!(top["present"][0]["until"], "1.18");
    assert_eq!(
        (top["removed_in"].as_str(), top["removed_exact"].as_bool()),
        (Some("1.25"), Some(false))
    );
    let host = item(
        "POST",
        "/containers/create",
        "request_fields",
        "HostConfig.CpuShares",
    );
    assert_eq!(host["since"], "1.18");
    assert_eq!(host["evidence"], "parameter list");
    // Map keys in examples are data, written `*` as in the schemas.
    let inspect = op("GET", "/containers/{id}/json");
    let ports = inspect["response_fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == "NetworkSettings.Networks.*.IPAddress")
        .expect("map values as *");
    assert!(ports["since"].as_str().unwrap() < "1.25" || ports["since"] == "1.21");
}

#[test]
fn what_the_references_cannot_tell_is_not_printed_as_fact() {
    let auto = item(
        "POST",
        "/containers/create",
        "request_fields",
        "HostConfig.AutoRemove",
    );
    assert_eq!(auto["since"], "1.25");
    assert_eq!(auto["since_exact"], false);
    let history = common::dockmatrix(None, &["history", "POST /containers/create"]);
    assert_eq!(history.code, 0, "{}", history.stderr);
    let line = history
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("HostConfig.AutoRemove "))
        .expect("AutoRemove row");
    assert!(line.contains("≤ 1.25"), "{line}");
    let ws = common::dockmatrix(None, &["history", "GET /containers/(id)/attach/ws"]);
    assert!(
        ws.stdout.contains("undocumented 1.25–1.41"),
        "{}",
        ws.stdout
    );
}

#[test]
fn bodies_are_read_by_shape_not_by_label() {
    let container = item(
        "POST",
        "/networks/{id}/connect",
        "request_fields",
        "Container",
    );
    assert_eq!(container["since"], "1.21");
    let defects = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("generated/data/upstream-defects.json"),
    )
    .unwrap();
    let defects: Vec<Value> = serde_json::from_str(&defects).unwrap();
    let labelled: Vec<&Value> = defects
        .iter()
        .filter(|d| {
            d["message"]
                .as_str()
                .is_some_and(|m| m.contains("bodies by shape"))
        })
        .collect();
    assert!(
        labelled
            .iter()
            .any(|d| d["file"] == "v1.30.yaml"
                && d["location"].as_str().unwrap().contains("connect")),
        "{labelled:?}"
    );
    // v1.25 through v1.34 label it octet-stream.
    assert_eq!(labelled.len(), 10, "{labelled:?}");
}

#[test]
fn images_viz_and_experimental_status() {
    let viz = op("GET", "/images/viz");
    assert_eq!(viz["present"], json!([{"since": "1.0", "until": "1.7"}]));
    let plugins = op("GET", "/plugins");
    assert_eq!(spans(plugins, "experimental"), [span("1.24", "1.25")]);
    let squash = item("POST", "/build", "query", "squash");
    assert_eq!(spans(squash, "experimental"), [("1.25".to_string(), None)]);
    let history = common::dockmatrix(None, &["history", "GET /plugins"]);
    assert!(
        history.stdout.contains("experimental 1.24"),
        "{}",
        history.stdout
    );
}

#[test]
fn diff_keeps_documentation_changes_apart() {
    let run = common::dockmatrix(None, &["diff", "1.24", "1.25", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let d: Value = serde_json::from_str(&run.stdout).unwrap();
    let changed = |method: &str, path: &str| -> &Value {
        d["changed"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["method"] == method && c["path"] == path)
            .unwrap_or(&Value::Null)
    };
    let names = |v: &Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    // Format artifacts of the 1.24 → 1.25 switch are not API change.
    for (method, path, kind, name) in [
        ("HEAD", "/containers/{id}/archive", "query", "path"),
        ("GET", "/images/json", "query", "digests"),
        ("GET", "/containers/{id}/logs", "query", "details"),
        ("DELETE", "/containers/{id}", "query", "link"),
        ("POST", "/commit", "request_fields", "Mounts"),
        (
            "POST",
            "/containers/create",
            "request_fields",
            "HostConfig.AutoRemove",
        ),
    ] {
        let c = &changed(method, path)[kind];
        assert!(
            !names(&c["added"]).contains(&name.to_string()),
            "{method} {path} {name}: {c}"
        );
        assert!(
            !names(&c["removed"]).contains(&name.to_string()),
            "{method} {path} {name}: {c}"
        );
    }
    let create = &changed("POST", "/containers/create")["request_fields"];
    assert!(names(&create["first_documented"]).contains(&"HostConfig.AutoRemove".to_string()));
    assert!(names(&create["added"]).is_empty(), "{create}");
    let link = &changed("DELETE", "/containers/{id}")["query"];
    assert_eq!(names(&link["undocumented"]), ["link"]);
    // Real change stays: `squash` arrived with 1.25.
    assert!(names(&changed("POST", "/build")["query"]["added"]).contains(&"squash".to_string()));
}

fn manifest(text: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new().suffix(".yaml").tempfile().unwrap();
    f.write_all(text.as_bytes()).unwrap();
    f
}

#[test]
fn check_reports_unverified_experimental_and_declared_minimum() {
    let m = manifest(
        "consumer: {name: T, version: \"1\"}\nclient: {library: l, api_version: unversioned}\nminimum: {api: \"1.12\", docker: \"1.0\", source: test}\ncalls:\n  - call: POST /containers/{id}/update\n    body: [RestartPolicy]\n",
    );
    let path = m.path().to_str().unwrap();
    let run = common::dockmatrix(
        None,
        &["check", path, "--docker", "1.10", "--format", "json"],
    );
    assert_eq!(run.code, 0, "unverified is not a failure: {}", run.stdout);
    let r: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(r["unverified_calls"], 1);
    assert_eq!(
        r["calls"][0]["unverified"],
        json!(["POST /containers/{id}/update body RestartPolicy"])
    );
    let strict = common::dockmatrix(None, &["check", path, "--docker", "1.10", "--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.stdout);
    assert!(strict.stdout.contains("unverified"), "{}", strict.stdout);

    let plugins = manifest(
        "consumer: {name: P, version: \"1\"}\nclient: {library: l, api_version: \"1.24\"}\nminimum: {api: \"1.24\", source: test}\ncalls:\n  - GET /plugins\n",
    );
    let run = common::dockmatrix(
        None,
        &["check", plugins.path().to_str().unwrap(), "--api", "1.24"],
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.contains("experimental features"),
        "{}",
        run.stdout
    );

    let k8s =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/usage/kubernetes-1.4.yaml");
    let k8s = k8s.to_str().unwrap();
    let below = common::dockmatrix(None, &["check", k8s, "--docker", "1.8"]);
    assert_eq!(below.code, 1, "{}", below.stdout);
    assert!(
        below
            .stdout
            .contains("older than the declared minimum Docker 1.9"),
        "{}",
        below.stdout
    );
    for (asked, line) in [("v1.9.1", "1.9"), ("20.10.24", "20.10")] {
        let run = common::dockmatrix(None, &["check", k8s, "--docker", asked, "--format", "json"]);
        assert_eq!(run.code, 0, "{asked}: {}", run.stdout);
        let r: Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(r["target"]["docker"], line, "{asked}");
    }
    let api_below = common::dockmatrix(None, &["check", k8s, "--api", "1.20"]);
    assert_eq!(api_below.code, 1);
    assert!(
        api_below.stdout.contains("below the declared minimum"),
        "{}",
        api_below.stdout
    );
}
