//! Usage manifests: what one consumer of the Engine API calls (the YAML format
//! of `docs/usage-manifests.md`), parsed with line numbers for every error, and
//! written back ([`write_manifest`], the one writer: a manifest written and read
//! back is the same manifest).

use std::fmt;
use std::path::{Path, PathBuf};

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::version::ApiVersion;

/// A whole manifest as written.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Who calls the API.
    pub consumer: Consumer,
    /// How it calls it.
    pub client: Client,
    /// The minimum it declares.
    pub minimum: Minimum,
    /// The calls, in the order written.
    pub calls: Vec<CallEntry>,
    /// Free-form notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// The consumer's name and version.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Consumer {
    /// Name, e.g. `Kubernetes`.
    pub name: String,
    /// Version, e.g. `1.4` (always a string).
    #[serde(deserialize_with = "text")]
    pub version: String,
}

/// The client library and the API version its requests carry.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Client {
    /// Library, e.g. `github.com/docker/engine-api`.
    pub library: String,
    /// `unversioned`, or the API version every request pins (`/v1.24/...`).
    pub api_version: RequestVersion,
}

/// What API version the consumer's requests carry (written `unversioned` or
/// `"1.24"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestVersion {
    /// No `/vX.Y` prefix: the daemon answers at its own newest API version.
    Unversioned,
    /// Every request is sent as `/vX.Y/...`.
    Pinned(ApiVersion),
    /// The client asks the daemon (`/_ping`, `/version`) and sends the daemon's
    /// newest version (as far as its own goes): judged at the daemon's version.
    Negotiated,
}

impl fmt::Display for RequestVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unversioned => f.write_str("unversioned"),
            Self::Pinned(v) => write!(f, "pinned to {v}"),
            Self::Negotiated => f.write_str("negotiated"),
        }
    }
}

/// The declared minimum and where the claim comes from.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Minimum {
    /// Docker release, e.g. `1.9` (optional).
    #[serde(
        default,
        deserialize_with = "opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub docker: Option<String>,
    /// API version.
    #[serde(deserialize_with = "version")]
    pub api: ApiVersion,
    /// Source of the claim (document, URL, code reference); optional.
    #[serde(
        default,
        deserialize_with = "opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub source: Option<String>,
}

impl Minimum {
    /// ` (SOURCE)` when the manifest cites one, else nothing.
    pub fn cited(&self) -> String {
        self.source
            .as_deref()
            .map(|s| format!(" ({s})"))
            .unwrap_or_default()
    }
}

/// One call, either `METHOD /path` alone or a mapping with details.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum CallEntry {
    /// Just the call.
    Plain(String),
    /// The call with the parameters and fields it uses.
    Detailed(CallDetail),
}

/// A call with details.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CallDetail {
    /// `METHOD /path`, any placeholder spelling.
    pub call: String,
    /// Query parameters it sends.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub query: Vec<String>,
    /// Query parameters it sends only with their zero value (`0`, `false`,
    /// empty), which a daemon lacking them reads as it reads their absence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub zero_query: Vec<String>,
    /// Request body fields it sets (dotted paths, e.g. `HostConfig.Memory`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub body: Vec<String>,
    /// Response body fields it reads (dotted paths as `history` writes them,
    /// e.g. `[].VirtualSize`): a target that no longer returns one fails.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub response: Vec<String>,
    /// What it sends that no API version documents.
    #[serde(default, skip_serializing_if = "Undocumented::is_empty")]
    pub undocumented: Undocumented,
    /// Notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Source locations (`file:line`) that make the call (written by `scan`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
}

/// Query parameter names and body member paths a call sends that no API
/// version documents (`proxy --record` writes them; `proxy --allow --strict`
/// lets them through; `check` does not judge them).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Undocumented {
    /// Query parameter names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub query: Vec<String>,
    /// Body member paths (dotted, as for `body`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub body: Vec<String>,
}

impl Undocumented {
    /// Whether nothing is listed.
    pub fn is_empty(&self) -> bool {
        self.query.is_empty() && self.body.is_empty()
    }
}

impl CallEntry {
    /// The `METHOD /path` text as written.
    pub fn call(&self) -> &str {
        match self {
            Self::Plain(c) => c,
            Self::Detailed(d) => &d.call,
        }
    }

    /// Query parameters listed for it.
    pub fn query(&self) -> &[String] {
        match self {
            Self::Plain(_) => &[],
            Self::Detailed(d) => &d.query,
        }
    }

    /// Query parameters listed as sent with their zero value only.
    pub fn zero_query(&self) -> &[String] {
        match self {
            Self::Plain(_) => &[],
            Self::Detailed(d) => &d.zero_query,
        }
    }

