//! Cuts the YAML text of a Swagger document into pieces that parse alone.
//!
//! Consecutive API versions share almost all of their text: between two
//! neighbours only a few `definitions` and `paths` entries change. Cutting a
//! document at its top-level keys, and `definitions` / `paths` at their
//! two-space-indented entries, lets the parser read each distinct entry once
//! for the whole corpus ([`super::parse::ParseCache`]).
//!
//! The cut is purely textual and conservative: anything it does not
//! recognise as plain block-style YAML (document markers, directives,
//! sequences or flow collections at the root, a split key written twice or
//! quoted, content before the first entry) gives `None`, and the caller parses
//! the whole text instead. A cut in the wrong place cannot go unnoticed either:
//! it leaves a scalar or collection open, so a piece fails to parse alone and
//! the caller again parses the whole text.

/// A document cut into a skeleton and pieces of its split sections, each
/// piece the text of one or more consecutive entries.
#[derive(Debug, Default)]
pub struct Sections<'a> {
    /// Every top-level key except the split `definitions` and `paths`, in order.
    pub skeleton: String,
    /// The pieces of `definitions`, if the section was split.
    pub definitions: Option<Vec<&'a str>>,
    /// The pieces of `paths`, if the section was split.
    pub paths: Option<Vec<&'a str>>,
}

/// Which top-level section the current line belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    /// Kept in the skeleton.
    Other,
    /// `definitions:`, split at its entries.
    Definitions,
    /// `paths:`, split at its entries.
    Paths,
}

/// Cuts `text`, or `None` when the text is not in the plain block style the
/// cut relies on.
pub fn split(text: &str) -> Option<Sections<'_>> {
    let mut cut = Cutter {
        text,
        out: Sections::default(),
        section: Section::Other,
        pieces: Vec::new(),
        piece_start: None,
    };
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        cut.line(line, start)?;
    }
    cut.close_section(text.len())?;
    Some(cut.out)
}

/// The state of one cut: the section being read and its pieces so far.
struct Cutter<'a> {
    text: &'a str,
    out: Sections<'a>,
    section: Section,
    pieces: Vec<&'a str>,
    piece_start: Option<usize>,
}

impl<'a> Cutter<'a> {
    /// Takes one line starting at byte `start`; `None` when the cut gives up.
    fn line(&mut self, line: &str, start: usize) -> Option<()> {
        let first = line.as_bytes().first().copied().unwrap_or(b'\n');
        if !matches!(first, b' ' | b'\n' | b'\r' | b'#') {
            self.close_section(start)?;
            self.section = top_level(line)?;
            if self.section == Section::Other {
                self.out.skeleton.push_str(line);
            } else if self.already_split() {
                return None;
            }
            return Some(());
        }
        if self.section == Section::Other {
            self.out.skeleton.push_str(line);
            return Some(());
        }
        let entry = is_entry_line(line);
        if entry && (self.piece_start.is_none() || ends_with_colon(line)) {
            if let Some(from) = self.piece_start.replace(start) {
                self.pieces.push(self.text.get(from..start)?);
            }
        } else if self.piece_start.is_none() && !is_blank_or_comment(line) {
            return None;
        }
        Some(())
    }

    /// Whether the current section was already cut once (a duplicated key:
    /// the parser decides).
    fn already_split(&self) -> bool {
        match self.section {
            Section::Definitions => self.out.definitions.is_some(),
            Section::Paths => self.out.paths.is_some(),
            Section::Other => false,
        }
    }

    /// Ends the current section at byte `end`, storing its pieces. `None`
    /// when a split section has no entry.
    fn close_section(&mut self, end: usize) -> Option<()> {
        if self.section == Section::Other {
            return Some(());
        }
        let from = self.piece_start.take()?;
        self.pieces.push(self.text.get(from..end)?);
        let list = std::mem::take(&mut self.pieces);
        match self.section {
            Section::Definitions => self.out.definitions = Some(list),
            Section::Paths => self.out.paths = Some(list),
            Section::Other => {}
        }
        Some(())
    }
}

/// Classifies a line that starts at column 0: one of the split headers, or
/// another plain key. `None` for what the cut does not handle.
fn top_level(line: &str) -> Option<Section> {
    let trimmed = line.trim_end();
    match trimmed {
        "definitions:" => return Some(Section::Definitions),
        "paths:" => return Some(Section::Paths),
        _ => {}
    }
    let first = trimmed.chars().next()?;
    if !(first.is_ascii_alphanumeric() || matches!(first, '_' | '$' | '"' | '\'')) {
        return None;
    }
    // `paths: {}`, `"paths":` and the like: leave the whole text to the parser.
    let bare = trimmed.trim_start_matches(['"', '\'']);
    if bare.starts_with("paths") || bare.starts_with("definitions") {
        return None;
    }
    Some(Section::Other)
}

/// A line indented by exactly two spaces with content: an entry's key.
fn is_entry_line(line: &str) -> bool {
    let bytes = line.as_bytes();
    bytes.len() > 2
        && bytes[0] == b' '
        && bytes[1] == b' '
        && !matches!(bytes[2], b' ' | b'\n' | b'\r' | b'#')
}

/// Whether the line ends with `:`, as the key of an entry whose value follows
/// on the next lines does. Only such lines start a new piece (after the
/// first): entries written on one line stay in the piece before them, which
/// then holds several entries, and a line continuing a quoted scalar at that
/// indentation rarely ends with `:` (if it does, a piece fails to parse and
/// the whole text is parsed instead).
fn ends_with_colon(line: &str) -> bool {
    line.trim_end().ends_with(':')
}

/// A line with nothing but spaces, or a comment.
fn is_blank_or_comment(line: &str) -> bool {
    let trimmed = line.trim_start_matches(' ');
    trimmed.trim().is_empty() || trimmed.starts_with('#')
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "swagger: \"2.0\"\ninfo:\n  version: \"1.25\"\ndefinitions:\n  A:\n    type: string\n\n  # note\n  B:\n    type: object\npaths:\n  /a:\n    get: {}\ntags: []\n";

    #[test]
    fn cuts_entries_and_keeps_the_rest_in_order() {
        let s = split(TEXT).expect("splits");
        assert_eq!(
            s.skeleton,
            "swagger: \"2.0\"\ninfo:\n  version: \"1.25\"\ntags: []\n"
        );
        assert_eq!(
            s.definitions,
            Some(vec![
                "  A:\n    type: string\n\n  # note\n",
                "  B:\n    type: object\n"
            ])
        );
        assert_eq!(s.paths, Some(vec!["  /a:\n    get: {}\n"]));
    }

    #[test]
    fn refuses_what_it_does_not_handle() {
        for text in [
            "---\npaths:\n  /a: {}\n",
            "paths:\n  /a: {}\npaths:\n  /b: {}\n",
            "\"paths\":\n  /a: {}\n",
            "paths: {}\n",
            "paths:\n    /deep: {}\n",
            "paths:\n",
            "- a\n",
            "%YAML 1.1\npaths:\n  /a: {}\n",
        ] {
            assert!(split(text).is_none(), "{text:?}");
        }
    }

    #[test]
    fn leaves_documents_without_split_sections_whole() {
        let s = split("swagger: \"2.0\"\ninfo: {}\n").expect("splits");
        assert_eq!(s.skeleton, "swagger: \"2.0\"\ninfo: {}\n");
        assert!(s.definitions.is_none() && s.paths.is_none());
    }
}
