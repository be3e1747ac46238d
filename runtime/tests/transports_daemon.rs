//! Remote transports against a real dockerd: TLS (`--tlsverify`, certificates generated in
//! the test; DOCKER_HOST + DOCKER_TLS_VERIFY + DOCKER_CERT_PATH, or a context) and ssh (a
//! private sshd running `docker system dial-stdio`).

use std::time::Duration;

use dockmatrix_runtime::{Client, Error, HttpMethod, Request};
use dockmatrix_testkit::{Daemon, TestCerts};
use serde_json::Value;

fn env(pairs: Vec<(&'static str, String)>) -> impl Fn(&str) -> Option<String> + Send + Sync {
    move |k| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone())
}

#[tokio::test]
async fn tlsverify_daemon_is_reached_with_the_cert_path_and_refuses_strangers() {
    let certs = TestCerts::generate().unwrap();
    let Some(d) = Daemon::start_tls_or_skip("tlsverify_daemon", &certs) else {
        return;
    };
    let tcp = d.tcp_host().unwrap();
    let c = Client::builder()
        .env_lookup(env(vec![
            ("DOCKER_HOST", tcp.clone()),
            ("DOCKER_TLS_VERIFY", "1".into()),
            ("DOCKER_CERT_PATH", certs.dir().display().to_string()),
        ]))
        .request_timeout(Duration::from_secs(30))
        .build()
        .await
        .unwrap();
    // Negotiated over TLS, then an ordinary call.
    assert!(c.negotiated().daemon_max.is_some());
    let version: Value = c
        .send_json(Request::new(HttpMethod::Get, "/version"))
        .await
        .unwrap();
    assert_eq!(version["ApiVersion"], c.api_version().to_string());
    // Keep-alive over TLS: more calls, one connection.
    for _ in 0..5 {
        let _: Value = c
            .send_json(Request::new(HttpMethod::Get, "/info"))
            .await
            .unwrap();
    }
    assert!(c.connection_count() <= 2, "{}", c.connection_count());

    // The same endpoint selected by a context (currentContext of config.json), TLS files
    // in the context store: nothing in the environment but DOCKER_CONFIG.
    let config = tempfile_dir();
    let id = dockmatrix_runtime::context::store_id("dmx-tls");
    let meta = config.join("contexts/meta").join(&id);
    let tls = config.join("contexts/tls").join(&id).join("docker");
    std::fs::create_dir_all(&meta).unwrap();
    std::fs::create_dir_all(&tls).unwrap();
    std::fs::write(
        meta.join("meta.json"),
        serde_json::json!({"Name": "dmx-tls", "Metadata": {},
            "Endpoints": {"docker": {"Host": tcp, "SkipTLSVerify": false}}})
        .to_string(),
    )
    .unwrap();
    for f in ["ca.pem", "cert.pem", "key.pem"] {
        std::fs::copy(certs.file(f), tls.join(f)).unwrap();
    }
    std::fs::write(
        config.join("config.json"),
        r#"{"currentContext":"dmx-tls"}"#,
    )
    .unwrap();
    let c = Client::builder()
        .env_lookup(env(vec![("DOCKER_CONFIG", config.display().to_string())]))
        .build()
        .await
        .unwrap();
    assert_eq!(c.host().to_string(), tcp);
    let _: Value = c
        .send_json(Request::new(HttpMethod::Get, "/info"))
        .await
        .unwrap();
    let _ = std::fs::remove_dir_all(&config);

    // Plain HTTP to the TLS port: the daemon answers 400, nothing succeeds.
    let plain = Client::builder()
        .host(tcp.clone())
        .request_timeout(Duration::from_secs(10))
        .build()
        .await;
    assert!(plain.is_err(), "{plain:?}");

    // Certificates from another CA: the daemon is not trusted (and would not trust us).
    let strangers = TestCerts::generate().unwrap();
    let err = Client::builder()
        .host(tcp)
        .tls_dir(strangers.dir())
        .request_timeout(Duration::from_secs(10))
        .build()
        .await
        .unwrap_err();
    match &err {
        Error::Connect { source, .. } => {
            assert!(source.to_string().contains("certificate"), "{source}")
        }
        other => panic!("unexpected {other:?}"),
    }
}

