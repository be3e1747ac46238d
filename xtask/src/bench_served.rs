//! `cargo xtask bench --served`: wall time of extracting the served facts of
//! every tag of the server corpus (in process, as `cargo xtask codegen` does),
//! with the machine's load average; the budget is 10 s.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Result};

/// The budget of one full extraction, in seconds.
const BUDGET_SECONDS: f64 = 10.0;

pub fn run(runs: usize) -> Result<ExitCode> {
    let dir = dockmatrix_served::locate_in(&crate::repo_root())?;
    let mut walls = Vec::new();
    let mut summary = String::new();
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let corpus = dockmatrix_served::read_corpus(&dir)?;
        walls.push(start.elapsed().as_secs_f64());
        let ops: usize = corpus.tags.iter().map(|t| t.operations.len()).sum();
        let reads: usize = corpus
            .tags
            .iter()
            .flat_map(|t| &t.operations)
            .map(|o| o.params.len())
            .sum();
        summary = format!(
            "{} tags, {ops} operations, {reads} reads",
            corpus.tags.len()
        );
    }
    walls.sort_by(f64::total_cmp);
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "served extraction ({summary}), {} runs: min {:.2} s, median {:.2} s, max {:.2} s; \
         {} threads; load average {}",
        walls.len(),
        walls[0],
        walls[walls.len() / 2],
        walls[walls.len() - 1],
        threads(),
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    if walls[walls.len() / 2] > BUDGET_SECONDS {
        bail!("median above the {BUDGET_SECONDS} s budget");
    }
    Ok(ExitCode::SUCCESS)
}

fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}
