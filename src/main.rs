//! The `dockmatrix` command-line tool.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use dockmatrix::cli::{run, Cli, Embedded, EXIT_ERROR};

/// mimalloc: the corpus rebuild allocates millions of small strings and maps;
/// measured faster than the system allocator (README, Performance).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The compatibility matrix of the pinned corpus, written by `cargo xtask codegen`
/// (whose `--check` fails when it is stale).
static EMBEDDED_MATRIX: &[u8] = include_bytes!("../generated/data/matrix.bin");

/// What each release's own server code routes and reads, written by the same
/// `cargo xtask codegen` from `../shared/moby-server`.
static EMBEDDED_SERVED: &[u8] = include_bytes!("../generated/data/served.bin");

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let embedded = Embedded {
        matrix: EMBEDDED_MATRIX,
        served: EMBEDDED_SERVED,
    };
    match run(&cli, embedded) {
        Ok(out) => {
            let mut stdout = std::io::stdout().lock();
            if stdout
                .write_all(out.stdout.as_bytes())
                .and_then(|()| stdout.flush())
                .is_err()
            {
                return ExitCode::from(EXIT_ERROR);
            }
            ExitCode::from(out.code)
        }
        Err(failure) => {
            eprintln!("dockmatrix: error: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}
