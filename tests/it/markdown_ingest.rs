//! Markdown ingest (API v1.0–v1.24) against the real reference pages.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use dockmatrix_core::ingest::{ingest_file, ingest_text, IngestError, IngestedSpec, SpecFormat};
use dockmatrix_core::path::canonical_path;
use dockmatrix_core::ApiVersion;

fn specs_dir() -> PathBuf {
    match dockmatrix_core::corpus::locate_in(Path::new(env!("CARGO_MANIFEST_DIR"))) {
        Ok(found) => found.dir,
        Err(e) => panic!("{e}"),
    }
}

fn seeds_dir() -> PathBuf {
    specs_dir().join("../../seeds")
}

fn v(minor: u16) -> ApiVersion {
    ApiVersion::new(1, minor)
}

fn load(minor: u16) -> IngestedSpec {
    let file = specs_dir().join(format!("v1.{minor}.md"));
    ingest_file(&file, SpecFormat::Markdown, v(minor)).unwrap_or_else(|e| panic!("v1.{minor}: {e}"))
}

/// `METHOD canonical-path` of every operation.
fn op_set(spec: &IngestedSpec) -> BTreeSet<String> {
    spec.openapi
        .operations()
        .map(|(path, method, _)| format!("{} {}", method.to_uppercase(), canonical_path(path)))
        .collect()
}

fn has(spec: &IngestedSpec, method: &str, path: &str) -> bool {
    op_set(spec).contains(&format!("{method} {}", canonical_path(path)))
}

fn op<'a>(spec: &'a IngestedSpec, method: &str, path: &str) -> &'a openapiv3::Operation {
    spec.openapi
        .operations()
        .find(|(p, m, _)| m.eq_ignore_ascii_case(method) && *p == path)
        .map(|(_, _, o)| o)
        .unwrap_or_else(|| panic!("{method} {path} missing in {}", spec.version))
}

fn param_names(op: &openapiv3::Operation, location: &str) -> Vec<String> {
    op.parameters
        .iter()
        .filter_map(|p| p.as_item())
        .filter(|p| {
            matches!(
                (p, location),
                (openapiv3::Parameter::Query { .. }, "query")
                    | (openapiv3::Parameter::Path { .. }, "path")
                    | (openapiv3::Parameter::Header { .. }, "header")
            )
        })
        .map(|p| p.parameter_data_ref().name.clone())
        .collect()
}

/// Independent count: operation lines (backtick + method at the margin) outside fences.
fn naive_operation_lines(text: &str) -> usize {
    let mut fenced = false;
    let mut n = 0;
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with("```") {
            fenced = !fenced;
            continue;
        }
        let indent = line.len() - t.len();
        if fenced || indent > 3 {
            continue;
        }
        if let Some(rest) = t.strip_prefix('`') {
            let rest = rest.trim_start();
            if ["GET ", "POST ", "PUT ", "DELETE ", "HEAD "]
                .iter()
                .any(|m| rest.starts_with(m))
            {
                n += 1;
            }
        }
    }
    n
}

#[test]
fn all_pages_convert_with_plausible_operations() {
    const TAGS: [&str; 11] = [
        "Container",
        "Image",
        "Network",
        "Volume",
        "Exec",
        "Swarm",
        "Node",
        "Service",
        "Task",
        "Plugin",
        "System",
    ];
    let mut previous = 0;
    for minor in 0..=24 {
        let spec = load(minor);
        let text = std::fs::read_to_string(specs_dir().join(format!("v1.{minor}.md"))).unwrap();
        let count = spec.openapi.operations().count();
        // Operations the errata add (documented in prose only) have no route line.
        let from_errata = spec
            .openapi
            .operations()
            .filter(|(_, _, o)| o.extensions.contains_key("x-dockmatrix-from-errata"))
            .count();
        assert_eq!(
            from_errata,
            usize::from(minor <= 6),
            "v1.{minor}: GET /images/viz"
        );
        assert_eq!(
            count - from_errata,
            naive_operation_lines(&text),
            "v1.{minor}"
        );
        assert!(
            (25..=100).contains(&count),
            "v1.{minor}: {count} operations"
        );
        // The API only grows until v1.24, except v1.2 (dropped GET /auth) and v1.7
        // (GET /images/viz gone).
        assert!(
            count + 1 >= previous,
            "v1.{minor}: {count} after {previous}"
        );
        previous = count;
        assert_eq!(spec.openapi.openapi, "3.0.3");
        assert_eq!(spec.openapi.info.version, format!("1.{minor}"));
        assert!(spec
            .openapi
            .info
            .title
            .ends_with(&format!("API v1.{minor}")));
        for (path, method, o) in spec.openapi.operations() {
            let at = format!("v1.{minor} {method} {path}");
            assert!(path.starts_with('/'), "{at}");
            assert!(!path.contains(['(', ')', '<', '>', ' ', '?', '*']), "{at}");
            assert_eq!(o.tags.len(), 1, "{at}");
            assert!(TAGS.contains(&o.tags[0].as_str()), "{at}");
            assert!(o.summary.as_deref().is_some_and(|s| !s.is_empty()), "{at}");
            assert!(
                !o.responses.responses.is_empty() || o.responses.default.is_some(),
                "{at}"
            );
            let placeholders = path.matches('{').count();
            assert_eq!(param_names(o, "path").len(), placeholders, "{at}");
            for name in param_names(o, "path") {
                assert!(path.contains(&format!("{{{name}}}")), "{at}: {name}");
            }
        }
    }
}

