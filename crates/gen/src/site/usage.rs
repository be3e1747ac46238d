//! `usage.html`: every usage manifest in `specs/usage/` checked at its declared
//! floor ([`dockmatrix_core::analysis::usage::check`]): endpoint floor, the Docker
//! releases that serve it, and one row per call.

use std::path::Path;

use serde_json::{json, Value};

use super::slug;
use crate::output::OutputError;
use dockmatrix_core::analysis::usage::{check, load_manifest, Target};
use dockmatrix_core::analysis::Matrix;
use dockmatrix_core::model::served::ServedIndex;
use dockmatrix_core::model::OpKey;
use dockmatrix_core::present::table::or_dash;

/// One section per manifest, in file-name order.
pub fn context(repo: &Path, matrix: &Matrix, served: &ServedIndex) -> Result<Value, OutputError> {
    let dir = repo.join("specs/usage");
    let entries = std::fs::read_dir(&dir).map_err(|source| OutputError::Read {
        path: dir.clone(),
        source,
    })?;
    let mut files: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    let mut manifests = Vec::new();
    for file in files {
        let usage = load_manifest(&file, matrix)?;
        let report = check(&usage, matrix, served, &Target::DeclaredFloor)?;
        let serving: Vec<&str> = report
            .releases
            .iter()
            .filter(|r| r.serves)
            .map(|r| r.docker.as_str())
            .collect();
        let calls: Vec<Value> = report
            .calls
            .iter()
            .map(|c| {
                let key = OpKey::new(&c.method, &c.path);
                let slug = matrix.operation(&key).map(slug);
                let reads = usage
                    .calls
                    .iter()
                    .find(|r| r.key == key)
                    .map(|r| r.response.join(", "))
                    .unwrap_or_default();
                json!({
                    "call": format!("{} {}", c.method, c.path),
                    "slug": slug,
                    "title": c.title.clone().unwrap_or_default(),
                    "since": or_dash(c.since),
                    "floor": or_dash(c.floor),
                    "deprecated_in": or_dash(c.deprecated_in),
                    "removed_in": or_dash(c.removed_in),
                    "supported": c.supported,
                    "missing": c.missing.join(", "),
                    "reads": reads,
                    "returned_undocumented": c.returned_undocumented.join(", "),
                })
            })
            .collect();
        manifests.push(json!({
            "title": usage.title(),
            "id": slug_text(&usage.title()),
            "file": file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            "client": report.client_library,
            "request_version": report.request_version,
            "endpoint_floor": or_dash(report.endpoint_floor),
            "declared_floor": report.declared_floor.to_string(),
            "declared_docker": report.declared_docker.clone().unwrap_or_else(|| "-".into()),
            "floor_explanation": report.floor_explanation,
            "compatible": report.compatible,
            "first_release": serving.first().copied().unwrap_or("-"),
            "last_release": serving.last().copied().unwrap_or("-"),
            "serving_releases": serving.len(),
            "has_reads": usage.calls.iter().any(|c| !c.response.is_empty()),
            "calls": calls,
        }));
    }
    Ok(json!({ "manifests": manifests }))
}

fn slug_text(s: &str) -> String {
    s.to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}
