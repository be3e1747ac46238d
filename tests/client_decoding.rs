//! How the generated client decodes what daemons really send: Go's nil slices and maps
//! arrive as `null` and are empty lists and maps (every operation is covered by the
//! generated `null_collections` test of the client crate; here the real dockerd).

use std::time::Duration;

use dockmatrix_client::containers::{
    ContainerChangesOptions, ContainerCreateOptions, ContainerDeleteOptions,
};
use dockmatrix_client::images::ImageCreateOptions;
use dockmatrix_client::models::{ContainerCreateBody, HostConfig};
use dockmatrix_client::runtime::{HttpMethod, Request};
use dockmatrix_client::{ApiVersion, Docker};
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
        .create(
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
        .create(
            &ContainerCreateOptions::new(),
            &ContainerCreateBody {
                image: Some("dmx-decoding:1".into()),
                cmd: Some(vec!["true".into()]),
                host_config: Some(HostConfig {
                    network_mode: Some("none".into()),
                    ..Default::default()
                }),
                ..Default::default()
            },
        )
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
        let changes = docker
            .containers()
            .changes(&created.id, &ContainerChangesOptions::new())
            .await
            .unwrap();
        assert!(changes.is_empty(), "{v:?}: {changes:?}");
    }
    docker
        .containers()
        .delete(&created.id, &ContainerDeleteOptions::new().force(true))
        .await
        .unwrap();
}
