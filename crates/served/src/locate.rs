//! Finding the server corpus: `$DOCKMATRIX_MOBY_SERVER`, else
//! `../shared/moby-server` from the checkout, through the core's one corpus
//! locator.

use std::path::{Path, PathBuf};

use crate::ServedError;

/// Environment variable naming the server corpus directory.
pub const MOBY_SERVER_ENV: &str = "DOCKMATRIX_MOBY_SERVER";

/// The server corpus for a checkout at `repo`.
pub fn locate_in(repo: &Path) -> Result<PathBuf, ServedError> {
    dockmatrix_core::corpus::locate::beside_checkout(repo, MOBY_SERVER_ENV, "moby-server")
        .map(|found| found.dir)
        .map_err(|e| ServedError::NotFound {
            tried: e.to_string(),
            env: MOBY_SERVER_ENV,
        })
}
