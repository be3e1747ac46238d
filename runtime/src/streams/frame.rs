//! Decoder for Docker's multiplexed stdout/stderr stream (8-byte frame headers).
//!
//! Each frame is `[stream_type, 0, 0, 0, len_be_u32...]` followed by `len` payload bytes.

use bytes::{Buf, Bytes, BytesMut};

use crate::error::Error;
use crate::limits::{Limit, DEFAULT_MAX_FRAME};

/// Which stream a frame belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StreamKind {
    /// Type 0: stdin (echoed input).
    Stdin,
    /// Type 1: stdout.
    Stdout,
    /// Type 2: stderr.
    Stderr,
    /// Type 3: daemon-side error (e.g. exec failure) in newer daemons.
    SystemErr,
    /// TTY passthrough: no framing, stdout and stderr merged.
    Raw,
}

/// One chunk of container output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogFrame {
    /// Origin stream.
    pub stream: StreamKind,
    /// Payload bytes.
    pub data: Bytes,
}

const HEADER_LEN: usize = 8;

/// Incremental frame decoder: feed bytes with [`push`](Self::push), pull frames with
/// [`next_frame`](Self::next_frame), call [`finish`](Self::finish) at end of input.
/// A header announcing more than the frame limit is rejected as soon as it is read, so
/// memory never grows with a length taken from the wire.
#[derive(Debug)]
pub struct FrameDecoder {
    buf: BytesMut,
    offset: u64,
    max_frame: usize,
}

impl Default for FrameDecoder {
    fn default() -> Self {
        Self::with_max_frame(DEFAULT_MAX_FRAME)
    }
}

impl FrameDecoder {
    /// New decoder at stream offset 0 with the default frame limit.
    pub fn new() -> Self {
        Self::default()
    }

    /// New decoder rejecting frames whose payload exceeds `max_frame` bytes.
    pub fn with_max_frame(max_frame: usize) -> Self {
        Self {
            buf: BytesMut::new(),
            offset: 0,
            max_frame,
        }
    }

    /// Appends received bytes.
    pub fn push(&mut self, data: &[u8]) {
        self.buf.extend_from_slice(data);
    }

    /// Returns the next complete frame, `Ok(None)` if more bytes are needed.
    pub fn next_frame(&mut self) -> Result<Option<LogFrame>, Error> {
        let Some(header) = self.buf.get(..HEADER_LEN) else {
            return Ok(None);
        };
        let mut h = [0u8; HEADER_LEN];
        h.copy_from_slice(header);
        let stream = match h[0] {
            0 => StreamKind::Stdin,
            1 => StreamKind::Stdout,
            2 => StreamKind::Stderr,
            3 => StreamKind::SystemErr,
            other => {
                return Err(Error::InvalidFrame {
                    offset: self.offset,
                    reason: format!("unknown stream type {other} (is the container using a TTY?)"),
                })
            }
        };
        if h[1..4] != [0, 0, 0] {
            return Err(Error::InvalidFrame {
                offset: self.offset,
                reason: format!("reserved header bytes are {:?}, expected zeros", &h[1..4]),
            });
        }
        let len = u32::from_be_bytes([h[4], h[5], h[6], h[7]]) as usize;
        if len > self.max_frame {
            return Err(Error::LimitExceeded {
                limit: Limit::Frame,
                max: self.max_frame,
                context: format!(
                    "multiplexed stream frame of {len} bytes at byte {}",
                    self.offset
                ),
            });
        }
        if self.buf.len() < HEADER_LEN + len {
            // Reserve for the announced (bounded) frame at once rather than growing by doubling.
            self.buf.reserve(HEADER_LEN + len - self.buf.len());
            return Ok(None);
        }
        self.buf.advance(HEADER_LEN);
        let data = self.buf.split_to(len).freeze();
        self.offset += (HEADER_LEN + len) as u64;
        Ok(Some(LogFrame { stream, data }))
    }

    /// Checks that input ended on a frame boundary.
    pub fn finish(&self) -> Result<(), Error> {
        if self.buf.is_empty() {
            Ok(())
        } else {
            Err(Error::InvalidFrame {
                offset: self.offset,
                reason: format!(
                    "stream ended inside a frame ({} trailing bytes)",
                    self.buf.len()
                ),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(kind: u8, data: &[u8]) -> Vec<u8> {
        let mut v = vec![kind, 0, 0, 0];
        v.extend_from_slice(&(data.len() as u32).to_be_bytes());
        v.extend_from_slice(data);
        v
    }

    fn decode_all(chunks: &[&[u8]]) -> Result<Vec<LogFrame>, Error> {
        let mut d = FrameDecoder::new();
        let mut out = Vec::new();
        for c in chunks {
            d.push(c);
            while let Some(f) = d.next_frame()? {
                out.push(f);
            }
        }
        d.finish()?;
        Ok(out)
    }

    #[test]
    fn every_split_position_gives_same_frames() {
        let mut input = frame(1, b"hello\n");
        input.extend(frame(2, b"err\n"));
        input.extend(frame(1, b""));
        input.extend(frame(0, b"in"));
        input.extend(frame(3, b"oops"));
        let expected = vec![
            LogFrame {
                stream: StreamKind::Stdout,
                data: Bytes::from_static(b"hello\n"),
            },
            LogFrame {
                stream: StreamKind::Stderr,
                data: Bytes::from_static(b"err\n"),
            },
            LogFrame {
                stream: StreamKind::Stdout,
                data: Bytes::new(),
            },
            LogFrame {
                stream: StreamKind::Stdin,
                data: Bytes::from_static(b"in"),
            },
            LogFrame {
                stream: StreamKind::SystemErr,
                data: Bytes::from_static(b"oops"),
            },
        ];
        for i in 0..=input.len() {
            for j in i..=input.len() {
                let got = decode_all(&[&input[..i], &input[i..j], &input[j..]]).unwrap();
                assert_eq!(got, expected, "split at {i},{j}");
            }
        }
        // byte at a time
        let singles: Vec<&[u8]> = input.chunks(1).collect();
        assert_eq!(decode_all(&singles).unwrap(), expected);
    }

    #[test]
    fn truncated_and_bad_headers_are_errors() {
        let input = frame(1, b"hello");
        for cut in 1..input.len() {
            assert!(matches!(
                decode_all(&[&input[..cut]]),
                Err(Error::InvalidFrame { offset: 0, .. })
            ));
        }
        let mut two = frame(1, b"ok");
        two.extend([7, 0, 0, 0, 0, 0, 0, 1, b'x']);
        match decode_all(&[&two]) {
            Err(Error::InvalidFrame { offset, .. }) => assert_eq!(offset, 10),
            other => panic!("unexpected {other:?}"),
        }
        assert!(decode_all(&[&[1, 9, 0, 0, 0, 0, 0, 0]]).is_err());
        assert!(decode_all(&[b"hello world\n"]).is_err());
    }

    #[test]
    fn oversized_frame_header_is_rejected_before_buffering() {
        let mut d = FrameDecoder::with_max_frame(1024);
        d.push(&frame(1, &[b'x'; 1024]));
        assert_eq!(d.next_frame().unwrap().unwrap().data.len(), 1024);
        // A header announcing 4 GiB - 1: the error comes from the 8 header bytes alone.
        d.push(&[1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);
        match d.next_frame() {
            Err(Error::LimitExceeded {
                limit: Limit::Frame,
                max: 1024,
                context,
            }) => assert!(
                context.contains("4294967295 bytes at byte 1032"),
                "{context}"
            ),
            other => panic!("unexpected {other:?}"),
        }
        assert!(d.buf.capacity() < 1 << 20);
    }
}
