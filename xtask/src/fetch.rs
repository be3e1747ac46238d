//! `cargo xtask fetch-specs [--from DIR]`: fill the spec cache, all or nothing.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use dockmatrix::corpus::fetch::{fill_cache, from_mirror};
use dockmatrix::corpus::locate::cache_dir;
use dockmatrix::corpus::{Sources, SpecSource};

pub fn run(from: Option<PathBuf>) -> Result<ExitCode> {
    let sources = Sources::builtin()?;
    let cache = cache_dir(&crate::repo_root());
    let mut progress = |i: usize, total: usize, spec: &SpecSource, len: usize| {
        eprintln!("[{i:>2}/{total}] {} ({len} bytes) verified", spec.file);
    };
    match &from {
        Some(dir) => fill_cache(&sources, &cache, &mut from_mirror(dir), &mut progress)?,
        None => fill_cache(&sources, &cache, &mut download, &mut progress)?,
    }
    eprintln!(
        "{} spec files verified into {}",
        sources.specs.len(),
        cache.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn download(spec: &SpecSource) -> Result<Vec<u8>, String> {
    eprintln!("downloading {}", spec.url);
    let response = ureq::get(&spec.url)
        .call()
        .map_err(|e| format!("download failed ({}): {e}", spec.url))?;
    let mut bytes = Vec::new();
    response
        .into_body()
        .as_reader()
        .read_to_end(&mut bytes)
        .map_err(|e| format!("reading the download: {e}"))?;
    Ok(bytes)
}
