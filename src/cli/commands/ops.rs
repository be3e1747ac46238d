//! `dockmatrix ops --api V`.

use serde::Serialize;

use crate::cli::data::known_version;
use crate::cli::{Failure, Format};
use dockmatrix_core::analysis::Matrix;
use dockmatrix_core::present::table::Rows;

#[derive(Serialize)]
struct OpRow {
    method: String,
    path: String,
    title: Option<String>,
    operation_id: Option<String>,
    tags: Vec<String>,
    deprecated: bool,
    experimental: bool,
    /// `false` inside a documentation gap: served, but this version's reference
    /// does not show it.
    documented: bool,
    query: Vec<String>,
}

/// Lists the operations a daemon at one version serves (by the matrix: gaps in
/// the references bridged), ordered by path then method. Names, titles and tags
/// are the newest version's.
pub fn ops(
    matrix: &Matrix,
    api: &str,
    format: Format,
    width: Option<usize>,
) -> Result<String, Failure> {
    let version = known_version(matrix, api)?;
    let rows: Vec<OpRow> = matrix
        .operations
        .iter()
        .filter(|o| o.lifecycle.supports(version))
        .map(|o| OpRow {
            method: o.method.clone(),
            path: o.path.clone(),
            title: o.title.clone(),
            operation_id: o.operation_id.clone(),
            tags: o.tags.clone(),
            deprecated: o.lifecycle.deprecated_at(version),
            experimental: o.lifecycle.experimental_at(version),
            documented: o.lifecycle.documented_at(version),
            query: o
                .query
                .iter()
                .filter(|q| q.lifecycle.supports(version))
                .map(|q| q.name.clone())
                .collect(),
        })
        .collect();
    if format == Format::Json {
        return super::json(&rows);
    }
    let mut table = Rows::new(&["METHOD", "PATH", "TITLE", "NOTES"]);
    for r in &rows {
        let notes: Vec<&str> = [
            (r.deprecated, "deprecated"),
            (r.experimental, "experimental"),
            (!r.documented, "undocumented here"),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, text)| *text)
        .collect();
        table.push(vec![
            r.method.clone(),
            r.path.clone(),
            r.title.clone().unwrap_or_default(),
            notes.join(", "),
        ]);
    }
    let mut out = match format {
        Format::Md => table.markdown(),
        _ => table.text_width(width),
    };
    if format == Format::Text {
        out.push_str(&format!("\n{} operations in API {version}\n", rows.len()));
    }
    Ok(out)
}
