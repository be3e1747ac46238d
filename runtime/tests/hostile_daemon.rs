//! The client against a hostile fake daemon (`dockmatrix_testkit::fake`): stalls, floods,
//! lies and early closes end in typed errors within the configured limits — never a hang,
//! never memory proportional to what the daemon announces.

use std::time::{Duration, Instant};

use dockmatrix_runtime::{
    ApiVersion, Client, Error, ExecStarted, HttpMethod, Limit, LogMode, Request, StreamKind,
};
use dockmatrix_testkit::fake::{
    chunk, chunked_head, frame_header, http_response, response_head, Action, FakeDaemon,
};
use futures_util::StreamExt;
use serde_json::Value;

const V: ApiVersion = ApiVersion::new(1, 41);

/// A client pinned to 1.41 (no negotiation I/O) with short timeouts.
async fn pinned(fake: &FakeDaemon) -> Client {
    Client::builder()
        .host(fake.host())
        .api_version(V)
        .request_timeout(Duration::from_secs(2))
        .build()
        .await
        .unwrap()
}

fn get(path: &'static str) -> Request {
    Request::new(HttpMethod::Get, path)
}

#[tokio::test]
async fn a_daemon_that_never_answers_times_out_negotiation_and_calls() {
    let fake = FakeDaemon::start(|_| vec![Action::StallForever]).unwrap();
    let started = Instant::now();
    let err = Client::builder()
        .host(fake.host())
        .request_timeout(Duration::from_millis(300))
        .build()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Timeout { phase: "waiting for the response", after } if after == Duration::from_millis(300)),
        "{err:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(fake.requests()[0].path, "/_ping");

    let c = pinned(&fake).await;
    let err = c.send_json::<Value>(get("/info")).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
}

