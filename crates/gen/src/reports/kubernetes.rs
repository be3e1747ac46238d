//! `kubernetes.md` (and `recorded-clients.md`): usage manifests as `dockmatrix
//! check` reports them, plus what the second of a pair added.

use serde_json::{json, Value};

use crate::output::OutputError;
use dockmatrix_core::analysis::usage::{check, compare, Target, UsageManifest};
use dockmatrix_core::analysis::Matrix;
use dockmatrix_core::model::served::ServedIndex;
use dockmatrix_core::present::usage::{check_report, comparison, Style};
use dockmatrix_core::version::ApiVersion;

/// Per manifest: a summary row and the full check (markdown); the comparison.
pub fn context(
    matrix: &Matrix,
    served: &ServedIndex,
    manifests: &[UsageManifest],
) -> Result<Value, OutputError> {
    let newest = matrix.newest().unwrap_or(ApiVersion::new(1, 0));
    let mut summaries = Vec::new();
    let mut checks = Vec::new();
    for m in manifests {
        let declared = check(m, matrix, served, &Target::DeclaredFloor)?;
        let at = |v: ApiVersion| -> Result<&'static str, OutputError> {
            let r = check(m, matrix, served, &Target::Api(v))?;
            // Whether API v serves every call; the declared minimum is a separate column.
            let served = r.target.api.is_some() && r.calls.iter().all(|c| c.supported);
            Ok(if served { "yes" } else { "no" })
        };
        let serving: Vec<&str> = declared
            .releases
            .iter()
            .filter(|r| r.serves)
            .map(|r| r.docker.as_str())
            .collect();
        summaries.push(json!({
            "title": m.title(),
            "file": m.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            "calls": m.calls.len(),
            "endpoint_floor": dockmatrix_core::present::table::or_dash(declared.endpoint_floor),
            "declared_floor": declared.declared_floor.to_string(),
            "at_1_24": at(ApiVersion::new(1, 24))?,
            "at_newest": at(newest)?,
            "first_release": serving.first().copied().unwrap_or("-"),
            "serving_releases": serving.len(),
        }));
        checks.push(json!({
            "title": m.title(),
            "report": check_report(&declared, Style::Markdown(3)),
        }));
    }
    let comparison_md = match manifests {
        [a, b] => comparison(&compare(a, b, matrix), Style::Markdown(3)),
        _ => String::new(),
    };
    Ok(json!({
        "newest": newest.to_string(),
        "summaries": summaries,
        "checks": checks,
        "comparison": comparison_md,
    }))
}
