//! Version edits in `Cargo.toml` files, keeping their formatting and comments.

use std::collections::BTreeSet;

use anyhow::Context;
use toml_edit::{DocumentMut, Item, TableLike, Value};

use crate::version::Version;

/// What a release changes in one manifest.
#[derive(Debug, Default)]
pub(crate) struct Bumped {
    pub(crate) text: String,
    /// One line per edit, e.g. `[workspace.package] version: "0.1.0" -> "0.1.1"`.
    pub(crate) edits: Vec<String>,
}

/// Moves a manifest from `current` to `next`:
///
/// - `[workspace.package] version`, when it is `current`;
/// - `[package] version`, when `own_version` is set and the manifest spells it out rather than
///   inheriting it;
/// - the `version` requirement of every path dependency on a crate named in `internal`, in
///   `[workspace.dependencies]`, `[dependencies]`, `[dev-dependencies]`, `[build-dependencies]`
///   and their `[target.'cfg(..)'.*]` forms.
///
/// # Errors
///
/// When the manifest is not valid TOML.
pub(crate) fn bump(
    text: &str,
    current: Version,
    next: Version,
    own_version: bool,
    internal: &BTreeSet<String>,
) -> anyhow::Result<Bumped> {
    let mut doc: DocumentMut = text.parse().context("parsing the manifest")?;
    let mut edits = Vec::new();
    let (current, next) = (current.to_string(), next.to_string());

    if let Some(workspace) = doc.get_mut("workspace").and_then(Item::as_table_like_mut) {
        let package = workspace
            .get_mut("package")
            .and_then(Item::as_table_like_mut);
        if let Some(version) = package.and_then(|package| string_mut(package, "version"))
            && version.as_str() == Some(current.as_str())
        {
            edits.push(format!(
                "[workspace.package] version: \"{current}\" -> \"{next}\""
            ));
            set_string(version, &next);
        }
        if let Some(deps) = workspace
            .get_mut("dependencies")
            .and_then(Item::as_table_like_mut)
        {
            bump_requirements(
                deps,
                "[workspace.dependencies]",
                internal,
                &next,
                &mut edits,
            );
        }
    }

    if own_version
        && let Some(package) = doc.get_mut("package").and_then(Item::as_table_like_mut)
        && let Some(version) = string_mut(package, "version")
    {
        let old = version.as_str().unwrap_or_default().to_owned();
        edits.push(format!("[package] version: \"{old}\" -> \"{next}\""));
        set_string(version, &next);
    }

    for kind in DEP_TABLES {
        if let Some(deps) = doc.get_mut(kind).and_then(Item::as_table_like_mut) {
            bump_requirements(deps, &format!("[{kind}]"), internal, &next, &mut edits);
        }
    }
    if let Some(targets) = doc.get_mut("target").and_then(Item::as_table_like_mut) {
        for (cfg, target) in targets.iter_mut() {
            let Some(target) = target.as_table_like_mut() else {
                continue;
            };
            for kind in DEP_TABLES {
                if let Some(deps) = target.get_mut(kind).and_then(Item::as_table_like_mut) {
                    let label = format!("[target.'{}'.{kind}]", cfg.get());
                    bump_requirements(deps, &label, internal, &next, &mut edits);
                }
            }
        }
    }

    Ok(Bumped {
        text: doc.to_string(),
        edits,
    })
}

/// Whether a member manifest takes its version from the workspace (`version.workspace = true`).
pub(crate) fn inherits_version(text: &str) -> bool {
    let Ok(doc) = text.parse::<DocumentMut>() else {
        return false;
    };
    let version = doc
        .get("package")
        .and_then(|package| package.get("version"));
    version
        .and_then(|version| version.get("workspace"))
        .and_then(Item::as_bool)
        == Some(true)
}

const DEP_TABLES: [&str; 3] = ["dependencies", "dev-dependencies", "build-dependencies"];

fn bump_requirements(
    deps: &mut dyn TableLike,
    label: &str,
    internal: &BTreeSet<String>,
    next: &str,
    edits: &mut Vec<String>,
) {
    for (key, dep) in deps.iter_mut() {
        let Some(dep) = dep.as_table_like_mut() else {
            continue;
        };
        let package = dep
            .get("package")
            .and_then(Item::as_str)
            .unwrap_or(key.get());
        if !internal.contains(package) || !dep.contains_key("path") {
            continue;
        }
        let Some(requirement) = string_mut(dep, "version") else {
            continue;
        };
        let old = requirement.as_str().unwrap_or_default().to_owned();
        let new = match old.chars().next() {
            Some(op @ ('=' | '^' | '~')) => format!("{op}{next}"),
            _ => next.to_owned(),
        };
        edits.push(format!(
            "{label} {}: version \"{old}\" -> \"{new}\"",
            key.get()
        ));
        set_string(requirement, &new);
    }
}

