//! The one version-range type: `[since, until)` over API versions, either end
//! open. Lifetimes, documentation gaps, experimental and unknown stretches, the
//! client's gates and the server code's version conditions are all ranges.

use std::fmt;

use crate::ApiVersion;

/// The API versions from `since` (inclusive) up to `until` (exclusive);
/// `since = None` reaches back to the first version, `until = None` forward to
/// the newest.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct VersionRange {
    /// First version in the range; absent = from the first version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<ApiVersion>,
    /// First version after the range; absent = up to the newest version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<ApiVersion>,
}

impl VersionRange {
    /// Every version.
    pub const ALL: VersionRange = VersionRange::new(None, None);

    /// `[since, until)`; usable in `static` data.
    pub const fn new(since: Option<ApiVersion>, until: Option<ApiVersion>) -> Self {
        Self { since, until }
    }

    /// `[v, ∞)`.
    pub const fn starting(v: ApiVersion) -> Self {
        Self::new(Some(v), None)
    }

    /// `[first, v)`.
    pub const fn below(v: ApiVersion) -> Self {
        Self::new(None, Some(v))
    }

    /// Whether `v` is in the range.
    #[inline]
    pub fn contains(&self, v: ApiVersion) -> bool {
        self.since.is_none_or(|s| v >= s) && self.until.is_none_or(|u| v < u)
    }

    /// Whether the range holds no version at all.
    pub fn is_empty(&self) -> bool {
        matches!((self.since, self.until), (Some(s), Some(u)) if s >= u)
    }

    /// Whether every version of `other` is in this range.
    pub fn covers(&self, other: &VersionRange) -> bool {
        let start = match (self.since, other.since) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(a), Some(b)) => a <= b,
        };
        let end = match (self.until, other.until) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(a), Some(b)) => a >= b,
        };
        other.is_empty() || (start && end)
    }

    /// The versions in both ranges (possibly empty).
    pub fn intersect(&self, other: &VersionRange) -> VersionRange {
        VersionRange {
            since: self.since.max(other.since),
            until: match (self.until, other.until) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            },
        }
    }

    /// The last of `versions` (any order) inside the range.
    pub fn last_of(&self, versions: &[ApiVersion]) -> Option<ApiVersion> {
        versions.iter().copied().filter(|v| self.contains(*v)).max()
    }

    /// A set of ranges as the fewest disjoint ones, oldest first: overlapping
    /// and adjacent ranges merge, empty ones vanish.
    pub fn union(ranges: impl IntoIterator<Item = VersionRange>) -> Vec<VersionRange> {
        let mut ranges: Vec<VersionRange> = ranges.into_iter().filter(|r| !r.is_empty()).collect();
        ranges.sort();
        let mut out: Vec<VersionRange> = Vec::new();
        for r in ranges {
            match out.last_mut() {
                Some(last)
                    if last
                        .until
                        .is_none_or(|end| r.since.is_none_or(|s| s <= end)) =>
                {
                    last.until = match (last.until, r.until) {
                        (None, _) | (_, None) => None,
                        (Some(a), Some(b)) => Some(a.max(b)),
                    };
                }
                _ => out.push(r),
            }
        }
        out
    }

    /// Whether the union of `ranges` holds every version of every range of `items`.
    pub fn set_covers(ranges: &[VersionRange], items: &[VersionRange]) -> bool {
        let merged = VersionRange::union(ranges.iter().copied());
        items
            .iter()
            .all(|i| i.is_empty() || merged.iter().any(|r| r.covers(i)))
    }
}

impl fmt::Display for VersionRange {
    /// `>= 1.24`, `< 1.41`, `>= 1.24, < 1.41`, or `all versions`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.since, self.until) {
            (None, None) => write!(f, "all versions"),
            (Some(s), None) => write!(f, ">= {s}"),
            (None, Some(u)) => write!(f, "< {u}"),
            (Some(s), Some(u)) => write!(f, ">= {s}, < {u}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(minor: u16) -> ApiVersion {
        ApiVersion::new(1, minor)
    }

    fn r(since: Option<u16>, until: Option<u16>) -> VersionRange {
        VersionRange::new(since.map(v), until.map(v))
    }

    #[test]
    fn half_open_with_open_ends() {
        let range = r(Some(24), Some(30));
        assert!(!range.contains(v(23)) && range.contains(v(24)));
        assert!(range.contains(v(29)) && !range.contains(v(30)));
        assert!(VersionRange::ALL.contains(v(0)) && VersionRange::ALL.contains(v(99)));
        assert!(VersionRange::below(v(5)).contains(v(0)));
        assert!(!VersionRange::starting(v(5)).contains(v(4)));
        assert!(r(Some(5), Some(5)).is_empty() && !r(None, Some(5)).is_empty());
    }

    #[test]
    fn union_merges_overlapping_and_adjacent_and_drops_empty() {
        let merged = VersionRange::union([r(Some(48), None), r(Some(39), Some(52))]);
        assert_eq!(merged, [r(Some(39), None)]);
        let kept =
            VersionRange::union([r(Some(7), None), r(Some(1), Some(5)), r(Some(3), Some(3))]);
        assert_eq!(kept, [r(Some(1), Some(5)), r(Some(7), None)]);
        assert_eq!(
            VersionRange::union([r(None, Some(3)), r(Some(3), Some(9))]),
            [r(None, Some(9))]
        );
    }

    #[test]
    fn intersect_and_cover() {
        assert_eq!(
            r(Some(10), None).intersect(&r(None, Some(20))),
            r(Some(10), Some(20))
        );
        assert!(r(Some(30), None).intersect(&r(None, Some(20))).is_empty());
        assert!(r(None, None).covers(&r(Some(3), Some(4))));
        assert!(!r(Some(3), None).covers(&r(None, Some(4))));
        assert!(!r(Some(3), Some(9)).covers(&r(Some(3), None)));
        let pieces = [r(Some(1), Some(5)), r(Some(5), None)];
        assert!(VersionRange::set_covers(&pieces, &[r(Some(2), Some(40))]));
        assert!(!VersionRange::set_covers(
            &pieces[..1],
            &[r(Some(2), Some(40))]
        ));
    }

    #[test]
    fn one_display_and_the_last_version_inside() {
        assert_eq!(r(None, None).to_string(), "all versions");
        assert_eq!(r(Some(24), Some(41)).to_string(), ">= 1.24, < 1.41");
        assert_eq!(r(None, Some(41)).to_string(), "< 1.41");
        assert_eq!(r(Some(24), None).to_string(), ">= 1.24");
        assert_eq!(r(Some(3), Some(9)).last_of(&[v(1), v(8), v(9)]), Some(v(8)));
    }
}
