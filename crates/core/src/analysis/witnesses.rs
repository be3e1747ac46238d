//! Where the two witnesses disagree: the documents' matrix and each release's
//! own server code ([`ServedIndex`]), compared for every release the server
//! corpus has, at that release's maximum API version. One list serves the
//! `documented-vs-served` report, `history` and the site.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::analysis::{Lifecycle, Matrix};
use crate::model::served::{ServedIndex, ServedOperation, ServedParam, ServedRelease};
use crate::model::OpKey;
use crate::version::{ApiVersion, VersionRange};

/// The kinds of disagreement, in report order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Documented at the release's API version, no route.
    DocNotRouted,
    /// Routed, never documented.
    RoutedNeverDocumented,
    /// Routed, documented only at other API versions.
    RoutedDocumentedElsewhere,
    /// A query parameter documented at the release's API version that the handler does not read.
    ParamDocNotRead,
    /// A query parameter read that no document has.
    ParamReadNeverDocumented,
    /// A query parameter read at the release's API version, documented only at others.
    ParamReadDocumentedElsewhere,
    /// Routed, but a version gate at the top of the handler refuses it.
    RoutedRefused,
    /// A query parameter documented and read, whose value the daemon never uses.
    ParamReadNotHonoured,
}

impl Kind {
    /// Every kind, in report order.
    pub const ALL: [Kind; 8] = [
        Kind::DocNotRouted,
        Kind::RoutedNeverDocumented,
        Kind::RoutedDocumentedElsewhere,
        Kind::ParamDocNotRead,
        Kind::ParamReadNeverDocumented,
        Kind::ParamReadDocumentedElsewhere,
        Kind::RoutedRefused,
        Kind::ParamReadNotHonoured,
    ];

    /// The heading of its section.
    pub fn title(self) -> &'static str {
        match self {
            Kind::DocNotRouted => "Operations documented at the release's API version but not routed",
            Kind::RoutedNeverDocumented => "Operations routed but never documented",
            Kind::RoutedDocumentedElsewhere => {
                "Operations routed but documented only at other API versions"
            }
            Kind::ParamDocNotRead => {
                "Query parameters documented at the release's API version but not read"
            }
            Kind::ParamReadNeverDocumented => "Query parameters read but never documented",
            Kind::ParamReadDocumentedElsewhere => {
                "Query parameters read at the release's API version but documented only at other versions"
            }
            Kind::RoutedRefused => {
                "Operations routed but refused by a version gate in their handler at the release's API version"
            }
            Kind::ParamReadNotHonoured => {
                "Query parameters documented and read at the release's API version, but never used by the daemon"
            }
        }
    }
}

/// One disagreement, seen in one or more releases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Disagreement {
    /// What kind.
    pub kind: Kind,
    /// `METHOD /path`, as the documents write it where they have the operation.
    pub operation: String,
    /// The operation's key.
    #[serde(skip)]
    pub key: OpKey,
    /// The parameter, for parameter kinds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
    /// Each release it is seen in, oldest first.
    pub seen: Vec<Seen>,
}

/// A disagreement in one release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Seen {
    /// The release-table name.
    pub docker: String,
    /// The tag whose code was read.
    pub tag: String,
    /// The release's maximum API version, where it was compared.
    pub api: ApiVersion,
    /// What the code shows, with `file:line`.
    pub served: String,
    /// What the documents show: `None` when the item is documented at `api`
    /// itself, else where they document it (`documented >= 1.0, < 1.25`, `never`).
    pub documented: Option<String>,
}

/// Kind, displayed operation, parameter: what one row is about.
type RowKey = (Kind, String, Option<String>);

