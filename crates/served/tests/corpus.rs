//! The reader on the real server corpus (`../shared/moby-server`): constants
//! against `SOURCE.toml` (an independent witness), route counts, and the
//! `filter` / `since` / `before` facts of issue 18 at their source lines.

use std::path::PathBuf;
use std::sync::OnceLock;

use dockmatrix_served::{read_corpus, ServedCorpus, SourceToml, TagFacts, Window};

fn corpus_dir() -> PathBuf {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    dockmatrix_served::locate_in(&repo).expect("the moby server corpus at ../shared/moby-server")
}

fn corpus() -> &'static ServedCorpus {
    static CORPUS: OnceLock<ServedCorpus> = OnceLock::new();
    CORPUS.get_or_init(|| read_corpus(&corpus_dir()).expect("the corpus reads"))
}

fn tag(name: &str) -> &'static TagFacts {
    corpus()
        .tags
        .iter()
        .find(|t| t.tag == name)
        .unwrap_or_else(|| panic!("tag {name} in the corpus"))
}

/// The reads of `name` by `METHOD path` at a tag: (line, window).
fn reads(t: &TagFacts, method: &str, path: &str, name: &str) -> Vec<(String, Window)> {
    let op = t
        .operations
        .iter()
        .find(|o| o.method == method && o.path == path)
        .unwrap_or_else(|| panic!("{} routes {method} {path}", t.tag));
    op.params
        .iter()
        .filter(|p| p.name == name)
        .map(|p| (p.at.to_string(), p.window))
        .collect()
}

fn v(s: &str) -> dockmatrix_core::ApiVersion {
    s.parse().expect("a version")
}

#[test]
fn all_35_tags_are_read() {
    assert_eq!(corpus().tags.len(), 35);
}

#[test]
fn constants_match_source_toml_for_every_tag() {
    for t in &corpus().tags {
        let source =
            SourceToml::load(&corpus_dir().join(&t.tag).join("SOURCE.toml")).expect("SOURCE.toml");
        let value = |c: &Option<dockmatrix_served::Constant>| c.as_ref().map(|c| c.value.clone());
        assert_eq!(
            value(&t.api.max),
            Some(source.api_version.clone()),
            "{} max",
            t.tag
        );
        assert_eq!(
            value(&t.api.min),
            Some(source.min_api_version.clone()),
            "{} min",
            t.tag
        );
        if let Some(w) = &source.min_api_version_windows {
            assert_eq!(
                value(&t.api.min_windows).as_ref(),
                Some(w),
                "{} min windows",
                t.tag
            );
        }
        if let Some(f) = &source.min_api_version_floor {
            assert_eq!(value(&t.api.min_floor).as_ref(), Some(f), "{} floor", t.tag);
        }
        if let Some(f) = &source.min_api_version_floor_windows {
            assert_eq!(
                value(&t.api.min_floor_windows).as_ref(),
                Some(f),
                "{} floor windows",
                t.tag
            );
        }
    }
}

#[test]
fn route_counts_grow_sanely() {
    let tags = &corpus().tags;
    for t in tags {
        assert!(
            t.operations.len() >= 45,
            "{} routes only {}",
            t.tag,
            t.operations.len()
        );
        assert!(
            t.operations.iter().all(|o| o.handler.is_some()),
            "{}: a handler not found",
            t.tag
        );
    }
    for pair in tags.windows(2) {
        let (a, b) = (pair[0].operations.len(), pair[1].operations.len());
        assert!(
            b * 10 >= a * 9,
            "{} → {}: {a} → {b} routes",
            pair[0].tag,
            pair[1].tag
        );
    }
    let (first, last) = (&tags[0], &tags[tags.len() - 1]);
    assert_eq!(first.tag, "v1.8.3");
    assert_eq!(last.tag, "docker-v29.7.2");
    assert!(last.operations.len() > 2 * first.operations.len());
}

