//! `specs/docker/names.toml`: readable method and parameter names for the generated
//! client, where the derived name reads badly (`post_containers_copy`, `t`).

use serde::Deserialize;

use dockmatrix_core::model::OpKey;

/// The names table compiled into the generator.
pub const NAMES_TOML: &str = include_str!("../../../../../specs/docker/names.toml");

/// A method name override.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MethodName {
    /// `METHOD /path`.
    pub operation: String,
    /// Method name in the tag's module.
    pub name: String,
}

/// A query parameter's options field name override.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParamName {
    /// `METHOD /path`.
    pub operation: String,
    /// Wire name.
    pub parameter: String,
    /// Options field and setter name.
    pub name: String,
}

/// Every override.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Names {
    /// Method names.
    #[serde(default)]
    pub method: Vec<MethodName>,
    /// Parameter names.
    #[serde(default)]
    pub parameter: Vec<ParamName>,
}

/// The names table is broken or stale.
#[derive(Debug, thiserror::Error)]
pub enum NamesError {
    /// TOML syntax or shape.
    #[error("specs/docker/names.toml: {0}")]
    Parse(#[from] toml::de::Error),
    /// An entry that names no valid operation.
    #[error("specs/docker/names.toml: operation {0:?} is not `METHOD /path`")]
    BadOperation(String),
    /// A name that is not a snake_case Rust identifier.
    #[error("specs/docker/names.toml: {0:?} is not a snake_case identifier")]
    BadName(String),
    /// An entry matching nothing the generator emitted (or a name already taken).
    #[error("specs/docker/names.toml: {0} matches no generated operation or parameter, or its name is taken")]
    Unused(String),
}

impl Names {
    /// Parses a names table and checks every operation spelling and name.
    pub fn parse(text: &str) -> Result<Self, NamesError> {
        let names: Names = toml::from_str(text)?;
        let ops = names
            .method
            .iter()
            .map(|m| (&m.operation, &m.name))
            .chain(names.parameter.iter().map(|p| (&p.operation, &p.name)));
        for (op, name) in ops {
            if OpKey::parse(op).is_none() {
                return Err(NamesError::BadOperation(op.clone()));
            }
            let snake = name.starts_with(|c: char| c.is_ascii_lowercase())
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !snake {
                return Err(NamesError::BadName(name.clone()));
            }
        }
        Ok(names)
    }

    /// The table compiled into the generator.
    pub fn builtin() -> Result<Self, NamesError> {
        Self::parse(NAMES_TOML)
    }

    /// The method name for `key`, if overridden.
    pub fn method_of(&self, key: &OpKey) -> Option<&str> {
        self.method
            .iter()
            .find(|m| OpKey::parse(&m.operation).as_ref() == Some(key))
            .map(|m| m.name.as_str())
    }

    /// The field name of query parameter `param` of `key`, if overridden.
    pub fn parameter_of(&self, key: &OpKey, param: &str) -> Option<&str> {
        self.parameter
            .iter()
            .find(|p| OpKey::parse(&p.operation).as_ref() == Some(key) && p.parameter == param)
            .map(|p| p.name.as_str())
    }

    /// Checks that every entry took effect in `ops`; the first that did not is an error.
    pub fn check_used(&self, ops: &[super::plan::OpPlan]) -> Result<(), NamesError> {
        for m in &self.method {
            let key = OpKey::parse(&m.operation);
            if !ops
                .iter()
                .any(|o| Some(&o.key) == key.as_ref() && o.fn_name == m.name)
            {
                return Err(NamesError::Unused(format!("method {}", m.operation)));
            }
        }
        for p in &self.parameter {
            let key = OpKey::parse(&p.operation);
            let used = ops.iter().any(|o| {
                Some(&o.key) == key.as_ref()
                    && o.query
                        .iter()
                        .any(|q| q.wire == p.parameter && q.field == p.name)
            });
            if !used {
                return Err(NamesError::Unused(format!(
                    "parameter {} of {}",
                    p.parameter, p.operation
                )));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_table_parses_and_bad_entries_are_named() {
        let n = Names::builtin().unwrap();
        let copy = OpKey::new("POST", "/containers/{id}/copy");
        assert_eq!(n.method_of(&copy), Some("copy"));
        let stop = OpKey::new("POST", "/containers/{x}/stop");
        assert_eq!(n.parameter_of(&stop, "t"), Some("timeout"));
        let bad = "[[method]]\noperation = \"GET /x\"\nname = \"Copy\"\n";
        assert!(matches!(Names::parse(bad), Err(NamesError::BadName(_))));
        let bad = "[[method]]\noperation = \"FETCH /x\"\nname = \"copy\"\n";
        assert!(matches!(
            Names::parse(bad),
            Err(NamesError::BadOperation(_))
        ));
    }
}
