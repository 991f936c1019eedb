//! Workspace automation, run as `cargo xtask <command>`.
//!
//! - `cargo xtask ci` is the CI gate: formatting, changelog discipline, the sans-IO boundary of
//!   `timesync-core`, clippy, docs, tests and a build of every TLS feature of the transports.
//! - `cargo xtask release <major|minor|patch|X.Y.Z>` prepares a release: a dry run unless
//!   `--execute` is given. It never publishes; it prints the `cargo publish` commands.
//!
//! `docs/release.md` describes the process. The tool is a plain binary with few dependencies so
//! that it builds in seconds on a fresh clone.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a command-line tool reports on its standard streams"
)]

mod changelog;
mod ci;
mod flags;
mod git;
mod manifest;
mod release;
mod version;
mod workspace;

use std::{
    path::{Path, PathBuf},
    process::ExitCode,
};

use xshell::Shell;

use crate::flags::Command;

fn main() -> ExitCode {
    match try_main() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn try_main() -> anyhow::Result<()> {
    let command = flags::parse(std::env::args_os().skip(1))?;
    let sh = Shell::new()?;
    match command {
        Command::Help => {
            print!("{}", flags::HELP);
            Ok(())
        }
        Command::Ci { root } => {
            enter(&sh, root)?;
            ci::run(&sh)
        }
        Command::Release { root, options } => {
            enter(&sh, root)?;
            release::run(&sh, &options)
        }
    }
}

/// Moves the shell to `--root`, or to this repository without it.
fn enter(sh: &Shell, root: Option<PathBuf>) -> anyhow::Result<()> {
    let root = root.unwrap_or_else(project_root);
    anyhow::ensure!(
        root.is_dir(),
        "--root {}: no such directory",
        root.display()
    );
    sh.change_dir(root);
    Ok(())
}

/// The root of this repository: xtask lives one level below it.
fn project_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    // The parent exists: CARGO_MANIFEST_DIR is an absolute path ending in `xtask`.
    manifest_dir.parent().unwrap().to_path_buf()
}