#[test]
fn v20_10_container_list_reads_since_and_before_unconditionally() {
    let t = tag("v20.10.27");
    let file = "api/server/router/container/container_routes.go";
    assert_eq!(
        reads(t, "GET", "/containers/json", "since"),
        [(format!("{file}:81"), Window::ALL)]
    );
    assert_eq!(
        reads(t, "GET", "/containers/json", "before"),
        [(format!("{file}:82"), Window::ALL)]
    );
}

#[test]
fn image_list_filter_follows_the_version_gates_of_each_release() {
    let below = |s| Window::below(v(s));
    let cases = [
        (
            "v1.12.6",
            "api/server/router/image/image_routes.go",
            Window::ALL,
        ),
        (
            // Read unconditionally at l.257; only the *use* on l.258 is gated
            // (< 1.28), which the reader does not trace (level `read`).
            "v1.13.1",
            "api/server/router/image/image_routes.go:257",
            Window::ALL,
        ),
        (
            "v17.06.2-ce",
            "api/server/router/image/image_routes.go",
            Window::ALL,
        ),
        (
            "v20.10.27",
            "api/server/router/image/image_routes.go:236",
            below("1.41"),
        ),
        (
            "v25.0.17",
            "api/server/router/image/image_routes.go:392",
            below("1.41"),
        ),
        (
            "docker-v29.7.2",
            "daemon/server/router/image/image_routes.go",
            below("1.25"),
        ),
    ];
    for (tag_name, at, window) in cases {
        let found = reads(tag(tag_name), "GET", "/images/json", "filter");
        assert_eq!(found.len(), 1, "{tag_name}: {found:?}");
        assert!(found[0].0.starts_with(at), "{tag_name}: {found:?}");
        assert_eq!(found[0].1, window, "{tag_name}");
    }
}

#[test]
fn since_and_before_are_read_until_29_0_and_not_after() {
    assert_eq!(
        reads(tag("docker-v29.0.4"), "GET", "/containers/json", "since").len(),
        1
    );
    assert!(reads(tag("docker-v29.7.2"), "GET", "/containers/json", "since").is_empty());
    assert!(reads(tag("docker-v29.7.2"), "GET", "/containers/json", "before").is_empty());
}

#[test]
fn v1_8_map_layout_and_lower_case_helpers_are_read() {
    let t = tag("v1.8.3");
    let op = t
        .operations
        .iter()
        .find(|o| o.method == "GET" && o.path == "/containers/json")
        .expect("GET /containers/json");
    assert!(op.at.to_string().starts_with("api/server/server.go:"));
    assert_eq!(op.handler.as_deref(), Some("getContainersJSON"));
    assert!(op
        .params
        .iter()
        .any(|p| p.name == "all" && p.via.as_deref() == Some("boolValue")));
}

#[test]
fn v29_route_minimums_and_experimental_routes_are_recorded() {
    let t = tag("docker-v29.7.2");
    let put = t
        .operations
        .iter()
        .find(|o| o.method == "PUT" && o.path == "/volumes/{name}")
        .expect("PUT /volumes/{name}");
    assert_eq!(put.min_api, Some(v("1.42")));
    let t = tag("v20.10.27");
    assert!(t
        .operations
        .iter()
        .filter(|o| o.path.ends_with("/checkpoints"))
        .all(|o| o.experimental));
}

#[test]
fn a_trailing_slash_route_is_the_same_operation() {
    let t = tag("v20.10.27");
    let nets: Vec<_> = t
        .operations
        .iter()
        .filter(|o| o.method == "GET" && o.path == "/networks")
        .collect();
    assert_eq!(nets.len(), 1);
    assert_eq!(nets[0].also_at.len(), 1);
}

