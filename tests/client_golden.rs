//! Golden specs for the client generator (as progenitor does): each directory under
//! `tests/golden/client/` holds a few small Swagger documents (`v1.NN.yaml`), optional
//! `shims.toml` / `names.toml` tables, and `expected.rs`: every generated `.rs` file but
//! `lib.rs`, concatenated. A change in generated code shows up as a readable diff here.
//! `DOCKMATRIX_UPDATE_GOLDEN=1 cargo test --test client_golden` rewrites the expectations.

use std::path::{Path, PathBuf};

use dockmatrix::analysis::{Matrix, Provenance, RealRemovals};
use dockmatrix::codegen::client::generate_with;
use dockmatrix::codegen::client::names_table::Names;
use dockmatrix::codegen::client::shims::Shims;
use dockmatrix::ingest::{ingest_text, SpecFormat};
use dockmatrix::model::extract;
use dockmatrix::model::releases::builtin_releases;

fn case_dir(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/client")
        .join(case)
}

/// Generated code for the documents of `case`, as one text.
fn generate_case(case: &str) -> String {
    let dir = case_dir(case);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    let docs: Vec<_> = files
        .iter()
        .map(|f| {
            let stem = f.file_stem().unwrap().to_str().unwrap();
            let version = stem.trim_start_matches('v').parse().unwrap();
            let bytes = std::fs::read(f).unwrap();
            ingest_text(f, SpecFormat::Swagger, version, &bytes)
                .unwrap_or_else(|e| panic!("{}: {e}", f.display()))
        })
        .collect();
    let specs: Vec<_> = docs.iter().map(extract).collect();
    let provenance = Provenance {
        repository: "golden".into(),
        commit: "golden".into(),
        sha256sums: "golden".into(),
    };
    // No removal corrections: a golden spec's history is what its documents say.
    let removals = RealRemovals::parse("", Path::new("none")).unwrap();
    let matrix = Matrix::build(&specs, builtin_releases().unwrap(), provenance, &removals);
    let table = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap_or_default();
    let shims = Shims::parse(&table("shims.toml")).unwrap();
    let names = Names::parse(&table("names.toml")).unwrap();
    let (generated, _notes) = generate_with(&docs, &matrix, &shims, &names, true).unwrap();
    let mut out = String::new();
    for f in generated {
        let path = f.path.to_str().unwrap();
        if !path.ends_with(".rs") || path.ends_with("lib.rs") {
            continue;
        }
        out.push_str(&format!("// ===== {path} =====\n"));
        out.push_str(std::str::from_utf8(&f.contents).unwrap());
    }
    out
}

fn check(case: &str) {
    let got = generate_case(case);
    let expected_path = case_dir(case).join("expected.rs");
    if std::env::var("DOCKMATRIX_UPDATE_GOLDEN").is_ok_and(|v| v == "1") {
        std::fs::write(&expected_path, &got).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
    if got != expected {
        let first = got
            .lines()
            .zip(expected.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(got.lines().count().min(expected.lines().count()));
        panic!(
            "{case}: generated code differs from {} from line {}:\n  got:      {:?}\n  expected: {:?}\n\
             (rerun with DOCKMATRIX_UPDATE_GOLDEN=1 and review the diff)",
            expected_path.display(),
            first + 1,
            got.lines().nth(first),
            expected.lines().nth(first)
        );
    }
}

#[test]
fn golden_shims() {
    check("shims");
}

#[test]
fn golden_name_collisions() {
    check("name_collisions");
}

#[test]
fn golden_keyword_placeholders() {
    check("keyword_placeholders");
}

#[test]
fn golden_streaming_kinds() {
    check("streaming_kinds");
}

#[test]
fn golden_all_of() {
    check("all_of");
}

#[test]
fn golden_required() {
    check("required");
}
