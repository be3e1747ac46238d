//! A tiny tower connector dialing the configured daemon endpoint (unix socket or TCP),
//! whatever the request URI says, with an optional connect timeout.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::task::{ready, Context, Poll};
use std::time::Duration;

use hyper::Uri;
use hyper_util::client::legacy::connect::{Connected, Connection};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpStream, UnixStream};

use crate::host::DockerHost;
use crate::tls::TlsConfig;

/// Connector for hyper-util's pooled client; every connection goes to the same endpoint.
#[derive(Debug, Clone)]
pub struct Connector {
    host: Arc<DockerHost>,
    connect_timeout: Option<Duration>,
    tls: Option<TlsConfig>,
    ssh_args: Arc<[String]>,
    connects: Arc<AtomicU64>,
}

impl Connector {
    /// Creates a connector for `host`; with `tls`, TCP connections are wrapped in TLS.
    pub fn new(
        host: DockerHost,
        connect_timeout: Option<Duration>,
        tls: Option<TlsConfig>,
    ) -> Self {
        Self {
            host: Arc::new(host),
            connect_timeout,
            tls,
            ssh_args: Arc::from(Vec::new()),
            connects: Arc::new(AtomicU64::new(0)),
        }
    }

    /// Extra arguments for `ssh` (before the destination).
    pub fn with_ssh_args(mut self, args: Vec<String>) -> Self {
        self.ssh_args = Arc::from(args);
        self
    }

    /// Shared counter of connections opened so far (to observe pooling).
    pub fn connect_counter(&self) -> Arc<AtomicU64> {
        Arc::clone(&self.connects)
    }

    /// Opens one raw connection.
    pub async fn connect(&self) -> io::Result<Stream> {
        self.connect_probed().await.map(|(s, _)| s)
    }

    /// Opens one raw connection, with a [`Probe`] telling later whether the peer closed it.
    pub async fn connect_probed(&self) -> io::Result<(Stream, Probe)> {
        let s = self.dial().await?;
        let probe = match &s {
            Stream::Unix(u) => Probe::Unix(Arc::downgrade(u)),
            Stream::Tcp(t) => Probe::Tcp(Arc::downgrade(t)),
            Stream::Tls(_) | Stream::Ssh(_) => Probe::None,
        };
        Ok((s, probe))
    }

    async fn dial(&self) -> io::Result<Stream> {
        self.connects.fetch_add(1, Ordering::Relaxed);
        let dial = async {
            match &*self.host {
                DockerHost::Unix(path) => UnixStream::connect(path)
                    .await
                    .map(|u| Stream::Unix(Arc::new(u))),
                DockerHost::Ssh { user, host, port } => {
                    SshStream::spawn(&self.ssh_args, user.as_deref(), host, *port)
                        .map(|s| Stream::Ssh(Box::new(s)))
                }
                DockerHost::Tcp { host, port } => {
                    let s = TcpStream::connect((host.as_str(), *port)).await?;
                    s.set_nodelay(true)?;
                    set_keepalive(&s)?;
                    match &self.tls {
                        None => Ok(Stream::Tcp(Arc::new(s))),
                        Some(tls) => {
                            let name = rustls_pki_types::ServerName::try_from(host.clone())
                                .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
                            let connector =
                                tokio_rustls::TlsConnector::from(Arc::clone(&tls.config));
                            let tls_stream = connector.connect(name, s).await?;
                            Ok(Stream::Tls(Box::new(tls_stream)))
                        }
                    }
                }
            }
        };
        match self.connect_timeout {
            None => dial.await,
            Some(limit) => tokio::time::timeout(limit, dial).await.map_err(|_| {
                io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!("connect timed out after {limit:?}"),
                )
            })?,
        }
    }
}

impl tower_service::Service<Uri> for Connector {
    type Response = TokioIo<Stream>;
    type Error = io::Error;
    type Future = Pin<Box<dyn Future<Output = io::Result<TokioIo<Stream>>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, _uri: Uri) -> Self::Future {
        let this = self.clone();
        Box::pin(async move { this.connect().await.map(TokioIo::new) })
    }
}

