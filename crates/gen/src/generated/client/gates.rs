//! Version ranges as `static` data: the matrix' lifecycles → `VersionRange` literals,
//! and the generated `gates.rs` holding every `OperationInfo` / `ParamInfo`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeMap;

use super::plan::{OpPlan, QueryParam};
use super::served::ServedFacts;
use dockmatrix_core::version::{ApiVersion, VersionRange};

/// The corpus' version bounds: an interval starting at `first` is open below.
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    /// Oldest version of the corpus.
    pub first: ApiVersion,
}

fn version_tokens(v: Option<ApiVersion>) -> TokenStream {
    match v {
        None => quote!(None),
        Some(v) => {
            let major = proc_macro2::Literal::u16_unsuffixed(v.major);
            let minor = proc_macro2::Literal::u16_unsuffixed(v.minor);
            quote!(Some(ApiVersion::new(#major, #minor)))
        }
    }
}

/// `&[VersionRange::new(..), ..]` for `intervals`, where a start at or before
/// `open_below` means "since the beginning".
pub fn ranges_tokens(intervals: &[VersionRange], open_below: ApiVersion) -> TokenStream {
    let items = intervals.iter().map(|i| {
        let since = version_tokens(i.since.filter(|s| *s > open_below));
        let removed = version_tokens(i.until);
        quote!(VersionRange::new(#since, #removed))
    });
    quote!(&[#(#items),*])
}

/// Human text for a set of intervals (`1.25+`, `1.0–1.23`, …), for rustdoc.
pub fn ranges_text(intervals: &[VersionRange], open_below: ApiVersion) -> String {
    if intervals.is_empty() {
        return "no version".into();
    }
    intervals
        .iter()
        .map(|i| {
            let since = i.since.filter(|s| *s > open_below).unwrap_or(open_below);
            match i.until {
                None => format!("API {since} and later"),
                Some(r) => format!("API {since} up to (excluding) {r}"),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Adds `extra` to a set of ranges, merging overlapping and adjacent ones.
pub fn union(ranges: Vec<VersionRange>, extra: &[VersionRange]) -> Vec<VersionRange> {
    VersionRange::union(ranges.into_iter().chain(extra.iter().copied()))
}

/// A set of ranges cut at `below` (exclusive).
pub fn below(ranges: &[VersionRange], below: ApiVersion) -> Vec<VersionRange> {
    let cut = VersionRange::below(below);
    ranges
        .iter()
        .map(|r| r.intersect(&cut))
        .filter(|r| !r.is_empty())
        .collect()
}

fn query_static(
    op: &OpPlan,
    q: &QueryParam,
    bounds: &Bounds,
    served: &ServedFacts,
    tables: &mut SharedTables,
) -> TokenStream {
    let name = format_ident!("{}", q.const_name);
    let wire = &q.wire;
    let ranges = ranges_tokens(&q.ranges, bounds.first);
    let doc = format!(
        "Query parameter `{wire}` of `{}`: {}.",
        op.display,
        ranges_text(&q.ranges, bounds.first)
    );
    let served = tables.with_served(served.query(op, q));
    quote! {
        #[doc = #doc]
        pub static #name: ParamInfo = ParamInfo::new(#wire, ParamLocation::Query, #ranges) #served;
    }
}

/// The generated `src/gates.rs`: the documents' ranges, and what each release's
/// code serves where the served facts have it. Operations whose request bodies
/// have the same gated fields (e.g. service create and update, both a
/// `ServiceSpec`) share one table: the later ones refer to the first.
pub fn gates_file(ops: &[OpPlan], bounds: &Bounds, served: &ServedFacts) -> TokenStream {
    let mut first_with_fields: BTreeMap<String, proc_macro2::Ident> = BTreeMap::new();
    let mut tables = SharedTables::default();
    let items = ops.iter().map(|op| {
        let name = format_ident!("{}", op.const_name);
        let id = &op.id;
        let method = format_ident!("{}", format!("{:?}", op.http_method));
        let path = &op.path;
        let ranges = ranges_tokens(&op.ranges, bounds.first);
        let doc = format!(
            "`{}`: {}.",
            op.display,
            ranges_text(&op.ranges, bounds.first)
        );
        let queries: Vec<TokenStream> = op
            .query
            .iter()
            .map(|q| query_static(op, q, bounds, served, &mut tables))
            .collect();
        let op_served = tables.with_served(served.operation(op));
        let body = (!op.body_fields.is_empty()).then(|| {
            let body_name = format_ident!("{}_BODY", op.const_name);
            let open = bounds.first;
            let fields: Vec<TokenStream> = op
                .body_fields
                .iter()
                .map(|(field, intervals)| {
                    let ranges = ranges_tokens(intervals, open);
                    let served = tables.with_served(served.body_field(op, field, intervals));
                    quote!(ParamInfo::new(#field, ParamLocation::BodyField, #ranges) #served)
                })
                .collect();
            let doc = format!(
                "Version-gated request body fields of `{}` (dotted paths; `[]` array items, `*` map values).",
                op.display
            );
            let table = quote!(#(#fields),*).to_string();
            match first_with_fields.get(&table) {
                Some(shared) => quote! {
                    #[doc = #doc]
                    pub static #body_name: &[ParamInfo] = #shared;
                },
                None => {
                    first_with_fields.insert(table, body_name.clone());
                    quote! {
                        #[doc = #doc]
                        pub static #body_name: &[ParamInfo] = &[#(#fields),*];
                    }
                }
            }
        });
        quote! {
            #[doc = #doc]
            pub static #name: OperationInfo = OperationInfo::new(#id, HttpMethod::#method, #path, #ranges) #op_served;
            #(#queries)*
            #body
        }
    });
    let items: Vec<TokenStream> = items.collect();
    let releases = served.releases_static();
    let shared = tables.statics();
    let releases = quote!(#releases #shared);
    let mut used = std::collections::BTreeSet::new();
    idents(quote!(#releases #(#items)*), &mut used);
    let imports = [
        "ApiVersion",
        "HttpMethod",
        "OperationInfo",
        "ParamInfo",
        "ParamLocation",
        "ReleaseLine",
        "Served",
        "VersionRange",
    ]
    .into_iter()
    .filter(|name| used.contains(*name))
    .map(|name| format_ident!("{name}"));
    quote! {
        //! Supported API versions of every operation, query parameter and request body
        //! field, from the compatibility matrix (plus the widening of `specs/docker/shims.toml`),
        //! and, from each release's own server code, what that release serves of every
        //! operation and query parameter at each requested version.

        use dockmatrix_runtime::{#(#imports),*};

        #releases

        #(#items)*
    }
}

/// Served tables as `static`s, each written once and named by every item
/// whose table is the same.
#[derive(Default)]
struct SharedTables {
    names: BTreeMap<String, usize>,
    tables: Vec<TokenStream>,
}

impl SharedTables {
    /// `.with_served(SERVED_N)` for `table`, or nothing without one.
    fn with_served(&mut self, table: Option<TokenStream>) -> TokenStream {
        let Some(table) = table else {
            return TokenStream::new();
        };
        let next = self.tables.len();
        let n = *self.names.entry(table.to_string()).or_insert_with(|| next);
        if n == next {
            self.tables.push(table);
        }
        let name = format_ident!("SERVED_{n}");
        quote!(.with_served(#name))
    }

    fn statics(&self) -> TokenStream {
        let items = self.tables.iter().enumerate().map(|(n, table)| {
            let name = format_ident!("SERVED_{n}");
            quote! {
                #[doc = "What the release lines' code serves (see [`Served`]); shared by every item with this table."]
                static #name: &[Served] = #table;
            }
        });
        quote!(#(#items)*)
    }
}

/// Every identifier of `tokens` (not the words of doc strings).
fn idents(tokens: TokenStream, out: &mut std::collections::BTreeSet<String>) {
    for tree in tokens {
        match tree {
            proc_macro2::TokenTree::Ident(i) => {
                out.insert(i.to_string());
            }
            proc_macro2::TokenTree::Group(g) => idents(g.stream(), out),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(m: u16) -> ApiVersion {
        ApiVersion::new(1, m)
    }

    #[test]
    fn union_and_below() {
        let r = |since: u16, until: Option<u16>| VersionRange::new(Some(v(since)), until.map(v));
        let shimmed = union(vec![r(48, None)], &below(&[r(39, Some(52))], v(48)));
        assert_eq!(shimmed, [r(39, None)]);
        let gap = union(vec![r(1, Some(5))], &[r(7, None)]);
        assert_eq!(gap.len(), 2);
        assert_eq!(
            ranges_text(&gap, v(0)),
            "API 1.1 up to (excluding) 1.5; API 1.7 and later"
        );
    }
}
