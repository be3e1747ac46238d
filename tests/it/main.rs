//! The integration tests, one module per subject, linked into one binary so
//! the suite links once (as ripgrep and cargo do). `common` and
//! `proxy_support` are their shared helpers. Run one subject with
//! `cargo test --test it proxy_modes::`.

mod common;
mod proxy_support;

mod cli_bad_input;
mod cli_commands;
mod cli_docs;
mod cli_embedded;
mod cli_output;
mod client_codegen;
mod client_daemon;
mod client_decoding;
mod client_ergonomics;
mod client_golden;
mod client_registry_auth;
mod client_registry_daemon;
mod client_results;
mod client_served_gates;
mod doc_fixes;
mod markdown_examples;
mod markdown_ingest;
mod matrix_corpus;
mod matrix_removals;
mod matrix_truth;
mod proxy_as_docker;
mod proxy_bypass;
mod proxy_config;
mod proxy_decide;
mod proxy_docker_cli;
mod proxy_docker_py;
mod proxy_docker_py_suite;
mod proxy_modes;
mod reading_bodies;
mod reports;
mod scan;
mod served;
mod served_check;
mod served_live;
mod site_browser;
mod site_pages;
mod swagger_ingest;
mod swagger_reparse;
mod swagger_shared_parse;
mod usage_check;
mod usage_errors;
mod usage_response;
