//! `dockmatrix-fuzz --target NAME --minutes N`: fuzz one parser (see `cargo xtask fuzz`).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use dockmatrix_fuzz::engine::{fuzz, Failure};
use dockmatrix_fuzz::targets::{find, TARGETS};

/// Fuzz one of dockmatrix's parsers.
#[derive(Debug, Parser)]
#[command(name = "dockmatrix-fuzz")]
struct Args {
    /// Target name (`--list` shows them).
    #[arg(long, required_unless_present = "list")]
    target: Option<String>,
    /// How long to run, in minutes (fractions allowed).
    #[arg(long, default_value_t = 1.0)]
    minutes: f64,
    /// Random seed (same seed, same cases).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Where shrunk failing inputs are written.
    #[arg(long, default_value = "target/fuzz-findings")]
    findings: PathBuf,
    /// List the targets.
    #[arg(long)]
    list: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    if args.list {
        for t in TARGETS {
            println!("{:10} {}", t.name, t.about);
        }
        return ExitCode::SUCCESS;
    }
    let name = args.target.unwrap_or_default();
    let Some(target) = find(&name) else {
        let names: Vec<&str> = TARGETS.iter().map(|t| t.name).collect();
        eprintln!(
            "dockmatrix-fuzz: unknown target {name:?}; targets: {}",
            names.join(", ")
        );
        return ExitCode::from(2);
    };
    if !(args.minutes.is_finite() && args.minutes > 0.0) {
        eprintln!("dockmatrix-fuzz: --minutes must be a positive number");
        return ExitCode::from(2);
    }
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default();
    let duration = Duration::from_secs_f64(args.minutes * 60.0);
    match fuzz(target, &repo, duration, &args.findings, args.seed) {
        Ok(report) => {
            println!(
                "fuzz {}: {} executions in {:.1} s ({:.0}/s), {} findings",
                report.target,
                report.execs,
                report.elapsed.as_secs_f64(),
                report.rate(),
                report.findings.len()
            );
            for f in &report.findings {
                let why = match &f.failure {
                    Failure::Panic(m) => format!("panic: {m}"),
                    Failure::Property(m) => format!("property: {m}"),
                    Failure::Slow(d) => format!("slow: {d:?}"),
                };
                println!("  {} — {why}", f.file.display());
            }
            if report.findings.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(e) => {
            eprintln!("dockmatrix-fuzz: {e:#}");
            ExitCode::from(2)
        }
    }
}
