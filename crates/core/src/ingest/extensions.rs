//! The `x-dockmatrix-*` extensions ingest writes into converted documents: what a
//! markdown page says that OpenAPI has no keyword for. The model reads them back.

/// On a property schema inferred from a markdown page: how the page documents it
/// (`"parameter list"` or `"example"`). Swagger schemas carry none (evidence `schema`).
pub const EVIDENCE: &str = "x-dockmatrix-evidence";

/// On a markdown request body or response media type: `false`, as the pages' parameter
/// lists and examples are not exhaustive, so a field a page does not name may still
/// exist. (A document without the extension lists its fields completely.)
pub const FIELDS_COMPLETE: &str = "x-dockmatrix-fields-complete";

/// On an operation or parameter: `true` when the page marks it experimental by its
/// section heading (v1.24's "Plugins (experimental)").
pub const EXPERIMENTAL: &str = "x-dockmatrix-experimental";

/// On an operation: the page line of its route line.
pub const LINE: &str = "x-dockmatrix-line";

/// On an operation: `true` when the page has it inside an HTML comment.
pub const COMMENTED_OUT: &str = "x-dockmatrix-commented-out";

/// On an operation: `true` when it was added by the errata table (the page
/// documents it in prose only, without a route line of its own).
pub const FROM_ERRATA: &str = "x-dockmatrix-from-errata";
