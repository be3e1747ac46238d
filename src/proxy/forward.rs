//! The request path through the proxy: parse and recognise the target, apply
//! `--as-api` and `--allow`, record, forward on the client connection's own
//! upstream connection, and pipe upgraded (hijacked) connections both ways.
//! Bodies are streamed; only JSON bodies of known length up to [`BODY_LIMIT`]
//! are read whole, to see their field paths.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use http::{header, HeaderValue, Request, Response, StatusCode, Uri};
use http_body_util::{BodyExt, Either, Full, Limited};
use hyper::body::Incoming;
use hyper::client::conn::http1::SendRequest;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpStream, UnixStream};
use tokio::sync::Mutex;

use super::address::Address;
use super::as_api::AsApi;
use super::items::{filter_query, query_names, FieldIndex};
use super::log::{self, LogFormat};
use super::policy::{AllowPolicy, Denied};
use super::recorder::{Observation, Recorder};
use super::route::Router;
use super::target::RequestTarget;
use crate::analysis::{Matrix, OperationHistory};
use crate::version::ApiVersion;

/// Largest JSON request body read whole to see its fields (and the largest
/// `/version` answer rewritten under `--as-api`).
pub const BODY_LIMIT: u64 = 1 << 20;

/// Largest request head the proxy accepts (bigger ones get HTTP 431).
const MAX_HEAD: usize = 64 * 1024;

/// A body passed through as it arrives, or one the proxy built.
pub type ProxyBody = Either<Incoming, Full<Bytes>>;

type UpstreamSlot = Arc<Mutex<Option<SendRequest<ProxyBody>>>>;

/// Everything a request needs, built once at start-up.
#[derive(Debug)]
pub struct Proxy {
    /// The matrix.
    pub matrix: Matrix,
    /// Its routes.
    pub router: Router,
    /// Where requests go.
    pub upstream: Address,
    /// `--record`.
    pub recorder: Option<Recorder>,
    /// `--allow`.
    pub allow: Option<AllowPolicy>,
    /// `--as-api`.
    pub as_api: Option<AsApi>,
    /// `--log`.
    pub log: LogFormat,
}

/// Serves one client connection; it gets its own upstream connection, so
/// keep-alive and upgrades map one to one.
pub async fn serve_connection<IO>(proxy: Arc<Proxy>, io: IO)
where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let slot: UpstreamSlot = Arc::default();
    let log_format = proxy.log;
    let service = service_fn(move |req| {
        let proxy = proxy.clone();
        let slot = slot.clone();
        async move { Ok::<_, Infallible>(proxy.handle(req, &slot).await) }
    });
    let served = hyper::server::conn::http1::Builder::new()
        .max_buf_size(MAX_HEAD)
        .serve_connection(TokioIo::new(io), service)
        .with_upgrades()
        .await;
    if let Err(e) = served {
        if !e.is_incomplete_message() {
            log::warn(log_format, &format!("client connection: {e}"));
        }
    }
}

struct Recognised<'m> {
    target: RequestTarget,
    op: Option<&'m OperationHistory>,
    requested: String,
}

impl Proxy {
    async fn handle(&self, req: Request<Incoming>, slot: &UpstreamSlot) -> Response<ProxyBody> {
        let start = Instant::now();
        let method = req.method().as_str().to_string();
        let (label, response) = self.process(req, slot).await;
        log::request(
            self.log,
            &method,
            &label,
            response.status().as_u16(),
            start.elapsed(),
        );
        response
    }

