//! The Docker Engine API version (`1.0` … `1.55`), the one version-range type
//! and the one HTTP method type, shared by the dockmatrix generator and the
//! client runtime, so both parse, order and print them the same way.

#![warn(missing_docs)]

use std::fmt;
use std::str::FromStr;

mod method;
mod range;

pub use method::{HttpMethod, UnknownMethod};
pub use range::VersionRange;

/// An Engine API version such as `1.24`, ordered numerically (`1.9 < 1.10`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ApiVersion {
    /// Major component (always 1 for the Engine API so far).
    pub major: u16,
    /// Minor component.
    pub minor: u16,
}

impl ApiVersion {
    /// Builds a version; usable in `static` data.
    pub const fn new(major: u16, minor: u16) -> Self {
        Self { major, minor }
    }
}

/// A string that is not an API version like `1.24` or `v1.24`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid API version {input:?}: expected MAJOR.MINOR such as 1.24 or v1.24")]
pub struct ParseVersionError {
    /// The rejected input.
    pub input: String,
}

impl FromStr for ApiVersion {
    type Err = ParseVersionError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParseVersionError {
            input: s.to_owned(),
        };
        let trimmed = s.trim();
        let body = trimmed.strip_prefix(['v', 'V']).unwrap_or(trimmed);
        let (major, minor) = body.split_once('.').ok_or_else(err)?;
        let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        if !digits(major) || !digits(minor) {
            return Err(err());
        }
        Ok(Self {
            major: major.parse().map_err(|_| err())?,
            minor: minor.parse().map_err(|_| err())?,
        })
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

impl serde::Serialize for ApiVersion {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for ApiVersion {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for ApiVersion {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ApiVersion".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[0-9]+\\.[0-9]+$",
            "description": "An Engine API version, MAJOR.MINOR (e.g. \"1.24\")."
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_with_and_without_prefix_and_orders_numerically() {
        let v9: ApiVersion = "1.9".parse().unwrap();
        let v10: ApiVersion = "v1.10".parse().unwrap();
        assert_eq!(" V1.10 ".parse::<ApiVersion>().unwrap(), v10);
        assert!(v9 < v10);
        assert_eq!(v10.to_string(), "1.10");
        assert_eq!(ApiVersion::new(1, 41).to_string(), "1.41");
    }

    #[test]
    fn rejects_garbage_naming_the_input() {
        for bad in [
            "", "1", "1.", ".1", "1.x", "one.two", "1.2.3", "-1.2", "1.99999", "1.+2", "99999.1",
            "v",
        ] {
            let err = bad.parse::<ApiVersion>().unwrap_err();
            assert_eq!(err.input, bad, "{bad} should be rejected");
        }
    }
}
