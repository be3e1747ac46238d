//! The whole pipeline in one call: corpus → models → matrix.

use rayon::prelude::*;

use crate::analysis::{Matrix, Provenance, RealRemovals, RemovalsError};
use crate::corpus::{Corpus, CorpusError};
use crate::ingest::{IngestedSpec, LoadError, SpecWarning};
use crate::model::errata::{ModelErrata, ModelErrataError};
use crate::model::harmonize::harmonize;
use crate::model::releases::{builtin_releases, ReleasesError};
use crate::model::{extract, ApiSpec};

/// Why the matrix could not be built.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// The corpus could not be loaded.
    #[error(transparent)]
    Corpus(#[from] CorpusError),
    /// A document could not be read or ingested.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The releases table is broken.
    #[error(transparent)]
    Releases(#[from] ReleasesError),
    /// The declared-removals table is broken.
    #[error(transparent)]
    Removals(#[from] RemovalsError),
    /// The model errata table is broken or stale.
    #[error(transparent)]
    ModelErrata(#[from] ModelErrataError),
}

/// Every version's model, plus the upstream defects ingest worked around.
#[derive(Debug, Clone)]
pub struct Models {
    /// One model per version, oldest first.
    pub specs: Vec<ApiSpec>,
    /// Upstream defects, ordered.
    pub warnings: Vec<SpecWarning>,
}

/// Loads and models every version of the corpus (in parallel, deterministic order).
/// Each document is modelled and dropped as soon as it is ingested, so peak
/// memory holds the models, not 56 OpenAPI documents.
pub fn load_models(corpus: &Corpus) -> Result<Models, PipelineError> {
    let loaded = corpus.map_all(|doc| (extract(&doc), doc.warnings))?;
    let (specs, warnings) = loaded.into_iter().unzip::<_, _, Vec<_>, Vec<_>>();
    finish(specs, warnings.into_iter().flatten().collect())
}

/// Like [`load_models`], also keeping every ingested OpenAPI document (oldest first),
/// for generators that need schemas and media types.
pub fn load_documents(corpus: &Corpus) -> Result<(Vec<IngestedSpec>, Models), PipelineError> {
    let ingested = corpus.load_all()?;
    let specs: Vec<ApiSpec> = ingested.par_iter().map(extract).collect();
    let warnings: Vec<SpecWarning> = ingested.iter().flat_map(|s| s.warnings.clone()).collect();
    Ok((ingested, finish(specs, warnings)?))
}

/// Applies the model errata and the cross-version harmonization; sorts warnings.
fn finish(
    mut specs: Vec<ApiSpec>,
    mut warnings: Vec<SpecWarning>,
) -> Result<Models, PipelineError> {
    warnings.extend(ModelErrata::builtin()?.apply(&mut specs)?);
    warnings.extend(harmonize(&mut specs));
    warnings.sort();
    Ok(Models { specs, warnings })
}

/// Where the corpus came from, for reports and the matrix.
pub fn provenance(corpus: &Corpus) -> Provenance {
    Provenance {
        repository: corpus.sources.upstream.repository.clone(),
        commit: corpus.sources.upstream.commit.clone(),
        sha256sums: corpus.sources.corpus_digest(),
    }
}

/// Builds the matrix from already-loaded models.
pub fn matrix_from(corpus: &Corpus, models: &Models) -> Result<Matrix, PipelineError> {
    Ok(Matrix::build(
        &models.specs,
        builtin_releases()?,
        provenance(corpus),
        &RealRemovals::builtin()?,
    ))
}

/// Loads the corpus and builds the matrix.
pub fn build_matrix(corpus: &Corpus) -> Result<Matrix, PipelineError> {
    let models = load_models(corpus)?;
    matrix_from(corpus, &models)
}
