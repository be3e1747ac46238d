//! Asks the upstream daemon, once at start-up, the newest API version it
//! serves (the `Api-Version` header of `GET /_ping`), so `--as-docker R` never
//! advertises or forwards at a version the daemon behind it cannot serve.

use std::time::Duration;

use bytes::Bytes;
use http::Request;
use http_body_util::{Either, Full};

use super::address::Address;
use super::forward::connect;
use dockmatrix_core::version::ApiVersion;

/// How long the start-up question may take.
const PROBE_TIMEOUT: Duration = Duration::from_secs(10);

/// The upstream's newest API version, or why it could not be learnt.
pub async fn upstream_api_version(upstream: &Address) -> Result<ApiVersion, String> {
    tokio::time::timeout(PROBE_TIMEOUT, ask(upstream))
        .await
        .map_err(|_| format!("no answer to GET /_ping within {PROBE_TIMEOUT:?}"))?
}

async fn ask(upstream: &Address) -> Result<ApiVersion, String> {
    let mut sender = connect(upstream).await?;
    let request = Request::get("/_ping")
        .header("host", "docker")
        .body(Either::Right(Full::new(Bytes::new())))
        .map_err(|e| e.to_string())?;
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| e.to_string())?;
    let header = response
        .headers()
        .get("api-version")
        .ok_or("GET /_ping answered without an Api-Version header")?;
    let text = header
        .to_str()
        .map_err(|_| "the Api-Version header is not text".to_string())?;
    text.parse::<ApiVersion>()
        .map_err(|e| format!("Api-Version {text:?}: {e}"))
}
