//! What a request on the wire should have been, for transport tests: the
//! generated client's one check per operation compares each request its fake
//! daemon saw with the plan drawn from the matrix.

use crate::fake::SeenRequest;

/// The planned request of one operation.
#[derive(Debug, Clone, Copy)]
pub struct Expected<'a> {
    /// The operation id, for the message.
    pub op: &'a str,
    /// `GET`, `POST`, …
    pub method: &'a str,
    /// `/vX.Y/…` with placeholders filled.
    pub path: &'a str,
    /// The query parameter names, in any order.
    pub query: &'a [&'a str],
    /// Whether the body must be JSON.
    pub json_body: bool,
}

/// How `seen` differs from `expected`; `None` when it does not.
pub fn difference(seen: Option<&SeenRequest>, expected: &Expected<'_>) -> Option<String> {
    let Expected {
        op,
        method,
        path,
        query,
        json_body,
    } = *expected;
    let Some(seen) = seen else {
        return Some(format!("{op}: nothing reached the daemon"));
    };
    let (got_path, got_query) = seen.path.split_once('?').unwrap_or((&seen.path, ""));
    let mut names: Vec<&str> = got_query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').map_or(p, |(k, _)| k))
        .collect();
    names.sort_unstable();
    names.dedup();
    let mut wanted = query.to_vec();
    wanted.sort_unstable();
    let body_ok = !json_body || serde_json::from_slice::<serde_json::Value>(&seen.body).is_ok();
    if seen.method == method && got_path == path && names == wanted && body_ok {
        return None;
    }
    Some(format!(
        "{op}: sent {} {} (body {} bytes), expected {method} {path} with query {wanted:?}{}",
        seen.method,
        seen.path,
        seen.body.len(),
        if json_body { " and a JSON body" } else { "" },
    ))
}
