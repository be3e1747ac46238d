//! One module per tag: a handle struct borrowing the client, one async method per
//! operation (gate → build → send → decode), and the options structs.
//!
//! The convention: `name(path args…, body?)` sends the operation with default options;
//! `name_with(path args…, &opts, body?)` exists when the options struct has a field to
//! set (a query parameter, a header, the log framing mode).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::gates::ranges_text;
use super::names::ident;
use super::options::{options_name, options_struct, query_enums};
use super::plan::{tag_module, BodyPlan, OpPlan, ResponsePlan};
use super::types::{Ty, Types};
use dockmatrix_core::version::ApiVersion;

/// Name of the handle struct of a tag (`Containers`).
pub fn handle_name(tag: &str) -> proc_macro2::Ident {
    format_ident!("{}", super::names::pascal(&tag_module(tag)))
}

fn method(op: &OpPlan, first: ApiVersion) -> TokenStream {
    let fn_name = ident(&op.fn_name);
    let gate = format_ident!("{}", op.const_name);
    let opts = options_name(op);
    let mut doc = format!(
        "{}\n\n`{}` — {}.",
        op.title.trim(),
        op.display,
        ranges_text(&op.ranges, first)
    );
    if let Some(d) = op.deprecated_in {
        doc.push_str(&format!(" Deprecated since API {d}."));
    }
    if !op.description.is_empty() && op.description.trim() != op.title.trim() {
        doc.push_str("\n\n");
        doc.push_str(&op.description);
    }
    let errors = "\n\n# Errors\n\n`Error::UnsupportedOperation` / `Error::UnsupportedParameter` \
                  (before any I/O) when the negotiated version lacks the operation or a set \
                  parameter; `Error::Api` for daemon errors; transport and decode errors.";
    doc.push_str(errors);
    let path_args: Vec<TokenStream> = op
        .path_params
        .iter()
        .map(|(_, arg)| {
            let a = ident(arg);
            quote!(#a: &str,)
        })
        .collect();
    let path_names: Vec<TokenStream> = op
        .path_params
        .iter()
        .map(|(_, arg)| {
            let a = ident(arg);
            quote!(#a,)
        })
        .collect();
    let path_sets = op.path_params.iter().map(|(wire, arg)| {
        let a = ident(arg);
        quote!(req = req.path_param(#wire, #a);)
    });
    let body_name = match &op.body {
        BodyPlan::None => quote!(),
        _ => quote!(body,),
    };
    let (body_arg, body_set) = match &op.body {
        BodyPlan::None => (quote!(), quote!()),
        BodyPlan::Json(ty) => {
            let t = ty.tokens(true);
            let set = if op.body_fields.is_empty() {
                quote!(req = req.json_body(body);)
            } else {
                let fields = format_ident!("{}_BODY", op.const_name);
                quote!(req = req.json_body_gated(body, crate::gates::#fields);)
            };
            (quote!(body: &#t,), set)
        }
        BodyPlan::Raw(ct) => (
            quote!(body: impl Into<RawBody>,),
            quote!(req = req.raw_body(body.into(), #ct);),
        ),
    };
    let (ret, send) = match &op.response {
        ResponsePlan::Unit => (quote!(()), quote!(self.client.send_unit(req).await)),
        ResponsePlan::Json(ty) => {
            let t = ty.tokens(true);
            (t, quote!(self.client.send_model(req).await))
        }
        ResponsePlan::Bytes => (
            quote!(bytes::Bytes),
            quote!(self.client.send_bytes(req).await),
        ),
        ResponsePlan::Stream => (
            quote!(ByteStream),
            quote!(self.client.send_stream(req).await),
        ),
        ResponsePlan::JsonLines(ty) => {
            let t = ty.tokens(true);
            (
                quote!(JsonLines<#t>),
                quote!(self.client.send_json_lines(req).await),
            )
        }
        ResponsePlan::Logs => (
            quote!(LogStream),
            quote!(self.client.send_logs(req, opts.mode).await),
        ),
        ResponsePlan::Upgrade => (quote!(Duplex), quote!(self.client.upgrade(req).await)),
        ResponsePlan::Session => (
            quote!(dockmatrix_runtime::Session),
            quote!(self.client.session(req, LogMode::Auto).await),
        ),
        ResponsePlan::Ping => (
            quote!(dockmatrix_runtime::PingInfo),
            quote!(self.client.send_ping(req).await),
        ),
        ResponsePlan::PathStat => (
            quote!(dockmatrix_runtime::PathStat),
            quote!(self.client.send_path_stat(req).await),
        ),
        ResponsePlan::ExecStart => (
            quote!(dockmatrix_runtime::ExecStarted),
            quote!(self.client.exec_start(req, LogMode::Auto).await),
        ),
    };
    let needs_mut = !op.path_params.is_empty() || !matches!(op.body, BodyPlan::None);
    let binding = if needs_mut {
        quote!(let mut req)
    } else {
        quote!(let req)
    };
    let gated = quote! {
        let gate = self.client.gate();
        check_operation(&crate::gates::#gate, gate)?;
        #binding = opts.apply(Request::for_operation(&crate::gates::#gate), gate)?;
        #(#path_sets)*
        #body_set
        #send
    };
    if !op.has_options() {
        return quote! {
            #[doc = #doc]
            pub async fn #fn_name(&self, #(#path_args)* #body_arg) -> Result<#ret, Error> {
                let opts = #opts::new();
                #gated
            }
        };
    }
    let plain = op.fn_name.trim_start_matches("r#");
    let with_name = format_ident!("{plain}_with");
    let with_doc = format!(
        "[`Self::{plain}`] with options ([`{opts}`]: query parameters, headers{}).{errors}",
        if op.has_log_mode() {
            ", log framing"
        } else {
            ""
        },
    );
    let doc = doc.replacen(
        errors,
        &format!("\n\nSent with default options; [`Self::{plain}_with`] takes them.{errors}"),
        1,
    );
    quote! {
        #[doc = #doc]
        pub async fn #fn_name(&self, #(#path_args)* #body_arg) -> Result<#ret, Error> {
            self.#with_name(#(#path_names)* &#opts::new(), #body_name).await
        }

        #[doc = #with_doc]
        pub async fn #with_name(&self, #(#path_args)* opts: &#opts, #body_arg) -> Result<#ret, Error> {
            #gated
        }
    }
}

/// The module of one tag.
pub fn tag_file(tag: &str, ops: &[&OpPlan], first: ApiVersion) -> TokenStream {
    let handle = handle_name(tag);
    let mod_doc = format!("Operations tagged `{tag}` ({} operations).", ops.len());
    let handle_doc = format!("The `{tag}` operations, borrowed from a [`crate::Docker`].");
    let methods = ops.iter().map(|op| method(op, first));
    let options = ops.iter().map(|op| {
        let opts = options_struct(op, first);
        let enums = query_enums(op);
        quote!(#opts #enums)
    });
    quote! {
        #![doc = #mod_doc]

        #[allow(unused_imports)]
        use dockmatrix_runtime::{check_operation, ApiVersion, ByteStream, Client, Duplex, Error, Gate, JsonLines, LogMode, LogStream, RawBody, Request};

        #[doc = #handle_doc]
        #[derive(Debug, Clone, Copy)]
        pub struct #handle<'a> {
            client: &'a Client,
        }

        impl<'a> #handle<'a> {
            /// Wraps a runtime client.
            pub fn new(client: &'a Client) -> Self {
                Self { client }
            }

            #(#methods)*
        }

        #(#options)*
    }
}

/// Sample answers of one operation for the decoding test: the full and the required-only
/// shape, populated, then with the lists and maps of each nesting level `null` in turn.
fn samples(types: &Types, ty: &Ty) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |v: serde_json::Value| {
        let text = v.to_string();
        if !out.contains(&text) {
            out.push(text);
        }
    };
    for required_only in [false, true] {
        add(types.sample(ty, None, required_only).0);
        for level in 0..MAX_SAMPLE_LEVELS {
            let (v, nulled) = types.sample(ty, Some(level), required_only);
            if !nulled {
                break;
            }
            add(v);
        }
    }
    out
}

/// Deepest list/map nesting level sampled as `null`.
const MAX_SAMPLE_LEVELS: usize = 12;

/// `src/null_collections.rs` of the generated crate (a `#[cfg(test)]` module): every
/// operation answering JSON is called against a fake daemon answering its sample bodies,
/// in which the lists and maps of each nesting level are `null` in turn (as Go daemons
/// send nil slices and maps); each must decode.
pub fn decoding_test(ops: &[OpPlan], types: &Types, versions: &[ApiVersion]) -> TokenStream {
    let calls = ops.iter().filter_map(|op| {
        let (ty, lines) = match &op.response {
            ResponsePlan::Json(ty) => (ty, false),
            ResponsePlan::JsonLines(ty) => (ty, true),
            _ => return None,
        };
        let v = versions
            .iter()
            .rev()
            .find(|v| op.ranges.iter().any(|r| r.contains(**v)))?;
        let (major, minor) = (
            proc_macro2::Literal::u16_unsuffixed(v.major),
            proc_macro2::Literal::u16_unsuffixed(v.minor),
        );
        let mut bodies = samples(types, ty);
        if lines {
            // A stream item is a value, never a `null`; its fields are what is tested.
            bodies.retain(|b| b != "null");
            bodies = vec![bodies.join("\n")];
        }
        let module = format_ident!("{}", tag_module(&op.tag));
        let fn_name = ident(&op.fn_name);
        let path_args = op.path_params.iter().map(|_| quote!("x",));
        let body_arg = match &op.body {
            BodyPlan::None => quote!(),
            BodyPlan::Json(_) => quote!(&Default::default(),),
            BodyPlan::Raw(_) => quote!(Vec::<u8>::new(),),
        };
        let id = &op.id;
        let call = quote! {
            docker.#module().#fn_name(#(#path_args)* #body_arg)
        };
        let decode = if lines {
            quote!(match #call.await {
                Ok(stream) => stream.try_collect::<Vec<_>>().await.map(drop),
                Err(e) => Err(e),
            })
        } else {
            quote!(#call.await.map(drop))
        };
        let each = bodies.iter().map(|body| {
            quote! {
                let body = #body;
                answer(slot, body);
                let got = #decode;
                outcome.record(#id, body, got);
            }
        });
        // One function per operation: a single test body awaiting every call would be
        // a future too large for a test thread's stack.
        let check = format_ident!("{}", op.const_name.to_ascii_lowercase());
        Some((
            check.clone(),
            quote! {
                async fn #check(fake: &FakeDaemon, slot: &Mutex<String>, outcome: &mut Outcome) {
                    let docker = pinned(fake, ApiVersion::new(#major, #minor)).await;
                    #(#each)*
                }
            },
        ))
    });
    let (checks, fns): (Vec<_>, Vec<_>) = calls.unzip();
    let doc = quote! {
        //! Every operation answering JSON, against a fake daemon sending its sample answers
        //! with the lists and maps of each nesting level `null` in turn (Go encodes nil
        //! slices and maps so): each must decode.
    };
    if checks.is_empty() {
        return doc;
    }
    let streams = quote!(#(#fns)*)
        .to_string()
        .contains("try_collect")
        .then(|| {
            quote!(
                use futures_util::TryStreamExt;
            )
        });
    quote! {
        #doc

        use std::sync::{Arc, Mutex};

        use dockmatrix_runtime::{ApiVersion, Client, Error};
        use dockmatrix_testkit::fake::{http_response, Action, FakeDaemon};
        #streams

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

        fn answer(slot: &Mutex<String>, body: &str) {
            if let Ok(mut s) = slot.lock() {
                *s = body.to_owned();
            }
        }

        /// Calls made and the failures among them.
        #[derive(Default)]
        struct Outcome {
            calls: usize,
            failures: Vec<String>,
        }

        impl Outcome {
            fn record(&mut self, op: &str, body: &str, got: Result<(), Error>) {
                self.calls += 1;
                if let Err(e) = got {
                    let mut chain = e.to_string();
                    let mut source = std::error::Error::source(&e);
                    while let Some(s) = source {
                        chain.push_str(": ");
                        chain.push_str(&s.to_string());
                        source = s.source();
                    }
                    self.failures.push(format!("{op}: {chain}\n  answer: {body}"));
                }
            }
        }

        #[tokio::test]
        async fn every_json_answer_decodes_with_null_lists_and_maps() {
            let slot = Arc::new(Mutex::new(String::new()));
            let script_slot = slot.clone();
            let fake = FakeDaemon::start(move |_| {
                let body = script_slot.lock().map(|s| s.clone()).unwrap_or_default();
                let head = [("Content-Type", "application/json")];
                Vec::from([Action::Write(http_response(200, &head, body.as_bytes()))])
            })
            .expect("fake daemon");
            let mut outcome = Outcome::default();
            #(Box::pin(#checks(&fake, &slot, &mut outcome)).await;)*
            let Outcome { calls, failures } = outcome;
            assert_eq!(fake.requests().len(), calls, "every call reached the daemon");
            assert!(failures.is_empty(), "{} of {calls} answers failed to decode:\n{}", failures.len(), failures.join("\n"));
        }

        #(#fns)*
    }
}
