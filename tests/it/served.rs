//! The served facts in generated/: `data/served.json` is what the reader
//! extracts from `../shared/moby-server` now, and the documented-vs-served
//! report shows the issue-18 disagreements with their source lines.

use std::path::PathBuf;

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
        filter[0].contains("`api/server/router/image/image_routes.go:234`"),
        "{}",
        filter[0]
    );
    assert!(
        filter[0].contains("documented 1.12–1.25 (excl.)"),
        "{}",
        filter[0]
    );
    for (param, line) in [("since", 107), ("before", 108)] {
        let r = row(&report, "GET /containers/json", param);
        assert_eq!(r.len(), 1, "{r:?}");
        assert!(r[0].contains("1.13 (1.26) … 29.0 (1.52)"), "{}", r[0]);
        assert!(
            r[0].contains(&format!("container_routes.go:{line}`")),
            "{}",
            r[0]
        );
    }
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
    assert!(section.contains("| 29.7 | docker-v29.7.2 | 1.55 `daemon/config/config.go:64` | 1.40 `daemon/config/config.go:69` |"));
}
