//! The one `DOCKER_HOST` parser: where a Docker daemon listens, written as the
//! Docker CLI writes it (`unix:///path`, `tcp://host[:port]`, `http://…`,
//! `ssh://[user@]host[:port]`). The client runtime connects to it; the proxy
//! listens on and forwards to it.

#![warn(missing_docs)]

use std::fmt;
use std::path::PathBuf;

/// A daemon address that cannot be used, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid Docker host {value:?}: {reason}")]
pub struct HostError {
    /// The rejected value.
    pub value: String,
    /// Why it is refused.
    pub reason: &'static str,
}

/// Default daemon socket used when `DOCKER_HOST` is unset.
pub const DEFAULT_DOCKER_HOST: &str = "unix:///var/run/docker.sock";

/// Where the daemon listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DockerHost {
    /// Unix domain socket path.
    Unix(PathBuf),
    /// TCP endpoint (TLS when the client is configured with certificates).
    Tcp {
        /// Host name or IP literal (IPv6 without brackets).
        host: String,
        /// TCP port.
        port: u16,
    },
    /// A remote daemon reached as the Docker CLI does: each connection is
    /// `ssh [-l user] [-p port] -- host docker system dial-stdio`.
    Ssh {
        /// Login name, if given.
        user: Option<String>,
        /// Host name or address.
        host: String,
        /// SSH port, if given.
        port: Option<u16>,
    },
}

impl DockerHost {
    /// Parses `unix:///path`, `tcp://host:port` (or `http://host:port`) as the Docker CLI does.
    /// A `tcp://` address without port uses 2375.
    pub fn parse(value: &str) -> Result<Self, HostError> {
        let bad = |reason: &'static str| HostError {
            value: value.to_owned(),
            reason,
        };
        let v = value.trim();
        if let Some(path) = v.strip_prefix("unix://") {
            if !path.starts_with('/') {
                return Err(bad("unix socket path must be absolute (unix:///path)"));
            }
            return Ok(DockerHost::Unix(PathBuf::from(path)));
        }
        let rest = if let Some(r) = v.strip_prefix("tcp://") {
            r
        } else if let Some(r) = v.strip_prefix("http://") {
            r
        } else if let Some(r) = v.strip_prefix("ssh://") {
            return parse_ssh(r).ok_or_else(|| {
                bad("expected ssh://[user@]host[:port] without path, query or password")
            });
        } else if v.starts_with("https://") || v.starts_with("npipe://") || v.starts_with("fd://") {
            return Err(bad(
                "scheme not supported by this client (unix:// or tcp://; TLS through DOCKER_TLS_VERIFY)",
            ));
        } else {
            return Err(bad("expected unix:///path or tcp://host:port"));
        };
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        if rest.contains('/') || rest.contains('?') || rest.contains('@') {
            return Err(bad(
                "tcp address must be host:port without path, query or credentials",
            ));
        }
        let (host, port) = split_host_port(rest).ok_or_else(|| bad("malformed host:port"))?;
        if host.is_empty() {
            return Err(bad("missing host"));
        }
        let port = match port {
            None => 2375,
            Some(p) => p
                .parse::<u16>()
                .map_err(|_| bad("port is not a number in 1..=65535"))?,
        };
        if port == 0 {
            return Err(bad("port is not a number in 1..=65535"));
        }
        Ok(DockerHost::Tcp {
            host: host.to_owned(),
            port,
        })
    }
}

fn parse_ssh(rest: &str) -> Option<DockerHost> {
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    if rest.contains('/') || rest.contains('?') || rest.contains('#') {
        return None;
    }
    let (user, hostport) = match rest.rsplit_once('@') {
        Some((u, h)) if !u.is_empty() && !u.contains(':') => (Some(u.to_owned()), h),
        Some(_) => return None,
        None => (None, rest),
    };
    let (host, port) = split_host_port(hostport)?;
    if host.is_empty()
        || host.starts_with('-')
        || user.as_deref().is_some_and(|u| u.starts_with('-'))
    {
        return None;
    }
    let port = match port {
        None => None,
        Some(p) => Some(p.parse::<u16>().ok().filter(|p| *p != 0)?),
    };
    Some(DockerHost::Ssh {
        user,
        host: host.to_owned(),
        port,
    })
}

