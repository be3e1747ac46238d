//! `check`: can a target API version or Docker release serve a manifest, what is
//! the lowest API version that serves it, which releases can, and what changed
//! since in the operations it calls.

use serde::Serialize;

use super::manifest::RequestVersion;
use super::served_verdict;
use super::validate::{ResolvedCall, UsageManifest};
use crate::analysis::matrix::ItemHistory;
use crate::analysis::{Lifecycle, Matrix, OperationHistory, Support};
use crate::model::releases::Release;
use crate::model::served::{ParamServed, ServedIndex, ServedRelease};
use crate::suggest::{hint, nearest_releases, nearest_versions};
use crate::version::ApiVersion;

/// What to check against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The manifest's declared minimum API version (the default).
    DeclaredFloor,
    /// A given API version.
    Api(ApiVersion),
    /// A Docker release, served at the API version its daemon uses for the
    /// consumer's requests.
    Docker(String),
}

/// The target could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct CheckTargetError(pub String);

/// The target as resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TargetReport {
    /// `declared_floor`, `api` or `docker`.
    pub kind: &'static str,
    /// The Docker release, for `docker`.
    pub docker: Option<String>,
    /// The API version the calls are checked at; `None` when the release refuses
    /// the consumer's requests outright.
    pub api: Option<ApiVersion>,
    /// How the API version was chosen.
    pub explanation: String,
    /// The release tag whose server code decides the operations and query
    /// parameters; `None`: the documents alone decide.
    pub served_by: Option<String>,
    /// Which witness decides what, in words.
    pub witness: String,
}

/// One call at the target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallReport {
    /// Upper-case method.
    pub method: String,
    /// Path as the newest reference writes it.
    pub path: String,
    /// Title of the operation.
    pub title: Option<String>,
    /// Whether the target serves the call and every parameter and field it lists.
    pub supported: bool,
    /// First API version with the operation.
    pub since: Option<ApiVersion>,
    /// First API version without it, if removed.
    pub removed_in: Option<ApiVersion>,
    /// Start of its deprecation, if deprecated.
    pub deprecated_in: Option<ApiVersion>,
    /// Lowest API version serving the call with its listed parameters and fields.
    pub floor: Option<ApiVersion>,
    /// What the target lacks: the operation itself or listed parameters/fields.
    pub missing: Vec<String>,
    /// Listed parameters and fields the references cannot confirm or rule out at
    /// the target (a body field whose `since` is inexact).
    pub unverified: Vec<String>,
    /// What of the call is experimental at the target: it needs a daemon started
    /// with experimental features.
    pub experimental: Vec<String>,
    /// Query parameters the call sends only with their zero value that the target
    /// lacks or cannot confirm: a daemon reads them as absent, so they do not count.
    pub zero_only: Vec<String>,
    /// What the target's server code serves of the call that the documents do
    /// not have at the target's API version (compatible, with a warning).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub served_undocumented: Vec<String>,
    /// Parameters the manifest lists as undocumented that the target's code
    /// does not read at its API version: the daemon ignores them (not counted).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ignored: Vec<String>,
    /// Response fields the consumer reads that the documents have before and
    /// after the target's API version but not at it (returned, undocumented
    /// there: a warning, not a failure).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub returned_undocumented: Vec<String>,
    /// The manifest line that lists the call, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
}

/// One Docker release and the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReleaseReport {
    /// Release name.
    pub docker: String,
    /// Newest API it serves.
    pub max_api: ApiVersion,
    /// Oldest API it accepts.
    pub min_api: ApiVersion,
    /// The API version it would answer the consumer's requests at (`None`: refused).
    pub request_api: Option<ApiVersion>,
    /// Whether it serves every call.
    pub serves: bool,
    /// Why (not).
    pub reason: String,
    /// The tag whose code decided; `None`: the documents alone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub served_by: Option<String>,
}

