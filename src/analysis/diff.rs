//! What changed between two API versions.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{ApiSpec, OpKey, Operation};
use crate::version::ApiVersion;

/// Names added, removed and newly deprecated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Changes {
    /// In the newer version only.
    pub added: Vec<String>,
    /// In the older version only.
    pub removed: Vec<String>,
    /// In both, deprecated in the newer one only.
    pub deprecated: Vec<String>,
}

impl Changes {
    /// No change at all.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.deprecated.is_empty()
    }

    fn between(old: &BTreeMap<String, bool>, new: &BTreeMap<String, bool>) -> Self {
        Self {
            added: new
                .keys()
                .filter(|k| !old.contains_key(*k))
                .cloned()
                .collect(),
            removed: old
                .keys()
                .filter(|k| !new.contains_key(*k))
                .cloned()
                .collect(),
            deprecated: new
                .iter()
                .filter(|(k, &dep)| dep && old.get(*k) == Some(&false))
                .map(|(k, _)| k.clone())
                .collect(),
        }
    }
}

/// Changes inside one operation present in both versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OperationChanges {
    /// Upper-case method.
    pub method: String,
    /// Path as the newer version writes it.
    pub path: String,
    /// Query parameters.
    pub query: Changes,
    /// Request body fields (empty unless both versions have schemas).
    pub request_fields: Changes,
    /// Response body fields (empty unless both versions have schemas).
    pub response_fields: Changes,
}

/// Everything that changed from `from` to `to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionDiff {
    /// Older version.
    pub from: ApiVersion,
    /// Newer version.
    pub to: ApiVersion,
    /// Whether body fields were compared (both versions have schemas).
    pub fields_compared: bool,
    /// Operations (`METHOD /path`).
    pub operations: Changes,
    /// Per-operation changes, for operations in both versions with any change.
    pub changed: Vec<OperationChanges>,
}

impl VersionDiff {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.operations.is_empty() && self.changed.is_empty()
    }
}

/// Compares two versions' models (`from` is taken as the older).
pub fn diff(from: &ApiSpec, to: &ApiSpec) -> VersionDiff {
    let display = |spec: &ApiSpec, key: &OpKey| {
        spec.operations
            .get(key)
            .map_or_else(|| key.to_string(), |o| format!("{} {}", key.method, o.path))
    };
    let as_flags = |spec: &ApiSpec| -> BTreeMap<String, bool> {
        spec.operations
            .iter()
            .map(|(k, o)| (k.to_string(), o.deprecated))
            .collect()
    };
    let mut operations = Changes::between(&as_flags(from), &as_flags(to));
    // Re-spell canonical keys as documented paths.
    let respell = |names: &mut Vec<String>, spec: &ApiSpec| {
        for name in names.iter_mut() {
            if let Some(key) = OpKey::parse(name) {
                *name = display(spec, &key);
            }
        }
    };
    respell(&mut operations.added, to);
    respell(&mut operations.removed, from);
    respell(&mut operations.deprecated, to);
    let fields_compared = from.has_schemas && to.has_schemas;
    let changed = from
        .operations
        .iter()
        .filter_map(|(key, old)| {
            let new = to.operations.get(key)?;
            let change = op_changes(key, old, new, fields_compared);
            let empty = change.query.is_empty()
                && change.request_fields.is_empty()
                && change.response_fields.is_empty();
            (!empty).then_some(change)
        })
        .collect();
    VersionDiff {
        from: from.version,
        to: to.version,
        fields_compared,
        operations,
        changed,
    }
}

fn op_changes(key: &OpKey, old: &Operation, new: &Operation, fields: bool) -> OperationChanges {
    let field_changes = |a, b| {
        if fields {
            Changes::between(a, b)
        } else {
            Changes::default()
        }
    };
    OperationChanges {
        method: key.method.clone(),
        path: new.path.clone(),
        query: Changes::between(&old.query, &new.query),
        request_fields: field_changes(&old.request_fields, &new.request_fields),
        response_fields: field_changes(&old.response_fields, &new.response_fields),
    }
}
