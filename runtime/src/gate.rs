//! Static operation/parameter descriptions and the version gates checked before any I/O.

use crate::error::Error;
use crate::served::{CodeSays, Gate, Served};
use crate::version::{ApiVersion, VersionRange, VersionSet};
pub use dockmatrix_version::HttpMethod;

/// Static description of one Docker Engine API operation, emitted as `static` data by codegen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationInfo {
    /// Operation id, e.g. `"ContainerList"`.
    pub name: &'static str,
    /// HTTP method.
    pub method: HttpMethod,
    /// Path template without version prefix, e.g. `"/containers/{id}/json"`.
    pub path: &'static str,
    /// API versions that have this operation.
    pub versions: &'static [VersionRange],
    /// What each release's server code serves of it; `None`: no facts.
    pub served: Option<&'static [Served]>,
}

impl OperationInfo {
    /// Builds an operation description; usable in `static` data.
    pub const fn new(
        name: &'static str,
        method: HttpMethod,
        path: &'static str,
        versions: &'static [VersionRange],
    ) -> Self {
        Self {
            name,
            method,
            path,
            versions,
            served: None,
        }
    }

    /// The same with what the releases' code serves; usable in `static` data.
    pub const fn with_served(mut self, served: &'static [Served]) -> Self {
        self.served = Some(served);
        self
    }

    /// Whether the operation exists in API version `v` (the documents).
    #[inline]
    pub fn supports(&self, v: ApiVersion) -> bool {
        VersionSet(self.versions).contains(v)
    }
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParamLocation {
    /// URL path segment (`{name}` in the template).
    Path,
    /// Query string pair.
    Query,
    /// HTTP header.
    Header,
    /// Field of the JSON request body (dotted path for nested fields).
    BodyField,
}

/// Static description of one parameter of an operation, emitted as `static` data by codegen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParamInfo {
    /// Wire name (query key, header name, path placeholder or JSON field path).
    pub name: &'static str,
    /// Where the parameter travels.
    pub location: ParamLocation,
    /// API versions that accept this parameter.
    pub versions: &'static [VersionRange],
    /// What each release's server code reads of it; `None`: no facts (body fields).
    pub served: Option<&'static [Served]>,
}

impl ParamInfo {
    /// Builds a parameter description; usable in `static` data.
    pub const fn new(
        name: &'static str,
        location: ParamLocation,
        versions: &'static [VersionRange],
    ) -> Self {
        Self {
            name,
            location,
            versions,
            served: None,
        }
    }

    /// The same with what the releases' code reads; usable in `static` data.
    pub const fn with_served(mut self, served: &'static [Served]) -> Self {
        self.served = Some(served);
        self
    }

    /// Whether the parameter is accepted in API version `v` (the documents).
    #[inline]
    pub fn supports(&self, v: ApiVersion) -> bool {
        VersionSet(self.versions).contains(v)
    }
}

/// Fails unless `op` is served at `gate`: by the daemon release's code where it
/// tells ([`Error::NotServed`]), else by the documents ([`Error::UnsupportedOperation`]).
#[inline]
pub fn check_operation(op: &'static OperationInfo, gate: Gate) -> Result<(), Error> {
    match gate.code_says(op.served) {
        CodeSays::Yes => Ok(()),
        CodeSays::No(served) => Err(not_served(op, None, served, gate)),
        CodeSays::Documents if op.supports(gate.version) => Ok(()),
        CodeSays::Documents => Err(unsupported_operation(op, gate.version)),
    }
}

/// Fails unless `param` of `op` is served at `gate`: read by the daemon
/// release's code where it tells ([`Error::NotServed`]), else accepted by the
/// documents ([`Error::UnsupportedParameter`]). A body field the release's code
/// serves (its Go types decode it, no version condition touches it) passes;
/// otherwise the documents decide.
#[inline]
pub fn check_parameter(
    op: &'static OperationInfo,
    param: &'static ParamInfo,
    gate: Gate,
) -> Result<(), Error> {
    let says = match gate.code_says(param.served) {
        // Body-field facts only widen the documents: a release without an
        // entry leaves them to decide.
        CodeSays::No(_) if param.location == ParamLocation::BodyField => CodeSays::Documents,
        says => says,
    };
    match says {
        CodeSays::Yes => Ok(()),
        CodeSays::No(served) => Err(not_served(op, Some(param), served, gate)),
        CodeSays::Documents if param.supports(gate.version) => Ok(()),
        CodeSays::Documents => Err(unsupported_parameter(op, param, gate.version)),
    }
}

