//! Listener and upstream addresses: `unix:///path` or `tcp://HOST:PORT`, the
//! upstream defaulting to `DOCKER_HOST` as the Docker CLI resolves it.

use std::fmt;
use std::path::PathBuf;

/// Default daemon socket when `DOCKER_HOST` is unset.
pub const DEFAULT_DOCKER_HOST: &str = "unix:///var/run/docker.sock";

/// A socket address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Address {
    /// A unix socket path.
    Unix(PathBuf),
    /// `host:port`.
    Tcp(String),
}

/// An address that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid address {value:?}: {reason}")]
pub struct AddressError {
    /// What was given.
    pub value: String,
    /// Why it is refused.
    pub reason: &'static str,
}

impl Address {
    /// Parses `unix:///path` or `tcp://host:port`.
    pub fn parse(value: &str) -> Result<Self, AddressError> {
        let err = |reason| AddressError {
            value: value.to_string(),
            reason,
        };
        if let Some(path) = value.strip_prefix("unix://") {
            if !path.starts_with('/') {
                return Err(err("a unix socket path must be absolute (unix:///path)"));
            }
            return Ok(Self::Unix(PathBuf::from(path)));
        }
        if let Some(rest) = value.strip_prefix("tcp://") {
            let hostport = rest.trim_end_matches('/');
            let port = hostport.rsplit_once(':').map(|(_, p)| p);
            if hostport.contains('/') || port.is_none_or(|p| p.parse::<u16>().is_err()) {
                return Err(err("expected tcp://HOST:PORT"));
            }
            return Ok(Self::Tcp(hostport.to_string()));
        }
        Err(err("expected unix:///path or tcp://HOST:PORT"))
    }

    /// The upstream: `value`, else `$DOCKER_HOST`, else the default socket.
    pub fn upstream(value: Option<&str>) -> Result<Self, AddressError> {
        match value {
            Some(v) => Self::parse(v),
            None => match std::env::var("DOCKER_HOST") {
                Ok(host) if !host.is_empty() => Self::parse(&host),
                _ => Self::parse(DEFAULT_DOCKER_HOST),
            },
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
    fn parses_both_schemes() {
        assert_eq!(
            Address::parse("unix:///run/x.sock").unwrap(),
            Address::Unix("/run/x.sock".into())
        );
        assert_eq!(
            Address::parse("tcp://127.0.0.1:2375").unwrap(),
            Address::Tcp("127.0.0.1:2375".into())
        );
        for bad in [
            "unix://rel.sock",
            "tcp://host",
            "tcp://h:99999",
            "http://x:1",
            "",
        ] {
            assert!(Address::parse(bad).is_err(), "{bad}");
        }
    }
}
