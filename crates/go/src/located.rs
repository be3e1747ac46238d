//! A place in a source tree: path and 1-based line.

use std::fmt;

use serde::{Serialize, Serializer};

/// A place in a tag's source: repository path and 1-based line, shown and
/// serialised as `path:line`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Located {
    /// Repository path of the file.
    pub file: String,
    /// 1-based line.
    pub line: u32,
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

impl Serialize for Located {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}
