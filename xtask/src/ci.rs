//! `cargo xtask ci`: the CI gate. Cheap checks run first so that a mistake fails in seconds;
//! every step stops the run on failure.

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use xshell::{Shell, cmd};

use crate::{changelog, git, workspace::Workspace};

/// The protocol crate, which must stay free of IO.
const CORE: &str = "timesync-core";

/// Crates that do IO or run tasks; none may appear among the normal dependencies of the core.
const TRANSPORT_AND_RUNTIME: [&str; 8] = [
    "ureq",
    "reqwest",
    "hyper",
    "tokio",
    "async-std",
    "smol",
    "mio",
    "socket2",
];

/// The transport crates, each built once per TLS feature it declares.
const TRANSPORTS: [&str; 2] = ["timesync-blocking", "timesync-async"];
const TLS_FEATURES: [&str; 2] = ["rustls", "native-tls"];

/// Runs the gate on the workspace in the shell's current directory.
pub(crate) fn run(sh: &Shell) -> anyhow::Result<()> {
    let workspace = crate::workspace::load(sh)?;
    sh.change_dir(&workspace.root);
    let mut steps = Steps::default();
    let tls = tls_builds(&workspace);

    if tls.iter().any(|(_, feature)| *feature == "native-tls") {
        // First, so that a machine without OpenSSL fails (or is set up) in seconds.
        steps.run("openssl", || ensure_openssl(sh))?;
    }
    steps.run("fmt", || Ok(cmd!(sh, "cargo fmt --all -- --check").run()?))?;
    steps.run("changelog", || changelog_discipline(sh, &workspace))?;
    steps.run("core-deps", || core_has_no_transport(sh, &workspace))?;
    steps.run("clippy", || {
        // Package by package, so that no crate leans on features that another one enables.
        for package in &workspace.packages {
            let name = &package.name;
            cmd!(
                sh,
                "cargo clippy --locked -p {name} --all-targets -- -D warnings"
            )
            .run()?;
        }
        Ok(())
    })?;
    steps.run("doc", || {
        cmd!(sh, "cargo doc --locked --workspace --no-deps")
            .env("RUSTDOCFLAGS", "-D warnings")
            .run()?;
        Ok(())
    })?;
    steps.run("test", || {
        if nextest_installed(sh) {
            // nextest does not run doctests. They go first, so that the log's last test summary
            // is nextest's count of the whole suite.
            cmd!(sh, "cargo test --locked --workspace --doc").run()?;
            cmd!(sh, "cargo nextest run --locked --workspace").run()?;
        } else {
            eprintln!("cargo-nextest is not installed: running the tests with `cargo test`");
            cmd!(sh, "cargo test --locked --workspace").run()?;
        }
        Ok(())
    })?;
    steps.run("tls", || {
        for (name, feature) in &tls {
            cmd!(
                sh,
                "cargo build --locked -p {name} --no-default-features --features {feature}"
            )
            .run()?;
        }
        Ok(())
    })?;

    steps.summary();
    Ok(())
}

/// Code changed since the last release must be described in the Unreleased section.
fn changelog_discipline(sh: &Shell, workspace: &Workspace) -> anyhow::Result<()> {
    let text = sh.read_file(changelog::FILE)?;
    let body = changelog::unreleased(&text)?;
    if changelog::has_entries(body) {
        eprintln!(
            "the `## [Unreleased]` section of {} has entries",
            changelog::FILE
        );
        return Ok(());
    }

    let Some(tag) = git::last_release_tag(sh)? else {
        bail!(
            "the `## [Unreleased]` section of {} is empty and there is no release tag yet: \
             describe the changes",
            changelog::FILE
        );
    };
    let mut paths = vec!["Cargo.toml".to_owned()];
    paths.extend(
        workspace
            .packages
            .iter()
            .filter(|p| p.publish)
            .map(|p| workspace.relative_dir(p)),
    );
    let changed = git::changed_since(sh, &tag, &paths)?;
    if !changed.is_empty() {
        bail!(
            "code changed since {tag} but the `## [Unreleased]` section of {} is empty: \
             describe the changes\nchanged since {tag}:\n  {}",
            changelog::FILE,
            changed.join("\n  ")
        );
    }
    eprintln!("no published code changed since {tag}");
    Ok(())
}

