//! `docker run --rm IMAGE CMD…` through the generated client: create, start, stream
//! the logs until the container exits, then remove it.
//!
//! `DOCKER_HOST=unix:///path/to/docker.sock cargo run --example run -- busybox echo hi`

use dockmatrix_client::containers::{ContainerDeleteOptions, ContainerLogsOptions};
use dockmatrix_client::models::ContainerCreateBody;
use dockmatrix_client::{Docker, StreamKind};
use futures_util::TryStreamExt;
use std::io::Write;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let image = args.next().ok_or("usage: run IMAGE [CMD…]")?;
    let cmd: Vec<String> = args.collect();
    let docker = Docker::from_env().await?;
    let mut body = ContainerCreateBody::default()
        .image(image)
        .attach_stdout(true)
        .attach_stderr(true);
    if !cmd.is_empty() {
        body = body.cmd(cmd);
    }
    let id = docker.containers().create(&body).await?.id;
    docker.containers().start(&id).await?;
    let follow = ContainerLogsOptions::new()
        .follow(true)
        .stdout(true)
        .stderr(true);
    let mut logs = docker.containers().logs_with(&id, &follow).await?;
    while let Some(frame) = logs.try_next().await? {
        if frame.stream == StreamKind::Stderr {
            std::io::stderr().write_all(&frame.data)?;
        } else {
            std::io::stdout().write_all(&frame.data)?;
        }
    }
    let exit = docker.containers().wait(&id).await?.status_code;
    docker
        .containers()
        .delete_with(&id, &ContainerDeleteOptions::new().force(true))
        .await?;
    eprintln!("exit code {exit}");
    Ok(())
}
