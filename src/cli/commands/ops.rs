//! `dockmatrix ops --api V`.

use serde::Serialize;

use crate::cli::table::Rows;
use crate::cli::{Failure, Format};
use crate::corpus::Corpus;
use crate::model::extract;

#[derive(Serialize)]
struct OpRow {
    method: String,
    path: String,
    title: Option<String>,
    operation_id: Option<String>,
    tags: Vec<String>,
    deprecated: bool,
    query: Vec<String>,
}

/// Lists the operations one version documents, ordered by path then method.
pub fn ops(corpus: &Corpus, api: &str, format: Format) -> Result<String, Failure> {
    let version = corpus.resolve_version(api)?;
    let spec = extract(&corpus.load(version)?);
    let mut rows: Vec<OpRow> = spec
        .operations
        .iter()
        .map(|(key, op)| OpRow {
            method: key.method.clone(),
            path: op.path.clone(),
            title: op.title.clone(),
            operation_id: op.operation_id.clone(),
            tags: op.tags.clone(),
            deprecated: op.deprecated,
            query: op.query.keys().cloned().collect(),
        })
        .collect();
    rows.sort_by(|a, b| (&a.path, &a.method).cmp(&(&b.path, &b.method)));
    if format == Format::Json {
        return super::json(&rows);
    }
    let mut table = Rows::new(&["METHOD", "PATH", "TITLE", "DEPRECATED"]);
    for r in &rows {
        table.push(vec![
            r.method.clone(),
            r.path.clone(),
            r.title.clone().unwrap_or_default(),
            if r.deprecated {
                "yes".into()
            } else {
                String::new()
            },
        ]);
    }
    let mut out = match format {
        Format::Md => table.markdown(),
        _ => table.text(),
    };
    if format == Format::Text {
        out.push_str(&format!("\n{} operations in API {version}\n", rows.len()));
    }
    Ok(out)
}