/// The "Docker API 1.24" column of the seed table: `METHOD /path` under each title.
fn seed_operations() -> BTreeSet<String> {
    let file = seeds_dir().join("001_3b252529e75317b2.txt");
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let start = text.find("Docker API 1.24 |").expect("seed table header");
    let mut out = BTreeSet::new();
    for line in text[start..].lines() {
        if line.starts_with("1)") {
            break;
        }
        let Some((method, rest)) = line.split_once(' ') else {
            continue;
        };
        if !["GET", "POST", "PUT", "DELETE", "HEAD"].contains(&method) || !rest.starts_with('/') {
            continue;
        }
        let path = rest.split(['|', ',']).next().unwrap().trim();
        out.insert(format!("{method} {}", canonical_path(path)));
    }
    out
}

#[test]
fn v1_24_matches_the_seed_table() {
    let seed = seed_operations();
    assert!(
        seed.len() > 70,
        "seed table parsed too few rows: {}",
        seed.len()
    );
    let ours = op_set(&load(24));
    let only_seed: Vec<_> = seed.difference(&ours).cloned().collect();
    let only_ours: Vec<_> = ours.difference(&seed).cloned().collect();
    assert_eq!(only_seed, ["POST /containers/{}/copy"]);
    assert_eq!(only_ours, ["POST /plugins/{}/push"]);
}

#[test]
fn tags_agree_with_the_v1_25_swagger_document() {
    let yaml = std::fs::read_to_string(specs_dir().join("v1.25.yaml")).unwrap();
    let doc: serde_json::Value = serde_norway::from_str(&yaml).unwrap();
    let spec = load(24);
    let mut compared = 0;
    for (path, method, o) in spec.openapi.operations() {
        let swagger_path = doc["paths"]
            .as_object()
            .unwrap()
            .keys()
            .find(|k| canonical_path(k) == canonical_path(path));
        let Some(sp) = swagger_path else { continue };
        let Some(tags) = doc["paths"][sp][method]["tags"].as_array() else {
            continue;
        };
        assert_eq!(
            tags[0].as_str(),
            Some(o.tags[0].as_str()),
            "{method} {path}"
        );
        compared += 1;
    }
    assert!(compared > 70, "only {compared} operations compared");
}

#[test]
fn first_appearances_match_the_history() {
    let specs: Vec<IngestedSpec> = (0..=24).map(load).collect();
    let present = |method: &str, path: &str| -> Vec<u16> {
        specs
            .iter()
            .filter(|s| has(s, method, path))
            .map(|s| s.version.minor)
            .collect()
    };
    let from = |minor: u16| (minor..=24).collect::<Vec<u16>>();
    assert_eq!(present("POST", "/containers/{id}/rename"), from(17));
    assert_eq!(present("POST", "/containers/{id}/update"), from(22));
    for method in ["HEAD", "GET", "PUT"] {
        assert_eq!(
            present(method, "/containers/{id}/archive"),
            from(20),
            "{method}"
        );
    }
    assert_eq!(
        present("POST", "/containers/{id}/copy"),
        (4..=23).collect::<Vec<_>>()
    );
    let family = |prefix: &str| -> Vec<u16> {
        specs
            .iter()
            .filter(|s| {
                s.openapi
                    .paths
                    .paths
                    .keys()
                    .any(|p| p == prefix || p.starts_with(&format!("{prefix}/")))
            })
            .map(|s| s.version.minor)
            .collect()
    };
    assert_eq!(family("/volumes"), from(21));
    assert_eq!(family("/networks"), from(21));
    for prefix in ["/swarm", "/nodes", "/services", "/tasks"] {
        assert_eq!(family(prefix), from(24), "{prefix}");
    }
}

