//! The corpus load parses each distinct `definitions` / `paths` entry once
//! (`ParseCache`): on every real Swagger document that must give exactly the
//! document the whole-text parse gives, and it must really share.

use crate::common;

use std::path::Path;

use dockmatrix_core::ingest::swagger::parse::{parse_document, parse_document_shared};
use dockmatrix_core::ingest::ParseCache;

#[test]
fn shared_parse_gives_the_whole_parse_on_every_swagger_document() {
    let dir = common::corpus_dir();
    let cache = ParseCache::default();
    let mut entries = 0;
    for minor in 25..=55 {
        let file = dir.join(format!("v1.{minor}.yaml"));
        let text = std::fs::read_to_string(&file).expect("corpus file");
        let whole = parse_document(&file, &text).expect("whole parse");
        let shared = parse_document_shared(&file, &text, &cache).expect("shared parse");
        assert!(whole == shared, "v1.{minor}: the shared parse differs");
        entries += whole.definitions.0.len() + whole.paths.map_or(0, |p| p.0.len());
    }
    assert_eq!(cache.whole_parses(), 0, "every document should be cut");
    let (distinct, reused) = (cache.distinct_pieces(), cache.reused_pieces());
    assert!(
        distinct + reused <= entries && reused > 3 * distinct,
        "{distinct} distinct pieces, {reused} reused, {entries} entries"
    );
}

#[test]
fn documents_that_cannot_be_cut_are_parsed_whole_with_the_same_result_and_error() {
    let cache = ParseCache::default();
    let file = Path::new("v1.25.yaml");
    let cases = [
        // A quoted description continued at the entries' indentation, ending in `:`.
        "swagger: \"2.0\"\npaths:\n  /a:\n    get:\n      description: \"one\n  two:\n  three\"\n      responses: {}\n",
        // Two documents.
        "swagger: \"2.0\"\n---\npaths:\n  /a: {}\n",
        // An alias to an anchor of another entry.
        "swagger: \"2.0\"\ndefinitions:\n  A: &a\n    type: string\n  B:\n    x: *a\n",
        // Broken YAML inside an entry.
        "swagger: \"2.0\"\ndefinitions:\n  A:\n    type: [string\n",
    ];
    for text in cases {
        let whole = parse_document(file, text).map_err(|e| e.to_string());
        let shared = parse_document_shared(file, text, &cache).map_err(|e| e.to_string());
        assert!(whole == shared, "{text:?}: {whole:?} / {shared:?}");
    }
    assert!(parse_document(file, cases[3]).is_err());
    assert_eq!(cache.whole_parses(), cases.len());
}
