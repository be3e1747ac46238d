//! The upstream spec corpus: where it is, what it must contain, loading it.

pub mod fetch;
pub mod load;
pub mod locate;
pub mod sources;
pub mod verify;

pub use load::{Corpus, CorpusEntry, CorpusError, CorpusOptions};
pub use sources::{Sources, SpecSource};
