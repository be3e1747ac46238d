//! `--record FILE`: a usage manifest of what the client called, rewritten
//! (atomically) every time something is seen for the first time, so nothing is
//! lost on SIGINT, SIGTERM or a crash. An existing FILE is merged into.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use indexmap::IndexMap;

use dockmatrix_core::analysis::usage::manifest::{
    read_manifest, write_manifest, CallDetail, CallEntry, Client, Consumer, Manifest,
    ManifestError, Minimum, RequestVersion, Undocumented, WriteError,
};
use dockmatrix_core::version::ApiVersion;

const UNKNOWN_PREFIX: &str = "unknown route (no API version documents it): ";
const AUTH_NOTE: &str = "sends registry auth (X-Registry-Auth)";

/// Why recording failed.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// The existing FILE is not a manifest.
    #[error(transparent)]
    Existing(#[from] ManifestError),
    /// FILE could not be written.
    #[error("cannot write {}: {source}", file.display())]
    Write {
        /// The manifest file.
        file: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The manifest could not be serialised.
    #[error(transparent)]
    Serialise(#[from] WriteError),
}

/// One request, as the recorder sees it (names only, never values).
#[derive(Debug, Clone)]
pub struct Observation {
    /// `METHOD /path` as the matrix writes the operation, or `None` if unknown.
    pub operation: Option<String>,
    /// `METHOD /decoded/path` as requested (used for unknown routes).
    pub requested: String,
    /// The newest `since` of the operation and the items it used.
    pub since: Option<ApiVersion>,
    /// The `/vX.Y` prefix, if any.
    pub version: Option<ApiVersion>,
    /// Whether the request counts for the client's versioning (not `/_ping`, `/version`).
    pub counts_for_versioning: bool,
    /// Documented query parameter names used.
    pub query: Vec<String>,
    /// Those of them sent with their zero value.
    pub zero_query: Vec<String>,
    /// Documented body field paths set.
    pub body: Vec<String>,
    /// Query parameter names and body member paths no version documents.
    pub undocumented: Undocumented,
    /// Whether `X-Registry-Auth` was sent.
    pub registry_auth: bool,
    /// The `User-Agent`.
    pub user_agent: Option<String>,
}

#[derive(Debug, Default)]
struct CallRecord {
    query: Vec<String>,
    zero_query: Vec<String>,
    body: Vec<String>,
    undocumented: Undocumented,
    registry_auth: bool,
    notes: Option<String>,
    since: Option<ApiVersion>,
}

#[derive(Debug, Default)]
struct State {
    existing: Option<Manifest>,
    user_agent: Option<String>,
    versions: BTreeSet<ApiVersion>,
    unversioned: bool,
    /// The API version the last `/_ping` or `/version` answer advertised.
    advertised: Option<ApiVersion>,
    /// Decided at the first versioned call: whether it used the advertised version.
    negotiated: Option<bool>,
    calls: IndexMap<String, CallRecord>,
    unknown: Vec<String>,
}

/// Records calls into a manifest file.
#[derive(Debug)]
pub struct Recorder {
    file: PathBuf,
    state: Mutex<State>,
}

impl Recorder {
    /// Opens FILE, merging an existing manifest (parsed, not resolved: the file
    /// this recorder wrote is valid by construction).
    pub fn open(file: &Path) -> Result<Self, RecordError> {
        let mut state = State::default();
        if file.exists() {
            let (manifest, _) = read_manifest(file)?;
            match manifest.client.api_version {
                RequestVersion::Unversioned => state.unversioned = true,
                RequestVersion::Negotiated => state.negotiated = Some(true),
                RequestVersion::Pinned(v) => {
                    state.versions.insert(v);
                }
            }
            for call in &manifest.calls {
                let notes = call.notes().map(str::to_string);
                state.calls.insert(
                    call.call().to_string(),
                    CallRecord {
                        query: call.query().to_vec(),
                        zero_query: call.zero_query().to_vec(),
                        body: call.body().to_vec(),
                        undocumented: call.undocumented(),
                        registry_auth: notes.as_deref().is_some_and(|n| n.contains(AUTH_NOTE)),
                        notes,
                        since: None,
                    },
                );
            }
            for line in manifest.notes.as_deref().unwrap_or_default().lines() {
                if let Some(route) = line.strip_prefix(UNKNOWN_PREFIX) {
                    state.unknown.push(route.to_string());
                }
            }
            state.existing = Some(manifest);
        }
        Ok(Self {
            file: file.to_path_buf(),
            state: Mutex::new(state),
        })
    }

    /// Notes one request; rewrites the file if it taught anything new. Returns
    /// whether the route was unknown (for a warning).
    pub fn observe(&self, seen: &Observation) -> Result<(), RecordError> {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let mut changed = false;
        if state.user_agent.is_none() && seen.user_agent.is_some() {
            state.user_agent.clone_from(&seen.user_agent);
            changed = true;
        }
        if seen.counts_for_versioning {
            match seen.version {
                Some(v) => {
                    if state.negotiated.is_none() {
                        // A client that asked first and then uses exactly what the
                        // daemon advertised negotiates; any other first version is a pin.
                        state.negotiated = Some(state.advertised == Some(v));
                        changed = true;
                    }
                    changed |= state.versions.insert(v);
                }
                None if !state.unversioned => {
                    state.unversioned = true;
                    changed = true;
                }
                None => {}
            }
        }
        match &seen.operation {
            None => {
                if !state.unknown.contains(&seen.requested) {
                    state.unknown.push(seen.requested.clone());
                    changed = true;
                }
            }
            Some(op) => {
                let is_new = !state.calls.contains_key(op);
                let call = state.calls.entry(op.clone()).or_default();
                changed |= is_new;
                // A parameter counts as used once it comes with a non-zero value;
                // until then it is listed as sent with its zero value only.
                let (zero, set): (Vec<String>, Vec<String>) = seen
                    .query
                    .iter()
                    .cloned()
                    .partition(|q| seen.zero_query.contains(q));
                changed |= add_new(&mut call.query, &set);
                let before = call.zero_query.len();
                call.zero_query.retain(|q| !set.contains(q));
                changed |= call.zero_query.len() != before;
                let zero: Vec<String> = zero
                    .into_iter()
                    .filter(|q| !call.query.contains(q))
                    .collect();
                changed |= add_new(&mut call.zero_query, &zero);
                changed |= add_new(&mut call.body, &seen.body);
                changed |= add_new(&mut call.undocumented.query, &seen.undocumented.query);
                changed |= add_new(&mut call.undocumented.body, &seen.undocumented.body);
                if seen.registry_auth && !call.registry_auth {
                    call.registry_auth = true;
                    changed = true;
                }
                if seen.since > call.since {
                    call.since = seen.since;
                }
            }
        }
        if changed {
            self.write(&state)?;
        }
        Ok(())
    }

    /// Notes the API version a `/_ping` or `/version` answer advertised (its
    /// `Api-Version` header, as the client saw it).
    pub fn advertised(&self, version: ApiVersion) {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        state.advertised = Some(version);
    }

    fn write(&self, state: &State) -> Result<(), RecordError> {
        let text = render(state)?;
        let dir = self.file.parent().filter(|p| !p.as_os_str().is_empty());
        let tmp = tempfile::NamedTempFile::new_in(dir.unwrap_or(Path::new(".")));
        let write_err = |source| RecordError::Write {
            file: self.file.clone(),
            source,
        };
        let mut tmp = tmp.map_err(write_err)?;
        std::io::Write::write_all(&mut tmp, text.as_bytes()).map_err(write_err)?;
        tmp.persist(&self.file).map_err(|e| write_err(e.error))?;
        Ok(())
    }
}

/// Appends the items of `seen` that `list` lacks; whether any was new.
fn add_new(list: &mut Vec<String>, seen: &[String]) -> bool {
    let before = list.len();
    for item in seen {
        if !list.contains(item) {
            list.push(item.clone());
        }
    }
    list.len() > before
}

fn render(state: &State) -> Result<String, RecordError> {
    let agent = state
        .user_agent
        .clone()
        .unwrap_or_else(|| "unknown client".into());
    let (agent_name, agent_version) = agent
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .split_once('/')
        .unwrap_or((agent.as_str(), "unknown"));
    let (name, version, library) = match &state.existing {
        Some(m) => (
            m.consumer.name.clone(),
            m.consumer.version.clone(),
            m.client.library.clone(),
        ),
        None => (
            agent_name.to_string(),
            agent_version.to_string(),
            agent.clone(),
        ),
    };
    let api_version = match (state.unversioned, state.negotiated, state.versions.first()) {
        (false, Some(true), Some(_)) => RequestVersion::Negotiated,
        (false, _, Some(v)) => RequestVersion::Pinned(*v),
        _ => RequestVersion::Unversioned,
    };
    let floor = state.calls.values().filter_map(|c| c.since).max();
    let existing_min = state.existing.as_ref().map(|m| m.minimum.api);
    let pinned_floor = match api_version {
        RequestVersion::Pinned(_) => state.versions.first().copied().or(existing_min),
        _ => None,
    };
    let (minimum, source) = match pinned_floor {
        Some(v) => (
            existing_min.map_or(v, |e| e.min(v)),
            "the lowest API version the client requested while recorded by dockmatrix proxy",
        ),
        None => (
            floor.unwrap_or(ApiVersion::new(1, 0)),
            "the newest `since` of the recorded calls (the client sent unversioned requests or negotiated)",
        ),
    };
    let calls = state
        .calls
        .iter()
        .map(|(call, c)| {
            let notes = if c.registry_auth {
                Some(AUTH_NOTE.to_string())
            } else {
                c.notes.clone().filter(|n| !n.is_empty())
            };
            if c.query.is_empty()
                && c.body.is_empty()
                && c.undocumented.is_empty()
                && notes.is_none()
            {
                CallEntry::Plain(call.clone())
            } else {
                let sorted = |items: &[String]| {
                    let mut items = items.to_vec();
                    items.sort();
                    items
                };
                CallEntry::Detailed(CallDetail {
                    call: call.clone(),
                    query: sorted(&c.query),
                    zero_query: sorted(&c.zero_query),
                    body: sorted(&c.body),
                    // A proxy sees what the client sends, not what it reads.
                    response: Vec::new(),
                    undocumented: Undocumented {
                        query: sorted(&c.undocumented.query),
                        body: sorted(&c.undocumented.body),
                    },
                    notes,
                    sources: Vec::new(),
                })
            }
        })
        .collect();
    let mut notes = "Recorded by dockmatrix proxy --record: query parameter names and body field paths only, never values.".to_string();
    for route in &state.unknown {
        notes.push('\n');
        notes.push_str(UNKNOWN_PREFIX);
        notes.push_str(route);
    }
    let out = Manifest {
        consumer: Consumer { name, version },
        client: Client {
            library,
            api_version,
        },
        minimum: Minimum {
            docker: None,
            api: minimum,
            source: Some(source.to_string()),
        },
        calls,
        notes: Some(notes),
    };
    Ok(write_manifest(
        &out,
        "Usage manifest recorded by `dockmatrix proxy --record` (format: docs/usage-manifests.md).",
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(operation: &str, version: Option<&str>) -> Observation {
        let path = operation.split_once(' ').map_or("", |p| p.1);
        Observation {
            operation: Some(operation.to_string()),
            requested: operation.to_string(),
            since: Some(ApiVersion::new(1, 24)),
            version: version.map(|v| v.parse().unwrap()),
            counts_for_versioning: path != "/_ping" && path != "/version",
            query: Vec::new(),
            zero_query: Vec::new(),
            body: Vec::new(),
            undocumented: Undocumented::default(),
            registry_auth: false,
            user_agent: Some("test/1".into()),
        }
    }

    fn recorded(advertised: &str, used: &str) -> Manifest {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("rec.yaml");
        let recorder = Recorder::open(&file).unwrap();
        recorder.observe(&seen("HEAD /_ping", None)).unwrap();
        recorder.advertised(advertised.parse().unwrap());
        recorder
            .observe(&seen("GET /containers/json", Some(used)))
            .unwrap();
        read_manifest(&file).unwrap().0
    }

    #[test]
    fn a_parameter_sent_with_its_zero_value_is_listed_apart_until_it_is_set() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("rec.yaml");
        let recorder = Recorder::open(&file).unwrap();
        let mut tag = seen("POST /images/{name}/tag", None);
        tag.query = vec!["force".into(), "repo".into()];
        tag.zero_query = vec!["force".into()];
        recorder.observe(&tag).unwrap();
        let m = read_manifest(&file).unwrap().0;
        assert_eq!(m.calls[0].query(), ["repo"]);
        assert_eq!(m.calls[0].zero_query(), ["force"]);
        tag.zero_query.clear();
        recorder.observe(&tag).unwrap();
        let m = read_manifest(&file).unwrap().0;
        assert_eq!(m.calls[0].query(), ["force", "repo"]);
        assert!(m.calls[0].zero_query().is_empty());
    }

    #[test]
    fn a_client_sending_what_the_daemon_advertised_negotiates() {
        let m = recorded("1.41", "1.41");
        assert_eq!(m.client.api_version, RequestVersion::Negotiated);
        // Its floor is its calls', not the version this daemon happened to offer.
        assert_eq!(m.minimum.api, ApiVersion::new(1, 24));
    }

    #[test]
    fn a_client_sending_another_version_after_asking_is_pinned() {
        let m = recorded("1.41", "1.30");
        assert_eq!(
            m.client.api_version,
            RequestVersion::Pinned(ApiVersion::new(1, 30))
        );
        assert_eq!(m.minimum.api, ApiVersion::new(1, 30));
    }
}
