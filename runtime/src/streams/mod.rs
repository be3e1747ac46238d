//! Stream codecs (sans-I/O decoders) and the `Stream` adapters built on them.

pub mod adapters;
pub mod frame;
pub mod idle;
pub mod json_lines;

pub use adapters::{byte_stream_from_reader, ByteStream, JsonLines, LogMode, LogStream};
pub use frame::{FrameDecoder, LogFrame, StreamKind};
pub use idle::with_idle_timeout;
pub use json_lines::JsonLinesDecoder;
