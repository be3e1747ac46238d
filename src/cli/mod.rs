//! The command line: argument definitions and dispatch. Each command builds its
//! whole output before printing, so a failure leaves stdout empty.

mod commands;
pub mod data;

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use data::Data;

/// Exit code: success / compatible.
pub const EXIT_OK: u8 = 0;
/// Exit code: a check found an incompatibility.
pub const EXIT_INCOMPATIBLE: u8 = 1;
/// Exit code: bad input or any other error.
pub const EXIT_ERROR: u8 = 2;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A readable table.
    Text,
    /// JSON.
    Json,
    /// GitHub-flavoured markdown.
    Md,
    /// GitHub Actions annotations (`check` only).
    Github,
    /// YAML (`scan` only: a usage manifest).
    Yaml,
}

/// dockmatrix: the Docker Engine API, every version, as data.
#[derive(Debug, Parser)]
#[command(name = "dockmatrix", version, about)]
pub struct Cli {
    /// Recompute from this spec corpus directory instead of the matrix built into
    /// the program (also: $DOCKMATRIX_SPECS).
    #[arg(long, global = true, value_name = "DIR")]
    pub specs: Option<PathBuf>,
    /// Recompute from a corpus, skipping checksum verification (patched or newer
    /// specs); content is still validated.
    #[arg(long, global = true)]
    pub no_verify: bool,
    /// Recompute from the corpus found on disk (./specs/docker/cache,
    /// ~/.cache/dockmatrix/specs, ../shared/specs/docker) instead of the matrix
    /// built into the program.
    #[arg(long, global = true)]
    pub rebuild: bool,
    /// Text tables: print every column in full instead of fitting 100 columns.
    #[arg(long, global = true)]
    pub wide: bool,
    /// Worker threads (default: one per core; `proxy --jobs 1` runs on a single
    /// thread). Output does not depend on it.
    #[arg(long, global = true, value_name = "N")]
    pub jobs: Option<usize>,
    /// Output format (default: text; `convert` prints JSON only).
    #[arg(long, global = true, value_enum)]
    pub format: Option<Format>,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the API versions of the corpus and the Docker releases serving each.
    Versions,
    /// List the operations of one API version.
    Ops {
        /// API version, e.g. 1.24.
        #[arg(long)]
        api: String,
    },
    /// Timeline of one operation and its parameters, e.g. "POST /containers/{id}/stop".
    History {
        /// `METHOD /path`, any placeholder spelling.
        operation: String,
    },
    /// Operations, parameters and fields added, removed, deprecated between two versions.
    Diff {
        /// Older version.
        from: String,
        /// Newer version.
        to: String,
    },
    /// Print one version as an OpenAPI 3.0 JSON document (reads the corpus).
    Convert {
        /// API version.
        #[arg(long)]
        api: String,
    },
    /// The whole compatibility matrix.
    Matrix,
    /// Check a usage manifest (specs/usage/*.yaml) against an API version or Docker
    /// release (default: the manifest's declared minimum API). Exit 0 compatible,
    /// 1 incompatible (or unverified with --strict), 2 error.
    Check {
        /// The manifest file.
        manifest: PathBuf,
        /// API version to check at.
        #[arg(long, conflicts_with = "docker")]
        api: Option<String>,
        /// Docker release to check against (served at the API version it uses for
        /// the consumer's requests); patch releases and a `v` prefix are accepted
        /// (`20.10.24`, `v1.9.1`).
        #[arg(long)]
        docker: Option<String>,
        /// Also fail (exit 1) when a listed parameter or field is unverified at the
        /// target (the references cannot tell whether it has it).
        #[arg(long)]
        strict: bool,
    },
    /// Calls added and removed from manifest A to manifest B.
    Compare {
        /// The older manifest.
        a: PathBuf,
        /// The newer manifest.
        b: PathBuf,
    },
    /// HTTP proxy in front of a Docker daemon: record what a client calls, let
    /// through only a manifest's calls, make the daemon look older. Runs until
    /// SIGINT/SIGTERM.
    Proxy(ProxyArgs),
    /// Read a consumer's source and write its usage manifest: the Engine API calls
    /// it makes through a known client library (with their source lines), the
    /// query keys the call sites show, the client's version behaviour. Files
    /// that cannot be read or parsed are skipped with a warning. Exit 0 when
    /// calls were found, 2 otherwise.
    Scan(ScanArgs),
    /// Download the pinned spec corpus (or copy it from a mirror folder), verify
    /// every checksum, and install it all or nothing.
    FetchSpecs {
        /// Copy from this folder instead of downloading.
        #[arg(long, value_name = "DIR")]
        from: Option<PathBuf>,
        /// Install into this folder (default: ~/.cache/dockmatrix/specs).
        #[arg(long, value_name = "DIR")]
        into: Option<PathBuf>,
    },
}

