//! Asks the upstream daemon, once at start-up, the newest API version it
//! serves (the `Api-Version` header of `GET /_ping`), so `--as-docker R` never
//! advertises or forwards at a version the daemon behind it cannot serve.

use std::time::Duration;

use bytes::Bytes;
use http::Request;
use http_body_util::Empty;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpStream, UnixStream};

use super::address::Address;
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
    match upstream {
        Address::Unix(path) => {
            ping(UnixStream::connect(path).await.map_err(|e| e.to_string())?).await
        }
        Address::Tcp(host) => {
            ping(TcpStream::connect(host).await.map_err(|e| e.to_string())?).await
        }
    }
}

async fn ping<IO>(io: IO) -> Result<ApiVersion, String>
where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(io))
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(connection);
    let request = Request::get("/_ping")
        .header("host", "docker")
        .body(Empty::<Bytes>::new())
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
