//! The `Client`: negotiated API version + pooled transport + typed `send*` helpers.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::host::{DockerHost, DEFAULT_DOCKER_HOST};
use crate::limits::{
    Limits, ReadPolicy, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_CONNECTIONS, DEFAULT_REQUEST_TIMEOUT,
};
use crate::negotiate::{daemon_release, negotiate, Negotiated, VersionPolicy};
use crate::request::Request;
use crate::response::{self, Response};
use crate::served::{Gate, ReleaseLine};
use crate::session::{self, ExecStarted, Session};
use crate::streams::{ByteStream, JsonLines, LogMode, LogStream};
use crate::transport::Transport;
use crate::upgrade::Duplex;
use crate::version::ApiVersion;

/// Oldest API version a client accepts unless told otherwise.
pub const DEFAULT_CLIENT_MIN: ApiVersion = ApiVersion::new(1, 0);
/// Newest API version a client speaks unless told otherwise (the generated crate sets its own).
pub const DEFAULT_CLIENT_MAX: ApiVersion = ApiVersion::new(1, 55);

type EnvLookup = Box<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// Docker Engine API client. Cloning is cheap (one `Arc`); clones share the connection pool.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    transport: Transport,
    host: DockerHost,
    negotiated: Negotiated,
    release: Option<(usize, &'static ReleaseLine)>,
    policy: ReadPolicy,
    credentials: crate::registry_auth::CredentialSource,
}

/// Operations (by path template) whose response body legitimately arrives only when an
/// event happens, however long that takes: their body is not held to the request timeout
/// (the headers still are; dockerd sends them at once).
const LONG_POLL_TEMPLATES: &[&str] = &["/containers/{id}/wait"];

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("host", &self.inner.host)
            .field("negotiated", &self.inner.negotiated)
            .finish()
    }
}

impl Client {
    /// Builder with defaults: no env, `unix:///var/run/docker.sock`, versions 1.0–1.55,
    /// connect timeout 30 s, request timeout 120 s, no stream idle timeout, and the size
    /// limits of [`Limits::default`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// Client configured from `DOCKER_HOST` / `DOCKER_API_VERSION`, version negotiated.
    pub async fn from_env() -> Result<Client, Error> {
        Self::builder().from_env().build().await
    }

    /// The API version every request is sent with (`/v{V}/…`).
    pub fn api_version(&self) -> ApiVersion {
        self.inner.negotiated.version
    }

    /// What requests are gated against: the API version in use and, when known,
    /// the daemon's release line (whose server code then decides).
    pub fn gate(&self) -> Gate {
        Gate {
            version: self.inner.negotiated.version,
            release: self.inner.release,
        }
    }

