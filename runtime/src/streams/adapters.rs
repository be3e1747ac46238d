//! `futures::Stream` adapters turning byte streams into log frames and JSON values.

use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use serde::de::DeserializeOwned;
use tokio::io::{AsyncRead, AsyncReadExt};

use super::frame::{FrameDecoder, LogFrame, StreamKind};
use super::json_lines::JsonLinesDecoder;
use crate::error::Error;

/// A boxed stream of raw body chunks (tar export, image save, …).
pub type ByteStream = Pin<Box<dyn Stream<Item = Result<Bytes, Error>> + Send>>;

/// Turns any async reader (e.g. the read half of a hijacked connection) into a [`ByteStream`].
pub fn byte_stream_from_reader<R>(reader: R) -> ByteStream
where
    R: AsyncRead + Send + Unpin + 'static,
{
    Box::pin(futures_util::stream::unfold(
        Some(reader),
        |state| async move {
            let mut reader = state?;
            let mut buf = BytesMut::with_capacity(8192);
            match reader.read_buf(&mut buf).await {
                Ok(0) => None,
                Ok(_) => Some((Ok(buf.freeze()), Some(reader))),
                Err(e) => Some((Err(Error::Io(e)), None)),
            }
        },
    ))
}

/// How container output is framed (`Auto` by default).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LogMode {
    /// 8-byte-header multiplexed frames (container without TTY).
    Multiplexed,
    /// Raw passthrough (container with TTY); every chunk becomes a [`StreamKind::Raw`] frame.
    Raw,
    /// Use the response `Content-Type` (`application/vnd.docker.raw-stream` → raw,
    /// `application/vnd.docker.multiplexed-stream` → multiplexed, API ≥ 1.42); otherwise multiplexed.
    #[default]
    Auto,
}

impl LogMode {
    /// Resolves `Auto` from a response content type.
    pub fn resolve(self, content_type: Option<&str>) -> LogMode {
        match self {
            LogMode::Auto => match content_type {
                Some(ct) if ct.starts_with("application/vnd.docker.raw-stream") => LogMode::Raw,
                _ => LogMode::Multiplexed,
            },
            other => other,
        }
    }
}

/// Stream of [`LogFrame`]s decoded from a byte stream.
pub struct LogStream {
    inner: ByteStream,
    decoder: Option<FrameDecoder>,
    /// `LogMode::Auto`: the first bytes, until they show whether frames follow.
    sniff: Option<(BytesMut, usize)>,
    done: bool,
}

impl std::fmt::Debug for LogStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LogStream")
            .field("multiplexed", &self.decoder.is_some())
            .field("undecided", &self.sniff.is_some())
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

/// Whether 8 bytes look like a multiplexed frame header (stream type 0–3, three zeros).
fn looks_multiplexed(head: &[u8]) -> bool {
    matches!(head, [0..=3, 0, 0, 0, ..])
}

impl LogStream {
    /// Decodes `inner` according to `mode` with the default frame limit. `Auto` decides
    /// from the first 8 bytes: a valid frame header means multiplexed, anything else raw
    /// (what daemons before API 1.42 leave to the client, which the CLI knows from the
    /// container's `Tty`).
    pub fn new(inner: ByteStream, mode: LogMode) -> Self {
        Self::with_max_frame(inner, mode, crate::limits::DEFAULT_MAX_FRAME)
    }

    /// Like [`new`](Self::new), rejecting multiplexed frames over `max_frame` bytes.
    pub fn with_max_frame(inner: ByteStream, mode: LogMode, max_frame: usize) -> Self {
        let (decoder, sniff) = match mode {
            LogMode::Raw => (None, None),
            LogMode::Multiplexed => (Some(FrameDecoder::with_max_frame(max_frame)), None),
            LogMode::Auto => (None, Some((BytesMut::new(), max_frame))),
        };
        Self {
            inner,
            decoder,
            sniff,
            done: false,
        }
    }