/// Splits `host[:port]` / `[v6][:port]`.
fn split_host_port(s: &str) -> Option<(&str, Option<&str>)> {
    if let Some(rest) = s.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        return match after {
            "" => Some((host, None)),
            a => Some((host, Some(a.strip_prefix(':')?))),
        };
    }
    match s.split_once(':') {
        None => Some((s, None)),
        Some((h, p)) if !p.contains(':') => Some((h, Some(p))),
        Some(_) => None,
    }
}

impl DockerHost {
    /// `explicit` if given, else a non-empty `$DOCKER_HOST`, else [`DEFAULT_DOCKER_HOST`].
    pub fn from_env_or(explicit: Option<&str>) -> Result<Self, HostError> {
        let from_env = std::env::var("DOCKER_HOST").ok().filter(|h| !h.is_empty());
        match (explicit, from_env) {
            (Some(v), _) => Self::parse(v),
            (None, Some(env)) => Self::parse(&env),
            (None, None) => Self::parse(DEFAULT_DOCKER_HOST),
        }
    }
}

impl fmt::Display for DockerHost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DockerHost::Unix(p) => write!(f, "unix://{}", p.display()),
            DockerHost::Tcp { host, port } if host.contains(':') => {
                write!(f, "tcp://[{host}]:{port}")
            }
            DockerHost::Tcp { host, port } => write!(f, "tcp://{host}:{port}"),
            DockerHost::Ssh { user, host, port } => {
                f.write_str("ssh://")?;
                if let Some(u) = user {
                    write!(f, "{u}@")?;
                }
                if host.contains(':') {
                    write!(f, "[{host}]")?;
                } else {
                    f.write_str(host)?;
                }
                match port {
                    Some(p) => write!(f, ":{p}"),
                    None => Ok(()),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_supported_forms() {
        assert_eq!(
            DockerHost::parse(DEFAULT_DOCKER_HOST).unwrap(),
            DockerHost::Unix("/var/run/docker.sock".into())
        );
        assert_eq!(
            DockerHost::parse("tcp://127.0.0.1:2376").unwrap(),
            DockerHost::Tcp {
                host: "127.0.0.1".into(),
                port: 2376
            }
        );
        assert_eq!(
            DockerHost::parse("tcp://docker.local").unwrap(),
            DockerHost::Tcp {
                host: "docker.local".into(),
                port: 2375
            }
        );
        assert_eq!(
            DockerHost::parse("tcp://[::1]:2375/").unwrap(),
            DockerHost::Tcp {
                host: "::1".into(),
                port: 2375
            }
        );
        assert_eq!(
            DockerHost::parse("tcp://[::1]:2375").unwrap().to_string(),
            "tcp://[::1]:2375"
        );
    }

    #[test]
    fn parses_ssh_like_the_cli() {
        assert_eq!(
            DockerHost::parse("ssh://me@box:2222").unwrap(),
            DockerHost::Ssh {
                user: Some("me".into()),
                host: "box".into(),
                port: Some(2222)
            }
        );
        let h = DockerHost::parse("ssh://box").unwrap();
        assert_eq!(h.to_string(), "ssh://box");
    }

    #[test]
    fn rejects_bad_forms() {
        for bad in [
            "",
            "/var/run/docker.sock",
            "unix://relative.sock",
            "tcp://:2375",
            "tcp://h:0",
            "tcp://h:99999",
            "tcp://h:x",
            "tcp://h:1/path",
            "tcp://u@h:1",
            "ssh://user:pw@host",
            "ssh://host/path",
            "ssh://-oProxyCommand=x",
            "ssh://h:0",
            "https://h:2376",
            "tcp://::1:2375",
        ] {
            assert!(
                DockerHost::parse(bad).is_err_and(|e| e.value == bad),
                "{bad:?} accepted"
            );
        }
    }
}
