//! Recognising experimental-status notices in upstream prose.
//!
//! The references mark experimental features in words only: parameters and fields
//! whose description says `*(Experimental release only.)*`, operations whose
//! description says "This endpoint is *experimental*" (and only available on a daemon
//! started with experimental features), and markdown sections titled
//! "… (experimental)" (v1.24's plugin section) or tags such as `Session (experimental)`.
//! "WARNING: This is experimental and may change" (v1.48 image-store fields) marks an
//! unstable shape, not a feature gated behind experimental mode, and does not count.

use std::sync::OnceLock;

use regex::Regex;

/// Whether a description carries an experimental-status notice.
pub fn is_experimental_notice(text: &str) -> bool {
    static MARKER: OnceLock<Option<Regex>> = OnceLock::new();
    MARKER
        .get_or_init(|| {
            Regex::new(r"(?i)\(experimental release only\.?\)|this endpoint is \*?experimental\*?")
                .ok()
        })
        .as_ref()
        .is_some_and(|re| re.is_match(text))
}

/// Whether a heading or tag names an experimental group (`Plugins (experimental)`).
pub fn is_experimental_title(title: &str) -> bool {
    title.to_ascii_lowercase().contains("(experimental)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_count_mentions_do_not() {
        assert!(is_experimental_notice(
            "Squash the resulting images layers into a single layer. *(Experimental release only.)*"
        ));
        assert!(is_experimental_notice(
            "> **Note**: This endpoint is *experimental* and only available if the daemon is started with experimental"
        ));
        assert!(!is_experimental_notice(
            "Platform.\n\nWARNING: This is experimental and may change at any time"
        ));
        assert!(!is_experimental_notice(
            "Indicates if experimental features are enabled on the daemon."
        ));
        assert!(!is_experimental_notice(
            "This field was introduced for the experimental \"LCOW\" (Linux Containers"
        ));
        assert!(is_experimental_title("3.6 Plugins (experimental)"));
        assert!(is_experimental_title("Session (experimental)"));
        assert!(!is_experimental_title("Plugins"));
    }
}
