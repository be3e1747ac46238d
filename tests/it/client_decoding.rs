//! How the generated client decodes what daemons really send: Go's nil slices and maps
//! arrive as `null` and are empty lists and maps (every operation is covered by the
//! generated `null_collections` test of the client crate; here the real dockerd), and a
//! required field the daemon leaves out is a decode error naming it, never a default.

use std::time::Duration;

use dockmatrix_client::containers::ContainerDeleteOptions;
use dockmatrix_client::images::ImageCreateOptions;
use dockmatrix_client::models::{ContainerCreateBody, HostConfig};
use dockmatrix_client::runtime::{HttpMethod, Request};
use dockmatrix_client::{ApiVersion, Docker, Error};
use dockmatrix_testkit::fake::{http_response, Action, FakeDaemon};
use dockmatrix_testkit::{busybox_rootfs_tar, Daemon};
use futures_util::TryStreamExt;

async fn connect(host: String, pinned: Option<ApiVersion>) -> Docker {
    let mut b = Docker::builder()
        .host(host)
        .request_timeout(Duration::from_secs(60));
    if let Some(v) = pinned {
        b = b.api_version(v);
    }
    Docker::connect(b).await.unwrap()
}

/// A fake daemon answering every request `200` with `body`.
fn answering(body: &'static str) -> FakeDaemon {
    FakeDaemon::start(move |_| {
        vec![Action::Write(http_response(
            200,
            &[("Content-Type", "application/json")],
            body.as_bytes(),
        ))]
    })
    .unwrap()
}

/// The error's `Display` and its sources, joined.
fn chain(e: &Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

#[tokio::test]
async fn a_wait_answer_without_status_code_is_an_error_not_a_success() {
    let fake = answering("{}");
    let docker = connect(fake.host(), Some(ApiVersion::new(1, 41))).await;
    let err = docker.containers().wait("job").await.unwrap_err();
    assert!(
        matches!(&err, Error::Decode { context, .. } if context.contains("ContainerWait")),
        "{err:?}"
    );
    assert!(
        chain(&err).contains("missing field `StatusCode`"),
        "{}",
        chain(&err)
    );

    // What a daemon does send decodes, `Error` (optional) absent or `null`.
    let fake = answering(r#"{"StatusCode":3,"Error":null}"#);
    let docker = connect(fake.host(), Some(ApiVersion::new(1, 41))).await;
    let waited = docker.containers().wait("job").await.unwrap();
    assert_eq!((waited.status_code, waited.error), (3, None));
}

#[tokio::test]
async fn a_create_answer_without_id_is_an_error_not_an_empty_id() {
    let fake = answering("{}");
    let docker = connect(fake.host(), Some(ApiVersion::new(1, 41))).await;
    let err = docker
        .containers()
        .create(&ContainerCreateBody::default())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Decode { context, .. } if context.contains("ContainerCreate")),
        "{err:?}"
    );
    assert!(
        chain(&err).contains("missing field `Id`"),
        "{}",
        chain(&err)
    );

    // Go's nil `Warnings` is `null`: no warnings.
    let fake = answering(r#"{"Id":"4f1e","Warnings":null}"#);
    let docker = connect(fake.host(), Some(ApiVersion::new(1, 41))).await;
    let created = docker
        .containers()
        .create(&ContainerCreateBody::default())
        .await
        .unwrap();
    assert_eq!(created.id, "4f1e");
    assert!(created.warnings.is_empty());
}

#[tokio::test]
async fn changes_of_an_unchanged_container_on_the_real_daemon_are_empty() {
    let Some(d) =
        Daemon::start_or_skip("changes_of_an_unchanged_container_on_the_real_daemon_are_empty")
    else {
        return;
    };
    let docker = connect(d.host(), None).await;
    let _: Vec<serde_json::Value> = docker
        .images()
        .create_with(
            &ImageCreateOptions::new()
                .from_src("-")
                .repo("dmx-decoding")
                .tag("1"),
            busybox_rootfs_tar().unwrap(),
        )
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    let created = docker
        .containers()
        .create(&ContainerCreateBody {
            image: Some("dmx-decoding:1".into()),
            cmd: Some(vec!["true".into()]),
            host_config: Some(HostConfig {
                network_mode: Some("none".into()),
                ..Default::default()
            }),
            ..Default::default()
        })
        .await
        .unwrap();
    // What the daemon sends for a container nothing was written to: Go's nil slice.
    let raw = docker
        .client()
        .send_bytes(
            Request::new(HttpMethod::Get, "/containers/{id}/changes").path_param("id", &created.id),
        )
        .await
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&raw).trim(), "null");
    for v in [None, Some(ApiVersion::new(1, 24))] {
        let docker = match v {
            None => docker.clone(),
            Some(v) => connect(d.host(), Some(v)).await,
        };
        let changes = docker.containers().changes(&created.id).await.unwrap();
        assert!(changes.is_empty(), "{v:?}: {changes:?}");
    }
    docker
        .containers()
        .delete_with(&created.id, &ContainerDeleteOptions::new().force(true))
        .await
        .unwrap();
}
