//! Request builder used by generated operation methods.

use std::fmt::Write as _;

use bytes::Bytes;
use futures_core::Stream;
use futures_util::StreamExt;
use http_body_util::{BodyExt, Empty, Full, StreamBody};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;

use crate::error::{BoxError, Error};
use crate::gate::{check_operation, check_parameter, HttpMethod, OperationInfo, ParamInfo};
use crate::served::Gate;
use crate::version::ApiVersion;

/// Body type handed to hyper.
pub(crate) type ReqBody = http_body_util::combinators::UnsyncBoxBody<Bytes, BoxError>;

/// Everything except RFC 3986 unreserved characters is percent-encoded, so a value can
/// never introduce `/`, `?`, `#`, `&`, `=` or `%` into a path segment or query component.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A streaming request body item source (e.g. a tar archive being produced).
pub type BodyStream = std::pin::Pin<Box<dyn Stream<Item = Result<Bytes, std::io::Error>> + Send>>;

/// A request body.
pub enum Body {
    /// No body.
    Empty,
    /// A complete body with its content type.
    Bytes {
        /// Payload.
        data: Bytes,
        /// `Content-Type` header value.
        content_type: &'static str,
    },
    /// A streamed body (chunked transfer encoding) with its content type.
    Stream {
        /// Payload chunks.
        stream: BodyStream,
        /// `Content-Type` header value.
        content_type: &'static str,
    },
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Body::Empty => f.write_str("Empty"),
            Body::Bytes { data, content_type } => {
                write!(f, "Bytes({} bytes, {content_type})", data.len())
            }
            Body::Stream { content_type, .. } => write!(f, "Stream({content_type})"),
        }
    }
}

/// A raw request body given to a generated method: complete bytes or a stream
/// (sent with chunked encoding), e.g. a tar archive.
pub enum RawBody {
    /// Complete payload.
    Bytes(Bytes),
    /// Streamed payload.
    Stream(BodyStream),
}

impl RawBody {
    /// A streamed body.
    pub fn stream<S>(stream: S) -> Self
    where
        S: Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static,
    {
        RawBody::Stream(Box::pin(stream))
    }
}

impl std::fmt::Debug for RawBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RawBody::Bytes(b) => write!(f, "Bytes({} bytes)", b.len()),
            RawBody::Stream(_) => f.write_str("Stream"),
        }
    }
}

impl From<Bytes> for RawBody {
    fn from(b: Bytes) -> Self {
        RawBody::Bytes(b)
    }
}

impl From<Vec<u8>> for RawBody {
    fn from(b: Vec<u8>) -> Self {
        RawBody::Bytes(Bytes::from(b))
    }
}

impl From<&'static [u8]> for RawBody {
    fn from(b: &'static [u8]) -> Self {
        RawBody::Bytes(Bytes::from_static(b))
    }
}

impl From<String> for RawBody {
    fn from(s: String) -> Self {
        RawBody::Bytes(Bytes::from(s))
    }
}

/// Values that can be written as a query-string value.
pub trait QueryValue {
    /// Appends the unencoded textual form to `out`.
    fn write_query(&self, out: &mut String);
}

impl QueryValue for bool {
    /// Booleans are sent as `1` / `0`, as the Docker CLI does.
    fn write_query(&self, out: &mut String) {
        out.push(if *self { '1' } else { '0' });
    }
}