    /// Feeds a chunk while undecided; returns raw output to emit once decided raw.
    fn sniff_chunk(&mut self, chunk: &[u8], at_end: bool) -> Option<Bytes> {
        let (buf, max_frame) = self.sniff.as_mut()?;
        buf.extend_from_slice(chunk);
        if buf.len() < HEADER_LEN && !at_end {
            return None;
        }
        let head = std::mem::take(buf);
        let max_frame = *max_frame;
        self.sniff = None;
        if looks_multiplexed(&head) {
            let mut dec = FrameDecoder::with_max_frame(max_frame);
            dec.push(&head);
            self.decoder = Some(dec);
            None
        } else {
            Some(head.freeze()).filter(|b| !b.is_empty())
        }
    }
}

const HEADER_LEN: usize = 8;

impl Stream for LogStream {
    type Item = Result<LogFrame, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if this.done {
                return Poll::Ready(None);
            }
            if let Some(dec) = &mut this.decoder {
                match dec.next_frame() {
                    Ok(Some(f)) => return Poll::Ready(Some(Ok(f))),
                    Ok(None) => {}
                    Err(e) => {
                        this.done = true;
                        return Poll::Ready(Some(Err(e)));
                    }
                }
            }
            match this.inner.as_mut().poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Err(e))) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(e)));
                }
                Poll::Ready(Some(Ok(chunk))) if this.sniff.is_some() => {
                    if let Some(data) = this.sniff_chunk(&chunk, false) {
                        return Poll::Ready(Some(Ok(LogFrame {
                            stream: StreamKind::Raw,
                            data,
                        })));
                    }
                }
                Poll::Ready(None) if this.sniff.is_some() => {
                    if let Some(data) = this.sniff_chunk(&[], true) {
                        this.done = true;
                        return Poll::Ready(Some(Ok(LogFrame {
                            stream: StreamKind::Raw,
                            data,
                        })));
                    }
                }
                Poll::Ready(Some(Ok(chunk))) => match &mut this.decoder {
                    Some(dec) => dec.push(&chunk),
                    None if chunk.is_empty() => {}
                    None => {
                        return Poll::Ready(Some(Ok(LogFrame {
                            stream: StreamKind::Raw,
                            data: chunk,
                        })))
                    }
                },
                Poll::Ready(None) => {
                    this.done = true;
                    if let Some(dec) = &this.decoder {
                        if let Err(e) = dec.finish() {
                            return Poll::Ready(Some(Err(e)));
                        }
                    }
                    return Poll::Ready(None);
                }
            }
        }
    }
}

/// Stream of JSON values (`T`, often `serde_json::Value`) decoded from a byte stream.
pub struct JsonLines<T> {
    inner: ByteStream,
    decoder: JsonLinesDecoder<T>,
    pending: VecDeque<Result<T, Error>>,
    done: bool,
}

impl<T: DeserializeOwned> JsonLines<T> {
    /// Decodes `inner` with the default value limit; `context` names the operation in errors.
    pub fn new(inner: ByteStream, context: &'static str) -> Self {
        Self::with_max_value(inner, context, crate::limits::DEFAULT_MAX_JSON_LINE)
    }

    /// Like [`new`](Self::new), rejecting any single value over `max_value` bytes.
    pub fn with_max_value(inner: ByteStream, context: &'static str, max_value: usize) -> Self {
        Self {
            inner,
            decoder: JsonLinesDecoder::with_max_value(context, max_value),
            pending: VecDeque::new(),
            done: false,
        }
    }
}

impl<T: DeserializeOwned> Stream for JsonLines<T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.pending.pop_front() {
                return Poll::Ready(Some(item));
            }
            if this.done {
                return Poll::Ready(None);
            }
            match this.decoder.next_item() {
                Ok(Some(v)) => return Poll::Ready(Some(Ok(v))),
                Ok(None) => {}
                Err(e) => {
                    // Past a size limit the stream cannot be resynchronised: end it.
                    this.done = matches!(e, Error::LimitExceeded { .. });
                    return Poll::Ready(Some(Err(e)));
                }
            }
            match this.inner.as_mut().poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => this.decoder.push(&chunk),
                Poll::Ready(Some(Err(e))) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(e)));
                }
                Poll::Ready(None) => {
                    this.done = true;
                    loop {
                        match this.decoder.finish() {
                            Ok(Some(v)) => this.pending.push_back(Ok(v)),
                            Ok(None) => break,
                            Err(e) => {
                                this.pending.push_back(Err(e));
                                break;
                            }
                        }
                    }
                }
            }
        }
    }
}

