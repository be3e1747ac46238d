//! `--allow`: no spelling of a path reaches a route the manifest does not list.
//! The bypass corpus is checked twice: against the proxy's matcher (parse →
//! route → policy, no daemon) and end to end through a running proxy in front
//! of a private dockerd, with raw HTTP requests.

use crate::proxy_support;

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::Duration;

use dockmatrix::proxy::policy::AllowPolicy;
use dockmatrix::proxy::route::Router;
use dockmatrix::proxy::target::RequestTarget;
use dockmatrix_core::corpus::{Corpus, CorpusOptions};
use dockmatrix_core::pipeline::build_matrix;
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

/// Spellings of routes the manifest does not allow: the corpus's, and one
/// that resolves to a route the corpus's manifest lists but this one does not.
fn denied() -> impl Iterator<Item = (&'static str, &'static str)> {
    proxy_support::bypass::OTHER_ROUTES
        .iter()
        .copied()
        .chain([("GET", "/containers/x/json/../../json")])
}

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
    for (method, path) in denied() {
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
    let request =
        format!("{method} {path} HTTP/1.1\r\nHost: docker\r\n{extra}Connection: close\r\n\r\n");
    let (status, _, body) = send_raw(socket, request.as_bytes());
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
    for (method, path) in denied() {
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

/// Sends raw bytes (one request with `Connection: close`); status, head and body.
fn send_raw(socket: &Path, request: &[u8]) -> (u16, String, String) {
    let mut s = UnixStream::connect(socket).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let _ = s.write_all(request);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    (status, head.to_string(), body.to_string())
}

/// A chunked body's content (a body that is not chunked comes back as it is).
fn dechunk(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some((size, after)) = rest.split_once("\r\n") {
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else {
            return body.to_string();
        };
        if n == 0 {
            return out;
        }
        let Some(chunk) = after.get(..n) else {
            return body.to_string();
        };
        out.push_str(chunk);
        rest = after[n..].trim_start_matches("\r\n");
    }
    body.to_string()
}

/// What the daemon holds: containers (with state and host config), images,
/// volumes and networks, straight from its own socket.
fn daemon_state(socket: &Path) -> Vec<serde_json::Value> {
    [
        "/containers/json?all=1",
        "/containers/bypass-target/json",
        "/images/json",
        "/volumes",
        "/networks",
    ]
    .iter()
    .map(|path| {
        let (status, body) = raw(socket, "GET", path, "");
        assert_eq!(status, 200, "{path}: {body}");
        let body = dechunk(&body);
        let mut value: serde_json::Value =
            serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}"));
        // Lists come in no fixed order.
        if let Some(items) = value.as_array_mut() {
            items.sort_by_key(|v| v.to_string());
        }
        value
    })
    .collect()
}

/// The bypass corpus through a real proxy to a real dockerd: every request is
/// refused, with and without `--strict`, and the daemon's state is unchanged
/// (the target container stays created, nothing is created or pulled).
#[test]
fn bypass_corpus_is_refused_end_to_end_and_changes_nothing() {
    let Some(daemon) =
        Daemon::start_or_skip("bypass_corpus_is_refused_end_to_end_and_changes_nothing")
    else {
        return;
    };
    let daemon_socket = Path::new(daemon.host().trim_start_matches("unix://")).to_path_buf();
    let dir = tempfile::tempdir().unwrap();
    // An image and a container for the start bodies to aim at.
    let tar = dockmatrix_testkit::busybox_rootfs_tar().unwrap();
    let mut import = format!(
        "POST /v1.41/images/create?fromSrc=-&repo=busybox&tag=latest HTTP/1.1\r\nHost: d\r\nContent-Type: application/x-tar\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        tar.len()
    )
    .into_bytes();
    import.extend(&tar);
    assert_eq!(send_raw(&daemon_socket, &import).0, 200);
    let (status, head, _) = send_raw(
        &daemon_socket,
        b"POST /containers/nothing/start HTTP/1.1\r\nHost: d\r\nConnection: close\r\n\r\n",
    );
    assert!(status == 404 && head.contains("Server: Docker"), "{head}");
    let create = br#"{"Image":"busybox","Cmd":["sleep","60"]}"#;
    let mut request = format!(
        "POST /v1.41/containers/create?name=bypass-target HTTP/1.1\r\nHost: d\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        create.len()
    )
    .into_bytes();
    request.extend(create);
    let (status, _, body) = send_raw(&daemon_socket, &request);
    assert_eq!(status, 201, "{body}");

    let manifest = dir.path().join("bypass.yaml");
    std::fs::write(&manifest, proxy_support::bypass::MANIFEST).unwrap();
    let allow = manifest.to_str().unwrap();
    let lenient = ProxyProcess::start(dir.path(), "lenient", &daemon.host(), &["--allow", allow]);
    let strict = ProxyProcess::start(
        dir.path(),
        "strict",
        &daemon.host(),
        &["--allow", allow, "--strict"],
    );
    let before = daemon_state(&daemon_socket);
    let cases = proxy_support::bypass::refused();
    assert!(cases.len() >= 150);
    for case in &cases {
        let proxy = if case.strict { &strict } else { &lenient };
        let (status, head, body) = send_raw(&proxy.socket, &case.wire());
        // Refused by the proxy itself: dockerd's answers carry `Server: Docker/…`.
        assert!(
            (400..500).contains(&status) && !head.contains("Server: Docker"),
            "{} ({}): {status} {head} {body}",
            case.name,
            if case.strict { "strict" } else { "lenient" }
        );
    }
    assert_eq!(
        daemon_state(&daemon_socket),
        before,
        "the daemon's state changed"
    );

    // Wire tricks the HTTP layer must settle before any rule: each is refused
    // or never reaches the daemon as a second request.
    let tricks: &[&[u8]] = &[
        b"POST /containers/bypass-target/start HTTP/1.1\r\nHost: d\r\nContent-Length: 30\r\nTransfer-Encoding: chunked\r\n\r\n1e\r\n{\"Binds\":[\"/:/hostroot:ro\"]}\r\n0\r\n\r\n",
        b"POST /containers/bypass-target/start HTTP/1.1\r\nHost: d\r\nContent-Length: 0\r\nContent-Length: 30\r\n\r\n{\"Binds\":[\"/:/hostroot:ro\"]}",
        b"POST /containers/bypass-target/start HTTP/1.1\r\nHost: d\r\nTransfer-Encoding: chunked, identity\r\n\r\n1e\r\n{\"Binds\":[\"/:/hostroot:ro\"]}\r\n0\r\n\r\n",
        b"POST /containers/bypass-target/start HTTP/1.0\r\nHost: d\r\nContent-Length: 30\r\n\r\n{\"Binds\":[\"/:/hostroot:ro\"]}",
        b"POST /containers/bypass-target/start HTTP/1.1\r\nHost: d\r\nExpect: 100-continue\r\nContent-Type: application/json\r\nContent-Length: 30\r\n\r\n{\"Binds\":[\"/:/hostroot:ro\"]}",
        b"GET /version HTTP/1.1\r\nHost: d\r\n\r\nPOST /containers/bypass-target/start HTTP/1.1\r\nHost: d\r\nContent-Length: 30\r\n\r\n{\"Binds\":[\"/:/hostroot:ro\"]}",
        b"GET /version HTTP/1.1\r\nHost: d\r\n\r\nGET /volumes HTTP/1.1\r\nHost: d\r\nConnection: close\r\n\r\n",
        b"GET /version HTTP/1.1\r\nHost: d\r\nContent-Length: 40\r\n\r\nGET /volumes HTTP/1.1\r\nHost: d\r\n\r\n",
    ];
    for (i, trick) in tricks.iter().enumerate() {
        for proxy in [&lenient, &strict] {
            let mut s = UnixStream::connect(&proxy.socket).unwrap();
            s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            let _ = s.write_all(trick);
            let _ = s.shutdown(std::net::Shutdown::Write);
            let mut out = Vec::new();
            let _ = s.read_to_end(&mut out);
            let text = String::from_utf8_lossy(&out);
            assert!(
                !text.contains("\"Volumes\"") && !text.contains("HTTP/1.1 204"),
                "trick {i}: a refused request reached the daemon: {text}"
            );
        }
    }
    assert_eq!(
        daemon_state(&daemon_socket),
        before,
        "the daemon's state changed"
    );
    let (_, log) = strict.stop();
    assert!(log.contains("refused by strict.body-field"), "{log}");
}