impl QueryValue for str {
    fn write_query(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl QueryValue for String {
    fn write_query(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl<T: QueryValue + ?Sized> QueryValue for &T {
    fn write_query(&self, out: &mut String) {
        (**self).write_query(out);
    }
}

macro_rules! int_query {
    ($($t:ty),*) => {$(
        impl QueryValue for $t {
            fn write_query(&self, out: &mut String) {
                let _ = write!(out, "{self}");
            }
        }
    )*};
}
int_query!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

/// A Docker API request under construction. Builder methods never fail; the first
/// problem (bad header, unencodable JSON, …) is kept and reported by `Client::send*`
/// before any I/O.
#[derive(Debug)]
pub struct Request {
    operation: Option<&'static OperationInfo>,
    method: HttpMethod,
    template: &'static str,
    versioned: bool,
    path_params: Vec<(&'static str, String)>,
    query: String,
    gated_params: Vec<&'static ParamInfo>,
    headers: Vec<(http::HeaderName, http::HeaderValue)>,
    body: Body,
    error: Option<Error>,
}

impl Request {
    /// A request for an arbitrary method and path template (no version gate).
    pub fn new(method: HttpMethod, template: &'static str) -> Self {
        Self {
            operation: None,
            method,
            template,
            versioned: true,
            path_params: Vec::new(),
            query: String::new(),
            gated_params: Vec::new(),
            headers: Vec::new(),
            body: Body::Empty,
            error: None,
        }
    }

    /// A request for a described operation; `Client::send*` checks its version gate
    /// (and those of parameters added with `*_param`) before any I/O.
    pub fn for_operation(op: &'static OperationInfo) -> Self {
        let mut r = Self::new(op.method, op.path);
        r.operation = Some(op);
        r
    }

    /// Sends the path without the `/vX.Y` prefix (used for `/_ping` and `/version` during negotiation).
    pub fn unversioned(mut self) -> Self {
        self.versioned = false;
        self
    }

    /// The operation this request was built for, if any.
    pub fn operation(&self) -> Option<&'static OperationInfo> {
        self.operation
    }

    /// HTTP method.
    pub fn method(&self) -> HttpMethod {
        self.method
    }

    /// Sets the value of placeholder `{name}`; it is percent-encoded as one path segment.
    pub fn path_param(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.path_params.push((name, value.into()));
        self
    }

    /// Appends `key=value` to the query string (both percent-encoded).
    pub fn query(mut self, key: &str, value: impl QueryValue) -> Self {
        let mut raw = String::new();
        value.write_query(&mut raw);
        self.push_query(key, &raw);
        self
    }

    /// Appends `key=<value as JSON>` (e.g. `filters` maps).
    pub fn query_json<T: Serialize + ?Sized>(mut self, key: &str, value: &T) -> Self {
        match serde_json::to_string(value) {
            Ok(json) => self.push_query(key, &json),
            Err(source) => self.fail(Error::Encode {
                context: format!("query parameter {key}"),
                source,
            }),
        }
        self
    }

    /// Appends a described query parameter (key = `param.name`) and gates it.
    pub fn query_param(self, param: &'static ParamInfo, value: impl QueryValue) -> Self {
        self.uses_param(param).query(param.name, value)
    }

    /// Appends a described JSON-encoded query parameter and gates it.
    pub fn query_param_json<T: Serialize + ?Sized>(
        self,
        param: &'static ParamInfo,
        value: &T,
    ) -> Self {
        self.uses_param(param).query_json(param.name, value)
    }

    /// Records that a described parameter (body field, header, …) is set, so it is gated.
    pub fn uses_param(mut self, param: &'static ParamInfo) -> Self {
        self.gated_params.push(param);
        self
    }

    /// Adds a header (e.g. `X-Registry-Auth`).
    pub fn header(mut self, name: &'static str, value: impl AsRef<str>) -> Self {
        let name_parsed = http::HeaderName::from_bytes(name.as_bytes());
        let value_parsed = http::HeaderValue::from_str(value.as_ref());
        match (name_parsed, value_parsed) {
            (Ok(n), Ok(v)) => self.headers.push((n, v)),
            _ => self.fail(Error::InvalidRequest(format!("invalid header {name}"))),
        }
        self
    }

    /// Sets a JSON body (`Content-Type: application/json`).
    pub fn json_body<T: Serialize + ?Sized>(mut self, value: &T) -> Self {
        match serde_json::to_vec(value) {
            Ok(data) => {
                self.body = Body::Bytes {
                    data: Bytes::from(data),
                    content_type: "application/json",
                }
            }
            Err(source) => self.fail(Error::Encode {
                context: format!("request body of {}", self.context()),
                source,
            }),
        }
        self
    }

    /// Serializes `value` as the JSON body and records every field of `fields` that is
    /// set in it (see [`crate::gate::fields_in_use`]) so `Client::send*` gates it.
    pub fn json_body_gated<T: Serialize + ?Sized>(
        mut self,
        value: &T,
        fields: &'static [ParamInfo],
    ) -> Self {
        match serde_json::to_value(value) {
            Ok(json) => {
                for f in crate::gate::fields_in_use(&json, fields) {
                    self.gated_params.push(f);
                }
                self.json_body(&json)
            }
            Err(source) => {
                let context = format!("request body of {}", self.context());
                self.fail(Error::Encode { context, source });
                self
            }
        }
    }

    /// Sets a raw body (bytes or stream) with its content type.
    pub fn raw_body(self, body: RawBody, content_type: &'static str) -> Self {
        match body {
            RawBody::Bytes(data) => self.bytes_body(data, content_type),
            RawBody::Stream(stream) => self.stream_body(stream, content_type),
        }
    }

    /// Sets a complete raw body with its content type (e.g. `application/x-tar`).
    pub fn bytes_body(mut self, data: impl Into<Bytes>, content_type: &'static str) -> Self {
        self.body = Body::Bytes {
            data: data.into(),
            content_type,
        };
        self
    }

    /// Sets a streamed body (sent with chunked encoding), e.g. a tar upload.
    pub fn stream_body<S>(mut self, stream: S, content_type: &'static str) -> Self
    where
        S: Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static,
    {
        self.body = Body::Stream {
            stream: Box::pin(stream),
            content_type,
        };
        self
    }

    /// A copy to replay after a stale pooled connection failed, if this request may be
    /// replayed (`GET`/`HEAD` with an empty or complete body).
    pub(crate) fn replay_copy(&self) -> Option<Request> {
        if !safe_to_replay(self.method) || self.error.is_some() {
            return None;
        }
        let body = match &self.body {
            Body::Empty => Body::Empty,
            Body::Bytes { data, content_type } => Body::Bytes {
                data: data.clone(),
                content_type,
            },
            Body::Stream { .. } => return None,
        };
        Some(Request {
            operation: self.operation,
            method: self.method,
            template: self.template,
            versioned: self.versioned,
            path_params: self.path_params.clone(),
            query: self.query.clone(),
            gated_params: self.gated_params.clone(),
            headers: self.headers.clone(),
            body,
            error: None,
        })
    }

    /// Whether header `name` was set (case-insensitive).
    pub fn has_header(&self, name: &str) -> bool {
        self.headers
            .iter()
            .any(|(n, _)| n.as_str().eq_ignore_ascii_case(name))
    }

    /// The image reference whose registry credentials this request carries in
    /// `X-Registry-Auth`: `fromImage` of an image pull, the pushed name, the service's
    /// `TaskTemplate.ContainerSpec.Image`. `None` for every other request.
    pub(crate) fn registry_image(&self) -> Option<String> {
        if self.method != HttpMethod::Post {
            return None;
        }
        match self.template {
            "/images/create" => self.query_value("fromImage"),
            "/images/{name}/push" => self
                .path_params
                .iter()
                .find(|(n, _)| *n == "name")
                .map(|(_, v)| v.clone()),
            "/services/create" | "/services/{id}/update" => {
                let Body::Bytes { data, .. } = &self.body else {
                    return None;
                };
                let body: serde_json::Value = serde_json::from_slice(data).ok()?;
                body.pointer("/TaskTemplate/ContainerSpec/Image")?
                    .as_str()
                    .map(str::to_owned)
            }
            _ => None,
        }
    }

    /// Whether the JSON body has `true` at top-level key `key` (`Detach` of an exec
    /// start); `false` for any other body.
    pub(crate) fn json_body_flag(&self, key: &str) -> bool {
        let Body::Bytes { data, .. } = &self.body else {
            return false;
        };
        serde_json::from_slice::<serde_json::Value>(data)
            .ok()
            .and_then(|body| body.get(key)?.as_bool())
            .unwrap_or(false)
    }

    /// The decoded value of query parameter `key`, if set.
    fn query_value(&self, key: &str) -> Option<String> {
        self.query.split('&').find_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            let k = percent_encoding::percent_decode_str(k).decode_utf8().ok()?;
            (k == key).then(|| {
                percent_encoding::percent_decode_str(v)
                    .decode_utf8_lossy()
                    .into_owned()
            })
        })
    }

    /// The path template (`/containers/{id}/wait`).
    pub fn template(&self) -> &'static str {
        self.template
    }

    /// Operation name or path template, for error messages.
    pub fn context(&self) -> &'static str {
        self.operation.map_or(self.template, |op| op.name)
    }

    /// Checks the operation and every gated parameter against `gate` (no I/O).
    pub fn check_gates(&self, gate: Gate) -> Result<(), Error> {
        if let Some(op) = self.operation {
            check_operation(op, gate)?;
            for p in &self.gated_params {
                check_parameter(op, p, gate)?;
            }
        }
        Ok(())
    }

    /// Renders `/vX.Y/path?query` (or `/path?query` if unversioned), percent-encoding path
    /// parameters. Fails on unknown/missing placeholders and on values that are empty or
    /// contain a `.`/`..` segment (which the daemon would resolve into another route).
    pub fn path_and_query(&self, v: ApiVersion) -> Result<String, Error> {
        if let Some(e) = &self.error {
            return Err(Error::InvalidRequest(e.to_string()));
        }
        let mut out = String::with_capacity(self.template.len() + self.query.len() + 16);
        if self.versioned {
            let _ = write!(out, "/v{v}");
        }
        let mut rest = self.template;
        let mut used = 0usize;
        while let Some(open) = rest.find('{') {
            let (before, after) = rest.split_at(open);
            out.push_str(before);
            let close = after.find('}').ok_or_else(|| {
                Error::InvalidRequest(format!("unclosed placeholder in {}", self.template))
            })?;
            let name = after.get(1..close).unwrap_or_default();
            let value = self
                .path_params
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v)
                .ok_or_else(|| {
                    Error::InvalidRequest(format!(
                        "missing path parameter {name} for {}",
                        self.template
                    ))
                })?;
            self.validate_segment(name, value)?;
            out.extend(utf8_percent_encode(value, COMPONENT));
            used += 1;
            rest = after.get(close + 1..).unwrap_or_default();
        }
        out.push_str(rest);
        if used < self.path_params.len() {
            return Err(Error::InvalidRequest(format!(
                "path parameter given that {} does not use",
                self.template
            )));
        }
        if !self.query.is_empty() {
            out.push('?');
            out.push_str(&self.query);
        }
        Ok(out)
    }