fn tempfile_dir() -> std::path::PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "dmxcfg-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn missing_or_mismatched_pem_files_are_named() {
    let certs = TestCerts::generate().unwrap();
    let other = TestCerts::generate().unwrap();
    // cert.pem from one pair, key.pem from another.
    std::fs::copy(other.file("key.pem"), certs.file("key.pem")).unwrap();
    let err = dockmatrix_runtime::TlsConfig::from_dir(certs.dir()).unwrap_err();
    assert!(
        matches!(&err, Error::Tls { path, .. } if path.ends_with("key.pem")),
        "{err:?}"
    );
    std::fs::remove_file(certs.file("ca.pem")).unwrap();
    let err = dockmatrix_runtime::TlsConfig::from_dir(certs.dir()).unwrap_err();
    assert!(
        matches!(&err, Error::Tls { path, .. } if path.ends_with("ca.pem")),
        "{err:?}"
    );
}

#[tokio::test]
async fn ssh_host_reaches_the_daemon_through_docker_system_dial_stdio() {
    let Some(d) = Daemon::start_or_skip("ssh_dial_stdio") else {
        return;
    };
    let Some(sshd) = dockmatrix_testkit::SshServer::start_or_skip("ssh_dial_stdio", &d.host())
    else {
        return;
    };
    let c = Client::builder()
        .host(sshd.docker_host())
        .ssh_args(["-F".to_owned(), sshd.ssh_config().display().to_string()])
        .request_timeout(Duration::from_secs(30))
        .build()
        .await
        .unwrap();
    assert!(c.negotiated().daemon_max.is_some());
    let info: Value = c
        .send_json(Request::new(HttpMethod::Get, "/info"))
        .await
        .unwrap();
    // The daemon behind ssh is the test's own: same data root.
    let direct = Client::builder().host(d.host()).build().await.unwrap();
    let direct_info: Value = direct
        .send_json(Request::new(HttpMethod::Get, "/info"))
        .await
        .unwrap();
    assert_eq!(info["DockerRootDir"], direct_info["DockerRootDir"]);
    for _ in 0..3 {
        let _: Value = c
            .send_json(Request::new(HttpMethod::Get, "/version"))
            .await
            .unwrap();
    }

    // The same ssh endpoint selected by a Docker context (DOCKER_CONTEXT names it;
    // nothing else in the environment but DOCKER_CONFIG).
    let config = tempfile_dir();
    let id = dockmatrix_runtime::context::store_id("dmx-ssh");
    let meta = config.join("contexts/meta").join(&id);
    std::fs::create_dir_all(&meta).unwrap();
    std::fs::write(
        meta.join("meta.json"),
        serde_json::json!({"Name": "dmx-ssh", "Metadata": {},
            "Endpoints": {"docker": {"Host": sshd.docker_host(), "SkipTLSVerify": false}}})
        .to_string(),
    )
    .unwrap();
    let by_context = Client::builder()
        .env_lookup(env(vec![
            ("DOCKER_CONFIG", config.display().to_string()),
            ("DOCKER_CONTEXT", "dmx-ssh".to_string()),
        ]))
        .ssh_args(["-F".to_owned(), sshd.ssh_config().display().to_string()])
        .request_timeout(Duration::from_secs(30))
        .build()
        .await
        .unwrap();
    let info: Value = by_context
        .send_json(Request::new(HttpMethod::Get, "/info"))
        .await
        .unwrap();
    assert_eq!(info["DockerRootDir"], direct_info["DockerRootDir"]);
}

/// What ssh says when it cannot reach the host reaches the caller: the typed
/// error carries ssh's own message, in bounded time.
#[tokio::test]
async fn ssh_failure_carries_what_ssh_said() {
    if std::process::Command::new("ssh")
        .arg("-V")
        .output()
        .is_err()
    {
        eprintln!("skipped: no ssh client");
        return;
    }
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    let started = std::time::Instant::now();
    let err = Client::builder()
        .host("ssh://nobody@127.0.0.1:1")
        .ssh_args(
            [
                "-o",
                "BatchMode=yes",
                "-o",
                "StrictHostKeyChecking=no",
                "-o",
                "UserKnownHostsFile=/dev/null",
            ]
            .map(String::from),
        )
        .request_timeout(Duration::from_secs(30))
        .build()
        .await
        .expect_err("nothing listens on port 1");
    let mut text = err.to_string();
    let mut source = std::error::Error::source(&err);
    while let Some(s) = source {
        text.push_str(&format!(" / {s}"));
        source = s.source();
    }
    assert!(
        text.contains("ssh: ") && text.contains("Connection refused"),
        "{text}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
}
