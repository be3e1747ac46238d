//! Client-library tables (`specs/clients/`), derived from each library's own
//! source in the client corpus (`../shared/clients`, found by
//! `dockmatrix_core::corpus::locate_clients_in`): for every exported method of
//! the Go client, the requests it sends. `cargo xtask codegen` writes them and
//! `--check` compares them, as for `generated/`.
//!
//! [`library`] finds the libraries and says which is which, [`decls`] reads
//! the client's methods, [`summary`] follows each method down to the call
//! that names the HTTP method, [`exprs`] reads the path, query and body
//! expressions on the way.

mod decls;
mod error;
mod exprs;
mod library;
mod summary;

use std::path::{Path, PathBuf};

pub use error::ClientsError;

use crate::output::GeneratedFile;

/// The folder of the repository the tables go to.
pub const TABLES_DIR: &str = "specs/clients";

/// Derives every library table of the corpus at `clients_dir`; paths are
/// relative to [`TABLES_DIR`] (`go/engine-api/v0.3.1-78-gdea108d.json`),
/// sorted.
pub fn generate(clients_dir: &Path) -> Result<Vec<GeneratedFile>, ClientsError> {
    let mut files = Vec::new();
    for lib in library::find(clients_dir)? {
        let table = library::derive(clients_dir, &lib)?;
        let contents = table.to_json().map_err(|source| ClientsError::Json {
            what: lib.dir.display().to_string(),
            source,
        })?;
        files.push(GeneratedFile {
            path: PathBuf::from("go")
                .join(&lib.tool)
                .join(format!("{}.json", lib.version)),
            contents: contents.into_bytes(),
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}
