//! Listener and upstream addresses, read by the one `DOCKER_HOST` parser
//! (`dockmatrix-host`); the upstream defaults to `DOCKER_HOST` as the Docker
//! CLI resolves it. The proxy speaks plain sockets, so `ssh://` is refused.

use std::fmt;
use std::path::PathBuf;

use dockmatrix_host::{DockerHost, HostError};

/// A socket address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Address {
    /// A unix socket path.
    Unix(PathBuf),
    /// `host:port` (an IPv6 host in brackets).
    Tcp(String),
}

/// An address that cannot be used.
pub type AddressError = HostError;

impl Address {
    /// Parses `unix:///path` or `tcp://host[:port]` (port 2375 when omitted).
    pub fn parse(value: &str) -> Result<Self, AddressError> {
        Self::from_host(value, DockerHost::parse(value)?)
    }

    /// The upstream: `value`, else `$DOCKER_HOST`, else the default socket.
    pub fn upstream(value: Option<&str>) -> Result<Self, AddressError> {
        let host = DockerHost::from_env_or(value)?;
        Self::from_host(&host.to_string(), host)
    }

    fn from_host(value: &str, host: DockerHost) -> Result<Self, AddressError> {
        match host {
            DockerHost::Unix(path) => Ok(Self::Unix(path)),
            DockerHost::Tcp { host, port } if host.contains(':') => {
                Ok(Self::Tcp(format!("[{host}]:{port}")))
            }
            DockerHost::Tcp { host, port } => Ok(Self::Tcp(format!("{host}:{port}"))),
            DockerHost::Ssh { .. } => Err(HostError {
                value: value.to_owned(),
                reason: "the proxy listens and forwards on unix:// or tcp:// only",
            }),
        }
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unix(p) => write!(f, "unix://{}", p.display()),
            Self::Tcp(h) => write!(f, "tcp://{h}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_addresses_as_docker_host_does() {
        assert_eq!(
            Address::parse("unix:///run/x.sock").unwrap(),
            Address::Unix("/run/x.sock".into())
        );
        assert_eq!(
            Address::parse("tcp://127.0.0.1:2375").unwrap(),
            Address::Tcp("127.0.0.1:2375".into())
        );
        assert_eq!(
            Address::parse("tcp://[::1]:1").unwrap().to_string(),
            "tcp://[::1]:1"
        );
        assert_eq!(
            Address::parse("tcp://docker.local").unwrap(),
            Address::Tcp("docker.local:2375".into())
        );
        for bad in [
            "unix://rel.sock",
            "tcp://h:99999",
            "ssh://box",
            "https://x:1",
            "",
        ] {
            let err = Address::parse(bad).unwrap_err();
            assert_eq!(err.value, bad);
        }
    }
}
