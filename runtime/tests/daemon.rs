//! Integration tests against a private dockerd, using only the runtime's low-level API.

use std::time::{Duration, Instant};

use bytes::Bytes;
use dockmatrix_runtime::{
    byte_stream_from_reader, ApiVersion, Client, Error, HttpMethod, LogFrame, LogMode, LogStream,
    OperationInfo, ParamInfo, ParamLocation, Request, StreamKind, VersionRange,
};
use dockmatrix_testkit::{import_busybox, Daemon, BUSYBOX_IMAGE};
use futures_util::{StreamExt, TryStreamExt};
use serde_json::{json, Value};
use tokio::io::AsyncWriteExt;

const fn v(minor: u16) -> ApiVersion {
    ApiVersion::new(1, minor)
}

async fn client(d: &Daemon) -> Client {
    Client::builder()
        .host(d.host())
        .connect_timeout(Duration::from_secs(5))
        .request_timeout(Duration::from_secs(60))
        .build()
        .await
        .unwrap()
}

/// The daemon's own `/version` (unversioned), for cross-checking negotiation.
async fn daemon_versions(c: &Client) -> (ApiVersion, ApiVersion) {
    let body: Value = c
        .send_json(Request::new(HttpMethod::Get, "/version").unversioned())
        .await
        .unwrap();
    let max = body["ApiVersion"].as_str().unwrap().parse().unwrap();
    let min = body["MinAPIVersion"].as_str().unwrap().parse().unwrap();
    (max, min)
}

fn text(frames: &[LogFrame], kind: StreamKind) -> String {
    frames
        .iter()
        .filter(|f| f.stream == kind)
        .map(|f| String::from_utf8_lossy(&f.data).into_owned())
        .collect()
}

async fn create_container(c: &Client, body: Value) -> String {
    let created: Value = c
        .send_json(Request::new(HttpMethod::Post, "/containers/create").json_body(&body))
        .await
        .unwrap();
    created["Id"].as_str().unwrap().to_owned()
}

async fn start(c: &Client, id: &str) {
    c.send_unit(Request::new(HttpMethod::Post, "/containers/{id}/start").path_param("id", id))
        .await
        .unwrap();
}

async fn wait_exit(c: &Client, id: &str) -> i64 {
    let r: Value = c
        .send_json(Request::new(HttpMethod::Post, "/containers/{id}/wait").path_param("id", id))
        .await
        .unwrap();
    r["StatusCode"].as_i64().unwrap()
}

#[tokio::test]
async fn negotiation_and_pinning_follow_the_daemon() {
    let Some(d) = Daemon::start_or_skip("negotiation_and_pinning_follow_the_daemon") else {
        return;
    };
    eprintln!("dockerd startup: {:?}", d.startup);
    let c = client(&d).await;
    let (daemon_max, daemon_min) = daemon_versions(&c).await;
    // client max 1.55 > daemon max: negotiated = daemon max, learned from /_ping alone.
    assert_eq!(c.api_version(), daemon_max);
    assert_eq!(c.negotiated().daemon_max, Some(daemon_max));
    assert_eq!(c.negotiated().daemon_min, None);

    // Older client than daemon: negotiated = client max, and MinAPIVersion is fetched.
    let old_max = ApiVersion::new(daemon_max.major, daemon_max.minor - 1);
    let c2 = Client::builder()
        .host(d.host())
        .client_versions(v(0), old_max)
        .build()
        .await
        .unwrap();
    assert_eq!(c2.api_version(), old_max);
    assert_eq!(c2.negotiated().daemon_min, Some(daemon_min));
    assert_eq!(c2.request_count(), 2, "/_ping + /version");

    // Client max below the daemon's MinAPIVersion → clear error.
    let too_old = ApiVersion::new(daemon_min.major, daemon_min.minor - 1);
    let err = Client::builder()
        .host(d.host())
        .client_versions(v(0), too_old)
        .build()
        .await
        .unwrap_err();
    match err {
        Error::BelowDaemonMinimum {
            negotiated,
            daemon_min: m,
        } => {
            assert_eq!(negotiated, too_old);
            assert_eq!(m, daemon_min);
        }
        other => panic!("unexpected {other:?}"),
    }

    // Pinned versions: no negotiation I/O; they work iff >= the daemon's MinAPIVersion.
    for pinned in [v(24), v(21), too_old] {
        let host = d.host();
        let pc = Client::builder()
            .env_lookup(move |k| match k {
                "DOCKER_HOST" => Some(host.clone()),
                "DOCKER_API_VERSION" => Some(format!("v{pinned}")),
                _ => None,
            })
            .build()
            .await
            .unwrap();
        assert_eq!(pc.api_version(), pinned);
        assert_eq!(pc.request_count(), 0);
        let info = pc
            .send_json::<Value>(Request::new(HttpMethod::Get, "/info"))
            .await;
        if pinned >= daemon_min {
            assert!(info.unwrap()["ID"].is_string(), "pinned {pinned}");
        } else {
            match info {
                Err(Error::Api { status, message }) => {
                    assert_eq!(status, 400);
                    assert!(message.contains(&daemon_min.to_string()), "{message}");
                }
                other => panic!("pinned {pinned}: unexpected {other:?}"),
            }
        }
    }
}

