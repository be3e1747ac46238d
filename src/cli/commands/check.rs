//! `dockmatrix check MANIFEST [--api V | --docker X]`.

use std::path::Path;

use crate::cli::data::known_version;
use crate::cli::{Failure, Format, Output, EXIT_ERROR, EXIT_INCOMPATIBLE, EXIT_OK};
use dockmatrix_core::analysis::usage::{check as check_usage, load_manifest, Target};
use dockmatrix_core::analysis::Matrix;
use dockmatrix_core::model::served::ServedIndex;
use dockmatrix_core::present::usage::{check_report, github_annotations, Style};

/// What `check` was asked: the manifest, the target, and whether unverified
/// items fail.
#[derive(Debug, Clone, Copy)]
pub struct CheckRequest<'a> {
    /// The usage manifest.
    pub manifest: &'a Path,
    /// `--api`.
    pub api: Option<&'a str>,
    /// `--docker`.
    pub docker: Option<&'a str>,
    /// `--strict`.
    pub strict: bool,
}

/// Checks a usage manifest (a Docker release is judged by its server code in
/// `served` where the corpus has it, see `usage::check`); exit code 0 compatible, 1 incompatible (or, with
/// `strict`, unverified), 2 error. Without `--api`/`--docker` the target is the
/// manifest's declared minimum API.
pub fn check(
    matrix: &Matrix,
    served: &ServedIndex,
    asked: &CheckRequest<'_>,
    format: Format,
    width: Option<usize>,
) -> Result<Output, Failure> {
    let CheckRequest {
        manifest,
        api,
        docker,
        strict,
    } = *asked;
    let target = match (api, docker) {
        (Some(_), Some(_)) => {
            return Err(Failure {
                code: EXIT_ERROR,
                message: "give --api or --docker, not both".into(),
            })
        }
        (Some(v), None) => Target::Api(known_version(matrix, v)?),
        (None, Some(d)) => Target::Docker(d.trim().to_string()),
        (None, None) => Target::DeclaredFloor,
    };
    let usage = load_manifest(manifest, matrix)?;
    let report = check_usage(&usage, matrix, served, &target)?;
    let stdout = match format {
        Format::Json => super::json(&report)?,
        // `--format yaml` is refused before (cli::run).
        Format::Text | Format::Yaml => check_report(&report, Style::Text(width)),
        Format::Md => check_report(&report, Style::Markdown(1)),
        Format::Github => github_annotations(&report, &manifest.display().to_string()),
    };
    Ok(Output {
        stdout,
        code: if report.compatible && !(strict && report.unverified_calls > 0) {
            EXIT_OK
        } else {
            EXIT_INCOMPATIBLE
        },
    })
}
