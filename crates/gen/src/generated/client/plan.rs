//! What the generator emits per operation, collected from the matrix (lifecycles)
//! and the newest OpenAPI document that has the operation (parameters, media types,
//! schemas).

use std::collections::BTreeMap;

use openapiv3::{
    OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, SchemaKind, StatusCode, Type,
};

use super::gates::{below, union};
use super::names::{pascal, snake, upper, Dedupe};
use super::names_table::Names;
use super::shims::{FilterToQuery, Shims};
use super::types::{doc_text, schema_as_ref2, string_enum, Ty, Types};
use dockmatrix_core::analysis::{ItemHistory, Matrix, OperationHistory};
use dockmatrix_core::model::OpKey;
use dockmatrix_core::path::placeholders;
use dockmatrix_core::version::{ApiVersion, HttpMethod, VersionRange};

/// How a query parameter is typed and written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryTy {
    /// `bool` (sent as 1/0).
    Bool,
    /// An integer type.
    Int,
    /// `String`.
    Str,
    /// `Vec<String>`, one `key=value` per item.
    StrList,
    /// `filters`: `BTreeMap<String, Vec<String>>`, JSON-encoded.
    Filters,
    /// A string with documented values (`enum`): a generated Rust enum, sent as its wire
    /// value.
    Enum(Vec<String>),
    /// A JSON-encoded map of string pairs (`buildargs`, `labels`):
    /// `BTreeMap<String, String>`.
    JsonMap,
    /// A JSON-encoded list of strings (`cachefrom`): `Vec<String>`.
    JsonList,
}

/// Query parameters the documents describe as JSON-encoded maps or lists of strings
/// (method, path, wire name, type); their schema is a plain `string`, so only the
/// description says so. `filters` is recognised by name everywhere.
const JSON_QUERY: &[(&str, &str, &str, JsonShape)] = &[
    ("POST", "/build", "buildargs", JsonShape::Map),
    ("POST", "/build", "labels", JsonShape::Map),
    ("POST", "/build", "cachefrom", JsonShape::List),
];

/// The shape of a [`JSON_QUERY`] parameter.
#[derive(Debug, Clone, Copy)]
enum JsonShape {
    /// `{"k":"v"}`.
    Map,
    /// `["a","b"]`.
    List,
}

/// One query parameter.
#[derive(Debug, Clone)]
pub struct QueryParam {
    /// Wire name.
    pub wire: String,
    /// Options field name.
    pub field: String,
    /// Name of its `ParamInfo` static.
    pub const_name: String,
    /// Type.
    pub ty: QueryTy,
    /// Supported versions (widened by shims).
    pub ranges: Vec<VersionRange>,
    /// Upstream description.
    pub doc: String,
    /// Rename shim: legacy name and first version reading the current name.
    pub rename: Option<(String, ApiVersion)>,
}

/// One header parameter (not version-gated: the matrix does not track headers).
#[derive(Debug, Clone)]
pub struct HeaderParam {
    /// Header name.
    pub wire: String,
    /// Options field name.
    pub field: String,
    /// Upstream description.
    pub doc: String,
}

/// The request body.
#[derive(Debug, Clone)]
pub enum BodyPlan {
    /// None.
    None,
    /// JSON of this type.
    Json(Ty),
    /// Raw bytes or a byte stream with this content type.
    Raw(String),
}

/// How the response is read.
#[derive(Debug, Clone)]
pub enum ResponsePlan {
    /// Discarded (204 / empty).
    Unit,
    /// JSON of this type.
    Json(Ty),
    /// Whole body as bytes.
    Bytes,
    /// Body as a byte stream (tar archives).
    Stream,
    /// Stream of JSON values of this type.
    JsonLines(Ty),
    /// Container output frames.
    Logs,
    /// Hijacked connection (HTTP upgrade).
    Upgrade,
    /// Attach: a typed session (output frames, input writer, framing mode).
    Session,
    /// Exec start: a session, or detached.
    ExecStart,
    /// `/_ping`: the daemon's headers decoded.
    Ping,
    /// `HEAD …/archive`: the path stat header decoded.
    PathStat,
}

