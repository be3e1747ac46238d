//! `cargo xtask bench`: criterion benches plus a whole-process measurement of
//! `dockmatrix matrix --format json` (wall time and peak RSS, as a user sees it).

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
    let mut walls = Vec::new();
    let mut peak_kib = 0i64;
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let child = Command::new(&exe)
            .args(["matrix", "--format", "json"])
            .current_dir(&repo)
            .stdout(Stdio::null())
            .spawn()
            .context("starting dockmatrix")?;
        let (ok, rss) = wait_with_rusage(child.id())?;
        walls.push(start.elapsed().as_secs_f64());
        if !ok {
            bail!("dockmatrix matrix failed");
        }
        peak_kib = peak_kib.max(rss);
    }
    walls.sort_by(f64::total_cmp);
    let median = walls.get(walls.len() / 2).copied().unwrap_or_default();
    println!(
        "dockmatrix matrix --format json: {} runs, wall min {:.3} s, median {median:.3} s, max {:.3} s; peak RSS {:.1} MB",
        walls.len(),
        walls.first().copied().unwrap_or_default(),
        walls.last().copied().unwrap_or_default(),
        peak_kib as f64 / 1024.0
    );
    Ok(ExitCode::SUCCESS)
}

/// Waits for a child and returns (exited successfully, its peak RSS in KiB).
fn wait_with_rusage(pid: u32) -> Result<(bool, i64)> {
    let mut status = 0;
    // SAFETY: `rusage` is plain data that wait4 fills in; pid is our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = i32::try_from(pid).context("pid out of range")?;
    // SAFETY: valid pointers to locals, waiting on our own child process.
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    if r < 0 {
        bail!("wait4 failed: {}", std::io::Error::last_os_error());
    }
    let ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    Ok((ok, usage.ru_maxrss))
}
