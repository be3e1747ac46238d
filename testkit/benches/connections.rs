//! `cargo bench -p dockmatrix-testkit --bench connections`: the runtime's client against
//! bollard 0.21 on two TCP servers with awkward connection policies (no daemon needed),
//! interleaved in the same run (each round runs both, alternating which goes first):
//!
//! - churn: the server answers one request per connection and closes it, silently (no
//!   `Connection: close`); 200 sequential `POST /containers/x/start`: failures and time.
//! - limited: keep-alive, at most 10 connections served at once, idle ones closed after
//!   2 s; 1000 sequential `GET /_ping` with pauses of 2.5 s (not timed) after 250, 500 and
//!   750 requests: failures, time and the worst single request.
//!
//! Prints each round, the medians, and the machine load (`uptime`) before and after.
//! Rounds: `DOCKMATRIX_BENCH_ROUNDS` (default 5 churn, 3 limited).

use std::time::{Duration, Instant};

use dockmatrix_runtime::{ApiVersion, Client, HttpMethod, Request};
use dockmatrix_testkit::servers::{Policy, PolicyServer};

const CHURN_POSTS: usize = 200;
const LIMITED_GETS: usize = 1000;
const PAUSE_AT: [usize; 3] = [250, 500, 750];
const PAUSE: Duration = Duration::from_millis(2500);

fn uptime() -> String {
    std::process::Command::new("uptime")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|e| format!("uptime: {e}"))
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        return 0.0;
    }
    v[v.len() / 2]
}

#[derive(Default)]
struct Run {
    failures: usize,
    busy: Duration,
    worst: Duration,
}

async fn ours(host: &str) -> Client {
    Client::builder()
        .host(host)
        .api_version(ApiVersion::new(1, 41))
        .build()
        .await
        .expect("client")
}

fn theirs(host: &str) -> bollard::Docker {
    bollard::Docker::connect_with_http(host, 120, bollard::API_DEFAULT_VERSION)
        .expect("bollard connect")
}

/// Runs `n` sequential calls of `call`, pausing (untimed) at `pauses`.
async fn drive<F, Fut>(n: usize, pauses: &[usize], mut call: F) -> Run
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let mut run = Run::default();
    for i in 0..n {
        if pauses.contains(&i) {
            tokio::time::sleep(PAUSE).await;
        }
        let t = Instant::now();
        let ok = call().await;
        let took = t.elapsed();
        run.busy += took;
        run.worst = run.worst.max(took);
        if !ok {
            run.failures += 1;
        }
    }
    run
}

async fn churn_ours(host: &str) -> Run {
    let c = ours(host).await;
    drive(CHURN_POSTS, &[], || {
        let c = c.clone();
        async move {
            let req =
                Request::new(HttpMethod::Post, "/containers/{id}/start").path_param("id", "x");
            c.send_unit(req).await.is_ok()
        }
    })
    .await
}

async fn churn_bollard(host: &str) -> Run {
    let d = theirs(host);
    drive(CHURN_POSTS, &[], || {
        let d = d.clone();
        async move {
            d.start_container(
                "x",
                None::<bollard::query_parameters::StartContainerOptions>,
            )
            .await
            .is_ok()
        }
    })
    .await
}

async fn limited_ours(host: &str) -> Run {
    let c = ours(host).await;
    drive(LIMITED_GETS, &PAUSE_AT, || {
        let c = c.clone();
        async move {
            c.send_bytes(Request::new(HttpMethod::Get, "/_ping").unversioned())
                .await
                .is_ok()
        }
    })
    .await
}

async fn limited_bollard(host: &str) -> Run {
    let d = theirs(host);
    drive(LIMITED_GETS, &PAUSE_AT, || {
        let d = d.clone();
        async move { d.ping().await.is_ok() }
    })
    .await
}

fn line(name: &str, r: &Run, conns: usize) {
    println!(
        "  {name:<26} failures {:>4}  time {:>9.1} ms  worst {:>8.2} ms  server connections {conns}",
        r.failures,
        r.busy.as_secs_f64() * 1e3,
        r.worst.as_secs_f64() * 1e3
    );
}

struct Medians {
    failures: Vec<f64>,
    ms: Vec<f64>,
    worst: Vec<f64>,
}

impl Medians {
    fn new() -> Self {
        Medians {
            failures: Vec::new(),
            ms: Vec::new(),
            worst: Vec::new(),
        }
    }
    fn push(&mut self, r: &Run) {
        self.failures.push(r.failures as f64);
        self.ms.push(r.busy.as_secs_f64() * 1e3);
        self.worst.push(r.worst.as_secs_f64() * 1e3);
    }
    fn print(self, name: &str) {
        println!(
            "median {name:<26} failures {:>4}  time {:>9.1} ms  worst {:>8.2} ms",
            median(self.failures),
            median(self.ms),
            median(self.worst)
        );
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let rounds = std::env::var("DOCKMATRIX_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok());
    println!("load before: {}", uptime());

    let churn_rounds = rounds.unwrap_or(5);
    println!("churn: {CHURN_POSTS} sequential POSTs, server closes after every response (silently), {churn_rounds} rounds");
    let (mut m_ours, mut m_theirs) = (Medians::new(), Medians::new());
    for round in 0..churn_rounds {
        for first_ours in [round % 2 == 0, round % 2 != 0] {
            let server = PolicyServer::start(Policy::Churn { announce: false }).expect("server");
            if first_ours {
                let r = churn_ours(&server.host()).await;
                line("dockmatrix-runtime", &r, server.connections());
                m_ours.push(&r);
            } else {
                let r = churn_bollard(&server.host()).await;
                line("bollard", &r, server.connections());
                m_theirs.push(&r);
            }
        }
    }
    m_ours.print("dockmatrix-runtime");
    m_theirs.print("bollard");

    let limited_rounds = rounds.unwrap_or(3);
    println!(
        "limited: {LIMITED_GETS} sequential GET /_ping, server keeps ≤ 10 connections, closes idle ones after 2 s; pauses of {PAUSE:?} (untimed) at {PAUSE_AT:?}; {limited_rounds} rounds"
    );
    let (mut m_ours, mut m_theirs) = (Medians::new(), Medians::new());
    for round in 0..limited_rounds {
        for first_ours in [round % 2 == 0, round % 2 != 0] {
            let server = PolicyServer::start(Policy::Limited {
                max_open: 10,
                idle: Duration::from_secs(2),
            })
            .expect("server");
            if first_ours {
                let r = limited_ours(&server.host()).await;
                line("dockmatrix-runtime", &r, server.connections());
                m_ours.push(&r);
            } else {
                let r = limited_bollard(&server.host()).await;
                line("bollard", &r, server.connections());
                m_theirs.push(&r);
            }
        }
    }
    m_ours.print("dockmatrix-runtime");
    m_theirs.print("bollard");
    println!("load after: {}", uptime());
}
