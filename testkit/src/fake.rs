//! A scriptable fake Docker daemon on a unix socket, for tests that need a daemon which
//! stalls, closes, lies or floods — things a real dockerd never does on purpose.
//!
//! Each accepted connection runs on its own thread: requests are parsed (head plus a
//! `Content-Length` or chunked body) and handed to the test's script, which answers with
//! a list of [`Action`]s (write bytes, write a large amount without holding it in memory,
//! sleep, stall until the fake is dropped, close). After the actions the connection
//! waits for the next request (keep-alive) unless it was closed.
//!
//! ```no_run
//! use dockmatrix_testkit::fake::{Action, FakeDaemon, http_response};
//! let fake = FakeDaemon::start(|req| {
//!     if req.path == "/_ping" {
//!         vec![Action::Write(http_response(200, &[("API-Version", "1.41")], b"OK"))]
//!     } else {
//!         vec![Action::StallForever]
//!     }
//! })
//! .unwrap();
//! let host = fake.host(); // unix:///tmp/…/fake.sock
//! # drop(host);
//! ```

use std::io::{self, BufRead, BufReader, Read, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Largest request head or body the fake accepts (tests send small requests).
const MAX_REQUEST: usize = 16 << 20;

/// One request as the fake daemon received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeenRequest {
    /// HTTP method.
    pub method: String,
    /// Path and query, e.g. `/v1.41/containers/json?all=1`.
    pub path: String,
    /// Header names (lower-cased) and values, in order.
    pub headers: Vec<(String, String)>,
    /// Decoded body.
    pub body: Vec<u8>,
    /// Connection number (0-based, in accept order).
    pub connection: usize,
    /// Position of this request on its connection (0-based).
    pub index_on_connection: usize,
}

impl SeenRequest {
    /// Every value of header `name` (case-insensitive).
    pub fn header_values(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The path without the `/vX.Y` prefix and without the query.
    pub fn route(&self) -> &str {
        let path = self.path.split('?').next().unwrap_or_default();
        match path.strip_prefix("/v") {
            Some(rest) => rest.find('/').map_or(path, |i| &rest[i..]),
            None => path,
        }
    }
}

/// What the fake does in answer to a request.
#[derive(Debug, Clone)]
pub enum Action {
    /// Writes these bytes (a whole response or part of one).
    Write(Vec<u8>),
    /// Writes `chunk` repeatedly until `total` bytes were written (never held whole).
    WriteRepeated {
        /// Pattern written again and again.
        chunk: Vec<u8>,
        /// Total number of bytes to write (the last repetition is cut).
        total: u64,
    },
    /// Waits this long.
    Sleep(Duration),
    /// Keeps the connection open and silent until the fake is dropped.
    StallForever,
    /// Closes the connection.
    Close,
}

type Script = dyn Fn(&SeenRequest) -> Vec<Action> + Send + Sync;

/// A running fake daemon; stops accepting and ends its stalls when dropped.
pub struct FakeDaemon {
    dir: Option<tempfile::TempDir>,
    socket: PathBuf,
    stop: Arc<AtomicBool>,
    seen: Arc<Mutex<Vec<SeenRequest>>>,
    connections: Arc<AtomicUsize>,
    acceptor: Option<JoinHandle<()>>,
}

impl FakeDaemon {
    /// Starts listening on a fresh socket; `script` answers every request.
    pub fn start<F>(script: F) -> io::Result<FakeDaemon>
    where
        F: Fn(&SeenRequest) -> Vec<Action> + Send + Sync + 'static,
    {
        let dir = tempfile::Builder::new().prefix("dmxfake").tempdir()?;
        let socket = dir.path().join("fake.sock");
        let listener = UnixListener::bind(&socket)?;
        let stop = Arc::new(AtomicBool::new(false));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let script: Arc<Script> = Arc::new(script);
        let acceptor = {
            let (stop, seen, connections) = (stop.clone(), seen.clone(), connections.clone());
            std::thread::spawn(move || {
                for conn in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(conn) = conn else { continue };
                    let number = connections.fetch_add(1, Ordering::SeqCst);
                    let ctx = ConnCtx {
                        number,
                        stop: stop.clone(),
                        seen: seen.clone(),
                        script: script.clone(),
                    };
                    std::thread::spawn(move || {
                        let _ = ctx.serve(conn);
                    });
                }
            })
        };
        Ok(FakeDaemon {
            dir: Some(dir),
            socket,
            stop,
            seen,
            connections,
            acceptor: Some(acceptor),
        })
    }

