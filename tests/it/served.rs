//! The served facts in generated/: `data/served.json` is what the reader
//! extracts from `../shared/moby-server` now, and the documented-vs-served
//! report shows the issue-18 disagreements with their source lines.

use std::path::PathBuf;

use crate::common::{citations, server_corpus_line};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn report() -> String {
    std::fs::read_to_string(repo().join("generated/reports/documented-vs-served.md"))
        .expect("generated/reports/documented-vs-served.md committed")
}

fn row<'a>(report: &'a str, op: &str, param: &str) -> Vec<&'a str> {
    report
        .lines()
        .filter(|l| l.starts_with(&format!("| `{op}` | `{param}` |")))
        .collect()
}

#[test]
fn committed_served_json_is_what_the_reader_extracts() {
    let served = dockmatrix_served::locate_in(&repo()).expect("server corpus");
    let facts = dockmatrix_served::read_corpus(&served).expect("reads");
    let mut fresh = serde_json::to_vec_pretty(&facts).expect("serialises");
    fresh.push(b'\n');
    let committed = std::fs::read(repo().join("generated/data/served.json")).expect("committed");
    assert!(
        committed == fresh,
        "generated/data/served.json is stale: run cargo xtask codegen"
    );
    let tags: Vec<&str> = facts.tags.iter().map(|t| t.tag.as_str()).collect();
    assert_eq!(tags.len(), 35);
    assert_eq!((tags[0], tags[34]), ("v1.8.3", "docker-v29.7.2"));
}

#[test]
fn report_lists_the_issue_18_disagreements_with_their_source_lines() {
    let report = report();
    let filter = row(&report, "GET /images/json", "filter");
    assert_eq!(filter.len(), 1, "{filter:?}");
    assert!(filter[0].contains("19.03 (1.40)"), "{}", filter[0]);
    assert!(
        filter[0].contains("| api/server/router/image/image_routes.go:234 |"),
        "{}",
        filter[0]
    );
    assert!(
        filter[0].contains("documented >= 1.12, < 1.25"),
        "{}",
        filter[0]
    );
    for (param, line, field) in [("since", 107, "Since"), ("before", 108, "Before")] {
        let r = row(&report, "GET /containers/json", param);
        assert_eq!(r.len(), 2, "{r:?}");
        // Read by 1.13.1 … 29.0 though the documents drop it at 1.25, and unused.
        assert!(r[0].contains("1.13.1 (1.26) … 29.0 (1.52)"), "{}", r[0]);
        assert!(
            r[0].contains(&format!(
                "container_routes.go:{line} into ContainerListOptions.{field}, never used by its consumer daemon/list.go:106"
            )),
            "{}",
            r[0]
        );
        // Documented at 1.24 and read by 1.12, which never uses it either.
        assert!(
            r[1].contains("| 1.12 (1.24) |") && r[1].ends_with("| v1.24.md |"),
            "{}",
            r[1]
        );
    }
    let copy = report
        .lines()
        .find(|l| l.starts_with("| `POST /containers/{id}/copy` |"))
        .expect("copy row");
    assert!(
        copy.contains("refused for >= 1.24 at api/server/router/container/copy.go:31"),
        "{copy}"
    );
}

#[test]
fn report_min_api_table_covers_every_tag_and_agrees_with_releases_toml() {
    let report = report();
    let section = report
        .split("## Minimum API version")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("min API section");
    let rows: Vec<&str> = section
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| release"))
        .collect();
    assert_eq!(rows.len(), 35);
    assert!(rows.iter().all(|r| r.ends_with("| yes |")), "{rows:#?}");
    assert!(section.contains("| 29.7 | docker-v29.7.2 | 1.55 `daemon/config/config.go:64` | refused `daemon/server/middleware/version.go:80` | 1.40 `daemon/config/config.go:69` |"));
    // 1.13 to 17.10 have no upper check in their version middleware.
    let accepting: Vec<&str> = rows
        .iter()
        .filter(|r| r.contains("| accepted, answered as max |"))
        .map(|r| r.split(" | ").nth(1).unwrap())
        .collect();
    assert_eq!(
        accepting,
        [
            "v1.13.1",
            "v17.03.2-ce",
            "v17.04.0-ce",
            "v17.05.0-ce",
            "v17.06.2-ce",
            "v17.07.0-ce",
            "v17.09.1-ce",
            "v17.10.0-ce"
        ]
    );
    for row in rows.iter().filter(|r| r.contains("| refused `")) {
        let tag = row.split(" | ").nth(1).unwrap();
        let at = row
            .split("| refused `")
            .nth(1)
            .unwrap()
            .split('`')
            .next()
            .unwrap();
        let (file, line) = at.rsplit_once(':').unwrap();
        let text = server_corpus_line(tag, file, line.parse().unwrap());
        assert!(text.contains("GreaterThan("), "{tag} {at}: {text}");
    }
}

