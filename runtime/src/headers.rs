//! Results that live in response headers: `/_ping` ([`PingInfo`]) and
//! `HEAD /containers/{id}/archive` ([`PathStat`]). Both are `#[non_exhaustive]` so they can
//! gain fields as daemons add headers without breaking callers.

use base64::Engine as _;
use serde::Deserialize;

use crate::error::Error;
use crate::version::ApiVersion;

/// What `GET`/`HEAD /_ping` tells in its headers (moby's `PingResult`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PingInfo {
    /// Newest API version of the daemon (`API-Version`).
    pub api_version: Option<ApiVersion>,
    /// Daemon operating system, `linux` or `windows` (`OSType`, API 1.25+).
    pub os_type: Option<String>,
    /// Default builder, `1` (classic) or `2` (BuildKit) (`Builder-Version`, API 1.40+).
    pub builder_version: Option<String>,
    /// Whether experimental features are on (`Docker-Experimental`).
    pub experimental: bool,
    /// Swarm status of the node (`Swarm`, API 1.41+), if the daemon says.
    pub swarm: Option<SwarmStatus>,
}

/// The `Swarm` header of `/_ping`: `inactive`, `pending`, `error`, `locked`,
/// `active/worker` or `active/manager`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SwarmStatus {
    /// Node state (`inactive`, `pending`, `active`, `error`, `locked`).
    pub node_state: String,
    /// Whether this node is a manager (the part after `/` is `manager`).
    pub control_available: bool,
}

impl PingInfo {
    /// Decodes the ping headers; a malformed `API-Version` is an error naming it.
    pub fn from_headers(headers: &http::HeaderMap) -> Result<Self, Error> {
        let text = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
                .filter(|v| !v.is_empty())
        };
        let api_version = text("API-Version")
            .map(|v| {
                v.parse().map_err(|source| Error::InvalidApiVersion {
                    origin: "the daemon's API-Version header",
                    source,
                })
            })
            .transpose()?;
        let swarm = text("Swarm").map(|v| {
            let (state, role) = v.split_once('/').unwrap_or((v, ""));
            SwarmStatus {
                node_state: state.to_owned(),
                control_available: role == "manager",
            }
        });
        Ok(PingInfo {
            api_version,
            os_type: text("OSType").map(str::to_owned),
            builder_version: text("Builder-Version").map(str::to_owned),
            experimental: text("Docker-Experimental").is_some_and(|v| v == "true"),
            swarm,
        })
    }
}

/// A path's stat in a container, from the base64 JSON `X-Docker-Container-Path-Stat`
/// header of `HEAD /containers/{id}/archive` (moby's `ContainerPathStat`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct PathStat {
    /// Base name.
    pub name: String,
    /// Size in bytes.
    pub size: i64,
    /// Go `os.FileMode` bits (permission bits plus type bits such as `1 << 31` for a directory).
    pub mode: u32,
    /// Modification time, RFC 3339.
    pub mtime: String,
    /// Target of a symbolic link, empty otherwise.
    #[serde(rename = "linkTarget", default)]
    pub link_target: String,
}

/// Go's `os.ModeDir` bit.
const GO_MODE_DIR: u32 = 1 << 31;
/// Go's `os.ModeSymlink` bit.
const GO_MODE_SYMLINK: u32 = 1 << 27;

impl PathStat {
    /// Whether the path is a directory.
    pub fn is_dir(&self) -> bool {
        self.mode & GO_MODE_DIR != 0
    }

    /// Whether the path is a symbolic link.
    pub fn is_symlink(&self) -> bool {
        self.mode & GO_MODE_SYMLINK != 0
    }

    /// Decodes the header; absent or malformed is an error naming it.
    pub fn from_headers(headers: &http::HeaderMap) -> Result<Self, Error> {
        const NAME: &str = "X-Docker-Container-Path-Stat";
        let bad = |reason: String| Error::InvalidHeader { name: NAME, reason };
        let raw = headers
            .get(NAME)
            .ok_or_else(|| bad("missing from the response".to_owned()))?;
        let json = base64::engine::general_purpose::STANDARD
            .decode(raw.as_bytes())
            .map_err(|e| bad(format!("not base64: {e}")))?;
        serde_json::from_slice(&json).map_err(|e| bad(format!("not a path stat: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> http::HeaderMap {
        let mut h = http::HeaderMap::new();
        for (n, v) in pairs {
            h.insert(*n, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn ping_headers_decode() {
        let p = PingInfo::from_headers(&headers(&[
            ("API-Version", "1.41"),
            ("OSType", "linux"),
            ("Builder-Version", "2"),
            ("Docker-Experimental", "true"),
            ("Swarm", "active/manager"),
        ]))
        .unwrap();
        assert_eq!(p.api_version, Some(ApiVersion::new(1, 41)));
        assert_eq!(p.os_type.as_deref(), Some("linux"));
        assert_eq!(p.builder_version.as_deref(), Some("2"));
        assert!(p.experimental);
        let swarm = p.swarm.unwrap();
        assert_eq!(swarm.node_state, "active");
        assert!(swarm.control_available);
        assert_eq!(
            PingInfo::from_headers(&headers(&[("Swarm", "inactive")]))
                .unwrap()
                .swarm
                .map(|s| (s.node_state, s.control_available)),
            Some(("inactive".to_owned(), false))
        );
        assert_eq!(
            PingInfo::from_headers(&headers(&[])).unwrap(),
            PingInfo::default()
        );
        assert!(matches!(
            PingInfo::from_headers(&headers(&[("API-Version", "x")])),
            Err(Error::InvalidApiVersion { .. })
        ));
    }

    #[test]
    fn path_stat_header_decodes_and_bad_ones_are_named() {
        let json = r#"{"name":"etc","size":4096,"mode":2147484141,"mtime":"2026-11-23T10:00:00Z","linkTarget":""}"#;
        let b64 = base64::engine::general_purpose::STANDARD.encode(json);
        let s =
            PathStat::from_headers(&headers(&[("X-Docker-Container-Path-Stat", &b64)])).unwrap();
        assert_eq!((s.name.as_str(), s.size), ("etc", 4096));
        assert!(s.is_dir() && !s.is_symlink());
        assert_eq!(s.mode & 0o777, 0o755);
        for bad in [&[][..], &[("X-Docker-Container-Path-Stat", "!!")][..]] {
            assert!(matches!(
                PathStat::from_headers(&headers(bad)),
                Err(Error::InvalidHeader {
                    name: "X-Docker-Container-Path-Stat",
                    ..
                })
            ));
        }
    }
}
