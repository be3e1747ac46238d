//! Following each client method down to the calls that name an HTTP method:
//! a method's requests are those it makes itself (a call with `"GET"` or
//! `http.MethodGet` among its arguments: the path, query and body follow it)
//! and those of the `Client` methods it calls, with their parameters replaced
//! by this method's arguments.

use std::collections::{HashMap, HashSet};

use dockmatrix_core::clients::{Body, Method, QueryKey, Request};
use dockmatrix_go::{arguments, callee, descendants, Located, Node};

use super::decls::{Decls, MethodDecl};
use super::exprs::{BodyRef, Ctx, Key, Part, Src};

/// One request as followed so far (parameters still by index).
#[derive(Debug, Clone)]
struct Req {
    method: String,
    path: Vec<Part>,
    query: Vec<Key>,
    query_param: Option<usize>,
    body: Option<BodyRef>,
    at: Located,
}

/// The table rows of every exported method that sends a request.
pub fn methods(decls: &Decls<'_>) -> Vec<Method> {
    let mut s = Summarizer {
        decls,
        memo: HashMap::new(),
        busy: HashSet::new(),
    };
    let mut out = Vec::new();
    for (i, m) in decls.methods.iter().enumerate() {
        if !m.name.starts_with(|c: char| c.is_ascii_uppercase()) {
            continue;
        }
        let reqs = s.summarize(i);
        if reqs.is_empty() {
            continue;
        }
        out.push(Method {
            name: m.name.clone(),
            at: m.file.at(m.node).to_string(),
            params: m
                .params
                .iter()
                .map(|(name, ty)| dockmatrix_core::clients::Param {
                    name: name.clone(),
                    ty: ty.clone(),
                })
                .collect(),
            requests: merge(m, reqs),
        });
    }
    out
}

struct Summarizer<'d, 'a> {
    decls: &'d Decls<'a>,
    memo: HashMap<usize, Vec<Req>>,
    busy: HashSet<usize>,
}

impl Summarizer<'_, '_> {
    fn summarize(&mut self, index: usize) -> Vec<Req> {
        if let Some(done) = self.memo.get(&index) {
            return done.clone();
        }
        let decls = self.decls;
        let Some(m) = decls.methods.get(index) else {
            return Vec::new();
        };
        if !self.busy.insert(index) {
            return Vec::new();
        }
        let ctx = Ctx { m };
        let mut out = Vec::new();
        let calls = m
            .body()
            .map(descendants)
            .unwrap_or_default()
            .into_iter()
            .filter(|n| n.kind() == "call_expression");
        for call in calls {
            let args = arguments(call);
            if let Some(v) = args.iter().position(|a| ctx.verb(*a).is_some()) {
                out.extend(base(&ctx, call, &args, v));
                continue;
            }
            let Some((name, Some(operand))) = callee(call) else {
                continue;
            };
            if m.file.text(operand) != m.receiver {
                continue;
            }
            let Some((callee_index, _)) = decls.get(m.file.text(name)) else {
                continue;
            };
            for r in self.summarize(callee_index) {
                out.push(substitute(&ctx, call, &args, r));
            }
        }
        self.busy.remove(&index);
        self.memo.insert(index, out.clone());
        out
    }
}

/// The request of a call that names its HTTP method: the path follows the
/// method, then the query and the body; a path built by a call that also
/// takes the query (`cli.getAPIPath(ctx, path, query)`) carries both.
fn base<'a>(ctx: &Ctx<'_, 'a>, call: Node<'a>, args: &[Node<'a>], v: usize) -> Option<Req> {
    let method = ctx.verb(*args.get(v)?)?;
    let path_node = *args.get(v + 1)?;
    let inner_query = (path_node.kind() == "call_expression")
        .then(|| arguments(path_node).into_iter().find(|a| ctx.is_values(*a)))
        .flatten();
    let (query_node, body_node) = match inner_query {
        Some(q) => (Some(q), args.get(v + 2)),
        None => (args.get(v + 2).copied(), args.get(v + 3)),
    };
    let (query, query_param) = query_node.map(|q| ctx.query(q)).unwrap_or_default();
    Some(Req {
        method,
        path: ctx.path(path_node, 0),
        query,
        query_param,
        body: body_node.and_then(|b| ctx.body(*b, 0)),
        at: ctx.at(call),
    })
}

