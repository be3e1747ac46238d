//! The request target as the daemon will route it: percent-decoded, repeated
//! slashes and dot segments resolved, the `/vX.Y` prefix parsed off.
//!
//! The proxy forwards exactly the path it matched ([`RequestTarget::forward_path`]),
//! so no spelling of a path can be matched as one route and routed as another.

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};

use dockmatrix_core::version::ApiVersion;

/// Characters re-encoded in a forwarded path segment: whatever would change how
/// the daemon splits or reads the path.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'/');

/// Why a request path is refused before routing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    /// The path does not decode to UTF-8.
    #[error("request path {0:?} is not valid percent-encoded UTF-8")]
    NotUtf8(String),
    /// The path does not start with `/`.
    #[error("request target {0:?} is not an absolute path")]
    NotAbsolute(String),
    /// A `/v…` prefix that is no API version.
    #[error("malformed API version {0:?} in the request path")]
    BadVersion(String),
    /// `..` above the root.
    #[error("request path {0:?} climbs above the root")]
    AboveRoot(String),
}

/// A parsed request path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestTarget {
    /// The `/vX.Y` prefix, if any.
    pub version: Option<ApiVersion>,
    /// Decoded path segments after the prefix, none empty, no `.` or `..`.
    pub segments: Vec<String>,
}

impl RequestTarget {
    /// Parses the path part of a request URI (no query).
    pub fn parse(raw: &str) -> Result<Self, TargetError> {
        if !raw.starts_with('/') {
            return Err(TargetError::NotAbsolute(raw.to_string()));
        }
        let decoded = percent_decode_str(raw)
            .decode_utf8()
            .map_err(|_| TargetError::NotUtf8(raw.to_string()))?;
        let mut segments: Vec<String> = Vec::new();
        for segment in decoded.split('/') {
            match segment {
                "" | "." => {}
                ".." => {
                    if segments.pop().is_none() {
                        return Err(TargetError::AboveRoot(raw.to_string()));
                    }
                }
                s => segments.push(s.to_string()),
            }
        }
        // dockerd routes `/v{version:[0-9.]+}/…`: a first segment of that shape is a
        // version prefix, whether or not it is a sensible version.
        let version = match segments.first() {
            Some(first) if looks_like_version(first) => {
                let v = first
                    .get(1..)
                    .and_then(|v| v.parse::<ApiVersion>().ok())
                    .ok_or_else(|| TargetError::BadVersion(first.clone()))?;
                segments.remove(0);
                Some(v)
            }
            _ => None,
        };
        Ok(Self { version, segments })
    }

    /// The path to forward: the version prefix (`version`, usually the request's
    /// own), then every segment percent-encoded so the daemon decodes exactly
    /// [`Self::segments`].
    pub fn forward_path(&self, version: Option<ApiVersion>) -> String {
        let mut out = String::new();
        if let Some(v) = version {
            out.push_str(&format!("/v{v}"));
        }
        for s in &self.segments {
            out.push('/');
            out.extend(utf8_percent_encode(s, SEGMENT));
        }
        if out.is_empty() {
            out.push('/');
        }
        out
    }

    /// The decoded path without prefix, for messages (`/containers/abc/json`).
    pub fn display(&self) -> String {
        format!("/{}", self.segments.join("/"))
    }
}

fn looks_like_version(segment: &str) -> bool {
    segment.strip_prefix('v').is_some_and(|rest| {
        !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit() || b == b'.')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str) -> RequestTarget {
        RequestTarget::parse(raw).unwrap()
    }

    #[test]
    fn spellings_resolve_to_one_path() {
        for raw in [
            "/containers/json",
            "//containers//json",
            "/containers/json/",
            "/containers/./json",
            "/volumes/../containers/json",
            "/%63ontainers/json",
            "/containers%2Fjson",
            "/volumes%2F..%2Fcontainers/json",
            "/v1.41/containers/json",
            "/v1.41/../v1.41/containers/json",
        ] {
            assert_eq!(parse(raw).display(), "/containers/json", "{raw}");
        }
    }

    #[test]
    fn version_prefixes() {
        assert_eq!(parse("/v1.24/_ping").version, Some("1.24".parse().unwrap()));
        assert_eq!(parse("/_ping").version, None);
        assert_eq!(parse("/V1.24/_ping").segments, ["V1.24", "_ping"]);
        assert!(matches!(
            RequestTarget::parse("/v1..2/_ping"),
            Err(TargetError::BadVersion(_))
        ));
        assert!(matches!(
            RequestTarget::parse("/v1.2.3/_ping"),
            Err(TargetError::BadVersion(_))
        ));
        assert!(RequestTarget::parse("/v/_ping").is_ok());
        assert!(matches!(
            RequestTarget::parse("/../_ping"),
            Err(TargetError::AboveRoot(_))
        ));
        assert!(matches!(
            RequestTarget::parse("/%ff"),
            Err(TargetError::NotUtf8(_))
        ));
    }

    #[test]
    fn forwarded_path_decodes_to_the_matched_segments() {
        let t = parse("/images/library%2Fbusybox/json");
        assert_eq!(t.forward_path(None), "/images/library/busybox/json");
        let t = parse("/containers/a%252Fb/json");
        assert_eq!(t.segments[1], "a%2Fb");
        assert_eq!(t.forward_path(None), "/containers/a%252Fb/json");
        let t = parse("/volumes%3F/x");
        assert_eq!(
            t.forward_path(Some("1.24".parse().unwrap())),
            "/v1.24/volumes%3F/x"
        );
    }
}
