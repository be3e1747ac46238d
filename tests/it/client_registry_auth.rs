//! Registry credentials from the Docker CLI configuration (`auths`, `credHelpers` with a
//! `docker-credential-*` helper script) reach the daemon as `X-Registry-Auth` on pull,
//! push and service create; the fake daemon records the header it receives.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use base64::Engine as _;
use dockmatrix_client::images::ImageCreateOptions;
use dockmatrix_client::models::{ServiceCreateBody, TaskSpec, TaskSpecContainerSpec};
use dockmatrix_client::{ApiVersion, Docker};
use dockmatrix_testkit::fake::{http_response, Action, FakeDaemon, SeenRequest};
use futures_util::TryStreamExt;
use serde_json::{json, Value};

const HELPER: &str = r#"#!/bin/sh
read -r registry
if [ "$1" = get ] && [ "$registry" = helper.example.com ]; then
  printf '{"ServerURL":"%s","Username":"bob","Secret":"t0ken"}' "$registry"
else
  echo "credentials not found in native keychain"
  exit 1
fi
"#;

fn setup(dir: &Path) {
    let auth = base64::engine::general_purpose::STANDARD.encode("alice:s3cret");
    std::fs::write(
        dir.join("config.json"),
        json!({
            "auths": {"registry.example.com": {"auth": auth}},
            "credHelpers": {"helper.example.com": "dmxtest"}
        })
        .to_string(),
    )
    .unwrap();
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let helper = bin.join("docker-credential-dmxtest");
    std::fs::write(&helper, HELPER).unwrap();
    std::fs::set_permissions(&helper, std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn auth_of(req: &SeenRequest) -> Option<Value> {
    let value = req.header_values("x-registry-auth").first()?.to_string();
    let json = base64::engine::general_purpose::URL_SAFE
        .decode(value)
        .expect("URL-safe base64");
    Some(serde_json::from_slice(&json).unwrap())
}

#[tokio::test]
async fn credentials_from_auths_and_helpers_are_sent_as_x_registry_auth() {
    let fake = FakeDaemon::start(|req| {
        let body: &[u8] = if req.route() == "/services/create" {
            b"{\"ID\":\"svc\"}"
        } else {
            b"{\"status\":\"done\"}\n"
        };
        vec![Action::Write(http_response(
            200,
            &[("Content-Type", "application/json")],
            body,
        ))]
    })
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    setup(dir.path());
    let config = dir.path().display().to_string();
    let path = format!("{}:/usr/bin:/bin", dir.path().join("bin").display());
    let host = fake.host();
    let builder = Docker::builder()
        .env_lookup(move |k| match k {
            "DOCKER_HOST" => Some(host.clone()),
            "DOCKER_CONFIG" => Some(config.clone()),
            "PATH" => Some(path.clone()),
            _ => None,
        })
        .api_version(ApiVersion::new(1, 41));
    let docker = Docker::connect(builder).await.unwrap();

    let pull = |image: &'static str| {
        let docker = docker.clone();
        async move {
            let _: Vec<Value> = docker
                .images()
                .create_with(&ImageCreateOptions::new().from_image(image), Vec::new())
                .await
                .unwrap()
                .try_collect()
                .await
                .unwrap();
        }
    };
    pull("registry.example.com/team/app:1").await;
    pull("helper.example.com/app").await;
    pull("busybox").await;
    let _: Vec<Value> = docker
        .images()
        .push("helper.example.com/app")
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    docker
        .services()
        .create(&ServiceCreateBody {
            task_template: Some(TaskSpec {
                container_spec: Some(TaskSpecContainerSpec {
                    image: Some("registry.example.com/team/web".into()),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            ..Default::default()
        })
        .await
        .unwrap();
    // A header the caller sets is kept.
    let _: Vec<Value> = docker
        .images()
        .create_with(
            &ImageCreateOptions::new()
                .from_image("registry.example.com/x")
                .x_registry_auth("e30="),
            Vec::new(),
        )
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();

    // What the client sent after learning the daemon's release.
    let seen: Vec<_> = fake
        .requests()
        .into_iter()
        .filter(|r| r.route() != "/version")
        .collect();
    assert_eq!(seen.len(), 6);
    assert_eq!(
        auth_of(&seen[0]),
        Some(
            json!({"username": "alice", "password": "s3cret", "serveraddress": "registry.example.com"})
        )
    );
    assert_eq!(
        auth_of(&seen[1]),
        Some(
            json!({"username": "bob", "password": "t0ken", "serveraddress": "helper.example.com"})
        )
    );
    assert_eq!(auth_of(&seen[2]), None, "no credentials for Docker Hub");
    assert_eq!(seen[3].route(), "/images/helper.example.com%2Fapp/push");
    assert_eq!(auth_of(&seen[3]).unwrap()["username"], "bob");
    assert_eq!(seen[4].route(), "/services/create");
    assert_eq!(auth_of(&seen[4]).unwrap()["username"], "alice");
    assert_eq!(seen[5].header_values("x-registry-auth"), ["e30="]);
}
