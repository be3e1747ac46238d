//! Docker Engine releases and the API versions each serves
//! (`specs/docker/releases.toml`).

use serde::{Deserialize, Serialize};

use crate::version::ApiVersion;

/// The table as committed, compiled into the binary.
pub const RELEASES_TOML: &str = include_str!("../../../../specs/docker/releases.toml");

/// One Docker Engine release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Release {
    /// Release name (`1.12`, `17.03.1`, `29.5`).
    pub docker: String,
    /// Newest API version it serves.
    pub max_api: ApiVersion,
    /// Oldest API version it still accepts.
    pub min_api: ApiVersion,
}

impl Release {
    /// Whether a request at API `v` is served by this release.
    pub fn serves(&self, v: ApiVersion) -> bool {
        self.min_api <= v && v <= self.max_api
    }
}

#[derive(Deserialize)]
struct Table {
    release: Vec<Release>,
}

/// The releases table is broken.
#[derive(Debug, thiserror::Error)]
pub enum ReleasesError {
    /// TOML syntax or shape.
    #[error("specs/docker/releases.toml: {0}")]
    Parse(#[from] toml::de::Error),
    /// A row that makes no sense.
    #[error("specs/docker/releases.toml: release {docker}: {message}")]
    Invalid {
        /// The release.
        docker: String,
        /// What is wrong.
        message: String,
    },
}

/// Parses a releases table; checks each row has min ≤ max and rows are oldest first.
pub fn parse_releases(text: &str) -> Result<Vec<Release>, ReleasesError> {
    let table: Table = toml::from_str(text)?;
    for (i, r) in table.release.iter().enumerate() {
        if r.min_api > r.max_api {
            return Err(ReleasesError::Invalid {
                docker: r.docker.clone(),
                message: format!("min_api {} is above max_api {}", r.min_api, r.max_api),
            });
        }
        if let Some(prev) = i.checked_sub(1).and_then(|p| table.release.get(p)) {
            if prev.max_api > r.max_api {
                return Err(ReleasesError::Invalid {
                    docker: r.docker.clone(),
                    message: format!("listed after {} but serves an older max API", prev.docker),
                });
            }
        }
    }
    Ok(table.release)
}

/// The table compiled into this binary.
pub fn builtin_releases() -> Result<Vec<Release>, ReleasesError> {
    parse_releases(RELEASES_TOML)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_table_spans_0_3_3_to_29_7() {
        let releases = builtin_releases().unwrap();
        assert_eq!(releases.len(), 72);
        assert_eq!(releases.first().unwrap().docker, "0.3.3");
        let newest = releases.last().unwrap();
        assert_eq!(
            (
                newest.docker.as_str(),
                newest.max_api.to_string(),
                newest.min_api.to_string()
            ),
            ("29.7", "1.55".into(), "1.40".into())
        );
        let d19 = releases.iter().find(|r| r.docker == "1.9").unwrap();
        assert!(d19.serves("1.21".parse().unwrap()) && !d19.serves("1.22".parse().unwrap()));
    }

    #[test]
    fn inverted_row_is_an_error() {
        let bad = "[[release]]\ndocker = \"x\"\nmax_api = \"1.2\"\nmin_api = \"1.3\"\n";
        assert!(parse_releases(bad)
            .unwrap_err()
            .to_string()
            .contains("release x"));
    }
}
