//! The proxy's one decision, as a pure function of the request head, its body
//! (when the decision needs it) and the rules: refuse (with the rule that
//! decided), read the body first, or forward (with the exact path to send, the
//! body to send in its place, what was used and what to warn about).
//!
//! [`super::forward`] does the I/O around it; the bypass corpus runs against
//! [`decide`] directly as unit tests and end to end through a real daemon.

use http::StatusCode;

use super::as_api::AsApi;
use super::gojson::{self, GoValue};
use super::items::{filter_query, query_names, zero_valued, BodyUse, FieldIndex};
use super::min_api::MinApi;
use super::policy::{AllowPolicy, Denied, Listed};
use super::route::Router;
use super::target::RequestTarget;
use dockmatrix_core::analysis::{Matrix, OperationHistory};
use dockmatrix_core::model::OpKey;
use dockmatrix_core::version::ApiVersion;

/// Largest request body read whole to judge it (bigger ones are refused where
/// a rule needs the body, and streamed unread otherwise).
pub const BODY_LIMIT: u64 = 1 << 20;

/// Operations whose request body is data rather than a JSON object of fields:
/// build contexts, archives and image tarballs (`application/x-tar`,
/// `application/octet-stream`, `text/plain` in the references) and a plugin's
/// `["KEY=value"]` settings. An allow-list governs them per operation only;
/// `tests/it/proxy_decide.rs` checks the list against the newest reference.
pub const PAYLOAD_BODIES: &[(&str, &str)] = &[
    ("POST", "/build"),
    ("PUT", "/containers/{id}/archive"),
    ("POST", "/images/create"),
    ("POST", "/images/load"),
    ("POST", "/plugins/create"),
    ("POST", "/plugins/{name}/set"),
];

/// What the decision needs of the request line and headers.
#[derive(Debug, Clone, Copy)]
pub struct Head<'a> {
    /// The method, as sent.
    pub method: &'a str,
    /// The path part of the request target, as sent.
    pub path: &'a str,
    /// The query string, as sent.
    pub query: Option<&'a str>,
    /// `Content-Type`, if any.
    pub content_type: Option<&'a str>,
    /// `Content-Length`, if any.
    pub content_length: Option<u64>,
    /// Whether a body follows (a non-zero length, or chunked).
    pub has_body: bool,
}

/// The body, as far as it has been read.
#[derive(Debug, Clone, Copy)]
pub enum BodyView<'a> {
    /// Not read (or none).
    Unread,
    /// Read whole.
    Read(&'a [u8]),
    /// Longer than [`BODY_LIMIT`].
    TooLarge,
}

/// Everything the decision consults, fixed at start-up.
#[derive(Debug, Clone, Copy)]
pub struct Rules<'a> {
    /// The matrix.
    pub matrix: &'a Matrix,
    /// Its routes.
    pub router: &'a Router,
    /// `--allow` (with `--strict`).
    pub allow: Option<&'a AllowPolicy>,
    /// `--as-api` (or the maximum of `--as-docker`).
    pub as_api: Option<&'a AsApi>,
    /// `--min-api` (or the minimum of `--as-docker`).
    pub min_api: Option<&'a MinApi>,
    /// `--record`: the used items are wanted.
    pub record: bool,
}

/// A refusal: the status, the rule that decided and the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// HTTP status of the answer.
    pub status: StatusCode,
    /// The rule, e.g. `strict.body-field`.
    pub rule: &'static str,
    /// The message (`{"message": …}` in the answer).
    pub message: String,
    /// Written as plain text, as some daemons answer an old client.
    pub plain: bool,
}