#[test]
fn history_and_the_site_show_both_witnesses_where_they_disagree() {
    let run = crate::common::dockmatrix(None, &["history", "GET /containers/json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("documents vs server code (4 disagreements;"),
        "{}",
        run.stdout
    );
    let run = crate::common::dockmatrix(
        None,
        &["--format", "json", "history", "GET /containers/json"],
    );
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let rows = json["served_disagreements"].as_array().expect("rows");
    let kinds: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["kind"].as_str().unwrap(),
                r["parameter"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("param-read-documented-elsewhere", "before"),
            ("param-read-documented-elsewhere", "since"),
            ("param-read-not-honoured", "before"),
            ("param-read-not-honoured", "since"),
        ]
    );
    assert_eq!(rows[2]["seen"][0]["tag"], "v1.12.6");
    assert_eq!(rows[2]["seen"][0]["documented"], serde_json::Value::Null);
    // An operation the code and documents agree on says so.
    let run = crate::common::dockmatrix(None, &["history", "GET /info"]);
    assert!(run
        .stdout
        .contains("documents vs server code (0 disagreements;"));
    // The site's operation page carries the same rows.
    let page = std::fs::read_to_string(repo().join("generated/site/ops/get-containers-json.html"))
        .expect("page");
    assert!(page.contains("Documents vs server code <small>(4)</small>"));
    assert!(page.contains("never used by its consumer daemon/list.go:106"));
    let info = std::fs::read_to_string(repo().join("generated/site/ops/get-info.html")).unwrap();
    assert!(!info.contains("Documents vs server code"));
}

#[test]
fn diff_shows_the_changes_the_server_code_has_not_made() {
    let run = crate::common::dockmatrix(None, &["--format", "json", "diff", "1.24", "1.25"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let notes: Vec<(String, String, String)> = json["served_notes"]
        .as_array()
        .expect("served_notes")
        .iter()
        .map(|n| {
            (
                n["operation"].as_str().unwrap().to_string(),
                n["parameter"].as_str().unwrap_or("").to_string(),
                n["served"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for (op, param, level) in [
        (
            "GET /containers/json",
            "since",
            "never used by its consumer",
        ),
        (
            "GET /containers/json",
            "before",
            "never used by its consumer",
        ),
        (
            "GET /images/json",
            "filter",
            "v1.13.1 reads it at requested API 1.25",
        ),
    ] {
        let note = notes
            .iter()
            .find(|(o, p, _)| o == op && p == param)
            .unwrap_or_else(|| panic!("{op} ?{param}: {notes:?}"));
        assert!(note.2.contains(level), "{note:?}");
    }
    let text = crate::common::dockmatrix(None, &["diff", "1.24", "1.25"]).stdout;
    assert!(text.contains("server code disagrees (4;"), "{text}");
    // Where the code agrees with the documents, nothing is added.
    let text = crate::common::dockmatrix(None, &["diff", "1.43", "1.44"]).stdout;
    assert!(!text.contains("server code disagrees"), "{text}");
}

#[test]
fn every_disagreement_cites_lines_that_hold_what_it_says() {
    use dockmatrix_core::analysis::witnesses::{disagreements, Kind};
    let matrix = dockmatrix_core::analysis::snapshot::decode(
        &std::fs::read(repo().join("generated/data/matrix.bin")).unwrap(),
    )
    .unwrap();
    let all = disagreements(&matrix, &crate::common::served_index());
    assert!(all.len() >= 40, "{} disagreements", all.len());
    let mut checked = 0;
    for d in &all {
        for seen in &d.seen {
            let cited = citations(&[&seen.served]);
            let line = |i: usize| server_corpus_line(&seen.tag, &cited[i].0, cited[i].1);
            let what = format!(
                "{:?} {} {:?} in {}: {}",
                d.kind, d.operation, d.parameter, seen.tag, seen.served
            );
            match d.kind {
                Kind::DocNotRouted => assert!(cited.is_empty(), "{what}"),
                Kind::RoutedNeverDocumented | Kind::RoutedDocumentedElsewhere => {
                    let last = d
                        .operation
                        .rsplit('/')
                        .find(|s| !s.starts_with('{'))
                        .unwrap();
                    assert!(line(0).contains(last), "{what}: {}", line(0));
                }
                Kind::RoutedRefused => {
                    assert!(line(1).contains("versions."), "{what}: {}", line(1));
                }
                Kind::ParamDocNotRead => {
                    // The handler's declaration, or a read only at other versions.
                    let param = d.parameter.as_deref().unwrap();
                    let l = line(0);
                    assert!(
                        l.contains("func ") || l.contains(&format!("\"{param}\"")),
                        "{what}: {l}"
                    );
                }
                Kind::ParamReadNeverDocumented
                | Kind::ParamReadDocumentedElsewhere
                | Kind::ParamReadNotHonoured => {
                    let param = d.parameter.as_deref().unwrap();
                    assert!(
                        line(0).contains(&format!("\"{param}\"")),
                        "{what}: {}",
                        line(0)
                    );
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 300, "{checked} rows checked");
}
