//! `cargo xtask fetch-specs [--from DIR]`: fill the checkout's spec cache
//! (`specs/docker/cache/`), all or nothing, as `dockmatrix fetch-specs --into` does.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use dockmatrix_core::corpus::fetch::{fill_cache, from_mirror, from_upstream};
use dockmatrix_core::corpus::locate::cache_dir;
use dockmatrix_core::corpus::{Sources, SpecSource};

pub fn run(from: Option<PathBuf>) -> Result<ExitCode> {
    let sources = Sources::builtin()?;
    let cache = cache_dir(&crate::repo_root());
    let mut progress = |i: usize, total: usize, spec: &SpecSource, len: usize| {
        eprintln!("[{i:>2}/{total}] {} ({len} bytes) verified", spec.file);
    };
    match &from {
        Some(dir) => fill_cache(&sources, &cache, &mut from_mirror(dir), &mut progress)?,
        None => fill_cache(&sources, &cache, &mut from_upstream(), &mut progress)?,
    }
    eprintln!(
        "{} spec files verified into {}",
        sources.specs.len(),
        cache.display()
    );
    Ok(ExitCode::SUCCESS)
}
