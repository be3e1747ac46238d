//! docker-py's own integration suite (7.1.0, `../shared/clients/docker-py-tests`)
//! against a private dockerd: directly, then through `dockmatrix proxy
//! --record`, `--allow` with that recording, and `--allow --strict` with it. Every
//! proxied run must pass exactly the tests the direct run passes.
//!
//! CI runs five files (exec, volumes, images, build, networks: hijacks, JSON,
//! tar and chunked bodies, IPAM bodies, undocumented query names); `cargo xtask
//! docker-py-suite` runs the whole suite (`DOCKMATRIX_DOCKER_PY_SUITE=all`).
//! The virtualenv is `target/pyvenv-suite` (`.ci/run` makes it: docker==7.1.0,
//! pytest, pytest-timeout, paramiko), or `$DOCKMATRIX_SUITE_PYTHON`.

use crate::proxy_support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use dockmatrix_testkit::{busybox_full_rootfs_tar, Daemon};
use proxy_support::{docker_cli, ProxyProcess};

/// The files CI runs.
const CI_FILES: &[&str] = &[
    "api_exec_test.py",
    "api_volume_test.py",
    "api_image_test.py",
    "api_build_test.py",
    "api_network_test.py",
];

/// Tests that race and fail now and then, directly too (the suite's README).
const RACES: &[&str] = &[
    "test_attach_no_stream",
    "test_build_in_context_nested_dockerfile",
];

/// The image tags the suite expects, all made from busybox here.
const IMAGES: &[&str] = &[
    "alpine:3.10",
    "alpine:latest",
    "busybox:latest",
    "busybox:1.0",
    "busybox:buildroot-2014.02",
    "hello-world:latest",
];

fn suite_dir() -> PathBuf {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    match dockmatrix_core::corpus::beside_checkout(repo, "DOCKMATRIX_CLIENTS", "clients") {
        Ok(found) => found.dir.join("docker-py-tests").join("7.1.0"),
        Err(e) => panic!("{e}"),
    }
}

fn python() -> Option<PathBuf> {
    let python = std::env::var_os("DOCKMATRIX_SUITE_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("target/pyvenv-suite/bin/python")
        });
    let ready = Command::new(&python)
        .args(["-c", "import docker, pytest, pytest_timeout, paramiko"])
        .output()
        .is_ok_and(|o| o.status.success());
    let why = if !suite_dir().join("tests/integration").is_dir() {
        format!("no docker-py suite at {}", suite_dir().display())
    } else if !ready {
        format!(
            "{} lacks docker, pytest, pytest-timeout or paramiko (run .ci/run)",
            python.display()
        )
    } else {
        return Some(python);
    };
    dockmatrix_testkit::require_or_skip(
        dockmatrix_testkit::REQUIRE_DAEMON,
        "docker-py suite",
        &why,
    );
    None
}

