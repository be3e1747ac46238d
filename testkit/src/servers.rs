//! Small HTTP/1.1 servers on `127.0.0.1` with awkward connection policies, for the
//! client's connection handling (tests and benchmarks): one that closes every
//! connection after its first response, and one that serves at most N connections at
//! once (the rest wait in the listen backlog, unserved) and closes idle ones.
//!
//! Every response is `200` with a small JSON body. Each server counts the connections
//! it accepted and the requests it read (per method), so a test can prove what went
//! over the wire.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// How a server treats its connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// Answers one request per connection, then closes it. With `announce`, the
    /// response says `Connection: close` (as RFC 9112 asks); without, it closes silently.
    Churn {
        /// Whether the response carries `Connection: close`.
        announce: bool,
    },
    /// Keep-alive, at most `max_open` connections served at once (no `accept` while
    /// that many are open), each closed after `idle` without a request.
    Limited {
        /// Connections served at once.
        max_open: usize,
        /// Idle time after which a connection is closed.
        idle: Duration,
    },
}

#[derive(Default)]
struct Counters {
    connections: AtomicUsize,
    open: AtomicUsize,
    requests: AtomicUsize,
    posts: AtomicUsize,
    stop: AtomicBool,
}

/// A running server; stops accepting when dropped (open connections end on their own).
pub struct PolicyServer {
    addr: SocketAddr,
    counters: Arc<Counters>,
}

impl PolicyServer {
    /// Starts a server with `policy` on an ephemeral port.
    pub fn start(policy: Policy) -> io::Result<PolicyServer> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let counters = Arc::new(Counters::default());
        let c = Arc::clone(&counters);
        std::thread::spawn(move || accept_loop(listener, policy, c));
        Ok(PolicyServer { addr, counters })
    }

    /// `DOCKER_HOST`-style address (`tcp://127.0.0.1:port`).
    pub fn host(&self) -> String {
        format!("tcp://{}", self.addr)
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.counters.connections.load(Ordering::SeqCst)
    }

    /// Requests read so far.
    pub fn requests(&self) -> usize {
        self.counters.requests.load(Ordering::SeqCst)
    }

    /// `POST` requests read so far.
    pub fn posts(&self) -> usize {
        self.counters.posts.load(Ordering::SeqCst)
    }
}

impl Drop for PolicyServer {
    fn drop(&mut self) {
        self.counters.stop.store(true, Ordering::SeqCst);
        // Wake the acceptor.
        let _ = TcpStream::connect(self.addr);
    }
}

fn accept_loop(listener: TcpListener, policy: Policy, c: Arc<Counters>) {
    loop {
        if let Policy::Limited { max_open, .. } = policy {
            while c.open.load(Ordering::SeqCst) >= max_open && !c.stop.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(1));
            }
        }
        let Ok((conn, _)) = listener.accept() else {
            continue;
        };
        if c.stop.load(Ordering::SeqCst) {
            return;
        }
        c.connections.fetch_add(1, Ordering::SeqCst);
        c.open.fetch_add(1, Ordering::SeqCst);
        let c = Arc::clone(&c);
        std::thread::spawn(move || {
            let _ = serve(conn, policy, &c);
            c.open.fetch_sub(1, Ordering::SeqCst);
        });
    }
}

fn serve(conn: TcpStream, policy: Policy, c: &Counters) -> io::Result<()> {
    conn.set_nodelay(true)?;
    if let Policy::Limited { idle, .. } = policy {
        conn.set_read_timeout(Some(idle))?;
    }
    let mut writer = conn.try_clone()?;
    let mut reader = BufReader::new(conn);
    loop {
        // A read timeout (idle) or the end of the stream ends the connection.
        let Some(method) = read_request(&mut reader)? else {
            return Ok(());
        };
        c.requests.fetch_add(1, Ordering::SeqCst);
        if method == "POST" {
            c.posts.fetch_add(1, Ordering::SeqCst);
        }
        let body = b"{\"ok\":true}";
        let close = match policy {
            Policy::Churn { announce: true } => "Connection: close\r\n",
            _ => "",
        };
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{close}Api-Version: 1.41\r\n\r\n",
            body.len()
        );
        writer.write_all(head.as_bytes())?;
        writer.write_all(body)?;
        if let Policy::Churn { .. } = policy {
            let _ = writer.shutdown(std::net::Shutdown::Both);
            return Ok(());
        }
    }
}

/// Reads one request head and its `Content-Length` body; `None` at the end of the
/// connection (or an idle timeout).
fn read_request(r: &mut BufReader<TcpStream>) -> io::Result<Option<String>> {
    let mut method = None;
    let mut len = 0usize;
    loop {
        let mut line = String::new();
        match r.read_line(&mut line) {
            Ok(0) => return Ok(None),
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return Ok(None)
            }
            Err(e) => return Err(e),
        }
        let line = line.trim_end();
        if method.is_none() {
            method = line.split(' ').next().map(str::to_owned);
            continue;
        }
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                len = value.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0u8; len.min(1 << 20)];
    r.read_exact(&mut body)?;
    Ok(method)
}
