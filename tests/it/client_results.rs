//! Results the daemon gives in headers (`ping`, `archive_info`) and request headers the
//! generated client sends (`build`'s content type), on a real dockerd and on the fake.

use std::time::Duration;

use dockmatrix_client::containers::ContainerArchiveInfoOptions;
use dockmatrix_client::images::{ImageBuildOptions, ImageCreateOptions};
use dockmatrix_client::models::{ContainerCreateBody, HostConfig};
use dockmatrix_client::runtime::{HttpMethod, Request};
use dockmatrix_client::{ApiVersion, Docker, Error};
use dockmatrix_testkit::fake::{http_response, Action, FakeDaemon};
use dockmatrix_testkit::{busybox_rootfs_tar, Daemon};
use futures_util::TryStreamExt;

async fn docker(host: String, pinned: Option<ApiVersion>) -> Docker {
    let mut b = Docker::builder()
        .host(host)
        .request_timeout(Duration::from_secs(60));
    if let Some(v) = pinned {
        b = b.api_version(v);
    }
    Docker::connect(b).await.unwrap()
}

#[tokio::test]
async fn ping_and_archive_info_decode_the_real_daemons_headers() {
    let Some(d) = Daemon::start_or_skip("ping_and_archive_info_decode_the_real_daemons_headers")
    else {
        return;
    };
    let docker = docker(d.host(), None).await;
    let ping = docker.system().ping().await.unwrap();
    assert_eq!(ping.api_version, Some(docker.client().api_version()));
    assert_eq!(ping.os_type.as_deref(), Some("linux"));
    // What this dockerd (Debian's 20.10) sends, read raw: no Builder-Version, no Swarm.
    let raw = docker
        .client()
        .send(Request::new(HttpMethod::Get, "/_ping").unversioned())
        .await
        .unwrap();
    let header = |n: &str| raw.headers().get(n).map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(ping.builder_version, header("Builder-Version"));
    assert_eq!(
        ping.experimental,
        header("Docker-Experimental").as_deref() == Some("true")
    );
    assert_eq!(ping.swarm.is_some(), header("Swarm").is_some());
    drop(raw);
    let head = docker.system().ping_headers().await.unwrap();
    assert_eq!(head, ping);

    let _: Vec<serde_json::Value> = docker
        .images()
        .create_with(
            &ImageCreateOptions::new()
                .from_src("-")
                .repo("dmx-results")
                .tag("1"),
            busybox_rootfs_tar().unwrap(),
        )
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    let id = docker
        .containers()
        .create(&ContainerCreateBody {
            image: Some("dmx-results:1".into()),
            cmd: Some(vec!["true".into()]),
            host_config: Some(HostConfig {
                network_mode: Some("none".into()),
                ..Default::default()
            }),
            ..Default::default()
        })
        .await
        .unwrap()
        .id;
    let bin = docker
        .containers()
        .archive_info_with(&id, &ContainerArchiveInfoOptions::new().path("/bin"))
        .await
        .unwrap();
    assert_eq!(bin.name, "bin");
    assert!(bin.is_dir(), "{bin:?}");
    let busybox = std::env::var("DOCKMATRIX_BUSYBOX").unwrap_or_else(|_| "/bin/busybox".into());
    let size = std::fs::metadata(&busybox).unwrap().len();
    let file = docker
        .containers()
        .archive_info_with(
            &id,
            &ContainerArchiveInfoOptions::new().path("/bin/busybox"),
        )
        .await
        .unwrap();
    assert_eq!(file.size, i64::try_from(size).unwrap());
    assert!(!file.is_dir() && !file.is_symlink());
    let link = docker
        .containers()
        .archive_info_with(&id, &ContainerArchiveInfoOptions::new().path("/bin/sh"))
        .await
        .unwrap();
    assert!(link.is_symlink(), "{link:?}");
    // dockerd resolves the target against the link's directory.
    assert_eq!(link.link_target, "/bin/busybox");
    let err = docker
        .containers()
        .archive_info_with(&id, &ContainerArchiveInfoOptions::new().path("/nope"))
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
}

