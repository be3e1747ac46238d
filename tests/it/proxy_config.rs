//! `dockmatrix proxy --config FILE`: one process, several listeners, each with
//! its own manifest and mode, in front of a private dockerd; every log line
//! names the client process (pid and uid, from the unix socket's peer
//! credentials); a bad file is refused with its name and line.

use crate::proxy_support;

use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::Duration;

use dockmatrix_testkit::Daemon;
use proxy_support::{dockmatrix, ProxyProcess};

fn status_of(socket: &Path, path: &str) -> u16 {
    proxy_support::raw(socket, "GET", path, None).0
}

#[test]
fn one_process_serves_listeners_with_their_own_rules() {
    let Some(daemon) = Daemon::start_or_skip("one_process_serves_listeners_with_their_own_rules")
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("ping-only.yaml"),
        "consumer:\n  name: pinger\n  version: \"1\"\nclient:\n  library: raw\n  api_version: \"1.41\"\nminimum:\n  api: \"1.41\"\n  source: test\ncalls:\n  - GET /_ping\n",
    )
    .unwrap();
    let (ci, old) = (dir.path().join("ci.sock"), dir.path().join("old.sock"));
    let config = dir.path().join("proxy.toml");
    std::fs::write(
        &config,
        format!(
            "upstream = \"{}\"\n\n[[listener]]\nlisten = \"unix://{}\"\nallow = \"ping-only.yaml\"\n\n[[listener]]\nlisten = \"unix://{}\"\nmin_api = \"1.40\"\nrecord = \"old.yaml\"\n",
            daemon.host(),
            ci.display(),
            old.display()
        ),
    )
    .unwrap();
    let proxy = ProxyProcess::with_config(dir.path(), "config", &config, &ci);
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while UnixStream::connect(&old).is_err() {
        assert!(std::time::Instant::now() < deadline, "{}", proxy.log_text());
        std::thread::sleep(Duration::from_millis(50));
    }
    // The first listener lets through only its manifest's call.
    assert_eq!(status_of(&ci, "/v1.41/_ping"), 200, "{}", proxy.log_text());
    assert_eq!(status_of(&ci, "/v1.41/containers/json"), 403);
    // The second has no allow-list, but a minimum, and records.
    assert_eq!(status_of(&old, "/v1.41/containers/json"), 200);
    assert_eq!(status_of(&old, "/v1.39/containers/json"), 400);
    let (_, log) = proxy.stop();
    let recorded = std::fs::read_to_string(dir.path().join("old.yaml")).unwrap_or_default();
    assert!(recorded.contains("GET /containers/json"), "{recorded}");
    // Each request line names this test process: the kernel's peer credentials.
    let me = format!("pid={} uid={}", std::process::id(), unsafe {
        libc::getuid()
    });
    let lines: Vec<&str> = log.lines().filter(|l| l.starts_with("GET ")).collect();
    assert_eq!(lines.len(), 4, "{log}");
    for line in &lines {
        assert!(line.ends_with(&me), "{line} (expected {me})");
    }
}

#[test]
fn a_bad_configuration_is_refused_with_its_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("proxy.toml");
    std::fs::write(
        &config,
        "[[listener]]\nlisten = \"unix:///tmp/x.sock\"\nalow = \"a.yaml\"\n",
    )
    .unwrap();
    let path = config.display().to_string();
    let (code, _, stderr) = dockmatrix(&["proxy", "--config", &path]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(&path) && stderr.contains("line 3") && stderr.contains("alow"),
        "{stderr}"
    );

    std::fs::write(
        &config,
        "[[listener]]\nlisten = \"unix:///tmp/x.sock\"\n[[listener]]\nlisten = \"unix:///tmp/x.sock\"\n",
    )
    .unwrap();
    let (code, _, stderr) = dockmatrix(&["proxy", "--config", &path]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("two listeners on unix:///tmp/x.sock"),
        "{stderr}"
    );

    std::fs::write(
        &config,
        "[[listener]]\nlisten = \"unix:///tmp/y.sock\"\nas_docker = \"30.1\"\n",
    )
    .unwrap();
    let (code, _, stderr) = dockmatrix(&["proxy", "--config", &path]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(&path) && stderr.contains("30.1"),
        "{stderr}"
    );

    let (code, _, stderr) =
        dockmatrix(&["proxy", "--config", &path, "--listen", "unix:///tmp/z.sock"]);
    assert_eq!(code, 2, "{stderr}");
}