/// A request to forward.
#[derive(Debug, Clone)]
pub struct Forward<'m> {
    /// The operation, if the matrix knows the route.
    pub op: Option<&'m OperationHistory>,
    /// `METHOD /decoded/path` as requested.
    pub requested: String,
    /// The `/vX.Y` prefix the client sent.
    pub version: Option<ApiVersion>,
    /// The path and query to send upstream.
    pub target: String,
    /// A body to send instead of the one received (`--as-api` rewrote it).
    pub body: Option<Vec<u8>>,
    /// Documented query parameter names used.
    pub used_query: Vec<String>,
    /// Those of them sent with their zero value (`0`, `false`, empty).
    pub zero_query: Vec<String>,
    /// Documented body fields set.
    pub used_fields: Vec<String>,
    /// Query parameter names no version documents.
    pub undocumented_query: Vec<String>,
    /// Body member paths no version documents.
    pub undocumented_body: Vec<String>,
    /// Lines for the log.
    pub warnings: Vec<String>,
}

/// What to do with a request.
#[derive(Debug, Clone)]
pub enum Verdict<'m> {
    /// Answer with an error.
    Refuse(Refusal),
    /// Read the body (up to [`BODY_LIMIT`]) and decide again.
    ReadBody,
    /// Send it on.
    Forward(Forward<'m>),
}

/// A decision and the label of the request for the log line.
#[derive(Debug, Clone)]
pub struct Decision<'m> {
    /// The operation's path, or the requested path marked unknown.
    pub label: String,
    /// What to do.
    pub verdict: Verdict<'m>,
}

/// Decides what happens to one request.
pub fn decide<'m>(head: &Head<'_>, body: BodyView<'_>, rules: &Rules<'m>) -> Decision<'m> {
    let target = match RequestTarget::parse(head.path) {
        Ok(t) => t,
        Err(e) => {
            return Decision {
                label: head.path.to_string(),
                verdict: refuse(StatusCode::BAD_REQUEST, "target", e.to_string()),
            }
        }
    };
    let op = rules
        .router
        .find(head.method, &target.segments)
        .and_then(|i| rules.router.operation(rules.matrix, i));
    let label = op.map_or_else(
        || format!("{} (unknown)", target.display()),
        |o| o.path.clone(),
    );
    let verdict = Judge {
        head,
        rules,
        requested: format!("{} {}", head.method, target.display()),
        target,
        op,
        undocumented_query: Vec::new(),
        warnings: Vec::new(),
    }
    .verdict(body)
    .unwrap_or_else(Verdict::Refuse);
    Decision { label, verdict }
}

