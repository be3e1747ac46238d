//! Docker Engine API versions and version ranges.

use std::fmt;

pub use dockmatrix_version::{ApiVersion, ParseVersionError};

/// A half-open range of API versions: `since` inclusive, `removed_in` exclusive.
/// `None` bounds are open (all older / all newer versions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct VersionRange {
    /// First version that has the item (inclusive); `None` = since the beginning.
    pub since: Option<ApiVersion>,
    /// First version that no longer has the item (exclusive); `None` = still present.
    pub removed_in: Option<ApiVersion>,
}

impl VersionRange {
    /// Builds a range; usable in `static` data.
    pub const fn new(since: Option<ApiVersion>, removed_in: Option<ApiVersion>) -> Self {
        Self { since, removed_in }
    }

    /// The range containing every version.
    pub const ALL: VersionRange = VersionRange::new(None, None);

    /// Whether `v` lies in this range.
    #[inline]
    pub fn contains(&self, v: ApiVersion) -> bool {
        let after_start = match self.since {
            Some(s) => v >= s,
            None => true,
        };
        let before_end = match self.removed_in {
            Some(r) => v < r,
            None => true,
        };
        after_start && before_end
    }
}

impl fmt::Display for VersionRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.since, self.removed_in) {
            (None, None) => write!(f, "all versions"),
            (Some(s), None) => write!(f, ">= {s}"),
            (None, Some(r)) => write!(f, "< {r}"),
            (Some(s), Some(r)) => write!(f, ">= {s}, < {r}"),
        }
    }
}

/// The set of versions supporting an operation or parameter: a union of ranges
/// (an item may vanish and later return).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VersionSet(pub &'static [VersionRange]);

impl VersionSet {
    /// Whether any range contains `v`.
    #[inline]
    pub fn contains(&self, v: ApiVersion) -> bool {
        self.0.iter().any(|r| r.contains(v))
    }

    /// Earliest version of the set; `None` if unbounded below or empty.
    pub fn since(&self) -> Option<ApiVersion> {
        let mut out: Option<ApiVersion> = None;
        for r in self.0 {
            match r.since {
                None => return None,
                Some(s) => out = Some(out.map_or(s, |o| o.min(s))),
            }
        }
        out
    }

    /// Exclusive upper bound of the set; `None` if still supported in the newest versions or empty.
    pub fn removed_in(&self) -> Option<ApiVersion> {
        let mut out: Option<ApiVersion> = None;
        for r in self.0 {
            match r.removed_in {
                None => return None,
                Some(e) => out = Some(out.map_or(e, |o| o.max(e))),
            }
        }
        out
    }
}

impl fmt::Display for VersionSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return write!(f, "no version");
        }
        for (i, r) in self.0.iter().enumerate() {
            if i > 0 {
                write!(f, " or ")?;
            }
            write!(f, "{r}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_is_half_open() {
        let r = VersionRange::new(Some(ApiVersion::new(1, 24)), Some(ApiVersion::new(1, 30)));
        assert!(!r.contains(ApiVersion::new(1, 23)));
        assert!(r.contains(ApiVersion::new(1, 24)));
        assert!(r.contains(ApiVersion::new(1, 29)));
        assert!(!r.contains(ApiVersion::new(1, 30)));
        assert!(VersionRange::ALL.contains(ApiVersion::new(1, 0)));
    }

    #[test]
    fn set_with_gap() {
        static RANGES: [VersionRange; 2] = [
            VersionRange::new(Some(ApiVersion::new(1, 10)), Some(ApiVersion::new(1, 20))),
            VersionRange::new(Some(ApiVersion::new(1, 30)), None),
        ];
        let s = VersionSet(&RANGES);
        assert!(s.contains(ApiVersion::new(1, 15)));
        assert!(!s.contains(ApiVersion::new(1, 25)));
        assert!(s.contains(ApiVersion::new(1, 44)));
        assert_eq!(s.since(), Some(ApiVersion::new(1, 10)));
        assert_eq!(s.removed_in(), None);
        assert_eq!(s.to_string(), ">= 1.10, < 1.20 or >= 1.30");
        assert!(!VersionSet(&[]).contains(ApiVersion::new(1, 1)));
    }
}
