//! `cargo xtask release` and `cargo xtask ci` against a toy workspace in a temporary directory:
//! two published crates, one depending on the other, an unpublished tool pinning one of them,
//! a changelog, and a git repository with a `v0.1.0` tag.
//!
//! The toy crates have no dependencies, so that `cargo package` works offline and in seconds.

use std::{
    fs,
    path::{Path, PathBuf},
    process::{Command, Output},
    sync::atomic::{AtomicUsize, Ordering},
    time::{SystemTime, UNIX_EPOCH},
};

const CHANGELOG: &str = "\
# Changelog

## [Unreleased]

### Added
- A second function.

### Fixed

## [0.1.0] - 2025-01-01

### Added
- The first function.
";

#[test]
fn dry_run_prints_the_plan_and_changes_nothing() {
    let toy = Toy::new("dry-run");
    let before = toy.snapshot();

    let out = toy.xtask(&["release", "patch"]);
    let stdout = out.success();

    for line in [
        "release 0.1.0 -> 0.1.1 (dry run, nothing will be changed)",
        "published crates, in dependency order: toy-core, toy-client",
        r#"[workspace.package] version: "0.1.0" -> "0.1.1""#,
        r#"[workspace.dependencies] toy-core: version "0.1.0" -> "0.1.1""#,
        r#"[dependencies] toy-client: version "0.1.0" -> "0.1.1""#,
        "   tool/Cargo.toml",
        "| ## [0.1.1] - ",
        "3. package: cargo package --allow-dirty -p toy-core -p toy-client",
        "6. tag: v0.1.1 (annotated)",
        "  cargo publish -p toy-core\n  cargo publish -p toy-client\n",
        "dry run: nothing was changed; run again with --execute to release 0.1.1",
    ] {
        assert!(stdout.contains(line), "missing {line:?} in:\n{stdout}");
    }
    assert!(
        stdout.contains("cargo-semver-checks is NOT installed")
            || stdout.contains("cargo semver-checks --baseline-rev v0.1.0"),
        "{stdout}"
    );

    assert_eq!(toy.snapshot(), before);
    assert_eq!(toy.git(&["tag"]), "v0.1.0");
    assert_eq!(toy.git(&["status", "--porcelain"]), "");
}

