//! `dockmatrix fetch-specs [--from DIR] [--into DIR]`.

use std::path::Path;

use crate::cli::data::default_fetch_dir;
use crate::cli::Failure;
use dockmatrix_core::corpus::fetch::{fill_cache, from_mirror, from_upstream};
use dockmatrix_core::corpus::{Sources, SpecSource};

/// Fills a corpus folder with the pinned, verified files (all or nothing) and
/// says where; progress goes to stderr.
pub fn fetch_specs(from: Option<&Path>, into: Option<&Path>) -> Result<String, Failure> {
    let sources = Sources::builtin()?;
    let dest = match into {
        Some(dir) => dir.to_path_buf(),
        None => default_fetch_dir()?,
    };
    let mut progress = |i: usize, total: usize, spec: &SpecSource, len: usize| {
        eprintln!("[{i:>2}/{total}] {} ({len} bytes) verified", spec.file);
    };
    match from {
        Some(dir) => fill_cache(&sources, &dest, &mut from_mirror(dir), &mut progress)?,
        None => fill_cache(&sources, &dest, &mut from_upstream(), &mut progress)?,
    }
    Ok(format!(
        "{} spec files verified into {}\n",
        sources.specs.len(),
        dest.display()
    ))
}
