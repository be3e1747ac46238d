//! The client generator on the real corpus: every operation of the matrix becomes a
//! method, gates carry the matrix' ranges (widened by shims), output is deterministic.

use crate::common;

use dockmatrix_core::corpus::{Corpus, CorpusOptions};
use dockmatrix_core::model::served::ServedIndex;
use dockmatrix_core::pipeline::{load_documents, matrix_from};
use dockmatrix_gen::generated::client::generate;

fn file<'a>(files: &'a [dockmatrix_gen::generated::GeneratedFile], path: &str) -> &'a str {
    let f = files
        .iter()
        .find(|f| f.path.to_str() == Some(path))
        .unwrap_or_else(|| panic!("{path} not generated"));
    std::str::from_utf8(&f.contents).unwrap()
}

/// The served facts of the server corpus beside the checkout, as codegen reads them.
fn served_index(matrix: &dockmatrix_core::analysis::Matrix) -> ServedIndex {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = dockmatrix_served::locate_in(repo).expect("server corpus");
    let facts = dockmatrix_served::read_corpus(&dir).expect("server corpus reads");
    dockmatrix_served::index(&facts, &matrix.releases)
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
    let served = served_index(&matrix);
    let (files, notes) = generate(&docs, &matrix, &served).unwrap();
    let (again, _) = generate(&docs, &matrix, &served).unwrap();
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
    // Every release line of the server corpus is in the client's table, by its tag.
    let table = gates
        .split("pub static RELEASES")
        .nth(1)
        .and_then(|t| t.split("];").next())
        .expect("RELEASES table");
    assert_eq!(
        table.matches("ReleaseLine::new(").count(),
        served.releases.len()
    );
    for release in &served.releases {
        assert!(
            table.contains(&format!("\"{}\"", release.tag)),
            "{}",
            release.tag
        );
    }
    let item = |name: &str| {
        gates
            .split(&format!("static {name}:"))
            .nth(1)
            .and_then(|t| t.split(';').next())
            .unwrap_or_else(|| panic!("{name} not in gates.rs"))
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    // ContainerPrune arrived in 1.25 (Swagger v1.25 is its first document); the
    // release lines' code routes it at every requested version.
    let prune = item("CONTAINER_PRUNE");
    assert!(
        prune.contains("OperationInfo::new( \"ContainerPrune\", HttpMethod::Post, \"/containers/prune\", &[VersionRange::new(Some(ApiVersion::new(1, 25)), None)], ) .with_served(SERVED_"),
        "{prune}"
    );
    let table = prune
        .split(".with_served(")
        .nth(1)
        .and_then(|t| t.split(')').next())
        .unwrap_or_default()
        .to_string();
    assert!(item(&table).contains("Served::new("), "{table}");
    // `signal` of stop: 1.42+.
    let signal = item("CONTAINER_STOP_Q_SIGNAL");
    assert!(
        signal.contains("ParamInfo::new( \"signal\", ParamLocation::Query, &[VersionRange::new(Some(ApiVersion::new(1, 42)), None)],"),
        "{signal}"
    );
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
