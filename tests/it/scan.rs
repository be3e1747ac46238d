//! `dockmatrix scan`: the kubelet's dockertools (Kubernetes v1.3.0 and
//! v1.4.0, from the client corpus found by `corpus::locate_clients_in`) scanned
//! with the engine-api table its Godeps.json pins, compared call by call with
//! the manifests transcribed from the seed table; bad input gives warnings,
//! never a failure or a panic.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use dockmatrix_core::analysis::usage::manifest::CallEntry;
use dockmatrix_core::analysis::usage::{parse_manifest, Manifest};
use dockmatrix_core::clients::ClientTable;
use dockmatrix_core::model::OpKey;

use crate::common::{manifest, run, Run};

/// Where the seed table is wrong, with the evidence; each is reported, and a
/// difference not listed here fails the test.
///
/// (consumer version, call, side: `seed` = only the seed lists it, `scan` =
/// only the scan finds it, evidence)
const SEED_FINDINGS: &[(&str, &str, &str, &str)] = &[
    (
        "v1.3.0",
        "GET /containers/{id}/changes",
        "seed",
        "the kubelet never calls ContainerDiff (engine-api's only sender of /changes): kube_docker_client.go's kubeDockerClient methods are the whole of its engine-api use",
    ),
    (
        "v1.3.0",
        "POST /containers/{id}/kill",
        "seed",
        "the kubelet never calls ContainerKill; it stops containers with ContainerStop (kube_docker_client.go StopContainer)",
    ),
    (
        "v1.4.0",
        "GET /containers/{id}/changes",
        "seed",
        "the kubelet never calls ContainerDiff (engine-api's only sender of /changes): kube_docker_client.go's kubeDockerClient methods are the whole of its engine-api use",
    ),
    (
        "v1.4.0",
        "POST /containers/{id}/kill",
        "seed",
        "the kubelet never calls ContainerKill; it stops containers with ContainerStop (kube_docker_client.go StopContainer)",
    ),
];

/// The client corpus, found as `cargo xtask codegen` finds it.
fn clients_dir() -> PathBuf {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    match dockmatrix_core::corpus::locate_clients_in(repo) {
        Ok(found) => found.dir,
        Err(e) => panic!("{e}"),
    }
}

/// `dockmatrix scan ARGS` with the matrix built into the binary.
fn scan(args: &[&str]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dockmatrix"));
    command
        .arg("scan")
        .args(args)
        .env_remove("DOCKMATRIX_SPECS");
    run(command)
}

/// Scans a kubelet extract and parses the YAML it prints.
fn scan_kubelet(tag: &str) -> Manifest {
    let dir = clients_dir().join("kubernetes").join(tag);
    let out = scan(&[dir.to_str().expect("utf-8 path")]);
    assert_eq!(out.code, 0, "scan {tag} failed:\n{}", out.stderr);
    parse_manifest(Path::new("scan output"), &out.stdout)
        .unwrap_or_else(|e| panic!("the scan's YAML does not read back: {e}\n{}", out.stdout))
}

/// Calls of a manifest by operation key.
fn calls(m: &Manifest) -> BTreeMap<OpKey, &CallEntry> {
    m.calls
        .iter()
        .filter_map(|c| Some((OpKey::parse(c.call())?, c)))
        .collect()
}

/// The engine-api table a kubelet tag's Godeps.json pins (read from the committed table).
fn engine_api_table(tag: &str) -> ClientTable {
    let version = match tag {
        "v1.3.0" => "v0.3.1-62-g3d72d39",
        _ => "v0.3.1-78-gdea108d",
    };
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("specs/clients/go/engine-api")
        .join(format!("{version}.json"));
    let text = std::fs::read_to_string(&path).expect("committed table");
    ClientTable::from_json(&text).expect("table parses")
}

