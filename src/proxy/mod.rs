//! `dockmatrix proxy`: an HTTP/1.1 proxy in front of a Docker daemon that
//! records what a client calls (`--record`), lets through only a manifest's
//! calls (`--allow`), and makes the daemon look older (`--as-api`).
//!
//! Requests are recognised as matrix operations by method and canonical path
//! (see [`target`] and [`route`]); the matrix is built once at start-up.

pub mod address;
pub mod as_api;
pub mod decide;
pub mod forward;
pub mod gojson;
pub mod items;
pub mod log;
pub mod min_api;
pub mod policy;
pub mod probe;
pub mod recorder;
pub mod route;
pub mod target;

use std::path::PathBuf;
use std::sync::Arc;

use tokio::net::{TcpListener, UnixListener};
use tokio::signal::unix::{signal, SignalKind};

use address::{Address, AddressError};
use as_api::AsApi;
use dockmatrix_core::analysis::usage::manifest::ManifestError;
use dockmatrix_core::analysis::Matrix;
use dockmatrix_core::model::releases::Release;
use dockmatrix_core::version::ApiVersion;
use forward::{serve_connection, Proxy};
use log::LogFormat;
use min_api::MinApi;
use policy::AllowPolicy;
use recorder::{RecordError, Recorder};
use route::Router;

/// What to run.
#[derive(Debug, Clone)]
pub struct ProxyOptions {
    /// Where clients connect.
    pub listen: Address,
    /// The daemon.
    pub upstream: Address,
    /// `--record FILE`.
    pub record: Option<PathBuf>,
    /// `--allow MANIFEST`.
    pub allow: Option<PathBuf>,
    /// `--strict`: only listed query parameters and body fields.
    pub strict: bool,
    /// `--as-api V`.
    pub as_api: Option<ApiVersion>,
    /// `--min-api V`.
    pub min_api: Option<ApiVersion>,
    /// `--as-docker R`: R's minimum and (as far as the upstream serves it) maximum.
    pub as_docker: Option<Release>,
    /// Log line format.
    pub log: LogFormat,
    /// Worker threads of the proxy (default: one per core).
    pub threads: Option<usize>,
}

