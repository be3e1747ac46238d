//! Opening the corpus: locate it and list its files against the pinned table.
//! Reading and ingesting them is the next stage's job (`ingest::load`).

use std::path::PathBuf;

use super::format::SpecFormat;
use super::locate::{locate, LocateError, Located};
use super::sources::{Sources, SourcesError};
use super::verify::VerifyError;
use crate::suggest::{known_version, UnknownVersion};
use crate::version::ApiVersion;

/// How to open the corpus.
#[derive(Debug, Clone, Default)]
pub struct CorpusOptions {
    /// Explicit directory (`--specs DIR`).
    pub dir: Option<PathBuf>,
    /// Skip checksum verification (`--no-verify`): for patched or newer specs.
    /// Content is still validated by ingest.
    pub no_verify: bool,
}

/// Anything that stops the corpus from loading.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    /// No corpus directory.
    #[error(transparent)]
    Locate(#[from] LocateError),
    /// The pinned table is broken.
    #[error(transparent)]
    Sources(#[from] SourcesError),
    /// A file is missing or does not match its checksum.
    #[error(transparent)]
    Verify(#[from] VerifyError),
    /// A version that the corpus does not have.
    #[error(transparent)]
    UnknownVersion(#[from] UnknownVersion),
}

/// One API version's file in the corpus directory.
#[derive(Debug, Clone)]
pub struct CorpusEntry {
    /// The API version.
    pub version: ApiVersion,
    /// Path of the file.
    pub path: PathBuf,
    /// Its format.
    pub format: SpecFormat,
    /// Index into the pinned table, `None` for an extra file found with `--no-verify`.
    pub pinned: Option<usize>,
}

/// An opened (located, not yet ingested) corpus.
#[derive(Debug, Clone)]
pub struct Corpus {
    /// Where the files are.
    pub located: Located,
    /// The pinned table.
    pub sources: Sources,
    /// Whether checksums are verified.
    pub verify: bool,
    /// The files, oldest version first.
    pub entries: Vec<CorpusEntry>,
}

impl Corpus {
    /// Locates the corpus and lists its files. With `no_verify`, extra `vX.Y.md` /
    /// `vX.Y.yaml` files beyond the pinned table are included too.
    pub fn open(options: &CorpusOptions) -> Result<Self, CorpusError> {
        let located = locate(options.dir.as_deref())?;
        let sources = Sources::builtin()?;
        let mut entries: Vec<CorpusEntry> = sources
            .specs
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                Some(CorpusEntry {
                    version: s.version,
                    path: located.dir.join(&s.file),
                    format: s.format()?,
                    pinned: Some(i),
                })
            })
            .collect();
        if options.no_verify {
            entries.extend(extra_files(&located, &sources));
            entries.sort_by_key(|e| e.version);
        }
        Ok(Self {
            located,
            sources,
            verify: !options.no_verify,
            entries,
        })
    }

    /// Every API version, oldest first.
    pub fn versions(&self) -> Vec<ApiVersion> {
        self.entries.iter().map(|e| e.version).collect()
    }

    /// Parses a user-supplied version and checks the corpus has it.
    pub fn known_version(&self, text: &str) -> Result<ApiVersion, CorpusError> {
        Ok(known_version(text, &self.versions())?)
    }
}

/// `vX.Y.md` / `vX.Y.yaml` files in the directory that the table does not list.
fn extra_files(located: &Located, sources: &Sources) -> Vec<CorpusEntry> {
    let Ok(read) = std::fs::read_dir(&located.dir) else {
        return Vec::new();
    };
    let mut extra = Vec::new();
    for item in read.flatten() {
        let name = item.file_name().to_string_lossy().into_owned();
        let Some(format) = SpecFormat::from_file_name(&name) else {
            continue;
        };
        let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
        let Some(version) = stem
            .strip_prefix('v')
            .and_then(|v| v.parse::<ApiVersion>().ok())
        else {
            continue;
        };
        if sources.get(version).is_none() {
            extra.push(CorpusEntry {
                version,
                path: item.path(),
                format,
                pinned: None,
            });
        }
    }
    extra
}