#[test]
fn executed_release_bumps_moves_packages_commits_and_tags() {
    let toy = Toy::new("execute");

    let out = toy.xtask(&["release", "minor", "--execute", "--skip-ci-gate"]);
    let stdout = out.success();
    assert!(
        out.stderr()
            .contains("--skip-ci-gate: NOT running `cargo xtask ci`")
    );
    assert!(
        stdout.contains("released 0.2.0: committed and tagged v0.2.0"),
        "{stdout}"
    );
    assert!(stdout.contains("  cargo publish -p toy-core\n  cargo publish -p toy-client\n"));

    // The versions and the requirements between the crates.
    let root = toy.read("Cargo.toml");
    assert!(
        root.contains("[workspace.package]\nversion = \"0.2.0\"\n"),
        "{root}"
    );
    assert!(
        root.contains(r#"toy-core = { path = "crates/core", version = "0.2.0" }"#),
        "{root}"
    );
    let tool = toy.read("tool/Cargo.toml");
    assert!(tool.contains(r#"toy-client = { path = "../crates/client", version = "0.2.0" }"#));
    assert!(
        tool.contains("version = \"0.0.0\""),
        "the unpublished tool keeps its version"
    );
    let lock = toy.read("Cargo.lock");
    assert!(
        lock.contains("name = \"toy-core\"\nversion = \"0.2.0\""),
        "{lock}"
    );
    assert!(
        lock.contains("name = \"toy-client\"\nversion = \"0.2.0\""),
        "{lock}"
    );

    // The changelog: a fresh Unreleased section, the entries under the new version, and the
    // empty `### Fixed` subsection gone.
    let changelog = toy.read("CHANGELOG.md");
    let (head, rest) = changelog.split_once("## [0.2.0] - ").unwrap();
    assert_eq!(head, "# Changelog\n\n## [Unreleased]\n\n");
    let (date, rest) = rest.split_once('\n').unwrap();
    assert!(is_date(date), "{date}");
    assert_eq!(
        rest,
        "\n### Added\n- A second function.\n\n## [0.1.0] - 2025-01-01\n\n### Added\n- The first function.\n"
    );

    // Packaged, committed and tagged; nothing left over.
    for name in ["toy-core-0.2.0.crate", "toy-client-0.2.0.crate"] {
        assert!(toy.dir.join("target/package").join(name).exists(), "{name}");
    }
    assert_eq!(toy.git(&["status", "--porcelain"]), "");
    assert_eq!(toy.git(&["log", "-1", "--format=%s"]), "Release 0.2.0");
    assert_eq!(toy.git(&["describe", "--tags", "--exact-match"]), "v0.2.0");
    let committed = toy.git(&["show", "--name-only", "--format=", "HEAD"]);
    assert_eq!(
        committed,
        "CHANGELOG.md\nCargo.lock\nCargo.toml\ntool/Cargo.toml"
    );

    // Right after a release, the changelog check of the gate is satisfied.
    let out = toy.xtask(&["ci"]);
    assert!(
        out.stderr().contains("==> ci: changelog ok"),
        "{}",
        out.stderr()
    );
}

#[test]
fn exact_version() {
    let toy = Toy::new("exact");
    let stdout = toy.xtask(&["release", "1.0.0"]).success();
    assert!(
        stdout.contains("release 0.1.0 -> 1.0.0 (dry run"),
        "{stdout}"
    );
}

#[test]
fn bad_input_stops_the_release_and_changes_nothing() {
    let toy = Toy::new("bad-input");
    let before = toy.snapshot();
    for (bump, message) in [
        (
            "huge",
            "error: unknown bump `huge`: expected major, minor, patch or a version X.Y.Z",
        ),
        (
            "0.0.9",
            "error: version 0.0.9 is not greater than the current version 0.1.0",
        ),
        (
            "0.1.0",
            "error: version 0.1.0 is not greater than the current version 0.1.0",
        ),
        ("1.0", "error: invalid version `1.0`: expected X.Y.Z"),
    ] {
        let out = toy.xtask(&["release", bump, "--execute", "--skip-ci-gate"]);
        out.failure(message);
        assert_eq!(toy.snapshot(), before, "{bump}");
    }
    toy.xtask(&["release", "--execute"]).failure("needs a bump");
    assert_eq!(toy.git(&["tag"]), "v0.1.0");
}

#[test]
fn missing_or_empty_changelog_section_stops_the_release() {
    for (name, changelog, message) in [
        (
            "no-unreleased",
            "# Changelog\n\n## [0.1.0] - 2025-01-01\n- The first function.\n",
            "error: CHANGELOG.md has no `## [Unreleased]` section",
        ),
        (
            "empty-unreleased",
            "# Changelog\n\n## [Unreleased]\n\n### Added\n\n## [0.1.0] - 2025-01-01\n",
            "error: the `## [Unreleased]` section of CHANGELOG.md is empty",
        ),
    ] {
        let toy = Toy::new(name);
        toy.write("CHANGELOG.md", changelog);
        toy.commit("changelog");
        let before = toy.snapshot();

        toy.xtask(&["release", "patch", "--execute", "--skip-ci-gate"])
            .failure(message);
        assert_eq!(toy.snapshot(), before, "{name}");
        assert_eq!(toy.git(&["tag"]), "v0.1.0");
    }
}

#[test]
fn dirty_tree_stops_the_release() {
    let toy = Toy::new("dirty");
    toy.write("crates/core/src/lib.rs", "pub fn changed() {}\n");
    toy.write("notes.txt", "untracked\n");
    let before = toy.snapshot();

    let out = toy.xtask(&["release", "patch", "--execute", "--skip-ci-gate"]);
    let stderr = out.failure("error: the working tree is not clean: commit or stash these changes");
    assert!(stderr.contains("crates/core/src/lib.rs"), "{stderr}");
    assert!(stderr.contains("notes.txt"), "{stderr}");
    assert_eq!(toy.snapshot(), before);
    assert_eq!(toy.git(&["tag"]), "v0.1.0");
}

#[test]
fn existing_tag_stops_the_release() {
    let toy = Toy::new("tagged");
    toy.git(&["tag", "v0.1.1"]);
    toy.xtask(&["release", "patch", "--execute", "--skip-ci-gate"])
        .failure("error: tag v0.1.1 already exists");
}

#[test]
fn red_ci_gate_stops_the_release() {
    // Badly formatted code fails the first step of the gate, `cargo fmt --check`.
    let toy = Toy::new("red-gate");
    toy.write("crates/core/src/lib.rs", "pub fn core()   ->  u32 { 1 }\n");
    toy.commit("unformatted");
    let before = toy.snapshot();

    let out = toy.xtask(&["release", "patch", "--execute"]);
    let stderr = out.failure("error: the CI gate failed, so nothing was released or changed");
    assert!(stderr.contains("==> ci: fmt"), "{stderr}");
    assert!(stderr.contains("ci step `fmt` failed"), "{stderr}");
    assert_eq!(toy.snapshot(), before);
    assert_eq!(toy.git(&["tag"]), "v0.1.0");
}

#[test]
fn failed_packaging_puts_the_files_back() {
    // Code that does not compile gets past the checks before the first write (the gate is
    // skipped) and fails when `cargo package` verifies the crate, after the edits.
    let toy = Toy::new("rollback");
    toy.write(
        "crates/client/src/lib.rs",
        "pub fn client() -> u32 {\n    \"two\"\n}\n",
    );
    toy.commit("break the client");
    let before = toy.snapshot();

    let out = toy.xtask(&["release", "patch", "--execute", "--skip-ci-gate"]);
    let stderr = out.failure("error: releasing 0.1.1 failed; the files were put back");
    assert!(stderr.contains("packaging the crates"), "{stderr}");
    assert_eq!(toy.snapshot(), before);
    assert_eq!(toy.git(&["status", "--porcelain"]), "");
    assert_eq!(toy.git(&["tag"]), "v0.1.0");
}

#[test]
fn semver_checks_runs_when_installed() {
    // A stand-in `cargo-semver-checks` on PATH records its arguments; it fails on request.
    let toy = Toy::new("semver");
    toy.write(
        "crates/extra/Cargo.toml",
        &member("toy-extra", "toy-core.workspace = true\n"),
    );
    toy.write("crates/extra/src/lib.rs", "//! Extra.\n");
    let root = toy
        .read("Cargo.toml")
        .replace("\"tool\"]", "\"tool\", \"crates/extra\"]");
    toy.write("Cargo.toml", &root);
    let status = toy
        .cargo()
        .args(["update", "--workspace"])
        .status()
        .unwrap();
    assert!(status.success());
    toy.commit("a crate that is new since v0.1.0");

    let bin = toy.dir.join("target/fake-bin");
    let log = toy.dir.join("target/semver-checks.log");
    fs::create_dir_all(&bin).unwrap();
    let script = bin.join("cargo-semver-checks");
    let fake = r#"#!/bin/sh
case "$*" in *--version*) echo "cargo-semver-checks 0.0.0"; exit 0 ;; esac
echo "$@" >> "$SEMVER_LOG"
exit "${SEMVER_EXIT:-0}"
"#;
    fs::write(&script, fake).unwrap();
    let chmod = Command::new("chmod")
        .arg("+x")
        .arg(&script)
        .status()
        .unwrap();
    assert!(chmod.success());
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let run = |args: &[&str], exit: &str| {
        let mut xtask = toy.xtask_command(args);
        xtask
            .env("PATH", &path)
            .env("SEMVER_LOG", &log)
            .env("SEMVER_EXIT", exit);
        Run {
            args: args.join(" "),
            output: xtask.output().unwrap(),
        }
    };

    let stdout = run(&["release", "minor"], "0").success();
    let plan = "4. semver: cargo semver-checks --baseline-rev v0.1.0 -p toy-core -p toy-client\n   \
                new since v0.1.0, not checked: toy-extra\n";
    assert!(stdout.contains(plan), "{stdout}");

    // A failed check puts everything back.
    let before = toy.snapshot();
    let args = ["release", "minor", "--execute", "--skip-ci-gate"];
    let stderr = run(&args, "1").failure("releasing 0.2.0 failed; the files were put back");
    assert!(
        stderr.contains("cargo-semver-checks found a change"),
        "{stderr}"
    );
    assert_eq!(toy.snapshot(), before);
    assert_eq!(toy.git(&["tag"]), "v0.1.0");

    run(&args, "0").success();
    assert_eq!(toy.git(&["describe", "--tags", "--exact-match"]), "v0.2.0");
    let calls = fs::read_to_string(&log).unwrap();
    let check = "semver-checks --baseline-rev v0.1.0 -p toy-core -p toy-client\n";
    assert_eq!(calls.matches(check).count(), 2, "{calls}");
}

#[test]
fn ci_wants_changelog_entries_for_changed_code() {
    let toy = Toy::new("ci-changelog");
    toy.write(
        "CHANGELOG.md",
        "# Changelog\n\n## [Unreleased]\n\n## [0.1.0] - 2025-01-01\n- One.\n",
    );
    toy.commit("release notes moved");
    toy.git(&["tag", "-f", "v0.1.0"]);

    // Nothing changed since the tag: the empty section is fine, and the gate goes on to the next
    // step, which fails because this toy has no timesync-core.
    let stderr = toy
        .xtask(&["ci"])
        .failure("timesync-core is not a member of this workspace");
    assert!(stderr.contains("==> ci: changelog ok"), "{stderr}");

    // Code changed since the tag: the gate stops.
    toy.write(
        "crates/client/src/lib.rs",
        "pub fn client() -> u32 {\n    2\n}\n",
    );
    toy.commit("change the client");
    let stderr = toy.xtask(&["ci"]).failure(
        "code changed since v0.1.0 but the `## [Unreleased]` section of CHANGELOG.md is empty",
    );
    assert!(stderr.contains("  crates/client/src/lib.rs"), "{stderr}");
}

/// A workspace shaped like ours: `timesync-core` and `timesync-blocking` with a `rustls` feature.
fn gate_toy(name: &str, core_deps: &str, extra: &[(&str, String)]) -> Toy {
    let root = r#"[workspace]
resolver = "3"
members = ["crates/core", "crates/blocking"]

[workspace.package]
version = "0.1.0"
edition = "2024"
license = "MIT"
repository = "https://example.invalid/toy"

[workspace.dependencies]
timesync-core = { path = "crates/core", version = "0.1.0" }
"#;
    let core = "//! Core.\n//!\n//! ```\n//! assert_eq!(timesync_core::one(), 1);\n//! ```\n\n\
                /// One.\npub fn one() -> u32 {\n    1\n}\n\n\
                #[cfg(test)]\nmod tests {\n    #[test]\n    fn one() {\n        \
                assert_eq!(super::one(), 1);\n    }\n}\n";
    let blocking = member("timesync-blocking", "timesync-core.workspace = true\n")
        + "\n[features]\ndefault = [\"rustls\"]\nrustls = []\n";
    let mut files = vec![
        ("Cargo.toml", root.to_owned()),
        ("crates/core/Cargo.toml", member("timesync-core", core_deps)),
        ("crates/core/src/lib.rs", core.to_owned()),
        ("crates/blocking/Cargo.toml", blocking),
        (
            "crates/blocking/src/lib.rs",
            "//! Blocking.\n\n/// Two.\npub fn two() -> u32 {\n    timesync_core::one() + 1\n}\n"
                .to_owned(),
        ),
        ("CHANGELOG.md", CHANGELOG.to_owned()),
    ];
    files.extend(extra.iter().cloned());
    Toy::with_files(name, &files)
}

#[test]
fn green_gate_runs_every_step() {
    let toy = gate_toy("green-gate", "", &[]);
    let stderr = toy.xtask(&["ci"]).success_stderr();
    let steps = [
        "fmt",
        "changelog",
        "core-deps",
        "clippy",
        "doc",
        "test",
        "tls",
    ];
    for step in steps {
        assert!(
            stderr.contains(&format!("==> ci: {step} ok (")),
            "{step}:\n{stderr}"
        );
    }
    for line in [
        "$ cargo fmt --all -- --check",
        "timesync-core depends on none of ureq, reqwest, hyper, tokio",
        "$ cargo clippy --locked -p timesync-blocking --all-targets -- -D warnings",
        "$ cargo clippy --locked -p timesync-core --all-targets -- -D warnings",
        "$ cargo doc --locked --workspace --no-deps",
        "$ cargo test --locked --workspace --doc",
        "tls: skipping timesync-async, not a member of this workspace yet",
        "$ cargo build --locked -p timesync-blocking --no-default-features --features rustls",
        "==> ci: all steps passed",
    ] {
        assert!(stderr.contains(line), "missing {line:?} in:\n{stderr}");
    }
    assert!(!stderr.contains("==> ci: openssl"), "{stderr}");
}

#[test]
fn core_depending_on_a_runtime_fails_the_gate() {
    // A local crate named `tokio` stands in for the real one.
    let tokio = "[package]\nname = \"tokio\"\nversion = \"0.1.0\"\nedition = \"2024\"\n";
    let toy = gate_toy(
        "core-deps",
        "tokio = { path = \"../../tokio\" }\n",
        &[
            ("tokio/Cargo.toml", tokio.to_owned()),
            ("tokio/src/lib.rs", "//! Stand-in.\n".to_owned()),
        ],
    );
    let stderr = toy
        .xtask(&["ci"])
        .failure("timesync-core must do no IO but depends on tokio");
    assert!(stderr.contains("ci step `core-deps` failed"), "{stderr}");
}

/// A toy workspace in its own temporary directory, removed on drop.
struct Toy {
    dir: PathBuf,
}

impl Toy {
    /// The release toy: `toy-core`, `toy-client` on top of it, and the unpublished `toy-tool`.
    fn new(name: &str) -> Toy {
        let root = r#"[workspace]
resolver = "3"
members = ["crates/core", "crates/client", "tool"]

[workspace.package]
version = "0.1.0"
edition = "2024"
license = "MIT"
repository = "https://example.invalid/toy"

[workspace.dependencies]
toy-core = { path = "crates/core", version = "0.1.0" }
"#;
        let tool = r#"[package]
name = "toy-tool"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
toy-client = { path = "../crates/client", version = "0.1.0" }
"#;
        Toy::with_files(
            name,
            &[
                ("Cargo.toml", root.to_owned()),
                ("crates/core/Cargo.toml", member("toy-core", "")),
                (
                    "crates/core/src/lib.rs",
                    "//! Core.\n\npub fn core() -> u32 {\n    1\n}\n".to_owned(),
                ),
                (
                    "crates/client/Cargo.toml",
                    member("toy-client", "toy-core.workspace = true\n"),
                ),
                (
                    "crates/client/src/lib.rs",
                    "//! Client.\n\npub fn client() -> u32 {\n    toy_core::core()\n}\n".to_owned(),
                ),
                ("tool/Cargo.toml", tool.to_owned()),
                (
                    "tool/src/main.rs",
                    "fn main() {\n    toy_client::client();\n}\n".to_owned(),
                ),
                ("CHANGELOG.md", CHANGELOG.to_owned()),
            ],
        )
    }

    /// A workspace of `files`, committed and tagged `v0.1.0`.
    fn with_files(name: &str, files: &[(&str, String)]) -> Toy {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let unique = format!(
            "xtask-{name}-{}-{nanos}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let toy = Toy {
            dir: std::env::temp_dir().join(unique),
        };

        for (path, contents) in files {
            toy.write(path, contents);
        }
        toy.write(".gitignore", "/target\n");
        // The toy builds with this repository's toolchain, whatever rustup's default is.
        let toolchain = Path::new(env!("CARGO_MANIFEST_DIR")).join("../rust-toolchain.toml");
        if let Ok(toolchain) = fs::read_to_string(toolchain) {
            toy.write("rust-toolchain.toml", &toolchain);
        }

        toy.git(&["init", "--quiet", "--initial-branch=main"]);
        toy.git(&["config", "user.name", "Toy Releaser"]);
        toy.git(&["config", "user.email", "toy@example.invalid"]);
        toy.git(&["config", "commit.gpgsign", "false"]);
        toy.git(&["config", "tag.gpgsign", "false"]);
        let status = toy
            .cargo()
            .args(["generate-lockfile", "--offline"])
            .status()
            .unwrap();
        assert!(status.success(), "cargo generate-lockfile");
        toy.commit("toy workspace");
        toy.git(&["tag", "v0.1.0"]);
        toy
    }

    fn write(&self, path: &str, contents: &str) {
        let path = self.dir.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
    }

    fn read(&self, path: &str) -> String {
        fs::read_to_string(self.dir.join(path)).unwrap()
    }

    fn commit(&self, message: &str) {
        self.git(&["add", "--all"]);
        self.git(&["commit", "--quiet", "-m", message]);
    }

    fn git(&self, args: &[&str]) -> String {
        let out = Command::new("git")
            .args(args)
            .current_dir(&self.dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim_end().to_owned()
    }

    /// cargo confined to the toy: its own target directory and no network.
    fn cargo(&self) -> Command {
        let mut cargo = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
        cargo.current_dir(&self.dir);
        cargo
            .env("CARGO_TARGET_DIR", self.dir.join("target"))
            .env("CARGO_NET_OFFLINE", "true");
        cargo
    }

    fn xtask(&self, args: &[&str]) -> Run {
        let output = self.xtask_command(args).output().unwrap();
        Run {
            args: args.join(" "),
            output,
        }
    }

    fn xtask_command(&self, args: &[&str]) -> Command {
        let mut xtask = Command::new(env!("CARGO_BIN_EXE_xtask"));
        xtask
            .args(args)
            .arg("--root")
            .arg(&self.dir)
            .current_dir(&self.dir);
        xtask
            .env("CARGO_TARGET_DIR", self.dir.join("target"))
            .env("CARGO_NET_OFFLINE", "true");
        xtask
    }

    /// Every file outside `.git` and `target`, with its contents, plus HEAD.
    fn snapshot(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let mut files = vec![(
            PathBuf::from("HEAD"),
            self.git(&["rev-parse", "HEAD"]).into_bytes(),
        )];
        collect(&self.dir, &self.dir, &mut files);
        files.sort();
        files
    }
}

impl Drop for Toy {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

fn member(name: &str, deps: &str) -> String {
    format!(
        r#"[package]
name = "{name}"
description = "A toy crate."
version.workspace = true
edition.workspace = true
license.workspace = true
repository.workspace = true

[dependencies]
{deps}"#
    )
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(PathBuf, Vec<u8>)>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let relative = path.strip_prefix(root).unwrap().to_path_buf();
        if relative == Path::new(".git") || relative == Path::new("target") {
            continue;
        }
        if path.is_dir() {
            collect(root, &path, files);
        } else {
            files.push((relative, fs::read(&path).unwrap()));
        }
    }
}

fn is_date(s: &str) -> bool {
    let digits = |range: std::ops::Range<usize>| s[range].bytes().all(|b| b.is_ascii_digit());
    s.len() == 10
        && digits(0..4)
        && &s[4..5] == "-"
        && digits(5..7)
        && &s[7..8] == "-"
        && digits(8..10)
}

struct Run {
    args: String,
    output: Output,
}

impl Run {
    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    /// Asserts success and returns stdout.
    fn success(&self) -> String {
        let stdout = String::from_utf8_lossy(&self.output.stdout).into_owned();
        assert!(
            self.output.status.success(),
            "xtask {} failed:\n{stdout}\n{}",
            self.args,
            self.stderr()
        );
        stdout
    }

    /// Asserts success and returns stderr, where the gate reports.
    fn success_stderr(&self) -> String {
        self.success();
        self.stderr()
    }

    /// Asserts failure with `message` on stderr and returns stderr.
    fn failure(&self, message: &str) -> String {
        let stderr = self.stderr();
        assert!(
            !self.output.status.success(),
            "xtask {} succeeded:\n{stderr}",
            self.args
        );
        assert!(
            stderr.contains(message),
            "xtask {}: expected {message:?} in:\n{stderr}",
            self.args
        );
        stderr
    }
}
