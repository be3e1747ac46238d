//! The client's version behaviour, read from where the consumer constructs
//! it: engine-api's `NewClient(host, version, …)` (an empty version sends
//! unversioned requests) and `NewEnvClient()` (`DOCKER_API_VERSION`, unset:
//! unversioned); moby's `NewClientWithOpts`/`New` with `WithVersion(v)` or
//! `WithAPIVersion(v)` (pinned) or `WithAPIVersionNegotiation()` (negotiated).
//! What the code does not show is an error (with `--api-version` to say it),
//! never a guess.

use dockmatrix_core::analysis::usage::RequestVersion;
use dockmatrix_core::ApiVersion;
use dockmatrix_go::{arguments, callee, descendants, GoFile, Node};

use super::symbols::Symbols;

/// What one construction shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// What the requests carry.
    pub version: Option<RequestVersion>,
    /// `file:line code — meaning`.
    pub note: String,
}

/// Every construction of the client (and version option) in `files`.
pub fn evidence(files: &[GoFile], symbols: &Symbols) -> Vec<Evidence> {
    let mut out = Vec::new();
    for f in files {
        let Some(alias) = symbols.alias.get(&f.path) else {
            continue;
        };
        for call in descendants(f.tree.root_node()) {
            if call.kind() != "call_expression" {
                continue;
            }
            let Some((name, Some(operand))) = callee(call) else {
                continue;
            };
            if f.text(operand) != alias {
                continue;
            }
            let args = arguments(call);
            let code = one_line(f.text(call));
            let at = f.at(call);
            let (version, meaning) = match f.text(name) {
                "NewClient" if args.len() >= 2 => {
                    match args.get(1).map(|a| value(f, *a, symbols)) {
                        Some(Some(v)) if v.is_empty() => (
                            Some(RequestVersion::Unversioned),
                            "empty version: requests carry no /vX.Y prefix".to_string(),
                        ),
                        Some(Some(v)) => match v.parse::<ApiVersion>() {
                            Ok(api) => {
                                (Some(RequestVersion::Pinned(api)), format!("pinned to {v}"))
                            }
                            Err(_) => (None, format!("version {v:?} is not an API version")),
                        },
                        _ => (None, "version not a constant the scan can read".to_string()),
                    }
                }
                "NewEnvClient" => (
                    Some(RequestVersion::Unversioned),
                    "DOCKER_API_VERSION from the environment; unset, requests are unversioned"
                        .to_string(),
                ),
                "WithAPIVersionNegotiation" => (
                    Some(RequestVersion::Negotiated),
                    "negotiates with the daemon".to_string(),
                ),
                "WithVersion" | "WithAPIVersion" => {
                    match args.first().and_then(|a| value(f, *a, symbols)) {
                        Some(v) => match v.parse::<ApiVersion>() {
                            Ok(api) => {
                                (Some(RequestVersion::Pinned(api)), format!("pinned to {v}"))
                            }
                            Err(_) => (None, format!("version {v:?} is not an API version")),
                        },
                        None => (None, "version not a constant the scan can read".to_string()),
                    }
                }
                _ => continue,
            };
            out.push(Evidence {
                version,
                note: format!("{at} {code}: {meaning}"),
            });
        }
    }
    out
}

/// The request version all evidence agrees on, or why there is none.
pub fn decide(evidence: &[Evidence]) -> Result<RequestVersion, String> {
    let mut seen: Vec<RequestVersion> = Vec::new();
    for e in evidence {
        match e.version {
            Some(v) if !seen.contains(&v) => seen.push(v),
            Some(_) => {}
            None => return Err(format!("cannot read the API version: {}", e.note)),
        }
    }
    match seen.as_slice() {
        [one] => Ok(*one),
        [] => Err("no construction of the client found (NewClient, NewEnvClient, NewClientWithOpts with WithVersion or WithAPIVersionNegotiation)".into()),
        _ => Err(format!(
            "the client is constructed in ways that disagree: {}",
            evidence.iter().map(|e| e.note.as_str()).collect::<Vec<_>>().join("; ")
        )),
    }
}

/// A string value: a literal, or a constant of the package.
fn value(f: &GoFile, node: Node<'_>, symbols: &Symbols) -> Option<String> {
    if let Some(s) = f.string(node) {
        return Some(s);
    }
    let name = match node.kind() {
        "identifier" => f.text(node),
        _ => return None,
    };
    symbols.constant(&f.dir, name).map(|(v, _)| v.clone())
}

/// Code on one line, shortened.
pub fn one_line(code: &str) -> String {
    let flat: String = code.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 90 {
        format!("{}…", flat.chars().take(89).collect::<String>())
    } else {
        flat
    }
}
