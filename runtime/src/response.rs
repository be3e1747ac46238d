//! Response handling: status check with the daemon's error message, typed body readers.

use bytes::Bytes;
use futures_util::TryStreamExt;
use http_body_util::{BodyDataStream, BodyExt, Limited};
use hyper::body::Incoming;
use serde::de::DeserializeOwned;
use std::time::Duration;

use tokio::sync::OwnedSemaphorePermit;
use tokio::time::Instant;

use crate::error::Error;
use crate::limits::{Limit, ReadPolicy, MAX_ERROR_BODY, MAX_REFUSED_BODY, REFUSED_BODY_WAIT};
use crate::streams::{with_idle_timeout, ByteStream, JsonLines, LogMode, LogStream};

/// A successful (2xx or 101) response whose body has not been read yet.
#[derive(Debug)]
pub struct Response {
    status: u16,
    headers: http::HeaderMap,
    extensions: http::Extensions,
    body: Incoming,
    context: &'static str,
    deadline: Option<(Instant, Duration)>,
    policy: ReadPolicy,
    /// The connection slot; released when the body (or what was built from it) is dropped.
    permit: Option<OwnedSemaphorePermit>,
}

impl Response {
    /// HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Response headers.
    pub fn headers(&self) -> &http::HeaderMap {
        &self.headers
    }

