//! One log line per request on stderr: method, operation, status, duration
//! (until the response headers; streams run on after) and who sent it (a unix
//! peer's pid and uid, a TCP peer's address).
//!
//! Each line is formatted first and written with one `write` call: lines from
//! concurrent requests never interleave, and a request costs one system call
//! for its log instead of one per formatted piece (stderr is unbuffered).

use std::io::Write;
use std::time::Duration;

use super::serve::Peer;

/// Log line format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// `METHOD operation status duration`.
    Text,
    /// One JSON object per line.
    Json,
}

/// What the line of one request says.
#[derive(Debug)]
pub struct RequestLine<'a> {
    /// The method.
    pub method: &'a str,
    /// The operation (or the path marked unknown).
    pub operation: &'a str,
    /// The answer's status.
    pub status: u16,
    /// The rule that refused it, if one did.
    pub rule: Option<&'a str>,
    /// Time to the response headers.
    pub took: Duration,
    /// Who sent it.
    pub peer: &'a Peer,
}

/// Writes the line for one request.
pub fn request(format: LogFormat, r: &RequestLine<'_>) {
    let ms = r.took.as_secs_f64() * 1000.0;
    let (method, operation, status, peer) = (r.method, r.operation, r.status, r.peer);
    line(match format {
        LogFormat::Text => match r.rule {
            Some(rule) => {
                format!("{method} {operation} {status} {ms:.1}ms refused by {rule} {peer}")
            }
            None => format!("{method} {operation} {status} {ms:.1}ms {peer}"),
        },
        LogFormat::Json => {
            let mut entry = serde_json::json!({
                "method": method,
                "operation": operation,
                "status": status,
                "duration_ms": (ms * 10.0).round() / 10.0,
            });
            if let Some(rule) = r.rule {
                entry["rule"] = serde_json::Value::from(rule);
            }
            match peer {
                Peer::Process { pid, uid } => {
                    entry["peer_uid"] = serde_json::Value::from(*uid);
                    if let Some(pid) = pid {
                        entry["peer_pid"] = serde_json::Value::from(*pid);
                    }
                }
                Peer::Tcp(addr) => entry["peer"] = serde_json::Value::from(addr.to_string()),
                Peer::Unknown => {}
            }
            entry.to_string()
        }
    });
}

/// Writes a warning.
pub fn warn(format: LogFormat, message: &str) {
    line(match format {
        LogFormat::Text => format!("warning: {message}"),
        LogFormat::Json => serde_json::json!({ "warning": message }).to_string(),
    });
}

/// Writes `text` and a newline to stderr in one call (a closed stderr is ignored).
fn line(mut text: String) {
    text.push('\n');
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}