/// Everything emitted for one operation.
#[derive(Debug, Clone)]
pub struct OpPlan {
    /// Matrix key.
    pub key: OpKey,
    /// `METHOD /path`.
    pub display: String,
    /// Operation id (upstream or derived).
    pub id: String,
    /// Tag (module).
    pub tag: String,
    /// Method name inside its tag.
    pub fn_name: String,
    /// `OperationInfo` static name.
    pub const_name: String,
    /// The method.
    pub http_method: HttpMethod,
    /// Path template.
    pub path: String,
    /// Placeholder names, in order, with their argument names.
    pub path_params: Vec<(String, String)>,
    /// Supported versions.
    pub ranges: Vec<VersionRange>,
    /// Deprecated since.
    pub deprecated_in: Option<ApiVersion>,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Query parameters.
    pub query: Vec<QueryParam>,
    /// Header parameters.
    pub headers: Vec<HeaderParam>,
    /// Request body.
    pub body: BodyPlan,
    /// Response.
    pub response: ResponsePlan,
    /// Version-gated body fields (dotted path, ranges).
    pub body_fields: Vec<(String, Vec<VersionRange>)>,
    /// Filter rewrites.
    pub filter_shims: Vec<FilterToQuery>,
}

impl OpPlan {
    /// Whether the options struct has a field a caller can set (a query parameter, a
    /// header, or the log framing mode): then the method has a `…_with` form taking it.
    pub fn has_options(&self) -> bool {
        !self.query.is_empty() || !self.headers.is_empty() || self.has_log_mode()
    }

    /// Whether the options struct carries the (non-wire) log framing `mode`.
    pub fn has_log_mode(&self) -> bool {
        matches!(self.response, ResponsePlan::Logs)
    }
}

/// Operations whose response is not an ordinary body (declarative; everything else is
/// decided by the response media type).
const STREAMING: &[(&str, &str, Special)] = &[
    ("POST", "/containers/{}/attach", Special::Session),
    ("POST", "/exec/{}/start", Special::ExecStart),
    ("POST", "/session", Special::Upgrade),
    ("GET", "/_ping", Special::Ping),
    ("HEAD", "/_ping", Special::Ping),
    ("HEAD", "/containers/{}/archive", Special::PathStat),
    ("GET", "/containers/{}/logs", Special::Logs),
    ("GET", "/services/{}/logs", Special::Logs),
    ("GET", "/tasks/{}/logs", Special::Logs),
    ("GET", "/events", Special::JsonLines),
    ("GET", "/containers/{}/stats", Special::JsonLines),
    ("POST", "/images/create", Special::JsonLines),
    ("POST", "/images/{}/push", Special::JsonLines),
    ("POST", "/images/{}/insert", Special::JsonLines),
    ("POST", "/images/load", Special::JsonLines),
    ("POST", "/build", Special::JsonLines),
    ("POST", "/plugins/pull", Special::JsonLines),
    ("POST", "/plugins/{}/upgrade", Special::JsonLines),
    ("POST", "/plugins/{}/push", Special::JsonLines),
    ("GET", "/containers/{}/export", Special::Stream),
    ("GET", "/containers/{}/archive", Special::Stream),
    ("POST", "/containers/{}/copy", Special::Stream),
    ("GET", "/images/{}/get", Special::Stream),
    ("GET", "/images/get", Special::Stream),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Special {
    Upgrade,
    Session,
    ExecStart,
    Ping,
    PathStat,
    Logs,
    JsonLines,
    Stream,
}

/// One version's view of an operation.
#[derive(Clone, Copy)]
struct Occurrence<'a> {
    version: ApiVersion,
    doc: &'a OpenAPI,
    op: &'a openapiv3::Operation,
}

fn query_ty(key: &OpKey, wire: &str, p: &openapiv3::ParameterData) -> QueryTy {
    if wire == "filters" {
        return QueryTy::Filters;
    }
    let json = JSON_QUERY
        .iter()
        .find(|(m, path, name, _)| *name == wire && OpKey::new(m, path) == *key);
    match json {
        Some((.., JsonShape::Map)) => return QueryTy::JsonMap,
        Some((.., JsonShape::List)) => return QueryTy::JsonList,
        None => {}
    }
    let ParameterSchemaOrContent::Schema(ReferenceOr::Item(s)) = &p.format else {
        return QueryTy::Str;
    };
    if let Some(values) = string_enum(s) {
        return QueryTy::Enum(values);
    }
    match &s.schema_kind {
        SchemaKind::Type(Type::Boolean(_)) => QueryTy::Bool,
        SchemaKind::Type(Type::Integer(_)) => QueryTy::Int,
        SchemaKind::Type(Type::Array(_)) => QueryTy::StrList,
        _ => QueryTy::Str,
    }
}

