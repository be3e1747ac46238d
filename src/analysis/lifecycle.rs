//! Lifecycles: in which versions something exists, when it appeared, was
//! deprecated and was removed.

use serde::Serialize;

use crate::version::ApiVersion;

/// A run of consecutive versions in which an item exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Interval {
    /// First version of the run.
    pub since: ApiVersion,
    /// First version after the run without the item (exclusive); `None` if the run
    /// reaches the newest version.
    pub removed_in: Option<ApiVersion>,
}

impl Interval {
    /// Whether `v` falls in the run.
    pub fn contains(&self, v: ApiVersion) -> bool {
        v >= self.since && self.removed_in.is_none_or(|end| v < end)
    }
}

/// What one version says about an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// The version documents the item.
    Present {
        /// Whether it is marked deprecated there.
        deprecated: bool,
    },
    /// The version does not have it.
    Absent,
    /// The version cannot tell (e.g. body fields in a reference without schemas).
    Unknown,
}

/// The history of one item across the corpus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Lifecycle {
    /// Every run of versions in which it exists (it can vanish and return).
    pub present: Vec<Interval>,
    /// First version with it.
    pub since: Option<ApiVersion>,
    /// First version without it after its last run, `None` if the newest version has it.
    pub removed_in: Option<ApiVersion>,
    /// Start of the deprecated stretch that lasts to its last version, if any.
    pub deprecated_in: Option<ApiVersion>,
}

impl Lifecycle {
    /// Computes a lifecycle from per-version states, oldest version first.
    /// `Unknown` versions are skipped: they neither extend nor break a run.
    pub fn from_states(states: impl IntoIterator<Item = (ApiVersion, State)>) -> Self {
        let mut present: Vec<Interval> = Vec::new();
        let mut open = false;
        let mut deprecated_in = None;
        for (version, state) in states {
            match state {
                State::Present { deprecated } => {
                    if !open {
                        present.push(Interval {
                            since: version,
                            removed_in: None,
                        });
                        open = true;
                    }
                    deprecated_in = match (deprecated, deprecated_in) {
                        (true, None) => Some(version),
                        (true, kept) => kept,
                        (false, _) => None,
                    };
                }
                State::Absent => {
                    if open {
                        if let Some(last) = present.last_mut() {
                            last.removed_in = Some(version);
                        }
                        open = false;
                    }
                }
                State::Unknown => {}
            }
        }
        Self {
            since: present.first().map(|i| i.since),
            removed_in: present.last().and_then(|i| i.removed_in),
            present,
            deprecated_in,
        }
    }

    /// Whether the item exists at `v`.
    pub fn supports(&self, v: ApiVersion) -> bool {
        self.present.iter().any(|i| i.contains(v))
    }

    /// Whether it exists in no version at all.
    pub fn is_empty(&self) -> bool {
        self.present.is_empty()
    }
}

/// One character per version: `█` present, `▒` present and deprecated, `·`
/// absent, `?` not tracked (before `tracked_from`).
pub fn presence_strip(
    lifecycle: &Lifecycle,
    versions: &[ApiVersion],
    tracked_from: Option<ApiVersion>,
) -> String {
    versions
        .iter()
        .map(|&v| {
            if tracked_from.is_some_and(|t| v < t) {
                '?'
            } else if !lifecycle.supports(v) {
                '·'
            } else if lifecycle.deprecated_in.is_some_and(|d| v >= d) {
                '▒'
            } else {
                '█'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(minor: u16) -> ApiVersion {
        ApiVersion::new(1, minor)
    }

    #[test]
    fn vanishing_and_returning() {
        use State::*;
        let states = [
            (v(1), Absent),
            (v(2), Present { deprecated: false }),
            (v(3), Present { deprecated: true }),
            (v(4), Absent),
            (v(5), Present { deprecated: false }),
            (v(6), Unknown),
            (v(7), Present { deprecated: true }),
        ];
        let l = Lifecycle::from_states(states);
        assert_eq!(l.since, Some(v(2)));
        assert_eq!(l.removed_in, None);
        assert_eq!(l.present.len(), 2);
        assert_eq!(l.present[0].removed_in, Some(v(4)));
        assert_eq!(l.deprecated_in, Some(v(7)));
        assert!(l.supports(v(3)) && !l.supports(v(4)) && l.supports(v(6)));
    }

    #[test]
    fn removed_and_deprecated_before() {
        use State::*;
        let l = Lifecycle::from_states([
            (v(1), Present { deprecated: false }),
            (v(2), Present { deprecated: true }),
            (v(3), Present { deprecated: true }),
            (v(4), Absent),
        ]);
        assert_eq!(
            (l.since, l.removed_in, l.deprecated_in),
            (Some(v(1)), Some(v(4)), Some(v(2)))
        );
    }
}
