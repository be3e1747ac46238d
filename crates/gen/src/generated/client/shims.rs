//! `specs/docker/shims.toml`: compatibility shims the generated client applies.

use serde::Deserialize;

use dockmatrix_core::model::OpKey;
use dockmatrix_core::version::ApiVersion;

/// The shims table compiled into the generator.
pub const SHIMS_TOML: &str = include_str!("../../../../../specs/docker/shims.toml");

/// A query parameter sent under a legacy name on older daemons.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rename {
    /// `METHOD /path`.
    pub operation: String,
    /// The current parameter name.
    pub parameter: String,
    /// The legacy name sent below `below`.
    pub sent_as: String,
    /// First version that reads `parameter` itself.
    pub below: ApiVersion,
    /// Why the shim exists.
    pub reason: String,
}

/// A `filters` key sent as a legacy query parameter on older daemons.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FilterToQuery {
    /// `METHOD /path`.
    pub operation: String,
    /// Key of the `filters` map.
    pub filter: String,
    /// Legacy query parameter carrying the values.
    pub sent_as: String,
    /// First version that reads the key from `filters`.
    pub below: ApiVersion,
    /// Why the shim exists.
    pub reason: String,
}

/// Every shim.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shims {
    /// Parameter renames.
    #[serde(default)]
    pub rename: Vec<Rename>,
    /// Filter-key rewrites.
    #[serde(default)]
    pub filter_to_query: Vec<FilterToQuery>,
}

/// The shims table is broken.
#[derive(Debug, thiserror::Error)]
pub enum ShimsError {
    /// TOML syntax or shape.
    #[error("specs/docker/shims.toml: {0}")]
    Parse(#[from] toml::de::Error),
    /// An entry that names no valid operation.
    #[error("specs/docker/shims.toml: operation {0:?} is not `METHOD /path`")]
    BadOperation(String),
}

impl Shims {
    /// Parses a shims table and checks every operation spelling.
    pub fn parse(text: &str) -> Result<Self, ShimsError> {
        let shims: Shims = toml::from_str(text)?;
        let ops = shims
            .rename
            .iter()
            .map(|r| &r.operation)
            .chain(shims.filter_to_query.iter().map(|f| &f.operation));
        for op in ops {
            if OpKey::parse(op).is_none() {
                return Err(ShimsError::BadOperation(op.clone()));
            }
        }
        Ok(shims)
    }

    /// The table compiled into the generator.
    pub fn builtin() -> Result<Self, ShimsError> {
        Self::parse(SHIMS_TOML)
    }

    /// The rename of query parameter `param` of `key`, if any.
    pub fn rename_of(&self, key: &OpKey, param: &str) -> Option<&Rename> {
        self.rename
            .iter()
            .find(|r| OpKey::parse(&r.operation).as_ref() == Some(key) && r.parameter == param)
    }

    /// The filter rewrites of `key`, in table order.
    pub fn filters_of(&self, key: &OpKey) -> Vec<&FilterToQuery> {
        self.filter_to_query
            .iter()
            .filter(|f| OpKey::parse(&f.operation).as_ref() == Some(key))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_table_parses() {
        let s = Shims::builtin().unwrap();
        let key = OpKey::new("POST", "/build/prune");
        let r = s.rename_of(&key, "reserved-space").unwrap();
        assert_eq!(
            (r.sent_as.as_str(), r.below),
            ("keep-storage", ApiVersion::new(1, 48))
        );
        assert_eq!(s.filters_of(&OpKey::new("GET", "/images/json")).len(), 1);
    }

    #[test]
    fn bad_operation_is_reported() {
        let bad = "[[rename]]\noperation = \"FETCH x\"\nparameter = \"a\"\nsent_as = \"b\"\nbelow = \"1.2\"\nreason = \"r\"\n";
        assert!(matches!(
            Shims::parse(bad),
            Err(ShimsError::BadOperation(_))
        ));
    }
}
