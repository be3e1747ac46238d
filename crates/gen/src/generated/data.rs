//! `generated/data/`: the matrix, its JSON Schema, its compact snapshot (embedded
//! in the `dockmatrix` binary), and the upstream defects ingest worked around.

use super::{json_file, CodegenError, GeneratedFile};
use dockmatrix_core::analysis::{snapshot, Matrix};
use dockmatrix_core::ingest::SpecWarning;

/// `data/matrix.json`, `data/matrix.schema.json`, `data/matrix.bin` and
/// `data/upstream-defects.json`.
pub fn generate(
    matrix: &Matrix,
    warnings: &[SpecWarning],
) -> Result<Vec<GeneratedFile>, CodegenError> {
    let schema = schemars::schema_for!(Matrix);
    Ok(vec![
        json_file("data/matrix.json", matrix)?,
        json_file("data/matrix.schema.json", &schema)?,
        GeneratedFile {
            path: "data/matrix.bin".into(),
            contents: snapshot::encode(matrix)?,
        },
        json_file("data/upstream-defects.json", &warnings)?,
    ])
}