/// Turns TCP keep-alive on: probes after [`TCP_KEEPALIVE_IDLE`](crate::limits::TCP_KEEPALIVE_IDLE)
/// of silence, every [`TCP_KEEPALIVE_INTERVAL`](crate::limits::TCP_KEEPALIVE_INTERVAL),
/// [`TCP_KEEPALIVE_RETRIES`](crate::limits::TCP_KEEPALIVE_RETRIES) times, so a connection
/// whose peer vanished (host down, network cut) fails its reads instead of waiting forever.
fn set_keepalive(s: &TcpStream) -> io::Result<()> {
    use crate::limits::{TCP_KEEPALIVE_IDLE, TCP_KEEPALIVE_INTERVAL, TCP_KEEPALIVE_RETRIES};
    let params = socket2::TcpKeepalive::new()
        .with_time(TCP_KEEPALIVE_IDLE)
        .with_interval(TCP_KEEPALIVE_INTERVAL)
        .with_retries(TCP_KEEPALIVE_RETRIES);
    socket2::SockRef::from(s).set_tcp_keepalive(&params)
}

/// Tells, without reading anything, whether the peer of a pooled connection has closed
/// it (or it was dropped): a non-blocking `MSG_PEEK` on the socket itself, which sees an
/// end of stream that the runtime has not been told of yet. TLS and ssh connections
/// cannot be peeked (the bytes there belong to the TLS layer or ssh) and count as open;
/// hyper's own view of them still applies.
#[derive(Debug, Clone)]
pub enum Probe {
    /// A unix socket, while the connection holds it.
    Unix(Weak<UnixStream>),
    /// A TCP socket, while the connection holds it.
    Tcp(Weak<TcpStream>),
    /// Not probeable.
    None,
}

impl Probe {
    /// `false` when the peer closed or reset the connection, it sent bytes nobody asked
    /// for (an idle HTTP/1.1 connection carrying data cannot take a request), or the
    /// connection is gone; `true` otherwise.
    pub fn is_open(&self) -> bool {
        let verdict = |sock: socket2::SockRef<'_>| {
            let mut byte = [std::mem::MaybeUninit::<u8>::uninit(); 1];
            match sock.peek(&mut byte) {
                Err(e) => matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted
                ),
                Ok(_) => false,
            }
        };
        match self {
            Probe::Unix(w) => w
                .upgrade()
                .is_some_and(|u| verdict(socket2::SockRef::from(&*u))),
            Probe::Tcp(w) => w
                .upgrade()
                .is_some_and(|t| verdict(socket2::SockRef::from(&*t))),
            Probe::None => true,
        }
    }
}

/// What a socket shared with its [`Probe`] offers: readiness and non-blocking I/O by `&self`.
trait SharedSocket {
    fn poll_read_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<()>>;
    fn try_read(&self, buf: &mut [u8]) -> io::Result<usize>;
    fn poll_write_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<()>>;
}

macro_rules! shared_socket {
    ($t:ty) => {
        impl SharedSocket for $t {
            fn poll_read_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
                <$t>::poll_read_ready(self, cx)
            }
            fn try_read(&self, buf: &mut [u8]) -> io::Result<usize> {
                <$t>::try_read(self, buf)
            }
            fn poll_write_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
                <$t>::poll_write_ready(self, cx)
            }
        }
    };
}
shared_socket!(TcpStream);
shared_socket!(UnixStream);

/// Largest part of a read buffer initialized for one read.
const READ_CHUNK: usize = 64 << 10;

fn shared_read<S: SharedSocket>(
    s: &S,
    cx: &mut Context<'_>,
    buf: &mut ReadBuf<'_>,
) -> Poll<io::Result<()>> {
    loop {
        ready!(s.poll_read_ready(cx))?;
        let want = buf.remaining().min(READ_CHUNK);
        match s.try_read(buf.initialize_unfilled_to(want)) {
            Ok(n) => {
                buf.advance(n);
                return Poll::Ready(Ok(()));
            }
            // `try_read` cleared the readiness: wait for the next.
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
            Err(e) => return Poll::Ready(Err(e)),
        }
    }
}