#[test]
fn delete_image_line_without_closing_backtick() {
    for minor in [9, 10] {
        let spec = load(minor);
        let o = op(&spec, "DELETE", "/images/{name}");
        assert_eq!(o.summary.as_deref(), Some("Remove an image"));
        assert_eq!(param_names(o, "path"), ["name"]);
        assert!(
            spec.warnings
                .iter()
                .any(|w| w.message.contains("closing backtick")),
            "v1.{minor}: the defect is reported"
        );
    }
    // v1.10 has the same defect on DELETE /containers/(id*).
    assert!(has(&load(10), "DELETE", "/containers/{id}"));
}

#[test]
fn resize_query_written_into_the_path() {
    let spec = load(15);
    // The v1.15 page says GET; the errata table corrects it to the POST every
    // later page (and the daemon) uses, so there is no one-version GET endpoint.
    let o = op(&spec, "POST", "/containers/{id}/resize");
    assert!(!has(&spec, "GET", "/containers/{id}/resize"));
    assert_eq!(param_names(o, "query"), ["h", "w"]);
    assert_eq!(param_names(o, "path"), ["id"]);
    assert!(has(&load(16), "POST", "/containers/{id}/resize"));
}

#[test]
fn plugin_push_example_line_is_fixed_by_errata() {
    let spec = load(24);
    let o = op(&spec, "POST", "/plugins/{name}/push");
    assert_eq!(o.summary.as_deref(), Some("Push a plugin"));
    assert_eq!(o.tags, ["Plugin"]);
    assert_eq!(
        o.extensions.get("x-dockmatrix-commented-out"),
        Some(&serde_json::json!(true))
    );
    assert!(spec
        .warnings
        .iter()
        .any(|w| w.message.starts_with("errata:")));
    for (path, _, _) in spec.openapi.operations() {
        assert!(
            !path.contains("tiborvass") && !path.contains("v1.") && !path.contains("HTTP"),
            "{path}"
        );
    }
    // The plugin install route keeps its query in a parameter.
    let pull = op(&spec, "POST", "/plugins/pull");
    assert_eq!(param_names(pull, "query"), ["name"]);
}

#[test]
fn example_requests_and_prose_headings_are_not_operations() {
    for minor in [0, 7, 14, 21, 24] {
        let spec = load(minor);
        for (path, method, o) in spec.openapi.operations() {
            // Example requests use concrete ids such as 4fa6e0f0c678 or image names.
            for segment in path.split('/') {
                let hexish = segment.len() >= 10 && segment.chars().all(|c| c.is_ascii_hexdigit());
                assert!(!hexish, "v1.{minor} {method} {path}");
                assert!(
                    !["ubuntu", "test", "base", "centos", "fedora"].contains(&segment),
                    "v1.{minor} {method} {path}"
                );
            }
            let summary = o.summary.as_deref().unwrap_or_default();
            assert!(!summary.contains("Image tarball format"), "v1.{minor}");
            assert!(!summary.contains("Inside `docker run`"), "v1.{minor}");
            assert!(!summary.contains("Hijacking"), "v1.{minor}");
        }
    }
}

#[test]
fn query_parameters_of_known_operations() {
    let spec = load(24);
    let list = op(&spec, "GET", "/containers/json");
    assert_eq!(
        param_names(list, "query"),
        ["all", "limit", "since", "before", "size", "filters"]
    );
    let all = list.parameters[0].as_item().unwrap().parameter_data_ref();
    assert!(matches!(
        &all.format,
        openapiv3::ParameterSchemaOrContent::Schema(openapiv3::ReferenceOr::Item(s))
            if matches!(s.schema_kind, openapiv3::SchemaKind::Type(openapiv3::Type::Boolean(_)))
    ));
    let archive = op(&spec, "GET", "/containers/{id}/archive");
    let path = archive
        .parameters
        .iter()
        .filter_map(|p| p.as_item())
        .find(|p| p.parameter_data_ref().name == "path")
        .unwrap();
    assert!(matches!(path, openapiv3::Parameter::Query { .. }));
    assert!(path.parameter_data_ref().required);
    let build = op(&spec, "POST", "/build");
    assert!(param_names(build, "header").contains(&"X-Registry-Config".to_string()));
    // v1.0: "Query Parameters:" spelling, and the rST `:query term:` leftover.
    let v0 = load(0);
    assert_eq!(
        param_names(op(&v0, "GET", "/containers/json"), "query"),
        ["all", "limit", "since", "before"]
    );
    assert_eq!(
        param_names(op(&v0, "GET", "/images/search"), "query"),
        ["term"]
    );
    // v1.10 escapes the underscore: **ps\_args**.
    assert_eq!(
        param_names(op(&load(10), "GET", "/containers/{id}/top"), "query"),
        ["ps_args"]
    );
}

