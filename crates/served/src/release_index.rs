//! From the full facts of the corpus to the model's [`ServedIndex`]: each tag
//! under the release-table name it stands for, its operations keyed as the
//! documents' matrix keys them.

use dockmatrix_core::model::releases::Release;
use dockmatrix_core::model::served::{
    Honour, ServedIndex, ServedOperation, ServedParam, ServedRelease,
};
use dockmatrix_core::model::OpKey;
use dockmatrix_core::version::VersionRange;

use crate::facts::{Constant, ServedCorpus, TagFacts};

/// The index of every tag that stands for a release of `releases`, in corpus
/// order. The CORS catch-all `OPTIONS /{anyroute}` is not an operation.
pub fn index(corpus: &ServedCorpus, releases: &[Release]) -> ServedIndex {
    let releases = corpus
        .tags
        .iter()
        .filter_map(|tag| {
            let release = release_of(releases, tag)?;
            let located = |c: &Option<Constant>| {
                c.as_ref()
                    .and_then(|c| Some((c.version()?, c.at.to_string())))
            };
            Some(ServedRelease {
                docker: release.docker.clone(),
                tag: tag.tag.clone(),
                max_api: located(&tag.api.max),
                min_api: located(&tag.api.min),
                max_enforced: tag.api.max_enforced.as_ref().map(ToString::to_string),
                operations: tag
                    .operations
                    .iter()
                    .filter(|o| o.method != "OPTIONS")
                    .map(|o| ServedOperation {
                        key: OpKey::new(&o.method, &o.path),
                        path: o.path.clone(),
                        at: o.at.to_string(),
                        handler: o
                            .handler
                            .clone()
                            .zip(o.handler_at.as_ref().map(ToString::to_string)),
                        requested: o.min_api.map_or(VersionRange::ALL, VersionRange::starting),
                        experimental: o.experimental,
                        // A gate whose condition is not one range refuses
                        // nothing the index can name.
                        refused: o
                            .refused
                            .as_ref()
                            .filter(|r| !r.window.unresolved)
                            .map(|r| (r.window.versions, r.at.to_string())),
                        params: o
                            .params
                            .iter()
                            .map(|p| ServedParam {
                                name: p.name.clone(),
                                at: p.at.to_string(),
                                requested: p.window.versions,
                                unresolved: p.window.unresolved,
                                honoured: p.honoured.as_ref().map(|h| Honour {
                                    honoured: h.honoured,
                                    field: h.field.clone(),
                                    at: h.at.to_string(),
                                }),
                            })
                            .collect(),
                        unresolved_reads: o
                            .unresolved_reads
                            .iter()
                            .map(ToString::to_string)
                            .collect(),
                        gated_fields: o
                            .gated_fields
                            .iter()
                            .map(|g| (g.name.clone(), g.at.to_string()))
                            .collect(),
                    })
                    .collect(),
            })
        })
        .collect();
    ServedIndex { releases }
}

/// The release line of a tag: `v20.10.27` → `20.10`, `docker-v29.7.2` → `29.7`.
pub fn line_of(tag: &str) -> String {
    bare(tag).split('.').take(2).collect::<Vec<_>>().join(".")
}

/// `docker-v29.7.2` → `29.7.2`, `v17.03.2-ce` → `17.03.2`.
fn bare(tag: &str) -> &str {
    tag.trim_start_matches("docker-")
        .trim_start_matches('v')
        .trim_end_matches("-ce")
}

/// The release-table entry a tag stands for: of the same line, the one with
/// the same maximum API version, else the first of the line.
pub fn release_of<'r>(releases: &'r [Release], tag: &TagFacts) -> Option<&'r Release> {
    let bare = bare(&tag.tag);
    let line = line_of(&tag.tag);
    let candidates: Vec<&Release> = releases
        .iter()
        .filter(|r| {
            r.docker == line
                || (r.docker.starts_with(&format!("{line}.")) && bare.starts_with(&r.docker))
        })
        .collect();
    candidates
        .iter()
        .find(|r| Some(r.max_api) == tag.api.max_version())
        .or(candidates.first())
        .copied()
}