/// Compares the scan of `tag` with the seed manifest; returns the failures.
fn compare_with_seed(tag: &str, seed_file: &str) -> Vec<String> {
    let scanned = scan_kubelet(tag);
    let seed_path = manifest(seed_file);
    let seed_text = std::fs::read_to_string(&seed_path).expect("seed manifest");
    let seed = parse_manifest(Path::new(&seed_path), &seed_text).expect("seed parses");
    let (have, want) = (calls(&scanned), calls(&seed));
    let table = engine_api_table(tag);
    let findings: BTreeSet<(&str, OpKey, &str)> = SEED_FINDINGS
        .iter()
        .filter(|f| f.0 == tag)
        .filter_map(|f| Some((f.0, OpKey::parse(f.1)?, f.2)))
        .collect();
    let mut failures = Vec::new();
    for (key, entry) in &want {
        if have.contains_key(key) {
            continue;
        }
        if findings.contains(&(tag, key.clone(), "seed")) {
            eprintln!(
                "finding ({tag}): the seed lists {} but the kubelet does not call it",
                entry.call()
            );
            continue;
        }
        let senders: Vec<String> = table
            .methods
            .iter()
            .filter(|m| {
                m.requests
                    .iter()
                    .any(|r| OpKey::new(&r.method, &r.path) == *key)
            })
            .map(|m| format!("{} ({})", m.name, m.at))
            .collect();
        failures.push(format!(
            "{tag}: the seed lists {} but the scan finds no call site; engine-api methods sending it: {}",
            entry.call(),
            if senders.is_empty() { "none".into() } else { senders.join(", ") }
        ));
    }
    for (key, entry) in &have {
        let sources = entry.sources().join(", ");
        match want.get(key) {
            None if findings.contains(&(tag, key.clone(), "scan")) => {
                eprintln!(
                    "finding ({tag}): the scan finds {} ({sources}), the seed lacks it",
                    entry.call()
                );
            }
            None => failures.push(format!(
                "{tag}: the scan finds {} at {sources} ({}), the seed does not list it",
                entry.call(),
                entry.notes().unwrap_or_default()
            )),
            Some(seed_entry) => {
                let seed_query: BTreeSet<&String> = seed_entry.query().iter().collect();
                let scan_query: BTreeSet<&String> = entry.query().iter().collect();
                if !seed_query.is_empty() && seed_query != scan_query {
                    failures.push(format!(
                        "{tag}: {} query: seed {seed_query:?}, scan {scan_query:?} (at {sources}; {})",
                        entry.call(),
                        entry.notes().unwrap_or_default()
                    ));
                }
            }
        }
        if entry.sources().is_empty() {
            failures.push(format!("{tag}: {} carries no source line", entry.call()));
        }
    }
    if scanned.client.library != seed.client.library
        || scanned.client.api_version != seed.client.api_version
    {
        failures.push(format!(
            "{tag}: client {} {} (scan) vs {} {} (seed); {}",
            scanned.client.library,
            scanned.client.api_version,
            seed.client.library,
            seed.client.api_version,
            scanned.notes.as_deref().unwrap_or_default()
        ));
    }
    if scanned.minimum.api != seed.minimum.api {
        failures.push(format!(
            "{tag}: minimum.api {} (scan, {}) vs {} (seed)",
            scanned.minimum.api,
            scanned.minimum.source.as_deref().unwrap_or_default(),
            seed.minimum.api
        ));
    }
    failures
}

