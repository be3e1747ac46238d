//! The compatibility matrix: every operation, query parameter and body field of
//! every API version, with its lifecycle.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::lifecycle::{Lifecycle, State};
use crate::model::releases::Release;
use crate::model::{ApiSpec, OpKey, Operation};
use crate::version::ApiVersion;

/// Where the data came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Provenance {
    /// Upstream repository (`moby/moby`).
    pub repository: String,
    /// Pinned upstream commit.
    pub commit: String,
    /// SHA-256 of the corpus' SHA256SUMS listing.
    pub sha256sums: String,
}

/// The lifecycle of a named item (query parameter or body field) of an operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ItemHistory {
    /// Parameter name or dotted field path.
    pub name: String,
    /// Its lifecycle.
    #[serde(flatten)]
    pub lifecycle: Lifecycle,
}

/// The history of one operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct OperationHistory {
    /// Upper-case HTTP method.
    pub method: String,
    /// Path as the newest version that has the operation writes it.
    pub path: String,
    /// Title from the newest version that has one.
    pub title: Option<String>,
    /// `operationId` from the newest version that has one.
    pub operation_id: Option<String>,
    /// Tags from the newest version that has the operation.
    pub tags: Vec<String>,
    /// The operation's own lifecycle.
    #[serde(flatten)]
    pub lifecycle: Lifecycle,
    /// Query parameters.
    pub query: Vec<ItemHistory>,
    /// Request body fields (tracked where the reference has schemas).
    pub request_fields: Vec<ItemHistory>,
    /// Success response body fields (tracked where the reference has schemas).
    pub response_fields: Vec<ItemHistory>,
}

impl OperationHistory {
    /// The comparison key.
    pub fn key(&self) -> OpKey {
        OpKey::new(&self.method, &self.path)
    }

    /// `METHOD /path` as displayed.
    pub fn display(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

/// The whole matrix (serialised as `generated/data/matrix.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Matrix {
    /// Every API version of the corpus, oldest first.
    pub api_versions: Vec<ApiVersion>,
    /// First version whose reference has body schemas: field lifecycles start there,
    /// so a field whose `since` equals it may be older.
    pub fields_tracked_from: Option<ApiVersion>,
    /// Docker releases and the API versions they serve, oldest first.
    pub releases: Vec<Release>,
    /// Where the corpus came from.
    pub provenance: Provenance,
    /// Every operation ever documented, ordered by path then method.
    pub operations: Vec<OperationHistory>,
}

impl Matrix {
    /// Builds the matrix from every version's model (any order).
    pub fn build(specs: &[ApiSpec], releases: Vec<Release>, provenance: Provenance) -> Self {
        let mut specs: Vec<&ApiSpec> = specs.iter().collect();
        specs.sort_by_key(|s| s.version);
        let keys: BTreeSet<&OpKey> = specs.iter().flat_map(|s| s.operations.keys()).collect();
        let mut operations: Vec<OperationHistory> = keys
            .into_iter()
            .map(|key| history_of(key, &specs))
            .collect();
        operations.sort_by(|a, b| (a.key().path, &a.method).cmp(&(b.key().path, &b.method)));
        Self {
            api_versions: specs.iter().map(|s| s.version).collect(),
            fields_tracked_from: specs.iter().find(|s| s.has_schemas).map(|s| s.version),
            releases,
            provenance,
            operations,
        }
    }

    /// Looks an operation up by key.
    pub fn operation(&self, key: &OpKey) -> Option<&OperationHistory> {
        self.operations.iter().find(|o| &o.key() == key)
    }

    /// The newest API version.
    pub fn newest(&self) -> Option<ApiVersion> {
        self.api_versions.last().copied()
    }
}

fn history_of(key: &OpKey, specs: &[&ApiSpec]) -> OperationHistory {
    let per_version: Vec<(ApiVersion, Option<&Operation>, bool)> = specs
        .iter()
        .map(|s| (s.version, s.operations.get(key), s.has_schemas))
        .collect();
    let lifecycle = Lifecycle::from_states(per_version.iter().map(|(v, op, _)| {
        (
            *v,
            op.map_or(State::Absent, |o| State::Present {
                deprecated: o.deprecated,
            }),
        )
    }));
    let newest = per_version.iter().rev().find_map(|(_, op, _)| *op);
    let newest_with = |f: fn(&Operation) -> Option<String>| {
        per_version
            .iter()
            .rev()
            .find_map(|(_, op, _)| op.and_then(f))
    };
    OperationHistory {
        method: key.method.clone(),
        path: newest.map_or_else(|| key.path.clone(), |o| o.path.clone()),
        title: newest_with(|o| o.title.clone()),
        operation_id: newest_with(|o| o.operation_id.clone()),
        tags: newest.map(|o| o.tags.clone()).unwrap_or_default(),
        lifecycle,
        query: items(&per_version, |o| &o.query, false),
        request_fields: items(&per_version, |o| &o.request_fields, true),
        response_fields: items(&per_version, |o| &o.response_fields, true),
    }
}

/// Lifecycles of every named item one of the maps holds in any version.
/// `schema_bound` items are unknown (not absent) in versions without schemas.
fn items(
    per_version: &[(ApiVersion, Option<&Operation>, bool)],
    map: fn(&Operation) -> &BTreeMap<String, bool>,
    schema_bound: bool,
) -> Vec<ItemHistory> {
    let names: BTreeSet<&String> = per_version
        .iter()
        .filter_map(|(_, op, _)| op.map(map))
        .flat_map(|m| m.keys())
        .collect();
    names
        .into_iter()
        .map(|name| ItemHistory {
            name: name.clone(),
            lifecycle: Lifecycle::from_states(per_version.iter().map(|(v, op, has_schemas)| {
                let state = match op {
                    None => State::Absent,
                    Some(_) if schema_bound && !has_schemas => State::Unknown,
                    Some(o) => map(o)
                        .get(name)
                        .map_or(State::Absent, |&deprecated| State::Present { deprecated }),
                };
                (*v, state)
            })),
        })
        .collect()
}
