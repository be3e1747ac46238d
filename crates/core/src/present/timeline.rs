//! Lifecycles drawn as text: one character per version, and the ruler that
//! labels such a strip. The command line, the reports and the site share them.

use crate::analysis::{Lifecycle, Support};
use crate::version::ApiVersion;

/// One character per version: `█` documented, `▒` deprecated, `░` present but
/// undocumented (a gap), `E` experimental, `?` unknown (the references cannot
/// tell), `·` absent.
pub fn presence_strip(lifecycle: &Lifecycle, versions: &[ApiVersion]) -> String {
    versions
        .iter()
        .map(|&v| match lifecycle.support_at(v) {
            Support::Unknown => '?',
            Support::No => '·',
            Support::Yes if !lifecycle.documented_at(v) => '░',
            Support::Yes if lifecycle.experimental_at(v) => 'E',
            Support::Yes if lifecycle.deprecated_at(v) => '▒',
            Support::Yes => '█',
        })
        .collect()
}

/// A ruler for [`presence_strip`]s of the same versions: version labels at their
/// column (a `|` under the label's first character marks the version), every
/// label that fits without touching the previous one, the first and last always.
/// Returns the label line and the mark line, each as wide as the strip.
pub fn timeline_ticks(versions: &[ApiVersion]) -> (String, String) {
    let n = versions.len();
    let mut labels = vec![' '; n];
    let mut marks = vec![' '; n];
    let mut put = |at: usize, mark: usize, text: &[char]| {
        for (k, c) in text.iter().enumerate() {
            if let Some(slot) = labels.get_mut(at + k) {
                *slot = *c;
            }
        }
        if let Some(slot) = marks.get_mut(mark) {
            *slot = '|';
        }
    };
    // The last label is right-aligned so that it ends at the strip's end.
    let mut limit = n;
    if let Some(last) = versions.last() {
        let text: Vec<char> = last.to_string().chars().collect();
        limit = n.saturating_sub(text.len());
        put(limit, n - 1, &text);
    }
    let mut free_from = 0;
    for (i, v) in versions.iter().enumerate().take(n.saturating_sub(1)) {
        let text: Vec<char> = v.to_string().chars().collect();
        let wanted = i == 0 || v.minor % 5 == 0;
        if wanted && i >= free_from && i + text.len() < limit {
            put(i, i, &text);
            free_from = i + text.len() + 1;
        }
    }
    (
        labels
            .into_iter()
            .collect::<String>()
            .trim_end()
            .to_string(),
        marks.into_iter().collect::<String>().trim_end().to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_label_versions_at_their_column() {
        let versions: Vec<ApiVersion> = (0..=55).map(|m| ApiVersion::new(1, m)).collect();
        let (labels, marks) = timeline_ticks(&versions);
        assert!(labels.starts_with("1.0 "), "{labels}");
        assert!(labels.ends_with("1.55"), "{labels}");
        assert_eq!(labels.find("1.10"), Some(10), "{labels}");
        assert_eq!(marks.chars().nth(10), Some('|'));
        assert_eq!(marks.chars().nth(55), Some('|'));
        assert!(labels.chars().count() <= 56 && marks.chars().count() <= 56);
    }
}