/// Every disagreement, sorted by kind, operation and parameter.
pub fn disagreements(matrix: &Matrix, served: &ServedIndex) -> Vec<Disagreement> {
    let mut rows: BTreeMap<RowKey, (OpKey, Vec<Seen>)> = BTreeMap::new();
    for release in &served.releases {
        let Some((api, _)) = &release.max_api else {
            continue;
        };
        let mut push = |kind, key: &OpKey, param: Option<String>, served, documented| {
            // As the documents write it, else as the code does.
            let op = match (matrix.operation(key), release.operation(key)) {
                (Some(d), _) => d.display(),
                (None, Some(o)) => format!("{} {}", o.key.method, o.path),
                (None, None) => format!("{} {}", key.method, key.path),
            };
            let entry = rows
                .entry((kind, op, param))
                .or_insert_with(|| (key.clone(), Vec::new()));
            entry.1.push(Seen {
                docker: release.docker.clone(),
                tag: release.tag.clone(),
                api: *api,
                served,
                documented,
            });
        };
        compare_release(matrix, release, *api, &mut push);
    }
    rows.into_iter()
        .map(|((kind, operation, parameter), (key, seen))| Disagreement {
            kind,
            operation,
            key,
            parameter,
            seen,
        })
        .collect()
}

/// The disagreements of one operation, for `history` and the site.
pub fn of_operation<'d>(all: &'d [Disagreement], key: &OpKey) -> Vec<&'d Disagreement> {
    all.iter().filter(|d| &d.key == key).collect()
}

type Push<'p> = dyn FnMut(Kind, &OpKey, Option<String>, String, Option<String>) + 'p;

fn compare_release(matrix: &Matrix, release: &ServedRelease, api: ApiVersion, push: &mut Push<'_>) {
    let registered: Vec<&ServedOperation> = release
        .operations
        .iter()
        .filter(|o| o.requested.contains(api))
        .collect();
    fn refused(o: &ServedOperation, api: ApiVersion) -> Option<&(VersionRange, String)> {
        o.refused.as_ref().filter(|(r, _)| r.contains(api))
    }
    for o in &registered {
        if let Some((range, at)) = refused(o, api) {
            let documented = matrix
                .operation(&o.key)
                .map_or(Some("never".into()), |d| Some(documented(&d.lifecycle)));
            let gate = format!("route {}; refused for {range} at {at}", o.at);
            push(Kind::RoutedRefused, &o.key, None, gate, documented);
        }
    }
    let routed: Vec<&ServedOperation> = registered
        .into_iter()
        .filter(|o| refused(o, api).is_none())
        .collect();
    for doc in &matrix.operations {
        if doc.lifecycle.supports(api) && !routed.iter().any(|o| o.key == doc.key()) {
            let served = format!("no route in {}'s server code", release.tag);
            push(Kind::DocNotRouted, &doc.key(), None, served, None);
        }
    }
    for op in &routed {
        let Some(doc) = matrix.operation(&op.key) else {
            push(
                Kind::RoutedNeverDocumented,
                &op.key,
                None,
                op.at.clone(),
                Some("never".into()),
            );
            continue;
        };
        let shown = &op.key;
        if !doc.lifecycle.supports(api) {
            let elsewhere = Some(documented(&doc.lifecycle));
            push(
                Kind::RoutedDocumentedElsewhere,
                shown,
                None,
                op.at.clone(),
                elsewhere,
            );
            continue;
        }
        let read_here = |name: &str| {
            op.params
                .iter()
                .filter(|p| p.name == name && p.requested.contains(api))
                .collect::<Vec<_>>()
        };
        for q in doc.query.iter().filter(|q| q.lifecycle.supports(api)) {
            let reads = read_here(&q.name);
            let name = Some(q.name.clone());
            if let Some(p) = reads.iter().find(|p| unused(p)) {
                push(Kind::ParamReadNotHonoured, shown, name, read_text(p), None);
            } else if reads.is_empty() {
                let served = match op.params.iter().find(|p| p.name == q.name) {
                    Some(p) => format!("read only for requested API {} at {}", p.requested, p.at),
                    None => format!("not read by {}", op.handler_text()),
                };
                push(Kind::ParamDocNotRead, shown, name, served, None);
            }
        }
        let mut names: Vec<&str> = op
            .params
            .iter()
            .filter(|p| p.requested.contains(api))
            .map(|p| p.name.as_str())
            .collect();
        names.dedup();
        for name in names {
            let served = read_here(name)
                .iter()
                .map(|p| read_text(p))
                .collect::<Vec<_>>()
                .join(", ");
            match doc.query.iter().find(|q| q.name == name) {
                None => push(
                    Kind::ParamReadNeverDocumented,
                    shown,
                    Some(name.to_string()),
                    served,
                    Some("never".into()),
                ),
                Some(q) if !q.lifecycle.supports(api) => push(
                    Kind::ParamReadDocumentedElsewhere,
                    shown,
                    Some(name.to_string()),
                    served,
                    Some(documented(&q.lifecycle)),
                ),
                Some(_) => {}
            }
        }
    }
}

