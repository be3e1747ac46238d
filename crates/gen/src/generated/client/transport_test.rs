//! `src/transport_requests.rs` of the generated crate (a `#[cfg(test)]` module),
//! one check per operation as moby's client has one transport test per call:
//! each method is called, pinned at the newest version that has the operation,
//! with every query parameter that version serves set, against a fake daemon
//! that records the request. The check compares what went on the wire — method,
//! `/vX.Y` path, query names, body — with the plan drawn from the matrix. No
//! daemon is needed; the answers (`{}`) are not the point and are not checked.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::names::ident;
use super::options::{enum_name, options_name};
use super::plan::{tag_module, BodyPlan, OpPlan, QueryParam, QueryTy};
use dockmatrix_core::path::{segments, Segment};
use dockmatrix_core::version::ApiVersion;

/// The whole test module for `ops`, pinned per operation among `versions`.
pub fn transport_test(ops: &[OpPlan], versions: &[ApiVersion]) -> TokenStream {
    let checks: Vec<(proc_macro2::Ident, TokenStream)> = ops
        .iter()
        .filter_map(|op| {
            let v = versions
                .iter()
                .rev()
                .find(|v| op.ranges.iter().any(|r| r.contains(**v)))?;
            Some(operation_check(op, *v))
        })
        .collect();
    let doc = quote! {
        //! Every operation's request on the wire (method, `/vX.Y` path, query names,
        //! body) against the plan drawn from the matrix, through a recording fake daemon.
    };
    if checks.is_empty() {
        return doc;
    }
    let count = checks.len();
    let (names, fns): (Vec<_>, Vec<_>) = checks.into_iter().unzip();
    quote! {
        #doc

        use dockmatrix_runtime::{ApiVersion, Client};
        use dockmatrix_testkit::fake::{http_response, Action, FakeDaemon};
        use dockmatrix_testkit::wire::{difference, Expected};

        use crate::Docker;

        async fn pinned(fake: &FakeDaemon, v: ApiVersion) -> Docker {
            let builder = Client::builder()
                .host(fake.host())
                .api_version(v)
                .request_timeout(std::time::Duration::from_secs(20));
            match Docker::connect(builder).await {
                Ok(d) => d,
                Err(e) => panic!("pinned client: {e}"),
            }
        }

        #[tokio::test]
        async fn every_operation_sends_the_planned_request() {
            let fake = FakeDaemon::start(|_| {
                let head = [("Content-Type", "application/json")];
                Vec::from([Action::Write(http_response(200, &head, b"{}"))])
            })
            .expect("fake daemon");
            let mut failures: Vec<String> = Vec::new();
            let mut checked = 0;
            #(
                checked += 1;
                failures.extend(Box::pin(#names(&fake)).await);
            )*
            assert_eq!(checked, #count);
            assert!(failures.is_empty(), "{} of {checked} operations sent another request:\n{}", failures.len(), failures.join("\n"));
        }

        #(#fns)*
    }
}

/// The check of one operation, pinned at `v`.
fn operation_check(op: &OpPlan, v: ApiVersion) -> (proc_macro2::Ident, TokenStream) {
    let (major, minor) = (
        proc_macro2::Literal::u16_unsuffixed(v.major),
        proc_macro2::Literal::u16_unsuffixed(v.minor),
    );
    let served: Vec<&QueryParam> = op
        .query
        .iter()
        .filter(|q| q.ranges.iter().any(|r| r.contains(v)))
        .collect();
    let setters: Vec<TokenStream> = served.iter().map(|q| setter(op, q)).collect();
    let wire_names: Vec<String> = served.iter().map(|q| sent_name(q, v)).collect();
    let module = format_ident!("{}", tag_module(&op.tag));
    let opts = options_name(op);
    let path_args = op.path_params.iter().map(|_| quote!("x",));
    let body_arg = match &op.body {
        BodyPlan::None => quote!(),
        BodyPlan::Json(_) => quote!(&Default::default(),),
        BodyPlan::Raw(_) => quote!(Vec::<u8>::new(),),
    };
    // Every method with options is called through its `…_with` form, every parameter
    // served set; a method without them takes none.
    let call = if op.has_options() {
        let with_name = format_ident!("{}_with", op.fn_name.trim_start_matches("r#"));
        quote! {
            let opts = crate::#module::#opts::new() #(#setters)*;
            let _ = docker.#module().#with_name(#(#path_args)* &opts, #body_arg).await;
        }
    } else {
        let fn_name = ident(&op.fn_name);
        quote!(let _ = docker.#module().#fn_name(#(#path_args)* #body_arg).await;)
    };
    let path = format!("/v{v}{}", fill_placeholders(&op.path));
    let method = op.http_method.as_str();
    let json_body = matches!(op.body, BodyPlan::Json(_));
    let id = &op.id;
    let check = format_ident!("{}", op.const_name.to_ascii_lowercase());
    let tokens = quote! {
        async fn #check(fake: &FakeDaemon) -> Option<String> {
            let docker = pinned(fake, ApiVersion::new(#major, #minor)).await;
            #call
            let expected = Expected {
                op: #id,
                method: #method,
                path: #path,
                query: &[#(#wire_names),*],
                json_body: #json_body,
            };
            difference(fake.requests().last(), &expected)
        }
    };
    (check, tokens)
}

/// A setter call giving `q` a sample value of its type.
fn setter(op: &OpPlan, q: &QueryParam) -> TokenStream {
    let f = ident(&q.field);
    match &q.ty {
        QueryTy::Bool => quote!(.#f(true)),
        QueryTy::Int => quote!(.#f(7)),
        QueryTy::Str => quote!(.#f("s")),
        QueryTy::StrList | QueryTy::JsonList => quote!(.#f(["k=v"])),
        QueryTy::JsonMap => quote!(.#f([("k", "v")])),
        QueryTy::Enum(values) => {
            let e = enum_name(op, q);
            let module = format_ident!("{}", tag_module(&op.tag));
            let first = values.first().map_or("", String::as_str);
            quote!(.#f(crate::#module::#e::from(#first)))
        }
        QueryTy::Filters => {
            let adder = format_ident!("{}_add", q.field);
            quote!(.#adder("k", "v"))
        }
    }
}

/// The name `q` goes on the wire under at `v` (a rename shim's legacy name below
/// the version that reads the new one).
fn sent_name(q: &QueryParam, v: ApiVersion) -> String {
    match &q.rename {
        Some((legacy, below)) if v < *below => legacy.clone(),
        _ => q.wire.clone(),
    }
}

/// The path with every `{placeholder}` given the value the check passes (`x`).
fn fill_placeholders(path: &str) -> String {
    let filled: Vec<&str> = segments(path)
        .into_iter()
        .map(|s| match s {
            Segment::Placeholder(_) => "x",
            Segment::Literal(text) => text,
        })
        .collect();
    format!("/{}", filled.join("/"))
}
