//! Pooled HTTP/1.1 transport over the configured endpoint, with timeouts and a request counter.
//!
//! The pool is hyper's connection-level API driven by hand: every open connection is
//! a [`SendRequest`] in one list; a request takes one that hyper reports idle and open
//! (and, where the socket can be probed, that the peer has not closed), else dials a
//! new one. Nothing ever waits for a pooled connection to come back, so a dead one can
//! never hold a request up. A response saying `Connection: close` (or an HTTP/1.0 one
//! without keep-alive) retires its connection. A request hyper hands back unwritten
//! (its connection closed before it went out) is sent again on another connection,
//! whatever its method; one that may have been written is never sent again, except a
//! `GET`/`HEAD` replay (see [`Transport::execute`]).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hyper::body::Incoming;
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

use crate::connector::{Connector, Probe};
use crate::error::Error;
use crate::host::DockerHost;
use crate::request::{ReqBody, Request};
use crate::version::ApiVersion;

/// How long an idle pooled connection is kept.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(30);

/// How many times a request handed back unwritten is sent again on another connection
/// (each time its connection was found closed; a fresh connection failing that way
/// means the daemon closes at once, and the error is reported).
const MAX_UNWRITTEN_RESENDS: usize = 4;

/// A response head with the connection slot it occupies (released when the body,
/// stream or session built from it is dropped).
pub(crate) type Answer = (http::Response<Incoming>, OwnedSemaphorePermit);

/// One open connection of the pool.
struct Conn {
    id: u64,
    tx: SendRequest<ReqBody>,
    probe: Probe,
    /// When the last request was handed to it.
    used: Instant,
}

impl Conn {
    /// Idle, open, not past the idle timeout, and (where it can be told) not closed by
    /// the peer: a request written on it now will be read.
    fn reusable(&self, now: Instant) -> bool {
        self.tx.is_ready()
            && !self.tx.is_closed()
            && now.saturating_duration_since(self.used) < POOL_IDLE_TIMEOUT
            && self.probe.is_open()
    }
}

/// Times a request finding no idle connection but a busy one yields to let it turn
/// idle, before dialing a new one.
const BUSY_YIELDS: usize = 3;

/// A connection the peer closed sooner than this after its last request means the
/// peer closes connections after (nearly) every response, rather than after an idle
/// timeout.
const CHURN_WINDOW: Duration = Duration::from_secs(1);

#[derive(Default)]
struct Pool {
    conns: Mutex<Vec<Conn>>,
    next_id: AtomicU64,
    /// Whether the peer has answered a request on a reused connection since it last
    /// closed one right after a response. Until it has, a request that must not be
    /// replayed goes on a new connection: a pooled one may be closed by the peer between
    /// the probe and the write, and such a request could not be sent again.
    keeps_alive: AtomicBool,
}

impl Pool {
    /// Takes an idle connection that can be written to, dropping (closing) every
    /// connection found closed or expired on the way.
    fn take(&self) -> Option<Conn> {
        let now = Instant::now();
        let mut conns = self.conns.lock().ok()?;
        self.prune(&mut conns, now);
        // Most recently used first: the likeliest to be still open on the peer's side.
        let mut best: Option<usize> = None;
        let mut i = 0;
        while i < conns.len() {
            let c = &conns[i];
            if c.tx.is_ready() && !c.reusable(now) {
                // Idle but expired or closed by the peer: close it now.
                self.note_closed(c, now);
                conns.swap_remove(i);
                continue;
            }
            if c.tx.is_ready() && best.is_none_or(|b| conns[b].used < c.used) {
                best = Some(i);
            }
            i += 1;
        }
        best.map(|b| conns.swap_remove(b))
    }

    /// Drops the connections hyper found closed.
    fn prune(&self, conns: &mut Vec<Conn>, now: Instant) {
        conns.retain(|c| {
            let closed = c.tx.is_closed();
            if closed {
                self.note_closed(c, now);
            }
            !closed
        });
    }

    /// A connection found closed soon after its last request: the peer churns.
    fn note_closed(&self, c: &Conn, now: Instant) {
        if now.saturating_duration_since(c.used) < CHURN_WINDOW {
            self.keeps_alive.store(false, Ordering::Relaxed);
        }
    }

    /// Whether any connection is open but not idle (perhaps about to be).
    fn any_busy(&self) -> bool {
        self.conns
            .lock()
            .map(|c| c.iter().any(|c| !c.tx.is_ready() && !c.tx.is_closed()))
            .unwrap_or(false)
    }

    /// Keeps `conn` (busy or idle) for later requests, within `max` connections: beyond
    /// it, connections that are not idle are let go (they close once their response ends).
    fn keep(&self, conn: Conn, max: usize) {
        let Ok(mut conns) = self.conns.lock() else {
            return;
        };
        self.prune(&mut conns, Instant::now());
        while conns.len() >= max {
            match conns.iter().position(|c| !c.tx.is_ready()) {
                Some(i) => drop(conns.swap_remove(i)),
                None => {
                    conns.remove(0);
                }
            }
        }
        conns.push(conn);
    }

