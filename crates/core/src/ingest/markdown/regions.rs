//! Splits an operation section at its labels (`**Query parameters**:`,
//! `Status Codes:`, `**Example request**:` …) into labelled regions.

use super::blocks::SourceLine;

/// What a labelled region documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Label {
    /// Text between the operation line and the first label.
    Description,
    /// `**Example request**:` and variants (`Example request, with …`).
    ExampleRequest,
    /// `**Example response**:` and variants.
    ExampleResponse,
    /// `Query Parameters:` / `**Query parameters**:`.
    QueryParameters,
    /// `Json Parameters:` / `**JSON parameters**:`.
    JsonParameters,
    /// `Request Headers:`.
    RequestHeaders,
    /// `Status Codes:` / `**Status codes**:`.
    StatusCodes,
    /// Any other label-only line (`**Stream details**:`, `**HEADER**` …).
    Other,
}

/// A label and the lines up to the next label.
#[derive(Debug, Clone)]
pub(crate) struct Region {
    /// The kind of region.
    pub label: Label,
    /// The lines of the region, label excluded.
    pub lines: Vec<SourceLine>,
}

/// Classifies a line that consists of a label only. Known labels are recognised at
/// any indentation (some pages indent them into the preceding code block by
/// mistake); unknown bold-only lines only when not indented.
pub(crate) fn label_of(line: &SourceLine) -> Option<Label> {
    if line.fenced {
        return None;
    }
    let t = line.text.trim();
    let bold_only = t.starts_with("**")
        && t.trim_end_matches(':').trim_end().ends_with("**")
        && t.len() > 4
        && !t
            .get(2..t.len().saturating_sub(2))
            .unwrap_or("")
            .contains("**");
    let core = t
        .trim_matches(|c: char| c == '*' || c == ':' || c.is_whitespace())
        .to_ascii_lowercase();
    let known = if core.starts_with("example request") {
        Some(Label::ExampleRequest)
    } else if core.starts_with("example response") {
        Some(Label::ExampleResponse)
    } else {
        match core.as_str() {
            "query parameters" => Some(Label::QueryParameters),
            "json parameters" => Some(Label::JsonParameters),
            "request headers" => Some(Label::RequestHeaders),
            "status codes" => Some(Label::StatusCodes),
            _ => None,
        }
    };
    // A known label must be the whole line (modulo emphasis and colon), which the
    // `core` comparison guarantees for all but the example variants.
    if let Some(label) = known {
        let plain = t.trim_end_matches(':').trim_matches('*').trim();
        let is_label_line = t.len() < 80 && !plain.contains(". ");
        return is_label_line.then_some(label);
    }
    (bold_only && line.indent() < 4).then_some(Label::Other)
}

/// Splits the lines after the operation line into regions (the first is the
/// description).
pub(crate) fn split(body: &[SourceLine]) -> Vec<Region> {
    let mut regions = vec![Region {
        label: Label::Description,
        lines: Vec::new(),
    }];
    for line in body {
        if let Some(label) = label_of(line) {
            regions.push(Region {
                label,
                lines: Vec::new(),
            });
        } else if let Some(current) = regions.last_mut() {
            current.lines.push(line.clone());
        }
    }
    regions
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(t: &str) -> SourceLine {
        SourceLine::new(1, t)
    }

    #[test]
    fn recognises_label_spellings() {
        for (text, label) in [
            ("**Query parameters**:", Label::QueryParameters),
            ("Query Parameters:", Label::QueryParameters),
            ("Query Parameters", Label::QueryParameters),
            ("Status Codes:", Label::StatusCodes),
            ("**Status codes**:", Label::StatusCodes),
            ("Json Parameters:", Label::JsonParameters),
            ("**JSON parameters**:", Label::JsonParameters),
            ("**Example request**", Label::ExampleRequest),
            ("        **Example response**:", Label::ExampleResponse),
            (
                "**Example response, with digest information**:",
                Label::ExampleResponse,
            ),
            ("**Request Headers**:", Label::RequestHeaders),
            ("**Stream details**:", Label::Other),
        ] {
            assert_eq!(label_of(&l(text)), Some(label), "{text}");
        }
        for text in [
            "**Note**: something",
            "-   **all** – 1/True/true",
            "List containers",
            "    **bold in code**",
        ] {
            assert_eq!(label_of(&l(text)), None, "{text}");
        }
    }
}
