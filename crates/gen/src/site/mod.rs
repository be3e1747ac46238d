//! The static compatibility site under `generated/site/`: an index of every
//! operation with its timeline, a page per operation and per API version, a
//! Docker-release view and the usage manifests. Rendered from the handlebars
//! templates in `<repo>/templates/site/` with data from the matrix, the diffs
//! and the usage checks; it works offline from `file://`.

mod chart;
mod index;
mod operation;
mod releases;
mod timeline;
mod usage;
mod versions;

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::output::{GeneratedFile, OutputError};
use crate::reports::Templates;
use dockmatrix_core::analysis::{Matrix, OperationHistory};
use dockmatrix_core::corpus::Sources;
use dockmatrix_core::model::served::ServedIndex;

pub use timeline::{cell_state, segments, CellState, Segment};

/// Static files copied as they are from `templates/site/` to `site/assets/`.
const ASSETS: [&str; 2] = ["site.css", "site.js"];

/// Renders every page of the site. `repo` is the repository root.
pub fn generate(
    repo: &Path,
    matrix: &Matrix,
    sources: &Sources,
    served: &ServedIndex,
) -> Result<Vec<GeneratedFile>, OutputError> {
    let dir = repo.join("templates/site");
    let templates = Templates::load_html(&dir)?;
    let site = Site {
        matrix,
        sources,
        templates: &templates,
        disagreements: dockmatrix_core::analysis::witnesses::disagreements(matrix, served),
        doc_fixes: dockmatrix_core::model::errata::ModelErrata::builtin()?.doc_fixes(),
    };
    let mut files = vec![
        site.page("index.html", "index", "", index::context(matrix))?,
        site.page("releases.html", "releases", "", releases::context(matrix))?,
        site.page(
            "usage.html",
            "usage",
            "",
            usage::context(repo, matrix, served)?,
        )?,
    ];
    let mut seen = std::collections::BTreeSet::new();
    for op in &matrix.operations {
        if !seen.insert(slug(op)) {
            return Err(OutputError::PageCollision {
                page: format!("{}.html", slug(op)),
                operation: op.display(),
            });
        }
        let path = format!("ops/{}.html", slug(op));
        files.push(site.page(&path, "operation", "../", operation::context(&site, op))?);
    }
    for (path, data) in versions::pages(&site) {
        files.push(site.page(&path, "version", "../", data)?);
    }
    for name in ASSETS {
        let path = dir.join(name);
        let contents = std::fs::read(&path).map_err(|source| OutputError::Read { path, source })?;
        files.push(GeneratedFile {
            path: PathBuf::from(format!("site/assets/{name}")),
            contents,
        });
    }
    Ok(files)
}

/// What every page renderer can look up.
struct Site<'a> {
    matrix: &'a Matrix,
    sources: &'a Sources,
    templates: &'a Templates,
    /// Where each release's server code disagrees with the documents.
    disagreements: Vec<dockmatrix_core::analysis::witnesses::Disagreement>,
    /// The corrections of the documents (model errata).
    doc_fixes: Vec<dockmatrix_core::model::errata::DocFix>,
}

impl Site<'_> {
    /// Renders `template` into `site/<path>`; `root` leads back to the site root.
    fn page(
        &self,
        path: &str,
        template: &str,
        root: &str,
        mut data: Value,
    ) -> Result<GeneratedFile, OutputError> {
        if let Value::Object(map) = &mut data {
            map.insert("root".into(), json!(root));
            map.insert("legend".into(), legend());
            map.insert(
                "corpus".into(),
                json!({
                    "repository": self.matrix.provenance.repository,
                    "commit": self.matrix.provenance.commit,
                    "first_api": first_last(self.matrix).0,
                    "last_api": first_last(self.matrix).1,
                }),
            );
        }
        let text = self.templates.render(template, &data)?;
        Ok(GeneratedFile {
            path: PathBuf::from(format!("site/{path}")),
            contents: text.into_bytes(),
        })
    }

    /// The upstream reference document of API version `v` on GitHub.
    fn upstream(&self, v: &str) -> Option<String> {
        let up = &self.sources.upstream;
        self.sources
            .specs
            .iter()
            .find(|s| s.version.to_string() == v)
            .map(|s| {
                format!(
                    "https://github.com/{}/blob/{}/{}/{}",
                    up.repository, up.commit, up.folder, s.file
                )
            })
    }

    /// Link (from a page one folder deep) to the operation `method path`, if known.
    fn op_link(&self, method: &str, path: &str) -> Option<String> {
        let key = dockmatrix_core::model::OpKey::new(method, path);
        self.matrix
            .operation(&key)
            .map(|op| format!("../ops/{}.html", slug(op)))
    }
}

/// The file name (without `.html`) of an operation's page: `post-containers-id-stop`.
pub fn slug(op: &OperationHistory) -> String {
    let raw = format!("{}-{}", op.method.to_lowercase(), op.path);
    let mut out = String::new();
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// The legend of timeline states.
fn legend() -> Value {
    CellState::ALL
        .iter()
        .map(|s| json!({"state": s.class()}))
        .collect()
}

fn first_last(matrix: &Matrix) -> (String, String) {
    let text = |v: Option<&dockmatrix_core::version::ApiVersion>| {
        v.map_or_else(String::new, |v| v.to_string())
    };
    (
        text(matrix.api_versions.first()),
        text(matrix.api_versions.last()),
    )
}

/// Timeline context of a lifecycle: segments and a text summary.
fn timeline_value(lifecycle: &dockmatrix_core::analysis::Lifecycle, matrix: &Matrix) -> Value {
    let segs = segments(lifecycle, &matrix.api_versions);
    let summary = timeline::summary(&segs);
    json!({"segments": segs, "summary": summary})
}
