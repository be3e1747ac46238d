//! The generated client's calling conventions (issue 20 §7), each checked against the
//! request that reaches a fake daemon: `name(…)` sends default options and `name_with(…,
//! &opts)` the set ones; `logs(&id)` needs no framing mode; body setters take `&[&str]`;
//! documented string values are enums; `buildargs`/`labels`/`cachefrom` are JSON-encoded.

use std::collections::HashMap;
use std::time::Duration;

use dockmatrix_client::containers::{
    ContainerLogsOptions, ContainerStartOptions, ContainerWaitCondition, ContainerWaitOptions,
};
use dockmatrix_client::images::{ImageBuildOptions, ImageBuildVersion};
use dockmatrix_client::models::ContainerCreateBody;
use dockmatrix_client::services::{ServiceUpdateOptions, ServiceUpdateRegistryAuthFrom};
use dockmatrix_client::{ApiVersion, Docker, LogMode, StreamKind};
use dockmatrix_testkit::fake::{frame_header, http_response, Action, FakeDaemon, SeenRequest};
use futures_util::TryStreamExt;

/// A fake daemon answering every request with `{}` (JSON).
fn json_daemon() -> FakeDaemon {
    FakeDaemon::start(|_| {
        let head = [("Content-Type", "application/json")];
        vec![Action::Write(http_response(
            200,
            &head,
            b"{\"StatusCode\":0}",
        ))]
    })
    .expect("fake daemon")
}

/// A client pinned at API 1.55 (no negotiation request).
async fn docker(fake: &FakeDaemon) -> Docker {
    let builder = Docker::builder()
        .host(fake.host())
        .api_version(ApiVersion::new(1, 55))
        .request_timeout(Duration::from_secs(20));
    Docker::connect(builder).await.expect("pinned client")
}

/// The last request the daemon saw.
fn last(fake: &FakeDaemon) -> SeenRequest {
    fake.requests().pop().expect("a request reached the daemon")
}

#[tokio::test]
async fn a_call_without_options_sends_none_and_with_sends_them() {
    let fake = json_daemon();
    let docker = docker(&fake).await;
    docker.containers().start("abc").await.expect("start");
    let seen = last(&fake);
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        ("POST", "/v1.55/containers/abc/start")
    );
    let opts = ContainerStartOptions::new().detach_keys("ctrl-x");
    docker
        .containers()
        .start_with("abc", &opts)
        .await
        .expect("start_with");
    assert_eq!(
        last(&fake).path,
        "/v1.55/containers/abc/start?detachKeys=ctrl-x"
    );
}

#[tokio::test]
async fn logs_need_no_mode() {
    let fake = FakeDaemon::start(|_| {
        let mut body = frame_header(1, 3);
        body.extend_from_slice(b"hi\n");
        body.extend(frame_header(2, 4));
        body.extend_from_slice(b"err\n");
        let head = [("Content-Type", "application/vnd.docker.multiplexed-stream")];
        vec![Action::Write(http_response(200, &head, &body))]
    })
    .expect("fake daemon");
    let docker = docker(&fake).await;
    let frames: Vec<_> = docker
        .containers()
        .logs("abc")
        .await
        .expect("logs")
        .try_collect()
        .await
        .expect("frames");
    assert_eq!(last(&fake).path, "/v1.55/containers/abc/logs");
    let kinds: Vec<(StreamKind, &[u8])> = frames.iter().map(|f| (f.stream, &f.data[..])).collect();
    assert_eq!(
        kinds,
        [
            (StreamKind::Stdout, &b"hi\n"[..]),
            (StreamKind::Stderr, &b"err\n"[..])
        ]
    );
    assert_eq!(ContainerLogsOptions::new().mode, LogMode::Auto);
    // The mode is a setting of the client, never a query parameter.
    let raw = ContainerLogsOptions::new().stdout(true).mode(LogMode::Raw);
    let frames: Vec<_> = docker
        .containers()
        .logs_with("abc", &raw)
        .await
        .expect("logs_with")
        .try_collect()
        .await
        .expect("frames");
    assert_eq!(last(&fake).path, "/v1.55/containers/abc/logs?stdout=1");
    assert!(frames.iter().all(|f| f.stream == StreamKind::Raw));
}

