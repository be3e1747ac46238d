//! Registry credentials end to end through a real dockerd: the client reads them
//! from `config.json` (`auths`, and a `docker-credential-*` helper), sends them as
//! `X-Registry-Auth`, and dockerd presents them to the registry. The registry is
//! a tiny fake on 127.0.0.1 (dockerd treats loopback registries as insecure, so
//! it speaks plain HTTP) that answers 401 with a Basic challenge until it gets
//! credentials, and records the `Authorization` headers it sees.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use dockmatrix_client::images::ImageCreateOptions;
use dockmatrix_client::Docker;
use dockmatrix_testkit::Daemon;
use futures_util::StreamExt;
use serde_json::json;

/// Serves until the test ends; returns the port and the `Authorization` values seen.
fn fake_registry() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let log = Arc::clone(&log);
            std::thread::spawn(move || {
                let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
                let mut reader = BufReader::new(match stream.try_clone() {
                    Ok(s) => s,
                    Err(_) => return,
                });
                let mut stream = stream;
                loop {
                    let mut request_line = String::new();
                    if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
                        return;
                    }
                    if !request_line.contains("HTTP/1.") {
                        return; // a TLS hello: dockerd then falls back to HTTP
                    }
                    let mut auth = None;
                    loop {
                        let mut line = String::new();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        if line == "\r\n" {
                            break;
                        }
                        if let Some((k, v)) = line.split_once(':') {
                            if k.eq_ignore_ascii_case("authorization") {
                                auth = Some(v.trim().to_string());
                            }
                        }
                    }
                    let response = match &auth {
                        None => "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"dmx\"\r\nDocker-Distribution-API-Version: registry/2.0\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}".to_string(),
                        Some(a) => {
                            log.lock().unwrap().push(a.clone());
                            let body = r#"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}"#;
                            if request_line.starts_with("GET /v2/ ") {
                                "HTTP/1.1 200 OK\r\nDocker-Distribution-API-Version: registry/2.0\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}".to_string()
                            } else {
                                format!("HTTP/1.1 404 Not Found\r\nDocker-Distribution-API-Version: registry/2.0\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}", body.len())
                            }
                        }
                    };
                    if stream.write_all(response.as_bytes()).is_err() {
                        return;
                    }
                }
            });
        }
    });
    (port, seen)
}

const HELPER: &str = "#!/bin/sh\nread -r registry\nprintf '{\"ServerURL\":\"%s\",\"Username\":\"bob\",\"Secret\":\"t0ken\"}' \"$registry\"\n";

#[tokio::test]
async fn credentials_reach_the_registry_through_a_real_daemon() {
    let Some(d) = Daemon::start_or_skip("credentials_reach_the_registry_through_a_real_daemon")
    else {
        return;
    };
    let (alice_port, alice_seen) = fake_registry();
    let (bob_port, bob_seen) = fake_registry();
    let dir = tempfile::tempdir().unwrap();
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    std::fs::write(
        dir.path().join("config.json"),
        json!({
            "auths": {format!("127.0.0.1:{alice_port}"): {"auth": b64("alice:s3cret")}},
            "credHelpers": {format!("127.0.0.1:{bob_port}"): "dmxreal"}
        })
        .to_string(),
    )
    .unwrap();
    let bin = dir.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let helper = bin.join("docker-credential-dmxreal");
    std::fs::write(&helper, HELPER).unwrap();
    std::fs::set_permissions(&helper, std::fs::Permissions::from_mode(0o755)).unwrap();

    let config = dir.path().display().to_string();
    let path = format!("{}:/usr/bin:/bin", bin.display());
    let host = d.host();
    let docker = Docker::connect(Docker::builder().env_lookup(move |k| match k {
        "DOCKER_HOST" => Some(host.clone()),
        "DOCKER_CONFIG" => Some(config.clone()),
        "PATH" => Some(path.clone()),
        _ => None,
    }))
    .await
    .unwrap();

    for (port, seen, expected) in [
        (alice_port, &alice_seen, "alice:s3cret"),
        (bob_port, &bob_seen, "bob:t0ken"),
    ] {
        let image = format!("127.0.0.1:{port}/team/app:1");
        // The pull itself fails (the fake has no manifest); what matters is
        // what the registry was shown.
        match docker
            .images()
            .create_with(&ImageCreateOptions::new().from_image(&image), Vec::new())
            .await
        {
            Ok(mut progress) => while progress.next().await.is_some() {},
            Err(e) => eprintln!("pull {image}: {e}"),
        }
        let shown = seen.lock().unwrap().clone();
        let want = format!("Basic {}", b64(expected));
        assert!(
            shown.iter().any(|a| a == &want),
            "registry 127.0.0.1:{port} saw {shown:?}, wanted {want}"
        );
    }
}