/// Arguments of `dockmatrix scan`.
#[derive(Debug, clap::Args)]
pub struct ScanArgs {
    /// The source tree (or one file) to read.
    pub path: PathBuf,
    /// Source language.
    #[arg(long, value_enum, default_value = "go")]
    pub lang: ScanLang,
    /// Write the manifest to FILE instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The client library table to use, as NAME@VERSION (`engine-api@dea108d`,
    /// `github.com/docker/docker@v28.5.2`), when the tree has no go.mod,
    /// vendor/modules.txt or Godeps/Godeps.json naming one.
    #[arg(long, value_name = "NAME@VERSION")]
    pub library: Option<String>,
    /// The consumer's name and version for the manifest, as NAME@VERSION
    /// (default: the tree's SOURCE.toml or go.mod).
    #[arg(long, value_name = "NAME@VERSION")]
    pub consumer: Option<String>,
    /// What the requests carry (unversioned, negotiated or X.Y) when the code
    /// does not show it.
    #[arg(long, value_name = "VERSION")]
    pub api_version: Option<String>,
}

/// Languages `dockmatrix scan` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScanLang {
    /// Go (tree-sitter-go).
    Go,
}

/// Arguments of `dockmatrix proxy`.
#[derive(Debug, clap::Args)]
pub struct ProxyArgs {
    /// Where clients connect: unix:///path/to.sock or tcp://127.0.0.1:PORT.
    #[arg(long, value_name = "ADDRESS", required_unless_present = "config")]
    pub listen: Option<String>,
    /// Several listeners, each with its own rules, from a TOML file (README, Proxy).
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with_all = ["listen", "upstream", "record", "allow", "strict", "as_api", "min_api", "as_docker"]
    )]
    pub config: Option<PathBuf>,
    /// The daemon: unix:///path or tcp://HOST:PORT (default: $DOCKER_HOST, else
    /// unix:///var/run/docker.sock).
    #[arg(long, value_name = "ADDRESS")]
    pub upstream: Option<String>,
    /// Write (and merge into) a usage manifest of the calls seen.
    #[arg(long, value_name = "FILE")]
    pub record: Option<PathBuf>,
    /// Let through only the calls of this usage manifest (others: HTTP 403).
    #[arg(long, value_name = "MANIFEST")]
    pub allow: Option<PathBuf>,
    /// With --allow: only the manifest's listed query parameters and body fields.
    #[arg(long, requires = "allow")]
    pub strict: bool,
    /// Look like a daemon whose newest API version is V.
    #[arg(long, value_name = "V")]
    pub as_api: Option<String>,
    /// Refuse requests for API versions below V, as a daemon with that minimum
    /// does (HTTP 400, its message).
    #[arg(long, value_name = "V")]
    pub min_api: Option<String>,
    /// Look like Docker release R as far as API versions go: R's minimum
    /// enforced with R's answer, R's maximum advertised (at most the upstream's).
    #[arg(long, value_name = "R", conflicts_with_all = ["as_api", "min_api"])]
    pub as_docker: Option<String>,
    /// Log line format.
    #[arg(long, value_enum, default_value = "text")]
    pub log: LogFormatArg,
}

/// Log line formats of `dockmatrix proxy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormatArg {
    /// `METHOD operation status duration`.
    Text,
    /// One JSON object per line.
    Json,
}

/// A failed command: message for stderr and the exit code.
#[derive(Debug)]
pub struct Failure {
    /// Exit code.
    pub code: u8,
    /// Message.
    pub message: String,
}

impl<E: std::error::Error> From<E> for Failure {
    fn from(e: E) -> Self {
        Self {
            code: EXIT_ERROR,
            message: e.to_string(),
        }
    }
}

/// What a successful command prints, and its exit code.
#[derive(Debug)]
pub struct Output {
    /// Text for stdout.
    pub stdout: String,
    /// Exit code (0, or 1 for an incompatible check).
    pub code: u8,
}