#[tokio::test]
async fn a_body_that_stops_halfway_times_out() {
    let fake = FakeDaemon::start(|_| {
        let mut head = response_head(200, &[("Content-Type", "application/json")], Some(100));
        head.extend_from_slice(b"{\"ID\":");
        vec![Action::Write(head), Action::StallForever]
    })
    .unwrap();
    let err = pinned(&fake)
        .await
        .send_json::<Value>(get("/info"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                phase: "reading the response body",
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_silent_stream_ends_after_the_idle_timeout_and_only_if_set() {
    let fake = FakeDaemon::start(|_| {
        let mut out = chunked_head(200, &[("Content-Type", "application/json")]);
        out.extend(chunk(b"{\"status\":\"start\"}\n"));
        vec![Action::Write(out), Action::StallForever]
    })
    .unwrap();
    let c = Client::builder()
        .host(fake.host())
        .api_version(V)
        .stream_idle_timeout(Duration::from_millis(300))
        .build()
        .await
        .unwrap();
    let mut events = c.send_json_lines::<Value>(get("/events")).await.unwrap();
    assert_eq!(events.next().await.unwrap().unwrap()["status"], "start");
    let err = events.next().await.unwrap().unwrap_err();
    assert!(
        matches!(err, Error::Timeout { phase: "waiting for stream data", after } if after == Duration::from_millis(300)),
        "{err:?}"
    );
    assert!(events.next().await.is_none());

    // Without an idle timeout the stream waits (silence is normal for events): still
    // pending well past the request timeout.
    let c = pinned(&fake).await;
    let mut events = c.send_json_lines::<Value>(get("/events")).await.unwrap();
    assert!(events.next().await.unwrap().is_ok());
    let waited = tokio::time::timeout(Duration::from_millis(2500), events.next()).await;
    assert!(waited.is_err(), "stream ended: {waited:?}");
}

#[tokio::test]
async fn a_frame_header_announcing_4_gib_is_refused_at_once() {
    let fake = FakeDaemon::start(|_| {
        let head = response_head(
            200,
            &[("Content-Type", "application/vnd.docker.multiplexed-stream")],
            None,
        );
        let mut ok = frame_header(1, 3);
        ok.extend_from_slice(b"hi\n");
        vec![
            Action::Write(head),
            Action::Write(ok),
            Action::Write(frame_header(1, u32::MAX)),
            Action::WriteRepeated {
                chunk: vec![b'x'; 64 << 10],
                total: 64 << 20,
            },
            Action::Close,
        ]
    })
    .unwrap();
    let c = Client::builder()
        .host(fake.host())
        .api_version(V)
        .max_frame(1 << 20)
        .build()
        .await
        .unwrap();
    let mut logs = c
        .send_logs(get("/containers/x/logs"), LogMode::Auto)
        .await
        .unwrap();
    assert_eq!(&logs.next().await.unwrap().unwrap().data[..], b"hi\n");
    match logs.next().await.unwrap() {
        Err(Error::LimitExceeded {
            limit: Limit::Frame,
            max,
            context,
        }) => {
            assert_eq!(max, 1 << 20);
            assert!(context.contains("4294967295 bytes at byte 11"), "{context}");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(logs.next().await.is_none());
}

#[tokio::test]
async fn a_json_line_over_the_limit_is_a_typed_error() {
    let fake = FakeDaemon::start(|_| {
        let mut out = response_head(200, &[("Content-Type", "application/json")], None);
        out.extend_from_slice(b"{\"status\":\"ok\"}\n{\"status\":\"");
        vec![
            Action::Write(out),
            Action::WriteRepeated {
                chunk: vec![b'y'; 64 << 10],
                total: 32 << 20,
            },
            Action::Close,
        ]
    })
    .unwrap();
    let c = Client::builder()
        .host(fake.host())
        .api_version(V)
        .max_json_line(1 << 20)
        .build()
        .await
        .unwrap();
    let items: Vec<_> = c
        .send_json_lines::<Value>(Request::new(HttpMethod::Post, "/images/create"))
        .await
        .unwrap()
        .collect()
        .await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap()["status"], "ok");
    assert!(
        matches!(&items[1], Err(Error::LimitExceeded { limit: Limit::JsonLine, max, .. }) if *max == 1 << 20),
        "{:?}",
        items[1]
    );
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_announced_or_not() {
    let fake = FakeDaemon::start(|req| {
        let big = 200u64 << 20;
        if req.route() == "/announced" {
            // Content-Length says 200 MB: refused from the head alone.
            vec![
                Action::Write(response_head(200, &[], Some(big))),
                Action::StallForever,
            ]
        } else {
            let mut out = response_head(200, &[("Content-Type", "application/json")], None);
            out.extend_from_slice(b"[\"");
            vec![
                Action::Write(out),
                Action::WriteRepeated {
                    chunk: vec![b'z'; 64 << 10],
                    total: big,
                },
                Action::Close,
            ]
        }
    })
    .unwrap();
    let c = Client::builder()
        .host(fake.host())
        .api_version(V)
        .max_body(4 << 20)
        .build()
        .await
        .unwrap();
    let err = c.send_json::<Value>(get("/announced")).await.unwrap_err();
    match err {
        Error::LimitExceeded {
            limit: Limit::Body,
            max,
            context,
        } => {
            assert_eq!(max, 4 << 20);
            assert!(context.contains("Content-Length 209715200"), "{context}");
        }
        other => panic!("unexpected {other:?}"),
    }
    let err = c.send_bytes(get("/streamed")).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::LimitExceeded {
                limit: Limit::Body,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("max_body"), "{err}");
}

#[tokio::test]
async fn an_error_body_over_1_mib_keeps_the_start_of_the_daemons_message() {
    let fake = FakeDaemon::start(|_| {
        let mut body = b"{\"message\":\"conflict: the name \\\"web\\\" is in use; ".to_vec();
        body.extend(std::iter::repeat_n(b'.', 3 << 20));
        body.extend_from_slice(b"\"}");
        vec![Action::Write(http_response(
            409,
            &[("Content-Type", "application/json")],
            &body,
        ))]
    })
    .unwrap();
    let err = pinned(&fake)
        .await
        .send_unit(Request::new(HttpMethod::Post, "/containers/create"))
        .await
        .unwrap_err();
    match err {
        Error::Api { status, message } => {
            assert_eq!(status, 409);
            assert!(
                message.starts_with("conflict: the name \"web\" is in use; ..."),
                "{}",
                &message[..80]
            );
            assert!(message.ends_with("(truncated: error body over 1 MiB)"));
            assert!(message.len() < (1 << 20) + 100);
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn lies_and_early_closes_are_typed_errors() {
    let fake = FakeDaemon::start(|req| match req.route() {
        // Announces 100 bytes, sends 10, closes.
        "/short" => vec![
            Action::Write(response_head(200, &[], Some(100))),
            Action::Write(b"{\"a\":12345".to_vec()),
            Action::Close,
        ],
        // Not JSON although it says so.
        "/notjson" => vec![Action::Write(http_response(
            200,
            &[("Content-Type", "application/json")],
            b"<html>",
        ))],
        // Closes without any answer.
        "/close" => vec![Action::Close],
        // A garbage API version during negotiation.
        _ => vec![Action::Write(http_response(
            200,
            &[("API-Version", "banana")],
            b"OK",
        ))],
    })
    .unwrap();
    let c = pinned(&fake).await;
    let err = c.send_json::<Value>(get("/short")).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    let err = c.send_json::<Value>(get("/notjson")).await.unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    let err = c
        .send_unit(Request::new(HttpMethod::Post, "/close"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    let err = Client::builder()
        .host(fake.host())
        .build()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidApiVersion { .. }), "{err:?}");
}

#[tokio::test]
async fn exec_start_is_detached_on_200_and_a_session_framed_as_the_response_says() {
    let fake = FakeDaemon::start(|req| {
        if req.body.windows(13).any(|w| w == b"\"Detach\":true") {
            return vec![Action::Write(http_response(200, &[], b""))];
        }
        let ct = if req.route() == "/exec/tty/start" {
            "application/vnd.docker.raw-stream"
        } else {
            "application/vnd.docker.multiplexed-stream"
        };
        let mut out = format!(
            "HTTP/1.1 101 UPGRADED\r\nContent-Type: {ct}\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"
        )
        .into_bytes();
        if ct.contains("raw") {
            out.extend_from_slice(b"\x01\0\0\0 looks like a frame but is TTY output");
        } else {
            out.extend(frame_header(2, 3));
            out.extend_from_slice(b"err");
        }
        vec![Action::Write(out), Action::Close]
    })
    .unwrap();
    let c = Client::builder()
        .host(fake.host())
        .api_version(ApiVersion::new(1, 43))
        .build()
        .await
        .unwrap();
    let start = |id: &'static str, detach: bool| {
        Request::new(HttpMethod::Post, "/exec/{id}/start")
            .path_param("id", id)
            .json_body(&serde_json::json!({ "Detach": detach }))
    };
    let started = c.exec_start(start("d", true), LogMode::Auto).await.unwrap();
    assert!(matches!(started, ExecStarted::Detached), "{started:?}");
    assert_eq!(fake.requests().len(), 1, "started once, no retry");

    let session = c
        .exec_start(start("mux", false), LogMode::Auto)
        .await
        .unwrap()
        .into_session()
        .unwrap();
    assert_eq!(session.mode, LogMode::Multiplexed);
    let frames: Vec<_> = session.output.collect().await;
    assert!(
        matches!(&frames[..], [Ok(f)] if f.stream == StreamKind::Stderr && &f.data[..] == b"err"),
        "{frames:?}"
    );

    // From API 1.42 raw-stream means TTY, even when the output starts like a frame header.
    let session = c.session(start("tty", false), LogMode::Auto).await.unwrap();
    assert_eq!(session.mode, LogMode::Raw);
    let frames: Vec<_> = session.output.collect().await;
    assert!(frames
        .iter()
        .all(|f| f.as_ref().is_ok_and(|f| f.stream == StreamKind::Raw)));

    // Attach that is not upgraded is an error, not a silent empty session.
    let err = c
        .session(start("d", true), LogMode::Auto)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::UpgradeRefused { status: 200, .. }),
        "{err:?}"
    );
}

/// An attached exec start that the daemon answers `200` instead of `101` (its output in
/// the body) is an error carrying that output, never `Detached`; only a start sent with
/// `Detach: true` may come back `Detached`.
#[tokio::test]
async fn an_attached_exec_start_answered_200_is_refused_with_its_output() {
    let fake = FakeDaemon::start(|req| match req.route() {
        "/exec/small/start" => vec![Action::Write(http_response(
            200,
            &[("Content-Type", "application/vnd.docker.raw-stream")],
            b"hello from the command\n",
        ))],
        // Output that goes on (the command still runs): only the start is kept.
        _ => vec![
            Action::Write(response_head(200, &[], None)),
            Action::WriteRepeated {
                chunk: b"0123456789abcdef".to_vec(),
                total: 64 << 10,
            },
            Action::StallForever,
        ],
    })
    .unwrap();
    let c = Client::builder()
        .host(fake.host())
        .api_version(ApiVersion::new(1, 43))
        .build()
        .await
        .unwrap();
    let start = |id: &'static str, body: Value| {
        Request::new(HttpMethod::Post, "/exec/{id}/start")
            .path_param("id", id)
            .json_body(&body)
    };
    for body in [
        serde_json::json!({ "Detach": false, "Tty": true }),
        serde_json::json!({ "Tty": true }),
    ] {
        let err = c
            .exec_start(start("small", body.clone()), LogMode::Auto)
            .await
            .unwrap_err();
        match err {
            Error::UpgradeRefused { status: 200, body } => {
                assert_eq!(body, "hello from the command")
            }
            other => panic!("{body}: unexpected {other:?}"),
        }
    }
    let started = Instant::now();
    let err = c
        .exec_start(start("endless", serde_json::json!({})), LogMode::Auto)
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(10), "bounded wait");
    match err {
        Error::UpgradeRefused { status: 200, body } => {
            assert_eq!(body.len(), 4096);
            assert!(body.starts_with("0123456789abcdef0123"), "{body}");
        }
        other => panic!("unexpected {other:?}"),
    }
    // The same 200 for a start sent with `Detach: true` is the detached start.
    let started = c
        .exec_start(
            start("small", serde_json::json!({ "Detach": true })),
            LogMode::Auto,
        )
        .await
        .unwrap();
    assert!(matches!(started, ExecStarted::Detached), "{started:?}");
    assert_eq!(fake.requests().len(), 4, "each start sent once");
}

#[tokio::test]
async fn a_daemon_closing_after_every_response_costs_no_failed_call() {
    // Answers the first request of each connection; a request arriving on a kept-alive
    // connection finds it closing (the race a real daemon's keep-alive timeout opens,
    // made certain here): read, then the connection closes without an answer.
    let fake = FakeDaemon::start(|req| {
        if req.index_on_connection > 0 {
            return vec![Action::Close];
        }
        vec![Action::Write(http_response(
            200,
            &[("Content-Type", "application/json")],
            b"{\"ok\":true}",
        ))]
    })
    .unwrap();
    let c = pinned(&fake).await;
    let mut failures = Vec::new();
    for i in 0..400 {
        if let Err(e) = c.send_json::<Value>(get("/info")).await {
            failures.push(format!("call {i}: {e:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failed: {:?}",
        failures.len(),
        failures.first()
    );
    let reused = fake
        .requests()
        .iter()
        .filter(|r| r.index_on_connection > 0)
        .count();
    assert!(reused > 0, "the pool never reused a connection");
    assert_eq!(
        c.retry_count(),
        reused as u64,
        "one replay per closed connection"
    );
    // A POST is not idempotent: it could not be replayed, so it is never risked on a
    // pooled connection of a daemon that has not kept one alive: each goes out once,
    // on a new connection, and succeeds.
    for i in 0..4 {
        if let Err(e) = c
            .send_unit(Request::new(HttpMethod::Post, "/containers/x/start"))
            .await
        {
            panic!("POST {i}: {e:?}");
        }
    }
    let posts: Vec<_> = fake
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST")
        .collect();
    assert_eq!(posts.len(), 4, "each POST sent once");
    assert!(
        posts.iter().all(|r| r.index_on_connection == 0),
        "{posts:?}"
    );
}

#[tokio::test]
async fn concurrent_calls_never_open_more_than_max_connections() {
    let fake = FakeDaemon::start(|_| {
        vec![
            Action::Sleep(Duration::from_millis(20)),
            Action::Write(http_response(
                200,
                &[("Content-Type", "application/json")],
                b"[]",
            )),
        ]
    })
    .unwrap();
    let c = Client::builder()
        .host(fake.host())
        .api_version(V)
        .max_connections(8)
        .build()
        .await
        .unwrap();
    let tasks: Vec<_> = (0..128)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move { c.send_json::<Value>(get("/containers/json")).await })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert!(
        fake.connections() <= 8,
        "{} connections",
        fake.connections()
    );
    assert_eq!(c.connection_count(), fake.connections() as u64);
    // A stream holds its connection: with one slot, a second call waits for it (and
    // times out here rather than opening a second connection).
    let c = Client::builder()
        .host(fake.host())
        .api_version(V)
        .max_connections(1)
        .request_timeout(Duration::from_millis(300))
        .build()
        .await
        .unwrap();
    let held = c.send_stream(get("/containers/x/export")).await.unwrap();
    let err = c.send_json::<Value>(get("/info")).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                phase: "waiting for a free connection",
                ..
            }
        ),
        "{err:?}"
    );
    drop(held);
    c.send_json::<Value>(get("/info")).await.unwrap();
}