/// Why the proxy could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ProxyError {
    /// A bad address.
    #[error(transparent)]
    Address(#[from] AddressError),
    /// An unusable `--allow` manifest.
    #[error(transparent)]
    Manifest(#[from] ManifestError),
    /// An unusable `--record` file.
    #[error(transparent)]
    Record(#[from] RecordError),
    /// `--as-api` names no version of the corpus.
    #[error("--as-api {0}: not an API version of the corpus")]
    UnknownVersion(ApiVersion),
    /// `--strict` without `--allow`.
    #[error("--strict needs --allow MANIFEST")]
    StrictWithoutAllow,
    /// The listener could not be opened.
    #[error("cannot listen on {address}: {source}")]
    Listen {
        /// The address.
        address: Address,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The async runtime or a signal handler could not start.
    #[error("cannot start the proxy runtime: {0}")]
    Runtime(std::io::Error),
}

enum Listener {
    Unix(UnixListener, PathBuf),
    Tcp(TcpListener),
}

/// Runs the proxy until SIGINT or SIGTERM.
pub fn run(options: &ProxyOptions, matrix: Matrix) -> Result<(), ProxyError> {
    if options.strict && options.allow.is_none() {
        return Err(ProxyError::StrictWithoutAllow);
    }
    if let Some(v) = options.as_api {
        if !matrix.api_versions.contains(&v) {
            return Err(ProxyError::UnknownVersion(v));
        }
    }
    let allow = options
        .allow
        .as_deref()
        .map(|f| AllowPolicy::load(f, &matrix, options.strict))
        .transpose()?;
    let recorder = options.record.as_deref().map(Recorder::open).transpose()?;
    let min_api = match &options.as_docker {
        Some(release) => Some(MinApi::of_release(release)),
        None => options.min_api.map(MinApi::new),
    };
    let mut runtime = if options.threads == Some(1) {
        tokio::runtime::Builder::new_current_thread()
    } else {
        tokio::runtime::Builder::new_multi_thread()
    };
    if let Some(threads) = options.threads.filter(|t| *t > 1) {
        runtime.worker_threads(threads);
    }
    release_freed_memory();
    let runtime = runtime.enable_all().build().map_err(ProxyError::Runtime)?;
    runtime.block_on(async {
        let max = match &options.as_docker {
            Some(release) => Some(as_docker_max(options, release).await),
            None => options.as_api,
        };
        let proxy = Arc::new(Proxy {
            router: Router::new(&matrix),
            upstream: options.upstream.clone(),
            recorder,
            allow,
            as_api: max.map(|max| AsApi {
                max,
                fields_tracked_from: matrix.fields_tracked_from,
            }),
            min_api,
            matrix,
            log: options.log,
        });
        serve(options, proxy).await
    })
}

/// The maximum `--as-docker R` advertises: R's, or the upstream's own if that
/// is older (a proxy cannot make a daemon serve versions it does not know).
async fn as_docker_max(options: &ProxyOptions, release: &Release) -> ApiVersion {
    match probe::upstream_api_version(&options.upstream).await {
        Ok(upstream) if upstream < release.max_api => {
            log::warn(
                options.log,
                &format!(
                    "--as-docker {}: the upstream serves API {upstream} at most, below {}'s {}; advertising {upstream}",
                    release.docker, release.docker, release.max_api
                ),
            );
            upstream
        }
        Ok(_) => release.max_api,
        Err(e) => {
            log::warn(
                options.log,
                &format!(
                    "--as-docker {}: cannot ask {} its API version ({e}); advertising {}",
                    release.docker, options.upstream, release.max_api
                ),
            );
            release.max_api
        }
    }
}

/// Hands the memory ingest freed back to the system: building the matrix peaks
/// at ~170 MB, the matrix itself is a fraction of that, and glibc keeps freed
/// heap pages otherwise.
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free heap pages to the kernel.
    unsafe {
        libc::malloc_trim(0);
    }
}

async fn serve(options: &ProxyOptions, proxy: Arc<Proxy>) -> Result<(), ProxyError> {
    let listener = bind(&options.listen)?;
    let mut interrupt = signal(SignalKind::interrupt()).map_err(ProxyError::Runtime)?;
    let mut terminate = signal(SignalKind::terminate()).map_err(ProxyError::Runtime)?;
    let started = format!(
        "dockmatrix proxy: listening on {}, forwarding to {}",
        options.listen, options.upstream
    );
    match options.log {
        log::LogFormat::Text => eprintln!("{started}"),
        log::LogFormat::Json => eprintln!("{}", serde_json::json!({ "info": started })),
    }
    loop {
        tokio::select! {
            _ = interrupt.recv() => break,
            _ = terminate.recv() => break,
            accepted = accept(&listener, proxy.clone()) => {
                if let Err(e) = accepted {
                    log::warn(options.log, &format!("accept: {e}"));
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
            }
        }
    }
    if let Listener::Unix(_, path) = &listener {
        let _ = std::fs::remove_file(path);
    }
    Ok(())
}

async fn accept(listener: &Listener, proxy: Arc<Proxy>) -> std::io::Result<()> {
    match listener {
        Listener::Unix(l, _) => {
            let (stream, _) = l.accept().await?;
            tokio::spawn(serve_connection(proxy, stream));
        }
        Listener::Tcp(l) => {
            let (stream, _) = l.accept().await?;
            let _ = stream.set_nodelay(true);
            tokio::spawn(serve_connection(proxy, stream));
        }
    }
    Ok(())
}

fn bind(address: &Address) -> Result<Listener, ProxyError> {
    let fail = |source| ProxyError::Listen {
        address: address.clone(),
        source,
    };
    match address {
        Address::Unix(path) => {
            // A socket file nobody answers on is left over from an earlier run.
            let stale = std::fs::symlink_metadata(path)
                .is_ok_and(|m| std::os::unix::fs::FileTypeExt::is_socket(&m.file_type()))
                && std::os::unix::net::UnixStream::connect(path).is_err();
            if stale {
                let _ = std::fs::remove_file(path);
            }
            UnixListener::bind(path)
                .map(|l| Listener::Unix(l, path.clone()))
                .map_err(fail)
        }
        Address::Tcp(host) => {
            let std_listener = std::net::TcpListener::bind(host).map_err(fail)?;
            std_listener.set_nonblocking(true).map_err(fail)?;
            TcpListener::from_std(std_listener)
                .map(Listener::Tcp)
                .map_err(fail)
        }
    }
}
