//! Documentation fixes (issue 17 §5): fields the documents misname or invent
//! are corrected before the matrix is drawn, so `diff` and `history` no longer
//! report them as API changes; both show the correction with its reason, and
//! `upstream-defects.json` lists it per version. The raw documents are read
//! here, independently of the ingest code, to show the error is really there.

use std::path::Path;

use crate::common;

use serde_json::Value;

fn raw(api: &str) -> Value {
    let file = common::corpus_dir().join(format!("v{api}.yaml"));
    serde_norway::from_str(&std::fs::read_to_string(file).unwrap()).unwrap()
}

fn json(args: &[&str]) -> Value {
    let run = common::dockmatrix(None, args);
    assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap()
}

fn names(items: &Value) -> Vec<String> {
    items
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|i| i["name"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// `POST /services/create` answers `Warning` (a string) in v1.25–v1.43 and
/// `Warnings` (a list) from v1.44: a misnaming the documents corrected. The
/// step 1.43 → 1.44 no longer adds and removes a field; it shows the fix.
#[test]
fn a_misnamed_field_is_a_documentation_fix_not_a_change() {
    let v143 = raw("1.43");
    let created = &v143["paths"]["/services/create"]["post"]["responses"]["201"]["schema"];
    assert!(created["properties"].get("Warning").is_some(), "{created}");
    let v144 = raw("1.44");
    assert!(v144["definitions"]["ServiceCreateResponse"]["properties"]
        .get("Warnings")
        .is_some());

    let d = json(&["diff", "1.43", "1.44", "--format", "json"]);
    let services = d["changed"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["path"] == "/services/create");
    if let Some(c) = services {
        let response = c["response_fields"].to_string();
        assert!(!response.contains("\"Warning"), "{response}");
    }
    let fix = d["documentation_fixes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["call"] == "POST /services/create")
        .expect("the fix is listed at the step");
    assert_eq!(fix["field"], "Warning");
    assert_eq!(fix["becomes"], "Warnings");
    assert!(fix["reason"].as_str().unwrap().contains("v1.25.yaml:7208"));

    let h = json(&["history", "POST /services/create", "--format", "json"]);
    let response = names(&h["response_fields"]);
    assert!(response.contains(&"Warnings".to_string()));
    assert!(!response.contains(&"Warning".to_string()), "{response:?}");
    let warnings = h["response_fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "Warnings")
        .unwrap();
    assert_eq!(warnings["present"][0]["since"], "1.25");
    assert_eq!(h["documentation_fixes"][0]["field"], "Warning");
    let text = common::dockmatrix(None, &["history", "POST /services/create", "--wide"]);
    assert!(
        text.stdout
            .contains("response field Warning at 1.25–1.43 is Warnings"),
        "{}",
        text.stdout
    );

    // A consumer reading `Warnings` is served from 1.25; `Warning` is no field.
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, field: &str| {
        let file = dir.path().join(name);
        std::fs::write(
            &file,
            format!("consumer: {{name: s, version: \"1\"}}\nclient: {{library: raw, api_version: unversioned}}\nminimum: {{api: \"1.25\"}}\ncalls:\n  - call: POST /services/create\n    response: [{field}]\n"),
        )
        .unwrap();
        file.display().to_string()
    };
    let good = write("good.yaml", "Warnings");
    json(&["check", &good, "--api", "1.30", "--format", "json"]);
    let bad = write("bad.yaml", "Warning");
    let run = common::dockmatrix(None, &["check", &bad]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr.contains("unknown response field Warning"),
        "{}",
        run.stderr
    );
}

/// `GET /system/df` lists its containers as a list of `ContainerSummary`,
/// which v1.25–v1.39 define as a list themselves: the containers are one list
/// (`Containers[].Id`) from 1.25, with no `Containers[][]` ever.
#[test]
fn a_list_of_lists_is_read_as_the_list_it_is() {
    assert_eq!(
        raw("1.39")["definitions"]["ContainerSummary"]["type"],
        "array"
    );
    assert_eq!(
        raw("1.40")["definitions"]["ContainerSummary"]["type"],
        "object"
    );
    let h = json(&["history", "GET /system/df", "--format", "json"]);
    let response = names(&h["response_fields"]);
    assert!(
        !response.iter().any(|n| n.starts_with("Containers[][]")),
        "{response:?}"
    );
    let id = h["response_fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "Containers[].Id")
        .unwrap();
    assert_eq!(id["present"][0]["since"], "1.25", "{id}");
    let d = json(&["diff", "1.39", "1.40", "--format", "json"]);
    assert!(
        !d["changed"].to_string().contains("Containers[]"),
        "{}",
        d["changed"]
    );
}

/// Every fix is listed in `upstream-defects.json` once per version it covers,
/// and the site's operation page shows it.
#[test]
fn every_fix_is_an_upstream_defect_and_on_the_site() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let defects: Value = serde_json::from_str(
        &std::fs::read_to_string(repo.join("generated/data/upstream-defects.json")).unwrap(),
    )
    .unwrap();
    let defects = defects.as_array().unwrap();
    let fixes = dockmatrix_core::model::errata::ModelErrata::builtin()
        .unwrap()
        .doc_fixes();
    assert!(fixes.len() >= 20, "{}", fixes.len());
    for fix in &fixes {
        for v in &fix.versions {
            let file = format!("v{v}");
            let listed = defects.iter().any(|d| {
                d["file"] == file.as_str()
                    && d["message"]
                        .as_str()
                        .is_some_and(|m| m.contains(&format!("{:?}", fix.field)))
            });
            assert!(
                listed,
                "{} {} at {v} not in upstream-defects.json",
                fix.call, fix.field
            );
        }
    }
    let page = std::fs::read_to_string(repo.join("generated/site/ops/get-system-df.html")).unwrap();
    assert!(page.contains("Documentation fixes"), "site page");
    assert!(page.contains("<code>Containers[][]</code>"));
}
