//! `--allow`: no spelling of a path reaches a route the manifest does not list.
//! The bypass corpus is checked twice: against the proxy's matcher (parse →
//! route → policy, no daemon) and end to end through a running proxy in front
//! of a private dockerd, with raw HTTP requests.

mod proxy_support;

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::Duration;

use dockmatrix::corpus::{Corpus, CorpusOptions};
use dockmatrix::pipeline::build_matrix;
use dockmatrix::proxy::policy::AllowPolicy;
use dockmatrix::proxy::route::Router;
use dockmatrix::proxy::target::RequestTarget;
use dockmatrix_testkit::Daemon;
use proxy_support::{corpus_dir, ProxyProcess};

const MANIFEST: &str = "\
consumer: {name: pinger, version: \"1\"}
client: {library: raw http, api_version: unversioned}
minimum: {api: \"1.24\", source: test}
calls:
  - GET /_ping
  - GET /version
  - GET /containers/{id}/json
";

/// Spellings of routes the manifest does not allow.
const DENIED: &[(&str, &str)] = &[
    ("GET", "/volumes"),
    ("GET", "/volumes/"),
    ("GET", "//volumes"),
    ("GET", "/VOLUMES"),
    ("GET", "/Version"),
    ("GET", "/v1.41/volumes"),
    ("GET", "/v1.41//volumes/"),
    ("GET", "/%76olumes"),
    ("GET", "/version/../volumes"),
    ("GET", "/version/..%2Fvolumes"),
    ("GET", "/version%2F..%2Fvolumes"),
    ("GET", "/version/%2e%2e/volumes"),
    ("GET", "/./volumes"),
    ("GET", "/v1.41/../volumes"),
    ("GET", "/v1.24/version/../../volumes"),
    ("GET", "/v99.99/volumes"),
    ("GET", "/V1.41/version"),
    ("GET", "/v1.41.0/version"),
    ("GET", "/v1..41/version"),
    ("GET", "/version%3F/../volumes"),
    ("GET", "/version;/../volumes"),
    ("GET", "/containers/x/json/../../json"),
    (
        "GET",
        "/containers/x%2F..%2F..%2Fjson/json/../../../volumes",
    ),
    ("GET", "/../version"),
    ("POST", "/version"),
    ("DELETE", "/containers/x/json"),
    ("get", "/version"),
    ("POST", "/containers/x/attach?stream=1&stdout=1"),
];

/// Spellings of allowed routes, which must pass.
const ALLOWED: &[(&str, &str)] = &[
    ("GET", "/version"),
    ("GET", "/v1.41/version"),
    ("GET", "//version/"),
    ("GET", "/%76ersion"),
    ("GET", "/volumes/../version"),
    ("GET", "/version?x=/../volumes"),
    ("GET", "/containers/abc/json"),
    ("GET", "/v1.24/_ping"),
];

fn write_manifest(dir: &Path) -> std::path::PathBuf {
    let file = dir.join("pinger.yaml");
    std::fs::write(&file, MANIFEST).unwrap();
    file
}

#[test]
fn matcher_refuses_every_bypass_spelling() {
    let corpus = Corpus::open(&CorpusOptions {
        dir: Some(corpus_dir()),
        no_verify: false,
    })
    .unwrap();
    let matrix = build_matrix(&corpus).unwrap();
    let router = Router::new(&matrix);
    let dir = tempfile::tempdir().unwrap();
    let policy = AllowPolicy::load(&write_manifest(dir.path()), &matrix, false).unwrap();
    let decide = |method: &str, raw: &str| -> bool {
        let path = raw.split('?').next().unwrap();
        let Ok(target) = RequestTarget::parse(path) else {
            return false;
        };
        let key = router
            .find(method, &target.segments)
            .and_then(|i| router.operation(&matrix, i))
            .map(|o| o.key());
        policy
            .check_operation(key.as_ref(), &format!("{method} {}", target.display()))
            .is_ok()
    };
    for (method, path) in DENIED {
        assert!(!decide(method, path), "{method} {path} must be refused");
    }
    for (method, path) in ALLOWED {
        assert!(decide(method, path), "{method} {path} must pass");
    }
}

#[test]
fn image_names_with_slashes_match_their_route() {
    let corpus = Corpus::open(&CorpusOptions {
        dir: Some(corpus_dir()),
        no_verify: false,
    })
    .unwrap();
    let matrix = build_matrix(&corpus).unwrap();
    let router = Router::new(&matrix);
    let find = |method: &str, raw: &str| {
        let target = RequestTarget::parse(raw).unwrap();
        router
            .find(method, &target.segments)
            .and_then(|i| router.operation(&matrix, i))
            .map(|o| o.display())
    };
    assert_eq!(
        find("GET", "/images/library/busybox/json").as_deref(),
        Some("GET /images/{name}/json")
    );
    assert_eq!(
        find("GET", "/images/library%2Fbusybox/json").as_deref(),
        Some("GET /images/{name}/json")
    );
    assert_eq!(
        find("POST", "/images/reg:5000/a/b/push").as_deref(),
        Some("POST /images/{name}/push")
    );
    assert_eq!(
        find("GET", "/images/json").as_deref(),
        Some("GET /images/json")
    );
    assert_eq!(
        find("POST", "/containers/create").as_deref(),
        Some("POST /containers/create")
    );
    assert_eq!(
        find("GET", "/containers/abc/json").as_deref(),
        Some("GET /containers/{id}/json")
    );
    assert_eq!(find("HEAD", "/_ping").as_deref(), Some("HEAD /_ping"));
    assert_eq!(find("GET", "/no/such/route"), None);
}

/// Sends one raw request; returns the status code and body.
fn raw(socket: &Path, method: &str, path: &str, extra: &str) -> (u16, String) {
    let mut s = UnixStream::connect(socket).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: docker\r\n{extra}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

#[test]
fn proxy_refuses_every_bypass_spelling_end_to_end() {
    let Some(daemon) = Daemon::start_or_skip("proxy_refuses_every_bypass_spelling_end_to_end")
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let manifest = write_manifest(dir.path());
    let proxy = ProxyProcess::start(
        dir.path(),
        "allow",
        &daemon.host(),
        &["--allow", manifest.to_str().unwrap()],
    );
    for (method, path) in DENIED {
        let (status, body) = raw(&proxy.socket, method, path, "");
        assert!(
            status == 403 || status == 400,
            "{method} {path}: {status} {body}"
        );
        assert!(
            body.contains("\"message\""),
            "{method} {path}: Docker-style error: {body}"
        );
    }
    // A hijack request to a denied route is refused before anything is upgraded.
    let (status, body) = raw(
        &proxy.socket,
        "POST",
        "/containers/x/attach?stream=1&stdin=1",
        "Upgrade: tcp\r\nConnection: Upgrade\r\n",
    );
    assert_eq!(status, 403, "{body}");
    assert!(
        body.contains("is not allowed by") && body.contains("pinger.yaml"),
        "{body}"
    );

    for (method, path) in ALLOWED
        .iter()
        .filter(|(_, p)| !p.starts_with("/containers"))
    {
        let (status, body) = raw(&proxy.socket, method, path, "");
        assert_eq!(status, 200, "{method} {path}: {body}");
    }
    let (status, body) = raw(&proxy.socket, "GET", "/containers/abc/json", "");
    assert_eq!(status, 404, "allowed, answered by the daemon: {body}");
    assert!(body.contains("No such container"), "{body}");
}

#[test]
fn unreachable_upstream_is_a_502_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let missing = format!("unix://{}/nothing.sock", dir.path().display());
    let proxy = ProxyProcess::start(dir.path(), "lonely", &missing, &[]);
    let (status, body) = raw(&proxy.socket, "GET", "/_ping", "");
    assert_eq!(status, 502, "{body}");
    assert!(
        body.contains("is unreachable") && body.contains("nothing.sock"),
        "{body}"
    );
    // An oversized head is refused (431, or the connection closed while the
    // client is still sending), and the proxy carries on.
    let mut s = UnixStream::connect(&proxy.socket).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let head = format!(
        "GET /_ping HTTP/1.1\r\nHost: d\r\nX-Big: {}\r\n\r\n",
        "a".repeat(1 << 20)
    );
    let _ = s.write_all(head.as_bytes());
    let mut answer = Vec::new();
    let _ = s.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 431"),
        "{answer}"
    );
    let (status, _) = raw(&proxy.socket, "GET", "/_ping", "");
    assert_eq!(status, 502, "still serving");
}

#[test]
fn unreadable_manifest_exits_2_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, MANIFEST.replace("GET /version", "GET /no/such/thing")).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dockmatrix"))
        .args(["proxy", "--specs"])
        .arg(corpus_dir())
        .arg("--listen")
        .arg(format!("unix://{}/p.sock", dir.path().display()))
        .arg("--upstream")
        .arg("unix:///nonexistent.sock")
        .arg("--allow")
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.yaml:6") && err.contains("unknown call GET /no/such/thing"),
        "{err}"
    );
}