/// Every cited line holds what it is cited for: each read's line names the
/// parameter, each route's line its template — at every tag.
#[test]
fn every_cited_line_holds_the_cited_text() {
    let dir = corpus_dir();
    let mut cache: std::collections::HashMap<PathBuf, Vec<String>> = Default::default();
    let mut line_of = |tag: &str, at: &dockmatrix_served::Located| -> String {
        let path = dir.join(tag).join(&at.file);
        let lines = cache.entry(path.clone()).or_insert_with(|| {
            std::fs::read_to_string(&path)
                .expect("cited file exists")
                .lines()
                .map(str::to_string)
                .collect()
        });
        lines[at.line as usize - 1].clone()
    };
    let mut checked = 0;
    for t in &corpus().tags {
        for op in &t.operations {
            let text = line_of(&t.tag, &op.at);
            assert!(
                text.contains(&format!("\"{}\"", op.route)),
                "{} {}: {text}",
                t.tag,
                op.at
            );
            for p in &op.params {
                let text = line_of(&t.tag, &p.at);
                assert!(
                    text.contains(&format!("\"{}\"", p.name)),
                    "{} {}: {text}",
                    t.tag,
                    p.at
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 5000, "{checked} reads checked");
}

/// The line `at` (`file:line`) of a tag's extract.
fn line_at(tag: &str, at: &dockmatrix_served::Located) -> String {
    let text = std::fs::read_to_string(corpus_dir().join(tag).join(&at.file)).expect("cited file");
    text.lines()
        .nth(at.line as usize - 1)
        .unwrap_or_default()
        .to_string()
}

#[test]
fn since_and_before_are_honoured_until_1_11_and_read_but_unused_after() {
    for t in &corpus().tags {
        let Some(op) = t
            .operations
            .iter()
            .find(|o| o.method == "GET" && o.path == "/containers/json")
        else {
            continue;
        };
        for name in ["since", "before"] {
            let Some(read) = op.params.iter().find(|p| p.name == name) else {
                continue;
            };
            let h = read
                .honoured
                .as_ref()
                .unwrap_or_else(|| panic!("{} ?{name}: consumer found", t.tag));
            let old = matches!(t.tag.as_str(), "v1.8.3" | "v1.9.1" | "v1.10.3" | "v1.11.2");
            assert_eq!(h.honoured, old, "{} ?{name}: {h:?}", t.tag);
            let field = h.field.rsplit('.').next().unwrap();
            let line = line_at(&t.tag, &h.at);
            if h.honoured {
                assert!(line.contains(&format!(".{field}")), "{}: {line}", t.tag);
            } else {
                assert!(
                    line.contains("func (daemon *Daemon) Containers("),
                    "{}: {line}",
                    t.tag
                );
                let whole =
                    std::fs::read_to_string(corpus_dir().join(&t.tag).join(&h.at.file)).unwrap();
                assert!(!whole.contains(&format!(".{field}")), "{}", t.tag);
            }
        }
    }
}

#[test]
fn the_only_handler_level_refusal_is_the_old_copy_endpoint_from_1_24() {
    let mut tags = Vec::new();
    for t in &corpus().tags {
        for op in &t.operations {
            if let Some(r) = &op.refused {
                assert_eq!(
                    (op.method.as_str(), op.path.as_str()),
                    ("POST", "/containers/{name}/copy"),
                    "{}",
                    t.tag
                );
                assert_eq!(r.window, Window::from(v("1.24")), "{}", t.tag);
                assert!(line_at(&t.tag, &r.at).contains("GreaterThanOrEqualTo(version, \"1.24\")"));
                tags.push(t.tag.as_str());
            }
        }
    }
    assert_eq!(tags.first(), Some(&"v1.12.6"));
    assert_eq!(tags.last(), Some(&"v25.0.17"));
    assert_eq!(tags.len(), 20);
}

#[test]
fn daemon_side_gates_are_read_at_their_lines() {
    let mut total = 0;
    for t in &corpus().tags {
        for g in &t.daemon_gates {
            let line = line_at(&t.tag, &g.at);
            let first_line = g.condition.lines().next().unwrap_or_default();
            assert!(line.contains(first_line), "{} {}: {line}", t.tag, g.at);
            total += 1;
        }
    }
    // Container inspect answers below 1.20 in the old shape from 1.10 to 25.0.
    let inspect = |tag: &str| {
        self::tag(tag)
            .daemon_gates
            .iter()
            .any(|g| g.function == "ContainerInspect" && g.window == Window::below(v("1.20")))
    };
    assert!(inspect("v20.10.27") && inspect("v25.0.17") && !inspect("docker-v29.7.2"));
    assert!(total >= 60, "{total} gates");
}