/// The sans-IO boundary: the core's normal dependency tree holds no transport or runtime.
fn core_has_no_transport(sh: &Shell, workspace: &Workspace) -> anyhow::Result<()> {
    if workspace.package(CORE).is_none() {
        bail!("{CORE} is not a member of this workspace");
    }
    let tree = cmd!(sh, "cargo tree --locked -p {CORE} -e normal --prefix none").read()?;
    let mut found: Vec<&str> = tree
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| TRANSPORT_AND_RUNTIME.contains(name))
        .collect();
    found.sort_unstable();
    found.dedup();
    if !found.is_empty() {
        bail!(
            "{CORE} must do no IO but depends on {} (see `cargo tree -p {CORE} -e normal -i {}`)",
            found.join(", "),
            found[0]
        );
    }
    eprintln!(
        "{CORE} depends on none of {}",
        TRANSPORT_AND_RUNTIME.join(", ")
    );
    Ok(())
}

/// The TLS builds: each transport crate with each TLS feature it declares, alone. Transport
/// crates that do not exist yet are skipped, saying so.
fn tls_builds(workspace: &Workspace) -> Vec<(&'static str, &'static str)> {
    let mut builds = Vec::new();
    for name in TRANSPORTS {
        let Some(package) = workspace.package(name) else {
            eprintln!("tls: skipping {name}, not a member of this workspace yet");
            continue;
        };
        let before = builds.len();
        for feature in TLS_FEATURES {
            if package.features.contains(feature) {
                builds.push((name, feature));
            }
        }
        if builds.len() == before {
            let features = TLS_FEATURES.join(", ");
            eprintln!("tls: skipping {name}, it declares none of the features {features}");
        }
    }
    builds
}

/// native-tls links OpenSSL on Linux, found through pkg-config. CI installs it; elsewhere we
/// say what is missing rather than let the openssl-sys build script fail at length.
fn ensure_openssl(sh: &Shell) -> anyhow::Result<()> {
    if !cfg!(target_os = "linux") {
        return Ok(());
    }
    let found = cmd!(sh, "pkg-config --exists openssl")
        .quiet()
        .ignore_stderr()
        .run()
        .is_ok();
    if found {
        return Ok(());
    }

    let in_ci = std::env::var("CI").is_ok_and(|ci| ci == "true");
    let root = cmd!(sh, "id -u")
        .quiet()
        .read()
        .is_ok_and(|uid| uid.trim() == "0");
    let debian = sh.path_exists("/etc/debian_version");
    if in_ci && root && debian {
        eprintln!("native-tls needs OpenSSL: installing pkg-config and libssl-dev");
        cmd!(sh, "apt-get update -q").run()?;
        cmd!(sh, "apt-get install -y -q pkg-config libssl-dev")
            .env("DEBIAN_FRONTEND", "noninteractive")
            .run()
            .context("installing pkg-config and libssl-dev")?;
        return Ok(());
    }
    bail!(
        "the native-tls builds need OpenSSL's development files and pkg-config, which were not \
         found: install them (Debian and Ubuntu: `apt-get install pkg-config libssl-dev`; \
         Fedora: `dnf install pkgconf openssl-devel`) and run again"
    )
}

fn nextest_installed(sh: &Shell) -> bool {
    cmd!(sh, "cargo nextest --version")
        .quiet()
        .ignore_stdout()
        .ignore_stderr()
        .run()
        .is_ok()
}

#[derive(Default)]
struct Steps {
    done: Vec<(&'static str, Duration)>,
}

impl Steps {
    fn run(
        &mut self,
        name: &'static str,
        step: impl FnOnce() -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        eprintln!("\n==> ci: {name}");
        let start = Instant::now();
        step().with_context(|| format!("ci step `{name}` failed"))?;
        let elapsed = start.elapsed();
        eprintln!("==> ci: {name} ok ({:.1}s)", elapsed.as_secs_f64());
        self.done.push((name, elapsed));
        Ok(())
    }

    fn summary(&self) {
        eprintln!("\n==> ci: all steps passed");
        for (name, elapsed) in &self.done {
            eprintln!("    {name:<10} {:>7.1}s", elapsed.as_secs_f64());
        }
    }
}
