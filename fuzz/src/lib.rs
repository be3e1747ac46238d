//! Fuzzing dockmatrix's parsers on stable Rust.
//!
//! [`engine`] mutates seed inputs (the real corpus, the usage manifests, path
//! spellings) with operations drawn by proptest, runs a [`targets::Target`] on each
//! result under a watchdog, and shrinks a failing case with proptest's own
//! shrinking before saving it. A failure is a panic, a broken property (a target
//! returns `Err`), or a run slower than the limit.

#![warn(missing_docs)]

pub mod engine;
pub mod mutate;
pub mod targets;
