//! The client generator on the real corpus: every operation of the matrix becomes a
//! method, gates carry the matrix' ranges (widened by shims), output is deterministic.

use crate::common;

use dockmatrix_core::corpus::{Corpus, CorpusOptions};
use dockmatrix_core::pipeline::{load_documents, matrix_from};
use dockmatrix_gen::generated::client::generate;

fn file<'a>(files: &'a [dockmatrix_gen::generated::GeneratedFile], path: &str) -> &'a str {
    let f = files
        .iter()
        .find(|f| f.path.to_str() == Some(path))
        .unwrap_or_else(|| panic!("{path} not generated"));
    std::str::from_utf8(&f.contents).unwrap()
}

#[test]
fn every_operation_gated_and_deterministic() {
    let corpus = Corpus::open(&CorpusOptions {
        dir: Some(common::corpus_dir()),
        no_verify: false,
    })
    .unwrap();
    let (docs, models) = load_documents(&corpus).unwrap();
    let matrix = matrix_from(&corpus, &models).unwrap();
    let (files, notes) = generate(&docs, &matrix).unwrap();
    let (again, _) = generate(&docs, &matrix).unwrap();
    assert_eq!(files, again, "generation is deterministic");

    // One async method per operation of the matrix (removed ones included), plus its
    // `…_with` form taking the options when it has any.
    let names: Vec<String> = files
        .iter()
        .filter(|f| f.path.extension().is_some_and(|e| e == "rs"))
        .filter(|f| !f.path.ends_with("lib.rs"))
        .flat_map(|f| {
            let text = String::from_utf8_lossy(&f.contents).into_owned();
            text.split("pub async fn ")
                .skip(1)
                .map(|rest| format!("{}:{}", f.path.display(), rest.split('(').next().unwrap()))
                .collect::<Vec<_>>()
        })
        .collect();
    let (with, plain): (Vec<&String>, Vec<&String>) =
        names.iter().partition(|n| n.ends_with("_with"));
    assert_eq!(plain.len(), matrix.operations.len());
    for w in &with {
        let base = w.trim_end_matches("_with");
        assert!(plain.iter().any(|p| *p == base), "{w} has no plain form");
    }
    assert!(with.iter().any(|w| w.ends_with("containers.rs:logs_with")));
    assert!(!with
        .iter()
        .any(|w| w.ends_with("containers.rs:export_with")));
    let removed: Vec<String> = matrix
        .operations
        .iter()
        .filter(|o| o.lifecycle.removed_in.is_some())
        .map(|o| o.display())
        .collect();
    for gone in [
        "POST /containers/{id}/copy",
        "POST /images/{name}/insert",
        "GET /auth",
    ] {
        assert!(
            removed.iter().any(|r| r == gone),
            "{gone} is a removed operation: {removed:?}"
        );
    }

    let gates = file(&files, "client/src/gates.rs");
    // ContainerPrune arrived in 1.25 (Swagger v1.25 is its first document).
    assert!(gates.contains(
        "pub static CONTAINER_PRUNE: OperationInfo = OperationInfo::new(\n    \"ContainerPrune\",\n    HttpMethod::Post,\n    \"/containers/prune\",\n    &[VersionRange::new(Some(ApiVersion::new(1, 25)), None)],"
    ));
    // `signal` of stop: 1.42+.
    assert!(gates.contains("\"signal\",\n    ParamLocation::Query,\n    &[VersionRange::new(Some(ApiVersion::new(1, 42)), None)],"));
    // reserved-space is 1.48+ in the matrix; the rename shim widens it to keep-storage's 1.39.
    let reserved = gates
        .split("pub static BUILD_PRUNE_Q_RESERVED_SPACE")
        .nth(1)
        .unwrap();
    let reserved = reserved.split(';').next().unwrap();
    assert!(
        reserved.contains("Some(ApiVersion::new(1, 39)), None"),
        "{reserved}"
    );
    // A removed-before-Swagger operation is still there, gated to its markdown range.
    assert!(gates.contains("\"/containers/{id}/copy\""));
    let images = file(&files, "client/src/images.rs");
    assert!(images.contains("filters.remove(\"reference\")"));
    assert!(images.contains("req = req.query(\"keep-storage\", *value);"));
    // Fallbacks are recorded, not silent.
    let listing = file(&files, "client/CODEGEN_NOTES.txt");
    for n in &notes {
        assert!(listing.contains(n.as_str()));
    }
}
