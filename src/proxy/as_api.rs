//! `--as-api V`: make the daemon look like one whose newest API is V.
//!
//! Two witnesses say what a V daemon serves: the documents, and the server
//! code of the release whose newest API is V. An operation or query parameter
//! is answered as missing (404) or stripped only when both say a V daemon
//! lacks it; where the code is not in the corpus, the documents decide alone.
//! Body and response fields rest on the documents (the Go types are not in
//! the server corpus).

use serde_json::Value;

use dockmatrix_core::analysis::{ItemHistory, OperationHistory, Support};
use dockmatrix_core::model::served::{CodeVerdict, ServedIndex, ServedRelease};
use dockmatrix_core::version::ApiVersion;

/// The pretended maximum API version.
#[derive(Debug, Clone)]
pub struct AsApi {
    /// V.
    pub max: ApiVersion,
    /// First version whose reference has body schemas: fields first seen there may be older.
    pub fields_tracked_from: Option<ApiVersion>,
    /// The server code of the release whose newest API is V, if in the corpus.
    pub code: Option<ServedRelease>,
}

impl AsApi {
    /// Pretends `max`, with the code of the release serving `max` as its newest.
    pub fn new(
        max: ApiVersion,
        fields_tracked_from: Option<ApiVersion>,
        served: &ServedIndex,
    ) -> Self {
        let code = served
            .releases
            .iter()
            .find(|r| r.max_api.as_ref().is_some_and(|(v, _)| *v == max))
            .cloned();
        Self {
            max,
            fields_tracked_from,
            code,
        }
    }

    /// Whether a V daemon serves `op` at requested version `v`: documented
    /// there, or routed (and not refused) there by the release's code.
    pub fn operation_known(&self, op: &OperationHistory, v: ApiVersion) -> bool {
        op.lifecycle.supports(v)
            || self
                .code
                .as_ref()
                .is_some_and(|c| c.serves(&op.key(), v).is_some())
    }

    /// Whether a V daemon takes query parameter `item` of `op` at `v`:
    /// documented there, or read there by the release's code.
    pub fn query_served(&self, op: &OperationHistory, item: &ItemHistory, v: ApiVersion) -> bool {
        Self::query_known(item, v)
            || self
                .code
                .as_ref()
                .is_some_and(|c| c.param_verdict(&op.key(), &item.name, v) == CodeVerdict::Serves)
    }

    /// dockerd's answer (HTTP 400) to a request for a version above its maximum.
    pub fn too_new(&self, requested: ApiVersion) -> Option<String> {
        (requested > self.max).then(|| {
            format!(
                "client version {requested} is too new. Maximum supported API version is {}",
                self.max
            )
        })
    }

    /// Whether a query parameter exists at `v`.
    pub fn query_known(item: &ItemHistory, v: ApiVersion) -> bool {
        item.lifecycle.supports(v)
    }

    /// Whether a body field exists at `v`; below the first version with schemas
    /// the field is judged at that version, since the older references cannot tell.
    pub fn field_known(&self, item: &ItemHistory, v: ApiVersion) -> bool {
        let at = self.fields_tracked_from.map_or(v, |t| v.max(t));
        item.lifecycle.supports(at)
    }
}

impl AsApi {
    /// A success body of `op` (`GET /info`) without the response fields the
    /// matrix knows a V daemon did not report (fields it cannot tell about are
    /// kept); also the dotted paths it dropped. `None` if the body is not JSON.
    pub fn rewrite_fields(
        &self,
        body: &[u8],
        op: &OperationHistory,
    ) -> Option<(Vec<u8>, Vec<String>)> {
        let mut value: Value = serde_json::from_slice(body).ok()?;
        let at = self
            .fields_tracked_from
            .map_or(self.max, |t| self.max.max(t));
        let absent = |path: &str| {
            op.response_fields
                .iter()
                .find(|i| i.name == path)
                .is_some_and(|i| i.lifecycle.support_at(at) == Support::No)
        };
        let mut dropped = Vec::new();
        prune(&mut value, "", &absent, &mut dropped);
        Some((serde_json::to_vec(&value).ok()?, dropped))
    }
}

/// Removes, depth first through objects (not arrays or maps), the members whose
/// dotted path `absent` names.
fn prune(
    value: &mut Value,
    prefix: &str,
    absent: &dyn Fn(&str) -> bool,
    dropped: &mut Vec<String>,
) {
    let Value::Object(map) = value else {
        return;
    };
    map.retain(|key, member| {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        if absent(&path) {
            dropped.push(path);
            false
        } else {
            prune(member, &path, absent, dropped);
            true
        }
    });
}

/// `GET /version`'s body with `ApiVersion` (top level and the Engine
/// component) lowered to `max` and `MinAPIVersion` to at most `max`, then
/// raised to at least `min`; `None` if the body is not JSON.
pub fn rewrite_version(
    body: &[u8],
    max: Option<ApiVersion>,
    min: Option<ApiVersion>,
) -> Option<Vec<u8>> {
    let mut value: Value = serde_json::from_slice(body).ok()?;
    let adjust = |v: &mut Value| {
        if let Some(max) = max {
            let text = max.to_string();
            lower(v, "ApiVersion", max, &text);
            lower(v, "MinAPIVersion", max, &text);
        }
        if let Some(min) = min {
            raise(v, "MinAPIVersion", min);
        }
    };
    adjust(&mut value);
    if let Some(components) = value.get_mut("Components").and_then(Value::as_array_mut) {
        for c in components {
            if let Some(details) = c.get_mut("Details") {
                adjust(details);
            }
        }
    }
    serde_json::to_vec(&value).ok()
}

fn raise(value: &mut Value, key: &str, min: ApiVersion) {
    let Some(slot) = value.get_mut(key) else {
        return;
    };
    let below = slot
        .as_str()
        .and_then(|s| s.parse::<ApiVersion>().ok())
        .is_some_and(|current| current < min);
    if below {
        *slot = Value::String(min.to_string());
    }
}

fn lower(value: &mut Value, key: &str, max: ApiVersion, text: &str) {
    let Some(slot) = value.get_mut(key) else {
        return;
    };
    let above = slot
        .as_str()
        .and_then(|s| s.parse::<ApiVersion>().ok())
        .is_some_and(|current| current > max);
    if above {
        *slot = Value::String(text.to_string());
    }
}
