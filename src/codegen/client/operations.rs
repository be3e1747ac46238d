//! One module per tag: a handle struct borrowing the client, one async method per
//! operation (gate → build → send → decode), and the options structs.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::gates::ranges_text;
use super::names::ident;
use super::options::{options_name, options_struct};
use super::plan::{tag_module, BodyPlan, OpPlan, ResponsePlan};
use crate::version::ApiVersion;

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
    let path_args = op.path_params.iter().map(|(_, arg)| {
        let a = ident(arg);
        quote!(#a: &str,)
    });
    let path_sets = op.path_params.iter().map(|(wire, arg)| {
        let a = ident(arg);
        quote!(req = req.path_param(#wire, #a);)
    });
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
    let (mode_arg, ret, send) = match &op.response {
        ResponsePlan::Unit => (
            quote!(),
            quote!(()),
            quote!(self.client.send_unit(req).await),
        ),
        ResponsePlan::Json(ty) => {
            let t = ty.tokens(true);
            (quote!(), t, quote!(self.client.send_json(req).await))
        }
        ResponsePlan::Bytes => (
            quote!(),
            quote!(bytes::Bytes),
            quote!(self.client.send_bytes(req).await),
        ),
        ResponsePlan::Stream => (
            quote!(),
            quote!(ByteStream),
            quote!(self.client.send_stream(req).await),
        ),
        ResponsePlan::JsonLines(ty) => {
            let t = ty.tokens(true);
            (
                quote!(),
                quote!(JsonLines<#t>),
                quote!(self.client.send_json_lines(req).await),
            )
        }
        ResponsePlan::Logs => (
            quote!(mode: LogMode,),
            quote!(LogStream),
            quote!(self.client.send_logs(req, mode).await),
        ),
        ResponsePlan::Upgrade => (
            quote!(),
            quote!(Duplex),
            quote!(self.client.upgrade(req).await),
        ),
        ResponsePlan::Session => (
            quote!(),
            quote!(dockmatrix_runtime::Session),
            quote!(self.client.session(req, LogMode::Auto).await),
        ),
        ResponsePlan::Ping => (
            quote!(),
            quote!(dockmatrix_runtime::PingInfo),
            quote!(self.client.send_ping(req).await),
        ),
        ResponsePlan::PathStat => (
            quote!(),
            quote!(dockmatrix_runtime::PathStat),
            quote!(self.client.send_path_stat(req).await),
        ),
        ResponsePlan::ExecStart => (
            quote!(),
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
    quote! {
        #[doc = #doc]
        pub async fn #fn_name(&self, #(#path_args)* opts: &#opts, #body_arg #mode_arg) -> Result<#ret, Error> {
            let v = self.client.api_version();
            check_operation(&crate::gates::#gate, v)?;
            #binding = opts.apply(Request::for_operation(&crate::gates::#gate), v)?;
            #(#path_sets)*
            #body_set
            #send
        }
    }
}

/// The module of one tag.
pub fn tag_file(tag: &str, ops: &[&OpPlan], first: ApiVersion) -> TokenStream {
    let handle = handle_name(tag);
    let mod_doc = format!("Operations tagged `{tag}` ({} operations).", ops.len());
    let handle_doc = format!("The `{tag}` operations, borrowed from a [`crate::Docker`].");
    let methods = ops.iter().map(|op| method(op, first));
    let options = ops.iter().map(|op| options_struct(op, first));
    quote! {
        #![doc = #mod_doc]

        #[allow(unused_imports)]
        use dockmatrix_runtime::{check_operation, ApiVersion, ByteStream, Client, Duplex, Error, JsonLines, LogMode, LogStream, RawBody, Request};

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