/// The data compiled into the binary, both written by `cargo xtask codegen`.
#[derive(Debug, Clone, Copy)]
pub struct Embedded {
    /// The matrix snapshot (`generated/data/matrix.bin`).
    pub matrix: &'static [u8],
    /// The served facts of each release's server code (`generated/data/served.bin`).
    pub served: &'static [u8],
}

/// Runs a parsed command line against the data compiled into the binary (or a
/// corpus on disk, see [`Data::choose`]).
pub fn run(cli: &Cli, embedded: Embedded) -> Result<Output, Failure> {
    if let Some(jobs) = cli.jobs {
        if jobs == 0 {
            return Err(Failure {
                code: EXIT_ERROR,
                message: "--jobs must be at least 1".into(),
            });
        }
        // Only the first call in a process can set the pool; later calls keep it.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .build_global();
    }
    let format = cli.format.unwrap_or(Format::Text);
    let only = |allowed: &[Format], what: &str| match cli.format {
        Some(f) if !allowed.contains(&f) => Err(Failure {
            code: EXIT_ERROR,
            message: format!("{what} cannot print --format {}", format_name(f)),
        }),
        _ => Ok(()),
    };
    let width = (!cli.wide).then_some(dockmatrix_core::present::table::TEXT_WIDTH);
    const TABLES: &[Format] = &[Format::Text, Format::Json, Format::Md];
    if !matches!(
        cli.command,
        Command::Check { .. }
            | Command::Convert { .. }
            | Command::Proxy(_)
            | Command::FetchSpecs { .. }
            | Command::Scan(_)
    ) {
        only(TABLES, "this command")?;
    }
    let data = || Data::choose(cli, embedded.matrix);
    let matrix = || data()?.matrix();
    let served =
        || dockmatrix_core::model::served_bytes::decode(embedded.served).map_err(Failure::from);
    let stdout = match &cli.command {
        Command::Versions => commands::versions(&data()?, format, width)?,
        Command::Ops { api } => commands::ops(&matrix()?, api, format, width)?,
        Command::History { operation } => {
            commands::history(&matrix()?, &served()?, operation, format, width)?
        }
        Command::Diff { from, to } => commands::diff(&matrix()?, &served()?, from, to, format)?,
        Command::Matrix => commands::matrix(&matrix()?, format, width)?,
        Command::Check {
            manifest,
            api,
            docker,
            strict,
        } => {
            only(
                &[Format::Text, Format::Json, Format::Md, Format::Github],
                "check",
            )?;
            let served = served()?;
            let asked = commands::CheckRequest {
                manifest,
                api: api.as_deref(),
                docker: docker.as_deref(),
                strict: *strict,
            };
            let out = commands::check(&matrix()?, &served, &asked, format, width)?;
            return Ok(Output {
                stdout: fit(out.stdout, format, width),
                code: out.code,
            });
        }
        Command::Compare { a, b } => commands::compare(&matrix()?, a, b, format, width)?,
        Command::Proxy(args) => {
            only(&[], "proxy (its log format is --log text|json)")?;
            commands::proxy(matrix()?, &served()?, args, cli.jobs)?
        }
        Command::Convert { api } => {
            only(&[Format::Json], "convert (an OpenAPI JSON document)")?;
            return Ok(Output {
                stdout: commands::convert(&data::open_corpus(cli)?, api)?,
                code: EXIT_OK,
            });
        }
        Command::Scan(args) => {
            only(&[Format::Yaml, Format::Json], "scan (a usage manifest)")?;
            return Ok(Output {
                stdout: commands::scan(&matrix()?, args, cli.format)?,
                code: EXIT_OK,
            });
        }
        Command::FetchSpecs { from, into } => {
            only(&[], "fetch-specs")?;
            commands::fetch_specs(from.as_deref(), into.as_deref())?
        }
    };
    Ok(Output {
        stdout: fit(stdout, format, width),
        code: EXIT_OK,
    })
}

/// The `--format` value as typed.
fn format_name(f: Format) -> &'static str {
    match f {
        Format::Text => "text",
        Format::Json => "json",
        Format::Md => "md",
        Format::Github => "github",
        Format::Yaml => "yaml",
    }
}

/// Text output fits the width (`--wide` lifts it); JSON and markdown are left alone.
fn fit(stdout: String, format: Format, width: Option<usize>) -> String {
    match (format, width) {
        (Format::Text, Some(w)) => dockmatrix_core::present::table::fit_lines(&stdout, w),
        _ => stdout,
    }
}
