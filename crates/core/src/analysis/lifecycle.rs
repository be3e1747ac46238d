//! Lifecycles: in which versions something exists, when it appeared, was
//! deprecated and was removed — told apart from what the references merely
//! failed to document.
//!
//! Each version says one of three things about an item ([`State`]): it documents
//! it, it shows that the item is absent (the operation is missing, or a schema or
//! parameter list describes the body without it), or it cannot tell (a markdown
//! example that shows some fields only). From these:
//!
//! - an item documented, then missing, then documented again was there all along:
//!   the missing stretch is a documentation gap ([`Lifecycle::undocumented`]), not a
//!   removal and a return, unless the errata declare the removal real;
//! - versions next to the documented run that cannot tell are [`Lifecycle::unknown`]:
//!   the item may or may not exist there, and `since_exact` / `removed_exact` say so.

use serde::Serialize;

use crate::version::{ApiVersion, VersionRange};

/// What one version says about an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// The version documents the item.
    Present {
        /// Whether it is marked deprecated there.
        deprecated: bool,
        /// Whether it is marked experimental there.
        experimental: bool,
    },
    /// The version shows the item is absent.
    Absent,
    /// The version cannot tell (a body shown only by an example that omits it).
    Unknown,
}

impl State {
    /// A plainly documented item.
    pub const PRESENT: State = State::Present {
        deprecated: false,
        experimental: false,
    };
}

/// The history of one item across the corpus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Lifecycle {
    /// The runs of versions in which it exists: one per real lifetime (several only
    /// where the errata declare a removal and a return real).
    pub present: Vec<VersionRange>,
    /// First version with it.
    pub since: Option<ApiVersion>,
    /// Whether `since` is known: `false` when the versions just before it cannot
    /// tell (it may be older; see `unknown`).
    pub since_exact: bool,
    /// First version without it after its last run, `None` if the newest version has it.
    pub removed_in: Option<ApiVersion>,
    /// Whether `removed_in` is known: `false` when versions between its last
    /// documented version and `removed_in` cannot tell.
    pub removed_exact: bool,
    /// Start of the deprecated stretch that lasts to its last version, if any.
    pub deprecated_in: Option<ApiVersion>,
    /// Stretches inside its lifetime where the references do not document it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub undocumented: Vec<VersionRange>,
    /// Stretches where it is marked experimental (needs a daemon with experimental
    /// features enabled).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub experimental: Vec<VersionRange>,
    /// Stretches next to its lifetime where the references cannot tell whether it
    /// exists (before an inexact `since`, after its last documented version).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<VersionRange>,
}

/// Whether a version is inside, outside or undecidable for an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Support {
    /// The item exists at the version.
    Yes,
    /// It does not.
    No,
    /// The references cannot tell.
    Unknown,
}

impl Lifecycle {
    /// Computes a lifecycle from per-version states, oldest version first.
    /// `real_removals` are versions at which the errata declare that a gap is a
    /// real removal (the run is cut there instead of bridged).
    pub fn from_states(
        states: impl IntoIterator<Item = (ApiVersion, State)>,
        real_removals: &[ApiVersion],
    ) -> Self {
        let states: Vec<(ApiVersion, State)> = states.into_iter().collect();
        let (Some(first), Some(last)) = (
            states.iter().position(|(_, s)| is_present(s)),
            states.iter().rposition(|(_, s)| is_present(s)),
        ) else {
            return Self::empty();
        };
        let (mut present, undocumented) = runs(&states, first, last, real_removals);
        let edges = unknown_edges(&states, first, last);
        if edges.open_ended {
            // Unknown up to the newest version: never shown to be gone.
            if let Some(run) = present.last_mut() {
                run.until = None;
            }
        }
        let (deprecated_in, experimental) = marks(&states, first, last);
        Self {
            since: present.first().and_then(|i| i.since),
            since_exact: edges.since_exact,
            removed_in: edges.removed_in,
            removed_exact: edges.removed_exact,
            present,
            deprecated_in,
            undocumented,
            experimental,
            unknown: edges.unknown,
        }
    }

    fn empty() -> Self {
        Self {
            present: Vec::new(),
            since: None,
            since_exact: true,
            removed_in: None,
            removed_exact: true,
            deprecated_in: None,
            undocumented: Vec::new(),
            experimental: Vec::new(),
            unknown: Vec::new(),
        }
    }