    /// `DOCKER_HOST`-style address (`unix:///…/fake.sock`).
    pub fn host(&self) -> String {
        format!("unix://{}", self.socket.display())
    }

    /// Requests received so far, in arrival order.
    pub fn requests(&self) -> Vec<SeenRequest> {
        self.seen.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

impl Drop for FakeDaemon {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the acceptor blocked in accept().
        let _ = UnixStream::connect(&self.socket);
        if let Some(a) = self.acceptor.take() {
            let _ = a.join();
        }
        if let Some(dir) = self.dir.take() {
            let _ = dir.close();
        }
    }
}

struct ConnCtx {
    number: usize,
    stop: Arc<AtomicBool>,
    seen: Arc<Mutex<Vec<SeenRequest>>>,
    script: Arc<Script>,
}

impl ConnCtx {
    fn serve(self, conn: UnixStream) -> io::Result<()> {
        // Short read timeouts let an idle connection notice the fake being dropped.
        conn.set_read_timeout(Some(Duration::from_millis(100)))?;
        let mut writer = conn.try_clone()?;
        let mut reader = BufReader::new(conn);
        for index in 0.. {
            let Some(mut req) = self.read_request(&mut reader)? else {
                return Ok(());
            };
            req.connection = self.number;
            req.index_on_connection = index;
            let actions = (self.script)(&req);
            if let Ok(mut seen) = self.seen.lock() {
                seen.push(req);
            }
            for action in actions {
                match action {
                    Action::Write(bytes) => writer.write_all(&bytes)?,
                    Action::WriteRepeated { chunk, total } => {
                        write_repeated(&mut writer, &chunk, total)?
                    }
                    Action::Sleep(d) => self.sleep(Some(d)),
                    Action::StallForever => {
                        self.sleep(None);
                        return Ok(());
                    }
                    Action::Close => {
                        let _ = writer.shutdown(std::net::Shutdown::Both);
                        return Ok(());
                    }
                }
            }
        }
        Ok(())
    }

    /// Sleeps `d` (forever if `None`), returning early when the fake is dropped.
    fn sleep(&self, d: Option<Duration>) {
        let end = d.map(|d| Instant::now() + d);
        while !self.stop.load(Ordering::SeqCst) {
            let step = match end {
                Some(end) => match end.checked_duration_since(Instant::now()) {
                    Some(left) => left.min(Duration::from_millis(20)),
                    None => return,
                },
                None => Duration::from_millis(20),
            };
            std::thread::sleep(step);
        }
    }

