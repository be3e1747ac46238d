//! Private `dockerd` for integration tests and benchmarks.
//!
//! Each test starts its own daemon: dockerd starts in ~0.2 s here, and a shared daemon in a
//! `static` would never be dropped (Rust runs no destructors for statics), leaking
//! dockerd/containerd processes after the test binary exits. Per-test daemons also keep
//! tests independent (no shared containers/images/events).
//!
//! Needs root, `dockerd` on PATH and `/bin/busybox` (override: `DOCKMATRIX_BUSYBOX`).
//! If the daemon cannot start the test is skipped (reason printed) unless
//! `DOCKMATRIX_REQUIRE_DAEMON=1`, which turns the skip into a failure.
//! Never touches `/var/run/docker.sock`: the daemon listens on a socket in its temp dir.

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Image name:tag created by [`import_busybox`].
pub const BUSYBOX_IMAGE: &str = "dmx-busybox:latest";

/// A running private dockerd; stopped (SIGTERM, wait, SIGKILL fallback) and cleaned on drop.
pub struct Daemon {
    child: Option<Child>,
    dir: Option<tempfile::TempDir>,
    socket: PathBuf,
    tcp_port: Option<u16>,
    /// Time from spawn until `/_ping` answered.
    pub startup: Duration,
}

impl Daemon {
    /// Starts a daemon on a unix socket, or returns `None` (test skipped) with the reason printed.
    pub fn start_or_skip(test: &str) -> Option<Daemon> {
        Self::start_with_or_skip(test, false)
    }

    /// Like [`start_or_skip`](Self::start_or_skip); `tcp` also listens on a free 127.0.0.1 port
    /// (costs ~1 s more: dockerd pauses when binding TCP without TLS).
    pub fn start_with_or_skip(test: &str, tcp: bool) -> Option<Daemon> {
        Self::or_skip(test, Self::start(tcp))
    }

    /// Like [`start_or_skip`](Self::start_or_skip), also serving TLS with client
    /// verification on a free 127.0.0.1 port ([`tcp_host`](Self::tcp_host)).
    pub fn start_tls_or_skip(test: &str, certs: &crate::certs::TestCerts) -> Option<Daemon> {
        Self::or_skip(test, Self::spawn(true, &certs.dockerd_args()))
    }

    fn or_skip(test: &str, started: Result<Daemon, String>) -> Option<Daemon> {
        match started {
            Ok(d) => Some(d),
            Err(why) => {
                crate::require_or_skip(
                    crate::REQUIRE_DAEMON,
                    test,
                    &format!("cannot start dockerd: {why}"),
                );
                None
            }
        }
    }

    /// Starts the daemon.
    pub fn start(tcp: bool) -> Result<Daemon, String> {
        Self::spawn(tcp, &[])
    }

