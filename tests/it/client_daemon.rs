//! The generated client against a private Docker Engine (started per test by
//! dockmatrix-testkit): every call of the Kubernetes 1.4 manifest at the negotiated
//! version and pinned at 1.24 and 1.21, and the version gates and shims.

use std::time::Duration;

use dockmatrix_client::containers::{
    ContainerAttachOptions, ContainerCreateOptions, ContainerDeleteOptions, ContainerKillOptions,
    ContainerListOptions, ContainerLogsOptions, ContainerResizeOptions, ContainerStopOptions,
};
use dockmatrix_client::exec::ExecResizeOptions;
use dockmatrix_client::images::{BuildPruneOptions, ImageCreateOptions, ImageListOptions};
use dockmatrix_client::models::{
    ContainerCreateBody, ContainerExecBody, ExecStartBody, HostConfig,
};
use dockmatrix_client::{ApiVersion, Docker, Error, ExecStarted, LogFrame, LogMode, StreamKind};
use dockmatrix_testkit::{busybox_rootfs_tar, Daemon};
use futures_util::TryStreamExt;
use tokio::io::AsyncWriteExt;

async fn docker(d: &Daemon, pinned: Option<ApiVersion>) -> Docker {
    let mut b = Docker::builder()
        .host(d.host())
        .connect_timeout(Duration::from_secs(5))
        .request_timeout(Duration::from_secs(60));
    if let Some(v) = pinned {
        b = b.api_version(v);
    }
    Docker::connect(b).await.unwrap()
}

fn text(frames: &[LogFrame], kind: StreamKind) -> String {
    frames
        .iter()
        .filter(|f| f.stream == kind)
        .map(|f| String::from_utf8_lossy(&f.data).into_owned())
        .collect()
}

async fn import(docker: &Docker, repo: &str, tag: &str) -> Vec<serde_json::Value> {
    docker
        .images()
        .create_with(
            &ImageCreateOptions::new().from_src("-").repo(repo).tag(tag),
            busybox_rootfs_tar().unwrap(),
        )
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap()
}