    /// Reads one request; `None` at end of connection or when the fake stops.
    fn read_request(&self, r: &mut BufReader<UnixStream>) -> io::Result<Option<SeenRequest>> {
        let mut head = Vec::new();
        loop {
            let mut line = Vec::new();
            match read_line_patiently(r, &mut line, &self.stop)? {
                0 => return Ok(None),
                _ if line == b"\r\n" && head.is_empty() => continue,
                _ if line == b"\r\n" => break,
                _ => head.push(String::from_utf8_lossy(&line).trim_end().to_owned()),
            }
            if head.len() > 1000 {
                return Err(io::Error::other("request head too long"));
            }
        }
        let mut parts = head.first().map(|l| l.split(' ')).into_iter().flatten();
        let method = parts.next().unwrap_or_default().to_owned();
        let path = parts.next().unwrap_or_default().to_owned();
        let headers: Vec<(String, String)> = head
            .iter()
            .skip(1)
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        let header = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
        };
        let body = if header("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
            read_chunked(r, &self.stop)?
        } else {
            let len: usize = header("content-length")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
                .min(MAX_REQUEST);
            let mut body = vec![0; len];
            read_exact_patiently(r, &mut body, &self.stop)?;
            body
        };
        Ok(Some(SeenRequest {
            method,
            path,
            headers,
            body,
            connection: 0,
            index_on_connection: 0,
        }))
    }
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

fn read_line_patiently(
    r: &mut BufReader<UnixStream>,
    line: &mut Vec<u8>,
    stop: &AtomicBool,
) -> io::Result<usize> {
    loop {
        if stop.load(Ordering::SeqCst) {
            return Ok(0);
        }
        match r.read_until(b'\n', line) {
            Ok(0) if line.is_empty() => return Ok(0),
            Ok(_) if line.ends_with(b"\n") => return Ok(line.len()),
            Ok(0) => return Ok(0),
            Ok(_) => {}
            Err(e) if is_timeout(&e) => {}
            Err(e) => return Err(e),
        }
    }
}

fn read_exact_patiently(
    r: &mut BufReader<UnixStream>,
    buf: &mut [u8],
    stop: &AtomicBool,
) -> io::Result<()> {
    let mut filled = 0;
    while filled < buf.len() {
        if stop.load(Ordering::SeqCst) {
            return Err(io::Error::other("fake daemon stopped"));
        }
        match r.read(&mut buf[filled..]) {
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => filled += n,
            Err(e) if is_timeout(&e) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

fn read_chunked(r: &mut BufReader<UnixStream>, stop: &AtomicBool) -> io::Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let mut line = Vec::new();
        read_line_patiently(r, &mut line, stop)?;
        let text = String::from_utf8_lossy(&line);
        let size_hex = text.trim().split(';').next().unwrap_or_default();
        let size = usize::from_str_radix(size_hex, 16)
            .map_err(|_| io::Error::other(format!("bad chunk size {size_hex:?}")))?;
        if body.len() + size > MAX_REQUEST {
            return Err(io::Error::other("request body too large"));
        }
        let start = body.len();
        body.resize(start + size, 0);
        read_exact_patiently(r, &mut body[start..], stop)?;
        let mut crlf = Vec::new();
        read_line_patiently(r, &mut crlf, stop)?;
        if size == 0 {
            return Ok(body);
        }
    }
}

fn write_repeated(w: &mut UnixStream, chunk: &[u8], total: u64) -> io::Result<()> {
    let mut left = total;
    while left > 0 && !chunk.is_empty() {
        let n = usize::try_from(left.min(chunk.len() as u64)).unwrap_or(chunk.len());
        w.write_all(&chunk[..n])?;
        left -= n as u64;
    }
    Ok(())
}

/// A complete HTTP/1.1 response with `Content-Length` (plus `Content-Type:
/// application/json` when the body starts like JSON and no content type is given).
pub fn http_response(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = response_head(status, headers, Some(body.len() as u64));
    out.extend_from_slice(body);
    out
}

/// A response head only: with `Content-Length: len` if given, else with
/// `Connection: close` (the body then runs until the connection closes).
pub fn response_head(status: u16, headers: &[(&str, &str)], len: Option<u64>) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (n, v) in headers {
        out.push_str(&format!("{n}: {v}\r\n"));
    }
    match len {
        Some(len) => out.push_str(&format!("Content-Length: {len}\r\n")),
        None => out.push_str("Connection: close\r\n"),
    }
    out.push_str("\r\n");
    out.into_bytes()
}

/// The head of a chunked response; follow it with [`chunk`]s and [`last_chunk`].
pub fn chunked_head(status: u16, headers: &[(&str, &str)]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (n, v) in headers {
        out.push_str(&format!("{n}: {v}\r\n"));
    }
    out.push_str("Transfer-Encoding: chunked\r\n\r\n");
    out.into_bytes()
}

/// One chunk of a chunked body.
pub fn chunk(data: &[u8]) -> Vec<u8> {
    let mut out = format!("{:x}\r\n", data.len()).into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\r\n");
    out
}

/// The terminating chunk of a chunked body.
pub fn last_chunk() -> Vec<u8> {
    b"0\r\n\r\n".to_vec()
}

/// A multiplexed stream frame header (`kind` 1 = stdout, 2 = stderr) announcing `len` bytes.
pub fn frame_header(kind: u8, len: u32) -> Vec<u8> {
    let mut h = vec![kind, 0, 0, 0];
    h.extend_from_slice(&len.to_be_bytes());
    h
}

fn reason(status: u16) -> &'static str {
    match status {
        101 => "Switching Protocols",
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        304 => "Not Modified",
        400 => "Bad Request",
        404 => "Not Found",
        409 => "Conflict",
        500 => "Internal Server Error",
        _ => "Status",
    }
}
