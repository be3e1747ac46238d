//! The client gates on what the daemon's own release serves (issue 20 §6): it
//! learns the release from `/version` at connect time and, for a release whose
//! server code the gates know, lets that code decide for operations and query
//! parameters; for any other daemon the documents decide. Fake daemons here, the
//! real dockerd 20.10 in `client_daemon.rs`.

use std::time::Duration;

use dockmatrix_client::gates;
use dockmatrix_client::runtime::{check_operation, check_parameter};
use dockmatrix_client::{ApiVersion, Docker, Error};
use dockmatrix_testkit::fake::{http_response, Action, FakeDaemon};

/// A fake daemon whose `/version` says `version` / `api`, answering `{}` elsewhere.
fn fake(version: &'static str, api: &'static str) -> FakeDaemon {
    FakeDaemon::start(move |req| {
        let json = [("Content-Type", "application/json")];
        let body = if req.route() == "/version" {
            format!(r#"{{"Version":"{version}","ApiVersion":"{api}","MinAPIVersion":"1.12"}}"#)
        } else {
            "{}".to_owned()
        };
        vec![Action::Write(http_response(200, &json, body.as_bytes()))]
    })
    .expect("fake daemon")
}

async fn pinned(fake: &FakeDaemon, minor: u16) -> Docker {
    let builder = Docker::builder()
        .host(fake.host())
        .api_version(ApiVersion::new(1, minor))
        .request_timeout(Duration::from_secs(20));
    Docker::connect(builder).await.expect("connect")
}

fn routes(fake: &FakeDaemon) -> Vec<String> {
    fake.requests().iter().map(|r| r.path.clone()).collect()
}

#[tokio::test]
async fn a_known_release_serves_what_its_code_routes_below_the_documented_version() {
    // Debian's dockerd reports this; its line's code is v20.10.27's.
    let fake = fake("20.10.24+dfsg1", "1.41");
    let docker = pinned(&fake, 24).await;
    let release = docker.daemon_release().expect("release known");
    assert_eq!((release.docker, release.tag), ("20.10", "v20.10.27"));
    assert_eq!(routes(&fake), ["/version"], "asked once, unversioned");
    // `system/df` is documented from 1.25; 20.10's code routes it at every
    // requested version, so a client pinned at 1.24 sends it.
    let _ = docker.system().data_usage().await;
    assert_eq!(
        routes(&fake).last().map(String::as_str),
        Some("/v1.24/system/df")
    );
    let gate = docker.client().gate();
    for (op, why) in [
        (&gates::SYSTEM_PING_HEAD, "HEAD /_ping"),
        (&gates::CONTAINER_PRUNE, "container prune"),
        (&gates::IMAGE_PRUNE, "image prune"),
    ] {
        assert!(check_operation(op, gate).is_ok(), "{why} at 1.24 on 20.10");
    }
    assert!(check_parameter(&gates::CONTAINER_LOGS, &gates::CONTAINER_LOGS_Q_UNTIL, gate).is_ok());
    assert!(check_parameter(
        &gates::CONTAINER_WAIT,
        &gates::CONTAINER_WAIT_Q_CONDITION,
        gate
    )
    .is_ok());
}

#[tokio::test]
async fn a_known_release_refuses_what_its_code_does_not_read_before_any_io() {
    let fake = fake("20.10.24", "1.41");
    let docker = pinned(&fake, 41).await;
    let gate = docker.client().gate();
    // Documented at 1.41, but wsContainersAttach of 20.10 never reads `stdout`.
    let err = check_parameter(
        &gates::CONTAINER_ATTACH_WEBSOCKET,
        &gates::CONTAINER_ATTACH_WEBSOCKET_Q_STDOUT,
        gate,
    )
    .expect_err("not read by 20.10");
    match &err {
        Error::NotServed {
            parameter: Some("stdout"),
            release: "20.10",
            tag: "v20.10.27",
            negotiated,
            ..
        } => assert_eq!(*negotiated, ApiVersion::new(1, 41)),
        other => panic!("unexpected {other:?}"),
    }
    assert!(
        err.to_string().contains("Docker 20.10 (v20.10.27)"),
        "{err}"
    );
    // The documents alone accept it.
    assert!(check_parameter(
        &gates::CONTAINER_ATTACH_WEBSOCKET,
        &gates::CONTAINER_ATTACH_WEBSOCKET_Q_STDOUT,
        dockmatrix_client::runtime::Gate::documents(ApiVersion::new(1, 41)),
    )
    .is_ok());
    // Body fields rest on the documents: `HostConfig.AutoRemove` below 1.25 stays refused.
    let body = gates::CONTAINER_CREATE_BODY
        .iter()
        .find(|f| f.name == "HostConfig.AutoRemove")
        .expect("gated field");
    let at_1_24 = dockmatrix_client::runtime::Gate {
        version: ApiVersion::new(1, 24),
        ..gate
    };
    assert!(matches!(
        check_parameter(&gates::CONTAINER_CREATE, body, at_1_24),
        Err(Error::UnsupportedParameter { .. })
    ));
    assert_eq!(routes(&fake), ["/version"]);
}

#[tokio::test]
async fn an_unknown_release_leaves_the_documents_to_decide() {
    for (version, api) in [("20.10.24", "1.40"), ("99.1.0", "1.41"), ("dev", "1.41")] {
        let fake = fake(version, api);
        let docker = pinned(&fake, 24).await;
        assert!(docker.daemon_release().is_none(), "{version} / {api}");
        let err = docker
            .system()
            .data_usage()
            .await
            .expect_err("documented from 1.25");
        assert!(matches!(err, Error::UnsupportedOperation { .. }), "{err:?}");
        assert_eq!(routes(&fake), ["/version"], "nothing sent after the gate");
    }
}

#[tokio::test]
async fn a_daemon_that_will_not_say_is_unknown_and_documents_only_asks_nothing() {
    let refusing = FakeDaemon::start(|_| {
        vec![Action::Write(http_response(
            403,
            &[("Content-Type", "application/json")],
            br#"{"message":"forbidden by proxy"}"#,
        ))]
    })
    .expect("fake daemon");
    let docker = pinned(&refusing, 24).await;
    assert!(docker.daemon_release().is_none());
    let quiet = fake("20.10.24", "1.41");
    let builder = Docker::builder()
        .host(quiet.host())
        .api_version(ApiVersion::new(1, 24))
        .gate_on_documents();
    let docker = Docker::connect(builder).await.expect("connect");
    assert!(docker.daemon_release().is_none());
    assert!(
        quiet.requests().is_empty(),
        "pinned and documents only: no I/O"
    );
}

#[tokio::test]
async fn a_body_field_the_releases_types_decode_and_no_gate_touches_is_sent() {
    use dockmatrix_client::models::{ContainerCreateBody, ContainerExecBody, HostConfig};
    // Exec create's `Env` is documented from 1.25 and `WorkingDir` from 1.35;
    // 20.10 decodes both into its own types at every requested version.
    let daemon = fake("20.10.24", "1.41");
    let docker = pinned(&daemon, 24).await;
    let body = ContainerExecBody::default()
        .cmd(["pwd"])
        .env(["A=1"])
        .working_dir("/tmp");
    let _ = docker.exec().create("c1", &body).await;
    let sent = daemon.requests();
    let last = sent.last().expect("a request");
    assert_eq!(last.path, "/v1.24/containers/c1/exec");
    let json: serde_json::Value = serde_json::from_slice(&last.body).unwrap();
    assert_eq!(
        (json["Env"][0].as_str(), json["WorkingDir"].as_str()),
        (Some("A=1"), Some("/tmp"))
    );
    // 20.10's create handler resets `AutoRemove` below 1.25: the documents
    // decide there, and refuse it before any I/O.
    let before = daemon.requests().len();
    let create = ContainerCreateBody::default()
        .image("busybox")
        .host_config(HostConfig {
            auto_remove: Some(true),
            ..Default::default()
        });
    let err = docker.containers().create(&create).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::UnsupportedParameter {
                parameter: "HostConfig.AutoRemove",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(daemon.requests().len(), before);
    // 1.13.1's handler has no such gate: its code serves `AutoRemove` at 1.24.
    let older = fake("1.13.1", "1.26");
    let docker = pinned(&older, 24).await;
    assert_eq!(docker.daemon_release().map(|r| r.tag), Some("v1.13.1"));
    let _ = docker.containers().create(&create).await;
    assert_eq!(
        older
            .requests()
            .last()
            .map(|r| r.route().to_owned())
            .as_deref(),
        Some("/containers/create")
    );
}
