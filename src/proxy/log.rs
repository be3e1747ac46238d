//! One log line per request on stderr: method, operation, status, duration
//! (until the response headers; streams run on after).

use std::time::Duration;

/// Log line format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// `METHOD operation status duration`.
    Text,
    /// One JSON object per line.
    Json,
}

/// Writes the line for one request.
pub fn request(format: LogFormat, method: &str, operation: &str, status: u16, took: Duration) {
    let ms = took.as_secs_f64() * 1000.0;
    match format {
        LogFormat::Text => eprintln!("{method} {operation} {status} {ms:.1}ms"),
        LogFormat::Json => eprintln!(
            "{}",
            serde_json::json!({
                "method": method,
                "operation": operation,
                "status": status,
                "duration_ms": (ms * 10.0).round() / 10.0,
            })
        ),
    }
}

/// Writes a warning.
pub fn warn(format: LogFormat, message: &str) {
    match format {
        LogFormat::Text => eprintln!("warning: {message}"),
        LogFormat::Json => eprintln!("{}", serde_json::json!({ "warning": message })),
    }
}
