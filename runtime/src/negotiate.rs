//! API version negotiation, following the Docker CLI.

use serde::Deserialize;

use crate::error::Error;
use crate::gate::HttpMethod;
use crate::limits::ReadPolicy;
use crate::request::Request;
use crate::response;
use crate::served::{identify, ReleaseLine};
use crate::transport::Transport;
use crate::version::ApiVersion;

/// What the client knows and what the user asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VersionPolicy {
    /// Oldest API version the client can speak.
    pub client_min: ApiVersion,
    /// Newest API version the client can speak (the generated table's newest version).
    pub client_max: ApiVersion,
    /// Pinned version (builder or `DOCKER_API_VERSION`) and where it came from.
    pub pinned: Option<(ApiVersion, &'static str)>,
}

/// Outcome of negotiation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Negotiated {
    /// Version used for every request.
    pub version: ApiVersion,
    /// Daemon's newest API version, if it was asked.
    pub daemon_max: Option<ApiVersion>,
    /// Daemon's `MinAPIVersion`, if it was asked.
    pub daemon_min: Option<ApiVersion>,
}

/// Pure decision: `min(client_max, daemon_max)`, checked against both minimums.
pub fn choose(
    policy: &VersionPolicy,
    daemon_max: ApiVersion,
    daemon_min: Option<ApiVersion>,
) -> Result<ApiVersion, Error> {
    let negotiated = policy.client_max.min(daemon_max);
    if negotiated < policy.client_min {
        return Err(Error::VersionOutOfRange {
            version: negotiated,
            origin: "the daemon's API-Version",
            client_min: policy.client_min,
            client_max: policy.client_max,
        });
    }
    if let Some(daemon_min) = daemon_min {
        if negotiated < daemon_min {
            return Err(Error::BelowDaemonMinimum {
                negotiated,
                daemon_min,
            });
        }
    }
    Ok(negotiated)
}

/// Validates a pinned version against the client's range (no I/O, as the Docker CLI).
pub fn check_pinned(
    policy: &VersionPolicy,
    v: ApiVersion,
    origin: &'static str,
) -> Result<ApiVersion, Error> {
    if v < policy.client_min || v > policy.client_max {
        return Err(Error::VersionOutOfRange {
            version: v,
            origin,
            client_min: policy.client_min,
            client_max: policy.client_max,
        });
    }
    Ok(v)
}

#[derive(Deserialize)]
struct VersionBody {
    #[serde(rename = "ApiVersion")]
    api_version: Option<String>,
    #[serde(rename = "MinAPIVersion")]
    min_api_version: Option<String>,
    #[serde(rename = "Version")]
    version: Option<String>,
}

fn deadline(read: ReadPolicy) -> Option<(tokio::time::Instant, std::time::Duration)> {
    read.request_timeout
        .map(|t| (tokio::time::Instant::now() + t, t))
}

fn parse_header(value: &str, origin: &'static str) -> Result<ApiVersion, Error> {
    value
        .parse()
        .map_err(|source| Error::InvalidApiVersion { origin, source })
}

/// Runs negotiation: pinned → no I/O; else `GET /_ping` (`API-Version` header), falling back
/// to `GET /version`. `/version` is also asked when the client is older than the daemon,
/// to learn `MinAPIVersion`.
pub(crate) async fn negotiate(
    transport: &Transport,
    policy: &VersionPolicy,
    read: ReadPolicy,
) -> Result<Negotiated, Error> {
    if let Some((v, origin)) = policy.pinned {
        return Ok(Negotiated {
            version: check_pinned(policy, v, origin)?,
            daemon_max: None,
            daemon_min: None,
        });
    }
    let ping = Request::new(HttpMethod::Get, "/_ping").unversioned();
    let replay = ping.replay_copy().map(|c| (c, policy.client_max));
    let (resp, _slot) = transport
        .execute(
            ping.into_http(policy.client_max, transport.authority(), false)?,
            replay,
            "/_ping",
            deadline(read),
        )
        .await?;
    let header = resp
        .headers()
        .get("API-Version")
        .and_then(|h| h.to_str().ok())
        .map(str::to_owned);
    drop(resp);
    let (daemon_max, mut daemon_min) = match header {
        Some(h) => (parse_header(&h, "the daemon's API-Version header")?, None),
        None => {
            let (max, min) = fetch_version(transport, policy, read).await?;
            let max = max.ok_or_else(|| Error::Negotiation {
                reason: "daemon reported no API version in /_ping nor /version".to_owned(),
            })?;
            (max, min)
        }
    };
    if policy.client_max < daemon_max && daemon_min.is_none() {
        daemon_min = fetch_version(transport, policy, read).await?.1;
    }
    Ok(Negotiated {
        version: choose(policy, daemon_max, daemon_min)?,
        daemon_max: Some(daemon_max),
        daemon_min,
    })
}

