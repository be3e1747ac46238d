//! Reports on the real corpus, and the drift check: a changed template changes
//! the output, so `cargo xtask codegen --check` fails until generated/ is updated.

use crate::common;

use std::path::{Path, PathBuf};

use dockmatrix_core::corpus::{Corpus, CorpusOptions};
use dockmatrix_gen::generated::{generate_all, GeneratedFile, Inputs};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn generate(repo: &Path) -> Vec<GeneratedFile> {
    let corpus = Corpus::open(&CorpusOptions {
        dir: Some(common::corpus_dir()),
        no_verify: false,
    })
    .unwrap();
    generate_all(
        &corpus,
        &Inputs {
            repo: repo.to_path_buf(),
            served: dockmatrix_served::locate_in(&self::repo()).unwrap(),
        },
    )
    .unwrap()
}

fn text<'a>(files: &'a [GeneratedFile], path: &str) -> &'a str {
    let f = files
        .iter()
        .find(|f| f.path == Path::new(path))
        .unwrap_or_else(|| panic!("{path} generated"));
    std::str::from_utf8(&f.contents).unwrap()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &to.join(entry.file_name()));
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

#[test]
fn reports_match_committed_output_and_a_template_change_is_drift() {
    let files = generate(&repo());
    // Committed generated/ is what the code produces (the drift check passes).
    for f in files.iter().filter(|f| f.path.starts_with("reports")) {
        let committed = std::fs::read(repo().join("generated").join(&f.path))
            .unwrap_or_else(|_| panic!("generated/{} committed", f.path.display()));
        assert!(
            committed == f.contents,
            "generated/{} is stale",
            f.path.display()
        );
    }
    // The same generation over a copy of templates/ with one byte changed.
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("templates"), &tmp.path().join("templates"));
    copy_dir(&repo().join("specs/usage"), &tmp.path().join("specs/usage"));
    let template = tmp.path().join("templates/api-versions.md.hbs");
    let original = std::fs::read_to_string(&template).unwrap();
    std::fs::write(&template, original.replacen("# Docker", "# docker", 1)).unwrap();
    let changed = generate(tmp.path());
    let differing: Vec<String> = files
        .iter()
        .zip(&changed)
        .filter(|(a, b)| a.contents != b.contents)
        .map(|(a, _)| a.path.display().to_string())
        .collect();
    assert_eq!(differing, ["reports/api-versions.md"]);
    // A template referring to a missing value fails (strict mode) instead of printing blanks.
    std::fs::write(&template, "{{no_such_value}}\n").unwrap();
    let corpus = Corpus::open(&CorpusOptions {
        dir: Some(common::corpus_dir()),
        no_verify: false,
    })
    .unwrap();
    let err = generate_all(
        &corpus,
        &Inputs {
            repo: tmp.path().to_path_buf(),
            served: dockmatrix_served::locate_in(&repo()).unwrap(),
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("api-versions.md.hbs"), "{err}");

    // Content checks against the sources.
    let versions = text(&files, "reports/api-versions.md");
    let table = std::fs::read_to_string(repo().join("specs/docker/releases.toml")).unwrap();
    let rows = versions
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| Docker"))
        .count();
    assert_eq!(rows, table.matches("[[release]]").count());
    assert!(
        versions.contains("| 0.3.3 | 1.0 | 1.0 |") && versions.contains("| 29.5 | 1.54 | 1.40 |")
    );
    let k8s_table = text(&files, "reports/docker-api-1.24-kubernetes.md");
    let ticked_new = k8s_table.lines().filter(|l| l.contains("` | ✓ |")).count();
    let ticked_old = k8s_table
        .lines()
        .filter(|l| l.contains("` | ✓ | ✓ |") || l.contains("` |  | ✓ |"))
        .count();
    assert_eq!((ticked_new, ticked_old), (22, 20));
    let marked: Vec<&str> = k8s_table
        .lines()
        .filter(|l| l.starts_with("| ") && l.ends_with("| **added in Kubernetes 1.4** |"))
        .collect();
    assert_eq!(marked.len(), 2, "{marked:?}");
    assert!(marked[0].contains("`POST /containers/{id}/resize`"));
    assert!(marked[1].contains("`POST /exec/{id}/resize`"));
    assert!(k8s_table.contains("Note on `POST /containers/{id}/copy`"));
    assert!(k8s_table.contains("removed in 1.24"));
    for report in ["kubernetes", "endpoints", "changelog", "api-versions"] {
        let page = text(&files, &format!("reports/{report}.md"));
        assert!(page.contains("at commit `"), "{report} states its corpus");
        assert!(
            page.contains("[Kubernetes analysis](kubernetes.md)"),
            "{report} links"
        );
    }
    let changelog = text(&files, "reports/changelog.md");
    assert!(changelog.contains("## API 1.15 → 1.16"));
    let section = changelog.split("## API 1.15 → 1.16").nth(1).unwrap();
    let section = section.split("\n## ").next().unwrap();
    assert!(
        section.contains("`GET /exec/{id}/json`"),
        "exec inspect appears in 1.16"
    );
}