    fn validate_segment(&self, name: &str, value: &str) -> Result<(), Error> {
        let reason = if value.is_empty() {
            Some("empty value")
        } else if value.split('/').any(|seg| seg == "." || seg == "..") {
            Some("contains a '.' or '..' path segment")
        } else {
            None
        };
        match reason {
            None => Ok(()),
            Some(reason) => Err(Error::InvalidPathParameter {
                template: self.template,
                name: self
                    .path_params
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map_or("", |(n, _)| n),
                value: value.to_owned(),
                reason,
            }),
        }
    }

    /// Builds the `http::Request` for API version `v` against `authority`.
    pub(crate) fn into_http(
        mut self,
        v: ApiVersion,
        authority: &str,
        upgrade: bool,
    ) -> Result<http::Request<ReqBody>, Error> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        let pq = self.path_and_query(v)?;
        let uri = format!("http://{authority}{pq}");
        let mut builder = http::Request::builder()
            .method(self.method.as_str())
            .uri(uri);
        // A Content-Type given as a header parameter (`build`'s `Content-type`) replaces
        // the body's default instead of adding a second one.
        let explicit_type = self
            .headers
            .iter()
            .any(|(n, _)| n == http::header::CONTENT_TYPE);
        for (n, v) in self.headers {
            builder = builder.header(n, v);
        }
        if upgrade {
            builder = builder
                .header(http::header::CONNECTION, "Upgrade")
                .header(http::header::UPGRADE, "tcp");
        }
        let body: ReqBody = match self.body {
            Body::Empty => Empty::<Bytes>::new()
                .map_err(|never| match never {})
                .boxed_unsync(),
            Body::Bytes { data, content_type } => {
                if !explicit_type {
                    builder = builder.header(http::header::CONTENT_TYPE, content_type);
                }
                Full::new(data)
                    .map_err(|never| match never {})
                    .boxed_unsync()
            }
            Body::Stream {
                stream,
                content_type,
            } => {
                if !explicit_type {
                    builder = builder.header(http::header::CONTENT_TYPE, content_type);
                }
                let frames =
                    stream.map(|r| r.map(hyper::body::Frame::data).map_err(BoxError::from));
                StreamBody::new(frames).boxed_unsync()
            }
        };
        builder
            .body(body)
            .map_err(|e| Error::InvalidRequest(format!("cannot build request: {e}")))
    }

    fn push_query(&mut self, key: &str, value: &str) {
        if !self.query.is_empty() {
            self.query.push('&');
        }
        self.query.extend(utf8_percent_encode(key, COMPONENT));
        self.query.push('=');
        self.query.extend(utf8_percent_encode(value, COMPONENT));
    }

    fn fail(&mut self, e: Error) {
        if self.error.is_none() {
            self.error = Some(e);
        }
    }
}