    /// The daemon's release line, when the builder was given a table of release
    /// lines ([`ClientBuilder::served_releases`]) and the daemon's `/version`
    /// names one of them.
    pub fn daemon_release(&self) -> Option<&'static ReleaseLine> {
        self.inner.release.map(|(_, r)| r)
    }

    /// Negotiation details (daemon max/min when they were asked).
    pub fn negotiated(&self) -> Negotiated {
        self.inner.negotiated
    }

    /// The daemon endpoint.
    pub fn host(&self) -> &DockerHost {
        &self.inner.host
    }

    /// Number of HTTP requests actually handed to the transport by this client and its clones
    /// (negotiation included). Lets tests prove that a gate sent nothing.
    pub fn request_count(&self) -> u64 {
        self.inner.transport.request_count()
    }

    /// Path and query (`/v1.41/images/json?filters=…`) of the last request actually sent
    /// by this client and its clones, so tests can check what went over the wire.
    pub fn last_request(&self) -> Option<String> {
        self.inner.transport.last_request()
    }

    /// Number of connections opened so far by this client and its clones; stays low when
    /// the pool reuses keep-alive connections (hijacked connections are never reused).
    pub fn connection_count(&self) -> u64 {
        self.inner.transport.connection_count()
    }

    /// Requests sent again: handed back unwritten because their pooled connection had
    /// closed (any method), or replayed once because the daemon closed the pooled
    /// connection they were written on without answering (only `GET`/`HEAD` with a
    /// complete body).
    pub fn retry_count(&self) -> u64 {
        self.inner.transport.retry_count()
    }

    /// The `X-Registry-Auth` value for `image`'s registry from the Docker CLI
    /// configuration the client was built with (`credHelpers`, `credsStore`, `auths`),
    /// `None` if it has none. Pulls, pushes and service create/update get it
    /// automatically unless the caller set the header.
    pub async fn registry_auth_for(&self, image: &str) -> Result<Option<String>, Error> {
        let source = self.inner.credentials.clone();
        let registry = crate::registry_auth::registry_of(image);
        let found = tokio::task::spawn_blocking(move || source.lookup(&registry))
            .await
            .map_err(|e| Error::Credentials {
                registry: crate::registry_auth::registry_of(image),
                reason: format!("lookup task failed: {e}"),
            })??;
        found.map(|a| a.header_value()).transpose()
    }

    /// Gates, sends and status-checks `req`; returns the unread response.
    /// Non-2xx statuses become [`Error::Api`] with the daemon's message.
    pub async fn send(&self, req: Request) -> Result<Response, Error> {
        self.send_inner(req, false).await
    }

    /// Sends and decodes a JSON response body.
    pub async fn send_json<T: DeserializeOwned>(&self, req: Request) -> Result<T, Error> {
        self.send(req).await?.json().await
    }

    /// Sends and decodes a generated model (or a list or map of them) through
    /// [`GoJson`](crate::serde_helpers::GoJson): a list or map the daemon encodes as
    /// `null` (Go's nil slice or map), at the top or nested, decodes as empty.
    pub async fn send_model<T: crate::serde_helpers::GoJson>(
        &self,
        req: Request,
    ) -> Result<T, Error> {
        let crate::serde_helpers::Go(value) = self.send_json(req).await?;
        Ok(value)
    }

    /// Sends and discards the response body (204 / empty responses).
    pub async fn send_unit(&self, req: Request) -> Result<(), Error> {
        self.send(req).await?.unit().await
    }

    /// Sends and returns the whole response body.
    pub async fn send_bytes(&self, req: Request) -> Result<Bytes, Error> {
        self.send(req).await?.bytes().await
    }

    /// Sends and decodes the `/_ping` headers (the body, `OK`, is discarded).
    pub async fn send_ping(&self, req: Request) -> Result<crate::PingInfo, Error> {
        let resp = self.send(req).await?;
        let info = crate::PingInfo::from_headers(resp.headers())?;
        resp.unit().await?;
        Ok(info)
    }

    /// Sends and decodes the `X-Docker-Container-Path-Stat` header (`HEAD …/archive`).
    pub async fn send_path_stat(&self, req: Request) -> Result<crate::PathStat, Error> {
        let resp = self.send(req).await?;
        let stat = crate::PathStat::from_headers(resp.headers())?;
        resp.unit().await?;
        Ok(stat)
    }

    /// Sends and returns the body as a chunk stream (tar export, image save, …).
    pub async fn send_stream(&self, req: Request) -> Result<ByteStream, Error> {
        Ok(self.send(req).await?.byte_stream())
    }

    /// Sends and returns the body as a stream of JSON values (events, pull/create progress).
    pub async fn send_json_lines<T: DeserializeOwned>(
        &self,
        req: Request,
    ) -> Result<JsonLines<T>, Error> {
        Ok(self.send(req).await?.json_lines())
    }

    /// Sends and returns container output frames (logs, attach without stdin).
    pub async fn send_logs(&self, req: Request, mode: LogMode) -> Result<LogStream, Error> {
        Ok(self.send(req).await?.log_stream(mode))
    }

    /// Sends with `Connection: Upgrade` / `Upgrade: tcp` and returns the hijacked
    /// connection after `101 Switching Protocols` (attach / exec start with stdin).
    pub async fn upgrade(&self, req: Request) -> Result<Duplex, Error> {
        let context = req.context();
        let mut resp = self.send_inner(req, true).await?;
        if resp.status() != 101 {
            let status = resp.status();
            let body = resp.refused_text().await;
            return Err(Error::UpgradeRefused { status, body });
        }
        let slot = resp.take_permit();
        let upgraded =
            hyper::upgrade::on(resp.into_http())
                .await
                .map_err(|e| Error::Transport {
                    context: format!("upgrading the connection of {context}"),
                    source: Box::new(e),
                })?;
        Ok(Duplex::new(upgraded, slot))
    }

    /// Attach: upgrades the connection and returns the [`Session`]; `mode` is usually
    /// `LogMode::Auto` (framing from the response, see [`Session::mode`]). Any answer
    /// but `101` is [`Error::UpgradeRefused`] with the start of its body.
    pub async fn session(&self, req: Request, mode: LogMode) -> Result<Session, Error> {
        match self.hijack(req, mode, false).await? {
            ExecStarted::Attached(s) => Ok(s),
            ExecStarted::Detached => Err(Error::UpgradeRefused {
                status: 200,
                body: String::new(),
            }),
        }
    }

    /// Exec start: asks for an upgrade; a session when the daemon switches protocols.
    /// Only a start sent with `Detach: true` may be answered 2xx without upgrading
    /// ([`ExecStarted::Detached`]: started once and reported as started); any other
    /// answer but `101` is [`Error::UpgradeRefused`] carrying the status and the start of
    /// the body (the command's output a daemon streams instead is not lost silently).
    pub async fn exec_start(&self, req: Request, mode: LogMode) -> Result<ExecStarted, Error> {
        let detach = req.json_body_flag("Detach");
        self.hijack(req, mode, detach).await
    }

    async fn hijack(
        &self,
        req: Request,
        mode: LogMode,
        detach: bool,
    ) -> Result<ExecStarted, Error> {
        let context = req.context();
        let mut resp = self.send_inner(req, true).await?;
        if resp.status() != 101 {
            if detach {
                resp.unit().await?;
                return Ok(ExecStarted::Detached);
            }
            let status = resp.status();
            let body = resp.refused_text().await;
            return Err(Error::UpgradeRefused { status, body });
        }
        let slot = resp.take_permit();
        let content_type = resp
            .headers()
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let upgraded =
            hyper::upgrade::on(resp.into_http())
                .await
                .map_err(|e| Error::Transport {
                    context: format!("upgrading the connection of {context}"),
                    source: Box::new(e),
                })?;
        Ok(ExecStarted::Attached(session::session(
            Duplex::new(upgraded, slot),
            mode,
            content_type,
            self.api_version(),
            self.inner.policy,
        )))
    }

    async fn send_inner(&self, mut req: Request, upgrade: bool) -> Result<Response, Error> {
        let v = self.api_version();
        req.check_gates(self.gate())?;
        if !req.has_header("X-Registry-Auth") {
            if let Some(image) = req.registry_image() {
                if let Some(value) = self.registry_auth_for(&image).await? {
                    req = req.header("X-Registry-Auth", value);
                }
            }
        }
        let context = req.context();
        let long_poll = LONG_POLL_TEMPLATES.contains(&req.template());
        let transport = &self.inner.transport;
        let policy = self.inner.policy;
        let replay = if upgrade {
            None
        } else {
            req.replay_copy().map(|copy| (copy, v))
        };
        let http_req = req.into_http(v, transport.authority(), upgrade)?;
        let deadline = policy
            .request_timeout
            .map(|t| (tokio::time::Instant::now() + t, t));
        let raw = transport
            .execute(http_req, replay, context, deadline)
            .await?;
        let body_deadline = if long_poll { None } else { deadline };
        response::check(raw, context, body_deadline, policy).await
    }
}

