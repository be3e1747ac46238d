//! Bullet lists (`-   **all** – 1/True/true or 0/False/false, …`) and the
//! parameters built from them.

use openapiv3::{
    BooleanType, HeaderStyle, Parameter, ParameterData, ParameterSchemaOrContent, PathStyle,
    QueryStyle, ReferenceOr, Schema, SchemaData, SchemaKind, StringType, Type,
};

use super::blocks::SourceLine;

/// One `- **key** – text` bullet with its continuation lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ListItem {
    /// Line of the bullet.
    pub line: usize,
    /// The bold key, markdown escapes removed.
    pub key: String,
    /// The text after the separator, continuation lines joined.
    pub text: String,
}

/// A bullet at list level (indent < 4): `-`, `*` or `+` then white space.
fn bullet_content(line: &SourceLine) -> Option<&str> {
    if line.fenced || line.indent() >= 4 {
        return None;
    }
    let t = line.text.trim_start();
    let rest = t.strip_prefix(['-', '*', '+'])?;
    rest.starts_with([' ', '\t']).then(|| rest.trim())
}

/// Splits `**key** – text` into key and text.
fn keyed(content: &str) -> Option<(String, String)> {
    let rest = content.strip_prefix("**")?;
    let end = rest.find("**")?;
    let key = rest.get(..end)?.replace("\\_", "_").replace('\\', "");
    let after = rest.get(end + 2..)?.trim_start();
    let text = after
        .strip_prefix(['–', '—', '-', ':'])
        .unwrap_or(after)
        .trim();
    let key = key.trim().to_string();
    (!key.is_empty()).then_some((key, text.to_string()))
}

/// Reads the keyed bullets of a region. Continuation lines (indented text, nested
/// bullets, lazy wrapped lines) are appended to the item. A paragraph after a blank
/// line ends the list, unless `paragraphs` allows indented paragraphs inside an item
/// (parameter descriptions do that; status code lists do not). A list-level bullet
/// without a bold key inside the list is an error (line, message); after the list has
/// ended it is prose and ignored.
pub(crate) fn list_items(
    lines: &[SourceLine],
    paragraphs: bool,
) -> Result<Vec<ListItem>, (usize, String)> {
    let mut items: Vec<ListItem> = Vec::new();
    let mut ended = false;
    let mut after_blank = false;
    for line in lines {
        if line.is_blank() {
            after_blank = true;
            continue;
        }
        if line.fence_marker || line.is_comment_delimiter() {
            ended = true;
            continue;
        }
        if let Some(content) = bullet_content(line) {
            if let Some((key, text)) = keyed(content) {
                items.push(ListItem {
                    line: line.no,
                    key,
                    text,
                });
                ended = false;
                after_blank = false;
                continue;
            }
            if line.indent() == 0 && !ended {
                return Err((
                    line.no,
                    format!("list item without a `**name**` key: {:?}", line.text.trim()),
                ));
            }
        }
        let nested_bullet = {
            let t = line.text.trim_start();
            let mut chars = t.chars();
            matches!(chars.next(), Some('-' | '–' | '*' | '+'))
                && chars.next().is_some_and(char::is_whitespace)
        };
        if after_blank && !nested_bullet && (line.indent() == 0 || !paragraphs) {
            ended = true;
        }
        if !ended {
            if let Some(item) = items.last_mut() {
                let t = line.text.trim();
                let sep = if after_blank {
                    "\n\n"
                } else if nested_bullet {
                    "\n"
                } else {
                    " "
                };
                if item.text.is_empty() {
                    item.text = t.to_string();
                } else {
                    item.text.push_str(sep);
                    item.text.push_str(t);
                }
            }
        }
        after_blank = false;
    }
    Ok(items)
}

/// A parameter name must be a plain token (`all`, `X-Registry-Auth`, `ps_args`).
pub(crate) fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

fn string_schema() -> ReferenceOr<Schema> {
    ReferenceOr::Item(Schema {
        schema_data: SchemaData::default(),
        schema_kind: SchemaKind::Type(Type::String(StringType::default())),
    })
}

fn boolean_schema() -> ReferenceOr<Schema> {
    ReferenceOr::Item(Schema {
        schema_data: SchemaData::default(),
        schema_kind: SchemaKind::Type(Type::Boolean(BooleanType::default())),
    })
}

