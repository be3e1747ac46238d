//! `dockmatrix check MANIFEST [--api V | --docker X]`.

use std::path::Path;

use crate::analysis::usage::render::{check_report, github_annotations, Style};
use crate::analysis::usage::{check as check_usage, load_manifest, Target};
use crate::analysis::Matrix;
use crate::cli::{Failure, Format, Output, EXIT_ERROR, EXIT_INCOMPATIBLE, EXIT_OK};
use crate::version::ApiVersion;

/// Checks a usage manifest; exit code 0 compatible, 1 incompatible (or, with
/// `strict`, unverified), 2 error. Without `--api`/`--docker` the target is the
/// manifest's declared minimum API.
pub fn check(
    matrix: &Matrix,
    manifest: &Path,
    api: Option<&str>,
    docker: Option<&str>,
    strict: bool,
    format: Format,
    width: Option<usize>,
) -> Result<Output, Failure> {
    let target = match (api, docker) {
        (Some(_), Some(_)) => {
            return Err(Failure {
                code: EXIT_ERROR,
                message: "give --api or --docker, not both".into(),
            })
        }
        (Some(v), None) => Target::Api(v.parse::<ApiVersion>()?),
        (None, Some(d)) => Target::Docker(d.trim().to_string()),
        (None, None) => Target::DeclaredFloor,
    };
    let usage = load_manifest(manifest, matrix)?;
    let report = check_usage(&usage, matrix, &target)?;
    let stdout = match format {
        Format::Json => super::json(&report)?,
        Format::Text => check_report(&report, Style::Text(width)),
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