    /// Whether the item exists at `v` (documented or across a documentation gap).
    pub fn supports(&self, v: ApiVersion) -> bool {
        self.present.iter().any(|i| i.contains(v))
    }

    /// Whether `v` is inside, outside or undecidable.
    pub fn support_at(&self, v: ApiVersion) -> Support {
        if self.supports(v) {
            Support::Yes
        } else if self.unknown.iter().any(|s| s.contains(v)) {
            Support::Unknown
        } else {
            Support::No
        }
    }

    /// Whether the references document the item at `v` (not in a gap).
    pub fn documented_at(&self, v: ApiVersion) -> bool {
        self.supports(v) && !self.undocumented.iter().any(|s| s.contains(v))
    }

    /// Whether it is deprecated at `v` (its deprecated stretch lasts to its end).
    pub fn deprecated_at(&self, v: ApiVersion) -> bool {
        self.deprecated_in.is_some_and(|d| v >= d)
    }

    /// Whether it is marked experimental at `v`.
    pub fn experimental_at(&self, v: ApiVersion) -> bool {
        self.experimental.iter().any(|s| s.contains(v))
    }

    /// Whether it exists in no version at all.
    pub fn is_empty(&self) -> bool {
        self.present.is_empty()
    }
}

fn is_present(s: &State) -> bool {
    matches!(s, State::Present { .. })
}

/// The version at index `i`, `None` past the newest.
fn version_at(states: &[(ApiVersion, State)], i: usize) -> Option<ApiVersion> {
    states.get(i).map(|(v, _)| *v)
}

/// The runs between the first and last documented version (`first..=last`),
/// bridged over gaps unless the errata declare a removal real, and the gaps
/// bridged.
fn runs(
    states: &[(ApiVersion, State)],
    first: usize,
    last: usize,
    real_removals: &[ApiVersion],
) -> (Vec<VersionRange>, Vec<VersionRange>) {
    let mut present = Vec::new();
    let mut undocumented = Vec::new();
    let mut run_start = first;
    let mut gap_start: Option<usize> = None;
    for (i, (v, state)) in states.iter().enumerate().take(last + 1).skip(first) {
        if !is_present(state) {
            gap_start.get_or_insert(i);
            continue;
        }
        let Some(g) = gap_start.take() else { continue };
        let real = states[g..i]
            .iter()
            .any(|(gv, s)| *s == State::Absent && real_removals.contains(gv));
        if real {
            present.push(VersionRange::new(
                Some(states[run_start].0),
                version_at(states, g),
            ));
            run_start = i;
        } else {
            undocumented.push(VersionRange::new(Some(states[g].0), Some(*v)));
        }
    }
    present.push(VersionRange::new(
        Some(states[run_start].0),
        version_at(states, last + 1),
    ));
    (present, undocumented)
}

/// What the versions next to the documented run say.
struct Edges {
    /// The undecidable stretches before and after it.
    unknown: Vec<VersionRange>,
    since_exact: bool,
    removed_in: Option<ApiVersion>,
    removed_exact: bool,
    /// Undecidable up to the newest version.
    open_ended: bool,
}

/// Undecidable versions before `first` and after `last`: they make `since` and
/// the removal inexact.
fn unknown_edges(states: &[(ApiVersion, State)], first: usize, last: usize) -> Edges {
    let mut unknown = Vec::new();
    let before = states[..first]
        .iter()
        .rposition(|(_, s)| *s != State::Unknown)
        .map_or(0, |i| i + 1);
    if before < first {
        unknown.push(VersionRange::new(
            Some(states[before].0),
            version_at(states, first),
        ));
    }
    let after_end = states[last + 1..]
        .iter()
        .position(|(_, s)| *s != State::Unknown)
        .map(|i| last + 1 + i);
    let unknown_after = after_end.unwrap_or(states.len()) > last + 1;
    let removed_in = match after_end {
        // Unknown versions up to a known absence: gone somewhere in between.
        Some(end) if unknown_after => {
            unknown.push(VersionRange::new(
                Some(states[last + 1].0),
                version_at(states, end),
            ));
            version_at(states, end)
        }
        Some(end) => version_at(states, end),
        None => None,
    };
    Edges {
        unknown,
        since_exact: before == first,
        removed_in,
        removed_exact: !unknown_after,
        open_ended: after_end.is_none(),
    }
}

