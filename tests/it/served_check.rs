//! `check --docker R` follows release R's own server code (the served facts
//! the binary embeds) for operations and query parameters, and shows the
//! documents beside it; `check --api V` stays with the documents. Every
//! `file:line` a verdict cites is read back from the server corpus.

use std::path::{Path, PathBuf};

use crate::common::{self, citations, server_corpus_line as corpus_line, strings};
use serde_json::Value;

fn check(manifest: &Path, target: &[&str], code: i32) -> Value {
    common::check_json(manifest.to_str().unwrap(), target, code)
}

fn write_manifest(dir: &Path, api_version: &str, calls: &str) -> PathBuf {
    let path = dir.join("m.yaml");
    std::fs::write(
        &path,
        format!(
            "consumer: {{name: lister, version: \"1\"}}\nclient: {{library: raw, api_version: \"{api_version}\"}}\nminimum: {{api: \"1.12\"}}\ncalls:\n{calls}"
        ),
    )
    .unwrap();
    path
}

#[test]
fn removals_the_daemon_never_made_are_served_by_the_code_and_refused_by_the_documents() {
    let dir = tempfile::tempdir().unwrap();
    let m = write_manifest(
        dir.path(),
        "1.40",
        "  - call: GET /images/json\n    query: [filter]\n",
    );
    // Docker 19.03's code reads `filter` at 1.40 (the documents drop it at 1.25).
    let r = check(&m, &["--docker", "19.03"], 0);
    assert_eq!(r["target"]["served_by"], "v19.03.15");
    assert_eq!(r["served_undocumented_calls"], 1);
    let notes = strings(&r["calls"][0]["served_undocumented"]);
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].contains("?filter (read at"), "{notes:?}");
    assert!(
        notes[0].contains("effect not shown; documented >= 1.12, < 1.25"),
        "{notes:?}"
    );
    let (file, n) = citations(&notes)[0].clone();
    assert!(corpus_line("v19.03.15", &file, n).contains("\"filter\""));
    // The documents alone say no at the same API version.
    let r = check(&m, &["--api", "1.40"], 1);
    assert_eq!(r["target"]["served_by"], Value::Null);
    assert!(r["target"]["witness"]
        .as_str()
        .unwrap()
        .contains("documents"));
    // Docker 29.7's code reads `filter` only below 1.25: not served at 1.40.
    let r = check(&m, &["--docker", "29.7"], 1);
    assert_eq!(r["target"]["served_by"], "docker-v29.7.2");
    let filter = strings(&r["calls"][0]["missing"]);
    assert!(
        filter[0].contains("only for requested API < 1.25"),
        "{filter:?}"
    );
    let (file, n) = citations(&filter)[0].clone();
    let gate = corpus_line("docker-v29.7.2", &file, n - 2);
    assert!(
        corpus_line("docker-v29.7.2", &file, n).contains("\"filter\"")
            && gate.contains("LessThan(version, \"1.25\")"),
        "{gate}"
    );
}

#[test]
fn values_the_router_reads_but_the_daemon_never_uses_are_not_served() {
    let dir = tempfile::tempdir().unwrap();
    let m = write_manifest(
        dir.path(),
        "1.23",
        "  - call: GET /containers/json\n    query: [since, before]\n",
    );
    // Docker 1.11 (API 1.23) reads them and daemon/list.go uses them.
    check(&m, &["--docker", "1.11"], 0);
    // From Docker 1.12 the router still reads them into the options, and
    // daemon/list.go never touches the fields: the daemon ignores them, though
    // the 1.24 document still lists them and 20.10's router still reads them.
    for (docker, tag) in [("1.12", "v1.12.6"), ("20.10", "v20.10.27")] {
        let m = write_manifest(
            dir.path(),
            "1.24",
            "  - call: GET /containers/json\n    query: [since, before]\n",
        );
        if docker == "1.12" {
            check(&m, &["--api", "1.24"], 0);
        }
        let r = check(&m, &["--docker", docker], 1);
        let missing = strings(&r["calls"][0]["missing"]);
        assert_eq!(missing.len(), 2, "{missing:?}");
        for (text, (name, field)) in missing
            .iter()
            .zip([("since", "Since"), ("before", "Before")])
        {
            assert!(
                text.contains(&format!(
                    "into ContainerListOptions.{field}, never used by its consumer"
                )),
                "{text}"
            );
            let cited = citations(std::slice::from_ref(text));
            assert_eq!(cited.len(), 2, "{text}");
            assert!(corpus_line(tag, &cited[0].0, cited[0].1).contains(&format!("\"{name}\"")));
            let consumer = corpus_line(tag, &cited[1].0, cited[1].1);
            assert!(
                consumer.contains("func (daemon *Daemon) Containers("),
                "{consumer}"
            );
            let list = std::fs::read_to_string(
                dockmatrix_served::locate_in(&PathBuf::from(env!("CARGO_MANIFEST_DIR")))
                    .unwrap()
                    .join(tag)
                    .join(&cited[1].0),
            )
            .unwrap();
            assert!(
                !list.contains(&format!(".{field}")),
                "{tag} {} uses .{field}",
                cited[1].0
            );
        }
    }
}

