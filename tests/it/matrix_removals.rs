//! The matrix's promise on removals, over the whole real corpus: `removed_in` is
//! null only when the newest version has the item (issue 17, point 3).

use crate::common;

use dockmatrix_core::corpus::{Corpus, CorpusOptions};
use dockmatrix_core::model::spec::Operation;
use dockmatrix_core::pipeline::{load_models, matrix_from};

fn newest_has(op: Option<&Operation>, kind: &str, name: &str) -> bool {
    op.is_some_and(|o| match kind {
        "query" => o.query.contains_key(name),
        "request" => o.request_fields.contains_key(name),
        _ => o.response_fields.contains_key(name),
    })
}

#[test]
fn removed_in_is_null_only_where_the_newest_version_has_the_item() {
    let corpus = Corpus::open(&CorpusOptions {
        dir: Some(common::corpus_dir()),
        no_verify: false,
    })
    .expect("corpus");
    let models = load_models(&corpus).expect("models");
    let matrix = matrix_from(&corpus, &models).expect("matrix");
    let newest = models.specs.last().expect("a newest version");
    let mut wrong = Vec::new();
    for op in &matrix.operations {
        let key = op.key();
        let model = newest.operations.get(&key);
        if op.lifecycle.removed_in.is_none() && model.is_none() {
            wrong.push(format!("{key}"));
        }
        let kinds = [
            ("query", &op.query),
            ("request", &op.request_fields),
            ("response", &op.response_fields),
        ];
        for (kind, items) in kinds {
            for item in items {
                if item.lifecycle.removed_in.is_none() && !newest_has(model, kind, &item.name) {
                    wrong.push(format!("{key} {kind} {}", item.name));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} items have removed_in null but the newest version ({}) lacks them:\n{}",
        wrong.len(),
        newest.version,
        wrong.join("\n")
    );
}

/// `GET /networks` lists `NetworkSummary` items in the newest documents, which
/// carry no `Containers`: the field is gone there.
#[test]
fn network_list_containers_are_removed() {
    let run = common::dockmatrix(None, &["history", "GET /networks", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let history: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let text = history.to_string();
    let fields = history["response_fields"]
        .as_array()
        .unwrap_or_else(|| panic!("response fields: {text}"));
    let containers = fields
        .iter()
        .find(|f| f["name"] == "[].Containers")
        .expect("[].Containers listed");
    assert!(
        !containers["removed_in"].is_null(),
        "[].Containers: {containers}"
    );
}
