//! The fuzz targets: one parser each, its seeds, and the properties checked
//! beyond "no panic".

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use dockmatrix::proxy::gojson::{self, GoValue};
use dockmatrix::proxy::items::FieldIndex;
use dockmatrix::proxy::route::Router;
use dockmatrix::proxy::target::RequestTarget;
use dockmatrix_core::analysis::usage::{
    check, parse_manifest, validate, write_manifest, Target as CheckTarget,
};
use dockmatrix_core::analysis::Matrix;
use dockmatrix_core::corpus::{Corpus, CorpusOptions};
use dockmatrix_core::ingest::swagger::parse::{parse_document, parse_document_shared};
use dockmatrix_core::ingest::{ingest_text, ParseCache, SpecFormat};
use dockmatrix_core::model::extract;
use dockmatrix_core::path::{canonical_path, normalize_path};
use dockmatrix_core::pipeline::build_matrix;
use dockmatrix_core::ApiVersion;

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
        about: "usage manifest → validated and checked against the matrix; written and read back unchanged",
        seeds: manifest_seeds,
        run: manifest,
    },
    Target {
        name: "path",
        about: "path canonicalisation (the canonical path is a fixed point)",
        seeds: path_seeds,
        run: path,
    },
    Target {
        name: "frames",
        about: "multiplexed stdout/stderr frame decoder (any chunking gives the same frames)",
        seeds: frame_seeds,
        run: frames,
    },
    Target {
        name: "json-lines",
        about: "JSON-lines stream decoder (any chunking gives the same values)",
        seeds: json_lines_seeds,
        run: json_lines,
    },
    Target {
        name: "proxy-body",
        about: "the proxy's Go-faithful JSON body reader (agrees with serde_json where both read; written back reads the same; judging never panics)",
        seeds: proxy_body_seeds,
        run: proxy_body,
    },
    Target {
        name: "proxy-path",
        about: "the proxy's request-target parser and router (what it forwards re-parses and routes the same)",
        seeds: proxy_path_seeds,
        run: proxy_path,
    },
    Target {
        name: "served-bytes",
        about: "the embedded served facts (generated/data/served.bin): damaged bytes are an error, what decodes re-encodes to bytes that decode the same",
        seeds: served_bytes_seeds,
        run: served_bytes,
    },
];

/// A target by name.
pub fn find(name: &str) -> Option<&'static Target> {
    TARGETS.iter().find(|t| t.name == name)
}