#[test]
fn documented_parameters_the_code_never_reads_are_not_served_with_the_handler_cited() {
    let dir = tempfile::tempdir().unwrap();
    let m = write_manifest(
        dir.path(),
        "1.41",
        "  - call: GET /images/json\n    query: [digests]\n",
    );
    check(&m, &["--api", "1.41"], 0);
    let r = check(&m, &["--docker", "20.10"], 1);
    let missing = strings(&r["calls"][0]["missing"]);
    assert!(
        missing[0].contains("?digests (not read by getImagesJSON"),
        "{missing:?}"
    );
    let (file, n) = citations(&missing)[0].clone();
    assert!(corpus_line("v20.10.27", &file, n).contains("getImagesJSON("));
    // The release table judges each release by its own code where the corpus has it.
    let releases = r["releases"].as_array().unwrap();
    let by_code = releases
        .iter()
        .filter(|x| x["served_by"].is_string())
        .count();
    assert!(by_code >= 30, "{by_code} releases judged by code");
}

#[test]
fn a_version_gate_in_the_handler_refuses_a_routed_operation() {
    let dir = tempfile::tempdir().unwrap();
    // Pinned below the gate: Docker 24.0 serves the old copy endpoint.
    let m = write_manifest(dir.path(), "1.23", "  - POST /containers/(id)/copy\n");
    check(&m, &["--docker", "24.0"], 0);
    // Unversioned, 24.0 answers at 1.43: the route is registered, the handler refuses.
    let m = write_manifest(
        dir.path(),
        "unversioned",
        "  - POST /containers/(id)/copy\n",
    );
    let r = check(&m, &["--docker", "24.0"], 1);
    let missing = strings(&r["calls"][0]["missing"]);
    assert!(
        missing[0].contains("its handler refuses requested API >= 1.24"),
        "{missing:?}"
    );
    let cited = citations(&missing);
    assert_eq!(cited.len(), 2, "route and gate: {missing:?}");
    assert!(corpus_line("v24.0.9", &cited[0].0, cited[0].1).contains("/copy"));
    assert!(corpus_line("v24.0.9", &cited[1].0, cited[1].1)
        .contains("GreaterThanOrEqualTo(version, \"1.24\")"));
    // Docker 26.1 no longer routes it at all.
    let r = check(&m, &["--docker", "26.1"], 1);
    assert!(strings(&r["calls"][0]["missing"])[0].contains("no route in v26.1.5"));
}

#[test]
fn a_recorded_client_s_undocumented_parameter_is_reported_ignored_not_failed() {
    // docker-py sends `only_ids` on the image list, which no document has and
    // no release's code reads: the daemon ignores it and docker-py keeps working.
    let m = PathBuf::from(common::manifest("docker-py-7.2.yaml"));
    let r = check(&m, &["--docker", "20.10"], 0);
    let ignored: Vec<String> = r["calls"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| strings(&c["ignored"]))
        .collect();
    assert!(
        ignored
            .iter()
            .any(|i| i.contains("GET /images/json ?only_ids (not read by getImagesJSON")),
        "{ignored:?}"
    );
    let text = common::dockmatrix(None, &["check", m.to_str().unwrap(), "--docker", "20.10"]);
    assert!(
        text.stdout.contains("ignored by the daemon:"),
        "{}",
        text.stdout
    );
    assert!(text
        .stdout
        .contains("witness: the server code of v20.10.27"));
}

#[test]
fn releases_without_an_upper_check_answer_requests_pinned_above_their_version() {
    let dir = tempfile::tempdir().unwrap();
    let m = write_manifest(dir.path(), "1.40", "  - GET /containers/json\n");
    // Docker 17.06's version middleware has no upper check: /v1.40/ is served as 1.30.
    let r = check(&m, &["--docker", "17.06"], 0);
    assert_eq!(r["target"]["api"], "1.30");
    assert!(r["target"]["explanation"]
        .as_str()
        .unwrap()
        .contains("no upper check"));
    // Docker 17.11 refuses it, at the line that checks.
    let r = check(&m, &["--docker", "17.11"], 1);
    assert_eq!(r["target"]["api"], Value::Null);
    let why = r["target"]["explanation"].as_str().unwrap().to_string();
    let (file, n) = citations(std::slice::from_ref(&why))[0].clone();
    assert!(corpus_line("v17.11.0-ce", &file, n)
        .contains("versions.GreaterThan(apiVersion, v.defaultVersion)"));
    // The documents alone (no code for the release) keep refusing.
    let releases = r["releases"].as_array().unwrap();
    let of = |d: &str| releases.iter().find(|x| x["docker"] == d).unwrap().clone();
    assert_eq!(of("17.06")["serves"], true);
    assert_eq!(of("17.11")["serves"], false);
}
