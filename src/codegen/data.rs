//! `generated/data/`: the matrix and its JSON Schema.

use super::{json_file, CodegenError, GeneratedFile};
use crate::analysis::Matrix;

/// `data/matrix.json` and `data/matrix.schema.json`.
pub fn generate(matrix: &Matrix) -> Result<Vec<GeneratedFile>, CodegenError> {
    let schema = schemars::schema_for!(Matrix);
    Ok(vec![
        json_file("data/matrix.json", matrix)?,
        json_file("data/matrix.schema.json", &schema)?,
    ])
}
