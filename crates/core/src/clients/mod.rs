//! Client-library tables: what each method of a known Engine API client
//! library sends (HTTP method, path template, query keys and the options
//! fields they come from, body type), derived from the library's own source by
//! `cargo xtask codegen` and committed under `specs/clients/`. `dockmatrix
//! scan` reads call sites of these methods in a consumer's code.
//!
//! This module is data only: it reads no other stage.

pub mod table;

pub use table::{Body, ClientTable, Method, Param, QueryKey, Request};