/// One change after the floor to an operation the consumer calls.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Risk {
    /// API version of the change.
    pub version: ApiVersion,
    /// Method of the operation.
    pub method: String,
    /// Path of the operation.
    pub path: String,
    /// `operation`, `query parameter`, `request field` or `response field`.
    pub kind: &'static str,
    /// Parameter or field name (empty for the operation itself).
    pub name: String,
    /// `added`, `removed` or `deprecated`.
    pub change: &'static str,
    /// Whether the manifest lists the parameter or field as used.
    pub used: bool,
}

/// The whole check result (`check --format json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    /// Consumer name.
    pub consumer: String,
    /// Consumer version.
    pub consumer_version: String,
    /// Client library.
    pub client_library: String,
    /// `unversioned` or the pinned version.
    pub request_version: String,
    /// What was checked against.
    pub target: TargetReport,
    /// Whether the target serves every call and is not below the declared minimum.
    pub compatible: bool,
    /// Why the target is refused although it may serve the calls: it is below the
    /// manifest's declared minimum (the consumer refuses such daemons itself).
    pub below_declared_minimum: Option<String>,
    /// Number of calls with unverified parameters or fields at the target.
    pub unverified_calls: usize,
    /// Number of calls that need experimental features at the target.
    pub experimental_calls: usize,
    /// Number of calls with something served but undocumented at the target.
    pub served_undocumented_calls: usize,
    /// Per call, in manifest order.
    pub calls: Vec<CallReport>,
    /// Lowest API version serving every call, parameter and field.
    pub endpoint_floor: Option<ApiVersion>,
    /// The manifest's declared minimum API version.
    pub declared_floor: ApiVersion,
    /// The manifest's declared minimum Docker release.
    pub declared_docker: Option<String>,
    /// Source of the declared minimum, if the manifest cites one.
    pub declared_source: Option<String>,
    /// The manifest line of the declared minimum API, when found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declared_line: Option<usize>,
    /// Why the two floors differ (or that they agree).
    pub floor_explanation: String,
    /// Every Docker release, oldest first.
    pub releases: Vec<ReleaseReport>,
    /// Risks are changes after this version (the higher of the two floors).
    pub risks_after: ApiVersion,
    /// First version with body schemas; earlier body fields come from the markdown
    /// pages' parameter lists and examples.
    pub fields_tracked_from: Option<ApiVersion>,
    /// Changes after `risks_after` to the called operations, oldest first.
    pub risks: Vec<Risk>,
}

