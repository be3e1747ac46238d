//! `dockmatrix diff A B`.

use crate::cli::data::known_version;
use crate::cli::{Failure, Format};
use dockmatrix_core::analysis::diff::{diff as diff_versions, Changes, VersionDiff};
use dockmatrix_core::analysis::witnesses::{self, DiffNote};
use dockmatrix_core::analysis::Matrix;
use dockmatrix_core::model::errata::{DocFix, ModelErrata};
use dockmatrix_core::model::served::ServedIndex;

/// Operations, query parameters and fields added, removed and deprecated from A to
/// B, and documentation-only changes apart. A must not be newer than B.
pub fn diff(
    matrix: &Matrix,
    served: &ServedIndex,
    from: &str,
    to: &str,
    format: Format,
) -> Result<String, Failure> {
    let (a, b) = (known_version(matrix, from)?, known_version(matrix, to)?);
    let d = diff_versions(matrix, a, b)?;
    let notes = witnesses::diff_notes(&d, matrix, served);
    let fixes = ModelErrata::builtin()
        .map_err(Failure::from)?
        .doc_fixes_between(a, b);
    Ok(match format {
        Format::Json => {
            let mut value = serde_json::to_value(&d).map_err(Failure::from)?;
            if let Some(object) = value.as_object_mut() {
                object.insert(
                    "served_notes".into(),
                    serde_json::to_value(&notes).map_err(Failure::from)?,
                );
                object.insert(
                    "documentation_fixes".into(),
                    serde_json::to_value(&fixes).map_err(Failure::from)?,
                );
            }
            super::json(&value)?
        }
        Format::Text | Format::Md | Format::Github | Format::Yaml => {
            let md = format == Format::Md;
            let mut out = render(&d, md);
            out.push_str(&render_notes(&notes, md));
            out.push_str(&render_fixes(&fixes, md));
            out
        }
    })
}

/// The corrections of the documents at this step: the documents change here
/// without the API changing, so the lists above do not show them.
fn render_fixes(fixes: &[DocFix], md: bool) -> String {
    if fixes.is_empty() {
        return String::new();
    }
    let (h3, bullet) = if md { ("### ", "- ") } else { ("", "    ") };
    let mut out = format!(
        "\n{h3}documentation fixes at this step ({}; the documents change, the API does not)\n",
        fixes.len()
    );
    for f in fixes {
        out.push_str(&format!("{bullet}{} {}: {}\n", f.call, f.text(), f.reason));
    }
    out
}

/// The changes the server code contradicts, after the documents' list.
fn render_notes(notes: &[DiffNote], md: bool) -> String {
    if notes.is_empty() {
        return String::new();
    }
    let (h3, bullet) = if md { ("### ", "- ") } else { ("", "    ") };
    let mut out = format!(
        "\n{h3}server code disagrees ({}; `check --docker` follows the code)\n",
        notes.len()
    );
    for n in notes {
        let item = match &n.parameter {
            Some(p) => format!("{} ?{p}", n.operation),
            None => n.operation.clone(),
        };
        out.push_str(&format!(
            "{bullet}{item}: documented as {}, but {}\n",
            n.documented, n.served
        ));
    }
    out
}

/// Renders a diff as a readable list (markdown when `md`).
pub fn render(d: &VersionDiff, md: bool) -> String {
    let (h2, h3, bullet) = if md {
        ("## ", "### ", "- ")
    } else {
        ("", "  ", "    ")
    };
    let mut out = format!("{h2}API {} → {}\n\n", d.from, d.to);
    let list = |out: &mut String, indent: &str, changes: &Changes| {
        let labels = if md {
            [
                "added",
                "removed",
                "deprecated",
                "undocumented (doc only)",
                "documented again (doc only)",
                "first documented (older version cannot tell)",
            ]
        } else {
            [
                "+",
                "-",
                "deprecated",
                "undocumented (doc only)",
                "documented again (doc only)",
                "first documented (older cannot tell)",
            ]
        };
        let lists = [
            &changes.added,
            &changes.removed,
            &changes.deprecated,
            &changes.undocumented,
            &changes.documented_again,
            &changes.first_documented,
        ];
        for (sign, names) in labels.into_iter().zip(lists) {
            for n in names {
                let shown = if md { format!("`{n}`") } else { n.clone() };
                out.push_str(&format!("{indent}{bullet}{sign} {shown}\n"));
            }
        }
    };
    if d.operations.is_empty() {
        out.push_str("operations: no change\n");
    } else {
        out.push_str(&format!("{h3}operations\n"));
        list(&mut out, "", &d.operations);
    }
    for op in &d.changed {
        out.push_str(&format!("\n{h3}{} {}\n", op.method, op.path));
        for (title, changes) in [
            ("query", &op.query),
            ("request fields", &op.request_fields),
            ("response fields", &op.response_fields),
        ] {
            if !changes.is_empty() {
                out.push_str(&format!("{bullet}{title}:\n"));
                list(&mut out, "  ", changes);
            }
        }
    }
    out
}
