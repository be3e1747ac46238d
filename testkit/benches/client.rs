//! `cargo bench -p dockmatrix-testkit --bench client`: the generated client against
//! bollard on the same private dockerd (sequential `GET /_ping` and
//! `GET /containers/json`, requests per second), plus the cost of one version gate.
//! Skipped (message printed) when no daemon can be started.

use std::hint::black_box;
use std::time::{Duration, Instant};

use dockmatrix_client::containers::{ContainerCreateOptions, ContainerListOptions};
use dockmatrix_client::models::ContainerCreateBody;
use dockmatrix_client::runtime::{check_operation, check_parameter};
use dockmatrix_client::system::SystemPingOptions;
use dockmatrix_client::{gates, ApiVersion, Docker};
use dockmatrix_testkit::{import_busybox, Daemon, BUSYBOX_IMAGE};

const PINGS: u32 = 3000;
const LISTS: u32 = 1000;
const CONTAINERS: usize = 20;

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
    let v = ApiVersion::new(1, 41);
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
        ours.containers()
            .create(&ContainerCreateOptions::new(), &body)
            .await
            .expect("create");
    }
    println!("daemon API {v}; {CONTAINERS} containers; unix socket; sequential requests");

    let ping = SystemPingOptions::new();
    let e = time(PINGS, || async {
        ours.system().ping(&ping).await.expect("ping");
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
        let l = ours.containers().list(&list).await.expect("list");
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
}
