//! Shared helpers of the proxy tests: a `dockmatrix proxy` process in front of a
//! private daemon, and the real Docker CLI pointed at it.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use dockmatrix_testkit::busybox_rootfs_tar;

pub mod bypass;

/// The real spec corpus, found as the command line finds it (`corpus::locate_in`).
pub fn corpus_dir() -> PathBuf {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    match dockmatrix_core::corpus::locate_in(repo) {
        Ok(found) => found.dir,
        Err(e) => panic!("{e}"),
    }
}

/// A running `dockmatrix proxy`; SIGTERM and wait on drop.
pub struct ProxyProcess {
    child: Option<Child>,
    /// Its listening socket.
    pub socket: PathBuf,
    log: PathBuf,
}

impl ProxyProcess {
    /// Starts `dockmatrix proxy --listen unix://DIR/NAME.sock --upstream UPSTREAM ARGS…`
    /// and waits until it accepts connections.
    pub fn start(dir: &Path, name: &str, upstream: &str, args: &[&str]) -> Self {
        let socket = dir.join(format!("{name}.sock"));
        let listen = format!("unix://{}", socket.display());
        let mut all = vec!["--listen", &listen, "--upstream", upstream];
        all.extend_from_slice(args);
        Self::spawn(dir, name, socket.clone(), &all)
    }

    /// Starts `dockmatrix proxy --config CONFIG` (log in DIR/NAME.log) and waits
    /// until `socket`, one of its listeners, accepts connections.
    pub fn with_config(dir: &Path, name: &str, config: &Path, socket: &Path) -> Self {
        let config = config.display().to_string();
        Self::spawn(dir, name, socket.to_path_buf(), &["--config", &config])
    }

    fn spawn(dir: &Path, name: &str, socket: PathBuf, args: &[&str]) -> Self {
        let log = dir.join(format!("{name}.log"));
        let child = Command::new(env!("CARGO_BIN_EXE_dockmatrix"))
            .arg("proxy")
            .arg("--specs")
            .arg(corpus_dir())
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        let mut proxy = Self {
            child: Some(child),
            socket,
            log,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while UnixStream::connect(&proxy.socket).is_err() {
            if let Some(status) = proxy.child.as_mut().and_then(|c| c.try_wait().unwrap()) {
                panic!("proxy exited early ({status}): {}", proxy.log_text());
            }
            assert!(
                Instant::now() < deadline,
                "proxy did not start: {}",
                proxy.log_text()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        proxy
    }

    /// `unix://…` of the proxy.
    pub fn host(&self) -> String {
        format!("unix://{}", self.socket.display())
    }

    /// Everything the proxy logged so far.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Stops the proxy with SIGTERM; returns its exit status and log.
    pub fn stop(mut self) -> (std::process::ExitStatus, String) {
        let status = self.terminate();
        (status, self.log_text())
    }

    fn terminate(&mut self) -> std::process::ExitStatus {
        let mut child = self.child.take().unwrap();
        // SAFETY: signalling our own child process by pid.
        unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                return status;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                return child.wait().unwrap();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for ProxyProcess {
    fn drop(&mut self) {
        if self.child.is_some() {
            self.terminate();
        }
    }
}

/// The Docker CLI pointed at `host`, with its own config directory.
pub struct Cli {
    host: String,
    config: PathBuf,
    api_version: Option<String>,
}

/// What one CLI run did.
#[derive(Debug)]
pub struct CliRun {
    /// Exit status success.
    pub ok: bool,
    /// Stdout.
    pub stdout: String,
    /// Stderr.
    pub stderr: String,
}

impl Cli {
    /// A CLI for `host` whose config lives under `dir`.
    pub fn new(host: &str, dir: &Path) -> Self {
        let config = dir.join("docker-config");
        std::fs::create_dir_all(&config).unwrap();
        Self {
            host: host.to_string(),
            config,
            api_version: None,
        }
    }

    /// The same CLI pinned at `version` (`DOCKER_API_VERSION`).
    pub fn pinned(&self, version: &str) -> Self {
        Self {
            host: self.host.clone(),
            config: self.config.clone(),
            api_version: Some(version.to_string()),
        }
    }

    /// Runs `docker ARGS` with `stdin`; no timeout of its own beyond the session's.
    pub fn run_with_input(&self, args: &[&str], stdin: &[u8]) -> CliRun {
        let mut command = Command::new(docker_cli());
        match &self.api_version {
            Some(v) => command.env("DOCKER_API_VERSION", v),
            None => command.env_remove("DOCKER_API_VERSION"),
        };
        let mut child = command
            .arg("-H")
            .arg(&self.host)
            .args(args)
            .env("DOCKER_CONFIG", &self.config)
            .env_remove("DOCKER_CONTEXT")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("docker CLI on PATH");
        let mut input = child.stdin.take().unwrap();
        input.write_all(stdin).unwrap();
        drop(input);
        let out: Output = child.wait_with_output().unwrap();
        CliRun {
            ok: out.status.success(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Runs `docker ARGS` with empty stdin.
    pub fn run(&self, args: &[&str]) -> CliRun {
        self.run_with_input(args, b"")
    }

    /// Runs `docker ARGS` and asserts success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let run = self.run(args);
        assert!(run.ok, "docker {args:?} failed: {}", run.stderr);
        run.stdout
    }
}

/// The Docker CLI: `$DOCKMATRIX_DOCKER_CLI`, else Debian's (`/usr/bin/docker`,
/// package docker.io) when installed, else `docker` on PATH.
pub fn docker_cli() -> PathBuf {
    if let Some(cli) = std::env::var_os("DOCKMATRIX_DOCKER_CLI").filter(|c| !c.is_empty()) {
        return PathBuf::from(cli);
    }
    let debian = Path::new("/usr/bin/docker");
    if debian.is_file() {
        return debian.to_path_buf();
    }
    PathBuf::from("docker")
}

/// Writes the busybox rootfs tar into `dir` and returns its path.
pub fn busybox_tar(dir: &Path) -> PathBuf {
    let path = dir.join("busybox-rootfs.tar");
    std::fs::write(&path, busybox_rootfs_tar().unwrap()).unwrap();
    path
}

/// Runs the `dockmatrix` binary on the real corpus.
pub fn dockmatrix(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dockmatrix"))
        .arg("--specs")
        .arg(corpus_dir())
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The Python with docker-py: `$DOCKMATRIX_PYTHON`, else the virtualenv `.ci/run`
/// creates at target/pyvenv; `None` (test skipped) without it, unless required.
pub fn docker_py_python() -> Option<PathBuf> {
    let python = std::env::var_os("DOCKMATRIX_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/pyvenv/bin/python"));
    let has_docker_py = Command::new(&python)
        .args(["-c", "import docker"])
        .output()
        .is_ok_and(|o| o.status.success());
    if has_docker_py {
        return Some(python);
    }
    let why = format!(
        "{} cannot import docker (run .ci/run or create the venv)",
        python.display()
    );
    dockmatrix_testkit::require_or_skip(dockmatrix_testkit::REQUIRE_DAEMON, "docker-py test", &why);
    None
}

/// One raw HTTP/1.1 request: status, lower-cased headers and body.
pub fn raw(socket: &Path, method: &str, path: &str, body: Option<&str>) -> (u16, String, String) {
    let mut s = UnixStream::connect(socket).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let payload = body.unwrap_or("");
    let content = if body.is_some() {
        format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            payload.len()
        )
    } else {
        String::new()
    };
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: docker\r\n{content}Connection: close\r\n\r\n{payload}"
    )
    .unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, head.to_ascii_lowercase(), body.to_string())
}
