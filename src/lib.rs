//! The `dockmatrix` tool: the command line ([`cli`]) and the [`proxy`], over
//! the data and analysis of `dockmatrix-core`. The generator (`dockmatrix-gen`)
//! is not part of it.

#![warn(missing_docs)]

pub mod cli;
pub mod proxy;
pub mod scan;
