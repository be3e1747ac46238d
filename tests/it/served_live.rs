//! The reader against a live daemon: Debian's dockerd 20.10.24 (whose server
//! code differs from v20.10.27's only in `grpc.go`) routes exactly the
//! operations the reader extracts from v20.10.27. Side-effect-free requests
//! only (nonexistent ids, empty bodies, on a private daemon): a request that
//! reaches a handler answers anything but gorilla/mux's "page not found" (or
//! 405); operations other tags route and v20.10 does not get "page not found".

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::time::Duration;

use dockmatrix_testkit::Daemon;

/// Whether the daemon routes `METHOD path` (placeholders filled with a nonexistent id).
fn routed(socket: &str, method: &str, path: &str) -> bool {
    let target = fill(path);
    let mut stream = UnixStream::connect(socket).expect("daemon socket");
    stream
        .set_read_timeout(Some(Duration::from_secs(3)))
        .expect("timeout");
    let request = format!(
        "{method} /v1.41{target} HTTP/1.1\r\nHost: docker\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).expect("request sent");
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    // Streaming handlers (events) answer and keep the connection: a timeout after
    // the status line still tells.
    while let Ok(n) = stream.read(&mut buf) {
        if n == 0 || answer.len() > 64 * 1024 {
            break;
        }
        answer.extend_from_slice(&buf[..n]);
    }
    let text = String::from_utf8_lossy(&answer);
    let status = text.split_whitespace().nth(1).unwrap_or("");
    !(status == "405" || (status == "404" && text.contains("page not found")))
}

/// `/containers/{name}/json` → `/containers/dmx-nonexistent-0/json`.
fn fill(path: &str) -> String {
    path.split('/')
        .map(|s| {
            if s.starts_with('{') {
                "dmx-nonexistent-0"
            } else {
                s
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[test]
fn live_dockerd_20_10_routes_what_the_reader_extracts_from_v20_10_27() {
    let Some(d) = Daemon::start_or_skip("live_dockerd_20_10_routes_what_the_reader_extracts")
    else {
        return;
    };
    let socket = d.host().trim_start_matches("unix://").to_string();
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = dockmatrix_served::locate_in(&repo).expect("server corpus");
    let v20 = dockmatrix_served::read_tag(&dir.join("v20.10.27")).expect("v20.10.27 reads");
    let extracted: Vec<(String, String)> = v20
        .operations
        .iter()
        .filter(|o| o.method != "OPTIONS")
        .map(|o| (o.method.clone(), o.path.clone()))
        .collect();
    let not_routed: Vec<&(String, String)> = extracted
        .iter()
        .filter(|(m, p)| !routed(&socket, m, p))
        .collect();
    assert!(
        not_routed.is_empty(),
        "extracted but not routed: {not_routed:?}\n{}",
        d.log_tail()
    );
    // Operations other tags route that v20.10's code does not: the daemon does not either.
    let elsewhere = [
        ("GET", "/containers/ps"),
        ("GET", "/images/{name}/attestations"),
        ("POST", "/images/{name}/insert"),
        ("GET", "/no/such/route"),
    ];
    for (m, p) in elsewhere {
        assert!(
            !extracted.iter().any(|(em, ep)| em == m && ep == p),
            "{m} {p} is extracted from v20.10.27"
        );
        assert!(
            !routed(&socket, m, p),
            "{m} {p} is routed by the live daemon"
        );
    }
    assert!(extracted.len() >= 100, "{} operations", extracted.len());
}
