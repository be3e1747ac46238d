//! Output a person can read: text fits 100 columns unless `--wide`, timelines
//! carry a version ruler, a `--format` a command cannot honour is an error, and
//! `versions` tells each release's minimum API.

use crate::common;

use common::manifest;

use common::dockmatrix;

fn widest(text: &str) -> usize {
    text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

#[test]
fn text_fits_100_columns_and_wide_does_not_wrap() {
    let k13 = manifest("kubernetes-1.3.yaml");
    let k14 = manifest("kubernetes-1.4.yaml");
    let commands: Vec<Vec<&str>> = vec![
        vec!["versions"],
        vec!["ops", "--api", "1.24"],
        vec!["ops", "--api", "1.55"],
        vec!["history", "POST /containers/{id}/update"],
        vec!["history", "GET /info"],
        vec!["diff", "1.24", "1.25"],
        vec!["check", &k14, "--api", "1.15"],
        vec!["check", &k13, "--docker", "1.10"],
        vec!["compare", &k13, &k14],
        vec!["matrix"],
    ];
    let mut some_wider = false;
    for args in commands {
        let run = dockmatrix(None, &args);
        assert!(run.code <= 1, "{args:?}: {}", run.stderr);
        assert!(
            widest(&run.stdout) <= 100,
            "{args:?}: a line of {} columns",
            widest(&run.stdout)
        );
        let mut wide_args = args.clone();
        wide_args.push("--wide");
        let wide = dockmatrix(None, &wide_args);
        assert_eq!(wide.code, run.code, "{args:?} --wide");
        some_wider |= widest(&wide.stdout) > 100;
    }
    assert!(some_wider, "--wide prints long lines whole");
}

/// Fitting text to 100 columns only moves words to other lines: the words of
/// every output are those of its `--wide` form, so no path or field name
/// (`Containerd.Namespaces.Containers`, `POST /images/create`) is ever split.
#[test]
fn fitting_never_splits_a_word() {
    let k14 = manifest("kubernetes-1.4.yaml");
    let cli = manifest("docker-cli-20.10.yaml");
    let commands: Vec<Vec<&str>> = vec![
        vec!["history", "GET /info"],
        vec!["history", "GET /services"],
        vec!["history", "POST /images/create"],
        vec!["check", &k14, "--api", "1.15"],
        vec!["check", &cli, "--docker", "29.0"],
        vec!["diff", "1.51", "1.52"],
        vec!["ops", "--api", "1.55"],
    ];
    let words = |text: &str| -> std::collections::BTreeSet<String> {
        text.split_whitespace().map(String::from).collect()
    };
    for args in commands {
        let fitted = dockmatrix(None, &args);
        let mut wide_args = args.clone();
        wide_args.push("--wide");
        let wide = dockmatrix(None, &wide_args);
        assert_eq!(fitted.code, wide.code, "{args:?}");
        let (a, b) = (words(&fitted.stdout), words(&wide.stdout));
        let split: Vec<&String> = a.difference(&b).collect();
        assert!(
            split.is_empty(),
            "{args:?}: words split by fitting: {split:?}"
        );
        assert_eq!(a, b, "{args:?}");
    }
    let info = dockmatrix(None, &["history", "GET /info"]);
    assert!(info
        .stdout
        .lines()
        .any(|l| l.split_whitespace().next() == Some("Containerd.Namespaces.Containers")));
}

#[test]
fn timelines_carry_a_version_ruler() {
    let run = dockmatrix(None, &["history", "POST /containers/{id}/stop"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    let strip = lines
        .iter()
        .position(|l| l.trim_start().starts_with("operation"))
        .expect("the operation's strip");
    let (labels, marks, strip_line) = (lines[strip - 2], lines[strip - 1], lines[strip]);
    let col = |line: &str, needle: &str| line.find(needle).map(|b| line[..b].chars().count());
    let after = strip_line.find("operation").expect("label") + "operation".len();
    let start = after
        + strip_line[after..]
            .chars()
            .take_while(|c| *c == ' ')
            .count();
    // 1.0 is the first version: its label and mark sit over the strip's first glyph.
    assert_eq!(col(labels, "1.0 "), Some(start), "{labels}");
    assert_eq!(col(marks, "|"), Some(start), "{marks}");
    // 1.20 is the 21st version.
    assert_eq!(col(labels, "1.20"), Some(start + 20), "{labels}");
    assert!(labels.trim_end().ends_with("1.55"), "{labels}");
    // Gaps and unknown spans are spelled out in words.
    let update = dockmatrix(None, &["history", "POST /containers/{id}/update"]);
    assert!(
        update.stdout.contains("unknown 1.22–1.24"),
        "{}",
        update.stdout
    );
}

#[test]
fn a_format_a_command_cannot_honour_is_an_error() {
    for (args, needle) in [
        (
            &["convert", "--api", "1.24", "--format", "md"][..],
            "convert",
        ),
        (
            &["convert", "--api", "1.24", "--format", "text"][..],
            "convert",
        ),
    ] {
        let run = dockmatrix(None, args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stdout);
        assert!(run.stdout.is_empty());
        assert!(
            run.stderr.contains(needle) && run.stderr.contains("--format"),
            "{}",
            run.stderr
        );
    }
    let json = dockmatrix(None, &["convert", "--api", "1.24", "--format", "json"]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let plain = dockmatrix(None, &["convert", "--api", "1.24"]);
    assert_eq!(plain.stdout, json.stdout, "convert prints JSON by default");
}

#[test]
fn versions_show_each_release_minimum_api() {
    let run = dockmatrix(None, &["versions", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let v141 = rows
        .as_array()
        .and_then(|a| a.iter().find(|r| r["version"] == "1.41"))
        .expect("API 1.41");
    let release = v141["releases"]
        .as_array()
        .and_then(|r| r.iter().find(|x| x["docker"] == "20.10"))
        .expect("Docker 20.10 serves 1.41 at most");
    assert_eq!(release["min_api"], "1.12");
    let text = dockmatrix(None, &["versions"]);
    assert!(text.stdout.contains("20.10 (min 1.12)"), "{}", text.stdout);
}

#[test]
fn check_github_annotates_the_manifest_lines() {
    let k14 = manifest("kubernetes-1.4.yaml");
    let text = std::fs::read_to_string(&k14).unwrap();
    let run = dockmatrix(
        None,
        &["check", &k14, "--api", "1.15", "--format", "github"],
    );
    assert_eq!(run.code, 1, "incompatible: {}", run.stderr);
    let errors: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("::error "))
        .collect();
    assert!(!errors.is_empty(), "{}", run.stdout);
    for e in &errors {
        let props = e.trim_start_matches("::error ").split("::").next().unwrap();
        assert!(props.starts_with(&format!("file={k14},line=")), "{e}");
        let line: usize = props
            .split(',')
            .find_map(|p| p.strip_prefix("line="))
            .and_then(|n| n.parse().ok())
            .expect("a line number");
        let message = e.rsplit("::").next().unwrap();
        let listed = text.lines().nth(line - 1).unwrap();
        if message.contains("below the declared minimum") {
            assert!(listed.trim_start().starts_with("api:"), "{e}");
            continue;
        }
        let call = message.split(": missing").next().unwrap();
        let (method, path) = call.split_once(' ').unwrap();
        assert!(
            listed.contains(method) && listed.contains(path.split('{').next().unwrap()),
            "line {line} ({listed:?}) should list {call}"
        );
    }
    assert!(run.stdout.lines().last().unwrap().starts_with("::notice "));

    let ok = dockmatrix(
        None,
        &["check", &k14, "--docker", "1.12", "--format", "github"],
    );
    assert_eq!(ok.code, 0, "{}", ok.stdout);
    assert!(!ok.stdout.contains("::error"), "{}", ok.stdout);

    // An unverified body field is a warning at its call's line; --strict fails.
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("update.yaml");
    std::fs::write(
        &m,
        "consumer:\n  name: t\n  version: \"1\"\nclient:\n  library: l\n  api_version: unversioned\nminimum:\n  api: \"1.22\"\n  source: test\ncalls:\n  - GET /info\n  - call: POST /containers/{id}/update\n    body: [RestartPolicy]\n",
    )
    .unwrap();
    let m = m.display().to_string();
    let warn = dockmatrix(None, &["check", &m, "--api", "1.22", "--format", "github"]);
    assert_eq!(warn.code, 0, "{}{}", warn.stdout, warn.stderr);
    assert!(
        warn.stdout
            .contains(&format!("::warning file={m},line=12,title=")),
        "{}",
        warn.stdout
    );
    let strict = dockmatrix(
        None,
        &[
            "check", &m, "--api", "1.22", "--format", "github", "--strict",
        ],
    );
    assert_eq!(strict.code, 1);
    let other = dockmatrix(None, &["history", "GET /info", "--format", "github"]);
    assert_eq!(other.code, 2, "only check prints annotations");
}

#[test]
fn help_of_every_command_fits_100_columns() {
    let commands = [
        "versions",
        "ops",
        "history",
        "diff",
        "check",
        "compare",
        "matrix",
        "convert",
        "proxy",
        "fetch-specs",
    ];
    let top = dockmatrix(None, &["--help"]);
    assert_eq!(top.code, 0, "{}", top.stderr);
    assert!(
        widest(&top.stdout) <= 100,
        "dockmatrix --help:\n{}",
        top.stdout
    );
    for command in commands {
        let run = dockmatrix(None, &[command, "--help"]);
        assert_eq!(run.code, 0, "{command} --help: {}", run.stderr);
        assert!(
            widest(&run.stdout) <= 100,
            "{command} --help has a line of {} columns:\n{}",
            widest(&run.stdout),
            run.stdout
        );
    }
}
