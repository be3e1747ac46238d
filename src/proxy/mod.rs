//! `dockmatrix proxy`: an HTTP/1.1 proxy in front of a Docker daemon that
//! records what a client calls (`--record`), lets through only a manifest's
//! calls (`--allow`), and makes the daemon look older (`--as-api`) or like
//! another release (`--min-api`, `--as-docker`); one process can serve several
//! listeners, each with its own rules (`--config`).
//!
//! Requests are recognised as matrix operations by method and canonical path
//! (see [`target`] and [`route`]); the matrix is built once at start-up.

pub mod address;
pub mod as_api;
pub mod config;
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
pub mod serve;
pub mod target;

use std::path::PathBuf;
use std::sync::Arc;

use address::{Address, AddressError};
use as_api::AsApi;
use dockmatrix_core::analysis::usage::manifest::ManifestError;
use dockmatrix_core::analysis::Matrix;
use dockmatrix_core::model::releases::Release;
use dockmatrix_core::model::served::ServedIndex;
use dockmatrix_core::version::ApiVersion;
use forward::Proxy;
use log::LogFormat;
use min_api::MinApi;
use policy::AllowPolicy;
use recorder::{RecordError, Recorder};
use route::Router;

/// What to run: the listeners, and what they share.
#[derive(Debug, Clone)]
pub struct ProxyOptions {
    /// One or more listeners, each with its rules.
    pub listeners: Vec<ListenerOptions>,
    /// Log line format.
    pub log: LogFormat,
    /// Worker threads of the proxy (default: one per core).
    pub threads: Option<usize>,
}

/// One listener and its rules.
#[derive(Debug, Clone)]
pub struct ListenerOptions {
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
    /// Two listeners of a configuration share an address or a recording.
    #[error("{0}")]
    Conflict(String),
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

/// Runs the proxy until SIGINT or SIGTERM.
pub fn run(options: &ProxyOptions, matrix: Matrix, served: &ServedIndex) -> Result<(), ProxyError> {
    check_conflicts(&options.listeners)?;
    let matrix = Arc::new(matrix);
    let mut prepared = Vec::new();
    for listener in &options.listeners {
        prepared.push(prepare(listener, &matrix)?);
    }
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
        let mut proxies = Vec::new();
        for (listener, parts) in options.listeners.iter().zip(prepared) {
            proxies.push((
                listener.listen.clone(),
                parts.finish(listener, options.log, served).await,
            ));
        }
        serve::serve(proxies, options.log).await
    })
}

/// A listener's rules, read before the runtime starts.
struct Prepared {
    matrix: Arc<Matrix>,
    recorder: Option<Recorder>,
    allow: Option<AllowPolicy>,
    min_api: Option<MinApi>,
}

fn prepare(options: &ListenerOptions, matrix: &Arc<Matrix>) -> Result<Prepared, ProxyError> {
    if options.strict && options.allow.is_none() {
        return Err(ProxyError::StrictWithoutAllow);
    }
    for v in [options.as_api, options.min_api].into_iter().flatten() {
        if !matrix.api_versions.contains(&v) {
            return Err(ProxyError::UnknownVersion(v));
        }
    }
    let allow = options
        .allow
        .as_deref()
        .map(|f| AllowPolicy::load(f, matrix, options.strict))
        .transpose()?;
    let recorder = options.record.as_deref().map(Recorder::open).transpose()?;
    let min_api = match &options.as_docker {
        Some(release) => Some(MinApi::of_release(release)),
        None => options.min_api.map(MinApi::new),
    };
    Ok(Prepared {
        matrix: matrix.clone(),
        recorder,
        allow,
        min_api,
    })
}

impl Prepared {
    /// The proxy of one listener; `--as-docker` asks the upstream first.
    async fn finish(
        self,
        options: &ListenerOptions,
        log: LogFormat,
        served: &ServedIndex,
    ) -> Arc<Proxy> {
        let max = match &options.as_docker {
            Some(release) => Some(as_docker_max(options, release, log).await),
            None => options.as_api,
        };
        Arc::new(Proxy {
            router: Router::new(&self.matrix),
            upstream: options.upstream.clone(),
            recorder: self.recorder,
            allow: self.allow,
            as_api: max.map(|max| AsApi::new(max, self.matrix.fields_tracked_from, served)),
            min_api: self.min_api,
            matrix: self.matrix,
            log,
        })
    }
}

/// Listeners of one process may not share an address or a recording file.
fn check_conflicts(listeners: &[ListenerOptions]) -> Result<(), ProxyError> {
    for (i, a) in listeners.iter().enumerate() {
        for b in &listeners[..i] {
            if a.listen == b.listen {
                return Err(ProxyError::Conflict(format!(
                    "two listeners on {}",
                    a.listen
                )));
            }
            if a.record.is_some() && a.record == b.record {
                let file = a.record.as_deref().unwrap_or(std::path::Path::new(""));
                return Err(ProxyError::Conflict(format!(
                    "two listeners record into {}",
                    file.display()
                )));
            }
        }
    }
    Ok(())
}

/// The maximum `--as-docker R` advertises: R's, or the upstream's own if that
/// is older (a proxy cannot make a daemon serve versions it does not know).
async fn as_docker_max(options: &ListenerOptions, release: &Release, log: LogFormat) -> ApiVersion {
    match probe::upstream_api_version(&options.upstream).await {
        Ok(upstream) if upstream < release.max_api => {
            log::warn(
                log,
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
                log,
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
