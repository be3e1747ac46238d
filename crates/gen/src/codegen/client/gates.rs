//! Version ranges as `static` data: the matrix' lifecycles → `VersionRange` literals,
//! and the generated `gates.rs` holding every `OperationInfo` / `ParamInfo`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeMap;

use super::plan::{OpPlan, QueryParam};
use dockmatrix_core::analysis::Interval;
use dockmatrix_core::version::ApiVersion;

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
pub fn ranges_tokens(intervals: &[Interval], open_below: ApiVersion) -> TokenStream {
    let items = intervals.iter().map(|i| {
        let since = version_tokens(Some(i.since).filter(|s| *s > open_below));
        let removed = version_tokens(i.removed_in);
        quote!(VersionRange::new(#since, #removed))
    });
    quote!(&[#(#items),*])
}

/// Human text for a set of intervals (`1.25+`, `1.0–1.23`, …), for rustdoc.
pub fn ranges_text(intervals: &[Interval], open_below: ApiVersion) -> String {
    if intervals.is_empty() {
        return "no version".into();
    }
    intervals
        .iter()
        .map(|i| {
            let since = if i.since > open_below {
                i.since.to_string()
            } else {
                format!("{open_below}")
            };
            match i.removed_in {
                None => format!("API {since} and later"),
                Some(r) => format!("API {since} up to (excluding) {r}"),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Adds `extra` to a set of intervals and merges overlapping/adjacent ones.
pub fn union(mut intervals: Vec<Interval>, extra: &[Interval]) -> Vec<Interval> {
    intervals.extend_from_slice(extra);
    intervals.sort_by_key(|i| i.since);
    let mut out: Vec<Interval> = Vec::new();
    for i in intervals {
        match out.last_mut() {
            Some(last) if last.removed_in.is_none_or(|end| i.since <= end) => {
                last.removed_in = match (last.removed_in, i.removed_in) {
                    (None, _) | (_, None) => None,
                    (Some(a), Some(b)) => Some(a.max(b)),
                };
            }
            _ => out.push(i),
        }
    }
    out
}

/// Intersection of a set of intervals with `< below`.
pub fn below(intervals: &[Interval], below: ApiVersion) -> Vec<Interval> {
    intervals
        .iter()
        .filter(|i| i.since < below)
        .map(|i| Interval {
            since: i.since,
            removed_in: Some(i.removed_in.map_or(below, |r| r.min(below))),
        })
        .collect()
}

fn query_static(op: &OpPlan, q: &QueryParam, bounds: &Bounds) -> TokenStream {
    let name = format_ident!("{}", q.const_name);
    let wire = &q.wire;
    let ranges = ranges_tokens(&q.ranges, bounds.first);
    let doc = format!(
        "Query parameter `{wire}` of `{}`: {}.",
        op.display,
        ranges_text(&q.ranges, bounds.first)
    );
    quote! {
        #[doc = #doc]
        pub static #name: ParamInfo = ParamInfo::new(#wire, ParamLocation::Query, #ranges);
    }
}

/// The generated `src/gates.rs`. Operations whose request bodies have the same
/// gated fields (e.g. service create and update, both a `ServiceSpec`) share one
/// table: the later ones refer to the first.
pub fn gates_file(ops: &[OpPlan], bounds: &Bounds) -> TokenStream {
    let mut first_with_fields: BTreeMap<String, proc_macro2::Ident> = BTreeMap::new();
    let items = ops.iter().map(|op| {
        let name = format_ident!("{}", op.const_name);
        let id = &op.id;
        let method = format_ident!("{}", op.http_method);
        let path = &op.path;
        let ranges = ranges_tokens(&op.ranges, bounds.first);
        let doc = format!(
            "`{}`: {}.",
            op.display,
            ranges_text(&op.ranges, bounds.first)
        );
        let queries = op.query.iter().map(|q| query_static(op, q, bounds));
        let body = (!op.body_fields.is_empty()).then(|| {
            let body_name = format_ident!("{}_BODY", op.const_name);
            let open = bounds.first;
            let fields: Vec<TokenStream> = op
                .body_fields
                .iter()
                .map(|(field, intervals)| {
                    let ranges = ranges_tokens(intervals, open);
                    quote!(ParamInfo::new(#field, ParamLocation::BodyField, #ranges))
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
            pub static #name: OperationInfo = OperationInfo::new(#id, HttpMethod::#method, #path, #ranges);
            #(#queries)*
            #body
        }
    });
    let items: Vec<TokenStream> = items.collect();
    let text = quote!(#(#items)*).to_string();
    let imports = [
        "ApiVersion",
        "HttpMethod",
        "OperationInfo",
        "ParamInfo",
        "ParamLocation",
        "VersionRange",
    ]
    .into_iter()
    .filter(|name| text.contains(name))
    .map(|name| format_ident!("{name}"));
    quote! {
        //! Supported API versions of every operation, query parameter and request body
        //! field, from the compatibility matrix (plus the widening of `specs/docker/shims.toml`).

        use dockmatrix_runtime::{#(#imports),*};

        #(#items)*
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
        let a = vec![Interval {
            since: v(48),
            removed_in: None,
        }];
        let legacy = [Interval {
            since: v(39),
            removed_in: Some(v(52)),
        }];
        let shimmed = union(a, &below(&legacy, v(48)));
        assert_eq!(
            shimmed,
            vec![Interval {
                since: v(39),
                removed_in: None
            }]
        );
        let gap = union(
            vec![Interval {
                since: v(1),
                removed_in: Some(v(5)),
            }],
            &[Interval {
                since: v(7),
                removed_in: None,
            }],
        );
        assert_eq!(gap.len(), 2);
        assert_eq!(
            ranges_text(&gap, v(0)),
            "API 1.1 up to (excluding) 1.5; API 1.7 and later"
        );
    }
}