fn container(image: &str, cmd: &[&str], tty: bool) -> ContainerCreateBody {
    ContainerCreateBody {
        image: Some(image.into()),
        cmd: Some(cmd.iter().map(|s| s.to_string()).collect()),
        tty: Some(tty),
        attach_stdout: Some(true),
        attach_stderr: Some(true),
        host_config: Some(HostConfig {
            network_mode: Some("none".into()),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// Every call the Kubernetes 1.4 manifest lists, with real results checked.
async fn kubernetes_1_4_calls(docker: &Docker, label: &str) {
    let v = docker.api_version();
    // version, info
    let version = docker.system().version().await.unwrap();
    assert_eq!(version.api_version.as_deref(), Some("1.41"), "{label}");
    let info = docker.system().info().await.unwrap();
    assert!(
        info.id.as_deref().is_some_and(|id| !id.is_empty()),
        "{label}"
    );

    // images: create (import), list, inspect, history
    let tag = format!("v{}-{}", v.major, v.minor);
    let image = format!("dmx-k8s:{tag}");
    let progress = import(docker, "dmx-k8s", &tag).await;
    assert!(
        progress.iter().any(|m| m["status"]
            .as_str()
            .is_some_and(|s| s.starts_with("sha256:"))),
        "{label}: {progress:?}"
    );
    let images = docker.images().list().await.unwrap();
    let listed = images
        .iter()
        .find(|i| i.repo_tags.contains(&image))
        .unwrap_or_else(|| panic!("{label}: {image} not listed"));
    let inspected = docker.images().inspect(&image).await.unwrap();
    assert_eq!(inspected.id.as_deref(), Some(listed.id.as_str()), "{label}");
    let history = docker.images().history(&image).await.unwrap();
    assert!(!history.is_empty(), "{label}");

    // containers: create, attach (before start), start, logs, changes, list, inspect
    let word = format!("hello-{label}");
    let script = format!("echo {word}; echo oops >&2; echo x > /note");
    let created = docker
        .containers()
        .create_with(
            &ContainerCreateOptions::new().name(format!("echo-{tag}")),
            &container(&image, &["sh", "-c", &script], false),
        )
        .await
        .unwrap();
    let id = created.id;
    let session = docker
        .containers()
        .attach_with(
            &id,
            &ContainerAttachOptions::new()
                .stream(true)
                .stdout(true)
                .stderr(true),
        )
        .await
        .unwrap();
    docker.containers().start(&id).await.unwrap();
    // No TTY: multiplexed frames, told by the response (API >= 1.42) or by the first bytes.
    assert_ne!(session.mode, LogMode::Raw, "{label}");
    let frames: Vec<LogFrame> =
        tokio::time::timeout(Duration::from_secs(30), session.output.try_collect())
            .await
            .unwrap()
            .unwrap();
    assert_eq!(
        text(&frames, StreamKind::Stdout),
        format!("{word}\n"),
        "{label}"
    );
    assert_eq!(text(&frames, StreamKind::Stderr), "oops\n", "{label}");
    let waited = docker.containers().wait(&id).await.unwrap();
    assert_eq!(waited.status_code, 0, "{label}");
    let logs: Vec<LogFrame> = docker
        .containers()
        .logs_with(
            &id,
            &ContainerLogsOptions::new()
                .stdout(true)
                .stderr(true)
                .mode(LogMode::Multiplexed),
        )
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        text(&logs, StreamKind::Stdout),
        format!("{word}\n"),
        "{label}"
    );
    assert_eq!(text(&logs, StreamKind::Stderr), "oops\n", "{label}");
    let changes = docker.containers().changes(&id).await.unwrap();
    assert!(
        changes.iter().any(|c| c.path == "/note"),
        "{label}: {changes:?}"
    );
    let listed = docker
        .containers()
        .list_with(&ContainerListOptions::new().all(true))
        .await
        .unwrap();
    assert!(
        listed.iter().any(|c| c.id.as_deref() == Some(id.as_str())),
        "{label}"
    );
    let inspected = docker.containers().inspect(&id).await.unwrap();
    let state = inspected.state.unwrap();
    assert_eq!(
        (state.running, state.exit_code),
        (Some(false), Some(0)),
        "{label}"
    );

    // A TTY sleeper: resize, exec create/start/resize/inspect, stop, start, kill.
    let sleeper = docker
        .containers()
        .create(&container(&image, &["sleep", "300"], true))
        .await
        .unwrap()
        .id;
    docker.containers().start(&sleeper).await.unwrap();
    docker
        .containers()
        .resize_with(
            &sleeper,
            &ContainerResizeOptions::new().height(30).width(100),
        )
        .await
        .unwrap();
    let exec = docker
        .exec()
        .create(
            &sleeper,
            &ContainerExecBody {
                attach_stdin: Some(true),
                attach_stdout: Some(true),
                attach_stderr: Some(true),
                cmd: Some(vec!["sh".into(), "-c".into(), "cat; exit 3".into()]),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .id;
    let session = docker
        .exec()
        .start(
            &exec,
            &ExecStartBody {
                detach: Some(false),
                tty: Some(false),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .into_session()
        .expect("an attached exec start is a session");
    let (output, mut input) = (session.output, session.input);
    input.write_all(b"stdin-roundtrip\n").await.unwrap();
    input.shutdown().await.unwrap();
    let frames: Vec<LogFrame> = tokio::time::timeout(Duration::from_secs(30), output.try_collect())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        text(&frames, StreamKind::Stdout),
        "stdin-roundtrip\n",
        "{label}"
    );
    let inspected = docker.exec().inspect(&exec).await.unwrap();
    assert_eq!(inspected.exit_code, Some(3), "{label}");
    assert_eq!(inspected.running, Some(false), "{label}");
    // exec resize needs a running TTY exec
    let tty_exec = docker
        .exec()
        .create(
            &sleeper,
            &ContainerExecBody {
                tty: Some(true),
                attach_stdout: Some(true),
                cmd: Some(vec![
                    "sh".into(),
                    "-c".into(),
                    "echo tty-exec; sleep 1".into(),
                ]),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .id;
    let session = docker
        .exec()
        .start(
            &tty_exec,
            &ExecStartBody {
                tty: Some(true),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .into_session()
        .expect("an attached exec start is a session");
    assert_ne!(session.mode, LogMode::Multiplexed, "{label}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    docker
        .exec()
        .resize_with(&tty_exec, &ExecResizeOptions::new().height(20).width(80))
        .await
        .unwrap();
    // TTY output is raw (no frame headers): LogMode::Auto must not misread it.
    let frames: Vec<LogFrame> =
        tokio::time::timeout(Duration::from_secs(30), session.output.try_collect())
            .await
            .unwrap()
            .unwrap();
    assert!(
        frames.iter().all(|f| f.stream == StreamKind::Raw),
        "{label}"
    );
    assert_eq!(
        text(&frames, StreamKind::Raw).trim_end(),
        "tty-exec",
        "{label}"
    );

    // Detached exec start: Ok without an upgrade, and the command runs exactly once.
    let detached = docker
        .exec()
        .create(
            &sleeper,
            &ContainerExecBody {
                cmd: Some(vec!["sh".into(), "-c".into(), "echo run >> /runs".into()]),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .id;
    let started = docker
        .exec()
        .start(
            &detached,
            &ExecStartBody {
                detach: Some(true),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(
        matches!(started, ExecStarted::Detached),
        "{label}: {started:?}"
    );
    let mut finished = false;
    for _ in 0..100 {
        let inspected = docker.exec().inspect(&detached).await.unwrap();
        if inspected.running == Some(false) && inspected.exit_code.is_some() {
            assert_eq!(inspected.exit_code, Some(0), "{label}");
            finished = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(finished, "{label}: detached exec never finished");
    let reader = docker
        .exec()
        .create(
            &sleeper,
            &ContainerExecBody {
                attach_stdout: Some(true),
                cmd: Some(vec!["cat".into(), "/runs".into()]),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .id;
    let session = docker
        .exec()
        .start(&reader, &ExecStartBody::default())
        .await
        .unwrap()
        .into_session()
        .expect("an attached exec start is a session");
    let frames: Vec<LogFrame> =
        tokio::time::timeout(Duration::from_secs(30), session.output.try_collect())
            .await
            .unwrap()
            .unwrap();
    assert_eq!(text(&frames, StreamKind::Stdout), "run\n", "{label}");
    docker
        .containers()
        .stop_with(&sleeper, &ContainerStopOptions::new().timeout(1))
        .await
        .unwrap();
    let state = docker
        .containers()
        .inspect(&sleeper)
        .await
        .unwrap()
        .state
        .unwrap();
    assert_eq!(state.running, Some(false), "{label}: stopped");
    docker.containers().start(&sleeper).await.unwrap();
    docker
        .containers()
        .kill_with(&sleeper, &ContainerKillOptions::new().signal("KILL"))
        .await
        .unwrap();
    let waited = docker.containers().wait(&sleeper).await.unwrap();
    assert_eq!(waited.status_code, 137, "{label}: killed by SIGKILL");

    // remove containers and the image; they are gone
    for c in [&id, &sleeper] {
        docker
            .containers()
            .delete_with(c, &ContainerDeleteOptions::new().force(true))
            .await
            .unwrap();
        let err = docker.containers().inspect(c).await.unwrap_err();
        assert!(err.is_not_found(), "{label}: {err:?}");
    }
    let removed = docker.images().delete(&image).await.unwrap();
    assert!(
        removed
            .iter()
            .any(|r| r.untagged.as_deref() == Some(image.as_str())),
        "{label}: {removed:?}"
    );
    let err = docker.images().inspect(&image).await.unwrap_err();
    assert!(err.is_not_found(), "{label}: {err:?}");
}

#[tokio::test]
async fn kubernetes_1_4_manifest_negotiated_and_pinned() {
    let Some(d) = Daemon::start_or_skip("kubernetes_1_4_manifest_negotiated_and_pinned") else {
        return;
    };
    let negotiated = docker(&d, None).await;
    assert_eq!(negotiated.api_version(), ApiVersion::new(1, 41));
    kubernetes_1_4_calls(&negotiated, "negotiated").await;
    for (v, label) in [
        (ApiVersion::new(1, 24), "v1-24"),
        (ApiVersion::new(1, 21), "v1-21"),
    ] {
        let pinned = docker(&d, Some(v)).await;
        assert_eq!(pinned.api_version(), v);
        kubernetes_1_4_calls(&pinned, label).await;
        let sent = pinned.client().last_request().unwrap();
        assert!(sent.starts_with(&format!("/v{v}/")), "{sent}");
    }
}

#[tokio::test]
async fn gates_send_nothing_and_shims_rewrite() {
    let Some(d) = Daemon::start_or_skip("gates_send_nothing_and_shims_rewrite") else {
        return;
    };
    let old = docker(&d, Some(ApiVersion::new(1, 24))).await;
    let new = docker(&d, None).await;
    assert_eq!(new.api_version(), ApiVersion::new(1, 41));

    // POST /containers/prune is documented from 1.25: a client gating on the
    // documents alone refuses it at 1.24 before any I/O ...
    let docs_only = Docker::connect(
        Docker::builder()
            .host(d.host())
            .api_version(ApiVersion::new(1, 24))
            .gate_on_documents(),
    )
    .await
    .unwrap();
    let err = docs_only.containers().prune().await.unwrap_err();
    assert!(
        matches!(err, Error::UnsupportedOperation { operation: "ContainerPrune", since: Some(s), .. } if s == ApiVersion::new(1, 25)),
        "{err:?}"
    );
    assert_eq!(docs_only.client().request_count(), 0);
    // ... while 20.10's code routes it at every requested version: the default
    // client, which knows the daemon's release, sends it.
    assert_eq!(old.daemon_release().map(|r| r.docker), Some("20.10"));
    old.containers().prune().await.unwrap();
    assert_eq!(
        old.client().last_request().as_deref(),
        Some("/v1.24/containers/prune")
    );

    // stop's `signal` is 1.42+, and 20.10's handler never reads it: refused at
    // 1.41 before any I/O, by the release's code.
    let before = new.client().request_count();
    let err = new
        .containers()
        .stop_with("anything", &ContainerStopOptions::new().signal("SIGINT"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::NotServed {
                parameter: Some("signal"),
                release: "20.10",
                ..
            }
        ),
        "{err:?}"
    );
    // A body field newer than the pinned version is refused too (CgroupnsMode: 1.41+).
    let mut body = container("dmx-a:latest", &["true"], false);
    if let Some(h) = body.host_config.as_mut() {
        h.cgroupns_mode = Some("private".into());
    }
    let before_old = old.client().request_count();
    let err = old.containers().create(&body).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::UnsupportedParameter {
                parameter: "HostConfig.CgroupnsMode",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(new.client().request_count(), before);
    assert_eq!(old.client().request_count(), before_old);

    // Image-list shim: `reference` filter → legacy `filter` below 1.25.
    import(&new, "dmx-a", "latest").await;
    // A second repository (same layer) proves the filter filters.
    import(&new, "dmx-b", "latest").await;
    for (docker, legacy) in [(&old, true), (&new, false)] {
        let found = docker
            .images()
            .list_with(&ImageListOptions::new().filters_add("reference", "dmx-a"))
            .await
            .unwrap();
        let sent = docker.client().last_request().unwrap();
        if legacy {
            assert!(
                sent.starts_with("/v1.24/images/json?filter=dmx-a"),
                "{sent}"
            );
            assert!(!sent.contains("filters"), "{sent}");
        } else {
            assert!(sent.starts_with("/v1.41/images/json?filters="), "{sent}");
            assert!(sent.contains("reference"), "{sent}");
        }
        let tags: Vec<&String> = found.iter().flat_map(|i| &i.repo_tags).collect();
        assert_eq!(tags, ["dmx-a:latest"], "{sent}");
    }

    // Build-prune shim: reserved-space is sent as keep-storage at 1.41 (≤ 1.47).
    let pruned = new
        .images()
        .build_prune_with(&BuildPruneOptions::new().reserved_space(1 << 30))
        .await;
    let sent = new.client().last_request().unwrap();
    assert!(
        sent.starts_with("/v1.41/build/prune?keep-storage=1073741824"),
        "{sent}"
    );
    // The daemon answers (BuildKit may be unavailable in the sandbox; then a daemon error).
    if let Err(e) = pruned {
        assert!(matches!(e, Error::Api { .. }), "{e:?}");
    }
}

/// `POST /networks/{id}/connect` takes a JSON body although v1.25–v1.34 label it
/// octet-stream: the client serves it pinned at 1.30 (it exists since 1.21), the
/// daemon connects the container, and a body field documented only from 1.25 on
/// (`HostConfig.AutoRemove`, never mentioned before) is refused at 1.24 unsent.
#[tokio::test]
async fn network_connect_at_1_30_and_inexact_fields_refused_below_their_since() {
    use dockmatrix_client::models::{NetworkConnectRequest, NetworkCreateBody};

    let Some(d) = Daemon::start_or_skip(
        "network_connect_at_1_30_and_inexact_fields_refused_below_their_since",
    ) else {
        return;
    };
    let new = docker(&d, None).await;
    import(&new, "dmx-net", "latest").await;
    let at_1_30 = docker(&d, Some(ApiVersion::new(1, 30))).await;
    let mut ids = Vec::new();
    for name in ["dmx-net-a", "dmx-net-b"] {
        let body = NetworkCreateBody {
            name: name.into(),
            internal: Some(true),
            ..Default::default()
        };
        let created = at_1_30.networks().create(&body).await.unwrap();
        ids.push(created.id.clone());
    }
    let mut body = container("dmx-net:latest", &["true"], false);
    if let Some(h) = body.host_config.as_mut() {
        h.network_mode = Some("dmx-net-a".into());
    }
    let c = at_1_30.containers().create(&body).await.unwrap();
    at_1_30
        .networks()
        .connect(
            "dmx-net-b",
            &NetworkConnectRequest {
                container: c.id.clone(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let sent = at_1_30.client().last_request().unwrap();
    assert!(
        sent.starts_with("/v1.30/networks/dmx-net-b/connect"),
        "{sent}"
    );
    let inspected = at_1_30.containers().inspect(&c.id).await.unwrap();
    let networks: Vec<String> = inspected
        .network_settings
        .and_then(|n| n.networks)
        .map(|n| n.keys().cloned().collect())
        .unwrap_or_default();
    assert_eq!(networks, ["dmx-net-a", "dmx-net-b"]);

    // AutoRemove: first documented in 1.25 (inexact), so refused at 1.24, unsent.
    let old = docker(&d, Some(ApiVersion::new(1, 24))).await;
    let mut body = container("dmx-net:latest", &["true"], false);
    if let Some(h) = body.host_config.as_mut() {
        h.auto_remove = Some(true);
    }
    let before = old.client().request_count();
    let err = old.containers().create(&body).await.unwrap_err();
    assert!(
        matches!(err, Error::UnsupportedParameter { parameter: "HostConfig.AutoRemove", since: Some(s), .. } if s == ApiVersion::new(1, 25)),
        "{err:?}"
    );
    assert_eq!(old.client().request_count(), before);

    new.containers()
        .delete_with(&c.id, &ContainerDeleteOptions::new().force(true))
        .await
        .unwrap();
    for id in ids {
        new.networks().delete(&id).await.unwrap();
    }
}

/// Pinned at 1.24 against dockerd 20.10, the client sends what 20.10's code
/// serves at `/v1.24/` although the documents date it later (issue 20 §6):
/// `HEAD /_ping`, `system/df`, container and image prune, logs `until`, wait
/// `condition`, exec create's `Env` and `WorkingDir`; each reaches the daemon
/// and succeeds.
#[tokio::test]
async fn pinned_at_1_24_the_client_sends_what_20_10_serves_there() {
    use dockmatrix_client::containers::{ContainerWaitCondition, ContainerWaitOptions};
    let Some(d) = Daemon::start_or_skip("pinned_at_1_24_the_client_sends_what_20_10_serves_there")
    else {
        return;
    };
    let docker = docker(&d, Some(ApiVersion::new(1, 24))).await;
    let release = docker
        .daemon_release()
        .expect("the daemon's release is known");
    assert_eq!(release.tag, "v20.10.27");
    let sent = |docker: &Docker| docker.client().last_request().unwrap_or_default();

    let ping = docker.system().ping_headers().await.unwrap();
    assert_eq!(ping.api_version, Some(ApiVersion::new(1, 41)));
    docker.system().data_usage().await.unwrap();
    assert_eq!(sent(&docker), "/v1.24/system/df");
    docker.images().prune().await.unwrap();
    assert_eq!(sent(&docker), "/v1.24/images/prune");

    import(&docker, "dmx-served", "v1-24").await;
    let created = docker
        .containers()
        .create(&container("dmx-served:v1-24", &["echo", "served"], false))
        .await
        .unwrap();
    let id = created.id;
    docker.containers().start(&id).await.unwrap();
    let waited = docker
        .containers()
        .wait_with(
            &id,
            &ContainerWaitOptions::new().condition(ContainerWaitCondition::NotRunning),
        )
        .await
        .unwrap();
    assert_eq!(waited.status_code, 0);
    assert!(
        sent(&docker).ends_with("/wait?condition=not-running"),
        "{}",
        sent(&docker)
    );
    let until = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
        + 60;
    let frames: Vec<LogFrame> = docker
        .containers()
        .logs_with(&id, &ContainerLogsOptions::new().stdout(true).until(until))
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(text(&frames, StreamKind::Stdout), "served\n");
    assert!(sent(&docker).contains("until="), "{}", sent(&docker));
    // Exec create's `Env` (documented from 1.25) and `WorkingDir` (from 1.35):
    // 20.10's own types decode them at every requested version, and it honours them.
    let sleeper = docker
        .containers()
        .create(&container("dmx-served:v1-24", &["sleep", "30"], false))
        .await
        .unwrap()
        .id;
    docker.containers().start(&sleeper).await.unwrap();
    let exec = docker
        .exec()
        .create(
            &sleeper,
            &ContainerExecBody::default()
                .cmd(["sh", "-c", "echo $DMX_A; pwd"])
                .env(["DMX_A=from-env"])
                .working_dir("/tmp")
                .attach_stdout(true)
                .attach_stderr(true),
        )
        .await
        .unwrap()
        .id;
    assert!(
        sent(&docker).starts_with("/v1.24/containers/"),
        "{}",
        sent(&docker)
    );
    let session = docker
        .exec()
        .start(&exec, &ExecStartBody::default())
        .await
        .unwrap()
        .into_session()
        .expect("an attached exec start is a session");
    let frames: Vec<LogFrame> =
        tokio::time::timeout(Duration::from_secs(30), session.output.try_collect())
            .await
            .unwrap()
            .unwrap();
    assert_eq!(text(&frames, StreamKind::Stdout), "from-env\n/tmp\n");
    docker
        .containers()
        .kill_with(&sleeper, &ContainerKillOptions::new().signal("KILL"))
        .await
        .unwrap();
    let pruned = docker.containers().prune().await.unwrap();
    assert!(
        pruned.containers_deleted.unwrap_or_default().contains(&id),
        "the stopped container is pruned"
    );
}