fn refuse(status: StatusCode, rule: &'static str, message: String) -> Verdict<'static> {
    Verdict::Refuse(Refusal {
        status,
        rule,
        message,
        plain: false,
    })
}

fn denied(d: Denied) -> Refusal {
    Refusal {
        status: StatusCode::FORBIDDEN,
        rule: d.rule,
        message: d.message,
        plain: false,
    }
}

/// Whether `op`'s body is data (see [`PAYLOAD_BODIES`]).
pub fn has_payload_body(op: &OperationHistory) -> bool {
    let key = op.key();
    PAYLOAD_BODIES.iter().any(|(m, p)| OpKey::new(m, p) == key)
}

struct Judge<'h, 'm> {
    head: &'h Head<'h>,
    rules: &'h Rules<'m>,
    requested: String,
    target: RequestTarget,
    op: Option<&'m OperationHistory>,
    undocumented_query: Vec<String>,
    warnings: Vec<String>,
}

impl<'m> Judge<'_, 'm> {
    fn verdict(mut self, body: BodyView<'_>) -> Result<Verdict<'m>, Refusal> {
        let version = self.as_api_version()?;
        let listed = self.allowed()?;
        let (query, used_query) = self.query(listed, version)?;
        let payload = self.op.is_some_and(has_payload_body);
        if self.rules.allow.is_some() && self.head.has_body && is_form(self.head.content_type) {
            return Err(self.deny_body(
                "allow.form-body",
                "a form body is read by dockerd as query parameters",
            ));
        }
        let mut forward = Forward {
            op: self.op,
            requested: self.requested.clone(),
            version: self.target.version,
            target: self.forward_target(version, &query),
            body: None,
            zero_query: zero_valued(self.head.query)
                .into_iter()
                .filter(|n| used_query.contains(n))
                .collect(),
            used_query,
            used_fields: Vec::new(),
            undocumented_query: std::mem::take(&mut self.undocumented_query),
            undocumented_body: Vec::new(),
            warnings: Vec::new(),
        };
        if self.head.has_body && !payload && self.op.is_some() {
            match body {
                BodyView::Unread if self.wants_body() => return Ok(Verdict::ReadBody),
                BodyView::Unread => {}
                BodyView::TooLarge => {
                    if self.rules.allow.is_some() {
                        return Err(Refusal {
                            status: StatusCode::PAYLOAD_TOO_LARGE,
                            ..self.deny_body(
                                "allow.body-too-large",
                                "a JSON body over 1 MiB cannot be judged",
                            )
                        });
                    }
                }
                BodyView::Read(bytes) => {
                    let (reading, rewritten) = self.body(listed, version, bytes)?;
                    forward.used_fields = reading.set;
                    forward.undocumented_body = reading.unknown;
                    forward.body = rewritten;
                }
            }
        }
        forward.warnings = self.warnings;
        Ok(Verdict::Forward(forward))
    }

    /// `--as-api`: versions above V and operations V lacks are answered here; the
    /// version to forward at (unversioned requests go at V).
    fn as_api_version(&self) -> Result<Option<ApiVersion>, Refusal> {
        let Some(as_api) = self.rules.as_api else {
            return match self.too_old() {
                Some(old) => Err(old),
                None => Ok(self.target.version),
            };
        };
        if let Some(message) = self.target.version.and_then(|v| as_api.too_new(v)) {
            return Err(Refusal {
                status: StatusCode::BAD_REQUEST,
                rule: "as-api.version",
                message,
                plain: false,
            });
        }
        if let Some(old) = self.too_old() {
            return Err(old);
        }
        let at = self.target.version.unwrap_or(as_api.max);
        if !self.op.is_some_and(|o| as_api.operation_known(o, at)) {
            return Err(Refusal {
                status: StatusCode::NOT_FOUND,
                rule: "as-api.operation",
                message: "page not found".to_string(),
                plain: false,
            });
        }
        Ok(Some(at))
    }

    /// `--min-api`: a versioned request below the minimum, answered as the
    /// daemon's version check answers it.
    fn too_old(&self) -> Option<Refusal> {
        let old = self.rules.min_api?.too_old(self.target.version?)?;
        Some(Refusal {
            status: StatusCode::BAD_REQUEST,
            rule: "min-api.version",
            message: old.message,
            plain: old.plain,
        })
    }

    /// The manifest's entry for this call, after the operation and version checks.
    fn allowed(&self) -> Result<Option<&'m Listed>, Refusal> {
        let Some(policy) = self.rules.allow else {
            return Ok(None);
        };
        let key = self.op.map(OperationHistory::key);
        let listed = policy
            .check_operation(key.as_ref(), &self.requested)
            .map_err(denied)?;
        policy
            .check_version(self.target.version, &self.requested)
            .map_err(denied)?;
        Ok(Some(listed))
    }

    /// The query to forward and the documented names used.
    fn query(
        &mut self,
        listed: Option<&Listed>,
        version: Option<ApiVersion>,
    ) -> Result<(String, Vec<String>), Refusal> {
        let raw = self.head.query.unwrap_or_default();
        if let Some(policy) = self.rules.allow {
            if raw.contains(';') {
                // Go before 1.17 splits queries on `;` too; later ones drop such pairs.
                return Err(denied(policy.deny(
                    "allow.query-separator",
                    format!(
                        "the query of {} contains ';', which dockerd releases split differently; refused by",
                        self.requested
                    ),
                )));
            }
            if let Some(listed) = listed {
                policy
                    .check_query(listed, &self.requested, &query_names(Some(raw)))
                    .map_err(denied)?;
            }
        }
        let Some(op) = self.op else {
            return Ok((raw.to_string(), Vec::new()));
        };
        let mut used = Vec::new();
        for name in query_names(Some(raw)) {
            if op.query.iter().any(|q| q.name == name) {
                used.push(name);
            } else {
                self.warnings.push(format!(
                    "query parameter {name:?} of {} {} is not documented by any API version",
                    op.method, op.path
                ));
                self.undocumented_query.push(name);
            }
        }
        let (Some(as_api), Some(at)) = (self.rules.as_api, version) else {
            return Ok((raw.to_string(), used));
        };
        let unknown: Vec<String> = used
            .iter()
            .filter(|n| {
                op.query
                    .iter()
                    .any(|q| &&q.name == n && !as_api.query_served(op, q, at))
            })
            .cloned()
            .collect();
        for n in &unknown {
            self.warnings.push(format!(
                "as-api {}: dropped query parameter {n} of {} {} (unknown at API {at})",
                as_api.max, op.method, op.path
            ));
        }
        let query = filter_query(raw, |name| unknown.iter().any(|u| u == name));
        Ok((query, used))
    }

    /// Whether this request's body must be read before deciding.
    fn wants_body(&self) -> bool {
        if self.rules.allow.is_some() {
            return true;
        }
        (self.rules.record || self.rules.as_api.is_some())
            && self.head.content_length.is_some_and(|l| l <= BODY_LIMIT)
    }

    /// Judges a JSON body; the fields it sets and, under `--as-api`, the body
    /// without the fields V lacks.
    fn body(
        &mut self,
        listed: Option<&Listed>,
        version: Option<ApiVersion>,
        bytes: &[u8],
    ) -> Result<(BodyUse, Option<Vec<u8>>), Refusal> {
        let Some(op) = self.op else {
            return Ok((BodyUse::default(), None));
        };
        let mut value = if gojson::is_blank(bytes) {
            GoValue::Null
        } else {
            match gojson::read(bytes) {
                Ok(v) => v,
                Err(e) => {
                    return match self.rules.allow {
                        Some(policy) => {
                            Err(denied(policy.unreadable(&self.requested, &e.to_string())))
                        }
                        None => Ok((BodyUse::default(), None)),
                    }
                }
            }
        };
        let index = FieldIndex::new(&op.request_fields);
        let reading = index.reading(&value);
        for u in &reading.unknown {
            self.warnings.push(format!(
                "body field {u} of {} {} is not documented by any API version",
                op.method, op.path
            ));
        }
        if let (Some(policy), Some(listed)) = (self.rules.allow, listed) {
            policy
                .check_body(listed, &self.requested, &reading, sets_nothing(&value))
                .map_err(denied)?;
        }
        let mut rewritten = None;
        if let (Some(as_api), Some(at)) = (self.rules.as_api, version) {
            let dropped = index.retain(&mut value, &|item| as_api.field_known(item, at));
            for d in &dropped {
                self.warnings.push(format!(
                    "as-api {}: dropped body field {d} of {} {} (unknown at API {at})",
                    as_api.max, op.method, op.path
                ));
            }
            if !dropped.is_empty() {
                rewritten = Some(value.to_json().into_bytes());
            }
        }
        Ok((reading, rewritten))
    }

    fn forward_target(&self, version: Option<ApiVersion>, query: &str) -> String {
        let mut path = self.target.forward_path(version);
        if !query.is_empty() {
            path.push('?');
            path.push_str(query);
        }
        path
    }

    fn deny_body(&self, rule: &'static str, why: &str) -> Refusal {
        let message = format!("the body of {} is refused ({why}) by", self.requested);
        match self.rules.allow {
            Some(policy) => denied(policy.deny(rule, message)),
            None => Refusal {
                status: StatusCode::BAD_REQUEST,
                rule,
                message,
                plain: false,
            },
        }
    }
}

/// Whether a body sets nothing: no value, or an object whose every member is
/// its zero value (the Docker CLI's `{"Detach":false,"Tty":false}`).
fn sets_nothing(value: &GoValue) -> bool {
    match value {
        GoValue::Object(members) => members.iter().all(|(_, v)| v.is_zero()),
        other => other.is_zero(),
    }
}

/// Whether a `Content-Type` is a form, which Go's `ParseForm` reads as query
/// parameters on POST, PUT and PATCH.
fn is_form(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|ct| {
        ct.split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .eq_ignore_ascii_case("application/x-www-form-urlencoded")
    })
}
