//! `dockmatrix proxy --as-docker R` and `--min-api V` in front of a private
//! dockerd 20.10 (API 1.41): a client pinned below R's minimum is refused as
//! R refuses it (status, message, plain text or JSON), `/version` advertises R's
//! minimum, and negotiating clients — docker-py with `version="auto"` and the
//! Docker CLI — keep working.

use crate::proxy_support;

use std::path::Path;
use std::process::Command;

use dockmatrix_testkit::Daemon;
use proxy_support::{docker_py_python as python, raw, Cli, ProxyProcess};

/// docker-py against `host` at `version` (`"1.24"` or `"auto"`): `ok <ApiVersion>
/// <MinAPIVersion>` from `/version`, or `error <status> <explanation>`.
fn docker_py(python: &Path, host: &str, version: &str) -> String {
    let script = r#"
import sys, docker
try:
    c = docker.APIClient(base_url=sys.argv[1], version=sys.argv[2], timeout=30)
    v = c.version(api_version=False) if sys.argv[2] == "auto" else c.version()
    c.containers(all=True)
    print("ok", v.get("ApiVersion"), v.get("MinAPIVersion"))
except docker.errors.APIError as e:
    print("error", e.status_code, e.explanation)
"#;
    let out = Command::new(python)
        .args(["-c", script, host, version])
        .env_remove("DOCKER_HOST")
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn as_docker_refuses_pinned_clients_below_the_release_minimum() {
    let Some(daemon) = Daemon::start_or_skip("as_docker_refuses_pinned_clients") else {
        return;
    };
    let Some(python) = python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let host = daemon.host();

    // Directly, dockerd 20.10 serves a client pinned at 1.24.
    assert!(docker_py(&python, &host, "1.24").starts_with("ok 1.41"));

    // Docker 29.0's minimum is 1.44: docker-py pinned at 1.24 fails as it does
    // against Docker 29.0 (JSON at 1.24, `client version … is too old`).
    let as_29_0 = ProxyProcess::start(dir.path(), "d29-0", &host, &["--as-docker", "29.0"]);
    let pinned = docker_py(&python, &as_29_0.host(), "1.24");
    assert_eq!(
        pinned,
        "error 400 client version 1.24 is too old. Minimum supported API version is 1.44, please upgrade your client to a newer version",
        "proxy log:\n{}",
        as_29_0.log_text()
    );
    // The upstream serves 1.41 at most: that is advertised, not 29.0's 1.52.
    assert!(
        as_29_0.log_text().contains("serves API 1.41 at most"),
        "{}",
        as_29_0.log_text()
    );
    let (status, head, body) = raw(&as_29_0.socket, "GET", "/v1.23/_ping", None);
    assert_eq!(status, 400);
    assert!(head.contains("content-type: text/plain"), "{head}");
    assert!(
        body.starts_with("client version 1.23 is too old."),
        "{body}"
    );

    // Docker 29.7's minimum is 1.40: a pinned 1.24 client is refused, while
    // negotiating clients (docker-py "auto", the Docker CLI) keep working.
    let as_29_7 = ProxyProcess::start(dir.path(), "d29-7", &host, &["--as-docker", "29.7"]);
    let pinned = docker_py(&python, &as_29_7.host(), "1.24");
    assert!(
        pinned.starts_with(
            "error 400 client version 1.24 is too old. Minimum supported API version is 1.40"
        ),
        "{pinned}"
    );
    let negotiated = docker_py(&python, &as_29_7.host(), "auto");
    assert_eq!(
        negotiated,
        "ok 1.41 1.40",
        "proxy log:\n{}",
        as_29_7.log_text()
    );
    let cli = Cli::new(&as_29_7.host(), dir.path());
    let version = cli.ok(&[
        "version",
        "--format",
        "{{.Server.MinAPIVersion}} {{.Client.APIVersion}}",
    ]);
    assert_eq!(
        version.trim(),
        "1.40 1.41",
        "proxy log:\n{}",
        as_29_7.log_text()
    );
    cli.ok(&["ps", "-a"]);
    let old = cli.pinned("1.39").run(&["ps"]);
    assert!(
        !old.ok,
        "a CLI pinned at 1.39 is refused by --as-docker 29.7"
    );
    assert!(
        old.stderr.contains("Minimum supported API version is 1.40"),
        "{}",
        old.stderr
    );
}

#[test]
fn min_api_refuses_only_below_the_minimum() {
    let Some(daemon) = Daemon::start_or_skip("min_api_refuses_only_below_the_minimum") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let proxy = ProxyProcess::start(dir.path(), "min", &daemon.host(), &["--min-api", "1.30"]);
    let (status, head, body) = raw(&proxy.socket, "GET", "/v1.29/version", None);
    assert_eq!(status, 400, "{body}");
    assert!(head.contains("application/json"), "{head}");
    assert!(
        body.contains("client version 1.29 is too old. Minimum supported API version is 1.30"),
        "{body}"
    );
    let (status, _, body) = raw(&proxy.socket, "GET", "/v1.30/version", None);
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"MinAPIVersion\":\"1.30\""), "{body}");
    // Unversioned requests are served at the daemon's own version: never too old.
    let (status, _, _) = raw(&proxy.socket, "GET", "/_ping", None);
    assert_eq!(status, 200);
    let (code, _, stderr) = proxy_support::dockmatrix(&[
        "proxy",
        "--listen",
        "tcp://127.0.0.1:1",
        "--min-api",
        "1.30",
        "--as-docker",
        "29.0",
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--as-docker"), "{stderr}");
}
