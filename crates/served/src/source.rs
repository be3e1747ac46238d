//! `SOURCE.toml`: the provenance of one tag's extract (and, for the API
//! version constants, an independent witness the tests compare against).

use std::path::Path;

use serde::Deserialize;

use crate::ServedError;

/// The fields of a tag's `SOURCE.toml` the reader uses.
#[derive(Debug, Clone, Deserialize)]
pub struct SourceToml {
    /// Release tag, e.g. `v20.10.27`.
    pub tag: String,
    /// Tagged commit.
    pub commit: String,
    /// `api/server` or `daemon/server`.
    pub server_root: String,
    /// The API version the release serves (its default / maximum).
    pub api_version: String,
    /// The minimum API version enforced by default (Linux).
    pub min_api_version: String,
    /// The Windows minimum, where it differs by platform.
    pub min_api_version_windows: Option<String>,
    /// The lowest minimum `DOCKER_MIN_API_VERSION` may set (Linux).
    pub min_api_version_floor: Option<String>,
    /// The same on Windows.
    pub min_api_version_floor_windows: Option<String>,
    /// Every file with its roles.
    pub files: Vec<SourceFile>,
}

/// One file of the extract.
#[derive(Debug, Clone, Deserialize)]
pub struct SourceFile {
    /// Repository path.
    pub path: String,
    /// `server`, `api-version`, `api-version-wiring`, `daemon-gate`, ….
    pub roles: Vec<String>,
}

impl SourceToml {
    /// Reads and parses a `SOURCE.toml`.
    pub fn load(path: &Path) -> Result<Self, ServedError> {
        let text = std::fs::read_to_string(path).map_err(|source| ServedError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        toml::from_str(&text).map_err(|source| ServedError::Source {
            path: path.to_path_buf(),
            source,
        })
    }

    /// The Go files with a role.
    pub fn files_with(&self, role: &str) -> impl Iterator<Item = &SourceFile> {
        let role = role.to_string();
        self.files
            .iter()
            .filter(move |f| f.path.ends_with(".go") && f.roles.contains(&role))
    }
}