/// Configures a [`Client`]. Explicit settings win over environment variables.
#[derive(Default)]
pub struct ClientBuilder {
    host: Option<String>,
    pinned: Option<ApiVersion>,
    client_range: Option<(ApiVersion, ApiVersion)>,
    connect_timeout: Option<Option<Duration>>,
    request_timeout: Option<Option<Duration>>,
    stream_idle_timeout: Option<Duration>,
    limits: Limits,
    max_connections: Option<usize>,
    tls_dir: Option<std::path::PathBuf>,
    ssh_args: Vec<String>,
    env: Option<EnvLookup>,
    releases: Option<&'static [ReleaseLine]>,
}

impl ClientBuilder {
    /// Reads `DOCKER_HOST`, `DOCKER_API_VERSION`, `DOCKER_TLS_VERIFY` and
    /// `DOCKER_CERT_PATH` (and `HOME`) from the process environment.
    pub fn from_env(self) -> Self {
        self.env_lookup(|k| std::env::var(k).ok())
    }

    /// Reads the same variables through `lookup` (for tests / embedding).
    pub fn env_lookup<F>(mut self, lookup: F) -> Self
    where
        F: Fn(&str) -> Option<String> + Send + Sync + 'static,
    {
        self.env = Some(Box::new(lookup));
        self
    }

