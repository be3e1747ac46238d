//! The compatibility matrix: every operation, query parameter and body field of
//! every API version, with its lifecycle.

use std::collections::BTreeSet;

use rayon::prelude::*;
use serde::Serialize;

use super::lifecycle::{Lifecycle, State};
use super::removals::{ItemKind, RealRemovals};
use crate::model::releases::Release;
use crate::model::spec::Evidence;
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
    /// Body fields: how the version of `since` documents it (`schema`, `parameter
    /// list` or `example`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Evidence>,
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
    /// First version whose reference has body schemas. Before it, body fields come
    /// from the markdown pages' parameter lists and examples; where those cannot
    /// tell, a field's `since_exact` is `false`.
    pub fields_tracked_from: Option<ApiVersion>,
    /// Docker releases and the API versions they serve, oldest first.
    pub releases: Vec<Release>,
    /// Where the corpus came from.
    pub provenance: Provenance,
    /// Every operation ever documented, ordered by path then method.
    pub operations: Vec<OperationHistory>,
}

impl Matrix {
    /// Builds the matrix from every version's model (any order); operations are
    /// computed in parallel, the result does not depend on the thread count.
    pub fn build(
        specs: &[ApiSpec],
        releases: Vec<Release>,
        provenance: Provenance,
        removals: &RealRemovals,
    ) -> Self {
        let mut specs: Vec<&ApiSpec> = specs.iter().collect();
        specs.sort_by_key(|s| s.version);
        let keys: BTreeSet<&OpKey> = specs.iter().flat_map(|s| s.operations.keys()).collect();
        let keys: Vec<&OpKey> = keys.into_iter().collect();
        let mut operations: Vec<OperationHistory> = keys
            .par_iter()
            .map(|key| history_of(key, &specs, removals))
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

fn history_of(key: &OpKey, specs: &[&ApiSpec], removals: &RealRemovals) -> OperationHistory {
    let per_version: Vec<(ApiVersion, Option<&Operation>)> = specs
        .iter()
        .map(|s| (s.version, s.operations.get(key)))
        .collect();
    let lifecycle = Lifecycle::from_states(
        per_version.iter().map(|(v, op)| {
            let state = op.map_or(State::Absent, |o| State::Present {
                deprecated: o.deprecated,
                experimental: o.experimental,
            });
            (*v, state)
        }),
        &removals.at(key, ItemKind::Operation, ""),
    );
    let newest = per_version.iter().rev().find_map(|(_, op)| *op);
    let newest_with = |f: fn(&Operation) -> Option<String>| {
        per_version.iter().rev().find_map(|(_, op)| op.and_then(f))
    };
    let items_of = |kind: ItemKind| items(key, &per_version, kind, removals);
    OperationHistory {
        method: key.method.clone(),
        path: newest.map_or_else(|| key.path.clone(), |o| o.path.clone()),
        title: newest_with(|o| o.title.clone()),
        operation_id: newest_with(|o| o.operation_id.clone()),
        tags: newest.map(|o| o.tags.clone()).unwrap_or_default(),
        lifecycle,
        query: items_of(ItemKind::Query),
        request_fields: items_of(ItemKind::RequestField),
        response_fields: items_of(ItemKind::ResponseField),
    }
}

/// What one version says about an item of a kind: documented, shown absent (the
/// operation is missing, or the version lists that part completely), or unknown.
fn state_of(op: Option<&Operation>, kind: ItemKind, name: &str) -> (State, Option<Evidence>) {
    let Some(o) = op else {
        return (State::Absent, None);
    };
    let (map, unknown) = match kind {
        ItemKind::Query => (&o.query, false),
        ItemKind::RequestField => (&o.request_fields, o.field_unknown(true, name)),
        ItemKind::ResponseField => (&o.response_fields, o.field_unknown(false, name)),
        ItemKind::Operation => return (State::PRESENT, None),
    };
    match map.get(name) {
        Some(facts) => (
            State::Present {
                deprecated: facts.deprecated,
                experimental: facts.experimental || o.experimental,
            },
            Some(facts.evidence),
        ),
        None if unknown => (State::Unknown, None),
        None => (State::Absent, None),
    }
}

/// Lifecycles of every named item of a kind that the operation has in any version.
fn items(
    key: &OpKey,
    per_version: &[(ApiVersion, Option<&Operation>)],
    kind: ItemKind,
    removals: &RealRemovals,
) -> Vec<ItemHistory> {
    let names: BTreeSet<&String> = per_version
        .iter()
        .filter_map(|(_, op)| *op)
        .flat_map(|o| match kind {
            ItemKind::Query => o.query.keys(),
            ItemKind::RequestField => o.request_fields.keys(),
            ItemKind::ResponseField | ItemKind::Operation => o.response_fields.keys(),
        })
        .collect();
    names
        .into_iter()
        .map(|name| {
            let states: Vec<(ApiVersion, (State, Option<Evidence>))> = per_version
                .iter()
                .map(|(v, op)| (*v, state_of(*op, kind, name)))
                .collect();
            let evidence = states.iter().find_map(|(_, (_, e))| *e);
            ItemHistory {
                name: name.clone(),
                lifecycle: Lifecycle::from_states(
                    states.iter().map(|(v, (s, _))| (*v, *s)),
                    &removals.at(key, kind, name),
                ),
                evidence: match kind {
                    ItemKind::RequestField | ItemKind::ResponseField => evidence,
                    ItemKind::Query | ItemKind::Operation => None,
                },
            }
        })
        .collect()
}
