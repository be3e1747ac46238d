//! `dockmatrix history "METHOD PATH"`: a caniuse-style timeline.

use crate::analysis::{presence_strip, ItemHistory, Matrix, OperationHistory};
use crate::cli::table::{or_dash, Rows};
use crate::cli::{Failure, Format, EXIT_ERROR};
use crate::corpus::Corpus;
use crate::model::OpKey;
use crate::pipeline::build_matrix;
use crate::suggest::{hint, nearest_names};

/// Finds an operation in the matrix by any spelling of `METHOD /path`, or fails
/// with the nearest known operations.
pub fn find_operation<'m>(matrix: &'m Matrix, text: &str) -> Result<&'m OperationHistory, Failure> {
    let fail = |message: String| Failure {
        code: EXIT_ERROR,
        message,
    };
    let displays: Vec<String> = matrix.operations.iter().map(|o| o.display()).collect();
    let nearest = || hint(&nearest_names(text, displays.iter().map(String::as_str), 3));
    let key = OpKey::parse(text).ok_or_else(|| {
        fail(format!(
            "{text:?} is not an operation: expected \"METHOD /path\" such as \"GET /containers/json\"{}",
            nearest()
        ))
    })?;
    matrix
        .operation(&key)
        .ok_or_else(|| fail(format!("unknown operation {text}{}", nearest())))
}

/// Prints the history of one operation and its query parameters and body fields.
pub fn history(corpus: &Corpus, operation: &str, format: Format) -> Result<String, Failure> {
    let matrix = build_matrix(corpus)?;
    let op = find_operation(&matrix, operation)?;
    if format == Format::Json {
        return super::json(op);
    }
    let versions = &matrix.api_versions;
    let (first, last) = (or_dash(versions.first()), or_dash(versions.last()));
    let mut out = format!(
        "{} — {}\n\nsince {}, removed in {}, deprecated in {}\npresent: {}\n\n",
        op.display(),
        op.title.as_deref().unwrap_or("(untitled)"),
        or_dash(op.lifecycle.since),
        or_dash(op.lifecycle.removed_in),
        or_dash(op.lifecycle.deprecated_in),
        op.lifecycle
            .present
            .iter()
            .map(|i| match i.removed_in {
                Some(end) => format!("{}…<{end}", i.since),
                None => format!("{}…{last}", i.since),
            })
            .collect::<Vec<_>>()
            .join(", ")
    );
    let legend = format!("timeline {first} → {last}: █ present, ▒ deprecated, · absent, ? not tracked (no schemas)\n");
    let strip = presence_strip(&op.lifecycle, versions, None);
    let mut overview = Rows::new(&["", &format!("{first} … {last}")]);
    overview.push(vec!["operation".into(), strip]);
    let section = |title: &str, items: &[ItemHistory], tracked: bool| {
        let tracked_from = if tracked {
            matrix.fields_tracked_from
        } else {
            None
        };
        let mut rows = Rows::new(&["NAME", "SINCE", "REMOVED IN", "DEPRECATED IN", "TIMELINE"]);
        for item in items {
            rows.push(vec![
                item.name.clone(),
                or_dash(item.lifecycle.since),
                or_dash(item.lifecycle.removed_in),
                or_dash(item.lifecycle.deprecated_in),
                presence_strip(&item.lifecycle, versions, tracked_from),
            ]);
        }
        let body = if format == Format::Md {
            rows.markdown()
        } else {
            rows.text()
        };
        format!("{title} ({})\n{body}\n", items.len())
    };
    if format == Format::Md {
        out.push_str(&overview.markdown());
    } else {
        out.push_str(&overview.text());
    }
    out.push('\n');
    out.push_str(&section("query parameters", &op.query, false));
    out.push_str(&section("request body fields", &op.request_fields, true));
    out.push_str(&section("response body fields", &op.response_fields, true));
    out.push_str(&legend);
    Ok(out)
}