fn served_bytes_seeds(repo: &Path) -> anyhow::Result<Vec<Vec<u8>>> {
    let path = repo.join("generated/data/served.bin");
    Ok(vec![
        std::fs::read(&path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?
    ])
}

fn served_bytes(bytes: &[u8]) -> Result<(), String> {
    use dockmatrix_core::model::served_bytes::{decode, encode};
    let Ok(index) = decode(bytes) else {
        return Ok(());
    };
    let again = encode(&index).map_err(|e| format!("decoded facts do not encode: {e}"))?;
    match decode(&again) {
        Ok(back) if back == index => Ok(()),
        Ok(_) => Err("re-encoded facts decode differently".into()),
        Err(e) => Err(format!("re-encoded facts do not decode: {e}")),
    }
}

fn corpus_dir(repo: &Path) -> anyhow::Result<PathBuf> {
    Ok(dockmatrix_core::corpus::locate_in(repo)?.dir)
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
    files(&corpus_dir(repo)?, ".md")
}

fn swagger_seeds(repo: &Path) -> anyhow::Result<Vec<Vec<u8>>> {
    // The smallest documents keep a run fast; they cover every construct.
    let mut all = files(&corpus_dir(repo)?, ".yaml")?;
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

fn proxy_path_seeds(repo: &Path) -> anyhow::Result<Vec<Vec<u8>>> {
    let mut seeds = path_seeds(repo)?;
    seeds.extend(
        [
            "/v1.41/containers/abc/json",
            "/containers/%2e%2e/images/json",
            "/v1.24//containers/./x/../json/",
            "/v1.4x/_ping",
            "/v/_ping",
            "/containers/a%2Fb/archive",
            "/exec/abc/start",
        ]
        .iter()
        .map(|s| s.as_bytes().to_vec()),
    );
    Ok(seeds)
}

fn proxy_body_seeds(_: &Path) -> anyhow::Result<Vec<Vec<u8>>> {
    Ok([
        r#"{"Image":"busybox","HostConfig":{"Privileged":true,"Binds":["/:/h"]},"Labels":{"a":"b"}}"#,
        r#"{"hostconfig":{"memory":1e999},"Hoſtconfig":{},"Image":"x","Image":"y"}"#,
        r#"{"NetworkingConfig":{"EndpointsConfig":{"n":{"IPAMConfig":{"IPv4Address":"1.2.3.4"}}}}}"#,
        r#"[{"Name":"a","Value":["\ud800","\ud83d\ude00"]}, null, -0.0e+1, "\u0000"]"#,
        "{\"a\":\"\u{ff}\"} trailing",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect())
}

/// The serde_json tree of a Go reading, the last of duplicated members winning.
fn as_serde(value: &GoValue) -> Option<serde_json::Value> {
    Some(match value {
        GoValue::Null => serde_json::Value::Null,
        GoValue::Bool(b) => serde_json::Value::Bool(*b),
        GoValue::Number(n) => serde_json::from_str(n).ok()?,
        GoValue::String(s) => serde_json::Value::String(s.clone()),
        GoValue::Array(items) => {
            serde_json::Value::Array(items.iter().map(as_serde).collect::<Option<_>>()?)
        }
        GoValue::Object(members) => {
            let mut map = serde_json::Map::new();
            for (k, v) in members {
                map.insert(k.clone(), as_serde(v)?);
            }
            serde_json::Value::Object(map)
        }
    })
}

fn proxy_body(bytes: &[u8]) -> Result<(), String> {
    let go = gojson::read(bytes);
    if let Ok(serde) = serde_json::from_slice::<serde_json::Value>(bytes) {
        let go = go
            .as_ref()
            .map_err(|e| format!("serde_json reads it, the Go reader does not: {e}"))?;
        // serde_json reads numbers it cannot hold as errors, so only held ones compare.
        if let Some(tree) = as_serde(go) {
            if tree != serde {
                return Err(format!("readings differ: {tree} vs {serde}"));
            }
        }
    }
    let Ok(value) = go else {
        return Ok(());
    };
    let again = gojson::read(value.to_json().as_bytes())
        .map_err(|e| format!("written back, it does not read: {e}"))?;
    if again != value {
        return Err("written back, it reads differently".into());
    }
    let (matrix, _) = router().ok_or("the matrix could not be built from the corpus")?;
    for op in matrix
        .operations
        .iter()
        .filter(|o| o.method == "POST")
        .take(40)
    {
        let index = FieldIndex::new(&op.request_fields);
        let reading = index.reading(&value);
        if reading
            .set
            .iter()
            .any(|f| !op.request_fields.iter().any(|i| &i.name == f))
        {
            return Err(format!("{}: a set field no document lists", op.display()));
        }
    }
    Ok(())
}

fn router() -> Option<&'static (Matrix, Router)> {
    static ROUTER: OnceLock<Option<(Matrix, Router)>> = OnceLock::new();
    ROUTER
        .get_or_init(|| {
            let m = matrix()?.clone();
            let r = Router::new(&m);
            Some((m, r))
        })
        .as_ref()
}

fn proxy_path(bytes: &[u8]) -> Result<(), String> {
    let Ok(raw) = std::str::from_utf8(bytes) else {
        return Ok(());
    };
    let Ok(target) = RequestTarget::parse(raw) else {
        return Ok(());
    };
    let forwarded = target.forward_path(target.version);
    let again = RequestTarget::parse(&forwarded)
        .map_err(|e| format!("forwarded path {forwarded:?} does not parse: {e}"))?;
    if again != target {
        return Err(format!(
            "{raw:?} forwards as {forwarded:?}, which parses differently"
        ));
    }
    let (_, router) = router().ok_or("the matrix could not be built from the corpus")?;
    for method in ["GET", "POST", "DELETE", "HEAD", "PUT"] {
        if router.find(method, &target.segments) != router.find(method, &again.segments) {
            return Err(format!(
                "{method} {raw:?} routes differently once forwarded"
            ));
        }
    }
    Ok(())
}

/// Multiplexed frames made here: stdout, stderr, an empty frame, a stdin frame.
fn frame_seeds(_: &Path) -> anyhow::Result<Vec<Vec<u8>>> {
    let frame = |stream: u8, data: &[u8]| -> Vec<u8> {
        let mut out = vec![stream, 0, 0, 0];
        out.extend_from_slice(&u32::try_from(data.len()).unwrap_or(0).to_be_bytes());
        out.extend_from_slice(data);
        out
    };
    Ok(vec![
        [frame(1, b"hello\n"), frame(2, b"oops\n")].concat(),
        [frame(1, b""), frame(0, b"in"), frame(1, &[b'x'; 300])].concat(),
        frame(2, "ünïcødé\r\n".as_bytes()),
    ])
}

/// JSON-lines streams made here, shaped like events and pull progress.
fn json_lines_seeds(_: &Path) -> anyhow::Result<Vec<Vec<u8>>> {
    Ok(vec![
        b"{\"status\":\"create\",\"id\":\"abc\",\"time\":1}\n{\"status\":\"start\",\"id\":\"abc\",\"Actor\":{\"Attributes\":{\"a\":\"b\"}}}\n".to_vec(),
        b"{\"status\":\"Pulling fs layer\",\"progressDetail\":{},\"id\":\"1\"}\r\n{\"status\":\"Downloading\",\"progressDetail\":{\"current\":5,\"total\":10}}".to_vec(),
        b"[1,2,3]\n\"s\\\"}\"\n  {\"a\":[{\"b\":null}]}   {\"c\":1.5e3}\n".to_vec(),
    ])
}

/// Chunk sizes derived from the input, so one input always splits the same way.
fn chunks(bytes: &[u8]) -> Vec<&[u8]> {
    let sizes = [1usize, 7, 3, 64, 2, 4096];
    let mut out = Vec::new();
    let mut rest = bytes;
    let mut i = bytes.first().map_or(0, |b| usize::from(*b));
    while !rest.is_empty() {
        let n = sizes[i % sizes.len()].min(rest.len());
        let (head, tail) = rest.split_at(n);
        out.push(head);
        rest = tail;
        i += 1;
    }
    out
}

fn frames(bytes: &[u8]) -> Result<(), String> {
    use dockmatrix_runtime::streams::FrameDecoder;
    let decode = |parts: &[&[u8]]| {
        let mut d = FrameDecoder::with_max_frame(1 << 20);
        let mut out = Vec::new();
        for part in parts {
            d.push(part);
            loop {
                match d.next_frame() {
                    Ok(Some(f)) => out.push((format!("{:?}", f.stream), f.data.to_vec())),
                    Ok(None) => break,
                    Err(_) => return (out, true),
                }
            }
        }
        let failed = d.finish().is_err();
        (out, failed)
    };
    let whole = decode(&[bytes]);
    let split = decode(&chunks(bytes));
    if whole != split {
        return Err("frames decoded whole and in chunks differ".into());
    }
    Ok(())
}

fn json_lines(bytes: &[u8]) -> Result<(), String> {
    use dockmatrix_runtime::streams::JsonLinesDecoder;
    let decode = |parts: &[&[u8]]| {
        let mut d: JsonLinesDecoder<serde_json::Value> =
            JsonLinesDecoder::with_max_value("fuzz", 1 << 20);
        let mut out = Vec::new();
        for part in parts {
            d.push(part);
            for _ in 0..(1 << 16) {
                match d.next_item() {
                    Ok(Some(v)) => out.push(Ok(v)),
                    Ok(None) => break,
                    Err(_) => out.push(Err(())),
                }
            }
        }
        match d.finish() {
            Ok(Some(v)) => out.push(Ok(v)),
            Ok(None) => {}
            Err(_) => out.push(Err(())),
        }
        out
    };
    // The values must be the same; a malformed stream must fail both ways (how
    // many errors are reported while skipping garbage may depend on the chunks).
    let summary = |items: Vec<Result<serde_json::Value, ()>>| {
        let failed = items.iter().any(Result::is_err);
        let values: Vec<serde_json::Value> = items.into_iter().flatten().collect();
        (values, failed)
    };
    let whole = summary(decode(&[bytes]));
    let split = summary(decode(&chunks(bytes)));
    if whole != split {
        return Err(format!(
            "decoded whole: {} values (error: {}), in chunks: {} values (error: {})",
            whole.0.len(),
            whole.1,
            split.0.len(),
            split.1
        ));
    }
    Ok(())
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

/// Swagger ingest is deterministic, and the corpus load's shared parse (cold
/// and warm cache) gives what the whole-text parse gives.
fn swagger(bytes: &[u8]) -> Result<(), String> {
    ingest_deterministic(SpecFormat::Swagger, "v1.25.yaml", bytes)?;
    let file = Path::new("v1.25.yaml");
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Ok(());
    };
    let whole = parse_document(file, text).map_err(|e| e.to_string());
    if whole
        .as_ref()
        .is_err_and(|e| e.contains("recursion limit exceeded"))
    {
        return Ok(()); // pieces nest less deeply (documented difference)
    }
    let cache = ParseCache::default();
    for run in ["cold", "warm"] {
        let shared = parse_document_shared(file, text, &cache).map_err(|e| e.to_string());
        if shared != whole {
            return Err(format!(
                "the shared parse ({run} cache) differs from the whole parse"
            ));
        }
    }
    Ok(())
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
    // Property: a manifest written and read back is the same manifest.
    let written = write_manifest(&parsed, "round trip")
        .map_err(|e| format!("a parsed manifest could not be written: {e}"))?;
    match parse_manifest(file, &written) {
        Ok(back) if back == parsed => {}
        Ok(back) => {
            return Err(format!(
                "written and read back differs:\n{parsed:?}\n{back:?}\nwritten:\n{written}"
            ))
        }
        Err(e) => return Err(format!("written manifest does not parse: {e}\n{written}")),
    }
    let matrix = matrix().ok_or("the matrix could not be built from the corpus")?;
    if let Ok(usage) = validate(file, text, parsed, matrix) {
        let _ = check(
            &usage,
            matrix,
            &dockmatrix_core::model::served::ServedIndex::default(),
            &CheckTarget::DeclaredFloor,
        );
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
