//! A `docker ps`-like listing through the generated client.
//!
//! `DOCKER_HOST=unix:///path/to/docker.sock cargo run --example ps [-- --all]`

use dockmatrix_client::containers::ContainerListOptions;
use dockmatrix_client::Docker;

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
    let all = std::env::args().any(|a| a == "--all" || a == "-a");
    let docker = Docker::from_env().await?;
    let containers = docker
        .containers()
        .list_with(&ContainerListOptions::new().all(all))
        .await?;
    println!(
        "{:<14} {:<24} {:<28} {:<24} NAMES",
        "CONTAINER ID", "IMAGE", "COMMAND", "STATUS"
    );
    for c in containers {
        let id: String = c.id.unwrap_or_default().chars().take(12).collect();
        let names = c
            .names
            .unwrap_or_default()
            .iter()
            .map(|n| n.trim_start_matches('/').to_owned())
            .collect::<Vec<_>>()
            .join(",");
        let command = format!("\"{}\"", c.command.unwrap_or_default());
        println!(
            "{:<14} {:<24} {:<28} {:<24} {}",
            id,
            c.image.unwrap_or_default(),
            command,
            c.status.unwrap_or_default(),
            names
        );
    }
    eprintln!("(API {})", docker.api_version());
    Ok(())
}
