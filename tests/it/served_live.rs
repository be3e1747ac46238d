//! The reader against a live daemon: Debian's dockerd 20.10.24 (whose server
//! code differs from v20.10.27's only in `grpc.go`) routes exactly the
//! operations the reader extracts from v20.10.27. Side-effect-free requests
//! only (nonexistent ids, empty bodies, on a private daemon): a request that
//! reaches a handler answers anything but gorilla/mux's "page not found" (or
//! 405); operations other tags route and v20.10 does not get "page not found".
//! And three query parameters whose reads the reader finds inside version
//! conditions behave, at the two requested versions either side of the
//! condition, as the window it extracted predicts.

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::time::Duration;

use dockmatrix_core::version::ApiVersion;
use dockmatrix_testkit::Daemon;

/// One request on a fresh connection: the status and the whole answer as text
/// (at most 64 KiB; a streaming answer ends at a 3 s read timeout).
fn exchange(socket: &str, method: &str, target: &str, body: &[u8]) -> (u16, String) {
    let mut stream = UnixStream::connect(socket).expect("daemon socket");
    stream
        .set_read_timeout(Some(Duration::from_secs(3)))
        .expect("timeout");
    let mut request = format!(
        "{method} {target} HTTP/1.1\r\nHost: docker\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body);
    stream.write_all(&request).expect("request sent");
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
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, text)
}

