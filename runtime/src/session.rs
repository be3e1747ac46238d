//! Attach / exec sessions: the hijacked connection split into a typed output stream and
//! an input writer, with the output framing taken from the response.

use tokio::io::WriteHalf;

use crate::streams::{byte_stream_from_reader, with_idle_timeout, LogMode, LogStream};
use crate::upgrade::Duplex;
use crate::version::ApiVersion;

/// Write half of a session: the container's stdin. `shutdown()` half-closes it so the
/// process sees end of input while output keeps flowing.
pub type SessionInput = WriteHalf<Duplex>;

/// An interactive attach or exec session (like bollard's `AttachContainerResults`).
#[derive(Debug)]
#[non_exhaustive]
pub struct Session {
    /// Container output: multiplexed stdout/stderr frames, or [`crate::StreamKind::Raw`]
    /// chunks when the process has a TTY.
    pub output: LogStream,
    /// Container input.
    pub input: SessionInput,
    /// How the output is framed: `Raw` (TTY) or `Multiplexed` when the response said so,
    /// `Auto` when the daemon does not tell (API < 1.42) and the first 8 output bytes decide.
    pub mode: LogMode,
    /// The response `Content-Type`, if any.
    pub content_type: Option<String>,
}

/// The outcome of starting an exec instance (like bollard's `StartExecResults`).
#[derive(Debug)]
#[non_exhaustive]
pub enum ExecStarted {
    /// The command runs attached: its session.
    Attached(Session),
    /// `Detach: true`: the daemon started the command and answered without upgrading.
    Detached,
}

impl ExecStarted {
    /// The session, or `None` for a detached start.
    pub fn into_session(self) -> Option<Session> {
        match self {
            ExecStarted::Attached(s) => Some(s),
            ExecStarted::Detached => None,
        }
    }
}

/// Output framing from the response: `application/vnd.docker.multiplexed-stream` means
/// frames; `application/vnd.docker.raw-stream` means a TTY only from API 1.42 on (older
/// daemons send it for every attach). `requested` wins unless it is `Auto`.
pub(crate) fn session_mode(
    requested: LogMode,
    content_type: Option<&str>,
    api: ApiVersion,
) -> LogMode {
    if requested != LogMode::Auto {
        return requested;
    }
    match content_type {
        Some(ct) if ct.starts_with("application/vnd.docker.multiplexed-stream") => {
            LogMode::Multiplexed
        }
        Some(ct)
            if ct.starts_with("application/vnd.docker.raw-stream")
                && api >= ApiVersion::new(1, 42) =>
        {
            LogMode::Raw
        }
        _ => LogMode::Auto,
    }
}

/// Splits an upgraded connection into a [`Session`].
pub(crate) fn session(
    duplex: Duplex,
    requested: LogMode,
    content_type: Option<String>,
    api: ApiVersion,
    policy: crate::limits::ReadPolicy,
) -> Session {
    let mode = session_mode(requested, content_type.as_deref(), api);
    let (read, input) = tokio::io::split(duplex);
    let mut bytes = byte_stream_from_reader(read);
    if let Some(limit) = policy.stream_idle_timeout {
        bytes = with_idle_timeout(bytes, limit);
    }
    Session {
        output: LogStream::with_max_frame(bytes, mode, policy.limits.max_frame),
        input,
        mode,
        content_type,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mode_follows_content_type_only_where_the_daemon_means_it() {
        let raw = Some("application/vnd.docker.raw-stream");
        let mux = Some("application/vnd.docker.multiplexed-stream");
        let (old, new) = (ApiVersion::new(1, 41), ApiVersion::new(1, 42));
        assert_eq!(session_mode(LogMode::Auto, raw, new), LogMode::Raw);
        assert_eq!(session_mode(LogMode::Auto, raw, old), LogMode::Auto);
        assert_eq!(session_mode(LogMode::Auto, mux, old), LogMode::Multiplexed);
        assert_eq!(session_mode(LogMode::Auto, None, new), LogMode::Auto);
        assert_eq!(session_mode(LogMode::Raw, mux, new), LogMode::Raw);
    }
}