/// The method of an operation the client can send (the runtime sends any
/// [`HttpMethod`]; the Engine API has no `OPTIONS` or `PATCH` operation).
fn http_method(m: &str) -> Option<HttpMethod> {
    m.parse().ok()
}

/// Operation id for operations that never had one: `{Tag}{Method}{Segments}`.
fn derived_id(h: &OperationHistory) -> String {
    let segs: String = h
        .path
        .split('/')
        .filter(|s| !s.is_empty() && !s.starts_with('{'))
        .map(pascal)
        .collect();
    format!("{}{}", pascal(&h.method), segs)
}

/// Module name of a tag.
pub fn tag_module(tag: &str) -> String {
    let s = snake(tag);
    match s.as_str() {
        "system" | "swarm" | "exec" | "distribution" | "session" | "misc" => s,
        _ => format!("{s}s"),
    }
}

/// Collects the plan of every operation of the matrix, sorted by tag then method name.
pub fn collect<'a>(
    matrix: &Matrix,
    docs: &[(ApiVersion, &'a OpenAPI)],
    types: &mut Types<'a>,
    shims: &Shims,
    names: &Names,
) -> (Vec<OpPlan>, Vec<String>) {
    let mut notes = Vec::new();
    let occurrences = occurrences(docs);
    let mut ids = Dedupe::default();
    let mut fn_names: BTreeMap<String, Dedupe> = BTreeMap::new();
    let mut out = Vec::new();
    for h in &matrix.operations {
        let key = h.key();
        let Some(occ) = occurrences.get(&key).filter(|o| !o.is_empty()) else {
            notes.push(format!(
                "{}: in the matrix but in no document; skipped",
                h.display()
            ));
            continue;
        };
        let Some(method) = http_method(&h.method) else {
            notes.push(format!("{}: unsupported HTTP method; skipped", h.display()));
            continue;
        };
        let newest = occ[0];
        let id = ids.claim(&h.operation_id.clone().unwrap_or_else(|| derived_id(h)));
        let tag = dockmatrix_core::model::group_of(&h.tags).to_string();
        let short = id
            .strip_prefix(tag.as_str())
            .filter(|s| !s.is_empty())
            .unwrap_or(&id);
        let fn_base = names
            .method_of(&key)
            .map_or_else(|| snake(short), str::to_owned);
        let fn_name = fn_names.entry(tag.clone()).or_default().claim(&fn_base);
        let const_name = upper(&id);
        let path_params = path_params(&h.path);
        let (query_defs, headers) = parameter_defs(&key, occ);
        let mut fields = Dedupe::default();
        let query = h
            .query
            .iter()
            .map(|item| {
                let names = QueryNames {
                    shims,
                    names,
                    const_name: &const_name,
                };
                query_param(h, item, &query_defs, names, &mut fields)
            })
            .collect();
        let headers = headers
            .into_iter()
            .map(|(wire, doc)| HeaderParam {
                field: fields.claim(&snake(&wire)),
                wire,
                doc: doc_text(&doc),
            })
            .collect();
        let special = STREAMING
            .iter()
            .find(|(m, p, _)| OpKey::new(m, p) == key)
            .map(|(_, _, s)| *s);
        let body = body_plan(newest, &id, types);
        let response = response_plan(newest, &id, types, special);
        let body_fields = gated_body_fields(h, &body);
        out.push(OpPlan {
            display: h.display(),
            key: key.clone(),
            id,
            tag,
            fn_name,
            const_name,
            http_method: method,
            path: h.path.clone(),
            path_params,
            ranges: h.lifecycle.present.clone(),
            deprecated_in: h.lifecycle.deprecated_in,
            title: h.title.clone().unwrap_or_else(|| h.display()),
            description: newest
                .op
                .description
                .as_deref()
                .map(doc_text)
                .unwrap_or_default(),
            query,
            headers,
            body,
            response,
            body_fields,
            filter_shims: shims.filters_of(&key).into_iter().cloned().collect(),
        });
    }
    out.sort_by(|a, b| (&a.tag, &a.fn_name).cmp(&(&b.tag, &b.fn_name)));
    (out, notes)
}

/// Every document's view of each operation, newest first.
fn occurrences<'a>(docs: &[(ApiVersion, &'a OpenAPI)]) -> BTreeMap<OpKey, Vec<Occurrence<'a>>> {
    let mut occurrences: BTreeMap<OpKey, Vec<Occurrence<'a>>> = BTreeMap::new();
    for &(version, doc) in docs {
        for (path, item) in doc.paths.iter() {
            let ReferenceOr::Item(item) = item else {
                continue;
            };
            for (method, op) in item.iter() {
                occurrences
                    .entry(OpKey::new(method, path))
                    .or_default()
                    .push(Occurrence { version, doc, op });
            }
        }
    }
    for list in occurrences.values_mut() {
        list.sort_by_key(|o| std::cmp::Reverse(o.version));
    }
    occurrences
}