#[tokio::test]
async fn cmd_and_entrypoint_take_str_slices() {
    let fake = FakeDaemon::start(|_| {
        let head = [("Content-Type", "application/json")];
        let body = br#"{"Id":"c1","Warnings":[]}"#;
        vec![Action::Write(http_response(201, &head, body))]
    })
    .expect("fake daemon");
    let docker = docker(&fake).await;
    let cmd: &[&str] = &["echo", "hi"];
    let env = vec![String::from("A=1")];
    let body = ContainerCreateBody::default()
        .image("busybox")
        .entrypoint(["/bin/sh", "-c"])
        .cmd(cmd)
        .env(&env)
        .labels([("k", "v")]);
    let created = docker.containers().create(&body).await.expect("create");
    assert_eq!(created.id, "c1");
    let seen = last(&fake);
    assert_eq!(seen.path, "/v1.55/containers/create");
    let sent: serde_json::Value = serde_json::from_slice(&seen.body).expect("JSON body");
    assert_eq!(
        sent,
        serde_json::json!({
            "Image": "busybox",
            "Entrypoint": ["/bin/sh", "-c"],
            "Cmd": ["echo", "hi"],
            "Env": ["A=1"],
            "Labels": {"k": "v"},
        })
    );
}

#[tokio::test]
async fn documented_string_values_are_enums() {
    assert_eq!(ContainerWaitCondition::NextExit.as_str(), "next-exit");
    assert_eq!(ContainerWaitCondition::Removed.to_string(), "removed");
    let fake = json_daemon();
    let docker = docker(&fake).await;
    let opts = ContainerWaitOptions::new().condition(ContainerWaitCondition::NotRunning);
    let waited = docker
        .containers()
        .wait_with("abc", &opts)
        .await
        .expect("wait");
    assert_eq!(waited.status_code, 0);
    assert_eq!(
        last(&fake).path,
        "/v1.55/containers/abc/wait?condition=not-running"
    );
    let opts = ServiceUpdateOptions::new()
        .version(3)
        .registry_auth_from(ServiceUpdateRegistryAuthFrom::PreviousSpec);
    let _ = docker
        .services()
        .update_with("svc", &opts, &Default::default())
        .await;
    assert_eq!(
        last(&fake).path,
        "/v1.55/services/svc/update?registryAuthFrom=previous-spec&version=3"
    );
}

#[tokio::test]
async fn build_maps_and_lists_are_json_encoded() {
    let fake = FakeDaemon::start(|_| {
        let head = [("Content-Type", "application/json")];
        vec![Action::Write(http_response(
            200,
            &head,
            b"{\"stream\":\"ok\"}\n",
        ))]
    })
    .expect("fake daemon");
    let docker = docker(&fake).await;
    let labels: HashMap<String, String> = HashMap::from([("team".into(), "ci".into())]);
    let opts = ImageBuildOptions::new()
        .buildargs([("A", "1")])
        .labels(&labels)
        .cachefrom(["img:1", "img:2"])
        .version(ImageBuildVersion::V2);
    let _: Vec<serde_json::Value> = docker
        .images()
        .build_with(&opts, b"tar".to_vec())
        .await
        .expect("build")
        .try_collect()
        .await
        .expect("progress");
    let seen = last(&fake);
    let (route, query) = seen.path.split_once('?').expect("a query string");
    assert_eq!(route, "/v1.55/build");
    let mut pairs: Vec<&str> = query.split('&').collect();
    pairs.sort_unstable();
    assert_eq!(
        pairs,
        [
            "buildargs=%7B%22A%22%3A%221%22%7D",
            "cachefrom=%5B%22img%3A1%22%2C%22img%3A2%22%5D",
            "labels=%7B%22team%22%3A%22ci%22%7D",
            "version=2",
        ]
    );
}