/// The daemon's release line among `releases`, from `GET /version` (unversioned,
/// so a daemon whose minimum is above the pinned version still answers). A daemon
/// that does not answer, or whose release has no code in the table, is unknown:
/// the documents then decide every gate.
pub(crate) async fn daemon_release(
    transport: &Transport,
    policy: &VersionPolicy,
    read: ReadPolicy,
    releases: &'static [ReleaseLine],
) -> Option<(usize, &'static ReleaseLine)> {
    let body = version_body(transport, policy, read).await.ok()?;
    let api = body.api_version.as_deref()?.parse().ok()?;
    identify(releases, body.version.as_deref()?, api)
}

async fn fetch_version(
    transport: &Transport,
    policy: &VersionPolicy,
    read: ReadPolicy,
) -> Result<(Option<ApiVersion>, Option<ApiVersion>), Error> {
    let body = version_body(transport, policy, read).await?;
    let max = body
        .api_version
        .as_deref()
        .map(|s| parse_header(s, "/version ApiVersion"))
        .transpose()?;
    let min = body
        .min_api_version
        .as_deref()
        .map(|s| parse_header(s, "/version MinAPIVersion"))
        .transpose()?;
    Ok((max, min))
}

async fn version_body(
    transport: &Transport,
    policy: &VersionPolicy,
    read: ReadPolicy,
) -> Result<VersionBody, Error> {
    let req = Request::new(HttpMethod::Get, "/version").unversioned();
    let replay = req.replay_copy().map(|c| (c, policy.client_max));
    let deadline = deadline(read);
    let raw = transport
        .execute(
            req.into_http(policy.client_max, transport.authority(), false)?,
            replay,
            "/version",
            deadline,
        )
        .await?;
    response::check(raw, "/version", deadline, read)
        .await?
        .json()
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn v(m: u16) -> ApiVersion {
        ApiVersion::new(1, m)
    }

    fn policy(min: u16, max: u16) -> VersionPolicy {
        VersionPolicy {
            client_min: v(min),
            client_max: v(max),
            pinned: None,
        }
    }

    #[test]
    fn picks_the_lower_maximum() {
        assert_eq!(choose(&policy(0, 55), v(41), Some(v(12))).unwrap(), v(41));
        assert_eq!(choose(&policy(0, 40), v(41), Some(v(12))).unwrap(), v(40));
        assert_eq!(choose(&policy(0, 55), v(41), None).unwrap(), v(41));
    }

    #[test]
    fn errors_below_daemon_min_or_client_min() {
        assert!(matches!(
            choose(&policy(0, 11), v(41), Some(v(12))),
            Err(Error::BelowDaemonMinimum { negotiated, daemon_min }) if negotiated == v(11) && daemon_min == v(12)
        ));
        assert!(matches!(
            choose(&policy(24, 55), v(20), None),
            Err(Error::VersionOutOfRange { .. })
        ));
    }

    #[test]
    fn pinned_must_be_in_client_range() {
        let p = policy(12, 55);
        assert_eq!(
            check_pinned(&p, v(24), "DOCKER_API_VERSION").unwrap(),
            v(24)
        );
        assert!(check_pinned(&p, v(56), "DOCKER_API_VERSION").is_err());
        assert!(check_pinned(&p, v(11), "DOCKER_API_VERSION").is_err());
    }
}
