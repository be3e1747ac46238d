//! `cargo xtask fetch-specs [--from DIR]`: fill the spec cache, all or nothing.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use dockmatrix::corpus::locate::cache_dir;
use dockmatrix::corpus::verify::sha256_hex;
use dockmatrix::corpus::{Sources, SpecSource};

pub fn run(from: Option<PathBuf>) -> Result<ExitCode> {
    let sources = Sources::builtin()?;
    let cache = cache_dir(&crate::repo_root());
    let parent = cache.parent().context("cache folder has no parent")?;
    // Everything goes into a staging folder first; the cache is replaced only
    // when every file arrived and matched its checksum.
    let staging = tempfile::Builder::new()
        .prefix(".cache-staging-")
        .tempdir_in(parent)
        .with_context(|| format!("creating a staging folder in {}", parent.display()))?;
    let total = sources.specs.len();
    for (i, spec) in sources.specs.iter().enumerate() {
        let bytes = match &from {
            Some(dir) => read_mirror(dir, spec)?,
            None => download(spec)?,
        };
        let actual = sha256_hex(&bytes);
        if !actual.eq_ignore_ascii_case(&spec.sha256) {
            bail!(
                "{}: checksum mismatch: expected sha256 {}, got {actual}; the cache was left unchanged",
                spec.file,
                spec.sha256
            );
        }
        std::fs::write(staging.path().join(&spec.file), &bytes)
            .with_context(|| format!("writing {}", spec.file))?;
        eprintln!(
            "[{:>2}/{total}] {} ({} bytes) ok",
            i + 1,
            spec.file,
            bytes.len()
        );
    }
    if cache.exists() {
        std::fs::remove_dir_all(&cache)
            .with_context(|| format!("removing old {}", cache.display()))?;
    }
    let staged = staging.keep();
    std::fs::rename(&staged, &cache)
        .with_context(|| format!("moving the staged files to {}", cache.display()))?;
    eprintln!("{total} spec files verified into {}", cache.display());
    Ok(ExitCode::SUCCESS)
}

fn read_mirror(dir: &Path, spec: &SpecSource) -> Result<Vec<u8>> {
    let path = dir.join(&spec.file);
    std::fs::read(&path)
        .with_context(|| format!("{}: missing from the mirror folder", path.display()))
}

fn download(spec: &SpecSource) -> Result<Vec<u8>> {
    eprintln!("downloading {}", spec.url);
    let response = ureq::get(&spec.url)
        .call()
        .with_context(|| format!("{}: download failed ({})", spec.file, spec.url))?;
    let mut bytes = Vec::new();
    response
        .into_body()
        .as_reader()
        .read_to_end(&mut bytes)
        .with_context(|| format!("{}: reading the download", spec.file))?;
    Ok(bytes)
}
