//! Builder-style setters for the request bodies (`ContainerCreateBody::default()
//! .image("busybox").cmd(["echo", "hi"])`): one method per field of each struct an
//! operation sends as its JSON body, named as the field. Strings take
//! `impl Into<String>`, lists of strings any `IntoIterator` of `impl AsRef<str>`
//! (`&[&str]`, arrays, `Vec<String>`), maps of strings any iterator of such pairs
//! (`[("k", "v")]`, `&HashMap<String, String>`); every other field takes its own type.
//! Response-only models have no setters.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::names::ident;
use super::types::Ty;

/// What the generator knows of one field for its setter.
pub struct SetterField<'f> {
    /// Wire name (for the doc comment).
    pub wire: &'f str,
    /// Rust field name.
    pub ident: &'f str,
    /// Field type (without the `Option`).
    pub ty: &'f Ty,
    /// Whether the field is a plain (non-`Option`) field.
    pub required: bool,
    /// Whether the field is boxed (a recursive embedding).
    pub boxed: bool,
}

/// The `impl` block of setters for the struct `name`.
pub fn setters(name: &str, fields: &[SetterField<'_>]) -> TokenStream {
    let id = format_ident!("{}", name);
    let methods = fields.iter().map(setter);
    quote! {
        impl #id {
            #(#methods)*
        }
    }
}

/// One setter: its parameter and the expression stored (before `Some`/`Box` wrapping).
fn setter(f: &SetterField<'_>) -> TokenStream {
    let fid = ident(f.ident);
    let doc = format!("Sets `{}`.", f.wire);
    let (param, value) = match f.ty {
        Ty::Prim("String") => (quote!(value: impl Into<String>), quote!(value.into())),
        Ty::Vec(item) if **item == Ty::Prim("String") => (
            quote!(values: impl IntoIterator<Item = impl AsRef<str>>),
            quote!(values.into_iter().map(|v| v.as_ref().to_owned()).collect()),
        ),
        Ty::Map(item) if **item == Ty::Prim("String") => (
            quote!(pairs: impl IntoIterator<Item = (impl AsRef<str>, impl AsRef<str>)>),
            quote!(pairs
                .into_iter()
                .map(|(k, v)| (k.as_ref().to_owned(), v.as_ref().to_owned()))
                .collect()),
        ),
        other => {
            let t = other.tokens(false);
            (quote!(value: #t), quote!(value))
        }
    };
    let value = if f.boxed {
        quote!(Box::new(#value))
    } else {
        value
    };
    let stored = if f.required {
        value
    } else {
        quote!(Some(#value))
    };
    quote! {
        #[doc = #doc]
        pub fn #fid(mut self, #param) -> Self {
            self.#fid = #stored;
            self
        }
    }
}