    /// Request body fields listed for it.
    pub fn body(&self) -> &[String] {
        match self {
            Self::Plain(_) => &[],
            Self::Detailed(d) => &d.body,
        }
    }

    /// Response body fields listed as read.
    pub fn response(&self) -> &[String] {
        match self {
            Self::Plain(_) => &[],
            Self::Detailed(d) => &d.response,
        }
    }

    /// What it sends that no API version documents.
    pub fn undocumented(&self) -> Undocumented {
        match self {
            Self::Plain(_) => Undocumented::default(),
            Self::Detailed(d) => d.undocumented.clone(),
        }
    }

    /// The source locations (`file:line`) listed for it.
    pub fn sources(&self) -> &[String] {
        match self {
            Self::Plain(_) => &[],
            Self::Detailed(d) => &d.sources,
        }
    }

    /// Its notes.
    pub fn notes(&self) -> Option<&str> {
        match self {
            Self::Plain(_) => None,
            Self::Detailed(d) => d.notes.as_deref(),
        }
    }
}

/// A manifest that cannot be used; always names the file and, where known, the line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{}: {message}", file.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct ManifestError {
    /// The manifest file.
    pub file: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl ManifestError {
    /// An error at a line.
    pub fn at(file: &Path, line: Option<usize>, message: impl Into<String>) -> Self {
        Self {
            file: file.to_path_buf(),
            line,
            message: message.into(),
        }
    }
}

/// Parses manifest text (syntax and shape only; [`super::resolve`] checks the
/// calls against the API). `file` is used in errors.
pub fn parse_manifest(file: &Path, text: &str) -> Result<Manifest, ManifestError> {
    serde_norway::from_str(text).map_err(|e| {
        let line = e.location().map(|l| l.line());
        let message = e.to_string();
        // The location is reported as `file:line`; drop serde_norway's own suffix.
        let message = match message.find(" at line ") {
            Some(cut) => message.get(..cut).unwrap_or(&message).to_string(),
            None => message,
        };
        let message = if message.contains("did not match any variant of untagged enum CallEntry")
        {
            "a call must be \"METHOD /path\" or a mapping with `call` and optional `query`, `zero_query`, `body`, `response`, `undocumented`, `notes`, `sources`".to_string()
        } else {
            message
        };
        ManifestError::at(file, line, message)
    })
}

/// A manifest that could not be written as YAML.
#[derive(Debug, thiserror::Error)]
#[error("cannot write the manifest as YAML: {0}")]
pub struct WriteError(#[from] serde_norway::Error);

/// Writes a manifest as YAML, with `header` (comment lines, each starting with
/// `#`) on top; [`parse_manifest`] reads it back as the same manifest.
pub fn write_manifest(manifest: &Manifest, header: &str) -> Result<String, WriteError> {
    let body = serde_norway::to_string(manifest)?;
    let mut out = String::with_capacity(header.len() + body.len() + 1);
    for line in header.lines() {
        out.push_str("# ");
        out.push_str(line.trim_start_matches('#').trim_start());
        out.push('\n');
    }
    out.push_str(&body);
    Ok(out)
}

/// Reads and parses a manifest file.
pub fn read_manifest(file: &Path) -> Result<(Manifest, String), ManifestError> {
    use std::io::Read as _;
    let cannot = |e: std::io::Error| ManifestError::at(file, None, format!("cannot read: {e}"));
    // Bounded: a device or a runaway file is refused, never read whole.
    let mut bytes = Vec::new();
    std::fs::File::open(file)
        .map_err(cannot)?
        .take(MAX_MANIFEST_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_MANIFEST_BYTES {
        return Err(ManifestError::at(
            file,
            None,
            format!(
                "larger than {} MiB, the limit for a usage manifest (the manifests under specs/usage/ are under 2 KiB)",
                MAX_MANIFEST_BYTES / (1024 * 1024)
            ),
        ));
    }
    let text = String::from_utf8(bytes)
        .map_err(|e| ManifestError::at(file, None, format!("not UTF-8 text: {e}")))?;
    let manifest = parse_manifest(file, &text)?;
    Ok((manifest, text))
}

/// The largest usage manifest read (8 MiB): real ones are a few KiB.
pub const MAX_MANIFEST_BYTES: u64 = 8 * 1024 * 1024;

/// The 1-based line of the `nth` (0-based) line containing `needle`, if any.
pub fn line_of(text: &str, needle: &str, nth: usize) -> Option<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .nth(nth)
        .map(|(i, _)| i + 1)
}

struct TextVisitor;

impl Visitor<'_> for TextVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a quoted version string such as \"1.21\"")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        Err(E::custom(format!(
            "version {v} is a YAML number (1.10 would read as 1.1): quote it, e.g. \"{v}\""
        )))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Err(E::custom(format!(
            "version {v} is a YAML number: quote it, e.g. \"{v}.0\""
        )))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Err(E::custom(format!("version {v} is a YAML number: quote it")))
    }
}

fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    d.deserialize_any(TextVisitor)
}

fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    text(d).map(Some)
}

fn version<'de, D: Deserializer<'de>>(d: D) -> Result<ApiVersion, D::Error> {
    text(d)?.parse().map_err(de::Error::custom)
}

impl Serialize for RequestVersion {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Unversioned => s.serialize_str("unversioned"),
            Self::Pinned(v) => s.collect_str(v),
            Self::Negotiated => s.serialize_str("negotiated"),
        }
    }
}

impl<'de> Deserialize<'de> for RequestVersion {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = text(d)?;
        if s.trim().eq_ignore_ascii_case("unversioned") {
            return Ok(Self::Unversioned);
        }
        if s.trim().eq_ignore_ascii_case("negotiated") {
            return Ok(Self::Negotiated);
        }
        s.parse().map(Self::Pinned).map_err(|_| {
            de::Error::custom(format!(
                "api_version {s:?}: expected \"unversioned\", \"negotiated\" or an API version such as \"1.24\""
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "consumer:\n  name: X\n  version: \"1.0\"\nclient:\n  library: lib\n  api_version: unversioned\nminimum:\n  docker: \"1.9\"\n  api: \"1.21\"\n  source: doc\ncalls:\n  - GET /info\n  - call: POST /containers/create\n    query: [name]\n    body: [HostConfig.Memory]\n";

    #[test]
    fn parses_both_call_forms() {
        let m = parse_manifest(Path::new("m.yaml"), GOOD).unwrap();
        assert_eq!(m.calls.len(), 2);
        assert_eq!(m.calls[1].call(), "POST /containers/create");
        assert_eq!(m.calls[1].query(), ["name"]);
        assert_eq!(m.client.api_version, RequestVersion::Unversioned);
        assert_eq!(m.minimum.api, ApiVersion::new(1, 21));
    }

    #[test]
    fn sources_are_optional_and_read_back() {
        let with = GOOD.replace(
            "    body: [HostConfig.Memory]\n",
            "    body: [HostConfig.Memory]\n    sources: [\"a/b.go:12\", \"a/c.go:3\"]\n",
        );
        let m = parse_manifest(Path::new("m.yaml"), &with).unwrap();
        assert_eq!(m.calls[1].sources(), ["a/b.go:12", "a/c.go:3"]);
        assert!(m.calls[0].sources().is_empty());
        let text = write_manifest(&m, "").unwrap();
        assert!(text.contains("sources:"), "{text}");
        assert_eq!(parse_manifest(Path::new("w.yaml"), &text).unwrap(), m);
    }

    #[test]
    fn written_and_read_back_is_the_same_manifest() {
        let m = parse_manifest(Path::new("m.yaml"), GOOD).unwrap();
        let text = write_manifest(&m, "a header\n# second line").unwrap();
        assert!(text.starts_with("# a header\n# second line\n"), "{text}");
        assert_eq!(parse_manifest(Path::new("w.yaml"), &text).unwrap(), m);
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../specs/usage");
        let mut seen = 0;
        for entry in std::fs::read_dir(repo).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "yaml") {
                let (m, _) = read_manifest(&path).unwrap();
                let text = write_manifest(&m, "").unwrap();
                let back = parse_manifest(&path, &text).unwrap();
                assert_eq!(back, m, "{}", path.display());
                seen += 1;
            }
        }
        assert!(seen >= 4, "every committed manifest round-trips");
    }

    #[test]
    fn unquoted_version_is_refused_with_its_line() {
        let bad = GOOD.replace("api: \"1.21\"", "api: 1.10");
        let e = parse_manifest(Path::new("m.yaml"), &bad).unwrap_err();
        assert_eq!(e.line, Some(9), "{e}");
        assert!(e.to_string().starts_with("m.yaml:9: "), "{e}");
        assert!(e.message.contains("quote it"), "{e}");
    }

    #[test]
    fn missing_field_and_bad_syntax_have_lines() {
        let uncited = GOOD.replace("  source: doc\n", "");
        let m = parse_manifest(Path::new("m.yaml"), &uncited).expect("source is optional");
        assert_eq!(m.minimum.source, None);
        let bad = GOOD.replace("  api: \"1.21\"\n", "");
        let e = parse_manifest(Path::new("m.yaml"), &bad).unwrap_err();
        assert!(e.message.contains("missing field `api`"), "{e}");
        assert!(e.line.is_some());
        let e = parse_manifest(Path::new("m.yaml"), "calls: [\n").unwrap_err();
        assert!(e.line.is_some(), "{e}");
    }
}
