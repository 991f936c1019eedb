//! The few questions xtask asks git. Every function runs in the shell's current directory.

use anyhow::Context;
use xshell::{Shell, cmd};

/// The most recent release tag (`v*`) reachable from HEAD, if any.
pub(crate) fn last_release_tag(sh: &Shell) -> anyhow::Result<Option<String>> {
    let output = cmd!(sh, "git describe --tags --abbrev=0 --match v*")
        .quiet()
        .ignore_status()
        .output()?;
    if output.status.success() {
        return Ok(Some(String::from_utf8(output.stdout)?.trim().to_owned()));
    }
    // `git describe` fails both when there is no tag and when this is no repository at all.
    cmd!(sh, "git rev-parse --git-dir")
        .quiet()
        .ignore_stdout()
        .run()
        .context("not a git repository")?;
    Ok(None)
}

/// The lines of `git status --porcelain`: modified, staged and untracked files.
pub(crate) fn dirty_files(sh: &Shell) -> anyhow::Result<Vec<String>> {
    let status = cmd!(sh, "git status --porcelain").quiet().read()?;
    Ok(status.lines().map(str::to_owned).collect())
}

/// Files under `paths` that differ between `tag` and the working tree.
pub(crate) fn changed_since(
    sh: &Shell,
    tag: &str,
    paths: &[String],
) -> anyhow::Result<Vec<String>> {
    let diff = cmd!(sh, "git diff --name-only {tag} -- {paths...}")
        .quiet()
        .read()?;
    Ok(diff.lines().map(str::to_owned).collect())
}

pub(crate) fn tag_exists(sh: &Shell, tag: &str) -> bool {
    let reference = format!("refs/tags/{tag}");
    cmd!(sh, "git rev-parse --quiet --verify {reference}")
        .quiet()
        .ignore_stdout()
        .run()
        .is_ok()
}

/// Whether `path` (relative to the repository root) exists in the tree of `rev`.
pub(crate) fn exists_at(sh: &Shell, rev: &str, path: &str) -> bool {
    // `./` makes the path relative to the current directory rather than the repository root.
    let object = format!("{rev}:./{path}");
    cmd!(sh, "git cat-file -e {object}")
        .quiet()
        .ignore_stderr()
        .run()
        .is_ok()
}

pub(crate) fn is_tracked(sh: &Shell, path: &str) -> bool {
    cmd!(sh, "git ls-files --error-unmatch {path}")
        .quiet()
        .ignore_stdout()
        .ignore_stderr()
        .run()
        .is_ok()
}
