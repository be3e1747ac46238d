//! Finding the server corpus: `$DOCKMATRIX_MOBY_SERVER`, else
//! `../shared/moby-server` from the checkout (the same mirror convention as the
//! spec corpus's `../shared/specs/docker`).

use std::path::{Path, PathBuf};

use crate::ServedError;

/// Environment variable naming the server corpus directory.
pub const MOBY_SERVER_ENV: &str = "DOCKMATRIX_MOBY_SERVER";

/// The server corpus for a checkout at `repo`.
pub fn locate_in(repo: &Path) -> Result<PathBuf, ServedError> {
    let dir = std::env::var_os(MOBY_SERVER_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| repo.join("..").join("shared").join("moby-server"));
    if dir.is_dir() {
        Ok(dir)
    } else {
        Err(ServedError::NotFound {
            tried: dir.display().to_string(),
            env: MOBY_SERVER_ENV,
        })
    }
}