/// Checks a manifest against a target. For a Docker release whose server code
/// `served` has, the code decides the operations and query parameters (the
/// documents are shown beside it); otherwise, and for an API version, the
/// documents decide.
pub fn check(
    usage: &UsageManifest,
    matrix: &Matrix,
    served: &ServedIndex,
    target: &Target,
) -> Result<CheckReport, CheckTargetError> {
    let m = &usage.manifest;
    let resolved: Vec<(&ResolvedCall, &OperationHistory)> = usage
        .calls
        .iter()
        .filter_map(|c| matrix.operation(&c.key).map(|op| (c, op)))
        .collect();
    let serves_all = |v: ApiVersion| {
        resolved
            .iter()
            .all(|(c, op)| assess(c, op, v).missing.is_empty())
    };
    let endpoint_floor = matrix.api_versions.iter().copied().find(|&v| serves_all(v));
    let (target, below_declared_minimum) = resolve_target(usage, matrix, served, target)?;
    let witness = target
        .docker
        .as_deref()
        .map_or(Witness::Documents, |d| Witness::of_release(served, d));
    let calls: Vec<CallReport> = resolved
        .iter()
        .map(|(c, op)| {
            let at = target.api.map_or_else(
                || Assessment {
                    missing: vec!["(request refused)".to_string()],
                    ..Assessment::default()
                },
                |v| assess_by(c, op, v, witness),
            );
            CallReport {
                method: op.method.clone(),
                path: op.path.clone(),
                title: op.title.clone(),
                supported: at.missing.is_empty(),
                since: op.lifecycle.since,
                removed_in: op.lifecycle.removed_in,
                deprecated_in: op.lifecycle.deprecated_in,
                floor: matrix
                    .api_versions
                    .iter()
                    .copied()
                    .find(|&v| assess(c, op, v).missing.is_empty()),
                missing: at.missing,
                unverified: at.unverified,
                experimental: at.experimental,
                zero_only: at.zero_only,
                served_undocumented: at.served_undocumented,
                ignored: at.ignored,
                returned_undocumented: at.returned_undocumented,
                line: c.line,
            }
        })
        .collect();
    let compatible = target.api.is_some()
        && below_declared_minimum.is_none()
        && calls.iter().all(|c| c.supported);
    let declared = m.minimum.api;
    let releases = matrix
        .releases
        .iter()
        .map(|r| {
            release_report(
                r,
                m.client.api_version,
                &resolved,
                Witness::of_release(served, &r.docker),
            )
        })
        .collect();
    let risks_after = endpoint_floor.map_or(declared, |e| e.max(declared));
    Ok(CheckReport {
        consumer: m.consumer.name.clone(),
        consumer_version: m.consumer.version.clone(),
        client_library: m.client.library.clone(),
        request_version: match m.client.api_version {
            RequestVersion::Unversioned => "unversioned".into(),
            RequestVersion::Negotiated => "negotiated".into(),
            RequestVersion::Pinned(v) => v.to_string(),
        },
        target,
        compatible,
        below_declared_minimum,
        unverified_calls: calls.iter().filter(|c| !c.unverified.is_empty()).count(),
        experimental_calls: calls.iter().filter(|c| !c.experimental.is_empty()).count(),
        served_undocumented_calls: calls
            .iter()
            .filter(|c| !c.served_undocumented.is_empty())
            .count(),
        endpoint_floor,
        declared_floor: declared,
        declared_docker: m.minimum.docker.clone(),
        declared_source: m.minimum.source.clone(),
        declared_line: usage.minimum_line,
        floor_explanation: floor_explanation(endpoint_floor, declared, &resolved),
        calls,
        releases,
        risks_after,
        fields_tracked_from: matrix.fields_tracked_from,
        risks: risks(&resolved, risks_after),
    })
}

/// What a version makes of one call.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Assessment {
    /// Known to be lacking: the operation, or listed parameters and fields.
    pub(super) missing: Vec<String>,
    /// Listed parameters and fields the witnesses cannot tell about.
    pub(super) unverified: Vec<String>,
    /// Experimental at the version: the operation or listed items.
    pub(super) experimental: Vec<String>,
    /// Zero-valued query parameters the version lacks or cannot confirm.
    pub(super) zero_only: Vec<String>,
    /// What the release's code serves that the documents do not have at the
    /// version (served, undocumented).
    pub(super) served_undocumented: Vec<String>,
    /// Parameters the manifest lists as undocumented that the release's code
    /// does not read at the version: the daemon ignores them (not counted).
    pub(super) ignored: Vec<String>,
    /// Response fields read that the documents omit at the version but have
    /// on both sides of it.
    pub(super) returned_undocumented: Vec<String>,
}

/// Which witness decides what a version serves.
#[derive(Debug, Clone, Copy)]
pub(super) enum Witness<'a> {
    /// The reference documents alone.
    Documents,
    /// A release's server code for the operation and its query parameters;
    /// body fields still rest on the documents.
    Code(&'a ServedRelease),
}

impl<'a> Witness<'a> {
    /// `; judged by the code of TAG` or `; judged by the documents (…)`.
    fn suffix(&self) -> String {
        match self {
            Witness::Code(c) => format!("; judged by the code of {}", c.tag),
            Witness::Documents => {
                "; judged by the documents (the server corpus has no code of this release)".into()
            }
        }
    }

