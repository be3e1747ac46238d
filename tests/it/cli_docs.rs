//! Shell completions and the man page written by `cargo xtask codegen` come from
//! the clap definition: every subcommand and global flag is in them, and bash
//! accepts the completion script and completes the subcommands.

use std::path::Path;
use std::process::Command;

use clap::CommandFactory;
use dockmatrix::cli::Cli;

fn generated(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("generated")
        .join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn subcommands() -> Vec<String> {
    Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect()
}

#[test]
fn completions_and_man_page_name_every_command() {
    let names = subcommands();
    assert!(names.len() >= 10, "{names:?}");
    let bash = generated("completions/dockmatrix.bash");
    let zsh = generated("completions/_dockmatrix");
    let fish = generated("completions/dockmatrix.fish");
    let man = generated("man/dockmatrix.1");
    for name in &names {
        for (what, text) in [("bash", &bash), ("zsh", &zsh), ("fish", &fish)] {
            assert!(
                text.contains(name.as_str()),
                "{what} completion lacks {name}"
            );
        }
        // roff escapes `-` as `\-`.
        assert!(
            man.contains(&name.replace('-', "\\-")),
            "man page lacks {name}"
        );
    }
    for flag in ["--specs", "--rebuild", "--wide", "--format"] {
        assert!(bash.contains(flag), "bash completion lacks {flag}");
        assert!(
            man.contains(&flag.replace('-', "\\-")),
            "man page lacks {flag}"
        );
    }
}

#[test]
fn bash_completes_the_subcommands() {
    let script =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("generated/completions/dockmatrix.bash");
    let probe = format!(
        "source '{}'; COMP_WORDS=(dockmatrix h); COMP_CWORD=1; COMP_LINE='dockmatrix h'; COMP_POINT=12; _dockmatrix dockmatrix h dockmatrix; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display()
    );
    let out = Command::new("bash")
        .args(["-c", &probe])
        .output()
        .expect("bash runs");
    let replies = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(replies.lines().any(|l| l == "history"), "{replies}");
    assert!(
        !replies.lines().any(|l| l == "versions"),
        "filtered by the prefix: {replies}"
    );
}
