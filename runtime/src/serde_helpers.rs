//! Serde helpers used by generated models.
//!
//! Go daemons encode every nil slice and nil map as `null` (`encoding/json`), in response
//! bodies and in nested fields alike, wherever the reference documents an array or an
//! object. The generated models therefore decode every field, and every whole response
//! body, through [`GoJson`]: a list or map that arrives as `null` is empty, at any depth
//! (`Vec<Vec<T>>`, `BTreeMap<String, Vec<T>>`, …); everything else decodes as usual, so
//! a missing required field stays an error naming the field.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

/// A type decoded from a Go daemon's JSON: lists and maps accept `null` as empty (at any
/// nesting depth), everything else is decoded by its own `Deserialize`.
///
/// Implemented for the primitives, `String`, `serde_json::Value`, `Vec`, `BTreeMap`,
/// `Option` and `Box` of implementors, and (by the generator) every generated model.
pub trait GoJson: DeserializeOwned {
    /// Decodes `Self`; the default is the type's own `Deserialize`.
    fn deserialize_go<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Self::deserialize(d)
    }
}

/// `deserialize_with` helper of generated fields: decodes through [`GoJson`].
pub fn go<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: GoJson,
{
    T::deserialize_go(d)
}

/// A value decoded through [`GoJson`], for whole bodies (`send_go_json`) and list items.
#[derive(Debug, Clone, PartialEq)]
pub struct Go<T>(pub T);

impl<'de, T: GoJson> Deserialize<'de> for Go<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize_go(d).map(Go)
    }
}

macro_rules! plain {
    ($($t:ty),* $(,)?) => { $(impl GoJson for $t {})* };
}

plain!(
    bool,
    i8,
    i16,
    i32,
    i64,
    u8,
    u16,
    u32,
    u64,
    f32,
    f64,
    String,
    serde_json::Value
);

impl<T: GoJson> GoJson for Vec<T> {
    fn deserialize_go<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let items = Option::<Vec<Go<T>>>::deserialize(d)?.unwrap_or_default();
        Ok(items.into_iter().map(|Go(t)| t).collect())
    }
}

impl<T: GoJson> GoJson for BTreeMap<String, T> {
    fn deserialize_go<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let entries = Option::<BTreeMap<String, Go<T>>>::deserialize(d)?.unwrap_or_default();
        Ok(entries.into_iter().map(|(k, Go(v))| (k, v)).collect())
    }
}

impl<T: GoJson> GoJson for Option<T> {
    fn deserialize_go<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Option::<Go<T>>::deserialize(d)?.map(|Go(t)| t))
    }
}

impl<T: GoJson> GoJson for Box<T> {
    fn deserialize_go<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize_go(d).map(Box::new)
    }
}

/// Deserializes `null` (which daemons send for empty lists and maps even where the
/// reference calls a field required) as the type's default. Generated models use
/// [`go`] instead, which does this for lists and maps only, at any depth, and leaves
/// a missing required field an error.
pub fn null_to_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::Go;

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

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Model {
        #[serde(rename = "Id", deserialize_with = "super::go")]
        id: String,
        #[serde(rename = "Nested", deserialize_with = "super::go")]
        nested: Vec<BTreeMap<String, Vec<u32>>>,
        #[serde(rename = "Opt", default, deserialize_with = "super::go")]
        opt: Option<Vec<Vec<String>>>,
    }

    impl super::GoJson for Model {}

    #[test]
    fn null_lists_and_maps_are_empty_at_every_depth() {
        let m: Model = serde_json::from_str(r#"{"Id":"a","Nested":null}"#).unwrap();
        assert_eq!((m.nested.len(), m.opt), (0, None));
        let m: Model =
            serde_json::from_str(r#"{"Id":"a","Nested":[null,{"k":null}],"Opt":[null,["x"]]}"#)
                .unwrap();
        assert_eq!(m.nested[0], BTreeMap::new());
        assert_eq!(m.nested[1]["k"], Vec::<u32>::new());
        assert_eq!(m.opt, Some(vec![vec![], vec!["x".to_owned()]]));
        let Go(top) = serde_json::from_str::<Go<Vec<Model>>>("null").unwrap();
        assert!(top.is_empty());
        let Go(top) = serde_json::from_str::<Go<Vec<Vec<Model>>>>("[null]").unwrap();
        assert_eq!(top, vec![Vec::<Model>::new()]);
    }

    #[test]
    fn missing_required_fields_and_null_scalars_stay_errors() {
        let e = serde_json::from_str::<Model>(r#"{"Nested":[]}"#).unwrap_err();
        assert!(e.to_string().contains("missing field `Id`"), "{e}");
        let e = serde_json::from_str::<Model>(r#"{"Id":"a"}"#).unwrap_err();
        assert!(e.to_string().contains("missing field `Nested`"), "{e}");
        assert!(serde_json::from_str::<Model>(r#"{"Id":null,"Nested":[]}"#).is_err());
        assert!(serde_json::from_str::<Go<Vec<u32>>>("[null]").is_err());
    }
}
