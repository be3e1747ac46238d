//! `compare`: which calls one manifest makes that another does not.

use serde::Serialize;

use super::validate::UsageManifest;
use crate::analysis::Matrix;
use crate::model::OpKey;

/// A call named by method and path (the newest reference's spelling).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallRef {
    /// Upper-case method.
    pub method: String,
    /// Path.
    pub path: String,
}

/// Calls added and removed from one manifest to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comparison {
    /// The older manifest (`Name Version`).
    pub from: String,
    /// The newer manifest.
    pub to: String,
    /// In `to` only, in its order.
    pub added: Vec<CallRef>,
    /// In `from` only, in its order.
    pub removed: Vec<CallRef>,
}

/// Compares the calls of two resolved manifests.
pub fn compare(from: &UsageManifest, to: &UsageManifest, matrix: &Matrix) -> Comparison {
    let only = |a: &UsageManifest, b: &UsageManifest| -> Vec<CallRef> {
        a.calls
            .iter()
            .filter(|c| !b.calls.iter().any(|d| d.key == c.key))
            .map(|c| call_ref(&c.key, matrix))
            .collect()
    };
    Comparison {
        from: from.title(),
        to: to.title(),
        added: only(to, from),
        removed: only(from, to),
    }
}

fn call_ref(key: &OpKey, matrix: &Matrix) -> CallRef {
    matrix.operation(key).map_or_else(
        || CallRef {
            method: key.method.clone(),
            path: key.path.clone(),
        },
        |op| CallRef {
            method: op.method.clone(),
            path: op.path.clone(),
        },
    )
}