#[tokio::test]
async fn gates_and_bad_paths_send_nothing() {
    let Some(d) = Daemon::start_or_skip("gates_and_bad_paths_send_nothing") else {
        return;
    };
    static FUTURE_OP: OperationInfo = OperationInfo::new(
        "FutureThing",
        HttpMethod::Get,
        "/future",
        &[VersionRange::new(Some(ApiVersion::new(1, 99)), None)],
    );
    static INFO: OperationInfo =
        OperationInfo::new("SystemInfo", HttpMethod::Get, "/info", &[VersionRange::ALL]);
    static OLD_PARAM: ParamInfo = ParamInfo::new(
        "legacy",
        ParamLocation::Query,
        &[VersionRange::new(None, Some(ApiVersion::new(1, 20)))],
    );
    let c = client(&d).await;
    let before = c.request_count();
    let err = c
        .send_unit(Request::for_operation(&FUTURE_OP))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::UnsupportedOperation { operation: "FutureThing", since: Some(s), .. } if s == v(99))
    );
    let err = c
        .send_unit(Request::for_operation(&INFO).query_param(&OLD_PARAM, true))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::UnsupportedParameter { parameter: "legacy", removed_in: Some(r), .. } if r == v(20))
    );
    let err = c
        .send_unit(
            Request::new(HttpMethod::Get, "/containers/{id}/json").path_param("id", "../../x?y"),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidPathParameter { .. }), "{err:?}");
    assert_eq!(c.request_count(), before, "gated requests must not be sent");
    // sanity: an ungated request is counted
    c.send_unit(Request::for_operation(&INFO)).await.unwrap();
    assert_eq!(c.request_count(), before + 1);
}

#[tokio::test]
async fn api_errors_keep_status_and_message_and_paths_are_encoded() {
    let Some(d) = Daemon::start_or_skip("api_errors_keep_status_and_message_and_paths_are_encoded")
    else {
        return;
    };
    let c = client(&d).await;
    let err = c
        .send_json::<Value>(
            Request::new(HttpMethod::Get, "/containers/{id}/json").path_param("id", "dmx-missing"),
        )
        .await
        .unwrap_err();
    match &err {
        Error::Api { status, message } => {
            assert_eq!(*status, 404);
            assert_eq!(message, "No such container: dmx-missing");
        }
        other => panic!("unexpected {other:?}"),
    }
    // `/`, `?`, `#`, `%`, space stay inside the one path segment: the daemon sees the literal value.
    let tricky = "a/b?c=1#d%2Fe f";
    let err = c
        .send_json::<Value>(
            Request::new(HttpMethod::Get, "/containers/{id}/json").path_param("id", tricky),
        )
        .await
        .unwrap_err();
    match err {
        Error::Api { status, message } => {
            assert_eq!(status, 404);
            assert_eq!(message, format!("No such container: {tricky}"));
        }
        other => panic!("unexpected {other:?}"),
    }
    // Unknown route: the daemon's non-JSON 404 body is kept as text.
    let err = c
        .send_unit(Request::new(HttpMethod::Get, "/dmx-no-such-route"))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
}

