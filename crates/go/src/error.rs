//! Why Go source could not be parsed.

/// A parser could not be made, or gave up on a file.
#[derive(Debug, thiserror::Error)]
pub enum GoError {
    /// The Go grammar could not be loaded into the parser (a build problem).
    #[error("loading the Go grammar: {0}")]
    Grammar(#[from] tree_sitter::LanguageError),
    /// tree-sitter gave up on a file (cancelled or timed out).
    #[error("parsing {0} failed")]
    Parse(String),
}
