//! `cargo bench -p dockmatrix-testkit --bench client`: the generated client against
//! bollard on the same private dockerd (sequential `GET /_ping` and
//! `GET /containers/json`, and 64 concurrent tasks listing containers, requests
//! per second), the cost of one version gate, a soak of create/start/wait/logs/
//! remove cycles (leaked containers, file descriptors, RSS), and one large log
//! streamed through the client (bytes and peak RSS). Sizes: `DOCKMATRIX_BENCH_CYCLES`
//! (default 1000) and `DOCKMATRIX_BENCH_LOG_MIB` (default 1024). Skipped (message
//! printed) when no daemon can be started.

use std::hint::black_box;
use std::time::{Duration, Instant};

use dockmatrix_client::containers::{
    ContainerDeleteOptions, ContainerListOptions, ContainerLogsOptions,
};
use dockmatrix_client::models::ContainerCreateBody;
use dockmatrix_client::runtime::{check_operation, check_parameter};
use dockmatrix_client::LogMode;
use dockmatrix_client::{gates, ApiVersion, Docker};
use dockmatrix_testkit::{import_busybox, Daemon, BUSYBOX_IMAGE};
use futures_util::StreamExt;

const PINGS: u32 = 3000;
const LISTS: u32 = 1000;
const CONTAINERS: usize = 20;
const TASKS: u32 = 64;
const PER_TASK: u32 = 40;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A line of `/proc/self/status` in MiB (`VmRSS:`, `VmHWM:`).
fn status_mib(key: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").map_or(0, |d| d.count())
}

/// Creates, starts, waits for, reads the logs of and removes one container.
async fn cycle(docker: &Docker, cmd: Vec<String>) -> usize {
    let body = ContainerCreateBody {
        image: Some(BUSYBOX_IMAGE.into()),
        cmd: Some(cmd),
        ..Default::default()
    };
    let id = docker.containers().create(&body).await.expect("create").id;
    let c = docker.containers();
    c.start(&id).await.expect("start");
    c.wait(&id).await.expect("wait");
    let mut logs = c
        .logs_with(
            &id,
            &ContainerLogsOptions::new()
                .stdout(true)
                .stderr(true)
                .mode(LogMode::Multiplexed),
        )
        .await
        .expect("logs");
    let mut bytes = 0;
    while let Some(frame) = logs.next().await {
        bytes += frame.expect("frame").data.len();
    }
    c.delete_with(&id, &ContainerDeleteOptions::new().force(true))
        .await
        .expect("remove");
    bytes
}

fn report(label: &str, n: u32, elapsed: Duration) {
    println!(
        "{label:<44} {n:>6} requests in {:>8.3} s = {:>8.0} req/s ({:>6.1} µs/req)",
        elapsed.as_secs_f64(),
        f64::from(n) / elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1e6 / f64::from(n)
    );
}

async fn time<F, Fut>(n: u32, mut f: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for _ in 0..n / 10 {
        f().await;
    }
    let t = Instant::now();
    for _ in 0..n {
        f().await;
    }
    t.elapsed()
}