    /// The code of `docker` if the server corpus has it, else the documents.
    fn of_release(served: &'a ServedIndex, docker: &str) -> Self {
        served
            .release(docker)
            .map_or(Witness::Documents, Witness::Code)
    }
}

/// What `v` makes of one call: what it lacks, what cannot be told, and what is
/// experimental there.
fn assess(call: &ResolvedCall, op: &OperationHistory, v: ApiVersion) -> Assessment {
    assess_by(call, op, v, Witness::Documents)
}

/// [`assess`] with the witness that decides the operation and its query parameters.
pub(super) fn assess_by(
    call: &ResolvedCall,
    op: &OperationHistory,
    v: ApiVersion,
    witness: Witness<'_>,
) -> Assessment {
    let mut out = Assessment::default();
    let routed = match witness {
        Witness::Documents => {
            if !op.lifecycle.supports(v) {
                out.missing.push(op.display());
                return out;
            }
            if op.lifecycle.experimental_at(v) {
                out.experimental.push(op.display());
            }
            documented_items(
                &call.query,
                &op.query,
                &format!("{} ?", op.display()),
                v,
                &mut out,
            );
            None
        }
        Witness::Code(release) => {
            let Some(routed) = served_verdict::operation(op, release, v, &mut out) else {
                return out;
            };
            served_verdict::query(call, op, routed, v, &mut out);
            Some(routed)
        }
    };
    let body = format!("{} body ", op.display());
    documented_items(&call.body, &op.request_fields, &body, v, &mut out);
    returned_items(call, op, v, &mut out);
    for name in &call.zero_query {
        let confirmed = match routed {
            Some(r) => matches!(
                r.param(name, v),
                ParamServed::Read(_, h) if h.as_ref().is_none_or(|h| h.honoured)
            ),
            None => {
                op.query
                    .iter()
                    .find(|i| &i.name == name)
                    .map(|i| i.lifecycle.support_at(v))
                    == Some(Support::Yes)
            }
        };
        if !confirmed {
            out.zero_only.push(format!("{} ?{name}=0", op.display()));
        }
    }
    out
}

/// The documents' verdict on each listed item, shown as `prefix` + name.
fn documented_items(
    used: &[String],
    items: &[ItemHistory],
    prefix: &str,
    v: ApiVersion,
    out: &mut Assessment,
) {
    for name in used {
        let shown = format!("{prefix}{name}");
        let item = items.iter().find(|i| &i.name == name);
        match item.map(|i| i.lifecycle.support_at(v)) {
            Some(Support::Yes) => {
                if item.is_some_and(|i| i.lifecycle.experimental_at(v)) {
                    out.experimental.push(shown);
                }
            }
            Some(Support::Unknown) => out.unverified.push(shown),
            Some(Support::No) | None => out.missing.push(shown),
        }
    }
}

/// The documents' verdict on each response field the call reads: one the
/// version does not return is missing, one it returns in a documentation gap is
/// returned undocumented. Response fields rest on the documents alone (the
/// server corpus has no Go types).
fn returned_items(call: &ResolvedCall, op: &OperationHistory, v: ApiVersion, out: &mut Assessment) {
    for name in &call.response {
        let shown = format!("{} response {name}", op.display());
        let Some(item) = op.response_fields.iter().find(|i| &i.name == name) else {
            out.missing.push(shown);
            continue;
        };
        match item.lifecycle.support_at(v) {
            Support::Yes if !item.lifecycle.documented_at(v) => {
                out.returned_undocumented.push(shown);
            }
            Support::Yes => {
                if item.lifecycle.experimental_at(v) {
                    out.experimental.push(shown);
                }
            }
            Support::Unknown => out.unverified.push(shown),
            Support::No => out.missing.push(shown),
        }
    }
}

