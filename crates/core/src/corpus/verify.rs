//! Checksums of spec files against the sources table.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::sources::{hex, SpecSource};

/// A file that does not match the pinned table.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// The file is missing or unreadable.
    #[error("{file}: cannot read: {source}", file = .file.display())]
    Io {
        /// The file.
        file: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file's content is not the pinned one.
    #[error("{file}: checksum mismatch: expected sha256 {expected}, found {actual} (use --no-verify for patched specs)", file = .file.display())]
    Mismatch {
        /// The file.
        file: PathBuf,
        /// Pinned digest.
        expected: String,
        /// Digest of the file on disk.
        actual: String,
    },
}

/// SHA-256 of a byte string, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Checks already-read bytes of `file` against its table entry.
pub fn verify_bytes(file: &Path, spec: &SpecSource, bytes: &[u8]) -> Result<(), VerifyError> {
    let actual = sha256_hex(bytes);
    if actual.eq_ignore_ascii_case(&spec.sha256) {
        Ok(())
    } else {
        Err(VerifyError::Mismatch {
            file: file.to_path_buf(),
            expected: spec.sha256.clone(),
            actual,
        })
    }
}

/// Reads a file and checks it against its table entry; returns the bytes.
pub fn read_verified(file: &Path, spec: &SpecSource) -> Result<Vec<u8>, VerifyError> {
    let bytes = std::fs::read(file).map_err(|source| VerifyError::Io {
        file: file.to_path_buf(),
        source,
    })?;
    verify_bytes(file, spec, &bytes)?;
    Ok(bytes)
}
