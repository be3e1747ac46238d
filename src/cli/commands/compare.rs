//! `dockmatrix compare A.yaml B.yaml`.

use std::path::Path;

use crate::cli::{Failure, Format};
use dockmatrix_core::analysis::usage::{compare as compare_usage, load_manifest};
use dockmatrix_core::analysis::Matrix;
use dockmatrix_core::present::usage::{comparison, Style};

/// Calls added and removed from manifest `a` to manifest `b`.
pub fn compare(
    matrix: &Matrix,
    a: &Path,
    b: &Path,
    format: Format,
    width: Option<usize>,
) -> Result<String, Failure> {
    let from = load_manifest(a, matrix)?;
    let to = load_manifest(b, matrix)?;
    let c = compare_usage(&from, &to, matrix);
    Ok(match format {
        Format::Json => super::json(&c)?,
        Format::Text | Format::Github | Format::Yaml => comparison(&c, Style::Text(width)),
        Format::Md => comparison(&c, Style::Markdown(1)),
    })
}