/// The target as checked, and why it is refused outright if it is below the
/// manifest's declared minimum.
fn resolve_target(
    usage: &UsageManifest,
    matrix: &Matrix,
    served: &ServedIndex,
    target: &Target,
) -> Result<(TargetReport, Option<String>), CheckTargetError> {
    let m = &usage.manifest;
    match target {
        Target::DeclaredFloor => Ok((
            TargetReport {
                kind: "declared_floor",
                docker: None,
                api: Some(m.minimum.api),
                explanation: format!(
                    "no --api or --docker given: checked at the declared minimum, API {}",
                    m.minimum.api
                ),
                served_by: None,
                witness: DOCUMENTS_DECIDE.into(),
            },
            None,
        )),
        Target::Api(v) => {
            if !matrix.api_versions.contains(v) {
                let nearest: Vec<String> = nearest_versions(*v, &matrix.api_versions, 3)
                    .iter()
                    .map(ToString::to_string)
                    .collect();
                return Err(CheckTargetError(format!(
                    "unknown API version {v}{}",
                    hint(&nearest)
                )));
            }
            let below = (*v < m.minimum.api).then(|| {
                format!(
                    "API {v} is below the declared minimum API {}{}: {} {} does not support it",
                    m.minimum.api,
                    m.minimum.cited(),
                    m.consumer.name,
                    m.consumer.version
                )
            });
            Ok((
                TargetReport {
                    kind: "api",
                    docker: None,
                    api: Some(*v),
                    explanation: format!("checked at API {v} (--api)"),
                    served_by: None,
                    witness: DOCUMENTS_DECIDE.into(),
                },
                below,
            ))
        }
        Target::Docker(asked) => {
            let release = find_release(&matrix.releases, asked)?;
            let name = &release.docker;
            let (api, explanation) = request_api(
                release,
                m.client.api_version,
                served.release(&release.docker),
            );
            let position = |d: &str| matrix.releases.iter().position(|r| r.docker == d);
            let declared_docker = m
                .minimum
                .docker
                .as_deref()
                .and_then(|d| find_release(&matrix.releases, d).ok());
            let below_docker = declared_docker
                .and_then(|d| position(&d.docker))
                .zip(position(name))
                .is_some_and(|(declared, at)| at < declared);
            let below = if below_docker {
                Some(format!(
                    "Docker {name} is older than the declared minimum Docker {}{}: {} {} refuses it",
                    m.minimum.docker.as_deref().unwrap_or_default(),
                    m.minimum.cited(),
                    m.consumer.name,
                    m.consumer.version
                ))
            } else {
                api.filter(|a| *a < m.minimum.api).map(|a| {
                    format!(
                        "Docker {name} answers at API {a}, below the declared minimum API {}{}",
                        m.minimum.api,
                        m.minimum.cited()
                    )
                })
            };
            let shown = if asked.trim() == name.as_str() {
                String::new()
            } else {
                format!(" ({} is of the {name} release line)", asked.trim())
            };
            let code = served.release(name);
            Ok((
                TargetReport {
                    kind: "docker",
                    docker: Some(name.clone()),
                    api,
                    explanation: format!("Docker {name}{shown}: {explanation}"),
                    served_by: code.map(|c| c.tag.clone()),
                    witness: code.map_or_else(
                        || format!("{DOCUMENTS_DECIDE} (the server corpus has no code of Docker {name})"),
                        |c| {
                            format!(
                                "the server code of {} decides operations (routed, unless a version gate in the handler refuses them) and query parameters (read, and honoured where the code that uses the value is in the corpus); request and response body fields rest on the documents alone",
                                c.tag
                            )
                        },
                    ),
                },
                below,
            ))
        }
    }
}

/// The witness text when the documents alone decide.
const DOCUMENTS_DECIDE: &str = "the reference documents decide";

