//! dockmatrix-gen: everything `cargo xtask codegen` writes under `generated/`
//! from the matrix of `dockmatrix-core`: the [`reports`], the [`site`], the
//! embedded data and the version-gated client ([`generated`], the whole tree), all returned as
//! [`output::GeneratedFile`]s. xtask and the tests use it; the installed
//! `dockmatrix` binary does not, so it compiles no generator.

#![warn(missing_docs)]

pub mod clients;
pub mod generated;
pub mod output;
pub mod reports;
pub mod site;