#[tokio::test]
async fn build_with_a_content_type_sends_one_content_type_header() {
    let fake = FakeDaemon::start(|_| {
        vec![Action::Write(http_response(
            200,
            &[("Content-Type", "application/json")],
            b"{\"stream\":\"Step 1/1\"}\n",
        ))]
    })
    .unwrap();
    let docker = docker(fake.host(), Some(ApiVersion::new(1, 41))).await;
    let out: Vec<serde_json::Value> = docker
        .images()
        .build_with(
            &ImageBuildOptions::new().content_type("application/x-tar"),
            b"not really a tar".to_vec(),
        )
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(out[0]["stream"], "Step 1/1");
    let _: Vec<serde_json::Value> = docker
        .images()
        .build(b"tar".to_vec())
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    // What the client sent after learning the daemon's release.
    let seen: Vec<_> = fake
        .requests()
        .into_iter()
        .filter(|r| r.route() != "/version")
        .collect();
    assert_eq!(seen[0].route(), "/build");
    assert_eq!(seen[0].header_values("content-type"), ["application/x-tar"]);
    assert_eq!(seen[0].body, b"not really a tar");
    assert_eq!(
        seen[1].header_values("content-type"),
        ["application/octet-stream"]
    );
}

#[tokio::test]
async fn a_missing_or_garbled_path_stat_header_is_a_named_error() {
    let fake = FakeDaemon::start(|req| {
        let headers: &[(&str, &str)] = if req.path.contains("garbled") {
            &[("X-Docker-Container-Path-Stat", "e30=!")]
        } else {
            &[]
        };
        vec![Action::Write(http_response(200, headers, b""))]
    })
    .unwrap();
    let docker = docker(fake.host(), Some(ApiVersion::new(1, 41))).await;
    for path in ["/missing", "/garbled"] {
        let err = docker
            .containers()
            .archive_info_with("c", &ContainerArchiveInfoOptions::new().path(path))
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                Error::InvalidHeader {
                    name: "X-Docker-Container-Path-Stat",
                    ..
                }
            ),
            "{path}: {err:?}"
        );
    }
}

#[tokio::test]
async fn ping_decodes_every_header_a_newer_daemon_sends() {
    let fake = FakeDaemon::start(|_| {
        vec![Action::Write(http_response(
            200,
            &[
                ("API-Version", "1.47"),
                ("OSType", "linux"),
                ("Builder-Version", "2"),
                ("Docker-Experimental", "true"),
                ("Swarm", "active/worker"),
            ],
            b"OK",
        ))]
    })
    .unwrap();
    let docker = docker(fake.host(), Some(ApiVersion::new(1, 41))).await;
    let ping = docker.system().ping().await.unwrap();
    assert_eq!(ping.api_version, Some(ApiVersion::new(1, 47)));
    assert_eq!(ping.builder_version.as_deref(), Some("2"));
    assert!(ping.experimental);
    let swarm = ping.swarm.unwrap();
    assert_eq!(
        (swarm.node_state.as_str(), swarm.control_available),
        ("active", false)
    );
}

#[test]
fn string_enums_decode_known_and_unknown_values_and_round_trip() {
    use dockmatrix_client::models::{ContainerStateStatus, Mount, MountType, RestartPolicyName};
    let m: Mount = serde_json::from_str(r#"{"Type":"bind","Source":"/a","Target":"/b"}"#).unwrap();
    assert_eq!(m.r#type, Some(MountType::Bind));
    // A value from a newer daemon is kept, not an error.
    let m: Mount = serde_json::from_str(r#"{"Type":"image"}"#).unwrap();
    assert_eq!(m.r#type, Some(MountType::Image));
    let m: Mount = serde_json::from_str(r#"{"Type":"holo-fs"}"#).unwrap();
    assert_eq!(m.r#type, Some(MountType::Unknown("holo-fs".into())));
    assert_eq!(
        serde_json::to_value(&m).unwrap(),
        serde_json::json!({"Type": "holo-fs"})
    );
    let bind: MountType = "bind".into();
    assert_eq!(serde_json::to_string(&bind).unwrap(), "\"bind\"");
    assert_eq!(bind.to_string(), "bind");
    // Default is Go's zero value, the empty string: a listed variant where there is one.
    assert_eq!(RestartPolicyName::default().as_str(), "");
    assert_eq!(
        ContainerStateStatus::default(),
        ContainerStateStatus::Unknown(String::new())
    );
    assert_eq!(
        RestartPolicyName::from("unless-stopped"),
        RestartPolicyName::UnlessStopped
    );
}
