//! Conversion state shared by the converter's parts: the file, the warnings, and
//! cheap JSON-pointer locations rendered only when something is reported.

use std::fmt::Write as _;
use std::path::Path;

use crate::ingest::{IngestError, SpecWarning};

/// A JSON-pointer location built as a linked list on the stack; rendering is lazy.
#[derive(Debug, Clone, Copy)]
pub struct Loc<'a> {
    parent: Option<&'a Loc<'a>>,
    segment: Segment<'a>,
}

#[derive(Debug, Clone, Copy)]
enum Segment<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

impl<'a> Loc<'a> {
    /// The document root (`""`).
    pub const ROOT: Loc<'static> = Loc {
        parent: None,
        segment: Segment::Root,
    };

    /// The child under a mapping key.
    pub fn key(&'a self, key: &'a str) -> Loc<'a> {
        Loc {
            parent: Some(self),
            segment: Segment::Key(key),
        }
    }

    /// The child at a sequence index.
    pub fn index(&'a self, index: usize) -> Loc<'a> {
        Loc {
            parent: Some(self),
            segment: Segment::Index(index),
        }
    }

    /// The last segment if it is a mapping key.
    pub fn last_key(&self) -> Option<&'a str> {
        match self.segment {
            Segment::Key(k) => Some(k),
            _ => None,
        }
    }

    /// Renders the location as a JSON pointer (RFC 6901).
    pub fn pointer(&self) -> String {
        let mut segments = Vec::new();
        let mut current = Some(self);
        while let Some(loc) = current {
            segments.push(loc.segment);
            current = loc.parent;
        }
        let mut out = String::new();
        for segment in segments.iter().rev() {
            match segment {
                Segment::Root => {}
                Segment::Key(k) => {
                    out.push('/');
                    out.push_str(&escape_pointer(k));
                }
                Segment::Index(i) => {
                    let _ = write!(out, "/{i}");
                }
            }
        }
        out
    }
}

/// Escapes one JSON-pointer segment (`~` → `~0`, `/` → `~1`).
pub fn escape_pointer(segment: &str) -> String {
    if segment.contains(['~', '/']) {
        segment.replace('~', "~0").replace('/', "~1")
    } else {
        segment.to_owned()
    }
}

/// The file being converted and the warnings gathered so far.
#[derive(Debug)]
pub struct Ctx<'f> {
    /// The file (for errors).
    pub file: &'f Path,
    /// Its file name (for warnings).
    pub file_name: String,
    /// Warnings so far, in document order.
    pub warnings: Vec<SpecWarning>,
}

impl<'f> Ctx<'f> {
    /// Starts converting `file`.
    pub fn new(file: &'f Path) -> Self {
        let file_name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| file.display().to_string());
        Self {
            file,
            file_name,
            warnings: Vec::new(),
        }
    }

    /// Records an upstream defect at `loc`.
    pub fn warn(&mut self, loc: &Loc<'_>, message: impl Into<String>) {
        self.warnings.push(SpecWarning {
            file: self.file_name.clone(),
            location: loc.pointer(),
            message: message.into(),
        });
    }

    /// Reports keys Swagger 2.0 does not define for the object at `loc`.
    pub fn warn_unknown(&mut self, loc: &Loc<'_>, unknown: &[String]) {
        for key in unknown {
            self.warn(
                &loc.key(key),
                format!("key {key:?} is not defined by Swagger 2.0 here; ignored"),
            );
        }
    }

    /// A structural error at `loc`.
    pub fn invalid(&self, loc: &Loc<'_>, message: impl Into<String>) -> IngestError {
        IngestError::Invalid {
            file: self.file.to_path_buf(),
            line: None,
            pointer: loc.pointer(),
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_escaped_pointers() {
        let root = Loc::ROOT;
        let paths = root.key("paths");
        let path = paths.key("/containers/{id}/json");
        let get = path.key("get");
        let params = get.key("parameters");
        let first = params.index(0);
        assert_eq!(
            first.pointer(),
            "/paths/~1containers~1{id}~1json/get/parameters/0"
        );
        assert_eq!(root.pointer(), "");
        assert_eq!(escape_pointer("a~b/c"), "a~0b~1c");
    }
}
