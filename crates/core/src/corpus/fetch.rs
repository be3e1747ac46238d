//! Filling the spec cache, all or nothing: every file is fetched into a staging
//! folder and checked against the pinned table; the cache is replaced only when
//! all of them arrived intact.

use std::path::{Path, PathBuf};

use super::sources::{Sources, SpecSource};
use super::verify::sha256_hex;

/// Why the cache could not be filled. The existing cache is left as it was.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// A file could not be obtained (download failed, missing from the mirror).
    #[error("{file}: {message}")]
    Source {
        /// The spec file name.
        file: String,
        /// What went wrong.
        message: String,
    },
    /// A file arrived but is not the pinned one.
    #[error("{file}: checksum mismatch: expected sha256 {expected}, got {actual}; the cache was left unchanged")]
    Mismatch {
        /// The spec file name.
        file: String,
        /// Pinned digest.
        expected: String,
        /// Digest of what arrived.
        actual: String,
    },
    /// Local file system trouble.
    #[error("{path}: {source}", path = .path.display())]
    Io {
        /// The path concerned.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// Gets the bytes of one spec file (a download, or a read from a mirror folder).
pub type Getter<'a> = dyn FnMut(&SpecSource) -> Result<Vec<u8>, String> + 'a;

/// Reads a file from a mirror folder.
pub fn from_mirror(dir: &Path) -> impl FnMut(&SpecSource) -> Result<Vec<u8>, String> + '_ {
    move |spec| {
        let path = dir.join(&spec.file);
        std::fs::read(&path)
            .map_err(|e| format!("cannot read {} from the mirror: {e}", path.display()))
    }
}

/// The largest spec file a download may bring (the biggest is well under 1 MiB).
pub const MAX_DOWNLOAD: u64 = 16 << 20;

/// Downloads a file from its pinned upstream URL (HTTPS, 60 s overall timeout,
/// at most [`MAX_DOWNLOAD`] bytes).
pub fn from_upstream() -> impl FnMut(&SpecSource) -> Result<Vec<u8>, String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(std::time::Duration::from_secs(60)))
        .build()
        .into();
    move |spec| {
        let response = agent
            .get(&spec.url)
            .call()
            .map_err(|e| format!("download failed ({}): {e}", spec.url))?;
        response
            .into_body()
            .into_with_config()
            .limit(MAX_DOWNLOAD)
            .read_to_vec()
            .map_err(|e| format!("reading {}: {e}", spec.url))
    }
}

/// Fetches every file of `sources` with `get`, verifies it, and replaces `cache`
/// with the verified set. `progress` is told about each verified file.
pub fn fill_cache(
    sources: &Sources,
    cache: &Path,
    get: &mut Getter<'_>,
    progress: &mut dyn FnMut(usize, usize, &SpecSource, usize),
) -> Result<(), FetchError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| FetchError::Io { path, source }
    };
    let parent = cache.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(io(parent))?;
    let staging = tempfile::Builder::new()
        .prefix(".cache-staging-")
        .tempdir_in(parent)
        .map_err(io(parent))?;
    let total = sources.specs.len();
    for (i, spec) in sources.specs.iter().enumerate() {
        let bytes = get(spec).map_err(|message| FetchError::Source {
            file: spec.file.clone(),
            message,
        })?;
        let actual = sha256_hex(&bytes);
        if !actual.eq_ignore_ascii_case(&spec.sha256) {
            return Err(FetchError::Mismatch {
                file: spec.file.clone(),
                expected: spec.sha256.clone(),
                actual,
            });
        }
        let target = staging.path().join(&spec.file);
        std::fs::write(&target, &bytes).map_err(io(&target))?;
        progress(i + 1, total, spec, bytes.len());
    }
    if cache.exists() {
        std::fs::remove_dir_all(cache).map_err(io(cache))?;
    }
    let staged = staging.keep();
    std::fs::rename(&staged, cache).map_err(io(cache))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(files: &[(&str, &[u8])]) -> Sources {
        let mut text = String::from(
            "[upstream]\nrepository = \"r\"\ncommit = \"c\"\nfolder = \"f\"\nlicense = \"l\"\n",
        );
        for (i, (name, body)) in files.iter().enumerate() {
            text.push_str(&format!(
                "[[spec]]\nversion = \"1.{i}\"\nfile = \"{name}\"\nurl = \"u\"\nsha256 = \"{}\"\n",
                sha256_hex(body)
            ));
        }
        Sources::parse(&text).unwrap()
    }

    #[test]
    fn verified_files_replace_the_cache_and_failures_leave_it_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let mirror = tmp.path().join("mirror");
        std::fs::create_dir_all(&mirror).unwrap();
        std::fs::write(mirror.join("v1.0.md"), b"zero").unwrap();
        std::fs::write(mirror.join("v1.1.md"), b"one").unwrap();
        let cache = tmp.path().join("specs/docker/cache");
        let sources = table(&[("v1.0.md", b"zero"), ("v1.1.md", b"one")]);
        let mut seen = 0;
        fill_cache(
            &sources,
            &cache,
            &mut from_mirror(&mirror),
            &mut |_, _, _, _| seen += 1,
        )
        .unwrap();
        assert_eq!(seen, 2);
        assert_eq!(std::fs::read(cache.join("v1.1.md")).unwrap(), b"one");

        // A tampered mirror file: error naming it, cache untouched, no staging left.
        std::fs::write(mirror.join("v1.1.md"), b"tampered").unwrap();
        let err = fill_cache(
            &sources,
            &cache,
            &mut from_mirror(&mirror),
            &mut |_, _, _, _| {},
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("v1.1.md: checksum mismatch"),
            "{err}"
        );
        assert_eq!(std::fs::read(cache.join("v1.1.md")).unwrap(), b"one");

        // A missing file: same.
        std::fs::remove_file(mirror.join("v1.1.md")).unwrap();
        let err = fill_cache(
            &sources,
            &cache,
            &mut from_mirror(&mirror),
            &mut |_, _, _, _| {},
        )
        .unwrap_err();
        assert!(err.to_string().starts_with("v1.1.md: cannot read"), "{err}");
        let leftovers: Vec<_> = std::fs::read_dir(cache.parent().unwrap())
            .unwrap()
            .flatten()
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with(".cache-staging")
            })
            .collect();
        assert!(leftovers.is_empty(), "staging folders must be cleaned up");
    }
}
