//! `dockmatrix history "METHOD PATH"`: a caniuse-style timeline.

use crate::cli::{Failure, Format, EXIT_ERROR};
use dockmatrix_core::analysis::witnesses::{self, Disagreement, Kind};
use dockmatrix_core::analysis::{ItemHistory, Matrix, OperationHistory};
use dockmatrix_core::model::errata::{DocFix, ModelErrata};
use dockmatrix_core::model::served::ServedIndex;
use dockmatrix_core::model::OpKey;
use dockmatrix_core::present;
use dockmatrix_core::present::describe::{notes, removed_text, since_text};
use dockmatrix_core::present::table::{or_dash, Rows};
use dockmatrix_core::present::{presence_strip, timeline_ticks};
use dockmatrix_core::suggest::{hint, nearest_names};

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

/// Prints the history of one operation and its query parameters and body
/// fields, and where the release's server code (`served`) disagrees with the
/// documents about them.
pub fn history(
    matrix: &Matrix,
    served: &ServedIndex,
    operation: &str,
    format: Format,
    width: Option<usize>,
) -> Result<String, Failure> {
    let op = find_operation(matrix, operation)?;
    let all = witnesses::disagreements(matrix, served);
    let disagreements = witnesses::of_operation(&all, &op.key());
    let fixes = ModelErrata::builtin()
        .map_err(Failure::from)?
        .doc_fixes_of(&op.key());
    if format == Format::Json {
        let mut value = serde_json::to_value(op).map_err(Failure::from)?;
        if let Some(object) = value.as_object_mut() {
            object.insert(
                "served_disagreements".into(),
                serde_json::to_value(&disagreements).map_err(Failure::from)?,
            );
            object.insert(
                "documentation_fixes".into(),
                serde_json::to_value(&fixes).map_err(Failure::from)?,
            );
        }
        return super::json(&value);
    }
    let versions = &matrix.api_versions;
    let (first, last) = (or_dash(versions.first()), or_dash(versions.last()));
    let l = &op.lifecycle;
    let mut out = format!(
        "{} — {}\n\nsince {}, removed in {}, deprecated in {}\n",
        op.display(),
        op.title.as_deref().unwrap_or("(untitled)"),
        since_text(l),
        removed_text(l),
        or_dash(l.deprecated_in),
    );
    for note in notes(l, versions) {
        out.push_str(&format!("{note}\n"));
    }
    out.push('\n');
    let legend = format!(
        "timeline {first} → {last}: █ documented, ▒ deprecated, E experimental, ░ undocumented (a gap in the references; still served), ? unknown (the references cannot tell), · absent\n\
         evidence: how the first version documenting a body field shows it (schema, parameter list, example or description)\n"
    );
    let (tick_labels, tick_marks) = timeline_ticks(versions);
    let ruled = |rows: &mut Rows, md: bool| {
        if !md {
            rows.push(vec![String::new(), tick_labels.clone()]);
            rows.push(vec![String::new(), tick_marks.clone()]);
        }
    };
    let mut overview = Rows::new(&["", &format!("TIMELINE {first} … {last}")]);
    ruled(&mut overview, format == Format::Md);
    overview.push(vec!["operation".into(), presence_strip(l, versions)]);
    let section = |title: &str, items: &[ItemHistory]| {
        let facts = |item: &ItemHistory| {
            let mut item_notes = notes(&item.lifecycle, versions);
            if let Some(e) = item.evidence {
                item_notes.insert(0, format!("from {}", e.as_str()));
            }
            vec![
                item.name.clone(),
                since_text(&item.lifecycle),
                removed_text(&item.lifecycle),
                or_dash(item.lifecycle.deprecated_in),
                item_notes.join("; "),
            ]
        };
        let header = ["NAME", "SINCE", "REMOVED IN", "DEPRECATED IN", "NOTES"];
        let body = if format == Format::Md {
            let mut rows = Rows::new(&[&header[..], &["TIMELINE"]].concat());
            for item in items {
                let mut row = facts(item);
                row.push(presence_strip(&item.lifecycle, versions));
                rows.push(row);
            }
            rows.markdown()
        } else {
            // Text: the facts, then the timelines with a version ruler, so that
            // both fit the width.
            let mut rows = Rows::new(&header);
            let mut strips = Rows::new(&["NAME", &format!("TIMELINE {first} … {last}")]);
            ruled(&mut strips, false);
            for item in items {
                rows.push(facts(item));
                strips.push(vec![
                    item.name.clone(),
                    presence_strip(&item.lifecycle, versions),
                ]);
            }
            let mut text = rows.text_width(width);
            if !items.is_empty() {
                text.push('\n');
                text.push_str(&strips.text_width(width));
            }
            text
        };
        format!("{title} ({})\n{body}\n", items.len())
    };
    if format == Format::Md {
        out.push_str(&overview.markdown());
    } else {
        out.push_str(&overview.text_width(width));
    }
    out.push('\n');
    out.push_str(&section("query parameters", &op.query));
    out.push_str(&section("request body fields", &op.request_fields));
    out.push_str(&section("response body fields", &op.response_fields));
    out.push_str(&doc_fixes_section(&fixes, format));
    out.push_str(&served_section(&disagreements, format, width));
    out.push_str(&legend);
    Ok(out)
}

/// The corrections of the documents applied to this operation's fields (none:
/// nothing printed).
fn doc_fixes_section(fixes: &[DocFix], format: Format) -> String {
    if fixes.is_empty() {
        return String::new();
    }
    let bullet = if format == Format::Md { "- " } else { "  " };
    let mut out = format!(
        "documentation fixes ({}; errors of the documents corrected before the history is drawn, not changes of the API; specs/docker/model-errata.toml)\n",
        fixes.len()
    );
    for f in fixes {
        out.push_str(&format!("{bullet}{}: {}\n", f.text(), f.reason));
    }
    out.push('\n');
    out
}

/// Where the server code disagrees with the documents, by kind; or that it does not.
fn served_section(items: &[&Disagreement], format: Format, width: Option<usize>) -> String {
    let mut out = format!(
        "documents vs server code ({} disagreements; each release compared at its newest API version; `check --docker` follows the code)\n",
        items.len()
    );
    let code = |s: &str| s.to_string();
    let page = |api| format!("the API {api} document");
    for kind in Kind::ALL {
        let of_kind: Vec<&Disagreement> =
            items.iter().copied().filter(|d| d.kind == kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        let rows = present::witnesses::rows(&of_kind, code, &page);
        let table = if format == Format::Md {
            rows.markdown()
        } else {
            rows.text_width(width)
        };
        out.push_str(&format!("{}:\n{table}", kind.title()));
    }
    out.push('\n');
    out
}