    fn spawn(tcp: bool, extra: &[String]) -> Result<Daemon, String> {
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            return Err("not running as root".into());
        }
        if Path::new("/run/containerd/containerd.sock").exists() {
            return Err("a system containerd is running; dockerd would attach to it instead of starting its own".into());
        }
        let dir = tempfile::Builder::new()
            .prefix("dmxd")
            .tempdir_in("/tmp")
            .map_err(|e| format!("tempdir: {e}"))?;
        let root = dir.path();
        let socket = root.join("docker.sock");
        let config = root.join("daemon.json");
        std::fs::write(&config, "{}").map_err(|e| format!("write config: {e}"))?;
        let log = std::fs::File::create(root.join("dockerd.log"))
            .map_err(|e| format!("log file: {e}"))?;
        let log2 = log.try_clone().map_err(|e| format!("log file: {e}"))?;
        let mut cmd = Command::new("dockerd");
        cmd.arg("--config-file")
            .arg(&config)
            .arg("--host")
            .arg(format!("unix://{}", socket.display()))
            .arg("--data-root")
            .arg(root.join("data"))
            .arg("--exec-root")
            .arg(root.join("exec"))
            .arg("--pidfile")
            .arg(root.join("docker.pid"))
            .args(DOCKERD_FLAGS)
            .args(extra);
        let tcp_port = if tcp {
            let port = free_port().map_err(|e| format!("free port: {e}"))?;
            cmd.arg("--host").arg(format!("tcp://127.0.0.1:{port}"));
            Some(port)
        } else {
            None
        };
        let started = Instant::now();
        let child = cmd
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log2)
            .spawn()
            .map_err(|e| format!("spawn dockerd: {e}"))?;
        let mut daemon = Daemon {
            child: Some(child),
            dir: Some(dir),
            socket,
            tcp_port,
            startup: Duration::ZERO,
        };
        let deadline = started + Duration::from_secs(30);
        loop {
            if ping(&daemon.socket) {
                daemon.startup = started.elapsed();
                return Ok(daemon);
            }
            if let Some(child) = daemon.child.as_mut() {
                if let Ok(Some(status)) = child.try_wait() {
                    return Err(format!(
                        "dockerd exited with {status}; log tail:\n{}",
                        daemon.log_tail()
                    ));
                }
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "no /_ping answer within 30 s; log tail:\n{}",
                    daemon.log_tail()
                ));
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// `DOCKER_HOST`-style address of the unix socket.
    pub fn host(&self) -> String {
        format!("unix://{}", self.socket.display())
    }

    /// `tcp://127.0.0.1:PORT` if started with TCP.
    pub fn tcp_host(&self) -> Option<String> {
        self.tcp_port.map(|p| format!("tcp://127.0.0.1:{p}"))
    }

    /// Last 40 lines of the daemon log.
    pub fn log_tail(&self) -> String {
        let Some(dir) = &self.dir else {
            return String::new();
        };
        let text = std::fs::read_to_string(dir.path().join("dockerd.log")).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines
            .get(lines.len().saturating_sub(40)..)
            .unwrap_or_default()
            .join("\n")
    }
}

/// Flags that make dockerd 20.10 start in this sandbox (no network setup, no overlayfs).
pub const DOCKERD_FLAGS: &[&str] = &[
    "--bridge=none",
    "--iptables=false",
    "--ip6tables=false",
    "--ip-masq=false",
    "--userland-proxy=false",
    "--storage-driver=vfs",
];

impl Drop for Daemon {
    fn drop(&mut self) {
        // dockerd leaves the kernel bridges of user-defined networks behind when
        // it stops; with its data root gone they would leak and, a few dozen
        // later, exhaust the address pools of every later daemon.
        let bridges = bridge_interfaces(&self.socket);
        if let Some(mut child) = self.child.take() {
            if let Ok(pid) = i32::try_from(child.id()) {
                // SAFETY: signalling our own child process by pid.
                unsafe { libc::kill(pid, libc::SIGTERM) };
            }
            let deadline = Instant::now() + Duration::from_secs(20);
            loop {
                match child.try_wait() {
                    Ok(Some(_)) => break,
                    Ok(None) if Instant::now() < deadline => {
                        std::thread::sleep(Duration::from_millis(50))
                    }
                    _ => {
                        let _ = child.kill();
                        let _ = child.wait();
                        break;
                    }
                }
            }
        }
        for bridge in bridges {
            let _ = Command::new("ip")
                .args(["link", "delete", &bridge])
                .stderr(Stdio::null())
                .status();
        }
        if let Some(dir) = self.dir.take() {
            let _ = dir.close();
        }
    }
}