/// A callee's request seen from the caller: its parameters replaced by the
/// caller's arguments.
fn substitute<'a>(ctx: &Ctx<'_, 'a>, call: Node<'a>, args: &[Node<'a>], r: Req) -> Req {
    let mut path = Vec::new();
    for part in r.path {
        match part {
            Part::Param(j) => match args.get(j) {
                Some(arg) => path.extend(ctx.path(*arg, 0)),
                None => path.push(Part::Var(format!("arg{j}"))),
            },
            other => path.push(other),
        }
    }
    let mut query: Vec<Key> = r
        .query
        .into_iter()
        .map(|k| Key {
            src: k.src.and_then(|s| map_src(ctx, args, s)),
            ..k
        })
        .collect();
    let mut query_param = None;
    if let Some(arg) = r.query_param.and_then(|j| args.get(j)) {
        let (keys, param) = ctx.query(*arg);
        query.extend(keys);
        query_param = param;
    }
    let body = match r.body {
        Some(BodyRef::Param(j)) => args.get(j).and_then(|a| ctx.body(*a, 0)),
        other => other,
    };
    Req {
        method: r.method,
        path,
        query,
        query_param,
        body,
        at: ctx.at(call),
    }
}

/// A callee's key source in the caller's terms.
fn map_src(ctx: &Ctx<'_, '_>, args: &[Node<'_>], src: Src) -> Option<Src> {
    match src {
        Src::Param(j) => ctx.arg_src(*args.get(j)?),
        Src::Field(j, f) => match ctx.arg_src(*args.get(j)?)? {
            Src::Param(k) => Some(Src::Field(k, f)),
            Src::Field(k, g) => Some(Src::Field(k, format!("{g}.{f}"))),
        },
    }
}

/// The table's requests: placeholders named, one request per HTTP method and
/// path (their query keys merged), sorted.
fn merge(m: &MethodDecl<'_>, reqs: Vec<Req>) -> Vec<Request> {
    let mut out: Vec<Request> = Vec::new();
    for r in reqs {
        let path = render(m, &r.path);
        let body = r.body.map(|b| match b {
            BodyRef::Param(j) => Body {
                param: Some(j),
                ty: m.params.get(j).map(|(_, t)| t.clone()).unwrap_or_default(),
            },
            BodyRef::Type(ty) => Body { param: None, ty },
        });
        let keys = r.query.into_iter().map(|k| {
            let (param, field) = match k.src {
                Some(Src::Param(i)) => (Some(i), None),
                Some(Src::Field(i, f)) => (Some(i), Some(f)),
                None => (None, None),
            };
            QueryKey {
                key: k.key,
                param,
                field,
                conditional: k.conditional,
                at: k.at.to_string(),
            }
        });
        match out
            .iter_mut()
            .find(|o| o.method == r.method && o.path == path)
        {
            Some(existing) => {
                existing.query.extend(keys);
                if existing.body.is_none() {
                    existing.body = body;
                }
            }
            None => out.push(Request {
                method: r.method,
                path,
                query: keys.collect(),
                body,
                at: r.at.to_string(),
            }),
        }
    }
    for r in &mut out {
        r.query.sort();
        r.query.dedup_by(|a, b| a.key == b.key);
    }
    out.sort();
    out
}

/// A path template as text: `{name}` for each part that is not a literal.
fn render(m: &MethodDecl<'_>, parts: &[Part]) -> String {
    let mut out = String::new();
    for part in parts {
        match part {
            Part::Lit(text) => out.push_str(text),
            Part::Param(j) => {
                let name = m.params.get(*j).map_or("arg", |(n, _)| n.as_str());
                out.push_str(&format!("{{{name}}}"));
            }
            Part::Var(name) => out.push_str(&format!("{{{name}}}")),
        }
    }
    while out.contains("//") {
        out = out.replace("//", "/");
    }
    out
}
