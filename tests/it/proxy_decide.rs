//! The proxy's decision as a pure function: the whole bypass corpus (see
//! `proxy_support/bypass.rs`) against [`decide`], no daemon, no sockets; and
//! the list of operations whose body is data, checked against the newest
//! reference document.

use crate::proxy_support;

use std::path::Path;

use dockmatrix::proxy::decide::{
    decide, BodyView, Head, Refusal, Rules, Verdict, BODY_LIMIT, PAYLOAD_BODIES,
};
use dockmatrix::proxy::policy::AllowPolicy;
use dockmatrix::proxy::route::Router;
use dockmatrix_core::analysis::snapshot;
use dockmatrix_core::analysis::Matrix;
use dockmatrix_core::model::OpKey;
use proxy_support::bypass::{allowed, refused, Case, MANIFEST};
use proxy_support::corpus_dir;

fn matrix() -> Matrix {
    let bytes =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("generated/data/matrix.bin"))
            .unwrap();
    snapshot::decode(&bytes).unwrap()
}

struct Setup {
    matrix: Matrix,
    router: Router,
    lenient: AllowPolicy,
    strict: AllowPolicy,
    _dir: tempfile::TempDir,
}

fn setup() -> Setup {
    let matrix = matrix();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bypass.yaml");
    std::fs::write(&file, MANIFEST).unwrap();
    Setup {
        router: Router::new(&matrix),
        lenient: AllowPolicy::load(&file, &matrix, false).unwrap(),
        strict: AllowPolicy::load(&file, &matrix, true).unwrap(),
        matrix,
        _dir: dir,
    }
}

/// What the proxy decides for one case: `Err` is a refusal (or a target hyper
/// itself would not route), `Ok` the path it forwards.
fn judge(setup: &Setup, case: &Case) -> Result<String, Refusal> {
    let uri: http::Uri = match case.target.parse() {
        Ok(u) => u,
        Err(e) => {
            return Err(Refusal {
                status: http::StatusCode::BAD_REQUEST,
                rule: "http",
                message: e.to_string(),
                plain: false,
            })
        }
    };
    let method = case.method;
    let content_length = (!case.chunked && !case.body.is_empty()).then_some(case.body.len() as u64);
    let head = Head {
        method,
        path: uri.path(),
        query: uri.query(),
        content_type: case.header("content-type"),
        content_length,
        has_body: case.chunked || !case.body.is_empty(),
    };
    let rules = Rules {
        matrix: &setup.matrix,
        router: &setup.router,
        allow: Some(if case.strict {
            &setup.strict
        } else {
            &setup.lenient
        }),
        as_api: None,
        min_api: None,
        record: false,
    };
    let mut decision = decide(&head, BodyView::Unread, &rules);
    if let Verdict::ReadBody = decision.verdict {
        let view = if case.body.len() as u64 > BODY_LIMIT {
            BodyView::TooLarge
        } else {
            BodyView::Read(&case.body)
        };
        decision = decide(&head, view, &rules);
    }
    match decision.verdict {
        Verdict::Refuse(r) => Err(r),
        Verdict::Forward(f) => Ok(f.target),
        Verdict::ReadBody => panic!("{}: asked for the body twice", case.name),
    }
}

#[test]
fn the_bypass_corpus_is_refused_by_the_decision() {
    let setup = setup();
    let cases = refused();
    assert!(cases.len() >= 150, "{} cases", cases.len());
    let mut rules = std::collections::BTreeMap::<&str, usize>::new();
    for case in &cases {
        match judge(&setup, case) {
            Ok(target) => panic!(
                "{} ({}): {} {} was forwarded as {target}",
                case.name,
                if case.strict { "strict" } else { "lenient" },
                case.method,
                case.target
            ),
            Err(r) => {
                assert!(r.status.is_client_error(), "{}: {}", case.name, r.status);
                if r.status == http::StatusCode::FORBIDDEN {
                    assert!(
                        r.message.contains("bypass.yaml") && r.message.contains(r.rule),
                        "{}: the answer names the manifest and the rule: {}",
                        case.name,
                        r.message
                    );
                }
                *rules.entry(r.rule).or_default() += 1;
            }
        }
    }
    // Every rule of the allow-list is exercised by the corpus.
    for rule in [
        "allow.operation",
        "allow.version",
        "allow.body",
        "allow.body-unreadable",
        "allow.body-too-large",
        "allow.form-body",
        "allow.query-separator",
        "strict.query",
        "strict.body-field",
        "strict.unknown-field",
        "strict.duplicate-field",
        "target",
    ] {
        assert!(
            rules.contains_key(rule),
            "no case refused by {rule}: {rules:?}"
        );
    }
}

#[test]
fn what_real_clients_send_passes() {
    let setup = setup();
    for case in allowed() {
        if let Err(r) = judge(&setup, &case) {
            panic!("{} ({}): refused: {}", case.name, case.strict, r.message);
        }
    }
}

