//! `cargo bench --bench proxy` (part of `cargo xtask bench`): `dockmatrix proxy`
//! against the daemon's own socket and against HAProxy configured the way
//! docker-socket-proxy configures it, all in front of one private dockerd:
//! sequential `GET /_ping`, 64 concurrent clients, and a container export
//! (1 GiB by default, `DOCKMATRIX_BENCH_EXPORT_MIB`) with the proxy's peak RSS.
//! `DOCKMATRIX_BENCH_PROXY_ARGS` adds arguments to the proxy under test (for
//! example `--jobs 1` for its single-threaded runtime).
//! Skipped (message printed) when no daemon can be started.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{handshake, SendRequest};
use hyper::Request;
use hyper_util::rt::TokioIo;
use tokio::net::UnixStream;

use dockmatrix_testkit::{busybox_rootfs_tar, Daemon};

const PINGS: usize = 4500;
const CLIENTS: usize = 64;
const PINGS_PER_CLIENT: usize = 50;

type Sender = SendRequest<Full<Bytes>>;

async fn connect(socket: &Path) -> Sender {
    let stream = UnixStream::connect(socket).await.expect("connect");
    let (sender, conn) = handshake(TokioIo::new(stream)).await.expect("handshake");
    tokio::spawn(conn);
    sender
}

async fn request(
    sender: &mut Sender,
    method: &str,
    path: &str,
    body: Bytes,
    ctype: &str,
) -> (u16, u64) {
    sender.ready().await.expect("ready");
    let req = Request::builder()
        .method(method)
        .uri(path)
        .header("host", "docker")
        .header("content-type", ctype)
        .body(Full::new(body))
        .expect("request");
    let resp = sender.send_request(req).await.expect("send");
    let status = resp.status().as_u16();
    let mut body = resp.into_body();
    let mut n = 0u64;
    while let Some(frame) = body.frame().await {
        if let Some(data) = frame.expect("body").data_ref() {
            n += data.len() as u64;
        }
    }
    (status, n)
}

async fn ping(sender: &mut Sender) {
    let (status, _) = request(sender, "GET", "/_ping", Bytes::new(), "text/plain").await;
    assert_eq!(status, 200);
}

/// Rounds of each measurement: the targets take turns within every round and
/// each reports its median round, so a machine that slows down or speeds up
/// during the run does not favour whichever target went first.
const ROUNDS: usize = 9;

async fn sequential(sender: &mut Sender, pings: usize) -> f64 {
    let t = Instant::now();
    for _ in 0..pings {
        ping(sender).await;
    }
    pings as f64 / t.elapsed().as_secs_f64()
}

async fn concurrent(senders: Vec<Sender>, per_client: usize) -> (f64, Vec<Sender>) {
    let n = senders.len();
    let t = Instant::now();
    let tasks: Vec<_> = senders
        .into_iter()
        .map(|mut s| {
            tokio::spawn(async move {
                for _ in 0..per_client {
                    ping(&mut s).await;
                }
                s
            })
        })
        .collect();
    let mut back = Vec::with_capacity(n);
    for task in tasks {
        back.push(task.await.expect("client task"));
    }
    ((n * per_client) as f64 / t.elapsed().as_secs_f64(), back)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or_default()
}

/// Sequential and concurrent ping rates of every target (medians over
/// [`ROUNDS`] interleaved rounds).
async fn ping_rates(targets: &[(&str, PathBuf)]) -> (Vec<f64>, Vec<f64>) {
    let mut single = Vec::new();
    let mut pools = Vec::new();
    for (_, socket) in targets {
        let mut s = connect(socket).await;
        for _ in 0..PINGS / 10 {
            ping(&mut s).await;
        }
        single.push(s);
        let mut pool = Vec::new();
        for _ in 0..CLIENTS {
            let mut s = connect(socket).await;
            ping(&mut s).await;
            pool.push(s);
        }
        pools.push(pool);
    }
    let mut seq = vec![Vec::new(); targets.len()];
    let mut conc = vec![Vec::new(); targets.len()];
    for _ in 0..ROUNDS {
        for (i, s) in single.iter_mut().enumerate() {
            seq[i].push(sequential(s, PINGS / ROUNDS).await);
        }
        for (i, pool) in pools.iter_mut().enumerate() {
            let (rate, back) = concurrent(std::mem::take(pool), PINGS_PER_CLIENT).await;
            conc[i].push(rate);
            *pool = back;
        }
    }
    (
        seq.into_iter().map(median).collect(),
        conc.into_iter().map(median).collect(),
    )
}