/// `docker -H host ARGS`, its stdout (failures are fine: resets are best effort).
fn docker(host: &str, args: &[&str]) -> String {
    let out = Command::new(docker_cli())
        .arg("-H")
        .arg(host)
        .args(args)
        .env_remove("DOCKER_API_VERSION")
        .output()
        .expect("docker CLI");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Back to the base images and nothing else, as the suite's README asks.
fn reset(host: &str) {
    let _ = docker(host, &["swarm", "leave", "--force"]);
    let words = |s: String| s.split_whitespace().map(str::to_string).collect::<Vec<_>>();
    let containers = words(docker(host, &["ps", "-aq"]));
    if !containers.is_empty() {
        let mut args = vec!["rm", "-f", "-v"];
        args.extend(containers.iter().map(String::as_str));
        docker(host, &args);
    }
    docker(host, &["network", "prune", "-f"]);
    docker(host, &["volume", "prune", "-f"]);
    let images = docker(host, &["images", "--format", "{{.Repository}}:{{.Tag}}"]);
    for image in images
        .lines()
        .filter(|i| !IMAGES.contains(i) && !i.is_empty())
    {
        docker(host, &["rmi", "-f", image]);
    }
    docker(host, &["image", "prune", "-f"]);
}

/// Runs the suite's `files` against `host`; the tests that passed.
fn run_suite(python: &Path, host: &str, files: &[String]) -> BTreeSet<String> {
    let out = Command::new(python)
        .current_dir(suite_dir())
        .args([
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "--timeout",
            "90",
            "-q",
            "-rA",
        ])
        .args(files)
        .env("DOCKER_HOST", host)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env_remove("DOCKER_API_VERSION")
        .env_remove("DOCKER_TLS_VERIFY")
        .output()
        .expect("pytest");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let passed: BTreeSet<String> = text
        .lines()
        .filter_map(|l| l.strip_prefix("PASSED "))
        .map(|t| t.trim().to_string())
        .filter(|t| !RACES.iter().any(|r| t.ends_with(r)))
        .collect();
    let summary = text.lines().last().unwrap_or_default();
    eprintln!("{host}: {} passed ({summary})", passed.len());
    passed
}

#[test]
fn docker_py_suite_passes_the_same_tests_through_every_proxy_mode() {
    let Some(python) = python() else {
        return;
    };
    let Some(daemon) =
        Daemon::start_or_skip("docker_py_suite_passes_the_same_tests_through_every_proxy_mode")
    else {
        return;
    };
    let host = daemon.host();
    let dir = tempfile::tempdir().unwrap();
    let tar = dir.path().join("rootfs.tar");
    std::fs::write(&tar, busybox_full_rootfs_tar().unwrap()).unwrap();
    let path_env = "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    docker(
        &host,
        &[
            "import",
            "--change",
            path_env,
            tar.to_str().unwrap(),
            IMAGES[0],
        ],
    );
    for tag in &IMAGES[1..] {
        docker(&host, &["tag", IMAGES[0], tag]);
    }
    let all = std::env::var("DOCKMATRIX_DOCKER_PY_SUITE").is_ok_and(|v| v == "all");
    let files: Vec<String> = if all {
        let mut names: Vec<String> = std::fs::read_dir(suite_dir().join("tests/integration"))
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with("_test.py"))
            .collect();
        names.sort();
        names
    } else {
        CI_FILES.iter().map(|f| f.to_string()).collect()
    };
    let files: Vec<String> = files
        .iter()
        .map(|f| format!("tests/integration/{f}"))
        .collect();

    reset(&host);
    let direct = run_suite(&python, &host, &files);
    assert!(
        direct.len() >= 40 || all,
        "too few direct passes: {direct:?}"
    );

    let recording = dir.path().join("docker-py-suite.yaml");
    let rec = recording.to_str().unwrap();
    let modes: [(&str, Vec<&str>); 3] = [
        ("record", vec!["--record", rec]),
        ("allow", vec!["--allow", rec]),
        ("strict", vec!["--allow", rec, "--strict"]),
    ];
    let mut failures = Vec::new();
    for (name, args) in modes {
        reset(&host);
        let proxy = ProxyProcess::start(dir.path(), name, &host, &args);
        let passed = run_suite(&python, &proxy.host(), &files);
        // A test that passed directly and failed here runs once more through the
        // same proxy: a timing-dependent test may fail either way once.
        let lost: Vec<String> = direct.difference(&passed).cloned().collect();
        let still_lost: Vec<String> = if lost.is_empty() {
            lost
        } else {
            let again = run_suite(&python, &proxy.host(), &lost);
            lost.into_iter().filter(|t| !again.contains(t)).collect()
        };
        let gained: Vec<&String> = passed.difference(&direct).collect();
        let (_, log) = proxy.stop();
        if !gained.is_empty() {
            eprintln!("{name}: passed here, not directly (timing): {gained:?}");
        }
        if !still_lost.is_empty() {
            let refusals: Vec<&str> = log.lines().filter(|l| l.contains("refused by")).collect();
            failures.push(format!(
                "{name}: lost {still_lost:?}; refusals: {refusals:#?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
