//! Markdown reference pages (API v1.0–v1.24) → OpenAPI 3.0.
//!
//! A page is cut at its headings ([`blocks`]). A heading whose first line is an
//! operation line (`` `GET /containers/(id or name)/json` ``) is an operation; its
//! section is split at labels such as `**Query parameters**:` ([`regions`]) and read
//! into parameters ([`params`]), responses and examples ([`responses`]). Every other
//! heading must be a numbered section, the page title or a known prose section
//! ([`PROSE_HEADINGS`]), and must not contain an operation line. Defects no rule can
//! read are fixed by the errata table `specs/docker/errata.toml` ([`errata`]).
//!
//! Duplicate `METHOD path` pairs on one page are an error, not merged: two headings
//! documenting the same route would be an upstream defect whose resolution (which
//! text is right) needs a human decision, recorded in the errata table.

mod blocks;
mod bodies;
mod errata;
mod operation;
mod params;
mod regions;
mod responses;
mod tags;
mod tolerant_json;

use std::path::Path;

use indexmap::IndexMap;
use openapiv3::{Info, OpenAPI, Operation, PathItem, Paths, ReferenceOr, Tag};

use super::{extensions, IngestError, IngestedSpec, SpecWarning};
use crate::ingest::experimental::is_experimental_title;
use crate::version::ApiVersion;

/// Unnumbered headings that are prose, not operations (compared case-insensitively).
/// A heading with content that is none of: an operation, a numbered section, the page
/// title, or listed here, is an error, so new kinds of sections are never skipped
/// by accident.
pub const PROSE_HEADINGS: &[&str] = &["Image tarball format"];

/// Parses a markdown reference page into an OpenAPI 3.0 document (no schemas).
pub fn convert(file: &Path, expected: ApiVersion, text: &str) -> Result<IngestedSpec, IngestError> {
    let (lines, operations) = errata::builtin()?;
    convert_with(file, expected, text, &lines, &operations)
}

/// File name for warnings (`v1.24.md`).
pub(crate) fn file_name(file: &Path) -> String {
    file.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.display().to_string())
}

fn invalid(file: &Path, line: usize, message: String) -> IngestError {
    IngestError::Invalid {
        file: file.to_path_buf(),
        line: Some(line),
        pointer: String::new(),
        message,
    }
}

fn convert_with(
    file: &Path,
    expected: ApiVersion,
    text: &str,
    table: &[errata::Erratum],
    extra: &[errata::ExtraOperation],
) -> Result<IngestedSpec, IngestError> {
    let mut warnings = Vec::new();
    let mut lines = blocks::split_lines(text);
    // The version check comes first: errata for a version must not be applied to
    // (and reported stale on) a page of another version.
    let title = check_title(file, expected, &blocks::scan(lines.clone()))?;
    let mut extra_at = Vec::new();
    for e in extra.iter().filter(|e| e.versions.contains(&expected)) {
        extra_at.push((e, errata::anchor_line(e, file, expected, &lines)?));
    }
    errata::apply(table, file, expected, &mut lines, &mut warnings)?;
    let page = blocks::scan(lines);

    if let Some(line) = page
        .preamble
        .iter()
        .find(|l| operation::looks_like_operation(l))
    {
        return Err(invalid(
            file,
            line.no,
            "operation line before the first heading".into(),
        ));
    }
    let mut notes = Vec::new();
    let mut read = read_operations(file, &page, &title, &mut notes)?;
    add_extra_operations(file, expected, &mut read.paths, extra_at, &mut warnings)?;
    if read.paths.is_empty() {
        return Err(IngestError::NoOperations {
            file: file.to_path_buf(),
        });
    }
    let name = file_name(file);
    warnings.extend(notes.into_iter().map(|(line, message)| SpecWarning {
        file: name.clone(),
        location: format!("line {line}"),
        message,
    }));
    Ok(IngestedSpec {
        version: expected,
        openapi: document(title, expected, read),
        warnings,
    })
}

/// The operations a page documents, by path, and their tags in order of appearance.
struct PageOperations {
    paths: IndexMap<String, PathItem>,
    tags: Vec<String>,
}

