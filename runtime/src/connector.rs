//! A tiny tower connector dialing the configured daemon endpoint (unix socket or TCP),
//! whatever the request URI says, with an optional connect timeout.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
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
        self.connects.fetch_add(1, Ordering::Relaxed);
        let dial = async {
            match &*self.host {
                DockerHost::Unix(path) => UnixStream::connect(path).await.map(Stream::Unix),
                DockerHost::Ssh { user, host, port } => {
                    SshStream::spawn(&self.ssh_args, user.as_deref(), host, *port)
                        .map(|s| Stream::Ssh(Box::new(s)))
                }
                DockerHost::Tcp { host, port } => {
                    let s = TcpStream::connect((host.as_str(), *port)).await?;
                    s.set_nodelay(true)?;
                    match &self.tls {
                        None => Ok(Stream::Tcp(s)),
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

/// A connected socket, unix or TCP.
#[derive(Debug)]
pub enum Stream {
    /// Unix domain socket.
    Unix(UnixStream),
    /// TCP socket.
    Tcp(TcpStream),
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
            Stream::Unix(s) => Pin::new(s).poll_read(cx, buf),
            Stream::Tcp(s) => Pin::new(s).poll_read(cx, buf),
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
            Stream::Unix(s) => Pin::new(s).poll_write(cx, buf),
            Stream::Tcp(s) => Pin::new(s).poll_write(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
            Stream::Ssh(s) => Pin::new(&mut s.stdin).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Unix(s) => Pin::new(s).poll_flush(cx),
            Stream::Tcp(s) => Pin::new(s).poll_flush(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
            Stream::Ssh(s) => Pin::new(&mut s.stdin).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Unix(s) => Pin::new(s).poll_shutdown(cx),
            Stream::Tcp(s) => Pin::new(s).poll_shutdown(cx),
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
            Stream::Unix(s) => Pin::new(s).poll_write_vectored(cx, bufs),
            Stream::Tcp(s) => Pin::new(s).poll_write_vectored(cx, bufs),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_write_vectored(cx, bufs),
            Stream::Ssh(s) => Pin::new(&mut s.stdin).poll_write_vectored(cx, bufs),
        }
    }

    fn is_write_vectored(&self) -> bool {
        match self {
            Stream::Unix(s) => s.is_write_vectored(),
            Stream::Tcp(s) => s.is_write_vectored(),
            Stream::Tls(s) => s.is_write_vectored(),
            Stream::Ssh(s) => s.stdin.is_write_vectored(),
        }
    }
}