/// A release by name: exact, or the newest listed release of the same line that
/// is not newer (`20.10.24` → `20.10`, `v1.9.1` → `1.9`, `1.13.2` → `1.13.1`).
pub fn find_release<'r>(
    releases: &'r [Release],
    asked: &str,
) -> Result<&'r Release, CheckTargetError> {
    let wanted = asked.trim().trim_start_matches(['v', 'V']);
    let wanted = wanted.split(['-', '+', '~']).next().unwrap_or(wanted);
    if let Some(r) = releases.iter().find(|r| r.docker == wanted) {
        return Ok(r);
    }
    let parse = |s: &str| -> Option<Vec<u32>> { s.split('.').map(|p| p.parse().ok()).collect() };
    let found = parse(wanted).filter(|w| w.len() > 2).and_then(|w| {
        releases
            .iter()
            .filter_map(|r| parse(&r.docker).map(|v| (v, r)))
            .filter(|(v, _)| v.get(..2) == w.get(..2) && *v <= w)
            .max_by(|a, b| a.0.cmp(&b.0))
            .map(|(_, r)| r)
    });
    found.ok_or_else(|| {
        let names = releases.iter().map(|r| r.docker.as_str());
        CheckTargetError(format!(
            "unknown Docker release {asked}{}",
            hint(&nearest_releases(wanted, names, 3))
        ))
    })
}

/// The API version a release answers the consumer's requests at, and why.
/// With the release's code at hand, a version above its maximum is refused only
/// where its version middleware checks for it (1.13 to 17.10 do not: they
/// answer such requests as their own newest version).
fn request_api(
    r: &Release,
    sent: RequestVersion,
    code: Option<&ServedRelease>,
) -> (Option<ApiVersion>, String) {
    if let (RequestVersion::Pinned(p), Some(c)) = (sent, code) {
        if p > r.max_api && p >= r.min_api {
            return match &c.max_enforced {
                None => (
                    Some(r.max_api),
                    format!(
                        "accepts requests pinned to {p} above its newest API {}: the version middleware of {} has no upper check, so it answers them as {}",
                        r.max_api, c.tag, r.max_api
                    ),
                ),
                Some(at) => (
                    None,
                    format!(
                        "refuses requests pinned to {p}: its newest API is {} ({at})",
                        r.max_api
                    ),
                ),
            };
        }
    }
    match sent {
        RequestVersion::Unversioned => (
            Some(r.max_api),
            format!(
                "unversioned requests are served at the daemon's own newest API, {}",
                r.max_api
            ),
        ),
        RequestVersion::Negotiated => (
            Some(r.max_api),
            format!(
                "a negotiating client sends the daemon's own newest API, {}",
                r.max_api
            ),
        ),
        RequestVersion::Pinned(p) if p < r.min_api => (
            None,
            format!(
                "refuses requests pinned to {p}: its minimum API is {}",
                r.min_api
            ),
        ),
        RequestVersion::Pinned(p) if p > r.max_api => (
            None,
            format!(
                "refuses requests pinned to {p}: its newest API is {}",
                r.max_api
            ),
        ),
        RequestVersion::Pinned(p) => (Some(p), format!("serves requests pinned to {p}")),
    }
}

fn release_report(
    r: &Release,
    sent: RequestVersion,
    calls: &[(&ResolvedCall, &OperationHistory)],
    witness: Witness<'_>,
) -> ReleaseReport {
    let code = match witness {
        Witness::Code(c) => Some(c),
        Witness::Documents => None,
    };
    let (api, why) = request_api(r, sent, code);
    let (serves, reason) = match api {
        None => (false, why),
        Some(v) => {
            let lacking: Vec<String> = calls
                .iter()
                .flat_map(|(c, op)| assess_by(c, op, v, witness).missing)
                .collect();
            if lacking.is_empty() {
                (true, format!("served at API {v}{}", witness.suffix()))
            } else {
                (
                    false,
                    format!(
                        "at API {v} lacks {}{}",
                        lacking.join(", "),
                        witness.suffix()
                    ),
                )
            }
        }
    };
    ReleaseReport {
        docker: r.docker.clone(),
        max_api: r.max_api,
        min_api: r.min_api,
        request_api: api,
        serves,
        reason,
        served_by: match witness {
            Witness::Code(c) => Some(c.tag.clone()),
            Witness::Documents => None,
        },
    }
}