// No field is structurally pinned (the inner stream is boxed), so moving is fine.
impl<T> Unpin for JsonLines<T> {}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;

    fn chunks(parts: Vec<&'static [u8]>) -> ByteStream {
        Box::pin(futures_util::stream::iter(
            parts.into_iter().map(|p| Ok(Bytes::from_static(p))),
        ))
    }

    #[tokio::test]
    async fn log_stream_multiplexed_and_raw() {
        let s = LogStream::new(
            chunks(vec![
                b"\x01\0\0\0\0\0\0\x02h",
                b"i\x02\0\0",
                b"\0\0\0\0\x01!",
            ]),
            LogMode::Multiplexed,
        );
        let frames: Vec<_> = s.collect().await;
        assert_eq!(frames.len(), 2);
        assert_eq!(frames[0].as_ref().unwrap().data, Bytes::from_static(b"hi"));
        assert_eq!(frames[1].as_ref().unwrap().stream, StreamKind::Stderr);

        let s = LogStream::new(chunks(vec![b"plain ", b"tty"]), LogMode::Raw);
        let frames: Vec<_> = s.map(|f| f.unwrap()).collect().await;
        assert_eq!(frames.iter().map(|f| f.data.len()).sum::<usize>(), 9);
        assert!(frames.iter().all(|f| f.stream == StreamKind::Raw));

        let s = LogStream::new(
            chunks(vec![b"\x01\0\0\0\0\0\0\x05ab"]),
            LogMode::Multiplexed,
        );
        let frames: Vec<_> = s.collect().await;
        assert!(matches!(
            frames.as_slice(),
            [Err(Error::InvalidFrame { .. })]
        ));
    }

    #[tokio::test]
    async fn auto_mode_tells_frames_from_tty_output_by_the_first_bytes() {
        let s = LogStream::new(
            chunks(vec![b"\x01\0\0", b"\0\0\0\0\x02h", b"i"]),
            LogMode::Auto,
        );
        let frames: Vec<_> = s.map(|f| f.unwrap()).collect().await;
        assert_eq!(frames.len(), 1);
        assert_eq!(frames[0].stream, StreamKind::Stdout);
        assert_eq!(frames[0].data, Bytes::from_static(b"hi"));

        let s = LogStream::new(chunks(vec![b"$ ", b"ls\r\n", b"bin\r\n"]), LogMode::Auto);
        let frames: Vec<_> = s.map(|f| f.unwrap()).collect().await;
        assert!(frames.iter().all(|f| f.stream == StreamKind::Raw));
        let text: Vec<u8> = frames.iter().flat_map(|f| f.data.to_vec()).collect();
        assert_eq!(text, b"$ ls\r\nbin\r\n");

        let s = LogStream::new(chunks(vec![b"ok"]), LogMode::Auto);
        let frames: Vec<_> = s.map(|f| f.unwrap()).collect().await;
        assert_eq!(frames.len(), 1);
        assert_eq!(frames[0].data, Bytes::from_static(b"ok"));
        assert!(LogStream::new(chunks(vec![]), LogMode::Auto)
            .next()
            .await
            .is_none());
    }

    #[tokio::test]
    async fn json_lines_stream_flushes_last_value() {
        let s =
            JsonLines::<serde_json::Value>::new(chunks(vec![b"{\"a\":1}\n{\"b\"", b":2}"]), "t");
        let items: Vec<_> = s.map(|r| r.unwrap()).collect().await;
        assert_eq!(
            items,
            vec![serde_json::json!({"a":1}), serde_json::json!({"b":2})]
        );
    }

    #[test]
    fn auto_mode_uses_content_type() {
        assert_eq!(
            LogMode::Auto.resolve(Some("application/vnd.docker.raw-stream")),
            LogMode::Raw
        );
        assert_eq!(
            LogMode::Auto.resolve(Some("application/vnd.docker.multiplexed-stream")),
            LogMode::Multiplexed
        );
        assert_eq!(LogMode::Auto.resolve(None), LogMode::Multiplexed);
        assert_eq!(LogMode::Raw.resolve(Some("x")), LogMode::Raw);
    }
}