/// Whether a request can be replayed without changing what the caller observes:
/// `GET` and `HEAD`. (`PUT` and `DELETE` are idempotent for the daemon's state, but a
/// replayed `DELETE` reports 404 for what the first attempt removed.)
fn safe_to_replay(method: HttpMethod) -> bool {
    matches!(method, HttpMethod::Get | HttpMethod::Head)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::VersionRange;
    use std::collections::BTreeMap;

    const V: ApiVersion = ApiVersion::new(1, 41);

    #[test]
    fn path_params_cannot_change_route() {
        let r = Request::new(HttpMethod::Get, "/containers/{id}/json")
            .path_param("id", "a/b?c#d&e=f%g h");
        assert_eq!(
            r.path_and_query(V).unwrap(),
            "/v1.41/containers/a%2Fb%3Fc%23d%26e%3Df%25g%20h/json"
        );
        for bad in ["../../x?y", "..", ".", "a/../b", "a/./b", "x/.."] {
            let r = Request::new(HttpMethod::Get, "/containers/{id}/json").path_param("id", bad);
            assert!(
                matches!(
                    r.path_and_query(V),
                    Err(Error::InvalidPathParameter { name: "id", .. })
                ),
                "{bad:?} accepted"
            );
        }
        // dots that are not whole segments are fine
        let r = Request::new(HttpMethod::Get, "/images/{name}/json")
            .path_param("name", "reg.io/a..b:1.0");
        assert_eq!(
            r.path_and_query(V).unwrap(),
            "/v1.41/images/reg.io%2Fa..b%3A1.0/json"
        );
    }

    #[test]
    fn missing_or_extra_path_params_are_errors() {
        let r = Request::new(HttpMethod::Get, "/containers/{id}/json");
        assert!(matches!(r.path_and_query(V), Err(Error::InvalidRequest(_))));
        let r = Request::new(HttpMethod::Get, "/info").path_param("id", "x");
        assert!(matches!(r.path_and_query(V), Err(Error::InvalidRequest(_))));
        let r = Request::new(HttpMethod::Get, "/x/{id").path_param("id", "x");
        assert!(matches!(r.path_and_query(V), Err(Error::InvalidRequest(_))));
    }

    #[test]
    fn query_values_are_encoded() {
        let mut filters = BTreeMap::new();
        filters.insert("label", vec!["a=b"]);
        let r = Request::new(HttpMethod::Get, "/containers/json")
            .query("all", true)
            .query("size", false)
            .query("limit", 10u32)
            .query("name", "x y&z")
            .query_json("filters", &filters)
            .unversioned();
        assert_eq!(
            r.path_and_query(V).unwrap(),
            "/containers/json?all=1&size=0&limit=10&name=x%20y%26z&filters=%7B%22label%22%3A%5B%22a%3Db%22%5D%7D"
        );
    }

    #[test]
    fn gates_operation_and_params() {
        static OP: OperationInfo = OperationInfo::new(
            "ContainerList",
            HttpMethod::Get,
            "/containers/json",
            &[VersionRange::ALL],
        );
        static P: ParamInfo = ParamInfo::new(
            "filters",
            crate::gate::ParamLocation::Query,
            &[VersionRange::new(Some(ApiVersion::new(1, 20)), None)],
        );
        let r = Request::for_operation(&OP)
            .query_param_json(&P, &BTreeMap::<String, Vec<String>>::new());
        assert!(r
            .check_gates(Gate::documents(ApiVersion::new(1, 20)))
            .is_ok());
        assert!(matches!(
            r.check_gates(Gate::documents(ApiVersion::new(1, 19))),
            Err(Error::UnsupportedParameter {
                parameter: "filters",
                ..
            })
        ));
    }

    #[test]
    fn bad_header_is_reported() {
        let r = Request::new(HttpMethod::Get, "/info").header("X-Registry-Auth", "a\nb");
        assert!(matches!(r.path_and_query(V), Err(Error::InvalidRequest(_))));
    }
}