    /// Daemon address (`unix:///path` or `tcp://host:port`), parsed at `build`.
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.host = Some(host.into());
        self
    }

    /// Pins the API version (no negotiation), like `DOCKER_API_VERSION`.
    pub fn api_version(mut self, v: ApiVersion) -> Self {
        self.pinned = Some(v);
        self
    }

    /// Versions the client knows (the generated table's oldest and newest).
    pub fn client_versions(mut self, min: ApiVersion, max: ApiVersion) -> Self {
        self.client_range = Some((min, max));
        self
    }

    /// Limit for establishing a connection (default 30 s; `None`: unlimited).
    pub fn connect_timeout(mut self, t: impl Into<Option<Duration>>) -> Self {
        self.connect_timeout = Some(t.into());
        self
    }

    /// Limit until response headers arrive, and for reading a buffered body (default
    /// 120 s; `None`: unlimited). Streams (logs, events, exports) are not held to it after
    /// their headers (see [`stream_idle_timeout`](Self::stream_idle_timeout)), nor is the
    /// body of `ContainerWait`, which arrives when the container exits: both are
    /// unbounded by default. Over TCP and TLS, keep-alive probes
    /// ([`TCP_KEEPALIVE_IDLE`](crate::limits::TCP_KEEPALIVE_IDLE) and the next constants,
    /// about 70 s in all) still end them when the daemon's host vanishes without closing.
    pub fn request_timeout(mut self, t: impl Into<Option<Duration>>) -> Self {
        self.request_timeout = Some(t.into());
        self
    }

    /// Longest silence allowed between two chunks of a streamed body (default: none,
    /// since `events`, `logs --follow` and `stats` are legitimately silent for hours).
    /// Without it a follow stream ends only when the daemon closes it, or, over TCP and
    /// TLS, when keep-alive probes go unanswered (a vanished peer, about 70 s; see
    /// [`TCP_KEEPALIVE_IDLE`](crate::limits::TCP_KEEPALIVE_IDLE)).
    pub fn stream_idle_timeout(mut self, t: impl Into<Option<Duration>>) -> Self {
        self.stream_idle_timeout = t.into();
        self
    }

    /// Talks TLS to a `tcp://` host with `ca.pem`, `cert.pem` and `key.pem` from `dir`
    /// (what `DOCKER_TLS_VERIFY=1` + `DOCKER_CERT_PATH=dir` select from the environment).
    pub fn tls_dir(mut self, dir: impl Into<std::path::PathBuf>) -> Self {
        self.tls_dir = Some(dir.into());
        self
    }

    /// Extra `ssh` arguments for `ssh://` hosts, placed before the destination
    /// (e.g. `["-F", "/path/ssh_config"]`); by default `ssh` reads `~/.ssh/config`.
    pub fn ssh_args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.ssh_args = args.into_iter().map(Into::into).collect();
        self
    }

    /// Most connections open at once (default 128). A call beyond it waits, within its
    /// request timeout, for a response body, stream or session to finish. Idle pooled
    /// connections are closed after 30 s; a request never waits for a pooled one (when
    /// none is idle, it opens a new one within the cap).
    pub fn max_connections(mut self, n: usize) -> Self {
        self.max_connections = Some(n);
        self
    }

    /// Largest buffered response body in bytes (default 64 MiB).
    pub fn max_body(mut self, bytes: usize) -> Self {
        self.limits.max_body = bytes;
        self
    }

    /// Largest multiplexed stdout/stderr frame in bytes (default 16 MiB).
    pub fn max_frame(mut self, bytes: usize) -> Self {
        self.limits.max_frame = bytes;
        self
    }

    /// The release lines whose server code the gates know (the generated
    /// crate's table): `build` then asks the daemon's `GET /version` once, also
    /// when the version is pinned, and gates on what that release's code serves
    /// at the version in use. Without it, or for a release not in the table, the
    /// documents decide.
    pub fn served_releases(mut self, releases: &'static [ReleaseLine]) -> Self {
        self.releases = Some(releases);
        self
    }

    /// Gates on the documents alone: no `GET /version` to learn the release.
    pub fn gate_on_documents(mut self) -> Self {
        self.releases = None;
        self
    }

    /// Largest single value of a JSON message stream in bytes (default 16 MiB).
    pub fn max_json_line(mut self, bytes: usize) -> Self {
        self.limits.max_json_line = bytes;
        self
    }

    /// Resolves settings, negotiates the API version (pinned: no I/O) and returns the client.
    pub async fn build(self) -> Result<Client, Error> {
        let env = |k: &str| {
            self.env
                .as_ref()
                .and_then(|f| f(k))
                .filter(|v| !v.trim().is_empty())
        };
        // As the Docker CLI: an explicit host, else DOCKER_HOST, else the selected context
        // (DOCKER_CONTEXT, else currentContext of config.json), else the default socket.
        // DOCKER_TLS_VERIFY (any non-empty value) turns TLS on with the files of
        // DOCKER_CERT_PATH, else ~/.docker; a context brings its own TLS files.
        let lookup = |k: &str| env(k);
        let context = if self.host.is_some() {
            None
        } else {
            crate::context::current_endpoint(&lookup)?
        };
        let env_tls = || {
            env("DOCKER_TLS_VERIFY")?;
            env("DOCKER_CERT_PATH")
                .map(std::path::PathBuf::from)
                .or_else(|| env("HOME").map(|h| std::path::Path::new(&h).join(".docker")))
        };
        let tls_dir = self
            .tls_dir
            .clone()
            .or_else(env_tls)
            .or_else(|| context.as_ref().and_then(|c| c.tls_dir.clone()));
        if tls_dir.is_none() && env("DOCKER_TLS_VERIFY").is_some() {
            return Err(Error::InvalidDockerHost {
                value: env("DOCKER_HOST").unwrap_or_default(),
                reason: "DOCKER_TLS_VERIFY is set but neither DOCKER_CERT_PATH nor HOME is"
                    .to_owned(),
            });
        }
        let host_str = self
            .host
            .clone()
            .or_else(|| env("DOCKER_HOST"))
            .or_else(|| context.as_ref().map(|c| c.host.clone()))
            .unwrap_or_else(|| DEFAULT_DOCKER_HOST.to_owned());
        let host = DockerHost::parse(&host_str)?;
        let tls = match (&tls_dir, &host) {
            (None, _) => None,
            (Some(dir), DockerHost::Tcp { .. }) => Some(crate::tls::TlsConfig::from_dir(dir)?),
            (Some(_), DockerHost::Unix(_) | DockerHost::Ssh { .. }) => {
                return Err(Error::InvalidDockerHost {
                    value: host_str,
                    reason: "TLS is configured but the host is not tcp://".to_owned(),
                })
            }
        };
        let pinned = match (self.pinned, env("DOCKER_API_VERSION")) {
            (Some(v), _) => Some((v, "the builder's pinned version")),
            (None, Some(s)) => Some((
                s.parse().map_err(|source| Error::InvalidApiVersion {
                    origin: "DOCKER_API_VERSION",
                    source,
                })?,
                "DOCKER_API_VERSION",
            )),
            (None, None) => None,
        };
        let (client_min, client_max) = self
            .client_range
            .unwrap_or((DEFAULT_CLIENT_MIN, DEFAULT_CLIENT_MAX));
        let policy = VersionPolicy {
            client_min,
            client_max,
            pinned,
        };
        let connect_timeout = self
            .connect_timeout
            .unwrap_or(Some(DEFAULT_CONNECT_TIMEOUT));
        let request_timeout = self
            .request_timeout
            .unwrap_or(Some(DEFAULT_REQUEST_TIMEOUT));
        let read_policy = ReadPolicy {
            request_timeout,
            stream_idle_timeout: self.stream_idle_timeout,
            limits: self.limits,
        };
        let credentials = crate::registry_auth::CredentialSource {
            config_dir: crate::context::config_dir(&lookup),
            path: env("PATH"),
        };
        let max_connections = self.max_connections.unwrap_or(DEFAULT_MAX_CONNECTIONS);
        let transport = Transport::new(
            &host,
            connect_timeout,
            max_connections,
            tls,
            self.ssh_args.clone(),
        );
        let negotiated = negotiate(&transport, &policy, read_policy).await?;
        let release = match self.releases {
            Some(table) if !table.is_empty() => {
                daemon_release(&transport, &policy, read_policy, table).await
            }
            _ => None,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                transport,
                host,
                negotiated,
                release,
                policy: read_policy,
                credentials,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(
        pairs: &'static [(&'static str, &'static str)],
    ) -> impl Fn(&str) -> Option<String> + Send + Sync {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[tokio::test]
    async fn pinned_env_version_needs_no_io_and_is_range_checked() {
        let c = Client::builder()
            .env_lookup(env(&[
                ("DOCKER_HOST", "unix:///nonexistent/dmx.sock"),
                ("DOCKER_API_VERSION", "1.24"),
            ]))
            .build()
            .await
            .unwrap();
        assert_eq!(c.api_version(), ApiVersion::new(1, 24));
        assert_eq!(c.request_count(), 0);
        assert_eq!(c.host(), &DockerHost::Unix("/nonexistent/dmx.sock".into()));

        let err = Client::builder()
            .env_lookup(env(&[
                ("DOCKER_HOST", "unix:///nonexistent/dmx.sock"),
                ("DOCKER_API_VERSION", "1.99"),
            ]))
            .build()
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                Error::VersionOutOfRange {
                    origin: "DOCKER_API_VERSION",
                    ..
                }
            ),
            "{err:?}"
        );

        let err = Client::builder()
            .env_lookup(env(&[
                ("DOCKER_HOST", "unix:///nonexistent/dmx.sock"),
                ("DOCKER_API_VERSION", "latest"),
            ]))
            .build()
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                Error::InvalidApiVersion {
                    origin: "DOCKER_API_VERSION",
                    ..
                }
            ),
            "{err:?}"
        );
    }

    #[tokio::test]
    async fn timeouts_and_limits_default_to_bounded_values_and_can_be_lifted() {
        let host = "unix:///nonexistent/dmx.sock";
        let c = Client::builder()
            .host(host)
            .api_version(ApiVersion::new(1, 41));
        let c = c.build().await.unwrap();
        assert_eq!(
            c.inner.policy,
            ReadPolicy {
                request_timeout: Some(DEFAULT_REQUEST_TIMEOUT),
                stream_idle_timeout: None,
                limits: Limits::default(),
            }
        );
        assert_eq!(DEFAULT_REQUEST_TIMEOUT, Duration::from_secs(120));
        let c = Client::builder()
            .host(host)
            .api_version(ApiVersion::new(1, 41))
            .request_timeout(None)
            .stream_idle_timeout(Duration::from_secs(5))
            .max_body(1)
            .max_frame(2)
            .max_json_line(3)
            .build()
            .await
            .unwrap();
        assert_eq!(
            c.inner.policy,
            ReadPolicy {
                request_timeout: None,
                stream_idle_timeout: Some(Duration::from_secs(5)),
                limits: Limits {
                    max_body: 1,
                    max_frame: 2,
                    max_json_line: 3
                },
            }
        );
    }

    #[tokio::test]
    async fn bad_host_and_tls_are_rejected() {
        let err = Client::builder()
            .env_lookup(env(&[("DOCKER_HOST", "ssh://me@box/var/run/docker.sock")]))
            .build()
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidDockerHost { .. }), "{err:?}");
        // TLS on: the certificate directory must hold the PEM files, named in the error.
        let err = Client::builder()
            .env_lookup(env(&[
                ("DOCKER_HOST", "tcp://h:2376"),
                ("DOCKER_TLS_VERIFY", "1"),
                ("DOCKER_CERT_PATH", "/nonexistent/dmx-certs"),
            ]))
            .build()
            .await
            .unwrap_err();
        match err {
            Error::Tls { path, .. } => {
                assert_eq!(path, std::path::Path::new("/nonexistent/dmx-certs/ca.pem"))
            }
            other => panic!("unexpected {other:?}"),
        }
        let err = Client::builder()
            .env_lookup(env(&[
                ("DOCKER_HOST", "unix:///x.sock"),
                ("DOCKER_TLS_VERIFY", "1"),
                ("DOCKER_CERT_PATH", "/nonexistent/dmx-certs"),
            ]))
            .build()
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidDockerHost { .. }), "{err:?}");
    }

    #[tokio::test]
    async fn unreachable_socket_is_a_connect_error() {
        let err = Client::builder()
            .host("unix:///nonexistent/dmx.sock")
            .connect_timeout(Duration::from_secs(2))
            .build()
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::Connect { ref endpoint, .. } if endpoint == "unix:///nonexistent/dmx.sock"),
            "{err:?}"
        );
    }
}
