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
use http_body_util::{BodyExt, Either, Full, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::client::conn::http1::SendRequest;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpStream, UnixStream};
use tokio::sync::Mutex;

use super::address::Address;
use super::as_api::{rewrite_version, AsApi};
use super::decide::{
    decide, BodyView, Decision, Forward, Head, Refusal, Rules, Verdict, BODY_LIMIT,
};
use super::log::{self, LogFormat};
use super::min_api::MinApi;
use super::policy::AllowPolicy;
use super::recorder::{Observation, Recorder};
use super::route::Router;
use super::serve::Peer;
use dockmatrix_core::analysis::usage::manifest::Undocumented;
use dockmatrix_core::analysis::{Matrix, OperationHistory};
use dockmatrix_core::version::ApiVersion;

/// Largest request head the proxy accepts (bigger ones get HTTP 431).
const MAX_HEAD: usize = 64 * 1024;

/// A body passed through as it arrives, or one the proxy built.
pub type ProxyBody = Either<Incoming, Full<Bytes>>;

type UpstreamSlot = Arc<Mutex<Option<SendRequest<ProxyBody>>>>;

/// What one request comes to: the log label, the refusing rule, the answer.
type Outcome = (String, Option<&'static str>, Response<ProxyBody>);

/// The request head, copied out before the request is taken apart.
struct OwnedHead {
    method: String,
    path: String,
    query: Option<String>,
    content_type: Option<String>,
    content_length: Option<u64>,
    has_body: bool,
}

impl OwnedHead {
    fn of(req: &Request<Incoming>) -> Self {
        let headers = req.headers();
        let content_length = content_length(headers);
        OwnedHead {
            method: req.method().as_str().to_string(),
            path: req.uri().path().to_string(),
            query: req.uri().query().map(str::to_string),
            content_type: headers
                .get(header::CONTENT_TYPE)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()),
            content_length,
            has_body: content_length.is_some_and(|l| l > 0)
                || headers.contains_key(header::TRANSFER_ENCODING),
        }
    }

    fn view(&self) -> Head<'_> {
        Head {
            method: &self.method,
            path: &self.path,
            query: self.query.as_deref(),
            content_type: self.content_type.as_deref(),
            content_length: self.content_length,
            has_body: self.has_body,
        }
    }
}

/// The decision on a request, reading its body first (up to [`BODY_LIMIT`])
/// when the head alone cannot decide; the body read is returned to be sent on.
async fn judge<'m>(
    head: &Head<'_>,
    rules: &Rules<'m>,
    incoming: &mut Option<Incoming>,
) -> Result<(Decision<'m>, Option<Bytes>), Outcome> {
    let decision = decide(head, BodyView::Unread, rules);
    if !matches!(decision.verdict, Verdict::ReadBody) {
        return Ok((decision, None));
    }
    let Some(unread) = incoming.take() else {
        return Ok((decision, None));
    };
    match Limited::new(unread, BODY_LIMIT as usize).collect().await {
        Ok(read) => {
            let bytes = read.to_bytes();
            Ok((decide(head, BodyView::Read(&bytes), rules), Some(bytes)))
        }
        Err(e) if e.is::<LengthLimitError>() => {
            let decision = decide(head, BodyView::TooLarge, rules);
            Err(match decision.verdict {
                Verdict::Refuse(r) => (decision.label, Some(r.rule), refusal(&r)),
                _ => {
                    let message = "dockmatrix proxy: the request body is over 1 MiB";
                    let answer = error(StatusCode::PAYLOAD_TOO_LARGE, message);
                    (decision.label, None, answer)
                }
            })
        }
        Err(e) => {
            let message = format!("dockmatrix proxy: cannot read the request body: {e}");
            let answer = error(StatusCode::BAD_REQUEST, &message);
            Err((decision.label, None, answer))
        }
    }
}

/// The body to send upstream: the bytes the proxy holds (read or rewritten,
/// with a matching `Content-Length`), else the client's stream as it arrives.
fn body_to_send(
    parts: &mut http::request::Parts,
    replacement: Option<Bytes>,
    incoming: Option<Incoming>,
) -> ProxyBody {
    match (replacement, incoming) {
        (Some(bytes), _) => {
            parts.headers.remove(header::TRANSFER_ENCODING);
            let length = HeaderValue::from(bytes.len());
            parts.headers.insert(header::CONTENT_LENGTH, length);
            Either::Right(Full::new(bytes))
        }
        (None, Some(unread)) => Either::Left(unread),
        (None, None) => Either::Right(Full::default()),
    }
}

/// Points the request at exactly the target that was judged, with a `Host`.
/// A target that is no URI gives the message of the 400 to answer.
fn aim(parts: &mut http::request::Parts, target: &str) -> Result<(), String> {
    parts.uri = target
        .parse::<Uri>()
        .map_err(|e| format!("bad request target: {e}"))?;
    if !parts.headers.contains_key(header::HOST) {
        let host = HeaderValue::from_static("docker");
        parts.headers.insert(header::HOST, host);
    }
    parts.extensions = http::Extensions::new();
    Ok(())
}