/// Query parameters (type and description) and headers (description) of an
/// operation, each from the newest document that defines it.
type ParameterDefs = (
    BTreeMap<String, (QueryTy, String)>,
    BTreeMap<String, String>,
);

fn parameter_defs(key: &OpKey, occ: &[Occurrence<'_>]) -> ParameterDefs {
    let mut query_defs: BTreeMap<String, (QueryTy, String)> = BTreeMap::new();
    let mut headers: BTreeMap<String, String> = BTreeMap::new();
    for o in occ {
        let resolved =
            o.op.parameters
                .iter()
                .filter_map(|p| dockmatrix_core::ingest::refs::resolve(o.doc, p));
        for p in resolved {
            match p {
                Parameter::Query { parameter_data, .. } => {
                    query_defs
                        .entry(parameter_data.name.clone())
                        .or_insert_with(|| {
                            (
                                query_ty(key, &parameter_data.name, parameter_data),
                                parameter_data.description.clone().unwrap_or_default(),
                            )
                        });
                }
                Parameter::Header { parameter_data, .. } => {
                    headers
                        .entry(parameter_data.name.clone())
                        .or_insert_with(|| parameter_data.description.clone().unwrap_or_default());
                }
                _ => {}
            }
        }
    }
    (query_defs, headers)
}

/// What names a query parameter: the shims (renames), the names table and the
/// operation's constant prefix.
#[derive(Clone, Copy)]
struct QueryNames<'n> {
    shims: &'n Shims,
    names: &'n Names,
    const_name: &'n str,
}

/// One query parameter's plan: its gate is its documented lifetime, widened by
/// a shim's legacy spelling below the version the name changed.
fn query_param(
    h: &OperationHistory,
    item: &ItemHistory,
    query_defs: &BTreeMap<String, (QueryTy, String)>,
    n: QueryNames<'_>,
    fields: &mut Dedupe,
) -> QueryParam {
    let key = h.key();
    let (ty, doc) = query_defs
        .get(&item.name)
        .cloned()
        .unwrap_or((QueryTy::Str, String::new()));
    let mut ranges = item.lifecycle.present.clone();
    let rename = n.shims.rename_of(&key, &item.name).map(|r| {
        let legacy = h
            .query
            .iter()
            .find(|q| q.name == r.sent_as)
            .map(|q| q.lifecycle.present.clone())
            .unwrap_or_default();
        ranges = union(ranges.clone(), &below(&legacy, r.below));
        (r.sent_as.clone(), r.below)
    });
    let field = fields.claim(
        &n.names
            .parameter_of(&key, &item.name)
            .map_or_else(|| snake(&item.name), str::to_owned),
    );
    QueryParam {
        const_name: format!("{}_Q_{}", n.const_name, field.to_ascii_uppercase()),
        wire: item.name.clone(),
        field,
        ty,
        ranges,
        doc: doc_text(&doc),
        rename,
    }
}

