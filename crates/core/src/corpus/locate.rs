//! Finding the spec corpus on disk.
//!
//! Order: an explicit directory (`--specs DIR`), else `$DOCKMATRIX_SPECS`, else a
//! source checkout's fetch cache `specs/docker/cache/` under the working
//! directory, else the user's cache (`~/.cache/dockmatrix/specs`, where
//! `dockmatrix fetch-specs` puts the files by default), else a mirror at
//! `../shared/specs/docker` from the working directory. No path of the machine
//! that built the program is compiled in.

use std::path::{Path, PathBuf};

/// Environment variable naming the corpus directory.
pub const SPECS_ENV: &str = "DOCKMATRIX_SPECS";

/// Environment variable naming the client-library corpus directory (pinned
/// client and consumer sources read by `cargo xtask codegen` and the scan tests).
pub const CLIENTS_ENV: &str = "DOCKMATRIX_CLIENTS";

/// Where a corpus directory was found, and why it was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// The directory.
    pub dir: PathBuf,
    /// How it was chosen (`--specs`, `DOCKMATRIX_SPECS`, `cache`, `user cache`, `mirror`).
    pub origin: &'static str,
}

/// No corpus directory could be found.
#[derive(Debug, thiserror::Error)]
pub enum LocateError {
    /// An explicitly named directory does not exist.
    #[error("corpus directory {dir} ({origin}) does not exist or is not a directory", dir = .dir.display())]
    NotADirectory {
        /// The directory.
        dir: PathBuf,
        /// Where the name came from.
        origin: &'static str,
    },
    /// Nothing found anywhere.
    #[error("no spec corpus found; looked in: {tried}. Run `dockmatrix fetch-specs` (or `fetch-specs --from DIR` for a local mirror), or pass --specs DIR / set DOCKMATRIX_SPECS")]
    NotFound {
        /// The candidates, comma separated.
        tried: String,
    },
}

/// The fetch cache directory inside a source checkout.
pub fn cache_dir(repo: &Path) -> PathBuf {
    repo.join("specs").join("docker").join("cache")
}

/// The user's corpus cache (`$XDG_CACHE_HOME/dockmatrix/specs`, by default
/// `~/.cache/dockmatrix/specs` on Linux), if the platform has a cache folder.
pub fn user_cache_dir() -> Option<PathBuf> {
    dirs::cache_dir().map(|d| d.join("dockmatrix").join("specs"))
}

/// Resolves the corpus directory from the working directory.
pub fn locate(explicit: Option<&Path>) -> Result<Located, LocateError> {
    let cwd = std::env::current_dir().unwrap_or_default();
    locate_from(explicit, &cwd)
}

/// Resolves the corpus directory for a source checkout at `repo`, in the same
/// order as [`locate`]: what tests, benchmarks, xtask and the fuzzer use.
pub fn locate_in(repo: &Path) -> Result<Located, LocateError> {
    locate_from(None, repo)
}

/// The client-library corpus (pinned Go sources of client libraries and
/// their consumers) for a checkout at `repo`: [`beside_checkout`] with
/// `$DOCKMATRIX_CLIENTS`, else `../shared/clients`.
pub fn locate_clients_in(repo: &Path) -> Result<Located, LocateError> {
    beside_checkout(repo, CLIENTS_ENV, "clients")
}

fn locate_from(explicit: Option<&Path>, base: &Path) -> Result<Located, LocateError> {
    let env_dir = std::env::var_os(SPECS_ENV).filter(|v| !v.is_empty());
    locate_with(
        explicit,
        env_dir.as_deref().map(Path::new),
        &default_candidates(base, user_cache_dir()),
    )
}

/// The implicit candidates, in order, for a working directory and user cache.
pub fn default_candidates(cwd: &Path, user_cache: Option<PathBuf>) -> Vec<(PathBuf, &'static str)> {
    let mut out = vec![(cache_dir(cwd), "cache")];
    out.extend(user_cache.map(|d| (d, "user cache")));
    out.push((cwd.join(mirror_rel()), "mirror"));
    out
}

/// [`locate`] with its inputs made explicit (for tests).
pub fn locate_with(
    explicit: Option<&Path>,
    env_dir: Option<&Path>,
    candidates: &[(PathBuf, &'static str)],
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
    if let Some((dir, origin)) = candidates.iter().find(|(dir, _)| has_specs(dir)) {
        return Ok(Located {
            dir: dir.clone(),
            origin,
        });
    }
    Err(LocateError::NotFound {
        tried: candidates
            .iter()
            .map(|(d, _)| d.display().to_string())
            .collect::<Vec<_>>()
            .join(", "),
    })
}

fn mirror_rel() -> PathBuf {
    shared_rel().join("specs").join("docker")
}

/// Where read-only corpora sit beside a checkout: `../shared`.
fn shared_rel() -> PathBuf {
    Path::new("..").join("shared")
}

/// Another corpus kept beside the checkout the way the spec mirror is (the
/// server code at `moby-server`, the client sources at `clients`): `$env` if
/// set, else `<repo>/../shared/<name>`. The one locator for those, used by the
/// served witness, xtask, tests and benchmarks.
pub fn beside_checkout(repo: &Path, env: &'static str, name: &str) -> Result<Located, LocateError> {
    let (dir, origin) = match std::env::var_os(env).filter(|v| !v.is_empty()) {
        Some(dir) => (PathBuf::from(dir), env),
        None => (repo.join(shared_rel()).join(name), "mirror"),
    };
    if dir.is_dir() {
        Ok(Located { dir, origin })
    } else {
        Err(LocateError::NotADirectory { dir, origin })
    }
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
        let user = tmp.path().join("home/.cache/dockmatrix/specs");
        let candidates = default_candidates(&repo, Some(user.clone()));
        let found = locate_with(None, None, &candidates).unwrap();
        assert_eq!((found.dir, found.origin), (cache.clone(), "cache"));
        std::fs::remove_file(cache.join("v1.0.md")).unwrap();
        let found = locate_with(None, None, &candidates).unwrap();
        assert_eq!(found.origin, "mirror");
        std::fs::create_dir_all(&user).unwrap();
        std::fs::write(user.join("v1.25.yaml"), "x").unwrap();
        let found = locate_with(None, None, &candidates).unwrap();
        assert_eq!((found.dir, found.origin), (user, "user cache"));
        std::fs::remove_file(mirror.join("v1.0.md")).unwrap();
        let bare = default_candidates(&repo, None);
        let err = locate_with(None, None, &bare).unwrap_err();
        assert!(err.to_string().contains("dockmatrix fetch-specs"), "{err}");
    }
}