#[cold]
fn not_served(
    op: &'static OperationInfo,
    param: Option<&'static ParamInfo>,
    served: VersionSet,
    gate: Gate,
) -> Error {
    let release = gate.release.map_or("", |(_, r)| r.docker);
    let tag = gate.release.map_or("", |(_, r)| r.tag);
    Error::NotServed {
        operation: op.name,
        parameter: param.map(|p| p.name),
        release,
        tag,
        served,
        negotiated: gate.version,
    }
}

#[cold]
fn unsupported_operation(op: &'static OperationInfo, v: ApiVersion) -> Error {
    let set = VersionSet(op.versions);
    Error::UnsupportedOperation {
        operation: op.name,
        since: set.since(),
        removed_in: set.removed_in(),
        supported: set,
        negotiated: v,
    }
}

#[cold]
fn unsupported_parameter(
    op: &'static OperationInfo,
    param: &'static ParamInfo,
    v: ApiVersion,
) -> Error {
    let set = VersionSet(param.versions);
    Error::UnsupportedParameter {
        operation: op.name,
        parameter: param.name,
        since: set.since(),
        removed_in: set.removed_in(),
        supported: set,
        negotiated: v,
    }
}

/// The fields of `fields` that are set (present and not `null`) in the JSON `body`.
/// Field names are dotted paths; `[]` steps into every array item, `*` into every map value.
pub fn fields_in_use<'b>(
    body: &'b serde_json::Value,
    fields: &'static [ParamInfo],
) -> impl Iterator<Item = &'static ParamInfo> + 'b {
    fields.iter().filter(move |f| is_set(body, f.name))
}

fn is_set(value: &serde_json::Value, path: &str) -> bool {
    use serde_json::Value;
    if path.is_empty() {
        return !value.is_null();
    }
    if let Some(rest) = path.strip_prefix("[]") {
        let rest = rest.strip_prefix('.').unwrap_or(rest);
        return match value {
            Value::Array(items) => items.iter().any(|i| is_set(i, rest)),
            _ => false,
        };
    }
    let (head, rest) = split_step(path);
    match value {
        Value::Object(map) if head == "*" => map.values().any(|v| is_set(v, rest)),
        Value::Object(map) => map.get(head).is_some_and(|v| is_set(v, rest)),
        _ => false,
    }
}

