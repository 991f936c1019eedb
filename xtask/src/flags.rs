//! The command line: `cargo xtask <command> [flags]`.

use std::{ffi::OsString, path::PathBuf};

use anyhow::{Context, bail};
use lexopt::{Arg, Parser, ValueExt};

use crate::release;

pub(crate) const HELP: &str = "\
cargo xtask <command>

commands:
  ci                      run the CI gate: fmt, changelog, core deps, clippy, doc, tests, TLS builds
  release <BUMP>          prepare a release; BUMP is major, minor, patch or a version X.Y.Z
                          (a dry run that changes nothing unless --execute is given)
  help                    print this help

flags:
  --root <PATH>           act on the workspace at PATH instead of this repository (ci, release)
  --execute               release: make the changes, package, commit and tag
  --skip-ci-gate          release: do not run `cargo xtask ci` first (for toy workspaces in tests)

See docs/release.md.
";

#[derive(Debug)]
pub(crate) enum Command {
    Help,
    Ci {
        root: Option<PathBuf>,
    },
    Release {
        root: Option<PathBuf>,
        options: release::Options,
    },
}

pub(crate) fn parse(args: impl IntoIterator<Item = OsString>) -> anyhow::Result<Command> {
    let mut parser = Parser::from_args(args);
    let subcommand = match parser.next()? {
        None => bail!("no command given\n\n{HELP}"),
        Some(Arg::Short('h') | Arg::Long("help")) => return Ok(Command::Help),
        Some(Arg::Value(value)) => value.string()?,
        Some(arg) => return Err(arg.unexpected()).context("expected a command"),
    };

    let release = match subcommand.as_str() {
        "help" => return Ok(Command::Help),
        "ci" => false,
        "release" => true,
        _ => bail!("unknown command `{subcommand}`\n\n{HELP}"),
    };

    let mut root = None;
    let mut bump = None;
    let mut execute = false;
    let mut skip_ci_gate = false;
    while let Some(arg) = parser.next()? {
        match arg {
            Arg::Short('h') | Arg::Long("help") => return Ok(Command::Help),
            Arg::Long("root") => root = Some(PathBuf::from(parser.value()?)),
            Arg::Long("execute") if release => execute = true,
            Arg::Long("skip-ci-gate") if release => skip_ci_gate = true,
            Arg::Value(value) if release && bump.is_none() => {
                bump = Some(value.string()?.parse()?);
            }
            _ => return Err(arg.unexpected()).context(format!("`cargo xtask {subcommand}`")),
        }
    }

    if !release {
        return Ok(Command::Ci { root });
    }
    let Some(bump) = bump else {
        bail!("`cargo xtask release` needs a bump: major, minor, patch or a version X.Y.Z");
    };
    let options = release::Options {
        bump,
        execute,
        skip_ci_gate,
    };
    Ok(Command::Release { root, options })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::{Bump, Version};

    fn parse_str(args: &[&str]) -> anyhow::Result<Command> {
        parse(args.iter().map(OsString::from))
    }

    #[test]
    fn release_flags() {
        let Command::Release { root, options } =
            parse_str(&["release", "patch", "--execute", "--root", "/tmp/w"]).unwrap()
        else {
            panic!("expected a release command");
        };
        assert_eq!(root, Some(PathBuf::from("/tmp/w")));
        assert_eq!(options.bump, Bump::Patch);
        assert!(options.execute);
        assert!(!options.skip_ci_gate);

        let Command::Release { options, .. } =
            parse_str(&["release", "--skip-ci-gate", "1.2.3"]).unwrap()
        else {
            panic!("expected a release command");
        };
        assert_eq!(
            options.bump,
            Bump::To(Version {
                major: 1,
                minor: 2,
                patch: 3
            })
        );
        assert!(!options.execute);
        assert!(options.skip_ci_gate);
    }

    #[test]
    fn bad_command_lines() {
        for (args, expected) in [
            (&["release"][..], "needs a bump"),
            (&["release", "huge"], "unknown bump `huge`"),
            (&["release", "patch", "minor"], "unexpected argument"),
            (&["ci", "--execute"], "invalid option '--execute'"),
            (&["ci", "--root"], "missing argument"),
            (&["deploy"], "unknown command `deploy`"),
            (&[], "no command given"),
        ] {
            let err = format!("{:#}", parse_str(args).unwrap_err());
            assert!(err.contains(expected), "{args:?}: {err}");
        }
    }

    #[test]
    fn help() {
        assert!(matches!(parse_str(&["--help"]).unwrap(), Command::Help));
        assert!(matches!(parse_str(&["help"]).unwrap(), Command::Help));
        assert!(matches!(
            parse_str(&["release", "-h"]).unwrap(),
            Command::Help
        ));
    }
}
