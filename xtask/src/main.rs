//! `cargo xtask …`: repository automation for dockmatrix.

mod bench;
mod bench_served;
mod cli_docs;
mod codegen;
mod fetch;
mod fuzz;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Repository automation for dockmatrix.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask")]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Regenerate everything under generated/ (matrix data, reports, client crate).
    Codegen {
        /// Regenerate into a temporary folder and fail if generated/ differs.
        #[arg(long)]
        check: bool,
        /// Spec corpus directory (default: $DOCKMATRIX_SPECS, the fetch cache, ../shared/specs/docker).
        #[arg(long, value_name = "DIR")]
        specs: Option<PathBuf>,
        /// Skip checksum verification.
        #[arg(long)]
        no_verify: bool,
    },
    /// Fill specs/docker/cache/ from upstream (or a mirror folder), verifying checksums.
    FetchSpecs {
        /// Copy from this mirror folder instead of downloading.
        #[arg(long, value_name = "DIR")]
        from: Option<PathBuf>,
    },
    /// Run the benchmarks and measure the query commands and the full rebuild as
    /// whole processes (wall time, peak RSS).
    Bench {
        /// Runs of the whole process to time.
        #[arg(long, default_value_t = 10)]
        runs: usize,
        /// Only the process measurement, not `cargo bench`.
        #[arg(long)]
        process_only: bool,
        /// Only time the extraction of the server corpus (budget 10 s).
        #[arg(long, conflicts_with = "process_only")]
        served: bool,
    },
    /// Fuzz one parser (or all): mutated seeds from the real corpus and manifests.
    Fuzz {
        /// Target: markdown, swagger, manifest, path, frames, json-lines, proxy-body or proxy-path.
        #[arg(long, conflicts_with = "all")]
        target: Option<String>,
        /// Every target, one after the other.
        #[arg(long)]
        all: bool,
        /// Minutes per target (fractions allowed).
        #[arg(long, default_value_t = 1.0)]
        minutes: f64,
        /// Use the dev build (faster to build, slower to run; for CI smoke runs).
        #[arg(long)]
        dev: bool,
    },
    /// docker-py's whole integration suite, directly and through the proxy in
    /// every mode (CI runs five of its files).
    DockerPySuite,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let result = match args.command {
        Command::Codegen {
            check,
            specs,
            no_verify,
        } => codegen::run(check, specs, no_verify),
        Command::FetchSpecs { from } => fetch::run(from),
        Command::Bench {
            runs,
            process_only,
            served,
        } => {
            if served {
                bench_served::run(runs)
            } else {
                bench::run(runs, process_only)
            }
        }
        Command::Fuzz {
            target,
            all,
            minutes,
            dev,
        } => fuzz::run(target, all, minutes, dev),
        Command::DockerPySuite => docker_py_suite(),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("xtask: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// `cargo test --test it proxy_docker_py_suite::` with the whole suite selected.
fn docker_py_suite() -> anyhow::Result<ExitCode> {
    let status = std::process::Command::new(env!("CARGO"))
        .current_dir(repo_root())
        .args([
            "test",
            "--test",
            "it",
            "proxy_docker_py_suite::",
            "--",
            "--nocapture",
        ])
        .env("DOCKMATRIX_DOCKER_PY_SUITE", "all")
        .env("DOCKMATRIX_REQUIRE_DAEMON", "1")
        .status()?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The repository root (the parent of this crate).
fn repo_root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.parent().map(PathBuf::from).unwrap_or(here)
}
