//! `cargo xtask fuzz --target NAME --minutes N`: runs the stable-Rust fuzzer
//! (`fuzz/`, crate `dockmatrix-fuzz`) on one target, or on every target with `--all`.

use std::process::{Command, ExitCode};

use anyhow::{bail, Context, Result};

pub fn run(target: Option<String>, all: bool, minutes: f64, dev: bool) -> Result<ExitCode> {
    if target.is_some() == all {
        bail!("give --target NAME or --all");
    }
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
    let targets = match target {
        Some(t) => vec![t],
        None => listed_targets(&exe)?,
    };
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

/// Every target the fuzzer has (`dockmatrix-fuzz --list`: one per line, name first).
fn listed_targets(exe: &std::path::Path) -> Result<Vec<String>> {
    let out = Command::new(exe)
        .arg("--list")
        .output()
        .with_context(|| format!("running {} --list", exe.display()))?;
    if !out.status.success() {
        bail!("{} --list failed", exe.display());
    }
    let names: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_string)
        .collect();
    if names.is_empty() {
        bail!("{} --list names no target", exe.display());
    }
    Ok(names)
}