/// Reads every operation section of a page; other sections must be prose.
/// `notes` gets what was read with a caveat, by line.
fn read_operations(
    file: &Path,
    page: &blocks::Page,
    title: &str,
    notes: &mut Vec<(usize, String)>,
) -> Result<PageOperations, IngestError> {
    let mut read = PageOperations {
        paths: IndexMap::new(),
        tags: Vec::new(),
    };
    let mut lines_of: IndexMap<(String, String), usize> = IndexMap::new();
    // Level of the enclosing heading that marks its operations experimental
    // (v1.24's "### 3.6 Plugins (experimental)").
    let mut experimental_level: Option<usize> = None;
    for section in &page.sections {
        if experimental_level.is_some_and(|level| section.level <= level) {
            experimental_level = None;
        }
        if is_experimental_title(&section.title) {
            experimental_level = Some(section.level);
        }
        let first = section.body.iter().find(|l| !l.is_blank());
        let Some(op_line) = first.filter(|l| operation::looks_like_operation(l)) else {
            check_prose_section(file, section, title)?;
            continue;
        };
        let mut built = operation::build(section, op_line, notes)
            .map_err(|(line, message)| invalid(file, line, message))?;
        if experimental_level.is_some() {
            built
                .operation
                .extensions
                .insert(extensions::EXPERIMENTAL.into(), true.into());
        }
        let key = (built.method.clone(), built.path.clone());
        if let Some(previous) = lines_of.get(&key) {
            return Err(invalid(
                file,
                built.line,
                format!(
                    "{} {} is documented twice (first at line {previous}); resolve it in the errata table",
                    built.method, built.path
                ),
            ));
        }
        lines_of.insert(key, built.line);
        for tag in &built.operation.tags {
            if !read.tags.contains(tag) {
                read.tags.push(tag.clone());
            }
        }
        let item = read.paths.entry(built.path.clone()).or_default();
        *method_slot(item, &built.method) = Some(built.operation);
    }
    Ok(read)
}

/// Adds the operations the errata table declares missing from the page (each
/// reported as a warning); one the page documents itself makes the entry stale.
fn add_extra_operations(
    file: &Path,
    expected: ApiVersion,
    paths: &mut IndexMap<String, PathItem>,
    extra_at: Vec<(&errata::ExtraOperation, usize)>,
    warnings: &mut Vec<SpecWarning>,
) -> Result<(), IngestError> {
    let name = file_name(file);
    for (e, line) in extra_at {
        let item = paths.entry(e.path.clone()).or_default();
        let slot = method_slot(item, &e.method);
        if slot.is_some() {
            return Err(IngestError::Errata {
                file: file.to_path_buf(),
                message: format!(
                    "operation entry {} {} (API {expected}) is documented by the page itself; the entry is stale",
                    e.method, e.path
                ),
            });
        }
        *slot = Some(extra_operation(e, line));
        warnings.push(SpecWarning {
            file: name.clone(),
            location: format!("line {line}"),
            message: format!(
                "errata: {} {} added ({}): {}",
                e.method,
                e.path,
                e.title,
                e.reason.trim()
            ),
        });
    }
    Ok(())
}

/// The OpenAPI document of a page's operations.
fn document(title: String, expected: ApiVersion, read: PageOperations) -> OpenAPI {
    OpenAPI {
        openapi: "3.0.3".into(),
        info: Info {
            title,
            version: expected.to_string(),
            ..Info::default()
        },
        paths: Paths {
            paths: read
                .paths
                .into_iter()
                .map(|(p, item)| (p, ReferenceOr::Item(item)))
                .collect(),
            ..Paths::default()
        },
        tags: read
            .tags
            .into_iter()
            .map(|name| Tag {
                name,
                ..Tag::default()
            })
            .collect(),
        ..OpenAPI::default()
    }
}

/// The operation slot of a path item for an upper-case method.
fn method_slot<'a>(item: &'a mut PathItem, method: &str) -> &'a mut Option<Operation> {
    match method {
        "GET" => &mut item.get,
        "POST" => &mut item.post,
        "PUT" => &mut item.put,
        "DELETE" => &mut item.delete,
        "HEAD" => &mut item.head,
        "PATCH" => &mut item.patch,
        _ => &mut item.options,
    }
}

/// The operation an errata entry adds: its title, tag and success media type.
fn extra_operation(e: &errata::ExtraOperation, line: usize) -> Operation {
    let mut responses = openapiv3::Responses::default();
    let mut ok = openapiv3::Response {
        description: "no error".into(),
        ..openapiv3::Response::default()
    };
    ok.content
        .insert(e.produces.clone(), openapiv3::MediaType::default());
    responses
        .responses
        .insert(openapiv3::StatusCode::Code(200), ReferenceOr::Item(ok));
    let mut op = Operation {
        summary: Some(e.title.clone()),
        description: Some(e.reason.trim().to_string()),
        tags: tags::tag_for(&e.path)
            .map(|t| vec![t.to_string()])
            .unwrap_or_default(),
        responses,
        ..Operation::default()
    };
    op.extensions
        .insert(extensions::LINE.into(), serde_json::json!(line));
    op.extensions
        .insert(extensions::FROM_ERRATA.into(), serde_json::json!(true));
    op
}

/// The `vX.Y` a title names, if any.
fn version_in(title: &str) -> Option<String> {
    title.split_whitespace().find_map(|word| {
        let v = word.strip_prefix('v')?;
        v.parse::<ApiVersion>().ok().map(|_| v.to_string())
    })
}