/// The highest VmRSS of `pid` while `work` runs (sampled every 20 ms), in MiB.
async fn rss_during<F: std::future::Future>(pid: u32, work: F) -> (F::Output, f64) {
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = done.clone();
    let sampler = std::thread::spawn(move || {
        let mut max = 0.0f64;
        while !flag.load(std::sync::atomic::Ordering::Relaxed) {
            max = max.max(status_mib(pid, "VmRSS:"));
            std::thread::sleep(Duration::from_millis(20));
        }
        max
    });
    let out = work.await;
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    (out, sampler.join().unwrap_or_default())
}

async fn export(socket: &Path, id: &str) -> (f64, u64) {
    let mut sender = connect(socket).await;
    let t = Instant::now();
    let (status, n) = request(
        &mut sender,
        "GET",
        &format!("/containers/{id}/export"),
        Bytes::new(),
        "text/plain",
    )
    .await;
    assert_eq!(status, 200);
    (n as f64 / t.elapsed().as_secs_f64() / (1024.0 * 1024.0), n)
}

/// Imports busybox and makes a stopped container holding a file of `mib` MiB.
async fn big_container(socket: &Path, mib: u64) -> String {
    let mut s = connect(socket).await;
    let tar = Bytes::from(busybox_rootfs_tar().expect("busybox tar"));
    let (status, _) = request(
        &mut s,
        "POST",
        "/images/create?fromSrc=-&repo=dmx-busybox&tag=latest",
        tar,
        "application/x-tar",
    )
    .await;
    assert_eq!(status, 200);
    let body = serde_json::json!({
        "Image": "dmx-busybox:latest",
        "Cmd": ["/bin/busybox", "dd", "if=/dev/zero", "of=/big", "bs=1048576", format!("count={mib}")],
    });
    let resp = {
        s.ready().await.expect("ready");
        let req = Request::builder()
            .method("POST")
            .uri("/containers/create")
            .header("host", "docker")
            .header("content-type", "application/json")
            .body(Full::new(Bytes::from(body.to_string())))
            .expect("request");
        s.send_request(req).await.expect("create")
    };
    let bytes = resp.into_body().collect().await.expect("body").to_bytes();
    let id = serde_json::from_slice::<serde_json::Value>(&bytes).expect("json")["Id"]
        .as_str()
        .expect("container id")
        .to_string();
    let (status, _) = request(
        &mut s,
        "POST",
        &format!("/containers/{id}/start"),
        Bytes::new(),
        "text/plain",
    )
    .await;
    assert_eq!(status, 204);
    let (status, _) = request(
        &mut s,
        "POST",
        &format!("/containers/{id}/wait"),
        Bytes::new(),
        "text/plain",
    )
    .await;
    assert_eq!(status, 200);
    id
}

