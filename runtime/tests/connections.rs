//! Connection handling against servers with awkward connection policies (no daemon
//! needed): one closing every connection after its response, one serving at most ten
//! connections and closing idle ones. Assertions are on outcomes and on what the
//! server saw, never on elapsed time.

use std::time::Duration;

use dockmatrix_runtime::{ApiVersion, Client, HttpMethod, Request};
use dockmatrix_testkit::servers::{Policy, PolicyServer};
use serde_json::Value;

const V: ApiVersion = ApiVersion::new(1, 41);

async fn client(server: &PolicyServer, max_connections: usize) -> Client {
    Client::builder()
        .host(server.host())
        .api_version(V)
        .max_connections(max_connections)
        .build()
        .await
        .unwrap()
}

async fn churn(announce: bool) {
    let server = PolicyServer::start(Policy::Churn { announce }).unwrap();
    let c = client(&server, 128).await;
    let mut failures = Vec::new();
    for i in 0..200 {
        let req = Request::new(HttpMethod::Post, "/containers/{id}/start").path_param("id", "x");
        if let Err(e) = c.send_json::<Value>(req).await {
            failures.push(format!("POST {i}: {e:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of 200 failed, first: {:?}",
        failures.len(),
        failures.first()
    );
    // Each POST reached the server exactly once, each on its own connection: none was
    // written on a closed connection, none was sent twice.
    assert_eq!(server.posts(), 200);
    assert_eq!(server.requests(), 200);
    assert_eq!(server.connections(), 200);
    assert_eq!(c.connection_count(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_closing_after_every_response_silently_costs_no_post() {
    churn(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_announcing_connection_close_is_never_reused() {
    churn(true).await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_server_closing_silently_costs_no_post_on_a_single_thread_runtime() {
    churn(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_connections_closed_by_a_ten_connection_server_are_never_waited_on() {
    let server = PolicyServer::start(Policy::Limited {
        max_open: 10,
        idle: Duration::from_secs(2),
    })
    .unwrap();
    let c = client(&server, 10).await;
    let pause_at = [250, 500, 750];
    let mut ok = 0;
    for i in 0..1000 {
        if pause_at.contains(&i) {
            // Longer than the server's idle timeout: it closes the pooled connection.
            tokio::time::sleep(Duration::from_millis(2500)).await;
        }
        match c
            .send_json::<Value>(Request::new(HttpMethod::Get, "/info"))
            .await
        {
            Ok(_) => ok += 1,
            Err(e) => panic!("GET {i}: {e:?}"),
        }
    }
    assert_eq!(ok, 1000);
    assert_eq!(server.requests(), 1000);
    // A new connection per quiet period, the old ones found closed before use (at most
    // two per period: a connection whose response was just read may not be idle yet,
    // and nothing waits for it): no request was written on a dead connection (none
    // resent) and every connection opened was served (none stuck behind the limit).
    let periods = 1 + pause_at.len();
    assert!(
        (periods..=2 * periods).contains(&server.connections()),
        "{} connections",
        server.connections()
    );
    assert_eq!(c.connection_count(), server.connections() as u64);
    assert_eq!(c.retry_count(), 0);

    // Then concurrently, up to the server's limit, after another quiet period.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let before = server.connections();
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move {
                for _ in 0..25 {
                    c.send_json::<Value>(Request::new(HttpMethod::Get, "/info"))
                        .await?;
                }
                Ok::<_, dockmatrix_runtime::Error>(())
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert_eq!(server.requests(), 1500);
    let opened = server.connections() - before;
    assert!((1..=10).contains(&opened), "{opened} connections");
    assert_eq!(c.connection_count(), server.connections() as u64);
    assert_eq!(c.retry_count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gets_and_posts_interleaved_on_a_silently_closing_server_all_succeed() {
    // GETs may go out on pooled connections (a stale one is found closed before use,
    // or the GET is replayed); the POSTs between them are never risked on one.
    let server = PolicyServer::start(Policy::Churn { announce: false }).unwrap();
    let c = client(&server, 128).await;
    for i in 0..200 {
        let req = if i % 2 == 0 {
            Request::new(HttpMethod::Get, "/info")
        } else {
            Request::new(HttpMethod::Post, "/containers/{id}/start").path_param("id", "x")
        };
        if let Err(e) = c.send_json::<Value>(req).await {
            panic!("request {i}: {e:?}");
        }
    }
    assert_eq!(server.posts(), 100, "each POST exactly once");
    // The server reads one request per connection: what went out again (a GET written
    // on a connection it had closed, or handed back unwritten) was never read twice.
    assert_eq!(server.requests(), 200);
}