#[test]
fn kubelet_1_3_scans_to_the_seed_calls() {
    let failures = compare_with_seed("v1.3.0", "kubernetes-1.3.yaml");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn kubelet_1_4_scans_to_the_seed_calls() {
    let failures = compare_with_seed("v1.4.0", "kubernetes-1.4.yaml");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn scanned_manifest_is_a_valid_manifest_for_check() {
    let dir = clients_dir().join("kubernetes/v1.4.0");
    let tmp = tempfile::tempdir().expect("tempdir");
    let out_file = tmp.path().join("k8s.yaml");
    let out = scan(&[
        dir.to_str().expect("utf-8"),
        "--out",
        out_file.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.is_empty(),
        "--out prints nothing: {}",
        out.stdout
    );
    let mut check = Command::new(env!("CARGO_BIN_EXE_dockmatrix"));
    check
        .arg("check")
        .arg(&out_file)
        .args(["--docker", "1.12"])
        .env_remove("DOCKMATRIX_SPECS");
    let checked = run(check);
    assert!(
        checked.code == 0 || checked.code == 1,
        "check refuses the scanned manifest:\n{}",
        checked.stderr
    );
    let json = scan(&[dir.to_str().expect("utf-8"), "--format", "json"]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert!(
        value["calls"][0]["sources"][0].is_string(),
        "{}",
        json.stdout
    );
}

#[test]
fn the_library_is_named_explicitly_or_found_never_guessed() {
    let dir = clients_dir().join("kubernetes/v1.4.0/pkg/kubelet/dockertools");
    let out = scan(&[dir.to_str().expect("utf-8")]);
    assert_eq!(out.code, 2, "no Godeps/go.mod there: {}", out.stdout);
    assert!(out.stderr.contains("--library"), "{}", out.stderr);
    let out = scan(&[
        dir.to_str().expect("utf-8"),
        "--library",
        "engine-api@dea108d",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("POST /containers/{id}/resize"),
        "{}",
        out.stdout
    );
    let out = scan(&[dir.to_str().expect("utf-8"), "--library", "engine-api@v9"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("known:"), "{}", out.stderr);
}

#[test]
fn bad_files_are_skipped_with_a_warning_naming_them() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let good = r#"package main

import dockerapi "github.com/docker/engine-api/client"

func main() {
	c, _ := dockerapi.NewClient("unix:///var/run/docker.sock", "1.24", nil, nil)
	c.ContainerList(nil, types.ContainerListOptions{All: true})
}
"#;
    std::fs::write(tmp.path().join("good.go"), good).expect("write");
    std::fs::write(tmp.path().join("broken.go"), "package main\nfunc (( {\n").expect("write");
    std::fs::write(tmp.path().join("latin1.go"), b"package main\n// caf\xe9\n").expect("write");
    let nested = format!(
        "package main\nvar x = {}1{}\n",
        "(".repeat(5000),
        ")".repeat(5000)
    );
    std::fs::write(tmp.path().join("deep.go"), nested).expect("write");
    let out = scan(&[
        tmp.path().to_str().expect("utf-8"),
        "--library",
        "github.com/docker/engine-api@v0.3.1-78-gdea108d",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("broken.go: does not parse as Go"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("latin1.go: not UTF-8"),
        "{}",
        out.stderr
    );
    let m = parse_manifest(Path::new("out"), &out.stdout).expect("manifest");
    assert_eq!(m.client.api_version.to_string(), "pinned to 1.24");
    let list = m.calls.first().expect("one call");
    assert_eq!(list.call(), "GET /containers/json");
    assert_eq!(list.query(), ["all"]);
    assert_eq!(list.sources(), ["good.go:7"]);
}

#[test]
fn embedded_tables_are_all_the_tables() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/clients");
    let mut on_disk = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("specs/clients") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(rel) = path.strip_prefix(&root) {
                on_disk.push(rel.display().to_string());
            }
        }
    }
    on_disk.sort();
    let mut embedded: Vec<String> = dockmatrix::scan::table_ids().map(str::to_string).collect();
    embedded.sort();
    assert_eq!(
        embedded, on_disk,
        "src/scan/tables.rs must list every specs/clients file"
    );
}

#[test]
fn derived_tables_are_the_committed_ones_and_read_the_source() {
    let derived = dockmatrix_gen::clients::generate(&clients_dir()).expect("derivation");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dockmatrix_gen::clients::TABLES_DIR);
    for file in &derived {
        let committed = std::fs::read(root.join(&file.path)).unwrap_or_default();
        assert!(
            committed == file.contents,
            "specs/clients/{} is stale: run `cargo xtask codegen`",
            file.path.display()
        );
    }
    let table = engine_api_table("v1.4.0");
    let method = |name: &str| {
        table
            .method(name)
            .unwrap_or_else(|| panic!("{name} in the table"))
    };
    // client/container_resize.go: ContainerResize → cli.resize(ctx, "/containers/"+containerID,
    // options.Height, options.Width) → query.Set("h", …), query.Set("w", …), always.
    let resize = &method("ContainerResize").requests[0];
    assert_eq!(
        (resize.method.as_str(), resize.path.as_str()),
        ("POST", "/containers/{containerID}/resize")
    );
    let keys: Vec<(&str, Option<&str>, bool)> = resize
        .query
        .iter()
        .map(|k| (k.key.as_str(), k.field.as_deref(), k.conditional))
        .collect();
    assert_eq!(
        keys,
        [("h", Some("Height"), false), ("w", Some("Width"), false)]
    );
    // client/container_list.go: `if options.Limit != -1 { query.Set("limit", …) }`.
    let list = &method("ContainerList").requests[0];
    let limit = list.query.iter().find(|k| k.key == "limit").expect("limit");
    assert_eq!(
        (limit.param, limit.field.as_deref(), limit.conditional),
        (Some(1), Some("Limit"), true)
    );
    assert!(
        limit.at.starts_with("client/container_list.go:"),
        "{}",
        limit.at
    );
    // client/container_create.go: the body is the configWrapper built from three parameters.
    let create = &method("ContainerCreate").requests[0];
    assert_eq!(
        create.body.as_ref().map(|b| b.ty.as_str()),
        Some("configWrapper")
    );
    // client/container_exec.go: ContainerExecAttach is the hijacked POST /exec/{id}/start.
    let attach = &method("ContainerExecAttach").requests[0];
    assert_eq!(
        (attach.method.as_str(), attach.path.as_str()),
        ("POST", "/exec/{execID}/start")
    );
}
