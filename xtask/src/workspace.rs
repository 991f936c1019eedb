//! The workspace as `cargo metadata` describes it: members, whether they are published, and the
//! path dependencies between them.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::{Path, PathBuf},
};

use anyhow::{Context, bail};
use serde_json::Value;
use xshell::{Shell, cmd};

#[derive(Debug)]
pub(crate) struct Workspace {
    pub(crate) root: PathBuf,
    /// Members sorted by name.
    pub(crate) packages: Vec<Package>,
}

#[derive(Debug)]
pub(crate) struct Package {
    pub(crate) name: String,
    pub(crate) version: String,
    pub(crate) manifest_path: PathBuf,
    /// `false` for `publish = false`.
    pub(crate) publish: bool,
    pub(crate) features: BTreeSet<String>,
    /// Dependencies on other members of the workspace, by path.
    pub(crate) internal_deps: Vec<InternalDep>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DepKind {
    Normal,
    Dev,
    Build,
}

#[derive(Debug)]
pub(crate) struct InternalDep {
    pub(crate) name: String,
    pub(crate) kind: DepKind,
}

/// Reads the workspace in the shell's current directory.
pub(crate) fn load(sh: &Shell) -> anyhow::Result<Workspace> {
    let json = cmd!(sh, "cargo metadata --format-version 1 --no-deps")
        .quiet()
        .read()
        .context("reading the workspace with `cargo metadata`")?;
    parse_metadata(&json)
}

impl Workspace {
    pub(crate) fn package(&self, name: &str) -> Option<&Package> {
        self.packages.iter().find(|package| package.name == name)
    }

    /// The directory of `package`, relative to the workspace root, with `/` separators.
    pub(crate) fn relative_dir(&self, package: &Package) -> String {
        let dir = package.manifest_path.parent().unwrap_or(Path::new(""));
        let relative = dir.strip_prefix(&self.root).unwrap_or(dir);
        let parts: Vec<_> = relative.iter().map(|part| part.to_string_lossy()).collect();
        if parts.is_empty() {
            ".".to_owned()
        } else {
            parts.join("/")
        }
    }