/// Imports the busybox rootfs as `repo:latest` (the daemon has no registry).
fn import_busybox(socket: &str, repo: &str) {
    let tar = dockmatrix_testkit::busybox_rootfs_tar().expect("busybox");
    let mut import = format!(
        "POST /v1.41/images/create?fromSrc=-&repo={repo}&tag=latest HTTP/1.1\r\nHost: d\r\nContent-Type: application/x-tar\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        tar.len()
    )
    .into_bytes();
    import.extend(&tar);
    let mut stream = UnixStream::connect(socket).expect("daemon socket");
    stream.write_all(&import).expect("import sent");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("import answered");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

/// Whether the daemon routes `METHOD path` (placeholders filled with a nonexistent id).
fn routed(socket: &str, method: &str, path: &str) -> bool {
    let (status, text) = exchange(socket, method, &format!("/v1.41{}", fill(path)), b"");
    !(status == 405 || (status == 404 && text.contains("page not found")))
}

/// A gorilla/mux route template as a regex over a whole path: `{x:.*}` spans
/// slashes, `{x}` does not.
fn route_regex(route: &str) -> regex::Regex {
    let mut re = String::from("^");
    for (i, part) in route.split('{').enumerate() {
        if i == 0 {
            re.push_str(&regex::escape(part));
            continue;
        }
        let (var, rest) = part.split_once('}').unwrap_or((part, ""));
        re.push_str(match var.split_once(':') {
            Some((_, pattern)) => pattern,
            None => "[^/]+",
        });
        re.push_str(&regex::escape(rest));
    }
    re.push('$');
    regex::Regex::new(&re).expect("route regex")
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
    // Every operation another tag routes or a document lists that v20.10.27
    // does not extract is not routed by the live daemon either, unless one of
    // v20.10's own patterns (gorilla/mux `{name:.*}` spans slashes) matches it.
    let patterns: Vec<(String, regex::Regex)> = v20
        .operations
        .iter()
        .map(|o| (o.method.clone(), route_regex(&o.route)))
        .collect();
    let all = dockmatrix_served::read_corpus(&dir).expect("corpus reads");
    let mut others: Vec<(String, String)> = all
        .tags
        .iter()
        .flat_map(|t| t.operations.iter())
        .filter(|o| o.method != "OPTIONS")
        .map(|o| (o.method.clone(), o.path.clone()))
        .collect();
    let matrix = dockmatrix_core::analysis::snapshot::decode(
        &std::fs::read(repo.join("generated/data/matrix.bin")).expect("matrix.bin"),
    )
    .expect("matrix decodes");
    others.extend(
        matrix
            .operations
            .iter()
            .map(|o| (o.method.clone(), o.path.clone())),
    );
    others.sort();
    others.dedup();
    let canonical = |m: &str, p: &str| dockmatrix_core::model::OpKey::new(m, p);
    let extracted_keys: Vec<_> = extracted.iter().map(|(m, p)| canonical(m, p)).collect();
    let mut probed = 0;
    for (m, p) in &others {
        if extracted_keys.contains(&canonical(m, p)) {
            continue;
        }
        let filled = fill(p);
        if patterns
            .iter()
            .any(|(pm, re)| pm == m && re.is_match(&filled))
        {
            continue;
        }
        assert!(
            !routed(&socket, m, p),
            "{m} {p} is routed by the live daemon"
        );
        probed += 1;
    }
    assert!(probed >= 5, "{probed} operations probed");
    // v20.10.27's version middleware refuses versions above its own; so does the daemon.
    assert!(v20.api.max_enforced.is_some());
    let (status, text) = exchange(&socket, "GET", "/v1.99/_ping", b"");
    assert!(status == 400 && text.contains("is too new"), "{text}");
}

/// The window in which v20.10.27's handler for `METHOD path` reads `param`, as
/// the reader extracts it, and the two requested versions either side of its
/// one bound: (read at, not read at).
fn either_side(
    v20: &dockmatrix_served::TagFacts,
    method: &str,
    path: &str,
    param: &str,
) -> (ApiVersion, ApiVersion) {
    let op = v20
        .operations
        .iter()
        .find(|o| o.method == method && o.path == path)
        .unwrap_or_else(|| panic!("{method} {path} is extracted"));
    let read = op
        .params
        .iter()
        .find(|p| p.name == param)
        .unwrap_or_else(|| panic!("{method} {path} reads {param}"));
    let w = read.window;
    assert!(!w.unresolved, "{param}: {w}");
    let before = |v: ApiVersion| ApiVersion::new(v.major, v.minor - 1);
    match (w.versions.since, w.versions.until) {
        (Some(since), None) => (since, before(since)),
        (None, Some(until)) => (before(until), until),
        other => panic!("{method} {path} ?{param}: expected one bound, got {other:?}"),
    }
}

#[test]
fn live_dockerd_20_10_honours_version_gated_parameters_where_the_reader_says() {
    let Some(d) = Daemon::start_or_skip("live_dockerd_20_10_honours_version_gated_parameters")
    else {
        return;
    };
    let socket = d.host().trim_start_matches("unix://").to_string();
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = dockmatrix_served::locate_in(&repo).expect("server corpus");
    let v20 = dockmatrix_served::read_tag(&dir.join("v20.10.27")).expect("v20.10.27 reads");

    // 1. `filter` of the image list, read only below 1.41 (the documents drop it
    // at 1.25): with one image present, a filter that matches nothing empties
    // the list where it is read and is ignored where it is not.
    import_busybox(&socket, "dmx-gated");
    let (read_at, ignored_at) = either_side(&v20, "GET", "/images/json", "filter");
    let list = |v: ApiVersion, filter: &str| {
        let (status, text) = exchange(
            &socket,
            "GET",
            &format!("/v{v}/images/json?filter={filter}"),
            b"",
        );
        assert_eq!(status, 200, "{text}");
        text.contains("dmx-gated:latest")
    };
    assert!(
        list(read_at, "dmx-gated"),
        "control: the filter matches at {read_at}"
    );
    assert!(!list(read_at, "dmx-nothing"), "filter read at {read_at}");
    assert!(
        list(ignored_at, "dmx-nothing"),
        "filter ignored at {ignored_at}"
    );

    // 2 and 3. `platform` of container create and image create, read only from
    // 1.41 and 1.32: an unparsable platform is refused where it is read and
    // ignored where it is not (the request then fails on the missing image or
    // the unreachable registry instead).
    let cases = [
        (
            "/containers/create",
            "?platform=bogus%21%21",
            br#"{"Image":"dmx-nonexistent-image"}"#.as_slice(),
            "dmx-nonexistent-image",
        ),
        (
            "/images/create",
            "?fromImage=127.0.0.1%3A9%2Fdmx-nonexistent&tag=latest&platform=bogus%21%21",
            b"".as_slice(),
            "127.0.0.1:9",
        ),
    ];
    for (path, query, body, instead) in cases {
        let (read_at, ignored_at) = either_side(&v20, "POST", path, "platform");
        let (status, text) = exchange(&socket, "POST", &format!("/v{read_at}{path}{query}"), body);
        assert!(
            status >= 400 && text.contains("bogus!!"),
            "{path} at {read_at} reads platform: {text}"
        );
        let (_, text) = exchange(
            &socket,
            "POST",
            &format!("/v{ignored_at}{path}{query}"),
            body,
        );
        assert!(
            !text.contains("bogus!!") && text.contains(instead),
            "{path} at {ignored_at} ignores platform: {text}"
        );
    }
}

/// What v20.10.27's reader says about a read of `GET /containers/json`:
/// whether the daemon uses the value (`None`: effect not shown).
fn honoured(v20: &dockmatrix_served::TagFacts, param: &str) -> Option<bool> {
    let op = v20
        .operations
        .iter()
        .find(|o| o.method == "GET" && o.path == "/containers/json")
        .expect("GET /containers/json extracted");
    let read = op
        .params
        .iter()
        .find(|p| p.name == param)
        .unwrap_or_else(|| panic!("?{param} read"));
    read.honoured.as_ref().map(|h| h.honoured)
}

#[test]
fn live_dockerd_20_10_ignores_the_reads_the_reader_finds_unused_and_follows_its_daemon_gates() {
    let Some(d) =
        Daemon::start_or_skip("live_dockerd_20_10_ignores_the_reads_the_reader_finds_unused")
    else {
        return;
    };
    let socket = d.host().trim_start_matches("unix://").to_string();
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = dockmatrix_served::locate_in(&repo).expect("server corpus");
    let v20 = dockmatrix_served::read_tag(&dir.join("v20.10.27")).expect("v20.10.27 reads");
    assert_eq!(honoured(&v20, "all"), Some(true));
    assert_eq!(honoured(&v20, "since"), Some(false));
    assert_eq!(honoured(&v20, "before"), Some(false));

    import_busybox(&socket, "dmx-list");
    let mut ids = Vec::new();
    for name in ["dmx-first", "dmx-second"] {
        let (status, text) = exchange(
            &socket,
            "POST",
            &format!("/v1.41/containers/create?name={name}"),
            br#"{"Image":"dmx-list","Cmd":["true"]}"#,
        );
        assert_eq!(status, 201, "{text}");
        let body = &text[text.find("\r\n\r\n").expect("body") + 4..];
        let id = body
            .split("\"Id\":\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("Id")
            .to_string();
        ids.push(id);
    }
    let names = |query: &str| -> (bool, bool) {
        let (status, text) = exchange(
            &socket,
            "GET",
            &format!("/v1.41/containers/json?{query}"),
            b"",
        );
        assert_eq!(status, 200, "{text}");
        (text.contains("/dmx-first"), text.contains("/dmx-second"))
    };
    // `all` is honoured: created containers are listed only with it.
    assert_eq!(names(""), (false, false));
    assert_eq!(names("all=1"), (true, true));
    // The `since`/`before` filters are honoured (control)…
    let filter =
        |key: &str, id: &str| format!("all=1&filters=%7B%22{key}%22%3A%5B%22{id}%22%5D%7D");
    assert_eq!(names(&filter("since", &ids[0])), (false, true));
    assert_eq!(names(&filter("before", &ids[1])), (true, false));
    // …the query parameters of the same names are read and ignored.
    assert_eq!(names(&format!("all=1&since={}", ids[0])), (true, true));
    assert_eq!(names(&format!("all=1&before={}", ids[1])), (true, true));

    // A daemon-side gate: v20.10.27's daemon/inspect.go answers requests below
    // the version its `LessThan` names in the pre-1.20 shape (`VolumesRW`).
    let gate = v20
        .daemon_gates
        .iter()
        .find(|g| g.function == "ContainerInspect" && g.condition.contains("LessThan"))
        .expect("the inspect gate");
    let until = gate.window.versions.until.expect("an upper bound");
    let below = ApiVersion::new(until.major, until.minor - 1);
    let inspect = |v: ApiVersion| {
        let (status, text) = exchange(
            &socket,
            "GET",
            &format!("/v{v}/containers/{}/json", ids[0]),
            b"",
        );
        assert_eq!(status, 200, "{text}");
        text.contains("\"VolumesRW\"")
    };
    assert!(inspect(below), "pre-{until} shape at {below}");
    assert!(!inspect(until), "current shape at {until}");
}
