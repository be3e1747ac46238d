//! `cargo xtask bench`: criterion benches plus whole-process measurements (wall
//! time and peak RSS, as a user sees them) of every query command answering from
//! the embedded matrix, and of the full rebuild from the corpus.

use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use anyhow::{bail, Context, Result};

pub fn run(runs: usize, process_only: bool) -> Result<ExitCode> {
    let repo = crate::repo_root();
    if !process_only {
        let status = Command::new(env!("CARGO"))
            .args(["bench", "--workspace"])
            .current_dir(&repo)
            .status()
            .context("running cargo bench")?;
        if !status.success() {
            bail!("cargo bench failed");
        }
    }
    let status = Command::new(env!("CARGO"))
        .args([
            "build",
            "--release",
            "--package",
            "dockmatrix",
            "--bin",
            "dockmatrix",
        ])
        .current_dir(&repo)
        .status()
        .context("building the release binary")?;
    if !status.success() {
        bail!("release build failed");
    }
    let exe = repo.join("target/release/dockmatrix");
    let specs = dockmatrix_core::corpus::locate_in(&repo)?.dir;
    let specs = specs.display().to_string();
    let k13 = "specs/usage/kubernetes-1.3.yaml";
    let k14 = "specs/usage/kubernetes-1.4.yaml";
    let cases: Vec<(&str, Vec<&str>)> = vec![
        ("versions", vec!["versions"]),
        ("ops --api 1.24", vec!["ops", "--api", "1.24"]),
        (
            "history (stop)",
            vec!["history", "POST /containers/{id}/stop"],
        ),
        ("diff 1.41 1.42", vec!["diff", "1.41", "1.42"]),
        (
            "check k8s 1.4 --docker 1.12",
            vec!["check", k14, "--docker", "1.12"],
        ),
        ("compare k8s 1.3 1.4", vec!["compare", k13, k14]),
        ("matrix --format json", vec!["matrix", "--format", "json"]),
        (
            "REBUILD matrix --format json --specs",
            vec!["matrix", "--format", "json", "--specs", &specs],
        ),
    ];
    println!(
        "whole-process figures, {} runs each (release build):",
        runs.max(1)
    );
    for (name, args) in cases {
        let (walls, peak_kib) = measure(&exe, &repo, &args, runs)?;
        println!(
            "  {name:<38} wall min {:>7.1} ms, median {:>7.1} ms, max {:>7.1} ms; peak RSS {:>6.1} MB",
            walls.first().copied().unwrap_or_default() * 1e3,
            walls.get(walls.len() / 2).copied().unwrap_or_default() * 1e3,
            walls.last().copied().unwrap_or_default() * 1e3,
            peak_kib as f64 / 1024.0
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `exe ARGS` `runs` times (stdout discarded); sorted wall times in seconds
/// and the largest peak RSS in KiB. Exit 0 and 1 (an incompatible check) count
/// as success.
fn measure(
    exe: &std::path::Path,
    cwd: &std::path::Path,
    args: &[&str],
    runs: usize,
) -> Result<(Vec<f64>, i64)> {
    let mut walls = Vec::new();
    let mut peak_kib = 0i64;
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let child = Command::new(exe)
            .args(args)
            .current_dir(cwd)
            .env_remove("DOCKMATRIX_SPECS")
            .stdout(Stdio::null())
            .spawn()
            .context("starting dockmatrix")?;
        let (code, rss) = wait_with_rusage(child.id())?;
        walls.push(start.elapsed().as_secs_f64());
        if code > 1 {
            bail!("dockmatrix {} failed (exit {code})", args.join(" "));
        }
        peak_kib = peak_kib.max(rss);
    }
    walls.sort_by(f64::total_cmp);
    Ok((walls, peak_kib))
}

/// Waits for a child and returns (its exit code, its peak RSS in KiB); a signal
/// counts as exit code 128 + signal.
fn wait_with_rusage(pid: u32) -> Result<(i32, i64)> {
    let mut status = 0;
    // SAFETY: `rusage` is plain data that wait4 fills in; pid is our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = i32::try_from(pid).context("pid out of range")?;
    // SAFETY: valid pointers to locals, waiting on our own child process.
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    if r < 0 {
        bail!("wait4 failed: {}", std::io::Error::last_os_error());
    }
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        128 + libc::WTERMSIG(status)
    };
    Ok((code, usage.ru_maxrss))
}