fn string_mut<'a>(table: &'a mut dyn TableLike, key: &str) -> Option<&'a mut Value> {
    table
        .get_mut(key)?
        .as_value_mut()
        .filter(|value| value.is_str())
}

/// Replaces a string value, keeping the spacing and comments around it.
fn set_string(value: &mut Value, new: &str) {
    let decor = value.decor().clone();
    *value = Value::from(new);
    *value.decor_mut() = decor;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn internal() -> BTreeSet<String> {
        ["toy-core", "toy-client"].map(str::to_owned).into()
    }

    fn v(s: &str) -> Version {
        s.parse().unwrap()
    }

    #[test]
    fn bumps_the_workspace_root() {
        let root = r#"[workspace]
members = ["crates/*"]

[workspace.package]
version = "0.1.0" # the release version
edition = "2024"

[workspace.dependencies]
# Internal crates.
toy-core = { path = "crates/core", version = "0.1.0" }
toy-client = { path = "crates/client", version = "=0.1.0", default-features = false }
toy-other = { path = "crates/other", version = "0.1.0" }
serde = { version = "0.1.0" }
"#;
        let bumped = bump(root, v("0.1.0"), v("0.2.0"), false, &internal()).unwrap();
        assert_eq!(
            bumped.text,
            r#"[workspace]
members = ["crates/*"]

[workspace.package]
version = "0.2.0" # the release version
edition = "2024"

[workspace.dependencies]
# Internal crates.
toy-core = { path = "crates/core", version = "0.2.0" }
toy-client = { path = "crates/client", version = "=0.2.0", default-features = false }
toy-other = { path = "crates/other", version = "0.1.0" }
serde = { version = "0.1.0" }
"#
        );
        assert_eq!(
            bumped.edits,
            [
                r#"[workspace.package] version: "0.1.0" -> "0.2.0""#,
                r#"[workspace.dependencies] toy-core: version "0.1.0" -> "0.2.0""#,
                r#"[workspace.dependencies] toy-client: version "=0.1.0" -> "=0.2.0""#,
            ]
        );
    }

    #[test]
    fn bumps_a_member() {
        let member = r#"[package]
name = "toy-app"
version = "0.1.0"

[dependencies]
toy-core.workspace = true
client = { package = "toy-client", path = "../client", version = "0.1.0" }

[dev-dependencies.toy-core]
path = "../core"
version = "^0.1.0"

[target.'cfg(unix)'.build-dependencies]
toy-client = { path = "../client", version = "0.1" }
"#;
        let bumped = bump(member, v("0.1.0"), v("1.0.0"), true, &internal()).unwrap();
        assert_eq!(
            bumped.text,
            r#"[package]
name = "toy-app"
version = "1.0.0"

[dependencies]
toy-core.workspace = true
client = { package = "toy-client", path = "../client", version = "1.0.0" }

[dev-dependencies.toy-core]
path = "../core"
version = "^1.0.0"

[target.'cfg(unix)'.build-dependencies]
toy-client = { path = "../client", version = "1.0.0" }
"#
        );
        assert_eq!(bumped.edits.len(), 4, "{:#?}", bumped.edits);

        // An unpublished member keeps its own version but follows the requirements.
        let bumped = bump(member, v("0.1.0"), v("1.0.0"), false, &internal()).unwrap();
        assert!(
            bumped
                .text
                .contains("version = \"0.1.0\"\n\n[dependencies]")
        );
        assert_eq!(bumped.edits.len(), 3);
    }

    #[test]
    fn inherited_versions() {
        assert!(inherits_version(
            "[package]\nname = \"a\"\nversion.workspace = true\n"
        ));
        assert!(inherits_version(
            "[package]\nversion = { workspace = true }\n"
        ));
        assert!(!inherits_version(
            "[package]\nname = \"a\"\nversion = \"0.1.0\"\n"
        ));
        assert!(!inherits_version("not toml ["));
    }

    #[test]
    fn leaves_unrelated_manifests_alone() {
        let text =
            "[package]\nname = \"x\"\nversion.workspace = true\n\n[dependencies]\nhttp = \"1\"\n";
        let bumped = bump(text, v("0.1.0"), v("0.1.1"), true, &internal()).unwrap();
        assert_eq!(bumped.text, text);
        assert!(bumped.edits.is_empty());
    }
}
