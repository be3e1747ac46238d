//! The listeners: bind each, accept on all of them until SIGINT or SIGTERM,
//! and hand every connection, with who is on the other end, to its proxy.

use std::path::PathBuf;
use std::sync::Arc;

use tokio::net::{TcpListener, UnixListener};
use tokio::signal::unix::{signal, SignalKind};
use tokio::task::JoinSet;

use super::address::Address;
use super::forward::{serve_connection, Proxy};
use super::log::{self, LogFormat};
use super::ProxyError;

/// Who is connected: a unix socket's peer process (pid and uid, from the
/// kernel's `SO_PEERCRED`) or a TCP peer's address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Peer {
    /// A process on a unix socket.
    Process {
        /// Its pid, where the kernel tells it.
        pid: Option<i32>,
        /// Its user id.
        uid: u32,
    },
    /// A TCP peer.
    Tcp(std::net::SocketAddr),
    /// Unknown (the credentials could not be read).
    Unknown,
}

impl std::fmt::Display for Peer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Process {
                pid: Some(pid),
                uid,
            } => write!(f, "pid={pid} uid={uid}"),
            Self::Process { pid: None, uid } => write!(f, "uid={uid}"),
            Self::Tcp(addr) => write!(f, "peer={addr}"),
            Self::Unknown => write!(f, "peer=unknown"),
        }
    }
}

enum Listener {
    Unix(UnixListener, PathBuf),
    Tcp(TcpListener),
}

/// Serves every `(address, proxy)` until SIGINT or SIGTERM.
pub async fn serve(
    proxies: Vec<(Address, Arc<Proxy>)>,
    format: LogFormat,
) -> Result<(), ProxyError> {
    let mut interrupt = signal(SignalKind::interrupt()).map_err(ProxyError::Runtime)?;
    let mut terminate = signal(SignalKind::terminate()).map_err(ProxyError::Runtime)?;
    let mut bound = Vec::new();
    for (address, proxy) in proxies {
        bound.push((bind(&address)?, address, proxy));
    }
    let mut loops = JoinSet::new();
    let mut sockets = Vec::new();
    for (listener, address, proxy) in bound {
        started(format, &address, &proxy);
        if let Listener::Unix(_, path) = &listener {
            sockets.push(path.clone());
        }
        loops.spawn(accept_loop(listener, proxy, format));
    }
    tokio::select! {
        _ = interrupt.recv() => {}
        _ = terminate.recv() => {}
    }
    loops.abort_all();
    for path in sockets {
        let _ = std::fs::remove_file(path);
    }
    Ok(())
}

fn started(format: LogFormat, address: &Address, proxy: &Proxy) {
    let text = format!(
        "dockmatrix proxy: listening on {address}, forwarding to {}",
        proxy.upstream
    );
    match format {
        LogFormat::Text => eprintln!("{text}"),
        LogFormat::Json => eprintln!("{}", serde_json::json!({ "info": text })),
    }
}

async fn accept_loop(listener: Listener, proxy: Arc<Proxy>, format: LogFormat) {
    loop {
        if let Err(e) = accept(&listener, proxy.clone()).await {
            log::warn(format, &format!("accept: {e}"));
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }
}

async fn accept(listener: &Listener, proxy: Arc<Proxy>) -> std::io::Result<()> {
    match listener {
        Listener::Unix(l, _) => {
            let (stream, _) = l.accept().await?;
            let peer = stream.peer_cred().map_or(Peer::Unknown, |c| Peer::Process {
                pid: c.pid(),
                uid: c.uid(),
            });
            tokio::spawn(serve_connection(proxy, stream, peer));
        }
        Listener::Tcp(l) => {
            let (stream, addr) = l.accept().await?;
            let _ = stream.set_nodelay(true);
            tokio::spawn(serve_connection(proxy, stream, Peer::Tcp(addr)));
        }
    }
    Ok(())
}

fn bind(address: &Address) -> Result<Listener, ProxyError> {
    let fail = |source| ProxyError::Listen {
        address: address.clone(),
        source,
    };
    match address {
        Address::Unix(path) => {
            // A socket file nobody answers on is left over from an earlier run.
            let stale = std::fs::symlink_metadata(path)
                .is_ok_and(|m| std::os::unix::fs::FileTypeExt::is_socket(&m.file_type()))
                && std::os::unix::net::UnixStream::connect(path).is_err();
            if stale {
                let _ = std::fs::remove_file(path);
            }
            UnixListener::bind(path)
                .map(|l| Listener::Unix(l, path.clone()))
                .map_err(fail)
        }
        Address::Tcp(host) => {
            let std_listener = std::net::TcpListener::bind(host).map_err(fail)?;
            std_listener.set_nonblocking(true).map_err(fail)?;
            TcpListener::from_std(std_listener)
                .map(Listener::Tcp)
                .map_err(fail)
        }
    }
}
