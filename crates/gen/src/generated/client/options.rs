//! One options struct per operation: its query parameters and headers as `Option`
//! fields with builder-style setters (and, for logs, the non-wire framing `mode`), and
//! `apply`, which writes them into the request (version-gated, shims applied). A query
//! parameter with documented string values gets its own enum beside the struct.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::gates::ranges_text;
use super::names::{ident, pascal};
use super::plan::{OpPlan, QueryParam, QueryTy};
use super::types::{enum_tokens, enum_variants};
use dockmatrix_core::version::ApiVersion;

/// Name of the options struct of `op`.
pub fn options_name(op: &OpPlan) -> proc_macro2::Ident {
    format_ident!("{}Options", op.id)
}

/// Name of the enum of query parameter `q` of `op` (`ContainerWaitCondition`).
pub fn enum_name(op: &OpPlan, q: &QueryParam) -> proc_macro2::Ident {
    format_ident!("{}{}", op.id, pascal(&q.field))
}

fn field_ty(op: &OpPlan, q: &QueryParam) -> TokenStream {
    match &q.ty {
        QueryTy::Bool => quote!(bool),
        QueryTy::Int => quote!(i64),
        QueryTy::Str => quote!(String),
        QueryTy::StrList | QueryTy::JsonList => quote!(Vec<String>),
        QueryTy::Filters => quote!(std::collections::BTreeMap<String, Vec<String>>),
        QueryTy::JsonMap => quote!(std::collections::BTreeMap<String, String>),
        QueryTy::Enum(_) => {
            let e = enum_name(op, q);
            quote!(#e)
        }
    }
}

/// The enums of `op`'s query parameters with documented values.
pub fn query_enums(op: &OpPlan) -> TokenStream {
    let enums = op.query.iter().filter_map(|q| {
        let QueryTy::Enum(values) = &q.ty else {
            return None;
        };
        let name = enum_name(op, q).to_string();
        let doc = format!("Values of `{}` of `{}`.", q.wire, op.display);
        Some(enum_tokens(&name, &doc, &enum_variants(values.clone())))
    });
    quote!(#(#enums)*)
}

fn version_lit(v: ApiVersion) -> TokenStream {
    let a = proc_macro2::Literal::u16_unsuffixed(v.major);
    let b = proc_macro2::Literal::u16_unsuffixed(v.minor);
    quote!(ApiVersion::new(#a, #b))
}

/// Statement adding query parameter `q` (value in `value`, by reference) to `req`.
fn push(q: &QueryParam, gate: &TokenStream, value: TokenStream) -> TokenStream {
    match &q.ty {
        QueryTy::Bool | QueryTy::Int => quote!(req = req.query_param(#gate, *#value);),
        QueryTy::Str | QueryTy::Enum(_) => quote!(req = req.query_param(#gate, #value.as_str());),
        QueryTy::StrList => quote! {
            for item in #value {
                req = req.query_param(#gate, item.as_str());
            }
        },
        QueryTy::Filters | QueryTy::JsonMap | QueryTy::JsonList => {
            quote!(req = req.query_param_json(#gate, #value);)
        }
    }
}

fn apply_query(op: &OpPlan, q: &QueryParam) -> TokenStream {
    let field = ident(&q.field);
    let gate_id = format_ident!("{}", q.const_name);
    let gate = quote!(&crate::gates::#gate_id);
    let op_gate_id = format_ident!("{}", op.const_name);
    if let Some((legacy, below)) = &q.rename {
        let below = version_lit(*below);
        let send_legacy = match &q.ty {
            QueryTy::Bool | QueryTy::Int => quote!(req = req.query(#legacy, *value);),
            _ => quote!(req = req.query(#legacy, value.as_str());),
        };
        let send_new = push(q, &gate, quote!(value));
        return quote! {
            if let Some(value) = &self.#field {
                dockmatrix_runtime::check_parameter(&crate::gates::#op_gate_id, #gate, gate)?;
                if v < #below {
                    #send_legacy
                } else {
                    #send_new
                }
            }
        };
    }
    let shims: Vec<_> =
        if q.ty == QueryTy::Filters {
            op.filter_shims.iter().filter_map(|s| {
            let legacy = op.query.iter().find(|p| p.wire == s.sent_as)?;
            let legacy_gate = format_ident!("{}", legacy.const_name);
            let key = &s.filter;
            let below = version_lit(s.below);
            Some(quote! {
                if v < #below {
                    if let Some(values) = filters.remove(#key) {
                        for value in &values {
                            req = req.query_param(&crate::gates::#legacy_gate, value.as_str());
                        }
                    }
                }
            })
        }).collect()
        } else {
            Vec::new()
        };
    if !shims.is_empty() {
        return quote! {
            if let Some(filters) = &self.#field {
                let mut filters = filters.clone();
                #(#shims)*
                if !filters.is_empty() {
                    req = req.query_param_json(#gate, &filters);
                }
            }
        };
    }
    let send = push(q, &gate, quote!(value));
    quote! {
        if let Some(value) = &self.#field {
            #send
        }
    }
}

/// Whether `apply` reads the negotiated version.
fn uses_version(op: &OpPlan) -> bool {
    op.query.iter().any(|q| q.rename.is_some())
        || (!op.filter_shims.is_empty() && op.query.iter().any(|q| q.ty == QueryTy::Filters))
}

/// The options struct of `op`, with setters and `apply`.
pub fn options_struct(op: &OpPlan, first: ApiVersion) -> TokenStream {
    let name = options_name(op);
    let doc = format!(
        "Query parameters and headers of `{}` ({}).",
        op.display, op.id
    );
    let mut fields = Vec::new();
    let mut setters = Vec::new();
    for q in &op.query {
        let f = ident(&q.field);
        let ty = field_ty(op, q);
        let mut d = format!("`{}` ({}).", q.wire, ranges_text(&q.ranges, first));
        if let Some((legacy, below)) = &q.rename {
            d.push_str(&format!(" Sent as `{legacy}` below API {below} (shim)."));
        }
        if !q.doc.is_empty() {
            d = format!("{}\n\n{d}", q.doc);
        }
        fields.push(quote! {
            #[doc = #d]
            pub #f: Option<#ty>,
        });
        let sd = format!("Sets `{}`.", q.wire);
        let setter = match &q.ty {
            QueryTy::Str => quote! {
                #[doc = #sd]
                pub fn #f(mut self, value: impl Into<String>) -> Self {
                    self.#f = Some(value.into());
                    self
                }
            },
            QueryTy::StrList | QueryTy::JsonList => quote! {
                #[doc = #sd]
                pub fn #f(mut self, values: impl IntoIterator<Item = impl AsRef<str>>) -> Self {
                    self.#f = Some(values.into_iter().map(|v| v.as_ref().to_owned()).collect());
                    self
                }
            },
            QueryTy::JsonMap => {
                let sd = format!("Sets `{}` (sent as a JSON object).", q.wire);
                quote! {
                    #[doc = #sd]
                    pub fn #f(mut self, pairs: impl IntoIterator<Item = (impl AsRef<str>, impl AsRef<str>)>) -> Self {
                        self.#f = Some(pairs.into_iter().map(|(k, v)| (k.as_ref().to_owned(), v.as_ref().to_owned())).collect());
                        self
                    }
                }
            }
            _ => quote! {
                #[doc = #sd]
                pub fn #f(mut self, value: #ty) -> Self {
                    self.#f = Some(value);
                    self
                }
            },
        };
        setters.push(setter);
        if q.ty == QueryTy::Filters {
            let sd = format!("Adds one value of the `{}` map under `key`.", q.wire);
            let adder = format_ident!("{}_add", q.field);
            setters.push(quote! {
                #[doc = #sd]
                pub fn #adder(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
                    self.#f.get_or_insert_with(Default::default).entry(key.into()).or_default().push(value.into());
                    self
                }
            });
        }
    }
    for h in &op.headers {
        let f = ident(&h.field);
        let mut d = format!("Header `{}`.", h.wire);
        if !h.doc.is_empty() {
            d = format!("{}\n\n{d}", h.doc);
        }
        fields.push(quote! {
            #[doc = #d]
            pub #f: Option<String>,
        });
        let sd = format!("Sets header `{}`.", h.wire);
        setters.push(quote! {
            #[doc = #sd]
            pub fn #f(mut self, value: impl Into<String>) -> Self {
                self.#f = Some(value.into());
                self
            }
        });
    }
    if op.has_log_mode() {
        fields.push(quote! {
            /// How the output is framed (not sent): `LogMode::Auto` (the default) reads it
            /// from the response; `Raw` for a container with a TTY below API 1.42.
            pub mode: LogMode,
        });
        setters.push(quote! {
            /// Sets how the output is framed (not sent to the daemon).
            pub fn mode(mut self, mode: LogMode) -> Self {
                self.mode = mode;
                self
            }
        });
    }
    let queries = op.query.iter().map(|q| apply_query(op, q));
    let headers = op.headers.iter().map(|h| {
        let f = ident(&h.field);
        let wire = &h.wire;
        quote! {
            if let Some(value) = &self.#f {
                req = req.header(#wire, value);
            }
        }
    });
    let (gate, version) = if uses_version(op) {
        (quote!(gate), quote!(let v = gate.version;))
    } else {
        (quote!(_gate), quote!())
    };
    let needs_mut = !op.query.is_empty() || !op.headers.is_empty();
    let req_binding = if needs_mut {
        quote!(mut req)
    } else {
        quote!(req)
    };
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Default, PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            /// No parameter set.
            pub fn new() -> Self {
                Self::default()
            }

            #(#setters)*

            /// Writes the set parameters into `req` (gated against `gate`, shims applied).
            pub(crate) fn apply(&self, #req_binding: Request, #gate: Gate) -> Result<Request, Error> {
                #version
                #(#queries)*
                #(#headers)*
                Ok(req)
            }
        }
    }
}