/// `a.b` → (`a`, `b`); `a[].b` → (`a`, `[].b`).
fn split_step(path: &str) -> (&str, &str) {
    let end = path.find(['.', '[']).unwrap_or(path.len());
    let (head, rest) = path.split_at(end);
    (head, rest.strip_prefix('.').unwrap_or(rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn v(minor: u16) -> ApiVersion {
        ApiVersion::new(1, minor)
    }

    static OP: OperationInfo = OperationInfo::new(
        "ImageBuildPrune",
        HttpMethod::Post,
        "/build/prune",
        &[VersionRange::new(Some(v(31)), None)],
    );
    static GAPPY: ParamInfo = ParamInfo::new(
        "filters",
        ParamLocation::Query,
        &[
            VersionRange::new(None, Some(v(20))),
            VersionRange::new(Some(v(25)), Some(v(40))),
        ],
    );

    #[test]
    fn body_fields_in_use() {
        static FIELDS: [ParamInfo; 5] = [
            ParamInfo::new(
                "HostConfig.Memory",
                ParamLocation::BodyField,
                &[VersionRange::ALL],
            ),
            ParamInfo::new(
                "HostConfig.Init",
                ParamLocation::BodyField,
                &[VersionRange::ALL],
            ),
            ParamInfo::new(
                "Mounts[].Target",
                ParamLocation::BodyField,
                &[VersionRange::ALL],
            ),
            ParamInfo::new(
                "Nets.*.Aliases",
                ParamLocation::BodyField,
                &[VersionRange::ALL],
            ),
            ParamInfo::new("Labels", ParamLocation::BodyField, &[VersionRange::ALL]),
        ];
        let body = serde_json::json!({
            "HostConfig": {"Memory": 5, "Init": null},
            "Mounts": [{"Source": "a"}, {"Target": "/x"}],
            "Nets": {"n1": {"Aliases": ["a"]}},
        });
        let used: Vec<&str> = fields_in_use(&body, &FIELDS).map(|f| f.name).collect();
        assert_eq!(
            used,
            ["HostConfig.Memory", "Mounts[].Target", "Nets.*.Aliases"]
        );
    }

    #[test]
    fn operation_gate() {
        assert!(check_operation(&OP, Gate::documents(v(31))).is_ok());
        assert!(check_operation(&OP, Gate::documents(v(55))).is_ok());
        match check_operation(&OP, Gate::documents(v(30))) {
            Err(Error::UnsupportedOperation {
                operation,
                since,
                removed_in,
                negotiated,
                ..
            }) => {
                assert_eq!(operation, "ImageBuildPrune");
                assert_eq!(since, Some(v(31)));
                assert_eq!(removed_in, None);
                assert_eq!(negotiated, v(30));
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn parameter_gate_with_gap() {
        assert!(check_parameter(&OP, &GAPPY, Gate::documents(v(19))).is_ok());
        assert!(check_parameter(&OP, &GAPPY, Gate::documents(v(30))).is_ok());
        let err = check_parameter(&OP, &GAPPY, Gate::documents(v(22))).unwrap_err();
        match &err {
            Error::UnsupportedParameter {
                parameter,
                since,
                removed_in,
                ..
            } => {
                assert_eq!(*parameter, "filters");
                assert_eq!(*since, None);
                assert_eq!(*removed_in, Some(v(40)));
            }
            other => panic!("unexpected {other:?}"),
        }
        let msg = err.to_string();
        assert!(
            msg.contains("filters") && msg.contains("1.22") && msg.contains(">= 1.25, < 1.40"),
            "{msg}"
        );
        assert!(check_parameter(&OP, &GAPPY, Gate::documents(v(40))).is_err());
    }

    #[test]
    fn the_release_code_decides_over_the_documents() {
        use crate::served::ReleaseLine;
        static RELEASES: [ReleaseLine; 2] = [
            ReleaseLine::new("20.10", "v20.10.27", "20.10", v(41)),
            ReleaseLine::new("24.0", "v24.0.9", "24.0", v(43)),
        ];
        static ALL: [VersionRange; 1] = [VersionRange::ALL];
        // Documented from 1.31; release 0's code routes it at every version,
        // release 1's code not at all.
        static SERVED_OP: OperationInfo = OperationInfo::new(
            "ImageBuildPrune",
            HttpMethod::Post,
            "/build/prune",
            &[VersionRange::new(Some(v(31)), None)],
        )
        .with_served(&[Served::new(0b01, &ALL, &[])]);
        let at = |minor, i: usize| Gate {
            version: v(minor),
            release: Some((i, &RELEASES[i])),
        };
        assert!(check_operation(&SERVED_OP, at(24, 0)).is_ok());
        let err = check_operation(&SERVED_OP, at(43, 1)).unwrap_err();
        assert!(
            matches!(
                err,
                Error::NotServed {
                    release: "24.0",
                    tag: "v24.0.9",
                    parameter: None,
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(err.to_string().contains("serves it at no version"), "{err}");
        // Without the release, the documents decide.
        assert!(check_operation(&SERVED_OP, Gate::documents(v(24))).is_err());
        // A parameter without facts (a body field) follows the documents.
        assert!(check_parameter(&SERVED_OP, &GAPPY, at(22, 0)).is_err());
    }
}
