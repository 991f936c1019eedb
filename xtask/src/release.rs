//! `cargo xtask release <major|minor|patch|X.Y.Z>`: bump, record, package, commit and tag.
//!
//! Every check that can refuse the release runs before anything is written, and a failure after
//! the first write puts the files back, so a refused or failed release leaves the tree as it was.
//! Publishing stays a human decision: the tool prints the commands.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::PathBuf,
    time::{SystemTime, UNIX_EPOCH},
};

use anyhow::{Context, ensure};
use xshell::{Shell, cmd};

use crate::{
    changelog, ci, git, manifest,
    version::{Bump, Version},
    workspace::{Package, Workspace},
};

#[derive(Debug)]
pub(crate) struct Options {
    pub(crate) bump: Bump,
    /// Without it, print the plan and change nothing.
    pub(crate) execute: bool,
    /// Do not run `cargo xtask ci` before changing anything; for toy workspaces in tests.
    pub(crate) skip_ci_gate: bool,
}

/// Releases the workspace in the shell's current directory.
pub(crate) fn run(sh: &Shell, options: &Options) -> anyhow::Result<()> {
    let workspace = crate::workspace::load(sh)?;
    sh.change_dir(&workspace.root);
    let order = workspace.publish_order()?;
    ensure!(
        !order.is_empty(),
        "this workspace has no published crate to release"
    );
    let current = common_version(&order)?;
    let next = options.bump.apply(current)?;
    let tag = format!("v{next}");

    let dirty = git::dirty_files(sh)?;
    ensure!(
        dirty.is_empty(),
        "the working tree is not clean: commit or stash these changes first\n  {}",
        dirty.join("\n  ")
    );
    ensure!(!git::tag_exists(sh, &tag), "tag {tag} already exists");

    let date = today();
    let edits = plan_edits(sh, &workspace, &order, current, next, &date)?;
    let names: Vec<&str> = order.iter().map(|package| package.name.as_str()).collect();
    let semver = semver_plan(sh, &workspace, &order)?;

    print_plan(options, current, next, &names, &edits, &semver, &tag);
    if !options.execute {
        println!("\ndry run: nothing was changed; run again with --execute to release {next}");
        return Ok(());
    }

    if options.skip_ci_gate {
        eprintln!("\n!!! --skip-ci-gate: NOT running `cargo xtask ci` before releasing !!!\n");
    } else {
        eprintln!("\n==> release: running the CI gate");
        ci::run(sh).context("the CI gate failed, so nothing was released or changed")?;
    }

    let lock = Saved::read(sh, "Cargo.lock");
    if let Err(err) = edit_package_commit(sh, &edits, &names, &semver, next) {
        for edit in &edits {
            sh.write_file(&edit.path, &edit.before)?;
        }
        lock.restore(sh)?;
        return Err(err.context(format!("releasing {next} failed; the files were put back")));
    }
    // From here on the release is committed: a failure must not put the files back.
    let message = format!("Release {next}");
    cmd!(sh, "git tag -a {tag} -m {message}")
        .run()
        .with_context(|| {
            format!(
                "{next} is committed but tagging it failed: run `git tag -a {tag} -m {message:?}`"
            )
        })?;

    println!("\nreleased {next}: committed and tagged {tag}. Nothing was pushed or published.");
    print_publish_steps(&names, &tag);
    Ok(())
}

/// One file the release rewrites.
struct FileEdit {
    /// Relative to the workspace root.
    path: String,
    before: String,
    after: String,
    /// What changes, one line each.
    summary: Vec<String>,
}

/// What to tell cargo-semver-checks, or why it does not run.
enum SemverPlan {
    NotInstalled,
    NoBaseline,
    Check {
        baseline: String,
        packages: Vec<String>,
        new: Vec<String>,
    },
}

/// The steps between the first write and the commit; the caller undoes the edits on failure.
fn edit_package_commit(
    sh: &Shell,
    edits: &[FileEdit],
    names: &[&str],
    semver: &SemverPlan,
    next: Version,
) -> anyhow::Result<()> {
    eprintln!("\n==> release: editing {} files", edits.len());
    for edit in edits {
        sh.write_file(&edit.path, &edit.after)?;
    }
    cmd!(sh, "cargo update --workspace")
        .run()
        .context("recording the new versions in Cargo.lock")?;

    eprintln!("\n==> release: packaging the published crates in dependency order");
    // The release's own edits are the only changes (the tree was clean), and they are what is
    // to be packaged; `cargo publish` packages again from the tagged commit.
    let package_args = names.iter().flat_map(|name| ["-p", name]);
    cmd!(sh, "cargo package --allow-dirty {package_args...}")
        .run()
        .context("packaging the crates")?;

    if let SemverPlan::Check {
        baseline, packages, ..
    } = semver
    {
        eprintln!("\n==> release: checking the public API against {baseline}");
        let package_args = packages.iter().flat_map(|name| ["-p", name]);
        cmd!(
            sh,
            "cargo semver-checks --baseline-rev {baseline} {package_args...}"
        )
        .run()
        .context("cargo-semver-checks found a change that needs a bigger version bump")?;
    }

    eprintln!("\n==> release: committing");
    let mut files: Vec<&str> = edits.iter().map(|edit| edit.path.as_str()).collect();
    if git::is_tracked(sh, "Cargo.lock") {
        files.push("Cargo.lock");
    }
    // With paths, `git commit` commits exactly those files, or nothing when it fails.
    let message = format!("Release {next}");
    cmd!(sh, "git commit --quiet -m {message} -- {files...}")
        .run()
        .context("committing")?;
    Ok(())
}

