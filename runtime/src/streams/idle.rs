//! Idle timeout for streamed bodies: an error when the daemon sends nothing for too long.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use tokio::time::{Instant, Sleep};

use super::adapters::ByteStream;
use crate::error::Error;

/// Wraps `inner` so that `limit` of silence between two chunks ends it with
/// [`Error::Timeout`]. The timer restarts on every chunk; nothing is buffered.
pub fn with_idle_timeout(inner: ByteStream, limit: Duration) -> ByteStream {
    Box::pin(IdleTimeout {
        inner,
        limit,
        sleep: Box::pin(tokio::time::sleep(limit)),
        done: false,
    })
}

struct IdleTimeout {
    inner: ByteStream,
    limit: Duration,
    sleep: Pin<Box<Sleep>>,
    done: bool,
}

impl Stream for IdleTimeout {
    type Item = <ByteStream as Stream>::Item;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.done {
            return Poll::Ready(None);
        }
        match this.inner.as_mut().poll_next(cx) {
            Poll::Ready(item) => {
                this.sleep.as_mut().reset(Instant::now() + this.limit);
                this.done = item.is_none();
                Poll::Ready(item)
            }
            Poll::Pending => match this.sleep.as_mut().poll(cx) {
                Poll::Ready(()) => {
                    this.done = true;
                    Poll::Ready(Some(Err(Error::Timeout {
                        phase: "waiting for stream data",
                        after: this.limit,
                    })))
                }
                Poll::Pending => Poll::Pending,
            },
        }
    }
}
