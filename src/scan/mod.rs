//! `dockmatrix scan`: a usage manifest read from a consumer's Go source.
//!
//! [`files`] reads and parses the tree (a warning per file it cannot use),
//! [`library`] picks the client-library table (built in, [`tables`]),
//! [`symbols`] and [`scope`] say which expressions are the client, [`calls`]
//! finds its method calls and what each shows of its query and body,
//! [`api_version`] and [`minimum`] read the version behaviour and the declared
//! minimum, and [`manifest`] writes it all in the usage-manifest format.

mod api_version;
mod calls;
mod error;
mod files;
mod library;
mod manifest;
mod minimum;
mod scope;
mod symbols;
mod tables;

use std::path::Path;

use dockmatrix_core::analysis::usage::manifest::Minimum;
use dockmatrix_core::analysis::usage::{Manifest, RequestVersion};
use dockmatrix_core::analysis::Matrix;

pub use error::ScanError;
pub use files::MAX_FILE_BYTES;
pub use tables::ids as table_ids;

/// What the command line passes in.
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    /// `--library NAME@VERSION`: the table to use, whatever the tree says.
    pub library: Option<String>,
    /// `--consumer NAME@VERSION`.
    pub consumer: Option<String>,
    /// `--api-version unversioned|negotiated|X.Y`: what the requests carry,
    /// when the code does not show it.
    pub api_version: Option<RequestVersion>,
}

/// A finished scan.
#[derive(Debug)]
pub struct Scan {
    /// The manifest.
    pub manifest: Manifest,
    /// Comment lines for the top of the YAML (what was scanned, with what).
    pub header: String,
    /// One line per file skipped or thing the scan could not tell.
    pub warnings: Vec<String>,
}

/// Scans the Go tree (or file) at `root`.
pub fn scan(root: &Path, options: &ScanOptions, matrix: &Matrix) -> Result<Scan, ScanError> {
    if !root.exists() {
        return Err(ScanError::Io {
            path: root.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or folder"),
        });
    }
    let chosen = library::choose(root, options.library.as_deref(), tables::all()?)?;
    let table = &chosen.table;
    let (files, mut warnings) = files::read(root)?;
    let symbols = symbols::Symbols::read(&files, &table.package);
    let found = calls::find(&files, &symbols, table);
    let merged = manifest::calls(&found, matrix);
    warnings.extend(merged.undocumented_operations.iter().cloned());
    if merged.entries.is_empty() {
        return Err(ScanError::NoCalls {
            library: table.library.clone(),
            path: root.to_path_buf(),
        });
    }
    let evidence = api_version::evidence(&files, &symbols);
    let api = match options.api_version {
        Some(v) => v,
        None => api_version::decide(&evidence).map_err(|why| {
            ScanError::ApiVersion(format!(
                "{why}; pass --api-version unversioned|negotiated|X.Y"
            ))
        })?,
    };
    let minimum = match minimum::declared(&symbols) {
        Some((api, source)) => Minimum {
            docker: None,
            api,
            source: Some(source),
        },
        None => {
            let floor = merged
                .floor
                .unwrap_or(dockmatrix_core::ApiVersion::new(1, 0));
            warnings.push(format!(
                "no minimum API version declared in the source; minimum.api is {floor}, the lowest API version documenting every call found"
            ));
            Minimum {
                docker: None,
                api: floor,
                source: Some("not declared in the scanned source: the lowest API version documenting every call found (dockmatrix scan)".into()),
            }
        }
    };
    let mut notes = vec![format!(
        "Scanned by dockmatrix scan with the table of {} ({}).",
        tables::label(table),
        chosen.how
    )];
    if options.api_version.is_some() {
        notes.push(format!("api_version given on the command line: {api}."));
    }
    if !evidence.is_empty() {
        notes.push(format!(
            "Client construction: {}.",
            evidence
                .iter()
                .map(|e| e.note.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    let consumer = manifest::consumer(root, options.consumer.as_deref());
    let header = format!(
        "Engine API calls of {} {} (format: docs/usage-manifests.md).\nWritten by `dockmatrix scan` from the source; regenerate rather than edit.",
        consumer.name, consumer.version
    );
    let manifest = manifest::assemble(
        consumer,
        &table.library,
        api,
        minimum,
        merged.entries,
        notes.join(" "),
    );
    Ok(Scan {
        manifest,
        header,
        warnings,
    })
}
