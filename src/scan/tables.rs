//! The client-library tables built into the program: `specs/clients/`,
//! derived from each library's source by `cargo xtask codegen` (whose
//! `--check` fails when they are stale). No library source is read at run time.

use dockmatrix_core::clients::ClientTable;

use super::ScanError;

/// One embedded table: its file under `specs/clients/` and its text.
struct Embedded {
    id: &'static str,
    text: &'static str,
}

/// One table of `specs/clients/` by its file name, with its text built in.
macro_rules! embedded {
    ($($id:literal),* $(,)?) => {
        &[$(Embedded {
            id: $id,
            text: include_str!(concat!("../../specs/clients/", $id)),
        }),*]
    };
}

/// Every table file of `specs/clients/` (the test `embedded_tables_are_all_the_tables`
/// compares this list with the folder).
const TABLES: &[Embedded] = embedded![
    "go/engine-api/v0.3.1-62-g3d72d39.json",
    "go/engine-api/v0.3.1-78-gdea108d.json",
    "go/moby/docker-v29.0.0.json",
    "go/moby/docker-v29.7.2.json",
    "go/moby/v20.10.24.json",
    "go/moby/v24.0.9.json",
    "go/moby/v25.0.0.json",
    "go/moby/v28.5.2.json",
];

/// The file names of the embedded tables, relative to `specs/clients/`.
pub fn ids() -> impl Iterator<Item = &'static str> {
    TABLES.iter().map(|t| t.id)
}

/// Every embedded table, parsed.
pub fn all() -> Result<Vec<ClientTable>, ScanError> {
    TABLES
        .iter()
        .map(|t| {
            ClientTable::from_json(t.text).map_err(|source| ScanError::Table { id: t.id, source })
        })
        .collect()
}

/// `name@version` of a table, as `--library` takes it and errors list it.
pub fn label(table: &ClientTable) -> String {
    format!("{}@{}", table.library, table.version)
}
