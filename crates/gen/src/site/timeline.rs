//! Timelines: one state per API version, drawn as runs of equal states.
//! [`cell_state`] decides a version's state; adding a state is one variant and
//! one arm in [`CellState::class`].

use serde::Serialize;

use dockmatrix_core::analysis::lifecycle::Support;
use dockmatrix_core::analysis::Lifecycle;
use dockmatrix_core::version::ApiVersion;

/// What one API version says about an operation, parameter or field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellState {
    /// Not documented yet.
    NotYet,
    /// Documented.
    Present,
    /// Documented as deprecated.
    Deprecated,
    /// Documented as experimental (needs a daemon with experimental features).
    Experimental,
    /// Inside its lifetime but missing from the reference (a documentation gap).
    Undocumented,
    /// Gone after having been documented.
    Removed,
    /// The reference cannot tell (no body schemas in that version).
    Unknown,
}

impl CellState {
    /// CSS class, `data-state` value and legend label.
    pub fn class(self) -> &'static str {
        match self {
            Self::NotYet => "absent",
            Self::Present => "present",
            Self::Deprecated => "deprecated",
            Self::Experimental => "experimental",
            Self::Undocumented => "undocumented",
            Self::Removed => "removed",
            Self::Unknown => "unknown",
        }
    }

    /// Every state, in legend order.
    pub const ALL: [CellState; 7] = [
        Self::Present,
        Self::Deprecated,
        Self::Experimental,
        Self::Undocumented,
        Self::Removed,
        Self::NotYet,
        Self::Unknown,
    ];
}

/// The state of `lifecycle` at version `v`.
pub fn cell_state(lifecycle: &Lifecycle, v: ApiVersion) -> CellState {
    match lifecycle.support_at(v) {
        Support::Unknown => CellState::Unknown,
        Support::No if lifecycle.since.is_some_and(|s| v > s) => CellState::Removed,
        Support::No => CellState::NotYet,
        Support::Yes if !lifecycle.documented_at(v) => CellState::Undocumented,
        Support::Yes if lifecycle.experimental_at(v) => CellState::Experimental,
        Support::Yes if lifecycle.deprecated_at(v) => CellState::Deprecated,
        Support::Yes => CellState::Present,
    }
}

/// A run of consecutive versions in one state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    /// CSS class / `data-state`.
    pub state: &'static str,
    /// First version of the run.
    pub from: String,
    /// Last version of the run (inclusive).
    pub to: String,
    /// Number of versions in the run (the segment's width).
    pub span: usize,
}

/// The runs of `lifecycle` across `versions` (oldest first).
pub fn segments(lifecycle: &Lifecycle, versions: &[ApiVersion]) -> Vec<Segment> {
    let mut out: Vec<(CellState, ApiVersion, ApiVersion, usize)> = Vec::new();
    for &v in versions {
        let state = cell_state(lifecycle, v);
        match out.last_mut() {
            Some(last) if last.0 == state => {
                last.2 = v;
                last.3 += 1;
            }
            _ => out.push((state, v, v, 1)),
        }
    }
    out.into_iter()
        .map(|(state, from, to, span)| Segment {
            state: state.class(),
            from: from.to_string(),
            to: to.to_string(),
            span,
        })
        .collect()
}

/// A one-line text summary of the segments, for screen readers and no-colour reading.
pub fn summary(segments: &[Segment]) -> String {
    segments
        .iter()
        .filter(|s| s.state != CellState::NotYet.class())
        .map(|s| {
            if s.from == s.to {
                format!("{} {}", s.state, s.from)
            } else {
                format!("{} {}–{}", s.state, s.from, s.to)
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use dockmatrix_core::analysis::State;

    fn v(minor: u16) -> ApiVersion {
        ApiVersion::new(1, minor)
    }

    #[test]
    fn states_across_a_removed_deprecated_item() {
        let present = |deprecated| State::Present {
            deprecated,
            experimental: false,
        };
        let l = Lifecycle::from_states(
            [
                (v(1), State::Absent),
                (v(2), present(false)),
                (v(3), present(true)),
                (v(4), State::Absent),
            ],
            &[],
        );
        let versions = [v(1), v(2), v(3), v(4)];
        let s = segments(&l, &versions);
        let states: Vec<_> = s.iter().map(|s| s.state).collect();
        assert_eq!(states, ["absent", "present", "deprecated", "removed"]);
        assert_eq!(summary(&s), "present 1.2; deprecated 1.3; removed 1.4");
    }

    #[test]
    fn gaps_and_experimental_stretches_have_their_own_states() {
        let l = Lifecycle::from_states(
            [
                (
                    v(1),
                    State::Present {
                        deprecated: false,
                        experimental: true,
                    },
                ),
                (v(2), State::Absent),
                (v(3), State::PRESENT),
            ],
            &[],
        );
        let states: Vec<_> = [v(1), v(2), v(3)]
            .iter()
            .map(|&x| cell_state(&l, x).class())
            .collect();
        assert_eq!(states, ["experimental", "undocumented", "present"]);
    }
}
