//! YAML → [`Document`], with errors located by line and column.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

use serde::de::DeserializeOwned;

use super::document::{Document, Entries, PathItem, Schema};
use super::sections;
use crate::ingest::IngestError;

/// Parses the YAML text of a Swagger document. Syntax errors and values of the
/// wrong shape (for example `paths` written as a list) are reported with their
/// line and column; the message names the offending key path where the YAML
/// library knows it.
pub fn parse_document(file: &Path, text: &str) -> Result<Document, IngestError> {
    serde_norway::from_str::<Document>(text).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((0, 0));
        IngestError::Syntax {
            file: file.to_path_buf(),
            line,
            column,
            message: strip_location(&e.to_string()),
        }
    })
}

/// Drops the library's own ` at line L column C` suffix (the error prints its own).
fn strip_location(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(pos) => message.get(..pos).unwrap_or(message).to_owned(),
        None => message.to_owned(),
    }
}

/// Parsed `definitions` and `paths` entries, keyed by their exact text, shared
/// by the documents of one corpus load (and by its threads).
///
/// Neighbouring API versions repeat most entries word for word, so the corpus
/// parses each distinct entry once instead of once per document.
#[derive(Debug, Default)]
pub struct ParseCache {
    definitions: Mutex<HashMap<String, Vec<(String, Schema)>>>,
    paths: Mutex<HashMap<String, Vec<(String, PathItem)>>>,
    whole: AtomicUsize,
    reused: AtomicUsize,
}

impl ParseCache {
    /// How many documents had to be parsed whole (they could not be cut).
    pub fn whole_parses(&self) -> usize {
        self.whole.load(Ordering::Relaxed)
    }

    /// How many pieces were taken from the cache instead of parsed.
    pub fn reused_pieces(&self) -> usize {
        self.reused.load(Ordering::Relaxed)
    }

    /// How many distinct pieces were parsed.
    pub fn distinct_pieces(&self) -> usize {
        lock(&self.definitions).len() + lock(&self.paths).len()
    }
}

/// Parses like [`parse_document`], reading each `definitions` / `paths` entry
/// through `cache`. The result is the same document; whenever the text cannot
/// be cut into pieces that parse alone (see [`sections`]), or a piece fails,
/// the whole text is parsed instead, so errors and their locations are those
/// of [`parse_document`]. (One difference remains: a piece nests two levels
/// less than in the whole text, so a document nested just past the YAML
/// library's recursion limit is read instead of refused.)
pub fn parse_document_shared(
    file: &Path,
    text: &str,
    cache: &ParseCache,
) -> Result<Document, IngestError> {
    match sections::split(text).and_then(|cut| assemble(&cut, cache)) {
        Some(doc) => Ok(doc),
        None => {
            cache.whole.fetch_add(1, Ordering::Relaxed);
            parse_document(file, text)
        }
    }
}

/// The document from its skeleton and cached entries, or `None` if any piece
/// does not parse alone.
fn assemble(cut: &sections::Sections<'_>, cache: &ParseCache) -> Option<Document> {
    let mut doc: Document = serde_norway::from_str(&cut.skeleton).ok()?;
    if let Some(texts) = &cut.definitions {
        doc.definitions = Entries(entries(cache, &cache.definitions, texts)?);
    }
    if let Some(texts) = &cut.paths {
        doc.paths = Some(Entries(entries(cache, &cache.paths, texts)?));
    }
    Some(doc)
}

/// The entries of a split section, piece by piece.
fn entries<T: DeserializeOwned + Clone>(
    cache: &ParseCache,
    map: &Mutex<HashMap<String, Vec<(String, T)>>>,
    pieces: &[&str],
) -> Option<Vec<(String, T)>> {
    let mut out = Vec::new();
    for piece in pieces {
        out.extend(piece_entries(cache, map, piece)?);
    }
    Some(out)
}

/// The entries of one piece, from the cache or parsed (and cached); `None`
/// when the piece does not parse alone into at least one entry.
fn piece_entries<T: DeserializeOwned + Clone>(
    cache: &ParseCache,
    map: &Mutex<HashMap<String, Vec<(String, T)>>>,
    piece: &str,
) -> Option<Vec<(String, T)>> {
    if let Some(hit) = lock(map).get(piece) {
        cache.reused.fetch_add(1, Ordering::Relaxed);
        return Some(hit.clone());
    }
    let Entries(list) = serde_norway::from_str::<Entries<T>>(piece).ok()?;
    if list.is_empty() {
        return None;
    }
    lock(map).insert(piece.to_owned(), list.clone());
    Some(list)
}

/// The map, even if another thread panicked while holding it (entries are
/// inserted whole, so the map is never half-written).
fn lock<T>(cache: &Mutex<T>) -> MutexGuard<'_, T> {
    cache
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
