//! `$ref` rewriting: Swagger 2.0 locations → OpenAPI 3.0 component locations.

/// Rewrites a local Swagger reference to its OpenAPI 3.0 location:
/// `#/definitions/X` → `#/components/schemas/X`, `#/parameters/X` →
/// `#/components/parameters/X`, `#/responses/X` → `#/components/responses/X`.
/// Anything else is returned unchanged (the dangling-reference check reports it).
pub fn rewrite(reference: &str) -> String {
    const MAP: [(&str, &str); 3] = [
        ("#/definitions/", "#/components/schemas/"),
        ("#/parameters/", "#/components/parameters/"),
        ("#/responses/", "#/components/responses/"),
    ];
    for (from, to) in MAP {
        if let Some(rest) = reference.strip_prefix(from) {
            let mut out = String::with_capacity(to.len() + rest.len());
            out.push_str(to);
            out.push_str(rest);
            return out;
        }
    }
    reference.to_owned()
}

/// The name `reference` points at under `#/<section>/`, unescaped, if it is a
/// plain local reference to that section (`#/parameters/foo` → `foo`).
pub fn local_name(reference: &str, section: &str) -> Option<String> {
    let rest = reference
        .strip_prefix("#/")?
        .strip_prefix(section)?
        .strip_prefix('/')?;
    if rest.is_empty() || rest.contains('/') {
        return None;
    }
    Some(rest.replace("~1", "/").replace("~0", "~"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_known_sections_only() {
        assert_eq!(rewrite("#/definitions/Mount"), "#/components/schemas/Mount");
        assert_eq!(rewrite("#/parameters/id"), "#/components/parameters/id");
        assert_eq!(rewrite("#/responses/Err"), "#/components/responses/Err");
        assert_eq!(rewrite("other.yaml#/X"), "other.yaml#/X");
    }

    #[test]
    fn extracts_local_names() {
        assert_eq!(
            local_name("#/parameters/a~1b", "parameters").as_deref(),
            Some("a/b")
        );
        assert_eq!(local_name("#/definitions/a", "parameters"), None);
        assert_eq!(local_name("#/parameters/", "parameters"), None);
    }
}