    /// Closes the idle connections that expired or that the peer closed.
    fn reap(&self) {
        let now = Instant::now();
        if let Ok(mut conns) = self.conns.lock() {
            self.prune(&mut conns, now);
            conns.retain(|c| !c.tx.is_ready() || c.reusable(now));
        }
    }

    /// Lets connection `id` go: it closes when its response ends.
    fn retire(&self, id: u64) {
        if let Ok(mut conns) = self.conns.lock() {
            conns.retain(|c| c.id != id);
        }
    }
}

/// Cheaply clonable transport shared by all clones of a `Client`.
#[derive(Clone)]
pub(crate) struct Transport {
    connector: Connector,
    pool: Arc<Pool>,
    max_connections: usize,
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
        let pool = Arc::new(Pool::default());
        spawn_reaper(&pool);
        Self {
            connector,
            pool,
            max_connections,
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

    /// Requests sent again: handed back unwritten by a closed connection, or replayed
    /// (`GET`/`HEAD`) after a pooled connection closed without answering.
    pub(crate) fn retry_count(&self) -> u64 {
        self.retries.load(Ordering::Relaxed)
    }

    /// Waits for a connection slot, sends one request and waits for the response head,
    /// all before `deadline`. A request hyper hands back unwritten (its pooled connection
    /// was closed) goes out again on another connection, whatever its method. If a
    /// written request fails because the server closed the pooled connection without
    /// answering, `replay` (a copy, for requests safe to replay: `GET`/`HEAD`) is sent
    /// once more, on a new connection; nothing else that may have been written is resent.
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
        self.sent.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut last) = self.last.lock() {
            // Cheap: `PathAndQuery` clones share their buffer.
            *last = req.uri().path_and_query().cloned();
        }
        let req = origin_form(req)?;
        let cautious = replay.is_none();
        let exchange = async {
            match self.send_once(req, context, false, cautious).await {
                Err(Failed::Written {
                    error,
                    reused: true,
                }) if is_stale_connection(&error) && replay.is_some() => {
                    let Some((copy, v)) = replay else {
                        return Err(self.transport_error(error, context));
                    };
                    self.retries.fetch_add(1, Ordering::Relaxed);
                    self.sent.fetch_add(1, Ordering::Relaxed);
                    let again = origin_form(copy.into_http(v, &self.authority, false)?)?;
                    self.send_once(again, context, true, false)
                        .await
                        .map_err(|f| f.into_error(self, context))
                }
                other => other.map_err(|f| f.into_error(self, context)),
            }
        };
        let resp = within(deadline, "waiting for the response", exchange).await?;
        Ok((resp, permit))
    }

    /// Sends `req` on a pooled connection (a new one with `fresh`, or with `cautious`
    /// while the peer has not shown it keeps connections alive), again on another
    /// connection each time hyper hands it back unwritten.
    async fn send_once(
        &self,
        mut req: http::Request<ReqBody>,
        context: &str,
        fresh: bool,
        cautious: bool,
    ) -> Result<http::Response<Incoming>, Failed> {
        let upgrade = req.headers().contains_key(http::header::UPGRADE);
        let mut resends = 0;
        loop {
            let pooled = if fresh || upgrade || resends > 0 {
                None
            } else {
                self.checkout(cautious).await
            };
            let reused = pooled.is_some();
            let mut conn = match pooled {
                Some(c) => c,
                None => self.dial(context).await?,
            };
            conn.used = Instant::now();
            let sent = conn.tx.try_send_request(req);
            let id = conn.id;
            if !upgrade {
                // Busy until its response ends; then idle for the next request.
                self.pool.keep(conn, self.max_connections);
            } else {
                // Never reused; held until the upgrade is done or refused.
                tokio::spawn(async move {
                    let mut conn = conn;
                    let _ = conn.tx.ready().await;
                });
            }
            match sent.await {
                Ok(resp) => {
                    if !upgrade && !keeps_alive(&resp) {
                        self.pool.retire(id);
                    } else if reused {
                        self.pool.keeps_alive.store(true, Ordering::Relaxed);
                    }
                    return Ok(resp);
                }
                Err(mut e) => {
                    self.pool.retire(id);
                    if reused {
                        self.pool.keeps_alive.store(false, Ordering::Relaxed);
                    }
                    match e.take_message() {
                        Some(back) if resends < MAX_UNWRITTEN_RESENDS => {
                            // Provably not written: the connection closed first.
                            self.retries.fetch_add(1, Ordering::Relaxed);
                            resends += 1;
                            req = back;
                        }
                        _ => {
                            return Err(Failed::Written {
                                error: e.into_error(),
                                reused,
                            })
                        }
                    }
                }
            }
        }
    }

    /// An idle pooled connection fit for the request, if any. When none is idle but
    /// some is busy, yields once first: a connection whose response was just read
    /// becomes idle as soon as its task runs. Never waits longer than that.
    async fn checkout(&self, cautious: bool) -> Option<Conn> {
        if cautious && !self.pool.keeps_alive.load(Ordering::Relaxed) {
            return None;
        }
        if let Some(c) = self.pool.take() {
            return Some(c);
        }
        for _ in 0..BUSY_YIELDS {
            if !self.pool.any_busy() {
                return None;
            }
            tokio::task::yield_now().await;
            if let Some(c) = self.pool.take() {
                return Some(c);
            }
        }
        None
    }

    /// Opens a connection and runs its HTTP/1.1 state machine on a task.
    async fn dial(&self, context: &str) -> Result<Conn, Failed> {
        let (stream, probe) = self
            .connector
            .connect_probed()
            .await
            .map_err(Failed::Connect)?;
        let (tx, conn) = hyper::client::conn::http1::Builder::new()
            .handshake::<_, ReqBody>(TokioIo::new(stream))
            .await
            .map_err(|e| {
                Failed::Other(Error::Transport {
                    context: format!("opening a connection for {context}"),
                    source: Box::new(e),
                })
            })?;
        tokio::spawn(async move {
            let _ = conn.with_upgrades().await;
        });
        Ok(Conn {
            id: self.pool.next_id.fetch_add(1, Ordering::Relaxed),
            tx,
            probe,
            used: Instant::now(),
        })
    }

    fn connect_error(&self, io: std::io::Error) -> Error {
        if io.kind() == std::io::ErrorKind::TimedOut {
            if let Some(after) = self.connect_timeout {
                return Error::Timeout {
                    phase: "connecting",
                    after,
                };
            }
        }
        Error::Connect {
            endpoint: self.endpoint.to_string(),
            source: io,
        }
    }

    fn transport_error(&self, e: hyper::Error, context: &str) -> Error {
        Error::Transport {
            context: format!("sending {context}"),
            source: Box::new(e),
        }
    }
}