fn shared_write<S: SharedSocket>(
    s: &S,
    cx: &mut Context<'_>,
    write: impl Fn(&S) -> io::Result<usize>,
) -> Poll<io::Result<usize>> {
    loop {
        ready!(s.poll_write_ready(cx))?;
        match write(s) {
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
            other => return Poll::Ready(other),
        }
    }
}

fn shutdown_write<S: std::os::fd::AsFd>(s: &S) -> Poll<io::Result<()>> {
    match socket2::SockRef::from(s).shutdown(std::net::Shutdown::Write) {
        Err(e) if e.kind() == io::ErrorKind::NotConnected => Poll::Ready(Ok(())),
        other => Poll::Ready(other),
    }
}

/// A connected socket, unix or TCP.
#[derive(Debug)]
pub enum Stream {
    /// Unix domain socket (shared with the connection's [`Probe`]).
    Unix(Arc<UnixStream>),
    /// TCP socket (shared with the connection's [`Probe`]).
    Tcp(Arc<TcpStream>),
    /// TLS over TCP.
    Tls(Box<tokio_rustls::client::TlsStream<TcpStream>>),
    /// The stdio of `ssh … docker system dial-stdio`.
    Ssh(Box<SshStream>),
}

/// The daemon's API over the standard input and output of
/// `ssh [args] [-l user] [-p port] -- host docker system dial-stdio`, as the Docker CLI
/// connects to `ssh://` hosts. The process is killed when the stream is dropped.
/// What ssh writes on stderr (its first [`SSH_STDERR_LIMIT`] bytes) becomes the
/// error of a read that finds the connection ended, so the caller learns why
/// (`ssh: connect to host … Connection refused`, a host key or login failure).
#[derive(Debug)]
pub struct SshStream {
    _child: tokio::process::Child,
    stdin: tokio::process::ChildStdin,
    stdout: tokio::process::ChildStdout,
    stderr: Option<tokio::sync::oneshot::Receiver<String>>,
}

/// The most of ssh's stderr kept for an error message.
pub const SSH_STDERR_LIMIT: usize = 4096;

/// Reads ssh's stderr to its end, keeping the first [`SSH_STDERR_LIMIT`] bytes.
async fn collect_stderr(mut stderr: tokio::process::ChildStderr) -> String {
    use tokio::io::AsyncReadExt;
    let mut kept = Vec::new();
    let mut chunk = [0u8; 1024];
    loop {
        match stderr.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                let room = SSH_STDERR_LIMIT.saturating_sub(kept.len());
                kept.extend_from_slice(&chunk[..n.min(room)]);
            }
        }
    }
    String::from_utf8_lossy(&kept).trim().to_string()
}

