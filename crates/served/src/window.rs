//! Where a handler reads something: a range of requested API versions, plus a
//! flag for version conditions the reader could not turn into one range.

use std::fmt;

use dockmatrix_core::version::{ApiVersion, VersionRange};
use serde::Serialize;

/// The requested API versions at which something is reached. `unresolved`
/// means a version condition applies that is not one range (an `||`, a
/// negated `Equal`); the range then holds what could be resolved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Window {
    /// The versions, as far as the conditions resolve.
    #[serde(flatten)]
    pub versions: VersionRange,
    /// A version condition applies that is not a range.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unresolved: bool,
}

impl Window {
    /// Every version.
    pub const ALL: Window = Window {
        versions: VersionRange::ALL,
        unresolved: false,
    };

    /// A window with an unresolved condition.
    pub const UNRESOLVED: Window = Window {
        versions: VersionRange::ALL,
        unresolved: true,
    };

    /// `[v, ∞)`.
    pub fn from(v: ApiVersion) -> Self {
        Window {
            versions: VersionRange::starting(v),
            unresolved: false,
        }
    }

    /// `[first, v)`.
    pub fn below(v: ApiVersion) -> Self {
        Window {
            versions: VersionRange::below(v),
            unresolved: false,
        }
    }

    /// Both constraints at once.
    pub fn intersect(self, other: Window) -> Window {
        Window {
            versions: self.versions.intersect(&other.versions),
            unresolved: self.unresolved || other.unresolved,
        }
    }

    /// Whether the window constrains anything.
    pub fn is_all(&self) -> bool {
        *self == Window::ALL
    }

    /// Whether requested version `v` is inside (an unresolved window counts as inside).
    pub fn contains(&self, v: ApiVersion) -> bool {
        self.versions.contains(v)
    }
}

impl fmt::Display for Window {
    /// The range's own text, and a note when a condition is unresolved.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.versions)?;
        if self.unresolved {
            write!(f, " (and a version condition not resolved)")?;
        }
        Ok(())
    }
}

/// The next minor version (`1.40` → `1.41`).
pub fn next(v: ApiVersion) -> ApiVersion {
    ApiVersion::new(v.major, v.minor.saturating_add(1))
}