/// The description says the value is a boolean (`1/True/true or 0/False/false`).
pub(crate) fn is_boolean_text(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.starts_with("1/true/true or 0/false/false")
        || lower.starts_with("1/true/true or 0/false/false,")
        || lower.starts_with("true/false")
        || lower.starts_with("1/0")
}

/// The description says the parameter is deprecated.
pub(crate) fn is_deprecated_text(text: &str) -> bool {
    text.to_ascii_lowercase().contains("deprecated")
}

/// The description says the parameter is required (`Required.`, `This parameter is
/// required`, `This is required …`); incidental uses such as "requiring" or "are
/// required" in prose about something else do not count.
pub(crate) fn is_required_text(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    text.starts_with("Required")
        || text.contains(". Required")
        || lower.contains("this parameter is required")
        || lower.contains("this is required")
}

fn data(name: &str, description: &str, required: bool, boolean: bool) -> ParameterData {
    ParameterData {
        name: name.to_string(),
        description: (!description.is_empty()).then(|| description.to_string()),
        required,
        deprecated: is_deprecated_text(description).then_some(true),
        format: ParameterSchemaOrContent::Schema(if boolean {
            boolean_schema()
        } else {
            string_schema()
        }),
        example: None,
        examples: Default::default(),
        explode: None,
        extensions: Default::default(),
    }
}

/// A query parameter from its documented text.
pub(crate) fn query(name: &str, description: &str) -> Parameter {
    Parameter::Query {
        parameter_data: data(
            name,
            description,
            is_required_text(description),
            is_boolean_text(description),
        ),
        allow_reserved: false,
        style: QueryStyle::Form,
        allow_empty_value: None,
    }
}

/// A request header parameter.
pub(crate) fn header(name: &str, description: &str) -> Parameter {
    Parameter::Header {
        parameter_data: data(name, description, is_required_text(description), false),
        style: HeaderStyle::Simple,
    }
}

/// A path parameter (always required, always a string).
pub(crate) fn path(name: &str, description: &str) -> Parameter {
    Parameter::Path {
        parameter_data: data(name, description, true, false),
        style: PathStyle::Simple,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<SourceLine> {
        SourceLine::numbered(text)
    }

    #[test]
    fn reads_dash_variants_and_continuations() {
        let items = list_items(
            &lines(
            "\n-   **all** – 1/True/true or 0/False/false, Show all containers.\n        Only running containers are shown by default\n- **tag** - The new tag name\n-\t**ps\\_args** – ps arguments\n-   **filters** - JSON:\n   -   `status=`(`running`)\n   - `label=key`\n\nAfter the list.\n",
            ),
            true,
        )
        .unwrap();
        let keys: Vec<_> = items.iter().map(|i| i.key.as_str()).collect();
        assert_eq!(keys, ["all", "tag", "ps_args", "filters"]);
        assert_eq!(
            items[0].text,
            "1/True/true or 0/False/false, Show all containers. Only running containers are shown by default"
        );
        assert_eq!(items[1].text, "The new tag name");
        assert_eq!(items[2].line, 5);
        assert!(items[3].text.contains("`status=`"));
        assert!(!items[3].text.contains("After the list"));
    }

    #[test]
    fn unkeyed_bullet_at_margin_is_an_error() {
        let err = list_items(&lines("- **a** - ok\n- plain bullet\n"), false).unwrap_err();
        assert_eq!(err.0, 2);
        // After the list has ended, bullets are prose.
        let items = list_items(
            &lines("- **500** - error\n\n    **Stream details**:\n\n-   0: stdin\n"),
            false,
        )
        .unwrap();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].text, "error");
    }

    #[test]
    fn parameter_flags_from_text() {
        assert!(is_boolean_text("1/True/true or 0/False/false, Show all"));
        assert!(!is_boolean_text("Show `limit` last created"));
        assert!(is_deprecated_text("Deprecated since v1.10"));
        assert!(is_required_text("resource to archive. Required."));
        assert!(is_required_text(
            "The version. This is required to avoid conflicting writes."
        ));
        assert!(!is_required_text(
            "an image requiring auth; domain names are required."
        ));
        let Parameter::Query { parameter_data, .. } = query("all", "1/True/true or 0/False/false")
        else {
            panic!("not a query parameter")
        };
        assert!(matches!(
            parameter_data.format,
            ParameterSchemaOrContent::Schema(ReferenceOr::Item(Schema {
                schema_kind: SchemaKind::Type(Type::Boolean(_)),
                ..
            }))
        ));
    }
}
