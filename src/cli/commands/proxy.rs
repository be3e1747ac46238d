//! `dockmatrix proxy --listen ADDRESS [--upstream ADDRESS] [--record FILE]
//! [--allow MANIFEST [--strict]] [--as-api V] [--min-api V] [--as-docker R]
//! [--log text|json]`, or `dockmatrix proxy --config FILE`.

use crate::cli::data::known_version;
use crate::cli::{Failure, LogFormatArg, ProxyArgs};
use crate::proxy::address::Address;
use crate::proxy::config::{ListenerConfig, ProxyConfig};
use crate::proxy::log::LogFormat;
use crate::proxy::{run, ListenerOptions, ProxyOptions};
use dockmatrix_core::analysis::usage::check::find_release;
use dockmatrix_core::analysis::Matrix;
use dockmatrix_core::model::served::ServedIndex;

/// Runs the proxy until SIGINT/SIGTERM; prints nothing on stdout.
/// `threads` is the global `--jobs` (the proxy's worker threads).
pub fn proxy(
    matrix: Matrix,
    served: &ServedIndex,
    args: &ProxyArgs,
    threads: Option<usize>,
) -> Result<String, Failure> {
    let listeners = match &args.config {
        Some(file) => {
            let config = ProxyConfig::load(file)?;
            let mut listeners = Vec::new();
            for l in &config.listeners {
                let upstream = l.upstream.as_deref().or(config.upstream.as_deref());
                listeners.push(listener(&matrix, l, upstream).map_err(|e| Failure {
                    message: format!("{}: listener {}: {}", file.display(), l.listen, e.message),
                    ..e
                })?);
            }
            listeners
        }
        None => {
            let flags = ListenerConfig {
                listen: args.listen.clone().unwrap_or_default(),
                upstream: args.upstream.clone(),
                record: args.record.clone(),
                allow: args.allow.clone(),
                strict: args.strict,
                as_api: args.as_api.clone(),
                min_api: args.min_api.clone(),
                as_docker: args.as_docker.clone(),
            };
            vec![listener(&matrix, &flags, args.upstream.as_deref())?]
        }
    };
    let options = ProxyOptions {
        listeners,
        log: match args.log {
            LogFormatArg::Text => LogFormat::Text,
            LogFormatArg::Json => LogFormat::Json,
        },
        threads,
    };
    run(&options, matrix, served)?;
    Ok(String::new())
}

/// One listener's options from its flags or keys: addresses parsed, versions
/// and releases resolved against the matrix.
fn listener(
    matrix: &Matrix,
    l: &ListenerConfig,
    upstream: Option<&str>,
) -> Result<ListenerOptions, Failure> {
    let version = |v: &Option<String>| v.as_deref().map(|v| known_version(matrix, v)).transpose();
    Ok(ListenerOptions {
        listen: Address::parse(&l.listen)?,
        upstream: Address::upstream(upstream)?,
        record: l.record.clone(),
        allow: l.allow.clone(),
        strict: l.strict,
        as_api: version(&l.as_api)?,
        min_api: version(&l.min_api)?,
        as_docker: l
            .as_docker
            .as_deref()
            .map(|r| find_release(&matrix.releases, r).cloned())
            .transpose()?,
    })
}