fn common_version(order: &[&Package]) -> anyhow::Result<Version> {
    let first = order[0];
    for package in order {
        ensure!(
            package.version == first.version,
            "the published crates must share one version, but {} is {} and {} is {}",
            first.name,
            first.version,
            package.name,
            package.version
        );
    }
    first
        .version
        .parse()
        .with_context(|| format!("the current version of {}", first.name))
}

fn plan_edits(
    sh: &Shell,
    workspace: &Workspace,
    order: &[&Package],
    current: Version,
    next: Version,
    date: &str,
) -> anyhow::Result<Vec<FileEdit>> {
    let before = sh.read_file(changelog::FILE)?;
    let after = changelog::release(&before, next, date)?;
    let mut summary = vec![format!(
        "the `## [Unreleased]` entries move under a new `## [{next}] - {date}` heading, \
         below a new empty `## [Unreleased]`:"
    )];
    let released = format!(
        "## [Unreleased]\n\n{}",
        next_section(&after, next).trim_end()
    );
    summary.extend(
        released
            .lines()
            .map(|line| format!("  | {line}").trim_end().to_owned()),
    );
    let changelog_edit = FileEdit {
        path: changelog::FILE.to_owned(),
        before,
        after,
        summary,
    };

    // Manifests: the workspace root's and every member's. A published member writes its own
    // version unless it inherits the workspace's.
    let mut manifests: BTreeMap<PathBuf, bool> = BTreeMap::new();
    for package in &workspace.packages {
        manifests.insert(package.manifest_path.clone(), package.publish);
    }
    manifests
        .entry(workspace.root.join("Cargo.toml"))
        .or_insert(false);

    // The crates whose version moves: the published ones and those inheriting the version.
    let mut moving: BTreeSet<String> = order.iter().map(|package| package.name.clone()).collect();
    for package in workspace.packages.iter().filter(|package| !package.publish) {
        let text = sh.read_file(&package.manifest_path)?;
        if package.version == current.to_string() && manifest::inherits_version(&text) {
            moving.insert(package.name.clone());
        }
    }

    let mut edits = Vec::new();
    for (path, own_version) in manifests {
        let before = sh.read_file(&path)?;
        let bumped = manifest::bump(&before, current, next, own_version, &moving)
            .with_context(|| format!("editing {}", path.display()))?;
        if bumped.edits.is_empty() {
            continue;
        }
        let relative = path.strip_prefix(&workspace.root).unwrap_or(&path);
        edits.push(FileEdit {
            path: relative.to_string_lossy().into_owned(),
            before,
            after: bumped.text,
            summary: bumped.edits,
        });
    }
    edits.push(changelog_edit);
    Ok(edits)
}

/// The body of the `## [version]` section of a changelog that has one.
fn next_section(text: &str, version: Version) -> &str {
    let heading = format!("## [{version}]");
    let Some(start) = text.find(&heading) else {
        return "";
    };
    let end = text[start + heading.len()..]
        .find("\n## ")
        .map_or(text.len(), |offset| start + heading.len() + offset + 1);
    &text[start..end]
}

fn semver_plan(
    sh: &Shell,
    workspace: &Workspace,
    order: &[&Package],
) -> anyhow::Result<SemverPlan> {
    let installed = cmd!(sh, "cargo semver-checks --version")
        .quiet()
        .ignore_stdout()
        .ignore_stderr()
        .run();
    if installed.is_err() {
        return Ok(SemverPlan::NotInstalled);
    }
    let Some(baseline) = git::last_release_tag(sh)? else {
        return Ok(SemverPlan::NoBaseline);
    };
    let (mut packages, mut new) = (Vec::new(), Vec::new());
    for package in order {
        let manifest = format!("{}/Cargo.toml", workspace.relative_dir(package));
        if git::exists_at(sh, &baseline, &manifest) {
            packages.push(package.name.clone());
        } else {
            new.push(package.name.clone());
        }
    }
    Ok(SemverPlan::Check {
        baseline,
        packages,
        new,
    })
}

