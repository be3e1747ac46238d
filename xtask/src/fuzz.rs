//! `cargo xtask fuzz --target NAME --minutes N`: runs the stable-Rust fuzzer
//! (`fuzz/`, crate `dockmatrix-fuzz`) on one target, or on every target with `--all`.

use std::process::{Command, ExitCode};

use anyhow::{bail, Context, Result};

/// Every fuzz target (`dockmatrix-fuzz --list`).
const TARGETS: &[&str] = &[
    "markdown",
    "swagger",
    "manifest",
    "path",
    "frames",
    "json-lines",
    "proxy-body",
    "proxy-path",
];

pub fn run(target: Option<String>, all: bool, minutes: f64, dev: bool) -> Result<ExitCode> {
    let targets: Vec<String> = match (target, all) {
        (Some(t), false) => vec![t],
        (None, true) => TARGETS.iter().map(|t| t.to_string()).collect(),
        _ => bail!("give --target NAME or --all"),
    };
    let repo = crate::repo_root();
    let mut build = Command::new(env!("CARGO"));
    build.args([
        "build",
        "--package",
        "dockmatrix-fuzz",
        "--bin",
        "dockmatrix-fuzz",
    ]);
    if !dev {
        build.arg("--release");
    }
    let status = build
        .current_dir(&repo)
        .status()
        .context("building the fuzzer")?;
    if !status.success() {
        bail!("building dockmatrix-fuzz failed");
    }
    let exe = repo
        .join("target")
        .join(if dev { "debug" } else { "release" })
        .join("dockmatrix-fuzz");
    let mut failed = Vec::new();
    for t in &targets {
        let status = Command::new(&exe)
            .args(["--target", t, "--minutes", &minutes.to_string()])
            .current_dir(&repo)
            .status()
            .with_context(|| format!("running {}", exe.display()))?;
        if !status.success() {
            failed.push(t.clone());
        }
    }
    if failed.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("xtask: fuzz findings or errors in: {}", failed.join(", "));
        Ok(ExitCode::from(1))
    }
}
