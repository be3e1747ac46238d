//! Serde helpers used by generated models.

use serde::{Deserialize, Deserializer};

/// Deserializes `null` (which daemons send for empty lists and maps even where the
/// reference calls a field required) as the type's default.
pub fn null_to_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    #[derive(serde::Deserialize)]
    struct S {
        #[serde(default, deserialize_with = "super::null_to_default")]
        names: Vec<String>,
    }

    #[test]
    fn null_missing_and_present() {
        let s: S = serde_json::from_str(r#"{"names": null}"#).unwrap();
        assert!(s.names.is_empty());
        let s: S = serde_json::from_str("{}").unwrap();
        assert!(s.names.is_empty());
        let s: S = serde_json::from_str(r#"{"names": ["a"]}"#).unwrap();
        assert_eq!(s.names, ["a"]);
    }
}