fn floor_explanation(
    endpoint: Option<ApiVersion>,
    declared: ApiVersion,
    calls: &[(&ResolvedCall, &OperationHistory)],
) -> String {
    let text = match endpoint {
        None => "No API version of the corpus serves every call.".to_string(),
        Some(e) if e == declared => format!(
            "The declared minimum, API {declared}, is exactly the lowest version that serves every call."
        ),
        Some(e) if e < declared => format!(
            "Every call (with the parameters and fields listed) exists from API {e}, lower than the declared API {declared}. \
             The endpoints do not explain the declared minimum: it rests on something the reference does not record \
             (request or response semantics, fields not listed, what the consumer was tested against), so the declared {declared} remains the floor to rely on."
        ),
        Some(e) => {
            let lacking: Vec<String> = calls
                .iter()
                .flat_map(|(c, op)| assess(c, op, declared).missing)
                .collect();
            format!(
                "The declared minimum is too low: API {declared} lacks {}; every call is served only from API {e}.",
                lacking.join(", ")
            )
        }
    };
    text
}

/// Changes after `after` to the called operations and their items.
fn risks(calls: &[(&ResolvedCall, &OperationHistory)], after: ApiVersion) -> Vec<Risk> {
    let mut out = Vec::new();
    for (call, op) in calls {
        let mut push = |version, kind, name: &str, change, used| {
            out.push(Risk {
                version,
                method: op.method.clone(),
                path: op.path.clone(),
                kind,
                name: name.to_string(),
                change,
                used,
            });
        };
        // Only real changes: an inexact `since` is a first documentation, not an
        // addition, and gaps are not changes at all (one lifetime per item).
        let mut events = |lc: &Lifecycle, kind, name: &str, used: bool| {
            for (i, interval) in lc.present.iter().enumerate() {
                let first_known = i > 0 || lc.since_exact;
                if let Some(since) = interval.since.filter(|&s| s > after && first_known) {
                    push(since, kind, name, "added", used);
                }
                if let Some(end) = interval.until.filter(|&end| end > after) {
                    push(end, kind, name, "removed", used);
                }
            }
            if let Some(d) = lc.deprecated_in.filter(|&d| d > after) {
                push(d, kind, name, "deprecated", used);
            }
        };
        events(&op.lifecycle, "operation", "", true);
        for q in &op.query {
            events(
                &q.lifecycle,
                "query parameter",
                &q.name,
                call.query.contains(&q.name),
            );
        }
        for f in &op.request_fields {
            events(
                &f.lifecycle,
                "request field",
                &f.name,
                call.body.contains(&f.name),
            );
        }
        for f in &op.response_fields {
            events(
                &f.lifecycle,
                "response field",
                &f.name,
                call.response.contains(&f.name),
            );
        }
    }
    out.sort_by(|a, b| {
        (a.version, &a.path, &a.method, a.change, a.kind, &a.name)
            .cmp(&(b.version, &b.path, &b.method, b.change, b.kind, &b.name))
    });
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::Path;

    use super::*;
    use crate::analysis::usage::{parse_manifest, validate};
    use crate::analysis::{Provenance, RealRemovals};
    use crate::model::spec::{Evidence, ItemFacts};
    use crate::model::{ApiSpec, OpKey, Operation};

    fn spec(minor: u16, ops: &[(&str, &str, &[&str])]) -> ApiSpec {
        let operations: BTreeMap<OpKey, Operation> = ops
            .iter()
            .map(|(m, p, query)| {
                let mut op = Operation::at(p);
                op.query = query
                    .iter()
                    .map(|q| (q.to_string(), ItemFacts::plain(Evidence::Schema)))
                    .collect();
                (OpKey::new(m, p), op)
            })
            .collect();
        ApiSpec {
            version: ApiVersion::new(1, minor),
            operations,
            has_schemas: false,
        }
    }

    fn matrix() -> Matrix {
        let specs = [
            spec(1, &[("GET", "/a", &[])]),
            spec(2, &[("GET", "/a", &["x"]), ("POST", "/b/{id}", &[])]),
            spec(3, &[("GET", "/a", &["x", "y"]), ("POST", "/b/{id}", &[])]),
        ];
        let release = |docker: &str, max: u16, min: u16| Release {
            docker: docker.into(),
            max_api: ApiVersion::new(1, max),
            min_api: ApiVersion::new(1, min),
        };
        let provenance = Provenance {
            repository: "r".into(),
            commit: "c".into(),
            sha256sums: "s".into(),
        };
        Matrix::build(
            &specs,
            vec![
                release("d1", 1, 1),
                release("d2", 2, 1),
                release("d3", 3, 2),
            ],
            provenance,
            &RealRemovals::default(),
        )
    }

    fn usage(api_version: &str, calls: &str) -> UsageManifest {
        let text = format!(
            "consumer: {{name: C, version: \"1\"}}\nclient: {{library: l, api_version: \"{api_version}\"}}\nminimum: {{api: \"1.1\", source: s}}\ncalls:\n{calls}"
        );
        let file = Path::new("m.yaml");
        let m = parse_manifest(file, &text).unwrap();
        validate(file, &text, m, &matrix()).unwrap()
    }

    #[test]
    fn floors_targets_and_risks() {
        let u = usage("unversioned", "  - GET /a\n  - call: POST /b/(id)\n");
        let r = check(
            &u,
            &matrix(),
            &ServedIndex::default(),
            &Target::DeclaredFloor,
        )
        .unwrap();
        assert_eq!(r.endpoint_floor, Some(ApiVersion::new(1, 2)));
        assert!(!r.compatible, "declared 1.1 lacks POST /b");
        assert!(r.floor_explanation.contains("too low"));
        assert_eq!(r.calls[1].missing, ["POST /b/{id}"]);
        let served: Vec<bool> = r.releases.iter().map(|x| x.serves).collect();
        assert_eq!(served, [false, true, true]);
        // Query parameter y arrived after the floor (1.2): a risk, not used.
        assert_eq!(r.risks.len(), 1);
        assert_eq!(
            (r.risks[0].name.as_str(), r.risks[0].change),
            ("y", "added")
        );
        let at3 = check(
            &u,
            &matrix(),
            &ServedIndex::default(),
            &Target::Api(ApiVersion::new(1, 3)),
        )
        .unwrap();
        assert!(at3.compatible);
        assert!(check(
            &u,
            &matrix(),
            &ServedIndex::default(),
            &Target::Api(ApiVersion::new(1, 9))
        )
        .is_err());
    }

    #[test]
    fn pinned_requests_and_listed_parameters() {
        let u = usage("1.1", "  - call: GET /a\n    query: [x]\n");
        let r = check(
            &u,
            &matrix(),
            &ServedIndex::default(),
            &Target::Docker("d3".into()),
        )
        .unwrap();
        assert_eq!(r.target.api, None, "d3's minimum API 1.2 refuses /v1.1/");
        assert!(!r.compatible);
        assert_eq!(r.endpoint_floor, Some(ApiVersion::new(1, 2)), "x from 1.2");
        let r = check(
            &u,
            &matrix(),
            &ServedIndex::default(),
            &Target::Docker("d2".into()),
        )
        .unwrap();
        assert_eq!(r.target.api, Some(ApiVersion::new(1, 1)));
        assert_eq!(r.calls[0].missing, ["GET /a ?x"]);
    }
}
