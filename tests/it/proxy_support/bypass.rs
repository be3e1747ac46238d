//! The bypass corpus: requests an allow-list must refuse, under the manifest
//! [`MANIFEST`] (with and without `--strict`), and requests it must let through.
//! `tests/proxy_decide.rs` runs every case against the pure decision;
//! `tests/proxy_bypass.rs` sends every refused one through a real proxy to a
//! real dockerd and checks that the daemon's state did not change.

/// The allow-list every case is judged by: pinned at 1.41, declared from 1.24.
pub const MANIFEST: &str = "\
consumer: {name: bypass-test, version: \"1\"}
client: {library: raw http, api_version: \"1.41\"}
minimum: {api: \"1.24\", source: test}
calls:
  - HEAD /_ping
  - GET /version
  - GET /containers/{id}/json
  - POST /containers/{id}/start
  - POST /exec/{id}/start
  - call: GET /containers/json
    query: [all]
  - call: POST /containers/create
    query: [name]
    body: [Image, Cmd, Labels, HostConfig.Memory, NetworkingConfig]
  - call: POST /networks/create
    body: [Name, \"IPAM.Config[].Subnet\"]
  - call: POST /images/create
    query: [fromImage, tag]
";

/// One request of the corpus.
#[derive(Debug, Clone)]
pub struct Case {
    /// What it tries.
    pub name: String,
    /// Judged under `--strict` (else without).
    pub strict: bool,
    /// Method as sent.
    pub method: &'static str,
    /// Request target (path and query) as sent.
    pub target: String,
    /// Extra headers.
    pub headers: Vec<(&'static str, String)>,
    /// The body.
    pub body: Vec<u8>,
    /// Sent chunked instead of with `Content-Length`.
    pub chunked: bool,
}

impl Case {
    fn new(name: impl Into<String>, strict: bool, method: &'static str, target: &str) -> Self {
        Self {
            name: name.into(),
            strict,
            method,
            target: target.to_string(),
            headers: Vec::new(),
            body: Vec::new(),
            chunked: false,
        }
    }

    fn json(mut self, body: &[u8]) -> Self {
        self.body = body.to_vec();
        self.headers
            .push(("Content-Type", "application/json".to_string()));
        self
    }

    fn raw_body(mut self, content_type: Option<&str>, body: &[u8]) -> Self {
        self.body = body.to_vec();
        if let Some(ct) = content_type {
            self.headers.push(("Content-Type", ct.to_string()));
        }
        self
    }

    fn chunked(mut self) -> Self {
        self.chunked = true;
        self
    }

    /// The header value a name has, if sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The request as bytes on the wire (one request, `Connection: close`).
    pub fn wire(&self) -> Vec<u8> {
        let mut out = format!(
            "{} {} HTTP/1.1\r\nHost: docker\r\n",
            self.method, self.target
        );
        for (name, value) in &self.headers {
            out.push_str(&format!("{name}: {value}\r\n"));
        }
        if self.chunked {
            out.push_str("Transfer-Encoding: chunked\r\n");
        } else if !self.body.is_empty() {
            out.push_str(&format!("Content-Length: {}\r\n", self.body.len()));
        }
        out.push_str("Connection: close\r\n\r\n");
        let mut bytes = out.into_bytes();
        if self.chunked {
            for piece in self.body.chunks(7) {
                bytes.extend(format!("{:x}\r\n", piece.len()).as_bytes());
                bytes.extend(piece);
                bytes.extend(b"\r\n");
            }
            bytes.extend(b"0\r\n\r\n");
        } else {
            bytes.extend(&self.body);
        }
        bytes
    }
}

/// Spellings of routes the manifest does not list.
pub const OTHER_ROUTES: &[(&str, &str)] = &[
    ("GET", "/volumes"),
    ("GET", "/volumes/"),
    ("GET", "//volumes"),
    ("GET", "/VOLUMES"),
    ("GET", "/Version"),
    ("GET", "/v1.41/volumes"),
    ("GET", "/v1.41//volumes/"),
    ("GET", "/%76olumes"),
    ("GET", "/version/../volumes"),
    ("GET", "/version/..%2Fvolumes"),
    ("GET", "/version%2F..%2Fvolumes"),
    ("GET", "/version/%2e%2e/volumes"),
    ("GET", "/./volumes"),
    ("GET", "/v1.41/../volumes"),
    ("GET", "/v1.24/version/../../volumes"),
    ("GET", "/v99.99/volumes"),
    ("GET", "/V1.41/version"),
    ("GET", "/v1.41.0/version"),
    ("GET", "/v1..41/version"),
    ("GET", "/version%3F/../volumes"),
    ("GET", "/version;/../volumes"),
    ("GET", "/containers/x/json/../../../volumes"),
    (
        "GET",
        "/containers/x%2F..%2F..%2Fjson/json/../../../volumes",
    ),
    ("GET", "/../version"),
    ("POST", "/version"),
    ("DELETE", "/containers/x/json"),
    ("get", "/version"),
    ("POST", "/containers/x/attach?stream=1&stdout=1"),
    ("POST", "/containers/x/kill"),
    ("DELETE", "/containers/bypass-target"),
    ("POST", "/containers/bypass-target/exec"),
    ("POST", "/containers/bypass-target/update"),
    ("POST", "/build"),
    ("POST", "/images/load"),
    ("PUT", "/containers/bypass-target/archive?path=/"),
    ("POST", "/volumes/create"),
    ("POST", "/containers/prune"),
    ("POST", "/grpc"),
    ("POST", "/session"),
    ("GET", "http://docker/volumes"),
    ("GET", "*"),
    ("OPTIONS", "*"),
    ("TRACE", "/version"),
    ("CONNECT", "docker:2375"),
];

/// Host-taking bodies for `POST /containers/{id}/start`, which lists no body
/// fields: dockerd below API 1.24 applies a start body as the host config.
const START_BODIES: &[&[u8]] = &[
    br#"{"Binds":["/:/hostroot:ro"]}"#,
    br#"{"Privileged":true}"#,
    br#"{"binds":["/:/hostroot"]}"#,
    br#"{"PRIVILEGED":true}"#,
    br#"{"HostConfig":{"Privileged":true}}"#,
    br#"{"Binds":null,"Privileged":true}"#,
    br#"{"CapAdd":["ALL"]}"#,
    br#"{"PidMode":"host"}"#,
    br#"{"Devices":[{"PathOnHost":"/dev/mem","PathInContainer":"/dev/mem"}]}"#,
    br#"{"Unknown":1,"Binds":["/:/h"]}"#,
    br#"[{"Binds":["/:/h"]}]"#,
    br#"{"Binds":["/:/h"]} trailing"#,
    br#"{"Binds":["/:/h"],}"#,
    br#"{"Priv\u0069leged":true}"#,
    b"{\"Privileged\":true}\x00",
];

/// Bodies of `POST /containers/create` that set what the manifest does not list.
const CREATE_BODIES: &[&[u8]] = &[
    br#"{"Image":"busybox","HostConfig":{"Privileged":true}}"#,
    br#"{"Image":"busybox","hostconfig":{"Privileged":true}}"#,
    br#"{"Image":"busybox","HOSTCONFIG":{"privileged":true}}"#,
    "{\"Image\":\"busybox\",\"Ho\u{17f}tConfig\":{\"Privileged\":true}}".as_bytes(),
    "{\"Image\":\"busybox\",\"HostConfig\":{\"Prıvileged\":true}}".as_bytes(),
    "{\"Image\":\"busybox\",\"HostConfig\":{\"\u{212a}ernelMemory\":1}}".as_bytes(),
    br#"{"Image":"busybox","HostConfig":{"Binds":["/:/hostroot"]}}"#,
    br#"{"Image":"busybox","HostConfig":{"Memory":1,"Binds":["/:/h"]}}"#,
    br#"{"Image":"busybox","HostConfig":{"Memory":1},"HostConfig":{"Privileged":true}}"#,
    br#"{"Image":"busybox","HostConfig":{"Memory":1},"hostConfig":{"Binds":["/:/h"]}}"#,
    br#"{"Image":"busybox","Image":"other"}"#,
    br#"{"Image":"busybox","image":"other"}"#,
    br#"{"Image":"busybox","HostConfig":{"Memory":1,"memory":2}}"#,
    br#"{"Image":"busybox","Unknown":1}"#,
    br#"{"Image":"busybox","HostConfig":{"NoSuchField":true}}"#,
    br#"{"Image":"busybox","HostConfig":{"Privileged":1e999}}"#,
    br#"{"Image":"busybox","HostConfi\u0067":{"Privileged":true}}"#,
    b"{\"Image\":\"busybox\",\"Host\xffConfig\":{\"Privileged\":true}}",
    br#"{"Image":"busybox","HostConfig\ud800":{"Privileged":true}}"#,
    br#"{"Image":"busybox"} {"HostConfig":{"Privileged":true}}"#,
    br#"{"Image":"busybox"}{"HostConfig":{"Privileged":true}}"#,
    br#"{"Image":"busybox", /* c */ "HostConfig":{"Privileged":true}}"#,
    br#"{"Image":"busybox","HostConfig":{"Privileged":true},}"#,
    "\u{feff}{\"Image\":\"busybox\",\"HostConfig\":{\"Privileged\":true}}".as_bytes(),
    br#"{'Image':'busybox','HostConfig':{'Privileged':true}}"#,
    br#"{"Image":"busybox","HostConfig":{"Privileged":tRue}}"#,
    br#"{"Image":"busybox","Labels":{"a":"b"},"Volumes":{"/h":{}}}"#,
    br#"{"Image":"busybox","NetworkingConfig":{"EndpointsConfig":{"host":{"IPAMConfig":{"IPv4Address":"10.0.0.9"}}}}}"#,
    br#"{"Image":"busybox","Env":["LD_PRELOAD=/x"]}"#,
    br#"{"Image":"busybox","User":"0"}"#,
];

/// Every request the allow-list must refuse.
pub fn refused() -> Vec<Case> {
    let mut cases = Vec::new();
    for strict in [false, true] {
        for (method, target) in OTHER_ROUTES {
            cases.push(Case::new(
                format!("route {method} {target}"),
                strict,
                method,
                target,
            ));
        }
    }
    // Versions outside the manifest's window (1.24–1.41).
    for target in [
        "/v1.23/containers/bypass-target/start",
        "/v1.12/containers/bypass-target/start",
        "/v1.0/containers/bypass-target/start",
        "/v1.42/containers/bypass-target/start",
        "/v1.23/containers/json?all=1",
        "/v1.19/version",
        "/v1.55/_ping",
    ] {
        let method = if target.contains("start") {
            "POST"
        } else {
            "GET"
        };
        cases.push(Case::new(
            format!("version {target}"),
            false,
            method,
            target,
        ));
    }
    cases.push(
        Case::new(
            "version: the start body of API 1.23",
            false,
            "POST",
            "/v1.23/containers/bypass-target/start",
        )
        .json(br#"{"Binds":["/:/hostroot:ro"]}"#),
    );
    // Bodies on a call that lists none, however they are labelled and framed.
    for strict in [false, true] {
        for (i, body) in START_BODIES.iter().enumerate() {
            for version in ["", "/v1.24", "/v1.41"] {
                let target = format!("{version}/containers/bypass-target/start");
                let name = format!("start body {i} at {target}");
                cases.push(Case::new(&name, strict, "POST", &target).json(body));
            }
            let target = "/containers/bypass-target/start";
            cases.push(
                Case::new(
                    format!("start body {i} as text/plain"),
                    strict,
                    "POST",
                    target,
                )
                .raw_body(Some("text/plain"), body),
            );
            cases.push(
                Case::new(
                    format!("start body {i} without a type"),
                    strict,
                    "POST",
                    target,
                )
                .raw_body(None, body),
            );
            cases.push(
                Case::new(format!("start body {i} chunked"), strict, "POST", target)
                    .json(body)
                    .chunked(),
            );
        }
    }
    cases.push(
        Case::new(
            "exec start that sets Detach",
            false,
            "POST",
            "/exec/nothing/start",
        )
        .json(br#"{"Detach":true,"Tty":false}"#),
    );
    // --strict: create bodies, under three labels.
    for (i, body) in CREATE_BODIES.iter().enumerate() {
        let target = "/v1.41/containers/create?name=bypass-created";
        cases.push(Case::new(format!("create body {i}"), true, "POST", target).json(body));
        cases.push(
            Case::new(
                format!("create body {i} as text/plain"),
                true,
                "POST",
                target,
            )
            .raw_body(Some("text/plain; charset=utf-8"), body),
        );
        cases.push(
            Case::new(format!("create body {i} chunked"), true, "POST", target)
                .json(body)
                .chunked(),
        );
    }
    let networks = [
        br#"{"Name":"bypass-net","Driver":"host"}"#.as_slice(),
        br#"{"Name":"bypass-net","IPAM":{"Config":[{"Subnet":"10.9.0.0/24","Gateway":"10.9.0.1"}]}}"#,
        br#"{"Name":"bypass-net","Internal":true}"#,
        br#"{"Name":"bypass-net","name":"other"}"#,
    ];
    for (i, body) in networks.iter().enumerate() {
        cases.push(
            Case::new(
                format!("network body {i}"),
                true,
                "POST",
                "/networks/create",
            )
            .json(body),
        );
    }
    // --strict: query parameters.
    for target in [
        "/containers/json?all=1&size=1",
        "/containers/json?all=1;size=1",
        "/containers/json?all=1&%73ize=1",
        "/containers/json?ALL=1",
        "/containers/json?all=1&filters=%7B%7D",
        "/containers/json?size",
        "/images/create?fromImage=busybox&fromSrc=-",
        "/images/create?fromImage=busybox&platform=linux",
        "/containers/create?name=x&platform=linux",
    ] {
        let method = if target.contains("json") {
            "GET"
        } else {
            "POST"
        };
        let mut case = Case::new(format!("query {target}"), true, method, target);
        if method == "POST" && target.contains("create?name") {
            case = case.json(br#"{"Image":"busybox"}"#);
        }
        cases.push(case);
    }
    // A form body is read by Go's ParseForm as query parameters.
    for strict in [false, true] {
        cases.push(
            Case::new(
                "form body on images/create",
                strict,
                "POST",
                "/images/create?fromImage=busybox",
            )
            .raw_body(
                Some("application/x-www-form-urlencoded"),
                b"fromSrc=-&repo=evil",
            ),
        );
        cases.push(
            Case::new(
                "form body on start",
                strict,
                "POST",
                "/containers/bypass-target/start",
            )
            .raw_body(
                Some("Application/X-WWW-Form-Urlencoded; charset=x"),
                b"Binds=/:/h",
            ),
        );
    }
    // Bodies over the limit cannot be judged.
    let mut big = br#"{"Image":"busybox","Labels":{"a":""#.to_vec();
    big.extend(std::iter::repeat_n(b'x', 1 << 21));
    big.extend(br#""}}"#);
    cases.push(Case::new("2 MiB create body", true, "POST", "/containers/create").json(&big));
    cases.push(
        Case::new(
            "2 MiB start body, chunked",
            false,
            "POST",
            "/containers/bypass-target/start",
        )
        .json(&big)
        .chunked(),
    );
    let mut deep = br#"{"Image":"busybox","Labels":"#.to_vec();
    deep.extend(std::iter::repeat_n(b'[', 5000));
    deep.extend(std::iter::repeat_n(b']', 5000));
    deep.push(b'}');
    cases.push(Case::new("deeply nested body", true, "POST", "/containers/create").json(&deep));
    cases
}

/// Requests that must pass: what real clients send.
pub fn allowed() -> Vec<Case> {
    let mut cases = Vec::new();
    for strict in [false, true] {
        cases.extend([
            Case::new("ping", strict, "HEAD", "/_ping"),
            Case::new("version", strict, "GET", "/version"),
            Case::new("versioned version", strict, "GET", "/v1.41/version"),
            Case::new("lowest version", strict, "GET", "/v1.24/version"),
            Case::new("list", strict, "GET", "/containers/json?all=1"),
            Case::new("start", strict, "POST", "/v1.41/containers/abc/start"),
            Case::new("start with {}", strict, "POST", "/containers/abc/start").json(b"{}"),
            Case::new("start with null", strict, "POST", "/containers/abc/start").json(b"null"),
            Case::new("CLI exec start", strict, "POST", "/v1.41/exec/abc/start")
                .json(br#"{"Detach":false,"Tty":false}"#),
            Case::new("create", strict, "POST", "/v1.41/containers/create?name=web").json(
                br#"{"Image":"busybox","Cmd":["true"],"Labels":{"any key":"v"},"HostConfig":{"Memory":4194304,"Privileged":false,"Binds":null},"NetworkingConfig":{"EndpointsConfig":{}},"Tty":false}"#,
            ),
            Case::new("create chunked", strict, "POST", "/containers/create")
                .json(br#"{"Image":"busybox","HostConfig":{"Memory":1}}"#)
                .chunked(),
            Case::new("network", strict, "POST", "/networks/create")
                .json(br#"{"Name":"n","IPAM":{"Config":[{"Subnet":"10.1.0.0/24"}]}}"#),
            Case::new("pull", strict, "POST", "/images/create?fromImage=busybox&tag=latest"),
        ]);
    }
    cases.push(
        Case::new(
            "unlisted field, not strict",
            false,
            "POST",
            "/containers/create",
        )
        .json(br#"{"Image":"busybox","HostConfig":{"Privileged":true}}"#),
    );
    cases.push(Case::new(
        "unlisted query, not strict",
        false,
        "GET",
        "/containers/json?all=1&size=1",
    ));
    cases
}
