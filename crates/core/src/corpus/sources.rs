//! The pinned table of upstream spec files (`specs/docker/sources.toml`).

use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::format::SpecFormat;
use crate::version::ApiVersion;

/// The table as committed in the repository, compiled into the binary.
pub const SOURCES_TOML: &str = include_str!("../../../../specs/docker/sources.toml");

/// Where the upstream documents come from.
#[derive(Debug, Clone, Deserialize)]
pub struct Upstream {
    /// GitHub `owner/name`.
    pub repository: String,
    /// The pinned commit every URL points into.
    pub commit: String,
    /// Folder of the documents inside the repository.
    pub folder: String,
    /// The documents' license.
    pub license: String,
}

/// One API version's document.
#[derive(Debug, Clone, Deserialize)]
pub struct SpecSource {
    /// The API version the file describes.
    pub version: ApiVersion,
    /// File name (`v1.24.md`, `v1.25.yaml`).
    pub file: String,
    /// Upstream download URL at the pinned commit.
    pub url: String,
    /// Expected SHA-256 of the file, lower-case hex.
    pub sha256: String,
}

impl SpecSource {
    /// The document format, from the file name.
    pub fn format(&self) -> Option<SpecFormat> {
        SpecFormat::from_file_name(&self.file)
    }
}

/// The whole table.
#[derive(Debug, Clone, Deserialize)]
pub struct Sources {
    /// Provenance of the files.
    pub upstream: Upstream,
    /// One entry per API version, oldest first.
    #[serde(rename = "spec")]
    pub specs: Vec<SpecSource>,
}

/// A sources table that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SourcesError {
    /// TOML syntax or shape error.
    #[error("specs/docker/sources.toml: {0}")]
    Parse(#[from] toml::de::Error),
    /// A semantic problem (duplicate version, unknown file type, bad checksum text).
    #[error("specs/docker/sources.toml: {0}")]
    Invalid(String),
}

impl Sources {
    /// The table compiled into this binary.
    pub fn builtin() -> Result<Self, SourcesError> {
        Self::parse(SOURCES_TOML)
    }

    /// Parses and checks a table: versions strictly increasing, known formats, hex digests.
    pub fn parse(text: &str) -> Result<Self, SourcesError> {
        let sources: Sources = toml::from_str(text)?;
        for pair in sources.specs.windows(2) {
            if let [a, b] = pair {
                if a.version >= b.version {
                    return Err(SourcesError::Invalid(format!(
                        "versions must be listed oldest first without repeats: {} then {}",
                        a.version, b.version
                    )));
                }
            }
        }
        for spec in &sources.specs {
            if spec.format().is_none() {
                return Err(SourcesError::Invalid(format!(
                    "{}: unknown document type (expected .md or .yaml)",
                    spec.file
                )));
            }
            if spec.sha256.len() != 64 || !spec.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(SourcesError::Invalid(format!(
                    "{}: sha256 must be 64 hex digits",
                    spec.file
                )));
            }
        }
        Ok(sources)
    }

    /// The entry for one API version.
    pub fn get(&self, version: ApiVersion) -> Option<&SpecSource> {
        self.specs.iter().find(|s| s.version == version)
    }

    /// Every API version in the table, oldest first.
    pub fn versions(&self) -> Vec<ApiVersion> {
        self.specs.iter().map(|s| s.version).collect()
    }

    /// The table in `sha256sum` format, laid out as the corpus' `SHA256SUMS`
    /// (`sha256sum *.md *.yaml`: markdown pages first, each group in byte order).
    pub fn sha256sums_text(&self) -> String {
        let mut specs: Vec<&SpecSource> = self.specs.iter().collect();
        specs.sort_by_key(|s| (s.format() != Some(SpecFormat::Markdown), s.file.as_str()));
        specs
            .iter()
            .map(|s| format!("{}  {}\n", s.sha256, s.file))
            .collect()
    }

    /// SHA-256 of [`Self::sha256sums_text`]: one fingerprint for the whole corpus.
    pub fn corpus_digest(&self) -> String {
        hex(&Sha256::digest(self.sha256sums_text().as_bytes()))
    }
}

/// Lower-case hex of a byte string.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_table_covers_every_version() {
        let sources = Sources::builtin().unwrap();
        assert_eq!(sources.specs.len(), 56);
        assert_eq!(sources.specs[0].version.to_string(), "1.0");
        assert_eq!(sources.specs[55].version.to_string(), "1.55");
        let md = sources
            .specs
            .iter()
            .filter(|s| s.format() == Some(SpecFormat::Markdown))
            .count();
        assert_eq!(md, 25);
    }

    #[test]
    fn corpus_digest_is_the_checksum_of_the_mirror_sha256sums() {
        let mirror = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join("../shared/specs/docker/SHA256SUMS");
        let Ok(bytes) = std::fs::read(&mirror) else {
            eprintln!("skipped: no mirror at {}", mirror.display());
            return;
        };
        let sources = Sources::builtin().unwrap();
        assert_eq!(sources.sha256sums_text().as_bytes(), bytes.as_slice());
        assert_eq!(sources.corpus_digest(), hex(&Sha256::digest(&bytes)));
    }

    #[test]
    fn rejects_unordered_and_bad_digests() {
        let entry = |v: &str, sha: &str| {
            format!("[[spec]]\nversion = \"{v}\"\nfile = \"v{v}.md\"\nurl = \"u\"\nsha256 = \"{sha}\"\n")
        };
        let head =
            "[upstream]\nrepository = \"r\"\ncommit = \"c\"\nfolder = \"f\"\nlicense = \"l\"\n";
        let good = "a".repeat(64);
        let unordered = format!("{head}{}{}", entry("1.2", &good), entry("1.1", &good));
        assert!(Sources::parse(&unordered)
            .unwrap_err()
            .to_string()
            .contains("oldest first"));
        let bad = format!("{head}{}", entry("1.2", "xyz"));
        assert!(Sources::parse(&bad)
            .unwrap_err()
            .to_string()
            .contains("64 hex"));
    }
}
