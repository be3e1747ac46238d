//! `dockmatrix proxy --listen ADDRESS [--upstream ADDRESS] [--record FILE]
//! [--allow MANIFEST [--strict]] [--as-api V] [--min-api V] [--as-docker R]
//! [--log text|json]`.

use crate::cli::data::resolve;
use crate::cli::{Failure, LogFormatArg, ProxyArgs};
use crate::proxy::address::Address;
use crate::proxy::log::LogFormat;
use crate::proxy::{run, ProxyOptions};
use dockmatrix_core::analysis::usage::check::find_release;
use dockmatrix_core::analysis::Matrix;

/// Runs the proxy until SIGINT/SIGTERM; prints nothing on stdout.
/// `threads` is the global `--jobs` (the proxy's worker threads).
pub fn proxy(matrix: Matrix, args: &ProxyArgs, threads: Option<usize>) -> Result<String, Failure> {
    let options = ProxyOptions {
        listen: Address::parse(&args.listen)?,
        upstream: Address::upstream(args.upstream.as_deref())?,
        record: args.record.clone(),
        allow: args.allow.clone(),
        strict: args.strict,
        as_api: args
            .as_api
            .as_deref()
            .map(|v| resolve(&matrix, v))
            .transpose()?,
        min_api: args
            .min_api
            .as_deref()
            .map(|v| resolve(&matrix, v))
            .transpose()?,
        as_docker: args
            .as_docker
            .as_deref()
            .map(|r| find_release(&matrix.releases, r).cloned())
            .transpose()?,
        log: match args.log {
            LogFormatArg::Text => LogFormat::Text,
            LogFormatArg::Json => LogFormat::Json,
        },
        threads,
    };
    run(&options, matrix)?;
    Ok(String::new())
}
