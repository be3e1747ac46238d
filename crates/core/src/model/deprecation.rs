//! Recognising deprecation notices in upstream prose.
//!
//! Neither format has reliable `deprecated: true` flags: the Swagger files mark
//! deprecation in descriptions (`> **Deprecated**: …`, `Deprecated: …`) and the
//! markdown pages in prose (`**Deprecated** in favor of …`). Only these
//! line-leading markers count, so a sentence that merely mentions another
//! deprecated thing ("MAINTAINER (deprecated)") does not.

use std::sync::OnceLock;

use regex::Regex;

/// Whether a description carries a deprecation notice.
pub fn is_deprecation_notice(text: &str) -> bool {
    static MARKER: OnceLock<Option<Regex>> = OnceLock::new();
    MARKER
        .get_or_init(|| {
            Regex::new(r"(?mi)^[ \t]*(?:>[ \t]*)?(?:\*\*deprecated\*\*|\*deprecated\*|deprecated:)")
                .ok()
        })
        .as_ref()
        .is_some_and(|re| re.is_match(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_count_mentions_do_not() {
        assert!(is_deprecation_notice(
            "Foo.\n\n> **Deprecated**: This endpoint is deprecated."
        ));
        assert!(is_deprecation_notice(
            "Deprecated: This field is never set."
        ));
        assert!(is_deprecation_notice(
            "**Deprecated** in favor of the `archive` endpoint below."
        ));
        assert!(!is_deprecation_notice(
            "specified through MAINTAINER (deprecated) in the Dockerfile."
        ));
        assert!(!is_deprecation_notice(
            "- `1` is the first generation classic (deprecated) builder"
        ));
    }
}
