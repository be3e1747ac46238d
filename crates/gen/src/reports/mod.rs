//! Reports: markdown pages under `generated/reports/`, rendered from the
//! handlebars templates in `<repo>/templates/` (read at run time, strict mode)
//! with data from the matrix, the per-version models and the usage manifests in
//! `<repo>/specs/usage/`.

mod api_1_24;
mod api_versions;
mod changelog;
mod endpoints;
mod kubernetes;
pub mod served;
mod templates;

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::output::{GeneratedFile, OutputError};
use dockmatrix_core::analysis::usage::{load_manifest, UsageManifest};
use dockmatrix_core::analysis::Matrix;
use dockmatrix_core::model::served::ServedIndex;
use dockmatrix_core::pipeline::Models;

pub use templates::Templates;

/// The manifests the Kubernetes reports read, relative to `specs/usage/`.
pub const KUBERNETES_MANIFESTS: [&str; 2] = ["kubernetes-1.3.yaml", "kubernetes-1.4.yaml"];

/// The manifests `dockmatrix proxy --record` wrote from real client sessions,
/// relative to `specs/usage/` (the `recorded-clients` report).
pub const RECORDED_MANIFESTS: [&str; 2] = ["docker-cli-20.10.yaml", "docker-py-7.2.yaml"];

/// Renders every report. `repo` is the repository root (templates and
/// manifests); `served` judges the Docker releases whose server code it has.
pub fn generate(
    repo: &Path,
    matrix: &Matrix,
    models: &Models,
    served: &ServedIndex,
) -> Result<Vec<GeneratedFile>, OutputError> {
    let templates = Templates::load(&repo.join("templates"))?;
    let manifests = load_manifests(repo, matrix, &KUBERNETES_MANIFESTS)?;
    let recorded = load_manifests(repo, matrix, &RECORDED_MANIFESTS)?;
    let pages: [(&str, Value); 6] = [
        ("api-versions", api_versions::context(matrix)),
        (
            "docker-api-1.24-kubernetes",
            api_1_24::context(matrix, models, &manifests)?,
        ),
        (
            "kubernetes",
            kubernetes::context(matrix, served, &manifests)?,
        ),
        (
            "recorded-clients",
            kubernetes::context(matrix, served, &recorded)?,
        ),
        ("endpoints", endpoints::context(matrix)),
        ("changelog", changelog::context(matrix)),
    ];
    pages
        .into_iter()
        .map(|(name, data)| {
            let text = templates.render(name, &with_common(matrix, data))?;
            Ok(GeneratedFile {
                path: PathBuf::from(format!("reports/{name}.md")),
                contents: text.into_bytes(),
            })
        })
        .collect()
}

/// Manifests of `specs/usage/`, in the order given, resolved against the matrix.
fn load_manifests(
    repo: &Path,
    matrix: &Matrix,
    names: &[&str],
) -> Result<Vec<UsageManifest>, OutputError> {
    names
        .iter()
        .map(|name| Ok(load_manifest(&repo.join("specs/usage").join(name), matrix)?))
        .collect()
}

/// Adds what every page shows: the corpus provenance and the version range.
fn with_common(matrix: &Matrix, mut data: Value) -> Value {
    if let Value::Object(map) = &mut data {
        map.insert(
            "corpus".into(),
            json!({
                "repository": matrix.provenance.repository,
                "commit": matrix.provenance.commit,
                "sha256sums": matrix.provenance.sha256sums,
                "first_api": version_text(matrix.api_versions.first()),
                "last_api": version_text(matrix.api_versions.last()),
                "versions": matrix.api_versions.len(),
            }),
        );
    }
    data
}

/// A version or `-`.
fn version_text<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(|| "-".to_string(), |v| v.to_string())
}
