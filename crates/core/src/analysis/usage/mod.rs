//! Usage manifests: what a consumer of the Engine API calls, checked against
//! the matrix (`dockmatrix check`) and compared (`dockmatrix compare`).

pub mod check;
pub mod compare;
pub mod manifest;
mod served_verdict;
pub mod validate;

pub use check::{check, CheckReport, Target};
pub use compare::{compare, CallChange, Comparison};
pub use manifest::{parse_manifest, write_manifest, Manifest, ManifestError, RequestVersion};
pub use validate::{load_manifest, validate, UsageManifest};
