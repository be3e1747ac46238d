//! Hijacked (HTTP-upgraded) connections for attach / exec start with stdin.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// Bidirectional raw stream after `101 Switching Protocols`.
/// Write stdin to it; read multiplexed (or raw, with TTY) output from it, e.g. via
/// `LogStream::new(byte_stream_from_reader(read_half), mode)`. `shutdown()` half-closes
/// the write side so the container sees EOF on stdin.
#[derive(Debug)]
pub struct Duplex {
    io: TokioIo<hyper::upgrade::Upgraded>,
    /// The client's connection slot, held while the hijacked connection lives.
    _slot: Option<tokio::sync::OwnedSemaphorePermit>,
}

impl Duplex {
    pub(crate) fn new(
        upgraded: hyper::upgrade::Upgraded,
        slot: Option<tokio::sync::OwnedSemaphorePermit>,
    ) -> Self {
        Self {
            io: TokioIo::new(upgraded),
            _slot: slot,
        }
    }
}

impl AsyncRead for Duplex {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_read(cx, buf)
    }
}

impl AsyncWrite for Duplex {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
}
