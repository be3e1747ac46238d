//! The upstream spec corpus: where it is, what it must contain, loading it.

pub mod fetch;
pub mod format;
pub mod load;
pub mod locate;
pub mod sources;
pub mod verify;

pub use format::SpecFormat;
pub use load::{Corpus, CorpusEntry, CorpusError, CorpusOptions};
pub use locate::{beside_checkout, locate, locate_clients_in, locate_in, LocateError, Located};
pub use sources::{Sources, SpecSource};