/// The page title (first `#` heading naming a version, else the front matter title);
/// every version the page states about itself must be `expected`.
fn check_title(
    file: &Path,
    expected: ApiVersion,
    page: &blocks::Page,
) -> Result<String, IngestError> {
    let heading = page
        .sections
        .iter()
        .find(|s| s.level == 1 && version_in(&s.title).is_some())
        .map(|s| (s.line, s.title.clone()));
    let candidates: Vec<(usize, String)> = heading
        .iter()
        .chain(page.front_title.iter())
        .cloned()
        .collect();
    let mut title = None;
    for (line, text) in &candidates {
        let Some(found) = version_in(text) else {
            continue;
        };
        let matches = found.parse::<ApiVersion>().is_ok_and(|v| v == expected);
        if !matches {
            return Err(IngestError::VersionMismatch {
                file: file.to_path_buf(),
                expected: expected.to_string(),
                found: format!("{found} (title {text:?}, line {line})"),
            });
        }
        title.get_or_insert_with(|| text.clone());
    }
    title.ok_or_else(|| {
        invalid(
            file,
            1,
            "the page states no API version in its title (`# Docker Remote API vX.Y` or front matter `title`)".into(),
        )
    })
}

/// A heading without an operation line: allowed when it has no content of its own,
/// is numbered (`3.7 Nodes`), is the page title or a known prose section; it must
/// never hide an operation line.
fn check_prose_section(
    file: &Path,
    section: &blocks::Section,
    title: &str,
) -> Result<(), IngestError> {
    if let Some(line) = section
        .body
        .iter()
        .find(|l| operation::looks_like_operation(l))
    {
        return Err(invalid(
            file,
            line.no,
            format!(
                "operation line not directly under its heading (heading {:?}, line {})",
                section.title, section.line
            ),
        ));
    }
    let has_content = section
        .body
        .iter()
        .any(|l| !l.is_blank() && !l.is_comment_delimiter());
    let numbered = section.title.split_whitespace().next().is_some_and(|w| {
        w.starts_with(|c: char| c.is_ascii_digit())
            && w.chars().all(|c| c.is_ascii_digit() || c == '.')
    });
    let known = PROSE_HEADINGS
        .iter()
        .any(|p| p.eq_ignore_ascii_case(section.title.trim()));
    if !has_content || numbered || known || section.title == title {
        return Ok(());
    }
    Err(invalid(
        file,
        section.line,
        format!(
            "heading {:?} is not followed by a `METHOD /path` line and is not a known prose section",
            section.title
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(body: &str) -> String {
        format!("---\ntitle: \"Engine API v1.24\"\n---\n\n## 3. Endpoints\n\n{body}")
    }

    /// Converts without errata (the built-in table is tested on the real pages).
    fn run(text: &str) -> Result<IngestedSpec, IngestError> {
        convert_with(
            Path::new("v1.24.md"),
            ApiVersion::new(1, 24),
            text,
            &[],
            &[],
        )
    }

    #[test]
    fn minimal_page_converts() {
        let text = page("#### List containers\n\n`GET /containers/json`\n\nList containers\n\n**Query parameters**:\n\n-   **all** – 1/True/true or 0/False/false, Show all\n\n**Status codes**:\n\n-   **200** – no error\n");
        let spec = run(&text).unwrap();
        let op = spec.openapi.paths.paths["/containers/json"]
            .as_item()
            .unwrap()
            .get
            .as_ref()
            .unwrap();
        assert_eq!(op.summary.as_deref(), Some("List containers"));
        assert_eq!(op.description.as_deref(), Some("List containers"));
        assert_eq!(op.tags, ["Container"]);
        assert_eq!(op.parameters.len(), 1);
        assert_eq!(spec.openapi.info.title, "Engine API v1.24");
        assert_eq!(spec.openapi.info.version, "1.24");
    }

    #[test]
    fn duplicate_operation_is_an_error() {
        let text = page("#### A\n\n`GET /info`\n\n#### B\n\n`GET /info`\n");
        let err = run(&text).unwrap_err();
        assert!(
            matches!(err, IngestError::Invalid { line: Some(13), .. }),
            "{err}"
        );
    }

    #[test]
    fn unknown_prose_heading_is_an_error() {
        let text = page("#### A\n\n`GET /info`\n\n#### Some new thing\n\nProse.\n");
        let err = run(&text).unwrap_err();
        assert!(
            matches!(err, IngestError::Invalid { line: Some(11), .. }),
            "{err}"
        );
        let ok = page("#### A\n\n`GET /info`\n\n#### Image tarball format\n\nProse.\n");
        run(&ok).unwrap();
    }

    #[test]
    fn operation_line_away_from_heading_is_an_error() {
        let text = page("#### A\n\n`GET /info`\n\n### 3.9 Other\n\nText\n\n`GET /version`\n");
        let err = run(&text).unwrap_err();
        assert!(
            matches!(err, IngestError::Invalid { line: Some(15), .. }),
            "{err}"
        );
    }

    #[test]
    fn unknown_path_family_is_an_error() {
        let text = page("#### A\n\n`GET /gadgets`\n");
        assert!(run(&text).is_err());
    }
}
