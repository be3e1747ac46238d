//! Default timeouts and size limits, and the resolved settings a client applies to
//! every response (so a hostile or broken daemon can neither hang a caller forever nor
//! make it allocate without bound).

use std::fmt;
use std::time::Duration;

/// Default limit for establishing a connection (the Docker CLI dials with 30 s).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default limit until response headers arrive, and for reading a buffered body.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(120);
/// Default cap on connections open at once (pooled, streaming or hijacked).
pub const DEFAULT_MAX_CONNECTIONS: usize = 128;
/// Silence after which a TCP (or TLS) connection starts sending keep-alive probes.
/// Together with the two next constants, a connection whose peer vanished without a
/// word (host down, network cut) fails its reads after about
/// `TCP_KEEPALIVE_IDLE + TCP_KEEPALIVE_INTERVAL * TCP_KEEPALIVE_RETRIES` (70 s) instead of
/// waiting forever; this is what ends an unbounded `wait` or follow stream (logs,
/// events, stats) of such a peer. A live daemon answers the probes: a silent but healthy
/// stream is never cut. Unix sockets need none; ssh has its own (`ServerAliveInterval`).
pub const TCP_KEEPALIVE_IDLE: Duration = Duration::from_secs(30);
/// Interval between two TCP keep-alive probes.
pub const TCP_KEEPALIVE_INTERVAL: Duration = Duration::from_secs(10);
/// Unanswered TCP keep-alive probes after which the connection is dropped.
pub const TCP_KEEPALIVE_RETRIES: u32 = 4;
/// Default cap on a buffered response body (JSON documents, `send_bytes`).
pub const DEFAULT_MAX_BODY: usize = 64 << 20;
/// Default cap on one multiplexed stdout/stderr frame (dockerd writes at most 32 KiB per frame).
pub const DEFAULT_MAX_FRAME: usize = 16 << 20;
/// Default cap on one value of a JSON message stream (events, pull/build progress).
pub const DEFAULT_MAX_JSON_LINE: usize = 16 << 20;
/// Bytes of an error body read to extract the daemon's message; longer messages are truncated.
pub const MAX_ERROR_BODY: usize = 1 << 20;
/// Bytes of the body kept in [`crate::Error::UpgradeRefused`] (the answer of a hijack
/// that was not upgraded, e.g. a command's output).
pub const MAX_REFUSED_BODY: usize = 4 << 10;
/// Longest wait for that body: an unupgraded exec start may stream output for as long
/// as the command runs.
pub const REFUSED_BODY_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// Which size limit a response exceeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Limit {
    /// A buffered response body ([`ClientBuilder::max_body`](crate::ClientBuilder::max_body)).
    Body,
    /// One multiplexed stream frame ([`ClientBuilder::max_frame`](crate::ClientBuilder::max_frame)).
    Frame,
    /// One value of a JSON message stream ([`ClientBuilder::max_json_line`](crate::ClientBuilder::max_json_line)).
    JsonLine,
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Limit::Body => "max_body",
            Limit::Frame => "max_frame",
            Limit::JsonLine => "max_json_line",
        })
    }
}

/// Size limits applied to what the daemon sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest buffered response body, in bytes.
    pub max_body: usize,
    /// Largest multiplexed stream frame payload, in bytes.
    pub max_frame: usize,
    /// Largest single value of a JSON message stream, in bytes.
    pub max_json_line: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_body: DEFAULT_MAX_BODY,
            max_frame: DEFAULT_MAX_FRAME,
            max_json_line: DEFAULT_MAX_JSON_LINE,
        }
    }
}

/// Timeouts and limits a client applies to reading responses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ReadPolicy {
    /// Limit until headers, and for a whole buffered body (`None`: unlimited).
    pub request_timeout: Option<Duration>,
    /// Limit on silence between two chunks of a streamed body (`None`: unlimited).
    pub stream_idle_timeout: Option<Duration>,
    /// Size limits.
    pub limits: Limits,
}