fn unused(p: &ServedParam) -> bool {
    p.honoured.as_ref().is_some_and(|h| !h.honoured)
}

/// `file:line`, its window if any, and its honoured level where known.
fn read_text(p: &ServedParam) -> String {
    let window = if p.requested == VersionRange::ALL {
        String::new()
    } else {
        format!(" ({})", p.requested)
    };
    match &p.honoured {
        Some(h) => format!("{}{window} {}", p.at, h.text()),
        None => format!("{}{window}", p.at),
    }
}

/// Where the documents have an item: `documented >= 1.0, < 1.25`.
pub fn documented(l: &Lifecycle) -> String {
    if l.present.is_empty() {
        return "never documented".into();
    }
    let runs: Vec<String> = l.present.iter().map(ToString::to_string).collect();
    format!("documented {}", runs.join("; "))
}

/// Where the server code contradicts a change [`crate::analysis::diff`] reads
/// from the documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffNote {
    /// `METHOD /path`.
    pub operation: String,
    /// The query parameter, or `None` for the operation itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
    /// `added` or `removed`, as the documents say.
    pub documented: &'static str,
    /// What the code shows instead, with the tag and `file:line`.
    pub served: String,
}

/// For each operation and query parameter the documents add or remove between
/// `d.from` and `d.to`: what the first release of the corpus that serves the
/// version concerned does. A removal the code has not made at `to`, or an
/// addition it had already made at `from`, is a note.
pub fn diff_notes(
    d: &crate::analysis::diff::VersionDiff,
    matrix: &Matrix,
    served: &ServedIndex,
) -> Vec<DiffNote> {
    let serving = |v: ApiVersion| {
        served
            .releases
            .iter()
            .filter(|r| r.max_api.as_ref().is_some_and(|(max, _)| *max >= v))
            .min_by_key(|r| r.max_api.as_ref().map(|(max, _)| *max))
    };
    let mut notes = Vec::new();
    let mut judge = |key: &OpKey, shown: &str, parameter: Option<&str>, documented, v| {
        let Some(release) = serving(v) else {
            return;
        };
        let Some(op) = release.routed(key, v) else {
            return;
        };
        if op.refused.as_ref().is_some_and(|(r, _)| r.contains(v)) {
            return;
        }
        let served = match parameter {
            None => format!(
                "{} routes it{} at requested API {v} ({})",
                release.tag,
                if op.experimental {
                    " (experimental)"
                } else {
                    ""
                },
                op.at
            ),
            Some(name) => match op.param(name, v) {
                crate::model::served::ParamServed::Read(at, honour) => {
                    let level = honour.map(|h| format!(" {}", h.text())).unwrap_or_default();
                    format!(
                        "{} reads it at requested API {v} ({at}{level})",
                        release.tag
                    )
                }
                _ => return,
            },
        };
        notes.push(DiffNote {
            operation: shown.to_string(),
            parameter: parameter.map(str::to_string),
            documented,
            served,
        });
    };
    for (names, documented, v) in [
        (&d.operations.removed, "removed", d.to),
        (&d.operations.added, "added", d.from),
    ] {
        for name in names {
            if let Some(key) = OpKey::parse(name) {
                judge(&key, name, None, documented, v);
            }
        }
    }
    for op in &d.changed {
        let key = OpKey::new(&op.method, &op.path);
        let shown = matrix
            .operation(&key)
            .map_or_else(|| format!("{} {}", op.method, op.path), |o| o.display());
        for name in &op.query.removed {
            judge(&key, &shown, Some(name), "removed", d.to);
        }
        for name in &op.query.added {
            judge(&key, &shown, Some(name), "added", d.from);
        }
    }
    notes
}
