//! `dockmatrix scan PATH`: a usage manifest read from a consumer's source.
//! Warnings (files skipped, things the code does not show) go to stderr as
//! they are part of the answer, not of the manifest.

use dockmatrix_core::analysis::usage::{write_manifest, RequestVersion};
use dockmatrix_core::analysis::Matrix;

use crate::cli::{Failure, Format, ScanArgs, EXIT_ERROR};
use crate::scan::{scan as run_scan, ScanOptions};

/// Runs the scan; returns what to print (nothing when `--out` names a file).
pub fn scan(matrix: &Matrix, args: &ScanArgs, format: Option<Format>) -> Result<String, Failure> {
    let api_version = args
        .api_version
        .as_deref()
        .map(parse_request_version)
        .transpose()?;
    let options = ScanOptions {
        library: args.library.clone(),
        consumer: args.consumer.clone(),
        api_version,
    };
    let done = run_scan(&args.path, &options, matrix)?;
    for warning in &done.warnings {
        eprintln!("dockmatrix: warning: {warning}");
    }
    let text = match format {
        Some(Format::Json) => super::json(&done.manifest)?,
        _ => write_manifest(&done.manifest, &done.header)?,
    };
    match &args.out {
        Some(file) => {
            std::fs::write(file, &text).map_err(|e| Failure {
                code: EXIT_ERROR,
                message: format!("writing {}: {e}", file.display()),
            })?;
            eprintln!(
                "dockmatrix: wrote {} ({} calls)",
                file.display(),
                done.manifest.calls.len()
            );
            Ok(String::new())
        }
        None => Ok(text),
    }
}

/// `unversioned`, `negotiated` or an API version.
fn parse_request_version(text: &str) -> Result<RequestVersion, Failure> {
    match text.trim() {
        "unversioned" => Ok(RequestVersion::Unversioned),
        "negotiated" => Ok(RequestVersion::Negotiated),
        v => v.parse().map(RequestVersion::Pinned).map_err(|_| Failure {
            code: EXIT_ERROR,
            message: format!(
                "--api-version {v}: expected unversioned, negotiated or an API version (1.24)"
            ),
        }),
    }
}
