//! Windows of requested API versions: `[from, below)`, either end open.

use dockmatrix_core::ApiVersion;
use serde::Serialize;

/// The requested API versions at which something is reached. Both ends open
/// means "at every version"; `unresolved` means a version condition applies
/// that the reader could not turn into one interval (an `||`, a negated `Equal`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Window {
    /// Lowest requested version (inclusive).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<ApiVersion>,
    /// First requested version no longer included (exclusive).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub below: Option<ApiVersion>,
    /// A version condition applies that is not an interval.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unresolved: bool,
}

impl Window {
    /// Every version.
    pub const ALL: Window = Window {
        from: None,
        below: None,
        unresolved: false,
    };

    /// A window with an unresolved condition.
    pub const UNRESOLVED: Window = Window {
        from: None,
        below: None,
        unresolved: true,
    };

    /// `[from, ∞)`.
    pub fn from(v: ApiVersion) -> Self {
        Window {
            from: Some(v),
            ..Window::ALL
        }
    }

    /// `[0, below)`.
    pub fn below(v: ApiVersion) -> Self {
        Window {
            below: Some(v),
            ..Window::ALL
        }
    }

    /// Both constraints at once.
    pub fn intersect(self, other: Window) -> Window {
        Window {
            from: self.from.max(other.from),
            below: match (self.below, other.below) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            },
            unresolved: self.unresolved || other.unresolved,
        }
    }

    /// Whether the window constrains anything.
    pub fn is_all(&self) -> bool {
        *self == Window::ALL
    }

    /// Whether requested version `v` is inside (an unresolved window counts as inside).
    pub fn contains(&self, v: ApiVersion) -> bool {
        self.from.is_none_or(|f| v >= f) && self.below.is_none_or(|b| v < b)
    }

    /// `1.24 ≤ v < 1.41` style text; `any version` when unconstrained.
    pub fn describe(&self) -> String {
        let mut text = match (self.from, self.below) {
            (None, None) => "any version".to_string(),
            (Some(f), None) => format!("≥ {f}"),
            (None, Some(b)) => format!("< {b}"),
            (Some(f), Some(b)) => format!("{f} ≤ v < {b}"),
        };
        if self.unresolved {
            text.push_str(" (and a version condition not resolved)");
        }
        text
    }
}

/// The next minor version (`1.40` → `1.41`).
pub fn next(v: ApiVersion) -> ApiVersion {
    ApiVersion::new(v.major, v.minor.saturating_add(1))
}
