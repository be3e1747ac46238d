//! dockmatrix-core: the Docker Engine API, every version, as data.
//!
//! A pipeline, each stage a module that reads alone: [`corpus`] (find and
//! verify the upstream files) → [`ingest`] (Swagger 2.0 and markdown →
//! OpenAPI 3.0) → [`model`] (operations, parameters and fields per version) →
//! [`analysis`] (lifecycles, the matrix, diffs, usage checks) → [`present`]
//! (text, tables and timelines shared by the command line, the reports and
//! the site). [`pipeline`] runs the first four in one call.

#![warn(missing_docs)]

pub mod analysis;
pub mod clients;
pub mod corpus;
pub mod ingest;
pub mod model;
pub mod path;
pub mod pipeline;
pub mod present;
pub mod suggest;
pub mod version;

pub use version::ApiVersion;
