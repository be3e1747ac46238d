//! Resolving OpenAPI 3 `$ref`s against a document's components: the one
//! resolver that the model and the client generator share.
//!
//! A reference `#/components/<section>/<name>` (JSON-pointer escapes `~1`, `~0`
//! undone) resolves one level: to the component if it is an item, to nothing if
//! the component is itself a reference or is missing (ingest's validation has
//! already reported dangling references).

use std::borrow::Cow;

use indexmap::IndexMap;
use openapiv3::{Components, OpenAPI, Parameter, ReferenceOr, RequestBody, Response, Schema};

/// A kind of component that `$ref`s point at.
pub trait Component: Sized {
    /// Its section under `#/components/`.
    const SECTION: &'static str;
    /// Its map in the components.
    fn map(components: &Components) -> &IndexMap<String, ReferenceOr<Self>>;
}

macro_rules! component {
    ($ty:ty, $section:literal, $field:ident) => {
        impl Component for $ty {
            const SECTION: &'static str = $section;
            fn map(components: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
                &components.$field
            }
        }
    };
}

component!(Schema, "schemas", schemas);
component!(Parameter, "parameters", parameters);
component!(RequestBody, "requestBodies", request_bodies);
component!(Response, "responses", responses);

/// The component name a reference to `section` names (`#/components/schemas/A~1B`
/// → `A/B`), or `None` for any other reference.
pub fn component_name<'r>(reference: &'r str, section: &str) -> Option<Cow<'r, str>> {
    let name = reference
        .strip_prefix("#/components/")?
        .strip_prefix(section)?
        .strip_prefix('/')?;
    if name.is_empty() || name.contains('/') {
        return None;
    }
    Some(if name.contains('~') {
        Cow::Owned(name.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(name)
    })
}

/// The component a reference points at, if it exists and is not itself a reference.
pub fn resolve_ref<'a, T: Component>(doc: &'a OpenAPI, reference: &str) -> Option<&'a T> {
    let name = component_name(reference, T::SECTION)?;
    match T::map(doc.components.as_ref()?).get(name.as_ref())? {
        ReferenceOr::Item(item) => Some(item),
        ReferenceOr::Reference { .. } => None,
    }
}

/// An inline item as it is, a reference resolved by [`resolve_ref`].
pub fn resolve<'a, T: Component>(doc: &'a OpenAPI, item: &'a ReferenceOr<T>) -> Option<&'a T> {
    match item {
        ReferenceOr::Item(item) => Some(item),
        ReferenceOr::Reference { reference } => resolve_ref(doc, reference),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> OpenAPI {
        serde_json::from_value(serde_json::json!({
            "openapi": "3.0.0",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {
                "schemas": {
                    "A/B": {"type": "string"},
                    "Alias": {"$ref": "#/components/schemas/A~1B"}
                },
                "parameters": {"p": {"name": "p", "in": "query", "schema": {"type": "string"}}}
            }
        }))
        .unwrap()
    }

    #[test]
    fn resolves_one_level_in_the_right_section() {
        let d = doc();
        assert!(resolve_ref::<Schema>(&d, "#/components/schemas/A~1B").is_some());
        assert!(resolve_ref::<Schema>(&d, "#/components/schemas/Alias").is_none());
        assert!(resolve_ref::<Schema>(&d, "#/components/schemas/Nope").is_none());
        assert!(resolve_ref::<Parameter>(&d, "#/components/parameters/p").is_some());
        assert!(resolve_ref::<Schema>(&d, "#/components/parameters/p").is_none());
        assert!(resolve_ref::<Schema>(&d, "#/definitions/A").is_none());
        assert_eq!(component_name("#/components/schemas/A/b", "schemas"), None);
    }
}
