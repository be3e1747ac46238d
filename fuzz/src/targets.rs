//! The fuzz targets: one parser each, its seeds, and the properties checked
//! beyond "no panic".

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use dockmatrix::analysis::usage::{check, parse_manifest, resolve, Target as CheckTarget};
use dockmatrix::analysis::Matrix;
use dockmatrix::corpus::{Corpus, CorpusOptions};
use dockmatrix::ingest::{ingest_text, SpecFormat};
use dockmatrix::model::extract;
use dockmatrix::model::path::{canonical_path, normalize_path};
use dockmatrix::pipeline::build_matrix;
use dockmatrix::ApiVersion;

/// A fuzz target.
#[derive(Debug)]
pub struct Target {
    /// Name used on the command line and in file names.
    pub name: &'static str,
    /// What it parses.
    pub about: &'static str,
    /// Seed inputs, read from the repository and the corpus.
    pub seeds: fn(&Path) -> anyhow::Result<Vec<Vec<u8>>>,
    /// Runs one input: `Err` is a broken property; a panic is caught by the engine.
    pub run: fn(&[u8]) -> Result<(), String>,
}

/// Every target.
pub const TARGETS: &[Target] = &[
    Target {
        name: "markdown",
        about: "markdown reference page → OpenAPI → model (deterministic)",
        seeds: markdown_seeds,
        run: markdown,
    },
    Target {
        name: "swagger",
        about: "Swagger 2.0 YAML → OpenAPI → model (deterministic)",
        seeds: swagger_seeds,
        run: swagger,
    },
    Target {
        name: "manifest",
        about: "usage manifest → resolved and checked against the matrix",
        seeds: manifest_seeds,
        run: manifest,
    },
    Target {
        name: "path",
        about: "path canonicalisation (the canonical path is a fixed point)",
        seeds: path_seeds,
        run: path,
    },
];

/// A target by name.
pub fn find(name: &str) -> Option<&'static Target> {
    TARGETS.iter().find(|t| t.name == name)
}

fn corpus_dir(repo: &Path) -> PathBuf {
    match std::env::var_os("DOCKMATRIX_SPECS").filter(|d| !d.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => repo.join("../shared/specs/docker"),
    }
}

fn files(dir: &Path, suffix: &str) -> anyhow::Result<Vec<Vec<u8>>> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    names.sort();
    names
        .iter()
        .map(|p| std::fs::read(p).map_err(|e| anyhow::anyhow!("{}: {e}", p.display())))
        .collect()
}

fn markdown_seeds(repo: &Path) -> anyhow::Result<Vec<Vec<u8>>> {
    files(&corpus_dir(repo), ".md")
}

fn swagger_seeds(repo: &Path) -> anyhow::Result<Vec<Vec<u8>>> {
    // The smallest documents keep a run fast; they cover every construct.
    let mut all = files(&corpus_dir(repo), ".yaml")?;
    all.sort_by_key(Vec::len);
    all.truncate(6);
    Ok(all)
}

fn manifest_seeds(repo: &Path) -> anyhow::Result<Vec<Vec<u8>>> {
    files(&repo.join("specs/usage"), ".yaml")
}

fn path_seeds(_: &Path) -> anyhow::Result<Vec<Vec<u8>>> {
    Ok([
        "/containers/{id}/json",
        "/containers/(id or name)/attach/ws",
        "/images/<name>/push?tag=<tag>",
        "/v1.41/containers/json",
        "//containers/../images/%2e%2e/json/",
        "/plugins/{name}/set",
        "/exec/:id/start",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect())
}

/// Ingests one document twice: both runs must agree.
fn ingest_deterministic(format: SpecFormat, name: &str, bytes: &[u8]) -> Result<(), String> {
    let version = ApiVersion::new(
        1,
        if format == SpecFormat::Markdown {
            24
        } else {
            25
        },
    );
    let once = || {
        ingest_text(Path::new(name), format, version, bytes)
            .map(|spec| extract(&spec))
            .map_err(|e| e.to_string())
    };
    let (a, b) = (once(), once());
    if a != b {
        return Err("ingesting the same document twice gave different models".into());
    }
    Ok(())
}

fn markdown(bytes: &[u8]) -> Result<(), String> {
    ingest_deterministic(SpecFormat::Markdown, "v1.24.md", bytes)
}

fn swagger(bytes: &[u8]) -> Result<(), String> {
    ingest_deterministic(SpecFormat::Swagger, "v1.25.yaml", bytes)
}

fn matrix() -> Option<&'static Matrix> {
    static MATRIX: OnceLock<Option<Matrix>> = OnceLock::new();
    MATRIX
        .get_or_init(|| {
            let corpus = Corpus::open(&CorpusOptions::default()).ok()?;
            build_matrix(&corpus).ok()
        })
        .as_ref()
}

fn manifest(bytes: &[u8]) -> Result<(), String> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Ok(());
    };
    let file = Path::new("fuzz.yaml");
    let Ok(parsed) = parse_manifest(file, text) else {
        return Ok(());
    };
    let matrix = matrix().ok_or("the matrix could not be built from the corpus")?;
    if let Ok(usage) = resolve(file, text, parsed, matrix) {
        let _ = check(&usage, matrix, &CheckTarget::DeclaredFloor);
    }
    Ok(())
}

fn path(bytes: &[u8]) -> Result<(), String> {
    let text = String::from_utf8_lossy(bytes);
    let once = canonical_path(&text);
    let twice = canonical_path(&once);
    if once != twice {
        return Err(format!(
            "canonical path is not a fixed point: {once:?} → {twice:?}"
        ));
    }
    let via_normal = canonical_path(&normalize_path(&text));
    if via_normal != once {
        return Err(format!(
            "normalizing first changes the key: {once:?} vs {via_normal:?}"
        ));
    }
    Ok(())
}
