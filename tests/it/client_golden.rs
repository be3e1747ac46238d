//! Golden specs for the client generator, compiled as progenitor compiles its
//! goldens: each directory under `tests/golden/client/` holds a few small Swagger
//! documents (`v1.NN.yaml`), optional `shims.toml` / `names.toml` tables, and
//! `crate/`, a workspace member whose `src/` is exactly what the generator writes
//! for them (`crate/Cargo.toml` is hand-written). `cargo build --workspace` and
//! clippy compile every golden, and its `null_collections` tests run with the
//! suite; this test compares the files. A change in generated code shows up as
//! a readable diff; `DOCKMATRIX_UPDATE_GOLDEN=1 cargo test --test it
//! client_golden::` rewrites the expectations.

use std::path::{Path, PathBuf};

use dockmatrix_core::analysis::{Matrix, Provenance, RealRemovals};
use dockmatrix_core::ingest::{ingest_text, SpecFormat};
use dockmatrix_core::model::extract;
use dockmatrix_core::model::releases::builtin_releases;
use dockmatrix_core::model::served::ServedIndex;
use dockmatrix_gen::generated::client::generate_with;
use dockmatrix_gen::generated::client::names_table::Names;
use dockmatrix_gen::generated::client::shims::Shims;

fn case_dir(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/client")
        .join(case)
}

/// Generated source files for the documents of `case`: (file name under
/// `src/`, contents), sorted.
fn generate_case(case: &str) -> Vec<(String, String)> {
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
    let (generated, _notes) = generate_with(
        &docs,
        &matrix,
        &ServedIndex::default(),
        &shims,
        &names,
        true,
    )
    .unwrap();
    let mut out: Vec<(String, String)> = generated
        .into_iter()
        .filter_map(|f| {
            let name = f.path.to_str()?.strip_prefix("client/src/")?.to_string();
            Some((name, String::from_utf8(f.contents).unwrap()))
        })
        .collect();
    out.sort();
    out
}

/// The files now in the golden crate's `src/`, sorted.
fn golden_files(src: &Path) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(src)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "rs"))
                .map(|p| {
                    let name = p.file_name().unwrap().to_str().unwrap().to_string();
                    (name, std::fs::read_to_string(&p).unwrap())
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn check(case: &str) {
    let got = generate_case(case);
    let src = case_dir(case).join("crate/src");
    if std::env::var("DOCKMATRIX_UPDATE_GOLDEN").is_ok_and(|v| v == "1") {
        let _ = std::fs::remove_dir_all(&src);
        std::fs::create_dir_all(&src).unwrap();
        for (name, text) in &got {
            std::fs::write(src.join(name), text).unwrap();
        }
        return;
    }
    let expected = golden_files(&src);
    let names = |files: &[(String, String)]| files.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
    assert_eq!(
        names(&got),
        names(&expected),
        "{case}: the generator writes other files than {} has \
         (rerun with DOCKMATRIX_UPDATE_GOLDEN=1 and review the diff)",
        src.display()
    );
    for ((name, got), (_, expected)) in got.iter().zip(&expected) {
        if got == expected {
            continue;
        }
        let first = got
            .lines()
            .zip(expected.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(got.lines().count().min(expected.lines().count()));
        panic!(
            "{case}: generated {name} differs from {} from line {}:\n  got:      {:?}\n  expected: {:?}\n\
             (rerun with DOCKMATRIX_UPDATE_GOLDEN=1 and review the diff)",
            src.join(name).display(),
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
