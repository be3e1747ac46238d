//! The site on the real corpus, without a browser: deterministic, within its
//! size budget, self-contained (no external scripts, styles or fonts) and with
//! every relative link pointing at a page it generated.

use crate::common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use dockmatrix_core::analysis::Matrix;
use dockmatrix_core::corpus::{Corpus, CorpusOptions};
use dockmatrix_core::pipeline::{load_models, matrix_from};
use dockmatrix_gen::generated::GeneratedFile;

fn build() -> (Matrix, Vec<GeneratedFile>) {
    let corpus = Corpus::open(&CorpusOptions {
        dir: Some(common::corpus_dir()),
        no_verify: false,
    })
    .unwrap();
    let models = load_models(&corpus).unwrap();
    let matrix = matrix_from(&corpus, &models).unwrap();
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let files =
        dockmatrix_gen::site::generate(&repo, &matrix, &corpus.sources, &common::served_index())
            .unwrap();
    (matrix, files)
}

fn page<'a>(files: &'a [GeneratedFile], path: &str) -> &'a str {
    let f = files
        .iter()
        .find(|f| f.path == Path::new(path))
        .unwrap_or_else(|| panic!("{path} generated"));
    std::str::from_utf8(&f.contents).unwrap()
}

#[test]
fn site_is_deterministic_small_and_self_contained() {
    let (matrix, files) = build();
    let (_, again) = build();
    assert_eq!(files, again, "two runs give byte-identical pages");

    let total: usize = files.iter().map(|f| f.contents.len()).sum();
    let index = page(&files, "site/index.html");
    assert!(total <= 5_000_000, "whole site is {total} bytes");
    assert!(index.len() <= 300_000, "index is {} bytes", index.len());

    // One page per operation and per API version, every operation a row.
    assert_eq!(
        index.matches("<tr data-op=").count(),
        matrix.operations.len()
    );
    for v in &matrix.api_versions {
        page(&files, &format!("site/api/{v}.html"));
    }
    let op_pages = files
        .iter()
        .filter(|f| f.path.starts_with("site/ops"))
        .count();
    assert_eq!(op_pages, matrix.operations.len());

    // Offline: nothing loaded from elsewhere, and relative links all resolve.
    let paths: BTreeSet<PathBuf> = files.iter().map(|f| f.path.clone()).collect();
    let attr = regex::Regex::new(r##"(src|href)="([^"#]*)(#[^"]*)?""##).unwrap();
    for f in files
        .iter()
        .filter(|f| f.path.extension().is_some_and(|e| e == "html"))
    {
        let text = std::str::from_utf8(&f.contents).unwrap();
        assert!(!text.contains("<script src=\"http"), "{}", f.path.display());
        assert!(!text.contains("@import") && !text.contains("@font-face"));
        let dir = f.path.parent().unwrap();
        for cap in attr.captures_iter(text) {
            let target = &cap[2];
            if target.is_empty() || target.starts_with("https://") {
                assert!(cap[1].eq("href"), "{}: external {target}", f.path.display());
                continue;
            }
            let mut resolved = dir.to_path_buf();
            for part in target.split('/') {
                match part {
                    ".." => {
                        resolved.pop();
                    }
                    p => resolved.push(p),
                }
            }
            assert!(
                paths.contains(&resolved),
                "{} links to missing {target}",
                f.path.display()
            );
        }
    }
}

#[test]
fn operation_page_shows_parameter_lifecycle_from_the_matrix() {
    let (matrix, files) = build();
    let stop = page(&files, "site/ops/post-containers-id-stop.html");
    let op = matrix
        .operations
        .iter()
        .find(|o| o.display() == "POST /containers/{id}/stop")
        .unwrap();
    let signal = op.query.iter().find(|q| q.name == "signal").unwrap();
    let since = signal.lifecycle.since.unwrap().to_string();
    assert_eq!(since, "1.42");
    let row = stop
        .split("<tr data-item=\"signal\">")
        .nth(1)
        .and_then(|rest| rest.split("</tr>").next())
        .unwrap();
    assert!(row.contains(&format!(
        "data-state=\"present\" data-from=\"{since}\" data-to=\"{}\"",
        matrix.newest().unwrap()
    )));
    assert!(row.contains("data-state=\"absent\" data-from=\"1.0\" data-to=\"1.41\""));
}