    /// Reads the whole body (within the request timeout, if any), refusing bodies over the
    /// client's `max_body` with [`Error::LimitExceeded`] — up front when `Content-Length`
    /// announces one, otherwise as soon as the limit is passed.
    pub async fn bytes(self) -> Result<Bytes, Error> {
        let context = self.context;
        let max = self.policy.limits.max_body;
        let announced = self
            .headers
            .get(http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if let Some(len) = announced.filter(|len| *len > max as u64) {
            return Err(body_too_large(max, context, Some(len)));
        }
        read_all(self.body, self.deadline, max, context).await
    }

    /// Reads the whole body and decodes it as JSON.
    pub async fn json<T: DeserializeOwned>(self) -> Result<T, Error> {
        let context = self.context;
        let body = self.bytes().await?;
        serde_json::from_slice(&body).map_err(|source| Error::Decode {
            context: format!("response body of {context}"),
            source,
        })
    }

    /// Reads and discards the body.
    pub async fn unit(self) -> Result<(), Error> {
        self.bytes().await.map(drop)
    }

    /// The body as a stream of chunks; once headers arrived only the client's
    /// `stream_idle_timeout` (silence between chunks) applies, if set.
    pub fn byte_stream(self) -> ByteStream {
        let context = self.context;
        let idle = self.policy.stream_idle_timeout;
        let slot = self.permit;
        let stream: ByteStream = Box::pin(BodyDataStream::new(self.body).map_err(move |e| {
            // The stream owns the connection slot until it is dropped.
            let _slot = &slot;
            Error::Transport {
                context: format!("reading the response body of {context}"),
                source: Box::new(e),
            }
        }));
        match idle {
            Some(limit) => with_idle_timeout(stream, limit),
            None => stream,
        }
    }

    /// The body as a stream of JSON values (events, progress messages), each at most the
    /// client's `max_json_line` bytes.
    pub fn json_lines<T: DeserializeOwned>(self) -> JsonLines<T> {
        let context = self.context;
        let max = self.policy.limits.max_json_line;
        JsonLines::with_max_value(self.byte_stream(), context, max)
    }

    /// The body as container output frames; `LogMode::Auto` looks at `Content-Type`.
    pub fn log_stream(self, mode: LogMode) -> LogStream {
        let ct = self
            .headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let mode = mode.resolve(ct.as_deref());
        let max = self.policy.limits.max_frame;
        LogStream::with_max_frame(self.byte_stream(), mode, max)
    }

    /// The start of the body as text, for an answer that should have been an upgrade:
    /// at most [`MAX_REFUSED_BODY`] bytes, read for at most [`REFUSED_BODY_WAIT`] (an
    /// unupgraded exec start streams output for as long as the command runs). Never fails.
    pub(crate) async fn refused_text(self) -> String {
        let wait = Instant::now() + REFUSED_BODY_WAIT;
        let until = match self.deadline {
            Some((d, after)) => (d.min(wait), after),
            None => (wait, REFUSED_BODY_WAIT),
        };
        let (raw, _) = read_error_body(self.body, Some(until), MAX_REFUSED_BODY).await;
        String::from_utf8_lossy(&raw).trim().to_owned()
    }

    /// The connection slot, for what outlives this response (an upgraded connection).
    pub(crate) fn take_permit(&mut self) -> Option<OwnedSemaphorePermit> {
        self.permit.take()
    }

    /// Back to an `http::Response`, keeping extensions (hyper's pending upgrade lives there).
    pub(crate) fn into_http(self) -> http::Response<Incoming> {
        let mut r = http::Response::new(self.body);
        *r.headers_mut() = self.headers;
        *r.extensions_mut() = self.extensions;
        if let Ok(s) = http::StatusCode::from_u16(self.status) {
            *r.status_mut() = s;
        }
        r
    }
}

/// Turns a raw response into [`Response`] if 2xx/101, else into [`Error::Api`].
pub(crate) async fn check(
    resp: crate::transport::Answer,
    context: &'static str,
    deadline: Option<(Instant, Duration)>,
    policy: ReadPolicy,
) -> Result<Response, Error> {
    let (resp, permit) = resp;
    let status = resp.status();
    let (parts, body) = resp.into_parts();
    if status.is_success() || status == http::StatusCode::SWITCHING_PROTOCOLS {
        return Ok(Response {
            status: status.as_u16(),
            headers: parts.headers,
            extensions: parts.extensions,
            body,
            context,
            deadline,
            policy,
            permit: Some(permit),
        });
    }
    let (raw, truncated) = read_error_body(body, deadline, MAX_ERROR_BODY).await;
    let mut message = error_message(&raw, status, truncated);
    if truncated {
        message.push_str(" … (truncated: error body over 1 MiB)");
    }
    Err(Error::Api {
        status: status.as_u16(),
        message,
    })
}

/// Extracts `message` from a Docker JSON error body, falling back to the text or reason
/// phrase. From a `truncated` body it recovers the readable start of the message.
pub(crate) fn error_message(raw: &[u8], status: http::StatusCode, truncated: bool) -> String {
    #[derive(serde::Deserialize)]
    struct ApiError {
        message: String,
    }
    if let Ok(e) = serde_json::from_slice::<ApiError>(raw) {
        return e.message;
    }
    if truncated {
        if let Some(m) = truncated_json_message(raw) {
            return m;
        }
    }
    let text = String::from_utf8_lossy(raw).trim().to_owned();
    if text.is_empty() {
        status.canonical_reason().unwrap_or("no message").to_owned()
    } else {
        text
    }
}

/// The start of the `message` string of a JSON error body cut at the read limit:
/// `{"message":"abc…` → `abc…` (an escape sequence cut in half is dropped).
fn truncated_json_message(raw: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(raw);
    let after_key = text.trim_start().strip_prefix('{')?.trim_start();
    let after_key = after_key.strip_prefix("\"message\"")?.trim_start();
    let partial = after_key
        .strip_prefix(':')?
        .trim_start()
        .strip_prefix('"')?;
    // Drop at most a cut escape (`\u12`) from the end until the prefix is a valid string.
    (0..8.min(partial.len() + 1)).find_map(|cut| {
        let end = partial.len() - cut;
        let head = partial.get(..end)?;
        serde_json::from_str::<String>(&format!("\"{head}\"")).ok()
    })
}

fn body_too_large(max: usize, context: &'static str, announced: Option<u64>) -> Error {
    Error::LimitExceeded {
        limit: Limit::Body,
        max,
        context: match announced {
            Some(len) => format!("response body of {context} (Content-Length {len})"),
            None => format!("response body of {context}"),
        },
    }
}

async fn read_all(
    body: Incoming,
    deadline: Option<(Instant, Duration)>,
    max: usize,
    context: &'static str,
) -> Result<Bytes, Error> {
    let fut = Limited::new(body, max).collect();
    let collected = match deadline {
        None => fut.await,
        Some((d, after)) => tokio::time::timeout_at(d, fut)
            .await
            .map_err(|_| Error::Timeout {
                phase: "reading the response body",
                after,
            })?,
    };
    collected.map(|c| c.to_bytes()).map_err(|e| {
        if e.is::<http_body_util::LengthLimitError>() {
            body_too_large(max, context, None)
        } else {
            Error::Transport {
                context: format!("reading the response body of {context}"),
                source: e,
            }
        }
    })
}

/// Reads at most `cap` bytes of an error body (within the deadline); returns them and
/// whether the body went on. Never fails: the status alone is an error.
async fn read_error_body(
    mut body: Incoming,
    deadline: Option<(Instant, Duration)>,
    cap: usize,
) -> (Vec<u8>, bool) {
    let mut raw = Vec::new();
    let read = async {
        while let Some(frame) = body.frame().await {
            let Ok(frame) = frame else { break };
            if let Ok(data) = frame.into_data() {
                let room = cap - raw.len();
                if data.len() > room {
                    raw.extend_from_slice(&data[..room]);
                    return true;
                }
                raw.extend_from_slice(&data);
            }
        }
        false
    };
    let truncated = match deadline {
        None => read.await,
        Some((d, _)) => tokio::time::timeout_at(d, read).await.unwrap_or(false),
    };
    (raw, truncated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_message_extraction() {
        let nf = http::StatusCode::NOT_FOUND;
        assert_eq!(
            error_message(br#"{"message":"No such container: x"}"#, nf, false),
            "No such container: x"
        );
        assert_eq!(
            error_message(b"page not found\n", nf, false),
            "page not found"
        );
        assert_eq!(error_message(b"", nf, false), "Not Found");
        let cut = br#"{"message": "conflict: \"a\" is \u00e9t\u00"#;
        assert_eq!(error_message(cut, nf, true), "conflict: \"a\" is \u{e9}t");
        assert_eq!(error_message(b"plain text cut", nf, true), "plain text cut");
    }
}
