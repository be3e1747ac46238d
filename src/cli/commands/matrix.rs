//! `dockmatrix matrix`.

use crate::cli::{Failure, Format};
use dockmatrix_core::analysis::Matrix;
use dockmatrix_core::present::table::{or_dash, Rows};

/// The matrix as JSON (the `generated/data/matrix.json` document), or an
/// operation summary table.
pub fn matrix(matrix: &Matrix, format: Format, width: Option<usize>) -> Result<String, Failure> {
    if format == Format::Json {
        return super::json(matrix);
    }
    let mut table = Rows::new(&[
        "METHOD",
        "PATH",
        "SINCE",
        "REMOVED IN",
        "DEPRECATED IN",
        "QUERY",
        "TITLE",
    ]);
    for op in &matrix.operations {
        table.push(vec![
            op.method.clone(),
            op.path.clone(),
            or_dash(op.lifecycle.since),
            or_dash(op.lifecycle.removed_in),
            or_dash(op.lifecycle.deprecated_in),
            op.query.len().to_string(),
            op.title.clone().unwrap_or_default(),
        ]);
    }
    Ok(match format {
        Format::Md => table.markdown(),
        _ => table.text_width(width),
    })
}