/// How often idle connections are checked for expiry (so an idle client holds no
/// connection much longer than [`POOL_IDLE_TIMEOUT`]).
const REAP_EVERY: Duration = Duration::from_secs(5);

/// Closes expired idle connections in the background while the pool lives (nothing
/// without a Tokio runtime: then they are closed when the next request looks).
fn spawn_reaper(pool: &Arc<Pool>) {
    let Ok(handle) = tokio::runtime::Handle::try_current() else {
        return;
    };
    let weak = Arc::downgrade(pool);
    handle.spawn(async move {
        let mut tick = tokio::time::interval(REAP_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        tick.tick().await;
        loop {
            tick.tick().await;
            let Some(pool) = weak.upgrade() else {
                return;
            };
            pool.reap();
        }
    });
}

/// Puts the URI in origin form (`/v1.41/…`), as written on an HTTP/1.1 connection,
/// with its authority in the `Host` header.
fn origin_form(mut req: http::Request<ReqBody>) -> Result<http::Request<ReqBody>, Error> {
    if let Some(authority) = req.uri().authority().cloned() {
        if !req.headers().contains_key(http::header::HOST) {
            let host = http::HeaderValue::from_str(authority.as_str())
                .map_err(|e| Error::InvalidRequest(format!("bad host {authority}: {e}")))?;
            req.headers_mut().insert(http::header::HOST, host);
        }
    }
    let path = req
        .uri()
        .path_and_query()
        .cloned()
        .unwrap_or_else(|| http::uri::PathAndQuery::from_static("/"));
    *req.uri_mut() = http::Uri::from(path);
    Ok(req)
}

/// Why one send failed.
enum Failed {
    /// No connection could be opened.
    Connect(std::io::Error),
    /// The request may have been written (on a pooled connection when `reused`).
    Written { error: hyper::Error, reused: bool },
    /// Anything else, already typed.
    Other(Error),
}

impl Failed {
    fn into_error(self, t: &Transport, context: &str) -> Error {
        match self {
            Failed::Connect(io) => t.connect_error(io),
            Failed::Written { error, .. } => t.transport_error(error, context),
            Failed::Other(e) => e,
        }
    }
}

/// Whether the connection a response came on may carry another request: not when the
/// server said `Connection: close`, nor for HTTP/1.0 without `Connection: keep-alive`.
fn keeps_alive(resp: &http::Response<Incoming>) -> bool {
    let has = |token: &str| {
        resp.headers()
            .get_all(http::header::CONNECTION)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|t| t.trim().eq_ignore_ascii_case(token))
    };
    if has("close") {
        return false;
    }
    resp.version() != http::Version::HTTP_10 || has("keep-alive")
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
/// or a reset / broken pipe.
fn is_stale_connection(e: &hyper::Error) -> bool {
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
