//! `dockmatrix diff A B`.

use crate::cli::data::known_version;
use crate::cli::{Failure, Format};
use dockmatrix_core::analysis::diff::{diff as diff_versions, Changes, VersionDiff};
use dockmatrix_core::analysis::Matrix;

/// Operations, query parameters and fields added, removed and deprecated from A to
/// B, and documentation-only changes apart. A must not be newer than B.
pub fn diff(matrix: &Matrix, from: &str, to: &str, format: Format) -> Result<String, Failure> {
    let (a, b) = (known_version(matrix, from)?, known_version(matrix, to)?);
    let d = diff_versions(matrix, a, b)?;
    Ok(match format {
        Format::Json => super::json(&d)?,
        Format::Text | Format::Md | Format::Github | Format::Yaml => {
            render(&d, format == Format::Md)
        }
    })
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
