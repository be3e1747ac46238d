//! Reading the corpus's files, verifying them against the pinned table and
//! ingesting them, one version or all in parallel.

use rayon::prelude::*;

use super::{ingest_text_shared, IngestError, IngestedSpec, ParseCache};
use crate::corpus::verify::{verify_bytes, VerifyError};
use crate::corpus::{Corpus, CorpusEntry, CorpusError};
use crate::suggest::{nearest_versions, UnknownVersion};
use crate::version::ApiVersion;

/// Why a version of the corpus could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The corpus itself (a missing file, a checksum, an unknown version).
    #[error(transparent)]
    Corpus(#[from] CorpusError),
    /// A file could not be ingested.
    #[error(transparent)]
    Ingest(#[from] IngestError),
}

impl From<VerifyError> for LoadError {
    fn from(e: VerifyError) -> Self {
        Self::Corpus(e.into())
    }
}

impl From<UnknownVersion> for LoadError {
    fn from(e: UnknownVersion) -> Self {
        Self::Corpus(e.into())
    }
}

impl Corpus {
    /// Reads, verifies and ingests one version.
    pub fn load(&self, version: ApiVersion) -> Result<IngestedSpec, LoadError> {
        let Some(entry) = self.entries.iter().find(|e| e.version == version) else {
            let nearest = nearest_versions(version, &self.versions(), 3);
            return Err(UnknownVersion {
                version: version.to_string(),
                nearest: nearest.iter().map(ToString::to_string).collect(),
            }
            .into());
        };
        self.load_entry(entry, None)
    }

    /// Reads, verifies and ingests every version in parallel; the result is in
    /// version order and, on failure, the error of the oldest failing version.
    pub fn load_all(&self) -> Result<Vec<IngestedSpec>, LoadError> {
        self.map_all(|spec| spec)
    }

    /// Like [`Corpus::load_all`], handing each ingested document to `f` as soon
    /// as it is ready, so that only the results of `f` are kept (the documents
    /// themselves are dropped one by one: memory stays near one document per
    /// worker thread). The documents share one [`ParseCache`], so each
    /// distinct Swagger entry is parsed once for the whole corpus.
    pub fn map_all<T: Send>(
        &self,
        f: impl Fn(IngestedSpec) -> T + Sync,
    ) -> Result<Vec<T>, LoadError> {
        let cache = ParseCache::default();
        self.entries
            .par_iter()
            .map(|e| self.load_entry(e, Some(&cache)).map(&f))
            .collect::<Vec<_>>()
            .into_iter()
            .collect()
    }

    fn load_entry(
        &self,
        entry: &CorpusEntry,
        cache: Option<&ParseCache>,
    ) -> Result<IngestedSpec, LoadError> {
        let bytes = std::fs::read(&entry.path).map_err(|source| VerifyError::Io {
            file: entry.path.clone(),
            source,
        })?;
        if self.verify {
            if let Some(spec) = entry.pinned.and_then(|i| self.sources.specs.get(i)) {
                verify_bytes(&entry.path, spec, &bytes)?;
            }
        }
        Ok(ingest_text_shared(
            &entry.path,
            entry.format,
            entry.version,
            &bytes,
            cache,
        )?)
    }
}
