//! `dockmatrix compare A.yaml B.yaml`.

use std::path::Path;

use crate::analysis::usage::render::{comparison, Style};
use crate::analysis::usage::{compare as compare_usage, load_manifest};
use crate::cli::{Failure, Format};
use crate::corpus::Corpus;
use crate::pipeline::build_matrix;

/// Calls added and removed from manifest `a` to manifest `b`.
pub fn compare(corpus: &Corpus, a: &Path, b: &Path, format: Format) -> Result<String, Failure> {
    let matrix = build_matrix(corpus)?;
    let from = load_manifest(a, &matrix)?;
    let to = load_manifest(b, &matrix)?;
    let c = compare_usage(&from, &to, &matrix);
    Ok(match format {
        Format::Json => super::json(&c)?,
        Format::Text => comparison(&c, Style::Text),
        Format::Md => comparison(&c, Style::Markdown(1)),
    })
}
