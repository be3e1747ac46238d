//! A lifecycle in words, the same everywhere it is shown (`history`, reports):
//! `≤ 1.25` for a `since` the references cannot pin down, and its gaps,
//! experimental and unknown stretches as "undocumented 1.18–1.41".

use crate::analysis::lifecycle::Lifecycle;
use crate::version::{ApiVersion, VersionRange};

/// `since` as text: `1.25`, `≤ 1.25` when inexact, `-` when never.
pub fn since_text(l: &Lifecycle) -> String {
    match (l.since, l.since_exact) {
        (Some(v), true) => v.to_string(),
        (Some(v), false) => format!("≤ {v}"),
        (None, _) => "-".into(),
    }
}

/// `removed_in` as text: `1.42`, `≤ 1.25` when inexact, `-` when still there.
pub fn removed_text(l: &Lifecycle) -> String {
    match (l.removed_in, l.removed_exact) {
        (Some(v), true) => v.to_string(),
        (Some(v), false) => format!("≤ {v}"),
        (None, _) => "-".into(),
    }
}

/// A stretch as `1.18–1.41` (its last version) or `1.24` for one version, or
/// `1.42–` when it reaches the newest version (`–1.3` when it starts at the first).
pub fn span_text(span: &VersionRange, versions: &[ApiVersion]) -> String {
    let since = span.since.map_or_else(String::new, |v| v.to_string());
    let last = span.last_of(versions);
    match (span.until, last) {
        (None, _) => format!("{since}–"),
        (Some(_), Some(last)) if Some(last) == span.since => since,
        (Some(_), Some(last)) => format!("{since}–{last}"),
        (Some(until), None) => format!("{since}–<{until}"),
    }
}

/// The lifecycle's notes in words: gaps, experimental and unknown stretches.
pub fn notes(l: &Lifecycle, versions: &[ApiVersion]) -> Vec<String> {
    let mut out = Vec::new();
    for (label, spans) in [
        ("undocumented", &l.undocumented),
        ("experimental", &l.experimental),
        ("unknown", &l.unknown),
    ] {
        for s in spans {
            out.push(format!("{label} {}", span_text(s, versions)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::lifecycle::State;

    #[test]
    fn words_for_gaps_and_inexact_edges() {
        let versions: Vec<ApiVersion> = (0..=6).map(|m| ApiVersion::new(1, m)).collect();
        let states = [
            State::Unknown,
            State::PRESENT,
            State::Absent,
            State::Absent,
            State::PRESENT,
            State::Unknown,
            State::Absent,
        ];
        let l = Lifecycle::from_states(versions.iter().copied().zip(states), &[]);
        assert_eq!(since_text(&l), "≤ 1.1");
        assert_eq!(removed_text(&l), "≤ 1.6");
        assert_eq!(
            notes(&l, &versions),
            ["undocumented 1.2–1.3", "unknown 1.0", "unknown 1.5"]
        );
    }
}