impl SshStream {
    fn spawn(
        args: &[String],
        user: Option<&str>,
        host: &str,
        port: Option<u16>,
    ) -> io::Result<SshStream> {
        let mut cmd = tokio::process::Command::new("ssh");
        cmd.args(args).args(["-o", "ConnectTimeout=30", "-T"]);
        if let Some(u) = user {
            cmd.arg("-l").arg(u);
        }
        if let Some(p) = port {
            cmd.arg("-p").arg(p.to_string());
        }
        cmd.arg("--")
            .arg(host)
            .args(["docker", "system", "dial-stdio"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .kill_on_drop(true);
        let mut child = cmd
            .spawn()
            .map_err(|e| io::Error::new(e.kind(), format!("cannot run ssh for {host}: {e}")))?;
        let (Some(stdin), Some(stdout), Some(stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            return Err(io::Error::other("ssh started without piped stdio"));
        };
        let (tx, rx) = tokio::sync::oneshot::channel();
        tokio::spawn(async move {
            let _ = tx.send(collect_stderr(stderr).await);
        });
        Ok(SshStream {
            _child: child,
            stdin,
            stdout,
            stderr: Some(rx),
        })
    }

    /// Reads the daemon's bytes; at the end of them, waits for ssh's stderr and
    /// turns what it said into the error.
    fn poll_read_stdout(
        &mut self,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        match Pin::new(&mut self.stdout).poll_read(cx, buf) {
            Poll::Ready(Ok(())) if buf.filled().len() == before && buf.remaining() > 0 => {}
            other => return other,
        }
        let Some(rx) = self.stderr.as_mut() else {
            return Poll::Ready(Ok(()));
        };
        let said = match Pin::new(rx).poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(said) => said.unwrap_or_default(),
        };
        self.stderr = None;
        if said.is_empty() {
            Poll::Ready(Ok(()))
        } else {
            Poll::Ready(Err(io::Error::new(
                io::ErrorKind::ConnectionAborted,
                format!("ssh: {said}"),
            )))
        }
    }
}

impl Connection for Stream {
    fn connected(&self) -> Connected {
        Connected::new()
    }
}

impl AsyncRead for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Unix(s) => shared_read(&**s, cx, buf),
            Stream::Tcp(s) => shared_read(&**s, cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
            Stream::Ssh(s) => s.poll_read_stdout(cx, buf),
        }
    }
}

impl AsyncWrite for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Stream::Unix(s) => shared_write(&**s, cx, |s| s.try_write(buf)),
            Stream::Tcp(s) => shared_write(&**s, cx, |s| s.try_write(buf)),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
            Stream::Ssh(s) => Pin::new(&mut s.stdin).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Unix(_) | Stream::Tcp(_) => Poll::Ready(Ok(())),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
            Stream::Ssh(s) => Pin::new(&mut s.stdin).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Unix(s) => shutdown_write(&**s),
            Stream::Tcp(s) => shutdown_write(&**s),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
            Stream::Ssh(s) => Pin::new(&mut s.stdin).poll_shutdown(cx),
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Stream::Unix(s) => shared_write(&**s, cx, |s| s.try_write_vectored(bufs)),
            Stream::Tcp(s) => shared_write(&**s, cx, |s| s.try_write_vectored(bufs)),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_write_vectored(cx, bufs),
            Stream::Ssh(s) => Pin::new(&mut s.stdin).poll_write_vectored(cx, bufs),
        }
    }

    fn is_write_vectored(&self) -> bool {
        match self {
            Stream::Unix(_) | Stream::Tcp(_) => true,
            Stream::Tls(s) => s.is_write_vectored(),
            Stream::Ssh(s) => s.stdin.is_write_vectored(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn tcp_connections_keep_alive_and_their_probe_sees_the_peer_close() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let host = DockerHost::Tcp {
            host: "127.0.0.1".to_owned(),
            port,
        };
        let connector = Connector::new(host, None, None);
        let (stream, probe) = connector.connect_probed().await.unwrap();
        let (peer, _) = listener.accept().await.unwrap();
        let Stream::Tcp(tcp) = &stream else {
            panic!("not TCP: {stream:?}");
        };
        let sock = socket2::SockRef::from(&**tcp);
        assert!(sock.keepalive().unwrap());
        assert_eq!(
            sock.tcp_keepalive_time().unwrap(),
            crate::limits::TCP_KEEPALIVE_IDLE
        );
        assert_eq!(
            sock.tcp_keepalive_interval().unwrap(),
            crate::limits::TCP_KEEPALIVE_INTERVAL
        );
        assert_eq!(
            sock.tcp_keepalive_retries().unwrap(),
            crate::limits::TCP_KEEPALIVE_RETRIES
        );
        assert!(probe.is_open(), "an idle, open connection");
        drop(peer);
        // The peer's FIN reaches the socket at once on loopback; the probe sees it
        // without anything having read the socket.
        let mut closed = false;
        for _ in 0..200 {
            if !probe.is_open() {
                closed = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        assert!(closed, "the probe never saw the peer close");
        drop(stream);
        assert!(!probe.is_open(), "a dropped connection is not open");
    }
}