/// Pipes an upgraded (hijacked) connection both ways until either side closes.
async fn splice(
    client: hyper::upgrade::OnUpgrade,
    upstream: hyper::upgrade::OnUpgrade,
    log_format: LogFormat,
) {
    match (client.await, upstream.await) {
        (Ok(client), Ok(upstream)) => {
            let mut client = TokioIo::new(client);
            let mut upstream = TokioIo::new(upstream);
            let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
        }
        (Err(e), _) | (_, Err(e)) => log::warn(log_format, &format!("upgrade failed: {e}")),
    }
}

/// Everything a request needs, built once at start-up.
#[derive(Debug)]
pub struct Proxy {
    /// The matrix (shared by the listeners of one process).
    pub matrix: Arc<Matrix>,
    /// Its routes.
    pub router: Router,
    /// Where requests go.
    pub upstream: Address,
    /// `--record`.
    pub recorder: Option<Recorder>,
    /// `--allow`.
    pub allow: Option<AllowPolicy>,
    /// `--as-api` (or the maximum of `--as-docker`).
    pub as_api: Option<AsApi>,
    /// `--min-api` (or the minimum of `--as-docker`).
    pub min_api: Option<MinApi>,
    /// `--log`.
    pub log: LogFormat,
}

/// Serves one client connection; it gets its own upstream connection, so
/// keep-alive and upgrades map one to one.
pub async fn serve_connection<IO>(proxy: Arc<Proxy>, io: IO, peer: Peer)
where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let slot: UpstreamSlot = Arc::default();
    let log_format = proxy.log;
    let peer = Arc::new(peer);
    let service = service_fn(move |req| {
        let proxy = proxy.clone();
        let slot = slot.clone();
        let peer = peer.clone();
        async move { Ok::<_, Infallible>(proxy.handle(req, &slot, &peer).await) }
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

impl Proxy {
    async fn handle(
        &self,
        req: Request<Incoming>,
        slot: &UpstreamSlot,
        peer: &Peer,
    ) -> Response<ProxyBody> {
        let start = Instant::now();
        let method = req.method().as_str().to_string();
        let (label, rule, mut response) = self.process(req, slot).await;
        if let Some(as_api) = &self.as_api {
            // The proxy's own answers carry the header dockerd puts on every answer.
            if !response.headers().contains_key("api-version") {
                if let Ok(v) = HeaderValue::from_str(&as_api.max.to_string()) {
                    response.headers_mut().insert("api-version", v);
                }
            }
        }
        log::request(
            self.log,
            &log::RequestLine {
                method: &method,
                operation: &label,
                status: response.status().as_u16(),
                rule,
                took: start.elapsed(),
                peer,
            },
        );
        response
    }

    fn rules(&self) -> Rules<'_> {
        Rules {
            matrix: &self.matrix,
            router: &self.router,
            allow: self.allow.as_ref(),
            as_api: self.as_api.as_ref(),
            min_api: self.min_api.as_ref(),
            record: self.recorder.is_some(),
        }
    }

    /// Decides (reading the body first when the decision needs it), then
    /// forwards; the label and the refusing rule are for the log line.
    async fn process(&self, mut req: Request<Incoming>, slot: &UpstreamSlot) -> Outcome {
        let rules = self.rules();
        // The head is copied out: the request itself is taken apart below.
        let head = OwnedHead::of(&req);
        // The client side of an upgrade (attach, exec start) is taken before
        // the request is split up.
        let wants_upgrade = req.headers().contains_key(header::UPGRADE);
        let client_upgrade = wants_upgrade.then(|| hyper::upgrade::on(&mut req));
        let (mut parts, incoming) = req.into_parts();
        let mut incoming = Some(incoming);
        let (decision, read) = match judge(&head.view(), &rules, &mut incoming).await {
            Ok(judged) => judged,
            Err(outcome) => return outcome,
        };
        let label = decision.label;
        let forward = match decision.verdict {
            Verdict::Forward(f) => f,
            Verdict::Refuse(r) => return (label, Some(r.rule), refusal(&r)),
            Verdict::ReadBody => {
                let message = "dockmatrix proxy: the body was read and is still undecided";
                let answer = error(StatusCode::INTERNAL_SERVER_ERROR, message);
                return (label, None, answer);
            }
        };
        for w in &forward.warnings {
            self.warn(w);
        }
        let replacement = forward.body.clone().map(Bytes::from).or(read);
        let body = body_to_send(&mut parts, replacement, incoming);
        self.record(&forward, &parts.headers);
        if let Err(message) = aim(&mut parts, &forward.target) {
            return (label, None, error(StatusCode::BAD_REQUEST, &message));
        }
        let mut response = match self.send(slot, Request::from_parts(parts, body)).await {
            Ok(r) => r,
            Err(message) => return (label, None, error(StatusCode::BAD_GATEWAY, &message)),
        };
        if response.status() == StatusCode::SWITCHING_PROTOCOLS {
            if let Some(client_upgrade) = client_upgrade {
                let upstream_upgrade = hyper::upgrade::on(&mut response);
                tokio::spawn(splice(client_upgrade, upstream_upgrade, self.log));
                let (parts, _) = response.into_parts();
                let answer = Response::from_parts(parts, Either::Right(Full::default()));
                return (label, None, answer);
            }
        }
        let response = if self.as_api.is_some() || self.min_api.is_some() {
            self.rewrite_response(forward.op, response).await
        } else {
            response.map(Either::Left)
        };
        self.note_advertised(&forward, &response);
        (label, None, response)
    }

    /// Under `--as-api`: every answer's `Api-Version` header says V at most,
    /// `/version` advertises V, and `/info` drops what a V daemon did not report;
    /// under `--min-api`, `/version` advertises the minimum.
    async fn rewrite_response(
        &self,
        op: Option<&OperationHistory>,
        response: Response<Incoming>,
    ) -> Response<ProxyBody> {
        let path = op.map(|o| o.key().path).unwrap_or_default();
        let (mut parts, body) = response.into_parts();
        if let Some(as_api) = &self.as_api {
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
        }
        let info = op
            .filter(|o| o.method == "GET" && path == "/info")
            .zip(self.as_api.as_ref());
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
                Some((op, as_api)) => match as_api.rewrite_fields(&bytes, op) {
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
                None => rewrite_version(
                    &bytes,
                    self.as_api.as_ref().map(|a| a.max),
                    self.min_api.map(|m| m.min),
                )
                .map_or(bytes, Bytes::from),
            };
            parts.headers.remove(header::TRANSFER_ENCODING);
            parts
                .headers
                .insert(header::CONTENT_LENGTH, HeaderValue::from(out.len()));
            return Response::from_parts(parts, Either::Right(Full::new(out)));
        }
        Response::from_parts(parts, Either::Left(body))
    }

    fn record(&self, forward: &Forward<'_>, headers: &http::HeaderMap) {
        let Some(recorder) = &self.recorder else {
            return;
        };
        if forward.op.is_none() {
            self.warn(&format!(
                "{} is not documented by any API version; recorded as unknown",
                forward.requested
            ));
        }
        let set_query: Vec<String> = forward
            .used_query
            .iter()
            .filter(|q| !forward.zero_query.contains(q))
            .cloned()
            .collect();
        let since = forward.op.and_then(|op| {
            call_since(
                op,
                &set_query,
                &forward.used_fields,
                self.matrix.fields_tracked_from,
            )
        });
        let path = forward.op.map(|o| o.key().path).unwrap_or_default();
        let observation = Observation {
            operation: forward.op.map(OperationHistory::display),
            requested: forward.requested.clone(),
            since,
            version: forward.version,
            counts_for_versioning: path != "/_ping" && path != "/version",
            query: forward.used_query.clone(),
            zero_query: forward.zero_query.clone(),
            body: forward.used_fields.clone(),
            undocumented: Undocumented {
                query: forward.undocumented_query.clone(),
                body: forward.undocumented_body.clone(),
            },
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

    /// Tells the recorder what version an unversioned `/_ping` or `/version`
    /// answer advertised, so it can tell a negotiating client from a pinned one.
    fn note_advertised(&self, forward: &Forward<'_>, response: &Response<ProxyBody>) {
        let Some(recorder) = &self.recorder else {
            return;
        };
        let path = forward.op.map(|o| o.key().path).unwrap_or_default();
        if forward.version.is_some() || (path != "/_ping" && path != "/version") {
            return;
        }
        let advertised = response
            .headers()
            .get("api-version")
            .and_then(|h| h.to_str().ok())
            .and_then(|s| s.parse::<ApiVersion>().ok());
        if let Some(v) = advertised {
            recorder.advertised(v);
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
            None => guard.insert(connect(&self.upstream).await?),
        };
        sender
            .send_request(request)
            .await
            .map_err(|e| format!("dockmatrix proxy: upstream {} failed: {e}", self.upstream))
    }

    fn warn(&self, message: &str) {
        log::warn(self.log, message);
    }
}

/// A new HTTP/1.1 connection to the daemon (upgrades allowed).
pub async fn connect(upstream: &Address) -> Result<SendRequest<ProxyBody>, String> {
    let unreachable = |e: std::io::Error| {
        format!(
            "dockmatrix proxy: upstream {} is unreachable: {e}",
            upstream
        )
    };
    match upstream {
        Address::Unix(path) => {
            handshake(UnixStream::connect(path).await.map_err(unreachable)?).await
        }
        Address::Tcp(host) => {
            let stream = TcpStream::connect(host).await.map_err(unreachable)?;
            let _ = stream.set_nodelay(true);
            handshake(stream).await
        }
    }
    .map_err(|e| format!("dockmatrix proxy: upstream {}: {e}", upstream))
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

/// The answer to a refusal: JSON, or plain text where the daemon writes that.
fn refusal(r: &Refusal) -> Response<ProxyBody> {
    if !r.plain {
        return error(r.status, &r.message);
    }
    // As Go's http.Error writes it.
    let body = format!("{}\n", r.message);
    let mut response = Response::new(Either::Right(Full::new(Bytes::from(body))));
    *response.status_mut() = r.status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    response
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
