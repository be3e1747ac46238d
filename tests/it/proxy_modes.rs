//! `dockmatrix proxy` modes against a private dockerd, request by request:
//! `--as-api` also makes `/info` and every `Api-Version` header look older,
//! `--log json` writes one JSON object per request, and `--allow --strict` lets
//! a listed call through only with its listed query parameters and body fields.

use crate::proxy_support;

use std::path::Path;

use dockmatrix_testkit::Daemon;
use proxy_support::{raw, ProxyProcess};

/// The JSON object of a (possibly chunked) body.
fn json_of(body: &str) -> serde_json::Value {
    let start = body.find('{').expect("a JSON object");
    let end = body.rfind('}').expect("a JSON object");
    serde_json::from_str(&body[start..=end]).expect("valid JSON")
}

fn socket_of(host: &str) -> &Path {
    Path::new(host.trim_start_matches("unix://"))
}

#[test]
fn as_api_makes_info_and_headers_look_older() {
    let Some(daemon) = Daemon::start_or_skip("as_api_makes_info_and_headers_look_older") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let host = daemon.host();
    let (status, head, body) = raw(socket_of(&host), "GET", "/v1.41/info", None);
    assert_eq!(status, 200);
    assert!(head.contains("api-version: 1.41"), "{head}");
    let direct = json_of(&body);
    // Docker 20.10 reports CgroupVersion (API 1.41); a 1.24 daemon did not.
    // Swarm is older than its first schema (v1.32): unknown at 1.24, so kept.
    for field in ["CgroupVersion", "Swarm"] {
        assert!(direct.get(field).is_some(), "dockerd 20.10 reports {field}");
    }

    let proxy = ProxyProcess::start(dir.path(), "old", &host, &["--as-api", "1.24"]);
    let (status, head, body) = raw(&proxy.socket, "GET", "/v1.24/info", None);
    assert_eq!(status, 200, "{body}");
    assert!(head.contains("api-version: 1.24"), "{head}");
    let old = json_of(&body);
    assert!(
        old.get("CgroupVersion").is_none(),
        "CgroupVersion is newer than 1.24"
    );
    for field in [
        "Containers",
        "Images",
        "Driver",
        "MemTotal",
        "Name",
        "Swarm",
    ] {
        assert!(old.get(field).is_some(), "{field} is kept");
    }
    let (_, head, _) = raw(&proxy.socket, "GET", "/v1.24/containers/json", None);
    assert!(head.contains("api-version: 1.24"), "every answer: {head}");
    // The proxy's own answers too: too new (400), an operation 1.24 lacks (404).
    let (status, head, body) = raw(&proxy.socket, "GET", "/v1.25/containers/json", None);
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("is too new"), "{body}");
    assert!(head.contains("api-version: 1.24"), "{head}");
    let (status, head, _) = raw(&proxy.socket, "GET", "/v1.24/system/df", None);
    assert_eq!(status, 404);
    assert!(head.contains("api-version: 1.24"), "{head}");
    let (_, log) = proxy.stop();
    assert!(log.contains("CgroupVersion"), "the drop is logged: {log}");
}

#[test]
fn log_json_writes_one_object_per_request() {
    let Some(daemon) = Daemon::start_or_skip("log_json_writes_one_object_per_request") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // `--jobs 1`: the proxy on a single-threaded runtime.
    let proxy = ProxyProcess::start(
        dir.path(),
        "json",
        &daemon.host(),
        &["--log", "json", "--jobs", "1"],
    );
    assert_eq!(raw(&proxy.socket, "GET", "/_ping", None).0, 200);
    assert_eq!(
        raw(&proxy.socket, "GET", "/v1.41/containers/json?all=1", None).0,
        200
    );
    assert_eq!(
        raw(&proxy.socket, "GET", "/v1.41/containers/nope/json", None).0,
        404
    );
    let (_, log) = proxy.stop();
    let lines: Vec<serde_json::Value> = log
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l:?}: {e}")))
        .collect();
    assert!(lines[0]["info"]
        .as_str()
        .is_some_and(|s| s.contains("listening on")));
    let requests: Vec<&serde_json::Value> =
        lines.iter().filter(|v| v.get("status").is_some()).collect();
    assert_eq!(requests.len(), 3, "{log}");
    let want = [
        ("GET", "/_ping", 200),
        ("GET", "/containers/json", 200),
        ("GET", "/containers/{id}/json", 404),
    ];
    for (line, (method, operation, status)) in requests.iter().zip(want) {
        assert_eq!(line["method"], method, "{line}");
        assert_eq!(line["operation"], operation, "{line}");
        assert_eq!(line["status"], status, "{line}");
        assert!(
            line["duration_ms"].as_f64().is_some_and(|d| d >= 0.0),
            "{line}"
        );
    }
}

#[test]
fn allow_strict_passes_only_listed_parameters_and_fields() {
    let Some(daemon) =
        Daemon::start_or_skip("allow_strict_passes_only_listed_parameters_and_fields")
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("allow.yaml");
    std::fs::write(
        &manifest,
        "consumer:\n  name: strict-test\n  version: \"1\"\nclient:\n  library: raw\n  api_version: \"1.41\"\nminimum:\n  api: \"1.41\"\n  source: test\ncalls:\n  - HEAD /_ping\n  - call: GET /containers/json\n    query: [all]\n  - call: POST /containers/create\n    body: [Image]\n",
    )
    .unwrap();
    let allow = manifest.display().to_string();
    let proxy = ProxyProcess::start(
        dir.path(),
        "strict",
        &daemon.host(),
        &["--allow", &allow, "--strict"],
    );
    let s = &proxy.socket;
    assert_eq!(raw(s, "GET", "/v1.41/containers/json?all=1", None).0, 200);
    let (status, _, body) = raw(s, "GET", "/v1.41/containers/json?all=1&limit=2", None);
    assert_eq!(status, 403, "{body}");
    let message = json_of(&body)["message"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        message.contains("limit") && message.contains("allow.yaml"),
        "{message}"
    );
    // A listed body field passes the policy (the daemon then answers for itself).
    let (status, _, body) = raw(
        s,
        "POST",
        "/v1.41/containers/create",
        Some(r#"{"Image":"none:none"}"#),
    );
    assert_ne!(status, 403, "{body}");
    let (status, _, body) = raw(
        s,
        "POST",
        "/v1.41/containers/create",
        Some(r#"{"Image":"none:none","Cmd":["true"]}"#),
    );
    assert_eq!(status, 403, "{body}");
    let message = json_of(&body)["message"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(message.contains("Cmd"), "{message}");
    // A call the manifest does not list at all.
    let (status, _, body) = raw(s, "GET", "/v1.41/volumes", None);
    assert_eq!(status, 403, "{body}");
    let (_, log) = proxy.stop();
    assert!(log.contains("GET /containers/json 403"), "{log}");
}

#[test]
fn plain_proxy_forwards_json_bodies_it_does_not_read() {
    let Some(daemon) = Daemon::start_or_skip("plain_proxy_forwards_json_bodies_it_does_not_read")
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // No mode needs the body: it streams through unread, whole.
    let proxy = ProxyProcess::start(dir.path(), "plain", &daemon.host(), &[]);
    let (status, _, body) = raw(
        &proxy.socket,
        "POST",
        "/v1.41/containers/create",
        Some(r#"{"Image":"no-such-image:1"}"#),
    );
    assert_eq!(status, 404, "{body}");
    assert!(
        body.contains("no-such-image"),
        "the daemon read the body: {body}"
    );
}