    /// The published members, each after the members it depends on (normal and build
    /// dependencies; dev-dependencies do not constrain publishing). Ties go by name.
    ///
    /// # Errors
    ///
    /// When a published member depends on an unpublished one, or the dependencies form a cycle.
    pub(crate) fn publish_order(&self) -> anyhow::Result<Vec<&Package>> {
        let mut waiting_on: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for package in self.packages.iter().filter(|package| package.publish) {
            let mut deps = BTreeSet::new();
            for dep in &package.internal_deps {
                if dep.kind == DepKind::Dev {
                    continue;
                }
                match self.package(&dep.name) {
                    Some(target) if target.publish => {
                        deps.insert(target.name.as_str());
                    }
                    _ => bail!(
                        "{} is published but depends on {}, which is not (`publish = false`)",
                        package.name,
                        dep.name
                    ),
                }
            }
            waiting_on.insert(&package.name, deps);
        }

        let mut order = Vec::new();
        while !waiting_on.is_empty() {
            let ready: Vec<&str> = waiting_on
                .iter()
                .filter(|(_, deps)| deps.is_empty())
                .map(|(name, _)| *name)
                .collect();
            if ready.is_empty() {
                let names: Vec<&str> = waiting_on.keys().copied().collect();
                bail!(
                    "the published crates depend on each other in a cycle: {}",
                    names.join(", ")
                );
            }
            for name in ready {
                waiting_on.remove(name);
                for deps in waiting_on.values_mut() {
                    deps.remove(name);
                }
                // Every name in `waiting_on` came from `self.packages`.
                order.push(self.package(name).unwrap());
            }
        }
        Ok(order)
    }
}

fn parse_metadata(json: &str) -> anyhow::Result<Workspace> {
    let metadata: Value = serde_json::from_str(json).context("parsing `cargo metadata` output")?;
    let root = metadata["workspace_root"]
        .as_str()
        .context("`cargo metadata`: no workspace_root")?;
    let members: BTreeSet<&str> = metadata["workspace_members"]
        .as_array()
        .context("`cargo metadata`: no workspace_members")?
        .iter()
        .filter_map(Value::as_str)
        .collect();

    let mut packages = Vec::new();
    let all = metadata["packages"]
        .as_array()
        .context("`cargo metadata`: no packages")?;
    for package in all
        .iter()
        .filter(|p| p["id"].as_str().is_some_and(|id| members.contains(id)))
    {
        let field = |name: &str| {
            package[name]
                .as_str()
                .map(str::to_owned)
                .with_context(|| format!("`cargo metadata`: a package without a string `{name}`"))
        };
        // `null` means any registry, a list names the allowed ones, and `[]` is `publish = false`.
        let publish = match &package["publish"] {
            Value::Array(registries) => !registries.is_empty(),
            _ => true,
        };
        let features = package["features"]
            .as_object()
            .map(|features| features.keys().cloned().collect())
            .unwrap_or_default();
        let deps = package["dependencies"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        let path_deps = deps
            .iter()
            .filter(|dep| dep["path"].is_string())
            .map(|dep| InternalDep {
                name: dep["name"].as_str().unwrap_or_default().to_owned(),
                kind: match dep["kind"].as_str() {
                    Some("dev") => DepKind::Dev,
                    Some("build") => DepKind::Build,
                    _ => DepKind::Normal,
                },
            });
        packages.push(Package {
            name: field("name")?,
            version: field("version")?,
            manifest_path: PathBuf::from(field("manifest_path")?),
            publish,
            features,
            internal_deps: path_deps.collect(),
        });
    }

    // A path dependency outside the workspace is not ours to release.
    let names: BTreeSet<String> = packages.iter().map(|p| p.name.clone()).collect();
    for package in &mut packages {
        package
            .internal_deps
            .retain(|dep| names.contains(&dep.name));
    }
    packages.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Workspace {
        root: PathBuf::from(root),
        packages,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package(name: &str, publish: bool, deps: &[(&str, DepKind)]) -> Package {
        Package {
            name: name.to_owned(),
            version: "0.1.0".to_owned(),
            manifest_path: PathBuf::from(format!("/w/crates/{name}/Cargo.toml")),
            publish,
            features: BTreeSet::new(),
            internal_deps: deps
                .iter()
                .map(|&(name, kind)| InternalDep {
                    name: name.to_owned(),
                    kind,
                })
                .collect(),
        }
    }

    fn order(packages: Vec<Package>) -> anyhow::Result<Vec<String>> {
        let workspace = Workspace {
            root: PathBuf::from("/w"),
            packages,
        };
        Ok(workspace
            .publish_order()?
            .iter()
            .map(|p| p.name.clone())
            .collect())
    }

    #[test]
    fn publish_order_follows_dependencies() {
        let packages = vec![
            package("a-client", true, &[("z-core", DepKind::Normal)]),
            package("m-macros", true, &[("z-core", DepKind::Build)]),
            package("tests", false, &[("a-client", DepKind::Normal)]),
            package(
                "b-app",
                true,
                &[("a-client", DepKind::Normal), ("tests", DepKind::Dev)],
            ),
            // A dev-dependency cycle back to a dependent does not constrain the order.
            package("z-core", true, &[("a-client", DepKind::Dev)]),
        ];
        assert_eq!(
            order(packages).unwrap(),
            ["z-core", "a-client", "m-macros", "b-app"]
        );
    }

    #[test]
    fn publish_order_refusals() {
        let packages = vec![
            package("client", true, &[("helper", DepKind::Normal)]),
            package("helper", false, &[]),
        ];
        assert_eq!(
            order(packages).unwrap_err().to_string(),
            "client is published but depends on helper, which is not (`publish = false`)"
        );

        let packages = vec![
            package("a", true, &[("b", DepKind::Normal)]),
            package("b", true, &[("a", DepKind::Build)]),
        ];
        assert!(
            order(packages)
                .unwrap_err()
                .to_string()
                .contains("cycle: a, b")
        );
    }

    #[test]
    fn reads_metadata() {
        let json = r#"{
            "workspace_root": "/w",
            "workspace_members": ["path+file:///w/crates/core#0.1.0", "path+file:///w/xtask#0.0.0"],
            "packages": [
                {
                    "id": "path+file:///w/xtask#0.0.0", "name": "xtask", "version": "0.0.0",
                    "manifest_path": "/w/xtask/Cargo.toml", "publish": [], "features": {},
                    "dependencies": [
                        {"name": "core", "kind": null, "path": "/w/crates/core"},
                        {"name": "outside", "kind": null, "path": "/elsewhere"},
                        {"name": "serde", "kind": null}
                    ]
                },
                {
                    "id": "path+file:///w/crates/core#0.1.0", "name": "core", "version": "0.1.0",
                    "manifest_path": "/w/crates/core/Cargo.toml", "publish": null,
                    "features": {"default": ["rustls"], "rustls": []},
                    "dependencies": [{"name": "xtask", "kind": "dev", "path": "/w/xtask"}]
                }
            ]
        }"#;
        let workspace = parse_metadata(json).unwrap();
        let [core, xtask] = &workspace.packages[..] else {
            panic!("expected two members")
        };
        assert_eq!((core.name.as_str(), core.publish), ("core", true));
        assert_eq!(
            core.features,
            BTreeSet::from(["default".to_owned(), "rustls".to_owned()])
        );
        assert_eq!(core.internal_deps[0].kind, DepKind::Dev);
        assert_eq!(workspace.relative_dir(core), "crates/core");
        assert_eq!((xtask.name.as_str(), xtask.publish), ("xtask", false));
        let deps: Vec<&str> = xtask
            .internal_deps
            .iter()
            .map(|dep| dep.name.as_str())
            .collect();
        assert_eq!(deps, ["core"]);
    }
}
