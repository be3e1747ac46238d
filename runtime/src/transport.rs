//! Pooled HTTP/1.1 transport over the configured endpoint, with timeouts and a request counter.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hyper::body::Incoming;
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

use crate::connector::Connector;
use crate::error::Error;
use crate::host::DockerHost;
use crate::request::{ReqBody, Request};
use crate::version::ApiVersion;

/// How long an idle pooled connection is kept.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(30);

/// A response head with the connection slot it occupies (released when the body,
/// stream or session built from it is dropped).
pub(crate) type Answer = (http::Response<Incoming>, OwnedSemaphorePermit);

/// Cheaply clonable transport shared by all clones of a `Client`.
#[derive(Clone)]
pub(crate) struct Transport {
    client: HyperClient<Connector, ReqBody>,
    endpoint: Arc<str>,
    authority: Arc<str>,
    connect_timeout: Option<Duration>,
    slots: Arc<Semaphore>,
    sent: Arc<AtomicU64>,
    retries: Arc<AtomicU64>,
    connects: Arc<AtomicU64>,
    last: Arc<Mutex<Option<http::uri::PathAndQuery>>>,
}

impl Transport {
    /// Builds the transport; no connection is opened yet.
    pub(crate) fn new(
        host: &DockerHost,
        connect_timeout: Option<Duration>,
        max_connections: usize,
        tls: Option<crate::tls::TlsConfig>,
        ssh_args: Vec<String>,
    ) -> Self {
        let max_connections = max_connections.max(1);
        let authority: Arc<str> = match host {
            // Any valid authority works over a unix socket; the Docker CLI uses a fixed name too.
            DockerHost::Unix(_) | DockerHost::Ssh { .. } => Arc::from("docker.sock"),
            DockerHost::Tcp { host: h, port } if h.contains(':') => {
                Arc::from(format!("[{h}]:{port}"))
            }
            DockerHost::Tcp { host: h, port } => Arc::from(format!("{h}:{port}")),
        };
        let connector = Connector::new(host.clone(), connect_timeout, tls).with_ssh_args(ssh_args);
        let connects = connector.connect_counter();
        let client = HyperClient::builder(TokioExecutor::new())
            .pool_idle_timeout(POOL_IDLE_TIMEOUT)
            .pool_max_idle_per_host(max_connections)
            .pool_timer(TokioTimer::new())
            .build(connector);
        Self {
            client,
            endpoint: Arc::from(host.to_string()),
            authority,
            connect_timeout,
            slots: Arc::new(Semaphore::new(max_connections)),
            sent: Arc::new(AtomicU64::new(0)),
            retries: Arc::new(AtomicU64::new(0)),
            connects,
            last: Arc::new(Mutex::new(None)),
        }
    }

    /// URI authority to put in requests.
    pub(crate) fn authority(&self) -> &str {
        &self.authority
    }

    /// Number of requests handed to the HTTP stack so far.
    pub(crate) fn request_count(&self) -> u64 {
        self.sent.load(Ordering::Relaxed)
    }

    /// Path and query of the last request handed to the HTTP stack.
    pub(crate) fn last_request(&self) -> Option<String> {
        self.last
            .lock()
            .ok()
            .and_then(|l| l.as_ref().map(|pq| pq.as_str().to_owned()))
    }

    /// Number of connections opened so far (pooled connections are reused).
    pub(crate) fn connection_count(&self) -> u64 {
        self.connects.load(Ordering::Relaxed)
    }

    /// Requests replayed after a pooled connection turned out to be closed.
    pub(crate) fn retry_count(&self) -> u64 {
        self.retries.load(Ordering::Relaxed)
    }

    /// Waits for a connection slot, sends one request and waits for the response head,
    /// all before `deadline`. If the request fails because the server closed the pooled
    /// connection it was written to, `replay` (a copy, for requests safe to replay) is
    /// sent once more, on another connection.
    pub(crate) async fn execute(
        &self,
        req: http::Request<ReqBody>,
        replay: Option<(Request, ApiVersion)>,
        context: &str,
        deadline: Option<(Instant, Duration)>,
    ) -> Result<Answer, Error> {
        let permit = within(deadline, "waiting for a free connection", async {
            Arc::clone(&self.slots)
                .acquire_owned()
                .await
                .map_err(|_| Error::InvalidRequest("connection pool closed".to_owned()))
        })
        .await?;
        let exchange = async {
            match self.send_once(req).await {
                Err(e) if is_stale_connection(&e) && replay.is_some() => {
                    let Some((copy, v)) = replay else {
                        return Err(self.map_error(e, context));
                    };
                    self.retries.fetch_add(1, Ordering::Relaxed);
                    let again = copy.into_http(v, &self.authority, false)?;
                    self.send_once(again)
                        .await
                        .map_err(|e| self.map_error(e, context))
                }
                other => other.map_err(|e| self.map_error(e, context)),
            }
        };
        let resp = within(deadline, "waiting for the response", exchange).await?;
        Ok((resp, permit))
    }

    async fn send_once(
        &self,
        req: http::Request<ReqBody>,
    ) -> Result<http::Response<Incoming>, hyper_util::client::legacy::Error> {
        self.sent.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut last) = self.last.lock() {
            // Cheap: `PathAndQuery` clones share their buffer.
            *last = req.uri().path_and_query().cloned();
        }
        self.client.request(req).await
    }

    fn map_error(&self, e: hyper_util::client::legacy::Error, context: &str) -> Error {
        if e.is_connect() {
            if let Some(io) = find_io_error(&e) {
                if io.kind() == std::io::ErrorKind::TimedOut {
                    if let Some(after) = self.connect_timeout {
                        return Error::Timeout {
                            phase: "connecting",
                            after,
                        };
                    }
                }
                return Error::Connect {
                    endpoint: self.endpoint.to_string(),
                    source: std::io::Error::new(io.kind(), io.to_string()),
                };
            }
        }
        Error::Transport {
            context: format!("sending {context}"),
            source: Box::new(e),
        }
    }
}

fn find_io_error<'a>(e: &'a (dyn std::error::Error + 'static)) -> Option<&'a std::io::Error> {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            return Some(io);
        }
        cur = err.source();
    }
    None
}

/// Runs `fut` before `deadline` (if any), else [`Error::Timeout`] naming `phase`.
async fn within<T>(
    deadline: Option<(Instant, Duration)>,
    phase: &'static str,
    fut: impl std::future::Future<Output = Result<T, Error>>,
) -> Result<T, Error> {
    match deadline {
        None => fut.await,
        Some((at, after)) => tokio::time::timeout_at(at, fut)
            .await
            .map_err(|_| Error::Timeout { phase, after })?,
    }
}

/// Whether a request failed because the pooled connection it went out on was closed by
/// the server (no response head came back): hyper's incomplete message or cancellation,
/// or a reset / broken pipe. A connect error is not one (a fresh connection failed).
fn is_stale_connection(e: &hyper_util::client::legacy::Error) -> bool {
    if e.is_connect() {
        return false;
    }
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if let Some(h) = err.downcast_ref::<hyper::Error>() {
            if h.is_incomplete_message() || h.is_canceled() {
                return true;
            }
        }
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            if matches!(
                io.kind(),
                std::io::ErrorKind::ConnectionReset
                    | std::io::ErrorKind::BrokenPipe
                    | std::io::ErrorKind::ConnectionAborted
            ) {
                return true;
            }
        }
        cur = err.source();
    }
    false
}
