//! Shell completions (bash, zsh, fish) and the man page, generated from the
//! clap definition of the `dockmatrix` command line, for `generated/completions/`
//! and `generated/man/`. The library's codegen does not know the command line
//! (it is the top layer), so the xtask adds these files to the same write and
//! drift-check path.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::CommandFactory;
use clap_complete::{generate, Shell};
use dockmatrix::cli::Cli;
use dockmatrix_gen::generated::GeneratedFile;

/// Top-level folders of `generated/` these files own.
pub const OWNED: &[&str] = &["completions", "man"];

/// The completion scripts and the man page.
pub fn generate_files() -> Result<Vec<GeneratedFile>> {
    let mut files = Vec::new();
    for (shell, name) in [
        (Shell::Bash, "dockmatrix.bash"),
        (Shell::Zsh, "_dockmatrix"),
        (Shell::Fish, "dockmatrix.fish"),
    ] {
        let mut contents = Vec::new();
        generate(shell, &mut Cli::command(), "dockmatrix", &mut contents);
        files.push(GeneratedFile {
            path: PathBuf::from("completions").join(name),
            contents,
        });
    }
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut page)
        .context("rendering the man page")?;
    files.push(GeneratedFile {
        path: PathBuf::from("man/dockmatrix.1"),
        contents: page,
    });
    Ok(files)
}
