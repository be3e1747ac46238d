//! dockmatrix-served: the second witness. It reads each Docker release's own
//! HTTP server code (the pinned moby extracts in `../shared/moby-server/`) with
//! a real Go parser (tree-sitter-go) and extracts what the release *routes*, the
//! query parameters its handlers *read* (with the window of requested API
//! versions in which they are read), and its API version constants.
//!
//! Evidence levels are explicit: an [`Operation`] is evidence `route`, a
//! [`ParamRead`] is evidence `read`, a [`Refusal`] (a handler that answers an
//! error at some requested versions before anything else) is evidence `gate`.
//! Nothing here claims a value is honoured.

#![warn(missing_docs)]

mod constants;
mod daemon_gates;
mod error;
mod facts;
mod gated_fields;
mod gates;
mod go;
mod honoured;
mod index;
mod locate;
mod max_check;
mod reads;
mod refusal;
mod release_index;
mod routes;
mod source;
mod window;

use std::path::Path;

use rayon::prelude::*;

pub use error::ServedError;
pub use facts::{
    ApiConstants, Constant, DaemonGate, GatedField, Honoured, Located, Operation, ParamRead,
    Refusal, ServedCorpus, TagFacts, Unresolved,
};
pub use locate::{locate_in, MOBY_SERVER_ENV};
pub use release_index::{index, line_of, release_of};
pub use source::SourceToml;
pub use window::Window;

/// Reads every tag directory (one with a `SOURCE.toml`) below `dir`, in
/// parallel; tags come out sorted by their maximum API version.
pub fn read_corpus(dir: &Path) -> Result<ServedCorpus, ServedError> {
    let entries = std::fs::read_dir(dir).map_err(|source| ServedError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut tag_dirs = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|source| ServedError::Io {
                path: dir.to_path_buf(),
                source,
            })?
            .path();
        if path.join("SOURCE.toml").is_file() {
            tag_dirs.push(path);
        }
    }
    let mut tags = tag_dirs
        .par_iter()
        .map(|d| read_tag(d))
        .collect::<Result<Vec<_>, _>>()?;
    tags.sort_by(|a, b| (a.api.max_version(), &a.tag).cmp(&(b.api.max_version(), &b.tag)));
    Ok(ServedCorpus { tags })
}

/// Reads one tag directory: its `SOURCE.toml`, its server files and its API
/// version constants.
pub fn read_tag(dir: &Path) -> Result<TagFacts, ServedError> {
    let source = SourceToml::load(&dir.join("SOURCE.toml"))?;
    let files = index::parse_files(dir, &source)?;
    let idx = index::Index::build(&files);
    let consumers: Vec<&dockmatrix_go::GoFile> = files
        .iter()
        .filter(|f| f.roles.iter().any(|r| r == index::CONSUMER_ROLE))
        .map(|f| &f.go)
        .collect();
    let (operations, mut unresolved) = routes::extract(&idx);
    let mut operations: Vec<Operation> = operations;
    for op in &mut operations {
        let (params, missing) = reads::for_handler(&idx, op);
        op.params = params;
        for p in &mut op.params {
            let file = files.iter().find(|f| f.go.path == p.at.file);
            p.honoured = file
                .and_then(|f| honoured::sink(&f.go, &p.at, &p.name))
                .and_then(|sink| honoured::consumed(&consumers, &sink));
        }
        op.refused = refusal::of_handler(&idx, op);
        op.gated_fields = gated_fields::for_handler(&idx, op);
        op.unresolved_reads = missing.iter().map(|u| u.at.clone()).collect();
        op.unresolved_reads.sort();
        op.unresolved_reads.dedup();
        unresolved.extend(missing);
    }
    operations.sort_by(|a, b| (&a.path, &a.method, &a.at).cmp(&(&b.path, &b.method, &b.at)));
    let operations = merge_duplicates(operations);
    unresolved.sort();
    unresolved.dedup();
    let mut api = constants::extract(&files);
    api.max_enforced = max_check::find(idx.server.iter().copied());
    let mut daemon_gates: Vec<DaemonGate> = files
        .iter()
        .filter(|f| f.roles.iter().any(|r| r == daemon_gates::DAEMON_GATE_ROLE))
        .flat_map(|f| daemon_gates::extract(&f.go))
        .collect();
    daemon_gates.sort();
    Ok(TagFacts {
        tag: source.tag.clone(),
        commit: source.commit.clone(),
        server_root: source.server_root.clone(),
        api,
        operations,
        daemon_gates,
        unresolved,
    })
}

/// One operation per method and path: later registrations of the same
/// operation (`/networks/` next to `/networks`) become `also_at`, their reads merged.
fn merge_duplicates(sorted: Vec<Operation>) -> Vec<Operation> {
    let mut out: Vec<Operation> = Vec::with_capacity(sorted.len());
    for op in sorted {
        match out.last_mut() {
            Some(last) if last.method == op.method && last.path == op.path => {
                last.also_at.push(op.at);
                last.params.extend(op.params);
                last.params.sort();
                last.params.dedup();
                last.unresolved_reads.extend(op.unresolved_reads);
                last.unresolved_reads.sort();
                last.unresolved_reads.dedup();
            }
            _ => out.push(op),
        }
    }
    out
}