/// A body field is gated on its documented lifetime (gaps bridged); where its
/// `since` is inexact it is refused below it too, as nothing documents it
/// there. A field present wherever the operation exists needs no gate.
fn gated_body_fields(h: &OperationHistory, body: &BodyPlan) -> Vec<(String, Vec<VersionRange>)> {
    if !matches!(body, BodyPlan::Json(_)) {
        return Vec::new();
    }
    h.request_fields
        .iter()
        .map(|f| (f.name.clone(), f.lifecycle.present.clone()))
        .filter(|(_, ranges)| !covers(ranges, &h.lifecycle.present))
        .collect()
}

/// Path placeholders with the argument name each gets.
fn path_params(path: &str) -> Vec<(String, String)> {
    let mut arg_names = Dedupe::with_reserved(&["opts", "body", "mode", "self"]);
    placeholders(path)
        .into_iter()
        .map(|p| {
            let arg = arg_names.claim(&snake(&p));
            (p, arg)
        })
        .collect()
}

fn is_json(media: &str) -> bool {
    media.contains("json")
}

fn body_plan<'a>(o: Occurrence<'a>, id: &str, types: &mut Types<'a>) -> BodyPlan {
    let Some(body) = &o.op.request_body else {
        return BodyPlan::None;
    };
    let body = match body {
        ReferenceOr::Item(b) => b,
        ReferenceOr::Reference { .. } => return BodyPlan::Json(Ty::Value),
    };
    if let Some((_, m)) = body.content.iter().find(|(k, _)| is_json(k)) {
        let ty = match &m.schema {
            Some(s) => types.ty_of(o.doc, schema_as_ref2(s), &format!("{id}Body"), 0),
            None => Ty::Value,
        };
        return BodyPlan::Json(ty);
    }
    match body.content.keys().next() {
        Some(media) => BodyPlan::Raw(media.clone()),
        None => BodyPlan::Json(Ty::Value),
    }
}

fn response_plan<'a>(
    o: Occurrence<'a>,
    id: &str,
    types: &mut Types<'a>,
    special: Option<Special>,
) -> ResponsePlan {
    let mut codes: Vec<(u16, &ReferenceOr<openapiv3::Response>)> =
        o.op.responses
            .responses
            .iter()
            .filter_map(|(c, r)| match c {
                StatusCode::Code(c) if (200..300).contains(c) => Some((*c, r)),
                StatusCode::Range(2) => Some((200, r)),
                _ => None,
            })
            .collect();
    codes.sort_by_key(|(c, _)| *c);
    let content = codes.first().and_then(|(_, r)| match r {
        ReferenceOr::Item(r) => Some(&r.content),
        ReferenceOr::Reference { .. } => None,
    });
    let json_ty = |types: &mut Types<'a>| -> Option<Ty> {
        let (_, m) = content?.iter().find(|(k, _)| is_json(k))?;
        Some(match &m.schema {
            Some(s) => types.ty_of(o.doc, schema_as_ref2(s), &format!("{id}Response"), 0),
            None => Ty::Value,
        })
    };
    match special {
        Some(Special::Upgrade) => return ResponsePlan::Upgrade,
        Some(Special::Session) => return ResponsePlan::Session,
        Some(Special::ExecStart) => return ResponsePlan::ExecStart,
        Some(Special::Ping) => return ResponsePlan::Ping,
        Some(Special::PathStat) => return ResponsePlan::PathStat,
        Some(Special::Logs) => return ResponsePlan::Logs,
        Some(Special::Stream) => return ResponsePlan::Stream,
        Some(Special::JsonLines) => {
            return ResponsePlan::JsonLines(json_ty(types).unwrap_or(Ty::Value));
        }
        None => {}
    }
    if let Some(ty) = json_ty(types) {
        return ResponsePlan::Json(ty);
    }
    match content {
        Some(c) if !c.is_empty() => ResponsePlan::Bytes,
        _ => ResponsePlan::Unit,
    }
}

/// Whether `ranges` include every version of `op` (then a gate never refuses).
fn covers(ranges: &[VersionRange], op: &[VersionRange]) -> bool {
    VersionRange::set_covers(ranges, op)
}
