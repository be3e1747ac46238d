//! The matrix built into the binary: the query commands answer from any
//! directory with no corpus anywhere, exactly as a recomputation from the pinned
//! corpus does; commands that need the documents say so; `fetch-specs` installs
//! the corpus where the binary then finds it.

use crate::common;

use common::manifest;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{corpus_dir, Run};

/// Runs the binary in `cwd` with `HOME` at `home`, no `DOCKMATRIX_SPECS` and no
/// `XDG_CACHE_HOME`, so nothing points it at a corpus.
fn run_in(exe: &Path, cwd: &Path, home: &Path, args: &[&str]) -> Run {
    let mut command = Command::new(exe);
    command
        .args(args)
        .current_dir(cwd)
        .env("HOME", home)
        .env_remove("DOCKMATRIX_SPECS")
        .env_remove("XDG_CACHE_HOME");
    common::run(command)
}

fn exe() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_dockmatrix"))
}

/// An empty working directory and a separate, empty home.
struct Bare {
    _tmp: tempfile::TempDir,
    cwd: PathBuf,
    home: PathBuf,
}

fn bare() -> Bare {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path().join("work");
    let home = tmp.path().join("home");
    std::fs::create_dir_all(&cwd).unwrap();
    std::fs::create_dir_all(&home).unwrap();
    Bare {
        _tmp: tmp,
        cwd,
        home,
    }
}

/// Every query command, in every format it honours.
fn queries() -> Vec<Vec<String>> {
    let k13 = manifest("kubernetes-1.3.yaml");
    let k14 = manifest("kubernetes-1.4.yaml");
    let mut out = Vec::new();
    let commands: Vec<Vec<&str>> = vec![
        vec!["versions"],
        vec!["ops", "--api", "1.24"],
        vec!["ops", "--api", "1.0"],
        vec!["ops", "--api", "1.55"],
        vec!["history", "POST /containers/{id}/stop"],
        vec!["history", "POST /containers/(id)/update"],
        vec!["history", "POST /networks/{id}/connect"],
        vec!["diff", "1.41", "1.42"],
        vec!["diff", "1.24", "1.25"],
        vec!["check", &k14, "--api", "1.15"],
        vec!["check", &k14, "--docker", "1.12"],
        vec!["check", &k13],
        vec!["compare", &k13, &k14],
        vec!["matrix"],
    ];
    for c in commands {
        for format in ["text", "json", "md"] {
            let mut args: Vec<String> = c.iter().map(|s| s.to_string()).collect();
            args.extend(["--format".to_string(), format.to_string()]);
            out.push(args);
        }
    }
    out
}

#[test]
fn embedded_and_recomputed_answers_are_identical() {
    let b = bare();
    let specs = std::path::absolute(corpus_dir()).unwrap();
    let specs = specs.display().to_string();
    for args in queries() {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let embedded = run_in(&exe(), &b.cwd, &b.home, &args);
        let mut with_specs = args.clone();
        with_specs.extend(["--specs", &specs]);
        let recomputed = run_in(&exe(), &b.cwd, &b.home, &with_specs);
        assert!(
            embedded.code == 0 || embedded.code == 1,
            "{args:?} from the embedded matrix failed: {}",
            embedded.stderr
        );
        assert!(!embedded.stdout.is_empty(), "{args:?} printed nothing");
        assert_eq!(
            (embedded.code, &embedded.stdout),
            (recomputed.code, &recomputed.stdout),
            "{args:?}: embedded and recomputed answers differ"
        );
    }
}