    fn recognise(&self, method: &str, target: RequestTarget) -> Recognised<'_> {
        let op = self
            .router
            .find(method, &target.segments)
            .and_then(|i| self.router.operation(&self.matrix, i));
        let requested = format!("{method} {}", target.display());
        Recognised {
            target,
            op,
            requested,
        }
    }

    async fn process(
        &self,
        mut req: Request<Incoming>,
        slot: &UpstreamSlot,
    ) -> (String, Response<ProxyBody>) {
        let method = req.method().as_str().to_string();
        let target = match RequestTarget::parse(req.uri().path()) {
            Ok(t) => t,
            Err(e) => {
                return (
                    req.uri().path().to_string(),
                    error(StatusCode::BAD_REQUEST, &e.to_string()),
                )
            }
        };
        let seen = self.recognise(&method, target);
        let label = seen.op.map_or_else(
            || format!("{} (unknown)", seen.target.display()),
            |o| o.path.clone(),
        );
        let key = seen.op.map(OperationHistory::key);

        // --as-api: versions above V and operations V lacks are answered here.
        let mut version = seen.target.version;
        if let Some(as_api) = &self.as_api {
            if let Some(message) = seen.target.version.and_then(|v| as_api.too_new(v)) {
                return (label, error(StatusCode::BAD_REQUEST, &message));
            }
            let at = seen.target.version.unwrap_or(as_api.max);
            if !seen.op.is_some_and(|o| o.lifecycle.supports(at)) {
                return (label, error(StatusCode::NOT_FOUND, "page not found"));
            }
            version = Some(at);
        }
        let deny = |d: Denied| (label.clone(), error(StatusCode::FORBIDDEN, &d.0));
        if let Some(policy) = &self.allow {
            if let Err(d) = policy.check_operation(key.as_ref(), &seen.requested) {
                return deny(d);
            }
        }

        // Query parameters: names only.
        let names = query_names(req.uri().query());
        let mut query = req.uri().query().unwrap_or_default().to_string();
        let mut used_query = Vec::new();
        if let Some(op) = seen.op {
            for name in &names {
                match op.query.iter().find(|q| &q.name == name) {
                    Some(_) => used_query.push(name.clone()),
                    None => self.warn(&format!(
                        "query parameter {name:?} of {method} {label} is not documented by any API version"
                    )),
                }
            }
            if let (Some(policy), Some(key)) = (&self.allow, &key) {
                if let Err(d) = policy.check_query(key, &seen.requested, &names) {
                    return deny(d);
                }
            }
            if let (Some(as_api), Some(at)) = (&self.as_api, version) {
                let unknown: Vec<&String> = used_query
                    .iter()
                    .filter(|n| {
                        op.query
                            .iter()
                            .any(|q| &&q.name == n && !AsApi::query_known(q, at))
                    })
                    .collect();
                if !unknown.is_empty() {
                    for n in &unknown {
                        self.warn(&format!(
                            "as-api {}: dropped query parameter {n} of {method} {label} (unknown at API {at})",
                            as_api.max
                        ));
                    }
                    query = filter_query(&query, |name| unknown.iter().any(|u| u.as_str() == name));
                }
            }
        }

        // The client side of an upgrade (attach, exec start) is taken before
        // the request is split up.
        let wants_upgrade = req.headers().contains_key(header::UPGRADE);
        let client_upgrade = wants_upgrade.then(|| hyper::upgrade::on(&mut req));
        let (mut parts, body) = req.into_parts();

        // JSON bodies of known, bounded length are read to see their fields.
        let length = content_length(&parts.headers);
        let has_body =
            length.is_some_and(|l| l > 0) || parts.headers.contains_key(header::TRANSFER_ENCODING);
        let is_json = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        let strict = self.allow.as_ref().is_some_and(AllowPolicy::is_strict);
        let wants_fields = self.recorder.is_some() || strict || self.as_api.is_some();
        let inspectable = is_json && length.is_some_and(|l| l <= BODY_LIMIT);
        let mut used_fields = Vec::new();
        let body: ProxyBody = match seen.op {
            Some(op) if has_body && wants_fields && inspectable => {
                let bytes = match Limited::new(body, BODY_LIMIT as usize).collect().await {
                    Ok(b) => b.to_bytes(),
                    Err(e) => {
                        return (
                            label,
                            error(
                                StatusCode::BAD_REQUEST,
                                &format!("cannot read the request body: {e}"),
                            ),
                        )
                    }
                };
                let index = FieldIndex::new(&op.request_fields);
                let mut out = bytes.clone();
                if let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(&bytes) {
                    let (found, unknown) = index.paths(&value);
                    for u in unknown {
                        self.warn(&format!(
                            "body field {u} of {method} {label} is not documented by any API version"
                        ));
                    }
                    if let (Some(policy), Some(key)) = (&self.allow, &key) {
                        if let Err(d) = policy.check_body(key, &seen.requested, &found) {
                            return deny(d);
                        }
                    }
                    if let (Some(as_api), Some(at)) = (&self.as_api, version) {
                        let dropped =
                            index.retain(&mut value, &|item| as_api.field_known(item, at));
                        if !dropped.is_empty() {
                            for d in &dropped {
                                self.warn(&format!(
                                    "as-api {}: dropped body field {d} of {method} {label} (unknown at API {at})",
                                    as_api.max
                                ));
                            }
                            if let Ok(rewritten) = serde_json::to_vec(&value) {
                                out = Bytes::from(rewritten);
                            }
                        }
                    }
                    used_fields = found;
                }
                parts
                    .headers
                    .insert(header::CONTENT_LENGTH, HeaderValue::from(out.len()));
                Either::Right(Full::new(out))
            }
            Some(_) if has_body && strict => {
                if let Some(policy) = &self.allow {
                    return deny(policy.uninspectable(&seen.requested));
                }
                Either::Left(body)
            }
            _ => Either::Left(body),
        };

        self.record(&seen, &parts.headers, used_query, used_fields);

        // Forward exactly the path that was matched.
        let mut path = seen.target.forward_path(version);
        if !query.is_empty() {
            path.push('?');
            path.push_str(&query);
        }
        parts.uri = match path.parse::<Uri>() {
            Ok(uri) => uri,
            Err(e) => {
                return (
                    label,
                    error(StatusCode::BAD_REQUEST, &format!("bad request target: {e}")),
                )
            }
        };
        if !parts.headers.contains_key(header::HOST) {
            parts
                .headers
                .insert(header::HOST, HeaderValue::from_static("docker"));
        }
        parts.extensions = http::Extensions::new();
        let mut response = match self.send(slot, Request::from_parts(parts, body)).await {
            Ok(r) => r,
            Err(message) => return (label, error(StatusCode::BAD_GATEWAY, &message)),
        };

        if response.status() == StatusCode::SWITCHING_PROTOCOLS {
            if let Some(client_upgrade) = client_upgrade {
                let upstream_upgrade = hyper::upgrade::on(&mut response);
                let log_format = self.log;
                tokio::spawn(async move {
                    match (client_upgrade.await, upstream_upgrade.await) {
                        (Ok(client), Ok(upstream)) => {
                            let mut client = TokioIo::new(client);
                            let mut upstream = TokioIo::new(upstream);
                            let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
                        }
                        (Err(e), _) | (_, Err(e)) => {
                            log::warn(log_format, &format!("upgrade failed: {e}"));
                        }
                    }
                });
                let (parts, _) = response.into_parts();
                return (
                    label,
                    Response::from_parts(parts, Either::Right(Full::default())),
                );
            }
        }
        let response = match &self.as_api {
            Some(as_api) => self.rewrite_response(as_api, seen.op, response).await,
            None => response.map(Either::Left),
        };
        (label, response)
    }

    /// Under `--as-api`: every answer's `Api-Version` header says V at most,
    /// `/version` advertises V, and `/info` drops what a V daemon did not report.
    async fn rewrite_response(
        &self,
        as_api: &AsApi,
        op: Option<&OperationHistory>,
        response: Response<Incoming>,
    ) -> Response<ProxyBody> {
        let path = op.map(|o| o.key().path).unwrap_or_default();
        let (mut parts, body) = response.into_parts();
        let above = parts
            .headers
            .get("api-version")
            .and_then(|h| h.to_str().ok())
            .and_then(|s| s.parse::<ApiVersion>().ok())
            .is_some_and(|v| v > as_api.max);
        if above {
            if let Ok(v) = HeaderValue::from_str(&as_api.max.to_string()) {
                parts.headers.insert("api-version", v);
            }
        }
        let info = op.filter(|o| o.method == "GET" && path == "/info");
        if (path == "/version" || info.is_some()) && parts.status.is_success() {
            let bytes = match Limited::new(body, BODY_LIMIT as usize).collect().await {
                Ok(b) => b.to_bytes(),
                Err(e) => {
                    return error(
                        StatusCode::BAD_GATEWAY,
                        &format!("cannot read the daemon's /version answer: {e}"),
                    )
                }
            };
            let out = match info {
                Some(op) => match as_api.rewrite_fields(&bytes, op) {
                    Some((out, dropped)) => {
                        if !dropped.is_empty() {
                            log::warn(
                                self.log,
                                &format!(
                                    "--as-api {}: dropped from GET /info what that daemon did not report: {}",
                                    as_api.max,
                                    dropped.join(", ")
                                ),
                            );
                        }
                        Bytes::from(out)
                    }
                    None => bytes,
                },
                None => as_api.rewrite_version(&bytes).map_or(bytes, Bytes::from),
            };
            parts.headers.remove(header::TRANSFER_ENCODING);
            parts
                .headers
                .insert(header::CONTENT_LENGTH, HeaderValue::from(out.len()));
            return Response::from_parts(parts, Either::Right(Full::new(out)));
        }
        Response::from_parts(parts, Either::Left(body))
    }

    fn record(
        &self,
        seen: &Recognised<'_>,
        headers: &http::HeaderMap,
        query: Vec<String>,
        body: Vec<String>,
    ) {
        let Some(recorder) = &self.recorder else {
            return;
        };
        if seen.op.is_none() {
            self.warn(&format!(
                "{} is not documented by any API version; recorded as unknown",
                seen.requested
            ));
        }
        let since = seen
            .op
            .and_then(|op| call_since(op, &query, &body, self.matrix.fields_tracked_from));
        let path = seen.op.map(|o| o.key().path).unwrap_or_default();
        let observation = Observation {
            operation: seen.op.map(OperationHistory::display),
            requested: seen.requested.clone(),
            since,
            version: seen.target.version,
            counts_for_versioning: path != "/_ping" && path != "/version",
            query,
            body,
            registry_auth: headers.contains_key("x-registry-auth"),
            user_agent: headers
                .get(header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
        };
        if let Err(e) = recorder.observe(&observation) {
            self.warn(&e.to_string());
        }
    }

    async fn send(
        &self,
        slot: &UpstreamSlot,
        request: Request<ProxyBody>,
    ) -> Result<Response<Incoming>, String> {
        let mut guard = slot.lock().await;
        let reusable = guard.as_mut().is_some_and(|s| !s.is_closed());
        if reusable {
            if let Some(sender) = guard.as_mut() {
                if sender.ready().await.is_err() {
                    *guard = None;
                }
            }
        } else {
            *guard = None;
        }
        let sender = match guard.as_mut() {
            Some(s) => s,
            None => guard.insert(self.connect().await?),
        };
        sender
            .send_request(request)
            .await
            .map_err(|e| format!("dockmatrix proxy: upstream {} failed: {e}", self.upstream))
    }

    async fn connect(&self) -> Result<SendRequest<ProxyBody>, String> {
        let unreachable = |e: std::io::Error| {
            format!(
                "dockmatrix proxy: upstream {} is unreachable: {e}",
                self.upstream
            )
        };
        match &self.upstream {
            Address::Unix(path) => {
                handshake(UnixStream::connect(path).await.map_err(unreachable)?).await
            }
            Address::Tcp(host) => {
                let stream = TcpStream::connect(host).await.map_err(unreachable)?;
                let _ = stream.set_nodelay(true);
                handshake(stream).await
            }
        }
        .map_err(|e| format!("dockmatrix proxy: upstream {}: {e}", self.upstream))
    }

    fn warn(&self, message: &str) {
        log::warn(self.log, message);
    }
}