fn wait_for(socket: &Path, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while std::os::unix::net::UnixStream::connect(socket).is_err() {
        assert!(Instant::now() < deadline, "{what} did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn start_proxy(dir: &Path, daemon: &Daemon) -> (Child, PathBuf) {
    let socket = dir.join("proxy.sock");
    let child = Command::new(env!("CARGO_BIN_EXE_dockmatrix"))
        .arg("proxy")
        .arg("--listen")
        .arg(format!("unix://{}", socket.display()))
        .arg("--upstream")
        .arg(daemon.host())
        .args(
            std::env::var("DOCKMATRIX_BENCH_PROXY_ARGS")
                .unwrap_or_default()
                .split_whitespace(),
        )
        .stderr(Stdio::null())
        .spawn()
        .expect("dockmatrix proxy");
    wait_for(&socket, "dockmatrix proxy");
    (child, socket)
}

/// HAProxy as docker-socket-proxy configures it (mode http, path ACLs with an
/// optional version prefix, deny by default), allowing what the bench calls.
fn start_haproxy(dir: &Path, daemon_socket: &str) -> Option<(Child, PathBuf)> {
    let socket = dir.join("haproxy.sock");
    let config = dir.join("haproxy.cfg");
    let text = format!(
        "global\n  maxconn 4000\n  log stdout format raw daemon warning\n\
defaults\n  mode http\n  timeout connect 10s\n  timeout client 10m\n  timeout server 10m\n  timeout tunnel 1h\n\
frontend dockerfrontend\n  bind unix@{sock}\n\
  http-request deny unless METH_GET || {{ env(POST) -m bool }}\n\
  http-request allow if {{ path,url_dec -m reg -i ^(/v[\\d\\.]+)?/_ping }}\n\
  http-request allow if {{ path,url_dec -m reg -i ^(/v[\\d\\.]+)?/containers }}\n\
  http-request deny\n  default_backend dockerbackend\n\
backend dockerbackend\n  server dockersocket unix@{daemon}\n",
        sock = socket.display(),
        daemon = daemon_socket,
    );
    std::fs::write(&config, text).ok()?;
    let child = Command::new("haproxy")
        .arg("-db")
        .arg("-f")
        .arg(&config)
        .env("POST", "0")
        .stdout(Stdio::null())
        .spawn()
        .ok()?;
    wait_for(&socket, "haproxy");
    Some((child, socket))
}

fn status_mib(pid: u32, key: &str) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kib| kib / 1024.0)
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let Some(daemon) = Daemon::start_or_skip("bench proxy") else {
        return;
    };
    let mib: u64 = std::env::var("DOCKMATRIX_BENCH_EXPORT_MIB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1024);
    let dir = tempfile::tempdir().expect("tempdir");
    let daemon_socket = PathBuf::from(daemon.host().trim_start_matches("unix://"));
    let (mut proxy, proxy_socket) = start_proxy(dir.path(), &daemon);
    let proxy_pid = proxy.id();
    let haproxy = start_haproxy(dir.path(), &daemon_socket.display().to_string());
    if haproxy.is_none() {
        println!("haproxy not available: its column is skipped");
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let mut targets: Vec<(&str, PathBuf)> = vec![
        ("direct", daemon_socket.clone()),
        ("dockmatrix proxy", proxy_socket),
    ];
    if let Some((_, s)) = &haproxy {
        targets.push(("haproxy", s.clone()));
    }
    runtime.block_on(async {
        let id = big_container(&daemon_socket, mib).await;
        println!(
            "{:<34} {:>14} {:>14} {:>14}",
            "", "direct", "dockmatrix", "haproxy"
        );
        let (seq, conc) = ping_rates(&targets).await;
        let mut exp = Vec::new();
        let mut export_rss = 0.0;
        for (name, socket) in &targets {
            let ((rate, n), rss) = rss_during(proxy_pid, export(socket, &id)).await;
            if *name == "dockmatrix proxy" {
                export_rss = rss;
            }
            assert!(n >= mib * 1024 * 1024, "export has the big file");
            exp.push(rate);
        }
        let row = |label: &str, values: &[f64], unit: &str| {
            let cells: Vec<String> = values.iter().map(|v| format!("{v:>10.0} {unit}")).collect();
            let ratio = values
                .get(1)
                .zip(values.first())
                .map_or(0.0, |(p, d)| p / d);
            println!("{label:<34} {}   proxy/direct {ratio:.2}", cells.join(" "));
        };
        row(
            &format!("sequential GET /_ping ({ROUNDS}×{})", PINGS / ROUNDS),
            &seq,
            "req/s",
        );
        row(
            &format!("{CLIENTS} clients × {PINGS_PER_CLIENT} GET /_ping ({ROUNDS}×)"),
            &conc,
            "req/s",
        );
        row(&format!("export {mib} MiB container"), &exp, "MiB/s");
        println!("dockmatrix proxy RSS during its export: at most {export_rss:.1} MiB");
    });
    println!(
        "dockmatrix proxy peak RSS over its life (the matrix embedded in the binary): {:.1} MiB",
        status_mib(proxy.id(), "VmHWM:")
    );
    if let Some((mut h, _)) = haproxy {
        let _ = h.kill();
        let _ = h.wait();
    }
    let _ = proxy.kill();
    let _ = proxy.wait();
}