#[test]
fn bad_names_get_suggestions_from_the_embedded_matrix() {
    let b = bare();
    let cases: [(&[&str], &str); 4] = [
        (&["ops", "--api", "1.99"], "nearest: 1.53, 1.54, 1.55"),
        (&["diff", "1.4l", "1.42"], "unknown API version 1.4l"),
        (
            &["history", "GET /containers/jsn"],
            "nearest: GET /containers/json",
        ),
        (
            &[
                "check",
                &manifest("kubernetes-1.4.yaml"),
                "--docker",
                "1.99",
            ],
            "1.99",
        ),
    ];
    for (args, needle) in cases {
        let run = run_in(&exe(), &b.cwd, &b.home, args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
        assert!(run.stderr.contains(needle), "{args:?}: {}", run.stderr);
    }
}

#[test]
fn corpus_commands_say_they_need_the_corpus_and_fetch_specs_provides_it() {
    let b = bare();
    for args in [
        &["convert", "--api", "1.24"][..],
        &["--rebuild", "ops", "--api", "1.24"][..],
    ] {
        let run = run_in(&exe(), &b.cwd, &b.home, args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("needs the spec corpus") && run.stderr.contains("fetch-specs"),
            "{args:?}: {}",
            run.stderr
        );
    }

    // A mirror with one damaged file: refused, nothing installed.
    let mirror = common::scratch_corpus();
    let good = std::fs::read(mirror.path().join("v1.30.yaml")).unwrap();
    std::fs::write(mirror.path().join("v1.30.yaml"), b"swagger: '2.0'\n").unwrap();
    let from = mirror.path().display().to_string();
    let run = run_in(&exe(), &b.cwd, &b.home, &["fetch-specs", "--from", &from]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("v1.30.yaml: checksum mismatch"),
        "{}",
        run.stderr
    );
    let cache = b.home.join(".cache/dockmatrix/specs");
    assert!(!cache.exists(), "a failed fetch must install nothing");

    std::fs::write(mirror.path().join("v1.30.yaml"), good).unwrap();
    let run = run_in(&exe(), &b.cwd, &b.home, &["fetch-specs", "--from", &from]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(&cache.display().to_string()),
        "{}",
        run.stdout
    );
    assert!(cache.join("v1.0.md").is_file() && cache.join("v1.55.yaml").is_file());

    // The binary now finds it in the user cache, from any directory.
    let converted = run_in(&exe(), &b.cwd, &b.home, &["convert", "--api", "1.24"]);
    assert_eq!(converted.code, 0, "{}", converted.stderr);
    assert!(
        converted.stdout.contains("\"openapi\": \"3.0"),
        "not OpenAPI"
    );
    let args = ["history", "POST /containers/{id}/stop", "--format", "json"];
    let embedded = run_in(&exe(), &b.cwd, &b.home, &args);
    let mut rebuilt = args.to_vec();
    rebuilt.push("--rebuild");
    let rebuilt = run_in(&exe(), &b.cwd, &b.home, &rebuilt);
    assert_eq!(rebuilt.code, 0, "{}", rebuilt.stderr);
    assert_eq!(embedded.stdout, rebuilt.stdout);
}

/// The installed tool is a thin binary over `dockmatrix-core`: neither the
/// generator crate nor the crates only the generator needs are among its
/// (normal) dependencies, so `cargo install` does not compile them.
#[test]
fn the_installed_binary_carries_no_generator() {
    let out = Command::new(env!("CARGO"))
        .args(["tree", "--locked", "-p", "dockmatrix", "-e", "normal"])
        .args(["--prefix", "none", "--format", "{p}"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree = String::from_utf8_lossy(&out.stdout);
    let names: std::collections::BTreeSet<&str> = tree
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(names.contains("dockmatrix-core"), "{tree}");
    for generator_only in ["dockmatrix-gen", "handlebars", "prettyplease"] {
        assert!(
            !names.contains(generator_only),
            "{generator_only} in:\n{tree}"
        );
    }
}

/// `cargo install --path .` gives a working tool: installed into a temporary
/// root and run from an empty directory, with `HOME` elsewhere and no corpus.
#[test]
fn cargo_install_gives_a_working_tool() {
    let b = bare();
    let root = b.home.join("install-root");
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("install-check");
    let status = Command::new(env!("CARGO"))
        .args([
            "install",
            "--path",
            env!("CARGO_MANIFEST_DIR"),
            "--debug",
            "--locked",
        ])
        .arg("--root")
        .arg(&root)
        .arg("--target-dir")
        .arg(&target)
        .env_remove("CARGO_TARGET_DIR")
        .status()
        .expect("cargo install runs");
    assert!(status.success(), "cargo install failed");
    let installed = root.join("bin/dockmatrix");
    assert!(installed.is_file());
    let versions = run_in(
        &installed,
        &b.cwd,
        &b.home,
        &["versions", "--format", "json"],
    );
    assert_eq!(versions.code, 0, "{}", versions.stderr);
    let rows: serde_json::Value = serde_json::from_str(&versions.stdout).unwrap();
    assert_eq!(rows.as_array().map(Vec::len), Some(56), "56 API versions");
    let k14 = manifest("kubernetes-1.4.yaml");
    let check = run_in(
        &installed,
        &b.cwd,
        &b.home,
        &["check", &k14, "--docker", "1.12"],
    );
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
    let stop = run_in(
        &installed,
        &b.cwd,
        &b.home,
        &["history", "POST /containers/{id}/stop"],
    );
    assert_eq!(stop.code, 0, "{}", stop.stderr);
    assert!(stop.stdout.contains("signal"), "{}", stop.stdout);
    let convert = run_in(&installed, &b.cwd, &b.home, &["convert", "--api", "1.24"]);
    assert_eq!(convert.code, 2, "no corpus anywhere: {}", convert.stderr);
}
