//! Finding the spec corpus on disk.
//!
//! Order: an explicit directory (`--specs DIR`), else `$DOCKMATRIX_SPECS`, else the
//! fetch cache `specs/docker/cache/`, else a mirror at `../shared/specs/docker`.
//! Relative candidates are tried from the working directory and from the
//! repository this binary was built from.

use std::path::{Path, PathBuf};

/// Environment variable naming the corpus directory.
pub const SPECS_ENV: &str = "DOCKMATRIX_SPECS";

/// Where a corpus directory was found, and why it was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// The directory.
    pub dir: PathBuf,
    /// How it was chosen (`--specs`, `DOCKMATRIX_SPECS`, `cache`, `mirror`).
    pub origin: &'static str,
}

/// No corpus directory could be found.
#[derive(Debug, thiserror::Error)]
pub enum LocateError {
    /// An explicitly named directory does not exist.
    #[error("spec directory {dir} ({origin}) does not exist or is not a directory", dir = .dir.display())]
    NotADirectory {
        /// The directory.
        dir: PathBuf,
        /// Where the name came from.
        origin: &'static str,
    },
    /// Nothing found anywhere.
    #[error("no spec corpus found; looked in: {tried}. Run `cargo xtask fetch-specs`, or pass --specs DIR / set DOCKMATRIX_SPECS")]
    NotFound {
        /// The candidates, comma separated.
        tried: String,
    },
}

/// The repository root this crate was built from.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The fetch cache directory inside a repository.
pub fn cache_dir(repo: &Path) -> PathBuf {
    repo.join("specs").join("docker").join("cache")
}

/// Resolves the corpus directory.
pub fn locate(explicit: Option<&Path>) -> Result<Located, LocateError> {
    let env_dir = std::env::var_os(SPECS_ENV).filter(|v| !v.is_empty());
    locate_with(
        explicit,
        env_dir.as_deref().map(Path::new),
        &candidate_roots(),
    )
}

fn candidate_roots() -> Vec<PathBuf> {
    let mut roots = Vec::new();
    if let Ok(cwd) = std::env::current_dir() {
        roots.push(cwd);
    }
    let repo = repo_root();
    if !roots.contains(&repo) {
        roots.push(repo);
    }
    roots
}

/// [`locate`] with its inputs made explicit (for tests).
pub fn locate_with(
    explicit: Option<&Path>,
    env_dir: Option<&Path>,
    roots: &[PathBuf],
) -> Result<Located, LocateError> {
    for (dir, origin) in [(explicit, "--specs"), (env_dir, SPECS_ENV)] {
        if let Some(dir) = dir {
            return if dir.is_dir() {
                Ok(Located {
                    dir: dir.to_path_buf(),
                    origin,
                })
            } else {
                Err(LocateError::NotADirectory {
                    dir: dir.to_path_buf(),
                    origin,
                })
            };
        }
    }
    let mut tried = Vec::new();
    for (origin, rel) in [
        ("cache", cache_dir(Path::new(""))),
        ("mirror", mirror_rel()),
    ] {
        for root in roots {
            let dir = root.join(&rel);
            if has_specs(&dir) {
                return Ok(Located { dir, origin });
            }
            tried.push(dir.display().to_string());
        }
    }
    Err(LocateError::NotFound {
        tried: tried.join(", "),
    })
}

fn mirror_rel() -> PathBuf {
    Path::new("..").join("shared").join("specs").join("docker")
}

fn has_specs(dir: &Path) -> bool {
    dir.join("v1.0.md").is_file() || dir.join("v1.25.yaml").is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_beats_env_and_missing_is_an_error() {
        let tmp = tempfile::tempdir().unwrap();
        let found = locate_with(Some(tmp.path()), Some(Path::new("/nope")), &[]).unwrap();
        assert_eq!(found.origin, "--specs");
        let err = locate_with(None, Some(Path::new("/definitely/not/here")), &[]).unwrap_err();
        assert!(err.to_string().contains("DOCKMATRIX_SPECS"), "{err}");
    }

    #[test]
    fn cache_beats_mirror() {
        let tmp = tempfile::tempdir().unwrap();
        let repo = tmp.path().join("repo");
        let cache = cache_dir(&repo);
        let mirror = tmp.path().join("shared/specs/docker");
        for d in [&cache, &mirror] {
            std::fs::create_dir_all(d).unwrap();
            std::fs::write(d.join("v1.0.md"), "x").unwrap();
        }
        let found = locate_with(None, None, std::slice::from_ref(&repo)).unwrap();
        assert_eq!((found.dir, found.origin), (cache.clone(), "cache"));
        std::fs::remove_file(cache.join("v1.0.md")).unwrap();
        let found = locate_with(None, None, std::slice::from_ref(&repo)).unwrap();
        assert_eq!(found.origin, "mirror");
        std::fs::remove_file(mirror.join("v1.0.md")).unwrap();
        assert!(locate_with(None, None, &[repo]).is_err());
    }
}
