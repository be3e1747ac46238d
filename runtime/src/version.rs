//! Docker Engine API versions and version ranges.

use std::fmt;

pub use dockmatrix_version::{ApiVersion, ParseVersionError, VersionRange};

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
            match r.until {
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