#[test]
fn responses_and_examples() {
    let spec = load(24);
    let create = op(&spec, "POST", "/containers/create");
    let body = create.request_body.as_ref().unwrap().as_item().unwrap();
    let example = body.content["application/json"].example.as_ref().unwrap();
    assert!(
        example.get("Image").is_some(),
        "request example is the JSON body"
    );
    let created = create.responses.responses[&openapiv3::StatusCode::Code(201)]
        .as_item()
        .unwrap();
    assert_eq!(created.description, "no error");
    assert!(created.content["application/json"]
        .example
        .as_ref()
        .unwrap()
        .get("Id")
        .is_some());
    for code in [400, 404, 406, 409, 500] {
        assert!(
            create
                .responses
                .responses
                .contains_key(&openapiv3::StatusCode::Code(code)),
            "{code}"
        );
    }
    // v1.4 "**200** – no error :statuscode 404: no such image :statuscode 500: …".
    let v4 = load(4);
    let push = op(&v4, "POST", "/images/{name}/push");
    let codes: Vec<_> = push.responses.responses.keys().cloned().collect();
    assert_eq!(codes, [200, 404, 500].map(openapiv3::StatusCode::Code));
    // The deprecated copy endpoint (v1.20–v1.23 say so; v1.19 does not).
    assert!(op(&load(20), "POST", "/containers/{id}/copy").deprecated);
    assert!(!op(&load(19), "POST", "/containers/{id}/copy").deprecated);
}

#[test]
fn output_serialises_and_reparses() {
    for minor in [0, 9, 15, 24] {
        let spec = load(minor);
        let json = serde_json::to_string(&spec.openapi).unwrap();
        let back: openapiv3::OpenAPI = serde_json::from_str(&json).unwrap();
        assert_eq!(back, spec.openapi, "v1.{minor}");
        // Deterministic: converting again yields the same text.
        assert_eq!(serde_json::to_string(&load(minor).openapi).unwrap(), json);
    }
}

fn convert_temp(name: &str, expected: ApiVersion, text: &str) -> Result<IngestedSpec, IngestError> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(name);
    std::fs::write(&file, text).unwrap();
    let bytes = std::fs::read(&file).unwrap();
    ingest_text(&file, SpecFormat::Markdown, expected, &bytes)
}

#[test]
fn page_without_operations_is_rejected() {
    // v1.8: a version without errata entries (errata must match their page).
    let text = "# Docker Remote API v1.8\n\n# 1. Brief introduction\n\nNothing here.\n";
    let err = convert_temp("v1.8.md", v(8), text).unwrap_err();
    assert!(matches!(err, IngestError::NoOperations { .. }), "{err}");
}

#[test]
fn page_titled_with_another_version_is_rejected() {
    let text = "---\ntitle: \"Engine API v1.23\"\n---\n\n#### Ping\n\n`GET /_ping`\n";
    let err = convert_temp("v1.24.md", v(24), text).unwrap_err();
    match err {
        IngestError::VersionMismatch {
            expected, found, ..
        } => {
            assert_eq!(expected, "1.24");
            assert!(found.starts_with("1.23"), "{found}");
        }
        other => panic!("unexpected {other}"),
    }
    // Front matter and heading must agree too.
    let mixed = "<!--[metadata]>\n+++\ntitle = \"Remote API v1.5\"\n+++\n<![end-metadata]-->\n\n# Docker Remote API v1.6\n\n### Ping\n\n`GET /_ping`\n";
    assert!(matches!(
        convert_temp("v1.5.md", v(5), mixed).unwrap_err(),
        IngestError::VersionMismatch { .. }
    ));
}

#[test]
fn unreadable_operation_line_names_its_line() {
    let text = "# Docker Remote API v1.8\n\n### Ping\n\n`GET /_ping`\n\n### Broken\n\n`POST /containers/(id)/start now please`\n";
    let err = convert_temp("v1.8.md", v(8), text).unwrap_err();
    assert!(
        matches!(err, IngestError::Invalid { line: Some(9), .. }),
        "{err}"
    );
    assert!(err.to_string().contains("v1.8.md:9"), "{err}");
}

#[test]
fn stale_errata_entry_is_an_error() {
    // A v1.24 page without the defective "Push a plugin" line: the built-in entry for
    // v1.24 no longer matches, which must fail loudly.
    let text = "---\ntitle: \"Engine API v1.24\"\n---\n\n#### Push a plugin\n\n`POST /plugins/(plugin name)/push`\n";
    let err = convert_temp("v1.24.md", v(24), text).unwrap_err();
    assert!(matches!(err, IngestError::Errata { .. }), "{err}");
    assert!(err.to_string().contains("stale"), "{err}");
}
