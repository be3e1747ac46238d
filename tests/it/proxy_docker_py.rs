//! docker-py (the `docker` package from PyPI, in the virtualenv `.ci/run`
//! creates at target/pyvenv, or `$DOCKMATRIX_PYTHON`) through `dockmatrix proxy`:
//! the session is recorded, the manifest checked, and the session replayed
//! under `--allow` with one call outside it refused.

use crate::proxy_support;

use std::path::Path;
use std::process::Command;

use dockmatrix_testkit::Daemon;
use proxy_support::{busybox_tar, docker_py_python as python, dockmatrix, ProxyProcess};

fn session(python: &Path, proxy: &ProxyProcess, tar: &Path, tag: &str, extra: &[&str]) -> String {
    let script =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/proxy_support/docker_py_session.py");
    let out = Command::new(python)
        .arg(script)
        .arg(format!("unix://{}", proxy.socket.display()))
        .arg(tar)
        .arg(tag)
        .args(extra)
        .env_remove("DOCKER_HOST")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "docker-py session failed:\n{stdout}\n{}\nproxy log:\n{}",
        String::from_utf8_lossy(&out.stderr),
        proxy.log_text()
    );
    stdout
}

#[test]
fn docker_py_session_is_recorded_checked_and_replayed_under_allow() {
    let Some(python) = python() else { return };
    let Some(daemon) =
        Daemon::start_or_skip("docker_py_session_is_recorded_checked_and_replayed_under_allow")
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let tar = busybox_tar(dir.path());
    let manifest = dir.path().join("docker-py.yaml");

    let recording = ProxyProcess::start(
        dir.path(),
        "record",
        &daemon.host(),
        &["--record", manifest.to_str().unwrap()],
    );
    session(&python, &recording, &tar, "a", &[]);
    let (status, log) = recording.stop();
    assert!(status.success(), "{log}");
    assert!(
        log.contains("POST /exec/{id}/start 101"),
        "exec hijacked through an upgrade: {log}"
    );

    let text = std::fs::read_to_string(&manifest).unwrap();
    // How specs/usage/docker-py-*.yaml is made: run this test with the variable set.
    if let Some(out) = std::env::var_os("DOCKMATRIX_KEEP_RECORDING") {
        std::fs::write(out, &text).unwrap();
    }
    assert!(text.contains("library: docker-sdk-python/"), "{text}");
    for call in [
        "GET /version",
        "POST /images/create",
        "POST /containers/create",
        "POST /containers/{id}/wait",
        "GET /containers/{id}/logs",
        "POST /exec/{id}/start",
        "POST /volumes/create",
        "POST /networks/{id}/connect",
        "GET /events",
    ] {
        assert!(text.contains(call), "{call} recorded:\n{text}");
    }
    assert!(!text.contains("through stdin"), "no values:\n{text}");

    let (code, out, err) = dockmatrix(&["check", manifest.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 0, "check accepts the recording: {out}{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(report["endpoint_floor"].is_string(), "{report}");

    let allowing = ProxyProcess::start(
        dir.path(),
        "allow",
        &daemon.host(),
        &["--allow", manifest.to_str().unwrap()],
    );
    let stdout = session(&python, &allowing, &tar, "b", &["--expect-refused"]);
    assert!(
        stdout.contains("refused: dockmatrix proxy: GET /volumes is not allowed by"),
        "{stdout}"
    );
}