fn gate_cost() {
    // The generated gates with the release known (20.10's code decides).
    let release = gates::RELEASES
        .iter()
        .enumerate()
        .find(|(_, r)| r.docker == "20.10");
    let v = dockmatrix_client::runtime::Gate {
        version: ApiVersion::new(1, 41),
        release,
    };
    const N: u32 = 20_000_000;
    let t = Instant::now();
    for _ in 0..N {
        let _ = black_box(check_operation(
            black_box(&gates::CONTAINER_LIST),
            black_box(v),
        ));
    }
    let op = t.elapsed();
    let t = Instant::now();
    for _ in 0..N {
        let _ = black_box(check_parameter(
            black_box(&gates::CONTAINER_LIST),
            black_box(&gates::CONTAINER_LIST_Q_FILTERS),
            black_box(v),
        ));
    }
    let param = t.elapsed();
    println!(
        "gate: check_operation {:.2} ns, check_parameter {:.2} ns (mean of {N})",
        op.as_secs_f64() * 1e9 / f64::from(N),
        param.as_secs_f64() * 1e9 / f64::from(N)
    );
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    gate_cost();
    let Some(d) = Daemon::start_or_skip("client bench") else {
        return;
    };
    let ours = Docker::connect(Docker::builder().host(d.host()))
        .await
        .expect("connect");
    let v = ours.api_version();
    let socket = d.host();
    let theirs = bollard::Docker::connect_with_unix(&socket, 120, bollard::API_DEFAULT_VERSION)
        .expect("bollard connect");
    import_busybox(ours.client()).await.expect("import");
    for _ in 0..CONTAINERS {
        let body = ContainerCreateBody {
            image: Some(BUSYBOX_IMAGE.into()),
            cmd: Some(vec!["true".into()]),
            ..Default::default()
        };
        ours.containers().create(&body).await.expect("create");
    }
    println!("daemon API {v}; {CONTAINERS} containers; unix socket; sequential requests");

    let e = time(PINGS, || async {
        ours.system().ping().await.expect("ping");
    })
    .await;
    report("dockmatrix-client GET /_ping", PINGS, e);
    let e = time(PINGS, || async {
        theirs.ping().await.expect("ping");
    })
    .await;
    report("bollard           GET /_ping", PINGS, e);

    let list = ContainerListOptions::new().all(true);
    let e = time(LISTS, || async {
        let l = ours.containers().list_with(&list).await.expect("list");
        assert_eq!(l.len(), CONTAINERS);
    })
    .await;
    report("dockmatrix-client GET /containers/json?all=1", LISTS, e);
    let e = time(LISTS, || async {
        let opts = bollard::query_parameters::ListContainersOptions {
            all: true,
            ..Default::default()
        };
        let l = theirs.list_containers(Some(opts)).await.expect("list");
        assert_eq!(l.len(), CONTAINERS);
    })
    .await;
    report("bollard           GET /containers/json?all=1", LISTS, e);

    // 64 concurrent tasks, each listing containers PER_TASK times.
    let t = Instant::now();
    let tasks = (0..TASKS).map(|_| async {
        for _ in 0..PER_TASK {
            let l = ours.containers().list_with(&list).await.expect("list");
            assert_eq!(l.len(), CONTAINERS);
        }
    });
    futures_util::future::join_all(tasks).await;
    report(
        "dockmatrix-client 64 concurrent list",
        TASKS * PER_TASK,
        t.elapsed(),
    );
    let t = Instant::now();
    let tasks = (0..TASKS).map(|_| async {
        for _ in 0..PER_TASK {
            let opts = bollard::query_parameters::ListContainersOptions {
                all: true,
                ..Default::default()
            };
            let l = theirs.list_containers(Some(opts)).await.expect("list");
            assert_eq!(l.len(), CONTAINERS);
        }
    });
    futures_util::future::join_all(tasks).await;
    report(
        "bollard           64 concurrent list",
        TASKS * PER_TASK,
        t.elapsed(),
    );

    // Soak: create/start/wait/logs/remove cycles.
    let cycles = env_number("DOCKMATRIX_BENCH_CYCLES", 1000);
    let before = (
        ours.containers()
            .list_with(&list)
            .await
            .expect("list")
            .len(),
        open_fds(),
        status_mib("VmRSS:"),
    );
    let t = Instant::now();
    let mut rss_mid = 0.0;
    for i in 0..cycles {
        let out = cycle(&ours, vec!["echo".into(), "hi".into()]).await;
        assert_eq!(out, 3, "echo hi");
        if i == cycles / 2 {
            rss_mid = status_mib("VmRSS:");
        }
    }
    let elapsed = t.elapsed();
    let after = (
        ours.containers()
            .list_with(&list)
            .await
            .expect("list")
            .len(),
        open_fds(),
        status_mib("VmRSS:"),
    );
    println!(
        "soak: {cycles} create/start/wait/logs/remove cycles in {:.1} s; containers {} → {} (leaked {}); open fds {} → {}; RSS {:.1} → {:.1} (half-way) → {:.1} MiB",
        elapsed.as_secs_f64(),
        before.0,
        after.0,
        after.0.saturating_sub(before.0),
        before.1,
        after.1,
        before.2,
        rss_mid,
        after.2
    );

    // One large log streamed through the client.
    let mib = env_number("DOCKMATRIX_BENCH_LOG_MIB", 1024);
    let line = "x".repeat(63);
    let script = format!("yes {line} | head -c {}", mib << 20);
    let t = Instant::now();
    let bytes = cycle(&ours, vec!["sh".into(), "-c".into(), script]).await;
    println!(
        "logs: {:.0} MiB streamed in {:.1} s; client peak RSS (VmHWM) {:.1} MiB",
        bytes as f64 / f64::from(1u32 << 20),
        t.elapsed().as_secs_f64(),
        status_mib("VmHWM:")
    );
}