/// The kernel interfaces of the daemon's bridge networks (`br-` and the first
/// 12 characters of the id, unless the network names its own).
fn bridge_interfaces(socket: &Path) -> Vec<String> {
    let Ok(mut s) = UnixStream::connect(socket) else {
        return Vec::new();
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
    if s.write_all(b"GET /networks HTTP/1.0\r\nHost: docker\r\n\r\n")
        .is_err()
    {
        return Vec::new();
    }
    let mut buf = String::new();
    let _ = s.read_to_string(&mut buf);
    let body = buf.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    let Ok(serde_json::Value::Array(networks)) = serde_json::from_str(body) else {
        return Vec::new();
    };
    networks
        .iter()
        .filter(|n| n["Driver"] == "bridge")
        .filter_map(
            |n| match n["Options"]["com.docker.network.bridge.name"].as_str() {
                Some(name) => Some(name.to_string()),
                None => n["Id"].as_str()?.get(..12).map(|id| format!("br-{id}")),
            },
        )
        .collect()
}

fn ping(socket: &Path) -> bool {
    let Ok(mut s) = UnixStream::connect(socket) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    if s.write_all(b"GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n")
        .is_err()
    {
        return false;
    }
    let mut buf = String::new();
    let _ = s.read_to_string(&mut buf);
    buf.starts_with("HTTP/1.0 200") || buf.starts_with("HTTP/1.1 200")
}

fn free_port() -> std::io::Result<u16> {
    let l = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(l.local_addr()?.port())
}

/// A rootfs tar: `/bin/busybox` (or `$DOCKMATRIX_BUSYBOX`) plus symlinks
/// `sh echo sleep cat true false` → busybox.
pub fn busybox_rootfs_tar() -> std::io::Result<Vec<u8>> {
    rootfs_tar(&["sh", "echo", "sleep", "cat", "true", "false"])
}

/// A rootfs tar with every applet busybox lists (`busybox --list`) linked in
/// `/bin`, `/tmp`, and a root user in `/etc/passwd`: enough for test suites
/// written against alpine or busybox images.
pub fn busybox_full_rootfs_tar() -> std::io::Result<Vec<u8>> {
    let src = busybox_path();
    let list = std::process::Command::new(&src).arg("--list").output()?;
    let text = String::from_utf8_lossy(&list.stdout).into_owned();
    let applets: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|a| !a.is_empty() && *a != "busybox")
        .collect();
    rootfs_tar(&applets)
}

fn busybox_path() -> String {
    std::env::var("DOCKMATRIX_BUSYBOX").unwrap_or_else(|_| "/bin/busybox".into())
}

fn rootfs_tar(applets: &[&str]) -> std::io::Result<Vec<u8>> {
    let src = busybox_path();
    let bin = std::fs::read(&src)
        .map_err(|e| std::io::Error::new(e.kind(), format!("read {src}: {e}")))?;
    let mut b = tar::Builder::new(Vec::new());
    for dir in ["bin/", "tmp/", "etc/"] {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(tar::EntryType::Directory);
        h.set_mode(if dir == "tmp/" { 0o1777 } else { 0o755 });
        h.set_size(0);
        b.append_data(&mut h, dir, std::io::empty())?;
    }
    let passwd = b"root:x:0:0:root:/root:/bin/sh\n";
    let mut h = tar::Header::new_gnu();
    h.set_mode(0o644);
    h.set_size(passwd.len() as u64);
    b.append_data(&mut h, "etc/passwd", passwd.as_slice())?;
    let mut h = tar::Header::new_gnu();
    h.set_mode(0o755);
    h.set_size(bin.len() as u64);
    b.append_data(&mut h, "bin/busybox", bin.as_slice())?;
    for name in applets {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(tar::EntryType::Symlink);
        h.set_mode(0o777);
        h.set_size(0);
        b.append_link(&mut h, format!("bin/{name}"), "busybox")?;
    }
    b.into_inner()
}

/// Imports [`busybox_rootfs_tar`] as [`BUSYBOX_IMAGE`] via
/// `POST /images/create?fromSrc=-&repo=dmx-busybox&tag=latest`; returns the JSON progress messages.
pub async fn import_busybox(
    client: &dockmatrix_runtime::Client,
) -> Result<Vec<serde_json::Value>, dockmatrix_runtime::Error> {
    use dockmatrix_runtime::{HttpMethod, Request};
    use futures_util::TryStreamExt;
    let req = Request::new(HttpMethod::Post, "/images/create")
        .query("fromSrc", "-")
        .query("repo", "dmx-busybox")
        .query("tag", "latest")
        .bytes_body(busybox_rootfs_tar()?, "application/x-tar");
    client
        .send_json_lines::<serde_json::Value>(req)
        .await?
        .try_collect()
        .await
}
