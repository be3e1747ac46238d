//! Pooled HTTP/1.1 transport over the configured endpoint, with timeouts and a request counter.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hyper::body::Incoming;
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::rt::{TokioExecutor, TokioTimer};

use crate::connector::Connector;
use crate::error::Error;
use crate::host::DockerHost;
use crate::request::ReqBody;

/// How long an idle pooled connection is kept.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(30);

/// Cheaply clonable transport shared by all clones of a `Client`.
#[derive(Clone)]
pub(crate) struct Transport {
    client: HyperClient<Connector, ReqBody>,
    endpoint: Arc<str>,
    authority: Arc<str>,
    connect_timeout: Option<Duration>,
    request_timeout: Option<Duration>,
    sent: Arc<AtomicU64>,
    connects: Arc<AtomicU64>,
    last: Arc<Mutex<Option<http::uri::PathAndQuery>>>,
}

impl Transport {
    /// Builds the transport; no connection is opened yet.
    pub(crate) fn new(
        host: &DockerHost,
        connect_timeout: Option<Duration>,
        request_timeout: Option<Duration>,
    ) -> Self {
        let authority: Arc<str> = match host {
            // Any valid authority works over a unix socket; the Docker CLI uses a fixed name too.
            DockerHost::Unix(_) => Arc::from("docker.sock"),
            DockerHost::Tcp { host: h, port } if h.contains(':') => {
                Arc::from(format!("[{h}]:{port}"))
            }
            DockerHost::Tcp { host: h, port } => Arc::from(format!("{h}:{port}")),
        };
        let connector = Connector::new(host.clone(), connect_timeout);
        let connects = connector.connect_counter();
        let client = HyperClient::builder(TokioExecutor::new())
            .pool_idle_timeout(POOL_IDLE_TIMEOUT)
            .pool_timer(TokioTimer::new())
            .build(connector);
        Self {
            client,
            endpoint: Arc::from(host.to_string()),
            authority,
            connect_timeout,
            request_timeout,
            sent: Arc::new(AtomicU64::new(0)),
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

    /// Sends one request and waits for the response head.
    pub(crate) async fn execute(
        &self,
        req: http::Request<ReqBody>,
        context: &str,
    ) -> Result<http::Response<Incoming>, Error> {
        self.sent.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut last) = self.last.lock() {
            // Cheap: `PathAndQuery` clones share their buffer.
            *last = req.uri().path_and_query().cloned();
        }
        let fut = self.client.request(req);
        let result = match self.request_timeout {
            None => fut.await,
            Some(limit) => tokio::time::timeout(limit, fut)
                .await
                .map_err(|_| Error::Timeout {
                    phase: "waiting for the response",
                    after: limit,
                })?,
        };
        result.map_err(|e| self.map_error(e, context))
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
