//! What changed between two API versions, read from the matrix's lifecycles so
//! that documentation accidents are told apart from API change: an item that
//! merely drops out of (or comes back into) the references is a documentation-only
//! change, never an addition or a removal, and an item first documented where the
//! older version cannot tell is listed as such, never as added.

use serde::Serialize;

use super::lifecycle::{Lifecycle, Support};
use super::matrix::{ItemHistory, Matrix, OperationHistory};
use crate::version::ApiVersion;

/// Names that changed, by kind of change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Changes {
    /// Served by the newer version only.
    pub added: Vec<String>,
    /// Served by the older version only.
    pub removed: Vec<String>,
    /// Served by both, deprecated in the newer one only.
    pub deprecated: Vec<String>,
    /// Documentation only: served by both, documented in the older version only
    /// (a gap in the references starts).
    pub undocumented: Vec<String>,
    /// Documentation only: served by both, documented again in the newer version
    /// (a gap in the references ends).
    pub documented_again: Vec<String>,
    /// Documented in the newer version; the older one cannot tell whether it had it
    /// (a markdown page whose example does not show it).
    pub first_documented: Vec<String>,
}

impl Changes {
    /// No change at all.
    pub fn is_empty(&self) -> bool {
        self.api_change_count() == 0 && self.documentation_change_count() == 0
    }

    /// Additions, removals and deprecations.
    pub fn api_change_count(&self) -> usize {
        self.added.len() + self.removed.len() + self.deprecated.len()
    }

    /// Gap edges and first documentation.
    pub fn documentation_change_count(&self) -> usize {
        self.undocumented.len() + self.documented_again.len() + self.first_documented.len()
    }

    /// Files `name` under the change its lifecycle shows from `from` to `to`.
    fn record(&mut self, name: &str, l: &Lifecycle, from: ApiVersion, to: ApiVersion) {
        let list = match (l.support_at(from), l.support_at(to)) {
            (Support::Yes, Support::Yes) => match (l.documented_at(from), l.documented_at(to)) {
                (true, false) => &mut self.undocumented,
                (false, true) => &mut self.documented_again,
                _ if l.deprecated_at(to) && !l.deprecated_at(from) => &mut self.deprecated,
                _ => return,
            },
            (Support::Unknown, Support::Yes) => &mut self.first_documented,
            (Support::No, Support::Yes) => &mut self.added,
            (Support::Yes, Support::No) => &mut self.removed,
            _ => return,
        };
        list.push(name.to_string());
    }

    fn of_items(items: &[ItemHistory], from: ApiVersion, to: ApiVersion) -> Self {
        let mut c = Self::default();
        for item in items {
            c.record(&item.name, &item.lifecycle, from, to);
        }
        c
    }
}

/// Changes inside one operation served by both versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OperationChanges {
    /// Upper-case method.
    pub method: String,
    /// Path as the newest reference writes it.
    pub path: String,
    /// Query parameters.
    pub query: Changes,
    /// Request body fields.
    pub request_fields: Changes,
    /// Response body fields.
    pub response_fields: Changes,
}

/// Everything that changed from `from` to `to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionDiff {
    /// Older version.
    pub from: ApiVersion,
    /// Newer version.
    pub to: ApiVersion,
    /// Operations (`METHOD /path`).
    pub operations: Changes,
    /// Per-operation changes, for operations served by both versions with any change.
    pub changed: Vec<OperationChanges>,
}

impl VersionDiff {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.operations.is_empty() && self.changed.is_empty()
    }
}

/// The diff asks for versions in the wrong order or outside the matrix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DiffError {
    /// `from` is newer than `to`.
    #[error("API {from} is newer than {to}: give the older version first (diff {to} {from})")]
    Reversed {
        /// The first version given.
        from: ApiVersion,
        /// The second version given.
        to: ApiVersion,
    },
}

/// Compares two versions of the matrix (`from` must not be newer than `to`).
pub fn diff(matrix: &Matrix, from: ApiVersion, to: ApiVersion) -> Result<VersionDiff, DiffError> {
    if from > to {
        return Err(DiffError::Reversed { from, to });
    }
    let mut operations = Changes::default();
    let mut changed = Vec::new();
    for op in &matrix.operations {
        operations.record(&op.display(), &op.lifecycle, from, to);
        if op.lifecycle.supports(from) && op.lifecycle.supports(to) {
            let change = op_changes(op, from, to);
            let empty = change.query.is_empty()
                && change.request_fields.is_empty()
                && change.response_fields.is_empty();
            if !empty {
                changed.push(change);
            }
        }
    }
    Ok(VersionDiff {
        from,
        to,
        operations,
        changed,
    })
}

fn op_changes(op: &OperationHistory, from: ApiVersion, to: ApiVersion) -> OperationChanges {
    OperationChanges {
        method: op.method.clone(),
        path: op.path.clone(),
        query: Changes::of_items(&op.query, from, to),
        request_fields: Changes::of_items(&op.request_fields, from, to),
        response_fields: Changes::of_items(&op.response_fields, from, to),
    }
}