async fn handshake<IO>(io: IO) -> Result<SendRequest<ProxyBody>, String>
where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(io))
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(async move {
        let _ = connection.with_upgrades().await;
    });
    Ok(sender)
}

/// The newest `since` of an operation and the items it used; a body field first
/// seen in the first reference with schemas may be older and does not count.
fn call_since(
    op: &OperationHistory,
    query: &[String],
    body: &[String],
    fields_tracked_from: Option<ApiVersion>,
) -> Option<ApiVersion> {
    let query_since = op
        .query
        .iter()
        .filter(|q| query.contains(&q.name))
        .filter_map(|q| q.lifecycle.since);
    let field_since = op
        .request_fields
        .iter()
        .filter(|f| body.contains(&f.name))
        .filter_map(|f| f.lifecycle.since)
        .filter(|s| Some(*s) != fields_tracked_from);
    op.lifecycle
        .since
        .into_iter()
        .chain(query_since)
        .chain(field_since)
        .max()
}

fn content_length(headers: &http::HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
}

/// A Docker-style error answer: `{"message": "..."}`.
pub fn error(status: StatusCode, message: &str) -> Response<ProxyBody> {
    let body = serde_json::json!({ "message": message }).to_string();
    let mut response = Response::new(Either::Right(Full::new(Bytes::from(body))));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}