/// The deprecated stretch that lasts to the last documented version, and the
/// experimental stretches, within `first..=last`.
fn marks(
    states: &[(ApiVersion, State)],
    first: usize,
    last: usize,
) -> (Option<ApiVersion>, Vec<VersionRange>) {
    let mut deprecated_in = None;
    let mut experimental: Vec<VersionRange> = Vec::new();
    for (i, (v, state)) in states.iter().enumerate().take(last + 1).skip(first) {
        let State::Present {
            deprecated,
            experimental: exp,
        } = *state
        else {
            continue;
        };
        deprecated_in = match (deprecated, deprecated_in) {
            (true, None) => Some(*v),
            (true, kept) => kept,
            (false, _) => None,
        };
        let next = version_at(states, i + 1);
        match experimental.last_mut() {
            Some(open) if exp && open.until == Some(*v) => open.until = next,
            _ if exp => experimental.push(VersionRange::new(Some(*v), next)),
            _ => {}
        }
    }
    (deprecated_in, experimental)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(minor: u16) -> ApiVersion {
        ApiVersion::new(1, minor)
    }

    const PRESENT: State = State::PRESENT;
    const DEP: State = State::Present {
        deprecated: true,
        experimental: false,
    };
    const EXP: State = State::Present {
        deprecated: false,
        experimental: true,
    };

    #[test]
    fn gaps_are_bridged_and_recorded() {
        use State::*;
        let states = [
            (v(1), Absent),
            (v(2), PRESENT),
            (v(3), DEP),
            (v(4), Absent),
            (v(5), Unknown),
            (v(6), PRESENT),
            (v(7), DEP),
        ];
        let l = Lifecycle::from_states(states, &[]);
        assert_eq!(l.present.len(), 1);
        assert_eq!((l.since, l.removed_in), (Some(v(2)), None));
        assert!(l.since_exact && l.removed_exact);
        assert_eq!(l.undocumented, [VersionRange::new(Some(v(4)), Some(v(6)))]);
        assert_eq!(l.deprecated_in, Some(v(7)));
        assert!(l.supports(v(4)) && !l.documented_at(v(4)) && l.documented_at(v(6)));
    }

    #[test]
    fn errata_can_declare_a_removal_real() {
        use State::*;
        let states = [(v(1), PRESENT), (v(2), Absent), (v(3), PRESENT)];
        let l = Lifecycle::from_states(states, &[v(2)]);
        assert_eq!(l.present.len(), 2);
        assert_eq!(l.present[0].until, Some(v(2)));
        assert!(l.undocumented.is_empty());
    }

    #[test]
    fn unknown_edges_make_since_and_removal_inexact() {
        use State::*;
        let l = Lifecycle::from_states(
            [
                (v(1), Absent),
                (v(2), Unknown),
                (v(3), Unknown),
                (v(4), PRESENT),
                (v(5), Unknown),
                (v(6), Absent),
            ],
            &[],
        );
        assert_eq!((l.since, l.since_exact), (Some(v(4)), false));
        assert_eq!((l.removed_in, l.removed_exact), (Some(v(6)), false));
        assert_eq!(l.present[0].until, Some(v(5)));
        assert_eq!(l.support_at(v(2)), Support::Unknown);
        assert_eq!(l.support_at(v(1)), Support::No);
        assert_eq!(l.support_at(v(5)), Support::Unknown);
        assert_eq!(l.support_at(v(6)), Support::No);

        let open = Lifecycle::from_states([(v(1), PRESENT), (v(2), Unknown)], &[]);
        assert_eq!(open.removed_in, None);
        assert!(open.supports(v(2)) && !open.removed_exact);
    }

    #[test]
    fn experimental_stretches() {
        use State::*;
        let l = Lifecycle::from_states(
            [(v(1), EXP), (v(2), EXP), (v(3), PRESENT), (v(4), Absent)],
            &[],
        );
        assert_eq!(l.experimental, [VersionRange::new(Some(v(1)), Some(v(3)))]);
        assert!(l.experimental_at(v(2)) && !l.experimental_at(v(3)));
        assert_eq!(l.removed_in, Some(v(4)));
    }
}
