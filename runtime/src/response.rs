//! Response handling: status check with the daemon's error message, typed body readers.

use bytes::Bytes;
use futures_util::TryStreamExt;
use http_body_util::{BodyDataStream, BodyExt, Limited};
use hyper::body::Incoming;
use serde::de::DeserializeOwned;
use std::time::Duration;

use tokio::time::Instant;

use crate::error::Error;
use crate::streams::{ByteStream, JsonLines, LogMode, LogStream};

/// Largest error body read to extract the daemon's message.
const MAX_ERROR_BODY: usize = 1 << 20;

/// A successful (2xx or 101) response whose body has not been read yet.
#[derive(Debug)]
pub struct Response {
    status: u16,
    headers: http::HeaderMap,
    extensions: http::Extensions,
    body: Incoming,
    context: &'static str,
    deadline: Option<(Instant, Duration)>,
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

    /// Reads the whole body (within the request timeout, if any).
    pub async fn bytes(self) -> Result<Bytes, Error> {
        let context = self.context;
        read_all(self.body, self.deadline, context).await
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

    /// The body as a stream of chunks (no timeout applies once headers arrived).
    pub fn byte_stream(self) -> ByteStream {
        let context = self.context;
        Box::pin(
            BodyDataStream::new(self.body).map_err(move |e| Error::Transport {
                context: format!("reading the response body of {context}"),
                source: Box::new(e),
            }),
        )
    }

    /// The body as a stream of JSON values (events, progress messages).
    pub fn json_lines<T: DeserializeOwned>(self) -> JsonLines<T> {
        let context = self.context;
        JsonLines::new(self.byte_stream(), context)
    }

    /// The body as container output frames; `LogMode::Auto` looks at `Content-Type`.
    pub fn log_stream(self, mode: LogMode) -> LogStream {
        let ct = self
            .headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let mode = mode.resolve(ct.as_deref());
        LogStream::new(self.byte_stream(), mode)
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
    resp: http::Response<Incoming>,
    context: &'static str,
    deadline: Option<(Instant, Duration)>,
) -> Result<Response, Error> {
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
        });
    }
    let raw = read_limited(body, deadline, context)
        .await
        .unwrap_or_default();
    Err(Error::Api {
        status: status.as_u16(),
        message: error_message(&raw, status),
    })
}

/// Extracts `message` from a Docker JSON error body, falling back to the text or reason phrase.
pub(crate) fn error_message(raw: &[u8], status: http::StatusCode) -> String {
    #[derive(serde::Deserialize)]
    struct ApiError {
        message: String,
    }
    if let Ok(e) = serde_json::from_slice::<ApiError>(raw) {
        return e.message;
    }
    let text = String::from_utf8_lossy(raw).trim().to_owned();
    if text.is_empty() {
        status.canonical_reason().unwrap_or("no message").to_owned()
    } else {
        text
    }
}

async fn read_all(
    body: Incoming,
    deadline: Option<(Instant, Duration)>,
    context: &'static str,
) -> Result<Bytes, Error> {
    let fut = body.collect();
    let collected = match deadline {
        None => fut.await,
        Some((d, after)) => tokio::time::timeout_at(d, fut)
            .await
            .map_err(|_| Error::Timeout {
                phase: "reading the response body",
                after,
            })?,
    };
    collected
        .map(|c| c.to_bytes())
        .map_err(|e| Error::Transport {
            context: format!("reading the response body of {context}"),
            source: Box::new(e),
        })
}

async fn read_limited(
    body: Incoming,
    deadline: Option<(Instant, Duration)>,
    context: &'static str,
) -> Result<Bytes, Error> {
    let fut = Limited::new(body, MAX_ERROR_BODY).collect();
    let collected = match deadline {
        None => fut.await,
        Some((d, after)) => tokio::time::timeout_at(d, fut)
            .await
            .map_err(|_| Error::Timeout {
                phase: "reading the error body",
                after,
            })?,
    };
    collected
        .map(|c| c.to_bytes())
        .map_err(|e| Error::Transport {
            context: format!("reading the error body of {context}"),
            source: e,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_message_extraction() {
        let nf = http::StatusCode::NOT_FOUND;
        assert_eq!(
            error_message(br#"{"message":"No such container: x"}"#, nf),
            "No such container: x"
        );
        assert_eq!(error_message(b"page not found\n", nf), "page not found");
        assert_eq!(error_message(b"", nf), "Not Found");
    }
}
