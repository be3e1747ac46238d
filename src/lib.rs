//! dockmatrix: the Docker Engine API, every version, as data.
//!
//! The crate is laid out as a pipeline, each stage a module that reads alone:
//! [`corpus`] (find and verify the upstream files) → [`ingest`] (Swagger 2.0 and
//! markdown → OpenAPI 3.0) → [`model`] (operations, parameters and fields per
//! version) → [`analysis`] (lifecycles, the matrix, diffs, usage checks) →
//! [`codegen`] and [`reports`] (what gets written under `generated/`), and
//! [`proxy`] (the matrix put to work in front of a real daemon).

#![warn(missing_docs)]

pub mod analysis;
pub mod cli;
pub mod codegen;
pub mod corpus;
pub mod ingest;
pub mod model;
pub mod output;
pub mod path;
pub mod pipeline;
pub mod proxy;
pub mod reports;
pub mod site;
pub mod suggest;
pub mod table;
pub mod version;

pub use version::ApiVersion;