#[test]
fn case_folded_members_are_judged_as_the_field_dockerd_assigns() {
    let setup = setup();
    let mut case = refused()
        .into_iter()
        .find(|c| c.name == "create body 3")
        .unwrap();
    let err = judge(&setup, &case).unwrap_err();
    assert_eq!(err.rule, "strict.body-field", "{}", err.message);
    assert!(
        err.message.contains("HostConfig.Privileged"),
        "{}",
        err.message
    );
    // The same member spelt exactly as listed passes.
    case.body = r#"{"Image":"busybox","HoſtConfig":{"Memory":1}}"#.as_bytes().to_vec();
    assert!(judge(&setup, &case).is_ok());
}

#[test]
fn forwarded_targets_are_the_matched_path() {
    let setup = setup();
    let case = allowed().into_iter().find(|c| c.name == "list").unwrap();
    assert_eq!(judge(&setup, &case).unwrap(), "/containers/json?all=1");
}

/// The operations whose body is data are exactly those whose body parameter the
/// newest reference types as a string (binary) or an array of strings.
#[test]
fn payload_operations_follow_the_newest_reference() {
    let text = std::fs::read_to_string(corpus_dir().join("v1.55.yaml")).unwrap();
    let doc: serde_norway::Value = serde_norway::from_str(&text).unwrap();
    let mut found = Vec::new();
    for (path, item) in doc["paths"].as_mapping().unwrap() {
        for (method, op) in item.as_mapping().unwrap() {
            let Some(params) = op.get("parameters").and_then(|p| p.as_sequence()) else {
                continue;
            };
            for p in params.iter().filter(|p| p["in"].as_str() == Some("body")) {
                let schema = &p["schema"];
                let data = schema["type"].as_str() == Some("string")
                    || (schema["type"].as_str() == Some("array")
                        && schema["items"]["type"].as_str() == Some("string"));
                if data {
                    let method = method.as_str().unwrap().to_uppercase();
                    found.push(OpKey::new(&method, path.as_str().unwrap()));
                }
            }
        }
    }
    let mut listed: Vec<OpKey> = PAYLOAD_BODIES
        .iter()
        .map(|(m, p)| OpKey::new(m, p))
        .collect();
    found.sort();
    listed.sort();
    assert_eq!(found, listed);
}

/// `--as-api V` strips a query parameter, or answers an operation as missing,
/// only where both witnesses say a V daemon lacks it: the documents, and the
/// server code of the release whose newest API is V (issue 22 §4).
#[test]
fn as_api_strips_only_what_both_witnesses_say_a_v_daemon_lacks() {
    use dockmatrix::proxy::as_api::AsApi;
    let matrix = matrix();
    let router = Router::new(&matrix);
    let served = dockmatrix_core::model::served_bytes::decode(
        &std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("generated/data/served.bin"))
            .unwrap(),
    )
    .unwrap();
    let forwarded = |v: (u16, u16), method: &str, target: &str| {
        let as_api = AsApi::new(
            dockmatrix_core::version::ApiVersion::new(v.0, v.1),
            matrix.fields_tracked_from,
            &served,
        );
        let rules = Rules {
            matrix: &matrix,
            router: &router,
            allow: None,
            as_api: Some(&as_api),
            min_api: None,
            record: false,
        };
        let uri: http::Uri = target.parse().unwrap();
        let head = Head {
            method,
            path: uri.path(),
            query: uri.query(),
            content_type: None,
            content_length: None,
            has_body: false,
        };
        match decide(&head, BodyView::Unread, &rules).verdict {
            Verdict::Forward(f) => Ok(f.target),
            Verdict::Refuse(r) => Err(r.status.as_u16()),
            Verdict::ReadBody => panic!("no body"),
        }
    };
    // Docker 1.12's code (newest API 1.24) reads image create's `changes`,
    // which the documents list only from 1.25: kept.
    let kept = forwarded(
        (1, 24),
        "POST",
        "/v1.24/images/create?fromSrc=-&changes=CMD%20x",
    )
    .unwrap();
    assert!(kept.contains("changes=CMD%20x"), "{kept}");
    // 17.06's code (1.30) reads build's `target`: kept at 1.30.
    let kept = forwarded((1, 30), "POST", "/v1.30/build?t=x&target=stage").unwrap();
    assert!(kept.contains("target=stage"), "{kept}");
    // stop's `signal` is 1.42+ in the documents and 1.12's handler never reads it.
    let stripped = forwarded((1, 24), "POST", "/v1.24/containers/x/stop?t=1&signal=KILL").unwrap();
    assert!(!stripped.contains("signal"), "{stripped}");
    assert!(stripped.contains("t=1"), "{stripped}");
    // `system/df` neither documented at 1.24 nor routed by 1.12's code: 404.
    assert_eq!(forwarded((1, 24), "GET", "/v1.24/system/df"), Err(404));
}
