//! The real Docker CLI through `dockmatrix proxy` in front of a private dockerd:
//! a whole session recorded into a manifest that `dockmatrix check` accepts,
//! replayed under `--allow` with that manifest (and one call outside it
//! refused with the proxy's message), and `--as-api 1.24` negotiated by the CLI.

use crate::proxy_support;

use std::path::Path;

use dockmatrix_testkit::Daemon;
use proxy_support::{busybox_tar, dockmatrix, Cli, ProxyProcess};

const IMAGE: &str = "dmx-busybox:latest";

/// The session of the issue: version, images, run (attach), exec with stdin,
/// logs -f ended by the container exiting, volumes, networks (create, connect,
/// disconnect, rm), events.
fn session(cli: &Cli, dir: &Path, tag: &str) {
    let version = cli.ok(&["version", "--format", "{{.Server.APIVersion}}"]);
    assert!(
        version.trim().starts_with("1."),
        "server API version: {version}"
    );
    cli.ok(&["import", busybox_tar(dir).to_str().unwrap(), IMAGE]);
    let images = cli.ok(&["images", "--format", "{{.Repository}}:{{.Tag}}"]);
    assert!(images.contains(IMAGE), "images: {images}");

    let hi = cli.ok(&["run", "--rm", IMAGE, "echo", "hi"]);
    assert_eq!(hi, "hi\n", "run output comes through attach");

    let sleeper = format!("sleeper-{tag}");
    cli.ok(&["run", "-d", "--name", &sleeper, IMAGE, "sleep", "60"]);
    let echoed = cli.run_with_input(&["exec", "-i", &sleeper, "cat"], b"through stdin\n");
    assert!(echoed.ok, "exec -i: {}", echoed.stderr);
    assert_eq!(echoed.stdout, "through stdin\n");

    let logger = format!("logger-{tag}");
    cli.ok(&[
        "run",
        "-d",
        "--name",
        &logger,
        IMAGE,
        "sh",
        "-c",
        "for i in 1 2 3; do echo line$i; sleep 0.2; done",
    ]);
    let logs = cli.ok(&["logs", "-f", &logger]);
    assert_eq!(
        logs, "line1\nline2\nline3\n",
        "logs -f ends when the container exits"
    );

    let volume = format!("vol-{tag}");
    cli.ok(&["volume", "create", &volume]);
    cli.ok(&["volume", "rm", &volume]);

    let network = format!("net-{tag}");
    cli.ok(&["network", "create", &network]);
    cli.ok(&["network", "connect", &network, &sleeper]);
    cli.ok(&["network", "disconnect", &network, &sleeper]);
    cli.ok(&["network", "rm", &network]);
    cli.ok(&["rm", "-f", &sleeper, &logger]);

    // An --until in the (near) future: the stream is held open until then.
    let until = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 2;
    let events = cli.ok(&[
        "events",
        "--since",
        "0",
        "--until",
        &until.to_string(),
        "--format",
        "{{.Type}} {{.Action}}",
    ]);
    assert!(events.contains("container create"), "events: {events}");
    assert!(events.contains("volume create"), "events: {events}");
}

#[test]
fn cli_session_is_recorded_checked_and_replayed_under_allow() {
    let Some(daemon) =
        Daemon::start_or_skip("cli_session_is_recorded_checked_and_replayed_under_allow")
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("docker-cli.yaml");

    let recording = ProxyProcess::start(
        dir.path(),
        "record",
        &daemon.host(),
        &["--record", manifest.to_str().unwrap()],
    );
    session(&Cli::new(&recording.host(), dir.path()), dir.path(), "a");
    let (status, log) = recording.stop();
    assert!(status.success(), "proxy exit: {status}\n{log}");
    assert!(
        log.contains("POST /containers/{id}/attach 101"),
        "attach upgraded: {log}"
    );
    assert!(
        log.contains("POST /exec/{id}/start 101"),
        "exec upgraded: {log}"
    );

    let text = std::fs::read_to_string(&manifest).unwrap();
    // How specs/usage/docker-cli-*.yaml is made: run this test with the variable set.
    if let Some(out) = std::env::var_os("DOCKMATRIX_KEEP_RECORDING") {
        std::fs::write(out, &text).unwrap();
    }
    for call in [
        " /_ping",
        "GET /version",
        "POST /images/create",
        "GET /images/json",
        "POST /containers/create",
        "POST /containers/{id}/attach",
        "POST /containers/{id}/exec",
        "POST /exec/{id}/start",
        "GET /containers/{id}/logs",
        "POST /volumes/create",
        "DELETE /volumes/{name}",
        "POST /networks/create",
        "POST /networks/{id}/connect",
        "DELETE /networks/{id}",
        "GET /events",
    ] {
        assert!(text.contains(call), "{call} recorded:\n{text}");
    }
    assert!(text.contains("- Cmd"), "body field paths recorded:\n{text}");
    assert!(
        !text.contains("through stdin") && !text.contains("sleep 0.2"),
        "no values:\n{text}"
    );

    let (code, out, err) = dockmatrix(&["check", manifest.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 0, "check accepts the recording: {out}{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(report["endpoint_floor"].is_string(), "{report}");
    let serving = report["releases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["serves"] == true)
        .count();
    assert!(serving > 0, "some Docker releases serve the session");

    let allowing = ProxyProcess::start(
        dir.path(),
        "allow",
        &daemon.host(),
        &["--allow", manifest.to_str().unwrap()],
    );
    let cli = Cli::new(&allowing.host(), dir.path());
    session(&cli, dir.path(), "b");
    let refused = cli.run(&["volume", "ls"]);
    assert!(!refused.ok);
    assert!(
        refused.stderr.contains("GET /volumes is not allowed by")
            && refused.stderr.contains("docker-cli.yaml"),
        "the CLI prints the proxy's message: {}",
        refused.stderr
    );
    let (_, log) = allowing.stop();
    assert!(log.contains("GET /volumes 403"), "{log}");

    // The same session under --strict with the client's own recording: every
    // query parameter and body member it sends was recorded, so nothing is refused.
    let strict = ProxyProcess::start(
        dir.path(),
        "strict",
        &daemon.host(),
        &["--allow", manifest.to_str().unwrap(), "--strict"],
    );
    session(&Cli::new(&strict.host(), dir.path()), dir.path(), "c");
    let (_, log) = strict.stop();
    assert!(!log.contains("refused by"), "{log}");
}

#[test]
fn cli_negotiates_as_api_1_24_and_run_works() {
    let Some(daemon) = Daemon::start_or_skip("cli_negotiates_as_api_1_24_and_run_works") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let proxy = ProxyProcess::start(dir.path(), "old", &daemon.host(), &["--as-api", "1.24"]);
    let cli = Cli::new(&proxy.host(), dir.path());
    let version = cli.ok(&[
        "version",
        "--format",
        "{{.Server.APIVersion}} {{.Client.APIVersion}}",
    ]);
    assert_eq!(
        version.trim(),
        "1.24 1.24",
        "server advertises and CLI negotiates 1.24"
    );
    cli.ok(&["import", busybox_tar(dir.path()).to_str().unwrap(), IMAGE]);
    assert_eq!(cli.ok(&["run", "--rm", IMAGE, "echo", "hi"]), "hi\n");
    let (_, log) = proxy.stop();
    assert!(
        log.contains("/v1.24/") || log.contains("POST /containers/create 201"),
        "{log}"
    );
    assert!(
        !log.lines()
            .any(|l| l.starts_with("POST") && l.contains(" 400 ")),
        "no request refused as too new: {log}"
    );
}
