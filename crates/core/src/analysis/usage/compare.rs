//! `compare`: which calls one manifest makes that another does not, and for
//! the calls both make, which query parameters, body fields and response fields
//! one uses that the other does not.

use serde::Serialize;

use super::validate::{ResolvedCall, UsageManifest};
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
    /// Calls in both whose listed items differ, in `to`'s order.
    pub changed: Vec<CallChange>,
}

/// A call both manifests make, with the items only one of them lists, each
/// written `?name`, `body Path` or `response Path`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallChange {
    /// The call.
    #[serde(flatten)]
    pub call: CallRef,
    /// Listed in `to` only.
    pub added: Vec<String>,
    /// Listed in `from` only.
    pub removed: Vec<String>,
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
    let changed = to
        .calls
        .iter()
        .filter_map(|b| {
            let a = from.calls.iter().find(|a| a.key == b.key)?;
            let (before, after) = (items(a), items(b));
            let added: Vec<String> = after
                .iter()
                .filter(|i| !before.contains(i))
                .cloned()
                .collect();
            let removed: Vec<String> = before
                .iter()
                .filter(|i| !after.contains(i))
                .cloned()
                .collect();
            (!added.is_empty() || !removed.is_empty()).then(|| CallChange {
                call: call_ref(&b.key, matrix),
                added,
                removed,
            })
        })
        .collect();
    Comparison {
        from: from.title(),
        to: to.title(),
        added: only(to, from),
        removed: only(from, to),
        changed,
    }
}

/// Every item a call lists: `?name` (also sent as zero only), `body Path`,
/// `response Path`.
fn items(call: &ResolvedCall) -> Vec<String> {
    let query = call
        .query
        .iter()
        .chain(&call.zero_query)
        .map(|q| format!("?{q}"));
    let body = call.body.iter().map(|f| format!("body {f}"));
    let response = call.response.iter().map(|f| format!("response {f}"));
    let mut all: Vec<String> = Vec::new();
    for item in query.chain(body).chain(response) {
        if !all.contains(&item) {
            all.push(item);
        }
    }
    all
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_parameter_listed_twice_is_one_item() {
        let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let call = ResolvedCall {
            key: OpKey::new("POST", "/images/{name}/tag"),
            written: "POST /images/{name}/tag".into(),
            query: strings(&["repo", "force", "tag"]),
            zero_query: strings(&["force"]),
            body: Vec::new(),
            response: strings(&["Id"]),
            undocumented: Default::default(),
            notes: None,
            line: None,
        };
        assert_eq!(items(&call), ["?repo", "?force", "?tag", "response Id"]);
    }
}
