//! Presentation shared by every reader of the analysis: lifecycles in words
//! ([`describe`]) and as strips ([`timeline`]), tables ([`table`]) and usage
//! check reports ([`usage`]). The command line, the reports and the site all
//! show the same facts the same way because they all come through here.

pub mod describe;
pub mod table;
pub mod timeline;
pub mod usage;
pub mod witnesses;

pub use timeline::{presence_strip, timeline_ticks};