fn print_plan(
    options: &Options,
    current: Version,
    next: Version,
    names: &[&str],
    edits: &[FileEdit],
    semver: &SemverPlan,
    tag: &str,
) {
    let mode = if options.execute {
        "executing"
    } else {
        "dry run, nothing will be changed"
    };
    println!("release {current} -> {next} ({mode})");
    println!(
        "published crates, in dependency order: {}",
        names.join(", ")
    );
    println!("checks passed: the working tree is clean, {tag} is free, the changelog has entries");

    println!();
    if options.skip_ci_gate {
        println!("1. gate: SKIPPED (--skip-ci-gate)");
    } else {
        println!("1. gate: cargo xtask ci (with --execute only; any failure stops the release)");
    }
    println!("2. edit:");
    for edit in edits {
        println!("   {}", edit.path);
        for line in &edit.summary {
            println!("     {line}");
        }
    }
    println!("   Cargo.lock");
    println!("     the new versions of the workspace's own packages (cargo update --workspace)");
    let package_args: Vec<String> = names.iter().map(|name| format!("-p {name}")).collect();
    println!(
        "3. package: cargo package --allow-dirty {}",
        package_args.join(" ")
    );
    match semver {
        SemverPlan::NotInstalled => println!(
            "4. semver: cargo-semver-checks is NOT installed, so the public API is not checked \
             against the last release (install it: cargo install cargo-semver-checks --locked)"
        ),
        SemverPlan::NoBaseline => {
            println!("4. semver: no earlier release tag (v*), so there is nothing to compare with")
        }
        SemverPlan::Check {
            baseline,
            packages,
            new,
        } => {
            let package_args: Vec<String> =
                packages.iter().map(|name| format!("-p {name}")).collect();
            println!(
                "4. semver: cargo semver-checks --baseline-rev {baseline} {}",
                package_args.join(" ")
            );
            if !new.is_empty() {
                println!("   new since {baseline}, not checked: {}", new.join(", "));
            }
        }
    }
    println!("5. commit: \"Release {next}\" with the files above");
    println!("6. tag: {tag} (annotated)");
    if !options.execute {
        println!("\nthen, by hand:");
        print_publish_steps(names, tag);
    }
}

fn print_publish_steps(names: &[&str], tag: &str) {
    println!("publish in this order, waiting for each to appear on crates.io:");
    for name in names {
        println!("  cargo publish -p {name}");
    }
    println!("and push the commit and the tag:");
    println!("  git push origin HEAD {tag}");
}

/// A file's contents before the release touched it, or its absence.
struct Saved {
    path: &'static str,
    contents: Option<Vec<u8>>,
}

impl Saved {
    fn read(sh: &Shell, path: &'static str) -> Saved {
        Saved {
            path,
            contents: sh.read_binary_file(path).ok(),
        }
    }

    fn restore(&self, sh: &Shell) -> anyhow::Result<()> {
        match &self.contents {
            Some(contents) => sh.write_file(self.path, contents)?,
            None if sh.path_exists(self.path) => sh.remove_path(self.path)?,
            None => {}
        }
        Ok(())
    }
}

/// Today's date in UTC, `YYYY-MM-DD`.
fn today() -> String {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    let (year, month, day) = civil_from_days((seconds / 86_400) as i64);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The Gregorian date `days` days after 1970-01-01, after Howard Hinnant's `civil_from_days`.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    // Months counted from March, so that the leap day comes last.
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month as u32, day as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_dates() {
        for (days, date) in [
            (0, (1970, 1, 1)),
            (59, (1970, 3, 1)),
            (10_956, (1999, 12, 31)),
            (11_016, (2000, 2, 29)),
            (19_782, (2024, 2, 29)),
            (20_453, (2025, 12, 31)),
            (20_454, (2026, 1, 1)),
            (-1, (1969, 12, 31)),
        ] {
            assert_eq!(civil_from_days(days), date, "{days}");
        }
        let today = today();
        assert_eq!(today.len(), 10, "{today}");
        assert!(today.as_str() > "2025-01-01", "{today}");
    }

    #[test]
    fn next_section_stops_at_the_next_heading() {
        let text = "## [Unreleased]\n\n## [0.2.0] - d\n- A.\n\n## [0.1.0] - d\n- B.\n";
        assert_eq!(
            next_section(text, "0.2.0".parse().unwrap()),
            "## [0.2.0] - d\n- A.\n\n"
        );
        assert_eq!(
            next_section(text, "0.1.0".parse().unwrap()),
            "## [0.1.0] - d\n- B.\n"
        );
    }
}
