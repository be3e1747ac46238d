//! One log line per request on stderr: method, operation, status, duration
//! (until the response headers; streams run on after).
//!
//! Each line is formatted first and written with one `write` call: lines from
//! concurrent requests never interleave, and a request costs one system call
//! for its log instead of one per formatted piece (stderr is unbuffered).

use std::io::Write;
use std::time::Duration;

/// Log line format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// `METHOD operation status duration`.
    Text,
    /// One JSON object per line.
    Json,
}

/// Writes the line for one request; `rule` names the rule that refused it.
pub fn request(
    format: LogFormat,
    method: &str,
    operation: &str,
    status: u16,
    rule: Option<&str>,
    took: Duration,
) {
    let ms = took.as_secs_f64() * 1000.0;
    line(match format {
        LogFormat::Text => match rule {
            Some(rule) => format!("{method} {operation} {status} {ms:.1}ms refused by {rule}"),
            None => format!("{method} {operation} {status} {ms:.1}ms"),
        },
        LogFormat::Json => {
            let mut entry = serde_json::json!({
                "method": method,
                "operation": operation,
                "status": status,
                "duration_ms": (ms * 10.0).round() / 10.0,
            });
            if let Some(rule) = rule {
                entry["rule"] = serde_json::Value::from(rule);
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