#[tokio::test]
async fn containers_logs_attach_and_exec() {
    let Some(d) = Daemon::start_or_skip("containers_logs_attach_and_exec") else {
        return;
    };
    let c = client(&d).await;
    let progress = import_busybox(&c).await.unwrap();
    assert!(
        progress.iter().any(|m| m["status"]
            .as_str()
            .is_some_and(|s| s.starts_with("sha256:"))),
        "{progress:?}"
    );

    // Container printing to stdout and stderr.
    let id = create_container(
        &c,
        json!({"Image": BUSYBOX_IMAGE, "Cmd": ["/bin/sh", "-c", "echo hello; echo oops >&2"],
               "AttachStdout": true, "AttachStderr": true, "HostConfig": {"NetworkMode": "none"}}),
    )
    .await;

    // Hijacked attach before start: output arrives as multiplexed frames on the duplex.
    let attach = Request::new(HttpMethod::Post, "/containers/{id}/attach")
        .path_param("id", &id)
        .query("stream", true)
        .query("stdout", true)
        .query("stderr", true);
    let duplex = c.upgrade(attach).await.unwrap();
    start(&c, &id).await;
    let (rd, _wr) = tokio::io::split(duplex);
    let frames: Vec<LogFrame> = tokio::time::timeout(
        Duration::from_secs(30),
        LogStream::new(byte_stream_from_reader(rd), LogMode::Multiplexed).try_collect(),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(text(&frames, StreamKind::Stdout), "hello\n");
    assert_eq!(text(&frames, StreamKind::Stderr), "oops\n");
    assert_eq!(wait_exit(&c, &id).await, 0);

    // Logs endpoint: same output, multiplexed.
    let logs = Request::new(HttpMethod::Get, "/containers/{id}/logs")
        .path_param("id", &id)
        .query("stdout", true)
        .query("stderr", true);
    let frames: Vec<LogFrame> = c
        .send_logs(logs, LogMode::Multiplexed)
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(text(&frames, StreamKind::Stdout), "hello\n");
    assert_eq!(text(&frames, StreamKind::Stderr), "oops\n");

    // TTY container: raw passthrough.
    let tty = create_container(
        &c,
        json!({"Image": BUSYBOX_IMAGE, "Cmd": ["echo", "tty-out"], "Tty": true, "HostConfig": {"NetworkMode": "none"}}),
    )
    .await;
    start(&c, &tty).await;
    assert_eq!(wait_exit(&c, &tty).await, 0);
    let logs = Request::new(HttpMethod::Get, "/containers/{id}/logs")
        .path_param("id", &tty)
        .query("stdout", true);
    let frames: Vec<LogFrame> = c
        .send_logs(logs, LogMode::Raw)
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    assert!(frames.iter().all(|f| f.stream == StreamKind::Raw));
    assert_eq!(text(&frames, StreamKind::Raw).trim_end(), "tty-out");

    // Exec with stdin over an upgraded connection: `cat` echoes what we write, EOF ends it.
    let sleeper = create_container(
        &c,
        json!({"Image": BUSYBOX_IMAGE, "Cmd": ["sleep", "60"], "HostConfig": {"NetworkMode": "none"}}),
    )
    .await;
    start(&c, &sleeper).await;
    let exec: Value = c
        .send_json(
            Request::new(HttpMethod::Post, "/containers/{id}/exec")
                .path_param("id", &sleeper)
                .json_body(&json!({"AttachStdin": true, "AttachStdout": true, "AttachStderr": true, "Cmd": ["cat"]})),
        )
        .await
        .unwrap();
    let exec_id = exec["Id"].as_str().unwrap().to_owned();
    let mut duplex = c
        .upgrade(
            Request::new(HttpMethod::Post, "/exec/{id}/start")
                .path_param("id", &exec_id)
                .json_body(&json!({"Detach": false, "Tty": false})),
        )
        .await
        .unwrap();
    duplex.write_all(b"ping from stdin\n").await.unwrap();
    duplex.shutdown().await.unwrap();
    let frames: Vec<LogFrame> = tokio::time::timeout(
        Duration::from_secs(30),
        LogStream::new(byte_stream_from_reader(duplex), LogMode::Multiplexed).try_collect(),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(text(&frames, StreamKind::Stdout), "ping from stdin\n");
    let inspect: Value = c
        .send_json(Request::new(HttpMethod::Get, "/exec/{id}/json").path_param("id", &exec_id))
        .await
        .unwrap();
    assert_eq!(inspect["ExitCode"], json!(0));
    c.send_unit(
        Request::new(HttpMethod::Delete, "/containers/{id}")
            .path_param("id", &sleeper)
            .query("force", true),
    )
    .await
    .unwrap();

    // Export is a raw byte stream (a tar archive of the container filesystem).
    let tar: Vec<Bytes> = c
        .send_stream(Request::new(HttpMethod::Get, "/containers/{id}/export").path_param("id", &id))
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    let tar: Vec<u8> = tar.concat();
    let mut archive = tar::Archive::new(tar.as_slice());
    let names: Vec<String> = archive
        .entries()
        .unwrap()
        .map(|e| e.unwrap().path().unwrap().display().to_string())
        .collect();
    assert!(names.iter().any(|n| n == "bin/busybox"), "{names:?}");
}

#[tokio::test]
async fn events_are_a_json_lines_stream() {
    let Some(d) = Daemon::start_or_skip("events_are_a_json_lines_stream") else {
        return;
    };
    let c = client(&d).await;
    let filters = json!({"type": ["image"]});
    let mut events = c
        .send_json_lines::<Value>(
            Request::new(HttpMethod::Get, "/events").query_json("filters", &filters),
        )
        .await
        .unwrap();
    import_busybox(&c).await.unwrap();
    // dockerd 20.10 reports `tag` then `import` for an import with repo/tag.
    let mut actions = Vec::new();
    while !actions.iter().any(|a| a == "import") {
        let ev = tokio::time::timeout(Duration::from_secs(30), events.next())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        assert_eq!(ev["Type"], json!("image"), "{ev}");
        actions.push(ev["Action"].as_str().unwrap().to_owned());
    }
    assert!(actions.len() <= 3, "{actions:?}");
}

#[tokio::test]
async fn tcp_transport_and_connection_reuse() {
    let Some(d) = Daemon::start_with_or_skip("tcp_transport_and_connection_reuse", true) else {
        return;
    };
    let c = Client::builder()
        .host(d.tcp_host().unwrap())
        .build()
        .await
        .unwrap();
    let unix = client(&d).await;
    assert_eq!(c.api_version(), unix.api_version());
    let t = Instant::now();
    for _ in 0..50 {
        let _: Value = c
            .send_json(Request::new(HttpMethod::Get, "/version"))
            .await
            .unwrap();
    }
    eprintln!("50 sequential /version over TCP: {:?}", t.elapsed());
    // clones share the pool and the counter
    let c2 = c.clone();
    let _: Value = c2
        .send_json(Request::new(HttpMethod::Get, "/_ping").unversioned())
        .await
        .or_else(|e| match e {
            // /_ping answers text "OK", not JSON
            Error::Decode { .. } => Ok(Value::Null),
            other => Err(other),
        })
        .unwrap();
    assert_eq!(c.request_count(), 1 + 50 + 1);
    // sequential requests reuse one pooled keep-alive connection
    assert_eq!(c.connection_count(), 1);
}
